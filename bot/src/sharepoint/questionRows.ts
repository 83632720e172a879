import crypto from 'node:crypto';
import type { Logger } from '../log';
import type { Store } from '../store';
import type { Clock, Timers } from '../services/ports';
import type { WeekSchedule } from '../domain/week';
import { questionInputSchema, describeIssues } from '../domain/questionSchema';
import { placementProblem, questionFromInput } from '../domain/question';
import { KEY, KIND_CHOICES, SOURCE_CHOICES } from './lists';
import { questionStatus } from './fields';
import type { GraphApi } from './graphApi';
import type { SiteLists } from './provision';

import { considerAgendaRow, str, type ListRow as Row } from './agendaRows';

/**
 * Reads the questions moderators write as rows in the SharePoint list, at a fixed interval (and the
 * knowledge moments staff write in the agenda, see agendaRows.ts).
 * A valid row becomes a scheduled question; a rejected row gets the reason in its Status column,
 * in Dutch. Once posted, a question is locked: later edits of the row are reported, not applied.
 */
export class QuestionRowPoller {
  private timer: unknown = null;
  private stopped = true;
  private polling: Promise<void> | null = null;

  constructor(private readonly d: {
    store: Store; api: GraphApi; lists: () => Promise<SiteLists>; schedule: WeekSchedule; clock: Clock; timers: Timers;
    log: Logger; intervalMs: number; formatMoment: (d: Date) => string;
  }) {}

  start(): void {
    this.stopped = false;
    void this.poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.d.timers.clearTimeout(this.timer);
    await this.polling;
  }

  /** One pass over the list (also run at start-up). */
  poll(): Promise<void> {
    if (!this.polling) {
      this.polling = this.pass()
        .catch((err: unknown) => this.d.log.warn({ err: (err as Error).message }, 'could not read the question rows from SharePoint; next poll retries'))
        .finally(() => {
          this.polling = null;
          if (!this.stopped) this.timer = this.d.timers.setTimeout(() => void this.poll(), this.d.intervalMs);
        });
    }
    return this.polling;
  }

  /** The questions list, then the agenda (knowledge moments staff wrote). */
  private async pass(): Promise<void> {
    const lists = await this.d.lists();
    await this.rows(lists, lists.ids.questions, (row) => this.consider(row, lists));
    const { store, api, clock, log, schedule } = this.d;
    await this.rows(lists, lists.ids.agenda, (row) => considerAgendaRow(row, lists, { store, api, clock, log, timeZone: schedule.timeZone }));
  }

  private async rows(lists: SiteLists, listId: string, consider: (row: Row) => Promise<void>): Promise<void> {
    let url: string | null = `/sites/${lists.siteId}/lists/${listId}/items?$expand=fields&$top=200`;
    while (url) {
      const page: { value?: Row[]; '@odata.nextLink'?: string } = await this.d.api.call('GET', url);
      for (const row of page.value ?? []) await consider(row);
      const next = page['@odata.nextLink'];
      url = next ? this.d.api.nextPath(next) : null;
    }
  }

  private async consider(row: Row, lists: SiteLists): Promise<void> {
    const f = row.fields;
    const source = str(f.Bron);
    if (source && source !== SOURCE_CHOICES.sharepoint) return; // the bot's own copy of a file or command question
    const { store, clock, log } = this.d;
    const authored = {
      key: str(f[KEY]), title: str(f.Title), text: str(f.Vraag), kind: str(f.Soort), options: str(f.Opties), experience: str(f.Ervaring), theme: str(f.Thema),
      targets: str(f.Doelgroep), week: str(f.Week), closesAt: str(f.SluitOp), comment: f.ToelichtingToegestaan, anonymous: f.Anoniem === true,
    };
    const hash = crypto.createHash('sha256').update(JSON.stringify(authored)).digest('hex');
    const seen = await store.outbox.questionRow(row.id);
    if (seen?.contentHash === hash && seen.status === str(f.Status)) return; // nothing new since last time

    const id = authored.key || `sp-${row.id}`;
    const kind = (KIND_CHOICES as Record<string, string>)[authored.kind];
    const candidate = {
      id, text: authored.text || authored.title, kind: kind ?? authored.kind, theme: authored.theme.toLowerCase(),
      ...(authored.options ? { options: authored.options.split(/\r?\n/).map((s) => s.trim()).filter(Boolean) } : {}),
      ...(authored.experience ? { experience: experienceNumbers(authored.experience) } : {}),
      ...(authored.targets ? { targets: authored.targets.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
      ...(authored.week ? { week: authored.week.toUpperCase() } : {}),
      ...(authored.closesAt ? { closesAt: authored.closesAt } : {}),
      comment: authored.comment === false ? false : true,
      anonymous: authored.anonymous,
    };
    let status: string;
    let fields: Record<string, unknown> = {};
    const parsed = questionInputSchema.safeParse(candidate);
    const existing = await store.questions.get(id);
    if (!parsed.success) {
      status = `Afgewezen: ${describeIssues(parsed.error).map(translatePath).join('; ')}`;
    } else if (existing && existing.source !== 'sharepoint') {
      status = `Afgewezen: de sleutel "${id}" is al in gebruik door een andere vraag. Maak ${KEY} leeg of kies een andere.`;
    } else {
      const q = questionFromInput(parsed.data, this.d.schedule, { source: 'sharepoint', createdBy: str(f.AuthorLookupId) || null, queueOrder: 100_000 + Number(row.id) });
      const problem = placementProblem(q);
      if (problem) {
        status = `Afgewezen: ${problem}`;
      } else {
        // The item id first: the upsert records an outbox row, and the sync must find the row's item
        // by id (a moderator's row may have no key yet), never create a second one.
        await store.outbox.rememberItem('question', id, row.id, clock.now());
        const outcome = await store.questions.upsertFromFile(q, clock.now());
        const current = (await store.questions.get(id))!;
        status = outcome === 'locked'
          ? `Al gepost: wijzigingen na het posten worden niet overgenomen (leden antwoordden op de geposte tekst). ${questionStatus(current, clock.now(), this.d.formatMoment)}`
          : questionStatus(current, clock.now(), this.d.formatMoment);
        if (!authored.key) fields[KEY] = id;
        log.info({ questionId: id, itemId: row.id, outcome }, 'question row from SharePoint');
      }
    }
    if (status.startsWith('Afgewezen')) log.info({ itemId: row.id, status }, 'question row rejected');
    if (status !== str(f.Status)) fields = { ...fields, Status: status };
    if (Object.keys(fields).length) {
      await this.d.api.call('PATCH', `/sites/${lists.siteId}/lists/${lists.ids.questions}/items/${row.id}/fields`, fields);
    }
    await store.outbox.saveQuestionRow(row.id, id, hash, status, clock.now());
  }
}

/** "options: …" → "Opties: …": name the SharePoint column the moderator sees. */
function translatePath(issue: string): string {
  const columns: Record<string, string> = { id: KEY, text: 'Vraag', kind: 'Soort', options: 'Opties', experience: 'Ervaring', theme: 'Thema', targets: 'Doelgroep', week: 'Week', closesAt: 'SluitOp', scale: 'Soort' };
  return issue.replace(/^([a-zA-Z]+)(\[\d+\])?/, (_m, field: string) => columns[field] ?? field);
}

/** "1, 3" (or "1;3", "1 3") → [1, 3]; anything that is not a number stays in, as NaN, for the schema to name the column. */
function experienceNumbers(text: string): number[] {
  return text.split(/[\s,;]+/).filter(Boolean).map((n) => (/^\d+$/.test(n) ? Number(n) : Number.NaN));
}

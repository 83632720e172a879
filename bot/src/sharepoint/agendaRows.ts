import crypto from 'node:crypto';
import type { Logger } from '../log';
import type { Store } from '../store';
import type { Clock } from '../services/ports';
import { momentFrom, type MomentProblem } from '../domain/moment';
import { dayOf, timeOf } from '../domain/week';
import { MOMENT_LIMITS as L } from '../domain/moment';
import { AGENDA_SOURCES, KEY } from './lists';
import type { GraphApi } from './graphApi';
import type { SiteLists } from './provision';

export interface ListRow { id: string; fields: Record<string, unknown> }

export const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : String(v));

/** The agenda's rows are remembered beside the question rows, by their own item ids. */
const seenKey = (itemId: string) => `agenda:${itemId}`;

/**
 * A row staff wrote in the SharePoint agenda: a valid one becomes a knowledge moment, announced
 * once in every RKK like one planned in Teams (a later edit updates the announcements); a rejected
 * one gets the reason in its Status column, in Dutch. Kenniskring's own rows are left alone.
 */
export async function considerAgendaRow(row: ListRow, lists: SiteLists, d: { store: Store; api: GraphApi; clock: Clock; log: Logger; timeZone: string }): Promise<void> {
  const f = row.fields;
  if (str(f.Bron) === AGENDA_SOURCES.bot) return;
  const { store, clock, log } = d;
  const authored = { key: str(f[KEY]), title: str(f.Title), begin: str(f.Begin), where: str(f.Waar), description: str(f.Beschrijving), theme: str(f.Thema) };
  const hash = crypto.createHash('sha256').update(JSON.stringify(authored)).digest('hex');
  const seen = await store.outbox.questionRow(seenKey(row.id));
  // Accepted rows get their Status from the sync; only a rejection is the poller's to keep.
  if (seen?.contentHash === hash && (!seen.status.startsWith('Afgewezen') || seen.status === str(f.Status))) return;

  const now = clock.now();
  const id = authored.key || `sp-agenda-${row.id}`;
  const begin = authored.begin ? new Date(authored.begin) : null;
  const validBegin = begin && !Number.isNaN(begin.getTime()) ? begin : null;
  const existing = await store.moments.get(id);
  let status = '';
  const fields: Record<string, unknown> = {};
  if (existing && existing.source !== 'sharepoint') {
    status = `Afgewezen: de sleutel "${id}" is al in gebruik door een ander kennismoment. Maak ${KEY} leeg of kies een andere.`;
  } else {
    const made = momentFrom({
      title: authored.title, date: validBegin ? dayOf(validBegin, d.timeZone) : '', time: validBegin ? timeOf(validBegin, d.timeZone) : '',
      where: authored.where, description: authored.description, theme: authored.theme,
    }, { timeZone: d.timeZone, now, id });
    // A moment already announced may be corrected after it began (a typo in the place): only a new one must lie ahead.
    const problems = 'problems' in made ? made.problems.filter((p) => !(existing && p.code === 'past')) : [];
    if (problems.length) {
      status = `Afgewezen: ${problems.map(rowProblem).join(' ')}`;
    } else if ('moment' in made || existing) {
      const m = 'moment' in made ? made.moment : null;
      // The item id first: the save records an outbox row, and the sync must find this item, never create a second one.
      await store.outbox.rememberItem('moment', id, row.id, now);
      const rkks = existing ? [] : (await store.rkks.list({ activeOnly: true })).map((r) => r.id);
      const outcome = await store.moments.save({
        id, title: m?.title ?? authored.title, startsAt: m?.startsAt ?? validBegin!, where: m?.where ?? authored.where, description: m?.description ?? authored.description,
        theme: m?.theme ?? (authored.theme || null), source: 'sharepoint', createdBy: str(f.AuthorLookupId) || null, createdByName: null,
        createdAt: existing?.createdAt ?? now, updatedAt: now,
      }, rkks, now);
      if (!authored.key) fields[KEY] = id;
      log.info({ momentId: id, itemId: row.id, outcome }, 'agenda row from SharePoint');
    }
  }
  if (status) {
    log.info({ itemId: row.id, status }, 'agenda row rejected');
    if (status !== str(f.Status)) fields.Status = status;
  }
  if (Object.keys(fields).length) await d.api.call('PATCH', `/sites/${lists.siteId}/lists/${lists.ids.agenda}/items/${row.id}/fields`, fields);
  await store.outbox.saveQuestionRow(seenKey(row.id), status ? null : id, hash, status || 'aanvaard', now);
}

function rowProblem(p: MomentProblem): string {
  switch (p.code) {
    case 'length': return `de titel (Title) heeft ${L.titleMin} tot ${L.titleMax} tekens nodig (nu ${p.length}).`;
    case 'invalid': return 'vul Begin in met een datum en een uur.';
    case 'past': return 'Begin ligt in het verleden.';
    case 'missing': return 'vul Waar in: een onlinelink of een plaats.';
    case 'link': return 'een onlinelink in Waar begint met https:// en is een geldig webadres.';
    case 'tooLong': return p.field === 'where' ? `Waar is hoogstens ${L.whereMax} tekens.` : `Beschrijving is hoogstens ${L.descriptionMax} tekens.`;
  }
}

import type { Store } from '../store';
import { keyParts, type OutboxEntity } from '../store';
import { answerOptions, questionState, type Question } from '../domain/question';
import { THEME_LABELS } from '../domain/themes';
import { AGENDA_SOURCES, ASK_STATES, KEY, KIND_CHOICES, SOURCE_CHOICES } from './lists';

/** The values one SharePoint item holds for a local record; built from the record's state at send time. */
export type Fields = Record<string, string | number | boolean | null>;

export interface ItemContent {
  /** The key written in the Sleutel column ("|" between parts: readable in SharePoint). */
  spKey: string;
  fields: Fields;
  /** Questions moderators wrote in SharePoint: only the bot's own columns are written back. */
  ownColumnsOnly: boolean;
}

const TITLE_MAX = 255;
const title = (s: string) => (s.length > TITLE_MAX ? `${s.slice(0, TITLE_MAX - 1)}…` : s);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const spKeyOf = (key: string) => keyParts(key).join('|');

const KIND_LABEL = Object.fromEntries(Object.entries(KIND_CHOICES).map(([label, kind]) => [kind, label])) as Record<Question['kind'], string>;

export function questionStatus(q: Question, now: Date, formatMoment: (d: Date) => string): string {
  switch (questionState(q, now)) {
    case 'queued': return 'In de wachtrij: gaat uit in de eerste vrije week.';
    case 'scheduled': return `Gepland voor ${q.week} (${formatMoment(q.publishAt!)}).`;
    case 'open': return `Gepost op ${formatMoment(q.publishAt!)}; open tot ${q.closesAt ? formatMoment(q.closesAt) : 'sluiting'}.`;
    case 'closed': return `Gesloten op ${formatMoment(q.closedAt ?? q.closesAt!)}.`;
  }
}

/**
 * What SharePoint should hold for an outbox entity right now, or null when the record is gone
 * locally (nothing left to write). Read when the batch is built, so an item carries the record's
 * latest state, never the state at the time the change was recorded.
 */
export async function itemContent(entity: OutboxEntity, key: string, d: { store: Store; now: Date; formatMoment: (d: Date) => string }): Promise<ItemContent | null> {
  const { store } = d;
  switch (entity) {
    case 'question': {
      const q = await store.questions.get(key);
      if (!q) return null;
      const own: Fields = {
        [KEY]: q.id,
        Status: questionStatus(q, d.now, d.formatMoment),
        GepostOp: iso(q.publishAt && q.publishAt <= d.now ? q.publishAt : null),
        GeslotenOp: iso(q.closedAt),
      };
      if (q.source === 'sharepoint') return { spKey: q.id, fields: own, ownColumnsOnly: true };
      return {
        spKey: q.id, ownColumnsOnly: false,
        fields: {
          Title: title(q.text), Vraag: q.text, Soort: KIND_LABEL[q.kind], Opties: q.options.map((o) => o.label).join('\n'), Ervaring: q.options.filter((o) => o.experience).map((o) => o.id).join(', '),
          Thema: q.theme, Doelgroep: q.targets === 'all' ? '' : q.targets.join(', '), Week: q.week ?? '',
          SluitOp: iso(q.closesAt), ToelichtingToegestaan: q.allowComment, Anoniem: q.anonymous,
          Bron: SOURCE_CHOICES[q.source], ...own,
        },
      };
    }
    case 'answer': {
      const [questionId, memberKey] = keyParts(key) as [string, string];
      const a = await store.answers.get(questionId, memberKey);
      const q = await store.questions.get(questionId);
      if (!a || !q) return null;
      const labels = new Map(answerOptions(q).map((o) => [o.id, o.label]));
      // Highlights are chosen once a question closed: an open one's answers need no look.
      const highlighted = questionState(q, d.now) === 'closed' && (await store.answers.highlights(q.id)).some((h) => h.memberKey === a.member.key);
      return {
        spKey: spKeyOf(key), ownColumnsOnly: false,
        fields: {
          Title: title(`${a.member.name || 'anoniem'} · ${q.id}`), [KEY]: spKeyOf(key), VraagId: q.id, RKK: a.rkkId ?? '',
          Lid: a.member.name, LidId: a.member.aadObjectId ?? a.member.teamsUserId,
          Antwoord: q.kind === 'open' ? a.text : a.choices.map((c) => labels.get(c) ?? c).join('; '),
          Keuzes: a.choices.join(','), Toelichting: a.comment, Contact: a.contact, Uitgelicht: highlighted, BeantwoordOp: iso(a.answeredAt), GewijzigdOp: iso(a.updatedAt), Versie: a.revision,
        },
      };
    }
    case 'comment': {
      const [conversationId, messageId] = keyParts(key) as [string, string];
      const c = await store.comments.find(conversationId, messageId);
      if (!c) return null;
      return {
        spKey: spKeyOf(key), ownColumnsOnly: false,
        fields: {
          Title: title(`${c.authorName || c.authorKey} · ${c.questionId}`), [KEY]: spKeyOf(key), VraagId: c.questionId, RKK: c.rkkId,
          Auteur: c.authorName, AuteurId: c.authorKey, Tekst: c.text, GeplaatstOp: iso(c.createdAt), BewerktOp: iso(c.editedAt),
          Verwijderd: c.deletedAt !== null,
        },
      };
    }
    case 'audit': {
      const e = await store.audit.get(Number(key));
      if (!e) return null;
      return {
        spKey: key, ownColumnsOnly: false,
        fields: {
          Title: title(`${e.action} · ${e.actorName || e.actorKey}`), [KEY]: key, Tijdstip: iso(e.at), Wie: e.actorName, WieId: e.actorKey,
          Actie: e.action, Doel: e.target ?? '', Details: e.details,
        },
      };
    }
    case 'moment': {
      const m = await store.moments.get(key);
      if (!m) return null;
      const announced = (await store.deliveries.forQuestion(m.id, 'moment'));
      const sent = announced.filter((x) => x.state === 'sent').length;
      const own: Fields = { [KEY]: m.id, Status: announced.length ? `Aangekondigd in ${sent} van ${announced.length} kenniskringen.` : 'Nog niet aangekondigd.' };
      if (m.source === 'sharepoint') return { spKey: m.id, fields: own, ownColumnsOnly: true };
      return {
        spKey: m.id, ownColumnsOnly: false,
        fields: { Title: title(m.title), Begin: iso(m.startsAt), Waar: m.where, Beschrijving: m.description, Thema: m.theme ?? '', Bron: AGENDA_SOURCES.bot, ...own },
      };
    }
    case 'ask': {
      const a = await store.asks.get(key);
      if (!a) return null;
      const rkk = a.askerRkkId ? await store.rkks.get(a.askerRkkId) : null;
      const replies = a.state === 'approved' ? (await store.comments.forQuestion(a.id)).length : 0;
      return {
        spKey: a.id, ownColumnsOnly: false,
        fields: {
          Title: title(a.text), [KEY]: a.id, Vraag: a.text, Vrager: a.askerName, VragerId: a.askerKey, RKK: rkk?.name ?? '',
          Status: ASK_STATES[a.state], Reden: a.reason, BeslistDoor: a.decidedByName ?? '', GevraagdOp: iso(a.createdAt), BeslistOp: iso(a.decidedAt), Reacties: replies,
        },
      };
    }
    case 'theme': {
      const [week, label] = keyParts(key) as [string, string];
      const t = (await store.themes.week(week))?.find((x) => x.label === label);
      if (!t) return null;
      return {
        spKey: spKeyOf(key), ownColumnsOnly: false,
        fields: {
          Title: title(t.label), [KEY]: spKeyOf(key), Week: week, RKKs: t.rkkNames.join(', '),
          Bouwstenen: t.buildingBlocks.map((b) => THEME_LABELS[b].nl).join(', '),
          Voorbeelden: t.evidence.map((e) => `${e.rkkName}, bij "${e.question}": ${e.text}`).join('\n\n'),
          Aantal: t.evidence.length + t.more,
        },
      };
    }
    case 'proposal': {
      // While it waits, or once rejected, a proposal is a row of its own; approved, it gives way to the question's row (Bron "Voorstel").
      const p = await store.proposals.get(key);
      if (!p || p.state === 'approved') return null;
      const rkk = p.rkkId ? await store.rkks.get(p.rkkId) : null;
      const from = `Voorstel van ${p.proposerName}${rkk ? ` (${rkk.name})` : ''}, ${d.formatMoment(p.createdAt)}`;
      return {
        spKey: p.id, ownColumnsOnly: false,
        fields: {
          Title: title(p.draft.text), [KEY]: p.id, Vraag: p.draft.text, Soort: KIND_LABEL[p.draft.kind], Opties: p.draft.options.join('\n'), Thema: p.draft.theme,
          Doelgroep: rkk?.name ?? '', Bron: SOURCE_CHOICES.proposal,
          Status: p.state === 'pending' ? `${from}: wacht op goedkeuring.` : `${from}: afgewezen door ${p.decidedByName ?? 'een moderator'}${p.decidedAt ? ` op ${d.formatMoment(p.decidedAt)}` : ''}. Reden: ${p.reason ?? ''}`,
        },
      };
    }
    case 'post': {
      const [questionId, rkkId] = keyParts(key) as [string, string];
      const p = await store.deliveries.get({ kind: 'question', questionId, rkkId });
      if (!p) return null;
      const rkk = await store.rkks.get(rkkId);
      const status = { pending: 'wacht', sending: 'bezig', sent: 'gepost', failed: 'mislukt' }[p.state];
      return {
        spKey: spKeyOf(key), ownColumnsOnly: false,
        fields: {
          Title: title(`${questionId} · ${rkk?.name ?? rkkId}`), [KEY]: spKeyOf(key), VraagId: questionId, RKK: rkk?.name ?? rkkId,
          Status: status, DraadId: p.conversationId ?? '', GepostOp: iso(p.sentAt), Fout: p.state === 'sent' ? null : p.lastError,
        },
      };
    }
  }
}

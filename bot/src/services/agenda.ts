import type { Store } from '../store';
import { isLink, type Moment } from '../domain/moment';
import { threadLink } from '../domain/teamsLinks';

/**
 * What the tab's events show of the agenda: V-ICT-OR's knowledge moments and the approved
 * questions for all regions. The endpoint is public, so it carries only what the announcements in
 * every channel show: never who planned a moment or who asked a question (names are personal data).
 */
export interface AgendaView {
  /** Starting now or later, soonest first. */
  upcoming: MomentItem[];
  /** Already started, the latest first (at most `PAST_MOMENTS`). */
  past: MomentItem[];
  /** Approved questions for all regions, the latest approved first (at most `ASKS`). */
  asks: AskItem[];
}

export interface MomentItem {
  id: string;
  title: string;
  startsAt: string;
  /** A place; null when the moment is online. */
  where: string | null;
  /** The https link when the moment is online. */
  link: string | null;
  description: string;
  theme: string | null;
  /**
   * A Teams link to its announcement in the viewing team's channel, where members reply before
   * and after (slides, a recording): null without a team, or when it was not announced there.
   */
  thread: string | null;
}

export interface AskItem {
  id: string;
  text: string;
  /** The RKK the asker asked from, when known (not from a personal chat). */
  rkkName: string | null;
  /** Replies in its thread in RKK Overkoepelend (deleted ones not counted). */
  replies: number;
  /** When it was asked in RKK Overkoepelend: approved (else asked). */
  askedAt: string;
  /** A Teams link to its thread in RKK Overkoepelend, once posted there. */
  thread: string | null;
}

export const UPCOMING_MOMENTS = 20;
export const PAST_MOMENTS = 10;
export const ASKS = 10;

const momentItem = (m: Moment, thread: string | null): MomentItem => {
  const online = isLink(m.where);
  return {
    id: m.id, title: m.title, startsAt: m.startsAt.toISOString(), where: online ? null : m.where.trim(), link: online ? m.where.trim() : null,
    description: m.description, theme: m.theme, thread,
  };
};

/**
 * The agenda as of `now`: knowledge moments on either side of it, and the latest questions for
 * all regions. `team` (the tab's team, as for the results): the moments' announcements there are linked.
 */
export async function agendaView(store: Store, now: Date, team: string | null = null): Promise<AgendaView> {
  const [upcoming, past, approved, all, rkk] = await Promise.all([
    store.moments.upcoming(now, UPCOMING_MOMENTS), store.moments.past(now, PAST_MOMENTS), store.asks.approved(ASKS),
    store.rkks.list(), team ? store.rkks.byTeam(team) : Promise.resolve(null),
  ]);
  const rkks = new Map(all.map((r) => [r.id, r]));
  /** The message a delivery sent in an RKK's channel (`only` that RKK's), as a Teams link. */
  const sentIn = async (kind: 'moment' | 'ask', id: string, only: string | null): Promise<string | null> => {
    const d = (await store.deliveries.forQuestion(id, kind)).find((x) => x.messageId && (!only || x.rkkId === only));
    const where = d ? rkks.get(d.rkkId) : undefined;
    return d && where ? threadLink(where, d.messageId!) : null;
  };
  const moments = async (list: Moment[]) => Promise.all(list.map(async (m) => momentItem(m, rkk ? await sentIn('moment', m.id, rkk.id) : null)));
  const asks: AskItem[] = [];
  for (const a of approved) {
    asks.push({
      id: a.id, text: a.text, rkkName: a.askerRkkId ? rkks.get(a.askerRkkId)?.name ?? null : null, replies: (await store.comments.forQuestion(a.id)).length,
      askedAt: (a.decidedAt ?? a.createdAt).toISOString(), thread: await sentIn('ask', a.id, null),
    });
  }
  return { upcoming: await moments(upcoming), past: await moments(past), asks };
}

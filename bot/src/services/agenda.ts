import type { Store } from '../store';
import { isLink, type Moment } from '../domain/moment';

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
}

export const UPCOMING_MOMENTS = 20;
export const PAST_MOMENTS = 10;
export const ASKS = 10;

const momentItem = (m: Moment): MomentItem => {
  const online = isLink(m.where);
  return {
    id: m.id, title: m.title, startsAt: m.startsAt.toISOString(), where: online ? null : m.where.trim(), link: online ? m.where.trim() : null,
    description: m.description, theme: m.theme,
  };
};

/** The agenda as of `now`: knowledge moments on either side of it, and the latest questions for all regions. */
export async function agendaView(store: Store, now: Date): Promise<AgendaView> {
  const [upcoming, past, approved] = await Promise.all([
    store.moments.upcoming(now, UPCOMING_MOMENTS), store.moments.past(now, PAST_MOMENTS), store.asks.approved(ASKS),
  ]);
  const rkkNames = new Map<string, string | null>();
  const rkkName = async (id: string | null): Promise<string | null> => {
    if (!id) return null;
    if (!rkkNames.has(id)) rkkNames.set(id, (await store.rkks.get(id))?.name ?? null);
    return rkkNames.get(id)!;
  };
  const asks: AskItem[] = [];
  for (const a of approved) {
    asks.push({
      id: a.id, text: a.text, rkkName: await rkkName(a.askerRkkId), replies: (await store.comments.forQuestion(a.id)).length,
      askedAt: (a.decidedAt ?? a.createdAt).toISOString(),
    });
  }
  return { upcoming: upcoming.map(momentItem), past: past.map(momentItem), asks };
}

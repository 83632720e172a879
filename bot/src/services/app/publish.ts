import { targetsRkk, type Question } from '../../domain/question';
import { audit, scopeOf, settle, type Caller } from './context';

/** `publiceer`, and its confirmation: what to post (this week's, or on purpose the next one) and the pick the moderator saw. */
export interface PublishInput { next?: boolean; confirm?: { questionId: string; week: string } }

export type PublishView =
  | { kind: 'noRkk' }
  /** Nothing for this week (its question already closed, or none at all); `next` is what could go out early. */
  | { kind: 'nothing'; next: { question: Question; week: string } | null }
  /** What will happen, for the moderator to confirm: nothing changed yet. */
  | { kind: 'confirm'; question: Question; week: string; next: boolean; rkkNames: string[] }
  /** The confirmed pick is no longer what would be posted (posted, closed or planned meanwhile). */
  | { kind: 'changed' }
  | { kind: 'posted'; question: Question; sent: number; failed: number; waiting: number };

/**
 * `publiceer`: posts this week's question now, in the moderator's RKK (everywhere for an
 * administrator). Nothing is posted until the moderator confirms what they were shown; when this
 * week has no question left, it says so and offers the next one, explicitly.
 */
export async function publish(c: Caller, input: PublishInput = {}): Promise<PublishView> {
  const { store, lookup, poster, scheduler } = c.app;
  const rkks = await store.rkks.list({ activeOnly: true });
  if (!rkks.length) return { kind: 'noRkk' };
  const next = input.next === true;
  const pick = await lookup.toPost(c.rkk, next ? 'next' : 'now');
  if (!input.confirm) {
    if (!pick) return { kind: 'nothing', next: next ? null : await lookup.toPost(c.rkk, 'next') };
    const scope = scopeOf(c);
    const rkkNames = rkks.filter((r) => (scope === null || r.id === scope) && targetsRkk(pick.question, r)).map((r) => r.name);
    return { kind: 'confirm', question: pick.question, week: pick.week, next, rkkNames };
  }
  if (!pick || pick.question.id !== input.confirm.questionId || pick.week !== input.confirm.week) return { kind: 'changed' };
  const q = await lookup.prepare(pick);
  if (!q) return { kind: 'changed' };
  await poster.enqueueNow(q, scopeOf(c));
  c.log.info({ questionId: q.id, week: pick.week, early: next, by: c.member.key }, 'posting the question now');
  await audit(c, 'publiceer', q.id, next ? `vroeger: week ${pick.week}` : null);
  await settle(scheduler.tick());
  const posts = await store.deliveries.forQuestion(q.id);
  const n = (...states: string[]) => posts.filter((p) => states.includes(p.state)).length;
  return { kind: 'posted', question: q, sent: n('sent'), failed: n('failed'), waiting: n('pending', 'sending') };
}

import type { Question } from '../../domain/question';
import { audit, scopeOf, settle, type Caller } from './context';

export type PublishView =
  | { kind: 'noRkk' }
  | { kind: 'nothing' }
  | { kind: 'posted'; question: Question; sent: number; failed: number; waiting: number };

/** `publiceer`: posts the current question now (in the moderator's RKK, or everywhere for an administrator). */
export async function publish(c: Caller): Promise<PublishView> {
  const { store, lookup, poster, scheduler } = c.app;
  if (!(await store.rkks.list({ activeOnly: true })).length) return { kind: 'noRkk' };
  const q = await lookup.nextToPost(c.rkk);
  if (!q) return { kind: 'nothing' };
  await poster.enqueueNow(q, scopeOf(c));
  c.log.info({ questionId: q.id, by: c.member.key }, 'posting the question now');
  await audit(c, 'publiceer', q.id);
  await settle(scheduler.tick());
  const posts = await store.deliveries.forQuestion(q.id);
  const n = (...states: string[]) => posts.filter((p) => states.includes(p.state)).length;
  return { kind: 'posted', question: q, sent: n('sent'), failed: n('failed'), waiting: n('pending', 'sending') };
}

import { targetsRkk, type Question } from '../../domain/question';
import { audit, scopeOf, settle, type Caller } from './context';

export type CloseView =
  | { kind: 'none' }
  | { kind: 'notOwn' }
  | { kind: 'closed'; question: Question; reached: number };

/** `sluit`: closes the current question and posts the results in every thread it has. */
export async function close(c: Caller): Promise<CloseView> {
  const { store, lookup, poster, scheduler, clock } = c.app;
  const q = await lookup.current(c.rkk);
  if (!q) return { kind: 'none' };
  // Closing ends the question everywhere: a moderator may only close one that runs in their RKK alone.
  const scope = scopeOf(c);
  if (scope && (q.targets === 'all' || (await store.rkks.list()).some((r) => r.id !== scope && targetsRkk(q, r)))) return { kind: 'notOwn' };
  await store.questions.close(q.id, clock.now());
  await poster.enqueueResults(q);
  c.log.info({ questionId: q.id, by: c.member.key }, 'question closed');
  await audit(c, 'sluit', q.id);
  await settle(scheduler.tick());
  return { kind: 'closed', question: q, reached: (await store.deliveries.forQuestion(q.id, 'results')).length };
}

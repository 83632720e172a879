import { targetsRkk, type Question } from '../../domain/question';
import { audit, scopeOf, settle, type Caller } from './context';

export type CloseView =
  | { kind: 'none' }
  | { kind: 'notOwn' }
  /** What will happen, for the moderator to confirm: nothing changed yet. */
  | { kind: 'confirm'; question: Question; rkkNames: string[] }
  /** The confirmed question is no longer the open one. */
  | { kind: 'changed' }
  | { kind: 'closed'; question: Question; reached: number };

/**
 * `sluit`: closes the current question and posts the results in every thread it has, once the
 * moderator confirmed the question they were shown (`confirm`: its id).
 */
export async function close(c: Caller, confirm: string | null = null): Promise<CloseView> {
  const { store, lookup, poster, scheduler, clock } = c.app;
  const q = await lookup.current(c.rkk);
  if (!q) return confirm ? { kind: 'changed' } : { kind: 'none' };
  // Closing ends the question everywhere: a moderator may only close one that runs in their RKK alone.
  const scope = scopeOf(c);
  const reached = (await store.rkks.list()).filter((r) => targetsRkk(q, r));
  if (scope && (q.targets === 'all' || reached.some((r) => r.id !== scope))) return { kind: 'notOwn' };
  if (!confirm) return { kind: 'confirm', question: q, rkkNames: reached.filter((r) => r.active).map((r) => r.name) };
  if (confirm !== q.id) return { kind: 'changed' };
  await store.questions.close(q.id, clock.now());
  await poster.enqueueResults(q);
  c.log.info({ questionId: q.id, by: c.member.key }, 'question closed');
  await audit(c, 'sluit', q.id);
  await settle(scheduler.tick());
  return { kind: 'closed', question: q, reached: (await store.deliveries.forQuestion(q.id, 'results')).length };
}

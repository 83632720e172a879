import type { ExplanationList } from '../domain/answer';
import type { Question } from '../domain/question';
import type { Store } from '../store';

/** How many explanations a results card shows (the rest are in the tab). */
export const RESULTS_EXPLANATIONS = 8;

/** The newest explanations in an RKK for colleagues to read: names only where the question is not anonymous. */
export async function explanationsFor(store: Store, q: Question, rkkId: string | null, limit: number): Promise<ExplanationList> {
  const e = await store.answers.explanations(q.id, rkkId, limit);
  return { total: e.total, items: e.items.map((i) => ({ name: q.anonymous ? null : i.name || null, text: i.text })) };
}

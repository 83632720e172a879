import type { Caller } from './context';
import { resultsView, type QuestionView } from './questionView';

/** `resultaten`: the results of the open question, else of the last one. */
export async function currentResults(c: Caller): Promise<Extract<QuestionView, { kind: 'results' }> | null> {
  const q = await c.app.lookup.currentOrLast(c.rkk);
  return q ? resultsView(c, q) : null;
}

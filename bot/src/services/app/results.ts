import { isOpen } from '../../domain/question';
import type { Caller } from './context';
import type { QuestionView } from './questionView';

/** `resultaten`: the results of the open question, else of the last one. */
export async function currentResults(c: Caller): Promise<Extract<QuestionView, { kind: 'results' }> | null> {
  const { lookup, answers, clock } = c.app;
  const q = await lookup.currentOrLast(c.rkk);
  if (!q) return null;
  const { tally, totalAcross } = await answers.tallies(q, c.rkk?.id ?? null);
  return { kind: 'results', question: q, tally, totalAcross, closed: !isOpen(q, clock.now()) };
}

import type { Caller } from './context';
import { formView, type QuestionView } from './questionView';

/** No open question: and when the next one goes out, if one is waiting. */
export interface NoQuestionView { kind: 'none'; nextPostAt: Date | null }

/** `vraag`: this week's open question for the member's RKK, prefilled with their answer. */
export async function currentQuestion(c: Caller): Promise<QuestionView | NoQuestionView> {
  const q = await c.app.lookup.current(c.rkk);
  return q ? formView(c, q) : { kind: 'none', nextPostAt: await c.app.lookup.nextPostAt(c.rkk) };
}

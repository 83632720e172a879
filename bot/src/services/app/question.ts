import type { Caller } from './context';
import { formView, type QuestionView } from './questionView';

/** `vraag`: this week's open question for the member's RKK, prefilled with their answer. */
export async function currentQuestion(c: Caller): Promise<QuestionView | null> {
  const q = await c.app.lookup.current(c.rkk);
  return q ? formView(c, q) : null;
}

import { isOpen } from '../../domain/question';
import type { Caller } from './context';
import { formView, memberView, type QuestionView } from './questionView';

/** "Wijzig antwoord": the form again, prefilled; the results when the question closed meanwhile. */
export async function editAnswer(c: Caller, questionId: string): Promise<QuestionView> {
  const q = await c.app.answers.question(questionId);
  if (!isOpen(q, c.app.clock.now())) return memberView(c, questionId);
  return formView(c, q);
}

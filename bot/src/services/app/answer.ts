import type { AnswerInput } from '../answers';
import type { Caller } from './context';
import { experienceOf, type QuestionView } from './questionView';

/** The answer button: the member's answer stored (once per member), and what they see next. */
export async function answer(c: Caller, input: AnswerInput & { questionId: string }): Promise<QuestionView> {
  const outcome = await c.app.answers.submit(input.questionId, c.rkk?.id ?? null, c.member, input);
  c.log.info({ questionId: outcome.question.id, revision: outcome.answer.revision }, outcome.replaced ? 'answer changed' : 'answer recorded');
  return { kind: 'answered', question: outcome.question, answer: outcome.answer, tally: outcome.tally, totalAcross: outcome.totalAcross, commentKept: outcome.commentKept, experience: await experienceOf(c.app, outcome.question, outcome.answer) };
}

import type { Caller } from './context';
import { memberView, type QuestionView } from './questionView';

/** A card's refresh: the member's own view of the question. */
export async function refresh(c: Caller, questionId: string): Promise<QuestionView> {
  return memberView(c, questionId);
}

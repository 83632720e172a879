import type { ExplanationList } from '../../domain/answer';
import { isOpen, type Question } from '../../domain/question';
import { explanationsFor } from '../explanations';
import type { Caller } from './context';

/** How many explanations the member's list shows (the card stays well under Teams' size limit). */
export const EXPLANATIONS_SHOWN = 25;

export type ExplanationsView =
  | { kind: 'explanations'; question: Question; list: ExplanationList; closed: boolean }
  | { kind: 'answerFirst'; question: Question };

/**
 * "Toelichtingen van collega's": what members of the same RKK wrote with their answers. While the
 * question is open only those who answered see them (no answering by copying); once closed, everyone.
 */
export async function explanations(c: Caller, questionId: string): Promise<ExplanationsView> {
  const { answers, clock, store } = c.app;
  const q = await answers.question(questionId);
  const closed = !isOpen(q, clock.now());
  if (!closed && !(await answers.current(q.id, c.member))) return { kind: 'answerFirst', question: q };
  return { kind: 'explanations', question: q, list: await explanationsFor(store, q, c.rkk?.id ?? null, EXPLANATIONS_SHOWN), closed };
}

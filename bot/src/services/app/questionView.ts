import type { Answer, ExplanationList, Tally } from '../../domain/answer';
import { RESULTS_EXPLANATIONS, explanationsFor } from '../explanations';
import { isOpen, type Question } from '../../domain/question';
import type { Caller } from './context';
import { proposerOf } from '../members';

/** What a member sees of one question: the form, their answer beside the tally, or the results. */
export type QuestionView =
  | { kind: 'form'; question: Question; count: number; current: Answer | null; proposedBy: { name: string; rkkName: string | null } | null }
  | { kind: 'answered'; question: Question; answer: Answer; tally: Tally; totalAcross: number; commentKept?: boolean }
  | { kind: 'results'; question: Question; tally: Tally; totalAcross: number; closed: boolean; explanations: ExplanationList | null };

/** The results of a question for an RKK: with its explanations once the question closed. */
export async function resultsView(c: Caller, q: Question): Promise<Extract<QuestionView, { kind: 'results' }>> {
  const { answers, clock, store } = c.app;
  const { tally, totalAcross } = await answers.tallies(q, c.rkk?.id ?? null);
  const closed = !isOpen(q, clock.now());
  return { kind: 'results', question: q, tally, totalAcross, closed, explanations: closed ? await explanationsFor(store, q, c.rkk?.id ?? null, RESULTS_EXPLANATIONS) : null };
}

/** The form, prefilled with the member's answer when they have one. */
export async function formView(c: Caller, q: Question): Promise<QuestionView> {
  const current = await c.app.answers.current(q.id, c.member);
  const count = await c.app.store.answers.count(q.id, c.rkk?.id ?? null);
  return { kind: 'form', question: q, count, current, proposedBy: await proposerOf(c.app.store, q) };
}

/** The member's view of a question: their answer and the tally, the form, or the results once closed. */
export async function memberView(c: Caller, questionId: string): Promise<QuestionView> {
  const { answers, clock } = c.app;
  const q = await answers.question(questionId);
  if (!isOpen(q, clock.now())) return resultsView(c, q);
  const { tally, totalAcross } = await answers.tallies(q, c.rkk?.id ?? null);
  const mine = await answers.current(q.id, c.member);
  if (mine) return { kind: 'answered', question: q, answer: mine, tally, totalAcross };
  return { kind: 'form', question: q, count: tally.respondents, current: null, proposedBy: await proposerOf(c.app.store, q) };
}

import type { Answer, ExplanationList, Tally } from '../../domain/answer';
import { RESULTS_EXPLANATIONS, explanationsFor } from '../explanations';
import { experienceOptions, isOpen, type Question } from '../../domain/question';
import type { AppContext, Caller } from './context';
import { proposerOf } from '../members';
import { MAX_CONTACTS, type ExperienceView } from '../../domain/experience';

/** What a member sees of one question: the form, their answer beside the tally, or the results. */
export type QuestionView =
  | { kind: 'form'; question: Question; count: number; current: Answer | null; proposedBy: { name: string; rkkName: string | null } | null }
  | { kind: 'answered'; question: Question; answer: Answer; tally: Tally; totalAcross: number; commentKept?: boolean; experience: ExperienceView | null }
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
  if (mine) return { kind: 'answered', question: q, answer: mine, tally, totalAcross, experience: await experienceOf(c.app, q, mine) };
  return { kind: 'form', question: q, count: tally.respondents, current: null, proposedBy: await proposerOf(c.app.store, q) };
}

/** What a member's answer card shows of colleagues who did it already; null on a question without such options. */
export async function experienceOf(app: AppContext, q: Question, mine: Answer): Promise<ExperienceView | null> {
  const ids = experienceOptions(q);
  if (ids.length === 0) return null;
  if (mine.choices.some((c) => ids.includes(c))) return { consent: mine.contact, colleagues: [] };
  const found = await app.store.answers.contacts(q.id, { options: ids, except: mine.member.key, rkkId: mine.rkkId, limit: MAX_CONTACTS });
  const rkkNames = new Map<string, string | null>();
  for (const a of found) if (a.rkkId && !rkkNames.has(a.rkkId)) rkkNames.set(a.rkkId, (await app.store.rkks.get(a.rkkId))?.name ?? null);
  return { consent: null, colleagues: found.map((a) => ({ name: a.member.name, rkkName: a.rkkId ? rkkNames.get(a.rkkId) ?? null : null, upn: a.contactUpn })) };
}

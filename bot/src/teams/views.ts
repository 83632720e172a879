import { answeredCard, questionCard, resultsCard, type Card } from '../cards/render';
import type { Lang } from '../messages';
import type { QuestionView } from '../services/app';

export interface RenderContext { lang: Lang; timeZone: string; rkkName: string | null }

/** A member's view of a question, as a card. */
export function questionViewCard(v: QuestionView, r: RenderContext): Card {
  switch (v.kind) {
    case 'form': return questionCard(v.question, { ...r, count: v.count, current: v.current, proposedBy: v.proposedBy });
    case 'answered': return answeredCard(v.question, v.answer, v.tally, { ...r, totalAcross: v.totalAcross, canChange: true, commentKept: v.commentKept === true, experience: v.experience });
    case 'results': return resultsCard(v.question, v.tally, { ...r, totalAcross: v.totalAcross, closed: v.closed, explanations: v.explanations });
  }
}

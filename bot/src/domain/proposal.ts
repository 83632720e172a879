import type { QuestionKind } from './question';
import type { PlanFormFacts, PlanInput, PlanProblem } from './plan';
import type { Theme } from './themes';
import { slugId } from './text';

/**
 * A question a member proposes for the weekly rhythm (`stel voor`): the RKK's moderators (or the
 * administrators, when the RKK has none) approve it (it joins the queue: of that RKK for a
 * moderator, of every RKK for an administrator), edit it, or reject it with a reason. The
 * proposer hears the outcome; an approved question names them unless they chose otherwise.
 */
export interface Proposal {
  id: string;
  /** The question as proposed (or as the approver edited it). */
  draft: ProposalDraft;
  proposerKey: string;
  proposerName: string;
  /** The proposer's Teams id (29:…), to reach them in a personal chat. */
  proposerTeamsId: string;
  /** The proposer's RKK: whose moderators decide, and where a moderator's approval places it. */
  rkkId: string | null;
  /** Whether the approved question's card names the proposer. */
  showName: boolean;
  state: 'pending' | 'approved' | 'rejected';
  reason: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  /** The question it became, once approved. */
  questionId: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

export interface ProposalDraft {
  text: string;
  kind: QuestionKind;
  /** Choice questions only; empty otherwise. */
  options: string[];
  theme: Theme;
  /** Scale questions only: what 1 and 5 mean. */
  scale: { low: string; high: string } | null;
}

/** "voorstel-<slug of the text>-<time><random>": two members proposing the same text at once get two. */
export function proposalId(text: string, now: Date, random: () => number = Math.random): string {
  return `voorstel-${slugId(text, now, 'vraag')}${Math.floor(random() * 36 ** 3).toString(36).padStart(3, '0')}`;
}

/** The `stel voor` form as the edge read it: the question's fields, and whether its card may name the proposer. */
export type ProposeInput = Pick<PlanInput, 'text' | 'kind' | 'options' | 'scaleLow' | 'scaleHigh' | 'theme'> & { showName: boolean };

export type ProposeView =
  | { kind: 'invalid'; problems: PlanProblem[]; facts: PlanFormFacts }
  /** No RKK to propose for: typed in a personal chat by a member who never answered in one. */
  | { kind: 'noRkk' }
  | { kind: 'sent'; proposal: Proposal; rkkName: string; approvers: 'moderators' | 'admins' };

/** A proposal as an approver sees it: with the proposer's RKK by name. */
export interface ProposalForDecision { proposal: Proposal; rkkName: string | null }

export type ProposalDecisionView =
  | { kind: 'pending'; item: ProposalForDecision; problems?: PlanProblem[] | [{ code: 'reason' }] }
  | { kind: 'decided'; item: ProposalForDecision; queuePosition: number | null }
  | { kind: 'notYours'; item: ProposalForDecision }
  | { kind: 'gone' };

export const PROPOSAL_LIMITS = { reasonMin: 5, reasonMax: 500 } as const;


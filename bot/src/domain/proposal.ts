import type { QuestionKind } from './question';
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

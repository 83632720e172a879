/**
 * A question one member asks all regions (`vraag aan alle regio's`): an administrator approves,
 * edits or rejects it; once approved it is a thread in RKK Overkoepelend, naming the asker and
 * their RKK. The asker is told when the first replies come, and once a day after that.
 */
export interface Ask {
  id: string;
  text: string;
  askerKey: string;
  askerName: string;
  /** The asker's Teams id (29:…), to reach them in a personal chat. */
  askerTeamsId: string;
  askerRkkId: string | null;
  state: 'pending' | 'approved' | 'rejected';
  reason: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  /** How many replies the asker has been told of, and when last. */
  toldReplies: number;
  toldAt: Date | null;
}

export const ASK_LIMITS = { textMin: 10, textMax: 1000, reasonMin: 5, reasonMax: 500 } as const;

export { noticeId } from './notice';
/** "ask-<base36 time><random>" */
export function askId(now: Date, random: () => number = Math.random): string {
  return `ask-${now.getTime().toString(36)}${Math.floor(random() * 36 ** 3).toString(36).padStart(3, '0')}`;
}

export type AskProblem = { code: 'length'; length: number };

export function askProblem(text: string): AskProblem | null {
  const n = text.trim().length;
  return n < ASK_LIMITS.textMin || n > ASK_LIMITS.textMax ? { code: 'length', length: n } : null;
}

/** When the asker hears of replies: at the first ones, then at most once a day with what came since. */
export const SUMMARY_EVERY_MS = 24 * 3_600_000;

/** Whether the asker is owed a message about replies now: new ones, and the first time or a day since the last. */
export function repliesDue(a: Pick<Ask, 'toldReplies' | 'toldAt' | 'state'>, replies: number, now: Date): boolean {
  if (a.state !== 'approved' || replies <= a.toldReplies) return false;
  return a.toldAt === null || now.getTime() - a.toldAt.getTime() >= SUMMARY_EVERY_MS;
}

/** What `vraag aan alle regio's` answers the member. */
export type AskView =
  | { kind: 'usage' }
  | { kind: 'invalid'; problem: AskProblem }
  | { kind: 'noHub' }
  | { kind: 'sent'; ask: Ask };

/** An ask as an administrator decides on it: with the asker's RKK by name. */
export interface AskForDecision { ask: Ask; rkkName: string | null }

/** What an administrator's decision answers (the approval card, updated). */
export type DecisionView =
  | { kind: 'pending'; item: AskForDecision; problem?: AskProblem | { code: 'reason' } }
  | { kind: 'decided'; item: AskForDecision }
  | { kind: 'gone' }
  | { kind: 'noHub' };

export type PendingAsksView = { items: AskForDecision[] };

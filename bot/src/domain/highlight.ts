import type { Question } from './question';

/** How many explanations an RKK may highlight for the other regions per question (the digest shows three). */
export const HIGHLIGHTS_PER_RKK = 3;

export interface HighlightItem { memberKey: string; name: string | null; text: string }

export type HighlightView =
  | { kind: 'noRkk' }
  | { kind: 'open' | 'none' | 'sent' | 'noDigest'; question: Question }
  /** The RKK's explanations to choose from, the ones chosen so far, and when the digest goes out. */
  | { kind: 'pick'; question: Question; items: HighlightItem[]; chosen: string[]; digestAt: Date; tooMany: boolean }
  | { kind: 'saved'; question: Question; count: number };

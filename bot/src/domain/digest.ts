import type { Tally } from './answer';

/**
 * One line of the digest: this RKK, another RKK, the RKKs under the privacy floor taken together,
 * or all of Flanders. `tally` is null when the group is under the floor (its count alone is shown).
 */
export interface DigestGroup {
  kind: 'own' | 'rkk' | 'others' | 'all';
  name: string | null;
  respondents: number;
  /** How many RKKs a folded group holds. */
  rkks: number;
  tally: Tally | null;
}

/** An explanation another RKK's moderator highlighted: its text, the RKK, and the name unless the question is anonymous. */
export interface DigestHighlight { rkkName: string; name: string | null; text: string }

export interface DigestView { groups: DigestGroup[]; reached: number; minGroupSize: number; highlights: DigestHighlight[] }

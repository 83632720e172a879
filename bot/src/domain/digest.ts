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

export interface DigestView { groups: DigestGroup[]; reached: number; minGroupSize: number }

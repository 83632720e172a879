/**
 * Colleagues who already did it: on a choice question, options can mean the member's organisation
 * did it already (QuestionOption.experience). Who chose one may let colleagues contact them; who
 * chose another sees them on their card.
 */

/** How many colleagues who did it already a member sees on their card. */
export const MAX_CONTACTS = 5;

/** A colleague who chose an option that means "we did it already" and may be contacted about it. */
export interface Colleague {
  name: string;
  rkkName: string | null;
  /** Their sign-in name, for a Teams chat link; null when Teams did not say (the card then names them only). */
  upn: string | null;
}

/**
 * "Collega's die het al doen" on a member's card: on a choice question with options that mean the
 * member's organisation did it already (never an anonymous one). Who chose such an option says
 * whether colleagues may contact them (`consent`); who chose another sees up to five who said yes.
 */
export interface ExperienceView {
  /** They chose such an option: whether colleagues may contact them; null when they chose another. */
  consent: boolean | null;
  /** They chose another option: colleagues who did it and may be contacted, their own RKK first. */
  colleagues: Colleague[];
}


import { MAX_COMMENT_LENGTH, MAX_OPEN_ANSWER_LENGTH } from '../domain/answer';
import { QUESTION_LIMITS as Q } from '../domain/questionSchema';
import { nl, type Limits, type Messages } from './nl';
import { en } from './en';

export type { Limits, Messages, HelpLine } from './nl';

import type { Lang } from '../domain/lang';

export { LANGS, isLang, type Lang } from '../domain/lang';

export const MESSAGES: Record<Lang, Messages> = { nl, en };

export function messages(lang: Lang): Messages {
  return MESSAGES[lang];
}

/** The limits the sentences name, from where they are enforced. */
export const LIMITS: Limits = {
  comment: MAX_COMMENT_LENGTH, answerText: MAX_OPEN_ANSWER_LENGTH, questionMin: Q.textMin, questionMax: Q.textMax,
  optionsMin: Q.optionsMin, optionsMax: Q.optionsMax, optionMax: Q.optionMax, scaleLabelMax: Q.scaleLabelMax,
};

/** Teams sends the member's locale ("nl-BE", "en-US"). */
export function langOfLocale(locale: string | undefined | null): Lang {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

/**
 * Which language a card or reply is in: one language per card, never a mix.
 * - What the member typed decides: "help" is answered in English, "hulp" in Dutch.
 * - Otherwise the language of the card they clicked, else their RKK's (Dutch unless set otherwise).
 * - The member's own client language only where the content exists in it (a question with an
 *   English text, for an English Teams client); never for the chrome around Dutch content.
 */
export function chooseLang(o: { typed?: Lang | null; card?: Lang | null; rkk?: Lang | null; locale?: string | null; contentIn?: readonly Lang[] }): Lang {
  if (o.typed) return o.typed;
  const base = o.card ?? o.rkk ?? 'nl';
  const client = o.locale ? langOfLocale(o.locale) : base;
  return client !== base && (o.contentIn ?? []).includes(client) ? client : base;
}

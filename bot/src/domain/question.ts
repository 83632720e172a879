import type { Theme } from './themes';
import type { QuestionInput } from './questionSchema';
import type { WeekSchedule } from './week';

export const QUESTION_KINDS = ['single', 'multiple', 'scale', 'open'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Kinds whose answer is picked from the question's own options. */
export const CHOICE_KINDS: readonly QuestionKind[] = ['single', 'multiple'];

export const SCALE_VALUES = ['1', '2', '3', '4', '5'] as const;

export interface QuestionOption {
  /** Stable id used in card data and stored answers ("1" … "10"). */
  id: string;
  label: string;
  /**
   * Choosing it means the member's organisation already did it ("We gebruiken de documentendienst
   * al"): they may let colleagues contact them, and members who chose another option see them.
   * Only on choice questions that are not anonymous; absent (never false) otherwise.
   */
  experience?: true;
}

/** Where a question comes from: the question file, `plan` in Teams, a SharePoint row, or a member's proposal (`stel voor`) once approved. */
export type QuestionSource = 'file' | 'command' | 'sharepoint' | 'proposal';

/** A question's text in another language than its own (Dutch): the options in the same order. */
export interface QuestionTranslation {
  text: string;
  options: string[];
  scaleLabels: { low: string; high: string } | null;
}
/** The languages a question can carry besides Dutch. */
export type TranslationLang = 'en';

export interface Question {
  id: string;
  text: string;
  kind: QuestionKind;
  options: QuestionOption[];
  /** Labels of the ends of a 1–5 scale. */
  scaleLabels: { low: string; high: string } | null;
  allowComment: boolean;
  /** Only a salted hash of each member is kept; names never reach SharePoint. */
  anonymous: boolean;
  theme: Theme;
  /** `'all'` or a list of RKK names / team ids. */
  targets: 'all' | string[];
  /** ISO week ("2026-W48") the question is scheduled for; null while it waits in the queue. */
  week: string | null;
  /** Order in the queue for questions without a week. */
  queueOrder: number;
  /** When the question goes out; null while queued. */
  publishAt: Date | null;
  closesAt: Date | null;
  closedAt: Date | null;
  source: QuestionSource;
  createdBy: string | null;
  /** The question in other languages (English, for members whose Teams is in English). */
  translations: Partial<Record<TranslationLang, QuestionTranslation>>;
}

/** The languages a question exists in: always Dutch, and those it was translated to. */
export function languagesOf(q: Question): ('nl' | TranslationLang)[] {
  return ['nl', ...(Object.keys(q.translations) as TranslationLang[])];
}

/** The question as shown in a language: its translation when it has one (same option ids), else itself. */
export function questionIn(q: Question, lang: 'nl' | TranslationLang): Question {
  const t = lang === 'nl' ? undefined : q.translations[lang];
  if (!t) return q;
  return {
    ...q, text: t.text,
    options: q.options.map((o, i) => ({ ...o, label: t.options[i] ?? o.label })),
    scaleLabels: t.scaleLabels ?? q.scaleLabels,
  };
}

export type QuestionState = 'queued' | 'scheduled' | 'open' | 'closed';

export function questionState(q: Question, now: Date): QuestionState {
  if (q.closedAt || (q.closesAt && q.closesAt.getTime() <= now.getTime())) return 'closed';
  if (!q.publishAt) return 'queued';
  return q.publishAt.getTime() <= now.getTime() ? 'open' : 'scheduled';
}

export function isOpen(q: Question, now: Date): boolean {
  return questionState(q, now) === 'open';
}

/** Options shown to a member for a question, whatever its kind. */
export function answerOptions(q: Question): QuestionOption[] {
  if (q.kind === 'scale') return SCALE_VALUES.map((v) => ({ id: v, label: v }));
  return q.options;
}

/** The options that mean "we did it already": colleagues can reach the members who chose them (see QuestionOption.experience). */
export function experienceOptions(q: Pick<Question, 'options' | 'anonymous'>): string[] {
  return q.anonymous ? [] : q.options.filter((o) => o.experience).map((o) => o.id);
}

/** A scale value as results show it: its ends say what they mean ("1 = helemaal niet", "5 = volledig"), the rest as they are. */
export function scaleValueLabel(value: string, scale: Question['scaleLabels']): string {
  if (!scale) return value;
  return value === SCALE_VALUES[0] ? `${value} = ${scale.low}` : value === SCALE_VALUES[SCALE_VALUES.length - 1] ? `${value} = ${scale.high}` : value;
}

/** Whether a question goes to an RKK: one for all RKKs skips RKK Overkoepelend, which gets only what names it. */
export function targetsRkk(q: Question, rkk: { teamId: string; name: string; overarching?: boolean }): boolean {
  if (q.targets === 'all') return rkk.overarching !== true;
  const name = rkk.name.trim().toLocaleLowerCase('nl-BE');
  return q.targets.some((t) => t === rkk.teamId || t.trim().toLocaleLowerCase('nl-BE') === name);
}

/** A question must close after it opens; null when it does, else the reason (Dutch, for moderators). */
export function placementProblem(q: Pick<Question, 'publishAt' | 'closesAt'>): string | null {
  if (q.publishAt && q.closesAt && q.closesAt.getTime() <= q.publishAt.getTime()) {
    return `de vraag sluit (${q.closesAt.toISOString()}) voor ze opent (${q.publishAt.toISOString()})`;
  }
  return null;
}

/** Turns validated author input into a question, placing it in its week when one is given. */
export function questionFromInput(
  input: QuestionInput,
  schedule: WeekSchedule,
  meta: { source: QuestionSource; createdBy: string | null; queueOrder: number },
): Question {
  const publishAt = input.week ? schedule.slotOf(input.week) : null;
  const closesAt = input.closesAt ? new Date(input.closesAt) : input.week ? schedule.defaultClosesAt(input.week) : null;
  return {
    id: input.id,
    text: input.text,
    kind: input.kind,
    options: (input.options ?? []).map((label, i) => ({ id: String(i + 1), label, ...(input.experience?.includes(i + 1) ? { experience: true as const } : {}) })),
    scaleLabels: input.scale ?? null,
    allowComment: input.comment,
    anonymous: input.anonymous,
    theme: input.theme,
    targets: input.targets,
    week: input.week ?? null,
    queueOrder: meta.queueOrder,
    publishAt,
    closesAt,
    closedAt: null,
    source: meta.source,
    createdBy: meta.createdBy,
    translations: input.en ? { en: { text: input.en.text, options: input.en.options ?? [], scaleLabels: input.en.scale ?? null } } : {},
  };
}

import type { Question } from './question';

/**
 * The `plan` form as the application sees it: its fields, what can be wrong with them (each under
 * its field), and the question as it would be planned.
 */

/** The plan form's fields, as the edge read them from the card. */
export interface PlanInput {
  text: string;
  kind: string;
  /** The option fields in order; empty fields are left out. */
  options: string[];
  /** The options (numbered from 1, as in `options`) that mean the member's organisation did it already; choice questions only. */
  experience?: number[];
  scaleLow: string;
  scaleHigh: string;
  theme: string;
  /** A day of the week the question goes out in ("2026-12-09"), from the date picker; empty: the end of the queue. */
  date: string;
  anonymous: boolean;
  comment: boolean;
  /** The id the preview gave the question: planning the same preview twice plans it once. */
  id?: string;
}

/** The form field a problem belongs to: the card shows it under that field. */
export type PlanField = 'text' | 'kind' | 'options' | 'experience' | 'scale' | 'theme' | 'date';

export type PlanProblem =
  /** `length`: of the text as typed (trimmed); 0 when there is none. */
  | { field: 'text'; code: 'length'; length: number }
  | { field: 'kind' | 'theme'; code: 'choose' }
  | { field: 'options'; code: 'count'; count: number }
  | { field: 'options'; code: 'duplicate'; option: string }
  | { field: 'options' | 'scale'; code: 'tooLong' }
  | { field: 'scale'; code: 'both' }
  /** Options meaning "we did it already": not on an anonymous question; not an empty field; not every option. */
  | { field: 'experience'; code: 'anonymous' | 'empty' | 'all' }
  | { field: 'date'; code: 'invalid' | 'past' };

/** What the empty form needs: the earliest day to pick, and a slot to say at what weekday and hour questions go out. */
export interface PlanFormFacts { today: string; sampleSlot: Date }

/** A week as its span, to show as dates. */
export interface WeekSpan { week: string; from: Date; to: Date }

/** The question as it would be planned: when it goes out (or its place in the queue) and for whom. */
export interface PlanDraft {
  question: Question;
  span: WeekSpan | null;
  /** Its week's slot has passed but the week is not over: the next pass posts it. */
  immediate: boolean;
  queuePosition: number | null;
  /** The RKK it is planned for; null: every RKK (an administrator plans for all). */
  forRkk: string | null;
}

export type PlanView =
  | { kind: 'invalid'; problems: PlanProblem[]; facts: PlanFormFacts }
  | { kind: 'duplicate'; facts: PlanFormFacts }
  | { kind: 'preview'; draft: PlanDraft }
  | { kind: 'planned'; draft: PlanDraft };

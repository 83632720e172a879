import { z } from 'zod';
import { zonedMoment } from './week';
import { slugId } from './text';

/**
 * A knowledge moment (kennismoment): a webinar or meeting V-ICT-OR organises for every RKK, often
 * about a theme that came back in several regions. Planned with the form on the recurring-themes
 * card, or written by staff as a row in the SharePoint list Kenniskring Agenda; announced once in
 * every RKK's channel and shown in the tab's events.
 */
export interface Moment {
  id: string;
  title: string;
  startsAt: Date;
  /** An online link (https) or a place ("Gemeentehuis Lier, zaal 2"). */
  where: string;
  description: string;
  /** The recurring theme it answers, when planned from the themes card. */
  theme: string | null;
  source: 'bot' | 'sharepoint';
  createdBy: string | null;
  createdByName: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const MOMENT_LIMITS = { titleMin: 5, titleMax: 120, whereMax: 300, descriptionMax: 1000 } as const;
const L = MOMENT_LIMITS;

/** The form's fields (and a SharePoint row's columns), as typed. */
export interface MomentInput {
  title: string;
  /** "2026-12-17" from the date picker. */
  date: string;
  /** "14:00" from the time picker. */
  time: string;
  where: string;
  description: string;
  theme: string;
  /** The id the form was shown with: saving the same form twice plans one moment. */
  id?: string;
}

export type MomentField = 'title' | 'when' | 'where' | 'description';

export type MomentProblem =
  | { field: 'title'; code: 'length'; length: number }
  | { field: 'when'; code: 'invalid' | 'past' }
  | { field: 'where'; code: 'missing' | 'tooLong' | 'link' }
  | { field: 'description'; code: 'tooLong' };

export const MOMENT_ID_RE = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;

/** Whether a place is an online link (shown as a button) rather than an address. */
export function isLink(where: string): boolean {
  return /^https?:\/\//i.test(where.trim());
}

const linkSchema = z.url({ protocol: /^https$/ });

/**
 * The form as a moment, or what is wrong with it, field by field. The date and time are in the
 * schedule's time zone; a moment must lie in the future. An online link must be https.
 */
export function momentFrom(input: MomentInput, o: { timeZone: string; now: Date; id: string }):
  { moment: Pick<Moment, 'id' | 'title' | 'startsAt' | 'where' | 'description' | 'theme'> } | { problems: MomentProblem[] } {
  const title = input.title.trim();
  const where = input.where.trim();
  const description = input.description.trim();
  const problems: MomentProblem[] = [];
  if (title.length < L.titleMin || title.length > L.titleMax) problems.push({ field: 'title', code: 'length', length: title.length });
  const startsAt = zonedMoment(input.date.trim(), input.time.trim(), o.timeZone);
  if (!startsAt) problems.push({ field: 'when', code: 'invalid' });
  else if (startsAt <= o.now) problems.push({ field: 'when', code: 'past' });
  if (!where) problems.push({ field: 'where', code: 'missing' });
  else if (where.length > L.whereMax) problems.push({ field: 'where', code: 'tooLong' });
  else if (isLink(where) && !linkSchema.safeParse(where).success) problems.push({ field: 'where', code: 'link' });
  if (description.length > L.descriptionMax) problems.push({ field: 'description', code: 'tooLong' });
  if (problems.length || !startsAt) return { problems };
  return { moment: { id: o.id, title, startsAt, where, description, theme: input.theme.trim().slice(0, 80) || null } };
}

/** An id from the title and the moment: "webinar-magda-documentendienst-k3x9". */
export function momentId(title: string, now: Date): string {
  return `km-${slugId(title, now, 'moment')}`;
}

export type MomentView =
  | { kind: 'form'; values: MomentInput; problems: MomentProblem[]; today: string }
  | { kind: 'planned'; moment: Moment; rkks: number; again: boolean };

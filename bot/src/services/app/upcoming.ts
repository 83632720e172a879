import type { Question, QuestionState } from '../../domain/question';
import type { Caller } from './context';

/** How many questions one card of `vragen` lists; the next page is a button away. */
export const UPCOMING_PAGE = 8;

export interface UpcomingEntry {
  question: Question;
  state: QuestionState;
  /** The week it goes out in: its own, or (queued) the free week it will take if nothing changes. */
  week: string | null;
  /** The week's Monday and Sunday, to show as dates. */
  from: Date | null;
  to: Date | null;
  queuePosition: number | null;
}

/** `thisYear`: the year it is now in the schedule's zone (a week in another year says which). */
export interface UpcomingView { entries: UpcomingEntry[]; page: number; pages: number; total: number; remaining: number; thisYear: number }

/** `vragen`: the open question, the scheduled ones and the queue, in the order they go out, a page at a time. */
export async function upcoming(c: Caller, page = 1): Promise<UpcomingView> {
  const { lookup, schedule, clock } = c.app;
  const all = await lookup.upcoming();
  let position = 0;
  const entries = all.map(({ question, state, week }): UpcomingEntry => {
    const span = week ? schedule.spanOf(week) : null;
    return { question, state, week, from: span?.from ?? null, to: span?.to ?? null, queuePosition: state === 'queued' ? ++position : null };
  });
  const pages = Math.max(1, Math.ceil(entries.length / UPCOMING_PAGE));
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const shown = entries.slice((p - 1) * UPCOMING_PAGE, p * UPCOMING_PAGE);
  const thisYear = Number(new Intl.DateTimeFormat('en', { timeZone: schedule.timeZone, year: 'numeric' }).format(clock.now()));
  return { entries: shown, page: p, pages, total: entries.length, remaining: entries.length - (p - 1) * UPCOMING_PAGE - shown.length, thisYear };
}

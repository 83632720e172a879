import { Cron } from 'croner';

/**
 * Week and slot maths in the association's time zone (Europe/Brussels by default).
 * An ISO week ("2026-W48") has one publish slot, the first run of the configured
 * cron pattern in that week (default Monday 09:00). Croner does the calendar and DST work.
 */

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

export function isIsoWeek(s: string): boolean {
  const m = WEEK_RE.exec(s);
  if (!m) return false;
  const week = Number(m[2]);
  return week >= 1 && week <= isoWeeksInYear(Number(m[1]));
}

function isoWeeksInYear(year: number): number {
  // A year has 53 ISO weeks when Dec 28 falls in week 53.
  return isoWeekOfYmd(year, 12, 28).week;
}

function isoWeekOfYmd(year: number, month: number, day: number): { year: number; week: number } {
  const d = new Date(Date.UTC(year, month - 1, day));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // Thursday of this week decides the year
  const isoYear = d.getUTCFullYear();
  const yearStart = Date.UTC(isoYear, 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return { year: isoYear, week };
}

export function formatIsoWeek(year: number, week: number): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

interface LocalParts { year: number; month: number; day: number; hour: number; minute: number; second: number }

function localParts(date: Date, timeZone: string): LocalParts {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(date);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The ISO week a moment falls in, in the given time zone. */
export function isoWeekOf(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  const w = isoWeekOfYmd(p.year, p.month, p.day);
  return formatIsoWeek(w.year, w.week);
}

/** The ISO week of a calendar day ("2026-12-09" → "2026-W50"); null when it is not a real day. */
export function isoWeekOfDay(day: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  const w = isoWeekOfYmd(y, mo, d);
  return formatIsoWeek(w.year, w.week);
}

/** A moment's calendar day in a time zone, as a date input writes it ("2026-12-09"). */
export function dayOf(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** A moment's time of day in a time zone, as a time input writes it ("14:30"). */
export function timeOf(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** The instant of local midnight starting the Monday of an ISO week. */
export function weekStart(week: string, timeZone: string): Date {
  const m = WEEK_RE.exec(week);
  if (!m || !isIsoWeek(week)) throw new RangeError(`not an ISO week: ${week}`);
  const year = Number(m[1]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() || 7) - 1) * 86_400_000 + (Number(m[2]) - 1) * 7 * 86_400_000);
  return zonedMidnight(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone);
}

function zonedMidnight(year: number, month: number, day: number, timeZone: string): Date {
  return zonedInstant(year, month, day, 0, 0, timeZone);
}

function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(instant), timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    instant = guess - (asUtc - instant);
  }
  return new Date(instant);
}

/**
 * A day and a time of day as a date and a time input write them ("2026-12-09", "14:30"), as the
 * instant in a time zone; null when either is not a real day or time.
 */
export function zonedMoment(day: string, time: string, timeZone: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const t = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(time);
  if (!d || !t || !isoWeekOfDay(day)) return null;
  const [hour, minute] = [Number(t[1]), Number(t[2])];
  if (hour > 23 || minute > 59) return null;
  return zonedInstant(Number(d[1]), Number(d[2]), Number(d[3]), hour, minute, timeZone);
}

export function addWeeks(week: string, n: number, timeZone: string): string {
  // Noon on Wednesday keeps us clear of DST edges.
  const mid = weekStart(week, timeZone).getTime() + 2.5 * 86_400_000;
  return isoWeekOf(new Date(mid + n * 7 * 86_400_000), timeZone);
}

/** The weekly publish schedule: a cron pattern in a time zone. */
export class WeekSchedule {
  private readonly cron: Cron;

  constructor(readonly pattern: string, readonly timeZone: string) {
    this.cron = new Cron(pattern, { timezone: timeZone });
    // Every week must have its own slot, or questions could never go out (checked over a year).
    let week = isoWeekOf(new Date(), timeZone);
    for (let i = 0; i < 54; i++, week = addWeeks(week, 1, timeZone)) {
      if (isoWeekOf(this.slotOf(week), timeZone) !== week) {
        throw new RangeError(`schedule "${pattern}" has no slot in week ${week}: it must run at least once every week`);
      }
    }
  }

  /** The publish slot of an ISO week. */
  slotOf(week: string): Date {
    const start = weekStart(week, this.timeZone);
    const next = this.cron.nextRun(new Date(start.getTime() - 1000));
    if (!next) throw new RangeError(`schedule "${this.pattern}" has no next run`);
    return next;
  }

  /** The first slot strictly after a moment. */
  nextSlotAfter(date: Date): Date {
    const next = this.cron.nextRun(date);
    if (!next) throw new RangeError(`schedule "${this.pattern}" has no next run`);
    return next;
  }

  /** Default closing time: one minute before the slot of the following week. */
  defaultClosesAt(week: string): Date {
    return new Date(this.slotOf(addWeeks(week, 1, this.timeZone)).getTime() - 60_000);
  }

  weekOf(date: Date): string {
    return isoWeekOf(date, this.timeZone);
  }

  /** Monday 00:00 of a week, in the schedule's time zone (to show a week as its dates). */
  mondayOf(week: string): Date {
    return weekStart(week, this.timeZone);
  }

  /** A week's first and last moment: Monday 00:00 and the moment before the next Monday (whatever the clocks do that week). */
  spanOf(week: string): { week: string; from: Date; to: Date } {
    return { week, from: this.mondayOf(week), to: new Date(this.mondayOf(this.weekAfter(week)).getTime() - 1) };
  }

  /** The week after a week. */
  weekAfter(week: string): string {
    return addWeeks(week, 1, this.timeZone);
  }
}

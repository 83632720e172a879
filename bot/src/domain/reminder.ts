import { dayOf, timeOf, zonedMoment } from './week';
import type { Member } from './answer';

/**
 * A member who asked to be reminded (`herinner mij`): one personal message before a question of
 * their RKK closes, while they have not answered it. Switching reminders off removes the setting.
 */
export interface ReminderSetting {
  member: Member;
  /** The RKK whose questions they are reminded of. */
  rkkId: string;
  createdAt: Date;
  updatedAt: Date;
  /** The last reminder Teams would not take (no personal chat could be made), with the reason. */
  lastError: string | null;
  failedAt: Date | null;
}

/**
 * When the reminder for a question closing at `closesAt` is due: `hours` before, counted on the
 * clock of the schedule's time zone — 24 hours before a close on Monday at 08:59 is Sunday at 08:59,
 * also in a week the clocks change (whole days are calendar days, the rest is hours).
 */
export function reminderAt(closesAt: Date, hours: number, timeZone: string): Date {
  const days = Math.floor(hours / 24);
  const rest = hours - days * 24;
  const day = new Date(`${dayOf(closesAt, timeZone)}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() - days);
  const sameTime = zonedMoment(day.toISOString().slice(0, 10), timeOf(closesAt, timeZone), timeZone) ?? new Date(closesAt.getTime() - days * 86_400_000);
  return new Date(sameTime.getTime() - rest * 3_600_000);
}

/** Whether a question gets reminders at all: it was out before the reminder moment (one posted later is news enough). */
export function remindsFor(q: { publishAt: Date | null; closesAt: Date | null; closedAt: Date | null }, hours: number, timeZone: string): Date | null {
  if (!q.publishAt || !q.closesAt || q.closedAt || hours <= 0) return null;
  const at = reminderAt(q.closesAt, hours, timeZone);
  return q.publishAt < at ? at : null;
}

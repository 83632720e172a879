import assert from 'node:assert/strict';
import { WeekSchedule, addWeeks, isIsoWeek, isoWeekOf, weekStart } from '../../bot/src/domain/week';

const BRUSSELS = 'Europe/Brussels';

/** How a member in that time zone reads the moment, e.g. "Mon 09:00". */
function localClock(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(date)
    .replace(',', '');
}

describe('week: ISO weeks', () => {
  it('knows which weeks exist (2026 has a week 53, 2025 does not) and how they are written', () => {
    assert.equal(isIsoWeek('2026-W01'), true);
    assert.equal(isIsoWeek('2026-W53'), true);
    assert.equal(isIsoWeek('2025-W52'), true);
    assert.equal(isIsoWeek('2025-W53'), false);
    assert.equal(isIsoWeek('2026-W54'), false);
    for (const s of ['2026-W00', '2026W10', '2026-W1', '2026-w10', '26-W10', '2026-W100', '', ' 2026-W10']) {
      assert.equal(isIsoWeek(s), false, s);
    }
  });

  it('starts a week at local midnight on its Monday, also when that Monday is in the previous calendar year', () => {
    assert.equal(weekStart('2025-W01', BRUSSELS).toISOString(), '2024-12-29T23:00:00.000Z'); // Mon 30 Dec 2024, 00:00 CET
    assert.equal(weekStart('2026-W53', BRUSSELS).toISOString(), '2026-12-27T23:00:00.000Z'); // Mon 28 Dec 2026
    assert.equal(weekStart('2027-W01', BRUSSELS).toISOString(), '2027-01-03T23:00:00.000Z'); // Mon 4 Jan 2027
    assert.equal(weekStart('2026-W14', BRUSSELS).toISOString(), '2026-03-29T22:00:00.000Z'); // Mon 30 Mar, 00:00 CEST
  });

  it('refuses to compute the start of a week that does not exist', () => {
    assert.throws(() => weekStart('2025-W53', BRUSSELS), RangeError);
    assert.throws(() => weekStart('2026W10', BRUSSELS), RangeError);
  });

  it('puts the days around new year in the right ISO week', () => {
    assert.equal(isoWeekOf(new Date('2024-12-30T12:00:00Z'), BRUSSELS), '2025-W01');
    assert.equal(isoWeekOf(new Date('2027-01-01T12:00:00Z'), BRUSSELS), '2026-W53');
    assert.equal(isoWeekOf(new Date('2027-01-03T12:00:00Z'), BRUSSELS), '2026-W53');
    assert.equal(isoWeekOf(new Date('2027-01-04T12:00:00Z'), BRUSSELS), '2027-W01');
  });

  it('decides the week by the local date, not the UTC date', () => {
    // Sunday 29 March 2026 22:30 UTC is already Monday 00:30 in Brussels.
    const moment = new Date('2026-03-29T22:30:00Z');
    assert.equal(isoWeekOf(moment, BRUSSELS), '2026-W14');
    assert.equal(isoWeekOf(moment, 'UTC'), '2026-W13');
  });

  it('counts weeks across the year end and across a clock change', () => {
    assert.equal(addWeeks('2026-W52', 1, BRUSSELS), '2026-W53');
    assert.equal(addWeeks('2026-W53', 1, BRUSSELS), '2027-W01');
    assert.equal(addWeeks('2027-W01', -1, BRUSSELS), '2026-W53');
    assert.equal(addWeeks('2026-W13', 1, BRUSSELS), '2026-W14');
    assert.equal(addWeeks('2026-W43', 1, BRUSSELS), '2026-W44');
    assert.equal(addWeeks('2025-W10', 52, BRUSSELS), '2026-W10');
  });
});

describe('week: the default publish schedule (Monday 09:00, Brussels)', () => {
  const schedule = new WeekSchedule('0 9 * * 1', BRUSSELS);

  it('posts on Monday 09:00 Brussels time: 08:00 UTC in winter, 07:00 UTC in summer', () => {
    const winter = schedule.slotOf('2026-W03');
    assert.equal(winter.toISOString(), '2026-01-12T08:00:00.000Z');
    assert.equal(localClock(winter, BRUSSELS), 'Mon 09:00');
    const summer = schedule.slotOf('2026-W27');
    assert.equal(summer.toISOString(), '2026-06-29T07:00:00.000Z');
    assert.equal(localClock(summer, BRUSSELS), 'Mon 09:00');
  });

  it('keeps 09:00 local around the spring clock change of Sunday 29 March 2026', () => {
    assert.equal(schedule.slotOf('2026-W13').toISOString(), '2026-03-23T08:00:00.000Z');
    assert.equal(schedule.slotOf('2026-W14').toISOString(), '2026-03-30T07:00:00.000Z');
  });

  it('keeps 09:00 local around the autumn clock change of Sunday 25 October 2026', () => {
    assert.equal(schedule.slotOf('2026-W43').toISOString(), '2026-10-19T07:00:00.000Z');
    assert.equal(schedule.slotOf('2026-W44').toISOString(), '2026-10-26T08:00:00.000Z');
  });

  it('keeps 09:00 local around both clock changes of 2027 (28 March, 31 October)', () => {
    assert.equal(schedule.slotOf('2027-W12').toISOString(), '2027-03-22T08:00:00.000Z');
    assert.equal(schedule.slotOf('2027-W13').toISOString(), '2027-03-29T07:00:00.000Z');
    assert.equal(schedule.slotOf('2027-W43').toISOString(), '2027-10-25T07:00:00.000Z');
    assert.equal(schedule.slotOf('2027-W44').toISOString(), '2027-11-01T08:00:00.000Z');
  });

  it('gives every week of 2026 and 2027 a Monday 09:00 slot inside that same week', () => {
    for (const year of [2026, 2027]) {
      const weeks = year === 2026 ? 53 : 52;
      for (let w = 1; w <= weeks; w++) {
        const week = `${year}-W${String(w).padStart(2, '0')}`;
        const slot = schedule.slotOf(week);
        assert.equal(schedule.weekOf(slot), week, `slot of ${week} is ${slot.toISOString()}`);
        assert.equal(localClock(slot, BRUSSELS), 'Mon 09:00', week);
      }
    }
  });

  it('closes a question one minute before next week\'s slot', () => {
    assert.equal(schedule.defaultClosesAt('2026-W20').toISOString(), '2026-05-18T06:59:00.000Z');
    assert.equal(schedule.defaultClosesAt('2026-W20').getTime(), schedule.slotOf('2026-W21').getTime() - 60_000);
    // Week 53 closes just before the first slot of the next year.
    assert.equal(schedule.defaultClosesAt('2026-W53').toISOString(), '2027-01-04T07:59:00.000Z');
  });

  it('closes at Monday 08:59 local also when the clocks change during the week', () => {
    const spring = schedule.defaultClosesAt('2026-W13');
    assert.equal(spring.toISOString(), '2026-03-30T06:59:00.000Z');
    assert.equal(localClock(spring, BRUSSELS), 'Mon 08:59');
    const autumn = schedule.defaultClosesAt('2026-W43');
    assert.equal(autumn.toISOString(), '2026-10-26T07:59:00.000Z');
    assert.equal(localClock(autumn, BRUSSELS), 'Mon 08:59');
  });

  it('finds the next slot strictly after a moment', () => {
    assert.equal(schedule.nextSlotAfter(new Date('2026-03-27T10:00:00Z')).toISOString(), '2026-03-30T07:00:00.000Z');
    // Exactly at a slot, the next one is a week later.
    assert.equal(schedule.nextSlotAfter(new Date('2026-03-30T07:00:00Z')).toISOString(), '2026-04-06T07:00:00.000Z');
  });
});

describe('week: other schedules', () => {
  it('refuses a schedule that does not run every week, saying it must run every week', () => {
    assert.throws(() => new WeekSchedule('0 9 1 1 *', BRUSSELS), (err: unknown) => {
      assert.ok(err instanceof RangeError);
      assert.match(err.message, /0 9 1 1 \*/);
      assert.match(err.message, /every week/);
      return true;
    });
  });

  it('refuses a schedule that skips a whole month, whatever month the bot is started in', () => {
    // E.g. an administrator who wants no post during one holiday month. Pick a month half a
    // year away from today so the outcome does not depend on the day the test runs.
    const skipped = ((new Date().getMonth() + 6) % 12) + 1;
    const months = Array.from({ length: 12 }, (_, i) => i + 1).filter((m) => m !== skipped).join(',');
    const pattern = `0 9 * ${months} 1`;
    assert.throws(() => new WeekSchedule(pattern, BRUSSELS), /every week/,
      `"${pattern}" has no slot in the weeks of month ${skipped} but was accepted`);
  });

  it('follows another time zone and weekday: Tuesday 08:00 in London', () => {
    const london = new WeekSchedule('0 8 * * 2', 'Europe/London');
    assert.equal(london.slotOf('2026-W13').toISOString(), '2026-03-24T08:00:00.000Z'); // GMT
    assert.equal(london.slotOf('2026-W14').toISOString(), '2026-03-31T07:00:00.000Z'); // BST
    assert.equal(localClock(london.slotOf('2026-W44'), 'Europe/London'), 'Tue 08:00');
    assert.equal(london.defaultClosesAt('2026-W13').toISOString(), '2026-03-31T06:59:00.000Z');
    assert.equal(london.weekOf(new Date('2026-03-29T23:30:00Z')), '2026-W14'); // Monday 00:30 BST
  });
});

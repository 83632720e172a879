import assert from 'node:assert/strict';
import { reminderAt, remindsFor } from '../../bot/src/domain/reminder';

const TZ = 'Europe/Brussels';

describe('the reminder moment', () => {
  it('is whole days earlier on the local clock, also across the change to winter or summer time', () => {
    // Closes Monday 26 October 2026 at 8.59 (winter time); the clocks went back on Sunday at 3.00.
    assert.equal(reminderAt(new Date('2026-10-26T07:59:00Z'), 24, TZ).toISOString(), '2026-10-25T07:59:00.000Z', 'Sunday 8.59 (winter time)');
    assert.equal(reminderAt(new Date('2026-10-26T07:59:00Z'), 48, TZ).toISOString(), '2026-10-24T06:59:00.000Z', 'Saturday 8.59 (summer time)');
    // Closes Monday 30 March 2026 at 8.59 (summer time); the clocks went forward on Sunday at 2.00.
    assert.equal(reminderAt(new Date('2026-03-30T06:59:00Z'), 48, TZ).toISOString(), '2026-03-28T07:59:00.000Z', 'Saturday 8.59 (winter time)');
  });

  it('counts the hours that are not whole days as hours', () => {
    assert.equal(reminderAt(new Date('2026-12-07T07:59:00Z'), 30, TZ).toISOString(), '2026-12-06T01:59:00.000Z', 'a day and six hours before: Sunday 2.59');
    assert.equal(reminderAt(new Date('2026-12-07T07:59:00Z'), 2, TZ).toISOString(), '2026-12-07T05:59:00.000Z');
  });

  it('is none for a question that went out after it, has no close, is closed, or when reminders are off', () => {
    const closesAt = new Date('2026-12-07T07:59:00Z');
    assert.equal(remindsFor({ publishAt: new Date('2026-11-30T08:00:00Z'), closesAt, closedAt: null }, 24, TZ)?.toISOString(), '2026-12-06T07:59:00.000Z');
    assert.equal(remindsFor({ publishAt: new Date('2026-12-06T12:00:00Z'), closesAt, closedAt: null }, 24, TZ), null, 'posted after the moment');
    assert.equal(remindsFor({ publishAt: new Date('2026-11-30T08:00:00Z'), closesAt: null, closedAt: null }, 24, TZ), null);
    assert.equal(remindsFor({ publishAt: new Date('2026-11-30T08:00:00Z'), closesAt, closedAt: closesAt }, 24, TZ), null);
    assert.equal(remindsFor({ publishAt: new Date('2026-11-30T08:00:00Z'), closesAt, closedAt: null }, 0, TZ), null);
  });
});

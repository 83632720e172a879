import assert from 'node:assert/strict';
import { parseRetryAfter, retryDelay, type BackoffPolicy } from '../../bot/src/services/backoff';

const POLICY: BackoffPolicy = { baseMs: 2_000, maxMs: 60_000, maxAttempts: 10 };
const never = () => 0;
const always = () => 0.999_999;

describe('backoff: how long to wait before posting again', () => {
  it('doubles the wait with each attempt, half of it fixed and half random', () => {
    // attempt n waits between base·2^(n-1)/2 and base·2^(n-1)
    assert.equal(retryDelay(1, POLICY, null, never), 1_000);
    assert.equal(retryDelay(1, POLICY, null, () => 0.5), 1_500);
    assert.equal(retryDelay(2, POLICY, null, never), 2_000);
    assert.equal(retryDelay(3, POLICY, null, never), 4_000);
    const top = retryDelay(3, POLICY, null, always);
    assert.ok(top > 7_990 && top < 8_000, String(top));
  });

  it('never waits longer than the cap, however many attempts', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const d = retryDelay(attempt, POLICY, null, always);
      assert.ok(d <= POLICY.maxMs, `attempt ${attempt} waits ${d} ms`);
    }
    assert.equal(retryDelay(40, POLICY, null, never), POLICY.maxMs / 2);
  });

  it('never retries sooner than the Retry-After the server asked for', () => {
    assert.equal(retryDelay(1, POLICY, 30_000, never), 30_000);
    const jittered = retryDelay(1, POLICY, 30_000, always);
    assert.ok(jittered >= 30_000 && jittered < 31_000, String(jittered));
  });

});

describe('backoff: reading the Retry-After header', () => {
  const now = new Date('2026-03-30T07:00:00Z');

  it('reads a number of seconds', () => {
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('0', now), 0);
  });

  it('reads an HTTP date as the time left until then, and a past date as no wait', () => {
    assert.equal(parseRetryAfter('Mon, 30 Mar 2026 07:01:30 GMT', now), 90_000);
    assert.equal(parseRetryAfter('Mon, 30 Mar 2026 06:00:00 GMT', now), 0);
  });

  it('has nothing to say without a header', () => {
    assert.equal(parseRetryAfter(null, now), null);
    assert.equal(parseRetryAfter(undefined, now), null);
    assert.equal(parseRetryAfter('', now), null);
  });

  it('ignores garbage', () => {
    for (const v of ['soon', 'n/a', '5 seconds', 'tomorrow']) assert.equal(parseRetryAfter(v, now), null, v);
  });

  it('ignores garbage that merely looks like a number or a date', () => {
    // RFC 9110: Retry-After is an HTTP-date or a whole number of seconds. Reading these as
    // "retry now" would skip the exponential backoff and burn the post's attempts in seconds.
    const values = ['-1', '1,5', 'later 2026', 'Retry 5'];
    assert.deepEqual(values.map((v) => [v, parseRetryAfter(v, now)]), values.map((v) => [v, null]));
  });
});

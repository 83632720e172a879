export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}

/** Default for channel posts: 2 s doubling to 15 min, about two hours of tries in all. */
export const POST_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 15 * 60_000, maxAttempts: 14 };

/**
 * Delay before the next try: exponential with "equal jitter" (half fixed, half random),
 * and never sooner than the server's Retry-After.
 */
export function retryDelay(attempt: number, policy: BackoffPolicy, retryAfterMs: number | null, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  // The server said when: wait that long, plus a little jitter so many clients don't return at once.
  if (retryAfterMs !== null) return retryAfterMs + random() * Math.min(1000, policy.baseMs);
  return jittered;
}

/** HTTP-date in the preferred IMF-fixdate form, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". */
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Parses an HTTP Retry-After header: delay-seconds or an HTTP-date; anything else is ignored (null). */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!IMF_FIXDATE.test(v)) return null;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

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

/** Parses an HTTP Retry-After header: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

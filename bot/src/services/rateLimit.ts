import type { Clock } from './ports';

/**
 * A sliding-window limit per key (a member): at most `limit` events per `windowMs`. Kept in
 * memory on purpose: it protects the bot from a burst, and forgetting it on restart loses nothing.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly clock: Clock) {}

  /** Records an event; false (and nothing recorded) when the key is over its limit. */
  allow(key: string): boolean {
    const now = this.clock.now().getTime();
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(now);
    return true;
  }

  private prune(now: number): void {
    for (const [k, times] of this.hits) if (!times.some((t) => t > now - this.windowMs)) this.hits.delete(k);
  }
}

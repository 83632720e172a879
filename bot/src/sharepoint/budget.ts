import type { Clock } from '../services/ports';

/**
 * SharePoint's throttling counts resource units (RU) per app per minute: a single-item read costs 1,
 * a multi-item read, create, update or delete 2. This bucket refills at the configured budget per
 * minute and holds little more than one batch, so the sync runs steadily just under the limit
 * instead of bursting into 429s.
 */
export class ResourceBudget {
  private tokens: number;
  private at: number;
  readonly capacity: number;

  constructor(readonly perMinute: number, private readonly clock: Clock, capacity = 40) {
    this.capacity = Math.min(capacity, perMinute);
    this.tokens = this.capacity;
    this.at = clock.now().getTime();
  }

  private refill(): void {
    const now = this.clock.now().getTime();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 60_000) * this.perMinute);
    this.at = now;
  }

  /** Milliseconds to wait before `cost` units may be spent (0: now). */
  waitFor(cost: number): number {
    this.refill();
    const need = Math.min(cost, this.capacity) - this.tokens;
    return need <= 0 ? 0 : Math.ceil((need / this.perMinute) * 60_000);
  }

  spend(cost: number): void {
    this.refill();
    this.tokens -= cost;
  }
}

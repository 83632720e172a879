import type { Clock, Timers } from './ports';

/**
 * Keeps the bot's own calls to Teams under the per-app limit (a sliding window), so posting to
 * many channels runs at the limit instead of running into 429s and Retry-After pauses.
 */
export class SendPacer {
  private readonly sent: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  private limit: number;

  constructor(private readonly appLimit: number, private readonly windowMs: number, private readonly clock: Clock, private readonly timers: Timers) {
    this.limit = appLimit;
  }

  /** Several instances share the app's limit: each keeps to its part (at least one call per window). */
  shareWith(instances: number): void {
    this.limit = Math.max(1, Math.floor(this.appLimit / Math.max(1, instances)));
  }

  get perWindow(): number { return this.limit; }

  /** Resolves when one more call fits in the window; calls are let through in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.wait());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = this.clock.now().getTime();
      while (this.sent.length && this.sent[0]! <= now - this.windowMs) this.sent.shift();
      if (this.sent.length < this.limit) {
        this.sent.push(now);
        return;
      }
      const until = this.sent[0]! + this.windowMs - now;
      await new Promise<void>((resolve) => this.timers.setTimeout(resolve, Math.max(1, until)));
    }
  }
}

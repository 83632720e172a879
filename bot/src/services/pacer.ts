import type { Clock, Timers } from './ports';

/**
 * Keeps the bot's own calls to Teams under the per-app limit (a sliding window), so posting to
 * many channels runs at the limit instead of running into 429s and Retry-After pauses.
 */
export class SendPacer {
  private readonly sent: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly clock: Clock, private readonly timers: Timers) {}

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

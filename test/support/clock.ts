import type { Clock, Timers } from '../../bot/src/services/ports';

/** A clock and timers that move only when the test says so. */
export class FakeTime implements Clock, Timers {
  private t: number;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  constructor(start: Date | string) { this.t = new Date(start).getTime(); }

  now(): Date { return new Date(this.t); }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void { this.pending.delete(handle as number); }

  /** Moves time forward to `to`, firing due timers in order (each sees its own moment as now). */
  advanceTo(to: Date | string): void {
    const target = new Date(to).getTime();
    if (target < this.t) throw new Error('time does not go backwards');
    for (;;) {
      const next = [...this.pending.entries()].filter(([, p]) => p.at <= target).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.pending.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = target;
  }

  advanceBy(ms: number): void { this.advanceTo(new Date(this.t + ms)); }
}

/** Moves injected time in steps (letting real I/O run between them) until `done`, or fails after `realTimeoutMs` of real time naming `what`. */
export async function drive(time: FakeTime, done: () => boolean | Promise<boolean>, what: string, stepMs = 1_000, realTimeoutMs = 60_000): Promise<void> {
  const end = Date.now() + realTimeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    time.advanceBy(stepMs);
    await new Promise((r) => setTimeout(r, 2));
  }
}

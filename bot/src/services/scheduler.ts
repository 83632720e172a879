import type { Logger } from '../log';
import type { Store } from '../store';
import type { WeekSchedule } from '../domain/week';
import type { Poster } from './poster';
import type { Clock, Instances, Timers } from './ports';

/** Longest sleep: a wall-clock jump or a suspended machine is noticed within a minute. */
const MAX_SLEEP_MS = 60_000;

/**
 * The weekly loop. Each tick closes what is due (results go to the thread), places and posts
 * what is due, and retries deliveries whose time has come. It then sleeps until the next slot,
 * closing time or retry — never longer than a minute. All state is in the store, so a restart
 * simply runs a tick: that is the catch-up after downtime.
 */
export class Scheduler {
  private timer: unknown = null;
  private stopped = true;
  private ticking: Promise<void> | null = null;
  private followUp: Promise<void> | null = null;

  constructor(private readonly d: {
    store: Store; poster: Poster; schedule: WeekSchedule; clock: Clock; timers: Timers; log: Logger; retentionMonths?: number | null;
    /**
     * Longest sleep between passes (default a minute). With a store shared by several instances,
     * work another instance records (a `publiceer`) is picked up within this time.
     */
    maxSleepMs?: number;
    /** Checked before each pass: false when this instance may not run the background work (its lead has lapsed). */
    mayRun?: () => Promise<boolean>;
    /** A delivery another live instance is sending is left to it (default: none other is alive). */
    instances?: Instances;
  }) {}

  async start(): Promise<void> {
    this.stopped = false;
    void this.tick();
  }

  /**
   * Runs a pass now (also used by admin commands). A request during a pass gets one follow-up
   * pass after it, so work recorded meanwhile (e.g. "post now") is never left for the next wake.
   */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve(); // another instance leads, or this one is stopping: the work is in the store
    if (!this.ticking) {
      this.ticking = this.pass().finally(() => { this.ticking = null; this.arm(); });
      // pass() logs its own failures and never rejects; arm() handles its own too.
      return this.ticking;
    }
    if (!this.followUp) {
      this.followUp = this.ticking.then(() => { this.followUp = null; return this.tick(); });
    }
    return this.followUp;
  }

  private async pass(): Promise<void> {
    const { store, poster, clock, log } = this.d;
    if (this.d.mayRun && !(await this.d.mayRun())) return;
    const now = clock.now(); // one moment per pass: what is due is decided against the time the pass began
    try {
      for (const q of await store.questions.dueToClose(now)) {
        if (await store.questions.close(q.id, now)) {
          log.info({ questionId: q.id }, 'question closed at its closing time');
          await poster.enqueueResults(q);
        }
      }
      await poster.enqueueDue();
      await this.applyRetention(now);
      await this.recoverInterrupted(now);
      await poster.deliverDue();
    } catch (err) {
      log.error({ err }, 'scheduler pass failed; next pass retries');
    }
  }

  /** Posts that a process which is gone was sending go back in line (each pass: an instance's heartbeat may stop at any time). */
  private async recoverInterrupted(now: Date): Promise<void> {
    for (const i of await this.d.store.deliveries.recoverInterrupted(now, this.d.instances?.alive() ?? [])) {
      this.d.log.warn({ questionId: i.questionId, rkkId: i.rkkId, delivery: i.kind, sender: i.claimedBy },
        'a post was interrupted by a stop; it is sent again (Teams gives no way to check whether the interrupted one arrived)');
    }
  }

  /** Removes answers, comments, questions for all regions and proposed questions older than the retention period (SharePoint follows through the outbox). */
  private async applyRetention(now: Date): Promise<void> {
    const months = this.d.retentionMonths;
    if (!months) return;
    const before = new Date(now);
    before.setUTCMonth(before.getUTCMonth() - months);
    const answers = await this.d.store.answers.deleteWhere({ before }, now);
    const comments = await this.d.store.comments.deleteWhere({ before }, now);
    const asks = await this.d.store.asks.deleteWhere({ before }, now);
    const proposals = await this.d.store.proposals.deleteWhere({ before }, now);
    if (answers || comments || asks || proposals) this.d.log.info({ answers, comments, asks, proposals, months }, 'retention: old answers, comments, questions for all regions and proposals removed');
  }

  /** Sets the timer for the next pass; if the store cannot say when a retry is due, it wakes within a minute anyway. */
  private arm(): void {
    if (this.stopped) return;
    this.d.store.deliveries.nextDueAt().then((retryAt) => this.armAt(retryAt), (err: unknown) => {
      this.d.log.error({ err }, 'could not read the next retry time; waking within a minute');
      this.armAt(null);
    });
  }

  private armAt(retryAt: Date | null): void {
    if (this.stopped) return;
    const { clock, timers, schedule } = this.d;
    const now = clock.now().getTime();
    const candidates = [now + (this.d.maxSleepMs ?? MAX_SLEEP_MS), schedule.nextSlotAfter(clock.now()).getTime()];
    if (retryAt) candidates.push(retryAt.getTime());
    const wake = Math.max(now + 50, Math.min(...candidates));
    if (this.timer) timers.clearTimeout(this.timer);
    this.timer = timers.setTimeout(() => { this.timer = null; void this.tick(); }, wake - now);
  }

  /** Stops sleeping and waits for a pass in progress (shutdown drains in-flight posts). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.d.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.followUp;
    await this.ticking;
  }
}

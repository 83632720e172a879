import type { Logger } from '../log';
import type { Store } from '../store';
import { MAX_REFRESH_USERS, questionCard } from '../cards/render';
import { messages } from '../messages';
import type { ChannelSender, Clock, Timers } from './ports';
import { isOpen } from '../domain/question';
import { proposerOf } from './members';

/** The leader looks for cards showing an old count at least this often (answers taken by other instances). */
const MIN_SWEEP_MS = 1000;

/**
 * Keeps the answer count on the shared card current without flooding the thread:
 * answers within one window cause one update (Teams allows a handful per thread per second).
 * Only the leading instance updates cards. An answer taken by another instance is in the store's
 * tally already; the leader's sweep finds the card that shows an older count.
 */
export class CountUpdater {
  private readonly pending = new Map<string, { questionId: string; rkkId: string; timer: unknown }>();
  private readonly inFlight = new Set<Promise<void>>();
  private leading = false;
  private sweepTimer: unknown = null;
  private sweeping: Promise<void> | null = null;

  constructor(private readonly d: {
    store: Store; sender: ChannelSender; timers: Timers; clock: Clock; log: Logger; delayMs: number; timeZone: string;
    /** Checked before each update: false when this instance's lead has lapsed. */
    mayRun?: () => Promise<boolean>;
  }) {}

  /** This instance leads: update cards for answers it takes, and sweep for the others'. */
  lead(): void {
    if (this.leading) return;
    this.leading = true;
    this.armSweep(0);
  }

  /** Another instance leads: pending updates are left to it (the tally is in the store). */
  async follow(): Promise<void> {
    this.leading = false;
    if (this.sweepTimer) this.d.timers.clearTimeout(this.sweepTimer);
    this.sweepTimer = null;
    for (const entry of this.pending.values()) this.d.timers.clearTimeout(entry.timer);
    this.pending.clear();
    await this.sweeping;
    await Promise.allSettled([...this.inFlight]);
  }

  private armSweep(ms: number): void {
    if (!this.leading) return;
    this.sweepTimer = this.d.timers.setTimeout(() => {
      this.sweepTimer = null;
      this.sweeping = this.sweep().finally(() => { this.sweeping = null; this.armSweep(Math.max(MIN_SWEEP_MS, this.d.delayMs)); });
    }, ms);
  }

  /** Finds cards whose count differs from the tally (answers taken anywhere) and updates them. */
  private async sweep(): Promise<void> {
    try {
      for (const k of await this.d.store.deliveries.staleCounts(this.d.clock.now())) this.touch(k.questionId, k.rkkId);
    } catch (err) {
      this.d.log.warn({ err: (err as Error).message }, 'could not look for cards to update; trying again');
    }
  }

  touch(questionId: string, rkkId: string): void {
    if (!this.leading) return; // the leader's sweep sees this answer in the tally
    const key = `${questionId}\u0000${rkkId}`;
    if (this.pending.has(key)) return;
    const timer = this.d.timers.setTimeout(() => this.fire(key), this.d.delayMs);
    this.pending.set(key, { questionId, rkkId, timer });
  }

  private fire(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.pending.delete(key);
    const p = this.update(entry.questionId, entry.rkkId)
      .catch((err: unknown) => this.d.log.error({ err, questionId: entry.questionId }, 'answer count update failed'))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async update(questionId: string, rkkId: string): Promise<void> {
    const { store, sender, log } = this.d;
    if (this.d.mayRun && !(await this.d.mayRun())) return;
    const key = { kind: 'question' as const, questionId, rkkId };
    const post = await store.deliveries.get(key);
    const q = await store.questions.get(questionId);
    const rkk = await store.rkks.get(rkkId);
    if (!post || post.state !== 'sent' || !post.conversationId || !post.messageId || !q || !rkk) return;
    if (!isOpen(q, this.d.clock.now())) return; // the closing results replace the card
    const count = await store.answers.count(questionId, rkkId);
    if (count === post.shownCount) return;
    try {
      // Teams refreshes the shared card by itself only in channels of up to 60 members; beyond that
      // it must be told whom to refresh: the latest answerers, so each keeps seeing their own answer.
      const refreshUserIds = q.anonymous ? [] : await store.answers.recentMembers(questionId, rkkId, MAX_REFRESH_USERS);
      const card = questionCard(q, { lang: rkk.lang, timeZone: this.d.timeZone, rkkName: rkk.name, count, refreshUserIds, proposedBy: await proposerOf(store, q) });
      await sender.updateMessage(rkk, post.conversationId, post.messageId, card, `${messages(rkk.lang).card.title}: ${q.text}`);
      await store.deliveries.setShownCount(key, count);
    } catch (err) {
      // The count is a convenience; the next answer (or the retry below) brings it up to date.
      log.warn({ questionId, rkkId, err: (err as Error).message }, 'could not update the answer count on the card');
      this.touch(questionId, rkkId);
    }
  }

  /** Sends every pending update now (shutdown). */
  async flush(): Promise<void> {
    for (const [key, entry] of [...this.pending]) {
      this.d.timers.clearTimeout(entry.timer);
      this.fire(key);
    }
    await Promise.allSettled([...this.inFlight]);
    for (const entry of this.pending.values()) this.d.timers.clearTimeout(entry.timer);
    this.pending.clear();
  }
}

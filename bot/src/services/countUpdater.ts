import type { Logger } from '../log';
import type { Store } from '../store';
import { questionCard } from '../cards/render';
import { STRINGS } from '../cards/strings';
import type { ChannelSender, Clock, Timers } from './ports';
import { isOpen } from '../domain/question';

/**
 * Keeps the answer count on the shared card current without flooding the thread:
 * answers within one window cause one update (Teams allows a handful per thread per second).
 */
export class CountUpdater {
  private readonly pending = new Map<string, { questionId: string; rkkId: string; timer: unknown }>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly d: {
    store: Store; sender: ChannelSender; timers: Timers; clock: Clock; log: Logger; delayMs: number; timeZone: string;
  }) {}

  touch(questionId: string, rkkId: string): void {
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
    const key = { kind: 'question' as const, questionId, rkkId };
    const post = await store.deliveries.get(key);
    const q = await store.questions.get(questionId);
    const rkk = await store.rkks.get(rkkId);
    if (!post || post.state !== 'sent' || !post.conversationId || !post.messageId || !q || !rkk) return;
    if (!isOpen(q, this.d.clock.now())) return; // the closing results replace the card
    const count = await store.answers.count(questionId, rkkId);
    if (count === post.shownCount) return;
    try {
      const card = questionCard(q, { lang: 'nl', timeZone: this.d.timeZone, rkkName: rkk.name, count });
      await sender.updateMessage(rkk, post.conversationId, post.messageId, card, `${STRINGS.nl.title}: ${q.text}`);
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

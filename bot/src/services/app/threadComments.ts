import type { Member } from '../../domain/answer';
import type { AppContext } from './context';
import { SUMMARY_EVERY_MS } from '../../domain/ask';
import { dayOf } from '../../domain/week';

/** Largest comment we keep; Teams allows longer messages, SharePoint's multi-line text is the limit later. */
export const MAX_COMMENT = 10_000;

export interface ThreadMessage {
  rootId: string;
  messageId: string;
  conversationId: string;
  teamId: string | null;
  author: Member;
  text: string;
}

export type ThreadOutcome = { kind: 'notOurs' } | { kind: 'stored' | 'duplicate'; questionId: string; rkkId: string };

/** Journey 4: replies in a question's thread are comments on that question; edits and deletions follow them. */
export class ThreadComments {
  constructor(private readonly app: AppContext) {}

  async reply(m: ThreadMessage): Promise<ThreadOutcome> {
    const { store, clock } = this.app;
    const post = await store.deliveries.byRootMessage(m.rootId);
    if (!post || post.rkkId !== m.teamId || m.rootId === m.messageId) return { kind: 'notOurs' }; // not one of our questions' threads
    const text = m.text.slice(0, MAX_COMMENT);
    if (!text) return { kind: 'notOurs' };
    const stored = await store.comments.add({
      messageId: m.messageId,
      conversationId: m.conversationId,
      questionId: post.questionId,
      rkkId: post.rkkId,
      authorKey: m.author.key,
      authorName: m.author.name,
      text,
      createdAt: clock.now(), // when we received it: a client's timestamp may be skewed or forged
    });
    if (stored && post.kind === 'ask') await this.oweAsker(post.questionId, m.author.key);
    return { kind: stored ? 'stored' : 'duplicate', questionId: post.questionId, rkkId: post.rkkId };
  }

  /**
   * A reply to a question for all regions: the asker hears of the first replies at once, and after
   * that at most once a day, of what came since (one message owed per day, whatever the replies).
   */
  private async oweAsker(askId: string, authorKey: string): Promise<void> {
    const { store, clock, schedule } = this.app;
    const ask = await store.asks.get(askId);
    if (!ask || ask.state !== 'approved' || authorKey === ask.askerKey) return;
    const now = clock.now();
    const dueAt = ask.toldAt ? new Date(Math.max(now.getTime(), ask.toldAt.getTime() + SUMMARY_EVERY_MS)) : now;
    await store.asks.owesReplies(ask.id, ask.askerKey, dayOf(dueAt, schedule.timeZone), dueAt, now);
    await store.outbox.record('ask', ask.id, now); // SharePoint counts the replies
    if (dueAt <= now) void this.app.scheduler.tick();
  }

  async edited(conversationId: string, messageId: string, text: string): Promise<boolean> {
    const clipped = text.slice(0, MAX_COMMENT);
    return clipped !== '' && this.app.store.comments.edit(conversationId, messageId, clipped, this.app.clock.now());
  }

  /** Restored in Teams after a deletion: shown again (with the text Teams sent, when it sent one). */
  async restored(conversationId: string, messageId: string, text: string): Promise<boolean> {
    const clipped = text.slice(0, MAX_COMMENT);
    return this.app.store.comments.restore(conversationId, messageId, clipped || null, this.app.clock.now());
  }

  async deleted(conversationId: string, messageId: string): Promise<boolean> {
    return this.app.store.comments.markDeleted(conversationId, messageId, this.app.clock.now());
  }
}

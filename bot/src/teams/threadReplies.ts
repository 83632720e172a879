import type { Activity } from 'botbuilder';
import type { Route, Turn } from './router';
import { channelData, isFromBot, isPersonal, memberOf, mentionsBot, plainText, teamId, threadRootId } from './activity';

/** Largest comment we keep; Teams allows longer messages, SharePoint's multi-line text is the limit later. */
const MAX_COMMENT = 10_000;

const inThread = (a: Activity) => !isPersonal(a) && teamId(a) !== null && threadRootId(a) !== null;

/**
 * Journey 4: replies in a question's thread are comments on that question (resource-specific
 * consent delivers them without an @mention). Anything else in the channel is none of our business.
 */
export const threadReplyRoute: Route = {
  name: 'thread-reply',
  select: (a: Activity) => a.type === 'message' && !isFromBot(a) && !a.value && !mentionsBot(a) && inThread(a),
  async handle(turn) {
    await storeThreadComment(turn);
  },
};

/** Stores a message as a comment when it sits in one of our questions' threads; false otherwise. */
export async function storeThreadComment({ ctx, deps, log }: Turn): Promise<boolean> {
  const a = ctx.activity;
  if (!inThread(a)) return false;
  const root = threadRootId(a)!;
  const post = await deps.store.deliveries.byRootMessage(root);
  if (!post || post.rkkId !== teamId(a) || !a.id || root === a.id) return false; // not one of our questions' threads
  const text = plainText(a, { stripBotMention: false }).slice(0, MAX_COMMENT);
  if (!text) return false;
  const author = memberOf(a);
  const stored = await deps.store.comments.add({
    messageId: a.id,
    conversationId: a.conversation.id,
    questionId: post.questionId,
    rkkId: post.rkkId,
    authorKey: author.key,
    authorName: author.name,
    text,
    createdAt: deps.clock.now(), // when we received it: a client's timestamp may be skewed or forged
  });
  log.info({ questionId: post.questionId, rkkId: post.rkkId, stored }, stored ? 'thread reply stored as comment' : 'thread reply already stored');
  return true;
}

/** Teams tells us about edits (messageUpdate/editMessage) and deletions (messageDelete/softDeleteMessage). */
export const threadEditRoute: Route = {
  name: 'thread-edit',
  select: (a: Activity) => (a.type === 'messageUpdate' || a.type === 'messageDelete') && !isFromBot(a),
  async handle({ ctx, deps, log }) {
    const a = ctx.activity;
    if (!a.id) return;
    const event = channelData(a).eventType;
    const now = deps.clock.now();
    if (a.type === 'messageDelete' || event === 'softDeleteMessage') {
      if (await deps.store.comments.markDeleted(a.conversation.id, a.id, now)) log.info('comment marked deleted');
      return;
    }
    const text = plainText(a, { stripBotMention: false }).slice(0, MAX_COMMENT);
    if (text && await deps.store.comments.edit(a.conversation.id, a.id, text, now)) log.info('comment edited');
  },
};

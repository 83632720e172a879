import type { Activity } from 'botbuilder';
import type { Route, Turn } from './router';
import { channelData, isFromBot, isPersonal, memberOf, mentionsBot, plainText, teamId, threadRootId } from './activity';

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
  if (!inThread(a) || !a.id) return false;
  const outcome = await deps.services.threads.reply({
    rootId: threadRootId(a)!, messageId: a.id, conversationId: a.conversation.id, teamId: teamId(a),
    author: memberOf(a), text: plainText(a),
  });
  if (outcome.kind === 'notOurs') return false;
  log.info({ questionId: outcome.questionId, rkkId: outcome.rkkId, stored: outcome.kind === 'stored' }, outcome.kind === 'stored' ? 'thread reply stored as comment' : 'thread reply already stored');
  return true;
}

/** Teams tells us about edits (messageUpdate/editMessage), deletions (messageDelete/softDeleteMessage) and restores (messageUpdate/undeleteMessage). */
export const threadEditRoute: Route = {
  name: 'thread-edit',
  select: (a: Activity) => (a.type === 'messageUpdate' || a.type === 'messageDelete') && !isFromBot(a),
  async handle({ ctx, deps, log }) {
    const a = ctx.activity;
    if (!a.id) return;
    const { threads } = deps.services;
    const event = channelData(a).eventType;
    if (a.type === 'messageDelete' || event === 'softDeleteMessage') {
      if (await threads.deleted(a.conversation.id, a.id)) log.info('comment marked deleted');
      return;
    }
    if (event === 'undeleteMessage') {
      if (await threads.restored(a.conversation.id, a.id, plainText(a))) log.info('comment restored');
      return;
    }
    if (await threads.edited(a.conversation.id, a.id, plainText(a))) log.info('comment edited');
  },
};

import { TurnContext, type Activity } from 'botbuilder';
import type { Route, Turn } from './router';
import { channelData, channelIdOf, isPersonal, memberOf, teamId } from './activity';
import { infoCard } from '../cards/render';
import { messages } from '../messages';
import { postCard, replyCard } from './reply';

const botAdded = (a: Activity) =>
  (a.type === 'installationUpdate' && (a.action === 'add' || a.action === 'add-upgrade')) ||
  (a.type === 'conversationUpdate' && (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id));

const botRemoved = (a: Activity) =>
  (a.type === 'installationUpdate' && (a.action === 'remove' || a.action === 'remove-upgrade')) ||
  (a.type === 'conversationUpdate' && ((a.membersRemoved ?? []).some((m) => m.id === a.recipient?.id) || channelData(a).eventType === 'teamDeleted'));

/** Journey 1: the app is added to a team (or a personal chat). Register, greet once. */
export const installRoute: Route = {
  name: 'install',
  select: botAdded,
  async handle({ ctx, deps, log }: Turn) {
    const a = ctx.activity;
    const { installations } = deps.services;
    const ref = TurnContext.getConversationReference(a) as unknown as Record<string, unknown>;
    if (isPersonal(a)) {
      const first = await installations.personalChat(memberOf(a), ref);
      // Dutch first, whatever the client's language: the greeting says how to get English.
      const t = messages('nl');
      if (first) await replyCard(ctx, infoCard({ title: t.welcomeTitle, lines: [...t.personalWelcomeLines], footer: t.personalWelcomeFooter }), t.welcomeTitle);
      return;
    }
    const team = teamId(a);
    const channelId = channelIdOf(a);
    if (!team || !channelId) {
      log.info('added to a group chat: nothing to register');
      return;
    }
    const cd = channelData(a);
    // The channel reference, without a thread: new posts start new threads there.
    const { name: _eventName, ...conversation } = (ref.conversation ?? {}) as Record<string, unknown>;
    const channelRef = { ...ref, conversation: { ...conversation, id: channelId }, activityId: undefined };
    const { rkk, greet } = await installations.teamAdded({
      teamId: team,
      name: cd.team?.name?.trim() || team,
      aadGroupId: cd.team?.aadGroupId ?? null,
      channelId,
      tenantId: cd.tenant?.id ?? a.conversation?.tenantId ?? null,
      serviceUrl: a.serviceUrl,
      conversationRef: channelRef,
    });
    log.info({ rkkId: rkk.id }, 'team registered as RKK');
    if (!greet) return; // greeted before: re-install, upgrade, restart
    try {
      // In the RKK's language (Dutch for a new one): the greeting is for everyone in the channel.
      const t = messages(rkk.lang);
      // Where the weekly posts will go: the channel picked at install, not the install event's conversation (often General).
      await postCard(ctx, infoCard({ title: t.welcomeTitle, lines: t.welcomeLines(rkk.name), footer: t.welcomeFooter }), t.welcomeTitle, rkk.channelId);
      await installations.greeted(rkk.id, true);
    } catch (err) {
      await installations.greeted(rkk.id, false);
      throw err;
    }
  },
};

/** The app is removed: the RKK goes inactive, its questions, answers and comments stay. */
export const uninstallRoute: Route = {
  name: 'uninstall',
  select: botRemoved,
  async handle({ ctx, deps, log }: Turn) {
    const team = teamId(ctx.activity);
    if (team && await deps.services.installations.teamRemoved(team)) log.info({ rkkId: team }, 'RKK deactivated (app removed); data kept');
  },
};

import type { Activity } from 'botbuilder';
import type { FakeConnector } from '../fakes/connector';
import { cardAction, mentionCommand, type Person, type Team } from './teams';

interface CardAction { type?: string; verb?: string; data?: Record<string, unknown> }
type Send = (activity: Partial<Activity>) => Promise<{ status: number; body?: unknown }>;

/** The confirm button (kk.publish / kk.close with the question it names) on a card the bot sent. */
export function confirmButton(activity: { attachments?: unknown } | undefined): CardAction | null {
  const card = (activity?.attachments as { content?: { actions?: CardAction[] } }[] | undefined)?.[0]?.content;
  return card?.actions?.find((a) => (a.verb === 'kk.publish' || a.verb === 'kk.close') && typeof a.data?.questionId === 'string') ?? null;
}

/**
 * A command that asks for confirmation (`publiceer`, `sluit`), as a moderator does it: the command
 * by @mention, then "Bevestigen" on the card the bot answers with. Without a confirm button in the
 * answer (a refusal, nothing to post) the command's own response is returned.
 */
export async function confirmed(send: Send, connector: FakeConnector, team: Team, by: Person, command: string,
  o: { conversationId?: string; serviceUrl?: string } = {}): Promise<{ status: number; body?: unknown }> {
  const conversationId = o.conversationId ?? team.id;
  const serviceUrl = o.serviceUrl ?? connector.url;
  const before = connector.conversation(team.id).length;
  const res = await send(mentionCommand(serviceUrl, team, by, command, conversationId));
  const button = connector.conversation(team.id).slice(before).map(confirmButton).find((b) => b !== null);
  if (!button) return res;
  return send(cardAction(serviceUrl, team, conversationId, by, { action: { type: 'Action.Execute', verb: button.verb, data: button.data } }));
}

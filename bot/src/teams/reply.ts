import { ActivityTypes, CardFactory, MessageFactory, TurnContext, type Activity, type InvokeResponse } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Card } from '../cards/render';

export async function replyCard(ctx: TurnContext, card: Card, summary: string): Promise<void> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = summary.slice(0, 200);
  await ctx.sendActivity(activity);
}

/**
 * Posts a card as a new message in a channel of the turn's team (default: the turn's
 * conversation) rather than as a reply to the incoming activity: a new thread there (the
 * greeting on install, in the channel the weekly posts go to).
 */
export async function postCard(ctx: TurnContext, card: Card, summary: string, channelId?: string): Promise<void> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = summary.slice(0, 200);
  const client = ctx.turnState.get<ConnectorClient>(ctx.adapter.ConnectorClientKey);
  const ref = TurnContext.getConversationReference(ctx.activity);
  const conversation = { ...ref.conversation!, id: channelId ?? ref.conversation!.id };
  await client.conversations.sendToConversation(conversation.id, { ...activity, from: ref.bot, conversation } as Activity);
}

/** Universal Action responses: a card replaces the clicker's view; an error shows as a message. */
export function cardResponse(card: Card): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } };
}

export function errorResponse(status: 400 | 404 | 500, code: string, message: string): InvokeResponse {
  return { status, body: { statusCode: status, type: 'application/vnd.microsoft.error', value: { code, message } } };
}

export async function sendInvokeResponse(ctx: TurnContext, response: InvokeResponse): Promise<void> {
  await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: response });
}

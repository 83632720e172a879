import { ActivityTypes, CardFactory, MessageFactory, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Card } from '../cards/render';

export async function replyCard(ctx: TurnContext, card: Card, summary: string): Promise<void> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = summary.slice(0, 200);
  await ctx.sendActivity(activity);
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

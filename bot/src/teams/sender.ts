import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference, type Activity } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Card } from '../cards/render';
import type { Rkk } from '../store';
import { parseRetryAfter } from '../services/backoff';
import { SendError, type ChannelSender, type Clock, type PersonalTarget } from '../services/ports';
import type { SendPacer } from '../services/pacer';

const SEND_TIMEOUT_MS = 30_000;

function cardActivity(card: Card, summary: string): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = summary.slice(0, 200);
  return activity;
}

/**
 * Proactive channel messages over the Bot Connector — one code path for Teams and the Playground.
 * Retries are the delivery loop's job (persisted, honouring Retry-After), so the SDK's own in-call
 * retry policy is taken out: stacked, it would multiply attempts and hide throttling from us.
 */
export class TeamsChannelSender implements ChannelSender {
  constructor(private readonly adapter: CloudAdapter, private readonly botAppId: string, private readonly clock: Clock, private readonly pacer: SendPacer | null = null) {}

  private async withConnector<T>(rkk: Pick<Rkk, 'conversationRef'>, fn: (client: ConnectorClient, signal: AbortSignal) => Promise<T>): Promise<T> {
    // botbuilder hands an exception thrown in proactive logic to onTurnError and swallows it,
    // so the outcome is carried out of the callback explicitly.
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | null = null;
    await this.pacer?.take();
    try {
      await this.adapter.continueConversationAsync(this.botAppId, rkk.conversationRef as Partial<ConversationReference>, async (ctx) => {
        try {
          const client = ctx.turnState.get<ConnectorClient>(ctx.adapter.ConnectorClientKey);
          (client as unknown as { client?: { pipeline?: { removePolicy(p: { name: string }): unknown } } }).client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
          outcome = { ok: true, value: await fn(client, AbortSignal.timeout(SEND_TIMEOUT_MS)) };
        } catch (error) {
          outcome = { ok: false, error };
        }
      });
    } catch (error) {
      outcome = { ok: false, error };
    }
    const o = outcome as { ok: true; value: T } | { ok: false; error: unknown } | null;
    if (o === null) throw new SendError('the proactive turn did not run', null, null);
    if (o.ok) return o.value;
    throw this.classify(o.error);
  }

  private classify(err: unknown): SendError {
    const e = err as { statusCode?: number; message?: string; code?: string; name?: string; response?: { headers?: { get?(n: string): string | undefined } } };
    const status = typeof e.statusCode === 'number' ? e.statusCode : null;
    const retryAfter = parseRetryAfter(e.response?.headers?.get?.('retry-after'), this.clock.now());
    const reason = e.name === 'AbortError' ? `no answer within ${SEND_TIMEOUT_MS / 1000} s` : (e.code ? `${e.code}: ` : '') + (e.message ?? String(err));
    return new SendError(reason.slice(0, 500), status, retryAfter);
  }

  startThread(rkk: Rkk, card: Card, summary: string): Promise<{ conversationId: string; messageId: string }> {
    return this.withConnector(rkk, async (client, abortSignal) => {
      const res = await client.conversations.createConversation({
        isGroup: true,
        channelData: { channel: { id: rkk.channelId }, ...(rkk.tenantId ? { tenant: { id: rkk.tenantId } } : {}) },
        activity: cardActivity(card, summary) as Activity,
        bot: (rkk.conversationRef as { bot?: ConversationReference['bot'] }).bot ?? { id: this.botAppId, name: 'Kenniskring' },
        ...(rkk.tenantId ? { tenantId: rkk.tenantId } : {}),
        members: [],
      }, { abortSignal });
      const messageId = res.activityId ?? /;messageid=(.+)$/.exec(res.id ?? '')?.[1];
      if (!res.id || !messageId) throw new SendError('connector did not return the new thread id', null, null);
      return { conversationId: res.id, messageId };
    });
  }

  replyInThread(rkk: Rkk, conversationId: string, card: Card, summary: string): Promise<{ messageId: string }> {
    return this.withConnector(rkk, async (client, abortSignal) => {
      const res = await client.conversations.sendToConversation(conversationId, cardActivity(card, summary) as Activity, { abortSignal });
      return { messageId: res.id ?? '' };
    });
  }

  sendPersonal(to: PersonalTarget, card: Card, summary: string): Promise<{ conversationId: string; messageId: string }> {
    if (to.chat) {
      const conversationId = (to.chat as { conversation?: { id?: string } }).conversation?.id;
      if (conversationId) {
        return this.withConnector({ conversationRef: to.chat }, async (client, abortSignal) => {
          const res = await client.conversations.sendToConversation(conversationId, cardActivity(card, summary) as Activity, { abortSignal });
          return { conversationId, messageId: res.id ?? '' };
        });
      }
    }
    const rkk = to.via;
    return this.withConnector(rkk, async (client, abortSignal) => {
      const res = await client.conversations.createConversation({
        isGroup: false,
        bot: (rkk.conversationRef as { bot?: ConversationReference['bot'] }).bot ?? { id: this.botAppId, name: 'Kenniskring' },
        members: [{ id: to.memberId, name: '' }],
        channelData: rkk.tenantId ? { tenant: { id: rkk.tenantId } } : {},
        ...(rkk.tenantId ? { tenantId: rkk.tenantId } : {}),
        activity: cardActivity(card, summary) as Activity,
      }, { abortSignal });
      if (!res.id) throw new SendError('connector did not return the personal chat id', null, null);
      return { conversationId: res.id, messageId: res.activityId ?? '' };
    });
  }

  updatePersonal(to: PersonalTarget, conversationId: string, messageId: string, card: Card, summary: string): Promise<void> {
    return this.updateMessage({ conversationRef: to.chat ?? to.via.conversationRef }, conversationId, messageId, card, summary);
  }

  updateMessage(rkk: Pick<Rkk, 'conversationRef'>, conversationId: string, messageId: string, card: Card, summary: string): Promise<void> {
    return this.withConnector(rkk, async (client, abortSignal) => {
      const activity = { ...cardActivity(card, summary), id: messageId, type: 'message' } as Activity;
      await client.conversations.updateActivity(conversationId, messageId, activity, { abortSignal });
    });
  }
}

import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { BotAuthConfig } from '../config';
import type { Logger } from '../log';
import { infoCard } from '../cards/render';
import { texts } from '../cards/texts';
import { langOfActivity } from './activity';
import { cardResponse, replyCard, sendInvokeResponse } from './reply';

/** The Bot Framework adapter. No auth config means local mode: tokens are neither checked nor sent. */
export function createAdapter(auth: BotAuthConfig | null, log: Logger): CloudAdapter {
  const settings = auth
    ? { MicrosoftAppId: auth.appId, MicrosoftAppPassword: auth.appPassword ?? '', MicrosoftAppType: auth.appType, MicrosoftAppTenantId: auth.tenantId ?? '' }
    : {};
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings));
  adapter.onTurnError = async (ctx: TurnContext, error: Error) => {
    log.error({ err: error, activityType: ctx.activity.type, conversationId: ctx.activity.conversation?.id }, 'turn failed');
    const t = texts(langOfActivity(ctx.activity));
    try {
      const card = infoCard({ title: t.errorsTitle, lines: [t.sorry], color: 'Attention' });
      if (ctx.activity.type === 'invoke') await sendInvokeResponse(ctx, cardResponse(card));
      else if (ctx.activity.type === 'message') await replyCard(ctx, card, t.errorsTitle);
    } catch (err) {
      log.error({ err }, 'could not tell the member about the failure');
    }
  };
  return adapter;
}

import { FakeConnector } from '../fakes/connector';
import { FakeChannelIssuer, CHANNEL_ISSUER } from '../fakes/botframework';
import { startTestBot, tempDir, type TestBot } from './bot';
import { startSharePoint, SP, type SharePointStandIns } from './sharepoint';

export const BOT_APP_ID = '3c9a1e57-2b4d-4f6a-8e0c-9d1b2a3c4e5f';
export const BOT_SECRET = 'bot~geheim.9876543210';
export const BOT_FRAMEWORK = 'https://api.botframework.com';

export interface ProductionBot {
  bot: TestBot;
  issuer: FakeChannelIssuer;
  sp: SharePointStandIns;
  connector: FakeConnector;
  /** A valid channel token for an activity to this service URL. */
  token(serviceUrl: string): string;
  close(): Promise<void>;
}

/** The bot in production mode (single tenant, a secret) against the channel issuer, Entra, Graph and connector stand-ins. */
export async function startProductionBot(env: Record<string, string> = {}): Promise<ProductionBot> {
  const issuer = await FakeChannelIssuer.start();
  const sp = await startSharePoint();
  sp.entra.register({ clientId: BOT_APP_ID, secret: BOT_SECRET });
  const connector = await FakeConnector.start({
    verifyAuth: (h) => Boolean(h?.startsWith('Bearer ') && sp.entra.verify(h.slice(7), BOT_FRAMEWORK)?.clientId === BOT_APP_ID),
  });
  const token = (serviceUrl: string) => issuer.token({ appId: BOT_APP_ID, serviceUrl });
  const bot = await startTestBot({
    dataDir: tempDir(),
    authorize: (a) => token(a.serviceUrl!),
    env: {
      ...sp.env,
      MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: BOT_SECRET, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: SP.tenantId,
      ToBotFromChannelOpenIdMetadataUrl: issuer.metadataUrl, ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
      ToBotFromEmulatorOpenIdMetadataUrl: issuer.metadataUrl, ToChannelFromBotLoginUrl: `${sp.entra.url}/${SP.tenantId}`,
      ToChannelFromBotOAuthScope: BOT_FRAMEWORK, OAuthUrl: BOT_FRAMEWORK, CallerId: 'urn:botframework:azure',
      ...env,
    },
  });
  return {
    bot, issuer, sp, connector, token,
    async close() {
      await bot.close();
      await connector.close();
      await sp.close();
      await issuer.close();
    },
  };
}

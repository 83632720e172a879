import { FakeConnector } from '../fakes/connector';
import { FakeChannelIssuer, CHANNEL_ISSUER } from '../fakes/botframework';
import { startTestBot, tempDir, type TestBot } from './bot';
import { startSharePoint, SP, type SharePointStandIns } from './sharepoint';

export const BOT_APP_ID = '3c9a1e57-2b4d-4f6a-8e0c-9d1b2a3c4e5f';
const BOT_SECRET = 'bot~geheim.9876543210';
const BOT_FRAMEWORK = 'https://api.botframework.com';

/** Production mode against the stand-ins: channel token issuer, Entra, Graph, a Bot Connector that checks tokens. */
export interface ProductionStandIns {
  issuer: FakeChannelIssuer;
  sp: SharePointStandIns;
  connector: FakeConnector;
  /** The settings that start the bot in production mode against these stand-ins. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function productionStandIns(o: { ruPerMinute?: number } = {}): Promise<ProductionStandIns> {
  const issuer = await FakeChannelIssuer.start();
  const sp = await startSharePoint(o.ruPerMinute ? { ruPerMinute: o.ruPerMinute } : {});
  sp.entra.register({ clientId: BOT_APP_ID, secret: BOT_SECRET });
  const connector = await FakeConnector.start({
    verifyAuth: (h) => Boolean(h?.startsWith('Bearer ') && sp.entra.verify(h.slice(7), BOT_FRAMEWORK)?.clientId === BOT_APP_ID),
  });
  const env = {
    ...sp.env, LOG_LEVEL: 'silent', KENNISKRING_ADMINS: '0b7f3a52-6c1e-4d7b-a1f0-3e9c2d8b4a61',
    MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: BOT_SECRET, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: SP.tenantId,
    ToBotFromChannelOpenIdMetadataUrl: issuer.metadataUrl, ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
    ToBotFromEmulatorOpenIdMetadataUrl: issuer.metadataUrl, ToChannelFromBotLoginUrl: `${sp.entra.url}/${SP.tenantId}`,
    ToChannelFromBotOAuthScope: BOT_FRAMEWORK, OAuthUrl: BOT_FRAMEWORK, CallerId: 'urn:botframework:azure',
  };
  return { issuer, sp, connector, env, async close() { await connector.close(); await sp.close(); await issuer.close(); } };
}

export interface ProductionBot extends ProductionStandIns {
  bot: TestBot;
  /** A valid channel token for an activity to this service URL. */
  token(serviceUrl: string): string;
}

/** The bot in production mode (single tenant, a secret), in this process, against the stand-ins. */
export async function startProductionBot(env: Record<string, string> = {}): Promise<ProductionBot> {
  const stand = await productionStandIns();
  const token = (serviceUrl: string) => stand.issuer.token({ appId: BOT_APP_ID, serviceUrl });
  const { LOG_LEVEL: _silent, ...standEnv } = stand.env; // the test bot's own log level applies
  const bot = await startTestBot({ dataDir: tempDir(), authorize: (a) => token(a.serviceUrl!), env: { ...standEnv, ...env } });
  return {
    ...stand, bot, token,
    async close() {
      await bot.close();
      await stand.close();
    },
  };
}

import { FakeConnector } from '../test/fakes/connector';
import { FakeChannelIssuer, CHANNEL_ISSUER } from '../test/fakes/botframework';
import { startSharePoint, SP, type SharePointStandIns } from '../test/support/sharepoint';

export interface BenchOptions { quick: boolean }
export interface BenchResult { name: string; md: string; json: Record<string, unknown> }

export const BOT_APP_ID = '3c9a1e57-2b4d-4f6a-8e0c-9d1b2a3c4e5f';
const BOT_SECRET = 'bot~geheim.9876543210';
const BOT_FRAMEWORK = 'https://api.botframework.com';

/** Production mode against the stand-ins: channel token issuer, Entra, Graph, a Bot Connector that checks tokens. */
export interface ProductionStandIns {
  issuer: FakeChannelIssuer;
  sp: SharePointStandIns;
  connector: FakeConnector;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function productionStandIns(): Promise<ProductionStandIns> {
  const issuer = await FakeChannelIssuer.start();
  const sp = await startSharePoint({ ruPerMinute: 1250 });
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

export const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

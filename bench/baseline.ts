import restify from 'restify';
import { CardFactory, type TurnContext } from 'botbuilder';
import { loadConfig } from '../bot/src/config';
import { createLogger } from '../bot/src/log';
import { createAdapter } from '../bot/src/teams/adapter';
import { plausibleChannelToken } from '../bot/src/teams/tokenShape';

/**
 * The baseline for answer submits: a bare botbuilder bot on the same stack (restify 11, CloudAdapter,
 * the same production auth) that answers every invoke with a fixed card and does nothing else.
 */
export async function startBaseline(env: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const config = loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1' });
  const log = createLogger('silent');
  const adapter = createAdapter(config.botAuth, log);
  const card = CardFactory.adaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Je antwoord is genoteerd' }] }).content;
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    if (!plausibleChannelToken(req.header('authorization'))) { res.send(401); return; }
    await adapter.process(req, res, async (ctx: TurnContext) => {
      if (ctx.activity.type === 'invoke') {
        await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

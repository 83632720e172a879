import restify from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from '../log';

export interface HttpDeps {
  adapter: CloudAdapter;
  bot: (ctx: TurnContext) => Promise<void>;
  log: Logger;
  /** Ready = store open and scheduler running. */
  isReady(): boolean;
  /** Bot Framework activities are small; anything larger is refused before parsing. */
  maxBodyBytes?: number;
  /** Production: refuses requests whose Authorization header cannot be a channel token (401). */
  tokenGate?: (authorization: string | undefined) => boolean;
  /** The tab's aggregates for a team (team id or Entra group id), or across RKKs. */
  results(team: string | null): unknown;
  /** Who answered and the replies, for a signed-in member of the team (401/403/404 otherwise). */
  details(team: string | null, authorization: string | undefined): Promise<{ status: number; body: unknown }>;
  /** The built tab (static files) and who may frame it. */
  tab: { dir: string; frameAncestors: readonly string[] };
}

/** Headers for pages Teams shows in an iframe: scripts and styles only from here, framed only by Teams. */
function tabHeaders(frameAncestors: readonly string[]): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
      "object-src 'none'", "base-uri 'none'", "form-action 'self'", `frame-ancestors 'self' ${frameAncestors.join(' ')}`,
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

/** The only place that knows restify: routes and transport, nothing else. */
export function createHttpServer(d: HttpDeps): restify.Server {
  const server = restify.createServer({ name: 'kenniskring', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: d.maxBodyBytes ?? 256 * 1024, mapParams: false, mapFiles: false }));

  server.post('/api/messages', async (req, res) => {
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
      res.send(400, { error: { code: 'BadRequest', message: 'the body must be a Bot Framework activity (JSON object)' } });
      return;
    }
    if (d.tokenGate && !d.tokenGate(req.header('authorization'))) {
      d.log.info({ path: '/api/messages' }, 'request refused: no valid channel token');
      res.send(401, { error: { code: 'Unauthorized', message: 'a valid Bot Framework token is required' } });
      return;
    }
    try {
      await d.adapter.process(req, res, d.bot);
    } catch (err) {
      // CloudAdapter answers auth and validation failures itself; anything reaching here is ours.
      d.log.error({ err }, '/api/messages failed');
      if (!res.headersSent) res.send(500, { error: { code: 'InternalError', message: 'internal error' } });
    }
  });

  server.get('/api/results', async (req, res) => {
    const team = typeof req.query?.team === 'string' ? req.query.team.trim() : '';
    if (team.length > 200) {
      res.send(400, { error: { code: 'BadRequest', message: 'team is too long' } });
      return;
    }
    res.header('Cache-Control', 'no-store');
    res.send(200, d.results(team || null));
  });

  server.get('/api/results/details', async (req, res) => {
    const team = typeof req.query?.team === 'string' ? req.query.team.trim() : '';
    if (!team || team.length > 200) {
      res.send(400, { error: { code: 'BadRequest', message: 'team is required' } });
      return;
    }
    const out = await d.details(team, req.header('authorization'));
    res.header('Cache-Control', 'no-store');
    res.send(out.status, out.body);
  });

  const headers = tabHeaders(d.tab.frameAncestors);
  server.get('/tab', async (_req, res) => { res.redirect(301, '/tab/', () => undefined); });
  const tabFiles = restify.plugins.serveStaticFiles(d.tab.dir, {
    setHeaders: (res: { setHeader(k: string, v: string): void }) => {
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      res.setHeader('Cache-Control', 'no-cache');
    },
  });
  server.get('/tab/*', tabFiles);
  server.head('/tab/*', tabFiles);

  server.get('/healthz', async (_req, res) => { res.send(200, { status: 'ok' }); });
  server.get('/readyz', async (_req, res) => {
    if (d.isReady()) res.send(200, { status: 'ready' });
    else res.send(503, { status: 'starting' });
  });

  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, next: (e?: unknown) => void) => {
    if ((err.statusCode ?? 500) >= 500) d.log.error({ err, path: req.path() }, 'request failed');
    else d.log.info({ status: err.statusCode, path: req.path(), reason: err.message }, 'request refused');
    void res;
    next();
  });
  return server;
}

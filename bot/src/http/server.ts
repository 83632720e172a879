import type http from 'node:http';
import restify from 'restify';
import type { Logger } from '../log';
import type { AgendaView } from '../services/agenda';
import { resultsCsv } from '../services/resultsCsv';
import type { ResultsView } from '../services/results';
import { jsonHeaderProblem, readJsonBody, type BodyRefusal } from './body';
import { BotResponse } from './botResponse';
import { drainServer, trackConnections, type ConnectionTracker } from './drain';

/** How long the server waits for a client, set on purpose instead of Node's defaults (60 s headers, 300 s request). */
export interface HttpTimeouts {
  /** Until the request's headers are complete: slow-header clients (slowloris) are cut off here. */
  headersMs: number;
  /** Until the whole request (headers and body) is in: a trickled body is cut off here (408). */
  requestMs: number;
  /** An idle keep-alive connection is closed after this; above a proxy's own idle timeout, so the proxy closes first. */
  keepAliveMs: number;
}

export interface HttpDeps {
  /**
   * Hands a checked activity to the Teams edge, which writes its answer into `res`; `storeDown`
   * when the store could not be used (the only case that earns a 5xx). Throws only on a bug.
   */
  processActivity(req: restify.Request, res: BotResponse): Promise<{ storeDown: boolean }>;
  log: Logger;
  /** Ready = store open and the instance started (leading the background work or following the leader). */
  isReady(): boolean;
  /** Bot Framework activities are small; anything larger is refused (413). */
  maxBodyBytes?: number;
  timeouts: HttpTimeouts;
  /** Production: refuses requests whose Authorization header cannot be a channel token (401). */
  tokenGate?: (authorization: string | undefined) => boolean;
  /** The one schema activities pass before botbuilder or a handler sees them. */
  checkActivity(body: unknown): { ok: true } | { ok: false; reason: string };
  /** Whether an error means the store itself is down (the only case that earns a 5xx). */
  isStoreUnavailable(err: unknown): boolean;
  /** The tab's aggregates for a team (team id or Entra group id), or across RKKs. */
  results(team: string | null): Promise<ResultsView>;
  /** The knowledge moments and the approved questions for all regions (public: no names). */
  agenda(team: string | null): Promise<AgendaView>;
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

/** Every error body: a code and a fixed sentence per status; never the path, the exception or a stack. */
const ERROR_BODIES: Record<number, { code: string; message: string }> = {
  400: { code: 'BadRequest', message: 'the request is malformed' },
  401: { code: 'Unauthorized', message: 'a valid Bot Framework token is required' },
  403: { code: 'Forbidden', message: 'not allowed' },
  404: { code: 'NotFound', message: 'there is nothing here' },
  405: { code: 'MethodNotAllowed', message: 'this method is not allowed here' },
  406: { code: 'NotAcceptable', message: 'no acceptable representation' },
  408: { code: 'RequestTimeout', message: 'the request took too long' },
  413: { code: 'PayloadTooLarge', message: 'the body is too large' },
  415: { code: 'UnsupportedMediaType', message: 'unsupported content type or encoding' },
  503: { code: 'StoreUnavailable', message: 'the store is unavailable; try again later' },
};
const errorBody = (status: number) => ({ error: ERROR_BODIES[status] ?? { code: 'InternalError', message: 'internal error' } });

/** A short Dutch page for errors under /tab/ (a member may see it in the tab's frame). */
const TAB_ERROR_PAGE = (status: number) => `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Kenniskring</title></head>`
  + `<body><h1>${status === 404 ? 'Deze pagina bestaat niet' : 'Deze pagina is niet beschikbaar'}</h1>`
  + '<p>Open de Routekaart opnieuw vanuit Teams.</p></body></html>';

export interface HttpServer {
  server: restify.Server;
  /** Stops taking connections after the queue is empty, finishes every accepted request (bounded), then resolves. */
  close(maxMs?: number): Promise<void>;
}

/** The only place that knows restify: routes and transport, nothing else. */
export function createHttpServer(d: HttpDeps): HttpServer {
  const server = restify.createServer({ name: 'kenniskring', handleUncaughtExceptions: false });
  const maxBody = d.maxBodyBytes ?? 256 * 1024;
  const securityHeaders = tabHeaders(d.tab.frameAncestors);
  let draining = false;
  let tracker: ConnectionTracker | null = null;

  // restify made a plain HTTP server (no TLS options given); its check interval is settable until listen().
  const node = server.server as http.Server & { connectionsCheckingInterval: number };
  node.headersTimeout = d.timeouts.headersMs;
  node.requestTimeout = d.timeouts.requestMs;
  node.keepAliveTimeout = d.timeouts.keepAliveMs;
  // Node checks the two timeouts above on this interval (30 s by default): often enough to keep them.
  node.connectionsCheckingInterval = Math.max(100, Math.min(1000, Math.floor(d.timeouts.headersMs / 4)));
  tracker = trackConnections(node);

  server.pre((_req, res, next) => {
    for (const [k, v] of Object.entries(securityHeaders)) res.setHeader(k, v);
    // While draining, every answer closes its connection: the client reconnects elsewhere.
    if (draining) res.setHeader('Connection', 'close');
    next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));

  const refuseRequest = (res: restify.Response, r: BodyRefusal, path: string) => {
    d.log.info({ status: r.status, path, reason: r.code }, 'request refused');
    // A refused body is not read to its end: close the connection rather than reuse it.
    if (r.status === 413) res.setHeader('Connection', 'close');
    res.send(r.status, { error: { code: r.code, message: r.message } });
  };

  const handleMessages = async (req: restify.Request, res: restify.Response): Promise<unknown> => {
    const headerProblem = jsonHeaderProblem(req.headers, maxBody);
    if (headerProblem) return refuseRequest(res, headerProblem, '/api/messages');
    const authorization = req.header('authorization');
    if (d.tokenGate && !d.tokenGate(authorization)) {
      d.log.info({ path: '/api/messages' }, 'request refused: no valid channel token');
      res.setHeader('Connection', 'close');
      return res.send(401, errorBody(401));
    }
    const read = await readJsonBody(req, maxBody);
    if (!read.ok) return refuseRequest(res, read.refusal, '/api/messages');
    const check = d.checkActivity(read.body);
    if (!check.ok) {
      d.log.info({ path: '/api/messages', reason: check.reason }, 'activity refused');
      return res.send(400, { error: { code: 'InvalidActivity', message: check.reason } });
    }
    req.body = read.body;
    const outcome = { storeDown: false };
    const captured = new BotResponse();
    try {
      outcome.storeDown = (await d.processActivity(req, captured)).storeDown;
    } catch (err) {
      d.log.error({ err }, '/api/messages failed');
      captured.status(500);
    }
    if (outcome.storeDown) return res.send(503, errorBody(503));
    if (captured.statusCode === 401) return res.send(401, errorBody(401)); // botbuilder's body is the JWT library's message
    if (captured.statusCode >= 500) {
      d.log.error({ status: captured.statusCode }, '/api/messages answered with a server error');
      return res.send(500, errorBody(500));
    }
    for (const [k, v] of Object.entries(captured.headers)) res.setHeader(k, v);
    if (captured.body === undefined) {
      res.status(captured.statusCode);
      return res.end();
    }
    return res.send(captured.statusCode, captured.body);
  };
  // restify wants async handlers to resolve to nothing.
  server.post('/api/messages', async (req, res) => { await handleMessages(req, res); });

  type Handler = (req: restify.Request, res: restify.Response) => Promise<unknown>;
  const guarded = (handler: Handler) => async (req: restify.Request, res: restify.Response): Promise<void> => {
    try {
      await handler(req, res);
    } catch (err) {
      if (!d.isStoreUnavailable(err)) throw err;
      d.log.error({ err, path: req.path() }, 'store unavailable');
      res.send(503, errorBody(503));
    }
  };

  server.get('/api/results', guarded(async (req, res) => {
    const team = typeof req.query?.team === 'string' ? req.query.team.trim() : '';
    if (team.length > 200) return res.send(400, { error: { code: 'BadRequest', message: 'team is too long' } });
    res.header('Cache-Control', 'no-store');
    return res.send(200, await d.results(team || null));
  }));

  // The same aggregates as a spreadsheet to download (the tab's "Download (CSV)").
  server.get('/api/results.csv', guarded(async (req, res) => {
    const team = typeof req.query?.team === 'string' ? req.query.team.trim() : '';
    if (team.length > 200) return res.send(400, { error: { code: 'BadRequest', message: 'team is too long' } });
    const lang = req.query?.lang === 'en' ? 'en' : 'nl';
    const body = resultsCsv(await d.results(team || null), lang);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="kenniskring-resultaten.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    return res.sendRaw(200, body);
  }));

  server.get('/api/agenda', guarded(async (req, res) => {
    const team = typeof req.query?.team === 'string' ? req.query.team.trim() : '';
    if (team.length > 200) return res.send(400, { error: { code: 'BadRequest', message: 'team is too long' } });
    res.header('Cache-Control', 'no-store');
    return res.send(200, await d.agenda(team || null));
  }));

  server.get('/api/results/details', guarded(async (req, res) => {
    const team = typeof req.query?.team === 'string' ? req.query.team.trim() : '';
    if (!team || team.length > 200) return res.send(400, { error: { code: 'BadRequest', message: 'team is required' } });
    const out = await d.details(team, req.header('authorization'));
    res.header('Cache-Control', 'no-store');
    return res.send(out.status, out.body);
  }));

  server.get('/tab', async (_req, res) => { res.redirect(301, '/tab/', () => undefined); });
  const tabFiles = restify.plugins.serveStaticFiles(d.tab.dir, {
    setHeaders: (res: { setHeader(k: string, v: string): void }) => res.setHeader('Cache-Control', 'no-cache'),
  });
  server.get('/tab/*', tabFiles);
  server.head('/tab/*', tabFiles);

  server.get('/healthz', async (_req, res) => { res.send(200, { status: 'ok' }); });
  server.get('/readyz', async (_req, res) => {
    if (!draining && d.isReady()) res.send(200, { status: 'ready' });
    else res.send(503, { status: draining ? 'stopping' : 'starting' });
  });

  // Every error restify raises (no route, wrong method, a file missing under /tab/) is answered
  // here, with the security headers and a fixed body: never the requested path or an exception.
  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, done: () => void) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) d.log.error({ err, path: req.path() }, 'request failed');
    // A HEAD where only POST is served is a client probing whether we are up (the Playground's wait-on
    // does it on every start): answered 405 as HTTP says, logged only at debug.
    else if (req.method === 'HEAD' && status === 405) d.log.debug({ status, path: req.path().slice(0, 200) }, 'probe refused');
    else d.log.info({ status, path: req.path().slice(0, 200) }, 'request refused');
    if (!res.headersSent) {
      if (req.path().startsWith('/tab/')) {
        res.sendRaw(status, TAB_ERROR_PAGE(status), { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      } else {
        res.send(status, errorBody(status));
      }
    }
    done();
  });

  return {
    server,
    async close(maxMs = 15_000) {
      draining = true;
      await drainServer(node, tracker!, { quietMs: 250, maxMs, log: d.log });
    },
  };
}

/**
 * Test harness for Teams tabs: a page that plays the Teams web client for a tab built on
 * @microsoft/teams-js 2.x (test/support/teams-host/host.html + host.js, plain browser code), served
 * over http on 127.0.0.1, and real headless Chromium to run it in.
 *
 * Same origin matters. teams-js in the tab trusts messages from its own origin; any other origin
 * must be https and on Microsoft's list (or passed to app.initialize(validMessageOrigins)), else it
 * drops the host's answers without a word and app.initialize() times out after 60 s. So the tab is
 * served by this same server: `extraFiles` (e.g. a bundle built in the test) or `proxy` (every
 * other path is forwarded to the server that really serves the tab, e.g. the bot's /tab/).
 *
 * teams-js also fetches Microsoft's list of valid origins from a CDN as soon as it loads
 * (TEAMS_JS_VALID_DOMAINS_URL); blockExternal answers that one request locally with the list
 * teams-js ships, and aborts and records every other request that leaves the allowed origins.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** host.html and host.js (not copied to dist by tsc, so found in the source tree). */
export const TEAMS_HOST_DIR = [
  path.resolve(__dirname, 'teams-host'),
  path.resolve(__dirname, '../../../test/support/teams-host'),
].find((dir) => fs.existsSync(path.join(dir, 'host.js'))) ?? path.resolve(__dirname, '../../../test/support/teams-host');

/** Fetched by teams-js at module load (validOrigins.ts, prefetchOriginsFromCDN). */
export const TEAMS_JS_VALID_DOMAINS_URL = 'https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json';

export type ExtraFile = string | Buffer | { body: string | Buffer; contentType?: string };

export interface TeamsHostOptions {
  /** More files to serve, by URL path ('/probe.js'): the tab under test, from the same origin. */
  extraFiles?: Record<string, ExtraFile>;
  /** Origin (http://127.0.0.1:3978) that every path not served here is forwarded to. */
  proxy?: string;
}

/** The host page's query (see host.js). */
export interface TeamsHostParams {
  tab: string;
  theme?: 'default' | 'dark' | 'contrast' | string;
  locale?: string;
  frameContext?: 'content' | 'settings' | string;
  teamId?: string;
  groupId?: string;
  channelId?: string;
  userObjectId?: string;
  entityId?: string;
  tid?: string;
  userPrincipalName?: string;
  teamName?: string;
  channelName?: string;
  subEntityId?: string;
  hostClientType?: string;
  /** The Teams SSO token authentication.getAuthToken returns (none: the host refuses). */
  authToken?: string;
  /** runtimeConfig.supports (default { pages: { config: {} } }). */
  supports?: Record<string, unknown>;
}

export interface TeamsHost {
  /** The host page: http://127.0.0.1:<port>/host.html */
  url: string;
  origin: string;
  /** The host page's URL with a query built from params. */
  hostUrl(params: TeamsHostParams): string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, target: URL): void {
  const upstream = http.request(
    new URL(req.url ?? '/', target),
    { method: req.method, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) send(res, 502, 'text/plain; charset=utf-8', `proxy to ${target.origin} failed: ${error.message}`);
    else res.destroy(error);
  });
  req.pipe(upstream);
}

/** Serves host.html, host.js (and extraFiles / the proxied tab) on 127.0.0.1 at a free port. */
export async function startTeamsHost(options: TeamsHostOptions = {}): Promise<TeamsHost> {
  const hostFiles: Record<string, string> = {
    '/host.html': path.join(TEAMS_HOST_DIR, 'host.html'),
    '/host.js': path.join(TEAMS_HOST_DIR, 'host.js'),
  };
  const extraFiles = options.extraFiles ?? {};
  const proxy = options.proxy ? new URL(options.proxy) : undefined;

  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://host.invalid').pathname;
    const hostFile = hostFiles[pathname];
    const extra = extraFiles[pathname];
    if ((hostFile || extra !== undefined) && req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    } else if (hostFile) {
      send(res, 200, contentTypeOf(hostFile), fs.readFileSync(hostFile)); // read per request: edits apply at once
    } else if (extra !== undefined) {
      const file = typeof extra === 'string' || Buffer.isBuffer(extra) ? { body: extra } : extra;
      send(res, 200, file.contentType ?? contentTypeOf(pathname), file.body);
    } else if (proxy) {
      forward(req, res, proxy);
    } else {
      send(res, 404, 'text/plain; charset=utf-8', `not found: ${pathname}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/host.html`,
    origin,
    hostUrl(params: TeamsHostParams): string {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(params)) {
        if (value === undefined) continue;
        query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      }
      return `${origin}/host.html?${query.toString()}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Headless Debian Chromium through playwright-core (no downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

let validOriginsCache: string[] | undefined;

/** The valid-origins list teams-js ships (its fallback when the CDN cannot be reached). */
export function teamsJsValidOrigins(): string[] {
  if (validOriginsCache) return validOriginsCache;
  let list: string[] = [];
  try {
    const umd = require.resolve('@microsoft/teams-js');
    const file = path.resolve(path.dirname(umd), '../esm/packages/teams-js/src/artifactsForCDN/validDomains.json.js');
    const match = /^var \w+=(\[[^\]]*\])/.exec(fs.readFileSync(file, 'utf8'));
    if (match?.[1]) list = JSON.parse(match[1]) as string[];
  } catch {
    list = []; // an empty list is valid too: teams-js then keeps using the list it ships
  }
  validOriginsCache = list;
  return list;
}

export interface BlockExternalOptions {
  /**
   * Answer teams-js's own fetch of TEAMS_JS_VALID_DOMAINS_URL locally (200, the list teams-js
   * ships) instead of blocking and recording it. Default true: every page that loads teams-js
   * makes that request, so it would otherwise be in every list.
   */
  answerTeamsJsValidDomains?: boolean;
}

/**
 * Aborts every request of the page (and its frames) that is not to one of allowedOrigins and
 * returns the list of blocked URLs, filled as it happens (tests assert it stays empty).
 */
export async function blockExternal(page: Page, allowedOrigins: string[], options: BlockExternalOptions = {}): Promise<string[]> {
  const allowed = new Set(allowedOrigins.map((origin) => new URL(origin).origin));
  const answerValidDomains = options.answerTeamsJsValidDomains ?? true;
  const blocked: string[] = [];
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    let origin = 'null';
    try {
      origin = new URL(url).origin;
    } catch {
      // not a URL with an origin: blocked
    }
    if (allowed.has(origin)) {
      await route.continue();
    } else if (answerValidDomains && url === TEAMS_JS_VALID_DOMAINS_URL) {
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify({ validOrigins: teamsJsValidOrigins() }),
      });
    } else {
      blocked.push(url);
      await route.abort('blockedbyclient');
    }
  });
  return blocked;
}

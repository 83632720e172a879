/**
 * Test harness for Teams tabs: a page that plays the Teams web client for a tab built on
 * @microsoft/teams-js 2.x (test/support/teams-host/host.html + host.js, plain browser code), served
 * over http on 127.0.0.1, and real headless Chromium to run it in.
 *
 * Origins matter. teams-js in the tab trusts messages from its own origin; any other origin must be
 * https and on Microsoft's list (or passed to app.initialize(validMessageOrigins)), else it drops
 * the host's answers without a word and app.initialize() times out after 60 s. So the tab is served
 * by this same server: `extraFiles` (e.g. a bundle built in the test) or `proxy` (every other path
 * is forwarded to the server that really serves the tab, e.g. the bot's /tab/). openInTeams then
 * shows it the three ways Teams does (HOST_MODES): in a frame of the same origin; cross-origin, with
 * the host page on https://teams.microsoft.com and the tab on its own https origin (both answered by
 * this server through the browser's request routing, so the tab's CSP frame-ancestors and teams-js's
 * origin check are the real ones); and frameless, as on Teams iOS/Android.
 *
 * teams-js also fetches Microsoft's list of valid origins from a CDN as soon as it loads
 * (TEAMS_JS_VALID_DOMAINS_URL); blockExternal answers that one request locally with the list
 * teams-js ships, and aborts and records every other request that leaves the allowed origins.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

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

/**
 * How Teams shows a tab: `iframe` (web/desktop, host and tab on one origin, as in most samples),
 * `cross-origin` (web/desktop as in production: Teams on its origin, the tab on its own) and
 * `frameless` (iOS/Android: the tab is the top-level page and talks through window.nativeInterface).
 */
export type HostMode = 'iframe' | 'cross-origin' | 'frameless';
export const HOST_MODES: readonly HostMode[] = ['iframe', 'cross-origin', 'frameless'];

/** Teams on the web, where the cross-origin mode puts the host page (on teams-js's list of valid origins). */
export const TEAMS_WEB_ORIGIN = 'https://teams.microsoft.com';
/** Where the cross-origin and frameless modes put the tab (the browser reaches it through this harness). */
export const TAB_ORIGIN = 'https://kenniskring.example.org';

export interface OpenedTab {
  /** The tab's frame: the iframe in the host page, or the page itself when frameless. */
  tab: Frame;
  /** The frame whose window.host is the Teams stand-in (the host page, or the tab's page when frameless). */
  host: Frame;
  /** The origin the tab runs on (its config page saves URLs on it). */
  tabOrigin: string;
  /** Requests that tried to leave the allowed origins (tests assert it stays empty). */
  blocked: string[];
}

function hostQuery(params: TeamsHostParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return query.toString();
}

/**
 * Opens `params.tab` (a path, e.g. '/tab/') in Teams the given way, in a fresh page, and resolves
 * once the tab called app.initialize() and was answered. Requests that leave the harness are blocked.
 */
export async function openInTeams(page: Page, teamsHost: TeamsHost, mode: HostMode, params: TeamsHostParams): Promise<OpenedTab> {
  let blocked: string[];
  let tabOrigin: string;
  if (mode === 'iframe') {
    tabOrigin = teamsHost.origin;
    blocked = await blockExternal(page, [teamsHost.origin]);
    await page.goto(teamsHost.hostUrl(params));
  } else if (mode === 'cross-origin') {
    tabOrigin = TAB_ORIGIN;
    blocked = await blockExternal(page, [], { virtualOrigins: { [TEAMS_WEB_ORIGIN]: teamsHost.origin, [TAB_ORIGIN]: teamsHost.origin } });
    await page.goto(`${TEAMS_WEB_ORIGIN}/host.html?${hostQuery({ ...params, tab: new URL(params.tab, TAB_ORIGIN).href })}`);
  } else {
    tabOrigin = TAB_ORIGIN;
    blocked = await blockExternal(page, [], { virtualOrigins: { [TAB_ORIGIN]: teamsHost.origin } });
    const hostJs = fs.readFileSync(path.join(TEAMS_HOST_DIR, 'host.js'), 'utf8');
    await page.addInitScript({ content: `window.__teamsHostConfig = ${JSON.stringify({ query: hostQuery(params) })};\n${hostJs}` });
    await page.goto(new URL(params.tab, TAB_ORIGIN).href);
  }
  const host = page.mainFrame();
  await host.waitForFunction(() => (globalThis as unknown as { host?: { ready?: unknown } }).host?.ready !== undefined);
  await host.evaluate(() => Promise.race([
    (globalThis as unknown as { host: { ready: Promise<void> } }).host.ready,
    new Promise((_, reject) => setTimeout(() => reject(new Error('teams host: the tab never called app.initialize()')), 10_000)),
  ]));
  let tab = host;
  if (mode !== 'frameless') {
    const frame = await (await page.waitForSelector('#tab', { state: 'attached' })).contentFrame();
    if (!frame) throw new Error('teams host: no tab frame');
    tab = frame;
  }
  return { tab, host, tabOrigin, blocked };
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
    hostUrl: (params: TeamsHostParams): string => `${origin}/host.html?${hostQuery(params)}`,
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
  /**
   * Origins the page may use that are answered by a local server instead ('https://teams.microsoft.com'
   * -> 'http://127.0.0.1:<port>'): the page sees the https origin (a secure context, the real origin
   * checks), the request goes to the local server with the same path, method, headers and body.
   */
  virtualOrigins?: Record<string, string>;
}

/**
 * Aborts every request of the page (and its frames) that is not to one of allowedOrigins and
 * returns the list of blocked URLs, filled as it happens (tests assert it stays empty).
 */
export async function blockExternal(page: Page, allowedOrigins: string[], options: BlockExternalOptions = {}): Promise<string[]> {
  const allowed = new Set(allowedOrigins.map((origin) => new URL(origin).origin));
  const answerValidDomains = options.answerTeamsJsValidDomains ?? true;
  const virtual = new Map(Object.entries(options.virtualOrigins ?? {}).map(([from, to]) => [new URL(from).origin, new URL(to).origin]));
  const blocked: string[] = [];
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    let origin = 'null';
    try {
      origin = new URL(url).origin;
    } catch {
      // not a URL with an origin: blocked
    }
    const local = virtual.get(origin);
    if (local) {
      const { pathname, search } = new URL(url);
      try {
        await route.fulfill({ response: await route.fetch({ url: `${local}${pathname}${search}`, maxRedirects: 0 }) });
      } catch {
        await route.abort('failed').catch(() => undefined); // the page went away meanwhile
      }
    } else if (allowed.has(origin)) {
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

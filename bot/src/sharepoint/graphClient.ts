/**
 * Microsoft Graph connection for the SharePoint sync: an app-only token source (MSAL) plus a graph-client `Client`.
 *
 * Tokens
 * - secret / certificate: @azure/msal-node ConfidentialClientApplication, client-credentials grant for
 *   `<Graph resource>/.default`: the global `https://graph.microsoft.com`, or a national cloud's Graph host (graphResourceFor), whatever
 *   base URL the requests go to (a local fake included). MSAL's in-memory token cache serves repeated calls until
 *   shortly before expiry; `token()` is cheap to call per request.
 * - managedIdentity: msal-node ManagedIdentityApplication with a user-assigned client id, for the same
 *   resource. MSAL detects the MI source (App Service / Functions / IMDS ...) from the
 *   environment. `authorityHost` and `clientId` of the settings are not used for it. Not exercised by tests
 *   (no MI endpoint here); it only has to compile and is documented for deployment.
 *
 * How MSAL talks to the authority (same code path in production and in tests, only the URL differs):
 * - MSAL refuses any authority string that is not https (ClientConfigurationError authority_uri_insecure), but it
 *   never has to contact the authority URL itself when it is given `knownAuthorities` (no instance discovery) and
 *   `authorityMetadata` (no OpenID discovery). So the authority string is always
 *   `https://{host[:port] of authorityHost}/{tenant}` - an identity for MSAL's cache, not something it dials - and
 *   the metadata's endpoints are built from the real `authorityHost` URL, which may be `http://127.0.0.1:PORT`
 *   for the fake. MSAL does not check the scheme of metadata endpoints.
 * - All MSAL HTTP goes through `system.networkClient`, a small INetworkModule over the injected `fetch`.
 * - In production (authorityHost https://login.microsoftonline.com) the metadata equals what discovery would return
 *   (https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token ...), so behaviour matches stock MSAL minus one
 *   discovery round trip.
 *
 * Graph requests
 * - `Client.initWithMiddleware` with a two-link chain: GraphAuthMiddleware (Authorization + User-Agent) ->
 *   FetchMiddleware (the injected fetch, with a request timeout). graph-client's own AuthenticationHandler attaches
 *   tokens only for https Graph hosts, and its HTTPMessageHandler always uses global fetch, hence both are replaced.
 * - Deliberately NO RetryHandler / RedirectHandler: the outbox worker owns retries and must see 429/503 and
 *   Retry-After itself (use `graphErrorInfo`).
 * - The auth middleware refuses to send the token to any origin other than `graphBaseUrl`.
 * - graph-client does not URL-encode query values (`.filter("fields/Title eq 'a&b'")` breaks the URL): callers
 *   encode literal values with encodeURIComponent themselves.
 * - graph-client's `api(url)` only recognises absolute https URLs; for `@odata.nextLink` use `relativeGraphPath`.
 *
 * No environment reads, no console: configuration comes in through `GraphSettings`, logging through the given pino logger.
 * Tokens are never logged.
 */
import { createTokenSource, describeNetworkError, DEFAULT_AUTHORITY_HOST, type AppCredential } from '../auth/msal';
import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { Logger } from 'pino';

export type GraphCredential = AppCredential;

export interface GraphSettings {
    tenantId: string;
    clientId: string;
    credential: GraphCredential;
    /** default https://login.microsoftonline.com; origin only (no path) */
    authorityHost: string;
    /** default https://graph.microsoft.com; requests go to `${graphBaseUrl}/v1.0/...` */
    graphBaseUrl: string;
    /** the token audience (default: from graphBaseUrl, see graphResourceFor) */
    graphResource?: string | null;
    /** e.g. NONISV|V-ICT-OR|Kenniskring/0.1.0 (Microsoft's throttling guidance for decorating traffic) */
    userAgent: string;
    /** per Graph HTTP request; default 30 000 ms. The request then fails as a network error (status null). */
    requestTimeoutMs?: number;
}

export interface GraphConnection {
    client: Client;
    /** app-only access token for Graph, from MSAL's cache when still valid */
    token(): Promise<string>;
    /** graphBaseUrl without trailing slash */
    baseUrl: string;
}

export { DEFAULT_AUTHORITY_HOST };
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';
/** The global cloud's token audience. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_SCOPE = `${GRAPH_RESOURCE}/.default`;
/** Graph in the national clouds: the token audience is the cloud's own Graph host (Microsoft's national cloud deployments). */
const NATIONAL_GRAPH_HOSTS = ['graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'];

/**
 * The resource a Graph token is asked for: given explicitly, or that of the cloud the base URL
 * points at (US Government L4 and L5, China), else the global one (also for a proxy or a
 * stand-in in front of it).
 */
export function graphResourceFor(graphBaseUrl: string, explicit?: string | null): string {
    if (explicit) return explicit.replace(/\/+$/, '');
    const host = new URL(graphBaseUrl).hostname.toLowerCase();
    return NATIONAL_GRAPH_HOSTS.includes(host) ? `https://${host}` : GRAPH_RESOURCE;
}

export function createGraphConnection(settings: GraphSettings, deps: { fetch?: typeof fetch; log: Logger }): GraphConnection {
    const fetchImpl = deps.fetch ?? globalThis.fetch;
    const baseUrl = settings.graphBaseUrl.replace(/\/+$/, '');
    const token = createTokenSource({ ...settings, resource: graphResourceFor(baseUrl, settings.graphResource) }, { fetch: fetchImpl, log: deps.log });
    const client = Client.initWithMiddleware({
        baseUrl,
        defaultVersion: 'v1.0',
        middleware: [new GraphAuthMiddleware(token, settings.userAgent, new URL(baseUrl).origin), new FetchMiddleware(fetchImpl, settings.requestTimeoutMs ?? 30_000)],
    });
    return { client, token, baseUrl };
}


// ---------------------------------------------------------------------------------------------------------------
// graph-client middleware

/** Sets `Authorization: Bearer <token>` and `User-Agent`, only for requests to the Graph origin. */
class GraphAuthMiddleware implements Middleware {
    private next: Middleware | undefined;

    constructor(
        private readonly token: () => Promise<string>,
        private readonly userAgent: string,
        private readonly graphOrigin: string,
    ) {}

    async execute(context: Context): Promise<void> {
        const url = typeof context.request === 'string' ? context.request : context.request.url;
        if (new URL(url).origin !== this.graphOrigin) {
            throw namedError('ForeignOrigin', `Refusing to send the Graph token to ${new URL(url).origin} (Graph is ${this.graphOrigin})`);
        }
        let bearer: string;
        try {
            bearer = await this.token();
        } catch (e) {
            // graph-client keeps only name and message of a thrown Error: carry MSAL's code in the name.
            const code = (e as { errorCode?: unknown }).errorCode;
            throw namedError(typeof code === 'string' && code ? `token_${code}` : 'token_error', `Graph token acquisition failed: ${(e as Error).message}`);
        }
        setHeader(context, 'Authorization', `Bearer ${bearer}`);
        setHeader(context, 'User-Agent', this.userAgent);
        if (!this.next) throw new Error('GraphAuthMiddleware has no next middleware');
        await this.next.execute(context);
    }

    setNext(next: Middleware): void {
        this.next = next;
    }
}

/** Final link: performs the request with the injected fetch (graph-client's HTTPMessageHandler is global fetch only). */
class FetchMiddleware implements Middleware {
    constructor(
        private readonly fetchImpl: typeof fetch,
        private readonly timeoutMs: number,
    ) {}

    async execute(context: Context): Promise<void> {
        const timeout = AbortSignal.timeout(this.timeoutMs);
        const signal = context.options?.signal ? AbortSignal.any([context.options.signal, timeout]) : timeout;
        try {
            context.response = await this.fetchImpl(context.request as string | Request, { ...(context.options as RequestInit), signal });
        } catch (e) {
            // graph-client wraps this in GraphError(statusCode -1, code = error.name) and loses `cause`: keep the errno.
            const info = describeNetworkError(e);
            throw namedError(info.code, `Graph unreachable: ${info.message}`);
        }
    }
}

function setHeader(context: Context, name: string, value: string): void {
    if (typeof context.request !== 'string') {
        context.request.headers.set(name, value);
        return;
    }
    context.options ??= {};
    const headers = context.options.headers;
    if (headers instanceof Headers) headers.set(name, value);
    else if (Array.isArray(headers)) {
        const kept = headers.filter(([k]) => k.toLowerCase() !== name.toLowerCase());
        context.options.headers = [...kept, [name, value]];
    } else {
        const record: Record<string, string> = { ...(headers as Record<string, string> | undefined) };
        for (const key of Object.keys(record)) if (key.toLowerCase() === name.toLowerCase()) delete record[key];
        record[name] = value;
        context.options.headers = record;
    }
}

function namedError(name: string, message: string): Error {
    const err = new Error(message);
    err.name = name;
    return err;
}



// ---------------------------------------------------------------------------------------------------------------
// paging + errors

/**
 * Turns an absolute `@odata.nextLink` into a path for `client.api(path)` (graph-client only parses https URLs, and
 * the fake is http): strips the origin (must be the Graph origin), any base path, and the version segment.
 * `https://graph.microsoft.com/v1.0/sites/x/lists/y/items?$skiptoken=abc` -> `/sites/x/lists/y/items?$skiptoken=abc`.
 * A `/beta/` nextLink loses its version: call `.version('beta')` on the request in that case.
 */
export function relativeGraphPath(nextLink: string, baseUrl: string): string {
    const link = new URL(nextLink);
    const base = new URL(baseUrl);
    if (link.origin !== base.origin) throw new Error(`nextLink ${link.origin} is not on the Graph origin ${base.origin}`);
    let path = link.pathname;
    const basePath = base.pathname.replace(/\/+$/, '');
    if (basePath && path.startsWith(basePath + '/')) path = path.slice(basePath.length);
    path = path.replace(/^\/(v\d+\.\d+|beta)(?=\/)/, '');
    return path + link.search;
}

export interface GraphErrorInfo {
    /** HTTP status; null for network errors, timeouts and token failures (nothing reached Graph) */
    status: number | null;
    /** Graph error code (e.g. activityLimitReached, nameAlreadyExists, invalidRequest), an errno-like code for
     *  network errors (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, TimeoutError), token_<msal code> for token failures */
    code: string | null;
    message: string;
    /** from Retry-After (seconds or HTTP date), null when absent */
    retryAfterMs: number | null;
}

/**
 * Normalises what a Graph call can throw: graph-client GraphError (statusCode, code, message, headers), a
 * network/token failure wrapped by graph-client (statusCode -1), a raw MSAL error (from `token()`), or a plain
 * Error. Also accepts an inner `$batch` response `{ status, headers, body }` (headers as plain object).
 */
export function graphErrorInfo(err: unknown, nowMs: number = Date.now()): GraphErrorInfo {
    if (err && typeof err === 'object') {
        const e = err as Record<string, unknown>;
        // inner $batch response
        if (typeof e.status === 'number' && !(err instanceof Error) && 'body' in e) {
            const body = e.body as { error?: { code?: unknown; message?: unknown } } | undefined;
            return {
                status: e.status,
                code: typeof body?.error?.code === 'string' ? body.error.code : null,
                message: typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${e.status}`,
                retryAfterMs: parseRetryAfter(headerValue(e.headers, 'retry-after'), nowMs),
            };
        }
        // graph-client GraphError (duck-typed: statusCode + code)
        if (typeof e.statusCode === 'number' && 'code' in e) {
            const status = e.statusCode > 0 ? e.statusCode : null;
            let code = typeof e.code === 'string' && e.code ? e.code : null;
            let message = typeof e.message === 'string' && e.message ? e.message : '';
            if (status !== null && (!code || !message) && typeof e.body === 'string') {
                // non-Graph error body (e.g. a proxy's text/html 502): keep a short excerpt
                message ||= e.body.slice(0, 200);
            }
            if (status === null && code === 'Error') code = null;
            if (!message) message = status !== null ? `HTTP ${status}` : 'request failed';
            return { status, code, message, retryAfterMs: parseRetryAfter(headerValue(e.headers, 'retry-after'), nowMs) };
        }
        // MSAL AuthError / ServerError thrown by token()
        if (typeof e.errorCode === 'string') {
            return { status: null, code: `token_${e.errorCode}`, message: String(e.message ?? e.errorMessage ?? ''), retryAfterMs: null };
        }
        if (err instanceof Error) {
            // fetch failure (TypeError with cause), timeout, or any other Error: nothing reached Graph
            if (err.cause || err.name === 'TypeError' || err.name === 'TimeoutError' || err.name === 'AbortError') {
                const info = describeNetworkError(err);
                return { status: null, code: info.code, message: info.message, retryAfterMs: null };
            }
            return { status: null, code: err.name && err.name !== 'Error' ? err.name : null, message: err.message, retryAfterMs: null };
        }
    }
    return { status: null, code: null, message: String(err), retryAfterMs: null };
}

function headerValue(headers: unknown, name: string): string | null {
    if (!headers) return null;
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
    if (typeof headers === 'object') {
        for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
            if (k.toLowerCase() === name) return v === undefined || v === null ? null : String(v);
        }
    }
    return null;
}

function parseRetryAfter(value: string | null, nowMs: number): number | null {
    if (value === null || value.trim() === '') return null;
    const v = value.trim();
    if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
    const date = Date.parse(v);
    if (Number.isNaN(date)) return null;
    return Math.max(0, date - nowMs);
}

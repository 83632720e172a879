/**
 * Microsoft Graph connection for the SharePoint sync: an app-only token source (MSAL) plus a graph-client `Client`.
 *
 * Tokens
 * - secret / certificate: @azure/msal-node ConfidentialClientApplication, client-credentials grant for
 *   `https://graph.microsoft.com/.default`. The scope is fixed: the token audience is the Graph resource, whatever
 *   base URL the requests go to (a local fake included). MSAL's in-memory token cache serves repeated calls until
 *   shortly before expiry; `token()` is cheap to call per request.
 * - managedIdentity: msal-node ManagedIdentityApplication with a user-assigned client id, resource
 *   `https://graph.microsoft.com`. MSAL detects the MI source (App Service / Functions / IMDS ...) from the
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
 * No process.env, no console: configuration comes in through `GraphSettings`, logging through the given pino logger.
 * Tokens are never logged.
 */
import {
    ConfidentialClientApplication,
    LogLevel,
    ManagedIdentityApplication,
    type Configuration,
    type INetworkModule,
    type NetworkRequestOptions,
    type NetworkResponse,
} from '@azure/msal-node';
import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { Logger } from 'pino';

export type GraphCredential =
    | { kind: 'secret'; secret: string }
    /** thumbprint: hex SHA-256 (64 chars, preferred: msal-node then signs PS256 with x5t#S256) or SHA-1 (40 chars, RS256 + x5t). x5c: PEM certificate chain (sent as x5c header, for subject-name/issuer auth). */
    | { kind: 'certificate'; privateKeyPem: string; thumbprint: string; x5c?: string }
    /** user-assigned managed identity (its client id) */
    | { kind: 'managedIdentity'; clientId: string };

export interface GraphSettings {
    tenantId: string;
    clientId: string;
    credential: GraphCredential;
    /** default https://login.microsoftonline.com; origin only (no path) */
    authorityHost: string;
    /** default https://graph.microsoft.com; requests go to `${graphBaseUrl}/v1.0/...` */
    graphBaseUrl: string;
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

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';
/** The token audience; independent of the base URL the requests are sent to. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_SCOPE = `${GRAPH_RESOURCE}/.default`;

export function createGraphConnection(settings: GraphSettings, deps: { fetch?: typeof fetch; log: Logger }): GraphConnection {
    const fetchImpl = deps.fetch ?? globalThis.fetch;
    const log = deps.log.child({ component: 'graph' });
    const baseUrl = settings.graphBaseUrl.replace(/\/+$/, '');
    const networkClient = new FetchNetworkClient(fetchImpl, log);
    const token = createTokenSource(settings, networkClient, log, deps.log.child({ component: 'msal' }));
    const client = Client.initWithMiddleware({
        baseUrl,
        defaultVersion: 'v1.0',
        middleware: [new GraphAuthMiddleware(token, settings.userAgent, new URL(baseUrl).origin), new FetchMiddleware(fetchImpl, settings.requestTimeoutMs ?? 30_000)],
    });
    return { client, token, baseUrl };
}

// ---------------------------------------------------------------------------------------------------------------
// tokens

function createTokenSource(settings: GraphSettings, networkClient: INetworkModule, log: Logger, msalLog: Logger): () => Promise<string> {
    const loggerOptions = msalLoggerOptions(msalLog);
    const cred = settings.credential;

    if (cred.kind === 'managedIdentity') {
        const mi = new ManagedIdentityApplication({
            managedIdentityIdParams: { userAssignedClientId: cred.clientId },
            system: { networkClient, loggerOptions },
        });
        return async () => {
            const result = await mi.acquireToken({ resource: GRAPH_RESOURCE });
            log.debug({ fromCache: result.fromCache, expiresOn: result.expiresOn }, 'graph token (managed identity)');
            if (!result.accessToken) throw new Error('Managed identity returned no access token');
            return result.accessToken;
        };
    }

    const { authority, knownAuthority, metadata } = authorityConfig(settings.authorityHost, settings.tenantId);
    const config: Configuration = {
        auth: {
            clientId: settings.clientId,
            authority,
            knownAuthorities: [knownAuthority],
            authorityMetadata: JSON.stringify(metadata),
            ...(cred.kind === 'secret'
                ? { clientSecret: cred.secret }
                : {
                      clientCertificate: {
                          ...(normalizeThumbprint(cred.thumbprint).length === 64
                              ? { thumbprintSha256: normalizeThumbprint(cred.thumbprint) }
                              : { thumbprint: normalizeThumbprint(cred.thumbprint) }),
                          privateKey: cred.privateKeyPem,
                          ...(cred.x5c ? { x5c: cred.x5c } : {}),
                      },
                  }),
        },
        system: { networkClient, loggerOptions },
    };
    const cca = new ConfidentialClientApplication(config);
    return async () => {
        const result = await cca.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
        if (!result?.accessToken) throw new Error('MSAL returned no access token');
        if (!result.fromCache) log.debug({ expiresOn: result.expiresOn, credential: cred.kind }, 'graph token acquired');
        return result.accessToken;
    };
}

/**
 * MSAL only accepts an https authority string; it is an identity here (cache key + knownAuthorities host), while
 * the endpoints MSAL calls come from `authorityMetadata`, built from the actual (possibly http) authority host.
 */
function authorityConfig(authorityHost: string, tenantId: string): { authority: string; knownAuthority: string; metadata: Record<string, string> } {
    const host = new URL(authorityHost || DEFAULT_AUTHORITY_HOST);
    if (host.pathname !== '/' && host.pathname !== '') throw new Error(`authorityHost must be an origin without path: ${authorityHost}`);
    if (!/^[A-Za-z0-9.-]+$/.test(tenantId)) throw new Error(`invalid tenantId: ${tenantId}`);
    const base = `${host.origin}/${tenantId}`;
    return {
        authority: `https://${host.host}/${tenantId}`,
        knownAuthority: host.host,
        metadata: {
            token_endpoint: `${base}/oauth2/v2.0/token`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            issuer: `${base}/v2.0`,
            jwks_uri: `${base}/discovery/v2.0/keys`,
        },
    };
}

function normalizeThumbprint(thumbprint: string): string {
    return thumbprint.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
}

function msalLoggerOptions(msalLog: Logger): NonNullable<NonNullable<Configuration['system']>['loggerOptions']> {
    return {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level: LogLevel, message: string, containsPii: boolean) => {
            if (containsPii) return;
            if (level === LogLevel.Error) msalLog.warn({ msal: message }, 'msal error');
            else msalLog.debug({ msal: message }, 'msal');
        },
    };
}

/** MSAL's INetworkModule over fetch (MSAL's own HttpClient would use global fetch; this one uses the injected one). */
class FetchNetworkClient implements INetworkModule {
    constructor(
        private readonly fetchImpl: typeof fetch,
        private readonly log: Logger,
    ) {}

    sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
        return this.send<T>('GET', url, options, timeout);
    }

    sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
        return this.send<T>('POST', url, options, 30_000);
    }

    private async send<T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions | undefined, timeout: number | undefined): Promise<NetworkResponse<T>> {
        let res: Response;
        try {
            res = await this.fetchImpl(url, {
                method,
                headers: options?.headers,
                body: method === 'POST' ? (options?.body ?? '') : undefined,
                signal: timeout ? AbortSignal.timeout(timeout) : undefined,
            });
        } catch (e) {
            // MSAL turns this into ClientAuthError network_error and drops the cause: log it here (no secrets in it).
            this.log.warn({ url: stripQuery(url), err: describeNetworkError(e) }, 'token endpoint unreachable');
            throw e;
        }
        const headers: Record<string, string> = {};
        res.headers.forEach((value, key) => {
            headers[key] = value;
        });
        const text = await res.text();
        let body: unknown;
        try {
            body = text ? JSON.parse(text) : {};
        } catch {
            this.log.warn({ url: stripQuery(url), status: res.status }, 'token endpoint answered non-JSON');
            body = { error: 'invalid_response', error_description: `Non-JSON response with HTTP ${res.status}` };
        }
        return { headers, body: body as T, status: res.status };
    }
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

function describeNetworkError(e: unknown): { code: string; message: string } {
    const err = e as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string; name?: string } };
    if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return { code: 'TimeoutError', message: err.message ?? 'request timed out' };
    const cause = err?.cause;
    const code = cause?.code ?? err?.code ?? cause?.name ?? 'NetworkError';
    const message = cause?.message ? `${err?.message ?? 'fetch failed'}: ${cause.message}` : (err?.message ?? String(e));
    return { code, message };
}

function stripQuery(url: string): string {
    const i = url.indexOf('?');
    return i < 0 ? url : url.slice(0, i);
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

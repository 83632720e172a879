/**
 * App-only tokens from Microsoft Entra through @azure/msal-node, for any resource (Graph, the Bot
 * Framework). See sharepoint/graphClient.ts for why MSAL is given knownAuthorities + authorityMetadata
 * and its own network client: the same code path in production and against the local stand-ins.
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
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Logger } from 'pino';
import type { GraphCredentialConfig } from '../config';

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

export type AppCredential =
    | { kind: 'secret'; secret: string }
    /** thumbprint: hex SHA-256 (64 chars, preferred: msal-node then signs PS256 with x5t#S256) or SHA-1 (40 chars, RS256 + x5t). x5c: PEM certificate chain. */
    | { kind: 'certificate'; privateKeyPem: string; thumbprint: string; x5c?: string }
    /** user-assigned managed identity (its client id) */
    | { kind: 'managedIdentity'; clientId: string };

export interface TokenSettings {
    tenantId: string;
    clientId: string;
    credential: AppCredential;
    /** origin only, e.g. https://login.microsoftonline.com */
    authorityHost: string;
    /** the resource the token is for, e.g. https://graph.microsoft.com or https://api.botframework.com */
    resource: string;
}

/** Reads a PEM file holding the private key and the certificate; the thumbprint is the certificate's SHA-256. */
export function certificateCredential(file: string): AppCredential {
  const pem = fs.readFileSync(file, 'utf8');
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!certPem) throw new Error(`${file} holds no certificate (a PEM with the private key and the certificate is expected)`);
  const thumbprint = new crypto.X509Certificate(certPem).fingerprint256.replace(/:/g, '').toLowerCase();
  return { kind: 'certificate', privateKeyPem: pem, thumbprint, x5c: certPem };
}

/** The resource of Entra tokens that Azure Database for PostgreSQL accepts as a password. */
export const POSTGRES_ENTRA_RESOURCE = 'https://ossrdbms-aad.database.windows.net';

/** The credential named in the configuration (a certificate is read from its file). */
export function credentialFromConfig(c: GraphCredentialConfig, clientId: string): AppCredential {
  if (c.kind === 'secret') return { kind: 'secret', secret: c.secret };
  if (c.kind === 'managedIdentity') return { kind: 'managedIdentity', clientId };
  return certificateCredential(c.file);
}

/** A function returning a valid access token for the resource, from MSAL's cache while it lasts. */
export function createTokenSource(settings: TokenSettings, deps: { fetch?: typeof fetch; log: Logger }): () => Promise<string> {
    const log = deps.log.child({ component: 'msal' });
    return tokenSource(settings, new FetchNetworkClient(deps.fetch ?? globalThis.fetch, log), log, log);
}


function tokenSource(settings: TokenSettings, networkClient: INetworkModule, log: Logger, msalLog: Logger): () => Promise<string> {
    const loggerOptions = msalLoggerOptions(msalLog);
    const cred = settings.credential;

    if (cred.kind === 'managedIdentity') {
        const mi = new ManagedIdentityApplication({
            managedIdentityIdParams: { userAssignedClientId: cred.clientId },
            system: { networkClient, loggerOptions },
        });
        return async () => {
            const result = await mi.acquireToken({ resource: settings.resource });
            log.debug({ fromCache: result.fromCache, expiresOn: result.expiresOn }, 'token (managed identity)');
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
        const result = await cca.acquireTokenByClientCredential({ scopes: [`${settings.resource.replace(/\/+$/, '')}/.default`] });
        if (!result?.accessToken) throw new Error('MSAL returned no access token');
        if (!result.fromCache) log.debug({ expiresOn: result.expiresOn, credential: cred.kind }, 'token acquired');
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

export function describeNetworkError(e: unknown): { code: string; message: string } {
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

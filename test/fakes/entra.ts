/**
 * FakeEntra: an in-process stand-in for the Microsoft Entra ID (Azure AD) v2.0 token endpoint over real HTTP,
 * just enough for MSAL's ConfidentialClientApplication with the client-credentials grant.
 *
 * Routes (tenant = options.tenantId; other tenants answer AADSTS90002):
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration   OpenID metadata (token_endpoint etc. point back here)
 *   GET  /{tenant}/discovery/v2.0/keys                     JWKS with the fake's token-signing key
 *   POST /{tenant}/oauth2/v2.0/token                       client credentials: client_secret or client_assertion
 *
 * Access tokens are RS256 JWTs signed by the fake's own RSA key, shaped like Graph app-only tokens (v1 format):
 * aud https://graph.microsoft.com, iss https://sts.windows.net/{tid}/, tid, appid/azp, roles, idtyp 'app'.
 * `verify(token)` checks signature, kid, exp/nbf, aud and tid: hand it to FakeGraph as `verifyToken`.
 *
 * Client assertions (certificate credential): the JWT is checked like Entra does: signature against the registered
 * certificate's public key (RS256, or PS256 which msal-node 7 uses with a SHA-256 thumbprint), x5t / x5t#S256 header
 * against the registered thumbprint, iss == sub == client_id, aud == this token endpoint, exp/nbf.
 * MSAL reuses one assertion for up to 10 minutes, so there is no jti replay check (Entra has none for this either).
 *
 * `createSelfSignedCertificate()` builds a real self-signed X.509 certificate (DER by hand + node:crypto signature),
 * so the certificate path can be tested without openssl or a package.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeEntraClient {
    clientId: string;
    /** client secret; when absent the client cannot use client_secret */
    secret?: string;
    /** hex thumbprint (SHA-1: 40 hex, SHA-256: 64 hex) of the registered certificate. Derived from certificatePem when that is given. */
    certificateThumbprint?: string;
    /** registered certificate (PEM): its public key verifies the assertion signature, its SHA-1 and SHA-256 thumbprints are both accepted */
    certificatePem?: string;
    /** alternative to certificatePem: just a public key (then certificateThumbprint is required) */
    publicKeyPem?: string;
    /** app roles put into the access token. Default ['Sites.Selected']. [] gives a token without roles claim. */
    roles?: string[];
    /** display name in the token (app_displayname). Default 'Kenniskring' */
    displayName?: string;
}

export interface FakeEntraOptions {
    tenantId: string;
    clients: FakeEntraClient[];
    /** clock for token iat/nbf/exp and verify(). Default Date.now. (MSAL's own cache uses the real clock and expires_in.) */
    now?: () => number;
    /** access token lifetime, default 3599 s (like Entra's ~1 h) */
    tokenLifetimeSeconds?: number;
    port?: number;
}

export interface EntraRequestLogEntry {
    method: string;
    path: string;
    status: number;
    clientId?: string;
    /** 'secret' | 'certificate' for token requests */
    credential?: 'secret' | 'certificate';
    error?: string;
    at: number;
}

export interface VerifiedToken {
    clientId: string;
    roles: string[];
    tenantId: string;
    exp: number;
}

const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Azure Database for PostgreSQL (and MySQL) accepts tokens for this resource as a password. */
const OSSRDBMS_AUDIENCE = 'https://ossrdbms-aad.database.windows.net';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface RegisteredClient extends FakeEntraClient {
    publicKey?: crypto.KeyObject;
    thumbprints: Set<string>;
}

class EntraError extends Error {
    constructor(
        readonly status: number,
        readonly error: string,
        readonly aadsts: number,
        description: string,
    ) {
        super(`AADSTS${aadsts}: ${description}`);
    }
}

export class FakeEntra {
    /** number of access tokens issued */
    issued = 0;
    readonly requests: EntraRequestLogEntry[] = [];

    private readonly server: http.Server;
    private readonly sockets = new Set<Socket>();
    private readonly clients = new Map<string, RegisteredClient>();
    private readonly now: () => number;
    private readonly lifetime: number;
    private readonly signingKey: crypto.KeyObject;
    private readonly verifyKey: crypto.KeyObject;
    private readonly kid: string;
    private failures: { remaining: number; status: number; retryAfterSeconds?: number }[] = [];
    private port = 0;

    private constructor(private readonly options: FakeEntraOptions) {
        this.now = options.now ?? Date.now;
        this.lifetime = options.tokenLifetimeSeconds ?? 3599;
        const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
        this.signingKey = privateKey;
        this.verifyKey = publicKey;
        this.kid = crypto.createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
        for (const client of options.clients) this.register(client);
        this.server = http.createServer((req, res) => void this.handle(req, res));
        this.server.on('connection', (socket) => {
            this.sockets.add(socket);
            socket.on('close', () => this.sockets.delete(socket));
        });
    }

    static async start(options: FakeEntraOptions): Promise<FakeEntra> {
        const fake = new FakeEntra(options);
        await new Promise<void>((resolve, reject) => {
            fake.server.once('error', reject);
            fake.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
        });
        fake.port = (fake.server.address() as AddressInfo).port;
        return fake;
    }

    /** http://127.0.0.1:PORT (use as GraphSettings.authorityHost) */
    get url(): string {
        return `http://127.0.0.1:${this.port}`;
    }
    get authorityHost(): string {
        return this.url;
    }
    /** http://127.0.0.1:PORT/{tenant} */
    get authorityUrl(): string {
        return `${this.url}/${this.options.tenantId}`;
    }
    get tokenEndpoint(): string {
        return `${this.authorityUrl}/oauth2/v2.0/token`;
    }
    get tenantId(): string {
        return this.options.tenantId;
    }

    /** add or replace a client registration (e.g. rotate a secret) */
    register(client: FakeEntraClient): void {
        const thumbprints = new Set<string>();
        let publicKey: crypto.KeyObject | undefined;
        if (client.certificatePem) {
            const cert = new crypto.X509Certificate(client.certificatePem);
            publicKey = cert.publicKey;
            thumbprints.add(hexThumbprint(cert.fingerprint));
            thumbprints.add(hexThumbprint(cert.fingerprint256));
        } else if (client.publicKeyPem) {
            publicKey = crypto.createPublicKey(client.publicKeyPem);
        }
        if (client.certificateThumbprint) thumbprints.add(hexThumbprint(client.certificateThumbprint));
        this.clients.set(client.clientId, { ...client, publicKey, thumbprints });
    }

    /** the next n token requests answer `status` (429/5xx: with Retry-After when given) */
    failNext(n: number, status: number, opts: { retryAfterSeconds?: number } = {}): void {
        this.failures.push({ remaining: n, status, retryAfterSeconds: opts.retryAfterSeconds });
    }

    /**
     * A user's token as Teams SSO gets it for the app, signed with the published key. `aud` is the
     * scope's resource (api://<host>/<client id>). Entra issues v1 tokens unless the resource app's
     * manifest asks for v2 (`accessTokenAcceptedVersion: 2`): a v1 token carries that resource as
     * its audience and the sts.windows.net issuer; a v2 token carries the bare client id and the
     * login.microsoftonline.com/.../v2.0 issuer.
     */
    userToken(o: { oid: string; name: string; aud: string; tid?: string; expiresIn?: number; foreignKey?: boolean; version?: '1.0' | '2.0' }): string {
        const now = Math.floor(this.now() / 1000);
        const tid = o.tid ?? this.options.tenantId;
        const header = { alg: 'RS256', typ: 'JWT', kid: this.kid };
        const v2 = o.version === '2.0';
        const payload = {
            aud: v2 ? o.aud.split('/').at(-1) : o.aud,
            iss: v2 ? `https://login.microsoftonline.com/${tid}/v2.0` : `https://sts.windows.net/${tid}/`,
            iat: now, nbf: now, exp: now + (o.expiresIn ?? 3600),
            oid: o.oid, tid, name: o.name, scp: 'access_as_user', ver: v2 ? '2.0' : '1.0',
            ...(v2 ? { preferred_username: `${o.oid.slice(0, 8)}@example.org` } : { upn: `${o.oid.slice(0, 8)}@example.org` }),
        };
        const data = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
        const key = o.foreignKey ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : this.signingKey;
        return `${data}.${crypto.sign('RSA-SHA256', Buffer.from(data), key).toString('base64url')}`;
    }

    /** Checks an access token issued by this fake: signature + kid, exp/nbf (clock `now`), audience (default Graph), tid. */
    verify(token: string, audience: string = GRAPH_AUDIENCE): VerifiedToken | null {
        const parts = token.split('.');
        if (parts.length !== 3) return null;
        const [h, p, s] = parts as [string, string, string];
        let header: Record<string, unknown>;
        let payload: Record<string, unknown>;
        try {
            header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
            payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
        } catch {
            return null;
        }
        if (header.alg !== 'RS256' || header.kid !== this.kid) return null;
        const ok = crypto.verify('sha256', Buffer.from(`${h}.${p}`), this.verifyKey, Buffer.from(s, 'base64url'));
        if (!ok) return null;
        const nowSec = Math.floor(this.now() / 1000);
        if (typeof payload.exp !== 'number' || payload.exp <= nowSec) return null;
        if (typeof payload.nbf === 'number' && payload.nbf > nowSec + 300) return null;
        const audOk = audience === GRAPH_AUDIENCE ? payload.aud === GRAPH_AUDIENCE || payload.aud === GRAPH_APP_ID : payload.aud === audience;
        if (!audOk) return null;
        if (payload.tid !== this.options.tenantId) return null;
        const roles = Array.isArray(payload.roles) ? (payload.roles as unknown[]).filter((r): r is string => typeof r === 'string') : [];
        return { clientId: String(payload.appid), roles, tenantId: String(payload.tid), exp: payload.exp };
    }

    async close(): Promise<void> {
        for (const socket of this.sockets) socket.destroy();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    // ---------------------------------------------------------------------------------------------------------

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const url = new URL(req.url ?? '/', this.url);
        const method = req.method ?? 'GET';
        const body = await readBody(req);
        const at = this.now();
        const segments = url.pathname.split('/').filter(Boolean);
        const tenant = segments[0] ?? '';
        const rest = '/' + segments.slice(1).join('/');
        const log: EntraRequestLogEntry = { method, path: url.pathname, status: 0, at };
        this.requests.push(log);
        const send = (status: number, json: unknown, headers: Record<string, string> = {}): void => {
            log.status = status;
            const text = JSON.stringify(json);
            res.writeHead(status, {
                'content-type': 'application/json; charset=utf-8',
                'cache-control': 'no-store, no-cache',
                'x-ms-request-id': crypto.randomUUID(),
                ...headers,
            });
            res.end(text);
        };
        try {
            if (tenant !== this.options.tenantId && tenant !== 'common' && tenant !== 'organizations') {
                throw new EntraError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
            }
            if (method === 'GET' && rest === '/v2.0/.well-known/openid-configuration') {
                send(200, this.openIdConfiguration());
                return;
            }
            if (method === 'GET' && (rest === '/discovery/v2.0/keys' || rest === '/discovery/keys')) {
                const jwk = this.verifyKey.export({ format: 'jwk' });
                send(200, { keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, n: jwk.n, e: jwk.e }] });
                return;
            }
            if (rest === '/oauth2/v2.0/token') {
                if (method !== 'POST') throw new EntraError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
                const failure = this.failures.find((f) => f.remaining > 0);
                if (failure) {
                    failure.remaining--;
                    this.failures = this.failures.filter((f) => f.remaining > 0);
                    const headers: Record<string, string> = failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
                    log.error = 'injected';
                    send(failure.status, entraErrorBody('temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.', at), headers);
                    return;
                }
                const form = new URLSearchParams(body);
                send(200, this.token(form, log));
                return;
            }
            throw new EntraError(404, 'invalid_request', 90027, `The endpoint '${url.pathname}' does not exist on the fake.`);
        } catch (e) {
            if (e instanceof EntraError) {
                log.error = e.error;
                send(e.status, entraErrorBody(e.error, e.aadsts, e.message.replace(/^AADSTS\d+: /, ''), at));
                return;
            }
            log.error = 'server_error';
            send(500, entraErrorBody('server_error', 50000, `Fake failure: ${(e as Error).message}`, at));
        }
    }

    private openIdConfiguration(): Record<string, unknown> {
        const base = this.authorityUrl;
        return {
            token_endpoint: `${base}/oauth2/v2.0/token`,
            token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
            jwks_uri: `${base}/discovery/v2.0/keys`,
            response_modes_supported: ['query', 'fragment', 'form_post'],
            subject_types_supported: ['pairwise'],
            id_token_signing_alg_values_supported: ['RS256'],
            response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
            scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
            issuer: `${base}/v2.0`,
            request_uri_parameter_supported: false,
            userinfo_endpoint: `${this.url}/oidc/userinfo`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
            http_logout_supported: true,
            frontchannel_logout_supported: true,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'ver'],
            tenant_region_scope: 'EU',
            cloud_instance_name: 'microsoftonline.com',
        };
    }

    private token(form: URLSearchParams, log: EntraRequestLogEntry): Record<string, unknown> {
        const grantType = form.get('grant_type');
        if (grantType !== 'client_credentials') {
            throw new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`);
        }
        const clientId = form.get('client_id') ?? '';
        log.clientId = clientId;
        if (!clientId) throw new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
        const scope = form.get('scope') ?? '';
        const scopes = scope.split(' ').filter(Boolean);
        const resourceScope = scopes.find((s) => s.endsWith('/.default'));
        if (!resourceScope || scopes.some((s) => s !== resourceScope && !['openid', 'profile', 'offline_access'].includes(s))) {
            throw new EntraError(
                400,
                'invalid_scope',
                1002012,
                `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
            );
        }
        const resource = resourceScope.slice(0, -'/.default'.length);
        if (resource !== GRAPH_AUDIENCE && resource !== GRAPH_APP_ID && resource !== 'https://api.botframework.com' && resource !== OSSRDBMS_AUDIENCE) {
            throw new EntraError(
                400,
                'invalid_resource',
                500011,
                `The resource principal named ${resource} was not found in the tenant named ${this.options.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
            );
        }
        const client = this.clients.get(clientId);
        if (!client) {
            throw new EntraError(
                400,
                'unauthorized_client',
                700016,
                `Application with identifier '${clientId}' was not found in the directory '${this.options.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
            );
        }
        const secret = form.get('client_secret');
        const assertion = form.get('client_assertion');
        if (secret !== null) {
            log.credential = 'secret';
            if (client.secret === undefined || !timingSafeEqualString(secret, client.secret)) {
                throw new EntraError(
                    401,
                    'invalid_client',
                    7000215,
                    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
                );
            }
        } else if (assertion !== null) {
            log.credential = 'certificate';
            if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
                throw new EntraError(400, 'invalid_request', 50027, `Invalid client_assertion_type; expected '${ASSERTION_TYPE}'.`);
            }
            this.checkAssertion(client, assertion);
        } else {
            throw new EntraError(400, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
        }

        const nowSec = Math.floor(this.now() / 1000);
        const exp = nowSec + this.lifetime;
        const claims: Record<string, unknown> = {
            // the token is for the resource the scope names (Graph, the Bot Framework, …)
            aud: resource,
            iss: `https://sts.windows.net/${this.options.tenantId}/`,
            iat: nowSec,
            nbf: nowSec,
            exp,
            aio: crypto.randomBytes(12).toString('base64url'),
            app_displayname: client.displayName ?? 'Kenniskring',
            appid: clientId,
            appidacr: log.credential === 'certificate' ? '2' : '1',
            azp: clientId,
            idp: `https://sts.windows.net/${this.options.tenantId}/`,
            idtyp: 'app',
            oid: uuidFrom(`sp:${clientId}`),
            sub: uuidFrom(`sp:${clientId}`),
            tid: this.options.tenantId,
            uti: crypto.randomBytes(16).toString('base64url'),
            ver: '1.0',
        };
        const roles = client.roles ?? ['Sites.Selected'];
        if (roles.length > 0) claims.roles = roles;
        const accessToken = signJwt({ typ: 'JWT', alg: 'RS256', kid: this.kid, x5t: this.kid }, claims, this.signingKey);
        this.issued++;
        return {
            token_type: 'Bearer',
            expires_in: this.lifetime,
            ext_expires_in: this.lifetime,
            access_token: accessToken,
        };
    }

    private checkAssertion(client: RegisteredClient, assertion: string): void {
        const fail = (code: number, description: string): never => {
            throw new EntraError(401, 'invalid_client', code, description);
        };
        const parts = assertion.split('.');
        if (parts.length !== 3) fail(50027, 'JWT token is invalid or malformed.');
        const [h, p, s] = parts as [string, string, string];
        let header: Record<string, unknown> = {};
        let payload: Record<string, unknown> = {};
        try {
            header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
            payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
        } catch {
            fail(50027, 'JWT token is invalid or malformed.');
        }
        if (client.thumbprints.size === 0 || !client.publicKey) {
            fail(700027, `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${String(header.x5t ?? header['x5t#S256'] ?? '')}']. No certificate is registered on app '${client.clientId}'.`);
        }
        const x5t = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : typeof header.x5t === 'string' ? header.x5t : undefined;
        const presented = x5t ? Buffer.from(x5t, 'base64url').toString('hex') : '';
        if (!presented || !client.thumbprints.has(presented)) {
            fail(
                700027,
                `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${presented.toUpperCase()}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${client.clientId}'.]`,
            );
        }
        if (Array.isArray(header.x5c) && typeof header.x5c[0] === 'string') {
            const leaf = new crypto.X509Certificate(Buffer.from(header.x5c[0], 'base64'));
            const leafPrints = [hexThumbprint(leaf.fingerprint), hexThumbprint(leaf.fingerprint256)];
            if (!leafPrints.includes(presented)) fail(700027, 'The x5c certificate does not match the x5t thumbprint of the client assertion.');
        }
        const data = Buffer.from(`${h}.${p}`);
        const signature = Buffer.from(s, 'base64url');
        let valid = false;
        if (header.alg === 'RS256') {
            valid = crypto.verify('sha256', data, client.publicKey!, signature);
        } else if (header.alg === 'PS256') {
            valid = crypto.verify(
                'sha256',
                data,
                { key: client.publicKey!, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO },
                signature,
            );
        } else {
            fail(700027, `Client assertion uses unsupported algorithm '${String(header.alg)}'.`);
        }
        if (!valid) fail(700027, 'Client assertion failed signature validation.');
        if (payload.iss !== client.clientId || payload.sub !== client.clientId) {
            fail(700021, `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`);
        }
        const audiences = [this.tokenEndpoint, `${this.authorityUrl}/v2.0`, `https://login.microsoftonline.com/${this.options.tenantId}/oauth2/v2.0/token`];
        const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
        if (!aud.some((a) => typeof a === 'string' && audiences.includes(a))) {
            fail(700212, `No matching federated identity record found for presented assertion audience '${String(payload.aud)}'.`);
        }
        const nowSec = Math.floor(this.now() / 1000);
        if (typeof payload.exp !== 'number' || payload.exp < nowSec - 300 || (typeof payload.nbf === 'number' && payload.nbf > nowSec + 300)) {
            fail(700024, 'Client assertion is not within its valid time range.');
        }
    }
}

// ----------------------------------------------------------------------------------------------------------------
// helpers

function entraErrorBody(error: string, aadsts: number, description: string, at: number): Record<string, unknown> {
    const traceId = crypto.randomUUID();
    const correlationId = crypto.randomUUID();
    const timestamp = new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    return {
        error,
        error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
        error_codes: [aadsts],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    };
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}

function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: crypto.KeyObject): string {
    const h = Buffer.from(JSON.stringify(header)).toString('base64url');
    const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const s = crypto.sign('sha256', Buffer.from(`${h}.${p}`), key).toString('base64url');
    return `${h}.${p}.${s}`;
}

function timingSafeEqualString(a: string, b: string): boolean {
    const ha = crypto.createHash('sha256').update(a).digest();
    const hb = crypto.createHash('sha256').update(b).digest();
    return crypto.timingSafeEqual(ha, hb) && a.length === b.length;
}

function hexThumbprint(value: string): string {
    return value.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
}

function uuidFrom(seed: string): string {
    const h = crypto.createHash('sha256').update(seed).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ----------------------------------------------------------------------------------------------------------------
// self-signed X.509 certificate without openssl (DER written by hand, signed with node:crypto)

export interface SelfSignedCertificate {
    certificatePem: string;
    /** PKCS#8 PEM (-----BEGIN PRIVATE KEY-----), what msal-node's clientCertificate.privateKey expects */
    privateKeyPem: string;
    publicKeyPem: string;
    /** lower-case hex, no separators */
    thumbprintSha1: string;
    thumbprintSha256: string;
}

export function createSelfSignedCertificate(opts: { commonName?: string; days?: number; now?: number } = {}): SelfSignedCertificate {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const notBefore = new Date((opts.now ?? Date.now()) - 60_000);
    const notAfter = new Date(notBefore.getTime() + (opts.days ?? 365) * 86_400_000);
    const name = seq(set(seq(oid('2.5.4.3'), der(0x0c, Buffer.from(opts.commonName ?? 'Kenniskring test', 'utf8')))));
    const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
    const serial = crypto.randomBytes(16);
    serial[0] = serial[0]! & 0x7f; // positive
    const tbs = seq(
        der(0xa0, integer(Buffer.from([0x02]))), // v3
        integer(serial),
        sha256WithRsa,
        name,
        seq(utcTime(notBefore), utcTime(notAfter)),
        name,
        publicKey.export({ type: 'spki', format: 'der' }),
    );
    const signature = crypto.sign('sha256', tbs, privateKey);
    const certDer = seq(tbs, sha256WithRsa, der(0x03, Buffer.concat([Buffer.from([0x00]), signature])));
    const b64 = certDer.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
    const certificatePem = `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
    const x509 = new crypto.X509Certificate(certificatePem);
    return {
        certificatePem,
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        thumbprintSha1: hexThumbprint(x509.fingerprint),
        thumbprintSha256: hexThumbprint(x509.fingerprint256),
    };
}

function der(tag: number, ...content: Buffer[]): Buffer {
    const body = Buffer.concat(content);
    const len = body.length;
    let lenBytes: Buffer;
    if (len < 0x80) lenBytes = Buffer.from([len]);
    else {
        const bytes: number[] = [];
        for (let n = len; n > 0; n >>= 8) bytes.unshift(n & 0xff);
        lenBytes = Buffer.from([0x80 | bytes.length, ...bytes]);
    }
    return Buffer.concat([Buffer.from([tag]), lenBytes, body]);
}
const seq = (...parts: Buffer[]): Buffer => der(0x30, ...parts);
const set = (...parts: Buffer[]): Buffer => der(0x31, ...parts);
/** A DER INTEGER: minimal (no redundant leading zero bytes), positive (a zero byte before a high bit). */
function integer(value: Buffer): Buffer {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0 && !(value[start + 1]! & 0x80)) start++;
    const v = value.subarray(start);
    return der(0x02, v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}
function oid(dotted: string): Buffer {
    const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
    const bytes = [a * 40 + b];
    for (const n of rest) {
        const chunk: number[] = [n & 0x7f];
        for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
        bytes.push(...chunk);
    }
    return der(0x06, Buffer.from(bytes));
}
function utcTime(d: Date): Buffer {
    const p = (n: number): string => String(n).padStart(2, '0');
    const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
    return der(0x17, Buffer.from(s, 'ascii'));
}

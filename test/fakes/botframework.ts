import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stand-in for the Bot Framework channel's token issuer (what Teams signs activities with):
 * OpenID metadata and a JWKS over real HTTP, and RS256 tokens as the channel sends them in the
 * Authorization header of each activity — iss api.botframework.com, aud the bot's app id, a
 * `serviceurl` claim equal to the activity's service URL.
 */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface ChannelTokenOptions {
  appId: string;
  serviceUrl: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  notBefore?: number;
  issuer?: string;
  kid?: string;
  alg?: 'RS256' | 'HS256' | 'none';
  /** Sign with a key the JWKS does not publish. */
  foreignKey?: boolean;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export class FakeChannelIssuer {
  private readonly server: http.Server;
  private readonly keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly foreign = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly kid = `kk-${crypto.randomBytes(6).toString('hex')}`;
  private port = 0;
  metadataRequests = 0;

  private constructor() {
    this.server = http.createServer((req, res) => {
      const send = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
      if (req.url === '/v1/.well-known/openidconfiguration') {
        this.metadataRequests++;
        send(200, {
          issuer: CHANNEL_ISSUER, authorization_endpoint: `${this.url}/v1/authorize`, jwks_uri: `${this.url}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      } else if (req.url === '/v1/.well-known/keys') {
        const jwk = this.keys.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
        send(200, { keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] });
      } else {
        send(404, { error: 'not found' });
      }
    });
  }

  static async start(): Promise<FakeChannelIssuer> {
    const f = new FakeChannelIssuer();
    await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', () => resolve()));
    f.port = (f.server.address() as AddressInfo).port;
    return f;
  }

  get url(): string { return `http://127.0.0.1:${this.port}`; }
  get metadataUrl(): string { return `${this.url}/v1/.well-known/openidconfiguration`; }

  /** A channel token; the options make the bad ones (expired, wrong audience, HS256, alg none, …). */
  token(o: ChannelTokenOptions): string {
    const now = Math.floor(Date.now() / 1000);
    const alg = o.alg ?? 'RS256';
    const header = { alg, typ: 'JWT', kid: o.kid ?? this.kid };
    const payload = {
      iss: o.issuer ?? CHANNEL_ISSUER, aud: o.appId, serviceurl: o.serviceUrl,
      nbf: now + (o.notBefore ?? -60), iat: now - 60, exp: now + (o.expiresIn ?? 3600),
    };
    const data = `${b64(header)}.${b64(payload)}`;
    if (alg === 'none') return `${data}.`;
    if (alg === 'HS256') return `${data}.${crypto.createHmac('sha256', 'guessable').update(data).digest('base64url')}`;
    const key = o.foreignKey ? this.foreign.privateKey : this.keys.privateKey;
    return `${data}.${crypto.sign('RSA-SHA256', Buffer.from(data), key).toString('base64url')}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

import crypto from 'node:crypto';
import type { Logger } from 'pino';

/** A signed-in Teams user, as their SSO token tells. */
export interface TabUser { oid: string; tid: string; name: string }

export class TokenRefused extends Error {
  constructor(readonly status: 401 | 403, message: string) {
    super(message);
    this.name = 'TokenRefused';
  }
}

interface Jwk { kid?: string; kty?: string; n?: string; e?: string }
const SKEW_S = 300;
const KEYS_TTL_MS = 3_600_000;
const REFETCH_MIN_MS = 60_000;

/**
 * Checks a Teams SSO token (authentication.getAuthToken) the way Entra ID issues them: RS256 with
 * a key from the tenant's published JWKS, an allowed tenant, our audience, a v1 or v2 issuer of that
 * tenant, and a lifetime with five minutes' skew.
 */
export class UserTokenValidator {
  private readonly keys = new Map<string, { keys: Map<string, crypto.KeyObject>; at: number }>();

  constructor(private readonly d: { authorityHost: string; audiences: readonly string[]; tenants: readonly string[]; log: Logger; fetch?: typeof fetch; now?: () => number }) {}

  async validate(authorization: string | undefined): Promise<TabUser> {
    const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
    if (!m) throw new TokenRefused(401, 'a Bearer token is required');
    const [, h, p, s] = m as unknown as [string, string, string, string];
    let header: { alg?: string; kid?: string };
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    } catch {
      throw new TokenRefused(401, 'the token is not a JWT');
    }
    if (header.alg !== 'RS256' || !header.kid) throw new TokenRefused(401, 'the token must be RS256 with a key id');
    const tid = typeof claims.tid === 'string' ? claims.tid : '';
    if (!this.d.tenants.includes(tid)) throw new TokenRefused(403, 'this tenant is not allowed');
    const key = await this.key(tid, header.kid);
    if (!key || !crypto.verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) throw new TokenRefused(401, 'the signature is not valid');
    const now = Math.floor((this.d.now?.() ?? Date.now()) / 1000);
    if (typeof claims.exp !== 'number' || claims.exp + SKEW_S < now) throw new TokenRefused(401, 'the token has expired');
    if (typeof claims.nbf === 'number' && claims.nbf - SKEW_S > now) throw new TokenRefused(401, 'the token is not valid yet');
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => typeof a === 'string' && this.d.audiences.includes(a))) throw new TokenRefused(401, 'the token is for another audience');
    const issuers = [`${this.d.authorityHost}/${tid}/v2.0`, `https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`];
    if (!issuers.includes(String(claims.iss))) throw new TokenRefused(401, 'the token has another issuer');
    const oid = typeof claims.oid === 'string' ? claims.oid : '';
    if (!oid) throw new TokenRefused(401, 'the token names no user');
    return { oid, tid, name: typeof claims.name === 'string' ? claims.name : '' };
  }

  private async key(tid: string, kid: string): Promise<crypto.KeyObject | null> {
    const cached = this.keys.get(tid);
    const now = Date.now();
    const fresh = cached && now - cached.at < KEYS_TTL_MS;
    if (fresh && cached.keys.has(kid)) return cached.keys.get(kid)!;
    if (cached && now - cached.at < REFETCH_MIN_MS) return cached.keys.get(kid) ?? null; // unknown key: refetch at most once a minute
    try {
      const res = await (this.d.fetch ?? fetch)(`${this.d.authorityHost}/${tid}/discovery/v2.0/keys`);
      if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
      const body = (await res.json()) as { keys?: Jwk[] };
      const keys = new Map<string, crypto.KeyObject>();
      for (const k of body.keys ?? []) {
        if (k.kty === 'RSA' && k.kid && k.n && k.e) keys.set(k.kid, crypto.createPublicKey({ key: { kty: 'RSA', n: k.n, e: k.e }, format: 'jwk' }));
      }
      this.keys.set(tid, { keys, at: now });
      return keys.get(kid) ?? null;
    } catch (err) {
      this.d.log.warn({ err: (err as Error).message }, 'could not read the signing keys for tab tokens');
      return cached?.keys.get(kid) ?? null;
    }
  }
}

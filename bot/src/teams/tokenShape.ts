/**
 * A first gate before botbuilder validates a channel token: the Authorization header must be a
 * Bearer JWT signed with RSA (RS256/384/512) naming its key. botbuilder then checks the signature,
 * issuer, audience, lifetime and service URL; this gate only turns tokens its JWT library would
 * choke on (alg none, HMAC, garbage) into a clean 401 instead of a 500.
 */
const RSA_ALGS = new Set(['RS256', 'RS384', 'RS512']);

export function plausibleChannelToken(authorization: string | undefined): boolean {
  const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!m) return false;
  try {
    const header = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as { alg?: unknown; kid?: unknown };
    return typeof header.alg === 'string' && RSA_ALGS.has(header.alg) && typeof header.kid === 'string' && header.kid.length > 0;
  } catch {
    return false; // not JSON: not a token
  }
}

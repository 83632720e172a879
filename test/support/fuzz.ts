import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';

/** A seeded generator (LCG): a failing case is reproduced from the seed and its index. */
export function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  return Object.assign(next, {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  });
}
export type Rng = ReturnType<typeof rng>;

export interface RawResponse { status: number; headers: http.IncomingHttpHeaders; body: string }

/**
 * One HTTP request with exactly the bytes and headers given (fetch would add or refuse some):
 * `chunks` are written one by one with chunked transfer encoding when no Content-Length is given.
 * A reset or a closed connection rejects: a test counts it as a request the server dropped.
 */
export function rawRequest(url: string, o: {
  method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string; chunks?: (Buffer | string)[]; agent?: http.Agent | false;
}): Promise<RawResponse> {
  const target = new URL(o.path, url);
  return new Promise((resolve, reject) => {
    const req = http.request({
      method: o.method ?? 'POST', hostname: target.hostname, port: target.port, path: target.pathname + target.search,
      headers: { ...(o.body !== undefined ? { 'content-length': String(Buffer.byteLength(o.body)) } : {}), ...o.headers },
      agent: o.agent ?? false,
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (o.chunks) {
      for (const c of o.chunks) req.write(c);
      req.end();
    } else {
      req.end(o.body);
    }
  });
}

/**
 * Every row of every table of the embedded store, hashed: read through a second, read-only
 * connection, so the check does not depend on the bot's own code. Equal digests = unchanged store.
 */
export function storeDigest(dataDir: string): string {
  const db = new Database(path.join(dataDir, 'kenniskring.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const hash = crypto.createHash('sha256');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    for (const t of tables) {
      hash.update(`\u0000${t}\u0000`);
      for (const row of db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw().iterate()) hash.update(JSON.stringify(row));
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

/** An error body must never carry exception text, a stack or a path on this machine. */
export function leaksInternals(body: string): boolean {
  return /\bat [\w.<>]+ \(|node_modules|\/work\/|\/dist\/|TypeError|SyntaxError|ReferenceError|SqliteError|SQLITE_|is not a function|Cannot read prop|Unexpected token|validateAndFixActivity/.test(body);
}

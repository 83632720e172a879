import fs from 'node:fs';
import pg from 'pg';
import { KenniskringError } from '../../domain/errors';

/** What a repository runs its statements on: the pool (one statement) or a transaction's client. */
export interface Sql {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface PgConnectionOptions {
  /** postgres://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…] */
  url: string;
  /** A fresh password for each new connection (an Entra access token); the URL's password otherwise. */
  password?: () => Promise<string>;
  /** Connections per process (default 10). */
  poolSize?: number;
  applicationName?: string;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1)$/i;
const INSECURE_SSL_MODES = new Set(['disable', 'allow', 'prefer']);

/**
 * Turns DATABASE_URL into pg's settings. TLS is required (and the certificate checked against the
 * host name) whenever the server is not on this machine: a `sslmode` that would allow plain text
 * is refused there, naming the setting.
 */
export function poolConfig(o: PgConnectionOptions): pg.PoolConfig {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new KenniskringError('config_invalid', 'DATABASE_URL is not a URL (expected postgres://user@host:5432/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new KenniskringError('config_invalid', `DATABASE_URL must start with postgres:// (got ${url.protocol}//)`);
  }
  const host = decodeURIComponent(url.hostname).replace(/^\[|\]$/g, '');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!host || !database || !url.username) {
    throw new KenniskringError('config_invalid', 'DATABASE_URL needs a user, a host and a database: postgres://user@host:5432/database');
  }
  const sslMode = url.searchParams.get('sslmode');
  const loopback = LOOPBACK.test(host);
  if (!loopback && sslMode !== null && INSECURE_SSL_MODES.has(sslMode)) {
    throw new KenniskringError('config_invalid', `DATABASE_URL: sslmode=${sslMode} is not allowed for ${host}: TLS is required when the database is not on this machine (use sslmode=require or verify-full)`);
  }
  const tls = !loopback || (sslMode !== null && !INSECURE_SSL_MODES.has(sslMode));
  const rootCert = url.searchParams.get('sslrootcert');
  const ssl: pg.PoolConfig['ssl'] = tls
    ? { rejectUnauthorized: true, servername: LOOPBACK.test(host) || /^[\d.:]+$/.test(host) ? undefined : host, ...(rootCert ? { ca: fs.readFileSync(rootCert, 'utf8') } : {}) }
    : false;
  return {
    host,
    port: url.port ? Number(url.port) : 5432,
    database,
    user: decodeURIComponent(url.username),
    password: o.password ?? decodeURIComponent(url.password),
    ssl,
    max: o.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: o.applicationName ?? 'kenniskring',
    // A statement that hangs (a lock never released) fails instead of holding a request forever.
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 30_000,
  };
}

/** True when a statement changed (or found) a row. */
export const changed = (r: { rowCount: number | null }): boolean => (r.rowCount ?? 0) > 0;

/** Conflicts PostgreSQL resolves by failing one transaction: running it again is the documented answer. */
const RETRYABLE = new Set(['40001', '40P01']);
const TX_ATTEMPTS = 5;

/** The pool, and transactions that retry on a serialization failure or deadlock. */
export class PgDb implements Sql {
  private closed = false;

  constructor(readonly pool: pg.Pool) {
    // An idle connection the server dropped must not crash the process: the next query reconnects.
    pool.on('error', () => undefined);
  }

  get open(): boolean {
    return !this.closed;
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(text, values);
  }

  /** One statement in its own transaction, run again on a serialization failure or deadlock. */
  async statement<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pool.query<R>(text, values);
      } catch (err) {
        if (attempt < TX_ATTEMPTS && RETRYABLE.has((err as { code?: string }).code ?? '')) continue;
        throw err;
      }
    }
  }

  /** Runs `fn` in one transaction (READ COMMITTED; rows are locked where it matters). */
  async tx<T>(fn: (c: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try { await client.query('ROLLBACK'); } catch { broken = true; }
        if (attempt < TX_ATTEMPTS && RETRYABLE.has((err as { code?: string }).code ?? '')) continue;
        throw err;
      } finally {
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/**
 * PostgreSQL errors that mean the store cannot be used right now (no connection, server shutting
 * down, out of connections or disk), as opposed to a bug in a query.
 */
export function isPgUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^(08|53|57P0[1-3])/.test(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN'].includes(code)) return true;
  }
  return /Connection terminated|connection timeout|Cannot use a pool after calling end|Client has encountered a connection error/i.test(err.message);
}

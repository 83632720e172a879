import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';
import { KenniskringError } from '../domain/errors';

export type Db = Database.Database;

/** Opens (or creates) the store in `dataDir`, in WAL mode, and brings the schema up to date. */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'kenniskring.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // an answer acknowledged to a member survives a crash of the machine, not only of the process
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the store at ${db.name} has schema version ${current}, newer than this build knows (${MIGRATIONS.length}); run a newer build`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The prepared statement for this SQL on this connection, prepared once: preparing on every call
 * showed up in the answer path's profile. The SQL texts are fixed in the repositories (a few
 * variants each), so the cache stays small.
 */
export function sql(db: Db, text: string): Database.Statement {
  let byText = statements.get(db);
  if (!byText) { byText = new Map(); statements.set(db, byText); }
  let stmt = byText.get(text);
  if (!stmt) { stmt = db.prepare(text); byText.set(text, stmt); }
  return stmt;
}

export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
export const dateOrNull = (s: string | null): Date | null => (s ? new Date(s) : null);

/**
 * SQLite result codes that mean the store itself cannot be used right now (locked, full, broken,
 * gone), as opposed to a bug in a query: the only failures that earn a client a 503.
 */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

export function isSqliteUnavailable(err: unknown): boolean {
  if (err instanceof Database.SqliteError) return UNAVAILABLE.test(err.code);
  // better-sqlite3 throws a TypeError once the connection is closed.
  return err instanceof TypeError && /database connection is not open/.test(err.message);
}

/**
 * SQLite serves one process. Two processes on one DATA_DIR would each post, sync and count (an
 * App Service deployment overlaps its containers): the second one refuses to start. The guard is
 * an exclusive lock on a small SQLite file of its own, held for the life of the process; the
 * operating system drops it when the process dies, so a restart after a crash is never blocked.
 * Readers of the store itself (a backup, a test) are not affected.
 */
export function holdInstanceLock(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'kenniskring.lock');
  const lock = new Database(file, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, since TEXT)');
    lock.exec('BEGIN EXCLUSIVE');
    lock.prepare('INSERT INTO holder VALUES (?, ?)').run(process.pid, new Date().toISOString());
    return lock;
  } catch (err) {
    lock.close();
    if (err instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(err.code)) {
      throw new KenniskringError('store_in_use',
        `another Kenniskring process is using the embedded store in ${path.resolve(dataDir)}. SQLite serves one process only: `
        + 'stop the other process, or set DATABASE_URL=postgres://… to run more than one instance');
    }
    throw err;
  }
}

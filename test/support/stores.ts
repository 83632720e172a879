/**
 * The two stores the bot runs on, for tests that must hold on both: the embedded SQLite store (a
 * folder) and PostgreSQL (a database on one throwaway server for the whole run, see postgres.ts).
 *
 * A test names its data by a folder, as it always did. Under PostgreSQL each folder gets its own
 * database, made on first use, so a test that restarts the bot "on the same DATA_DIR" restarts it
 * on the same database without knowing which store it runs on.
 */
import { PgStore, SqliteStore, type Store } from '../../bot/src/store';
import { startPostgres, type TestPostgres } from './postgres';

export type StoreKind = 'SQLite' | 'PostgreSQL';
export const STORE_KINDS: readonly StoreKind[] = ['SQLite', 'PostgreSQL'];

let current: StoreKind = 'SQLite';
let server: Promise<TestPostgres> | null = null;
const databases = new Map<string, Promise<string>>();

/** The store that `startTestBot`, `storeEnv` and `openTestStore` use now. */
export function currentStore(): StoreKind {
  return current;
}

/** Puts the next bots (and stores opened here) on this store (the benchmark runs each part on both). */
export function useStore(kind: StoreKind): void {
  current = kind;
}

let durable = false;

/** The benchmark's server commits durably (fsync on), as production does; call before its first use. */
export function useDurablePostgres(): void {
  if (server) throw new Error('the PostgreSQL server of this run is already started');
  durable = true;
}

/** The one PostgreSQL server of this run, started on first use (test/support/hooks.ts stops it). */
export function testPostgres(): Promise<TestPostgres> {
  return (server ??= startPostgres({ durable }));
}

export async function stopTestPostgres(): Promise<void> {
  const s = server;
  server = null;
  databases.clear();
  if (s) await (await s).stop();
}

/** The database that stands for this folder (made the first time it is asked for). */
export function databaseFor(dataDir: string): Promise<string> {
  let url = databases.get(dataDir);
  if (!url) {
    url = testPostgres().then((pg) => pg.createDatabase());
    databases.set(dataDir, url);
  }
  return url;
}

/** The settings that put a bot (in this process or another) on the current store, for this folder. */
export async function storeEnv(dataDir: string): Promise<Record<string, string>> {
  return current === 'PostgreSQL' ? { DATA_DIR: dataDir, DATABASE_URL: await databaseFor(dataDir) } : { DATA_DIR: dataDir };
}

/** Opens the current store's data for this folder beside the bot (to seed it or look into it). */
export async function openTestStore(dataDir: string): Promise<Store> {
  return current === 'PostgreSQL' ? PgStore.open({ url: await databaseFor(dataDir), poolSize: 2 }) : SqliteStore.open(dataDir);
}

/**
 * Declares the same suite once per store: "title (SQLite)" and "title (PostgreSQL)". The
 * PostgreSQL server is started before the first of its tests (its start counts against that hook,
 * not against a test).
 */
export function describeOnEachStore(title: string, body: (kind: StoreKind) => void): void {
  for (const kind of STORE_KINDS) {
    describe(`${title} (${kind})`, function () {
      before(async function () {
        current = kind;
        if (kind === 'PostgreSQL') {
          this.timeout(60_000);
          await testPostgres();
        }
      });
      after(() => {
        current = 'SQLite';
      });
      body(kind);
    });
  }
}

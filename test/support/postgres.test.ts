/**
 * Proves the throwaway PostgreSQL server (postgres.ts) that the store's tests will use:
 * it starts on its own, keeps databases apart, stores UTF-8 text, and is really gone after stop().
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { Client } from 'pg';
import { startPostgres, type TestPostgres } from './postgres';

/** Runs `work` on a fresh connection to `url`, closing it afterwards. */
async function withDb<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try { return await work(client); } finally { await client.end(); }
}

/** Whether anything accepts TCP connections on the loopback port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

describe('test support: throwaway PostgreSQL server', function () {
  this.timeout(30_000); // start-up is bounded at 20 s inside startPostgres; it normally takes well under 2 s
  const lines: string[] = [];
  let pg: TestPostgres;

  before(async () => {
    pg = await startPostgres({ log: (line) => lines.push(line) });
  });

  after(async () => {
    await pg?.stop(); // idempotent: the last test has normally stopped it already
  });

  it('gives a URL for the superuser on the loopback port', async () => {
    assert.match(pg.url, new RegExp(`^postgres://kenniskring:[^@]+@127\\.0\\.0\\.1:${pg.port}/kenniskring$`));
    const encoding = await withDb(pg.url, async (c) => (await c.query<{ server_encoding: string }>('SHOW server_encoding')).rows[0]?.server_encoding);
    assert.equal(encoding, 'UTF8');
  });

  it('creates separate, empty databases that keep UTF-8 text intact', async () => {
    const first = await pg.createDatabase('kk_first');
    const second = await pg.createDatabase();
    assert.notEqual(first, second);

    const kring = 'Gent-Eeklo é';
    await withDb(first, async (c) => {
      await c.query('CREATE TABLE kringen (id serial PRIMARY KEY, naam text NOT NULL)');
      await c.query('INSERT INTO kringen (naam) VALUES ($1)', [kring]);
    });
    const stored = await withDb(first, async (c) => (await c.query<{ naam: string; len: number; upper: string }>(
      'SELECT naam, length(naam) AS len, upper(naam) AS upper FROM kringen',
    )).rows);
    assert.deepEqual(stored, [{ naam: kring, len: 12, upper: 'GENT-EEKLO É' }]);

    const tables = await withDb(second, async (c) => (await c.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    )).rows);
    assert.deepEqual(tables, []);
  });

  it('refuses names that are not plain identifiers', async () => {
    await assert.rejects(pg.createDatabase('x"; DROP DATABASE kenniskring; --'), /not a plain database name/);
  });

  it('stops: the port no longer accepts connections', async () => {
    assert.equal(await accepts(pg.port), true);
    await pg.stop();
    assert.equal(await accepts(pg.port), false);
    assert.ok(lines.some((l) => /ready on port/.test(l)), 'the log callback heard the start-up');
  });
});

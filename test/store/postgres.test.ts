import assert from 'node:assert/strict';
import { Client } from 'pg';
import { PgStore, PG_MIGRATIONS, poolConfig } from '../../bot/src/store/postgres';
import { isStoreUnavailable } from '../../bot/src/store';
import { storeLocation } from '../../bot/src/app';
import { loadConfig, ConfigError } from '../../bot/src/config';
import { createLogger } from '../../bot/src/log';
import { testPostgres } from '../support/stores';
import { startSharePoint } from '../support/sharepoint';

const decodeJwt = (t: string): Record<string, unknown> => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

async function asSuperuser<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

describe('PostgreSQL store: connection, schema and Entra login', () => {
  before(async function () {
    this.timeout(60_000);
    await testPostgres();
  });

  describe('DATABASE_URL and TLS', () => {
    it('requires TLS with a checked certificate for a server that is not on this machine', () => {
      const remote = poolConfig({ url: 'postgres://kenniskring-id@kk-prod.postgres.database.azure.com:5432/kenniskring' });
      assert.deepEqual(remote.ssl, { rejectUnauthorized: true, servername: 'kk-prod.postgres.database.azure.com' });
      assert.equal(poolConfig({ url: 'postgres://kenniskring-id@kk-prod.postgres.database.azure.com/kenniskring?sslmode=require' }).ssl !== false, true);
      for (const mode of ['disable', 'allow', 'prefer']) {
        assert.throws(() => poolConfig({ url: `postgres://u@db.example.org/kenniskring?sslmode=${mode}` }),
          (err: Error) => err.message.includes(`sslmode=${mode} is not allowed for db.example.org`) && err.message.includes('DATABASE_URL'));
      }
    });

    it('talks plain TCP to a server on loopback unless TLS is asked for, and reads user, password and database from the URL', () => {
      const local = poolConfig({ url: 'postgres://kk:p%40ss@127.0.0.1:55432/kenniskring' });
      assert.equal(local.ssl, false);
      assert.equal(local.user, 'kk');
      assert.equal(local.password, 'p@ss');
      assert.equal(local.port, 55432);
      assert.equal(local.database, 'kenniskring');
      assert.notEqual(poolConfig({ url: 'postgres://kk@localhost/kenniskring?sslmode=verify-full' }).ssl, false);
    });

    it('refuses a URL without user, host or database, or of another kind, naming DATABASE_URL', () => {
      for (const url of ['postgres://127.0.0.1/kenniskring', 'postgres://kk@127.0.0.1/', 'mysql://kk@127.0.0.1/kenniskring', 'niet een url']) {
        assert.throws(() => poolConfig({ url }), /DATABASE_URL/, url);
      }
    });

    it('checks the settings at start-up: DATABASE_AUTH without a URL, entra without a credential or with a password in the URL', () => {
      const problems = (env: Record<string, string>): string => {
        try { loadConfig(env); return ''; } catch (err) { assert.ok(err instanceof ConfigError); return err.message; }
      };
      assert.match(problems({ DATABASE_AUTH: 'entra' }), /DATABASE_AUTH is set but DATABASE_URL is missing/);
      assert.match(problems({ DATABASE_URL: 'postgres://kk@127.0.0.1/kk', DATABASE_AUTH: 'entra' }), /DATABASE_AUTH=entra logs in with the bot's Entra credential/);
      assert.match(problems({ DATABASE_URL: 'mysql://kk@127.0.0.1/kk' }), /DATABASE_URL: must be a PostgreSQL URL/);
      assert.match(problems({ DATABASE_URL: 'postgres://kk:geheim@127.0.0.1/kk', DATABASE_AUTH: 'entra', GRAPH_TENANT_ID: 't', GRAPH_CLIENT_ID: 'c', GRAPH_MANAGED_IDENTITY: 'true', SHAREPOINT_SITE_ID: 's' }),
        /holds a password, but DATABASE_AUTH=entra/);
      const ok = loadConfig({ DATABASE_URL: 'postgres://kk@127.0.0.1/kk' });
      assert.deepEqual(ok.database, { url: 'postgres://kk@127.0.0.1/kk', auth: 'password', poolSize: 10 });
      assert.equal(loadConfig({}).database, null, 'the embedded store by default');
    });
  });

  describe('schema', () => {
    it('creates its schema once when two instances start on an empty database at the same moment', async () => {
      const url = await (await testPostgres()).createDatabase();
      const [a, b] = await Promise.all([PgStore.open({ url, poolSize: 2 }), PgStore.open({ url, poolSize: 2 })]);
      try {
        const versions = await asSuperuser(url, async (c) => (await c.query<{ version: number }>('SELECT version FROM kenniskring_schema ORDER BY version')).rows.map((r) => r.version));
        assert.deepEqual(versions, PG_MIGRATIONS.map((_, i) => i + 1), 'each migration applied once');
        assert.equal(await a.rkks.list().then((l) => l.length), 0);
        assert.equal(await b.rkks.list().then((l) => l.length), 0);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('refuses a schema newer than this build, naming both versions, and changes nothing', async () => {
      const url = await (await testPostgres()).createDatabase();
      await (await PgStore.open({ url, poolSize: 2 })).close();
      const newer = PG_MIGRATIONS.length + 3;
      await asSuperuser(url, (c) => c.query('INSERT INTO kenniskring_schema (version) VALUES ($1)', [newer]));
      const snapshot = (): Promise<string> => asSuperuser(url, async (c) =>
        JSON.stringify((await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.concat(
          (await c.query('SELECT version FROM kenniskring_schema ORDER BY 1')).rows)));
      const before = await snapshot();
      await assert.rejects(PgStore.open({ url, poolSize: 2 }), (err: Error) =>
        err.message.includes(`schema version ${newer}`) && err.message.includes(`newer than this build knows (${PG_MIGRATIONS.length})`));
      assert.equal(await snapshot(), before);
    });

    it('says where it could not log in, without the password; a server that is gone is "unavailable"', async () => {
      const server = await testPostgres();
      const url = await server.createDatabase();
      const wrong = url.replace(/:([^:@/]+)@/, ':fout-wachtwoord@');
      await assert.rejects(PgStore.open({ url: wrong, poolSize: 2 }), (err: Error & { code?: string }) =>
        err.code === 'store_unreachable' && err.message.includes(`@127.0.0.1:${server.port}/`) && err.message.includes('DATABASE_URL') && !err.message.includes('fout-wachtwoord'));
      const store = await PgStore.open({ url, poolSize: 2 });
      await store.close();
      await assert.rejects(store.rkks.list(), (err: unknown) => isStoreUnavailable(err), 'a closed pool counts as unavailable');
    });
  });

  describe('DATABASE_AUTH=entra', () => {
    it('logs in with an Entra access token of the bot\'s credential for the PostgreSQL resource, never a stored password', async function () {
      this.timeout(30_000);
      const server = await testPostgres();
      const sp = await startSharePoint();
      const url = await server.createDatabase();
      const { port, pathname } = new URL(url);
      try {
        const config = loadConfig({ ...sp.env, DATABASE_URL: `postgres://kk_entra@127.0.0.1:${port}${pathname}`, DATABASE_AUTH: 'entra' });
        const where = storeLocation(config, createLogger('silent'), undefined);
        assert.equal(where.kind, 'postgres');
        if (where.kind !== 'postgres') return;
        const password = where.connection.password;
        assert.ok(password, 'a token source, not the URL');
        const token = await password();
        const claims = decodeJwt(token);
        assert.equal(claims.aud, 'https://ossrdbms-aad.database.windows.net');
        assert.equal(claims.appid ?? claims.azp, sp.env.GRAPH_CLIENT_ID);
        // The stand-in for Azure's Entra login: the role accepts exactly that token.
        await asSuperuser(url, async (c) => {
          await c.query(`CREATE ROLE kk_entra LOGIN PASSWORD '${token.replace(/'/g, "''")}'`);
          await c.query('GRANT ALL ON SCHEMA public TO kk_entra');
        });
        const store = await PgStore.open(where.connection);
        try {
          assert.deepEqual(await store.rkks.list(), []);
          const mine = await asSuperuser(url, async (c) => (await c.query<{ tableowner: string }>(`SELECT tableowner FROM pg_tables WHERE tablename = 'answers'`)).rows[0]?.tableowner);
          assert.equal(mine, 'kk_entra', 'the schema was made by the Entra login');
        } finally {
          await store.close();
        }
        assert.ok(sp.entra.requests.some((r) => r.path.endsWith('/oauth2/v2.0/token') && r.status === 200), 'the token came from Entra');
      } finally {
        await sp.close();
      }
    });
  });
});

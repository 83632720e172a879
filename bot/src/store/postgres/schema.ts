import { KenniskringError } from '../../domain/errors';
import type { PgDb } from './db';
import { PG_MIGRATIONS } from './migrations';

/** Any fixed number: instances starting together take this advisory lock to migrate one at a time. */
const MIGRATION_LOCK = 0x4b4b_0001;

/**
 * Brings the schema up to this build's version, each migration in its own transaction. A database
 * whose schema is newer than this build (a newer release ran on it) is refused, naming both
 * versions: an older build must not write to a schema it does not know.
 */
export async function migrate(db: PgDb): Promise<{ from: number; to: number }> {
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS kenniskring_schema (version integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())');
      const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM kenniskring_schema');
      const from = rows[0]?.v ?? 0;
      if (from > PG_MIGRATIONS.length) {
        throw new KenniskringError('config_invalid',
          `the PostgreSQL store has schema version ${from}, newer than this build knows (${PG_MIGRATIONS.length}): run a newer build`);
      }
      for (let v = from; v < PG_MIGRATIONS.length; v++) {
        await client.query('BEGIN');
        try {
          await client.query(PG_MIGRATIONS[v]!);
          await client.query('INSERT INTO kenniskring_schema (version) VALUES ($1)', [v + 1]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
      return { from, to: PG_MIGRATIONS.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

import type { OutboxClaim, OutboxEntity, PendingEntity } from '../outbox';
import type { OutboxRepository } from '../port';
import { changed, type PgDb, type Sql } from './db';

/** Records a change for SharePoint on the caller's transaction, so the change and its row land together. */
export async function recordOutbox(sql: Sql, entity: OutboxEntity, key: string, now: Date): Promise<void> {
  await sql.query('INSERT INTO outbox (entity, entity_key, created_at) VALUES ($1, $2, $3)', [entity, key, now]);
}

/** One statement and, when it changed a row, the entity's outbox row: in one transaction. */
export function changeRecorded(db: PgDb, entity: OutboxEntity, key: string, now: Date, text: string, values: unknown[]): Promise<boolean> {
  return db.tx(async (c) => {
    const did = changed(await c.query(text, values));
    if (did) await recordOutbox(c, entity, key, now);
    return did;
  });
}

/** Many changes of one kind at once (erase, retention), in the order given. */
export async function recordOutboxMany(sql: Sql, entity: OutboxEntity, keys: readonly string[], now: Date): Promise<void> {
  if (!keys.length) return;
  await sql.query(`
    INSERT INTO outbox (entity, entity_key, created_at)
    SELECT $1, k, $3 FROM unnest($2::text[]) WITH ORDINALITY AS t(k, i) ORDER BY i
  `, [entity, keys, now]);
}

export class PgOutboxRepo implements OutboxRepository {
  constructor(private readonly db: PgDb) {}

  record(entity: OutboxEntity, key: string, now: Date): Promise<void> {
    return recordOutbox(this.db, entity, key, now);
  }

  async next(limit: number, exclude: ReadonlySet<string> = new Set()): Promise<PendingEntity[]> {
    const { rows } = await this.db.query<{ entity: OutboxEntity; key: string; up_to: string }>(`
      SELECT o.entity, o.entity_key AS key, MAX(o.id) AS up_to
      FROM outbox o LEFT JOIN sync_parked p ON p.entity = o.entity AND p.entity_key = o.entity_key
      WHERE p.entity IS NULL
      GROUP BY o.entity, o.entity_key ORDER BY MIN(o.id) LIMIT $1
    `, [limit + exclude.size]);
    return rows.filter((r) => !exclude.has(`${r.entity}:${r.key}`)).slice(0, limit)
      .map((r) => ({ entity: r.entity, key: r.key, upTo: Number(r.up_to) }));
  }

  /**
   * Like `next`, and claims what it returns for `by.owner`, in one statement: entities another live
   * instance holds are left out. Two instances claiming at once: the second's upsert waits for the
   * first's row and then finds it held, so each entity goes to one of them.
   */
  async claim(limit: number, by: OutboxClaim, now: Date, exclude: ReadonlySet<string> = new Set()): Promise<PendingEntity[]> {
    const { rows } = await this.db.query<{ entity: OutboxEntity; key: string; up_to: string }>(`
      WITH picked AS (
        SELECT o.entity, o.entity_key, MAX(o.id) AS up_to, MIN(o.id) AS first
        FROM outbox o LEFT JOIN sync_parked p ON p.entity = o.entity AND p.entity_key = o.entity_key
          LEFT JOIN outbox_claims c ON c.entity = o.entity AND c.entity_key = o.entity_key
        WHERE p.entity IS NULL AND (c.entity IS NULL OR c.claimed_by = $1 OR c.expires_at <= $3 OR NOT (c.claimed_by = ANY($4::text[])))
          AND NOT (o.entity || ':' || o.entity_key = ANY($6::text[]))
        GROUP BY o.entity, o.entity_key ORDER BY MIN(o.id) LIMIT $5
      ), taken AS (
        INSERT INTO outbox_claims (entity, entity_key, claimed_by, expires_at) SELECT entity, entity_key, $1, $2 FROM picked
        ON CONFLICT (entity, entity_key) DO UPDATE SET claimed_by = excluded.claimed_by, expires_at = excluded.expires_at
        WHERE outbox_claims.claimed_by = excluded.claimed_by OR outbox_claims.expires_at <= $3 OR NOT (outbox_claims.claimed_by = ANY($4::text[]))
        RETURNING entity, entity_key
      )
      SELECT p.entity, p.entity_key AS key, p.up_to FROM picked p JOIN taken t ON t.entity = p.entity AND t.entity_key = p.entity_key ORDER BY p.first
    `, [by.owner, by.until, now, by.alive, limit, [...exclude]]);
    return rows.map((r) => ({ entity: r.entity, key: r.key, upTo: Number(r.up_to) }));
  }

  /** The entity is in SharePoint as of row `upTo`; later changes stay pending (and its claim is given up). */
  async settle(p: PendingEntity): Promise<void> {
    await this.db.query(`
      WITH released AS (DELETE FROM outbox_claims WHERE entity = $1 AND entity_key = $2)
      DELETE FROM outbox WHERE entity = $1 AND entity_key = $2 AND id <= $3
    `, [p.entity, p.key, p.upTo]);
  }

  async pendingCount(): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>(`
      SELECT COUNT(*) AS n FROM (SELECT DISTINCT o.entity, o.entity_key FROM outbox o
        LEFT JOIN sync_parked p ON p.entity = o.entity AND p.entity_key = o.entity_key WHERE p.entity IS NULL) pending
    `);
    return Number(rows[0]!.n);
  }

  async oldestPendingAt(): Promise<Date | null> {
    const { rows } = await this.db.query<{ t: Date | null }>(`
      SELECT MIN(o.created_at) AS t FROM outbox o
      LEFT JOIN sync_parked p ON p.entity = o.entity AND p.entity_key = o.entity_key WHERE p.entity IS NULL
    `);
    return rows[0]!.t;
  }

  async itemId(entity: OutboxEntity, key: string): Promise<string | null> {
    const { rows } = await this.db.query<{ item_id: string }>('SELECT item_id FROM sp_items WHERE entity = $1 AND entity_key = $2', [entity, key]);
    return rows[0]?.item_id ?? null;
  }

  async rememberItem(entity: OutboxEntity, key: string, itemId: string, now: Date): Promise<void> {
    await this.db.query(`
      INSERT INTO sp_items (entity, entity_key, item_id, synced_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (entity, entity_key) DO UPDATE SET item_id = excluded.item_id, synced_at = excluded.synced_at
    `, [entity, key, itemId, now]);
  }

  async forgetItem(entity: OutboxEntity, key: string): Promise<void> {
    await this.db.query('DELETE FROM sp_items WHERE entity = $1 AND entity_key = $2', [entity, key]);
  }

  async park(entity: OutboxEntity, key: string, error: string, now: Date): Promise<void> {
    await this.db.query(`
      WITH released AS (DELETE FROM outbox_claims WHERE entity = $1 AND entity_key = $2)
      INSERT INTO sync_parked (entity, entity_key, error, parked_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (entity, entity_key) DO UPDATE SET error = excluded.error, parked_at = excluded.parked_at
    `, [entity, key, error.slice(0, 1000), now]);
  }

  async parked(limit = 50): Promise<{ entity: OutboxEntity; key: string; error: string; parkedAt: Date }[]> {
    const { rows } = await this.db.query<{ entity: OutboxEntity; entity_key: string; error: string; parked_at: Date }>(
      'SELECT * FROM sync_parked ORDER BY parked_at LIMIT $1', [limit]);
    return rows.map((r) => ({ entity: r.entity, key: r.entity_key, error: r.error, parkedAt: r.parked_at }));
  }

  async parkedCount(): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>('SELECT COUNT(*) AS n FROM sync_parked');
    return Number(rows[0]!.n);
  }

  async unparkAll(): Promise<number> {
    return (await this.db.query('DELETE FROM sync_parked')).rowCount ?? 0;
  }

  async questionRow(itemId: string): Promise<{ questionId: string | null; contentHash: string; status: string } | null> {
    const { rows } = await this.db.query<{ question_id: string | null; content_hash: string; status: string }>(
      'SELECT question_id, content_hash, status FROM sp_question_rows WHERE item_id = $1', [itemId]);
    const r = rows[0];
    return r ? { questionId: r.question_id, contentHash: r.content_hash, status: r.status } : null;
  }

  async saveQuestionRow(itemId: string, questionId: string | null, contentHash: string, status: string, now: Date): Promise<void> {
    await this.db.query(`
      INSERT INTO sp_question_rows (item_id, question_id, content_hash, status, seen_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (item_id) DO UPDATE SET question_id = excluded.question_id, content_hash = excluded.content_hash, status = excluded.status, seen_at = excluded.seen_at
    `, [itemId, questionId, contentHash, status, now]);
  }
}

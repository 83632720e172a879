import type { Db } from './db';
import { iso, sql } from './db';

/** What SharePoint must see: a question, an answer, a comment (thread reply), a post's status, a knowledge moment, a question for all regions, a recurring theme, a proposed question. */
export type OutboxEntity = 'question' | 'answer' | 'comment' | 'post' | 'audit' | 'moment' | 'ask' | 'theme' | 'proposal';

/** Composite keys join their parts with the ASCII unit separator, which never occurs in ids. */
export const KEY_SEP = '\u001f';
export const entityKey = (...parts: string[]): string => parts.join(KEY_SEP);
export const keyParts = (key: string): string[] => key.split(KEY_SEP);

export interface PendingEntity {
  entity: OutboxEntity;
  key: string;
  /** Highest outbox row of this entity when read: rows up to it are settled by one sync. */
  upTo: number;
}

/**
 * Who takes entities for the SharePoint sync, until when, and which instances are alive now:
 * another live instance's unexpired claim is left alone, a dead one's is taken over.
 */
export interface OutboxClaim { owner: string; until: Date; alive: readonly string[] }

/**
 * The write-ahead log of changes for SharePoint. Repositories call `record` inside the same
 * transaction as the change itself, so a change and its outbox row land together or not at all.
 */
export class OutboxRepo {
  constructor(private readonly db: Db) {}

  record(entity: OutboxEntity, key: string, now: Date): void {
    sql(this.db, 'INSERT INTO outbox (entity, entity_key, created_at) VALUES (?, ?, ?)').run(entity, key, iso(now));
  }

  /** The oldest pending entities, one entry per entity however often it changed; parked ones wait. */
  next(limit: number, exclude: ReadonlySet<string> = new Set()): PendingEntity[] {
    const rows = sql(this.db, `
      SELECT o.entity AS entity, o.entity_key AS key, MAX(o.id) AS upTo, MIN(o.id) AS first
      FROM outbox o LEFT JOIN sync_parked p ON p.entity = o.entity AND p.entity_key = o.entity_key
      WHERE p.entity IS NULL
      GROUP BY o.entity, o.entity_key ORDER BY first LIMIT ?
    `).all(limit + exclude.size) as (PendingEntity & { first: number })[];
    return rows.filter((r) => !exclude.has(`${r.entity}:${r.key}`)).slice(0, limit).map(({ entity, key, upTo }) => ({ entity, key, upTo }));
  }

  /** Like `next`, and claims what it returns for `by.owner`: entities another live instance holds are left out. */
  claim(limit: number, by: OutboxClaim, now: Date, exclude: ReadonlySet<string> = new Set()): PendingEntity[] {
    return this.db.transaction(() => {
      const rows = sql(this.db, `
        SELECT o.entity AS entity, o.entity_key AS key, MAX(o.id) AS upTo
        FROM outbox o LEFT JOIN sync_parked p ON p.entity = o.entity AND p.entity_key = o.entity_key
          LEFT JOIN outbox_claims c ON c.entity = o.entity AND c.entity_key = o.entity_key
        WHERE p.entity IS NULL
          AND (c.entity IS NULL OR c.claimed_by = @owner OR c.expires_at <= @now OR c.claimed_by NOT IN (SELECT value FROM json_each(@alive)))
          AND o.entity || ':' || o.entity_key NOT IN (SELECT value FROM json_each(@exclude))
        GROUP BY o.entity, o.entity_key ORDER BY MIN(o.id) LIMIT @limit
      `).all({ owner: by.owner, now: iso(now), alive: JSON.stringify(by.alive), exclude: JSON.stringify([...exclude]), limit }) as PendingEntity[];
      const take = sql(this.db, `
        INSERT INTO outbox_claims (entity, entity_key, claimed_by, expires_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (entity, entity_key) DO UPDATE SET claimed_by = excluded.claimed_by, expires_at = excluded.expires_at
      `);
      for (const r of rows) take.run(r.entity, r.key, by.owner, iso(by.until));
      return rows.map(({ entity, key, upTo }) => ({ entity, key, upTo }));
    })();
  }

  /** The entity is in SharePoint as of row `upTo`; later changes stay pending (and its claim is given up). */
  settle(p: PendingEntity): void {
    this.db.transaction(() => {
      sql(this.db, 'DELETE FROM outbox WHERE entity = ? AND entity_key = ? AND id <= ?').run(p.entity, p.key, p.upTo);
      sql(this.db, 'DELETE FROM outbox_claims WHERE entity = ? AND entity_key = ?').run(p.entity, p.key);
    })();
  }

  pendingCount(): number {
    return (sql(this.db, `
      SELECT COUNT(*) AS n FROM (SELECT DISTINCT o.entity, o.entity_key FROM outbox o
        LEFT JOIN sync_parked p ON p.entity = o.entity AND p.entity_key = o.entity_key WHERE p.entity IS NULL)
    `).get() as { n: number }).n;
  }

  /** The oldest change still waiting for the sync (parked ones wait for an admin instead). */
  oldestPendingAt(): Date | null {
    const r = sql(this.db, `
      SELECT MIN(o.created_at) AS t FROM outbox o
      LEFT JOIN sync_parked p ON p.entity = o.entity AND p.entity_key = o.entity_key WHERE p.entity IS NULL
    `).get() as { t: string | null };
    return r.t ? new Date(r.t) : null;
  }

  itemId(entity: OutboxEntity, key: string): string | null {
    const r = sql(this.db, 'SELECT item_id FROM sp_items WHERE entity = ? AND entity_key = ?').get(entity, key) as { item_id: string } | undefined;
    return r?.item_id ?? null;
  }

  rememberItem(entity: OutboxEntity, key: string, itemId: string, now: Date): void {
    sql(this.db, `
      INSERT INTO sp_items (entity, entity_key, item_id, synced_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (entity, entity_key) DO UPDATE SET item_id = excluded.item_id, synced_at = excluded.synced_at
    `).run(entity, key, itemId, iso(now));
  }

  forgetItem(entity: OutboxEntity, key: string): void {
    sql(this.db, 'DELETE FROM sp_items WHERE entity = ? AND entity_key = ?').run(entity, key);
  }

  park(entity: OutboxEntity, key: string, error: string, now: Date): void {
    this.db.transaction(() => {
      sql(this.db, `
        INSERT INTO sync_parked (entity, entity_key, error, parked_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (entity, entity_key) DO UPDATE SET error = excluded.error, parked_at = excluded.parked_at
      `).run(entity, key, error.slice(0, 1000), iso(now));
      sql(this.db, 'DELETE FROM outbox_claims WHERE entity = ? AND entity_key = ?').run(entity, key);
    })();
  }

  parked(limit = 50): { entity: OutboxEntity; key: string; error: string; parkedAt: Date }[] {
    return (sql(this.db, 'SELECT * FROM sync_parked ORDER BY parked_at LIMIT ?').all(limit) as { entity: OutboxEntity; entity_key: string; error: string; parked_at: string }[])
      .map((r) => ({ entity: r.entity, key: r.entity_key, error: r.error, parkedAt: new Date(r.parked_at) }));
  }

  parkedCount(): number {
    return (sql(this.db, 'SELECT COUNT(*) AS n FROM sync_parked').get() as { n: number }).n;
  }

  /** Puts every parked record back in line (after an admin fixed the cause). */
  unparkAll(): number {
    return sql(this.db, 'DELETE FROM sync_parked').run().changes;
  }

  /** A moderator's question row as last read from SharePoint. */
  questionRow(itemId: string): { questionId: string | null; contentHash: string; status: string } | null {
    const r = sql(this.db, 'SELECT question_id, content_hash, status FROM sp_question_rows WHERE item_id = ?').get(itemId) as
      { question_id: string | null; content_hash: string; status: string } | undefined;
    return r ? { questionId: r.question_id, contentHash: r.content_hash, status: r.status } : null;
  }

  saveQuestionRow(itemId: string, questionId: string | null, contentHash: string, status: string, now: Date): void {
    sql(this.db, `
      INSERT INTO sp_question_rows (item_id, question_id, content_hash, status, seen_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (item_id) DO UPDATE SET question_id = excluded.question_id, content_hash = excluded.content_hash, status = excluded.status, seen_at = excluded.seen_at
    `).run(itemId, questionId, contentHash, status, iso(now));
  }
}

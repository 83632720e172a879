import { noticeId, type Ask } from '../../domain/ask';
import type { AskDecision, AskRepository } from '../port';
import type { PgDb, Sql } from './db';
import { recordOutbox } from './outbox';
import { renewSql } from '../deliveries';
import { askFromRow, type AskRow } from '../asks';

const OWE = `INSERT INTO deliveries (kind, question_id, rkk_id, state, next_attempt_at, created_at) VALUES ($1, $2, $3, 'pending', $4, $5) ON CONFLICT DO NOTHING`;

/** Questions for all regions: each decision, and the messages it owes, in one transaction. */
export class PgAskRepo implements AskRepository {
  constructor(private readonly db: PgDb) {}

  create(a: Ask, approvers: readonly string[], now: Date): Promise<void> {
    return this.db.tx(async (c) => {
      await c.query(`INSERT INTO asks (id, text, asker_key, asker_name, asker_teams_id, asker_rkk_id, state, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)`,
        [a.id, a.text, a.askerKey, a.askerName, a.askerTeamsId, a.askerRkkId, now]);
      for (const to of new Set(approvers)) await c.query(OWE, ['notice', noticeId('approve', a.id), to, now, now]);
      await recordOutbox(c, 'ask', a.id, now);
    });
  }

  async get(id: string): Promise<Ask | null> {
    const { rows } = await this.db.query<AskRow>('SELECT * FROM asks WHERE id = $1', [id]);
    return rows[0] ? askFromRow(rows[0]) : null;
  }

  async pending(limit = 20): Promise<Ask[]> {
    return (await this.db.query<AskRow>(`SELECT * FROM asks WHERE state = 'pending' ORDER BY created_at, id LIMIT $1`, [limit])).rows.map(askFromRow);
  }

  async approved(limit = 20): Promise<Ask[]> {
    return (await this.db.query<AskRow>(`SELECT * FROM asks WHERE state = 'approved' ORDER BY decided_at DESC, id LIMIT $1`, [limit])).rows.map(askFromRow);
  }

  async forAsker(askerKey: string): Promise<Ask[]> {
    return (await this.db.query<AskRow>('SELECT * FROM asks WHERE asker_key = $1 ORDER BY created_at, id', [askerKey])).rows.map(askFromRow);
  }

  decide(id: string, d: AskDecision, hubRkkId: string | null, now: Date): Promise<Ask | null> {
    return this.db.tx(async (c) => {
      const { rows } = await c.query<AskRow>(`
        UPDATE asks SET state = $2, text = COALESCE($3, text), reason = $4, decided_by = $5, decided_by_name = $6, decided_at = $7
        WHERE id = $1 AND state = 'pending' RETURNING *
      `, [id, d.state, d.text ?? null, d.reason ?? null, d.by, d.byName, now]);
      if (!rows[0]) return null;
      const a = askFromRow(rows[0]);
      await c.query(OWE, ['notice', noticeId('decided', id), a.askerKey, now, now]);
      if (d.state === 'approved' && hubRkkId) await c.query(OWE, ['ask', id, hubRkkId, now, now]);
      await c.query(renewSql(`kind = 'notice' AND question_id = $1`, '$2'), [noticeId('approve', id), now]);
      await recordOutbox(c, 'ask', id, now);
      return a;
    });
  }

  async owesReplies(id: string, askerKey: string, day: string, dueAt: Date, now: Date): Promise<boolean> {
    return ((await this.db.query(OWE, ['notice', noticeId('replies', id, day), askerKey, dueAt, now])).rowCount ?? 0) === 1;
  }

  told(id: string, replies: number, now: Date): Promise<void> {
    return this.db.tx(async (c) => {
      await c.query('UPDATE asks SET told_replies = GREATEST(told_replies, $2), told_at = $3 WHERE id = $1', [id, replies, now]);
      await recordOutbox(c, 'ask', id, now);
    });
  }

  deleteWhere(where: { askerKey: string } | { before: Date }, now: Date): Promise<number> {
    return this.db.tx(async (c) => deleteAsks(c, where, now));
  }
}

/** Removes asks (erase or retention), inside the caller's transaction; SharePoint follows through the outbox. */
export async function deleteAsks(c: Sql, where: { askerKey: string } | { before: Date }, now: Date): Promise<number> {
  const { rows } = 'askerKey' in where
    ? await c.query<{ id: string }>('DELETE FROM asks WHERE asker_key = $1 RETURNING id', [where.askerKey])
    : await c.query<{ id: string }>('DELETE FROM asks WHERE created_at < $1 RETURNING id', [where.before]);
  for (const { id } of rows) {
    // The thread in RKK Overkoepelend and the approval cards named the asker: owed again, as updates without them.
    await c.query(renewSql(`(kind = 'ask' AND question_id = $1) OR (kind = 'notice' AND question_id = $2)`, '$3'), [id, noticeId('approve', id), now]);
    await recordOutbox(c, 'ask', id, now);
  }
  return rows.length;
}

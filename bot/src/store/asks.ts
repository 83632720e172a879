import type { Db } from './db';
import { dateOrNull, iso, sql } from './db';
import type { OutboxRepo } from './outbox';
import { renewSql } from './deliveries';
import { noticeId, type Ask } from '../domain/ask';
import type { AskDecision } from './port';

type Stamp = string | Date | null;
export interface AskRow {
  id: string; text: string; asker_key: string; asker_name: string; asker_teams_id: string; asker_rkk_id: string | null;
  state: Ask['state']; reason: string | null; decided_by: string | null; decided_by_name: string | null;
  created_at: string | Date; decided_at: Stamp; told_replies: number; told_at: Stamp;
}

const when = (v: Stamp): Date | null => (v === null ? null : v instanceof Date ? v : dateOrNull(v));

export const askFromRow = (r: AskRow): Ask => ({
  id: r.id, text: r.text, askerKey: r.asker_key, askerName: r.asker_name, askerTeamsId: r.asker_teams_id, askerRkkId: r.asker_rkk_id,
  state: r.state, reason: r.reason, decidedBy: r.decided_by, decidedByName: r.decided_by_name, createdAt: new Date(r.created_at),
  decidedAt: when(r.decided_at), toldReplies: Number(r.told_replies), toldAt: when(r.told_at),
});

/** Questions for all regions: each decision, and the messages it owes, in one transaction. */
export class AskRepo {
  constructor(private readonly db: Db, private readonly outbox: OutboxRepo) {}

  create(a: Ask, approvers: readonly string[], now: Date): void {
    this.db.transaction(() => {
      sql(this.db, `
        INSERT INTO asks (id, text, asker_key, asker_name, asker_teams_id, asker_rkk_id, state, created_at)
        VALUES (@id, @text, @key, @name, @teams, @rkk, 'pending', @now)
      `).run({ id: a.id, text: a.text, key: a.askerKey, name: a.askerName, teams: a.askerTeamsId, rkk: a.askerRkkId, now: iso(now) });
      const owe = sql(this.db, `INSERT INTO deliveries (kind, question_id, rkk_id, state, next_attempt_at, created_at) VALUES ('notice', @q, @to, 'pending', @now, @now) ON CONFLICT DO NOTHING`);
      for (const to of new Set(approvers)) owe.run({ q: noticeId('approve', a.id), to, now: iso(now) });
      this.outbox.record('ask', a.id, now);
    })();
  }

  get(id: string): Ask | null {
    const r = sql(this.db, 'SELECT * FROM asks WHERE id = ?').get(id) as AskRow | undefined;
    return r ? askFromRow(r) : null;
  }

  pending(limit = 20): Ask[] {
    return (sql(this.db, `SELECT * FROM asks WHERE state = 'pending' ORDER BY created_at, id LIMIT ?`).all(limit) as AskRow[]).map(askFromRow);
  }

  approved(limit = 20): Ask[] {
    return (sql(this.db, `SELECT * FROM asks WHERE state = 'approved' ORDER BY decided_at DESC, id LIMIT ?`).all(limit) as AskRow[]).map(askFromRow);
  }

  forAsker(askerKey: string): Ask[] {
    return (sql(this.db, 'SELECT * FROM asks WHERE asker_key = ? ORDER BY created_at, id').all(askerKey) as AskRow[]).map(askFromRow);
  }

  decide(id: string, d: AskDecision, hubRkkId: string | null, now: Date): Ask | null {
    return this.db.transaction((): Ask | null => {
      const changed = sql(this.db, `
        UPDATE asks SET state = @state, text = COALESCE(@text, text), reason = @reason, decided_by = @by, decided_by_name = @byName, decided_at = @now
        WHERE id = @id AND state = 'pending'
      `).run({ id, state: d.state, text: d.text ?? null, reason: d.reason ?? null, by: d.by, byName: d.byName, now: iso(now) }).changes === 1;
      if (!changed) return null;
      const a = this.get(id)!;
      const owe = sql(this.db, `INSERT INTO deliveries (kind, question_id, rkk_id, state, next_attempt_at, created_at) VALUES (@kind, @q, @to, 'pending', @now, @now) ON CONFLICT DO NOTHING`);
      owe.run({ kind: 'notice', q: noticeId('decided', id), to: a.askerKey, now: iso(now) });
      if (d.state === 'approved' && hubRkkId) owe.run({ kind: 'ask', q: id, to: hubRkkId, now: iso(now) });
      // The other administrators' approval cards are owed an update: they show the decision.
      sql(this.db, renewSql(`kind = 'notice' AND question_id = @q`, '@now'))
        .run({ q: noticeId('approve', id), now: iso(now) });
      this.outbox.record('ask', id, now);
      return a;
    })();
  }

  owesReplies(id: string, askerKey: string, day: string, dueAt: Date, now: Date): boolean {
    return sql(this.db, `INSERT INTO deliveries (kind, question_id, rkk_id, state, next_attempt_at, created_at) VALUES ('notice', @q, @to, 'pending', @at, @now) ON CONFLICT DO NOTHING`)
      .run({ q: noticeId('replies', id, day), to: askerKey, at: iso(dueAt), now: iso(now) }).changes === 1;
  }

  told(id: string, replies: number, now: Date): void {
    this.db.transaction(() => {
      sql(this.db, 'UPDATE asks SET told_replies = MAX(told_replies, ?), told_at = ? WHERE id = ?').run(replies, iso(now), id);
      this.outbox.record('ask', id, now);
    })();
  }

  deleteWhere(where: { askerKey: string } | { before: Date }, now: Date): number {
    return this.db.transaction(() => {
      const ids = ('askerKey' in where
        ? sql(this.db, 'SELECT id FROM asks WHERE asker_key = ?').all(where.askerKey)
        : sql(this.db, 'SELECT id FROM asks WHERE created_at < ?').all(iso(where.before))) as { id: string }[];
      const del = sql(this.db, 'DELETE FROM asks WHERE id = ?');
      // The thread in RKK Overkoepelend and the approval cards named the asker: owed again, as updates without them.
      const renew = sql(this.db, renewSql(`(kind = 'ask' AND question_id = @id) OR (kind = 'notice' AND question_id = @approve)`, '@now'));
      for (const { id } of ids) {
        del.run(id);
        renew.run({ id, approve: noticeId('approve', id), now: iso(now) });
        this.outbox.record('ask', id, now);
      }
      return ids.length;
    })();
  }
}

import { afterSend, renewSql, type Delivery, type DeliveryClaim, type DeliveryKey, type DeliveryKind, type DeliveryState } from '../deliveries';
import { entityKey } from '../outbox';
import type { DeliveryRepository } from '../port';
import { changed, type PgDb, type Sql } from './db';
import { changeRecorded, recordOutbox } from './outbox';

interface Row {
  kind: DeliveryKind; question_id: string; rkk_id: string; state: DeliveryState; attempts: number; next_attempt_at: Date;
  last_error: string | null; conversation_id: string | null; message_id: string | null; shown_count: number | null; sent_at: Date | null;
  claimed_by: string | null; claim_expires_at: Date | null; renew_after_send: boolean;
}

const fromRow = (r: Row): Delivery => ({
  kind: r.kind, questionId: r.question_id, rkkId: r.rkk_id, state: r.state, attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at, lastError: r.last_error, conversationId: r.conversation_id,
  messageId: r.message_id, shownCount: r.shown_count, sentAt: r.sent_at,
  claimedBy: r.claimed_by, claimExpiresAt: r.claim_expires_at, renewAfterSend: r.renew_after_send,
});

/** The key is always $1 … $3; a statement's own values follow from $4. */
const WHERE_KEY = 'kind = $1 AND question_id = $2 AND rkk_id = $3';
const key = (k: DeliveryKey): unknown[] => [k.kind, k.questionId, k.rkkId];
/** What may be sent at `$n`: pending and due, or claimed by a sender whose claim ran out. */
const due = (n: number) => `((state = 'pending' AND next_attempt_at <= $${n}) OR (state = 'sending' AND claim_expires_at <= $${n}))`;
/** A delivery leaving `sending` gives its claim up. */
const UNCLAIM = 'claimed_by = NULL, claim_expires_at = NULL';

/**
 * The results replies showing these (question, RKK) answers are owed again, as updates in place
 * (in the transaction that changed the answers; a reply still unsent shows them anyway).
 */
export async function renewResults(sql: Sql, shown: readonly { questionId: string; rkkId: string | null }[], now: Date): Promise<void> {
  const pairs = [...new Set(shown.filter((s) => s.rkkId).map((s) => JSON.stringify([s.questionId, s.rkkId])))].map((p) => JSON.parse(p) as [string, string]);
  if (pairs.length === 0) return;
  await sql.query(renewSql(`kind = 'results' AND (question_id, rkk_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`, '$3'),
    [pairs.map((p) => p[0]), pairs.map((p) => p[1]), now]);
}

export class PgDeliveryRepo implements DeliveryRepository {
  constructor(private readonly db: PgDb) {}

  /** A question post's state is shown in SharePoint; results replies are not. */
  private async recordPost(sql: Sql, k: DeliveryKey, now: Date): Promise<void> {
    if (k.kind === 'question') await recordOutbox(sql, 'post', entityKey(k.questionId, k.rkkId), now);
    // The agenda item says in how many RKKs its moment is announced.
    if (k.kind === 'moment') await recordOutbox(sql, 'moment', k.questionId, now);
  }

  /** One statement on the key and, for a question post that it changed, the post's outbox row: together. */
  private async changeRecorded(k: DeliveryKey, now: Date, text: string, values: unknown[]): Promise<boolean> {
    if (k.kind !== 'question') return changed(await this.db.query(text, [...key(k), ...values]));
    return changeRecorded(this.db, 'post', entityKey(k.questionId, k.rkkId), now, text, [...key(k), ...values]);
  }

  ensure(k: DeliveryKey, now: Date, dueAt: Date = now): Promise<boolean> {
    return this.changeRecorded(k, now, `
      INSERT INTO deliveries (kind, question_id, rkk_id, state, next_attempt_at, created_at)
      VALUES ($1, $2, $3, 'pending', $5, $4) ON CONFLICT DO NOTHING
    `, [now, dueAt]);
  }

  async get(k: DeliveryKey): Promise<Delivery | null> {
    const { rows } = await this.db.query<Row>(`SELECT * FROM deliveries WHERE ${WHERE_KEY}`, key(k));
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async due(now: Date): Promise<Delivery[]> {
    const { rows } = await this.db.query<Row>(`SELECT * FROM deliveries WHERE ${due(1)} ORDER BY kind DESC, next_attempt_at, rkk_id`, [now]);
    return rows.map(fromRow);
  }

  async nextDueAt(): Promise<Date | null> {
    const { rows } = await this.db.query<{ t: Date | null }>(`
      SELECT MIN(CASE state WHEN 'pending' THEN next_attempt_at ELSE claim_expires_at END) AS t FROM deliveries WHERE state IN ('pending', 'sending')
    `);
    return rows[0]!.t;
  }

  /** A row another transaction is claiming right now is skipped, not waited for: that one has it. */
  async claim(k: DeliveryKey, by: DeliveryClaim, now: Date): Promise<boolean> {
    return changed(await this.db.query(`
      UPDATE deliveries SET state = 'sending', attempts = attempts + 1, renew_after_send = FALSE, claimed_by = $4, claim_expires_at = $5
      WHERE (kind, question_id, rkk_id) = (SELECT kind, question_id, rkk_id FROM deliveries WHERE ${WHERE_KEY} AND ${due(6)} FOR UPDATE SKIP LOCKED)
    `, [...key(k), by.owner, by.until, now]));
  }

  async markSent(k: DeliveryKey, conversationId: string, messageId: string, now: Date, shownCount: number | null = null): Promise<void> {
    await this.db.tx(async (c) => {
      await c.query(`UPDATE deliveries SET conversation_id = $4, message_id = $5, ${afterSend('$6', '$7')} WHERE ${WHERE_KEY}`,
        [...key(k), conversationId, messageId, now, shownCount]);
      await this.recordPost(c, k, now);
    });
  }

  /** Only a delivery being sent goes back in line: one that was sent must never be posted again. */
  async retryLater(k: DeliveryKey, error: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE deliveries SET state = 'pending', last_error = $4, next_attempt_at = $5, ${UNCLAIM} WHERE ${WHERE_KEY} AND state = 'sending'`,
      [...key(k), error.slice(0, 1000), at]);
  }

  /** A pending or sending delivery fails; a sent one stays sent (it is in the channel). */
  async markFailed(k: DeliveryKey, error: string, now: Date): Promise<void> {
    await this.changeRecorded(k, now, `UPDATE deliveries SET state = 'failed', last_error = $4, ${UNCLAIM} WHERE ${WHERE_KEY} AND state IN ('pending', 'sending')`, [error.slice(0, 1000)]);
  }

  async reopen(k: DeliveryKey, now: Date): Promise<boolean> {
    return changed(await this.db.query(`UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = $4 WHERE ${WHERE_KEY} AND state = 'failed'`, [...key(k), now]));
  }

  /** Deliveries caught mid-send by a sender that is gone go back in line, with the reason kept; returned as they were. A live sender's are skipped. */
  async recoverInterrupted(now: Date, alive: readonly string[]): Promise<Delivery[]> {
    return this.db.tx(async (c) => {
      const { rows } = await c.query<Row>(`
        SELECT * FROM deliveries WHERE state = 'sending' AND (claimed_by IS NULL OR NOT (claimed_by = ANY($1::text[]))) FOR UPDATE SKIP LOCKED
      `, [alive]);
      for (const r of rows) {
        await c.query(`UPDATE deliveries SET state = 'pending', next_attempt_at = $4, last_error = 'interrupted while sending (process stopped)', ${UNCLAIM} WHERE ${WHERE_KEY}`,
          [r.kind, r.question_id, r.rkk_id, now]);
      }
      return rows.map(fromRow);
    });
  }

  async forQuestion(questionId: string, kind: DeliveryKind = 'question'): Promise<Delivery[]> {
    const { rows } = await this.db.query<Row>('SELECT * FROM deliveries WHERE question_id = $1 AND kind = $2 ORDER BY rkk_id', [questionId, kind]);
    return rows.map(fromRow);
  }

  async byRootMessage(messageId: string): Promise<Delivery | null> {
    const { rows } = await this.db.query<Row>(`SELECT * FROM deliveries WHERE message_id = $1 AND kind IN ('question', 'ask')`, [messageId]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async staleCounts(now: Date): Promise<DeliveryKey[]> {
    const { rows } = await this.db.query<{ question_id: string; rkk_id: string }>(`
      SELECT d.question_id, d.rkk_id FROM deliveries d
      JOIN questions q ON q.id = d.question_id
      LEFT JOIN answer_tallies t ON t.question_id = d.question_id AND t.rkk_id = d.rkk_id AND t.option_id = '#respondents'
      WHERE d.kind = 'question' AND d.state = 'sent' AND q.closed_at IS NULL AND (q.closes_at IS NULL OR q.closes_at > $1)
        AND COALESCE(d.shown_count, 0) <> COALESCE(t.n, 0)
      ORDER BY d.question_id, d.rkk_id
    `, [now]);
    return rows.map((r) => ({ kind: 'question' as const, questionId: r.question_id, rkkId: r.rkk_id }));
  }

  async setShownCount(k: DeliveryKey, count: number): Promise<void> {
    await this.db.query(`UPDATE deliveries SET shown_count = $4 WHERE ${WHERE_KEY}`, [...key(k), count]);
  }
}

import type { Db } from './db';
import { entityKey, type OutboxRepo } from './outbox';
import { iso, dateOrNull, sql } from './db';

/**
 * `themes`: the weekly recurring themes in RKK Overkoepelend; its questionId is "themes:<week>".
 * `moment`: a knowledge moment's announcement in an RKK (questionId: the moment's id).
 * `ask`: a question for all regions, as a thread in RKK Overkoepelend (questionId: the ask's id).
 * `notice`: a personal message to a member; questionId says which ("<what>:<id>") and rkkId is the
 * member's key, not an RKK.
 */
export type DeliveryKind = 'question' | 'results' | 'digest' | 'themes' | 'moment' | 'ask' | 'notice';
export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * One channel message we owe an RKK: a question post, or the results reply when it closes. A
 * results reply that was sent goes back to `pending` with its message id when the answers it
 * shows change afterwards (erase, retention): it is then owed as an update of that message.
 */
export interface Delivery {
  kind: DeliveryKind;
  questionId: string;
  rkkId: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  conversationId: string | null;
  messageId: string | null;
  shownCount: number | null;
  sentAt: Date | null;
  /** While `sending`: the instance sending it, and until when its claim holds. */
  claimedBy: string | null;
  claimExpiresAt: Date | null;
  /** Owed again while it was being sent: once sent, it goes back in line as an update of that message. */
  renewAfterSend: boolean;
}

/** Who takes a delivery for sending, and until when (long past any send: only a dead sender's claim runs out). */
export interface DeliveryClaim { owner: string; until: Date }

interface Row {
  kind: DeliveryKind; question_id: string; rkk_id: string; state: DeliveryState; attempts: number; next_attempt_at: string;
  last_error: string | null; conversation_id: string | null; message_id: string | null; shown_count: number | null; sent_at: string | null;
  claimed_by: string | null; claim_expires_at: string | null; renew_after_send: number;
}

const fromRow = (r: Row): Delivery => ({
  kind: r.kind, questionId: r.question_id, rkkId: r.rkk_id, state: r.state, attempts: r.attempts,
  nextAttemptAt: new Date(r.next_attempt_at), lastError: r.last_error, conversationId: r.conversation_id,
  messageId: r.message_id, shownCount: r.shown_count, sentAt: dateOrNull(r.sent_at),
  claimedBy: r.claimed_by, claimExpiresAt: dateOrNull(r.claim_expires_at), renewAfterSend: r.renew_after_send === 1,
});

export interface DeliveryKey { kind: DeliveryKind; questionId: string; rkkId: string }
const keyParams = (k: DeliveryKey) => ({ kind: k.kind, q: k.questionId, r: k.rkkId });
const WHERE_KEY = 'kind = @kind AND question_id = @q AND rkk_id = @r';
/** What may be sent at @now: pending and due, or claimed by a sender whose claim ran out. */
const DUE = `((state = 'pending' AND next_attempt_at <= @now) OR (state = 'sending' AND claim_expires_at <= @now))`;
/** A delivery leaving `sending` gives its claim up. */
const UNCLAIM = 'claimed_by = NULL, claim_expires_at = NULL';

/**
 * SQL (both stores) owing the sent deliveries `where` picks again, as updates of their messages.
 * One being sent at that moment is marked instead: its message id is not known yet, and what it
 * sends may be from before the change. `afterSend` puts it back in line once it is sent, so a
 * change landing mid-send is never lost. `also`: further states sent again (a failed announcement).
 * Never for question posts: sending one again starts a new thread (they are redrawn by count, see
 * `redrawSql`).
 */
export function renewSql(where: string, now: string, also: readonly DeliveryState[] = []): string {
  const from = ['sending', 'sent', ...also].map((s) => `'${s}'`).join(', ');
  return `
    UPDATE deliveries SET
      renew_after_send = (state = 'sending'),
      attempts = CASE WHEN state = 'sending' THEN attempts ELSE 0 END,
      next_attempt_at = CASE WHEN state = 'sending' THEN next_attempt_at ELSE ${now} END,
      last_error = CASE WHEN state = 'sending' THEN last_error ELSE NULL END,
      state = CASE WHEN state = 'sending' THEN state ELSE 'pending' END
    WHERE (${where}) AND state IN (${from})`;
}

/** SQL (both stores) making the count sweep redraw the question posts `where` picks; one being sent is redrawn once sent. */
export const redrawSql = (where: string): string => `
  UPDATE deliveries SET
    renew_after_send = (state = 'sending'),
    shown_count = CASE WHEN state = 'sending' THEN shown_count ELSE -1 END
  WHERE kind = 'question' AND (${where}) AND state IN ('sending', 'sent')`;

/**
 * The SET of markSent (both stores): sent, or back in line as an update of the message just sent
 * when it was owed again meanwhile (a question post instead shows a count the sweep will redraw).
 */
export const afterSend = (now: string, shown: string): string => `
  state = CASE WHEN renew_after_send AND kind <> 'question' THEN 'pending' ELSE 'sent' END,
  attempts = CASE WHEN renew_after_send AND kind <> 'question' THEN 0 ELSE attempts END,
  next_attempt_at = CASE WHEN renew_after_send THEN ${now} ELSE next_attempt_at END,
  shown_count = CASE WHEN renew_after_send AND kind = 'question' THEN -1 ELSE ${shown} END,
  renew_after_send = FALSE, sent_at = ${now}, last_error = NULL, ${UNCLAIM}`;

/**
 * The results replies showing these (question, RKK) answers are owed again, as updates in place
 * (in the same transaction as the change to the answers; a reply still unsent shows them anyway).
 */
export function renewResults(db: Db, shown: Iterable<{ questionId: string; rkkId: string | null }>, now: Date): void {
  const renew = sql(db, renewSql(`kind = 'results' AND question_id = @q AND rkk_id = @r`, '@now'));
  const pairs = new Set([...shown].filter((s) => s.rkkId).map((s) => JSON.stringify([s.questionId, s.rkkId])));
  for (const [q, r] of [...pairs].map((p) => JSON.parse(p) as [string, string])) renew.run({ q, r, now: iso(now) });
}

export class DeliveryRepo {
  constructor(private readonly db: Db, private readonly outbox: OutboxRepo) {}

  /** A question post's state is shown in SharePoint, and how far a moment's announcements got; results replies are not. */
  private recordPost(k: DeliveryKey, now: Date): void {
    if (k.kind === 'question') this.outbox.record('post', entityKey(k.questionId, k.rkkId), now);
    // The agenda item says in how many RKKs its moment is announced.
    if (k.kind === 'moment') this.outbox.record('moment', k.questionId, now);
  }

  /** Records that a message is owed, to be sent from `dueAt`; a no-op when it already is (whatever its state). */
  ensure(k: DeliveryKey, now: Date, dueAt: Date = now): boolean {
    return this.db.transaction(() => {
      const created = sql(this.db, `
        INSERT INTO deliveries (kind, question_id, rkk_id, state, next_attempt_at, created_at)
        VALUES (@kind, @q, @r, 'pending', @at, @now) ON CONFLICT DO NOTHING
      `).run({ ...keyParams(k), now: iso(now), at: iso(dueAt) }).changes === 1;
      if (created) this.recordPost(k, now);
      return created;
    })();
  }

  get(k: DeliveryKey): Delivery | null {
    const row = sql(this.db, `SELECT * FROM deliveries WHERE ${WHERE_KEY}`).get(keyParams(k)) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  due(now: Date): Delivery[] {
    return (sql(this.db, `SELECT * FROM deliveries WHERE ${DUE} ORDER BY kind DESC, next_attempt_at, rkk_id`)
      .all({ now: iso(now) }) as Row[]).map(fromRow);
  }

  nextDueAt(): Date | null {
    const r = sql(this.db, `
      SELECT MIN(t) AS t FROM (SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE state = 'pending'
        UNION ALL SELECT MIN(claim_expires_at) FROM deliveries WHERE state = 'sending')
    `).get() as { t: string | null };
    return dateOrNull(r.t);
  }

  /** Takes a pending delivery (or one whose claim ran out) for sending; false when another worker has it or it is done. */
  claim(k: DeliveryKey, by: DeliveryClaim, now: Date): boolean {
    return sql(this.db, `UPDATE deliveries SET state = 'sending', attempts = attempts + 1, renew_after_send = FALSE, claimed_by = @owner, claim_expires_at = @until WHERE ${WHERE_KEY} AND ${DUE}`)
      .run({ ...keyParams(k), owner: by.owner, until: iso(by.until), now: iso(now) }).changes === 1;
  }

  markSent(k: DeliveryKey, conversationId: string, messageId: string, now: Date, shownCount: number | null = null): void {
    this.db.transaction(() => {
      sql(this.db, `UPDATE deliveries SET conversation_id = @conv, message_id = @msg, ${afterSend('@now', '@shown')} WHERE ${WHERE_KEY}`)
        .run({ ...keyParams(k), conv: conversationId, msg: messageId, now: iso(now), shown: shownCount });
      this.recordPost(k, now);
    })();
  }

  /** Only a delivery being sent goes back in line: one that was sent must never be posted again. */
  retryLater(k: DeliveryKey, error: string, at: Date): void {
    sql(this.db, `UPDATE deliveries SET state = 'pending', last_error = @err, next_attempt_at = @at, ${UNCLAIM} WHERE ${WHERE_KEY} AND state = 'sending'`)
      .run({ ...keyParams(k), err: error.slice(0, 1000), at: iso(at) });
  }

  /** A pending or sending delivery fails; a sent one stays sent (it is in the channel). */
  markFailed(k: DeliveryKey, error: string, now: Date): void {
    this.db.transaction(() => {
      const changed = sql(this.db, `UPDATE deliveries SET state = 'failed', last_error = @err, ${UNCLAIM} WHERE ${WHERE_KEY} AND state IN ('pending', 'sending')`)
        .run({ ...keyParams(k), err: error.slice(0, 1000) }).changes;
      if (changed) this.recordPost(k, now);
    })();
  }

  /** Puts a failed delivery back in line (an admin asked to post again). */
  reopen(k: DeliveryKey, now: Date): boolean {
    return sql(this.db, `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = @now WHERE ${WHERE_KEY} AND state = 'failed'`)
      .run({ ...keyParams(k), now: iso(now) }).changes === 1;
  }

  /**
   * After a crash, deliveries caught mid-send are ambiguous: the connector may or may not have
   * posted. Those of senders no longer alive go back in line, with the reason kept, and are
   * returned for the log.
   */
  recoverInterrupted(now: Date, alive: readonly string[]): Delivery[] {
    const gone = `state = 'sending' AND (claimed_by IS NULL OR claimed_by NOT IN (SELECT value FROM json_each(@alive)))`;
    return this.db.transaction(() => {
      const rows = (sql(this.db, `SELECT * FROM deliveries WHERE ${gone}`).all({ alive: JSON.stringify(alive) }) as Row[]).map(fromRow);
      sql(this.db, `UPDATE deliveries SET state = 'pending', next_attempt_at = @now, last_error = 'interrupted while sending (process stopped)', ${UNCLAIM} WHERE ${gone}`)
        .run({ alive: JSON.stringify(alive), now: iso(now) });
      return rows;
    })();
  }

  forQuestion(questionId: string, kind: DeliveryKind = 'question'): Delivery[] {
    return (sql(this.db, 'SELECT * FROM deliveries WHERE question_id = ? AND kind = ? ORDER BY rkk_id').all(questionId, kind) as Row[]).map(fromRow);
  }

  /** The question post whose thread root is this message. */
  byRootMessage(messageId: string): Delivery | null {
    const row = sql(this.db, `SELECT * FROM deliveries WHERE message_id = ? AND kind IN ('question', 'ask')`).get(messageId) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Question posts of open questions whose shared card shows another count than the tally. */
  staleCounts(now: Date): DeliveryKey[] {
    return (sql(this.db, `
      SELECT d.question_id, d.rkk_id FROM deliveries d
      JOIN questions q ON q.id = d.question_id
      LEFT JOIN answer_tallies t ON t.question_id = d.question_id AND t.rkk_id = d.rkk_id AND t.option_id = '#respondents'
      WHERE d.kind = 'question' AND d.state = 'sent' AND q.closed_at IS NULL AND (q.closes_at IS NULL OR q.closes_at > ?)
        AND COALESCE(d.shown_count, 0) <> COALESCE(t.n, 0)
      ORDER BY d.question_id, d.rkk_id
    `).all(iso(now)) as { question_id: string; rkk_id: string }[]).map((r) => ({ kind: 'question' as const, questionId: r.question_id, rkkId: r.rkk_id }));
  }

  setShownCount(k: DeliveryKey, count: number): void {
    sql(this.db, `UPDATE deliveries SET shown_count = @c WHERE ${WHERE_KEY}`).run({ ...keyParams(k), c: count });
  }
}

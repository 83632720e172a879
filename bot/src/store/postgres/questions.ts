import { randomBytes } from 'node:crypto';
import { KenniskringError } from '../../domain/errors';
import type { Question, QuestionKind, QuestionOption, QuestionSource } from '../../domain/question';
import type { Theme } from '../../domain/themes';
import type { QuestionRepository } from '../port';
import type { UpsertOutcome } from '../questions';
import type { PgDb, Sql } from './db';
import { changeRecorded, recordOutbox } from './outbox';

interface Row {
  id: string; text: string; kind: QuestionKind; options: QuestionOption[]; scale_low: string | null; scale_high: string | null; translations: Question['translations'];
  allow_comment: boolean; anonymous: boolean; theme: Theme; targets: Question['targets']; week: string | null; queue_order: number;
  publish_at: Date | null; closes_at: Date | null; closed_at: Date | null; source: QuestionSource; created_by: string | null;
}

const fromRow = (r: Row): Question => ({
  id: r.id, text: r.text, kind: r.kind, options: r.options,
  scaleLabels: r.scale_low !== null && r.scale_high !== null ? { low: r.scale_low, high: r.scale_high } : null,
  allowComment: r.allow_comment, anonymous: r.anonymous, theme: r.theme, targets: r.targets,
  week: r.week, queueOrder: r.queue_order, publishAt: r.publish_at, closesAt: r.closes_at,
  closedAt: r.closed_at, source: r.source, createdBy: r.created_by, translations: r.translations,
});

/** The content columns, in the order of `contentValues`: $2 … $12. */
const CONTENT = ['text', 'kind', 'options', 'scale_low', 'scale_high', 'allow_comment', 'anonymous', 'theme', 'targets', 'queue_order', 'translations'] as const;
/** The placeholder after the content columns: $13 … */
const after = (i: number) => `$${CONTENT.length + 2 + i}`;
const contentValues = (q: Question): unknown[] => [
  q.text, q.kind, JSON.stringify(q.options), q.scaleLabels?.low ?? null, q.scaleLabels?.high ?? null,
  q.allowComment, q.anonymous, q.theme, JSON.stringify(q.targets), q.queueOrder, JSON.stringify(q.translations),
];

const contentKey = (q: Question): string =>
  JSON.stringify([q.text, q.kind, q.options, q.scaleLabels, q.allowComment, q.anonymous, q.theme, q.targets, q.queueOrder, q.translations]);
const sameMoment = (a: Date | null, b: Date | null): boolean => (a?.getTime() ?? null) === (b?.getTime() ?? null);

const many = (rows: Row[]): Question[] => rows.map(fromRow);

export class PgQuestionRepo implements QuestionRepository {
  constructor(private readonly db: PgDb) {}

  async get(id: string): Promise<Question | null> {
    return this.getOn(this.db, id);
  }

  private async getOn(sql: Sql, id: string, lock = false): Promise<Question | null> {
    const { rows } = await sql.query<Row>(`SELECT * FROM questions WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  insert(q: Question, now: Date): Promise<boolean> {
    return this.db.tx((c) => this.insertOn(c, q, now));
  }

  /** Inside the caller's transaction (an approved proposal becomes a question in the same one). */
  async insertOn(sql: Sql, q: Question, now: Date): Promise<boolean> {
    const { rowCount } = await sql.query(`
      INSERT INTO questions (id, ${CONTENT.join(', ')}, week, publish_at, closes_at, closed_at, source, created_by, created_at, updated_at)
      VALUES (${Array.from({ length: CONTENT.length + 1 }, (_, i) => `$${i + 1}`).join(', ')}, ${[0, 1, 2, 3, 4, 5, 6, 6].map(after).join(', ')})
      ON CONFLICT (id) DO NOTHING
    `, [q.id, ...contentValues(q), q.week, q.publishAt, q.closesAt, q.closedAt, q.source, q.createdBy, now]);
    const created = (rowCount ?? 0) === 1;
    if (created) await recordOutbox(sql, 'question', q.id, now);
    return created;
  }

  /**
   * Creates or refreshes a question from the question file. Once a question has gone out to any
   * RKK its content is locked: members answered *that* text, so later edits are reported, not applied.
   * The row is locked for the decision, so a post or a close in between cannot slip past it.
   */
  upsertFromFile(q: Question, now: Date): Promise<UpsertOutcome> {
    return this.db.tx(async (c): Promise<UpsertOutcome> => {
      let existing = await this.getOn(c, q.id, true);
      if (!existing) {
        if (await this.insertOn(c, q, now)) return 'created';
        existing = await this.getOn(c, q.id, true); // another instance created it a moment ago
        if (!existing) throw new Error(`question ${q.id} vanished during upsert`);
      }
      const posted = (await c.query(`SELECT 1 FROM deliveries WHERE question_id = $1 AND kind = 'question' AND state = 'sent' LIMIT 1`, [q.id])).rowCount;
      const placementSame = q.week === null || (q.week === existing.week && sameMoment(q.closesAt, existing.closesAt));
      if (contentKey(q) === contentKey(existing) && placementSame) return 'unchanged';
      if (posted || existing.closedAt) return 'locked';
      // A queued question that the scheduler already placed in a week keeps that place.
      const keepPlace = !q.week && existing.week !== null;
      await c.query(`
        UPDATE questions SET ${CONTENT.map((col, i) => `${col} = $${i + 2}`).join(', ')},
          week = CASE WHEN ${after(4)} THEN week ELSE ${after(0)}::text END, publish_at = CASE WHEN ${after(4)} THEN publish_at ELSE ${after(1)}::timestamptz END,
          closes_at = CASE WHEN ${after(4)} AND ${after(2)}::timestamptz IS NULL THEN closes_at ELSE ${after(2)}::timestamptz END, updated_at = ${after(3)}
        WHERE id = $1
      `, [q.id, ...contentValues(q), q.week, q.publishAt, q.closesAt, now, keepPlace]);
      await recordOutbox(c, 'question', q.id, now);
      return 'updated';
    });
  }

  async placedUntil(until: Date): Promise<Question[]> {
    return many((await this.db.query<Row>('SELECT * FROM questions WHERE publish_at IS NOT NULL AND publish_at <= $1 AND closed_at IS NULL ORDER BY publish_at', [until])).rows);
  }

  async inWeek(week: string): Promise<Question[]> {
    return many((await this.db.query<Row>('SELECT * FROM questions WHERE week = $1 ORDER BY publish_at', [week])).rows);
  }

  async nextQueued(): Promise<Question | null> {
    return (await this.queuedLimit(1))[0] ?? null;
  }

  queued(): Promise<Question[]> {
    return this.queuedLimit(null);
  }

  private async queuedLimit(limit: number | null): Promise<Question[]> {
    return many((await this.db.query<Row>(`SELECT * FROM questions WHERE week IS NULL AND closed_at IS NULL ORDER BY queue_order, created_at, id ${limit ? `LIMIT ${limit}` : ''}`)).rows);
  }

  async scheduledAfter(now: Date): Promise<Question[]> {
    return many((await this.db.query<Row>('SELECT * FROM questions WHERE publish_at > $1 AND closed_at IS NULL ORDER BY publish_at', [now])).rows);
  }

  async published(until: Date, limit = 50): Promise<Question[]> {
    return many((await this.db.query<Row>('SELECT * FROM questions WHERE publish_at IS NOT NULL AND publish_at <= $1 ORDER BY publish_at DESC LIMIT $2', [until, limit])).rows);
  }

  place(id: string, week: string, publishAt: Date, closesAt: Date, now: Date): Promise<boolean> {
    return changeRecorded(this.db, 'question', id, now, 'UPDATE questions SET week = $2, publish_at = $3, closes_at = COALESCE(closes_at, $4), updated_at = $5 WHERE id = $1 AND closed_at IS NULL',
      [id, week, publishAt, closesAt, now]);
  }

  async publishNow(id: string, now: Date): Promise<void> {
    await changeRecorded(this.db, 'question', id, now, 'UPDATE questions SET publish_at = $2, updated_at = $2 WHERE id = $1 AND (publish_at IS NULL OR publish_at > $2)', [id, now]);
  }

  close(id: string, now: Date): Promise<boolean> {
    return this.db.tx(async (c) => {
      const closed = ((await c.query('UPDATE questions SET closed_at = $2, updated_at = $2 WHERE id = $1 AND closed_at IS NULL', [id, now])).rowCount ?? 0) === 1;
      // Once closed, nobody needs to recognise a member again: without the salt, no answer links to a person.
      await c.query('DELETE FROM question_salts WHERE question_id = $1', [id]);
      if (closed) await recordOutbox(c, 'question', id, now);
      return closed;
    });
  }

  async dueToClose(now: Date): Promise<Question[]> {
    return many((await this.db.query<Row>('SELECT * FROM questions WHERE closed_at IS NULL AND closes_at IS NOT NULL AND closes_at <= $1', [now])).rows);
  }

  /** The question row is share-locked while the salt is made: a close cannot commit in between and leave a salt behind. */
  salt(id: string): Promise<string> {
    return this.db.tx(async (c) => {
      const q = (await c.query<{ closed_at: Date | null }>('SELECT closed_at FROM questions WHERE id = $1 FOR SHARE', [id])).rows[0];
      if (!q) throw new KenniskringError('question_unknown', `no question ${JSON.stringify(id.slice(0, 80))}`);
      const existing = (await c.query<{ salt: string }>('SELECT salt FROM question_salts WHERE question_id = $1', [id])).rows[0];
      if (existing) return existing.salt;
      // Closing deletes the salt so that no answer can be linked to anyone again: never make a new one then.
      if (q.closed_at) throw new KenniskringError('question_closed', `question ${id} is closed: its salt is gone`);
      await c.query('INSERT INTO question_salts (question_id, salt) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, randomBytes(32).toString('base64url')]);
      return (await c.query<{ salt: string }>('SELECT salt FROM question_salts WHERE question_id = $1', [id])).rows[0]!.salt;
    });
  }

  async salts(): Promise<{ questionId: string; salt: string }[]> {
    const { rows } = await this.db.query<{ question_id: string; salt: string }>('SELECT question_id, salt FROM question_salts');
    return rows.map((r) => ({ questionId: r.question_id, salt: r.salt }));
  }

  async maxQueueOrder(): Promise<number> {
    const { rows } = await this.db.query<{ m: number | null }>('SELECT MAX(queue_order) AS m FROM questions');
    return rows[0]!.m ?? 0;
  }
}

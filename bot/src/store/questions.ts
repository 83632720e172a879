import { KenniskringError } from '../domain/errors';
import { randomBytes } from 'node:crypto';
import type { Db } from './db';
import type { OutboxRepo } from './outbox';
import { iso, isoOrNull, dateOrNull, sql } from './db';
import type { Question, QuestionKind, QuestionOption, QuestionSource } from '../domain/question';
import type { Theme } from '../domain/themes';

interface Row {
  id: string; text: string; kind: QuestionKind; options: string; scale_low: string | null; scale_high: string | null; translations: string;
  allow_comment: number; anonymous: number; theme: Theme; targets: string; week: string | null; queue_order: number;
  publish_at: string | null; closes_at: string | null; closed_at: string | null; source: QuestionSource; created_by: string | null;
}

const fromRow = (r: Row): Question => ({
  id: r.id, text: r.text, kind: r.kind, options: JSON.parse(r.options) as QuestionOption[],
  scaleLabels: r.scale_low !== null && r.scale_high !== null ? { low: r.scale_low, high: r.scale_high } : null,
  allowComment: r.allow_comment === 1, anonymous: r.anonymous === 1, theme: r.theme, targets: JSON.parse(r.targets) as Question['targets'],
  week: r.week, queueOrder: r.queue_order, publishAt: dateOrNull(r.publish_at), closesAt: dateOrNull(r.closes_at),
  closedAt: dateOrNull(r.closed_at), source: r.source, createdBy: r.created_by, translations: JSON.parse(r.translations) as Question['translations'],
});

const toParams = (q: Question, now: Date) => ({
  id: q.id, text: q.text, kind: q.kind, options: JSON.stringify(q.options), scale_low: q.scaleLabels?.low ?? null,
  scale_high: q.scaleLabels?.high ?? null, translations: JSON.stringify(q.translations), allow_comment: q.allowComment ? 1 : 0, anonymous: q.anonymous ? 1 : 0, theme: q.theme,
  targets: JSON.stringify(q.targets), week: q.week, queue_order: q.queueOrder, publish_at: isoOrNull(q.publishAt),
  closes_at: isoOrNull(q.closesAt), closed_at: isoOrNull(q.closedAt), source: q.source, created_by: q.createdBy, now: iso(now),
});

const contentKey = (q: Question): string =>
  JSON.stringify([q.text, q.kind, q.options, q.scaleLabels, q.allowComment, q.anonymous, q.theme, q.targets, q.queueOrder, q.translations]);

export type UpsertOutcome = 'created' | 'updated' | 'unchanged' | 'locked';

export class QuestionRepo {
  constructor(private readonly db: Db, private readonly outbox: OutboxRepo) {}

  private recorded(changed: boolean, id: string, now: Date): boolean {
    if (changed) this.outbox.record('question', id, now);
    return changed;
  }

  get(id: string): Question | null {
    const row = sql(this.db, 'SELECT * FROM questions WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  insert(q: Question, now: Date): boolean {
    return this.db.transaction(() => this.recorded(sql(this.db, `
      INSERT INTO questions (id, text, kind, options, scale_low, scale_high, translations, allow_comment, anonymous, theme, targets, week, queue_order,
                             publish_at, closes_at, closed_at, source, created_by, created_at, updated_at)
      VALUES (@id, @text, @kind, @options, @scale_low, @scale_high, @translations, @allow_comment, @anonymous, @theme, @targets, @week, @queue_order,
              @publish_at, @closes_at, @closed_at, @source, @created_by, @now, @now)
      ON CONFLICT (id) DO NOTHING
    `).run(toParams(q, now)).changes === 1, q.id, now))();
  }

  /**
   * Creates or refreshes a question from the question file. Once a question has gone out to any
   * RKK its content is locked: members answered *that* text, so later edits are reported, not applied.
   */
  upsertFromFile(q: Question, now: Date): UpsertOutcome {
    return this.db.transaction((): UpsertOutcome => {
      const existing = this.get(q.id);
      if (!existing) { this.insert(q, now); return 'created'; }
      const posted = sql(this.db, `SELECT 1 FROM deliveries WHERE question_id = ? AND kind = 'question' AND state = 'sent' LIMIT 1`).get(q.id);
      const placementSame = q.week === null
        ? true
        : q.week === existing.week && isoOrNull(q.closesAt) === isoOrNull(existing.closesAt);
      const same = contentKey(q) === contentKey(existing) && placementSame;
      if (same) return 'unchanged';
      if (posted || existing.closedAt) return 'locked';
      // A queued question that the scheduler already placed in a week keeps that place.
      const keepPlace = !q.week && existing.week !== null;
      sql(this.db, `
        UPDATE questions SET text=@text, kind=@kind, options=@options, scale_low=@scale_low, scale_high=@scale_high, translations=@translations,
          allow_comment=@allow_comment, anonymous=@anonymous, theme=@theme, targets=@targets, queue_order=@queue_order,
          week=${keepPlace ? 'week' : '@week'}, publish_at=${keepPlace ? 'publish_at' : '@publish_at'},
          closes_at=${keepPlace && !q.closesAt ? 'closes_at' : '@closes_at'}, updated_at=@now
        WHERE id=@id
      `).run(toParams(q, now));
      this.outbox.record('question', q.id, now);
      return 'updated';
    })();
  }

  /** Questions placed in a week, not closed, publishing at or before `until`. */
  placedUntil(until: Date): Question[] {
    return (sql(this.db, `SELECT * FROM questions WHERE publish_at IS NOT NULL AND publish_at <= ? AND closed_at IS NULL ORDER BY publish_at`)
      .all(iso(until)) as Row[]).map(fromRow);
  }

  inWeek(week: string): Question[] {
    return (sql(this.db, 'SELECT * FROM questions WHERE week = ? ORDER BY publish_at').all(week) as Row[]).map(fromRow);
  }

  /** The next question waiting in the queue (file order, then questions added later). */
  nextQueued(): Question | null {
    const row = sql(this.db, 'SELECT * FROM questions WHERE week IS NULL AND closed_at IS NULL ORDER BY queue_order, created_at, id LIMIT 1').get() as Row | undefined;
    return row ? fromRow(row) : null;
  }

  queued(): Question[] {
    return (sql(this.db, 'SELECT * FROM questions WHERE week IS NULL AND closed_at IS NULL ORDER BY queue_order, created_at, id').all() as Row[]).map(fromRow);
  }

  /** Scheduled for later than `now`, soonest first. */
  scheduledAfter(now: Date): Question[] {
    return (sql(this.db, 'SELECT * FROM questions WHERE publish_at > ? AND closed_at IS NULL ORDER BY publish_at').all(iso(now)) as Row[]).map(fromRow);
  }

  /** Most recently published first. */
  published(until: Date, limit = 50): Question[] {
    return (sql(this.db, 'SELECT * FROM questions WHERE publish_at IS NOT NULL AND publish_at <= ? ORDER BY publish_at DESC LIMIT ?')
      .all(iso(until), limit) as Row[]).map(fromRow);
  }

  place(id: string, week: string, publishAt: Date, closesAt: Date, now: Date): boolean {
    return this.db.transaction(() => this.recorded(sql(this.db, 'UPDATE questions SET week = ?, publish_at = ?, closes_at = COALESCE(closes_at, ?), updated_at = ? WHERE id = ? AND closed_at IS NULL')
      .run(week, iso(publishAt), iso(closesAt), iso(now), id).changes === 1, id, now))();
  }

  /** Moves the publish moment earlier (post now); never later. */
  publishNow(id: string, now: Date): void {
    this.db.transaction(() => this.recorded(sql(this.db, 'UPDATE questions SET publish_at = ?, updated_at = ? WHERE id = ? AND (publish_at IS NULL OR publish_at > ?)')
      .run(iso(now), iso(now), id, iso(now)).changes === 1, id, now))();
  }

  close(id: string, now: Date): boolean {
    return this.db.transaction(() => {
      const closed = sql(this.db, 'UPDATE questions SET closed_at = ?, updated_at = ? WHERE id = ? AND closed_at IS NULL').run(iso(now), iso(now), id).changes === 1;
      // Once closed, nobody needs to recognise a member again: without the salt, no answer links to a person.
      sql(this.db, 'DELETE FROM question_salts WHERE question_id = ?').run(id);
      return this.recorded(closed, id, now);
    })();
  }

  /** Open by time but past their closing moment and not yet closed. */
  dueToClose(now: Date): Question[] {
    return (sql(this.db, 'SELECT * FROM questions WHERE closed_at IS NULL AND closes_at IS NOT NULL AND closes_at <= ?').all(iso(now)) as Row[]).map(fromRow);
  }

  /** The salt of an open anonymous question, made on first use. */
  salt(id: string): string {
    const row = sql(this.db, 'SELECT salt FROM question_salts WHERE question_id = ?').get(id) as { salt: string } | undefined;
    if (row) return row.salt;
    // Closing deletes the salt so that no answer can be linked to anyone again: never make a new one then.
    const q = sql(this.db, 'SELECT closed_at FROM questions WHERE id = ?').get(id) as { closed_at: string | null } | undefined;
    if (!q) throw new KenniskringError('question_unknown', `no question ${JSON.stringify(id.slice(0, 80))}`);
    if (q.closed_at) throw new KenniskringError('question_closed', `question ${id} is closed: its salt is gone`);
    const salt = randomBytes(32).toString('base64url');
    sql(this.db, 'INSERT INTO question_salts (question_id, salt) VALUES (?, ?) ON CONFLICT DO NOTHING').run(id, salt);
    return (sql(this.db, 'SELECT salt FROM question_salts WHERE question_id = ?').get(id) as { salt: string }).salt;
  }

  /** Anonymous questions that can still recognise a member (open ones, with their salt). */
  salts(): { questionId: string; salt: string }[] {
    return (sql(this.db, 'SELECT question_id, salt FROM question_salts').all() as { question_id: string; salt: string }[]).map((r) => ({ questionId: r.question_id, salt: r.salt }));
  }

  maxQueueOrder(): number {
    const r = sql(this.db, 'SELECT MAX(queue_order) AS m FROM questions').get() as { m: number | null };
    return r.m ?? 0;
  }
}

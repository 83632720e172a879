import type { Db } from './db';
import { entityKey, type OutboxRepo } from './outbox';
import { iso, sql } from './db';
import { renewResults } from './deliveries';
import type { Answer, AnswerCounts, AnswerValue, Member } from '../domain/answer';
import type { ContactQuery, Explanations, Highlight, UpsertOptions } from './port';

interface Row {
  question_id: string; member_key: string; aad_object_id: string | null; teams_user_id: string; member_name: string;
  rkk_id: string | null; choices: string; text: string | null; comment: string | null; answered_at: string; updated_at: string; revision: number; contact_ok: number; contact_upn: string | null;
}

const fromRow = (r: Row): Answer => ({
  questionId: r.question_id, rkkId: r.rkk_id,
  member: { key: r.member_key, aadObjectId: r.aad_object_id, teamsUserId: r.teams_user_id, name: r.member_name },
  choices: JSON.parse(r.choices) as string[], text: r.text, comment: r.comment,
  answeredAt: new Date(r.answered_at), updatedAt: new Date(r.updated_at), revision: r.revision, contact: r.contact_ok === 1, contactUpn: r.contact_upn,
});

export class AnswerRepo {
  constructor(private readonly db: Db, private readonly outbox: OutboxRepo) {}

  /** One answer per member per question: a second submit replaces the first. */
  upsert(questionId: string, rkkId: string | null, member: Member, value: AnswerValue, now: Date, opts: UpsertOptions = {}): Answer {
    return this.db.transaction(() => {
      const before = this.get(questionId, member.key);
      if (before) this.adjust(before, -1);
      const kept = opts.keepComment && value.comment === null && before?.comment ? { ...value, comment: before.comment } : value;
      const answer = this.write(questionId, rkkId, member, kept, now);
      this.adjust(answer, +1);
      this.outbox.record('answer', entityKey(questionId, member.key), now);
      return answer;
    })();
  }

  private write(questionId: string, rkkId: string | null, member: Member, value: AnswerValue, now: Date): Answer {
    const row = sql(this.db, `
      INSERT INTO answers (question_id, member_key, aad_object_id, teams_user_id, member_name, rkk_id, choices, text, comment, answered_at, updated_at)
      VALUES (@q, @key, @aad, @tid, @name, @rkk, @choices, @text, @comment, @now, @now)
      ON CONFLICT (question_id, member_key) DO UPDATE SET
        aad_object_id = excluded.aad_object_id, teams_user_id = excluded.teams_user_id, member_name = excluded.member_name,
        rkk_id = excluded.rkk_id, choices = excluded.choices, text = excluded.text, comment = excluded.comment,
        updated_at = excluded.updated_at, revision = answers.revision + 1
      RETURNING *
    `).get({
      q: questionId, key: member.key, aad: member.aadObjectId, tid: member.teamsUserId, name: member.name, rkk: rkkId,
      choices: JSON.stringify(value.choices), text: value.text, comment: value.comment, now: iso(now),
    }) as Row;
    return fromRow(row);
  }

  get(questionId: string, memberKey: string): Answer | null {
    const row = sql(this.db, 'SELECT * FROM answers WHERE question_id = ? AND member_key = ?').get(questionId, memberKey) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Every answer of one member (what `mijn gegevens` shows). */
  forMember(memberKey: string): Answer[] {
    return (sql(this.db, 'SELECT * FROM answers WHERE member_key = ? ORDER BY answered_at').all(memberKey) as Row[]).map(fromRow);
  }

  setContact(questionId: string, memberKey: string, on: boolean, upn: string | null, now: Date): boolean {
    return this.db.transaction(() => {
      const changed = sql(this.db, `
        UPDATE answers SET contact_ok = @on, contact_upn = CASE WHEN @on = 1 THEN COALESCE(@upn, contact_upn) END
        WHERE question_id = @q AND member_key = @key AND (contact_ok <> @on OR (@on = 1 AND @upn IS NOT NULL AND contact_upn IS NOT @upn))
      `).run({ on: on ? 1 : 0, upn, q: questionId, key: memberKey }).changes === 1;
      if (changed) this.outbox.record('answer', entityKey(questionId, memberKey), now);
      return changed;
    })();
  }

  contacts(questionId: string, c: ContactQuery): Answer[] {
    return (sql(this.db, `
      SELECT * FROM answers WHERE question_id = @q AND contact_ok = 1 AND member_key <> @except
        AND EXISTS (SELECT 1 FROM json_each(answers.choices) c WHERE c.value IN (SELECT value FROM json_each(@options)))
      ORDER BY COALESCE(rkk_id, '') = @rkk DESC, updated_at DESC, member_key LIMIT @limit
    `).all({ q: questionId, except: c.except, options: JSON.stringify(c.options), rkk: c.rkkId ?? '', limit: c.limit }) as Row[]).map(fromRow);
  }

  recentMembers(questionId: string, rkkId: string, limit: number): string[] {
    return (sql(this.db, `SELECT teams_user_id AS id FROM answers WHERE question_id = ? AND rkk_id = ? AND teams_user_id <> '' ORDER BY updated_at DESC, member_key LIMIT ?`)
      .all(questionId, rkkId, limit) as { id: string }[]).map((r) => r.id);
  }

  explanations(questionId: string, rkkId: string | null, limit: number): Explanations {
    const where = `question_id = ? AND COALESCE(rkk_id, '') = ? AND comment IS NOT NULL AND comment <> ''`;
    const rows = sql(this.db, `SELECT member_key, member_name, comment, updated_at FROM answers WHERE ${where} ORDER BY updated_at DESC, member_key LIMIT ?`)
      .all(questionId, rkkId ?? '', limit) as { member_key: string; member_name: string | null; comment: string; updated_at: string }[];
    const total = (sql(this.db, `SELECT COUNT(*) AS n FROM answers WHERE ${where}`).get(questionId, rkkId ?? '') as { n: number }).n;
    return { items: rows.map((r) => ({ memberKey: r.member_key, name: r.member_name ?? '', text: r.comment, at: new Date(r.updated_at) })), total };
  }

  /** Removes answers (erase or retention); SharePoint follows through the outbox. Returns how many. */
  deleteWhere(where: { memberKey: string } | { before: Date }, now: Date): number {
    return this.db.transaction(() => {
      const gone = ('memberKey' in where
        ? sql(this.db, 'SELECT * FROM answers WHERE member_key = ?').all(where.memberKey)
        : sql(this.db, 'SELECT * FROM answers WHERE updated_at < ?').all(iso(where.before))) as Row[];
      const del = sql(this.db, 'DELETE FROM answers WHERE question_id = ? AND member_key = ?');
      for (const r of gone) {
        this.adjust(fromRow(r), -1);
        del.run(r.question_id, r.member_key);
        sql(this.db, 'DELETE FROM highlights WHERE question_id = ? AND member_key = ?').run(r.question_id, r.member_key);
        this.outbox.record('answer', entityKey(r.question_id, r.member_key), now);
      }
      renewResults(this.db, gone.map((r) => ({ questionId: r.question_id, rkkId: r.rkk_id })), now);
      return gone.length;
    })();
  }

  setHighlights(questionId: string, rkkId: string, memberKeys: readonly string[], by: string, now: Date): string[] {
    return this.db.transaction(() => {
      const before = (sql(this.db, 'SELECT member_key FROM highlights WHERE question_id = ? AND rkk_id = ?').all(questionId, rkkId) as { member_key: string }[]).map((r) => r.member_key);
      sql(this.db, 'DELETE FROM highlights WHERE question_id = ? AND rkk_id = ?').run(questionId, rkkId);
      const add = sql(this.db, `
        INSERT INTO highlights (question_id, rkk_id, member_key, comment, marked_by, marked_at)
        SELECT question_id, rkk_id, member_key, comment, ?, ? FROM answers
        WHERE question_id = ? AND rkk_id = ? AND member_key = ? AND comment IS NOT NULL AND comment <> ''
      `);
      const kept = [...new Set(memberKeys)].filter((key) => add.run(by, iso(now), questionId, rkkId, key).changes === 1);
      // SharePoint's answer items say whether they are highlighted: those that changed are written again.
      const changed = [...before.filter((k) => !kept.includes(k)), ...kept.filter((k) => !before.includes(k))];
      for (const key of changed) this.outbox.record('answer', entityKey(questionId, key), now);
      return kept;
    })();
  }

  highlights(questionId: string): Highlight[] {
    return (sql(this.db, `
      SELECT h.rkk_id, h.member_key, a.member_name, a.comment, h.marked_at FROM highlights h
      JOIN answers a ON a.question_id = h.question_id AND a.member_key = h.member_key AND a.comment = h.comment
      WHERE h.question_id = ? ORDER BY h.marked_at DESC, h.member_key
    `).all(questionId) as { rkk_id: string; member_key: string; member_name: string | null; comment: string; marked_at: string }[])
      .map((r) => ({ rkkId: r.rkk_id, memberKey: r.member_key, name: r.member_name ?? '', text: r.comment, markedAt: new Date(r.marked_at) }));
  }

  forQuestion(questionId: string): Answer[] {
    return (sql(this.db, 'SELECT * FROM answers WHERE question_id = ? ORDER BY answered_at').all(questionId) as Row[]).map(fromRow);
  }

  /** Moves an answer in or out of the running tally (same transaction as the change itself). */
  private adjust(a: Answer, by: 1 | -1): void {
    const bump = sql(this.db, `
      INSERT INTO answer_tallies (question_id, rkk_id, option_id, n) VALUES (?, ?, ?, ?)
      ON CONFLICT (question_id, rkk_id, option_id) DO UPDATE SET n = n + excluded.n
    `);
    const rkk = a.rkkId ?? '';
    for (const c of a.choices) bump.run(a.questionId, rkk, c, by);
    bump.run(a.questionId, rkk, '#respondents', by);
    if (a.comment) bump.run(a.questionId, rkk, '#comments', by);
  }

  /** The running tally: a few rows per question, whatever the number of answers. */
  counts(questionId: string, rkkId: string | null = null): AnswerCounts {
    const rows = (rkkId === null
      ? sql(this.db, 'SELECT option_id, SUM(n) AS n FROM answer_tallies WHERE question_id = ? GROUP BY option_id').all(questionId)
      : sql(this.db, 'SELECT option_id, n FROM answer_tallies WHERE question_id = ? AND rkk_id = ?').all(questionId, rkkId)) as { option_id: string; n: number }[];
    const perOption = new Map<string, number>();
    let respondents = 0;
    let comments = 0;
    for (const r of rows) {
      if (r.option_id === '#respondents') respondents = r.n;
      else if (r.option_id === '#comments') comments = r.n;
      else if (r.n > 0) perOption.set(r.option_id, r.n);
    }
    return { respondents, comments, perOption };
  }

  count(questionId: string, rkkId: string | null = null): number {
    return this.counts(questionId, rkkId).respondents;
  }

  /** The tally counted from the answers themselves (to check the running one). */
  recount(questionId: string, rkkId: string | null = null): AnswerCounts {
    const scope = rkkId === null ? '' : 'AND rkk_id = @rkk';
    const head = sql(this.db, `SELECT COUNT(*) AS n, COUNT(comment) AS c FROM answers WHERE question_id = @q ${scope}`)
      .get({ q: questionId, rkk: rkkId }) as { n: number; c: number };
    const per = sql(this.db, `
      SELECT j.value AS option, COUNT(*) AS n FROM answers, json_each(answers.choices) AS j
      WHERE question_id = @q ${scope} GROUP BY j.value
    `).all({ q: questionId, rkk: rkkId }) as { option: string; n: number }[];
    return { respondents: head.n, comments: head.c, perOption: new Map(per.map((r) => [String(r.option), r.n])) };
  }
}

import type { Answer, AnswerCounts, AnswerValue, Member } from '../../domain/answer';
import { entityKey } from '../outbox';
import type { AnswerRepository, ContactQuery, Explanations, Highlight, UpsertOptions } from '../port';
import type { PgDb, Sql } from './db';
import { changeRecorded, recordOutboxMany } from './outbox';
import { renewResults } from './deliveries';

interface Row {
  question_id: string; member_key: string; aad_object_id: string | null; teams_user_id: string; member_name: string;
  rkk_id: string | null; choices: string[]; text: string | null; comment: string | null; answered_at: Date; updated_at: Date; revision: number; contact_ok: boolean; contact_upn: string | null;
}

const fromRow = (r: Row): Answer => ({
  questionId: r.question_id, rkkId: r.rkk_id,
  member: { key: r.member_key, aadObjectId: r.aad_object_id, teamsUserId: r.teams_user_id, name: r.member_name },
  choices: r.choices, text: r.text, comment: r.comment, answeredAt: r.answered_at, updatedAt: r.updated_at, revision: r.revision, contact: r.contact_ok, contactUpn: r.contact_upn,
});

/** The tally rows an answer counts in: its choices, the respondent, the comment. */
function tallyRows(a: Answer): string[] {
  return [...a.choices, '#respondents', ...(a.comment ? ['#comments'] : [])];
}

export class PgAnswerRepo implements AnswerRepository {
  constructor(private readonly db: PgDb) {}

  /**
   * One answer per member per question: a second submit replaces the first. Two submits of the
   * same member on two instances take turns (an advisory lock on the pair), so the tally moves
   * from the earlier answer to the later one exactly once.
   */
  async upsert(questionId: string, rkkId: string | null, member: Member, value: AnswerValue, now: Date, opts: UpsertOptions = {}): Promise<Answer> {
    // One statement (kk_upsert_answer, migrations 3 and 5): the answer, its tally and its outbox row commit together.
    const { rows } = await this.db.statement<Row>('SELECT * FROM kk_upsert_answer($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)', [
      questionId, member.key, member.aadObjectId, member.teamsUserId, member.name, rkkId, JSON.stringify(value.choices), value.text, value.comment, now,
      entityKey('answer', questionId, member.key), entityKey(questionId, member.key), opts.keepComment === true,
    ]);
    return fromRow(rows[0]!);
  }

  async get(questionId: string, memberKey: string): Promise<Answer | null> {
    return this.getOn(this.db, questionId, memberKey);
  }

  private async getOn(sql: Sql, questionId: string, memberKey: string): Promise<Answer | null> {
    const { rows } = await sql.query<Row>('SELECT * FROM answers WHERE question_id = $1 AND member_key = $2', [questionId, memberKey]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async forMember(memberKey: string): Promise<Answer[]> {
    return (await this.db.query<Row>('SELECT * FROM answers WHERE member_key = $1 ORDER BY answered_at', [memberKey])).rows.map(fromRow);
  }

  setContact(questionId: string, memberKey: string, on: boolean, upn: string | null, now: Date): Promise<boolean> {
    return changeRecorded(this.db, 'answer', entityKey(questionId, memberKey), now, `
      UPDATE answers SET contact_ok = $3, contact_upn = CASE WHEN $3 THEN COALESCE($4, contact_upn) END
      WHERE question_id = $1 AND member_key = $2 AND (contact_ok <> $3 OR ($3 AND $4::text IS NOT NULL AND contact_upn IS DISTINCT FROM $4::text))`, [questionId, memberKey, on, upn]);
  }

  async contacts(questionId: string, c: ContactQuery): Promise<Answer[]> {
    const { rows } = await this.db.query<Row>(`
      SELECT * FROM answers WHERE question_id = $1 AND contact_ok AND member_key <> $2 AND choices ?| $3::text[]
      ORDER BY COALESCE(rkk_id, '') = $4 DESC, updated_at DESC, member_key COLLATE "C" LIMIT $5`, [questionId, c.except, c.options, c.rkkId ?? '', c.limit]);
    return rows.map(fromRow);
  }

  async recentMembers(questionId: string, rkkId: string, limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT teams_user_id AS id FROM answers WHERE question_id = $1 AND rkk_id = $2 AND teams_user_id <> '' ORDER BY updated_at DESC, member_key LIMIT $3`, [questionId, rkkId, limit]);
    return rows.map((r) => r.id);
  }

  async explanations(questionId: string, rkkId: string | null, limit: number): Promise<Explanations> {
    const { rows } = await this.db.query<{ member_key: string; member_name: string | null; comment: string; updated_at: Date; total: string }>(
      `SELECT member_key, member_name, comment, updated_at, COUNT(*) OVER () AS total FROM answers
       WHERE question_id = $1 AND COALESCE(rkk_id, '') = $2 AND comment IS NOT NULL AND comment <> ''
       ORDER BY updated_at DESC, member_key COLLATE "C" LIMIT $3`, [questionId, rkkId ?? '', limit]);
    const total = rows[0] ? Number(rows[0].total) : 0;
    return { items: rows.map((r) => ({ memberKey: r.member_key, name: r.member_name ?? '', text: r.comment, at: r.updated_at })), total };
  }

  deleteWhere(where: { memberKey: string } | { before: Date }, now: Date): Promise<number> {
    return this.db.tx((c) => deleteAnswers(c, where, now));
  }

  setHighlights(questionId: string, rkkId: string, memberKeys: readonly string[], by: string, now: Date): Promise<string[]> {
    return this.db.tx(async (c) => {
      const before = (await c.query<{ member_key: string }>('DELETE FROM highlights WHERE question_id = $1 AND rkk_id = $2 RETURNING member_key', [questionId, rkkId])).rows.map((r) => r.member_key);
      const { rows } = await c.query<{ member_key: string }>(`
        INSERT INTO highlights (question_id, rkk_id, member_key, comment, marked_by, marked_at)
        SELECT question_id, rkk_id, member_key, comment, $4, $5 FROM answers
        WHERE question_id = $1 AND rkk_id = $2 AND member_key = ANY($3::text[]) AND comment IS NOT NULL AND comment <> ''
        RETURNING member_key`, [questionId, rkkId, [...new Set(memberKeys)], by, now]);
      const kept = new Set(rows.map((r) => r.member_key));
      // SharePoint's answer items say whether they are highlighted: those that changed are written again.
      const changed = [...before.filter((k) => !kept.has(k)), ...[...kept].filter((k) => !before.includes(k))];
      await recordOutboxMany(c, 'answer', changed.map((k) => entityKey(questionId, k)), now);
      return [...new Set(memberKeys)].filter((k) => kept.has(k));
    });
  }

  async highlights(questionId: string): Promise<Highlight[]> {
    const { rows } = await this.db.query<{ rkk_id: string; member_key: string; member_name: string | null; comment: string; marked_at: Date }>(`
      SELECT h.rkk_id, h.member_key, a.member_name, a.comment, h.marked_at FROM highlights h
      JOIN answers a ON a.question_id = h.question_id AND a.member_key = h.member_key AND a.comment = h.comment
      WHERE h.question_id = $1 ORDER BY h.marked_at DESC, h.member_key COLLATE "C"`, [questionId]);
    return rows.map((r) => ({ rkkId: r.rkk_id, memberKey: r.member_key, name: r.member_name ?? '', text: r.comment, markedAt: r.marked_at }));
  }

  async forQuestion(questionId: string): Promise<Answer[]> {
    return (await this.db.query<Row>('SELECT * FROM answers WHERE question_id = $1 ORDER BY answered_at', [questionId])).rows.map(fromRow);
  }

  async counts(questionId: string, rkkId: string | null = null): Promise<AnswerCounts> {
    const { rows } = rkkId === null
      ? await this.db.query<{ option_id: string; n: string }>('SELECT option_id, SUM(n) AS n FROM answer_tallies WHERE question_id = $1 GROUP BY option_id', [questionId])
      : await this.db.query<{ option_id: string; n: string }>('SELECT option_id, n FROM answer_tallies WHERE question_id = $1 AND rkk_id = $2', [questionId, rkkId]);
    const perOption = new Map<string, number>();
    let respondents = 0;
    let comments = 0;
    for (const r of rows) {
      const n = Number(r.n);
      if (r.option_id === '#respondents') respondents = n;
      else if (r.option_id === '#comments') comments = n;
      else if (n > 0) perOption.set(r.option_id, n);
    }
    return { respondents, comments, perOption };
  }

  async count(questionId: string, rkkId: string | null = null): Promise<number> {
    return (await this.counts(questionId, rkkId)).respondents;
  }

  async recount(questionId: string, rkkId: string | null = null): Promise<AnswerCounts> {
    const scope = rkkId === null ? '' : 'AND rkk_id = $2';
    const values = rkkId === null ? [questionId] : [questionId, rkkId];
    const head = (await this.db.query<{ n: string; c: string }>(`SELECT COUNT(*) AS n, COUNT(comment) AS c FROM answers WHERE question_id = $1 ${scope}`, values)).rows[0]!;
    const per = (await this.db.query<{ option: string; n: string }>(`
      SELECT j.value AS option, COUNT(*) AS n FROM answers, jsonb_array_elements_text(answers.choices) AS j(value)
      WHERE question_id = $1 ${scope} GROUP BY j.value
    `, values)).rows;
    return { respondents: Number(head.n), comments: Number(head.c), perOption: new Map(per.map((r) => [r.option, Number(r.n)])) };
  }
}

/**
 * Moves answers in or out of the running tally, on the caller's transaction. The rows are
 * touched in one fixed order (sorted keys, one statement), so two answers on different instances
 * never wait for each other in a circle.
 */
async function adjustTallies(sql: Sql, moves: ReadonlyArray<readonly [Answer, 1 | -1]>): Promise<void> {
  const delta = new Map<string, { q: string; rkk: string; option: string; n: number }>();
  for (const [a, by] of moves) {
    const rkk = a.rkkId ?? '';
    for (const option of tallyRows(a)) {
      const k = entityKey(a.questionId, rkk, option);
      const d = delta.get(k) ?? { q: a.questionId, rkk, option, n: 0 };
      d.n += by;
      delta.set(k, d);
    }
  }
  const rows = [...delta.entries()].filter(([, d]) => d.n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
  if (!rows.length) return;
  await sql.query(`
    INSERT INTO answer_tallies (question_id, rkk_id, option_id, n)
    SELECT q, r, o, n FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS t(q, r, o, n, i) ORDER BY i
    ON CONFLICT (question_id, rkk_id, option_id) DO UPDATE SET n = answer_tallies.n + excluded.n
  `, [rows.map((d) => d.q), rows.map((d) => d.rkk), rows.map((d) => d.option), rows.map((d) => d.n)]);
}

/** Removes answers (erase or retention) with their tally and outbox rows, on the caller's transaction. */
export async function deleteAnswers(sql: Sql, where: { memberKey: string } | { before: Date }, now: Date): Promise<number> {
  const { rows } = 'memberKey' in where
    ? await sql.query<Row>('DELETE FROM answers WHERE member_key = $1 RETURNING *', [where.memberKey])
    : await sql.query<Row>('DELETE FROM answers WHERE updated_at < $1 RETURNING *', [where.before]);
  const gone = rows.map(fromRow);
  await adjustTallies(sql, gone.map((a) => [a, -1] as const));
  if (gone.length) {
    await sql.query('DELETE FROM highlights h USING unnest($1::text[], $2::text[]) AS g(question_id, member_key) WHERE h.question_id = g.question_id AND h.member_key = g.member_key',
      [gone.map((a) => a.questionId), gone.map((a) => a.member.key)]);
  }
  await recordOutboxMany(sql, 'answer', gone.map((a) => entityKey(a.questionId, a.member.key)), now);
  await renewResults(sql, gone, now);
  return gone.length;
}

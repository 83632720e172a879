import type { Db } from './db';
import { dateOrNull, iso, sql } from './db';
import { noticeId } from '../domain/notice';
import type { Proposal, ProposalDraft } from '../domain/proposal';
import type { Question } from '../domain/question';
import type { ProposalDecision } from './port';
import type { QuestionRepo } from './questions';
import type { OutboxRepo } from './outbox';
import { redrawSql, renewSql } from './deliveries';

type Stamp = string | Date | null;
export interface ProposalRow {
  id: string; draft: string | ProposalDraft; proposer_key: string; proposer_name: string; proposer_teams_id: string; rkk_id: string | null;
  show_name: number | boolean; state: Proposal['state']; reason: string | null; decided_by: string | null; decided_by_name: string | null;
  question_id: string | null; created_at: string | Date; decided_at: Stamp;
}

export const proposalFromRow = (r: ProposalRow): Proposal => ({
  id: r.id, draft: typeof r.draft === 'string' ? JSON.parse(r.draft) as ProposalDraft : r.draft,
  proposerKey: r.proposer_key, proposerName: r.proposer_name, proposerTeamsId: r.proposer_teams_id, rkkId: r.rkk_id, showName: Boolean(r.show_name),
  state: r.state, reason: r.reason, decidedBy: r.decided_by, decidedByName: r.decided_by_name, questionId: r.question_id,
  createdAt: new Date(r.created_at), decidedAt: r.decided_at === null ? null : r.decided_at instanceof Date ? r.decided_at : dateOrNull(r.decided_at),
});

const OWE = `INSERT INTO deliveries (kind, question_id, rkk_id, state, next_attempt_at, created_at) VALUES ('notice', @q, @to, 'pending', @now, @now) ON CONFLICT DO NOTHING`;
/** Approval cards already sent are owed again, as updates: they show the decision, or that the proposal is gone. */
const RENEW_CARDS = renewSql(`kind = 'notice' AND question_id = @q`, '@now');

/**
 * Proposed questions (`stel voor`): each decision, the question it becomes and the messages it
 * owes, in one transaction; SharePoint's row for the proposal follows through the outbox.
 */
export class ProposalRepo {
  constructor(private readonly db: Db, private readonly questions: QuestionRepo, private readonly outbox: OutboxRepo) {}

  create(p: Proposal, approvers: readonly string[], now: Date): void {
    this.db.transaction(() => {
      sql(this.db, `
        INSERT INTO proposals (id, draft, proposer_key, proposer_name, proposer_teams_id, rkk_id, show_name, state, created_at)
        VALUES (@id, @draft, @key, @name, @teams, @rkk, @show, 'pending', @now)
      `).run({ id: p.id, draft: JSON.stringify(p.draft), key: p.proposerKey, name: p.proposerName, teams: p.proposerTeamsId, rkk: p.rkkId, show: p.showName ? 1 : 0, now: iso(now) });
      const owe = sql(this.db, OWE);
      for (const to of new Set(approvers)) owe.run({ q: noticeId('proposal', p.id), to, now: iso(now) });
      this.outbox.record('proposal', p.id, now);
    })();
  }

  get(id: string): Proposal | null {
    const r = sql(this.db, 'SELECT * FROM proposals WHERE id = ?').get(id) as ProposalRow | undefined;
    return r ? proposalFromRow(r) : null;
  }

  pending(rkkIds: readonly string[] | null, limit = 20): Proposal[] {
    const rows = rkkIds === null
      ? sql(this.db, `SELECT * FROM proposals WHERE state = 'pending' ORDER BY created_at, id LIMIT ?`).all(limit)
      : sql(this.db, `SELECT * FROM proposals WHERE state = 'pending' AND rkk_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id LIMIT ?`).all(JSON.stringify(rkkIds), limit);
    return (rows as ProposalRow[]).map(proposalFromRow);
  }

  forProposer(proposerKey: string): Proposal[] {
    return (sql(this.db, 'SELECT * FROM proposals WHERE proposer_key = ? ORDER BY created_at, id').all(proposerKey) as ProposalRow[]).map(proposalFromRow);
  }

  forQuestion(questionId: string): Proposal | null {
    const r = sql(this.db, 'SELECT * FROM proposals WHERE question_id = ?').get(questionId) as ProposalRow | undefined;
    return r ? proposalFromRow(r) : null;
  }

  decide(id: string, d: ProposalDecision, question: Question | null, now: Date): Proposal | null {
    if (d.state === 'approved' && !question) throw new Error(`approving proposal ${id} needs the question it becomes`);
    return this.db.transaction((): Proposal | null => {
      const changed = sql(this.db, `
        UPDATE proposals SET state = @state, draft = COALESCE(@draft, draft), reason = @reason, decided_by = @by, decided_by_name = @byName,
          question_id = @question, decided_at = @now
        WHERE id = @id AND state = 'pending'
      `).run({ id, state: d.state, draft: d.draft ? JSON.stringify(d.draft) : null, reason: d.reason ?? null, by: d.by, byName: d.byName,
        question: d.state === 'approved' ? question!.id : null, now: iso(now) }).changes === 1;
      if (!changed) return null;
      if (d.state === 'approved' && !this.questions.insert(question!, now)) throw new Error(`question ${question!.id} exists already`);
      const p = this.get(id)!;
      sql(this.db, OWE).run({ q: noticeId('proposed', id), to: p.proposerKey, now: iso(now) });
      sql(this.db, RENEW_CARDS).run({ q: noticeId('proposal', id), now: iso(now) });
      this.outbox.record('proposal', id, now);
      return p;
    })();
  }

  deleteWhere(where: { proposerKey: string } | { before: Date }, now: Date): number {
    return this.db.transaction(() => {
      const ids = ('proposerKey' in where
        ? sql(this.db, 'SELECT id, question_id FROM proposals WHERE proposer_key = ?').all(where.proposerKey)
        : sql(this.db, 'SELECT id, question_id FROM proposals WHERE created_at < ?').all(iso(where.before))) as { id: string; question_id: string | null }[];
      const del = sql(this.db, 'DELETE FROM proposals WHERE id = ?');
      const renew = sql(this.db, RENEW_CARDS);
      // The proposer's own message named them and is theirs: it goes with the rest.
      const forget = sql(this.db, `DELETE FROM deliveries WHERE kind = 'notice' AND question_id = ?`);
      // The question's cards in the channels named them: the count sweep redraws a card whose shown count is off.
      const redraw = sql(this.db, redrawSql('question_id = ?'));
      const unname = sql(this.db, `UPDATE questions SET created_by = NULL WHERE id = ? AND source = 'proposal'`);
      for (const { id, question_id: questionId } of ids) {
        del.run(id);
        renew.run({ q: noticeId('proposal', id), now: iso(now) });
        forget.run(noticeId('proposed', id));
        if (questionId) { redraw.run(questionId); unname.run(questionId); }
        this.outbox.record('proposal', id, now);
      }
      return ids.length;
    })();
  }
}

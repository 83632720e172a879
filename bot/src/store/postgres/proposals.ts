import { noticeId } from '../../domain/notice';
import type { Proposal } from '../../domain/proposal';
import type { Question } from '../../domain/question';
import type { ProposalDecision, ProposalRepository } from '../port';
import type { PgDb, Sql } from './db';
import type { PgQuestionRepo } from './questions';
import { proposalFromRow, type ProposalRow } from '../proposals';
import { recordOutbox } from './outbox';
import { redrawSql, renewSql } from '../deliveries';

const OWE = `INSERT INTO deliveries (kind, question_id, rkk_id, state, next_attempt_at, created_at) VALUES ('notice', $1, $2, 'pending', $3, $3) ON CONFLICT DO NOTHING`;
/** Approval cards already sent are owed again, as updates: they show the decision, or that the proposal is gone. */
const RENEW_CARDS = renewSql(`kind = 'notice' AND question_id = $1`, '$2');

/**
 * Proposed questions (`stel voor`): each decision, the question it becomes and the messages it
 * owes, in one transaction; SharePoint's row for the proposal follows through the outbox.
 */
export class PgProposalRepo implements ProposalRepository {
  constructor(private readonly db: PgDb, private readonly questions: PgQuestionRepo) {}

  create(p: Proposal, approvers: readonly string[], now: Date): Promise<void> {
    return this.db.tx(async (c) => {
      await c.query(`INSERT INTO proposals (id, draft, proposer_key, proposer_name, proposer_teams_id, rkk_id, show_name, state, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)`, [p.id, JSON.stringify(p.draft), p.proposerKey, p.proposerName, p.proposerTeamsId, p.rkkId, p.showName, now]);
      for (const to of new Set(approvers)) await c.query(OWE, [noticeId('proposal', p.id), to, now]);
      await recordOutbox(c, 'proposal', p.id, now);
    });
  }

  async get(id: string): Promise<Proposal | null> {
    const { rows } = await this.db.query<ProposalRow>('SELECT * FROM proposals WHERE id = $1', [id]);
    return rows[0] ? proposalFromRow(rows[0]) : null;
  }

  async pending(rkkIds: readonly string[] | null, limit = 20): Promise<Proposal[]> {
    const { rows } = rkkIds === null
      ? await this.db.query<ProposalRow>(`SELECT * FROM proposals WHERE state = 'pending' ORDER BY created_at, id LIMIT $1`, [limit])
      : await this.db.query<ProposalRow>(`SELECT * FROM proposals WHERE state = 'pending' AND rkk_id = ANY($1) ORDER BY created_at, id LIMIT $2`, [[...rkkIds], limit]);
    return rows.map(proposalFromRow);
  }

  async forProposer(proposerKey: string): Promise<Proposal[]> {
    return (await this.db.query<ProposalRow>('SELECT * FROM proposals WHERE proposer_key = $1 ORDER BY created_at, id', [proposerKey])).rows.map(proposalFromRow);
  }

  async forQuestion(questionId: string): Promise<Proposal | null> {
    const { rows } = await this.db.query<ProposalRow>('SELECT * FROM proposals WHERE question_id = $1', [questionId]);
    return rows[0] ? proposalFromRow(rows[0]) : null;
  }

  decide(id: string, d: ProposalDecision, question: Question | null, now: Date): Promise<Proposal | null> {
    if (d.state === 'approved' && !question) throw new Error(`approving proposal ${id} needs the question it becomes`);
    return this.db.tx(async (c) => {
      const { rows } = await c.query<ProposalRow>(`
        UPDATE proposals SET state = $2, draft = COALESCE($3, draft), reason = $4, decided_by = $5, decided_by_name = $6, question_id = $7, decided_at = $8
        WHERE id = $1 AND state = 'pending' RETURNING *
      `, [id, d.state, d.draft ? JSON.stringify(d.draft) : null, d.reason ?? null, d.by, d.byName, d.state === 'approved' ? question!.id : null, now]);
      if (!rows[0]) return null;
      if (d.state === 'approved' && !(await this.questions.insertOn(c, question!, now))) throw new Error(`question ${question!.id} exists already`);
      const p = proposalFromRow(rows[0]);
      await c.query(OWE, [noticeId('proposed', id), p.proposerKey, now]);
      await c.query(RENEW_CARDS, [noticeId('proposal', id), now]);
      await recordOutbox(c, 'proposal', id, now);
      return p;
    });
  }

  deleteWhere(where: { proposerKey: string } | { before: Date }, now: Date): Promise<number> {
    return this.db.tx(async (c) => deleteProposals(c, where, now));
  }
}

/** Removes proposals (erase or retention), inside the caller's transaction. */
export async function deleteProposals(c: Sql, where: { proposerKey: string } | { before: Date }, now: Date): Promise<number> {
  const { rows } = 'proposerKey' in where
    ? await c.query<{ id: string; question_id: string | null }>('DELETE FROM proposals WHERE proposer_key = $1 RETURNING id, question_id', [where.proposerKey])
    : await c.query<{ id: string; question_id: string | null }>('DELETE FROM proposals WHERE created_at < $1 RETURNING id, question_id', [where.before]);
  for (const { id, question_id: questionId } of rows) {
    // The question's cards in the channels named them: the count sweep redraws a card whose shown count is off.
    if (questionId) {
      await c.query(redrawSql('question_id = $1'), [questionId]);
      await c.query(`UPDATE questions SET created_by = NULL WHERE id = $1 AND source = 'proposal'`, [questionId]);
    }
    await c.query(RENEW_CARDS, [noticeId('proposal', id), now]);
    // The proposer's own message named them and is theirs: it goes with the rest.
    await c.query(`DELETE FROM deliveries WHERE kind = 'notice' AND question_id = $1`, [noticeId('proposed', id)]);
    await recordOutbox(c, 'proposal', id, now);
  }
  return rows.length;
}

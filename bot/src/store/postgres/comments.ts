import type { Comment } from '../comments';
import { entityKey } from '../outbox';
import type { CommentRepository } from '../port';
import type { PgDb, Sql } from './db';
import { changeRecorded, recordOutboxMany } from './outbox';

interface Row {
  message_id: string; conversation_id: string; question_id: string; rkk_id: string; author_key: string; author_name: string;
  text: string; created_at: Date; edited_at: Date | null; deleted_at: Date | null;
}

const fromRow = (r: Row): Comment => ({
  messageId: r.message_id, conversationId: r.conversation_id, questionId: r.question_id, rkkId: r.rkk_id,
  authorKey: r.author_key, authorName: r.author_name, text: r.text, createdAt: r.created_at,
  editedAt: r.edited_at, deletedAt: r.deleted_at,
});

export class PgCommentRepo implements CommentRepository {
  constructor(private readonly db: PgDb) {}

  private changeRecorded(conversationId: string, messageId: string, now: Date, text: string, values: unknown[]): Promise<boolean> {
    return changeRecorded(this.db, 'comment', entityKey(conversationId, messageId), now, text, values);
  }

  add(c: Omit<Comment, 'editedAt' | 'deletedAt'>): Promise<boolean> {
    return this.changeRecorded(c.conversationId, c.messageId, c.createdAt, `
      INSERT INTO comments (message_id, conversation_id, question_id, rkk_id, author_key, author_name, text, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING
    `, [c.messageId, c.conversationId, c.questionId, c.rkkId, c.authorKey, c.authorName, c.text, c.createdAt]);
  }

  edit(conversationId: string, messageId: string, text: string, now: Date): Promise<boolean> {
    return this.changeRecorded(conversationId, messageId, now,
      'UPDATE comments SET text = $3, edited_at = $4 WHERE conversation_id = $1 AND message_id = $2 AND deleted_at IS NULL', [conversationId, messageId, text, now]);
  }

  markDeleted(conversationId: string, messageId: string, now: Date): Promise<boolean> {
    return this.changeRecorded(conversationId, messageId, now,
      'UPDATE comments SET deleted_at = $3 WHERE conversation_id = $1 AND message_id = $2 AND deleted_at IS NULL', [conversationId, messageId, now]);
  }

  restore(conversationId: string, messageId: string, text: string | null, now: Date): Promise<boolean> {
    return this.changeRecorded(conversationId, messageId, now,
      'UPDATE comments SET deleted_at = NULL, text = COALESCE($3, text) WHERE conversation_id = $1 AND message_id = $2 AND deleted_at IS NOT NULL', [conversationId, messageId, text]);
  }

  async find(conversationId: string, messageId: string): Promise<Comment | null> {
    const { rows } = await this.db.query<Row>('SELECT * FROM comments WHERE conversation_id = $1 AND message_id = $2', [conversationId, messageId]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async forAuthor(authorKey: string): Promise<Comment[]> {
    return (await this.db.query<Row>('SELECT * FROM comments WHERE author_key = $1 ORDER BY created_at', [authorKey])).rows.map(fromRow);
  }

  deleteWhere(where: { authorKey: string } | { before: Date }, now: Date): Promise<number> {
    return this.db.tx((c) => deleteComments(c, where, now));
  }

  async forQuestion(questionId: string, opts: { includeDeleted?: boolean } = {}): Promise<Comment[]> {
    const sql = `SELECT * FROM comments WHERE question_id = $1 ${opts.includeDeleted ? '' : 'AND deleted_at IS NULL'} ORDER BY created_at`;
    return (await this.db.query<Row>(sql, [questionId])).rows.map(fromRow);
  }
}

/** Removes comments (erase or retention) with their outbox rows, on the caller's transaction. */
export async function deleteComments(sql: Sql, where: { authorKey: string } | { before: Date }, now: Date): Promise<number> {
  const { rows } = 'authorKey' in where
    ? await sql.query<{ conversation_id: string; message_id: string }>('DELETE FROM comments WHERE author_key = $1 RETURNING conversation_id, message_id', [where.authorKey])
    : await sql.query<{ conversation_id: string; message_id: string }>('DELETE FROM comments WHERE created_at < $1 RETURNING conversation_id, message_id', [where.before]);
  await recordOutboxMany(sql, 'comment', rows.map((r) => entityKey(r.conversation_id, r.message_id)), now);
  return rows.length;
}

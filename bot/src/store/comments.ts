import type { Db } from './db';
import { entityKey, type OutboxRepo } from './outbox';
import { iso, dateOrNull, sql } from './db';

export interface Comment {
  messageId: string;
  conversationId: string;
  questionId: string;
  rkkId: string;
  authorKey: string;
  authorName: string;
  text: string;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

interface Row {
  message_id: string; conversation_id: string; question_id: string; rkk_id: string; author_key: string; author_name: string;
  text: string; created_at: string; edited_at: string | null; deleted_at: string | null;
}

const fromRow = (r: Row): Comment => ({
  messageId: r.message_id, conversationId: r.conversation_id, questionId: r.question_id, rkkId: r.rkk_id,
  authorKey: r.author_key, authorName: r.author_name, text: r.text, createdAt: new Date(r.created_at),
  editedAt: dateOrNull(r.edited_at), deletedAt: dateOrNull(r.deleted_at),
});

export class CommentRepo {
  constructor(private readonly db: Db, private readonly outbox: OutboxRepo) {}

  private recorded(changed: boolean, conversationId: string, messageId: string, now: Date): boolean {
    if (changed) this.outbox.record('comment', entityKey(conversationId, messageId), now);
    return changed;
  }

  /** Stores a thread reply; a redelivered activity (same message id) is stored once. */
  add(c: Omit<Comment, 'editedAt' | 'deletedAt'>): boolean {
    return this.db.transaction(() => this.recorded(sql(this.db, `
      INSERT INTO comments (message_id, conversation_id, question_id, rkk_id, author_key, author_name, text, created_at)
      VALUES (@messageId, @conversationId, @questionId, @rkkId, @authorKey, @authorName, @text, @createdAt)
      ON CONFLICT DO NOTHING
    `).run({ ...c, createdAt: iso(c.createdAt) }).changes === 1, c.conversationId, c.messageId, c.createdAt))();
  }

  edit(conversationId: string, messageId: string, text: string, now: Date): boolean {
    return this.db.transaction(() => this.recorded(sql(this.db, 'UPDATE comments SET text = ?, edited_at = ? WHERE conversation_id = ? AND message_id = ? AND deleted_at IS NULL')
      .run(text, iso(now), conversationId, messageId).changes === 1, conversationId, messageId, now))();
  }

  markDeleted(conversationId: string, messageId: string, now: Date): boolean {
    return this.db.transaction(() => this.recorded(sql(this.db, 'UPDATE comments SET deleted_at = ? WHERE conversation_id = ? AND message_id = ? AND deleted_at IS NULL')
      .run(iso(now), conversationId, messageId).changes === 1, conversationId, messageId, now))();
  }

  restore(conversationId: string, messageId: string, text: string | null, now: Date): boolean {
    return this.db.transaction(() => this.recorded(sql(this.db, 'UPDATE comments SET deleted_at = NULL, text = COALESCE(?, text) WHERE conversation_id = ? AND message_id = ? AND deleted_at IS NOT NULL')
      .run(text, conversationId, messageId).changes === 1, conversationId, messageId, now))();
  }

  find(conversationId: string, messageId: string): Comment | null {
    const row = sql(this.db, 'SELECT * FROM comments WHERE conversation_id = ? AND message_id = ?').get(conversationId, messageId) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  forAuthor(authorKey: string): Comment[] {
    return (sql(this.db, 'SELECT * FROM comments WHERE author_key = ? ORDER BY created_at').all(authorKey) as Row[]).map(fromRow);
  }

  /** Removes comments (erase or retention); SharePoint follows through the outbox. Returns how many. */
  deleteWhere(where: { authorKey: string } | { before: Date }, now: Date): number {
    return this.db.transaction(() => {
      const rows = ('authorKey' in where
        ? sql(this.db, 'SELECT conversation_id, message_id FROM comments WHERE author_key = ?').all(where.authorKey)
        : sql(this.db, 'SELECT conversation_id, message_id FROM comments WHERE created_at < ?').all(iso(where.before))) as { conversation_id: string; message_id: string }[];
      const del = sql(this.db, 'DELETE FROM comments WHERE conversation_id = ? AND message_id = ?');
      for (const r of rows) {
        del.run(r.conversation_id, r.message_id);
        this.outbox.record('comment', entityKey(r.conversation_id, r.message_id), now);
      }
      return rows.length;
    })();
  }

  forQuestion(questionId: string, opts: { includeDeleted?: boolean } = {}): Comment[] {
    const text = `SELECT * FROM comments WHERE question_id = ? ${opts.includeDeleted ? '' : 'AND deleted_at IS NULL'} ORDER BY created_at`;
    return (sql(this.db, text).all(questionId) as Row[]).map(fromRow);
  }
}

import type { Member } from '../../domain/answer';
import { noticeId } from '../../domain/notice';
import type { ReminderSetting } from '../../domain/reminder';
import type { ReminderRepository } from '../port';
import type { PgDb, Sql } from './db';
import { reminderFromRow, type ReminderRow } from '../reminders';

/** Who asked to be reminded before a question of their RKK closes (`herinner mij`). */
export class PgReminderRepo implements ReminderRepository {
  constructor(private readonly db: PgDb) {}

  async set(member: Member, rkkId: string, now: Date): Promise<boolean> {
    // xmax = 0 only on a row this statement inserted.
    const { rows } = await this.db.query<{ inserted: boolean }>(`
      INSERT INTO reminders (member_key, aad_object_id, teams_user_id, member_name, rkk_id, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $6)
      ON CONFLICT (member_key) DO UPDATE SET aad_object_id = excluded.aad_object_id, teams_user_id = excluded.teams_user_id,
        member_name = excluded.member_name, rkk_id = excluded.rkk_id, updated_at = excluded.updated_at, last_error = NULL, failed_at = NULL
      RETURNING (xmax = 0) AS inserted
    `, [member.key, member.aadObjectId, member.teamsUserId, member.name, rkkId, now]);
    return rows[0]?.inserted === true;
  }

  async get(memberKey: string): Promise<ReminderSetting | null> {
    const { rows } = await this.db.query<ReminderRow>('SELECT * FROM reminders WHERE member_key = $1', [memberKey]);
    return rows[0] ? reminderFromRow(rows[0]) : null;
  }

  async remove(memberKey: string): Promise<boolean> {
    return ((await this.db.query('DELETE FROM reminders WHERE member_key = $1', [memberKey])).rowCount ?? 0) === 1;
  }

  async unreminded(questionId: string, rkkIds: readonly string[]): Promise<ReminderSetting[]> {
    if (!rkkIds.length) return [];
    const { rows } = await this.db.query<ReminderRow>(`
      SELECT r.* FROM reminders r
      WHERE r.rkk_id = ANY($3::text[])
        AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.kind = 'notice' AND d.question_id = $2 AND d.rkk_id = r.member_key)
        AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = $1 AND a.member_key = r.member_key)
      ORDER BY r.created_at, r.member_key
    `, [questionId, noticeId('remind', questionId), [...rkkIds]]);
    return rows.map(reminderFromRow);
  }

  async failed(memberKey: string, error: string, now: Date): Promise<void> {
    await this.db.query('UPDATE reminders SET last_error = $1, failed_at = $2 WHERE member_key = $3', [error.slice(0, 500), now, memberKey]);
  }
}

/** Erase: the setting and every reminder owed or sent (they name the member by key), in the erase's transaction. */
export async function eraseReminders(c: Sql, memberKey: string): Promise<boolean> {
  await c.query(`DELETE FROM deliveries WHERE kind = 'notice' AND rkk_id = $1 AND question_id LIKE 'remind:%'`, [memberKey]);
  return ((await c.query('DELETE FROM reminders WHERE member_key = $1', [memberKey])).rowCount ?? 0) === 1;
}

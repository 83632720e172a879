import type { Db } from './db';
import { dateOrNull, iso, sql } from './db';
import type { Member } from '../domain/answer';
import { noticeId } from '../domain/notice';
import type { ReminderSetting } from '../domain/reminder';

type Stamp = string | Date | null;
export interface ReminderRow {
  member_key: string; aad_object_id: string | null; teams_user_id: string; member_name: string; rkk_id: string;
  created_at: string | Date; updated_at: string | Date; last_error: string | null; failed_at: Stamp;
}

export const reminderFromRow = (r: ReminderRow): ReminderSetting => ({
  member: { key: r.member_key, aadObjectId: r.aad_object_id, teamsUserId: r.teams_user_id, name: r.member_name },
  rkkId: r.rkk_id, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at), lastError: r.last_error,
  failedAt: r.failed_at === null ? null : r.failed_at instanceof Date ? r.failed_at : dateOrNull(r.failed_at),
});

/** Members not owed this question's reminder (nor ever were), who have not answered it under their own key. */
const UNREMINDED = (placeholders: string) => `
  SELECT r.* FROM reminders r
  WHERE r.rkk_id IN (${placeholders})
    AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.kind = 'notice' AND d.question_id = @notice AND d.rkk_id = r.member_key)
    AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.question_id = @q AND a.member_key = r.member_key)
  ORDER BY r.created_at, r.member_key`;

/** Who asked to be reminded before a question of their RKK closes (`herinner mij`). */
export class ReminderRepo {
  constructor(private readonly db: Db) {}

  set(member: Member, rkkId: string, now: Date): boolean {
    return this.db.transaction(() => {
      const had = this.get(member.key) !== null;
      sql(this.db, `
        INSERT INTO reminders (member_key, aad_object_id, teams_user_id, member_name, rkk_id, created_at, updated_at)
        VALUES (@key, @aad, @teams, @name, @rkk, @now, @now)
        ON CONFLICT (member_key) DO UPDATE SET aad_object_id = excluded.aad_object_id, teams_user_id = excluded.teams_user_id,
          member_name = excluded.member_name, rkk_id = excluded.rkk_id, updated_at = excluded.updated_at, last_error = NULL, failed_at = NULL
      `).run({ key: member.key, aad: member.aadObjectId, teams: member.teamsUserId, name: member.name, rkk: rkkId, now: iso(now) });
      return !had;
    })();
  }

  get(memberKey: string): ReminderSetting | null {
    const r = sql(this.db, 'SELECT * FROM reminders WHERE member_key = ?').get(memberKey) as ReminderRow | undefined;
    return r ? reminderFromRow(r) : null;
  }

  remove(memberKey: string): boolean {
    return sql(this.db, 'DELETE FROM reminders WHERE member_key = ?').run(memberKey).changes === 1;
  }

  unreminded(questionId: string, rkkIds: readonly string[]): ReminderSetting[] {
    if (!rkkIds.length) return [];
    const params: Record<string, string> = { q: questionId, notice: noticeId('remind', questionId) };
    rkkIds.forEach((id, i) => { params[`r${i}`] = id; });
    return (sql(this.db, UNREMINDED(rkkIds.map((_, i) => `@r${i}`).join(', '))).all(params) as ReminderRow[]).map(reminderFromRow);
  }

  failed(memberKey: string, error: string, now: Date): void {
    sql(this.db, 'UPDATE reminders SET last_error = ?, failed_at = ? WHERE member_key = ?').run(error.slice(0, 500), iso(now), memberKey);
  }

  /** Erase: the setting and every reminder owed or sent (they name the member by key). */
  erase(memberKey: string): boolean {
    sql(this.db, `DELETE FROM deliveries WHERE kind = 'notice' AND rkk_id = ? AND question_id LIKE 'remind:%'`).run(memberKey);
    return this.remove(memberKey);
  }
}

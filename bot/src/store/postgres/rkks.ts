import type { Lang } from '../../domain/lang';
import type { ConversationRefJson, Rkk, RkkRegistration } from '../rkks';
import type { RkkRepository } from '../port';
import { changed, type PgDb } from './db';

interface Row {
  id: string; name: string; team_id: string; aad_group_id: string | null; channel_id: string; tenant_id: string | null;
  service_url: string; conversation_ref: ConversationRefJson; active: boolean; greeting: 'sending' | 'sent' | null; lang: Lang; overarching: boolean;
  registered_at: Date; deactivated_at: Date | null;
}

const fromRow = (r: Row): Rkk => ({
  id: r.id, name: r.name, teamId: r.team_id, aadGroupId: r.aad_group_id, channelId: r.channel_id, tenantId: r.tenant_id,
  serviceUrl: r.service_url, conversationRef: r.conversation_ref, active: r.active, greeting: r.greeting, lang: r.lang, overarching: r.overarching,
  registeredAt: r.registered_at, deactivatedAt: r.deactivated_at,
});

export class PgRkkRepo implements RkkRepository {
  constructor(private readonly db: PgDb) {}

  async register(reg: RkkRegistration, now: Date): Promise<Rkk> {
    const { rows } = await this.db.query<Row>(`
      INSERT INTO rkks (id, name, team_id, aad_group_id, channel_id, tenant_id, service_url, conversation_ref, active, registered_at, updated_at)
      VALUES ($1, $2, $1, $3, $4, $5, $6, $7, true, $8, $8)
      ON CONFLICT (id) DO UPDATE SET
        aad_group_id = excluded.aad_group_id, channel_id = excluded.channel_id, tenant_id = excluded.tenant_id,
        service_url = excluded.service_url, conversation_ref = excluded.conversation_ref,
        active = true, deactivated_at = NULL, updated_at = excluded.updated_at
      RETURNING *
    `, [reg.teamId, reg.name, reg.aadGroupId, reg.channelId, reg.tenantId, reg.serviceUrl, JSON.stringify(reg.conversationRef), now]);
    return fromRow(rows[0]!);
  }

  async get(id: string): Promise<Rkk | null> {
    const { rows } = await this.db.query<Row>('SELECT * FROM rkks WHERE id = $1', [id]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async moveServiceUrl(id: string, serviceUrl: string, now: Date): Promise<boolean> {
    return changed(await this.db.query(
      `UPDATE rkks SET service_url = $2, conversation_ref = jsonb_set(conversation_ref, '{serviceUrl}', to_jsonb($2::text)), updated_at = $3 WHERE id = $1 AND service_url <> $2`,
      [id, serviceUrl, now]));
  }

  async byTeam(teamOrGroupId: string): Promise<Rkk | null> {
    const { rows } = await this.db.query<Row>('SELECT * FROM rkks WHERE id = $1 OR aad_group_id = $1 ORDER BY id = $1 DESC LIMIT 1', [teamOrGroupId]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async list(opts: { activeOnly?: boolean } = {}): Promise<Rkk[]> {
    const { rows } = await this.db.query<Row>(`SELECT * FROM rkks ${opts.activeOnly ? 'WHERE active' : ''} ORDER BY name COLLATE "C"`);
    return rows.map(fromRow);
  }

  setOverarching(id: string, on: boolean, now: Date): Promise<boolean> {
    return this.db.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', ['kk:overarching']);
      const before = (await c.query<{ id: string }>('SELECT id FROM rkks WHERE overarching')).rows.map((r) => r.id);
      if (on ? before.length === 1 && before[0] === id : !before.includes(id)) return false;
      if (on) await c.query('UPDATE rkks SET overarching = false, updated_at = $1 WHERE overarching', [now]);
      return changed(await c.query('UPDATE rkks SET overarching = $2, updated_at = $3 WHERE id = $1', [id, on, now]));
    });
  }

  async setLang(id: string, lang: Lang, now: Date): Promise<boolean> {
    return changed(await this.db.query('UPDATE rkks SET lang = $2, updated_at = $3 WHERE id = $1 AND lang <> $2', [id, lang, now]));
  }

  async rename(id: string, name: string, now: Date): Promise<boolean> {
    return changed(await this.db.query('UPDATE rkks SET name = $1, updated_at = $2 WHERE id = $3', [name, now, id]));
  }

  async deactivate(id: string, now: Date): Promise<boolean> {
    return changed(await this.db.query('UPDATE rkks SET active = false, deactivated_at = $1, updated_at = $1 WHERE id = $2 AND active', [now, id]));
  }

  async claimGreeting(id: string): Promise<boolean> {
    return changed(await this.db.query(`UPDATE rkks SET greeting = 'sending' WHERE id = $1 AND greeting IS NULL`, [id]));
  }

  async releaseGreeting(id: string): Promise<void> {
    await this.db.query(`UPDATE rkks SET greeting = NULL WHERE id = $1 AND greeting = 'sending'`, [id]);
  }

  async markGreeted(id: string): Promise<void> {
    await this.db.query(`UPDATE rkks SET greeting = 'sent' WHERE id = $1`, [id]);
  }

  async addModerator(rkkId: string, memberKey: string, addedBy: string, now: Date): Promise<boolean> {
    return changed(await this.db.query('INSERT INTO moderators (rkk_id, member_key, added_by, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [rkkId, memberKey, addedBy, now]));
  }

  async removeModerator(rkkId: string, memberKey: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM moderators WHERE rkk_id = $1 AND member_key = $2', [rkkId, memberKey]));
  }

  async isModerator(rkkId: string, memberKey: string): Promise<boolean> {
    return changed(await this.db.query('SELECT 1 FROM moderators WHERE rkk_id = $1 AND member_key = $2', [rkkId, memberKey]));
  }

  async moderators(rkkId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ member_key: string }>('SELECT member_key FROM moderators WHERE rkk_id = $1 ORDER BY added_at', [rkkId]);
    return rows.map((r) => r.member_key);
  }

  async hasPersonalChat(memberKey: string): Promise<boolean> {
    return changed(await this.db.query('SELECT 1 FROM personal_chats WHERE member_key = $1', [memberKey]));
  }

  async personalChat(memberKey: string): Promise<ConversationRefJson | null> {
    const { rows } = await this.db.query<{ conversation_ref: ConversationRefJson | string }>('SELECT conversation_ref FROM personal_chats WHERE member_key = $1', [memberKey]);
    const ref = rows[0]?.conversation_ref;
    return ref === undefined ? null : typeof ref === 'string' ? JSON.parse(ref) as ConversationRefJson : ref;
  }

  async forgetPersonalChat(memberKey: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM personal_chats WHERE member_key = $1', [memberKey]));
  }

  /** `xmax = 0` tells an inserted row from an updated one in the same statement. */
  async savePersonalChat(memberKey: string, ref: ConversationRefJson, now: Date): Promise<boolean> {
    const { rows } = await this.db.query<{ inserted: boolean }>(`
      INSERT INTO personal_chats (member_key, conversation_ref, updated_at) VALUES ($1, $2, $3)
      ON CONFLICT (member_key) DO UPDATE SET conversation_ref = excluded.conversation_ref, updated_at = excluded.updated_at
      RETURNING (xmax = 0) AS inserted
    `, [memberKey, JSON.stringify(ref), now]);
    return rows[0]!.inserted;
  }
}

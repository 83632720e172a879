import type { Lang } from '../domain/lang';
import type { Db } from './db';
import { iso, dateOrNull, sql } from './db';

/** The JSON conversation reference botbuilder gives us; opaque to the store. */
export type ConversationRefJson = Record<string, unknown>;

export interface Rkk {
  id: string;
  name: string;
  teamId: string;
  aadGroupId: string | null;
  channelId: string;
  tenantId: string | null;
  serviceUrl: string;
  conversationRef: ConversationRefJson;
  active: boolean;
  greeting: 'sending' | 'sent' | null;
  /** The language of its cards and replies (Dutch unless a moderator set another). */
  lang: Lang;
  /** RKK Overkoepelend: the team for questions across regions; questions for all RKKs skip it. */
  overarching: boolean;
  registeredAt: Date;
  deactivatedAt: Date | null;
}

export interface RkkRegistration {
  teamId: string;
  name: string;
  aadGroupId: string | null;
  channelId: string;
  tenantId: string | null;
  serviceUrl: string;
  conversationRef: ConversationRefJson;
}

interface Row {
  id: string; name: string; team_id: string; aad_group_id: string | null; channel_id: string; tenant_id: string | null;
  service_url: string; conversation_ref: string; active: number; greeting: 'sending' | 'sent' | null; lang: Lang; overarching: number;
  registered_at: string; deactivated_at: string | null;
}

const fromRow = (r: Row): Rkk => ({
  id: r.id, name: r.name, teamId: r.team_id, aadGroupId: r.aad_group_id, channelId: r.channel_id, tenantId: r.tenant_id,
  serviceUrl: r.service_url, conversationRef: JSON.parse(r.conversation_ref) as ConversationRefJson, active: r.active === 1,
  greeting: r.greeting, lang: r.lang, overarching: r.overarching === 1, registeredAt: new Date(r.registered_at), deactivatedAt: dateOrNull(r.deactivated_at),
});

export class RkkRepo {
  constructor(private readonly db: Db) {}

  /**
   * Registers a team as an RKK, or refreshes its reference on re-install. The name set at first
   * registration is kept (moderators may have edited it); the channel follows the latest install.
   */
  register(reg: RkkRegistration, now: Date): Rkk {
    sql(this.db, `
      INSERT INTO rkks (id, name, team_id, aad_group_id, channel_id, tenant_id, service_url, conversation_ref, active, registered_at, updated_at)
      VALUES (@id, @name, @teamId, @aadGroupId, @channelId, @tenantId, @serviceUrl, @ref, 1, @now, @now)
      ON CONFLICT (id) DO UPDATE SET
        aad_group_id = excluded.aad_group_id, channel_id = excluded.channel_id, tenant_id = excluded.tenant_id,
        service_url = excluded.service_url, conversation_ref = excluded.conversation_ref,
        active = 1, deactivated_at = NULL, updated_at = excluded.updated_at
    `).run({ ...reg, id: reg.teamId, ref: JSON.stringify(reg.conversationRef), now: iso(now) });
    return this.get(reg.teamId)!;
  }

  get(id: string): Rkk | null {
    const row = sql(this.db, 'SELECT * FROM rkks WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  moveServiceUrl(id: string, serviceUrl: string, now: Date): boolean {
    return sql(this.db, `UPDATE rkks SET service_url = @url, conversation_ref = json_set(conversation_ref, '$.serviceUrl', @url), updated_at = @now WHERE id = @id AND service_url <> @url`)
      .run({ id, url: serviceUrl, now: iso(now) }).changes === 1;
  }

  /** The RKK of a team, by its Teams team id or its Entra group id (what a tab's context gives). */
  byTeam(teamOrGroupId: string): Rkk | null {
    const row = sql(this.db, 'SELECT * FROM rkks WHERE id = ? OR aad_group_id = ? LIMIT 1').get(teamOrGroupId, teamOrGroupId) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  list(opts: { activeOnly?: boolean } = {}): Rkk[] {
    const text = `SELECT * FROM rkks ${opts.activeOnly ? 'WHERE active = 1' : ''} ORDER BY name`;
    return (sql(this.db, text).all() as Row[]).map(fromRow);
  }

  /** Makes this RKK the overarching one (any other loses it), or an ordinary RKK again; false when nothing changed. */
  setOverarching(id: string, on: boolean, now: Date): boolean {
    return this.db.transaction(() => {
      const before = (sql(this.db, 'SELECT id FROM rkks WHERE overarching = 1').all() as { id: string }[]).map((r) => r.id);
      if (on ? before.length === 1 && before[0] === id : !before.includes(id)) return false;
      if (on) sql(this.db, 'UPDATE rkks SET overarching = 0, updated_at = ? WHERE overarching = 1').run(iso(now));
      return sql(this.db, 'UPDATE rkks SET overarching = ?, updated_at = ? WHERE id = ?').run(on ? 1 : 0, iso(now), id).changes === 1;
    })();
  }

  setLang(id: string, lang: Lang, now: Date): boolean {
    return sql(this.db, 'UPDATE rkks SET lang = ?, updated_at = ? WHERE id = ? AND lang <> ?').run(lang, iso(now), id, lang).changes === 1;
  }

  rename(id: string, name: string, now: Date): boolean {
    return sql(this.db, 'UPDATE rkks SET name = ?, updated_at = ? WHERE id = ?').run(name, iso(now), id).changes === 1;
  }

  deactivate(id: string, now: Date): boolean {
    return sql(this.db, 'UPDATE rkks SET active = 0, deactivated_at = ?, updated_at = ? WHERE id = ? AND active = 1')
      .run(iso(now), iso(now), id).changes === 1;
  }

  /** Claims the one-time greeting; true only for the first caller ever (greeting stays claimed across restarts). */
  claimGreeting(id: string): boolean {
    return sql(this.db, `UPDATE rkks SET greeting = 'sending' WHERE id = ? AND greeting IS NULL`).run(id).changes === 1;
  }

  /** Gives the greeting back when it could not be sent, so the next install event tries again. */
  releaseGreeting(id: string): void {
    sql(this.db, `UPDATE rkks SET greeting = NULL WHERE id = ? AND greeting = 'sending'`).run(id);
  }

  markGreeted(id: string): void {
    sql(this.db, `UPDATE rkks SET greeting = 'sent' WHERE id = ?`).run(id);
  }

  addModerator(rkkId: string, memberKey: string, addedBy: string, now: Date): boolean {
    return sql(this.db, 'INSERT INTO moderators (rkk_id, member_key, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(rkkId, memberKey, addedBy, iso(now)).changes === 1;
  }

  removeModerator(rkkId: string, memberKey: string): boolean {
    return sql(this.db, 'DELETE FROM moderators WHERE rkk_id = ? AND member_key = ?').run(rkkId, memberKey).changes === 1;
  }

  isModerator(rkkId: string, memberKey: string): boolean {
    return sql(this.db, 'SELECT 1 FROM moderators WHERE rkk_id = ? AND member_key = ?').get(rkkId, memberKey) !== undefined;
  }

  moderators(rkkId: string): string[] {
    return (sql(this.db, 'SELECT member_key FROM moderators WHERE rkk_id = ? ORDER BY added_at').all(rkkId) as { member_key: string }[]).map((r) => r.member_key);
  }

  hasPersonalChat(memberKey: string): boolean {
    return sql(this.db, 'SELECT 1 FROM personal_chats WHERE member_key = ?').get(memberKey) !== undefined;
  }

  personalChat(memberKey: string): ConversationRefJson | null {
    const r = sql(this.db, 'SELECT conversation_ref FROM personal_chats WHERE member_key = ?').get(memberKey) as { conversation_ref: string } | undefined;
    return r ? JSON.parse(r.conversation_ref) as ConversationRefJson : null;
  }

  forgetPersonalChat(memberKey: string): boolean {
    return sql(this.db, 'DELETE FROM personal_chats WHERE member_key = ?').run(memberKey).changes === 1;
  }

  /** Keeps the latest reference of a member's personal chat; true the first time we see that member. */
  savePersonalChat(memberKey: string, ref: ConversationRefJson, now: Date): boolean {
    return this.db.transaction(() => {
      const known = sql(this.db, 'SELECT 1 FROM personal_chats WHERE member_key = ?').get(memberKey) !== undefined;
      sql(this.db, `
        INSERT INTO personal_chats (member_key, conversation_ref, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (member_key) DO UPDATE SET conversation_ref = excluded.conversation_ref, updated_at = excluded.updated_at
      `).run(memberKey, JSON.stringify(ref), iso(now));
      return !known;
    })();
  }
}

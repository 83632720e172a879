import type { Db } from './db';
import { iso, sql } from './db';
import type { OutboxRepo } from './outbox';
import { renewSql } from './deliveries';
import type { Moment } from '../domain/moment';
import type { SaveOutcome } from './port';

interface Row {
  id: string; title: string; starts_at: string; location: string; description: string; theme: string | null; source: Moment['source'];
  created_by: string | null; created_by_name: string | null; created_at: string; updated_at: string;
}

export const momentFromRow = (r: Omit<Row, 'starts_at' | 'created_at' | 'updated_at'> & { starts_at: string | Date; created_at: string | Date; updated_at: string | Date }): Moment => ({
  id: r.id, title: r.title, startsAt: new Date(r.starts_at), where: r.location, description: r.description, theme: r.theme, source: r.source,
  createdBy: r.created_by, createdByName: r.created_by_name, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
});

/** What members see of a moment: a change to any of it is owed to the announcements already posted. */
export const momentShown = (m: Pick<Moment, 'title' | 'startsAt' | 'where' | 'description'>): string =>
  JSON.stringify([m.title, m.startsAt.getTime(), m.where, m.description]);

/** Knowledge moments, with their announcements in every RKK owed in the same transaction. */
export class MomentRepo {
  constructor(private readonly db: Db, private readonly outbox: OutboxRepo) {}

  save(m: Moment, announceIn: readonly string[], now: Date): SaveOutcome {
    return this.db.transaction((): SaveOutcome => {
      const before = this.get(m.id);
      if (before && momentShown(before) === momentShown(m) && before.theme === m.theme) return 'same';
      sql(this.db, `
        INSERT INTO moments (id, title, starts_at, location, description, theme, source, created_by, created_by_name, created_at, updated_at)
        VALUES (@id, @title, @starts, @where, @description, @theme, @source, @by, @byName, @now, @now)
        ON CONFLICT (id) DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at, location = excluded.location,
          description = excluded.description, theme = COALESCE(excluded.theme, moments.theme), updated_at = excluded.updated_at
      `).run({ id: m.id, title: m.title, starts: iso(m.startsAt), where: m.where, description: m.description, theme: m.theme, source: m.source, by: m.createdBy, byName: m.createdByName, now: iso(now) });
      const owe = sql(this.db, `INSERT INTO deliveries (kind, question_id, rkk_id, state, next_attempt_at, created_at) VALUES ('moment', @id, @rkk, 'pending', @now, @now) ON CONFLICT DO NOTHING`);
      for (const rkk of announceIn) owe.run({ id: m.id, rkk, now: iso(now) });
      // Announcements already in the channels are owed again, as updates of those messages.
      if (before && momentShown(before) !== momentShown(m)) {
        sql(this.db, renewSql(`kind = 'moment' AND question_id = @id`, '@now', ['failed']))
          .run({ id: m.id, now: iso(now) });
      }
      this.outbox.record('moment', m.id, now);
      return before ? 'updated' : 'added';
    })();
  }

  get(id: string): Moment | null {
    const r = sql(this.db, 'SELECT * FROM moments WHERE id = ?').get(id) as Row | undefined;
    return r ? momentFromRow(r) : null;
  }

  upcoming(from: Date, limit = 20): Moment[] {
    return (sql(this.db, 'SELECT * FROM moments WHERE starts_at >= ? ORDER BY starts_at, id LIMIT ?').all(iso(from), limit) as Row[]).map(momentFromRow);
  }

  past(before: Date, limit = 20): Moment[] {
    return (sql(this.db, 'SELECT * FROM moments WHERE starts_at < ? ORDER BY starts_at DESC, id LIMIT ?').all(iso(before), limit) as Row[]).map(momentFromRow);
  }
}

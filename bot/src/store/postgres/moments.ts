import type { Moment } from '../../domain/moment';
import type { MomentRepository, SaveOutcome } from '../port';
import type { PgDb } from './db';
import { recordOutbox } from './outbox';
import { renewSql } from '../deliveries';
import { momentFromRow, momentShown } from '../moments';

type Row = Parameters<typeof momentFromRow>[0];

/** Knowledge moments, with their announcements in every RKK owed in the same transaction. */
export class PgMomentRepo implements MomentRepository {
  constructor(private readonly db: PgDb) {}

  save(m: Moment, announceIn: readonly string[], now: Date): Promise<SaveOutcome> {
    return this.db.tx(async (c): Promise<SaveOutcome> => {
      const { rows } = await c.query<Row>('SELECT * FROM moments WHERE id = $1 FOR UPDATE', [m.id]);
      const before = rows[0] ? momentFromRow(rows[0]) : null;
      if (before && momentShown(before) === momentShown(m) && before.theme === m.theme) return 'same';
      await c.query(`
        INSERT INTO moments (id, title, starts_at, location, description, theme, source, created_by, created_by_name, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
        ON CONFLICT (id) DO UPDATE SET title = excluded.title, starts_at = excluded.starts_at, location = excluded.location,
          description = excluded.description, theme = COALESCE(excluded.theme, moments.theme), updated_at = excluded.updated_at
      `, [m.id, m.title, m.startsAt, m.where, m.description, m.theme, m.source, m.createdBy, m.createdByName, now]);
      await c.query(`
        INSERT INTO deliveries (kind, question_id, rkk_id, state, next_attempt_at, created_at)
        SELECT 'moment', $1, r, 'pending', $2, $2 FROM unnest($3::text[]) AS r ON CONFLICT DO NOTHING
      `, [m.id, now, [...announceIn]]);
      if (before && momentShown(before) !== momentShown(m)) {
        await c.query(renewSql(`kind = 'moment' AND question_id = $1`, '$2', ['failed']), [m.id, now]);
      }
      await recordOutbox(c, 'moment', m.id, now);
      return before ? 'updated' : 'added';
    });
  }

  async get(id: string): Promise<Moment | null> {
    const { rows } = await this.db.query<Row>('SELECT * FROM moments WHERE id = $1', [id]);
    return rows[0] ? momentFromRow(rows[0]) : null;
  }

  async upcoming(from: Date, limit = 20): Promise<Moment[]> {
    return (await this.db.query<Row>('SELECT * FROM moments WHERE starts_at >= $1 ORDER BY starts_at, id LIMIT $2', [from, limit])).rows.map(momentFromRow);
  }

  async past(before: Date, limit = 20): Promise<Moment[]> {
    return (await this.db.query<Row>('SELECT * FROM moments WHERE starts_at < $1 ORDER BY starts_at DESC, id LIMIT $2', [before, limit])).rows.map(momentFromRow);
  }
}

import type { AuditEntry } from '../audit';
import type { AuditRepository } from '../port';
import type { PgDb } from './db';
import { recordOutbox } from './outbox';

interface Row { id: string; at: Date; actor_key: string; actor_name: string; action: string; target: string | null; details: string | null }

const fromRow = (r: Row): AuditEntry => ({
  id: Number(r.id), at: r.at, actorKey: r.actor_key, actorName: r.actor_name, action: r.action, target: r.target, details: r.details,
});

/** Who did what, when: every admin action, kept here and (through the outbox) in SharePoint. */
export class PgAuditRepo implements AuditRepository {
  constructor(private readonly db: PgDb) {}

  record(e: { actorKey: string; actorName: string; action: string; target?: string | null; details?: string | null }, now: Date): Promise<number> {
    return this.db.tx(async (c) => {
      const { rows } = await c.query<{ id: string }>('INSERT INTO audit_log (at, actor_key, actor_name, action, target, details) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [now, e.actorKey, e.actorName, e.action, e.target ?? null, e.details ?? null]);
      const id = Number(rows[0]!.id);
      await recordOutbox(c, 'audit', String(id), now);
      return id;
    });
  }

  async get(id: number): Promise<AuditEntry | null> {
    const { rows } = await this.db.query<Row>('SELECT * FROM audit_log WHERE id = $1', [id]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async recent(limit = 50): Promise<AuditEntry[]> {
    return (await this.db.query<Row>('SELECT * FROM audit_log ORDER BY id DESC LIMIT $1', [limit])).rows.map(fromRow);
  }
}

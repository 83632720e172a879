import type { Db } from './db';
import { iso, sql } from './db';
import type { OutboxRepo } from './outbox';

export interface AuditEntry {
  id: number;
  at: Date;
  actorKey: string;
  actorName: string;
  action: string;
  target: string | null;
  details: string | null;
}

interface Row { id: number; at: string; actor_key: string; actor_name: string; action: string; target: string | null; details: string | null }

/** Who did what, when: every admin action, kept locally and (through the outbox) in SharePoint. */
export class AuditRepo {
  constructor(private readonly db: Db, private readonly outbox: OutboxRepo) {}

  record(e: { actorKey: string; actorName: string; action: string; target?: string | null; details?: string | null }, now: Date): number {
    return this.db.transaction(() => {
      const id = Number(sql(this.db, 'INSERT INTO audit_log (at, actor_key, actor_name, action, target, details) VALUES (?, ?, ?, ?, ?, ?)')
        .run(iso(now), e.actorKey, e.actorName, e.action, e.target ?? null, e.details ?? null).lastInsertRowid);
      this.outbox.record('audit', String(id), now);
      return id;
    })();
  }

  get(id: number): AuditEntry | null {
    const r = sql(this.db, 'SELECT * FROM audit_log WHERE id = ?').get(id) as Row | undefined;
    return r ? { id: r.id, at: new Date(r.at), actorKey: r.actor_key, actorName: r.actor_name, action: r.action, target: r.target, details: r.details } : null;
  }

  recent(limit = 50): AuditEntry[] {
    return (sql(this.db, 'SELECT id FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as { id: number }[]).map((r) => this.get(r.id)!);
  }
}

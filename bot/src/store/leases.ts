import type { Db } from './db';
import { iso, sql } from './db';

/** Who holds a lease (the leader's: the background work) and until when. */
export interface Lease {
  name: string;
  holder: string;
  /** Held by this holder without a break since. */
  since: Date;
  expiresAt: Date;
}

/** A running instance of the bot, as its own heartbeat says. */
export interface InstanceInfo {
  id: string;
  startedAt: Date;
  seenAt: Date;
}

interface LeaseRow { name: string; holder: string; since: string; expires_at: string }
interface InstanceRow { id: string; started_at: string; seen_at: string }

const leaseOf = (r: LeaseRow): Lease => ({ name: r.name, holder: r.holder, since: new Date(r.since), expiresAt: new Date(r.expires_at) });
const instanceOf = (r: InstanceRow): InstanceInfo => ({ id: r.id, startedAt: new Date(r.started_at), seenAt: new Date(r.seen_at) });

export class LeaseRepo {
  constructor(private readonly db: Db) {}

  /** Takes the lease when it is free or has expired, renews it when it is ours; gives back who holds it after the attempt. */
  acquire(name: string, holder: string, ttlMs: number, now: Date, opts: { takeOver?: boolean } = {}): Lease {
    const until = new Date(now.getTime() + ttlMs);
    return this.db.transaction(() => {
      sql(this.db, `
        INSERT INTO leases (name, holder, since, expires_at) VALUES (@name, @holder, @now, @until)
        ON CONFLICT (name) DO UPDATE SET
          since = CASE WHEN leases.holder = excluded.holder THEN leases.since ELSE excluded.since END,
          holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at <= @now OR @takeOver = 1
      `).run({ name, holder, now: iso(now), until: iso(until), takeOver: opts.takeOver ? 1 : 0 });
      return leaseOf(sql(this.db, 'SELECT * FROM leases WHERE name = ?').get(name) as LeaseRow);
    })();
  }

  /** Gives the lease up (a clean stop), so another instance need not wait for it to expire. */
  release(name: string, holder: string): boolean {
    return sql(this.db, 'DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder).changes === 1;
  }

  get(name: string): Lease | null {
    const r = sql(this.db, 'SELECT * FROM leases WHERE name = ?').get(name) as LeaseRow | undefined;
    return r ? leaseOf(r) : null;
  }

  /** Says this instance is alive for `ttlMs` more; gives back every instance alive now, oldest first. */
  heartbeat(id: string, ttlMs: number, now: Date): InstanceInfo[] {
    return this.db.transaction(() => {
      sql(this.db, `
        INSERT INTO instances (id, started_at, seen_at, alive_until) VALUES (@id, @now, @now, @until)
        ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, alive_until = excluded.alive_until
      `).run({ id, now: iso(now), until: iso(new Date(now.getTime() + ttlMs)) });
      sql(this.db, 'DELETE FROM instances WHERE alive_until < ?').run(iso(new Date(now.getTime() - 24 * 3_600_000)));
      return (sql(this.db, 'SELECT * FROM instances WHERE alive_until > ? ORDER BY started_at, id').all(iso(now)) as InstanceRow[]).map(instanceOf);
    })();
  }

  leave(id: string): void {
    sql(this.db, 'DELETE FROM instances WHERE id = ?').run(id);
  }
}

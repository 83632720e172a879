import type { InstanceInfo, Lease } from '../leases';
import type { LeaseRepository } from '../port';
import type { PgDb } from './db';

interface LeaseRow { name: string; holder: string; since: Date; expires_at: Date }
interface InstanceRow { id: string; started_at: Date; seen_at: Date }

const leaseOf = (r: LeaseRow): Lease => ({ name: r.name, holder: r.holder, since: r.since, expiresAt: r.expires_at });
const instanceOf = (r: InstanceRow): InstanceInfo => ({ id: r.id, startedAt: r.started_at, seenAt: r.seen_at });

export class PgLeaseRepo implements LeaseRepository {
  constructor(private readonly db: PgDb) {}

  /**
   * One statement: the row is locked while the condition is checked, so of two instances trying
   * at the same moment exactly one gets a free or expired lease.
   */
  acquire(name: string, holder: string, ttlMs: number, now: Date, opts: { takeOver?: boolean } = {}): Promise<Lease> {
    return this.db.tx(async (c) => {
      await c.query(`
        INSERT INTO leases (name, holder, since, expires_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (name) DO UPDATE SET
          since = CASE WHEN leases.holder = excluded.holder THEN leases.since ELSE excluded.since END,
          holder = excluded.holder, expires_at = excluded.expires_at
        WHERE leases.holder = excluded.holder OR leases.expires_at <= $3 OR $5
      `, [name, holder, now, new Date(now.getTime() + ttlMs), opts.takeOver === true]);
      return leaseOf((await c.query<LeaseRow>('SELECT * FROM leases WHERE name = $1', [name])).rows[0]!);
    });
  }

  async release(name: string, holder: string): Promise<boolean> {
    return ((await this.db.query('DELETE FROM leases WHERE name = $1 AND holder = $2', [name, holder])).rowCount ?? 0) === 1;
  }

  async get(name: string): Promise<Lease | null> {
    const { rows } = await this.db.query<LeaseRow>('SELECT * FROM leases WHERE name = $1', [name]);
    return rows[0] ? leaseOf(rows[0]) : null;
  }

  heartbeat(id: string, ttlMs: number, now: Date): Promise<InstanceInfo[]> {
    return this.db.tx(async (c) => {
      await c.query(`
        INSERT INTO instances (id, started_at, seen_at, alive_until) VALUES ($1, $2, $2, $3)
        ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, alive_until = excluded.alive_until
      `, [id, now, new Date(now.getTime() + ttlMs)]);
      await c.query('DELETE FROM instances WHERE alive_until < $1', [new Date(now.getTime() - 24 * 3_600_000)]);
      return (await c.query<InstanceRow>('SELECT * FROM instances WHERE alive_until > $1 ORDER BY started_at, id', [now])).rows.map(instanceOf);
    });
  }

  async leave(id: string): Promise<void> {
    await this.db.query('DELETE FROM instances WHERE id = $1', [id]);
  }
}

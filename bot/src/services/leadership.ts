import type { Logger } from '../log';
import type { InstanceInfo, Lease, Store } from '../store';
import type { Clock, Timers } from './ports';

export const LEADER_LEASE = 'leader';

/** What the app starts when this instance takes the lead, and stops when it loses it. */
export interface BackgroundWork {
  lead(): Promise<void>;
  follow(): Promise<void>;
}

export interface LeadershipView {
  /** This instance's id. */
  readonly self: string;
  /** True while this instance holds an unexpired lease. */
  holds(): boolean;
  /** The lease as last seen and the instances alive then (for `status`). */
  seen(): { lease: Lease | null; instances: InstanceInfo[] };
}

/**
 * Every instance serves HTTP; one at a time runs the background work (scheduler and poster,
 * SharePoint sync, count updates, question rows, retention). The lead is a lease in the store,
 * renewed four times per lease period; when its holder dies, another instance takes it once it
 * has expired. An instance that cannot renew (the store is away) stops the work before its lease
 * can run out, so two leaders never overlap on purpose.
 */
export class Leadership implements LeadershipView {
  private leading = false;
  private lease: Lease | null = null;
  private instances: InstanceInfo[] = [];
  private lastRenewed = 0;
  private timer: unknown = null;
  private stopped = true;
  private beating: Promise<void> | null = null;

  constructor(private readonly d: {
    store: Store; clock: Clock; timers: Timers; log: Logger; self: string; leaseMs: number; work: BackgroundWork;
    /** Told how many instances are alive after each heartbeat (they share Teams' per-app pacing). */
    onInstances?: (alive: number) => void;
  }) {}

  get self(): string { return this.d.self; }
  get started(): boolean { return !this.stopped; }

  holds(): boolean {
    return this.leading && this.lease !== null && this.d.clock.now() < this.lease.expiresAt;
  }

  /**
   * Asked by the workers before each pass: true when this instance leads. A lease that ran out
   * locally (the machine slept, the clock jumped) is renewed first, if it is still ours; a lead
   * another instance took is left to the next beat, which stops the work.
   */
  async confirm(): Promise<boolean> {
    if (this.holds()) return true;
    if (!this.leading || this.stopped) return false;
    const { store, clock, log, self, leaseMs } = this.d;
    const now = clock.now();
    try {
      this.lease = await store.leases.acquire(LEADER_LEASE, self, leaseMs, now, { takeOver: !store.shared });
    } catch (err) {
      log.warn({ err }, 'could not renew the lead before a pass');
      return false;
    }
    if (this.lease.holder !== self) return false;
    this.lastRenewed = now.getTime();
    return this.leading; // renewed as of `now`: the pass that asked may run

  }

  seen(): { lease: Lease | null; instances: InstanceInfo[] } {
    return { lease: this.lease, instances: this.instances };
  }

  /** The first beat is awaited: an instance that can lead leads before it says it is ready. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.beat();
  }

  private beat(): Promise<void> {
    this.beating = this.tryLead().finally(() => {
      this.beating = null;
      if (!this.stopped) this.timer = this.d.timers.setTimeout(() => { void this.beat(); }, this.d.leaseMs / 4);
    });
    return this.beating;
  }

  private async tryLead(): Promise<void> {
    const { store, clock, log, self, leaseMs } = this.d;
    const now = clock.now();
    try {
      this.instances = await store.leases.heartbeat(self, leaseMs, now);
      this.d.onInstances?.(Math.max(1, this.instances.length));
      // A store no other process can use: whoever held the lead before has died.
      this.lease = await store.leases.acquire(LEADER_LEASE, self, leaseMs, now, { takeOver: !store.shared });
      this.lastRenewed = now.getTime();
    } catch (err) {
      log.error({ err }, 'could not renew the lead or the heartbeat');
      // Stop before the lease can expire: past that moment another instance may lead.
      if (this.leading && clock.now().getTime() - this.lastRenewed >= leaseMs * 0.75) await this.toFollower('the store could not be reached to renew the lead');
      return;
    }
    if (this.lease.holder === self && !this.leading) {
      this.leading = true;
      log.info({ instance: self, since: this.lease.since, instances: this.instances.length }, 'this instance leads: it runs the background work');
      await this.d.work.lead();
    } else if (this.lease.holder !== self && this.leading) {
      await this.toFollower(`instance ${this.lease.holder} holds the lead`);
    }
  }

  private async toFollower(why: string): Promise<void> {
    this.leading = false;
    this.d.log.warn({ instance: this.d.self, why }, 'this instance no longer leads: background work stopped');
    await this.d.work.follow();
  }

  /** Stops beating; a leader finishes its work in flight and gives the lease up, so another takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.d.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.beating;
    const { store, self, log } = this.d;
    if (this.leading) {
      this.leading = false;
      await this.d.work.follow();
      try { await store.leases.release(LEADER_LEASE, self); } catch (err) { log.warn({ err }, 'could not give the lead up; it expires by itself'); }
    }
    try { await store.leases.leave(self); } catch { /* the heartbeat expires by itself */ }
  }
}

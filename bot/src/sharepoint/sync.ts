import type { Logger } from '../log';
import { keyParts, type Store, type PendingEntity } from '../store';
import type { Clock, Instances, Timers } from '../services/ports';
import { retryDelay, parseRetryAfter, type BackoffPolicy } from '../services/backoff';
import { GraphCallError, errorText, fieldEquals, type GraphApi, type GraphRequest, type GraphResponse } from './graphApi';
import { itemContent, type ItemContent } from './fields';
import { KEY, listFor } from './lists';
import { ResourceBudget } from './budget';
import type { SiteLists } from './provision';

const BATCH_SIZE = 20;
const IDLE_POLL_MS = 1_000;
/** How long a claim on entities holds: far past one batch (a budget wait included), so only a dead or hung writer loses it. */
export const SYNC_CLAIM_MS = 5 * 60_000;
const SYNC_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000, maxAttempts: Number.POSITIVE_INFINITY };
const RU = { write: 2, multiRead: 2 } as const;
/**
 * A record whose writes keep failing with a server error (not 503/504, which are throttling) is
 * tried this often, each time after a longer wait, and then parked for an admin: one poison
 * record never holds up the rest of the outbox, and is never resent every round.
 */
export const MAX_SERVER_ERRORS = 6;
/** From the second server error on a create, the next try looks the key up first: the create may have landed. */
const LOOKUP_AFTER_CREATE_ERRORS = 2;
/** SharePoint's words for a create that broke a unique column (an SPException, passed on as a 500 or a 4xx). */
const DUPLICATE = /duplicate values were found/i;

export interface SyncStatus {
  pending: number;
  parked: number;
  lastSuccessAt: Date | null;
  lastError: string | null;
  pausedUntil: Date | null;
  running: boolean;
}

interface Planned {
  pending: PendingEntity; content: ItemContent; request: GraphRequest; kind: 'create' | 'update' | 'lookup' | 'delete'; cost: number;
  /** Why: to write the record, or to remove it because it no longer exists locally. */
  purpose: 'write' | 'remove';
}

/**
 * Drains the outbox into SharePoint: JSON $batch requests of up to 20, create-or-update by the
 * record's unique key, within a resource-unit budget, backing off on throttling and failures.
 * A record leaves the outbox only when SharePoint has it; a refusal that retrying cannot fix is
 * parked with its reason, never dropped. Answering a card never waits for any of this.
 */
export class SharePointSync {
  private readonly budget: ResourceBudget;
  private readonly lookups = new Set<string>(); // entity:key whose item must be found by key first
  private readonly looked = new Set<string>(); // looked up and not found: create now
  /** entity:key → server errors so far and when it may be tried again (this process's count; a restart starts over). */
  private readonly serverErrors = new Map<string, { count: number; retryAt: number }>();
  private stopped = true;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private timer: unknown = null;
  private failures = 0;
  private pausedUntil: number | null = null;
  private lastSuccessAt: Date | null = null;
  private lastError: string | null = null;

  constructor(private readonly d: {
    store: Store; api: GraphApi; lists: () => Promise<SiteLists>; clock: Clock; timers: Timers; log: Logger;
    ruPerMinute: number; formatMoment: (d: Date) => string; random?: () => number;
    /** Entities are claimed with this instance's id while it writes them; a live instance's claims are left to it. */
    instances: Instances;
  }) {
    this.budget = new ResourceBudget(d.ruPerMinute, d.clock);
  }

  /** Starts the loop; parked records are put back in line first, before the first batch. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Finishes the batch in flight and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Admin: put parked records back in line now. */
  async retryParked(): Promise<number> {
    const n = await this.d.store.outbox.unparkAll();
    this.wake?.();
    return n;
  }

  /** The counts come from the store (answers add to the outbox without the sync knowing), the rest from memory. */
  async status(): Promise<SyncStatus> {
    return {
      pending: await this.d.store.outbox.pendingCount(),
      parked: await this.d.store.outbox.parkedCount(),
      lastSuccessAt: this.lastSuccessAt,
      lastError: this.lastError,
      pausedUntil: this.pausedUntil !== null && this.pausedUntil > this.d.clock.now().getTime() ? new Date(this.pausedUntil) : null,
      running: !this.stopped,
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) { resolve(); return; }
      this.wake = () => { this.d.timers.clearTimeout(this.timer); this.wake = null; resolve(); };
      this.timer = this.d.timers.setTimeout(() => { this.wake = null; resolve(); }, Math.max(0, ms));
    });
  }

  private async run(): Promise<void> {
    await this.unparkAfterRestart();
    while (!this.stopped) {
      const now = this.d.clock.now().getTime();
      if (this.pausedUntil !== null && this.pausedUntil > now) { await this.sleep(this.pausedUntil - now); continue; }
      let worked = false;
      try {
        worked = await this.round();
        if (worked) this.failures = 0;
      } catch (err) {
        this.failed(err);
        continue;
      }
      if (!worked) await this.sleep(IDLE_POLL_MS);
    }
  }

  /** A restart is when an admin may have fixed the cause: parked records get another try. */
  private async unparkAfterRestart(): Promise<void> {
    try {
      const unparked = await this.d.store.outbox.unparkAll();
      if (unparked) this.d.log.info({ unparked }, 'parked SharePoint records get another try after the restart');
    } catch (err) {
      // The loop still runs (and pauses on the same store failure); the records wait for an admin's retry.
      this.d.log.error({ err: (err as Error).message }, 'could not put parked SharePoint records back in line after the restart; an admin can retry them (opnieuw)');
    }
  }

  private failed(err: unknown): void {
    const e = err instanceof GraphCallError ? err : new GraphCallError((err as Error).message, null, null, null);
    this.failures++;
    // MSAL refuses new token requests for a minute after a failed one: waiting less only spins.
    const delay = Math.max(retryDelay(this.failures, SYNC_BACKOFF, e.retryAfterMs, this.d.random), e.tokenFailure ? 60_000 : 0);
    this.pausedUntil = this.d.clock.now().getTime() + delay;
    this.lastError = `${e.status ?? 'network'} ${e.code ?? ''} ${e.message}`.trim().slice(0, 300);
    const level = e.transient ? 'warn' : 'error';
    this.d.log[level]({ status: e.status, code: e.code, retryInMs: Math.round(delay), attempt: this.failures }, `SharePoint sync paused: ${e.message}`);
  }

  /** One batch. Returns false when there was nothing to do. */
  private async round(): Promise<boolean> {
    const { store, clock } = this.d;
    const lists = await this.d.lists();
    const planned: Planned[] = [];
    // One record at a time, in outbox order: each item is built from its record as it is now.
    const { instances } = this.d;
    const now = clock.now();
    const claim = { owner: instances.self, until: new Date(now.getTime() + SYNC_CLAIM_MS), alive: instances.alive() };
    for (const pending of await store.outbox.claim(BATCH_SIZE, claim, now, this.backingOff(now.getTime()))) {
      const content = await itemContent(pending.entity, pending.key, { store, now: clock.now(), formatMoment: this.d.formatMoment });
      // Gone locally (erased, past retention): SharePoint's item goes too.
      planned.push(content ? await this.plan(pending, content, lists, planned.length) : await this.planDelete(pending, lists, planned.length));
    }
    if (planned.length === 0) return false;

    const cost = planned.reduce((sum, p) => sum + p.cost, 0);
    const wait = this.budget.waitFor(cost);
    if (wait > 0) { await this.sleep(wait); if (this.stopped) return true; }
    this.budget.spend(cost);
    const responses = await this.d.api.batch(planned.map((p) => p.request));
    let throttledFor = 0;
    // In response order, one after the other, as the batch was planned.
    for (const [i, res] of responses.entries()) throttledFor = Math.max(throttledFor, await this.apply(planned[i]!, res));
    if (throttledFor > 0) {
      // Throttling is per app: the whole sync waits, not just the refused requests.
      this.pausedUntil = clock.now().getTime() + throttledFor;
      this.d.log.warn({ retryInMs: throttledFor }, 'SharePoint throttled part of a batch; waiting as asked');
    } else {
      this.lastSuccessAt = clock.now();
    }
    return true;
  }

  /** Deletes the item of a record that no longer exists locally: by its remembered id, else found by key first. */
  private async planDelete(pending: PendingEntity, lists: SiteLists, index: number): Promise<Planned> {
    const content: ItemContent = { spKey: keyParts(pending.key).join('|'), fields: {}, ownColumnsOnly: false };
    const list = listFor(pending.entity);
    const base = `/sites/${lists.siteId}/lists/${lists.ids[list.role]}/items`;
    const itemId = await this.d.store.outbox.itemId(pending.entity, pending.key);
    const id = String(index + 1);
    if (itemId) return { pending, content, kind: 'delete', purpose: 'remove', cost: RU.write, request: { id, method: 'DELETE', url: `${base}/${itemId}` } };
    return { pending, content, kind: 'lookup', purpose: 'remove', cost: RU.multiRead, request: { id, method: 'GET', url: `${base}?${fieldEquals(KEY, content.spKey)}&$select=id&$top=2` } };
  }

  private async plan(pending: PendingEntity, content: ItemContent, lists: SiteLists, index: number): Promise<Planned> {
    const list = listFor(pending.entity);
    const base = `/sites/${lists.siteId}/lists/${lists.ids[list.role]}/items`;
    const tag = `${pending.entity}:${pending.key}`;
    const itemId = await this.d.store.outbox.itemId(pending.entity, pending.key);
    const id = String(index + 1);
    // Without a unique key column (questions) a lost item id is found by key before creating.
    const mustLookUp = !itemId && (this.lookups.has(tag) || ((!list.uniqueKey || content.ownColumnsOnly) && !this.looked.has(tag)));
    if (mustLookUp) {
      return {
        pending, content, kind: 'lookup', purpose: 'write', cost: RU.multiRead,
        request: { id, method: 'GET', url: `${base}?${fieldEquals(KEY, content.spKey)}&$select=id&$top=2` },
      };
    }
    if (itemId) {
      return { pending, content, kind: 'update', purpose: 'write', cost: RU.write, request: { id, method: 'PATCH', url: `${base}/${itemId}/fields`, body: content.fields } };
    }
    // "Looked up, not found" allows one create; if its answer is lost, the next round looks again.
    this.looked.delete(tag);
    return { pending, content, kind: 'create', purpose: 'write', cost: RU.write, request: { id, method: 'POST', url: base, body: { fields: content.fields } } };
  }

  /** Records waiting out their back-off after server errors (left out of the next claims). */
  private backingOff(now: number): Set<string> {
    return new Set([...this.serverErrors].filter(([, e]) => e.retryAt > now).map(([tag]) => tag));
  }

  /** Applies one inner response; returns how long SharePoint asked us to wait (0 if not throttled). */
  private async apply(p: Planned, res: GraphResponse): Promise<number> {
    const { store, clock, log } = this.d;
    const tag = `${p.pending.entity}:${p.pending.key}`;
    const now = clock.now();
    if (res.status === 429 || res.status === 503 || res.status === 504) {
      return parseRetryAfter(res.headers['retry-after'], now) ?? retryDelay(this.failures + 1, SYNC_BACKOFF, null, this.d.random);
    }
    // A create that broke the unique key: the item is there already (an earlier create landed). Find it, then update.
    if (p.kind === 'create' && (res.status === 409 || (res.status >= 400 && DUPLICATE.test(errorText(res.body))))) {
      this.lookups.add(tag);
      return 0;
    }
    if (res.status >= 500) return this.serverError(p, res, tag, now);
    switch (p.kind) {
      case 'lookup': {
        if (res.status !== 200) break;
        this.lookups.delete(tag);
        const found = (res.body?.value ?? []) as { id: string }[];
        if (found.length > 0) await store.outbox.rememberItem(p.pending.entity, p.pending.key, String(found[0]!.id), now);
        else if (p.purpose === 'remove') await this.settle(p.pending, tag); // nothing in SharePoint to remove
        else this.looked.add(tag);
        if (found.length > 1) log.warn({ entity: p.pending.entity, key: p.content.spKey, items: found.map((f) => f.id) }, 'more than one SharePoint item has this key; the first is kept up to date');
        return 0;
      }
      case 'create': {
        if (res.status === 201 || res.status === 200) {
          await store.outbox.rememberItem(p.pending.entity, p.pending.key, String(res.body?.id), now);
          await this.settle(p.pending, tag);
          return 0;
        }
        if (res.status === 409) { this.lookups.add(tag); return 0; } // it is there already: find it, then update
        break;
      }
      case 'delete': {
        if (res.status === 204 || res.status === 200 || res.status === 404) {
          await store.outbox.forgetItem(p.pending.entity, p.pending.key);
          await this.settle(p.pending, tag);
          return 0;
        }
        break;
      }
      case 'update': {
        if (res.status === 200 || res.status === 204) { await this.settle(p.pending, tag); return 0; }
        if (res.status === 404) { await store.outbox.forgetItem(p.pending.entity, p.pending.key); this.lookups.add(tag); return 0; } // deleted in SharePoint: write it again
        break;
      }
    }
    const reason = `${res.status} ${errorText(res.body)}`;
    this.serverErrors.delete(tag);
    await store.outbox.park(p.pending.entity, p.pending.key, reason, now);
    this.lastError = reason;
    log.error({ entity: p.pending.entity, key: p.content.spKey, status: res.status, reason }, 'SharePoint refused a record; parked until an admin retries (status / opnieuw)');
    return 0;
  }

  /** The record is in SharePoint as of this change: it leaves the outbox, and its server errors are forgotten. */
  private async settle(pending: PendingEntity, tag: string): Promise<void> {
    this.serverErrors.delete(tag);
    await this.d.store.outbox.settle(pending);
  }

  /** A server error on one record: it waits longer each time, looks its key up after failed creates, and is parked after a bound. */
  private async serverError(p: Planned, res: GraphResponse, tag: string, now: Date): Promise<number> {
    const { store, log } = this.d;
    const count = (this.serverErrors.get(tag)?.count ?? 0) + 1;
    const reason = `${res.status} ${errorText(res.body)}`;
    this.lastError = reason;
    if (count >= MAX_SERVER_ERRORS) {
      this.serverErrors.delete(tag);
      await store.outbox.park(p.pending.entity, p.pending.key, `${reason} (${count} tries)`, now);
      log.error({ entity: p.pending.entity, key: p.content.spKey, status: res.status, reason, tries: count }, 'SharePoint keeps failing on a record; parked until an admin retries (status / opnieuw)');
      return 0;
    }
    const delay = retryDelay(count, SYNC_BACKOFF, null, this.d.random);
    this.serverErrors.set(tag, { count, retryAt: now.getTime() + delay });
    if (p.kind === 'create' && count >= LOOKUP_AFTER_CREATE_ERRORS) this.lookups.add(tag);
    log.warn({ entity: p.pending.entity, key: p.content.spKey, status: res.status, tries: count, retryInMs: Math.round(delay) }, 'SharePoint failed on a record; it is tried again later, the rest goes on');
    return 0;
  }
}

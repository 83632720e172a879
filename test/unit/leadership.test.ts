import assert from 'node:assert/strict';
import { PgStore, SqliteStore, type Store } from '../../bot/src/store';
import { Leadership } from '../../bot/src/services/leadership';
import { createLogger } from '../../bot/src/log';
import { FakeTime } from '../support/clock';
import { tempDir } from '../support/bot';
import { testPostgres } from '../support/stores';

const log = createLogger('silent');
const LEASE_MS = 20_000;

/** An instance as far as the lead goes: its own clock (a frozen clock is a dead or stalled process) and a record of what it was told. */
function instance(store: Store, self: string, time: FakeTime) {
  const told: string[] = [];
  const lead = new Leadership({
    store, clock: time, timers: time, log, self, leaseMs: LEASE_MS,
    work: { lead: async () => { told.push('lead'); }, follow: async () => { told.push('follow'); } },
  });
  return { lead, told, time };
}

/** Moves one instance's time in beat-sized steps, letting each beat reach the store. */
async function run(time: FakeTime, ms: number): Promise<void> {
  for (let done = 0; done < ms; done += 1000) {
    time.advanceBy(1000);
    await new Promise((r) => setTimeout(r, 15));
  }
}

describe('the lead on the background work', () => {
  let store: PgStore;

  before(async function () {
    this.timeout(60_000);
    store = await PgStore.open({ url: await (await testPostgres()).createDatabase(), poolSize: 4 });
  });
  after(async () => { await store.close(); });

  it('goes to one of two instances, passes to the other within 30 s when its holder stalls, and the stalled one steps down', async function () {
    this.timeout(30_000);
    const a = instance(store, 'web-a', new FakeTime('2026-12-07T08:00:00Z'));
    const b = instance(store, 'web-b', new FakeTime('2026-12-07T08:00:00Z'));
    await Promise.all([a.lead.start(), b.lead.start()]);
    try {
      const leaders = [a, b].filter((i) => i.lead.holds());
      assert.equal(leaders.length, 1, 'exactly one leads');
      const [leader, other] = a.lead.holds() ? [a, b] : [b, a];
      assert.deepEqual(leader.told, ['lead']);
      assert.equal(other.told.length, 0);
      assert.equal(await other.lead.confirm(), false, 'the other may not run a pass');

      // Both run for a minute: the lead stays where it is.
      for (let s = 0; s < 60; s++) { leader.time.advanceBy(1000); other.time.advanceBy(1000); await new Promise((r) => setTimeout(r, 10)); }
      assert.ok(leader.lead.holds());
      assert.equal(other.told.length, 0);

      // The leader stalls (its clock stands still: no beat, no renewal); the other takes over once the lease ran out.
      const stalledAt = other.time.now().getTime();
      let tookOverAfter = -1;
      for (let s = 1; s <= 40 && tookOverAfter < 0; s++) {
        other.time.advanceBy(1000);
        await new Promise((r) => setTimeout(r, 15));
        if (other.told.includes('lead')) tookOverAfter = other.time.now().getTime() - stalledAt;
      }
      assert.ok(tookOverAfter > 0 && tookOverAfter <= 30_000, `taken over after ${tookOverAfter} ms`);
      assert.equal((await store.leases.get('leader'))!.holder, other.lead.self);

      // The other keeps leading; the stalled one wakes up (its clock caught up with the wall): a pass
      // it asks for is refused, and its next beat stops its work.
      await run(other.time, 10_000);
      leader.time.advanceTo(other.time.now());
      assert.equal(await leader.lead.confirm(), false);
      for (let s = 0; s < 6; s++) { leader.time.advanceBy(1000); other.time.advanceBy(1000); await new Promise((r) => setTimeout(r, 15)); }
      assert.deepEqual(leader.told, ['lead', 'follow']);
      assert.equal(leader.lead.holds(), false);
      assert.equal(other.lead.seen().lease?.holder, other.lead.self);
    } finally {
      await a.lead.stop();
      await b.lead.stop();
    }
  });

  it('is given up on a clean stop, so the next instance leads at once', async () => {
    const a = instance(store, 'web-c', new FakeTime('2026-12-08T08:00:00Z'));
    await a.lead.start();
    assert.ok(a.lead.holds());
    await a.lead.stop();
    assert.deepEqual(a.told, ['lead', 'follow']);
    const b = instance(store, 'web-d', new FakeTime('2026-12-08T08:00:01Z'));
    await b.lead.start();
    try {
      assert.deepEqual(b.told, ['lead'], 'no wait for the lease to expire');
    } finally {
      await b.lead.stop();
    }
  });

  it('on the embedded store (one process), takes the lead a killed process left at once', async () => {
    const dir = tempDir();
    const sqlite = SqliteStore.open(dir);
    try {
      await sqlite.leases.acquire('leader', 'gone:4242:dead', LEASE_MS, new Date('2026-12-08T08:00:00Z'));
      const a = instance(sqlite, 'web-e', new FakeTime('2026-12-08T08:00:01Z'));
      await a.lead.start();
      assert.deepEqual(a.told, ['lead']);
      await a.lead.stop();
    } finally {
      await sqlite.close();
    }
  });
});

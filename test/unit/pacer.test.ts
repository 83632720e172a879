import assert from 'node:assert/strict';
import { SendPacer } from '../../bot/src/services/pacer';
import { FakeTime } from '../support/clock';

describe('pacing the bot\'s calls to Teams', () => {
  it('lets calls through up to the limit, then each one as soon as the window allows, in order', async () => {
    const time = new FakeTime('2026-11-23T08:00:00Z');
    const pacer = new SendPacer(3, 1000, time, time);
    const through: number[] = [];
    const calls = Array.from({ length: 5 }, (_, i) => pacer.take().then(() => { through.push(i); }));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(through, [0, 1, 2], 'three within the first second');
    time.advanceBy(999);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(through, [0, 1, 2], 'not a millisecond early');
    time.advanceBy(1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(through, [0, 1, 2, 3, 4]);
    await Promise.all(calls);
  });
});

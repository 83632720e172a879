import assert from 'node:assert/strict';
import { SqliteStore } from '../../bot/src/store';
import { tempDir } from '../support/bot';

describe('the running tally', () => {
  it('stays equal to a full recount through random answers, changes, comments, erasures and retention', async () => {
    const store = SqliteStore.open(tempDir());
    try {
      const now = new Date('2026-11-24T10:00:00Z');
      await store.questions.insert({
        id: 'q-tally', text: 'Welke maatregelen zijn volledig uitgerold?', kind: 'multiple', options: ['1', '2', '3', '4'].map((id) => ({ id, label: `optie ${id}` })),
        scaleLabels: null, allowComment: true, anonymous: false, theme: 'infrastructuur', targets: 'all', week: null, queueOrder: 1,
        publishAt: null, closesAt: null, closedAt: null, source: 'file', createdBy: null, translations: {},
      }, now);
      let seed = 42;
      const rnd = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
      const rkks = ['gent', 'kempen', null];
      for (let step = 0; step < 3000; step++) {
        const who = `lid-${Math.floor(rnd() * 300)}`;
        const roll = rnd();
        if (roll < 0.85) {
          const choices = ['1', '2', '3', '4'].filter(() => rnd() < 0.4);
          await store.answers.upsert('q-tally', rkks[Math.floor(rnd() * 3)]!, { key: who, aadObjectId: who, teamsUserId: who, name: who },
            { choices: choices.length ? choices : ['1'], text: null, comment: rnd() < 0.3 ? 'toelichting' : null }, new Date(now.getTime() + step * 1000));
        } else if (roll < 0.95) {
          await store.answers.deleteWhere({ memberKey: who }, now);
        } else {
          await store.answers.deleteWhere({ before: new Date(now.getTime() + step * 500) }, now);
        }
      }
      for (const rkk of [...rkks, null]) {
        const running = await store.answers.counts('q-tally', rkk);
        const counted = await store.answers.recount('q-tally', rkk);
        assert.equal(running.respondents, counted.respondents, `respondents in ${rkk}`);
        assert.equal(running.comments, counted.comments, `comments in ${rkk}`);
        assert.deepEqual([...running.perOption].sort(), [...counted.perOption].sort(), `options in ${rkk}`);
      }
    } finally {
      await store.close();
    }
  });
});

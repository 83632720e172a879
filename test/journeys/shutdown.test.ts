import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { startBotProcess } from '../support/process';
import { SqliteStore } from '../../bot/src/store';
import { WeekSchedule } from '../../bot/src/domain/week';
import { ADMIN_IDS, tempDir, writeQuestions, cardText } from '../support/bot';
import { rawRequest } from '../support/fuzz';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, type Person } from '../support/teams';
import { confirmed } from '../support/confirm';

const QUESTION_ID = 'digitale-loketten';

/** A hundred colleagues, each with their own Teams and Entra id. */
const members: Person[] = Array.from({ length: 100 }, (_, i) => ({
  id: `29:1lid-${String(i).padStart(3, '0')}`,
  aadObjectId: `9a${String(i).padStart(6, '0')}-1111-4222-8333-444455556666`,
  name: `Collega ${i + 1}`,
}));

describe('graceful stop: SIGTERM with 100 answers in flight', () => {
  it('answers every request, stores every answer that got a 200, and exits 0', async function () {
    this.timeout(60_000);
    const connector = await FakeConnector.start();
    const dir = tempDir();
    const schedule = new WeekSchedule('0 9 * * 1', 'Europe/Brussels');
    const now = new Date();
    const questionsFile = writeQuestions(dir, [{
      id: QUESTION_ID, text: 'Welke aanvragen kunnen inwoners bij jullie volledig digitaal indienen?', kind: 'single',
      options: ['Bijna alle', 'De meeste', 'Een paar', 'Geen'], theme: 'strategie',
      week: schedule.weekOf(now), closesAt: new Date(now.getTime() + 86_400_000).toISOString(),
    }]);
    const bot = await startBotProcess({ DATA_DIR: dir, QUESTIONS_FILE: questionsFile, KENNISKRING_ADMINS: ADMIN_IDS.join(',') });
    const post = (activity: unknown) => rawRequest(bot.url, { path: '/api/messages', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    try {
      assert.equal((await post(installInTeam(connector.url, TEAMS.gent, PEOPLE.an))).status, 200);
      assert.equal((await confirmed(post, connector, TEAMS.gent, PEOPLE.an, 'publiceer')).status, 200);
      const thread = connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes('volledig digitaal'))!.conversationId;

      // Each answer on a connection of its own, and SIGTERM while they are on their way: some are
      // being handled, some sent but not yet read, some still in the kernel's accept queue.
      const outcomes = members.map((m, i) => post(cardAction(connector.url, TEAMS.gent, thread, m, answerValue(QUESTION_ID, { choice: String(1 + (i % 4)) })))
        .then((res) => ({ member: m, status: res.status }), (err: Error) => ({ member: m, status: 0, error: `${err.message} at +${Date.now() - t0} ms` })));
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 5));
      bot.child.kill('SIGTERM');
      const results = await Promise.all(outcomes);
      const code = await bot.exited;

      const dropped = results.filter((r) => r.status === 0);
      assert.deepEqual(dropped.map((r) => (r as { error?: string }).error), [], 'no request was reset or refused');
      assert.deepEqual([...new Set(results.map((r) => r.status))], [200], 'every answer was answered with 200');
      assert.equal(code, 0, 'the process drained and exited 0');
      const store = SqliteStore.open(dir);
      try {
        const stored = new Set((await store.answers.forQuestion(QUESTION_ID)).map((a) => a.member.key));
        for (const r of results) assert.ok(stored.has(r.member.aadObjectId), `${r.member.name} got a 200 and is stored`);
        assert.equal(stored.size, 100);
      } finally {
        await store.close();
      }
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
      await connector.close();
    }
  });
});

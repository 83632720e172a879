import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { startBotProcess } from '../support/process';
import { describeOnEachStore, openTestStore, storeEnv } from '../support/stores';
import { WeekSchedule, addWeeks } from '../../bot/src/domain/week';
import { tempDir, writeQuestions, eventually, cardText } from '../support/bot';
import { BOT, TEAMS, TENANT } from '../support/teams';

const startProcess = (env: Record<string, string>) => startBotProcess(env);

describeOnEachStore('journey 2 under a crash: killed mid-post, every RKK still gets the question exactly once', () => {
  it('resumes the interrupted post after a SIGKILL and drains cleanly on SIGTERM', async function () {
    this.timeout(30_000);
    const connector = await FakeConnector.start();
    const dir = tempDir();
    const schedule = new WeekSchedule('0 9 * * 1', 'Europe/Brussels');
    const now = new Date();
    const lastWeek = addWeeks(schedule.weekOf(now), -1, 'Europe/Brussels');
    const questionsFile = writeQuestions(dir, [{
      id: 'cyberbeveiliging-maatregelen', text: 'Welke maatregelen rond cyberbeveiliging hebben jullie het voorbije jaar genomen?',
      kind: 'multiple', options: ['MFA voor iedereen', 'Back-ups offline getest', 'Phishingoefening', 'Geen'], theme: 'infrastructuur',
      week: lastWeek, closesAt: new Date(now.getTime() + 86_400_000).toISOString(),
    }]);
    // Three RKKs that joined well before the slot.
    const store = await openTestStore(dir);
    const joined = new Date(schedule.slotOf(lastWeek).getTime() - 86_400_000);
    for (const team of [TEAMS.gent, TEAMS.kempen, TEAMS.westhoek]) {
      await store.rkks.register({
        teamId: team.id, name: team.name, aadGroupId: team.aadGroupId, channelId: team.id, tenantId: TENANT, serviceUrl: connector.url,
        conversationRef: { channelId: 'msteams', serviceUrl: connector.url, bot: BOT, conversation: { id: team.id, isGroup: true, conversationType: 'channel', tenantId: TENANT } },
      }, joined);
    }
    await store.close();

    const westhoek = (r: { op: string; body: unknown }) => r.op === 'createConversation' && JSON.stringify(r.body).includes(TEAMS.westhoek.id);
    const hold = connector.hold(westhoek);
    // A short lead: on PostgreSQL the restarted process waits for the killed one's lead to expire.
    const env = { ...await storeEnv(dir), QUESTIONS_FILE: questionsFile, LEADER_LEASE_SECONDS: '3' };
    let bot = await startProcess(env);
    const posted = (team: { id: string }) => connector.threads(team.id).filter((t) => cardText(t.root?.attachments).includes('cyberbeveiliging')).length;
    try {
      await hold.arrived(1);
      // Gent and Kempen are done (recorded by the bot), Westhoek's request is in flight.
      await eventually(async () => {
        const reader = await openTestStore(dir);
        try {
          return (await reader.deliveries.forQuestion('cyberbeveiliging-maatregelen')).filter((d) => d.state === 'sent').length === 2;
        } finally {
          await reader.close();
        }
      }, 'Gent and Kempen recorded as sent');
      bot.child.kill('SIGKILL'); // the process dies while Westhoek's post is in flight
      await bot.exited;
      hold.drop();
      assert.equal(posted(TEAMS.westhoek), 0);

      bot = await startProcess(env);
      await eventually(() => posted(TEAMS.westhoek) === 1, 'Westhoek posted after the restart', 10_000);
      for (const team of [TEAMS.gent, TEAMS.kempen, TEAMS.westhoek]) assert.equal(posted(team), 1, `exactly one post in ${team.name}`);

      bot.child.kill('SIGTERM');
      assert.equal(await bot.exited, 0, 'SIGTERM drains and exits cleanly');
      const after = await openTestStore(dir);
      try {
        const states = (await after.deliveries.forQuestion('cyberbeveiliging-maatregelen')).map((d) => [d.rkkId, d.state]);
        assert.deepEqual(states.map(([, s]) => s), ['sent', 'sent', 'sent']);
        const w = (await after.deliveries.get({ kind: 'question', questionId: 'cyberbeveiliging-maatregelen', rkkId: TEAMS.westhoek.id }))!;
        assert.equal(w.attempts, 2, 'the interrupted try and the one that landed');
      } finally {
        await after.close();
      }
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
      await connector.close();
    }
  });
});

/**
 * Two real bot processes on one PostgreSQL database, with the connector stand-in: what App
 * Service does during a deploy or with two instances. Both start at the same moment with the
 * slot already passed; `publiceer` reaches the one that does not lead; 300 answers alternate
 * between them while the leader is killed twice (SIGKILL) and restarted.
 */
import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { startBotProcess, type BotProcess } from '../support/process';
import { PgStore } from '../../bot/src/store';
import { WeekSchedule, addWeeks } from '../../bot/src/domain/week';
import { tempDir, writeQuestions, eventually, cardText } from '../support/bot';
import { BOT, PEOPLE, TEAMS, TENANT, answerValue, cardAction, installInTeam, mentionCommand, type Person, type Team } from '../support/teams';
import { databaseFor, testPostgres } from '../support/stores';
import { confirmed } from '../support/confirm';

const QUESTION_ID = 'cyberbeveiliging-maatregelen';
const QUESTION_TEXT = 'Welke maatregelen rond cyberbeveiliging hebben jullie het voorbije jaar genomen?';
const ANSWERS = 300;
const LEASE_SECONDS = 6;

/** A region that installs the app after the slot: only `publiceer` brings it the question. */
const OOSTENDE: Team = { id: '19:5b8e2a1c9d7f4e3a8b6c0d1e2f3a4b5c@thread.tacv2', name: 'RKK Oostende', aadGroupId: 'a1b2c3d4-0009-4e5f-8a9b-0c1d2e3f4a5b' };

const member = (i: number): Person => ({
  id: `29:1inst${i}`, aadObjectId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, name: `Collega ${i}`,
});

interface Instance { proc: BotProcess; name: string; killedByUs: boolean }

describe('several instances on one PostgreSQL store', () => {
  before(async function () {
    this.timeout(60_000);
    await testPostgres();
  });

  it('posts once per RKK, stores and counts every acknowledged answer once, and hands the lead over when the leader is killed', async function () {
    this.timeout(180_000);
    const connector = await FakeConnector.start();
    const dir = tempDir('kk-inst-');
    const url = await databaseFor(dir);
    const schedule = new WeekSchedule('0 9 * * 1', 'Europe/Brussels');
    const now = new Date();
    const lastWeek = addWeeks(schedule.weekOf(now), -1, 'Europe/Brussels');
    const questionsFile = writeQuestions(dir, [{
      id: QUESTION_ID, text: QUESTION_TEXT, kind: 'multiple', options: ['MFA voor iedereen', 'Back-ups offline getest', 'Phishingoefening', 'Geen'],
      theme: 'infrastructuur', week: lastWeek, closesAt: new Date(now.getTime() + 86_400_000).toISOString(),
    }]);
    // Three RKKs that joined well before last week's slot: the slot has passed when both instances start.
    const seed = await PgStore.open({ url, poolSize: 2 });
    const joined = new Date(schedule.slotOf(lastWeek).getTime() - 86_400_000);
    const early = [TEAMS.gent, TEAMS.kempen, TEAMS.westhoek];
    for (const team of early) {
      await seed.rkks.register({
        teamId: team.id, name: team.name, aadGroupId: team.aadGroupId, channelId: team.id, tenantId: TENANT, serviceUrl: connector.url,
        conversationRef: { channelId: 'msteams', serviceUrl: connector.url, bot: BOT, conversation: { id: team.id, isGroup: true, conversationType: 'channel', tenantId: TENANT } },
      }, joined);
    }

    const env = {
      DATA_DIR: dir, DATABASE_URL: url, QUESTIONS_FILE: questionsFile, KENNISKRING_ADMINS: PEOPLE.an.aadObjectId,
      LEADER_LEASE_SECONDS: String(LEASE_SECONDS), COUNT_UPDATE_DELAY_SECONDS: '1',
    };
    const instances: Instance[] = [];
    const start = async (name: string): Promise<Instance> => ({ proc: await startBotProcess(env), name, killedByUs: false });
    const questionThreads = (team: Team) => connector.threads(team.id).filter((t) => cardText(t.root?.attachments).includes(QUESTION_TEXT));
    const leaderPid = async (): Promise<number> => {
      const lease = await seed.leases.get('leader');
      return lease && lease.expiresAt > new Date() ? Number(lease.holder.split(':').at(-2)) : -1;
    };
    const leaderOf = async (): Promise<Instance | undefined> => {
      const pid = await leaderPid();
      return instances.find((i) => i.proc.child.pid === pid && i.proc.child.exitCode === null && !i.killedByUs);
    };
    const send = async (inst: Instance, activity: unknown): Promise<number> => {
      try {
        const res = await fetch(`${inst.proc.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
        await res.text();
        return res.status;
      } catch {
        return 0; // the process is gone: not acknowledged
      }
    };

    try {
      // ---- both at the same moment, slot passed: exactly one thread per RKK
      instances.push(...await Promise.all([start('A'), start('B')]));
      for (const team of early) await eventually(() => questionThreads(team).length >= 1, `the question in ${team.name}`, 15_000);
      await new Promise((r) => setTimeout(r, 3000)); // time for a second post, were there one
      for (const team of early) assert.equal(questionThreads(team).length, 1, `exactly one thread in ${team.name}`);

      // ---- a team that joins now gets the question through `publiceer`, sent to the instance that does not lead
      const leader0 = await eventually(leaderOf, 'a leader');
      const follower0 = instances.find((i) => i !== leader0)!;
      assert.equal(await send(follower0, installInTeam(connector.url, OOSTENDE, PEOPLE.an)), 200);
      assert.equal((await confirmed((a) => send(follower0, a).then((status) => ({ status })), connector, OOSTENDE, PEOPLE.an, 'publiceer')).status, 200);
      await eventually(() => questionThreads(OOSTENDE).length === 1, 'the question in the new team, posted by the leader', 15_000);
      const statusAt = connector.conversation(OOSTENDE.id).length;
      assert.equal(await send(follower0, mentionCommand(connector.url, OOSTENDE, PEOPLE.an, 'status')), 200);
      const statusText = await eventually(() => connector.conversation(OOSTENDE.id).slice(statusAt).map((a) => cardText(a.attachments)).find((t) => t.includes('Leidende instantie')), 'the status card');
      assert.match(statusText, new RegExp(`:${leader0.proc.child.pid}:`), 'status names the leading instance');
      assert.match(statusText, /Actieve instanties\s*2/);

      // ---- 300 answers alternating between the instances; the leader is killed twice and restarted
      const teams = [TEAMS.gent, TEAMS.kempen, TEAMS.westhoek, OOSTENDE];
      const thread = new Map(teams.map((t) => [t.id, questionThreads(t)[0]!.conversationId]));
      const acked = new Map<number, { team: Team; choices: string[] }>();
      const takeovers: number[] = [];
      let next = 0;
      const answer = async (i: number) => {
        const team = teams[i % teams.length]!;
        const choices = [String((i % 4) + 1), ...(i % 3 === 0 ? ['2'] : [])].filter((c, k, all) => all.indexOf(c) === k);
        const value = answerValue(QUESTION_ID, { choice: choices.join(',') });
        // Teams resends nothing: a member whose submit failed submits again (here: to whichever instance is up).
        for (let attempt = 0; attempt < 20; attempt++) {
          const alive = instances.filter((x) => x.proc.child.exitCode === null && !x.killedByUs);
          const inst = alive[(i + attempt) % alive.length];
          if (inst && (await send(inst, cardAction(connector.url, team, thread.get(team.id)!, member(i), value))) === 200) {
            acked.set(i, { team, choices });
            return;
          }
          await new Promise((r) => setTimeout(r, 200));
        }
        throw new Error(`answer ${i} was never acknowledged`);
      };
      const worker = async () => { while (next < ANSWERS) await answer(next++); };
      const killer = (async () => {
        for (const at of [80, 180]) {
          while (next < at) await new Promise((r) => setTimeout(r, 20));
          const victim = await eventually(leaderOf, 'a leader to kill');
          victim.killedByUs = true;
          victim.proc.child.kill('SIGKILL');
          await victim.proc.exited;
          const killedAt = Date.now();
          await eventually(async () => {
            const l = await leaderOf();
            return l && l !== victim;
          }, 'another instance to take the lead', 30_000);
          takeovers.push(Date.now() - killedAt);
          const restarted = await start(`${victim.name}'`);
          instances.push(restarted);
        }
      })();
      await Promise.all([worker(), worker(), worker(), worker(), killer]);

      // ---- every acknowledged answer stored once and counted once; the same results everywhere
      assert.equal(acked.size, ANSWERS);
      const stored = await seed.answers.forQuestion(QUESTION_ID);
      assert.equal(stored.length, ANSWERS, 'one stored answer per member');
      for (const a of stored) {
        const i = Number(a.member.key.slice(-12));
        assert.deepEqual([...a.choices].sort(), [...acked.get(i)!.choices].sort(), `answer ${i} as given`);
        assert.equal(a.rkkId, acked.get(i)!.team.id);
      }
      const counts = await seed.answers.counts(QUESTION_ID);
      assert.deepEqual(counts, await seed.answers.recount(QUESTION_ID), 'the running tally matches the answers');
      assert.equal(counts.respondents, ANSWERS);
      const alive = instances.filter((x) => x.proc.child.exitCode === null && !x.killedByUs);
      assert.equal(alive.length, 2);
      const results = await Promise.all(alive.map(async (x) => {
        const body = await (await fetch(`${x.proc.url}/api/results?team=${encodeURIComponent(TEAMS.gent.id)}`)).json() as Record<string, unknown>;
        delete body.generatedAt; // the moment each instance answered
        return body;
      }));
      assert.deepEqual(results[0], results[1], '/api/results is the same on every instance');
      assert.match(JSON.stringify(results[0]), /"all":\{"respondents":300/);

      // ---- the cards show the final counts, updated by the leader within Teams' per-thread limit
      for (const team of teams) {
        const n = stored.filter((a) => a.rkkId === team.id).length;
        await eventually(() => cardText(questionThreads(team)[0]!.root?.attachments).match(new RegExp(`\\b${n}\\b`)), `the card in ${team.name} to show ${n} answers`, 20_000);
      }
      const updates = connector.requests.filter((r) => r.op === 'updateActivity');
      assert.equal(updates.filter((r) => r.status === 429).length, 0, 'no count update ran into the per-thread limit');
      const perThread = new Map<string, number[]>();
      for (const u of updates) perThread.set(u.conversationId ?? '', [...(perThread.get(u.conversationId ?? '') ?? []), u.at]);
      const busiest = Math.max(...[...perThread.values()].map((ats) => Math.max(...ats.map((t) => ats.filter((x) => x >= t && x < t + 1000).length))));
      assert.ok(busiest <= 3, `at most 3 count updates per thread in any second (saw ${busiest})`);
      for (const team of [...early, OOSTENDE]) assert.equal(questionThreads(team).length, 1, `still exactly one thread in ${team.name}`);
      assert.ok(takeovers.every((ms) => ms <= (LEASE_SECONDS + 5) * 1000), `the lead was taken over after ${takeovers.join(' and ')} ms (lease ${LEASE_SECONDS} s)`);
      console.log(`      two instances: ${ANSWERS} answers, takeovers after ${takeovers.join(' ms and ')} ms (lease ${LEASE_SECONDS} s), ${updates.length} count updates, busiest thread ${busiest}/s`);
    } finally {
      for (const i of instances) if (i.proc.child.exitCode === null) i.proc.child.kill('SIGKILL');
      await Promise.all(instances.map((i) => i.proc.exited));
      await seed.close();
      await connector.close();
    }
  });
});

import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { FakeTime } from '../support/clock';
import { describeOnEachStore } from '../support/stores';
import { startTestBot, tempDir, writeQuestions, cardText, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam } from '../support/teams';

/** Week 14 of 2026 starts the day after the clocks go forward (Sunday 29 March, 02:00 → 03:00). */
const DST_WEEK_QUESTION = {
  id: 'magda-documentendienst',
  text: 'Gebruikt jullie bestuur de MAGDA documentendienst al om documenten digitaal bij inwoners te bezorgen?',
  kind: 'single',
  options: ['Ja, voor meerdere documenten', 'Ja, als proefproject', 'Nog niet, wel gepland', 'Nee'],
  theme: 'data',
  week: '2026-W14',
};

describeOnEachStore('journey 2: the weekly post', () => {
  let connector: FakeConnector;
  let time: FakeTime;
  let dir: string;
  let questionsFile: string;
  let bot: TestBot | null = null;

  const start = async () => {
    bot = await startTestBot({ dataDir: dir, clock: time, timers: time, random: () => 0, env: { QUESTIONS_FILE: questionsFile } });
    return bot;
  };
  /** Moves the clock and waits for the scheduler pass it triggers (posting crosses real HTTP). */
  const at = async (moment: string) => { time.advanceTo(moment); await bot!.app.scheduler.tick(); };
  const questionThreads = (team: { id: string }) =>
    connector.threads(team.id).filter((t) => cardText(t.root?.attachments).includes('MAGDA documentendienst'));

  beforeEach(async () => {
    connector = await FakeConnector.start({ now: () => time.now().getTime() });
    time = new FakeTime('2026-03-27T10:00:00Z'); // Friday of week 13
    dir = tempDir();
    questionsFile = writeQuestions(dir, [DST_WEEK_QUESTION]);
    await start();
    await bot!.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
    await bot!.send(installInTeam(connector.url, TEAMS.kempen, PEOPLE.jan));
  });
  afterEach(async () => {
    await bot?.close();
    bot = null;
    await connector.close();
  });

  it('posts at Monday 09:00 Brussels time in the week the clocks change — a new thread in every RKK', async () => {
    await at('2026-03-30T06:59:00Z'); // 08:59 CEST
    assert.equal(questionThreads(TEAMS.gent).length, 0, 'not before the slot');
    await at('2026-03-30T07:00:00Z'); // 09:00 CEST (08:00 UTC would be the winter-time answer)
    for (const team of [TEAMS.gent, TEAMS.kempen]) {
      const threads = questionThreads(team);
      assert.equal(threads.length, 1, `one question thread in ${team.name}`);
      const text = cardText(threads[0]!.root!.attachments);
      assert.match(text, /MAGDA documentendienst/);
      assert.match(text, new RegExp(`${team.name} · week 14 · Datahuishouding`));
      assert.match(text, /Nog geen antwoorden/);
    }
    const posts = await bot!.app.store.deliveries.forQuestion('magda-documentendienst');
    assert.deepEqual(posts.map((p) => p.state), ['sent', 'sent']);
    for (const p of posts) assert.match(p.conversationId!, /;messageid=\d+$/);
    await at('2026-03-30T07:05:00Z');
    assert.equal(questionThreads(TEAMS.gent).length, 1, 'later passes do not post again');
  });

  it('catches up once on start-up after downtime over the slot, and not again after another restart', async () => {
    await bot!.close();
    time.advanceTo('2026-03-30T08:30:00Z'); // the process was down at 09:00
    await start();
    await bot!.app.scheduler.tick();
    assert.equal(questionThreads(TEAMS.gent).length, 1);
    assert.equal(questionThreads(TEAMS.kempen).length, 1);
    await bot!.close();
    time.advanceTo('2026-03-30T09:00:00Z');
    await start();
    await bot!.app.scheduler.tick();
    assert.equal(questionThreads(TEAMS.gent).length, 1, 'still exactly one');
    assert.equal(questionThreads(TEAMS.kempen).length, 1, 'still exactly one');
  });

  it('does not post a question that closed while the bot was down', async () => {
    await bot!.close();
    time.advanceTo('2026-04-06T07:30:00Z'); // past the default close (Monday of week 15, 08:59)
    await start();
    await bot!.app.scheduler.tick();
    assert.equal(questionThreads(TEAMS.gent).length, 0);
    assert.ok((await bot!.app.store.questions.get('magda-documentendienst'))!.closedAt, 'closed on start-up');
  });

  it('retries a 429 after the Retry-After the connector asked for, and keeps the other RKK going', async () => {
    connector.failNext(1, 429, { retryAfterSeconds: 30, match: (r) => r.op === 'createConversation' && JSON.stringify(r.body).includes(TEAMS.gent.id) });
    await at('2026-03-30T07:00:00Z');
    assert.equal(questionThreads(TEAMS.kempen).length, 1, 'Kempen is not held up by Gent');
    assert.equal(questionThreads(TEAMS.gent).length, 0);
    const waiting = (await bot!.app.store.deliveries.get({ kind: 'question', questionId: 'magda-documentendienst', rkkId: TEAMS.gent.id }))!;
    assert.equal(waiting.state, 'pending');
    assert.match(waiting.lastError!, /^429/);
    assert.equal(waiting.nextAttemptAt.toISOString(), '2026-03-30T07:00:30.000Z');

    await at('2026-03-30T07:00:29Z');
    assert.equal(questionThreads(TEAMS.gent).length, 0, 'not before Retry-After');
    await at('2026-03-30T07:00:30Z');
    assert.equal(questionThreads(TEAMS.gent).length, 1);
    const creates = connector.requests.filter((r) => r.op === 'createConversation' && JSON.stringify(r.body).includes(TEAMS.gent.id));
    assert.deepEqual(creates.map((r) => r.status), [429, 201], 'one refused try, one successful try, nothing in between');
  });

  it('backs off on 502/503/504 and records a permanent failure with its error', async () => {
    connector.failNext(3, 503, { match: (r) => r.op === 'createConversation' && JSON.stringify(r.body).includes(TEAMS.gent.id) });
    connector.failNext(1, 403, { match: (r) => r.op === 'createConversation' && JSON.stringify(r.body).includes(TEAMS.kempen.id) });
    await at('2026-03-30T07:00:00Z');
    const key = (rkkId: string) => ({ kind: 'question' as const, questionId: 'magda-documentendienst', rkkId });
    const kempen = (await bot!.app.store.deliveries.get(key(TEAMS.kempen.id)))!;
    assert.equal(kempen.state, 'failed', '403 is not retried');
    assert.match(kempen.lastError!, /^403/);
    // 503s: 2 s, 4 s, 8 s with random() = 0 → half of each step: 1 s, 2 s, 4 s.
    for (const step of ['2026-03-30T07:00:01Z', '2026-03-30T07:00:03Z', '2026-03-30T07:00:07Z']) await at(step);
    assert.equal((await bot!.app.store.deliveries.get(key(TEAMS.gent.id)))!.state, 'sent');
    assert.equal(questionThreads(TEAMS.gent).length, 1);
    assert.equal((await bot!.app.store.deliveries.get(key(TEAMS.gent.id)))!.attempts, 4);
  });

  it('closes at the closing time: results in every thread, the poll card shows it is closed', async () => {
    await at('2026-03-30T07:00:00Z');
    await at('2026-04-06T06:58:00Z'); // Monday of week 15, 08:58 CEST: still open
    assert.equal((await bot!.app.store.questions.get('magda-documentendienst'))!.closedAt, null);
    await at('2026-04-06T06:59:00Z'); // 08:59 CEST: one minute before the next weekly post
    assert.ok((await bot!.app.store.questions.get('magda-documentendienst'))!.closedAt);
    for (const team of [TEAMS.gent, TEAMS.kempen]) {
      const [thread] = questionThreads(team);
      const results = thread!.replies.filter((r) => cardText(r.attachments).includes('Resultaten van de vraag van de week'));
      assert.equal(results.length, 1, `results posted once in ${team.name}`);
      const poll = connector.activity(thread!.rootId)!;
      assert.equal(poll.updates, 1);
      assert.match(cardText(poll.activity.attachments), /Deze vraag is gesloten/);
      assert.doesNotMatch(JSON.stringify(poll.activity.attachments), /kk\.answer/, 'no answer button on a closed poll');
    }
    await at('2026-04-06T07:10:00Z');
    assert.equal(questionThreads(TEAMS.gent)[0]!.replies.length, 1, 'results are not posted twice');
  });
});

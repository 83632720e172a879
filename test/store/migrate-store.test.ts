import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PgStore, SqliteStore, type Store } from '../../bot/src/store';
import { entityKey } from '../../bot/src/store/outbox';
import { questionFromInput } from '../../bot/src/domain/question';
import { WeekSchedule } from '../../bot/src/domain/week';
import { tempDir } from '../support/bot';
import { testPostgres } from '../support/stores';
import { BOT, PEOPLE, TEAMS, TENANT, type Team } from '../support/teams';

const run = promisify(execFile);
const SCRIPT = path.resolve(__dirname, '../../scripts/migrate-store.js');
const schedule = new WeekSchedule('0 9 * * 1', 'Europe/Brussels');
const T = (m: number) => new Date(Date.UTC(2026, 10, 23, 8, m));

const registration = (team: Team) => ({
  teamId: team.id, name: team.name, aadGroupId: team.aadGroupId, channelId: team.id, tenantId: TENANT, serviceUrl: 'https://smba.trafficmanager.net/emea/',
  conversationRef: { channelId: 'msteams', bot: BOT, conversation: { id: team.id, isGroup: true, conversationType: 'channel', tenantId: TENANT } },
});

/** A store with some of everything: RKKs, moderators, a personal chat, questions (one anonymous), posts, answers, replies, sync state, audit. */
async function seed(store: Store): Promise<void> {
  await store.rkks.register(registration(TEAMS.gent), T(0));
  await store.rkks.register(registration(TEAMS.kempen), T(0));
  await store.rkks.deactivate(TEAMS.kempen.id, T(1));
  await store.rkks.addModerator(TEAMS.gent.id, PEOPLE.sofie.aadObjectId, PEOPLE.an.aadObjectId, T(1));
  await store.rkks.savePersonalChat(PEOPLE.jan.aadObjectId, { conversation: { id: 'a:1personal-jan' } }, T(2));
  const input = {
    text: 'Hoe ver staat jullie bestuur met de MAGDA-documentendienst? Één café, 👍', kind: 'single' as const, options: ['Al in gebruik', 'Aangevraagd', 'Nog niet'],
    theme: 'data' as const, comment: true, anonymous: false, targets: 'all' as const,
  };
  const q = questionFromInput({ id: 'magda', ...input, week: '2026-W48' }, schedule, { source: 'file', createdBy: null, queueOrder: 1 });
  const anon = questionFromInput({ id: 'werkdruk', ...input, text: 'Hoe zwaar weegt de werkdruk?', anonymous: true }, schedule, { source: 'command', createdBy: PEOPLE.an.aadObjectId, queueOrder: 2 });
  await store.questions.insert(q, T(0));
  await store.questions.insert(anon, T(0));
  await store.questions.salt('werkdruk');
  const post = { kind: 'question' as const, questionId: 'magda', rkkId: TEAMS.gent.id };
  await store.deliveries.ensure(post, T(0));
  await store.deliveries.claim(post, { owner: 'an-earlier-run', until: T(1) }, T(0));
  await store.deliveries.markSent(post, `${TEAMS.gent.id};messageid=1795000000001`, '1795000000001', T(0), 0);
  for (const [i, p] of [PEOPLE.jan, PEOPLE.sofie, PEOPLE.lotte].entries()) {
    await store.answers.upsert('magda', TEAMS.gent.id, { key: p.aadObjectId, aadObjectId: p.aadObjectId, teamsUserId: p.id, name: p.name },
      { choices: [String(i % 2)], text: null, comment: i === 0 ? 'Sinds september, via het e-loket.' : null }, T(10 + i));
  }
  await store.comments.add({ messageId: '1795000000101', conversationId: `${TEAMS.gent.id};messageid=1795000000001`, questionId: 'magda', rkkId: TEAMS.gent.id,
    authorKey: PEOPLE.jan.aadObjectId, authorName: PEOPLE.jan.name, text: 'Wij ook! <b>html</b> ${x}', createdAt: T(20) });
  await store.outbox.rememberItem('question', 'magda', '17', T(21));
  await store.outbox.park('answer', entityKey('magda', PEOPLE.lotte.aadObjectId), '400: veld te lang', T(22));
  await store.outbox.saveQuestionRow('33', 'magda', 'abc123', 'Gepland', T(23));
  await store.audit.record({ actorKey: PEOPLE.an.aadObjectId, actorName: PEOPLE.an.name, action: 'publiceer', target: 'magda' }, T(24));
  await store.audit.record({ actorKey: PEOPLE.an.aadObjectId, actorName: PEOPLE.an.name, action: 'wis', target: PEOPLE.mathias.aadObjectId, details: '0 antwoorden' }, T(25));
  await store.moments.save({ id: 'km-e-loket', title: 'Webinar e-loket', startsAt: T(600), where: 'https://webinar.example.org', description: 'Één café', theme: 'e-loket',
    source: 'bot', createdBy: PEOPLE.an.aadObjectId, createdByName: PEOPLE.an.name, createdAt: T(26), updatedAt: T(26) }, [TEAMS.gent.id], T(26));
  await store.asks.create({ id: 'ask-1', text: 'Hoe regelen jullie MAGDA voor burgerzaken?', askerKey: PEOPLE.jan.aadObjectId, askerName: PEOPLE.jan.name, askerTeamsId: PEOPLE.jan.id,
    askerRkkId: TEAMS.gent.id, state: 'pending', reason: null, decidedBy: null, decidedByName: null, createdAt: T(27), decidedAt: null, toldReplies: 0, toldAt: null }, [PEOPLE.an.aadObjectId], T(27));
  await store.asks.decide('ask-1', { state: 'approved', by: PEOPLE.an.aadObjectId, byName: PEOPLE.an.name }, TEAMS.gent.id, T(28));
  await store.reminders.set({ key: PEOPLE.lotte.aadObjectId, aadObjectId: PEOPLE.lotte.aadObjectId, teamsUserId: PEOPLE.lotte.id, name: PEOPLE.lotte.name }, TEAMS.gent.id, T(29));
  await store.reminders.failed(PEOPLE.lotte.aadObjectId, '403: Forbidden', T(30));
  const proposal = { proposerKey: PEOPLE.lotte.aadObjectId, proposerName: PEOPLE.lotte.name, proposerTeamsId: PEOPLE.lotte.id, rkkId: TEAMS.gent.id,
    state: 'pending' as const, reason: null, decidedBy: null, decidedByName: null, questionId: null, createdAt: T(31), decidedAt: null };
  await store.proposals.create({ ...proposal, id: 'voorstel-1', showName: false, draft: { text: 'Werken jullie al met één e-loket?', kind: 'single', options: ['Ja', 'Nog niet'], theme: 'data', scale: null } }, [PEOPLE.an.aadObjectId], T(31));
  await store.proposals.create({ ...proposal, id: 'voorstel-2', showName: true, draft: { text: 'Hoe tevreden zijn jullie over MAGDA?', kind: 'scale', options: [], theme: 'data', scale: { low: 'helemaal niet', high: 'volledig' } } }, [PEOPLE.an.aadObjectId], T(32));
  await store.proposals.decide('voorstel-2', { state: 'approved', by: PEOPLE.an.aadObjectId, byName: PEOPLE.an.name }, {
    ...(await store.questions.get('werkdruk'))!, id: 'tevreden-magda', text: 'Hoe tevreden zijn jullie over MAGDA?', week: null, publishAt: null, closesAt: null, closedAt: null, queueOrder: 9,
  }, T(33));
}

/** What the store says through its port, for comparing two stores. */
async function view(store: Store) {
  return {
    rkks: await store.rkks.list(),
    moderators: await store.rkks.moderators(TEAMS.gent.id),
    chat: await store.rkks.hasPersonalChat(PEOPLE.jan.aadObjectId),
    questions: [await store.questions.get('magda'), await store.questions.get('werkdruk')],
    salts: await store.questions.salts(),
    posts: await store.deliveries.forQuestion('magda'),
    answers: await store.answers.forQuestion('magda'),
    counts: await store.answers.counts('magda'),
    comments: await store.comments.forQuestion('magda', { includeDeleted: true }),
    outbox: await store.outbox.next(100),
    item: await store.outbox.itemId('question', 'magda'),
    parked: await store.outbox.parked(),
    row: await store.outbox.questionRow('33'),
    audit: await store.audit.recent(),
    moment: await store.moments.get('km-e-loket'),
    ask: await store.asks.get('ask-1'),
    reminder: await store.reminders.get(PEOPLE.lotte.aadObjectId),
    proposals: await store.proposals.forProposer(PEOPLE.lotte.aadObjectId),
    proposed: [await store.questions.get('tevreden-magda'), await store.proposals.forQuestion('tevreden-magda')],
    owed: [...await store.deliveries.forQuestion('km-e-loket'), ...await store.deliveries.forQuestion('ask-1'), ...await store.deliveries.forQuestion('approve:ask-1'), ...await store.deliveries.forQuestion('proposal:voorstel-1'), ...await store.deliveries.forQuestion('proposed:voorstel-2')],
  };
}

describe('npm run migrate-store: the embedded store copied into PostgreSQL', () => {
  before(async function () {
    this.timeout(60_000);
    await testPostgres();
  });

  it('copies everything once, is idempotent, checks the counts, and PostgreSQL carries on where SQLite stopped', async function () {
    this.timeout(60_000);
    const dir = tempDir('kk-migrate-');
    const sqlite = SqliteStore.open(dir);
    await seed(sqlite);
    const before = await view(sqlite);
    await sqlite.close();
    const url = await (await testPostgres()).createDatabase();
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: dir, DATABASE_URL: url };

    const first = await run(process.execPath, [SCRIPT], { env });
    assert.match(first.stdout, /answers\s+3 in SQLite,\s+3 copied now,\s+3 in PostgreSQL/);
    assert.match(first.stdout, /Every table has the same number of rows in both stores/);
    const pgStore = await PgStore.open({ url, poolSize: 2 });
    try {
      assert.deepEqual(await view(pgStore), before, 'the same store, seen through the port');
      const again = await run(process.execPath, [SCRIPT], { env });
      assert.match(again.stdout, /answers\s+3 in SQLite,\s+0 copied now,\s+3 in PostgreSQL/, 'a second run copies nothing');
      assert.deepEqual(await view(pgStore), before);
      // New rows continue after the copied ones.
      const id = await pgStore.audit.record({ actorKey: PEOPLE.an.aadObjectId, actorName: PEOPLE.an.name, action: 'status' }, T(30));
      assert.equal(id, 3);
      await pgStore.outbox.record('question', 'werkdruk', T(31));
      assert.equal((await pgStore.outbox.next(100)).at(-1)!.upTo > Math.max(...before.outbox.map((o) => o.upTo)), true);
    } finally {
      await pgStore.close();
    }
  });

  it('refuses while a bot runs on the SQLite store, and without DATABASE_URL, changing nothing', async function () {
    this.timeout(30_000);
    const dir = tempDir('kk-migrate-');
    const running = SqliteStore.open(dir, { exclusive: true });
    try {
      const url = await (await testPostgres()).createDatabase();
      const busy = await run(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, DATABASE_URL: url } }).then(() => null, (e: { code: number; stderr: string }) => e);
      assert.ok(busy && busy.code === 1 && /another Kenniskring process is using the embedded store/.test(busy.stderr), busy?.stderr);
      const none = await run(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? '', DATA_DIR: dir } }).then(() => null, (e: { code: number; stderr: string }) => e);
      assert.ok(none && none.code === 78 && /DATABASE_URL is missing/.test(none.stderr));
    } finally {
      await running.close();
    }
  });
});

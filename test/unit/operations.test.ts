import assert from 'node:assert/strict';
import { SqliteStore } from '../../bot/src/store';
import { OPERATIONS, Services, type AppContext, type InputOf, type OperationName } from '../../bot/src/services/app';
import { AnswerService } from '../../bot/src/services/answers';
import { QuestionLookup } from '../../bot/src/services/questions';
import { WeekSchedule } from '../../bot/src/domain/week';
import { createLogger } from '../../bot/src/log';
import { FakeTime } from '../support/clock';
import { tempDir } from '../support/bot';
import type { CountUpdater } from '../../bot/src/services/countUpdater';

const log = createLogger('silent');
const TEAM = '19:rkk-gent@thread.tacv2';
const member = (id: string) => ({ key: id, aadObjectId: id, teamsUserId: `29:${id}`, name: id });
const MEMBER = member('lid-1');
const MODERATOR = member('moderator-1');
const ADMIN = member('beheerder-1');

/** An input of the right shape for each operation: a refused one must not even look at it. */
const SAMPLE: { [K in OperationName]: InputOf<K> } = {
  help: undefined, question: undefined, results: undefined, myData: undefined, upcoming: undefined, planForm: undefined,
  publish: undefined, close: undefined, status: undefined, retryParked: undefined,
  answer: { questionId: 'q1', choice: 'a' }, editAnswer: 'q1', refresh: 'q1', explanations: 'q1',
  planQuestion: { text: 'Gebruiken jullie MAGDA?', kind: 'open', options: [], scaleLow: '', scaleHigh: '', theme: 'infrastructuur', date: '', anonymous: false, comment: true },
  planPreview: { text: 'Gebruiken jullie MAGDA?', kind: 'open', options: [], scaleLow: '', scaleHigh: '', theme: 'infrastructuur', date: '', anonymous: false, comment: true },
  erase: 'lid-1', moderators: { action: 'add', who: 'lid-2' }, language: 'en',
  highlightPick: 'q1', highlight: { questionId: 'q1', memberKeys: ['lid-2'] }, overarching: true,
  askAllRegions: 'Hoe pakken jullie de documentendienst aan?', pendingAsks: undefined, momentForm: { theme: 'documentendienst' },
  planMoment: { title: 'Webinar documentendienst', date: '2026-12-17', time: '14:00', where: 'https://example.org/webinar', description: '', theme: '' },
  decideAsk: { askId: 'ask-1', approve: true, text: '', reason: '' },
  reminders: { on: true },
  contact: { questionId: 'q1', on: true, upn: null }, contactFromMyData: { questionId: 'q1', on: false, upn: null },
  proposeForm: undefined,
  propose: { text: 'Gebruiken jullie MAGDA?', kind: 'open', options: [], scaleLow: '', scaleHigh: '', theme: 'infrastructuur', showName: true },
  decideProposal: { proposalId: 'voorstel-1', approve: true, text: '', reason: '' },
};

describe('the application services: roles declared once, enforced once', () => {
  let store: SqliteStore;
  let services: Services;
  const time = new FakeTime(new Date('2026-12-02T10:00:00Z'));
  /** Nothing a refusal may reach: any call fails the test. */
  const untouchable = new Proxy({}, { get: (_t, prop) => { throw new Error(`a refused operation reached ${String(prop)}`); } });

  before(async () => {
    store = SqliteStore.open(tempDir());
    const schedule = new WeekSchedule('0 9 * * 1', 'Europe/Brussels');
    const counts = { touch() {} } as unknown as CountUpdater;
    const app: AppContext = {
      store, schedule, clock: time, answers: new AnswerService(store, time, counts), lookup: new QuestionLookup(store, time, schedule),
      poster: untouchable as AppContext['poster'], scheduler: untouchable as AppContext['scheduler'], sync: null,
      leadership: untouchable as AppContext['leadership'], admins: new Set([ADMIN.aadObjectId]), reminderHours: 24,
    };
    services = new Services(app);
    await store.rkks.register({ teamId: TEAM, name: 'RKK Gent', aadGroupId: null, channelId: TEAM, tenantId: null, serviceUrl: 'http://127.0.0.1:1/', conversationRef: {} }, time.now());
    await store.rkks.addModerator(TEAM, MODERATOR.key, ADMIN.key, time.now());
  });
  after(async () => { await store.close(); });

  const restricted = (Object.keys(OPERATIONS) as OperationName[]).filter((name) => OPERATIONS[name].role !== 'member');

  it('refuses a member every moderator and administrator operation, and changes nothing', async () => {
    assert.ok(restricted.length >= 8, `only ${restricted.length} restricted operations`);
    const before = { audit: (await store.audit.recent()).length, outbox: await store.outbox.pendingCount(), moderators: await store.rkks.moderators(TEAM) };
    for (const name of restricted) {
      const outcome = await services.perform(name, { member: MEMBER, teamId: TEAM }, SAMPLE[name] as never, log);
      assert.deepEqual(outcome, { allowed: false, role: OPERATIONS[name].role, rkkLang: 'nl' }, name);
    }
    assert.deepEqual({ audit: (await store.audit.recent()).length, outbox: await store.outbox.pendingCount(), moderators: await store.rkks.moderators(TEAM) }, before);
    assert.equal((await store.rkks.get(TEAM))!.lang, 'nl', 'the RKK\'s language unchanged');
  });

  it('lets a moderator act in their own RKK only, and never as an administrator', async () => {
    for (const name of restricted) {
      const outcome = await services.perform(name, { member: MODERATOR, teamId: null }, SAMPLE[name] as never, log);
      assert.equal(outcome.allowed, false, `${name} in a personal chat`);
      if (OPERATIONS[name].role === 'admin') assert.equal((await services.perform(name, { member: MODERATOR, teamId: TEAM }, SAMPLE[name] as never, log)).allowed, false, name);
    }
    const planned = await services.perform('planQuestion', { member: MODERATOR, teamId: TEAM }, SAMPLE.planQuestion, log);
    assert.ok(planned.allowed && planned.view.kind === 'planned');
    assert.deepEqual(planned.view.draft.question.targets, [TEAM], 'a moderator plans for their own RKK');
    assert.equal(planned.rkkName, 'RKK Gent');
    const entry = (await store.audit.recent())[0]!;
    assert.equal(entry.action, 'plan');
    assert.equal(entry.actorKey, MODERATOR.key);
  });

  it('lets an administrator do everything, for every RKK', async () => {
    const planned = await services.perform('planQuestion', { member: ADMIN, teamId: null }, { ...SAMPLE.planQuestion, text: 'Een tweede vraag?' }, log);
    assert.ok(planned.allowed && planned.view.kind === 'planned');
    assert.equal(planned.view.draft.question.targets, 'all');
    const help = await services.perform('help', { member: ADMIN, teamId: null }, undefined, log);
    assert.deepEqual(help, { allowed: true, view: { level: 'admin' }, rkkName: null, rkkLang: null });
    const list = await services.perform('moderators', { member: ADMIN, teamId: TEAM }, { action: 'list' }, log);
    assert.deepEqual(list, { allowed: true, view: { kind: 'list', rkkName: 'RKK Gent', moderators: [MODERATOR.key] }, rkkName: 'RKK Gent', rkkLang: 'nl' });
  });
});

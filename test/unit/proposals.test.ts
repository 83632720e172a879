import assert from 'node:assert/strict';
import { SqliteStore } from '../../bot/src/store';
import { Services, type AppContext } from '../../bot/src/services/app';
import type { ProposeInput } from '../../bot/src/services/app/proposals';
import { AnswerService } from '../../bot/src/services/answers';
import { QuestionLookup } from '../../bot/src/services/questions';
import { WeekSchedule } from '../../bot/src/domain/week';
import { createLogger } from '../../bot/src/log';
import { FakeTime } from '../support/clock';
import { tempDir } from '../support/bot';
import type { CountUpdater } from '../../bot/src/services/countUpdater';

const log = createLogger('silent');
const GENT = '19:rkk-gent@thread.tacv2';
const KEMPEN = '19:rkk-kempen@thread.tacv2';
const member = (id: string) => ({ key: id, aadObjectId: id, teamsUserId: `29:${id}`, name: `Naam van ${id}` });
const JAN = member('jan');
const MODERATOR = member('moderator-gent');
const ADMIN = member('beheerder');
const FORM: ProposeInput = {
  text: 'Werken jullie al met één e-loket voor alle diensten?', kind: 'single', options: ['Ja', 'Gedeeltelijk', 'Nog niet'], scaleLow: '', scaleHigh: '', theme: 'strategie', showName: true,
};

describe('proposed questions (stel voor): checked, decided by the right people, once', () => {
  let store: SqliteStore;
  let services: Services;
  const time = new FakeTime(new Date('2026-12-02T10:00:00Z'));

  beforeEach(async () => {
    store = SqliteStore.open(tempDir());
    const schedule = new WeekSchedule('0 9 * * 1', 'Europe/Brussels');
    const counts = { touch() {} } as unknown as CountUpdater;
    // No poster here: the cards the store owes are the journeys' business; a tick has nothing to do.
    const idle = { tick: async () => undefined } as unknown as AppContext['scheduler'];
    const app: AppContext = {
      store, schedule, clock: time, answers: new AnswerService(store, time, counts), lookup: new QuestionLookup(store, time, schedule),
      poster: {} as AppContext['poster'], scheduler: idle, sync: null, leadership: {} as AppContext['leadership'], admins: new Set([ADMIN.aadObjectId]), reminderHours: 24,
    };
    services = new Services(app);
    for (const [id, name] of [[GENT, 'RKK Gent-Eeklo'], [KEMPEN, 'RKK Kempen']] as const) {
      await store.rkks.register({ teamId: id, name, aadGroupId: null, channelId: id, tenantId: null, serviceUrl: 'http://127.0.0.1:1/', conversationRef: {} }, time.now());
    }
    await store.rkks.addModerator(GENT, MODERATOR.key, ADMIN.key, time.now());
  });
  afterEach(async () => { await store.close(); });

  const propose = async (form: ProposeInput, teamId: string | null = GENT, who = JAN) => {
    const out = await services.perform('propose', { member: who, teamId }, form, log);
    assert.ok(out.allowed);
    return out.view;
  };
  const decide = async (who: typeof JAN, proposalId: string, d: { approve: boolean; text?: string; reason?: string }) => {
    const out = await services.perform('decideProposal', { member: who, teamId: null }, { proposalId, approve: d.approve, text: d.text ?? '', reason: d.reason ?? '' }, log);
    assert.ok(out.allowed);
    return out.view;
  };
  const cardsFor = async (id: string) => (await store.deliveries.forQuestion(`proposal:${id}`, 'notice')).map((d) => d.rkkId).sort();

  it('refuses an invalid form field by field and stores nothing', async () => {
    const view = await propose({ ...FORM, text: 'Kort?', theme: '' });
    assert.equal(view.kind, 'invalid');
    assert.deepEqual(view.kind === 'invalid' && view.problems.map((p) => p.field).sort(), ['text', 'theme']);
    const options = await propose({ ...FORM, options: ['Ja'] });
    assert.deepEqual(options.kind === 'invalid' && options.problems, [{ field: 'options', code: 'count', count: 1 }]);
    assert.deepEqual(await store.proposals.pending(null), []);
  });

  it('goes to the moderators of the proposer\'s RKK; only they or an administrator decide, once; the question joins that RKK\'s queue, named as a proposal', async () => {
    const sent = await propose(FORM);
    assert.ok(sent.kind === 'sent');
    assert.deepEqual([sent.rkkName, sent.approvers], ['RKK Gent-Eeklo', 'moderators']);
    assert.deepEqual(await cardsFor(sent.proposal.id), [MODERATOR.key]);
    const twice = await propose(FORM);
    assert.ok(twice.kind === 'sent' && twice.proposal.id === sent.proposal.id, 'the form sent twice is one proposal');
    assert.equal((await store.proposals.pending(null)).length, 1);
    assert.equal((await decide(member('iemand-anders'), sent.proposal.id, { approve: true })).kind, 'notYours');

    const approved = await decide(MODERATOR, sent.proposal.id, { approve: true, text: 'Werken jullie al met één e-loket voor al jullie diensten?' });
    assert.ok(approved.kind === 'decided');
    const q = (await store.questions.get(approved.item.proposal.questionId!))!;
    assert.deepEqual([q.text, q.targets, q.source, q.createdBy, q.week], ['Werken jullie al met één e-loket voor al jullie diensten?', [GENT], 'proposal', JAN.key, null]);
    assert.deepEqual(q.options.map((o) => o.label), FORM.options);
    assert.equal(approved.queuePosition, 1);
    assert.equal((await store.deliveries.get({ kind: 'notice', questionId: `proposed:${sent.proposal.id}`, rkkId: JAN.key }))?.state, 'pending', 'Jan is owed the outcome');
    assert.equal((await store.audit.recent())[0]!.action, 'voorstel goedgekeurd');

    const again = await decide(ADMIN, sent.proposal.id, { approve: false, reason: 'Toch niet nodig.' });
    assert.equal(again.kind, 'decided');
    assert.equal((await store.questions.queued()).length, 1, 'one question, however often the card is clicked');
  });

  it('goes to the administrators when the RKK has no moderators; an administrator\'s approval reaches every RKK', async () => {
    const sent = await propose({ ...FORM, showName: false }, KEMPEN);
    assert.ok(sent.kind === 'sent' && sent.approvers === 'admins');
    assert.deepEqual(await cardsFor(sent.proposal.id), [ADMIN.key]);
    assert.equal((await decide(MODERATOR, sent.proposal.id, { approve: true })).kind, 'notYours', 'a moderator of another RKK');
    const approved = await decide(ADMIN, sent.proposal.id, { approve: true });
    assert.ok(approved.kind === 'decided');
    assert.equal((await store.questions.get(approved.item.proposal.questionId!))!.targets, 'all');
    assert.equal(approved.item.proposal.showName, false);
  });

  it('a rejection needs a reason; an edit that breaks the rules is refused; nothing changes until then', async () => {
    const sent = await propose(FORM);
    assert.ok(sent.kind === 'sent');
    const noReason = await decide(MODERATOR, sent.proposal.id, { approve: false, reason: ' nee ' });
    assert.ok(noReason.kind === 'pending' && noReason.problems?.[0] && 'code' in noReason.problems[0] && noReason.problems[0].code === 'reason');
    const badEdit = await decide(MODERATOR, sent.proposal.id, { approve: true, text: 'x'.repeat(600) });
    assert.ok(badEdit.kind === 'pending' && badEdit.problems?.some((p) => 'field' in p && p.field === 'text'));
    assert.equal((await store.proposals.get(sent.proposal.id))!.state, 'pending');
    const rejected = await decide(MODERATOR, sent.proposal.id, { approve: false, reason: 'Die vraag liep vorige maand al.' });
    assert.ok(rejected.kind === 'decided');
    assert.deepEqual([rejected.item.proposal.state, rejected.item.proposal.reason, rejected.queuePosition], ['rejected', 'Die vraag liep vorige maand al.', null]);
    assert.deepEqual(await store.questions.queued(), []);
  });

  it('from a personal chat it goes to the RKK the member last answered in, and says so when there is none', async () => {
    assert.equal((await propose(FORM, null)).kind, 'noRkk');
    const earlier = await propose(FORM, KEMPEN, member('sofie'));
    assert.ok(earlier.kind === 'sent');
    const approved = await decide(ADMIN, earlier.proposal.id, { approve: true });
    assert.ok(approved.kind === 'decided');
    await store.answers.upsert(approved.item.proposal.questionId!, KEMPEN, JAN, { choices: ['1'], text: null, comment: null }, time.now());
    const sent = await propose(FORM, null);
    assert.ok(sent.kind === 'sent' && sent.rkkName === 'RKK Kempen');
  });
});

import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { FakeTime } from '../support/clock';
import { startTestBot, tempDir, writeQuestions, cardOf, cardText, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, mentionCommand, personalMessage } from '../support/teams';

const planAction = (data: Record<string, unknown>) => ({ action: { type: 'Action.Execute', verb: 'kk.plan', data } });

describe('journey 6 (local): admins plan questions with a card form and see what is coming', () => {
  let connector: FakeConnector;
  let bot: TestBot;

  beforeEach(async () => {
    connector = await FakeConnector.start();
    const dir = tempDir();
    const time = new FakeTime('2026-11-24T10:00:00Z');
    bot = await startTestBot({
      dataDir: dir, clock: time, timers: time,
      env: { QUESTIONS_FILE: writeQuestions(dir, [{ id: 'burgerprofiel-koppeling', text: 'Tonen jullie lopende aanvragen al in het burgerprofiel?', kind: 'single', options: ['Ja', 'Nee'], theme: 'infrastructuur' }]) },
    });
    await bot.send(installInTeam(connector.url, TEAMS.kempen, PEOPLE.an));
  });
  afterEach(async () => {
    await bot.close();
    await connector.close();
  });

  it('plan opens a form; a valid form schedules the question, an invalid one comes back with the reason', async () => {
    await bot.send(personalMessage(connector.url, PEOPLE.an, 'plan'));
    const form = connector.conversation(`a:1personal-${PEOPLE.an.aadObjectId}`)[0]!;
    assert.match(cardText(form.attachments), /Nieuwe vraag van de week/);
    assert.ok(JSON.stringify(form.attachments).includes('kk.plan'));

    const bad = await bot.send(cardAction(connector.url, null, `a:1personal-${PEOPLE.an.aadObjectId}`, PEOPLE.an,
      planAction({ text: 'Welke tool gebruiken jullie voor e-loketten?', kind: 'single', options: 'Alleen één optie', theme: 'infrastructuur', week: '' })));
    const badCard = cardOf(bad.body);
    assert.match(cardText(badCard), /een keuzevraag heeft 2 tot 10 opties \(nu 1\)/);
    assert.ok(JSON.stringify(badCard).includes('Welke tool gebruiken jullie voor e-loketten?'), 'what was typed is kept');

    const good = await bot.send(cardAction(connector.url, null, `a:1personal-${PEOPLE.an.aadObjectId}`, PEOPLE.an,
      planAction({ text: 'Welke tool gebruiken jullie voor e-loketten?', kind: 'single', options: 'Eigen ontwikkeling\nPakket van een leverancier\nGeen e-loket', theme: 'infrastructuur', week: '2026-w50' })));
    assert.match(cardText(cardOf(good.body)), /gaat uit in week 2026-W50/);
    const planned = bot.app.store.questions.inWeek('2026-W50');
    assert.equal(planned.length, 1);
    assert.deepEqual(planned[0]!.options.map((o) => o.label), ['Eigen ontwikkeling', 'Pakket van een leverancier', 'Geen e-loket']);
    assert.equal(planned[0]!.createdBy, PEOPLE.an.aadObjectId);
    assert.equal(planned[0]!.publishAt!.toISOString(), '2026-12-07T08:00:00.000Z', 'Monday 09:00 Brussels time');
  });

  it('a member cannot plan through a forged card action', async () => {
    const res = await bot.send(cardAction(connector.url, null, `a:1personal-${PEOPLE.jan.aadObjectId}`, PEOPLE.jan,
      planAction({ text: 'Mag ik dit plannen als gewoon lid?', kind: 'open', theme: 'andere', week: '' })));
    assert.match(cardText(cardOf(res.body)), /voorbehouden aan de beheerders/);
    const all = [...bot.app.store.questions.queued(), ...bot.app.store.questions.published(new Date('2100-01-01'))];
    assert.ok(!all.some((q) => q.text.startsWith('Mag ik dit plannen')), 'nothing planned');
  });

  it('vragen lists the open question, the scheduled ones and the queue', async () => {
    await bot.send(mentionCommand(connector.url, TEAMS.kempen, PEOPLE.an, 'publiceer'));
    await bot.send(cardAction(connector.url, null, 'a:1x', PEOPLE.an,
      planAction({ text: 'Hoe organiseren jullie de opleiding van nieuwe collega\'s in Teams?', kind: 'open', theme: 'vaardigheden', week: '' })));
    await bot.send(mentionCommand(connector.url, TEAMS.kempen, PEOPLE.an, 'vragen'));
    const list = connector.conversation(TEAMS.kempen.id).map((a) => cardText(a.attachments)).find((t) => t.startsWith('Komende vragen'));
    assert.ok(list, 'the list was posted');
    assert.match(list, /2026-W48 · nu open\nTonen jullie lopende aanvragen al in het burgerprofiel\?/);
    assert.match(list, /in de wachtrij \(plaats 1\)\nHoe organiseren jullie de opleiding/);
  });
});

/**
 * Reminders (`herinner mij`): one personal message before a question of the member's RKK closes,
 * while they have not answered — with the connector stand-in and injected time, in the week the
 * clocks go back (Sunday 25 October 2026, 03:00 → 02:00 in Brussels).
 */
import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { FakeTime, drive } from '../support/clock';
import { describeOnEachStore } from '../support/stores';
import { startTestBot, tempDir, writeQuestions, cardOf, cardText, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, mentionCommand, personalMessage, type Person, type Team } from '../support/teams';

const QUESTION = {
  id: 'e-loket-koppeling', text: 'Is jullie e-loket al gekoppeld aan het Mijn Burgerprofiel?',
  kind: 'single', options: ['Ja', 'In uitvoering', 'Nog niet'], theme: 'data', week: '2026-W43',
};
/** The question goes out on Monday 19 October at 9.00 (summer time) and closes on Monday 26 October at 8.59 (winter time). */
const CLOSES = '2026-10-26T07:59:00.000Z';
/**
 * 48 hours before, on the Brussels clock: Saturday 24 October at 8.59, still summer time (06:59 UTC).
 * Counting 48 hours of elapsed time would give 9.59 (07:59 UTC): the clocks go back in between.
 */
const REMINDER = '2026-10-24T06:59:00.000Z';
const REMINDER_TEXT = 'Herinnering: je hebt nog niet geantwoord op de vraag van';

const GRIET: Person = { id: '29:1Cf1pQt3Janssens-griet', aadObjectId: '5ac28fa7-b16d-4c2a-f6e5-8de17cd09fb6', name: 'Griet Janssens' };

/** The id of the personal chat the bot starts with a member (the connector names it after their Teams id). */
const startedChat = (who: Person) => `a:1${Buffer.from(who.id).toString('base64url')}`;
/** The personal chat a member opened themselves (what `personalMessage` writes in). */
const ownChat = (who: Person) => `a:1personal-${who.aadObjectId}`;

describeOnEachStore('reminders before a question closes', (kind) => {
  let connector: FakeConnector;
  let time: FakeTime;
  let bot: TestBot | null = null;
  let dir: string;

  const start = async (dataDir = dir) => startTestBot({ dataDir, clock: time, timers: time, random: () => 0.5, env: { QUESTIONS_FILE: writeQuestions(dataDir, [QUESTION]), REMINDER_HOURS_BEFORE_CLOSE: '48' } });
  const reminders = (conversationId: string) => connector.conversation(conversationId).filter((a) => cardText(a.attachments).includes(REMINDER_TEXT));
  const lastCard = (conversationId: string) => cardText(connector.conversation(conversationId).at(-1)?.attachments);
  const say = async (team: Team, who: Person, text: string) => {
    assert.equal((await bot!.send(mentionCommand(connector.url, team, who, text))).status, 200);
    return lastCard(team.id);
  };
  const thread = (team: Team) => connector.threads(team.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text))!;
  const answerIn = async (team: Team, who: Person, choice: string) =>
    cardText(cardOf((await bot!.send(cardAction(connector.url, team, thread(team).conversationId, who, answerValue(QUESTION.id, { choice, lang: 'nl' })))).body));

  beforeEach(async () => {
    time = new FakeTime('2026-10-19T06:00:00Z'); // Monday of week 43, 8.00 in Brussels: before the slot
    connector = await FakeConnector.start();
    dir = tempDir();
    bot = await start();
    for (const team of [TEAMS.gent, TEAMS.kempen]) await bot.send(installInTeam(connector.url, team, PEOPLE.an));
  });
  afterEach(async () => {
    await bot?.close();
    bot = null;
    await connector.close();
  });

  it('reminds once, at the right moment in the week the clocks change, only those who have not answered and did not opt out, across a restart', async () => {
    // Jan switches reminders on in his RKK's channel; Sofie in her personal chat, where she picks her RKK.
    assert.match(await say(TEAMS.gent, PEOPLE.jan, 'herinner mij'), /Herinneringen\nHerinneringen staan aan\. Je krijgt een persoonlijk bericht 48 uur voor een vraag van RKK Gent-Eeklo sluit, als je dan nog niet hebt geantwoord\.\nHet bericht komt in je persoonlijke chat met Kenniskring\.\nGeen herinneringen meer/);
    assert.match(await say(TEAMS.gent, PEOPLE.jan, 'herinner mij'), /Ze stonden al aan\./);
    await bot!.send(personalMessage(connector.url, PEOPLE.sofie, 'herinner mij'));
    const pick = connector.conversation(ownChat(PEOPLE.sofie)).at(-1)!;
    assert.match(cardText(pick.attachments), /Voor welke kenniskring wil je herinnerd worden\?\n[\s\S]*RKK Gent-Eeklo\n[\s\S]*RKK Kempen\n[\s\S]*Herinneringen aanzetten$/);
    const picked = await bot!.send(cardAction(connector.url, null, ownChat(PEOPLE.sofie), PEOPLE.sofie, answerValue('', { on: true, rkkId: TEAMS.kempen.id, lang: 'nl' }, 'kk.remind')));
    assert.match(cardText(cardOf(picked.body)), /voor een vraag van RKK Kempen sluit/);
    // Lotte will answer first; Mathias changes his mind (in English).
    await say(TEAMS.gent, PEOPLE.lotte, 'herinner me');
    await say(TEAMS.kempen, PEOPLE.mathias, 'remind me');
    assert.match(await say(TEAMS.kempen, PEOPLE.mathias, 'remind me off'), /Reminders\nReminders are off: you no longer get personal messages about the question of the week\.\nSwitch reminders on/);

    await drive(time, () => Boolean(thread(TEAMS.gent) && thread(TEAMS.kempen)), 'the question in both channels', 60_000);
    assert.match(await answerIn(TEAMS.gent, PEOPLE.lotte, '1'), /Je antwoord is genoteerd/);

    // Until the reminder moment nothing comes; the bot restarts just before it.
    time.advanceTo(new Date(new Date(REMINDER).getTime() - 120_000));
    await bot!.app.scheduler.tick();
    assert.equal(reminders(startedChat(PEOPLE.jan)).length, 0, 'no reminder before its moment');
    await bot!.close();
    bot = await start();
    await drive(time, () => reminders(startedChat(PEOPLE.jan)).length > 0 && reminders(ownChat(PEOPLE.sofie)).length > 0, 'the reminders', 5_000);
    assert.ok(time.now() >= new Date(REMINDER) && time.now().getTime() < new Date(REMINDER).getTime() + 120_000, `reminded at ${time.now().toISOString()}, due at ${REMINDER}`);

    const jan = cardText(reminders(startedChat(PEOPLE.jan))[0]!.attachments);
    assert.match(jan, /^Vernieuwen\nVraag van de week\nHerinnering: je hebt nog niet geantwoord op de vraag van RKK Gent-Eeklo\. Ze sluit maandag 26 oktober, 8\.59 uur; je kunt hier meteen antwoorden\./);
    assert.match(jan, /Is jullie e-loket al gekoppeld aan het Mijn Burgerprofiel\?/);
    assert.match(cardText(reminders(ownChat(PEOPLE.sofie))[0]!.attachments), /de vraag van RKK Kempen\./, 'Sofie is reminded in the chat she opened, of her RKK\'s question');
    assert.equal(connector.conversation(startedChat(PEOPLE.lotte)).length, 0, 'Lotte answered: no reminder');
    assert.equal(connector.conversation(startedChat(PEOPLE.mathias)).length, 0, 'Mathias switched them off: no reminder');

    // Jan answers from his personal chat: it counts in RKK Gent-Eeklo, and the next card stays there.
    const before = await bot!.app.store.answers.count(QUESTION.id, TEAMS.gent.id);
    const answered = await bot!.send(cardAction(connector.url, null, startedChat(PEOPLE.jan), PEOPLE.jan, answerValue(QUESTION.id, { choice: '2', rkkId: TEAMS.gent.id, lang: 'nl' })));
    assert.match(cardText(cardOf(answered.body)), /Je antwoord is genoteerd\nIn uitvoering\nZo antwoordt RKK Gent-Eeklo/);
    assert.equal(await bot!.app.store.answers.count(QUESTION.id, TEAMS.gent.id), before + 1, 'counted in his RKK');
    assert.match(JSON.stringify(cardOf(answered.body)), new RegExp(`"rkkId":"${TEAMS.gent.id.replace(/[.]/g, '\\.')}"`));

    // Another restart and a day later: still one reminder each, none after the close.
    await bot!.close();
    bot = await start();
    time.advanceTo(new Date(new Date(CLOSES).getTime() + 3_600_000));
    await bot.app.scheduler.tick();
    await bot.app.scheduler.tick();
    assert.equal(reminders(startedChat(PEOPLE.jan)).length, 1, 'Jan: exactly one reminder');
    assert.equal(reminders(ownChat(PEOPLE.sofie)).length, 1, 'Sofie: exactly one reminder');
    assert.equal(connector.conversation(startedChat(PEOPLE.lotte)).length + connector.conversation(startedChat(PEOPLE.mathias)).length, 0);
  });

  it('a reminder Teams will not take is shown in mijn gegevens with what to do; the setting can be switched there and is gone after an erase', async () => {
    connector.notInstalledFor(GRIET.id);
    await say(TEAMS.gent, GRIET, 'herinner mij');
    await drive(time, () => Boolean(thread(TEAMS.gent)), 'the question', 60_000);
    time.advanceTo(REMINDER);
    await drive(time, async () => (await bot!.app.store.reminders.get(GRIET.aadObjectId))?.failedAt != null, 'the refused reminder', 5_000);
    const refused = (await bot!.app.store.deliveries.forQuestion(`remind:${QUESTION.id}`, 'notice'))[0]!;
    assert.equal(refused.state, 'failed');
    assert.match(refused.lastError ?? '', /^403/);

    const data = await say(TEAMS.gent, GRIET, 'mijn gegevens');
    assert.match(data, /Herinneringen: aan, voor de vragen van RKK Gent-Eeklo\.\nJe herinnering van zaterdag 24 oktober, [89]\.\d\d uur kon niet bezorgd worden: Teams liet geen persoonlijke chat met Kenniskring toe\. Open Kenniskring bij Apps in Teams en kies Toevoegen; dan lukt het de volgende keer\./);
    assert.match(data, /Geen herinneringen meer$/, 'the member card switches them off');

    // The member card's button, then on again; an erase removes the setting and the reminders owed.
    const off = await bot!.send(cardAction(connector.url, TEAMS.gent, TEAMS.gent.id, GRIET, answerValue('', { on: false, lang: 'nl' }, 'kk.remind')));
    assert.match(cardText(cardOf(off.body)), /Herinneringen staan uit/);
    assert.equal(await bot!.app.store.reminders.get(GRIET.aadObjectId), null);
    await say(TEAMS.gent, GRIET, 'herinner mij');
    assert.ok(await bot!.app.store.reminders.get(GRIET.aadObjectId));
    assert.match(await say(TEAMS.gent, PEOPLE.an, `wis ${GRIET.aadObjectId}`), /gewist/i);
    assert.equal(await bot!.app.store.reminders.get(GRIET.aadObjectId), null, 'erased');
    assert.deepEqual(await bot!.app.store.deliveries.forQuestion(`remind:${QUESTION.id}`, 'notice'), [], 'no reminder keeps her key');
    assert.match(await say(TEAMS.gent, GRIET, 'mijn gegevens'), /Herinneringen: uit\.[\s\S]*Herinneringen aanzetten$/);
  });

  // Several instances share a store only on PostgreSQL (the embedded store is one process's alone).
  if (kind === 'PostgreSQL') {
    it('with two instances on one store, each member is reminded once', async () => {
      const other = await start();
      try {
        for (const who of [PEOPLE.jan, PEOPLE.lotte, PEOPLE.sofie]) await say(TEAMS.gent, who, 'herinner mij');
        await drive(time, () => Boolean(thread(TEAMS.gent)), 'the question', 60_000);
        time.advanceTo(REMINDER);
        await Promise.all([bot!.app.scheduler.tick(), other.app.scheduler.tick(), bot!.app.poster.deliverDue(), other.app.poster.deliverDue()]);
        // Small steps: at a second of injected time per loop a busy machine lets a send's claim (ten minutes) expire in flight, which a real clock never does.
        await drive(time, () => [PEOPLE.jan, PEOPLE.lotte, PEOPLE.sofie].every((p) => reminders(startedChat(p)).length > 0), 'the reminders', 50);
        for (let i = 0; i < 3; i++) await Promise.all([bot!.app.scheduler.tick(), other.app.scheduler.tick(), bot!.app.poster.deliverDue(), other.app.poster.deliverDue()]);
        for (const p of [PEOPLE.jan, PEOPLE.lotte, PEOPLE.sofie]) assert.equal(reminders(startedChat(p)).length, 1, `${p.name}: one reminder`);
      } finally {
        await other.close();
      }
    });
  }
});

/**
 * Colleagues who already did it: on a question whose first option means "we do it already", a
 * member who chose it may let colleagues contact them; members who chose another option see those
 * colleagues (name, RKK, a Teams chat link) on their card. Consent is per question, shown in
 * `mijn gegevens`, withdrawn there or on the card, and gone with an erase. With the connector
 * stand-in (which knows the members' sign-in names) and injected time.
 */
import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { FakeTime, drive } from '../support/clock';
import { describeOnEachStore } from '../support/stores';
import { startTestBot, tempDir, writeQuestions, cardOf, cardText, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, personalMessage, type Person, type Team } from '../support/teams';

const QUESTION = {
  id: 'e-loket-koppeling', text: 'Is jullie e-loket al gekoppeld aan het Mijn Burgerprofiel?',
  kind: 'single', options: ['Ja, het loopt al', 'In uitvoering', 'Nog niet'], experience: [1], theme: 'data', week: '2026-W50',
};
const UPN = { jan: 'jan.claes@gent.example', sofie: 'sofie.maes@kempen.example' };
const ownChat = (who: Person) => `a:1personal-${who.aadObjectId}`;

describeOnEachStore('colleagues who already did it', () => {
  let connector: FakeConnector;
  let time: FakeTime;
  let bot: TestBot | undefined;

  beforeEach(async () => {
    time = new FakeTime('2026-12-07T07:30:00Z'); // Monday of week 50, 8.30 in Brussels: the question goes out at 9.00
    // Lotte's sign-in name is unknown to Teams here: colleagues then see her name without a chat link.
    connector = await FakeConnector.start({
      members: [
        { ...PEOPLE.jan, userPrincipalName: UPN.jan }, { ...PEOPLE.sofie, userPrincipalName: UPN.sofie }, { ...PEOPLE.lotte }, { ...PEOPLE.mathias, userPrincipalName: 'mathias.dubois@gent.example' },
      ],
    });
    const dir = tempDir();
    bot = await startTestBot({ dataDir: dir, clock: time, timers: time, random: () => 0.5, env: { QUESTIONS_FILE: writeQuestions(dir, [QUESTION]) } });
    for (const team of [TEAMS.gent, TEAMS.kempen]) await bot.send(installInTeam(connector.url, team, PEOPLE.an));
    await drive(time, () => [TEAMS.gent, TEAMS.kempen].every((t) => thread(t) !== undefined), 'the question in both RKKs', 60_000);
  });
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
    await connector.close();
  });

  const thread = (team: Team) => connector.threads(team.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text));
  const act = async (team: Team, who: Person, verb: string, data: Record<string, unknown>) =>
    cardOf((await bot!.send(cardAction(connector.url, team, thread(team)!.conversationId, who, answerValue(QUESTION.id, { lang: 'nl', ...data }, verb)))).body);
  const answer = (team: Team, who: Person, data: Record<string, unknown>) => act(team, who, 'kk.answer', data);
  const look = (team: Team, who: Person) => act(team, who, 'kk.refresh', {});
  const myData = async (who: Person) => {
    await bot!.send(personalMessage(connector.url, who, 'mijn gegevens'));
    return connector.conversation(ownChat(who)).at(-1)!.attachments![0]!.content as Record<string, unknown>;
  };
  const colleagues = (card: unknown) => /Collega's die het al doen\nZij kozen “Ja, het loopt al” en willen er graag over vertellen:\n([\s\S]*?)(\nAntwoord wijzigen|$)/.exec(cardText(card))?.[1]?.split('\n').filter((l) => !l.includes('Chatten')) ?? [];

  it('shows the colleagues who said yes to those who chose another option, with a chat link; revoked, changed or erased, they are gone', async () => {
    // The shared card offers the consent, naming the option it is for.
    const shared = cardText(thread(TEAMS.gent)!.root!.attachments);
    assert.match(shared, /Collega's mogen me hierover contacteren\nfalse\nGeldt als je “Ja, het loopt al” kiest\. Collega's die iets anders kozen, zien dan je naam en kenniskring/);

    // Jan does it already and says yes; Sofie does it too but says nothing (the toggle starts off).
    const jan = await answer(TEAMS.gent, PEOPLE.jan, { choice: '1', contact: 'true' });
    assert.match(cardText(jan), /Collega's die hier nog mee moeten beginnen, zien je naam en kenniskring en mogen je hierover contacteren\.\nContact intrekken/);
    const sofie = await answer(TEAMS.kempen, PEOPLE.sofie, { choice: '1', contact: 'false' });
    assert.match(cardText(sofie), /Wil je collega's helpen die hier nog mee moeten beginnen\? Laat hen je contacteren[\s\S]*Contact toestaan/);
    // Mathias ticks the box but chose another option: nothing is kept.
    await answer(TEAMS.gent, PEOPLE.mathias, { choice: '2', contact: 'true' });
    assert.equal((await bot!.app.store.answers.get(QUESTION.id, PEOPLE.mathias.aadObjectId))!.contact, false);

    // Lotte has not started: she sees Jan, with a link to chat with him (his sign-in name, asked of Teams), and not Sofie.
    let lotte = await answer(TEAMS.gent, PEOPLE.lotte, { choice: '3' });
    assert.deepEqual(colleagues(lotte), ['Jan Claes (RKK Gent-Eeklo)']);
    const link = /https:\/\/teams\.microsoft\.com\/l\/chat\/0\/0\?users=([^&"]+)&message=([^"]+)/.exec(JSON.stringify(lotte));
    assert.ok(link, 'a chat link');
    assert.equal(decodeURIComponent(link[1]!), UPN.jan);
    assert.match(decodeURIComponent(link[2]!), /^Hallo! Via Kenniskring zag ik dat jullie hier al ervaring mee hebben: "Is jullie e-loket al gekoppeld/);
    // Mathias (another option) sees Jan too; Jan, who chose the experience option, sees no list.
    assert.deepEqual(colleagues(await look(TEAMS.gent, PEOPLE.mathias)), ['Jan Claes (RKK Gent-Eeklo)']);
    assert.doesNotMatch(cardText(await look(TEAMS.gent, PEOPLE.jan)), /Collega's die het al doen/);

    // Sofie says yes on her card: Lotte now sees both, her own RKK first.
    assert.match(cardText(await act(TEAMS.kempen, PEOPLE.sofie, 'kk.contact', { on: 'true' })), /zien je naam en kenniskring en mogen je hierover contacteren\.\nContact intrekken/);
    lotte = await look(TEAMS.gent, PEOPLE.lotte);
    assert.deepEqual(colleagues(lotte), ['Jan Claes (RKK Gent-Eeklo)', 'Sofie Maes (RKK Kempen)']);
    assert.ok(JSON.stringify(lotte).includes(encodeURIComponent(UPN.sofie)));
    // From the blank shared card a second answer keeps an earlier yes, as it keeps a comment.
    await answer(TEAMS.kempen, PEOPLE.sofie, { choice: '1', contact: 'false' });
    assert.equal((await bot!.app.store.answers.get(QUESTION.id, PEOPLE.sofie.aadObjectId))!.contact, true);

    // Jan sees his consent in mijn gegevens and withdraws it there.
    const data = await myData(PEOPLE.jan);
    assert.match(cardText(data), /Collega's mogen je contacteren\nIs jullie e-loket al gekoppeld aan het Mijn Burgerprofiel\?\n→ Ja, het loopt al/);
    const withdraw = JSON.stringify(data).includes('"verb":"kk.contactMyData"');
    assert.ok(withdraw, 'a button to withdraw it');
    const after = cardOf((await bot!.send(cardAction(connector.url, null, ownChat(PEOPLE.jan), PEOPLE.jan, answerValue(QUESTION.id, { lang: 'nl', on: false }, 'kk.contactMyData')))).body);
    assert.doesNotMatch(cardText(after), /Collega's mogen je contacteren/);
    assert.deepEqual(colleagues(await look(TEAMS.gent, PEOPLE.lotte)), ['Sofie Maes (RKK Kempen)']);
    assert.match(cardText(await look(TEAMS.gent, PEOPLE.jan)), /Contact toestaan/, 'his card offers it again');

    // An administrator erases Sofie: nobody is left to contact.
    await bot!.send(personalMessage(connector.url, PEOPLE.an, `wis ${PEOPLE.sofie.aadObjectId}`));
    assert.match(cardText(await look(TEAMS.gent, PEOPLE.lotte)), /Nog niemand die “Ja, het loopt al” koos, liet weten dat je hen mag contacteren\./);

    // Jan says yes again, then changes his answer in the prefilled form: with the option, the consent goes.
    await act(TEAMS.gent, PEOPLE.jan, 'kk.contact', { on: true });
    assert.deepEqual(colleagues(await look(TEAMS.gent, PEOPLE.lotte)), ['Jan Claes (RKK Gent-Eeklo)']);
    await answer(TEAMS.gent, PEOPLE.jan, { choice: '2', contact: 'true', editing: '1' });
    assert.equal((await bot!.app.store.answers.get(QUESTION.id, PEOPLE.jan.aadObjectId))!.contact, false);
    assert.match(cardText(await look(TEAMS.gent, PEOPLE.lotte)), /Nog niemand die/);
  });

  it('names a colleague whose sign-in name Teams does not give, without a link; a consent without an experience answer changes nothing', async () => {
    await answer(TEAMS.gent, PEOPLE.lotte, { choice: '1', contact: 'true' });
    const jan = await answer(TEAMS.gent, PEOPLE.jan, { choice: '3' });
    assert.deepEqual(colleagues(jan), ['Lotte Willems (RKK Gent-Eeklo)']);
    assert.doesNotMatch(JSON.stringify(jan), /l\/chat/);
    // Jan asks to be contacted while his answer is "Nog niet": refused quietly, his card says where he stands.
    assert.doesNotMatch(cardText(await act(TEAMS.gent, PEOPLE.jan, 'kk.contact', { on: true })), /mogen je hierover contacteren/);
    assert.equal((await bot!.app.store.answers.get(QUESTION.id, PEOPLE.jan.aadObjectId))!.contact, false);
    // Mathias, who never answered, asks the same: nothing is stored, he gets the question form.
    assert.match(cardText(await act(TEAMS.gent, PEOPLE.mathias, 'kk.contact', { on: true })), /Antwoord versturen/);
    assert.equal(await bot!.app.store.answers.get(QUESTION.id, PEOPLE.mathias.aadObjectId), null);
  });

  it('offers nothing on an anonymous question, even one whose option was marked as experience', async () => {
    // The file, SharePoint and plan refuse such a question; stored all the same, it still offers no contact.
    const open = (await bot!.app.store.questions.get(QUESTION.id))!;
    const anonymous = { ...open, id: 'anoniem-e-loket', anonymous: true, week: null, queueOrder: 99 };
    await bot!.app.store.questions.insert(anonymous, time.now());
    const on = (who: Person, data: Record<string, unknown>) =>
      bot!.send(cardAction(connector.url, TEAMS.gent, thread(TEAMS.gent)!.conversationId, who, answerValue(anonymous.id, { lang: 'nl', ...data }, 'kk.answer')));
    const jan = cardOf((await on(PEOPLE.jan, { choice: '1', contact: 'true' })).body);
    assert.match(cardText(jan), /Je antwoord is genoteerd/);
    assert.doesNotMatch(cardText(jan), /contacteren|Contact toestaan|Contact intrekken/);
    const lotte = cardOf((await on(PEOPLE.lotte, { choice: '3' })).body);
    assert.doesNotMatch(cardText(lotte), /Collega's die het al doen|Jan Claes/);
    assert.deepEqual((await bot!.app.store.answers.forQuestion(anonymous.id)).map((a) => [a.member.name, a.contact, a.contactUpn]), [['', false, null], ['', false, null]]);
  });
});

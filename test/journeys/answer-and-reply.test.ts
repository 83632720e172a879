import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { FakeTime } from '../support/clock';
import { describeOnEachStore } from '../support/stores';
import { startTestBot, tempDir, writeQuestions, cardOf, cardText, type TestBot } from '../support/bot';
import {
  PEOPLE, TEAMS, installInTeam, cardAction, answerValue, threadReply, messageEdited, messageDeleted, messageRestored, mentionCommand, personalMessage,
  type Person,
} from '../support/teams';
import { confirmed } from '../support/confirm';

const QUESTION = {
  id: 'digital-officer-managementteam',
  text: 'Zit er in jullie managementteam iemand die digitale transformatie trekt (digital officer of CIO)?',
  kind: 'single',
  options: ['Ja, een digital officer of CIO', 'Ja, de ICT-verantwoordelijke schuift aan', 'Nee, maar het staat op de agenda', 'Nee'],
  theme: 'strategie',
  week: '2026-W48',
};
const MULTI = {
  id: 'e-inclusie-initiatieven', text: 'Welke initiatieven rond e-inclusie lopen er in jullie gemeente?', kind: 'multiple',
  options: ['Digipunt', 'Workshops', 'Hulp aan het loket', 'Geen'], theme: 'e-inclusie', week: '2026-W49',
};

describeOnEachStore('journeys 3–4: members answer the card and reply in the thread', () => {
  let connector: FakeConnector;
  let time: FakeTime;
  let bot: TestBot;
  let thread: string;

  const answer = (who: Person, data: Record<string, unknown>, verb = 'kk.answer', questionId = QUESTION.id) =>
    bot.send(cardAction(connector.url, TEAMS.gent, thread, who, answerValue(questionId, data, verb)));

  beforeEach(async () => {
    time = new FakeTime('2026-11-23T08:00:00Z'); // Monday of week 48, 09:00 in Brussels
    connector = await FakeConnector.start();
    const dir = tempDir();
    bot = await startTestBot({ dataDir: dir, clock: time, timers: time, env: { QUESTIONS_FILE: writeQuestions(dir, [QUESTION, MULTI]) } });
    time.advanceTo('2026-11-23T07:00:00Z' < time.now().toISOString() ? time.now() : '2026-11-23T07:00:00Z');
    // Register the RKK before the slot by installing, then post the question as an admin would.
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
    const res = await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    assert.equal(res.status, 200);
    const threads = connector.threads(TEAMS.gent.id).filter((t) => cardText(t.root?.attachments).includes(QUESTION.text));
    assert.equal(threads.length, 1);
    thread = threads[0]!.conversationId;
  });
  afterEach(async () => {
    await bot.close();
    await connector.close();
  });

  it('three members answer, one changes their answer: one answer each, correct tally, a card for each', async () => {
    const r1 = await answer(PEOPLE.an, { choice: '1', comment: 'Sinds vorig jaar, rapporteert aan de algemeen directeur.' });
    assert.equal(r1.status, 200);
    const card1 = cardOf(r1.body);
    assert.match(cardText(card1), /Je antwoord is genoteerd/);
    assert.match(cardText(card1), /Ja, een digital officer of CIO/);
    assert.match(cardText(card1), /1 \(100%\)/);
    assert.ok(JSON.stringify(card1).includes('kk.edit'), 'a way to change the answer');

    await answer(PEOPLE.jan, { choice: '3' });
    await answer(PEOPLE.sofie, { choice: '3' });
    const changed = await answer(PEOPLE.jan, { choice: '2', comment: 'Toch wel: onze ICT-coördinator zit erbij.' });
    const text = cardText(cardOf(changed.body));
    assert.match(text, /Ja, de ICT-verantwoordelijke schuift aan/);
    assert.match(text, /3 antwoorden, 2 toelichtingen/);

    const answers = await bot.app.store.answers.forQuestion(QUESTION.id);
    assert.equal(answers.length, 3);
    const byName = Object.fromEntries(answers.map((a) => [a.member.name, a]));
    assert.deepEqual(byName['Jan Claes']!.choices, ['2']);
    assert.equal(byName['Jan Claes']!.revision, 2);
    assert.equal(byName['Jan Claes']!.member.key, PEOPLE.jan.aadObjectId, 'keyed by Entra object id');
    const counts = await bot.app.store.answers.counts(QUESTION.id);
    assert.deepEqual([...counts.perOption.entries()].sort(), [['1', 1], ['2', 1], ['3', 1]]);
  });

  it('limits how fast one member can submit: the 11th answer within a minute is refused, the 10th kept', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await answer(PEOPLE.mathias, { choice: String((i % 4) + 1) });
      assert.match(cardText(cardOf(res.body)), /Je antwoord is genoteerd/, `answer ${i + 1}`);
    }
    const refused = await answer(PEOPLE.mathias, { choice: '4' });
    assert.equal(refused.status, 200);
    assert.match(cardText(cardOf(refused.body)), /Je stuurt veel antwoorden kort na elkaar/);
    assert.deepEqual((await bot.app.store.answers.get(QUESTION.id, PEOPLE.mathias.aadObjectId))!.choices, ['2'], 'the 10th answer stays');
    assert.match(cardText(cardOf((await answer(PEOPLE.sofie, { choice: '1' })).body)), /genoteerd/, 'other members are not held up');
    time.advanceBy(60_000);
    assert.match(cardText(cardOf((await answer(PEOPLE.mathias, { choice: '4' })).body)), /genoteerd/, 'a minute later it is fine again');
  });

  it('the edit button returns the form prefilled; a member with English Teams still gets the Dutch question in Dutch', async () => {
    await answer(PEOPLE.lotte, { choice: '4' });
    const edit = await answer(PEOPLE.lotte, {}, 'kk.edit');
    const form = cardOf(edit.body);
    assert.equal(JSON.stringify(form).includes('"value":"4"'), true, 'current choice prefilled');
    assert.match(cardText(form), /Antwoord bijwerken/);
    const en = await bot.send(cardAction(connector.url, TEAMS.gent, thread, PEOPLE.mathias, answerValue(QUESTION.id, { choice: '1' }), 'en-GB'));
    assert.match(cardText(cardOf(en.body)), /Je antwoord is genoteerd/);
    assert.doesNotMatch(cardText(cardOf(en.body)), /Your|answer|colleagues/, 'one language per card');
  });

  it('updates the count on the shared card, coalescing a burst into a few updates', async () => {
    const people = Array.from({ length: 100 }, (_, i) => ({ id: `29:1burst${i}`, aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Collega ${i}` }));
    for (const [i, p] of people.entries()) {
      await answer(p, { choice: String((i % 4) + 1) });
      time.advanceBy(100); // 100 answers in 10 seconds
    }
    time.advanceBy(5_000);
    await bot.app.countUpdater.flush();
    const root = connector.threads(TEAMS.gent.id).find((t) => t.conversationId === thread)!;
    const record = connector.activity(root.rootId)!;
    assert.ok(record.updates >= 1 && record.updates <= 3, `few updates, got ${record.updates}`);
    assert.match(cardText(record.activity.attachments), /100 antwoorden tot nu toe/);
    // Above 60 members Teams refreshes only the members the card names: the latest 60 answerers, each back to their own answer.
    const shared = (record.activity.attachments as { content: { refresh: { userIds?: string[]; action: { verb: string } } } }[])[0]!.content;
    assert.equal(shared.refresh.action.verb, 'kk.refresh');
    assert.deepEqual(shared.refresh.userIds, people.slice(40).reverse().map((p) => p.id), 'the 60 latest answerers, newest first');
  });

  it('keeps an earlier comment when a member answers again from the blank shared card, and says so; an emptied field in the edit form removes it', async () => {
    await answer(PEOPLE.an, { choice: '1', comment: 'Sinds vorig jaar, rapporteert aan de algemeen directeur.' });
    // From the shared card (blank form): a new choice, no comment.
    const again = await answer(PEOPLE.an, { choice: '2' });
    const text = cardText(cardOf(again.body));
    assert.match(text, /Ja, de ICT-verantwoordelijke schuift aan/);
    assert.match(text, /Je toelichting:\s+Sinds vorig jaar/);
    assert.match(text, /Je eerdere toelichting blijft staan/);
    let stored = await bot.app.store.answers.get(QUESTION.id, PEOPLE.an.aadObjectId);
    assert.deepEqual([stored?.choices, stored?.comment], [['2'], 'Sinds vorig jaar, rapporteert aan de algemeen directeur.']);
    // "Antwoord wijzigen": the form comes prefilled, and says it is the member's own.
    const form = cardOf((await answer(PEOPLE.an, {}, 'kk.edit')).body) as { actions: { data: Record<string, string> }[] };
    assert.equal(form.actions[0]!.data.editing, '1');
    assert.ok(JSON.stringify(form).includes('Sinds vorig jaar'), 'the comment prefilled');
    const cleared = await answer(PEOPLE.an, { choice: '2', comment: '', editing: '1' });
    assert.doesNotMatch(cardText(cardOf(cleared.body)), /Je toelichting|blijft staan/);
    stored = await bot.app.store.answers.get(QUESTION.id, PEOPLE.an.aadObjectId);
    assert.equal(stored?.comment, null, 'cleared on purpose');
  });

  it('refuses answers after the question closed, with a card that says so, storing nothing', async () => {
    await answer(PEOPLE.an, { choice: '1' });
    const closeRes = await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'sluit', { conversationId: thread });
    assert.equal(closeRes.status, 200);
    const results = connector.threads(TEAMS.gent.id).find((t) => t.conversationId === thread)!.replies
      .filter((r) => cardText(r.attachments).includes('Resultaten van de vraag van de week'));
    assert.equal(results.length, 1, 'results card posted in the thread');
    const late = await answer(PEOPLE.jan, { choice: '2' });
    assert.equal(late.status, 200);
    assert.match(cardText(cardOf(late.body)), /Deze vraag is gesloten/);
    assert.equal((await bot.app.store.answers.forQuestion(QUESTION.id)).length, 1);
  });

  it('validates the answer against the kind: options, one choice, required input, comment length', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ choice: '9' }, /hoort niet bij deze vraag/],
      [{ choice: '1,2' }, /kies je één antwoord/],
      [{}, /Kies eerst een antwoord/],
      [{ choice: '1', comment: 'x'.repeat(2001) }, /hoogstens 2.000 tekens/],
    ];
    for (const [data, message] of cases) {
      const res = await answer(PEOPLE.an, data);
      assert.equal(res.status, 200);
      assert.match(cardText(cardOf(res.body)), message);
    }
    const multi = await bot.send(cardAction(connector.url, null, 'a:1personal', PEOPLE.an, answerValue(MULTI.id, { choice: '1' })));
    assert.match(cardText(cardOf(multi.body)), /nog niet open/);
    assert.equal((await bot.app.store.answers.forQuestion(QUESTION.id)).length, 0);
  });

  it('stores thread replies as comments, follows edits and deletions, ignores the bot and other threads', async () => {
    await bot.send(threadReply(connector.url, TEAMS.gent, thread, PEOPLE.jan, '<p>Bij ons zit de <b>ICT-coördinator</b> sinds 2024 in het MT.</p>', '1795000000001'));
    await bot.send(threadReply(connector.url, TEAMS.gent, thread, PEOPLE.sofie, 'Interessant! Hoe hebben jullie dat geregeld?', '1795000000002'));
    await bot.send(threadReply(connector.url, TEAMS.gent, `${TEAMS.gent.id};messageid=1700000000000`, PEOPLE.sofie, 'Ander onderwerp', '1795000000003'));
    const fromBot = threadReply(connector.url, TEAMS.gent, thread, PEOPLE.an, 'echo', '1795000000004');
    fromBot.from = { id: fromBot.recipient!.id, name: 'Kenniskring' };
    await bot.send(fromBot);
    // Teams may redeliver: the same message id is stored once.
    await bot.send(threadReply(connector.url, TEAMS.gent, thread, PEOPLE.sofie, 'Interessant! Hoe hebben jullie dat geregeld?', '1795000000002'));

    let comments = await bot.app.store.comments.forQuestion(QUESTION.id);
    assert.deepEqual(comments.map((c) => [c.authorName, c.text]), [
      ['Jan Claes', 'Bij ons zit de ICT-coördinator sinds 2024 in het MT.'],
      ['Sofie Maes', 'Interessant! Hoe hebben jullie dat geregeld?'],
    ]);
    assert.equal(comments[0]!.rkkId, TEAMS.gent.id);
    assert.equal(comments[0]!.authorKey, PEOPLE.jan.aadObjectId);

    await bot.send(messageEdited(connector.url, TEAMS.gent, thread, PEOPLE.jan, '1795000000001', 'Bij ons zit de ICT-coördinator sinds 2023 in het MT.'));
    await bot.send(messageDeleted(connector.url, TEAMS.gent, thread, PEOPLE.sofie, '1795000000002'));
    comments = await bot.app.store.comments.forQuestion(QUESTION.id);
    assert.deepEqual(comments.map((c) => c.text), ['Bij ons zit de ICT-coördinator sinds 2023 in het MT.']);
    assert.ok(comments[0]!.editedAt);
    const deleted = (await bot.app.store.comments.forQuestion(QUESTION.id, { includeDeleted: true })).find((c) => c.messageId === '1795000000002');
    assert.ok(deleted?.deletedAt, 'a deleted reply is marked, not erased');
    // "Undo" in Teams brings it back.
    await bot.send(messageRestored(connector.url, TEAMS.gent, thread, PEOPLE.sofie, '1795000000002', 'Interessant! Hoe hebben jullie dat geregeld?'));
    comments = await bot.app.store.comments.forQuestion(QUESTION.id);
    assert.deepEqual(comments.map((c) => [c.authorName, c.text]), [
      ['Jan Claes', 'Bij ons zit de ICT-coördinator sinds 2023 in het MT.'],
      ['Sofie Maes', 'Interessant! Hoe hebben jullie dat geregeld?'],
    ], 'a restored reply counts again');
  });

  it('a reply in the thread that mentions the bot is a comment without the mention, unless it is a command', async () => {
    const mention = { ...mentionCommand(connector.url, TEAMS.gent, PEOPLE.lotte, 'bij ons loopt dit via de intercommunale, vraag het <at>Jan Claes</at>.', thread), id: '1795000000501' };
    mention.entities = [...mention.entities!, { type: 'mention', mentioned: { id: PEOPLE.jan.id, name: PEOPLE.jan.name }, text: '<at>Jan Claes</at>' }];
    await bot.send(mention);
    await bot.send(mentionCommand(connector.url, TEAMS.gent, PEOPLE.lotte, 'resultaten', thread));
    let comments = await bot.app.store.comments.forQuestion(QUESTION.id);
    assert.deepEqual(comments.map((c) => [c.authorName, c.text]), [['Lotte Willems', 'bij ons loopt dit via de intercommunale, vraag het Jan Claes.']],
      'the bot\'s mention is gone, a colleague\'s stays as a name');
    // Teams' edit events carry the new text, here without mention entities: the bot's name still goes.
    await bot.send(messageEdited(connector.url, TEAMS.gent, thread, PEOPLE.lotte, '1795000000501', '<at>Kenniskring</at> bij ons loopt dit via de intercommunale Farys.'));
    comments = await bot.app.store.comments.forQuestion(QUESTION.id);
    assert.deepEqual(comments.map((c) => c.text), ['bij ons loopt dit via de intercommunale Farys.']);
    const inThread = connector.threads(TEAMS.gent.id).flatMap((t) => [t.root, ...t.replies]).map((a) => cardText(a?.attachments));
    assert.ok(inThread.some((t) => t.startsWith('Resultaten van de vraag van de week')), 'the command was answered');
    assert.ok(!inThread.some((t) => /ken ik niet/.test(t)), 'no "unknown command" for the comment');
  });

  it('mijn gegevens shows a member everything stored about them, and nothing of others', async () => {
    await answer(PEOPLE.jan, { choice: '2', comment: 'Onze ICT-coördinator schuift aan.' });
    await answer(PEOPLE.sofie, { choice: '4' });
    await bot.send(threadReply(connector.url, TEAMS.gent, thread, PEOPLE.jan, 'Bij ons sinds 2024.', '1795000000901'));
    await bot.send(personalMessage(connector.url, PEOPLE.jan, 'mijn gegevens'));
    const card = cardText(connector.conversation(`a:1personal-${PEOPLE.jan.aadObjectId}`).at(-1)!.attachments);
    assert.match(card, /Mijn gegevens in Kenniskring/);
    assert.match(card, /1 antwoord en 1 reactie/);
    assert.match(card, /Zit er in jullie managementteam[\s\S]*→ Ja, de ICT-verantwoordelijke schuift aan/);
    assert.match(card, /Toelichting: Onze ICT-coördinator schuift aan\./);
    assert.match(card, /Bij ons sinds 2024\./);
    assert.doesNotMatch(card, /Sofie|Nee\b/, 'nothing of another member');
    await bot.send(personalMessage(connector.url, PEOPLE.lotte, 'my data', 'en-GB'));
    assert.match(cardText(connector.conversation(`a:1personal-${PEOPLE.lotte.aadObjectId}`).at(-1)!.attachments), /Nothing is stored about you/);
  });

  it('refuses admin commands to a non-admin, politely, and changes nothing', async () => {
    const before = (await bot.app.store.deliveries.forQuestion(QUESTION.id, 'results')).length;
    for (const cmd of ['sluit', 'close', 'publiceer', 'plan', 'vragen', `wis ${PEOPLE.jan.aadObjectId}`]) {
      const res = await bot.send(mentionCommand(connector.url, TEAMS.gent, PEOPLE.sofie, cmd));
      assert.equal(res.status, 200);
    }
    const replies = connector.conversation(TEAMS.gent.id).filter((a) => /voorbehouden aan de (beheerders|moderatoren)|for (V-ICT-OR administrators|the moderators)/.test(cardText(a.attachments)));
    assert.equal(replies.length, 6, 'each command refused, in the language it was typed in');
    assert.equal((await bot.app.store.questions.get(QUESTION.id))!.closedAt, null);
    assert.equal((await bot.app.store.deliveries.forQuestion(QUESTION.id, 'results')).length, before);
  });

  it('answers member commands in a personal chat, in Dutch or English', async () => {
    await bot.send(personalMessage(connector.url, PEOPLE.jan, 'hulp'));
    await bot.send(personalMessage(connector.url, PEOPLE.jan, 'results'));
    await bot.send(personalMessage(connector.url, PEOPLE.jan, 'vraag'));
    const chat = connector.conversation(`a:1personal-${PEOPLE.jan.aadObjectId}`);
    assert.equal(chat.length, 3);
    assert.match(cardText(chat[0]!.attachments), /Wat kan Kenniskring\?/);
    assert.doesNotMatch(cardText(chat[0]!.attachments), /publiceer/, 'no admin commands in a member\'s help');
    assert.match(cardText(chat[1]!.attachments), /Results of the question of the week/);
    assert.match(cardText(chat[2]!.attachments), /digital officer of CIO/);
  });
});

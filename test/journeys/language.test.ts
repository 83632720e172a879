import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { FakeTime } from '../support/clock';
import { describeOnEachStore } from '../support/stores';
import { startTestBot, tempDir, writeQuestions, cardOf, cardText, eventually, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam, installPersonal, cardAction, answerValue, mentionCommand, personalMessage } from '../support/teams';
import { confirmed } from '../support/confirm';

/** A Dutch question, and one that also carries an English text (options in the same order). */
const DUTCH_ONLY = {
  id: 'digital-officer-managementteam',
  text: 'Zit er in jullie managementteam iemand die digitale transformatie trekt?',
  kind: 'single', options: ['Ja', 'Nee, maar het staat op de agenda', 'Nee'], theme: 'strategie', week: '2026-W48',
};
const BILINGUAL = {
  id: 'magda-documentendienst',
  text: 'Hoe ver staat jullie bestuur met de MAGDA-documentendienst?',
  kind: 'single', options: ['We gebruiken ze al', 'Aangevraagd', 'Nog niet'], theme: 'data', week: '2026-W49',
  en: { text: 'How far along is your council with the MAGDA document service?', options: ['We already use it', 'Applied for', 'Not yet'] },
};

/** Words of the English chrome of our cards: none may appear on a Dutch card. */
const ENGLISH_CHROME = /\b(Your|answer|answers|comment|Question of the week|How|colleagues|recorded|Change)\b/;
const DUTCH_CHROME = /\b(Jouw|antwoord|antwoorden|toelichting|Vraag van de week|Zo antwoordt|genoteerd|wijzigen)\b/;

describeOnEachStore('one language per card: the RKK\'s language, English where the content is', () => {
  let connector: FakeConnector;
  let time: FakeTime;
  let bot: TestBot;

  const threadOf = (text: string) => connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes(text))!;

  beforeEach(async () => {
    time = new FakeTime('2026-11-23T07:00:00Z'); // Monday of week 48, before the 09:00 slot
    connector = await FakeConnector.start();
    const dir = tempDir();
    bot = await startTestBot({ dataDir: dir, clock: time, timers: time, env: { QUESTIONS_FILE: writeQuestions(dir, [DUTCH_ONLY, BILINGUAL]) } });
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
  });
  afterEach(async () => {
    await bot.close();
    await connector.close();
  });

  it('a member with English Teams answers a Dutch question in a Dutch RKK: every card is Dutch', async () => {
    await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    const thread = threadOf(DUTCH_ONLY.text);
    const answered = cardText(cardOf((await bot.send(cardAction(connector.url, TEAMS.gent, thread.conversationId, PEOPLE.jan,
      answerValue(DUTCH_ONLY.id, { choice: '2', comment: 'We zoeken nog.', lang: 'nl' }), 'en-US'))).body));
    assert.match(answered, /Je antwoord is genoteerd/);
    assert.doesNotMatch(answered, ENGLISH_CHROME);
    const edit = cardText(cardOf((await bot.send(cardAction(connector.url, TEAMS.gent, thread.conversationId, PEOPLE.jan,
      answerValue(DUTCH_ONLY.id, { lang: 'nl' }, 'kk.edit'), 'en-US'))).body));
    assert.match(edit, /Antwoord bijwerken/);
    assert.doesNotMatch(edit, ENGLISH_CHROME);
    // An unknown word in a Dutch RKK: said in Dutch, whatever the client.
    await bot.send({ ...mentionCommand(connector.url, TEAMS.gent, PEOPLE.jan, 'stemming'), locale: 'en-US' });
    const reply = connector.threads(TEAMS.gent.id).flatMap((t) => t.replies).map((a) => cardText(a.attachments)).find((t) => t.includes('stemming'))!;
    assert.match(reply, /Die opdracht ken ik niet/);
  });

  it('where the question has an English text, a member with English Teams gets it all in English, a Dutch member all in Dutch', async () => {
    time.advanceTo('2026-11-30T08:30:00Z'); // week 49, after its slot
    await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    const thread = threadOf(BILINGUAL.text);
    assert.doesNotMatch(cardText(thread.root!.attachments), ENGLISH_CHROME, 'the channel card is in the RKK\'s language');
    const english = cardText(cardOf((await bot.send(cardAction(connector.url, TEAMS.gent, thread.conversationId, PEOPLE.jan,
      answerValue(BILINGUAL.id, { choice: '1', lang: 'nl' }), 'en-US'))).body));
    assert.match(english, /Your answer has been recorded\nWe already use it/);
    assert.match(english, /How far along is your council with the MAGDA document service\?/);
    assert.doesNotMatch(english, DUTCH_CHROME);
    assert.doesNotMatch(english, /We gebruiken ze al|Hoe ver staat/, 'the English text, not the Dutch one');
    const dutch = cardText(cardOf((await bot.send(cardAction(connector.url, TEAMS.gent, thread.conversationId, PEOPLE.lotte,
      answerValue(BILINGUAL.id, { choice: '1', lang: 'nl' }), 'nl-BE'))).body));
    assert.match(dutch, /Je antwoord is genoteerd\nWe gebruiken ze al/);
    assert.match(dutch, /We gebruiken ze al\n█{10}\n2 \(100%\)/, 'one tally: both answers count for the same option');
    assert.doesNotMatch(dutch, ENGLISH_CHROME);
  });

  it('the typed word decides a command\'s language; the personal greeting is Dutch and says how to get English', async () => {
    await bot.send(installPersonal(connector.url, PEOPLE.jan));
    const chat = () => connector.conversation(`a:1personal-${PEOPLE.jan.aadObjectId}`).map((a) => cardText(a.attachments));
    assert.match(chat()[0]!, /^Hallo! Ik ben Kenniskring/);
    assert.match(chat()[0]!, /English\? Type help\./);
    await bot.send(personalMessage(connector.url, PEOPLE.jan, 'help', 'nl-BE'));
    assert.match(chat().at(-1)!, /^What can Kenniskring do\?/);
    await bot.send(personalMessage(connector.url, PEOPLE.jan, 'hulp', 'en-US'));
    assert.match(chat().at(-1)!, /^Wat kan Kenniskring\?/);
    assert.doesNotMatch(chat().at(-1)!, /\bmoderator <id>|\bwis <id>/, 'a member does not see the administrators\' commands');
  });

  it('natural input gets a friendly Dutch answer: greetings, thanks, emoji, the question asked in words, a mistyped command', async () => {
    await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    const say = async (text: string) => {
      const before = connector.threads(TEAMS.gent.id).flatMap((t) => t.replies).length;
      await bot.send({ ...mentionCommand(connector.url, TEAMS.gent, PEOPLE.jan, text), locale: 'en-US' });
      const replies = connector.threads(TEAMS.gent.id).flatMap((t) => t.replies);
      assert.equal(replies.length, before + 1, `one answer to "${text}"`);
      return cardText(replies.at(-1)!.attachments);
    };
    assert.match(await say('hallo'), /^Hallo! 👋[^]*Typ \*\*vraag\*\*/);
    assert.match(await say('Goedemorgen allemaal'), /^Hallo! 👋/);
    assert.match(await say('bedankt!'), /^Graag gedaan!/);
    assert.match(await say('👍'), /^Graag gedaan!/);
    const asked = await say('wat is de vraag van deze week?');
    assert.match(asked, new RegExp(DUTCH_ONLY.text.replace(/\?/g, '\\?')), 'the question itself');
    assert.match(await say('resultatn'), /Bedoel je \*\*resultaten\*\*\?/);
    const unknown = await say('stemming');
    assert.match(unknown, /Die opdracht ken ik niet/);
    assert.doesNotMatch(unknown, /Bedoel je/, 'no far-fetched guess');
    for (const t of [await say('hallo'), unknown]) assert.doesNotMatch(t, ENGLISH_CHROME);
  });

  it('a moderator sets the RKK to English: the next posts, count updates and results are English; members may not', async () => {
    const refused = await bot.send(mentionCommand(connector.url, TEAMS.gent, PEOPLE.jan, 'taal en'));
    assert.equal(refused.status, 200);
    assert.equal((await bot.app.store.rkks.get(TEAMS.gent.id))!.lang, 'nl', 'a member cannot change it');
    await bot.send(mentionCommand(connector.url, TEAMS.gent, PEOPLE.an, 'taal en'));
    assert.equal((await bot.app.store.rkks.get(TEAMS.gent.id))!.lang, 'en');
    const said = connector.threads(TEAMS.gent.id).flatMap((t) => t.replies).map((a) => cardText(a.attachments)).find((t) => /Taal van de kenniskring/.test(t));
    assert.match(said!, /RKK Gent-Eeklo gebruikt voortaan het Engels/, 'answered in the language the command was typed in');
    assert.equal((await bot.app.store.audit.recent())[0]!.action, 'taal');

    await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'post');
    const thread = threadOf(DUTCH_ONLY.text);
    assert.match(cardText(thread.root!.attachments), /\nQuestion of the week\n/);
    const answered = cardText(cardOf((await bot.send(cardAction(connector.url, TEAMS.gent, thread.conversationId, PEOPLE.jan,
      answerValue(DUTCH_ONLY.id, { choice: '1', lang: 'en' }), 'en-GB'))).body));
    assert.match(answered, /Your answer has been recorded/, 'the card the member clicked was English');
    assert.doesNotMatch(answered, DUTCH_CHROME);
    // A Dutch member on that English card: the question exists in Dutch, so their own card is all Dutch.
    const dutch = cardText(cardOf((await bot.send(cardAction(connector.url, TEAMS.gent, thread.conversationId, PEOPLE.lotte,
      answerValue(DUTCH_ONLY.id, { choice: '2', lang: 'en' }), 'nl-BE'))).body));
    assert.match(dutch, /Je antwoord is genoteerd/);
    assert.doesNotMatch(dutch, ENGLISH_CHROME);
    time.advanceBy(5_000);
    await bot.app.countUpdater.flush();
    const updated = connector.activity(thread.rootId)!;
    assert.ok(updated.updates >= 1, 'the count on the shared card was updated');
    assert.match(cardText(updated.activity.attachments), /2 answers so far\./, 'in the RKK\'s language');
    await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'close');
    const results = connector.threads(TEAMS.gent.id).find((t) => t.conversationId === thread.conversationId)!.replies
      .map((a) => cardText(a.attachments)).find((t) => t.startsWith('Results of the question of the week'));
    assert.ok(results, 'the results card is English');
    assert.doesNotMatch(results!, DUTCH_CHROME);
  });
});

describeOnEachStore('explanations are shown: on the member card while open, on the results card once closed', () => {
  let connector: FakeConnector;
  let time: FakeTime;
  let bot: TestBot;
  const ANONYMOUS = { ...DUTCH_ONLY, id: 'anoniem-budget', text: 'Hoeveel procent van jullie ICT-budget gaat naar nieuwe projecten?', anonymous: true };

  const threadOf = (text: string) => connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes(text))!;
  const act = (who: typeof PEOPLE.jan, thread: string, questionId: string, data: Record<string, unknown>, verb = 'kk.answer') =>
    bot.send(cardAction(connector.url, TEAMS.gent, thread, who, answerValue(questionId, { lang: 'nl', ...data }, verb)));

  for (const q of [DUTCH_ONLY, ANONYMOUS]) {
    it(`${q === ANONYMOUS ? 'anonymous: texts without names' : 'names and texts'}, for those who answered; all on the closed results card`, async () => {
      time = new FakeTime('2026-11-23T07:00:00Z');
      connector = await FakeConnector.start();
      const dir = tempDir();
      bot = await startTestBot({ dataDir: dir, clock: time, timers: time, env: { QUESTIONS_FILE: writeQuestions(dir, [q]) } });
      try {
        await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
        await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
        const thread = threadOf(q.text).conversationId;
        const form = cardText(threadOf(q.text).root!.attachments);
        assert.match(form, q === ANONYMOUS ? /zichtbaar voor de leden van je kenniskring, zonder je naam/ : /zichtbaar voor de leden van je kenniskring, met je naam/);

        // Sofie has not answered: she is asked to answer first.
        const early = cardText(cardOf((await act(PEOPLE.sofie, thread, q.id, {}, 'kk.comments')).body));
        assert.match(early, /Geef eerst zelf je antwoord/);
        await act(PEOPLE.jan, thread, q.id, { choice: '1', comment: 'Bij ons trekt de algemeen directeur het.' });
        time.advanceBy(60_000);
        await act(PEOPLE.lotte, thread, q.id, { choice: '2', comment: 'We zoeken nog <b>iemand</b>.' });
        const answered = cardOf((await act(PEOPLE.sofie, thread, q.id, { choice: '3' })).body);
        assert.match(JSON.stringify(answered), /"verb":"kk.comments"/, 'the member card offers the explanations');
        const list = cardText(cardOf((await act(PEOPLE.sofie, thread, q.id, {}, 'kk.comments')).body));
        assert.match(list, /Toelichtingen in RKK Gent-Eeklo/);
        assert.match(list, /We zoeken nog <b>iemand<\/b>\./, `shown literally: ${list}`);
        assert.match(list, /Bij ons trekt de algemeen directeur het\./);
        if (q === ANONYMOUS) assert.doesNotMatch(list, /Jan Claes|Lotte Willems/);
        else assert.match(list, /Lotte Willems\nWe zoeken nog <b>iemand<\/b>\.\nJan Claes\nBij ons trekt/, 'newest first, each under its author');

        await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'sluit');
        const results = connector.threads(TEAMS.gent.id).find((t) => t.conversationId === thread)!.replies
          .map((a) => cardText(a.attachments)).find((t) => t.startsWith('Resultaten van de vraag van de week'))!;
        assert.match(results, /Toelichtingen in RKK Gent-Eeklo/);
        assert.match(results, /Bij ons trekt de algemeen directeur het\./);
        if (q === ANONYMOUS) assert.doesNotMatch(results, /Jan Claes|Lotte Willems/);
        else assert.match(results, /Jan Claes\nBij ons trekt/);
        if (q === ANONYMOUS) return; // a closed anonymous answer is tied to nobody: there is no one to erase it for

        // Jan's data is erased: the results reply and the closed poll in the thread no longer show his explanation or his answer.
        await bot.send(mentionCommand(connector.url, TEAMS.gent, PEOPLE.an, `wis ${PEOPLE.jan.aadObjectId}`));
        const shown = () => {
          const t = connector.threads(TEAMS.gent.id).find((x) => x.conversationId === thread)!;
          return { root: cardText(t.root!.attachments), reply: t.replies.map((a) => cardText(a.attachments)).find((x) => x.startsWith('Resultaten van de vraag van de week'))! };
        };
        const after = await eventually(() => { const v = shown(); return /Jan Claes/.test(v.reply) ? null : v; }, 'the results reply is updated');
        for (const text of [after.reply, after.root]) {
          assert.doesNotMatch(text, /Jan Claes|Bij ons trekt de algemeen directeur/);
          assert.match(text, /2 antwoorden/);
        }
        assert.match(after.reply, /Lotte Willems\nWe zoeken nog/, 'the other explanations stay');
        assert.match(after.root, /De toelichtingen van collega's staan bij de resultaten hieronder in deze draad\./, 'the closed poll leaves them to the reply');
        assert.doesNotMatch(after.root, /We zoeken nog/);
        assert.equal(connector.threads(TEAMS.gent.id).find((x) => x.conversationId === thread)!.replies
          .filter((a) => cardText(a.attachments).startsWith('Resultaten van de vraag van de week')).length, 1, 'updated in place, not posted again');
      } finally {
        await bot.close();
        await connector.close();
      }
    });
  }
});

import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { startTestBot, cardText, tempDir, writeQuestions, type TestBot } from '../support/bot';
import { describeOnEachStore } from '../support/stores';
import { PEOPLE, TEAMS, installInTeam, botAddedToTeam, installPersonal } from '../support/teams';
import { confirmed } from '../support/confirm';

describeOnEachStore('journey 1: the app is added to an RKK team', () => {
  let connector: FakeConnector;
  let bot: TestBot;

  beforeEach(async () => {
    connector = await FakeConnector.start();
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
    await connector.close();
  });

  it('registers the team as an RKK and greets once in Dutch, in the channel', async () => {
    const res = await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
    assert.equal(res.status, 200);
    // Teams also sends conversationUpdate(membersAdded: bot) for the same install.
    await bot.send(botAddedToTeam(connector.url, TEAMS.gent, PEOPLE.an));

    const threads = connector.threads(TEAMS.gent.id);
    assert.equal(threads.length, 1, 'one greeting thread');
    const text = cardText(threads[0]!.root!.attachments);
    assert.match(text, /Hallo! Ik ben Kenniskring/);
    assert.match(text, /vraag van de week\*\* voor RKK Gent-Eeklo/);

    const rkk = await bot.app.store.rkks.get(TEAMS.gent.id);
    assert.ok(rkk);
    assert.equal(rkk.name, 'RKK Gent-Eeklo');
    assert.equal(rkk.channelId, TEAMS.gent.id);
    assert.equal(rkk.tenantId, '5f0c3a2e-8d41-4b7e-9c1a-2e6f0b9d7a11');
    assert.equal(rkk.serviceUrl, connector.url);
    assert.equal(rkk.active, true);
    assert.equal(rkk.greeting, 'sent');
  });

  it('follows the team to another Bot Connector endpoint when its activities come from there', async () => {
    await bot.close();
    const dir = tempDir();
    const question = { id: 'digitale-toegankelijkheid', text: 'Hebben jullie een toegankelijkheidsverklaring voor elke website?', kind: 'single', options: ['Ja', 'Nee'], theme: 'e-inclusie' };
    bot = await startTestBot({ dataDir: dir, env: { QUESTIONS_FILE: writeQuestions(dir, [question]) } });
    const moved = await FakeConnector.start();
    try {
      await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
      // Later, Teams serves the team from another region's endpoint.
      await confirmed((a) => bot.send(a), moved, TEAMS.gent, PEOPLE.an, 'publiceer');
      // The question's own thread (not the reply to the command, which names the question too).
      const posted = (c: FakeConnector) => c.threads(TEAMS.gent.id).some((t) => { const text = cardText(t.root?.attachments); return text.includes(question.text) && !text.includes('Vraag gepost'); });
      assert.ok(posted(moved), 'the post went to the new endpoint');
      assert.ok(!posted(connector), 'not to the old one');
      assert.equal((await bot.app.store.rkks.get(TEAMS.gent.id))?.serviceUrl, moved.url);
    } finally {
      await moved.close();
    }
  });

  it('does not greet again on re-install, upgrade or after a restart', async () => {
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.jan, 'add-upgrade'));
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an, 'remove'));
    assert.equal((await bot.app.store.rkks.get(TEAMS.gent.id))!.active, false, 'uninstall marks the RKK inactive');
    await bot.close();
    bot = await startTestBot({ dataDir: bot.dataDir });
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
    assert.equal(connector.threads(TEAMS.gent.id).length, 1, 'still the one greeting');
    const rkk = (await bot.app.store.rkks.get(TEAMS.gent.id))!;
    assert.equal(rkk.active, true, 're-install reactivates');
  });

  it('keeps the RKK and its name when the app is removed, and greets a new team separately', async () => {
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
    assert.ok(await bot.app.store.rkks.rename(TEAMS.gent.id, 'RKK Meetjesland', new Date()));
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an, 'remove'));
    await bot.send(installInTeam(connector.url, TEAMS.kempen, PEOPLE.jan));
    const all = await bot.app.store.rkks.list();
    assert.deepEqual(all.map((r) => [r.name, r.active]), [['RKK Kempen', true], ['RKK Meetjesland', false]]);
    assert.equal(connector.threads(TEAMS.kempen.id).length, 1);
  });

  it('welcomes a member once in a personal chat', async () => {
    await bot.send(installPersonal(connector.url, PEOPLE.sofie));
    await bot.send(installPersonal(connector.url, PEOPLE.sofie));
    const chat = connector.conversation(`a:1personal-${PEOPLE.sofie.aadObjectId}`);
    assert.equal(chat.length, 1);
    assert.match(cardText(chat[0]!.attachments), /Typ \*\*vraag\*\* of \*\*hulp\*\*/);
  });

  it('greets in the channel picked at install, where the posts go, also when the install event comes from General', async () => {
    const chosen = '19:5e1ec7edc4a77e1c0ffee@thread.tacv2';
    const installation = installInTeam(connector.url, TEAMS.kempen, PEOPLE.an);
    (installation.channelData as Record<string, unknown>).settings = { selectedChannel: { id: chosen } };
    installation.conversation!.id = TEAMS.kempen.id; // the event itself arrives in General
    await bot.send(installation);
    assert.equal((await bot.app.store.rkks.get(TEAMS.kempen.id))?.channelId, chosen);
    assert.equal(connector.threads(chosen).length, 1, 'the greeting in the chosen channel');
    assert.match(cardText(connector.threads(chosen)[0]!.root!.attachments), /Hallo! Ik ben Kenniskring/);
    assert.equal(connector.threads(TEAMS.kempen.id).length, 0, 'nothing in General');
  });

  it('posts in the channel picked at install, whatever order the install events arrive in', async () => {
    const chosen = '19:c0ffee5e1ec7ed4c4a77e1@thread.tacv2';
    const conversationUpdate = botAddedToTeam(connector.url, TEAMS.westhoek, PEOPLE.an);
    conversationUpdate.conversation!.id = chosen; // Teams: the event's conversation is the channel
    delete (conversationUpdate.channelData as { channel?: unknown }).channel;
    const installation = installInTeam(connector.url, TEAMS.westhoek, PEOPLE.an);
    (installation.channelData as Record<string, unknown>).settings = { selectedChannel: { id: chosen } };
    (installation.channelData as Record<string, unknown>).channel = { id: chosen };
    installation.conversation!.id = chosen;
    await bot.send(installation);
    await bot.send(conversationUpdate);
    const rkk = (await bot.app.store.rkks.get(TEAMS.westhoek.id))!;
    assert.equal(rkk.channelId, chosen);
    assert.equal((rkk.conversationRef as { conversation: { id: string } }).conversation.id, chosen);
    assert.equal(connector.threads(chosen).length, 1, 'greeting in the chosen channel');
    assert.equal(connector.threads(TEAMS.westhoek.id).length, 0, 'nothing in General');
  });
});

import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { FakeTime, drive } from '../support/clock';
import { describeOnEachStore } from '../support/stores';
import { startTestBot, tempDir, writeQuestions, cardOf, cardText, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, mentionCommand, threadReply, type Person, type Team } from '../support/teams';
import { confirmed } from '../support/confirm';
import { startSharePoint, items, LIST_NAMES, type SharePointStandIns } from '../support/sharepoint';

const QUESTION = {
  id: 'magda-documentendienst',
  text: 'Hoe ver staat jullie bestuur met de MAGDA-documentendienst?',
  kind: 'single', options: ['We gebruiken ze al', 'Aangevraagd', 'Nog niet'], theme: 'data', week: '2026-W48',
};
const member = (team: Team, i: number): Person => ({
  id: `29:1digest-${team.name.slice(4, 8)}-${i}`, aadObjectId: `00000000-0000-4000-9000-${String(team.name.length * 100 + i).padStart(12, '0')}`,
  name: `${team.name.slice(4)} ${i}`,
});
/** Per RKK, the choices of its members: Gent and Kempen are over the floor of 5, Westhoek and Limburg under it. */
const ANSWERS: [Team, string[]][] = [
  [TEAMS.gent, ['1', '1', '1', '1', '2', '2']],
  [TEAMS.kempen, ['1', '2', '3', '3', '3']],
  [TEAMS.westhoek, ['3', '3']],
  [TEAMS.limburg, ['2']],
];
const DIGEST = 'Zo antwoordden de andere regio\'s';
/** Explanations some members give, by "<RKK> <index>". */
const EXPLAINED: Record<string, string> = {
  'RKK Kempen 1': 'We koppelen het e-loket aan MAGDA sinds de zomer.',
  'RKK Kempen 2': 'Nog geen tijd gehad om het aan te vragen.',
  'RKK Kempen 3': 'Ons MAGDA-team zit bij de intercommunale.',
  'RKK Kempen 4': 'Het staat op de planning voor volgend jaar.',
  'RKK Gent-Eeklo 0': 'Via de softwareleverancier.',
};

describeOnEachStore('across regions: the digest of what the other regions answered', () => {
  let connector: FakeConnector;
  let time: FakeTime;
  let bot: TestBot | null = null;
  let dir: string;
  let sp: SharePointStandIns;

  const start = async (questions: unknown[] = [QUESTION]) => {
    bot = await startTestBot({ dataDir: dir, clock: time, timers: time, random: () => 0.5, env: { ...sp.env, QUESTIONS_FILE: writeQuestions(dir, questions) } });
  };
  const threadOf = (team: Team) => connector.threads(team.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text))!;
  const digests = (team: Team) => threadOf(team).replies.map((a) => cardText(a.attachments)).filter((t) => t.startsWith(DIGEST));
  const at = async (iso: string) => { time.advanceTo(iso); await bot!.app.scheduler.tick(); };

  beforeEach(async () => {
    time = new FakeTime('2026-11-23T07:00:00Z'); // Monday of week 48, before the 09:00 slot
    connector = await FakeConnector.start();
    sp = await startSharePoint();
    dir = tempDir();
    await start();
    for (const [team] of ANSWERS) await bot!.send(installInTeam(connector.url, team, PEOPLE.an));
  });
  afterEach(async () => {
    await bot?.close();
    bot = null;
    await connector.close();
    await sp.close();
  });

  it('a day after the close, each thread gets one digest: its RKK beside the others and Flanders, small groups folded, also across a restart', async () => {
    await confirmed((a) => bot!.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    for (const [team, choices] of ANSWERS) {
      for (const [i, choice] of choices.entries()) {
        const comment = EXPLAINED[`${team.name} ${i}`];
        await bot!.send(cardAction(connector.url, team, threadOf(team).conversationId, member(team, i), answerValue(QUESTION.id, { choice, ...(comment ? { comment } : {}) })));
      }
    }
    await confirmed((a) => bot!.send(a), connector, TEAMS.gent, PEOPLE.an, 'sluit');
    for (const [team] of ANSWERS) assert.deepEqual(digests(team), [], `no digest in ${team.name} at the close: moderators look at the results first`);

    // Kempen's results offer "Uitlichten"; An (an administrator) picks explanations for the other regions.
    const kempen = threadOf(TEAMS.kempen);
    const resultsReply = kempen.replies.find((a) => cardText(a.attachments).startsWith('Resultaten van de vraag van de week'))!;
    const button = JSON.stringify(resultsReply.attachments);
    assert.match(button, /"verb":"kk.highlightPick"/);
    const act = (who: Person, verb: string, data: Record<string, unknown> = {}) =>
      bot!.send(cardAction(connector.url, TEAMS.kempen, kempen.conversationId, who, answerValue(QUESTION.id, { lang: 'nl', ...data }, verb)));
    const refused = cardText(cardOf((await act(member(TEAMS.kempen, 0), 'kk.highlightPick')).body));
    assert.match(refused, /Dit kan een moderator van deze kenniskring of een beheerder van V-ICT-OR\./, 'a member cannot highlight');
    const pick = cardOf((await act(PEOPLE.an, 'kk.highlightPick')).body);
    assert.match(cardText(pick), /Kies tot 3 toelichtingen uit jullie kenniskring\. De andere regio's lezen ze in het overzicht van dinsdag 24 november, 8\.00 uur\./);
    const choices = (pick.body as { id?: string; choices?: { title: string; value: string }[] }[]).find((b) => b.id === 'highlights')!.choices!;
    assert.deepEqual(choices.map((c) => c.title).sort(), Object.entries(EXPLAINED).filter(([k]) => k.startsWith('RKK Kempen')).map(([k, v]) => `${k.slice(4)}: ${v}`).sort());
    const keys = choices.map((c) => c.value);
    const tooMany = cardText(cardOf((await act(PEOPLE.an, 'kk.highlight', { highlights: keys.join(',') })).body));
    assert.match(tooMany, /Kies er hoogstens 3\./, 'four is one too many: nothing saved');
    assert.deepEqual(await bot!.app.store.answers.highlights(QUESTION.id), []);
    const chosen = choices.filter((c) => /e-loket|MAGDA-team/.test(c.title)).map((c) => c.value);
    const saved = cardText(cardOf((await act(PEOPLE.an, 'kk.highlight', { highlights: chosen.join(',') })).body));
    assert.match(saved, /2 toelichtingen gaan mee in het overzicht voor de andere regio's\./);
    // SharePoint's answer items say which explanations were highlighted.
    for (let i = 0; i < 200 && (await bot!.app.store.outbox.pendingCount()) > 0; i++) { time.advanceBy(1000); await new Promise((r) => setTimeout(r, 5)); }
    const highlighted = items(sp.graph, LIST_NAMES.answers).filter((f) => f.Uitgelicht === true).map((f) => f.Toelichting).sort();
    assert.deepEqual(highlighted, [EXPLAINED['RKK Kempen 3'], EXPLAINED['RKK Kempen 1']].sort());

    await at('2026-11-24T06:59:00Z');
    for (const [team] of ANSWERS) assert.deepEqual(digests(team), [], `not yet in ${team.name}`);
    // The bot restarts between the close and the digest: what it owes is in the store.
    await bot!.close();
    time.advanceTo('2026-11-24T07:00:00Z'); // the close was at 07:00 UTC on Monday
    await start();
    await at('2026-11-24T07:05:00Z'); // 24 h after the close (Monday 07:05 UTC + a day)
    for (const [team] of ANSWERS) assert.equal(digests(team).length, 1, `one digest in ${team.name}`);

    const gent = digests(TEAMS.gent)[0]!;
    assert.match(gent, /De vraag liep in 4 kenniskringen\./);
    assert.match(gent, /RKK Gent-Eeklo \(jullie\)\n6 antwoorden\nWe gebruiken ze al 67% · Aangevraagd 33% · Nog niet 0%/);
    assert.match(gent, /RKK Kempen\n5 antwoorden\nWe gebruiken ze al 20% · Aangevraagd 20% · Nog niet 60%/);
    assert.match(gent, /2 andere regio's samen\n3 antwoorden\nTe weinig antwoorden om de verdeling te tonen \(minder dan 5\)\./);
    assert.match(gent, /Heel Vlaanderen\n14 antwoorden\nWe gebruiken ze al 36% · Aangevraagd 29% · Nog niet 36%/);
    assert.doesNotMatch(gent, /RKK Westhoek|RKK Limburg/, 'a region under the floor is never named with its answers');
    assert.match(gent, /Uitgelicht uit andere regio's\n/);
    assert.match(gent, /We koppelen het e-loket aan MAGDA sinds de zomer\.\nKempen 1, RKK Kempen/);
    assert.match(gent, /Ons MAGDA-team zit bij de intercommunale\.\nKempen 3, RKK Kempen/);
    assert.doesNotMatch(gent, /Nog geen tijd gehad/, 'only what was highlighted');
    assert.doesNotMatch(digests(TEAMS.kempen)[0]!, /Uitgelicht/, 'an RKK does not get its own highlights back');

    const westhoek = digests(TEAMS.westhoek)[0]!;
    assert.match(westhoek, /RKK Westhoek \(jullie\)\n2 antwoorden\nWe gebruiken ze al 0% · Aangevraagd 0% · Nog niet 100%/, 'its own tally, whatever its size');
    assert.match(westhoek, /RKK Gent-Eeklo\n6 antwoorden[\s\S]*RKK Kempen\n5 antwoorden/, 'most answers first');
    assert.match(westhoek, /Een andere regio\n1 antwoord\nTe weinig antwoorden/);
    assert.ok(westhoek.indexOf('RKK Westhoek (jullie)') < westhoek.indexOf('RKK Gent-Eeklo'), 'its own RKK first');

    const late = cardText(cardOf((await act(PEOPLE.an, 'kk.highlightPick')).body));
    assert.match(late, /Het overzicht voor de andere regio's is al verstuurd/);
    await at('2026-11-25T07:05:00Z');
    for (const [team] of ANSWERS) assert.equal(digests(team).length, 1, `still one digest in ${team.name}`);
    assert.deepEqual((await bot!.app.store.deliveries.forQuestion(QUESTION.id, 'digest')).map((d) => d.state), ['sent', 'sent', 'sent', 'sent']);
  });

  it('no digest for a question that ran in one RKK', async () => {
    await bot!.close();
    await start([{ ...QUESTION, targets: [TEAMS.kempen.name] }]);
    await confirmed((a) => bot!.send(a), connector, TEAMS.kempen, PEOPLE.an, 'publiceer');
    await confirmed((a) => bot!.send(a), connector, TEAMS.kempen, PEOPLE.an, 'sluit');
    await at('2026-11-25T07:05:00Z');
    assert.equal(threadOf(TEAMS.kempen).replies.filter((a) => cardText(a.attachments).startsWith('Resultaten')).length, 1, 'the results, as always');
    assert.equal(threadOf(TEAMS.gent), undefined, 'not posted elsewhere');
    assert.deepEqual(digests(TEAMS.kempen), []);
  });

  it('RKK Overkoepelend: an administrator marks the team; a question for all RKKs skips it, one that names it reaches it', async () => {
    const reply = (team: Team) => cardText(connector.conversation(team.id).at(-1)?.attachments) || String(connector.conversation(team.id).at(-1)?.text ?? '');
    await bot!.send(mentionCommand(connector.url, TEAMS.limburg, member(TEAMS.limburg, 0), 'overkoepelend'));
    assert.match(reply(TEAMS.limburg), /voorbehouden aan de beheerders van V-ICT-OR/, 'members cannot');
    await bot!.send(mentionCommand(connector.url, TEAMS.limburg, PEOPLE.an, 'overkoepelend'));
    assert.match(reply(TEAMS.limburg), /RKK Limburg is nu het overkoepelende team\. Een vraag voor alle kenniskringen komt hier niet meer/);
    await confirmed((a) => bot!.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    for (const team of [TEAMS.gent, TEAMS.kempen, TEAMS.westhoek]) assert.ok(threadOf(team), `posted in ${team.name}`);
    assert.equal(threadOf(TEAMS.limburg), undefined, 'not in RKK Overkoepelend');

    await bot!.send(mentionCommand(connector.url, TEAMS.limburg, PEOPLE.an, 'overkoepelend uit'));
    assert.match(reply(TEAMS.limburg), /RKK Limburg is weer een gewone kenniskring/);
    await bot!.send(mentionCommand(connector.url, TEAMS.limburg, PEOPLE.an, 'overkoepelend'));
    await bot!.close();
    await start([{ ...QUESTION, id: 'voor-overkoepelend', text: 'Welke vraag willen jullie aan alle regio\'s stellen?', week: '2026-W49', targets: [TEAMS.limburg.name] }, QUESTION]);
    await at('2026-11-30T08:00:00Z');
    const named = connector.threads(TEAMS.limburg.id).find((t) => cardText(t.root?.attachments).includes('aan alle regio\'s stellen'));
    assert.ok(named, 'a question that names it reaches it');
    assert.equal(connector.threads(TEAMS.gent.id).filter((t) => cardText(t.root?.attachments).includes('aan alle regio\'s stellen')).length, 0);
    assert.deepEqual((await bot!.app.store.audit.recent(10)).filter((e) => e.action === 'overkoepelend').map((e) => e.details), ['aan', 'uit', 'aan'].reverse());
  });

  it('once a week RKK Overkoepelend gets the recurring themes: a term written in three RKKs, with the evidence, once, also after a restart', async () => {
    await bot!.send(mentionCommand(connector.url, TEAMS.limburg, PEOPLE.an, 'overkoepelend'));
    await confirmed((a) => bot!.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    const replies: [Team, string][] = [
      [TEAMS.gent, 'Ons e-loket haalt de attesten al rechtstreeks op.'],
      [TEAMS.gent, 'Het Omgevingsloket is bij ons nog een apart verhaal.'],
      [TEAMS.kempen, 'Wie heeft de e-loketten al gekoppeld aan het zaaksysteem?'],
      [TEAMS.kempen, 'Ook het omgevingsloket wil ik koppelen.'],
      [TEAMS.westhoek, 'Bij ons loopt de aanbesteding voor een nieuw e-loket.'],
    ];
    for (const [i, [team, text]] of replies.entries()) {
      await bot!.send(threadReply(connector.url, team, threadOf(team).conversationId, member(team, i), text, `17960000000${i}`));
    }
    const themesCards = () => connector.threads(TEAMS.limburg.id).filter((t) => cardText(t.root?.attachments).startsWith('Terugkerende thema\'s'));
    await at('2026-11-23T07:59:00Z');
    assert.equal(themesCards().length, 0, 'not before the weekly slot');
    await at('2026-11-23T08:00:00Z'); // Monday 09:00 in Brussels
    assert.equal(themesCards().length, 1);
    const card = cardText(themesCards()[0]!.root!.attachments);
    assert.match(card, /Deze onderwerpen kwamen de voorbije 8 weken terug in minstens 3 kenniskringen/);
    assert.match(card, /e-loket\nIn RKK Gent-Eeklo, RKK Kempen, RKK Westhoek · Datahuishouding en gegevensdeling/);
    assert.match(card, /Ons e-loket haalt de attesten al rechtstreeks op\.\nRKK Gent-Eeklo, bij "Hoe ver staat jullie bestuur/);
    assert.match(JSON.stringify(themesCards()[0]!.root!.attachments), /https:\/\/teams\.microsoft\.com\/l\/message\/19%3A/, 'a link to the thread');
    assert.doesNotMatch(card, /mgevingsloket\n/, 'a term in two RKKs is not a theme');
    await bot!.close();
    await start();
    await at('2026-11-23T09:00:00Z');
    assert.equal(themesCards().length, 1, 'one card a week, across a restart');
    assert.equal(connector.threads(TEAMS.gent.id).filter((t) => cardText(t.root?.attachments).startsWith('Terugkerende')).length, 0, 'only in RKK Overkoepelend');
    // SharePoint keeps each theme of the week's card, once.
    await drive(time, async () => (await bot!.app.store.outbox.pendingCount()) === 0, 'the outbox to drain');
    const themes = items(sp.graph, LIST_NAMES.themes);
    assert.deepEqual(themes.map((t) => [t.Title, t.Week, t.RKKs]), [['e-loket', '2026-W48', 'RKK Gent-Eeklo, RKK Kempen, RKK Westhoek']]);
    assert.equal(themes[0]!.Sleutel, '2026-W48|e-loket');
    assert.match(themes[0]!.Voorbeelden, /RKK Gent-Eeklo, bij "Hoe ver staat jullie bestuur met de MAGDA-documentendienst\?": Ons e-loket haalt de attesten al rechtstreeks op\./);
    assert.equal(themes[0]!.Bouwstenen, 'Datahuishouding en gegevensdeling');
  });
});

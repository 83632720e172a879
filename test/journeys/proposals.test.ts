/**
 * Proposed questions (`stel voor`): a member proposes, the RKK's moderators (or the administrators)
 * approve or reject, the proposer hears it, and an approved question goes out naming them.
 * With the connector stand-in and injected time.
 */
import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { FakeTime, drive } from '../support/clock';
import { describeOnEachStore } from '../support/stores';
import { startTestBot, tempDir, writeQuestions, cardOf, cardText, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, mentionCommand, personalMessage, type Person, type Team } from '../support/teams';
import { confirmed } from '../support/confirm';
import { noticeId } from '../../bot/src/domain/notice';

/** A personal chat the bot started: the connector names it after the id it was started with. */
const startedChat = (connector: FakeConnector, id: string) => connector.conversation(`a:1${Buffer.from(id).toString('base64url')}`).map((a) => cardText(a.attachments));
/** The question file has one question, for a later week: this week's comes from the queue. */
const LATER = { id: 'later', text: 'Hoe ver staat jullie bestuur met de documentendienst?', kind: 'single', options: ['Ver', 'Niet ver'], theme: 'data', week: '2027-W10' };
const TEXT = 'Werken jullie al met één e-loket voor alle diensten van de gemeente?';
const form = (over: Record<string, unknown> = {}) => ({ lang: 'nl', text: TEXT, kind: 'single', option1: 'Ja', option2: 'Gedeeltelijk', option3: 'Nog niet', theme: 'strategie', showName: 'true', ...over });

describeOnEachStore('proposed questions', () => {
  let connector: FakeConnector;
  let time: FakeTime;
  let bot: TestBot | undefined;

  beforeEach(async () => {
    time = new FakeTime('2026-12-02T10:00:00Z'); // a Wednesday: the week's question is out
    connector = await FakeConnector.start();
    const dir = tempDir();
    bot = await startTestBot({ dataDir: dir, clock: time, timers: time, random: () => 0.5, env: { QUESTIONS_FILE: writeQuestions(dir, [LATER]) } });
    for (const team of [TEAMS.gent, TEAMS.kempen]) await bot!.send(installInTeam(connector.url, team, PEOPLE.an));
  });
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
    await connector.close();
  });

  const say = async (team: Team, who: Person, text: string) => {
    assert.equal((await bot!.send(mentionCommand(connector.url, team, who, text))).status, 200);
    return cardText(connector.conversation(team.id).at(-1)?.attachments);
  };
  const submit = async (team: Team, who: Person, data: Record<string, unknown>) =>
    cardText(cardOf((await bot!.send(cardAction(connector.url, team, team.id, who, answerValue('', data, 'kk.propose')))).body));
  const decide = async (who: Person, verb: 'kk.proposalApprove' | 'kk.proposalReject', proposalId: string, data: Record<string, unknown> = {}) =>
    cardText(cardOf((await bot!.send(cardAction(connector.url, null, `a:1${Buffer.from(who.aadObjectId).toString('base64url')}`, who, answerValue('', { lang: 'nl', proposalId, ...data }, verb)))).body));

  it('approved by the RKK\'s moderator, edited: the proposer hears it, the question joins that RKK\'s queue and goes out naming them', async () => {
    await say(TEAMS.gent, PEOPLE.an, `moderator ${PEOPLE.sofie.aadObjectId}`);
    assert.match(await say(TEAMS.gent, PEOPLE.jan, 'stel voor'), /^Een vraag voorstellen\nHeb je een vraag voor je collega's\?[\s\S]*Mijn naam mag bij de vraag staan/);
    assert.doesNotMatch(await say(TEAMS.gent, PEOPLE.jan, 'stel voor'), /Week waarin de vraag uitgaat|Anonieme vraag/, 'no settings only moderators choose');

    assert.match(await submit(TEAMS.gent, PEOPLE.jan, form({ option2: '', option3: '' })), /Nog niet alles is in orde[\s\S]*Een keuzevraag heeft 2 tot 10 opties|Nog niet alles is in orde/);
    assert.equal((await bot!.app.store.proposals.pending(null)).length, 0, 'an invalid form stores nothing');
    assert.match(await submit(TEAMS.gent, PEOPLE.jan, form()), new RegExp(`Een vraag voorstellen\\n${TEXT.replace(/\?/g, '\\?')}\\nBedankt! Je voorstel voor RKK Gent-Eeklo gaat naar de moderatoren van je kenniskring\\.`));
    assert.match(await submit(TEAMS.gent, PEOPLE.jan, form()), /Bedankt!/, 'sent twice');
    const [proposal, ...more] = await bot!.app.store.proposals.pending(null);
    assert.equal(more.length, 0, 'one proposal');

    // Sofie, the moderator, gets the approval card; An (an administrator) is not bothered.
    await drive(time, () => startedChat(connector, PEOPLE.sofie.aadObjectId).length === 1, 'the approval card');
    await drive(time, async () => (await bot!.app.store.deliveries.forQuestion(noticeId('proposal', proposal!.id), 'notice')).every((d) => d.state === 'sent'), 'the approval card recorded as sent');
    assert.match(startedChat(connector, PEOPLE.sofie.aadObjectId)[0]!, /^Voorgestelde vraag: goedkeuren\?\nVoorgesteld door Jan Claes \(RKK Gent-Eeklo\) · woensdag 2 december, 11\.00 uur\nEén keuze: Ja · Gedeeltelijk · Nog niet — Strategie en samenwerking/);
    assert.equal(startedChat(connector, PEOPLE.an.aadObjectId).length, 0);
    assert.match(await decide(PEOPLE.lotte, 'kk.proposalApprove', proposal!.id), /Alleen de moderatoren van deze kenniskring/);
    assert.match(await decide(PEOPLE.sofie, 'kk.proposalReject', proposal!.id, { reason: 'nee' }), /Geef een reden van minstens 5 tekens om af te wijzen\./);
    const edited = 'Werken jullie al met één e-loket voor alle diensten?';
    assert.match(await decide(PEOPLE.sofie, 'kk.proposalApprove', proposal!.id, { text: edited }), /Goedgekeurd door Sofie[^:]*: de vraag staat in de wachtrij\./);
    assert.match(await decide(PEOPLE.an, 'kk.proposalReject', proposal!.id, { reason: 'Toch maar niet.' }), /Goedgekeurd door Sofie/, 'decided once');

    const jan = () => startedChat(connector, PEOPLE.jan.id);
    await drive(time, () => jan().length === 1, 'the outcome for Jan');
    assert.match(jan()[0]!, new RegExp(`^Je voorgestelde vraag\\n${edited.replace(/\?/g, '\\?')}\\nGoedgekeurd: je vraag staat in de wachtrij`));
    const questionId = (await bot!.app.store.proposals.get(proposal!.id))!.questionId!;
    const q = (await bot!.app.store.questions.get(questionId))!;
    assert.deepEqual([q.text, q.targets, q.source, q.options.map((o) => o.label)], [edited, [TEAMS.gent.id], 'proposal', ['Ja', 'Gedeeltelijk', 'Nog niet']]);

    // This week has no question of its own: the queue's first goes out (or Sofie posts it). The thread in RKK Gent-Eeklo names Jan; RKK Kempen does not get it.
    const posted = () => connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes(edited));
    await bot!.app.scheduler.tick();
    if (!posted()) await confirmed((a) => bot!.send(a), connector, TEAMS.gent, PEOPLE.sofie, 'publiceer');
    await drive(time, () => Boolean(posted()), 'the proposed question in its thread');
    const thread = posted();
    assert.ok(thread, 'posted in Gent');
    assert.match(cardText(thread.root!.attachments), /Voorgesteld door Jan Claes \(RKK Gent-Eeklo\)/);
    assert.equal(connector.threads(TEAMS.kempen.id).filter((t) => cardText(t.root?.attachments).includes(edited)).length, 0);

    // mijn gegevens lists it; an erase takes Jan's name off the question.
    await bot!.send(personalMessage(connector.url, PEOPLE.jan, 'mijn gegevens'));
    assert.match(cardText(connector.conversation(`a:1personal-${PEOPLE.jan.aadObjectId}`).at(-1)?.attachments), /Je voorgestelde vraag · woensdag 2 december, 11\.00 uur \(goedgekeurd\)/);
    await bot!.send(personalMessage(connector.url, PEOPLE.an, `wis ${PEOPLE.jan.aadObjectId}`));
    assert.equal(await bot!.app.store.proposals.get(proposal!.id), null);
    const view = await bot!.send(cardAction(connector.url, TEAMS.gent, thread.conversationId, PEOPLE.lotte, answerValue(questionId, { lang: 'nl' }, 'kk.refresh')));
    assert.doesNotMatch(cardText(cardOf(view.body)), /Voorgesteld door/);
    await drive(time, () => !/Voorgesteld door/.test(cardText(posted()!.root!.attachments)), 'the card in the channel without his name', 5_000);
  });

  it('in an RKK without moderators the administrators decide; a rejection with its reason reaches the proposer, and a name they withheld is never shown', async () => {
    assert.match(await submit(TEAMS.kempen, PEOPLE.jan, form({ showName: 'false' })), /gaat naar de beheerders van V-ICT-OR/);
    const [proposal] = await bot!.app.store.proposals.pending(null);
    await drive(time, () => startedChat(connector, PEOPLE.an.aadObjectId).length === 1, 'the approval card for the administrator');
    // An reads it, then decides (a decision while it is still being sent: the next test).
    await drive(time, async () => (await bot!.app.store.deliveries.forQuestion(noticeId('proposal', proposal!.id), 'notice')).every((d) => d.state === 'sent'), 'the approval card recorded as sent');
    assert.match(startedChat(connector, PEOPLE.an.aadObjectId)[0]!, /De indiener wil niet bij naam genoemd worden op de vraag\./);
    assert.match(await decide(PEOPLE.an, 'kk.proposalReject', proposal!.id, { reason: 'Die vraag liep vorige maand al.' }), /Afgewezen door An Peeters: Die vraag liep vorige maand al\./);
    const jan = () => startedChat(connector, PEOPLE.jan.id);
    await drive(time, () => jan().length === 1, 'the outcome for Jan');
    assert.match(jan()[0]!, /^Je voorgestelde vraag\n[\s\S]*Niet opgenomen\. De reden: Die vraag liep vorige maand al\./);
    assert.deepEqual(await bot!.app.store.questions.queued(), []);
    // The administrator's sent card was updated in place to show the decision.
    await drive(time, () => /Afgewezen door An Peeters/.test(startedChat(connector, PEOPLE.an.aadObjectId).at(-1) ?? ''), 'the approval card updated', 1_000);
  });
  it('a decision taken while the approval card is still on its way to Teams: the card is updated to show it once it arrives', async () => {
    const toAn = (r: { op: string; body: unknown }) => r.op === 'createConversation' && JSON.stringify(r.body).includes(PEOPLE.an.aadObjectId);
    const hold = connector.hold(toAn);
    assert.match(await submit(TEAMS.kempen, PEOPLE.jan, form()), /gaat naar de beheerders van V-ICT-OR/);
    const [proposal] = await bot!.app.store.proposals.pending(null);
    await drive(time, () => hold.held === 1, 'the approval card on its way');
    // The decision lands before Teams has answered (An decides from `voorstellen`, or another administrator does).
    assert.match(await decide(PEOPLE.an, 'kk.proposalReject', proposal!.id, { reason: 'Die vraag liep vorige maand al.' }), /Afgewezen door An Peeters/);
    await hold.release();
    const an = () => startedChat(connector, PEOPLE.an.aadObjectId);
    await drive(time, () => /Afgewezen door An Peeters/.test(an().at(-1) ?? ''), 'the approval card updated in place');
    assert.equal(an().length, 1, 'one message, updated: never a second card');
    const delivery = async () => (await bot!.app.store.deliveries.forQuestion(noticeId('proposal', proposal!.id), 'notice'))[0]!;
    await drive(time, async () => (await delivery()).state === 'sent', 'the update recorded as sent');
    const card = await delivery();
    assert.equal(card.renewAfterSend, false, 'nothing more owed');
    const shown = connector.activity(card.messageId!)!;
    assert.match(cardText(shown.history[0]!.attachments), /goedkeuren\?/, 'first as it went out, waiting for a decision');
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../bot/src/config';
import { createLogger } from '../../bot/src/log';
import { startApp, type App } from '../../bot/src/app';
import {
  PLAYGROUND_CONFIG, adaptiveCard, cardText, readPlaygroundConfig, repoRoot, startPlayground,
  type Playground, type PlaygroundUser, type Thread,
} from '../support/playground';

/**
 * The weekly question end to end, with the Microsoft 365 Agents Playground as Teams: the real bot
 * (local mode, temporary store) and the Playground's RKK Gent-Eeklo team from
 * scripts/playground/m365agentsplayground.yml. Everything a member does goes through the
 * Playground's HTTP API; what members see is read back from the Playground's client stream.
 *
 * The steps build on each other (install → post → answer → comment), like the journey itself.
 * The Playground always sends locale "en-US": the cards still speak the RKK's language (Dutch),
 * because the question exists only in Dutch. One language per card.
 */
const QUESTION_ID = 'magda-documentendienst';
const WELCOME = /^Hallo! Ik ben Kenniskring/;

describe('Playground: de vraag van de week in RKK Gent-Eeklo', function () {
  this.timeout(30_000);

  const file = readPlaygroundConfig();
  const bot = file.bot;
  const general = file.team.id; // the General channel's id is the team id
  const an = file.currentUser; // V-ICT-OR administrator in this test
  const member = (name: string): PlaygroundUser => {
    const u = file.users.find((x) => x.name === name);
    if (!u) throw new Error(`${name} is not in ${PLAYGROUND_CONFIG}`);
    return u;
  };
  const jan = member('Jan Claes');
  const sofie = member('Sofie Maes');

  let dataDir: string;
  let app: App;
  let pg: Playground;
  let question: Thread | undefined; // the thread the question was posted in

  const fromBot = (t: Thread) => t.root.from.id === bot.id;
  const greetings = () => pg.threads(general).filter((t) => fromBot(t) && WELCOME.test(cardText(adaptiveCard(t.root))));
  const greetingsSent = () => pg.activities().filter((a) => a.direction === 'fromBot' && WELCOME.test(a.request.body?.summary ?? ''));

  /** What a Teams client does on "Antwoord versturen": the action's data plus the card's inputs. */
  function submit(card: Record<string, any> | undefined, inputs: Record<string, string>) {
    const action = (card?.actions as { type: string; verb?: string; data?: Record<string, unknown> }[] | undefined)
      ?.find((a) => a.type === 'Action.Execute' && a.verb === 'kk.answer');
    assert.ok(action, `the card has an answer button: ${JSON.stringify(card).slice(0, 300)}`);
    return { verb: action.verb!, data: { ...action.data, ...inputs } };
  }

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kk-playground-journey-'));
    const config = loadConfig({
      PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir,
      QUESTIONS_FILE: path.join(repoRoot(), 'bot', 'questions', 'vragen.yaml'),
      KENNISKRING_ADMINS: an.aadObjectId,
      COUNT_UPDATE_DELAY_SECONDS: '0.2',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    });
    app = await startApp({ config, log: createLogger(config.logLevel) });
    pg = await startPlayground({ botEndpoint: `${app.url}/api/messages`, configPath: PLAYGROUND_CONFIG });
  });

  after(async () => {
    try {
      await app?.close(); // first: it flushes pending card updates to the Playground
    } finally {
      await pg?.stop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the Playground runs with the Flemish RKK sample and Teams-like ids', () => {
    assert.equal(pg.config.teams[0]?.name, 'RKK Gent-Eeklo');
    assert.deepEqual(pg.config.teams[0]?.channels.map((c) => c.name), ['General', 'Vraag van de week']);
    assert.equal(pg.config.currentUser.name, 'An Peeters');
    assert.match(pg.config.currentUser.id, /^29:/);
    assert.match(pg.config.bot.id, /^28:/);
    assert.match(general, /^19:.+@thread\.tacv2$/);
  });

  it('the Playground (a client without authentication) listens on loopback only, like the bot in local mode', () => {
    const listening = listeningAddresses(pg.port);
    assert.ok(listening.length > 0, `port ${pg.port} is listening`);
    assert.deepEqual([...new Set(listening)], ['127.0.0.1'], `listening on ${listening.join(', ')}`);
  });

  it('adding the app to the team registers the RKK and greets once in the channel', async () => {
    await pg.install(general);

    const [greeting] = await pg.waitFor(() => greetings().length > 0 && greetings(), 'the greeting in General');
    const text = cardText(adaptiveCard(greeting!.root));
    assert.match(text, /vraag van de week\*\* voor RKK Gent-Eeklo/);
    assert.match(text, /Typ @Kenniskring hulp/);

    const rkks = await app.store.rkks.list();
    assert.equal(rkks.length, 1);
    assert.equal(rkks[0]!.id, file.team.id);
    assert.equal(rkks[0]!.name, 'RKK Gent-Eeklo');
    assert.equal(rkks[0]!.channelId, general);
    assert.equal(rkks[0]!.aadGroupId, file.team.aadGroupId);
    assert.equal(rkks[0]!.greeting, 'sent');

    // Installed again (an upgrade, a re-add): both events come again, nobody is greeted twice.
    await pg.install(general);
    assert.equal(greetingsSent().length, 1, 'the bot sent one greeting in all');
    assert.equal(greetings().length, 1, 'the channel shows one greeting');
    assert.equal((await app.store.rkks.list()).length, 1);
  });

  it('An types "@Kenniskring publiceer" and confirms: the question is a new thread in the channel, one delivery sent', async () => {
    const command = await pg.say(general, 'publiceer', { mentionBot: true });

    // Her command is a post of its own; the bot answers in that thread with what will happen.
    const reply = await pg.waitFor(() => pg.thread(command.conversationId)?.replies.find((m) => m.from.id === bot.id), 'the answer to publiceer');
    const confirm = adaptiveCard(reply);
    assert.match(cardText(confirm), /Deze vraag nu posten\?[\s\S]*Ze gaat meteen naar: RKK Gent-Eeklo\./);
    assert.equal((await app.store.deliveries.forQuestion(QUESTION_ID)).length, 0, 'nothing posted before Bevestigen');
    const button = (confirm?.actions as { verb?: string; data?: Record<string, unknown> }[]).find((x) => x.verb === 'kk.publish')!;
    const done = await pg.execute({ from: an, conversationId: command.conversationId, replyToId: reply.messageId, verb: button.verb!, data: button.data! });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.match(cardText(done.body.value), /Vraag gepost[\s\S]*De vraag staat nu in 1 kenniskring\./);

    const q = await app.store.questions.get(QUESTION_ID);
    assert.ok(q, 'the sample question is in the store');
    question = await pg.waitFor(
      () => pg.threads(general).find((t) => fromBot(t) && cardText(adaptiveCard(t.root)).includes(q.text)),
      'the question posted as a new thread in General',
    );
    assert.equal(question.id, `${general};messageid=${question.root.messageId}`);
    assert.notEqual(question.id, command.conversationId, 'not a reply in the command thread');

    const card = adaptiveCard(question.root);
    const text = cardText(card);
    assert.match(text, /^Vernieuwen\nVraag van de week\nRKK Gent-Eeklo · week \d+ · /);
    assert.match(text, /Nog geen antwoorden: wees de eerste!/);
    const choices = (card!.body as { id?: string; choices?: { title: string; value: string }[] }[]).find((b) => b.id === 'choice')?.choices;
    assert.deepEqual(choices?.map((c) => c.value), ['1', '2', '3', '4', '5']);
    assert.equal(choices?.[1]?.title, 'De aansluiting is aangevraagd of loopt');

    const deliveries = await app.store.deliveries.forQuestion(QUESTION_ID);
    assert.equal(deliveries.length, 1);
    assert.equal(deliveries[0]!.state, 'sent');
    assert.equal(deliveries[0]!.rkkId, file.team.id);
    assert.equal(deliveries[0]!.conversationId, question.id);
    assert.equal(deliveries[0]!.messageId, question.root.messageId);
  });

  it('Jan and An answer on the card: each gets their answer and the tally back', async () => {
    assert.ok(question, 'needs the question posted in the previous step');
    const q = question;
    const card = adaptiveCard(q.root);

    const janComment = 'De aansluiting loopt via onze softwareleverancier; we verwachten ze rond Pasen.';
    const byJan = await pg.execute({ from: jan, conversationId: q.id, replyToId: q.root.messageId, ...submit(card, { choice: '2', comment: janComment }) });
    assert.equal(byJan.status, 200, JSON.stringify(byJan.body));
    assert.equal(byJan.body.type, 'application/vnd.microsoft.card.adaptive');
    const janSees = cardText(byJan.body.value);
    assert.match(janSees, /Je antwoord is genoteerd\nDe aansluiting is aangevraagd of loopt\nJe toelichting: \nDe aansluiting loopt via onze softwareleverancier/);
    assert.match(janSees, /Zo antwoordt RKK Gent-Eeklo/);
    assert.match(janSees, /De aansluiting is aangevraagd of loopt\n█{10}\n1 \(100%\)/);
    assert.match(janSees, /1 antwoord, 1 toelichting\./);
    assert.doesNotMatch(janSees, /\b(Your|answers?|comments?|How)\b/, 'no English chrome for an en-US member');

    const byAn = await pg.execute({ from: an, conversationId: q.id, replyToId: q.root.messageId, ...submit(card, { choice: '1', comment: '' }) });
    assert.equal(byAn.status, 200, JSON.stringify(byAn.body));
    const anSees = cardText(byAn.body.value);
    assert.match(anSees, /Je antwoord is genoteerd\nWe gebruiken de documentendienst al in de praktijk\n/);
    assert.doesNotMatch(anSees, /Je toelichting/);
    assert.match(anSees, /We gebruiken de documentendienst al in de praktijk\n█{5}░{5}\n1 \(50%\)/);
    assert.match(anSees, /De aansluiting is aangevraagd of loopt\n█{5}░{5}\n1 \(50%\)/);
    assert.match(anSees, /2 antwoorden, 1 toelichting\./);

    // What the bot got: the invoke from the card, in the question's thread, as that member.
    const invokes = pg.activities().filter((a) => a.direction === 'toBot' && a.activityName === 'invoke' && a.request.body.conversation.id === q.id);
    assert.deepEqual(invokes.map((a) => a.request.body.from.aadObjectId), [jan.aadObjectId, an.aadObjectId]);
    for (const a of invokes) {
      assert.equal(a.request.body.conversation.id, q.id);
      assert.equal(a.request.body.replyToId, q.root.messageId);
      assert.equal(a.request.body.channelData.team.id, file.team.id);
    }

    const answers = await app.store.answers.forQuestion(QUESTION_ID);
    assert.equal(answers.length, 2);
    const jansAnswer = answers.find((a) => a.member.key === jan.aadObjectId);
    const ansAnswer = answers.find((a) => a.member.key === an.aadObjectId);
    assert.deepEqual(jansAnswer && { who: jansAnswer.member.name, choices: jansAnswer.choices, comment: jansAnswer.comment, rkk: jansAnswer.rkkId },
      { who: 'Jan Claes', choices: ['2'], comment: janComment, rkk: file.team.id });
    assert.deepEqual(ansAnswer && { who: ansAnswer.member.name, choices: ansAnswer.choices, comment: ansAnswer.comment, rkk: ansAnswer.rkkId },
      { who: 'An Peeters', choices: ['1'], comment: null, rkk: file.team.id });

    // Everyone in the channel sees the count on the posted card go up (one update for both answers).
    await pg.waitFor(() => /2 antwoorden tot nu toe\./.test(cardText(adaptiveCard(q.root))), 'the count on the channel card');
    assert.match(cardText(adaptiveCard(q.root)), /\nVraag van de week\n[\s\S]*\nAntwoord versturen$/, 'the channel card stays the Dutch poll');
  });

  it('Sofie replies in the question thread without a mention: a comment on the question', async () => {
    assert.ok(question, 'needs the question posted in the previous step');
    const text = 'Bij ons staat de aansluiting gepland na de zomer. Heeft iemand al ervaring met de koppeling aan het DMS?';
    const repliesBefore = pg.thread(question.id)?.replies.length ?? 0;

    const delivered = await pg.replyInThread({ from: sofie, threadId: question.id, text });
    assert.equal(delivered.response?.statusCode, 200);

    const comments = await pg.waitFor(async () => {
      const c = await app.store.comments.forQuestion(QUESTION_ID);
      return c.length > 0 && c;
    }, 'the comment in the store');
    assert.equal(comments.length, 1);
    assert.equal(comments[0]!.text, text);
    assert.equal(comments[0]!.authorName, 'Sofie Maes');
    assert.equal(comments[0]!.authorKey, sofie.aadObjectId);
    assert.equal(comments[0]!.conversationId, question.id);
    assert.equal(comments[0]!.messageId, delivered.request.body.id);
    assert.equal(comments[0]!.rkkId, file.team.id);
    // The bot handles the turn before it answers the HTTP call; give the UI stream a moment, then look.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(pg.thread(question.id)?.replies.length ?? 0, repliesBefore, 'the bot does not answer a comment in the thread');
  });

  it('An asks all regions in her personal chat and approves it there: the question is a thread in RKK Overkoepelend', async () => {
    await pg.say(general, 'overkoepelend', { mentionBot: true });
    const chat = pg.config.personalChat.id;
    const text = 'Hoe pakken jullie de koppeling van de MAGDA-documentendienst met het DMS aan?';
    await pg.say(chat, `vraag aan alle regio's ${text}`);
    // The approval card reaches the administrator (An herself here) in the personal chat she has with the bot.
    const card = await pg.waitFor(() => pg.activities().find((a) => a.direction === 'fromBot' && a.response?.statusCode !== undefined && a.response.statusCode < 300
      && Array.isArray(a.request.body?.attachments) && /goedkeuren\?/.test(cardText(adaptiveCard(a.request.body)))), 'the approval card in the personal chat');
    const askId = (await app.store.asks.pending())[0]!.id;
    const messageId = card.response!.body?.id ?? card.messageId;
    const decided = await pg.execute({ from: an, conversationId: chat, replyToId: messageId, verb: 'kk.askApprove', data: { askId, lang: 'nl', text: '' } });
    assert.equal(decided.status, 200);
    assert.match(JSON.stringify(decided.body), /Goedgekeurd door An Peeters/);
    const thread = await pg.waitFor(() => pg.threads(general).find((t) => cardText(adaptiveCard(t.root)).startsWith('Vraag aan alle regio\'s')), 'the thread in RKK Overkoepelend');
    assert.match(cardText(adaptiveCard(thread.root)), new RegExp(`${text.replace(/\?/g, '\\?')}\\nGesteld door An Peeters, RKK Gent-Eeklo`));
  });
});

/** The local addresses sockets LISTEN on for a port, read from the kernel's tables (/proc/net/tcp and tcp6). */
function listeningAddresses(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue; // 0A = LISTEN
      const [hex, portHex] = local.split(':');
      if (parseInt(portHex!, 16) !== port) continue;
      if (hex!.length === 8) out.push(hex!.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.'));
      else out.push(hex === '00000000000000000000000000000000' ? '::' : hex === '00000000000000000000000001000000' ? '::1' : `ipv6:${hex}`);
    }
  }
  return out;
}

import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { FakeConnector } from '../fakes/connector';
import { FakeTime } from '../support/clock';
import { startTestBot, tempDir, writeQuestions, cardText, cardOf, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, mentionCommand, threadReply, messageEdited, messageDeleted, botAddedToTeam, personalMessage, type Person } from '../support/teams';
import { rng, rawRequest, storeDigest, leaksInternals, type Rng, type RawResponse } from '../support/fuzz';
import { edgeCases, type EdgeCase } from './edgeCases';
import { startProductionBot, type ProductionBot } from '../support/production';
import { confirmed } from '../support/confirm';

/**
 * The HTTP edge under fire, as a broken client or an attacker would send it: mutated activities
 * and invokes, every content type and encoding, bodies around the size limit, chunked bodies, and
 * valid but unusual member text. Seeded: a failure names its seed and case index.
 */
const SEED = 20261201;
const QUESTION = {
  id: 'magda-documentendienst', text: 'Gebruiken jullie de MAGDA-documentendienst al?', kind: 'single',
  options: ['Ja, in productie', 'We testen het', 'Nog niet'], theme: 'infrastructuur', week: '2026-W49',
};
const NON_ADMINS: Person[] = [PEOPLE.sofie, PEOPLE.mathias, PEOPLE.lotte];

type Json = Record<string, unknown>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Sets (or with `undefined`, drops) the value at a dotted path, creating objects on the way. */
function setPath(obj: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let at: Json = obj;
  for (const k of keys.slice(0, -1)) {
    if (!at[k] || typeof at[k] !== 'object') at[k] = {};
    at = at[k] as Json;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete at[last];
  // defineProperty, so that a "__proto__" key really ends up in the JSON.
  else Object.defineProperty(at, last, { value, enumerable: true, writable: true, configurable: true });
}

const nested = (depth: number): unknown => (depth === 0 ? 'bodem' : { n: nested(depth - 1) });
const DROP = Symbol('drop');

/** Values that make each field wrong: missing, retyped, oversized, control characters, surrogates. */
const INVALID: Record<string, unknown[]> = {
  type: [DROP, null, 42, [], {}, '', 'x'.repeat(100), 'message\u0000', 'bericht met spatie'],
  from: [DROP, null, 'An Peeters', 42, [], {}],
  'from.id': [DROP, null, 42, ['29:a', '29:b'], {}, '', 'x'.repeat(300), '29:a\u0000b', '29:\ud800'],
  'from.aadObjectId': [42, [], 'x'.repeat(65), 'abc\u0000'],
  'from.name': [42, {}, ['An'], 'x'.repeat(300)],
  recipient: [DROP, null, '28:bot'],
  conversation: [DROP, null, '19:abc', []],
  'conversation.id': [DROP, 42, [], '', 'x'.repeat(1100), '19:abc\u0000'],
  'conversation.isGroup': ['yes', 1],
  serviceUrl: [DROP, null, 42, 'geen url', 'ftp://example.org/', 'javascript:alert(1)', `http://${'a'.repeat(3000)}.be/`],
  channelId: [DROP, 42, ''],
  entities: ['x', 42, {}, { find: 1 }, [null], [42], ['clientInfo'], [{}], [{ type: 42 }], Array.from({ length: 100 }, () => ({ type: 'clientInfo' }))],
  'entities.0': [null, 'x'],
  channelData: ['x', 42, []],
  'channelData.team': ['x', 42],
  'channelData.team.id': [42, [], 'x'.repeat(300), '19:\u0000'],
  'channelData.tenant.id': [[], 42],
  'channelData.eventType': [42, {}],
  id: [42, {}, [], 'x'.repeat(300)],
  replyToId: [42, {}],
  locale: [42, 'x'.repeat(40)],
  text: [42, {}, []],
  name: [42, {}],
  attachments: ['x', [42]],
  membersAdded: ['x', [42], [{}]],
  'value.deep': [nested(40)],
  'channelData.deep': [nested(40)],
};

/** Anything at all: for the random mutations, whose result may or may not be valid. */
function junk(r: Rng): unknown {
  return r.pick([
    DROP, null, 0, -1, 1e308, true, [], {}, '', 'hulp', 'publiceer', 'x'.repeat(r.int(20_000)), ['1', '2'], { $ne: null }, { id: 'x' },
    '${questionId}', '**vet** [klik](https://example.org)', '<b>html</b>', '\u0000\u202e<script>alert(1)</script>', '\ud800', '👍🏽', nested(r.int(40)),
    'kk.answer', 'kk.remind', 'adaptiveCard/action', QUESTION.id, '1', 'bestaat-niet', TEAMS.gent.id,
  ]);
}

const RANDOM_PATHS = [
  ...Object.keys(INVALID), 'value', 'value.action', 'value.action.verb', 'value.action.type', 'value.action.data', 'value.action.data.questionId',
  'value.action.data.choice', 'value.action.data.rkkId', 'value.action.data.on', 'value.action.data.comment', 'value.action.data.text', 'value.trigger', 'entities.0.mentioned', 'entities.0.text',
  'channelData.channel.id', 'channelData.settings.selectedChannel.id', 'conversation.conversationType', 'action', 'textFormat', 'timestamp',
  '__proto__', 'constructor', 'value.action.data.__proto__', 'value.action.data.constructor', 'channelData.team.__proto__',
];

describe('fuzz: the HTTP edge never crashes, never answers 5xx, and invalid input changes nothing', function () {
  this.timeout(120_000);
  let connector: FakeConnector;
  let bot: TestBot;
  let thread: string;
  let bases: { kind: string; activity: Json }[];
  let cases = 0;
  let time: FakeTime;

  const healthy = async (what: string) => {
    const res = await fetch(`${bot.app.url}/healthz`);
    assert.equal(res.status, 200, `still up after ${what}`);
  };
  const postActivity = (activity: unknown) => bot.send(activity as Partial<Activity>);

  before(async () => {
    time = new FakeTime('2026-11-30T09:30:00Z');
    connector = await FakeConnector.start();
    const dir = tempDir();
    bot = await startTestBot({ dataDir: dir, clock: time, timers: time, env: { QUESTIONS_FILE: writeQuestions(dir, [QUESTION]) } });
    await bot.send(installInTeam(connector.url, TEAMS.kempen, PEOPLE.an));
    await confirmed((a) => bot.send(a), connector, TEAMS.kempen, PEOPLE.an, 'publiceer');
    thread = connector.threads(TEAMS.kempen.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text))!.conversationId;
    const ok = await bot.send(cardAction(connector.url, TEAMS.kempen, thread, PEOPLE.jan, answerValue(QUESTION.id, { choice: '2', comment: 'We testen met twee diensten.' })));
    assert.equal(ok.status, 200);
    const u = connector.url;
    const who = PEOPLE.sofie;
    bases = [
      { kind: 'thread reply', activity: threadReply(u, TEAMS.kempen, thread, who, '<p>Bij ons via de intercommunale.</p>', '1796000000001') as Json },
      { kind: 'command', activity: mentionCommand(u, TEAMS.kempen, who, 'resultaten') as Json },
      { kind: 'personal', activity: personalMessage(u, who, 'vraag') as Json },
      { kind: 'card action', activity: cardAction(u, TEAMS.kempen, thread, who, answerValue(QUESTION.id, { choice: '1' })) as Json },
      // From a reminder in a personal chat: the card names the RKK the answer counts in.
      { kind: 'personal card action', activity: cardAction(u, null, `a:1personal-${who.aadObjectId}`, who, answerValue(QUESTION.id, { choice: '1', rkkId: TEAMS.kempen.id })) as Json },
      { kind: 'reminders switch', activity: cardAction(u, TEAMS.kempen, thread, who, answerValue(QUESTION.id, { on: true }, 'kk.remind')) as Json },
      { kind: 'install', activity: installInTeam(u, TEAMS.gent, who) as Json },
      { kind: 'bot added', activity: botAddedToTeam(u, TEAMS.westhoek, who) as Json },
      { kind: 'edit', activity: messageEdited(u, TEAMS.kempen, thread, who, '1796000000001', 'Toch niet.') as Json },
      { kind: 'delete', activity: messageDeleted(u, TEAMS.kempen, thread, who, '1796000000001') as Json },
    ].map((b) => ({ kind: b.kind, activity: clone(b.activity) }));
  });
  after(async () => {
    await bot.close();
    await connector.close();
    process.stdout.write(`      fuzz: ${cases} cases, seed ${SEED}\n`);
    assert.ok(cases >= 2000, `at least 2,000 cases (ran ${cases})`);
  });

  it('refuses every activity with a missing, retyped, oversized or broken field with 400, and stores nothing', async () => {
    const before = storeDigest(bot.dataDir);
    let n = 0;
    for (const base of bases) {
      for (const [path, values] of Object.entries(INVALID)) {
        for (const value of values) {
          const a = clone(base.activity);
          setPath(a, path, value === DROP ? undefined : value);
          const res = await postActivity(a);
          const label = `${base.kind} with ${path} = ${JSON.stringify(value === DROP ? 'dropped' : value)?.slice(0, 60)}`;
          assert.equal(res.status, 400, `${label}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          assert.equal(res.body.error.code, 'InvalidActivity', label);
          assert.ok(!leaksInternals(JSON.stringify(res.body)), `${label}: ${JSON.stringify(res.body)}`);
          n++;
        }
      }
      await healthy(`the ${base.kind} mutations`);
    }
    cases += n;
    assert.ok(n >= 700, `${n} invalid activities`);
    assert.equal(storeDigest(bot.dataDir), before, 'not one row changed');
  });

  it('answers randomly mutated activities without a 5xx and stays up', async () => {
    const r = rng(SEED);
    for (let i = 0; i < 850; i++) {
      const base = r.pick(bases);
      const a = clone(base.activity);
      setPath(a, 'from', { ...(a.from as Json), ...r.pick(NON_ADMINS) }); // never an administrator: no admin command can run
      for (let k = 0; k < 1 + r.int(3); k++) {
        const v = junk(r);
        setPath(a, r.pick(RANDOM_PATHS), v === DROP ? undefined : v);
      }
      const res = await postActivity(a);
      assert.ok(res.status < 500, `seed ${SEED} case #${i} (${base.kind}) got HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      if (res.status >= 400) assert.ok(!leaksInternals(JSON.stringify(res.body)), `case #${i}: ${JSON.stringify(res.body).slice(0, 300)}`);
      if (i % 100 === 99) await healthy(`random case #${i}`);
    }
    cases += 850;
  });

  it('answers invokes it does not handle the way Teams expects (200), never 501', async () => {
    const before = storeDigest(bot.dataDir);
    const names = ['task/fetch', 'task/submit', 'config/fetch', 'config/submit', 'signin/verifyState', 'signin/tokenExchange', 'adaptivecard/action',
      'AdaptiveCard/Action', 'adaptiveCard/action ', 'composeExtension/query', 'fileConsent/invoke', 'actionableMessage/executeAction', '', undefined, 'x'.repeat(128)];
    let n = 0;
    for (const name of names) {
      for (const value of [undefined, {}, answerValue(QUESTION.id, { choice: '1' }), 'x', [1, 2]]) {
        const a = { ...cardAction(connector.url, TEAMS.kempen, thread, PEOPLE.mathias, value), name } as Json;
        if (name === undefined) delete a.name;
        const res = await postActivity(a);
        assert.equal(res.status, 200, `invoke ${JSON.stringify(name)}: HTTP ${res.status}`);
        assert.ok(res.body === null || res.body === '', `invoke ${JSON.stringify(name)} answers with an empty body, not ${JSON.stringify(res.body)}`);
        n++;
      }
    }
    const health = await postActivity({ ...cardAction(connector.url, TEAMS.kempen, thread, PEOPLE.mathias, {}), name: 'healthCheck' });
    assert.equal(health.status, 200);
    assert.equal(health.body.healthResults.success, true);
    cases += n + 1;
    assert.equal(storeDigest(bot.dataDir), before);
  });

  it('refuses other content types, compressed and oversized bodies (415/413/400), on every route, before reading them', async () => {
    const list = edgeCases(validActivity());
    for (const c of list) await expectEdge(bot.app.url, c);
    cases += list.length;
    await healthy('the content types and encodings');
  });

  /** A valid thread reply, for the cases that need one in the right shape. */
  function validActivity(): Json {
    return threadReply(connector.url, TEAMS.kempen, thread, PEOPLE.lotte, '<p>Wij ook.</p>', '1796000000999') as Json;
  }

  it('keeps valid but unusual comments exactly, and every card shows them literally, in both languages', async () => {
    const r = rng(SEED + 1);
    const samples = [
      '**vet** [klik hier](https://example.org/phish) <b>html</b>', '_schuin_ en ~~door~~ en `code`', '- punt één\n- punt twee', '1. eerst\n2. dan',
      '${questionId} en ${s.title} en ${$root}', '<at>Kenniskring</at> mag dit?', '&lt;script&gt;alert(1)&lt;/script&gt;', '# Kop', '> citaat',
      'Wij kozen 👍🏽 voor e-Loket — “goed”', '\u202eomgekeerd', 'tab\there', 'É\u0301n accent', '[](javascript:alert(1))', '![beeld](https://example.org/x.png)',
    ];
    let n = 0;
    time.advanceBy(120_000); // the random cases above spent these members' answer allowance for this minute
    for (let i = 0; i < 120; i++) {
      const raw = i < samples.length ? samples[i]! : `${r.pick(samples)} ${r.pick(samples)}`;
      const who = NON_ADMINS[i % NON_ADMINS.length]!;
      time.advanceBy(7_000); // under the limit of 10 answers a minute per member
      const comment = raw.slice(0, 1900);
      const res = await bot.send(cardAction(connector.url, TEAMS.kempen, thread, who, answerValue(QUESTION.id, { choice: String(1 + (i % 3)), comment }), i % 2 ? 'en-US' : 'nl-BE'));
      assert.equal(res.status, 200, `comment #${i}`);
      const stored = (await bot.app.store.answers.get(QUESTION.id, who.aadObjectId))!;
      assert.equal(stored.comment, comment.trim(), `comment #${i} stored exactly`);
      assertLiteral(cardOf(res.body), comment.trim(), `answered card, comment #${i}`);
      n++;
    }
    // Control characters and lone surrogates cannot be shown or stored as they are: removed or replaced, the rest kept.
    const res = await bot.send(cardAction(connector.url, TEAMS.kempen, thread, PEOPLE.lotte, answerValue(QUESTION.id, { choice: '1', comment: 'a\u0000b\u0007c \ud800 d' })));
    assert.equal(res.status, 200);
    assert.equal((await bot.app.store.answers.get(QUESTION.id, PEOPLE.lotte.aadObjectId))!.comment, 'abc \ufffd d');
    // Thread replies: Teams sends HTML; what the member typed is stored and shown as text.
    for (const [i, typed] of samples.entries()) {
      const html = `<p>${typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>')}</p>`;
      const id = String(1796000001000 + i);
      const reply = await bot.send(threadReply(connector.url, TEAMS.kempen, thread, PEOPLE.mathias, html, id));
      assert.equal(reply.status, 200);
      const c = (await bot.app.store.comments.forQuestion(QUESTION.id)).find((x) => x.messageId === id)!;
      assert.equal(c.text, typed.replace(/\t/g, ' '), `reply #${i} stored as typed`);
      n++;
    }
    // mijn gegevens shows the member's own replies and comments: literally, in Dutch and English.
    for (const command of ['mijn gegevens', 'my data']) {
      const mine = await bot.send(personalMessage(connector.url, PEOPLE.mathias, command));
      assert.equal(mine.status, 200);
      const sent = connector.conversation(`a:1personal-${PEOPLE.mathias.aadObjectId}`).at(-1)!;
      assertLiteral(cardOf(sent), samples[0]!, `${command} card`);
    }
    const huge = await bot.send(threadReply(connector.url, TEAMS.kempen, thread, PEOPLE.mathias, `<p>${'x'.repeat(1024 * 1024)}</p>`, '1796000002000'));
    assert.equal(huge.status, 413, 'a 1 MB reply is over the limit');
    cases += n + 2;
  });
});

/** Member text must sit in a TextRun (no markdown) exactly, and in no element that renders markdown. */
export function assertLiteral(card: unknown, text: string, what: string): void {
  const runs: string[] = [];
  const markdown: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'TextRun' && typeof o.text === 'string') runs.push(o.text);
      if (o.type === 'TextBlock' && typeof o.text === 'string') markdown.push(o.text);
      if (o.type === 'FactSet') for (const f of (o.facts as { title: string; value: string }[]) ?? []) markdown.push(f.title, f.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  assert.ok(runs.some((r) => r.includes(text)), `${what}: ${JSON.stringify(text)} not shown as literal text (runs: ${JSON.stringify(runs).slice(0, 300)})`);
  const needle = text.slice(0, 12);
  assert.ok(!markdown.some((m) => m.includes(needle)), `${what}: member text inside a markdown element`);
}

/** One edge case: the status it must get, and that nothing leaks. */
export async function expectEdge(url: string, c: EdgeCase): Promise<RawResponse> {
  let res: RawResponse;
  try {
    res = await rawRequest(url, c.request);
  } catch (err) {
    throw new Error(`${c.name}: the connection failed (${(err as Error).message})`);
  }
  assert.ok(res.status < 500, `${c.name}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  if (c.expect !== undefined) assert.ok([c.expect].flat().includes(res.status), `${c.name}: expected ${String(c.expect)}, got ${res.status} ${res.body.slice(0, 200)}`);
  assert.ok(!leaksInternals(res.body), `${c.name}: ${res.body.slice(0, 300)}`);
  return res;
}

describe('fuzz: in production mode the encodings and bodies are refused before the token check, and nothing crashes', function () {
  this.timeout(60_000);
  let prod: ProductionBot;
  before(async () => { prod = await startProductionBot(); });
  after(async () => { await prod.close(); });

  it('answers every content type, encoding, size and transfer with a 4xx or 200, without and with a valid token', async () => {
    const valid = installInTeam(prod.connector.url, TEAMS.gent, PEOPLE.an) as Record<string, unknown>;
    const list = edgeCases(valid);
    for (const c of list) {
      const messages = c.request.method === 'POST' && c.request.path === '/api/messages';
      // Without a token: the header checks (type, encoding, declared size) come first, then the token.
      const headerRefusal = c.expect === 415 || (c.expect === 413 && c.request.body !== undefined);
      await expectEdge(prod.bot.app.url, { ...c, name: `${c.name} (no token)`, expect: messages ? (headerRefusal ? c.expect : 401) : undefined });
      const signed = { ...c.request, headers: { ...c.request.headers, authorization: `Bearer ${prod.token(prod.connector.url)}` } };
      await expectEdge(prod.bot.app.url, { ...c, name: `${c.name} (signed)`, request: signed });
    }
    const res = await fetch(`${prod.bot.app.url}/healthz`);
    assert.equal(res.status, 200);
  });
});

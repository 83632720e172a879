import assert from 'node:assert/strict';
import net from 'node:net';
import { FakeConnector } from '../fakes/connector';
import { FakeTime } from '../support/clock';
import { startTestBot, tempDir, writeQuestions, cardText, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, mentionCommand, personalMessage } from '../support/teams';
import { confirmed } from '../support/confirm';

const QUESTION = {
  id: 'telewerk-vpn', text: 'Hoe laten jullie collega\'s van thuis uit werken?', kind: 'single',
  options: ['VPN', 'Virtuele desktop', 'Alles in de cloud'], theme: 'infrastructuur', week: '2026-W49',
};

/** Opens a raw connection; resolves with when the server closed it (ms after the start) and what it said. */
function slowClient(port: number, o: { first: string; trickle?: string; everyMs?: number }): Promise<{ closedAfterMs: number; said: string }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let said = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(o.first);
      if (o.trickle) timer = setInterval(() => { if (!socket.destroyed) socket.write(o.trickle!); }, o.everyMs ?? 100);
    });
    socket.on('data', (d) => { said += String(d); });
    socket.on('error', () => undefined); // a reset also ends the connection: what the test measures
    socket.on('close', () => { clearInterval(timer); resolve({ closedAfterMs: Date.now() - t0, said }); });
    // The trickle would go on for 30 s; the server must cut it off long before.
    setTimeout(() => socket.destroy(), 30_000).unref();
  });
}

describe('the HTTP edge: timeouts, error pages, a store that is down', () => {
  let connector: FakeConnector;
  let bot: TestBot;
  let thread: string;
  const port = () => Number(new URL(bot.app.url).port);

  before(async () => {
    const time = new FakeTime('2026-11-30T09:30:00Z');
    connector = await FakeConnector.start();
    const dir = tempDir();
    bot = await startTestBot({
      dataDir: dir, clock: time, timers: time,
      env: { QUESTIONS_FILE: writeQuestions(dir, [QUESTION]), HTTP_HEADERS_TIMEOUT_SECONDS: '0.5', HTTP_REQUEST_TIMEOUT_SECONDS: '1', HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '0.5' },
    });
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
    await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    thread = connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text))!.conversationId;
  });
  after(async () => {
    await bot.close();
    await connector.close();
  });

  it('cuts off a client that sends its headers slowly (slowloris)', async () => {
    const r = await slowClient(port(), { first: 'POST /api/messages HTTP/1.1\r\nHost: bot\r\n', trickle: 'X-Traag: a\r\n', everyMs: 100 });
    assert.ok(r.closedAfterMs < 5_000, `closed after ${r.closedAfterMs} ms, not held for the 30 s of the trickle`);
    assert.match(r.said, /^HTTP\/1\.1 408|^$/, 'a 408 or a plain close');
  });

  it('cuts off a client that trickles its body', async () => {
    const r = await slowClient(port(), {
      first: 'POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"type":',
      trickle: ' ', everyMs: 100,
    });
    assert.ok(r.closedAfterMs < 5_000, `closed after ${r.closedAfterMs} ms`);
    assert.match(r.said, /^HTTP\/1\.1 408|^$/);
  });

  it('closes an idle keep-alive connection after the keep-alive time', async () => {
    const r = await slowClient(port(), { first: 'GET /healthz HTTP/1.1\r\nHost: bot\r\nConnection: keep-alive\r\n\r\n' });
    assert.match(r.said, /^HTTP\/1\.1 200/);
    assert.ok(r.closedAfterMs < 5_000, `idle connection closed after ${r.closedAfterMs} ms`);
  });

  it('answers 404 under /tab/ with the pages\' security headers, in Dutch, without echoing the path', async () => {
    for (const path of ['/tab/bestaat-niet.html', '/tab/%3Cscript%3Ealert(1)%3C%2Fscript%3E', '/tab/..%2f..%2fpackage.json']) {
      const res = await fetch(`${bot.app.url}${path}`);
      assert.ok([403, 404].includes(res.status), `${path}: ${res.status}`);
      assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors/, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      const body = await res.text();
      assert.match(body, /Deze pagina/, path);
      assert.ok(!body.includes('bestaat-niet') && !body.includes('script') && !body.includes('passwd') && !body.includes('package'), `${path}: ${body}`);
    }
    const api = await fetch(`${bot.app.url}/api/bestaat-niet-%3Cb%3E`);
    assert.equal(api.status, 404);
    assert.equal(api.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(await api.json(), { error: { code: 'NotFound', message: 'there is nothing here' } });
  });

  it('answers 503 without detail when the store is down, and a 200 is never given for an answer not stored', async () => {
    await bot.app.store.close(); // the store disappears under the running bot
    const answer = await bot.send(cardAction(connector.url, TEAMS.gent, thread, PEOPLE.jan, answerValue(QUESTION.id, { choice: '1' })));
    assert.equal(answer.status, 503);
    assert.deepEqual(answer.body, { error: { code: 'StoreUnavailable', message: 'the store is unavailable; try again later' } });
    const results = await fetch(`${bot.app.url}/api/results`);
    assert.equal(results.status, 503);
    assert.equal((await fetch(`${bot.app.url}/readyz`)).status, 503, 'not ready either');
    assert.equal((await fetch(`${bot.app.url}/healthz`)).status, 200, 'the process itself is up');
  });
});

describe('the turn error handler: never a "sorry" in a channel', () => {
  let connector: FakeConnector;
  let bot: TestBot;
  before(async () => {
    connector = await FakeConnector.start();
    bot = await startTestBot({});
    await bot.send(installInTeam(connector.url, TEAMS.kempen, PEOPLE.an));
  });
  after(async () => {
    await bot.close();
    await connector.close();
  });

  it('logs a turn that failed in a channel and posts nothing more there', async () => {
    const before = connector.requests.length;
    connector.failNext(1, 403); // the command's answer is refused: the turn fails
    const res = await bot.send(mentionCommand(connector.url, TEAMS.kempen, PEOPLE.jan, 'resultaten'));
    assert.equal(res.status, 200, 'Teams gets its 200: the failure is ours to log');
    assert.equal(connector.requests.length, before + 1, 'only the refused answer: no "sorry" card for the whole team');
  });

  it('tells the member in a personal chat', async () => {
    connector.failNext(1, 403);
    const res = await bot.send(personalMessage(connector.url, PEOPLE.jan, 'resultaten'));
    assert.equal(res.status, 200);
    const chat = connector.conversation(`a:1personal-${PEOPLE.jan.aadObjectId}`);
    assert.match(cardText(chat.at(-1)?.attachments), /Dat lukte niet/);
  });
});

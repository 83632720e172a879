import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { FakeConnector } from '../fakes/connector';
import { FakeTime } from '../support/clock';
import { startTestBot, tempDir, writeQuestions, cardText, type TestBot } from '../support/bot';
import { rng } from '../support/fuzz';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, threadReply } from '../support/teams';
import { confirmed } from '../support/confirm';

const QUESTION = {
  id: 'overstap-naar-cloud', text: 'Hoeveel van jullie toepassingen draaien al in de cloud?', kind: 'single',
  options: ['Bijna alles', 'Ongeveer de helft', 'Een paar', 'Nog niets'], theme: 'infrastructuur', week: '2026-W48',
};


/** A few hundred malformed or hostile adaptiveCard/action values, built from a valid one. */
function malformedValues(questionId: string): unknown[] {
  const r = rng(20261121);
  const junk = (): unknown => {
    const pick = Math.floor(r() * 12);
    return [null, 42, -1, true, [], {}, '', 'x'.repeat(Math.floor(r() * 20000)), ['1', '2'], { $ne: null },
      '${questionId}', '\u0000\u202e<script>alert(1)</script>'][pick];
  };
  const values: unknown[] = [
    undefined, null, 'string', 7, [], {},
    { action: null }, { action: 'Action.Execute' }, { action: {} }, { action: { type: 'Action.Submit', verb: 'kk.answer', data: { questionId } } },
    { action: { type: 'Action.Execute' } }, { action: { type: 'Action.Execute', verb: 'kk.answer' } },
    { action: { type: 'Action.Execute', verb: 'kk.delete-everything', data: { questionId } } },
    { action: { type: 'Action.Execute', verb: 'x'.repeat(5000), data: { questionId } } },
    { action: { type: 'Action.Execute', verb: 'kk.answer', data: [] } },
    { action: { type: 'Action.Execute', verb: 'kk.answer', data: { questionId: 'bestaat-niet', choice: '1' } } },
    { action: { type: 'Action.Execute', verb: 'kk.answer', data: { questionId: 'q'.repeat(100000), choice: '1' } } },
    { action: { type: 'Action.Execute', verb: 'kk.plan', data: { text: 'Mag ik als gewoon lid een vraag plannen?', kind: 'open', theme: 'andere' } } },
  ];
  const verbs = ['kk.answer', 'kk.edit', 'kk.refresh', 'kk.plan', 'kk.planPreview', 'kk.planEdit', 'kk.highlightPick', 'kk.highlight', 'KK.ANSWER', 'kk.answer ', ''];
  const fields = ['questionId', 'choice', 'text', 'comment', 'week', 'date', 'kind', 'option1', 'plan', 'highlights', '__proto__', 'constructor'];
  for (let i = 0; i < 300; i++) {
    const data: Record<string, unknown> = { questionId };
    for (let k = 0; k < 1 + Math.floor(r() * 4); k++) data[fields[Math.floor(r() * fields.length)]!] = junk();
    if (r() < 0.2) data.comment = 'é'.repeat(2001 + Math.floor(r() * 10000));
    const verb = verbs[Math.floor(r() * verbs.length)]!;
    values.push(r() < 0.1 ? { action: { type: 'Action.Execute', verb, data: JSON.stringify(data) } } : { action: { type: 'Action.Execute', verb, data } });
  }
  return values;
}

describe('bad input: clear answers, nothing stored, no 5xx', () => {
  let connector: FakeConnector;
  let bot: TestBot;
  let thread: string;
  const storeFingerprint = async () => crypto.createHash('sha256').update(JSON.stringify([
    await bot.app.store.answers.forQuestion(QUESTION.id), await bot.app.store.questions.queued(), await bot.app.store.comments.forQuestion(QUESTION.id),
    await bot.app.store.questions.get(QUESTION.id), await bot.app.store.answers.highlights(QUESTION.id),
  ])).digest('hex');

  before(async () => {
    const time = new FakeTime('2026-11-23T09:00:00Z');
    connector = await FakeConnector.start();
    const dir = tempDir();
    bot = await startTestBot({ dataDir: dir, clock: time, timers: time, env: { QUESTIONS_FILE: writeQuestions(dir, [QUESTION]) } });
    await bot.send(installInTeam(connector.url, TEAMS.westhoek, PEOPLE.an));
    await confirmed((a) => bot.send(a), connector, TEAMS.westhoek, PEOPLE.an, 'publiceer');
    thread = connector.threads(TEAMS.westhoek.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text))!.conversationId;
    // One honest answer, so "unchanged" is about real data.
    const ok = await bot.send(cardAction(connector.url, TEAMS.westhoek, thread, PEOPLE.jan, answerValue(QUESTION.id, { choice: '2' })));
    assert.equal(ok.status, 200);
  });
  after(async () => {
    await bot.close();
    await connector.close();
  });

  it('answers a few hundred malformed card actions with 200 or 400, never 5xx, and stores nothing', async () => {
    const before = await storeFingerprint();
    const values = malformedValues(QUESTION.id);
    assert.ok(values.length >= 300);
    for (const [i, value] of values.entries()) {
      const who = i % 2 ? PEOPLE.sofie : PEOPLE.mathias; // not admins
      const res = await bot.send(cardAction(connector.url, TEAMS.westhoek, thread, who, value));
      assert.ok(res.status === 200 || res.status === 400, `payload #${i} got HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
      if (res.status === 400) {
        assert.equal(res.body.type ?? JSON.stringify(res.body), 'application/vnd.microsoft.error', `payload #${i}`);
        assert.equal(res.body.type, 'application/vnd.microsoft.error', `payload #${i}`);
        assert.ok(res.body.value.message.length > 10, `payload #${i} has a message`);
      } else {
        assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive', `payload #${i}`);
      }
    }
    // Sofie and Mathias never sent a valid answer: nothing of theirs (or anyone's) changed.
    assert.equal(await storeFingerprint(), before);
  });

  it('refuses non-activity bodies with 400 and oversized bodies with 413', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${bot.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': type }, body });
    assert.equal((await post('{not json')).status, 400);
    assert.equal((await post('[1,2,3]')).status, 400);
    assert.equal((await post('"hallo"')).status, 400);
    const huge = JSON.stringify(threadReply(connector.url, TEAMS.westhoek, thread, PEOPLE.jan, 'x'.repeat(400 * 1024)));
    assert.equal((await post(huge)).status, 413);
    assert.equal((await bot.app.store.comments.forQuestion(QUESTION.id)).length, 0);
    const health = await fetch(`${bot.app.url}/healthz`);
    assert.equal(health.status, 200, 'still healthy');
  });
});

describe('everything survives a restart on the same DATA_DIR', () => {
  it('keeps RKKs, references, questions, posts, answers and comments', async () => {
    const time = new FakeTime('2026-11-23T09:00:00Z');
    const connector = await FakeConnector.start();
    const dir = tempDir();
    const env = { QUESTIONS_FILE: writeQuestions(dir, [QUESTION]) };
    let bot = await startTestBot({ dataDir: dir, clock: time, timers: time, env });
    try {
      await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
      await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
      const thread = connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text))!.conversationId;
      await bot.send(cardAction(connector.url, TEAMS.gent, thread, PEOPLE.jan, answerValue(QUESTION.id, { choice: '3', comment: 'Mail en agenda al wel.' })));
      await bot.send(threadReply(connector.url, TEAMS.gent, thread, PEOPLE.sofie, 'Wij wachten op de aanbesteding.', '1795000000100'));
      await bot.close();

      bot = await startTestBot({ dataDir: dir, clock: time, timers: time, env });
      const rkk = (await bot.app.store.rkks.get(TEAMS.gent.id))!;
      assert.equal(rkk.name, 'RKK Gent-Eeklo');
      assert.equal((rkk.conversationRef as { serviceUrl?: string }).serviceUrl, connector.url);
      assert.equal((await bot.app.store.deliveries.forQuestion(QUESTION.id))[0]!.state, 'sent');
      assert.deepEqual((await bot.app.store.answers.forQuestion(QUESTION.id)).map((a) => [a.member.name, a.choices, a.comment]), [['Jan Claes', ['3'], 'Mail en agenda al wel.']]);
      assert.deepEqual((await bot.app.store.comments.forQuestion(QUESTION.id)).map((c) => c.text), ['Wij wachten op de aanbesteding.']);
      // And the loop goes on where it was: the same member changes the answer after the restart.
      const res = await bot.send(cardAction(connector.url, TEAMS.gent, thread, PEOPLE.jan, answerValue(QUESTION.id, { choice: '2' })));
      assert.match(cardText(res.body.value), /Ongeveer de helft/);
      assert.equal((await bot.app.store.answers.get(QUESTION.id, PEOPLE.jan.aadObjectId))!.revision, 2);
      assert.equal(connector.threads(TEAMS.gent.id).filter((t) => cardText(t.root?.attachments).includes(QUESTION.text)).length, 1);
    } finally {
      await bot.close();
      await connector.close();
    }
  });
});

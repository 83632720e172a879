import { FakeConnector } from '../test/fakes/connector';
import { SqliteStore } from '../bot/src/store';
import { WeekSchedule, addWeeks } from '../bot/src/domain/week';
import { startTestBot, tempDir, writeQuestions, cardText } from '../test/support/bot';
import { TENANT } from '../test/support/teams';
import { round, type BenchOptions, type BenchResult } from './common';

/** Teams' published limit for one app (all conversations): 50 calls per second. */
const APP_LIMIT_PER_SECOND = 50;

/** One question posted to N RKK channels against a connector that enforces Teams' rate limits. */
export async function postingBench(o: BenchOptions): Promise<BenchResult> {
  const n = o.quick ? 60 : 100;
  const connector = await FakeConnector.start();
  const dir = tempDir('kk-bench-');
  const schedule = new WeekSchedule('0 9 * * 1', 'Europe/Brussels');
  const lastWeek = addWeeks(schedule.weekOf(new Date()), -1, 'Europe/Brussels');
  const store = SqliteStore.open(dir);
  const channels: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `19:bench${String(i).padStart(4, '0')}a1b2c3d4e5f6@thread.tacv2`;
    channels.push(id);
    await store.rkks.register({ teamId: id, name: `RKK ${i}`, aadGroupId: null, channelId: id, tenantId: TENANT, serviceUrl: connector.url,
      conversationRef: { channelId: 'msteams', serviceUrl: connector.url, conversation: { id, isGroup: true, conversationType: 'channel', tenantId: TENANT } } },
    new Date(schedule.slotOf(lastWeek).getTime() - 86_400_000));
  }
  await store.close();
  const questionsFile = writeQuestions(dir, [{ id: 'bench-post', text: 'Werken jullie al met een digitale strategie voor de hele organisatie?', kind: 'single',
    options: ['Ja', 'In opmaak', 'Nee'], theme: 'strategie', week: lastWeek, closesAt: new Date(Date.now() + 86_400_000).toISOString() }]);
  const t0 = Date.now();
  const bot = await startTestBot({ dataDir: dir, env: { QUESTIONS_FILE: questionsFile } });
  try {
    while ((await bot.app.store.deliveries.forQuestion('bench-post')).filter((d) => d.state === 'sent').length < n) {
      if (Date.now() - t0 > 60_000) throw new Error('posting did not finish within a minute');
      await new Promise((r) => setTimeout(r, 5));
    }
    // From the first post the connector saw to the last one it stored: the part the limits govern.
    const creates = connector.requests.filter((r) => r.op === 'createConversation' && r.status === 201).map((r) => r.at);
    const elapsed = Math.max(...creates) - Math.min(...creates);
    const posted = channels.map((c) => connector.threads(c).filter((t) => cardText(t.root?.attachments).includes('digitale strategie')).length);
    const lost = posted.filter((x) => x === 0).length;
    const doubled = posted.filter((x) => x > 1).length;
    const throttled = connector.requests.filter((r) => r.status === 429).length;
    // With 50 per sliding second, N posts need (ceil(N/50) - 1) full seconds after the first burst.
    const minimumMs = Math.max(1, (Math.ceil(n / APP_LIMIT_PER_SECOND) - 1) * 1000);
    const md = [
      `## Posting: one question to ${n} RKK channels (Teams' limits enforced by the connector stand-in)`, '',
      '| figure | measured | baseline / target |', '|---|---|---|',
      `| first to last post | ${elapsed} ms | minimum the limits allow: ${minimumMs} ms |`,
      `| from start-up to all posted | ${Date.now() - t0} ms | — |`,
      `| ratio to the minimum | ${round(elapsed / minimumMs, 2)} | ≤ 1.2 |`,
      `| posts lost / doubled | ${lost} / ${doubled} | 0 / 0 |`,
      `| 429 answers from the connector | ${throttled} | (the bot paces itself) |`, '',
    ].join('\n');
    return { name: 'posting', md, json: { channels: n, elapsedMs: elapsed, minimumMs, ratio: round(elapsed / minimumMs, 3), lost, doubled, throttled } };
  } finally {
    await bot.close();
    await connector.close();
  }
}

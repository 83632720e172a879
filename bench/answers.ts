import { execFile } from 'node:child_process';
import { startTestBot, tempDir, writeQuestions, cardText } from '../test/support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, mentionCommand } from '../test/support/teams';
import { productionStandIns, BOT_APP_ID, round, type BenchOptions, type BenchResult } from './common';
import { startBaseline } from './baseline';

const RATES = [50, 100, 200, 400];

export interface Run { rate: number; throughput: number; total: number; p50: number; p99: number; non2xx: number; errors: number }

/**
 * Offers requests at a fixed rate from a separate process (autocannon's CLI), so the load
 * generator does not share the server's event loop. Each request names a new member ([<id>]).
 */
export function load(url: string, body: string, token: string, rate: number, seconds: number): Promise<Run> {
  const cli = require.resolve('autocannon/autocannon.js');
  const args = [cli, '-j', '-I', '-c', '20', '-R', String(rate), '-d', String(seconds), '-m', 'POST',
    '-H', 'content-type=application/json', '-H', `authorization=Bearer ${token}`, '-b', body, `${url}/api/messages`];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) { reject(err); return; }
      const r = JSON.parse(stdout) as { requests: { average: number; total: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
      resolve({ rate, throughput: round(r.requests.average), total: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
    });
  });
}

/** Answer submits with valid signed tokens at fixed offered rates, against a bare botbuilder bot in the same run. */
export async function answersBench(o: BenchOptions): Promise<BenchResult> {
  const seconds = o.quick ? 1 : 8;
  const rates = o.quick ? [50] : RATES;
  const stand = await productionStandIns({ ruPerMinute: 1250 });
  const dir = tempDir('kk-bench-');
  const question = { id: 'bench-vraag', text: 'Hoeveel van jullie toepassingen draaien al in de cloud?', kind: 'single', options: ['Veel', 'Weinig', 'Geen'], theme: 'infrastructuur' };
  const token = stand.issuer.token({ appId: BOT_APP_ID, serviceUrl: stand.connector.url, expiresIn: 7200 });
  const bot = await startTestBot({ dataDir: dir, authorize: () => token, env: { ...stand.env, QUESTIONS_FILE: writeQuestions(dir, [question]) } });
  const baseline = await startBaseline(stand.env);
  try {
    await bot.send(installInTeam(stand.connector.url, TEAMS.gent, PEOPLE.an));
    await bot.send(mentionCommand(stand.connector.url, TEAMS.gent, PEOPLE.an, 'publiceer'));
    const thread = stand.connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes(question.text))!.conversationId;
    // A new member in every request ([<id>] is replaced by autocannon), as many people answering.
    const body = JSON.stringify(cardAction(stand.connector.url, TEAMS.gent, thread,
      { id: '29:1bench[<id>]', aadObjectId: 'bench-[<id>]', name: 'Collega [<id>]' }, answerValue(question.id, { choice: '2' })));
    const runs: { app: Run; baseline: Run }[] = [];
    for (const rate of rates) {
      const app = await load(bot.app.url, body, token, rate, seconds);
      const base = await load(baseline.url, body, token, rate, seconds);
      runs.push({ app, baseline: base });
    }
    const stored = await bot.app.store.answers.count(question.id);
    const rows = runs.map(({ app, baseline: b }) => `| ${app.rate}/s | ${app.throughput}/s, p50 ${app.p50} ms, p99 ${app.p99} ms, ${app.non2xx + app.errors} failed | ${b.throughput}/s, p50 ${b.p50} ms, p99 ${b.p99} ms | ${round(app.throughput / b.throughput, 2)} |`);
    const md = [
      '## Answer submit (production auth: every request carries a signed channel token)', '',
      '| offered | Kenniskring | baseline: bare botbuilder, fixed card | throughput ratio |', '|---|---|---|---|', ...rows, '',
      `Targets: p99 ≤ 50 ms at 200/s; throughput ≥ 0.7 × baseline. ${stored} answers stored.`, '',
    ].join('\n');
    return { name: 'answers', md, json: { runs, stored, seconds } };
  } finally {
    await baseline.close();
    await bot.close();
    await stand.close();
  }
}

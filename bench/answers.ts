import { execFile } from 'node:child_process';
import { startTestBot, tempDir, writeQuestions, cardText, type TestBot } from '../test/support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, mentionCommand } from '../test/support/teams';
import { STORE_KINDS, useStore, type StoreKind } from '../test/support/stores';
import { productionStandIns, BOT_APP_ID, round, type BenchOptions, type BenchResult } from './common';
import { startBaseline } from './baseline';

/** Offered rates; the highest ones look for saturation (p99 past 250 ms or failures). */
const RATES = [50, 100, 200, 400, 800];
const SATURATED_P99_MS = 250;

export interface Run { rate: number; throughput: number; total: number; p50: number; p99: number; non2xx: number; errors: number; cpuMsPerAnswer?: number }

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

/** A run with the server's CPU time (this process: the bots run in it, the load generator does not) per answer taken. */
async function measured(run: () => Promise<Run>): Promise<Run> {
  const cpu = process.cpuUsage();
  const r = await run();
  const used = process.cpuUsage(cpu);
  return { ...r, cpuMsPerAnswer: round((used.user + used.system) / 1000 / Math.max(1, r.total), 2) };
}

/** Two load generators, one per instance, each at half the rate; latencies are the worse of the two. */
async function loadSplit(urls: string[], bodies: string[], token: string, rate: number, seconds: number): Promise<Run> {
  const parts = await Promise.all(urls.map((u, i) => load(u, bodies[i]!, token, rate / urls.length, seconds)));
  const sum = (f: (r: Run) => number) => parts.reduce((n, r) => n + f(r), 0);
  return {
    rate, throughput: round(sum((r) => r.throughput)), total: sum((r) => r.total), non2xx: sum((r) => r.non2xx), errors: sum((r) => r.errors),
    p50: Math.max(...parts.map((r) => r.p50)), p99: Math.max(...parts.map((r) => r.p99)),
  };
}

const saturation = (runs: Run[]): number =>
  Math.max(0, ...runs.filter((r) => r.p99 <= SATURATED_P99_MS && r.non2xx + r.errors === 0).map((r) => r.throughput));

const QUESTION = { id: 'bench-vraag', text: 'Hoeveel van jullie toepassingen draaien al in de cloud?', kind: 'single', options: ['Veel', 'Weinig', 'Geen'], theme: 'infrastructuur' };

/**
 * Answer submits with valid signed tokens at fixed offered rates, on each store, against a bare
 * botbuilder bot in the same run; on PostgreSQL also two instances side by side.
 */
export async function answersBench(o: BenchOptions): Promise<BenchResult> {
  const seconds = o.quick ? 1 : 8;
  const rates = o.quick ? [50] : RATES;
  const stand = await productionStandIns({ ruPerMinute: 1250 });
  const token = stand.issuer.token({ appId: BOT_APP_ID, serviceUrl: stand.connector.url, expiresIn: 7200 });
  const baseline = await startBaseline(stand.env);
  /** A new member in every request ([<id>] is replaced by autocannon), as many people answering; `tag` keeps two generators apart. */
  const answerBody = (thread: string, tag: string) => JSON.stringify(cardAction(stand.connector.url, TEAMS.gent, thread,
    { id: `29:1bench${tag}[<id>]`, aadObjectId: `bench-${tag}[<id>]`, name: 'Collega [<id>]' }, answerValue(QUESTION.id, { choice: '2' })));
  const startOn = async (kind: StoreKind, dir: string): Promise<TestBot> => {
    useStore(kind);
    return startTestBot({ dataDir: dir, authorize: () => token, env: { ...stand.env, QUESTIONS_FILE: writeQuestions(dir, [QUESTION]) } });
  };
  try {
    const base: Run[] = [];
    for (const rate of rates) base.push(await measured(() => load(baseline.url, answerBody('19:x', 'b'), token, rate, seconds)));
    const stores: Record<string, { runs: Run[]; stored: number }> = {};
    for (const kind of STORE_KINDS) {
      const bot = await startOn(kind, tempDir('kk-bench-'));
      try {
        stand.connector.reset();
        await bot.send(installInTeam(stand.connector.url, TEAMS.gent, PEOPLE.an));
        await bot.send(mentionCommand(stand.connector.url, TEAMS.gent, PEOPLE.an, 'publiceer'));
        const thread = stand.connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text))!.conversationId;
        const runs: Run[] = [];
        for (const rate of rates) runs.push(await measured(() => load(bot.app.url, answerBody(thread, `${kind[0]}${rate}x`), token, rate, seconds)));
        stores[kind] = { runs, stored: await bot.app.store.answers.count(QUESTION.id) };
      } finally {
        await bot.close();
      }
    }
    // Two instances on one PostgreSQL database, each taking half the answers (one process here: on 2 cores this shows overhead, not scale).
    const dir = tempDir('kk-bench-');
    const first = await startOn('PostgreSQL', dir);
    const second = await startOn('PostgreSQL', dir);
    const two: Run[] = [];
    try {
      stand.connector.reset();
      await first.send(installInTeam(stand.connector.url, TEAMS.gent, PEOPLE.an));
      await second.send(mentionCommand(stand.connector.url, TEAMS.gent, PEOPLE.an, 'publiceer'));
      const thread = await waitForThread(stand.connector, QUESTION.text);
      for (const rate of (o.quick ? [50] : [100, 200, 400])) {
        two.push(await measured(() => loadSplit([first.app.url, second.app.url], [answerBody(thread, `1i${rate}x`), answerBody(thread, `2i${rate}x`)], token, rate, seconds)));
      }
    } finally {
      await second.close();
      await first.close();
      useStore('SQLite');
    }

    const fmt = (r: Run) => `${r.throughput}/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.cpuMsPerAnswer} ms CPU/answer${r.non2xx + r.errors ? `, **${r.non2xx + r.errors} failed**` : ''}`;
    const rows = rates.map((rate, i) => `| ${rate}/s | ${STORE_KINDS.map((k) => fmt(stores[k]!.runs[i]!)).join(' | ')} | ${fmt(base[i]!)} |`);
    const at200 = rates.indexOf(200);
    const checks = at200 < 0 ? [] : STORE_KINDS.map((k) => {
      const r = stores[k]!.runs[at200]!;
      const b = base[at200]!;
      const ok = (cond: boolean) => (cond ? 'met' : '**missed**');
      return `| ${k} | p99 ${r.p99} ms (≤ 50 ms: ${ok(r.p99 <= 50)}; ≤ 2 × ${b.p99} ms: ${ok(r.p99 <= 2 * b.p99)}) | p50 ${r.p50} ms (≤ 2 × ${b.p50} ms: ${ok(r.p50 <= 2 * b.p50)}) | `
        + `${r.cpuMsPerAnswer} vs ${b.cpuMsPerAnswer} ms (≤ 2×: ${ok((r.cpuMsPerAnswer ?? 0) <= 2 * (b.cpuMsPerAnswer ?? 0))}) | `
        + `${saturation(stores[k]!.runs)}/s vs ${saturation(base)}/s (≥ 0.7×: ${ok(saturation(stores[k]!.runs) >= 0.7 * saturation(base))}) |`;
    });
    const md = [
      '## Answer submit (production auth: every request carries a signed channel token)', '',
      `| offered | ${STORE_KINDS.join(' | ')} | baseline: bare botbuilder, fixed card |`, `|---|${STORE_KINDS.map(() => '---|').join('')}---|`, ...rows, '',
      ...(checks.length ? [
        'Targets at 200/s, each store against the baseline of this run (saturation: the highest throughput with p99 ≤ 250 ms and nothing failed):', '',
        '| store | answer p99 | answer p50 | CPU per answer | saturation |', '|---|---|---|---|---|', ...checks, '',
      ] : []),
      '### Two instances on one PostgreSQL database (half the load each)', '',
      'Both instances run in this one process on 2 cores: this shows the overhead of sharing the store, not scale.', '',
      '| offered | two instances | one instance (PostgreSQL) |', '|---|---|---|',
      ...two.map((r) => `| ${r.rate}/s | ${fmt(r)} | ${(() => { const one = stores.PostgreSQL!.runs[rates.indexOf(r.rate)]; return one ? fmt(one) : '–'; })()} |`), '',
      `Answers stored: ${STORE_KINDS.map((k) => `${k} ${stores[k]!.stored}`).join(', ')}.`, '',
    ].join('\n');
    return { name: 'answers', md, json: { seconds, baseline: base, stores, twoInstances: two } };
  } finally {
    await baseline.close();
    await stand.close();
  }
}

async function waitForThread(connector: { threads(id: string): { conversationId: string; root?: { attachments?: unknown } }[] }, text: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const t = connector.threads(TEAMS.gent.id).find((x) => cardText(x.root?.attachments).includes(text));
    if (t) return t.conversationId;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the question was not posted by the leading instance');
}

import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir, writeQuestions, cardText } from '../test/support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue } from '../test/support/teams';
import { STORE_KINDS, openTestStore, storeEnv, useStore, type StoreKind } from '../test/support/stores';
import { productionNodeFlags, startBotProcess, startNodeProcess, stopProcess, type BotProcess } from '../test/support/process';
import { productionStandIns, BOT_APP_ID, round, type BenchOptions, type BenchResult } from './common';
import { confirmed } from '../test/support/confirm';

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

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system) a process has used so far, from /proc (Linux). */
function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) ": state is field 3
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS; // utime, stime: fields 14 and 15
}

/**
 * A run with the CPU time the servers under test used per answer taken. Each server is a process
 * of its own (the stand-ins and the load generator are not), so only its own work is counted.
 */
async function measured(servers: BotProcess[], run: () => Promise<Run>): Promise<Run> {
  const cpu = () => servers.reduce((n, p) => n + cpuMsOf(p.child.pid!), 0);
  const before = cpu();
  const r = await run();
  return { ...r, cpuMsPerAnswer: round((cpu() - before) / Math.max(1, r.total), 2) };
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
  // Bot and baseline run as production runs the bot: a process of their own, with its Node flags and log level.
  const flags = productionNodeFlags();
  const baseline = await startNodeProcess(path.resolve(__dirname, 'baselineMain.js'), { ...stand.env }, () => undefined, flags);
  /** A new member in every request ([<id>] is replaced by autocannon), as many people answering; `tag` keeps two generators apart. */
  const answerBody = (thread: string, tag: string) => JSON.stringify(cardAction(stand.connector.url, TEAMS.gent, thread,
    { id: `29:1bench${tag}[<id>]`, aadObjectId: `bench-${tag}[<id>]`, name: 'Collega [<id>]' }, answerValue(QUESTION.id, { choice: '2' })));
  const startOn = async (kind: StoreKind, dir: string): Promise<BotProcess> => {
    useStore(kind);
    return startBotProcess({ ...stand.env, ...await storeEnv(dir), LOG_LEVEL: 'info', QUESTIONS_FILE: writeQuestions(dir, [QUESTION]) }, () => undefined, flags);
  };
  const send = (p: BotProcess, activity: unknown) =>
    fetch(`${p.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(activity) }).then((r) => r.text());
  /** The app added to the team through one bot, the question posted through another (or the same): its thread. */
  const postQuestion = async (installer: BotProcess, poster: BotProcess): Promise<string> => {
    stand.connector.reset();
    await send(installer, installInTeam(stand.connector.url, TEAMS.gent, PEOPLE.an));
    await confirmed((a) => send(poster, a).then(() => ({ status: 200 })), stand.connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    return waitForThread(stand.connector, QUESTION.text);
  };
  /** Answers in the store once the bot has stopped (the embedded store is the bot's alone while it runs). */
  const stored = async (dir: string): Promise<number> => {
    const store = await openTestStore(dir);
    try { return await store.answers.count(QUESTION.id); } finally { await store.close(); }
  };
  try {
    const base: Run[] = [];
    for (const rate of rates) base.push(await measured([baseline], () => load(baseline.url, answerBody('19:x', 'b'), token, rate, seconds)));
    const stores: Record<string, { runs: Run[]; stored: number }> = {};
    for (const kind of STORE_KINDS) {
      const dir = tempDir('kk-bench-');
      const bot = await startOn(kind, dir);
      const runs: Run[] = [];
      try {
        const thread = await postQuestion(bot, bot);
        for (const rate of rates) runs.push(await measured([bot], () => load(bot.url, answerBody(thread, `${kind[0]}${rate}x`), token, rate, seconds)));
      } finally {
        await stopProcess(bot);
      }
      stores[kind] = { runs, stored: await stored(dir) };
    }
    // Two instances on one PostgreSQL database, each taking half the answers (on 2 cores this shows overhead, not scale).
    const dir = tempDir('kk-bench-');
    const first = await startOn('PostgreSQL', dir);
    const second = await startOn('PostgreSQL', dir);
    const two: Run[] = [];
    try {
      const thread = await postQuestion(first, second);
      for (const rate of (o.quick ? [50] : [100, 200, 400])) {
        two.push(await measured([first, second], () => loadSplit([first.url, second.url], [answerBody(thread, `1i${rate}x`), answerBody(thread, `2i${rate}x`)], token, rate, seconds)));
      }
    } finally {
      await stopProcess(second);
      await stopProcess(first);
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
      'Two bot processes on the same 2 cores (with the load generators and stand-ins): this shows the overhead of sharing the store, not scale. CPU per answer is both processes together.', '',
      '| offered | two instances | one instance (PostgreSQL) |', '|---|---|---|',
      ...two.map((r) => `| ${r.rate}/s | ${fmt(r)} | ${(() => { const one = stores.PostgreSQL!.runs[rates.indexOf(r.rate)]; return one ? fmt(one) : '–'; })()} |`), '',
      `Answers stored: ${STORE_KINDS.map((k) => `${k} ${stores[k]!.stored}`).join(', ')}.`, '',
    ].join('\n');
    return { name: 'answers', md, json: { seconds, baseline: base, stores, twoInstances: two } };
  } finally {
    await stopProcess(baseline);
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

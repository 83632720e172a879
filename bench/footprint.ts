import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { productionNodeFlags, startBotProcess } from '../test/support/process';
import { tempDir, cardText } from '../test/support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue } from '../test/support/teams';
import { STORE_KINDS, databaseFor, type StoreKind } from '../test/support/stores';
import { median, round, productionStandIns, BOT_APP_ID, type BenchOptions, type BenchResult, type ProductionStandIns } from './common';
import { confirmed } from '../test/support/confirm';

const QUESTIONS = path.resolve(__dirname, '../../bot/questions/vragen.yaml');

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

/** What V8's --trace-gc lines say about the heap (MB): the most in use, and the most still live after a full collection. */
interface HeapTrace { peakUsedMb: number; peakLiveMb: number; fullGcs: number; peakCommittedMb: number }

/** `… Mark-Compact 45.1 (60.2) -> 30.0 (58.1) MB, …` (used (committed) -> used (committed)). */
const GC_LINE = /\b(Scavenge|Mark-Compact|Minor Mark-Compact|Mark-Sweep)\b[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/;

function traceHeap(): { onLine(line: string): void; result(): HeapTrace } {
  const t: HeapTrace = { peakUsedMb: 0, peakLiveMb: 0, fullGcs: 0, peakCommittedMb: 0 };
  return {
    onLine(line) {
      const m = GC_LINE.exec(line);
      if (!m) return;
      const [before, committedBefore, after, committedAfter] = [m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number];
      t.peakUsedMb = Math.max(t.peakUsedMb, before);
      t.peakCommittedMb = Math.max(t.peakCommittedMb, committedBefore, committedAfter);
      if (m[1] === 'Mark-Compact' || m[1] === 'Mark-Sweep') { t.fullGcs++; t.peakLiveMb = Math.max(t.peakLiveMb, after); }
    },
    result: () => ({ ...t }),
  };
}

async function readyMs(kind: StoreKind, dir: string, stand: ProductionStandIns, heap?: ReturnType<typeof traceHeap>): Promise<{ ms: number; stop(): Promise<void>; url: string; pid: number }> {
  const t0 = Date.now();
  const where: Record<string, string> = kind === 'PostgreSQL' ? { DATA_DIR: dir, DATABASE_URL: await databaseFor(dir) } : { DATA_DIR: dir };
  const flags = heap ? [...productionNodeFlags(), '--trace-gc'] : productionNodeFlags();
  const bot = await startBotProcess({ ...stand.env, ...where, QUESTIONS_FILE: QUESTIONS, LOG_LEVEL: 'info', KENNISKRING_ADMINS: PEOPLE.an.aadObjectId }, () => undefined, flags, heap?.onLine);
  for (;;) {
    try { if ((await fetch(`${bot.url}/readyz`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { ms: Date.now() - t0, url: bot.url, pid: bot.child.pid!, async stop() { bot.child.kill('SIGTERM'); await bot.exited; } };
}

/** Start-up time to /readyz and resident memory after many answers: the real process, in production mode, on each store. */
export async function footprintBench(o: BenchOptions): Promise<BenchResult> {
  const stand = await productionStandIns({ ruPerMinute: 1250 });
  const answers = o.quick ? 1000 : 10_000;
  const rows: string[] = [];
  const json: Record<string, unknown> = { answers };
  try {
    for (const kind of STORE_KINDS) {
      const starts: number[] = [];
      for (let i = 0; i < (o.quick ? 1 : 3); i++) {
        const run = await readyMs(kind, tempDir('kk-bench-'), stand);
        starts.push(run.ms);
        await run.stop();
      }
      const { before, after } = await rssAfterAnswers(kind, stand, answers);
      const heap = await heapUnderLoad(kind, stand, answers);
      rows.push(`| ${kind} | ${median(starts)} ms (median of ${starts.length}; ≤ 2000 ms) | ${after} MB (${before} MB before; ≤ 150 MB) | ${heap.peakLiveMb} MB live after a full GC (${heap.fullGcs} full GCs); ${heap.peakUsedMb} MB at most in use, ${heap.peakCommittedMb} MB committed; old-space cap ${oldSpaceCapMb()} MB, ${round(oldSpaceCapMb() / heap.peakUsedMb)}× the most in use (≥ 3×) |`);
      json[kind] = { startMs: starts, rssBeforeMb: before, rssAfterMb: after, heap };
    }
  } finally {
    await stand.close();
  }
  const md = [
    '## Footprint (a real process in production mode, started as in production)', '',
    `| store | start to /readyz | resident memory after ${answers} answers | JS heap (V8 --trace-gc, answers + tab reads) |`, '|---|---|---|---|', ...rows, '',
  ].join('\n');
  return { name: 'footprint', md, json };
}

/** The --max-old-space-size production runs with (package.json's start:bot). */
function oldSpaceCapMb(): number {
  return Number(productionNodeFlags().find((f) => f.startsWith('--max-old-space-size='))?.split('=')[1] ?? NaN);
}

/** The same load as rssAfterAnswers, in a process that traces its GCs, and then the tab's reads: what the heap must hold. */
async function heapUnderLoad(kind: StoreKind, stand: ProductionStandIns, answers: number): Promise<HeapTrace> {
  const heap = traceHeap();
  await answerLoad(kind, stand, answers, heap, async (url) => {
    for (let i = 0; i < 50; i++) {
      for (const team of ['', TEAMS.gent.id]) await (await fetch(`${url}/api/results${team ? `?team=${encodeURIComponent(team)}` : ''}`)).arrayBuffer();
    }
  });
  return heap.result();
}

async function rssAfterAnswers(kind: StoreKind, stand: ProductionStandIns, answers: number): Promise<{ before: number; after: number }> {
  let before = 0;
  let after = 0;
  await answerLoad(kind, stand, answers, undefined, async (_url, pid) => { after = rssMb(pid); }, (pid) => { before = rssMb(pid); });
  return { before, after };
}

/** A real process on `kind`: installs, posts the question, takes `answers` answers through /api/messages (10 connections), then `afterwards`. */
async function answerLoad(kind: StoreKind, stand: ProductionStandIns, answers: number, heap: ReturnType<typeof traceHeap> | undefined,
  afterwards: (url: string, pid: number) => Promise<void>, beforeLoad: (pid: number) => void = () => undefined): Promise<void> {
  stand.connector.reset();
  const connector = stand.connector;
  const token = stand.issuer.token({ appId: BOT_APP_ID, serviceUrl: connector.url, expiresIn: 7200 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const run = await readyMs(kind, tempDir('kk-bench-'), stand, heap);
  try {
    const send = (a: unknown) => fetch(`${run.url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(a) });
    await send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
    await confirmed(send, connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    const root = connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes('Vraag van de week'))!;
    const questionId = JSON.stringify(root.root!.attachments).match(/"questionId":"([^"]+)"/)![1]!;
    const bodies = Array.from({ length: answers }, (_, i) => JSON.stringify(cardAction(connector.url, TEAMS.gent, root.conversationId,
      { id: `29:1fp${i}`, aadObjectId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, name: `Collega ${i}` }, answerValue(questionId, { choice: '1' }))));
    let next = 0;
    beforeLoad(run.pid);
    await new Promise<void>((resolve, reject) => autocannon({
      url: `${run.url}/api/messages`, connections: 10, amount: answers,
      requests: [{ method: 'POST', headers, setupRequest: (req) => ({ ...req, body: bodies[next++] }) }],
    }, (err) => (err ? reject(err) : resolve())));
    await afterwards(run.url, run.pid);
  } finally {
    await run.stop();
  }
}

/**
 * `npm run bench:profile`: where the answer path spends its time. The real bot process in
 * production mode runs with `--cpu-prof` while signed answer submits arrive at 200/s for 8 s
 * (autocannon in its own process); the profile's self time is summed per function and per
 * package, and the top items are written to bench/results/profile.md (the .cpuprofile beside it
 * opens in Chrome DevTools).
 */
import fs from 'node:fs';
import path from 'node:path';
import { productionNodeFlags, startBotProcess } from '../test/support/process';
import { tempDir, cardText } from '../test/support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue } from '../test/support/teams';
import { productionStandIns, BOT_APP_ID, round } from './common';
import { load } from './answers';
import { databaseFor, stopTestPostgres, useDurablePostgres } from '../test/support/stores';
import { confirmed } from '../test/support/confirm';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

const OUT = path.resolve(__dirname, '../../bench/results');
const QUESTIONS = path.resolve(__dirname, '../../bot/questions/vragen.yaml');

/** Where a frame comes from: our code by file, a dependency by package, or Node itself. */
function owner(url: string): string {
  if (!url) return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/dist\/(bot\/src\/.+)\.js$/.exec(url);
  if (ours) return ours[1]!;
  return url.startsWith('node:') ? url : path.basename(url);
}

export function summarise(profile: CpuProfile, top = 15): { functions: [string, number][]; owners: [string, number][]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const fn = new Map<string, number>();
  const own = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    total += ms;
    const where = owner(n.callFrame.url);
    fn.set(`${name} — ${where}:${n.callFrame.lineNumber + 1}`, (fn.get(`${name} — ${where}:${n.callFrame.lineNumber + 1}`) ?? 0) + ms);
    own.set(where, (own.get(where) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => [k, round(v)] as [string, number]);
  return { functions: sorted(fn), owners: sorted(own), totalMs: round(total) };
}

async function main(): Promise<void> {
  useDurablePostgres();
  const stand = await productionStandIns({ ruPerMinute: 1250 });
  const dir = tempDir('kk-profile-');
  const profDir = path.join(OUT, 'profile');
  fs.rmSync(profDir, { recursive: true, force: true });
  fs.mkdirSync(profDir, { recursive: true });
  // `--store=postgres`: the same run on the PostgreSQL store (the run's throwaway server).
  const postgres = process.argv.includes('--store=postgres');
  const where: Record<string, string> = postgres ? { DATA_DIR: dir, DATABASE_URL: await databaseFor(dir) } : { DATA_DIR: dir };
  const bot = await startBotProcess({ ...stand.env, ...where, QUESTIONS_FILE: QUESTIONS, LOG_LEVEL: 'info' }, () => undefined,
    ['--cpu-prof', `--cpu-prof-dir=${profDir}`, ...productionNodeFlags()]);
  try {
    const token = stand.issuer.token({ appId: BOT_APP_ID, serviceUrl: stand.connector.url, expiresIn: 7200 });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const send = (a: unknown) => fetch(`${bot.url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(a) });
    await send(installInTeam(stand.connector.url, TEAMS.gent, PEOPLE.an));
    await confirmed(send, stand.connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    const root = stand.connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes('Vraag van de week'))!;
    const questionId = /"questionId":"([^"]+)"/.exec(JSON.stringify(root.root!.attachments))![1]!;
    const body = JSON.stringify(cardAction(stand.connector.url, TEAMS.gent, root.conversationId,
      { id: '29:1prof[<id>]', aadObjectId: 'prof-[<id>]', name: 'Collega [<id>]' }, answerValue(questionId, { choice: '1' })));
    const run = await load(bot.url, body, token, 200, 8);
    bot.child.kill('SIGTERM'); // the profile is written at exit
    await bot.exited;
    const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!;
    const s = summarise(JSON.parse(fs.readFileSync(path.join(profDir, file), 'utf8')) as CpuProfile);
    const md = [
      `# Where the answer path spends its time (${postgres ? 'PostgreSQL' : 'SQLite'})`, '',
      `Signed answer submits at 200/s for 8 s: ${run.total} requests, p50 ${run.p50} ms, p99 ${run.p99} ms. CPU (self time, idle excluded): ${s.totalMs} ms.`, '',
      '## By package or module', '', '| where | self ms | share |', '|---|---|---|',
      ...s.owners.map(([k, v]) => `| ${k} | ${v} | ${round((100 * v) / s.totalMs)} % |`), '',
      '## By function', '', '| function — where | self ms |', '|---|---|', ...s.functions.map(([k, v]) => `| ${k.replace(/\|/g, '\\|')} | ${v} |`), '',
      `Profile: ${path.join(profDir, file)}`, '',
    ].join('\n');
    fs.writeFileSync(path.join(OUT, postgres ? 'profile-postgres.md' : 'profile.md'), md);
    process.stdout.write(md);
  } finally {
    if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    await stand.close();
    await stopTestPostgres();
  }
}

if (require.main === module) main().then(() => process.exit(0), (err: unknown) => { process.stderr.write(`${(err as Error).stack}\n`); process.exit(1); });

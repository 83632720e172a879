/**
 * `npm start`: the bot in local mode plus the Microsoft 365 Agents Playground as its Teams client.
 * Developer tooling, not part of the bot: it only sets environment defaults and starts processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import YAML from 'yaml';
import { playgroundArgs } from './playground/command';

const root = path.resolve(__dirname, '../..');
const playgroundConfig = path.join(root, 'scripts/playground/m365agentsplayground.yml');
const PLAYGROUND_DEFAULT_ADMIN = '00000000-0000-0000-0000-0000000000020';

interface PlaygroundConfig { currentUser?: { aadObjectId?: string }; team?: { name?: string } }

function playgroundConfigFile(): PlaygroundConfig {
  try {
    return YAML.parse(fs.readFileSync(playgroundConfig, 'utf8')) as PlaygroundConfig;
  } catch {
    return {};
  }
}

const playground = playgroundConfigFile();
const playgroundUserAadId = (): string => playground.currentUser?.aadObjectId ?? PLAYGROUND_DEFAULT_ADMIN;
const playgroundTeam = playground.team?.name ?? 'the team';

const env: NodeJS.ProcessEnv = { ...process.env };
env.PORT ??= '3978';
env.HOST ??= '127.0.0.1';
env.DATA_DIR ??= path.join(root, 'data');
env.QUESTIONS_FILE ??= path.join(root, 'bot/questions/vragen.yaml');
const playgroundPort = process.env.PLAYGROUND_PORT ?? '56150';
let adminNote = '';
if (!env.KENNISKRING_ADMINS && !env.MicrosoftAppId) {
  env.KENNISKRING_ADMINS = playgroundUserAadId();
  adminNote = `KENNISKRING_ADMINS was not set: the Playground's signed-in user (${env.KENNISKRING_ADMINS}) is an admin for this local run.`;
}

const children: ChildProcess[] = [];
let stopping = false;

/** Bot logs are JSON (pino); show them as short lines here. */
function prettyLine(line: string): string {
  try {
    const e = JSON.parse(line) as Record<string, unknown>;
    const level = ({ 10: 'trace', 20: 'debug', 30: 'info ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' } as Record<number, string>)[e.level as number] ?? '     ';
    const time = new Date(e.time as number).toTimeString().slice(0, 8);
    const extra = Object.entries(e).filter(([k]) => !['level', 'time', 'msg', 'app', 'pid', 'hostname'].includes(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    return `${time} ${level} ${e.msg as string}${extra ? `  ${extra}` : ''}`;
  } catch {
    return line;
  }
}

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGINT');
  const force = setTimeout(() => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL'); process.exit(code); }, 10_000);
  force.unref();
  void Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
}

async function waitReady(url: string, bot: ChildProcess): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (bot.exitCode !== null) throw new Error('the bot stopped during start-up (see above)');
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the bot did not become ready at ${url}`);
}

async function main(): Promise<void> {
  const flags = ((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start:bot'] ?? '')
    .split(/\s+/).filter((a) => a.startsWith('--'));
  const bot = spawn(process.execPath, ['--no-deprecation', ...flags, path.join(root, 'dist/bot/src/main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(bot);
  readline.createInterface({ input: bot.stdout! }).on('line', (l) => process.stdout.write(`[bot] ${prettyLine(l)}\n`));
  bot.once('exit', (code) => { if (!stopping) { process.stderr.write(`[bot] exited with ${code}\n`); stopAll(code ?? 1); } });
  const botUrl = `http://127.0.0.1:${env.PORT}`;
  await waitReady(`${botUrl}/readyz`, bot);

  const pgEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEAMSAPPTESTER_BROWSER: 'none',
    APPLICATION_INSIGHTS_NO_STATSBEAT: '1',
    M365_AGENTS_PLAYGROUND_LOGFILE: path.join(env.DATA_DIR!, 'playground.log'),
    ...(fs.existsSync(playgroundConfig) ? { M365_AGENTS_PLAYGROUND_CONFIG_PATH: playgroundConfig } : {}),
  };
  const pg = spawn(process.execPath, playgroundArgs({ botEndpoint: `${botUrl}/api/messages`, port: playgroundPort }), {
    env: pgEnv, cwd: env.DATA_DIR, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(pg);
  pg.stderr!.on('data', (d) => process.stderr.write(`[playground] ${String(d)}`));
  pg.once('exit', (code) => { if (!stopping) { process.stderr.write(`[playground] exited with ${code}\n`); stopAll(code ?? 1); } });
  const pgUrl = await new Promise<string>((resolve) => {
    readline.createInterface({ input: pg.stdout! }).on('line', (l) => {
      const m = /Listening on (\d+)/.exec(l);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
  });
  process.stdout.write([
    '',
    '  Kenniskring is running in local mode (no Microsoft tenant, authentication off).',
    `  Bot:         ${botUrl}/api/messages   (health: ${botUrl}/healthz)`,
    `  Playground:  ${pgUrl}   ← open this in your browser`,
    `  Routekaart:  ${botUrl}/tab/   (the tab, in a plain browser)`,
    `  Data:        ${env.DATA_DIR}`,
    adminNote ? `  ${adminNote}` : '',
    '',
    '  Start here: open the Playground and click "General" under "Teams Channel" (left): that is the',
    `  channel of ${playgroundTeam}; the bot registers the team as an RKK and greets there. Then:`,
    '    1. type "@Kenniskring publiceer" and click "Bevestigen": this week\'s question is a new thread;',
    '    2. answer on the card (an explanation is optional), then "Toelichtingen van collega\'s";',
    '    3. "@Kenniskring sluit" and "Bevestigen": the results card appears in the thread.',
    '  "@Kenniskring plan" plans a new question, "@Kenniskring hulp" lists every command.',
    '  The Personal Chat, where the Playground opens, answers "vraag", "resultaten", "mijn gegevens".',
    '  Ctrl-C stops both.',
    '',
  ].filter((l, i, a) => l !== '' || a[i - 1] !== '').join('\n') + '\n');
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${(err as Error).message}\n`);
  stopAll(1);
});

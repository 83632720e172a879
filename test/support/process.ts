import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const MAIN = path.resolve(__dirname, '../../bot/src/main.js');

export interface LogEntry { level?: number; msg?: string; [k: string]: unknown }

export interface BotProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** The Node flags production runs the bot with (package.json's `start:bot`, the one place they are written). */
export function productionNodeFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { scripts: Record<string, string> };
  return pkg.scripts['start:bot']!.split(/\s+/).filter((t) => t.startsWith('--'));
}

/** Starts the real bot (`node main.js`) as its own process, as production runs it; log lines go to `onLog`. */
export function startBotProcess(env: Record<string, string>, onLog: (e: LogEntry) => void = () => undefined, nodeArgs: string[] = [], onOtherLine?: (line: string) => void): Promise<BotProcess> {
  return startNodeProcess(MAIN, { LOG_LEVEL: 'info', ...env }, onLog, nodeArgs, onOtherLine);
}

/**
 * Starts a Node script as its own process, on a free port of loopback; it is ready when it logs
 * `{"msg":"… is listening","url":…}` on stdout (pino's JSON lines).
 */
export async function startNodeProcess(script: string, env: Record<string, string>, onLog: (e: LogEntry) => void = () => undefined, nodeArgs: string[] = [],
  onOtherLine: (line: string) => void = () => undefined): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--no-deprecation', ...nodeArgs, script], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: LogEntry;
      try { entry = JSON.parse(line) as LogEntry; } catch { onOtherLine(line); return; } // not a log entry (e.g. --trace-gc)
      onLog(entry);
      if (typeof entry.msg === 'string' && entry.msg.endsWith(' is listening') && typeof entry.url === 'string') resolve(entry.url);
    });
    void exited.then((code) => reject(new Error(`${path.basename(script)} exited with ${code} before listening: ${stderr}`)));
  });
  return { child, url, exited };
}

/** Stops a process with SIGTERM and waits for it (SIGKILL after `graceMs`). */
export async function stopProcess(p: BotProcess, graceMs = 10_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}

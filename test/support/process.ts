import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const MAIN = path.resolve(__dirname, '../../bot/src/main.js');

export interface LogEntry { level?: number; msg?: string; [k: string]: unknown }

export interface BotProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** Starts the real bot (`node main.js`) as its own process, as production runs it; log lines go to `onLog`. */
export async function startBotProcess(env: Record<string, string>, onLog: (e: LogEntry) => void = () => undefined, nodeArgs: string[] = []): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--no-deprecation', ...nodeArgs, MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: LogEntry;
      try { entry = JSON.parse(line) as LogEntry; } catch { return; } // a non-JSON line: not a log entry
      onLog(entry);
      if (entry.msg === 'Kenniskring is listening' && typeof entry.url === 'string') resolve(entry.url);
    });
    void exited.then((code) => reject(new Error(`bot exited with ${code} before listening: ${stderr}`)));
  });
  return { child, url, exited };
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { loadConfig } from '../../bot/src/config';
import { createLogger } from '../../bot/src/log';
import { startApp, type App } from '../../bot/src/app';
import type { Clock, Timers } from '../../bot/src/services/ports';
import { storeEnv } from './stores';

export const ADMIN_IDS = ['0b7f3a52-6c1e-4d7b-a1f0-3e9c2d8b4a61']; // An Peeters

/** Temp folders made by this run; test/support/hooks.ts removes them at the end. */
export const createdTempDirs: string[] = [];

export function tempDir(prefix = 'kk-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  createdTempDirs.push(dir);
  return dir;
}

export interface TestBot {
  app: App;
  dataDir: string;
  /** POSTs an activity to /api/messages over real HTTP. */
  send(activity: Partial<Activity>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** Starts the real app on a free port (local mode) on the current store (see stores.ts), with the test's clock and timers if given. */
export async function startTestBot(o: {
  dataDir?: string; env?: Record<string, string>; clock?: Clock; timers?: Timers; random?: () => number;
  /** Production mode: the channel's token for each activity (the Authorization header Teams sends). */
  authorize?: (activity: Partial<Activity>) => string;
} = {}): Promise<TestBot> {
  const dataDir = o.dataDir ?? tempDir();
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', ...await storeEnv(dataDir), KENNISKRING_ADMINS: ADMIN_IDS.join(','),
    COUNT_UPDATE_DELAY_SECONDS: '5', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...o.env,
  });
  const log = createLogger(config.logLevel);
  const app = await startApp({
    config, log,
    ...(o.clock ? { clock: o.clock } : {}), ...(o.timers ? { timers: o.timers } : {}), ...(o.random ? { random: o.random } : {}),
  });
  return {
    app, dataDir,
    async send(activity) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (o.authorize) headers.authorization = `Bearer ${o.authorize(activity)}`;
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
      const text = await res.text();
      let body: unknown = text;
      try { body = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text for the assertion message */ }
      return { status: res.status, body };
    },
    close: () => app.close(),
  };
}

/** Polls until `check` returns a truthy value (real time; for work that crosses HTTP). */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Writes a question file for a test. */
export function writeQuestions(dir: string, questions: unknown[], name = 'vragen.json'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ questions }, null, 2));
  return file;
}

/** The card a message or invoke response carries. */
export function cardOf(activityOrBody: any): any {
  if (activityOrBody?.value && activityOrBody?.type === 'application/vnd.microsoft.card.adaptive') return activityOrBody.value;
  return activityOrBody?.attachments?.[0]?.content;
}

/** All text on a card, flattened: what a member reads. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) {
        if ((k === 'text' || k === 'title' || k === 'value' || k === 'label') && typeof v === 'string') out.push(v);
        else walk(v);
      }
    }
  };
  walk(card);
  return out.join('\n');
}

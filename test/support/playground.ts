/**
 * Drives the Microsoft 365 Agents Playground (0.2.28) as a Teams stand-in, over its own HTTP API.
 *
 * The Playground is started as a child process (its own process group, a temporary working
 * directory so nothing lands in the repository) and talks to the bot like Teams does: activities
 * to the bot's /api/messages, the bot answering over the Playground's connector (/_connector/v3).
 *
 * What the API looks like (read from dist/index.js, checked by running it):
 * - POST /_debug/conversation/:id/installation {}: answers 200 at once, then sends the bot an
 *   installationUpdate (add) and a conversationUpdate (membersAdded: the bot), concurrently.
 * - POST /_conversation/v1/conversations/:id/messages {from:{id}, text, textFormat, mentions?}:
 *   a message from the CURRENT user (from.id must be a member, but the activity is always the
 *   current user's). To a channel id it starts a new thread ("<channel>;messageid=<ms>"), to a
 *   thread id it replies. The bot only gets it in a personal chat or when it is @mentioned.
 *   Answer: {messageId, postConversationId?, timestamp}.
 * - POST /_conversation/v1/invoke {name:'adaptiveCard/action', from:{id}, conversation:{id},
 *   replyToId, value}: an invoke from any member (from.id honoured); replyToId must be a message in
 *   that conversation. Answers the bot's invoke response as {type, value} (statusCode dropped).
 * - POST /_internal/v1/customActivities <activity>: sends the activity to the bot as is (200 at
 *   once). GET /_internal/v1/customActivities/template?conversationId=…[&type=…] gives a base.
 * - GET /_internal/v1/config: the loaded configuration; waits (up to 15 s) until the bot's
 *   endpoint answers, so it doubles as the readiness check.
 * - There is no route to read conversations back. What the bot posted comes over the WebSocket
 *   /_ws_conversation/v1/conversations/stream (what the Teams-like client shows: createMessage /
 *   updateMessage of the bot's messages), and every activity in both directions, with request and
 *   response bodies, over /_ws/log/stream. Both buffer until a client connects.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { playgroundArgs } from '../../scripts/playground/command';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import YAML from 'yaml';

// ---------------------------------------------------------------------------------------------
// The Playground's configuration file (.m365agentsplayground.yml, schema version 0.1.1)
// ---------------------------------------------------------------------------------------------

export interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string; // sic: the Playground's spelling
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

export interface PlaygroundConfigFile {
  version: string;
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  personalChat: { id: string };
  groupChat: { id: string; name: string };
  team: { id: string; name: string; aadGroupId: string; channels: { id: string; name: string }[] };
}

/** Finds the repository root (the folder with Kenniskring's package.json) from a compiled or source file. */
export function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kenniskring') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Kenniskring package.json above ${from}`);
  }
}

/** The RKK Gent-Eeklo sample context shipped for the Playground. */
export const PLAYGROUND_CONFIG = path.join(repoRoot(), 'scripts', 'playground', 'm365agentsplayground.yml');

export function readPlaygroundConfig(file = PLAYGROUND_CONFIG): PlaygroundConfigFile {
  return YAML.parse(fs.readFileSync(file, 'utf8')) as PlaygroundConfigFile;
}

// ---------------------------------------------------------------------------------------------
// What the Playground shows and logs
// ---------------------------------------------------------------------------------------------

export interface Attachment { contentType: string; content: unknown }

/** A message as the Playground's client shows it. */
export interface ShownMessage {
  messageId: string;
  /** The conversation the message lives in: a chat, or a channel thread "<channel>;messageid=<root>". */
  conversationId: string;
  from: { id: string };
  text?: string;
  attachments: Attachment[];
  timestamp: number;
  /** How often the bot updated it (PUT …/activities/:id). */
  updates: number;
}

/** A channel thread: the root post and the replies under it. */
export interface Thread {
  id: string;
  channelId: string;
  root: ShownMessage;
  replies: ShownMessage[];
}

/** One activity as logged by the Playground: to the bot (incoming) or from the bot (connector calls). */
export interface LoggedActivity {
  direction: 'toBot' | 'fromBot';
  /** activity type or connector operation: installationUpdate, message, invoke, createConversation … */
  activityName: string;
  conversationId?: string;
  messageId?: string;
  request: { body: any };
  response?: { statusCode: number; body: any };
}

interface StreamMessage {
  messageId: string;
  timestamp: number;
  from: { id: string };
  text?: string;
  attachments?: Attachment[];
  postConversationId?: string;
}
interface ConversationAction { action: 'createMessage' | 'updateMessage' | 'typing'; actionConversationId: string; message?: StreamMessage }
interface LogAction { logAction: string; log: { type: string; displayText?: string; level?: string; from?: string; activityName?: string; conversationId?: string; messageId?: string; request?: { body: any }; response?: { statusCode: number; body: any } } }

export interface SentMessage { messageId: string; conversationId: string; timestamp: number }

/** What `waitFor` polls: a value, or a promise of one (a read of the bot's async store). */
export type WaitCheck<T> = () => T | false | null | undefined | Promise<T | false | null | undefined>;

export interface Playground {
  url: string;
  port: number;
  /** The configuration the Playground actually loaded (GET /_internal/v1/config). */
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: PlaygroundUser;
    users: PlaygroundUser[];
    personalChat: { id: string; name: string };
    groupChats: { id: string; name: string; members: string[] }[];
    teams: { id: string; name: string; aadGroupId: string; channels: { id: string; name: string; channelType: string }[]; members: string[] }[];
  };
  /** Everyone the Playground knows: the current user first. */
  people: PlaygroundUser[];
  person(name: string): PlaygroundUser;
  /** Installs the app in a chat or channel; resolves once the bot has answered both install activities. */
  install(conversationId: string): Promise<LoggedActivity[]>;
  /**
   * The current user types a message. In a channel (id without ";messageid=") it starts a new
   * thread, in a thread it replies. `mentionBot` prefixes "<at>bot</at>" and adds the mention
   * entity. When the Playground forwards it (personal chat, or a mention), resolves after the bot answered.
   */
  say(conversationId: string, text: string, opts?: { mentionBot?: boolean }): Promise<SentMessage>;
  /** A member clicks an Action.Execute button on the message `replyToId` in `conversationId`. */
  execute(o: { from: PlaygroundUser; conversationId: string; replyToId: string; verb: string; data: Record<string, unknown> }): Promise<{ status: number; body: any }>;
  /** GET /_internal/v1/customActivities/template: a base activity for a conversation. */
  template(conversationId: string, type?: string): Promise<Record<string, any>>;
  /** Sends any activity to the bot (as any user); resolves once the bot answered it (matched by activity id). */
  sendActivity(activity: Record<string, any>): Promise<LoggedActivity>;
  /**
   * A member replies in a channel thread WITHOUT mentioning the bot, delivered as Teams does with
   * resource-specific consent. The Playground never forwards such messages itself, so this goes
   * through customActivities; it does not show in the Playground's client.
   */
  replyInThread(o: { from: PlaygroundUser; threadId: string; text: string; locale?: string }): Promise<LoggedActivity>;
  /** The threads of a channel, oldest first, as the client shows them. */
  threads(channelId: string): Thread[];
  thread(threadId: string): Thread | undefined;
  /** Every activity the Playground logged, in order. */
  activities(): LoggedActivity[];
  /** Resolves when `check` returns (or resolves to) something truthy (checked on every event and every 25 ms). */
  waitFor<T>(check: WaitCheck<T>, what: string, timeoutMs?: number): Promise<T>;
  /** Playground log lines so far (its log file), for failure messages. */
  logTail(lines?: number): string;
  /** Closes the streams, ends the Playground's process group and waits for it to exit. */
  stop(): Promise<void>;
}

export interface StartPlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  /** A .m365agentsplayground.yml; without it the Playground's built-in sample (Alex Wilber, team-id …). */
  configPath?: string;
  /** Fixed port; default: a free one. */
  port?: number;
  /** How long start-up may take. */
  startTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startPlayground(o: StartPlaygroundOptions): Promise<Playground> {
  const configPath = o.configPath ? path.resolve(o.configPath) : undefined;
  // The Playground silently falls back to its built-in sample when the file is missing.
  if (configPath && !fs.existsSync(configPath)) throw new Error(`Playground config ${configPath} does not exist`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kk-playground-'));
  const logFile = path.join(workDir, 'm365agentsplayground.log');

  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (/^(M365_AGENTS_PLAYGROUND_|TEAMSAPPTESTER_|TEAMS_APP_TEST_TOOL_)/.test(k)) delete env[k];
  Object.assign(env, {
    TEAMSAPPTESTER_BROWSER: 'none', // never open a browser
    APPLICATION_INSIGHTS_NO_STATSBEAT: '1', // no calls to 169.254.169.254 / Application Insights
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    // The client's locale and the activities' local time zone follow the process (activities still say en-US).
    LANG: 'nl_BE.UTF-8', TZ: 'Europe/Brussels',
    ...(configPath ? { M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath } : {}),
  });
  const child = spawn(process.execPath, playgroundArgs({ botEndpoint: o.botEndpoint, port: o.port ?? 0 }), {
    cwd: workDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { output += d; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { output += d; });
  const logTail = (lines = 40) => {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    return `${output}\n${log}`.trim().split('\n').slice(-lines).join('\n');
  };

  // If the test process ends without stop(), the Playground must not outlive it.
  const killOnExit = () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', killOnExit);
  const streams: WebSocketClient[] = [];
  const stop = async () => {
    await Promise.all(streams.map((s) => s.close()));
    await killGroup(child, exited);
    process.removeListener('exit', killOnExit);
    fs.rmSync(workDir, { recursive: true, force: true });
  };

  try {
    const timeoutMs = o.startTimeoutMs ?? 20_000;
    const deadline = Date.now() + timeoutMs;
    const failed = (why: string) => new Error(`Playground did not start: ${why}\n${logTail()}`);
    // 1. The port.
    let port: number | null = null;
    while (port === null) {
      const m = /Listening on (\d+)/.exec(output);
      if (m) port = Number(m[1]);
      else if (child.exitCode !== null) throw failed(`exited with ${child.exitCode}`);
      else if (Date.now() > deadline) throw failed(`no "Listening on" within ${timeoutMs} ms`);
      else await sleep(20);
    }
    const url = `http://127.0.0.1:${port}`;
    // 2. Configuration loaded and the bot reachable. A bad config file ends the process after "Listening".
    const exitedWith = (graceMs: number) => Promise.race([exited, sleep(graceMs).then(() => 'running' as const)]);
    const configRes = await Promise.race([
      fetch(`${url}/_internal/v1/config`, { signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())) })
        .catch(async (err: Error) => {
          const code = await exitedWith(500);
          throw failed(code === 'running' ? `GET /_internal/v1/config: ${err.message}` : `exited with ${code}`);
        }),
      exited.then((code) => { throw failed(`exited with ${code}`); }),
    ]);
    if (!configRes.ok) throw failed(`GET /_internal/v1/config answered ${configRes.status}`);
    const config = ((await configRes.json()) as { config: Playground['config'] }).config;
    if (configPath) {
      const file = readPlaygroundConfig(configPath);
      if (config.bot.id !== file.bot.id) throw failed(`it did not load ${configPath} (bot ${config.bot.id})`);
    }

    // 3. What the client shows, and the activity log.
    const state = new View();
    streams.push(await connectWebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`, (t) => state.onConversation(JSON.parse(t) as ConversationAction)));
    streams.push(await connectWebSocket(`ws://127.0.0.1:${port}/_ws/log/stream`, (t) => state.onLog(JSON.parse(t) as LogAction)));

    const people = [config.currentUser, ...config.users];
    const api = async (method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> => {
      const res = await fetch(`${url}${route}`, {
        method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = text ? JSON.parse(text) : null; } catch { /* keep the text */ }
      return { status: res.status, body: parsed };
    };
    const ok = (what: string, r: { status: number; body: any }) => {
      if (r.status >= 300) throw new Error(`${what}: Playground answered ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
      return r;
    };
    const waitFor = <T>(check: WaitCheck<T>, what: string, timeoutMs = 5000) => state.waitFor(check, what, timeoutMs, logTail);
    const answered = (match: (a: LoggedActivity) => boolean, what: string, after: number) =>
      waitFor(() => state.log.slice(after).find((a) => a.direction === 'toBot' && a.response && match(a)), what, 10_000);

    const pg: Playground = {
      url, port, config, people,
      person(name) {
        const p = people.find((u) => u.name === name || u.givenName === name);
        if (!p) throw new Error(`no Playground user ${name}`);
        return p;
      },
      async install(conversationId) {
        const before = state.log.length;
        ok('install', await api('POST', `/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {}));
        return Promise.all([
          answered((a) => a.activityName === 'installationUpdate' && a.conversationId === conversationId, 'installationUpdate answered', before),
          answered((a) => a.activityName === 'conversationUpdate' && a.conversationId === conversationId, 'conversationUpdate answered', before),
        ]);
      },
      async say(conversationId, text, opts = {}) {
        const bot = config.bot;
        const at = `<at>${bot.name}</at>`;
        const before = state.log.length;
        const body = opts.mentionBot
          ? { from: { id: config.currentUser.id }, text: `${at} ${text}`, textFormat: 'plain', mentions: [{ mentioned: { id: bot.id }, text: at }] }
          : { from: { id: config.currentUser.id }, text, textFormat: 'plain' };
        const r = ok('message', await api('POST', `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, body)).body as
          { messageId: string; postConversationId?: string; timestamp: number };
        const sent: SentMessage = { messageId: r.messageId, conversationId: r.postConversationId ?? conversationId, timestamp: r.timestamp };
        state.addOwn(sent, config.currentUser.id, body.text);
        const forwarded = opts.mentionBot || conversationId === config.personalChat.id;
        if (forwarded) await answered((a) => a.activityName === 'message' && a.conversationId === sent.conversationId && a.request.body?.text === body.text, `bot answered "${body.text}"`, before);
        return sent;
      },
      async execute({ from, conversationId, replyToId, verb, data }) {
        return api('POST', '/_conversation/v1/invoke', {
          name: 'adaptiveCard/action', from: { id: from.id }, conversation: { id: conversationId }, replyToId,
          value: { action: { type: 'Action.Execute', verb, data } },
        });
      },
      async template(conversationId, type) {
        const q = `conversationId=${encodeURIComponent(conversationId)}${type ? `&type=${encodeURIComponent(type)}` : ''}`;
        return ok('template', await api('GET', `/_internal/v1/customActivities/template?${q}`)).body as Record<string, any>;
      },
      async sendActivity(activity) {
        if (!activity.id) throw new Error('sendActivity needs an activity id to know when the bot has answered');
        const before = state.log.length;
        ok('custom activity', await api('POST', '/_internal/v1/customActivities', activity));
        return answered((a) => a.messageId === activity.id, `bot answered activity ${activity.id}`, before);
      },
      async replyInThread({ from, threadId, text, locale = 'nl-BE' }) {
        const m = /^(.+);messageid=(.+)$/.exec(threadId);
        if (!m) throw new Error(`${threadId} is not a thread id`);
        const [, channelId, rootId] = m as unknown as [string, string, string];
        const team = config.teams.find((t) => t.channels.some((c) => c.id === channelId));
        if (!team) throw new Error(`channel ${channelId} is in no Playground team`);
        const base = await pg.template(threadId);
        const now = Date.now();
        return pg.sendActivity({
          ...base,
          type: 'message',
          id: String(now), // Teams: a channel message id is its creation time in ms
          timestamp: new Date(now).toISOString(),
          replyToId: rootId,
          from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
          text,
          textFormat: 'plain',
          locale,
          entities: [{ type: 'clientInfo', locale, country: 'BE', platform: 'Web', timezone: 'Europe/Brussels' }],
          channelData: { teamsChannelId: channelId, teamsTeamId: team.id, tenant: { id: config.tenantId }, team: { id: team.id }, channel: { id: channelId } },
        });
      },
      threads: (channelId) => state.threadsOf(channelId),
      thread: (threadId) => state.threads.get(threadId),
      activities: () => [...state.log],
      waitFor,
      logTail,
      stop,
    };
    return pg;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Ends the child's whole process group: SIGTERM, then SIGKILL after 3 s; waits for the exit. */
async function killGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signal = (s: NodeJS.Signals) => { try { process.kill(-child.pid!, s); } catch { /* already gone */ } };
  signal('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = await Promise.race([exited.then(() => true), new Promise<false>((r) => { timer = setTimeout(() => r(false), 3000); })]);
  clearTimeout(timer);
  if (!killed) {
    signal('SIGKILL');
    await exited;
  }
}

// ---------------------------------------------------------------------------------------------
// The client's view, rebuilt from the streams
// ---------------------------------------------------------------------------------------------

class View {
  readonly messages = new Map<string, ShownMessage>();
  readonly threads = new Map<string, Thread>();
  readonly log: LoggedActivity[] = [];
  private waiters = new Set<() => void>();

  private changed(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Messages typed through the API do not come back over the stream; the client shows them all the same. */
  addOwn(sent: SentMessage, fromId: string, text: string): void {
    this.place({ messageId: sent.messageId, conversationId: sent.conversationId, from: { id: fromId }, text, attachments: [], timestamp: sent.timestamp, updates: 0 });
    this.changed();
  }

  onConversation(a: ConversationAction): void {
    const m = a.message;
    if (!m) return;
    if (a.action === 'createMessage') {
      this.place({
        messageId: m.messageId, conversationId: m.postConversationId ?? a.actionConversationId, from: m.from,
        ...(m.text !== undefined ? { text: m.text } : {}), attachments: m.attachments ?? [], timestamp: m.timestamp, updates: 0,
      });
    } else if (a.action === 'updateMessage') {
      const shown = this.messages.get(m.messageId);
      if (shown) {
        shown.attachments = m.attachments ?? [];
        if (m.text !== undefined) shown.text = m.text;
        shown.updates++;
      }
    }
    this.changed();
  }

  onLog(a: LogAction): void {
    const l = a.log;
    if (a.logAction !== 'appendLog' || !l.activityName || !l.request) return;
    this.log.push({
      direction: l.from === 'User Application' ? 'fromBot' : 'toBot',
      activityName: l.activityName,
      ...(l.conversationId ? { conversationId: l.conversationId } : {}),
      ...(l.messageId ? { messageId: l.messageId } : {}),
      request: l.request,
      ...(l.response ? { response: l.response } : {}),
    });
    this.changed();
  }

  private place(msg: ShownMessage): void {
    this.messages.set(msg.messageId, msg);
    const m = /^(.+);messageid=(.+)$/.exec(msg.conversationId);
    if (!m) return;
    const [, channelId, rootId] = m as unknown as [string, string, string];
    const thread = this.threads.get(msg.conversationId);
    if (rootId === msg.messageId) this.threads.set(msg.conversationId, { id: msg.conversationId, channelId, root: msg, replies: thread?.replies ?? [] });
    else if (thread) thread.replies.push(msg);
    else {
      // A reply before its root was seen (root typed elsewhere): keep it under a placeholder root.
      const root: ShownMessage = { messageId: rootId, conversationId: msg.conversationId, from: { id: '' }, attachments: [], timestamp: Number(rootId) || 0, updates: 0 };
      this.threads.set(msg.conversationId, { id: msg.conversationId, channelId, root, replies: [msg] });
    }
  }

  threadsOf(channelId: string): Thread[] {
    return [...this.threads.values()].filter((t) => t.channelId === channelId).sort((a, b) => a.root.timestamp - b.root.timestamp);
  }

  waitFor<T>(check: WaitCheck<T>, what: string, timeoutMs: number, tail: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let poll: NodeJS.Timeout | undefined;
      let settled = false;
      const done = () => { settled = true; this.waiters.delete(test); clearTimeout(timer); clearInterval(poll); };
      const pass = (v: T | false | null | undefined) => { if (v && !settled) { done(); resolve(v); } };
      const fail = (err: unknown) => { if (!settled) { done(); reject(err); } };
      const test = () => {
        if (settled) return;
        let v: ReturnType<WaitCheck<T>>;
        try { v = check(); } catch (err) { fail(err); return; }
        // An async check (the bot's store) settles later; a plain one at once, as the event happens.
        if (v instanceof Promise) void v.then(pass, fail);
        else pass(v);
      };
      this.waiters.add(test);
      timer = setTimeout(() => { done(); reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${what}\n--- Playground log ---\n${tail()}`)); }, timeoutMs);
      poll = setInterval(test, 25); // for state outside the Playground (the bot's store)
      test();
    });
  }
}

export { cardText } from './bot';

/** The Adaptive Card of a shown message (the first attachment), or undefined. */
export function adaptiveCard(m: { attachments: Attachment[] } | undefined): Record<string, any> | undefined {
  const a = m?.attachments.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive');
  return a?.content as Record<string, any> | undefined;
}

// ---------------------------------------------------------------------------------------------
// A minimal WebSocket client (RFC 6455, text frames) on node:http: Node 20 has no global
// WebSocket, and the project does not depend on a WebSocket package.
// ---------------------------------------------------------------------------------------------

interface WebSocketClient { close(): Promise<void> }

function connectWebSocket(url: string, onText: (text: string) => void): Promise<WebSocketClient> {
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  return new Promise((resolve, reject) => {
    const req = http.request(url.replace(/^ws/, 'http'), {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key },
    });
    req.once('error', reject);
    req.once('response', (res) => { res.resume(); reject(new Error(`${url}: no WebSocket upgrade (HTTP ${res.statusCode})`)); });
    req.once('upgrade', (res, socket, head) => {
      if (res.headers['sec-websocket-accept'] !== accept) { socket.destroy(); reject(new Error(`${url}: bad Sec-WebSocket-Accept`)); return; }
      resolve(attach(socket, head, onText));
    });
    req.end();
  });
}

function attach(socket: Duplex, head: Buffer, onText: (text: string) => void): WebSocketClient {
  let buf: Buffer = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let closing = false;
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.on('error', () => { /* the close that follows is enough */ });

  const send = (opcode: number, payload: Buffer = Buffer.alloc(0)) => {
    if (socket.destroyed) return;
    const mask = randomBytes(4); // control frames only: payload < 126 bytes
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    socket.write(Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]));
  };

  const onData = (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (buf.length < 2) return;
      const fin = (buf[0]! & 0x80) !== 0;
      const opcode = buf[0]! & 0x0f;
      const isMasked = (buf[1]! & 0x80) !== 0;
      let len = buf[1]! & 0x7f;
      let offset = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); offset = 4; }
      else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); offset = 10; }
      const maskKey = isMasked ? buf.subarray(offset, offset + 4) : null;
      if (isMasked) offset += 4;
      if (buf.length < offset + len) return;
      let payload: Buffer = buf.subarray(offset, offset + len);
      if (maskKey) payload = Buffer.from(payload.map((b, i) => b ^ maskKey[i % 4]!));
      buf = buf.subarray(offset + len);
      if (opcode === 0x1 || opcode === 0x2 || opcode === 0x0) {
        fragments.push(payload);
        if (fin) { const text = Buffer.concat(fragments).toString('utf8'); fragments = []; onText(text); }
      } else if (opcode === 0x9) send(0xa, payload); // ping → pong
      else if (opcode === 0x8) { // close
        if (!closing) { closing = true; send(0x8, payload.subarray(0, 2)); }
        socket.end();
      }
    }
  };
  socket.on('data', onData);
  if (head.length) onData(head);

  return {
    async close() {
      if (socket.destroyed) return;
      if (!closing) { closing = true; send(0x8, Buffer.from([0x03, 0xe8])); } // 1000: normal closure
      const t = setTimeout(() => socket.destroy(), 1000);
      await closed;
      clearTimeout(t);
    },
  };
}

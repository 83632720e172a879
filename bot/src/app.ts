import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from './config';
import type { Logger } from './log';
import { isStoreUnavailable, openStore, type Store, type StoreLocation } from './store';
import { POSTGRES_ENTRA_RESOURCE, createTokenSource, credentialFromConfig } from './auth/msal';
import { checkActivity } from './teams/activitySchema';
import { activityProcessor, createAdapter } from './teams/adapter';
import { plausibleChannelToken } from './teams/tokenShape';
import { createBot } from './teams/bot';
import { TeamsChannelSender } from './teams/sender';
import { createHttpServer } from './http/server';
import { Poster } from './services/poster';
import { Scheduler } from './services/scheduler';
import { CountUpdater } from './services/countUpdater';
import { AnswerService } from './services/answers';
import { QuestionLookup } from './services/questions';
import { resultsView } from './services/results';
import { agendaView } from './services/agenda';
import { tabDetails } from './services/tabAccess';
import { UserTokenValidator } from './auth/userToken';
import { TeamRoster } from './teams/roster';
import { readQuestionFile, syncQuestionFile } from './services/questionFile';
import { systemClock, systemTimers, type Clock, type Instances, type Timers } from './services/ports';
import type { BackoffPolicy } from './services/backoff';
import { SendPacer } from './services/pacer';
import { Leadership } from './services/leadership';
import { Services } from './services/app';

/** Teams' documented limit for one app in one tenant (all conversations together). */
const TEAMS_APP_CALLS_PER_SECOND = 50;
/** How soon the leader sees work another instance recorded in a shared store. */
const SHARED_STORE_POLL_MS = 2000;

/** Unique per process: the host (a container on App Service), the process and a random part. */
function instanceId(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(2).toString('hex')}`;
}
import { SharePointModule, connectGraph } from './sharepoint';
import { formatMoment } from './cards/render';

export interface AppOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  timers?: Timers;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** fetch for Graph and token calls (default: the global fetch). */
  fetch?: typeof fetch;
}

function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0'; // running from an unusual layout: the User-Agent still names the app
  }
}

export interface App {
  url: string;
  port: number;
  store: Store;
  scheduler: Scheduler;
  poster: Poster;
  countUpdater: CountUpdater;
  sharepoint: SharePointModule | null;
  leadership: Leadership;
  close(): Promise<void>;
}

/** The embedded store in DATA_DIR, or PostgreSQL (with an Entra token as the password when DATABASE_AUTH=entra). */
export function storeLocation(config: Config, log: Logger, fetchImpl: typeof fetch | undefined): StoreLocation {
  const db = config.database;
  if (!db) return { kind: 'sqlite', dataDir: config.dataDir };
  const sp = config.sharepoint;
  const password = db.auth === 'entra' && sp
    ? createTokenSource({
      tenantId: sp.tenantId, clientId: sp.clientId, credential: credentialFromConfig(sp.credential, sp.clientId),
      authorityHost: sp.authorityHost, resource: POSTGRES_ENTRA_RESOURCE,
    }, { log, ...(fetchImpl ? { fetch: fetchImpl } : {}) })
    : undefined;
  return { kind: 'postgres', connection: { url: db.url, poolSize: db.poolSize, ...(password ? { password } : {}) } };
}

/** Builds and starts the whole bot: store, question file, scheduler, HTTP. */
export async function startApp(o: AppOptions): Promise<App> {
  const { config, log } = o;
  const clock = o.clock ?? systemClock;
  const timers = o.timers ?? systemTimers;
  // Validate the question file before touching anything: a bad file stops start-up.
  const questionFile = config.questionsFile ? readQuestionFile(config.questionsFile) : null;

  const store: Store = await openStore(storeLocation(config, log, o.fetch));
  if (questionFile) {
    const outcome = await syncQuestionFile(questionFile, { store, schedule: config.schedule, now: clock.now(), log, path: config.questionsFile! });
    log.info({ file: config.questionsFile, ...outcome }, 'question file loaded');
  }

  const adapter = createAdapter(config.botAuth, log, o.fetch);
  // Teams allows an app about 50 calls a second per tenant: the bot paces itself just under that
  // (a slightly longer window than Teams', so network jitter never tips a call over).
  const pacer = new SendPacer(TEAMS_APP_CALLS_PER_SECOND, 1050, clock, timers);
  const sender = new TeamsChannelSender(adapter, config.botAuth?.appId ?? '', clock, pacer);
  // One instance at a time runs the background work; the workers ask before each pass whether
  // this one still leads. (The work below is started only once everything is built.)
  const leadership = new Leadership({
    store, clock, timers, log, self: instanceId(), leaseMs: config.leaderLeaseMs,
    onInstances: (alive) => pacer.shareWith(alive),
    work: {
      async lead() {
        await scheduler.start();
        countUpdater.lead();
        sharepoint?.start();
      },
      async follow() {
        await scheduler.stop();
        await countUpdater.follow();
        await sharepoint?.stop();
      },
    },
  });
  const mayRun = (): Promise<boolean> => leadership.confirm();
  // On a store only this process can use, only this instance is alive: whatever an earlier run left claimed is free.
  const instances: Instances = { self: leadership.self, alive: () => (store.shared ? leadership.seen().instances.map((i) => i.id) : [leadership.self]) };
  const poster = new Poster({ store, sender, schedule: config.schedule, clock, log, instances, digest: { delayMs: config.digestDelayMs, minGroupSize: config.minGroupSize }, recurring: config.recurring, reminderHours: config.reminderHours, ...(o.backoff ? { backoff: o.backoff } : {}), ...(o.random ? { random: o.random } : {}) });
  const scheduler = new Scheduler({
    store, poster, schedule: config.schedule, clock, timers, log, retentionMonths: config.retentionMonths, mayRun,
    instances,
    // A shared store: a `publiceer` taken by another instance is posted by the leader within seconds.
    ...(config.database ? { maxSleepMs: SHARED_STORE_POLL_MS } : {}),
  });
  const countUpdater = new CountUpdater({ store, sender, timers, clock, log, delayMs: config.countUpdateDelayMs, timeZone: config.timeZone, mayRun });
  const answers = new AnswerService(store, clock, countUpdater);
  const lookup = new QuestionLookup(store, clock, config.schedule);
  const moment = (d: Date) => formatMoment(d, { lang: 'nl', timeZone: config.timeZone });
  const sharepoint = config.sharepoint
    ? new SharePointModule({
      cfg: config.sharepoint, api: connectGraph(config.sharepoint, { log, version: packageVersion(), ...(o.fetch ? { fetch: o.fetch } : {}) }),
      store, schedule: config.schedule, clock, timers, log, formatMoment: moment, instances, ...(o.random ? { random: o.random } : {}),
    })
    : null;
  const services = new Services({
    store, schedule: config.schedule, clock, poster, scheduler, answers, lookup, admins: new Set(config.admins),
    sync: sharepoint?.sync ?? null, leadership, reminderHours: config.reminderHours,
  });
  const bot = createBot({ services, timeZone: config.timeZone, log });

  // The tab's signed-in view: an SSO token from Teams, and membership of the RKK's team.
  const sso = config.tabSso
    ? new UserTokenValidator({ ...config.tabSso, log, ...(o.fetch ? { fetch: o.fetch } : {}) })
    : null;
  const details = tabDetails({ store, clock, sso, roster: new TeamRoster(adapter, config.botAuth?.appId ?? '', log) });


  let closing = false;
  const processor = activityProcessor({ adapter, bot, log, isStoreUnavailable });
  const http = createHttpServer({
    processActivity: (req, res) => processor.process(req, res),
    log, isReady: () => !closing && leadership.started && store.isOpen(),
    checkActivity, isStoreUnavailable,
    timeouts: { headersMs: config.http.headersTimeoutMs, requestMs: config.http.requestTimeoutMs, keepAliveMs: config.http.keepAliveTimeoutMs },
    results: (team) => resultsView(store, clock, team, config.minGroupSize),
    agenda: (team) => agendaView(store, clock.now(), team),
    details,
    tab: { dir: path.resolve(__dirname, '../../public/tab'), frameAncestors: config.tabFrameAncestors },
    ...(config.botAuth ? { tokenGate: plausibleChannelToken } : {}),
  });
  const server = http.server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  await leadership.start();
  if (!sharepoint) log.info('SharePoint is not configured: changes wait in the outbox until it is');
  const address = server.address();
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${address.port}`;
  log.info({ url, mode: config.mode, store: config.database ? 'postgres' : 'sqlite', dataDir: config.database ? undefined : config.dataDir, schedule: config.schedule.pattern, timeZone: config.timeZone }, 'Kenniskring is listening');
  if (config.mode === 'local') log.warn('LOCAL MODE: Bot Framework authentication is OFF (no MicrosoftAppId). Never expose this to a network.');
  if (config.unauthenticatedOnNetwork) {
    log.warn({ host: config.host }, 'LOCAL MODE ON A NETWORK ADDRESS (LOCAL_MODE_LISTEN_ON_NETWORK=true): anyone who reaches this port can act as any member or administrator');
  }

  return {
    url, port: address.port, store, scheduler, poster, countUpdater, sharepoint, leadership,
    async close() {
      if (closing) return;
      closing = true;
      // Finish every request already accepted, then drain the workers: the scheduler's pass in
      // flight, pending count updates, the SharePoint batch in flight.
      await http.close(config.http.drainMs);
      await countUpdater.flush();
      await leadership.stop(); // a leader drains its work and gives the lead up: another instance takes over at once
      await store.close();
      log.info('Kenniskring stopped');
    },
  };
}

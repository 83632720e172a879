import { z } from 'zod';
import { WeekSchedule } from './domain/week';

/**
 * Reads and validates the environment once. Nothing else reads process.env.
 * Local mode: no Microsoft app id (auth off, embedded store, Playground as client).
 * Production mode: Bot Framework auth on; a half configuration refuses to start.
 */
const csv = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());

const envSchema = z.object({
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
  HOST: optionalString,
  LOCAL_MODE_LISTEN_ON_NETWORK: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')),
  HTTP_HEADERS_TIMEOUT_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(120).default(10)),
  HTTP_REQUEST_TIMEOUT_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(300).default(20)),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(600).default(65)),
  SHUTDOWN_DRAIN_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(1).max(120).default(15)),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  DATABASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^postgres(ql)?$/, error: 'must be a PostgreSQL URL: postgres://user@host:5432/database' }).optional()),
  DATABASE_AUTH: z.preprocess(emptyToUndefined, z.enum(['password', 'entra']).optional()),
  DATABASE_POOL_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(2).max(100).default(10)),
  LEADER_LEASE_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(2).max(120).default(20)),
  QUESTIONS_FILE: optionalString,
  POST_SCHEDULE: z.preprocess(emptyToUndefined, z.string().default('0 9 * * 1')),
  TIME_ZONE: z.preprocess(emptyToUndefined, z.string().default('Europe/Brussels')),
  KENNISKRING_ADMINS: z.preprocess(emptyToUndefined, csv.optional()),
  COUNT_UPDATE_DELAY_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(300).default(5)),
  TAB_FRAME_ANCESTORS: z.preprocess(emptyToUndefined, csv.optional()),
  TAB_SSO_AUDIENCE: z.preprocess(emptyToUndefined, csv.optional()),
  TAB_SSO_TENANTS: z.preprocess(emptyToUndefined, csv.optional()),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  GRAPH_TENANT_ID: optionalString,
  GRAPH_CLIENT_ID: optionalString,
  GRAPH_CLIENT_SECRET: optionalString,
  GRAPH_CERTIFICATE_FILE: optionalString,
  GRAPH_MANAGED_IDENTITY: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).optional()),
  SHAREPOINT_SITE_ID: optionalString,
  SHAREPOINT_SITE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https$/, error: 'must be the https URL of the SharePoint site' }).optional()),
  SHAREPOINT_LIST_QUESTIONS: z.preprocess(emptyToUndefined, z.string().default('Kenniskring Vragen')),
  SHAREPOINT_LIST_ANSWERS: z.preprocess(emptyToUndefined, z.string().default('Kenniskring Antwoorden')),
  SHAREPOINT_LIST_COMMENTS: z.preprocess(emptyToUndefined, z.string().default('Kenniskring Reacties')),
  SHAREPOINT_LIST_POSTS: z.preprocess(emptyToUndefined, z.string().default('Kenniskring Publicaties')),
  SHAREPOINT_LIST_AUDIT: z.preprocess(emptyToUndefined, z.string().default('Kenniskring Audit')),
  SHAREPOINT_LIST_AGENDA: z.preprocess(emptyToUndefined, z.string().default('Kenniskring Agenda')),
  SHAREPOINT_LIST_ASKS: z.preprocess(emptyToUndefined, z.string().default('Kenniskring Regiovragen')),
  SHAREPOINT_LIST_THEMES: z.preprocess(emptyToUndefined, z.string().default("Kenniskring Thema's")),
  RETENTION_MONTHS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(240).optional()),
  MIN_GROUP_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(5)),
  DIGEST_DELAY_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(168).default(24)),
  REMINDER_HOURS_BEFORE_CLOSE: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(144).default(24)),
  RECURRING_MIN_RKKS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(2).max(50).default(3)),
  RECURRING_WEEKS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(52).default(8)),
  GRAPH_BASE_URL: z.preprocess(emptyToUndefined, z.url().default('https://graph.microsoft.com')),
  GRAPH_RESOURCE: z.preprocess(emptyToUndefined, z.url().optional()),
  ENTRA_AUTHORITY_HOST: z.preprocess(emptyToUndefined, z.url().default('https://login.microsoftonline.com')),
  SYNC_RU_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(60).max(100_000).default(1250)),
  QUESTION_POLL_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(86_400).default(300)),
  MicrosoftAppId: optionalString,
  MicrosoftAppCertificateFile: optionalString,
  ToBotFromChannelOpenIdMetadataUrl: z.preprocess(emptyToUndefined, z.url().optional()),
  ToBotFromChannelTokenIssuer: optionalString,
  ToBotFromEmulatorOpenIdMetadataUrl: z.preprocess(emptyToUndefined, z.url().optional()),
  ToChannelFromBotLoginUrl: z.preprocess(emptyToUndefined, z.url().optional()),
  ToChannelFromBotOAuthScope: optionalString,
  OAuthUrl: z.preprocess(emptyToUndefined, z.url().optional()),
  CallerId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.preprocess(emptyToUndefined, z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).optional()),
  MicrosoftAppTenantId: optionalString,
});

/** Every setting the bot reads (checked by the deployment templates' tests). */
export const ENV_KEYS: readonly string[] = Object.keys(envSchema.shape);

export type Mode = 'local' | 'production';

/** The Bot Framework endpoints; botbuilder needs all seven together when any differs from the public cloud. */
export const CHANNEL_ENDPOINT_KEYS = [
  'ToBotFromChannelOpenIdMetadataUrl', 'ToBotFromChannelTokenIssuer', 'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToChannelFromBotLoginUrl', 'ToChannelFromBotOAuthScope', 'OAuthUrl', 'CallerId',
] as const;
export type ChannelEndpoints = Record<(typeof CHANNEL_ENDPOINT_KEYS)[number], string>;

export interface BotAuthConfig {
  appId: string;
  appPassword: string | undefined;
  /** PEM with the private key and certificate (SingleTenant without a password). */
  appCertificateFile: string | undefined;
  appType: 'SingleTenant' | 'UserAssignedMSI' | 'MultiTenant';
  tenantId: string | undefined;
  /** null: the public Azure cloud's endpoints (botbuilder's defaults). */
  endpoints: ChannelEndpoints | null;
  /** Where outbound tokens come from (the origin of ToChannelFromBotLoginUrl, else ENTRA_AUTHORITY_HOST). */
  authorityHost: string;
}

export type GraphCredentialConfig =
  | { kind: 'secret'; secret: string }
  | { kind: 'certificate'; file: string }
  | { kind: 'managedIdentity' };

export interface SharePointConfig {
  tenantId: string;
  clientId: string;
  credential: GraphCredentialConfig;
  site: { id: string } | { url: string };
  lists: { questions: string; answers: string; comments: string; posts: string; audit: string; agenda: string; asks: string; themes: string };
  graphBaseUrl: string;
  /** The Graph token audience when it cannot be told from graphBaseUrl (null: derived). */
  graphResource: string | null;
  authorityHost: string;
  ruPerMinute: number;
  questionPollMs: number;
}

/**
 * PostgreSQL, shared by every instance (null: the embedded SQLite store in dataDir, one process).
 * `entra`: the password is an Entra access token of the bot's own credential (the Graph one).
 */
export interface DatabaseConfig {
  url: string;
  auth: 'password' | 'entra';
  poolSize: number;
}

export interface Config {
  mode: Mode;
  port: number;
  host: string;
  /** Local mode on a non-loopback address, asked for explicitly (LOCAL_MODE_LISTEN_ON_NETWORK=true). */
  unauthenticatedOnNetwork: boolean;
  /** See HttpTimeouts in http/server.ts; milliseconds. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number; drainMs: number };
  dataDir: string;
  database: DatabaseConfig | null;
  /** How long the lead on the background work lasts without renewal (renewed four times as often). */
  leaderLeaseMs: number;
  questionsFile: string | null;
  schedule: WeekSchedule;
  timeZone: string;
  admins: string[];
  countUpdateDelayMs: number;
  logLevel: string;
  /** null in local mode: auth off both ways. */
  botAuth: BotAuthConfig | null;
  /** null when SharePoint is not configured (local mode only). */
  sharepoint: SharePointConfig | null;
  /** Origins allowed to frame the tab (Content-Security-Policy frame-ancestors). */
  tabFrameAncestors: string[];
  /** Answers and comments older than this many months are removed (locally and in SharePoint); null keeps them. */
  retentionMonths: number | null;
  /** The privacy floor: a tally of fewer respondents is not shown outside its RKK (tab, /api/results, the digest). */
  minGroupSize: number;
  /** How long after a close the digest of the other regions' answers goes to each thread. */
  digestDelayMs: number;
  /** Recurring themes: a term in at least `minRkks` RKKs, in what was written over the last `weeks` weeks. */
  recurring: { minRkks: number; weeks: number };
  /** How long before a question closes members who asked for it are reminded (hours on the local clock; 0: no reminders). */
  reminderHours: number;
  /** The tab's signed-in view (Teams SSO): the token audiences and allowed tenants; null when off. */
  tabSso: { audiences: string[]; tenants: string[]; authorityHost: string } | null;
}

/** Where Teams (web, desktop, mobile) and the Microsoft 365 hosts frame a tab. */
/** Where Teams, Outlook and the Microsoft 365 app frame a tab (Microsoft's tab requirements list the Outlook hosts). */
export const TEAMS_FRAME_ANCESTORS = [
  'https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://teams.cloud.microsoft', 'https://*.cloud.microsoft',
  'https://*.office.com', 'https://outlook.office.com', 'https://outlook.office365.com', 'https://*.microsoft365.com', 'https://*.teams.microsoft.us',
];

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(`configuration is not valid:\n  - ${problems.join('\n  - ')}\nSee .env.example for every setting.`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  let schedule: WeekSchedule | null = null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: e.TIME_ZONE });
    schedule = new WeekSchedule(e.POST_SCHEDULE, e.TIME_ZONE);
  } catch (err) {
    problems.push(`POST_SCHEDULE / TIME_ZONE: ${(err as Error).message}`);
  }

  let botAuth: BotAuthConfig | null = null;
  const authKeys = ['MicrosoftAppPassword', 'MicrosoftAppCertificateFile', 'MicrosoftAppType', 'MicrosoftAppTenantId'] as const;
  if (e.MicrosoftAppId) {
    const appType = e.MicrosoftAppType ?? 'SingleTenant';
    if (appType === 'MultiTenant') problems.push('MicrosoftAppType: MultiTenant bots can no longer be created; use SingleTenant or UserAssignedMSI');
    if (!e.MicrosoftAppTenantId) problems.push(`MicrosoftAppTenantId is missing (required for ${appType})`);
    if (e.MicrosoftAppPassword && e.MicrosoftAppCertificateFile) problems.push('set MicrosoftAppPassword or MicrosoftAppCertificateFile, not both');
    if (appType === 'UserAssignedMSI' && e.MicrosoftAppCertificateFile) problems.push('MicrosoftAppCertificateFile must be empty for UserAssignedMSI (the managed identity has no certificate)');
    if (appType === 'SingleTenant' && !e.MicrosoftAppPassword && !e.MicrosoftAppCertificateFile) {
      problems.push(e.MicrosoftAppType
        ? 'MicrosoftAppPassword (or MicrosoftAppCertificateFile) is missing (required for SingleTenant)'
        : 'MicrosoftAppPassword (or MicrosoftAppCertificateFile) is missing: MicrosoftAppType is not set, so SingleTenant is assumed (set MicrosoftAppType=UserAssignedMSI for a managed identity)');
    }
    if (appType === 'UserAssignedMSI' && e.MicrosoftAppPassword) problems.push('MicrosoftAppPassword must be empty for UserAssignedMSI (the managed identity has no secret)');
    if (!e.KENNISKRING_ADMINS?.length) problems.push('KENNISKRING_ADMINS is missing: production never guesses who the administrators are');
    const given = CHANNEL_ENDPOINT_KEYS.filter((k) => e[k] !== undefined);
    if (given.length && given.length < CHANNEL_ENDPOINT_KEYS.length) {
      problems.push(`set all seven Bot Framework endpoint settings or none: ${CHANNEL_ENDPOINT_KEYS.filter((k) => e[k] === undefined).join(', ')} missing`);
    }
    const endpoints = given.length === CHANNEL_ENDPOINT_KEYS.length ? Object.fromEntries(CHANNEL_ENDPOINT_KEYS.map((k) => [k, e[k]!])) as ChannelEndpoints : null;
    botAuth = {
      appId: e.MicrosoftAppId, appPassword: e.MicrosoftAppPassword, appCertificateFile: e.MicrosoftAppCertificateFile, appType, tenantId: e.MicrosoftAppTenantId, endpoints,
      authorityHost: endpoints ? new URL(endpoints.ToChannelFromBotLoginUrl).origin : e.ENTRA_AUTHORITY_HOST.replace(/\/+$/, ''),
    };
  } else {
    const stray = authKeys.filter((k) => e[k] !== undefined);
    if (stray.length) problems.push(`MicrosoftAppId is missing but ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set: set MicrosoftAppId too, or clear them for local mode`);
  }

  const sharepoint = sharePointConfig(e, problems);
  if (botAuth && !sharepoint) problems.push('SharePoint is not configured: production needs GRAPH_CLIENT_ID, a credential and SHAREPOINT_SITE_ID or SHAREPOINT_SITE_URL');

  const database = databaseConfig(e, sharepoint, problems);
  const tabSso = tabSsoConfig(e, problems);
  // Without authentication anyone who reaches the port can act as any member or admin: local
  // mode stays on this machine unless asked otherwise, on purpose.
  const host = e.HOST ?? (botAuth ? '0.0.0.0' : '127.0.0.1');
  const unauthenticatedOnNetwork = !botAuth && !isLoopback(host);
  if (unauthenticatedOnNetwork && e.LOCAL_MODE_LISTEN_ON_NETWORK !== 'true') {
    problems.push(`HOST=${host} would expose the bot without authentication (local mode: no MicrosoftAppId). Use HOST=127.0.0.1, configure MicrosoftAppId, or set LOCAL_MODE_LISTEN_ON_NETWORK=true to accept the risk`);
  }
  if (e.HTTP_HEADERS_TIMEOUT_SECONDS > e.HTTP_REQUEST_TIMEOUT_SECONDS) problems.push('HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS');
  if (problems.length || !schedule) throw new ConfigError(problems);
  return {
    mode: botAuth ? 'production' : 'local',
    port: e.PORT,
    host,
    unauthenticatedOnNetwork,
    http: {
      headersTimeoutMs: Math.round(e.HTTP_HEADERS_TIMEOUT_SECONDS * 1000),
      requestTimeoutMs: Math.round(e.HTTP_REQUEST_TIMEOUT_SECONDS * 1000),
      keepAliveTimeoutMs: Math.round(e.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000),
      drainMs: Math.round(e.SHUTDOWN_DRAIN_SECONDS * 1000),
    },
    dataDir: e.DATA_DIR,
    database,
    leaderLeaseMs: Math.round(e.LEADER_LEASE_SECONDS * 1000),
    questionsFile: e.QUESTIONS_FILE ?? null,
    schedule,
    timeZone: e.TIME_ZONE,
    admins: e.KENNISKRING_ADMINS ?? [],
    countUpdateDelayMs: e.COUNT_UPDATE_DELAY_SECONDS * 1000,
    logLevel: e.LOG_LEVEL,
    botAuth,
    sharepoint,
    tabFrameAncestors: e.TAB_FRAME_ANCESTORS ?? TEAMS_FRAME_ANCESTORS,
    retentionMonths: e.RETENTION_MONTHS ?? null,
    minGroupSize: e.MIN_GROUP_SIZE,
    digestDelayMs: Math.round(e.DIGEST_DELAY_HOURS * 3_600_000),
    recurring: { minRkks: e.RECURRING_MIN_RKKS, weeks: e.RECURRING_WEEKS },
    reminderHours: e.REMINDER_HOURS_BEFORE_CLOSE,
    tabSso,
  };
}

type Env = z.infer<typeof envSchema>;

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function databaseConfig(e: Env, sharepoint: SharePointConfig | null, problems: string[]): DatabaseConfig | null {
  if (!e.DATABASE_URL) {
    if (e.DATABASE_AUTH) problems.push('DATABASE_AUTH is set but DATABASE_URL is missing (the PostgreSQL database to log in to)');
    return null;
  }
  const auth = e.DATABASE_AUTH ?? 'password';
  if (auth === 'entra') {
    if (!sharepoint) problems.push('DATABASE_AUTH=entra logs in with the bot\'s Entra credential: set GRAPH_CLIENT_ID with GRAPH_MANAGED_IDENTITY=true (or a secret or certificate)');
    if (new URL(e.DATABASE_URL).password) problems.push('DATABASE_URL holds a password, but DATABASE_AUTH=entra logs in with a token: remove the password from the URL');
  }
  return { url: e.DATABASE_URL, auth, poolSize: e.DATABASE_POOL_SIZE };
}

function tabSsoConfig(e: Env, problems: string[]): Config['tabSso'] {
  if (!e.TAB_SSO_AUDIENCE?.length) return null;
  const tenants = e.TAB_SSO_TENANTS ?? [e.MicrosoftAppTenantId ?? e.GRAPH_TENANT_ID].filter((t): t is string => Boolean(t));
  if (!tenants.length) problems.push('TAB_SSO_TENANTS is missing: which tenants may sign in to the tab (or set MicrosoftAppTenantId)');
  // Entra puts the App ID URI (api://<host>/<client id>) in a v1 token's audience and the bare client id in a v2 token's: accept both.
  const audiences = [...new Set(e.TAB_SSO_AUDIENCE.flatMap((a) => [a, ...(/^api:\/\/.+\/([0-9a-f-]{36})$/i.exec(a)?.slice(1) ?? [])]))];
  return { audiences, tenants, authorityHost: e.ENTRA_AUTHORITY_HOST.replace(/\/+$/, '') };
}

/** SharePoint is all or nothing: any Graph/SharePoint setting asks for the whole set. */
function sharePointConfig(e: Env, problems: string[]): SharePointConfig | null {
  const keys = ['GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET', 'GRAPH_CERTIFICATE_FILE', 'GRAPH_MANAGED_IDENTITY', 'SHAREPOINT_SITE_ID', 'SHAREPOINT_SITE_URL'] as const;
  if (!keys.some((k) => e[k] !== undefined) && !e.MicrosoftAppId) return null;
  if (!keys.some((k) => e[k] !== undefined)) return null; // production without any: reported by the caller
  const before = problems.length;
  const tenantId = e.GRAPH_TENANT_ID ?? e.MicrosoftAppTenantId;
  if (!tenantId) problems.push('GRAPH_TENANT_ID is missing (or set MicrosoftAppTenantId)');
  if (!e.GRAPH_CLIENT_ID) problems.push('GRAPH_CLIENT_ID is missing (the Entra app, or the managed identity\'s client id)');
  const managed = e.GRAPH_MANAGED_IDENTITY === 'true';
  const given = [e.GRAPH_CLIENT_SECRET && 'GRAPH_CLIENT_SECRET', e.GRAPH_CERTIFICATE_FILE && 'GRAPH_CERTIFICATE_FILE', managed && 'GRAPH_MANAGED_IDENTITY=true'].filter(Boolean);
  if (given.length === 0) problems.push('a Graph credential is missing: set one of GRAPH_CLIENT_SECRET, GRAPH_CERTIFICATE_FILE or GRAPH_MANAGED_IDENTITY=true');
  if (given.length > 1) problems.push(`set only one Graph credential, not ${given.join(' and ')}`);
  if (!e.SHAREPOINT_SITE_ID && !e.SHAREPOINT_SITE_URL) problems.push('SHAREPOINT_SITE_ID or SHAREPOINT_SITE_URL is missing (the site that holds the lists)');
  if (problems.length > before) return null;
  const credential: GraphCredentialConfig = e.GRAPH_CLIENT_SECRET ? { kind: 'secret', secret: e.GRAPH_CLIENT_SECRET }
    : e.GRAPH_CERTIFICATE_FILE ? { kind: 'certificate', file: e.GRAPH_CERTIFICATE_FILE } : { kind: 'managedIdentity' };
  return {
    tenantId: tenantId!,
    clientId: e.GRAPH_CLIENT_ID!,
    credential,
    site: e.SHAREPOINT_SITE_ID ? { id: e.SHAREPOINT_SITE_ID } : { url: e.SHAREPOINT_SITE_URL! },
    lists: { questions: e.SHAREPOINT_LIST_QUESTIONS, answers: e.SHAREPOINT_LIST_ANSWERS, comments: e.SHAREPOINT_LIST_COMMENTS, posts: e.SHAREPOINT_LIST_POSTS, audit: e.SHAREPOINT_LIST_AUDIT, agenda: e.SHAREPOINT_LIST_AGENDA, asks: e.SHAREPOINT_LIST_ASKS, themes: e.SHAREPOINT_LIST_THEMES },
    graphBaseUrl: e.GRAPH_BASE_URL.replace(/\/+$/, ''),
    graphResource: e.GRAPH_RESOURCE ?? null,
    authorityHost: e.ENTRA_AUTHORITY_HOST.replace(/\/+$/, ''),
    ruPerMinute: e.SYNC_RU_PER_MINUTE,
    questionPollMs: e.QUESTION_POLL_SECONDS * 1000,
  };
}

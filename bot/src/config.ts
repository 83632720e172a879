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
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  QUESTIONS_FILE: optionalString,
  POST_SCHEDULE: z.preprocess(emptyToUndefined, z.string().default('0 9 * * 1')),
  TIME_ZONE: z.preprocess(emptyToUndefined, z.string().default('Europe/Brussels')),
  KENNISKRING_ADMINS: z.preprocess(emptyToUndefined, csv.optional()),
  COUNT_UPDATE_DELAY_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(300).default(5)),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.preprocess(emptyToUndefined, z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).optional()),
  MicrosoftAppTenantId: optionalString,
});

export type Mode = 'local' | 'production';

export interface BotAuthConfig {
  appId: string;
  appPassword: string | undefined;
  appType: 'SingleTenant' | 'UserAssignedMSI' | 'MultiTenant';
  tenantId: string | undefined;
}

export interface Config {
  mode: Mode;
  port: number;
  host: string;
  dataDir: string;
  questionsFile: string | null;
  schedule: WeekSchedule;
  timeZone: string;
  admins: string[];
  countUpdateDelayMs: number;
  logLevel: string;
  /** null in local mode: auth off both ways. */
  botAuth: BotAuthConfig | null;
}

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
  const authKeys = ['MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId'] as const;
  if (e.MicrosoftAppId) {
    const appType = e.MicrosoftAppType ?? 'SingleTenant';
    if (appType === 'MultiTenant') problems.push('MicrosoftAppType: MultiTenant bots can no longer be created; use SingleTenant or UserAssignedMSI');
    if (!e.MicrosoftAppTenantId) problems.push(`MicrosoftAppTenantId is missing (required for ${appType})`);
    if (appType === 'SingleTenant' && !e.MicrosoftAppPassword) problems.push('MicrosoftAppPassword is missing (required for SingleTenant)');
    if (appType === 'UserAssignedMSI' && e.MicrosoftAppPassword) problems.push('MicrosoftAppPassword must be empty for UserAssignedMSI (the managed identity has no secret)');
    if (!e.KENNISKRING_ADMINS?.length) problems.push('KENNISKRING_ADMINS is missing: production never guesses who the administrators are');
    botAuth = { appId: e.MicrosoftAppId, appPassword: e.MicrosoftAppPassword, appType, tenantId: e.MicrosoftAppTenantId };
  } else {
    const stray = authKeys.filter((k) => e[k] !== undefined);
    if (stray.length) problems.push(`MicrosoftAppId is missing but ${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set: set MicrosoftAppId too, or clear them for local mode`);
  }

  if (problems.length || !schedule) throw new ConfigError(problems);
  return {
    mode: botAuth ? 'production' : 'local',
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    questionsFile: e.QUESTIONS_FILE ?? null,
    schedule,
    timeZone: e.TIME_ZONE,
    admins: e.KENNISKRING_ADMINS ?? [],
    countUpdateDelayMs: e.COUNT_UPDATE_DELAY_SECONDS * 1000,
    logLevel: e.LOG_LEVEL,
    botAuth,
  };
}

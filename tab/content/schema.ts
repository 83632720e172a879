import { z } from 'zod';
import type { Theme } from '../../bot/src/domain/themes';

/**
 * The content of the "Routekaart" tab (journey 7): the roadmap (five building blocks, the 4 D's,
 * "think big, act small", digitisation vs. transformation, the three obstacles, the digital
 * officer), how the regional knowledge circles work, events and initiatives, and the sources.
 *
 * The content lives in `routekaart.json` next to this file and is checked here where it enters;
 * everything after `validateRoutekaart` is typed. Every object is strict: a misspelt field is an
 * error, not something silently ignored.
 */

/** The five building blocks of the VVSG vision text; the same ids as the bot's question themes (minus "andere"). */
export const BUILDING_BLOCK_IDS = ['infrastructuur', 'data', 'strategie', 'vaardigheden', 'e-inclusie'] as const satisfies readonly Exclude<Theme, 'andere'>[];
export type BuildingBlockId = (typeof BUILDING_BLOCK_IDS)[number];

export const EVENT_KINDS = ['event', 'initiative'] as const;

/** Slug for event ids: lower-case words joined by single hyphens, e.g. "shoptit-2024". */
export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Maximum lengths, in characters, by the role a text plays on the page. */
export const MAX = {
  title: 120,
  label: 80,
  summary: 800,
  item: 400,
  text: 1500,
  publisher: 120,
  url: 2048,
} as const;

const describeType = (input: unknown): string =>
  input === null ? 'null' : Array.isArray(input) ? 'a list' : typeof input === 'object' ? 'an object' : typeof input;

/** Every object is `.strict()`: a misspelt or unknown field is an error, not silently dropped. */
const obj = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.object(shape, { error: (iss) => (iss.input === undefined ? 'missing' : `must be an object, not ${describeType(iss.input)}`) }).strict();

/** A trimmed, non-empty string of at most `max` characters. */
const str = (max: number) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'missing' : `must be a string, not ${describeType(iss.input)}`) })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `is too long (at most ${max} characters)`);

/** A text in both UI languages: Dutch (nl-BE) first, English second. */
const text = (max: number) =>
  z
    .object({ nl: str(max), en: str(max) }, { error: (iss) => (iss.input === undefined ? 'missing' : `must be an object { nl, en }, not ${describeType(iss.input)}`) })
    .strict();

export type Text = { nl: string; en: string };

/**
 * Cross-field checks run even when a part of the value already failed (zod skips them by default),
 * so that one run reports every problem. They see the raw value, so they check shapes themselves.
 */
const whenArray = { when: (payload: { value: unknown }) => Array.isArray(payload.value) };
const whenObject = { when: (payload: { value: unknown }) => isRecord(payload.value) };
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** The string `id` of a list item that may not have passed its own checks, or undefined. */
const idOf = (item: unknown): string | undefined => (isRecord(item) && typeof item.id === 'string' ? item.id : undefined);

/** A list with a length between `min` and `max`, with a message that says how many there are. */
const list = <T extends z.ZodType>(item: T, min: number, max: number, what: string) =>
  z
    .array(item, { error: (iss) => (iss.input === undefined ? 'missing' : `must be a list, not ${describeType(iss.input)}`) })
    .superRefine((items, ctx) => {
      if (items.length < min || items.length > max) {
        const want = min === max ? `exactly ${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
        ctx.addIssue({ code: 'custom', message: `needs ${want} ${what} (found ${items.length})` });
      }
    }, whenArray);

/** True when `s` is YYYY-MM-DD and names a day that exists (no 2024-02-30, no 2023-02-29). */
export function isRealDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const dateSchema = z
  .string({ error: (iss) => (iss.input === undefined ? 'missing (use null when there is no date)' : `must be a date string or null, not ${describeType(iss.input)}`) })
  .superRefine((s, ctx) => {
    if (!DATE_RE.test(s)) ctx.addIssue({ code: 'custom', message: `must be written as YYYY-MM-DD (got "${s}")` });
    else if (!isRealDate(s)) ctx.addIssue({ code: 'custom', message: `is not a real date (got "${s}")` });
  });

/** An absolute https URL to a public page: no other scheme, no credentials, a dotted host name. */
const urlSchema = z
  .string({ error: (iss) => (iss.input === undefined ? 'missing (use null when there is no link)' : `must be a URL string or null, not ${describeType(iss.input)}`) })
  .max(MAX.url, `is too long (at most ${MAX.url} characters)`)
  .superRefine((s, ctx) => {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `is not a valid absolute URL (got "${s}")` });
      return;
    }
    if (url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: `must use https:// (got ${url.protocol}//)` });
    else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
    else if (!url.hostname.includes('.')) ctx.addIssue({ code: 'custom', message: `must point to a public host name (got "${url.hostname}")` });
  });

const titledText = obj({ title: text(MAX.title), text: text(MAX.text) });

const buildingBlockSchema = obj({
  id: z.enum(BUILDING_BLOCK_IDS, { error: (iss) => (iss.input === undefined ? 'missing' : `must be one of: ${BUILDING_BLOCK_IDS.join(', ')} (got ${JSON.stringify(iss.input)})`) }),
  title: text(MAX.title),
  summary: text(MAX.summary),
  firstSteps: list(text(MAX.item), 2, 4, 'first steps'),
});

const roadmapSchema = obj({
  intro: text(MAX.text),
  buildingBlocks: list(buildingBlockSchema, BUILDING_BLOCK_IDS.length, BUILDING_BLOCK_IDS.length, 'building blocks (one per theme)').superRefine((blocks, ctx) => {
    const seen = new Set<string>();
    (blocks as unknown[]).forEach((b, i) => {
      const id = idOf(b);
      if (id === undefined) return;
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `building block "${id}" appears more than once` });
      seen.add(id);
    });
    const missing = BUILDING_BLOCK_IDS.filter((id) => !seen.has(id));
    if (missing.length > 0) ctx.addIssue({ code: 'custom', message: `missing building block(s): ${missing.join(', ')}` });
  }, whenArray),
  fourDs: list(titledText, 4, 4, "D's"),
  thinkBigActSmall: obj({ title: text(MAX.title), text: text(MAX.text), steps: list(text(MAX.item), 3, 5, 'steps') }),
  digitisation: obj({ title: text(MAX.title), digitisation: text(MAX.text), transformation: text(MAX.text), note: text(MAX.text) }),
  obstacles: list(titledText, 3, 3, 'obstacles'),
  digitalOfficer: titledText,
});

const rkkSchema = obj({
  title: text(MAX.title),
  text: text(MAX.text),
  points: list(text(MAX.item), 1, 10, 'points'),
});

const eventSchema = obj({
  id: z
    .string({ error: (iss) => (iss.input === undefined ? 'missing' : `must be a string, not ${describeType(iss.input)}`) })
    .max(64, 'is too long (at most 64 characters)')
    .regex(SLUG_RE, 'must be a slug: lower-case letters and digits joined by single hyphens, e.g. "shoptit-2024"'),
  kind: z.enum(EVENT_KINDS, { error: (iss) => (iss.input === undefined ? 'missing' : `must be one of: ${EVENT_KINDS.join(', ')} (got ${JSON.stringify(iss.input)})`) }),
  title: text(MAX.title),
  summary: text(MAX.summary),
  date: dateSchema.nullable(),
  location: text(MAX.title).nullable(),
  url: urlSchema.nullable(),
  linkLabel: text(MAX.label).nullable(),
}).superRefine((value, ctx) => {
  const e = value as Record<string, unknown>;
  if (e.kind === 'event' && e.date === null) ctx.addIssue({ code: 'custom', path: ['date'], message: 'an event needs a date (only an initiative may have null)' });
  if (typeof e.url === 'string' && e.linkLabel === null) ctx.addIssue({ code: 'custom', path: ['linkLabel'], message: 'is required when url is set' });
  if (e.url === null && e.linkLabel !== null && e.linkLabel !== undefined) ctx.addIssue({ code: 'custom', path: ['linkLabel'], message: 'has no url to label (set url, or make linkLabel null)' });
}, whenObject);

const sourceSchema = obj({
  title: text(MAX.title),
  publisher: str(MAX.publisher),
  /** null when the source does not say when it was published. */
  year: z
    .number({ error: (iss) => (iss.input === undefined ? 'missing (use null when unknown)' : `must be a number or null, not ${describeType(iss.input)}`) })
    .int('must be a whole year')
    .min(1990, 'must be 1990 or later')
    .max(2100, 'must be 2100 or earlier')
    .nullable(),
  url: urlSchema.nullable(),
});

export const routekaartSchema = obj({
  roadmap: roadmapSchema,
  rkk: rkkSchema,
  events: list(eventSchema, 0, 50, 'events and initiatives').superRefine((events, ctx) => {
    const seen = new Set<string>();
    (events as unknown[]).forEach((e, i) => {
      const id = idOf(e);
      if (id === undefined) return;
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `id "${id}" is used more than once` });
      seen.add(id);
    });
  }, whenArray),
  sources: list(sourceSchema, 1, 30, 'sources'),
});

export type Routekaart = z.infer<typeof routekaartSchema>;
export type BuildingBlock = Routekaart['roadmap']['buildingBlocks'][number];
export type RoutekaartEvent = Routekaart['events'][number];
export type Source = Routekaart['sources'][number];

/** `["events", 1, "date"]` → `events[1].date` */
export function formatPath(path: readonly PropertyKey[]): string {
  return (
    path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(root)'
  );
}

/** One line per problem, each `path: why`; an unknown field is named in the path itself. */
export function describeRoutekaartIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown field (not part of the routekaart schema)`);
    }
    return [`${formatPath(issue.path)}: ${issue.message}`];
  });
}

/** Thrown by `validateRoutekaart`; `issues` holds one `path: why` line per problem. */
export class RoutekaartContentError extends Error {
  constructor(
    readonly file: string,
    readonly issues: string[],
  ) {
    super(`${file}: the routekaart content is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((l) => `  - ${l}`).join('\n')}`);
    this.name = 'RoutekaartContentError';
  }
}

/**
 * Checks parsed JSON against the schema and returns it typed (texts trimmed).
 * Throws a `RoutekaartContentError` naming `file`, and the path and reason of every problem.
 */
export function validateRoutekaart(data: unknown, file: string): Routekaart {
  const result = routekaartSchema.safeParse(data);
  if (!result.success) throw new RoutekaartContentError(file, describeRoutekaartIssues(result.error));
  return result.data;
}

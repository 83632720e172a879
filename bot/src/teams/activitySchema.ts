import { z } from 'zod';
import { hasLoneSurrogate } from '../domain/text';

/**
 * The one gate every Bot Framework activity passes before botbuilder or a handler sees it: the
 * fields we (or botbuilder) read must have the types and sizes Teams sends. Anything else is a
 * broken or hostile client and gets a 400; nothing is stored. Fields we never read pass through.
 */

/** Deeper than this no Teams payload goes (card data is flat); deeper JSON only costs stack. */
const MAX_ACTIVITY_DEPTH = 32;

/** Identifiers end up as keys in the store and in SharePoint: printable, well-formed, bounded. */
const identifier = (max: number) => z.string().min(1).max(max)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'contains control characters')
  .refine((s) => !hasLoneSurrogate(s), 'contains a lone surrogate');

const optionalText = (max: number) => z.string().max(max).nullish();

const account = z.looseObject({
  id: identifier(256),
  name: optionalText(256),
  aadObjectId: identifier(64).nullish(),
  role: optionalText(32),
});

const conversation = z.looseObject({
  id: identifier(1024),
  conversationType: optionalText(32),
  isGroup: z.boolean().nullish(),
  tenantId: identifier(64).nullish(),
  name: optionalText(512),
});

const idAndName = z.looseObject({ id: identifier(1024).nullish(), name: optionalText(256) });

const channelData = z.looseObject({
  team: z.looseObject({ id: identifier(256).nullish(), name: optionalText(256), aadGroupId: identifier(64).nullish() }).nullish(),
  channel: idAndName.nullish(),
  tenant: z.looseObject({ id: identifier(64).nullish() }).nullish(),
  settings: z.looseObject({ selectedChannel: idAndName.nullish() }).nullish(),
  eventType: optionalText(64),
});

const entity = z.looseObject({
  type: z.string().min(1).max(64),
  text: optionalText(4096),
  locale: optionalText(32),
  mentioned: account.nullish(),
});

export const activitySchema = z.looseObject({
  type: z.string().regex(/^[A-Za-z/]{1,64}$/, 'not an activity type'),
  id: identifier(256).nullish(),
  name: optionalText(128),
  channelId: identifier(64),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  from: account,
  recipient: account,
  conversation,
  channelData: channelData.nullish(),
  entities: z.array(entity).max(64).nullish(),
  attachments: z.array(z.looseObject({ contentType: z.string().max(256) })).max(16).nullish(),
  membersAdded: z.array(account).max(1000).nullish(),
  membersRemoved: z.array(account).max(1000).nullish(),
  text: z.string().nullish(),
  textFormat: optionalText(16),
  locale: optionalText(32),
  replyToId: identifier(256).nullish(),
  action: optionalText(32),
  timestamp: optionalText(64),
  localTimestamp: optionalText(64),
  value: z.unknown().optional(),
});

export type ActivityCheck = { ok: true } | { ok: false; reason: string };

/** Depth check without recursion (a hostile body must not cost stack). */
function structureProblem(body: unknown): string | null {
  const stack: { v: unknown; depth: number }[] = [{ v: body, depth: 1 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth > MAX_ACTIVITY_DEPTH) return `nested deeper than ${MAX_ACTIVITY_DEPTH} levels`;
    if (Array.isArray(v)) {
      for (const item of v) stack.push({ v: item, depth: depth + 1 });
      continue;
    }
    for (const item of Object.values(v)) stack.push({ v: item, depth: depth + 1 });
  }
  return null;
}

/** Whether a parsed JSON body is an activity our handlers can read; the reason names the field, never the value. */
export function checkActivity(body: unknown): ActivityCheck {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, reason: 'the body is not a JSON object' };
  const problem = structureProblem(body);
  if (problem) return { ok: false, reason: problem };
  const r = activitySchema.safeParse(body);
  if (r.success) return { ok: true };
  const issue = r.error.issues[0]!;
  const where = issue.path.length ? issue.path.map(String).join('.') : 'activity';
  return { ok: false, reason: `${where}: ${issue.message}`.slice(0, 200) };
}

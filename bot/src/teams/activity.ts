import type { Activity } from 'botbuilder';
import { memberFrom, type Member } from '../domain/answer';
import { cleanMemberText } from '../domain/text';
import type { Actor } from '../services/app';

/** Reads the Teams-specific parts of an activity in one place. */
interface TeamsChannelData {
  team?: { id?: string; name?: string; aadGroupId?: string };
  channel?: { id?: string; name?: string };
  settings?: { selectedChannel?: { id?: string } };
  tenant?: { id?: string };
  eventType?: string;
}

export function channelData(a: Partial<Activity>): TeamsChannelData {
  return (a.channelData ?? {}) as TeamsChannelData;
}

export function teamId(a: Partial<Activity>): string | null {
  return channelData(a).team?.id ?? null;
}

/** The thread root message id of a channel conversation ("19:…@thread.tacv2;messageid=123"). */
export function threadRootId(a: Partial<Activity>): string | null {
  const m = /;messageid=(\d+|[^;]+)$/.exec(a.conversation?.id ?? '');
  return m?.[1] ?? a.replyToId ?? null;
}

/**
 * The channel an event is about, without the thread part: the channel picked at install time,
 * else the event's channel, else its conversation (which is a channel in a team), else the team's
 * General channel (whose id is the team id).
 */
export function channelIdOf(a: Partial<Activity>): string | null {
  const cd = channelData(a);
  const conversation = a.conversation?.id ? a.conversation.id.split(';')[0]! : null;
  return cd.settings?.selectedChannel?.id ?? cd.channel?.id ?? conversation ?? cd.team?.id ?? null;
}

export function isPersonal(a: Partial<Activity>): boolean {
  return a.conversation?.conversationType === 'personal' || (!a.conversation?.isGroup && !teamId(a));
}

export function memberOf(a: Activity): Member {
  // The activity schema guarantees a sender with an id before any handler runs.
  return memberFrom({ id: a.from.id, aadObjectId: a.from.aadObjectId ?? undefined, name: a.from.name ?? undefined });
}

/** The member's Teams client language ("nl-BE", "en-US"), if it says. */
export function localeOf(a: Partial<Activity>): string | null {
  const clientInfo = a.entities?.find((e) => e.type === 'clientInfo') as { locale?: string } | undefined;
  return a.locale ?? clientInfo?.locale ?? null;
}

export function isFromBot(a: Partial<Activity>): boolean {
  return a.from?.id === a.recipient?.id || (a.from as { role?: string } | undefined)?.role === 'bot';
}

/**
 * Plain text of a Teams message: HTML flattened, whitespace tidied, other people's mentions kept as
 * their names, and the mention of the bot gone (by the mention entity's text, or
 * `<at>` + the bot's name when an edit comes without entities): "@Kenniskring ik ben benieuwd" is
 * stored as "ik ben benieuwd".
 */
export function plainText(a: Partial<Activity>): string {
  let text = a.text ?? '';
  const botName = a.recipient?.name?.trim().toLowerCase();
  for (const e of a.entities ?? []) {
    const m = e as { type?: string; mentioned?: { id?: string }; text?: string };
    if (m.type === 'mention' && m.mentioned?.id === a.recipient?.id && m.text) text = text.split(m.text).join(' ');
  }
  return cleanMemberText(text)
    .replace(/<at>([^<]*)<\/at>/gi, (_s, name: string) => (botName && name.trim().toLowerCase() === botName ? ' ' : name))
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(nbsp|amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-f]{1,6});/gi, decodeEntity) // one pass: "&amp;lt;" stays "&lt;"
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const NAMED: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeEntity(whole: string, name: string): string {
  const n = name.toLowerCase();
  if (!n.startsWith('#')) return NAMED[n] ?? whole;
  const code = n.startsWith('#x') ? parseInt(n.slice(2), 16) : parseInt(n.slice(1), 10);
  // Control characters and surrogates stay out, as in typed text (see cleanMemberText).
  return code >= 0x20 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) && code !== 0x7f ? String.fromCodePoint(code) : '';
}

export function mentionsBot(a: Partial<Activity>): boolean {
  return (a.entities ?? []).some((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === a.recipient?.id);
}

/** The member and team a message or card came from, for the application services. */
export function actorOf(a: Activity): Actor {
  return { member: memberOf(a), teamId: teamId(a), serviceUrl: a.serviceUrl ?? null };
}

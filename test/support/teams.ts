import type { Activity } from 'botbuilder';

/**
 * Teams-shaped activities for the journeys: ids in Teams' formats, Flemish (fictitious) people.
 * Captured shapes: installationUpdate/conversationUpdate on install, channel messages with
 * ";messageid=" thread ids, adaptiveCard/action invokes, messageUpdate/messageDelete events.
 */
export const TENANT = '5f0c3a2e-8d41-4b7e-9c1a-2e6f0b9d7a11';
export const BOT = { id: '28:7b1e2c4d-5a6f-4e3d-9b8a-0c1d2e3f4a5b', name: 'Kenniskring' };

export interface Person { id: string; aadObjectId: string; name: string }
export const PEOPLE = {
  an: { id: '29:1Xq3vQm2nPeeters-an', aadObjectId: '0b7f3a52-6c1e-4d7b-a1f0-3e9c2d8b4a61', name: 'An Peeters' },
  jan: { id: '29:1Yb7kLp9Claes-jan', aadObjectId: '1c8e4b63-7d2f-4e8c-b2a1-4fad3e9c5b72', name: 'Jan Claes' },
  sofie: { id: '29:1Zc8mNq0Maes-sofie', aadObjectId: '2d9f5c74-8e3a-4f9d-c3b2-5abe4fad6c83', name: 'Sofie Maes' },
  lotte: { id: '29:1Ad9nOr1Willems-lotte', aadObjectId: '3ea06d85-9f4b-4a0e-d4c3-6bcf5abe7d94', name: 'Lotte Willems' },
  mathias: { id: '29:1Be0oPs2Dubois-mathias', aadObjectId: '4fb17e96-a05c-4b1f-e5d4-7cd06bcf8ea5', name: 'Mathias Dubois' },
} satisfies Record<string, Person>;

export interface Team { id: string; name: string; aadGroupId: string }
export const TEAMS = {
  gent: { id: '19:3f1a8c2e4b6d4e0f9a7b5c3d1e2f4a6b@thread.tacv2', name: 'RKK Gent-Eeklo', aadGroupId: 'a1b2c3d4-0001-4e5f-8a9b-0c1d2e3f4a5b' },
  kempen: { id: '19:7c2b9d3f5a1e4c8b9d0e1f2a3b4c5d6e@thread.tacv2', name: 'RKK Kempen', aadGroupId: 'a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a5b' },
  westhoek: { id: '19:9e4d1f5a7b3c4e2d8f0a1b2c3d4e5f60@thread.tacv2', name: 'RKK Westhoek', aadGroupId: 'a1b2c3d4-0003-4e5f-8a9b-0c1d2e3f4a5b' },
  limburg: { id: '19:5b8e2a6c9d1f4a3b8c7d6e5f4a3b2c1d@thread.tacv2', name: 'RKK Limburg', aadGroupId: 'a1b2c3d4-0004-4e5f-8a9b-0c1d2e3f4a5b' },
} satisfies Record<string, Team>;

let seq = 0;
const nextId = () => `f:${Date.now().toString(36)}${(++seq).toString(36)}`;

function base(serviceUrl: string, conversationId: string, from: Person, team: Team | null, extra: Partial<Activity> = {}): Partial<Activity> {
  return {
    id: nextId(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date(),
    locale: 'nl-BE',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation: team
      ? { id: conversationId, isGroup: true, conversationType: 'channel', tenantId: TENANT } as Activity['conversation']
      : { id: conversationId, conversationType: 'personal', tenantId: TENANT } as Activity['conversation'],
    channelData: team
      ? { tenant: { id: TENANT }, team: { id: team.id, name: team.name, aadGroupId: team.aadGroupId }, channel: { id: conversationId.split(';')[0] } }
      : { tenant: { id: TENANT } },
    entities: [{ type: 'clientInfo', locale: 'nl-BE', country: 'BE', platform: 'Web', timezone: 'Europe/Brussels' }],
    ...extra,
  };
}

export function installInTeam(serviceUrl: string, team: Team, by: Person, action: 'add' | 'add-upgrade' | 'remove' = 'add'): Partial<Activity> {
  return base(serviceUrl, team.id, by, team, { type: 'installationUpdate', action });
}

export function botAddedToTeam(serviceUrl: string, team: Team, by: Person): Partial<Activity> {
  const a = base(serviceUrl, team.id, by, team, { type: 'conversationUpdate', membersAdded: [{ id: BOT.id, name: BOT.name }] });
  (a.channelData as Record<string, unknown>).eventType = 'teamMemberAdded';
  return a;
}

export function installPersonal(serviceUrl: string, by: Person): Partial<Activity> {
  return base(serviceUrl, `a:1personal-${by.aadObjectId}`, by, null, { type: 'installationUpdate', action: 'add' });
}

/** A command in a channel: "<at>Kenniskring</at> publiceer". */
export function mentionCommand(serviceUrl: string, team: Team, by: Person, command: string, conversationId = team.id): Partial<Activity> {
  return base(serviceUrl, conversationId, by, team, {
    type: 'message',
    text: `<at>${BOT.name}</at> ${command}`,
    textFormat: 'xml' as Activity['textFormat'],
    entities: [{ type: 'mention', mentioned: BOT, text: `<at>${BOT.name}</at>` }],
  });
}

export function personalMessage(serviceUrl: string, by: Person, text: string, locale = 'nl-BE'): Partial<Activity> {
  return base(serviceUrl, `a:1personal-${by.aadObjectId}`, by, null, { type: 'message', text, locale });
}

/** A reply in a thread: Teams puts the root in the conversation id and (often) not in replyToId. */
export function threadReply(serviceUrl: string, team: Team, threadId: string, by: Person, html: string, id?: string): Partial<Activity> {
  return base(serviceUrl, threadId, by, team, { type: 'message', text: html, textFormat: 'xml' as Activity['textFormat'], ...(id ? { id } : {}) });
}

export function messageEdited(serviceUrl: string, team: Team, threadId: string, by: Person, id: string, html: string): Partial<Activity> {
  const a = base(serviceUrl, threadId, by, team, { type: 'messageUpdate', id, text: html });
  (a.channelData as Record<string, unknown>).eventType = 'editMessage';
  return a;
}

export function messageDeleted(serviceUrl: string, team: Team, threadId: string, by: Person, id: string): Partial<Activity> {
  const a = base(serviceUrl, threadId, by, team, { type: 'messageDelete', id });
  (a.channelData as Record<string, unknown>).eventType = 'softDeleteMessage';
  return a;
}

/** A deleted message restored ("Undo" in Teams): a messageUpdate with eventType undeleteMessage, carrying the message. */
export function messageRestored(serviceUrl: string, team: Team, threadId: string, by: Person, id: string, html: string): Partial<Activity> {
  const a = base(serviceUrl, threadId, by, team, { type: 'messageUpdate', id, text: html });
  (a.channelData as Record<string, unknown>).eventType = 'undeleteMessage';
  return a;
}

/** Action.Execute from a card in a thread. `value` may be anything: malformed payloads are tested too. */
export function cardAction(serviceUrl: string, team: Team | null, conversationId: string, by: Person, value: unknown, locale = 'nl-BE'): Partial<Activity> {
  return base(serviceUrl, conversationId, by, team, { type: 'invoke', name: 'adaptiveCard/action', value, locale });
}

export function answerValue(questionId: string, data: Record<string, unknown>, verb = 'kk.answer'): unknown {
  return { action: { type: 'Action.Execute', id: 'answer', verb, data: { questionId, ...data } }, trigger: 'manual' };
}

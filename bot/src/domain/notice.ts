/**
 * The personal messages the bot owes a member, as `notice` deliveries: the delivery's questionId
 * says which ("<what>:<id>", a summary of replies also names its day) and its rkkId is the member's key.
 *
 * - `approve`: an administrator's approval card for a question for all regions (id: the ask);
 * - `decided`, `replies`: the asker hears the decision, then of the replies (id: the ask);
 * - `remind`: a member who asked for reminders and has not answered yet (id: the question);
 * - `proposal`: a moderator's (or administrator's) approval card for a proposed question, and
 *   `proposed`: the proposer hears the decision (id: the proposal).
 */
export type NoticeKind = 'approve' | 'decided' | 'replies' | 'remind' | 'proposal' | 'proposed';

export const noticeId = (what: NoticeKind, id: string, day?: string): string => `${what}:${id}${day ? `:${day}` : ''}`;

export function parseNoticeId(noticeKey: string): { what: NoticeKind; id: string } | null {
  const m = /^(approve|decided|replies|remind|proposal|proposed):([^:]+)(?::.+)?$/.exec(noticeKey);
  return m ? { what: m[1] as NoticeKind, id: m[2]! } : null;
}

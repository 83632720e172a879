/**
 * Teams deep links (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/deep-links):
 * the cards put them behind buttons, the tab opens them through Teams (`app.openLink`).
 */
export const TEAMS_DEEP_LINK = 'https://teams.microsoft.com/l/';

/** A thread's root message in a team's channel. */
export function threadLink(channel: { channelId: string; tenantId: string | null; aadGroupId: string | null }, messageId: string): string {
  const params = new URLSearchParams({ parentMessageId: messageId, ...(channel.tenantId ? { tenantId: channel.tenantId } : {}), ...(channel.aadGroupId ? { groupId: channel.aadGroupId } : {}) });
  return `${TEAMS_DEEP_LINK}message/${encodeURIComponent(channel.channelId)}/${encodeURIComponent(messageId)}?${params.toString()}`;
}

/** A Teams chat with a colleague, a first line filled in (deep-link-workflow). */
export function chatLink(upn: string, message: string): string {
  return `${TEAMS_DEEP_LINK}chat/0/0?users=${encodeURIComponent(upn)}&message=${encodeURIComponent(message)}`;
}

import { TeamsInfo, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { Logger } from '../log';
import type { Rkk } from '../store';

const TTL_MS = 10 * 60_000;

/** Who is in an RKK's team, asked of Teams through the bot and kept ten minutes. */
export class TeamRoster {
  private readonly cache = new Map<string, { members: Set<string>; at: number }>();

  constructor(private readonly adapter: CloudAdapter, private readonly botAppId: string, private readonly log: Logger) {}

  async isMember(rkk: Rkk, aadObjectId: string): Promise<boolean> {
    const hit = this.cache.get(rkk.id);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.members.has(aadObjectId);
    const members = new Set<string>();
    await this.adapter.continueConversationAsync(this.botAppId, rkk.conversationRef as Partial<ConversationReference>, async (ctx) => {
      try {
        let token: string | undefined;
        do {
          const page = await TeamsInfo.getPagedTeamMembers(ctx, rkk.teamId, 500, token);
          for (const m of page.members) if (m.aadObjectId) members.add(m.aadObjectId);
          token = page.continuationToken;
        } while (token);
      } catch (err) {
        this.log.warn({ rkkId: rkk.id, err: (err as Error).message }, 'could not read the team roster');
      }
    });
    if (members.size) this.cache.set(rkk.id, { members, at: Date.now() });
    return members.has(aadObjectId);
  }
}

/**
 * The member's sign-in name (UPN), asked of Teams in their own turn: a Teams chat link needs it
 * (the activity carries only ids). Null when Teams does not say or cannot be reached: the consent
 * still counts, and colleagues see the name without a link.
 */
export async function signInNameOf(ctx: TurnContext, log: Logger): Promise<string | null> {
  try {
    const m = await TeamsInfo.getMember(ctx, ctx.activity.from.id);
    const upn = m.userPrincipalName || m.email || '';
    return /^[^\s@]{1,200}@[^\s@]{1,200}$/.test(upn) ? upn : null;
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not read the member\'s sign-in name; colleagues see the name without a chat link');
    return null;
  }
}

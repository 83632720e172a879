import type { Store, Rkk } from '../store';
import type { Clock } from './ports';
import { TokenRefused, type UserTokenValidator } from '../auth/userToken';
import { detailsView } from './results';

export interface HttpAnswer { status: number; body: unknown }

/** Who is in a team, as Teams tells the bot (teams/roster.ts). */
export interface Roster { isMember(rkk: Rkk, aadObjectId: string): Promise<boolean> }

const refuse = (status: number, code: string, message: string): HttpAnswer => ({ status, body: { error: { code, message } } });

/**
 * The tab's signed-in view: who answered and the replies, only for a member of the RKK's team
 * who shows a valid Teams SSO token. Everyone else gets a clear 401, 403 or 404.
 */
export function tabDetails(d: { store: Store; clock: Clock; sso: UserTokenValidator | null; roster: Roster }) {
  return async (team: string | null, authorization: string | undefined): Promise<HttpAnswer> => {
    if (!d.sso) return refuse(404, 'NotConfigured', 'signing in to the tab is not configured (TAB_SSO_AUDIENCE)');
    let user;
    try {
      user = await d.sso.validate(authorization);
    } catch (err) {
      if (err instanceof TokenRefused) return refuse(err.status, err.status === 401 ? 'Unauthorized' : 'Forbidden', err.message);
      throw err;
    }
    const rkk = team ? await d.store.rkks.byTeam(team) : null;
    if (!rkk) return refuse(404, 'NotFound', 'no knowledge circle for this team');
    if (!(await d.roster.isMember(rkk, user.oid))) return refuse(403, 'Forbidden', 'only members of this team see who answered and the replies');
    return { status: 200, body: await detailsView(d.store, d.clock, rkk) };
  };
}

import type { Logger } from '../../log';
import type { Rkk, Store } from '../../store';
import type { WeekSchedule } from '../../domain/week';
import type { Member } from '../../domain/answer';
import type { Clock } from '../ports';
import type { Poster } from '../poster';
import type { Scheduler } from '../scheduler';
import type { AnswerService } from '../answers';
import type { QuestionLookup } from '../questions';
import type { LeadershipView } from '../leadership';
import type { SharePointSync } from '../../sharepoint';

/** Everything the application services work with: built once in app.ts, never imported as globals. */
export interface AppContext {
  store: Store;
  schedule: WeekSchedule;
  clock: Clock;
  poster: Poster;
  scheduler: Scheduler;
  answers: AnswerService;
  lookup: QuestionLookup;
  /** Entra object ids of V-ICT-OR administrators. */
  admins: ReadonlySet<string>;
  /** null when SharePoint is not configured. */
  sync: SharePointSync | null;
  /** Which instance leads the background work (for `status`). */
  leadership: LeadershipView;
  /** How many hours before a close members who asked for it are reminded (0: reminders are off for everyone). */
  reminderHours: number;
}

/** Who may do something: every member, a moderator (of the RKK where it happens) or an administrator. */
export type Role = 'member' | 'moderator' | 'admin';

/** Who acts, as the edge read it from the message or card: the member and the team it came from. */
export interface Actor {
  member: Member;
  teamId: string | null;
  /** The Bot Connector endpoint the activity came through (Teams may move a team to another one). */
  serviceUrl?: string | null;
}

/** An actor resolved against the store: their RKK and what they may do there. */
export interface Caller {
  app: AppContext;
  log: Logger;
  member: Member;
  /** The RKK of the team the message or card came from; null in a personal chat or an unknown team. */
  rkk: Rkk | null;
  /** A V-ICT-OR administrator (acts for every RKK). */
  admin: boolean;
  /** A moderator of `rkk` (asked once, only when needed). */
  isModerator(): Promise<boolean>;
}

export async function resolveCaller(app: AppContext, actor: Actor, log: Logger): Promise<Caller> {
  let rkk = actor.teamId ? await app.store.rkks.get(actor.teamId) : null;
  // Teams may move a team to another connector endpoint: later posts go where its activities come from.
  if (rkk && actor.serviceUrl && actor.serviceUrl !== rkk.serviceUrl && await app.store.rkks.moveServiceUrl(rkk.id, actor.serviceUrl, app.clock.now())) {
    log.info({ rkkId: rkk.id, from: rkk.serviceUrl, to: actor.serviceUrl }, 'the team\'s Bot Connector endpoint moved: posts follow it');
    rkk = { ...rkk, serviceUrl: actor.serviceUrl, conversationRef: { ...rkk.conversationRef, serviceUrl: actor.serviceUrl } };
  }
  const admin = actor.member.aadObjectId !== null && app.admins.has(actor.member.aadObjectId);
  let moderator: Promise<boolean> | null = null;
  return {
    app, log, member: actor.member, rkk, admin,
    isModerator: () => (moderator ??= rkk ? app.store.rkks.isModerator(rkk.id, actor.member.key) : Promise.resolve(false)),
  };
}

/** The one place roles are enforced, for typed commands and card buttons alike. */
export async function mayAct(c: Caller, role: Role): Promise<boolean> {
  if (role === 'member' || c.admin) return true;
  return role === 'moderator' && c.rkk !== null && await c.isModerator();
}

/** The RKK a moderator's action stays within; null for an administrator (every RKK). Only after `mayAct(c, 'moderator')`. */
export function scopeOf(c: Caller): string | null {
  return c.admin ? null : c.rkk!.id;
}

/** Records an action in the audit trail (locally, and in SharePoint through the outbox). */
export async function audit(c: Caller, action: string, target: string | null, details: string | null = null): Promise<void> {
  await c.app.store.audit.record({ actorKey: c.member.key, actorName: c.member.name, action, target, details }, c.app.clock.now());
}

/** Waits at most this long for posts before answering; the rest continues in the background. */
const REPORT_WAIT_MS = 5_000;
export async function settle(work: Promise<unknown>): Promise<void> {
  await Promise.race([work, new Promise((r) => setTimeout(r, REPORT_WAIT_MS).unref())]);
}

/** Next week's id: the week a new question is planned for by default. */
export function nextWeek(app: AppContext): string {
  return app.schedule.weekOf(new Date(app.clock.now().getTime() + 7 * 86_400_000));
}

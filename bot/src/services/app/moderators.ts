import { audit, type Caller } from './context';
import { isMemberId } from './memberId';

export type ModeratorChange = { action: 'list' } | { action: 'add' | 'remove'; who: string };

export type ModeratorsView =
  | { kind: 'notInChannel' }
  | { kind: 'usage' }
  | { kind: 'list'; rkkName: string; moderators: string[] }
  | { kind: 'added' | 'removed'; who: string; rkkName: string };

/** `moderator [weg] <id>` (administrators, in an RKK's channel): lists, adds or removes its moderators. */
export async function moderators(c: Caller, change: ModeratorChange): Promise<ModeratorsView> {
  const { rkk } = c;
  if (!rkk) return { kind: 'notInChannel' };
  const { store, clock } = c.app;
  if (change.action === 'list') return { kind: 'list', rkkName: rkk.name, moderators: await store.rkks.moderators(rkk.id) };
  if (!isMemberId(change.who)) return { kind: 'usage' };
  const removing = change.action === 'remove';
  const changed = removing ? await store.rkks.removeModerator(rkk.id, change.who) : await store.rkks.addModerator(rkk.id, change.who, c.member.key, clock.now());
  if (changed) await audit(c, removing ? 'moderator weg' : 'moderator', change.who, rkk.name);
  return { kind: removing ? 'removed' : 'added', who: change.who, rkkName: rkk.name };
}

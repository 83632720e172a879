import type { Caller } from './context';
import { latestRkkOf } from '../members';

/** What `herinner mij` (or its button) answers. */
export type RemindView =
  | { kind: 'disabled' }
  | { kind: 'noRkk' }
  /** From a personal chat, with no RKK to go by: which one? */
  | { kind: 'pick'; rkks: { id: string; name: string }[] }
  | { kind: 'on'; rkkName: string; hours: number; already: boolean }
  | { kind: 'off'; already: boolean };

/**
 * Switches reminders on (`on`: true) or off for the member. On, they are for the RKK the command
 * came from; from a personal chat for the RKK chosen on the card, the one they had, or the one
 * they last answered in.
 */
export async function reminders(c: Caller, input: { on: boolean; rkkId?: string | undefined }): Promise<RemindView> {
  const { store, clock, reminderHours } = c.app;
  if (!input.on) {
    const was = await store.reminders.remove(c.member.key);
    if (was) c.log.info({ member: c.member.key }, 'reminders switched off');
    return { kind: 'off', already: !was };
  }
  if (!reminderHours) return { kind: 'disabled' };
  const active = (await store.rkks.list({ activeOnly: true })).filter((r) => !r.overarching);
  const chosen = input.rkkId ? active.find((r) => r.id === input.rkkId) : undefined;
  const had = await store.reminders.get(c.member.key);
  const rkkId = chosen?.id ?? (c.rkk && !c.rkk.overarching ? c.rkk.id : null) ?? had?.rkkId ?? await latestRkkOf(store, c.member.key);
  const rkk = active.find((r) => r.id === rkkId);
  if (!rkk) return active.length ? { kind: 'pick', rkks: active.map((r) => ({ id: r.id, name: r.name })) } : { kind: 'noRkk' };
  const added = await store.reminders.set(c.member, rkk.id, clock.now());
  c.log.info({ member: c.member.key, rkkId: rkk.id }, added ? 'reminders switched on' : 'reminders renewed');
  return { kind: 'on', rkkName: rkk.name, hours: reminderHours, already: !added && had?.rkkId === rkk.id };
}

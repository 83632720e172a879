import { audit, type Caller } from './context';

export type OverarchingView =
  | { kind: 'notInChannel' }
  | { kind: 'set' | 'unset' | 'already' | 'notSet'; rkkName: string };

/**
 * `overkoepelend` (administrators, in the team's channel): this team becomes RKK Overkoepelend, the
 * one for questions across regions. A question for all RKKs no longer goes to it, only a question
 * that names it. One team at a time; `overkoepelend uit` makes it an ordinary RKK again.
 */
export async function overarching(c: Caller, on: boolean): Promise<OverarchingView> {
  const { rkk } = c;
  if (!rkk) return { kind: 'notInChannel' };
  const changed = await c.app.store.rkks.setOverarching(rkk.id, on, c.app.clock.now());
  if (changed) await audit(c, 'overkoepelend', rkk.name, on ? 'aan' : 'uit');
  return { kind: changed ? (on ? 'set' : 'unset') : (on ? 'already' : 'notSet'), rkkName: rkk.name };
}

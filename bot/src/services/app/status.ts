import { keyParts } from '../../store';
import type { Caller } from './context';

export interface StatusView {
  leader: { holder: string; since: Date; self: boolean } | null;
  instances: number;
  /** null when SharePoint is not configured: then only the changes waiting for it are counted. */
  sync: { pending: number; parked: number; lastSuccessAt: Date | null; pausedUntil: Date | null; lastError: string | null } | null;
  waiting: number;
  /** The most recent records SharePoint refused: which one, and SharePoint's error as it came. */
  parked: { record: string; error: string }[];
}

/** `status` (administrators): the leading instance and how the SharePoint sync is doing. */
export async function status(c: Caller): Promise<StatusView> {
  const { leadership, sync, store } = c.app;
  const { lease, instances } = leadership.seen();
  const leader = lease ? { holder: lease.holder, since: lease.since, self: lease.holder === leadership.self } : null;
  if (!sync) return { leader, instances: instances.length, sync: null, waiting: await store.outbox.pendingCount(), parked: [] };
  const s = await sync.status();
  const parked = (await store.outbox.parked(5)).map((p) => ({ record: `${p.entity} ${keyParts(p.key).join(' · ')}`.slice(0, 80), error: p.error }));
  return {
    leader, instances: instances.length, waiting: s.pending, parked,
    sync: { pending: s.pending, parked: s.parked, lastSuccessAt: s.lastSuccessAt, pausedUntil: s.pausedUntil, lastError: s.lastError },
  };
}

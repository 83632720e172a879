import { audit, type Caller } from './context';

export type RetryView = { kind: 'syncOff'; waiting: number } | { kind: 'retried'; records: number };

/** `opnieuw` (administrators): puts the records SharePoint refused back in line. */
export async function retryParked(c: Caller): Promise<RetryView> {
  const { sync, store } = c.app;
  if (!sync) return { kind: 'syncOff', waiting: await store.outbox.pendingCount() };
  const records = await sync.retryParked();
  c.log.info({ records, by: c.member.key }, 'parked SharePoint records retried');
  await audit(c, 'opnieuw', null, `${records} records`);
  return { kind: 'retried', records };
}

import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../log';

/** Open connections and when the last one arrived: what a graceful stop waits on. */
export interface ConnectionTracker {
  readonly open: Set<Socket>;
  lastConnectionAt: number;
}

export function trackConnections(server: Server): ConnectionTracker {
  const tracker: ConnectionTracker = { open: new Set(), lastConnectionAt: 0 };
  server.on('connection', (socket: Socket) => {
    tracker.open.add(socket);
    tracker.lastConnectionAt = Date.now();
    socket.once('close', () => tracker.open.delete(socket));
  });
  return tracker;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A graceful stop that loses no accepted request. Closing the listening socket at once would
 * reset every connection the kernel has already accepted but Node has not yet picked up (a burst
 * of answers sits there while the event loop works): so the server keeps accepting until no new
 * connection has come for `quietMs` (every answer now says `Connection: close`), then stops
 * listening, lets each request in progress finish, and closes what is left after `maxMs`.
 */
export async function drainServer(server: Server, tracker: ConnectionTracker, o: { quietMs: number; maxMs: number; log: Logger }): Promise<void> {
  const started = Date.now();
  const deadline = started + o.maxMs;
  // One turn of the event loop first: connections waiting in the kernel's queue are picked up in it.
  do await sleep(25); while (Date.now() - tracker.lastConnectionAt < o.quietMs && Date.now() < deadline);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timedOut = await Promise.race([closed.then(() => false), sleep(Math.max(0, deadline - Date.now())).then(() => true)]);
  if (timedOut) {
    o.log.warn({ connections: tracker.open.size }, 'requests still open after the drain time: closing them');
    server.closeAllConnections();
    await closed;
  }
  o.log.info({ ms: Date.now() - started }, 'HTTP server drained');
}

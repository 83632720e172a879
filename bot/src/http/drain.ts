import net from 'node:net';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../log';

interface SocketState { since: number; served: number; active: number }

/** Open connections, what each is doing, and when the last one arrived: what a graceful stop waits on. */
export interface ConnectionTracker {
  readonly open: Map<Socket, SocketState>;
  lastConnectionAt: number;
}

export function trackConnections(server: Server): ConnectionTracker {
  const tracker: ConnectionTracker = { open: new Map(), lastConnectionAt: 0 };
  server.on('connection', (socket: Socket) => {
    tracker.open.set(socket, { since: Date.now(), served: 0, active: 0 });
    tracker.lastConnectionAt = Date.now();
    socket.once('close', () => tracker.open.delete(socket));
  });
  server.on('request', (req: { socket: Socket }, res: { once(e: 'close', f: () => void): void }) => {
    const state = tracker.open.get(req.socket);
    if (!state) return;
    state.active++;
    res.once('close', () => { state.active--; state.served++; });
  });
  return tracker;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Resolves in the check phase, i.e. after the event loop's next poll (where connections are accepted). */
const afterPoll = () => new Promise((r) => setImmediate(r));

/** A connection that has not sent its first request within this time after the stop began is closed. */
const FIRST_REQUEST_GRACE_MS = 2_000;

/**
 * A graceful stop that loses no accepted request. Node's own `server.close()` destroys every
 * connection without a request in progress, which includes connections just accepted whose
 * request has not been read yet (a burst of answers while the event loop is busy): those clients
 * saw a reset. So:
 * 1. keep accepting until no new connection has come for `quietMs` (every answer now says
 *    `Connection: close`, so each connection ends after its request);
 * 2. stop listening; close connections that are idle after serving a request (keep-alive);
 * 3. let every request in progress finish, and give a fresh connection time to send its first;
 * 4. after `maxMs`, close whatever is left.
 */
export async function drainServer(server: Server, tracker: ConnectionTracker, o: { quietMs: number; maxMs: number; log: Logger }): Promise<void> {
  const started = Date.now();
  const deadline = started + o.maxMs;
  // Quiet means: no connection for quietMs, seen after two passes through the event loop's poll
  // phase. A timer can fire late, after a long batch of requests during which more connections
  // arrived; those wait in the kernel's queue until the next poll picks them up, and closing the
  // listener before that would reset them.
  const quiet = () => Date.now() - tracker.lastConnectionAt >= o.quietMs;
  for (;;) {
    await sleep(25);
    await afterPoll();
    const first = quiet();
    await afterPoll();
    if ((first && quiet()) || Date.now() >= deadline) break;
  }
  const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
  let allClosed = false;
  void closed.then(() => { allClosed = true; });
  const stopAt = Math.max(started, tracker.lastConnectionAt);
  while (!allClosed && Date.now() < deadline) {
    for (const [socket, s] of tracker.open) {
      const idleAfterWork = s.active === 0 && s.served > 0;
      const neverAsked = s.active === 0 && s.served === 0 && Date.now() - Math.max(s.since, stopAt) > FIRST_REQUEST_GRACE_MS;
      // end(), not destroy(): the last response still leaves before the connection closes.
      if (idleAfterWork || neverAsked) socket.end();
    }
    await sleep(25);
  }
  if (!allClosed) {
    o.log.warn({ connections: tracker.open.size }, 'requests still open after the drain time: closing them');
    for (const socket of tracker.open.keys()) socket.destroy();
    await closed;
  }
  o.log.info({ ms: Date.now() - started }, 'HTTP server drained');
}

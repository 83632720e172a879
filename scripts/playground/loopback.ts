/**
 * Preloaded into the Agents Playground (`node --require …/loopback.js cli.js`): the Playground
 * listens on every interface (`server.listen(port)`, no host option), but it is an unauthenticated
 * Teams stand-in that drives a bot with authentication off. Any listen() without a host is bound to
 * loopback instead. Developer tooling only; the bot itself never loads this.
 */
import net from 'node:net';

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function patchedListen(this: net.Server, ...args: unknown[]) {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port[, host][, backlog][, callback]): add the host when none is given.
    if (typeof second !== 'string') args.splice(1, 0, LOOPBACK);
  } else if (first && typeof first === 'object' && !('fd' in first) && !('path' in first) && !(first as net.ListenOptions).host) {
    args[0] = { ...(first as net.ListenOptions), host: LOOPBACK };
  }
  return (listen as (...a: unknown[]) => net.Server).apply(this, args);
} as typeof net.Server.prototype.listen;

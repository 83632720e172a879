/** The baseline bot as a process of its own (like the bot under test): settings from the environment, its URL logged once listening. */
import { startBaseline } from './baseline';

startBaseline(process.env as Record<string, string>).then(
  (b) => {
    process.stdout.write(`${JSON.stringify({ msg: 'baseline is listening', url: b.url })}\n`);
    process.once('SIGTERM', () => { void b.close().then(() => process.exit(0)); });
  },
  (err: unknown) => { process.stderr.write(`${(err as Error).stack}\n`); process.exit(1); },
);

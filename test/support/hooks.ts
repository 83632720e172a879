import fs from 'node:fs';
import { createdTempDirs } from './bot';
import { stopTestPostgres } from './stores';

/** Mocha root hooks: the run's PostgreSQL server is stopped and temp folders made by tests are removed when the run ends. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    // A fast shutdown writes a checkpoint of every test database: on a busy 2-core machine that has
    // taken over 10 s (then the server is killed), longer than a test's 20 s with both waits.
    this.timeout(60_000);
    await stopTestPostgres();
    for (const dir of createdTempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  },
};

import fs from 'node:fs';
import { createdTempDirs } from './bot';
import { stopTestPostgres } from './stores';

/** Mocha root hooks: the run's PostgreSQL server is stopped and temp folders made by tests are removed when the run ends. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopTestPostgres();
    for (const dir of createdTempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  },
};

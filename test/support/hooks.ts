import fs from 'node:fs';
import { createdTempDirs } from './bot';

/** Mocha root hooks: temp folders made by tests are removed when the run ends. */
export const mochaHooks = {
  afterAll(): void {
    for (const dir of createdTempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  },
};

import { SqliteStore } from '../../bot/src/store';
import { tempDir } from '../support/bot';
import { storeContract } from './contract';

/** The embedded store: a fresh folder per test; reopening opens the same folder again. */
storeContract('SQLite', async () => {
  const dir = tempDir('kk-store-');
  let current = SqliteStore.open(dir);
  return {
    store: current,
    async reopen() {
      await current.close();
      current = SqliteStore.open(dir);
      return current;
    },
    async cleanup() {
      await current.close();
    },
  };
});

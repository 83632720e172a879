import { PgStore } from '../../bot/src/store';
import { testPostgres } from '../support/stores';
import { storeContract } from './contract';

/**
 * The production store against a real PostgreSQL server (the run's throwaway one, see
 * test/support/stores.ts): a fresh database per test; reopening connects to the same database again.
 */
describe('PostgreSQL store', () => {
  before(async function () {
    this.timeout(60_000);
    await testPostgres();
  });

  storeContract('PostgreSQL', async () => {
    const url = await (await testPostgres()).createDatabase();
    let current = await PgStore.open({ url, poolSize: 4 });
    return {
      store: current,
      async reopen() {
        await current.close();
        current = await PgStore.open({ url, poolSize: 4 });
        return current;
      },
      async cleanup() {
        await current.close();
      },
    };
  });
});

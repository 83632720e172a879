import assert from 'node:assert/strict';
import path from 'node:path';
import { startBotProcess } from '../support/process';
import { tempDir } from '../support/bot';

describe('the embedded store serves one process: a second bot on the same DATA_DIR refuses to start', () => {
  it('exits non-zero naming the directory and DATABASE_URL, while the first keeps serving; a crash frees the store', async function () {
    this.timeout(30_000);
    const dir = tempDir();
    const first = await startBotProcess({ DATA_DIR: dir });
    try {
      let stderr = '';
      const second = await startBotProcess({ DATA_DIR: dir }).then(
        () => assert.fail('the second process started'),
        (err: Error) => { stderr = err.message; },
      );
      void second;
      assert.match(stderr, /exited with 78/, 'exit code EX_CONFIG');
      assert.ok(stderr.includes(path.resolve(dir)), `names the directory: ${stderr}`);
      assert.match(stderr, /DATABASE_URL=postgres/);
      assert.equal((await fetch(`${first.url}/readyz`)).status, 200, 'the first process still serves');
      first.child.kill('SIGKILL');
      await first.exited;
      const again = await startBotProcess({ DATA_DIR: dir });
      assert.equal((await fetch(`${again.url}/readyz`)).status, 200, 'after a crash the store is free at once');
      again.child.kill('SIGTERM');
      assert.equal(await again.exited, 0);
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
    }
  });
});

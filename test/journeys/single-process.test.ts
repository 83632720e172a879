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

describe('a newcomer\'s terminal: probes are not logged as refusals', () => {
  it('answers HEAD /api/messages (the Playground\'s readiness probe) 405 without an info line; a GET there is still logged', async function () {
    this.timeout(30_000);
    const lines: { msg?: string; status?: unknown; path?: unknown }[] = [];
    const bot = await startBotProcess({ DATA_DIR: tempDir() }, (e) => lines.push(e));
    try {
      for (let i = 0; i < 3; i++) assert.equal((await fetch(`${bot.url}/api/messages`, { method: 'HEAD' })).status, 405);
      assert.equal((await fetch(`${bot.url}/api/messages`)).status, 405);
      await new Promise((r) => setTimeout(r, 200)); // the log lines arrive through the pipe
      const refused = lines.filter((l) => l.msg === 'request refused' && l.path === '/api/messages');
      assert.equal(refused.length, 1, JSON.stringify(refused));
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../bot/src/store';
import { MIGRATIONS } from '../../bot/src/store/migrations';
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

describe('SQLite store: migration 10 (the digest delivery) rebuilds deliveries with every row', () => {
  it('keeps the posts of a store at version 9 and then takes a digest', async () => {
    const dir = tempDir('kk-store-');
    const db = new Database(path.join(dir, 'kenniskring.sqlite'));
    for (const [v, m] of MIGRATIONS.slice(0, 9).entries()) { db.exec(m); db.pragma(`user_version = ${v + 1}`); }
    db.exec(`INSERT INTO rkks (id, name, team_id, channel_id, service_url, conversation_ref, active, registered_at, updated_at)
             VALUES ('r1', 'RKK Kempen', 'r1', 'r1', 'https://smba.example/', '{}', 1, '2026-11-23T08:00:00.000Z', '2026-11-23T08:00:00.000Z')`);
    db.exec(`INSERT INTO questions (id, text, kind, options, allow_comment, theme, targets, queue_order, source, created_at, updated_at)
             VALUES ('q1', 'Een vraag van tien tekens?', 'single', '[{"id":"1","label":"Ja"},{"id":"2","label":"Nee"}]', 1, 'data', '"all"', 0, 'file', '2026-11-23T08:00:00.000Z', '2026-11-23T08:00:00.000Z')`);
    db.exec(`INSERT INTO deliveries (kind, question_id, rkk_id, state, attempts, next_attempt_at, conversation_id, message_id, created_at, sent_at, claimed_by)
             VALUES ('question', 'q1', 'r1', 'sent', 1, '2026-11-23T08:00:00.000Z', 'r1;messageid=1', '1', '2026-11-23T08:00:00.000Z', '2026-11-23T08:00:01.000Z', NULL)`);
    db.close();
    const store = SqliteStore.open(dir);
    try {
      const post = await store.deliveries.get({ kind: 'question', questionId: 'q1', rkkId: 'r1' });
      assert.deepEqual([post?.state, post?.messageId, post?.attempts], ['sent', '1', 1]);
      assert.equal(await store.deliveries.ensure({ kind: 'digest', questionId: 'q1', rkkId: 'r1' }, new Date('2026-11-24T08:00:00Z')), true);
    } finally {
      await store.close();
    }
  });
});

/**
 * Copies an embedded SQLite store into PostgreSQL, for a deployment that started on SQLite.
 * Everything is copied in one PostgreSQL transaction, rows that are already there are left as
 * they are (running it again changes nothing), and the result is checked table by table by counts.
 * The SQLite store is locked for the copy: no bot may be running on it.
 */
import pg from 'pg';
import { holdInstanceLock, openDatabase, type Db } from './db';
import { MIGRATIONS } from './migrations';
import { PgDb, poolConfig, type PgConnectionOptions, type Sql } from './postgres/db';
import { migrate } from './postgres/schema';

/** Parents before children (foreign keys); the lease, the instances and the outbox claims are not copied (they belong to running processes; a delivery's claim names a process that is gone, and is released). */
const TABLES: ReadonlyArray<{ name: string; key: string; booleans?: string[]; serial?: string }> = [
  { name: 'rkks', key: 'id', booleans: ['active', 'overarching'] },
  { name: 'personal_chats', key: 'member_key' },
  { name: 'questions', key: 'id', booleans: ['allow_comment', 'anonymous'] },
  { name: 'question_salts', key: 'question_id' },
  { name: 'moderators', key: 'rkk_id, member_key' },
  { name: 'deliveries', key: 'kind, question_id, rkk_id', booleans: ['renew_after_send'] },
  { name: 'answers', key: 'question_id, member_key', booleans: ['contact_ok'] },
  { name: 'highlights', key: 'question_id, member_key' },
  { name: 'answer_tallies', key: 'question_id, rkk_id, option_id' },
  { name: 'comments', key: 'conversation_id, message_id' },
  { name: 'outbox', key: 'id', serial: 'id' },
  { name: 'sp_items', key: 'entity, entity_key' },
  { name: 'sync_parked', key: 'entity, entity_key' },
  { name: 'sp_question_rows', key: 'item_id' },
  { name: 'audit_log', key: 'id', serial: 'id' },
  { name: 'moments', key: 'id' },
  { name: 'asks', key: 'id' },
  { name: 'theme_weeks', key: 'week' },
  { name: 'reminders', key: 'member_key' },
  { name: 'proposals', key: 'id', booleans: ['show_name'] },
];
const BATCH = 500;

export interface TableCopy { table: string; sqlite: number; copied: number; postgres: number }

export interface CopyReport {
  tables: TableCopy[];
  /** Tables whose counts differ after the copy (PostgreSQL held other rows already, or a row was refused). */
  mismatched: string[];
}

export async function copySqliteToPostgres(dataDir: string, connection: PgConnectionOptions): Promise<CopyReport> {
  const lock = holdInstanceLock(dataDir);
  const sqlite = openDatabase(dataDir);
  const target = new PgDb(new pg.Pool(poolConfig(connection)));
  try {
    if ((sqlite.pragma('user_version', { simple: true }) as number) !== MIGRATIONS.length) throw new Error('the SQLite store could not be brought to this build\'s schema');
    await migrate(target);
    const tables = await target.tx(async (c) => {
      const out: TableCopy[] = [];
      for (const t of TABLES) out.push(await copyTable(sqlite, c, t));
      return out;
    });
    return { tables, mismatched: tables.filter((t) => t.sqlite !== t.postgres).map((t) => t.table) };
  } finally {
    sqlite.close();
    lock.close();
    await target.close();
  }
}

async function copyTable(sqlite: Db, c: Sql, t: (typeof TABLES)[number]): Promise<TableCopy> {
  const rows = sqlite.prepare(`SELECT * FROM ${t.name}`).all() as Record<string, unknown>[];
  let copied = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const columns = Object.keys(batch[0]!);
    const values: unknown[] = [];
    const tuples = batch.map((row) => `(${columns.map((col) => {
      const v = row[col];
      values.push(t.booleans?.includes(col) ? v === 1 : v);
      return `$${values.length}`;
    }).join(', ')})`);
    const res = await c.query(`INSERT INTO ${t.name} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${t.key}) DO NOTHING`, values);
    copied += res.rowCount ?? 0;
  }
  if (t.serial) {
    // Rows made later on PostgreSQL continue after the copied ids.
    await c.query(`SELECT setval(pg_get_serial_sequence('${t.name}', '${t.serial}'), COALESCE(MAX(${t.serial}), 1), MAX(${t.serial}) IS NOT NULL) FROM ${t.name}`);
  }
  const postgres = Number((await c.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${t.name}`)).rows[0]!.n);
  return { table: t.name, sqlite: rows.length, copied, postgres };
}

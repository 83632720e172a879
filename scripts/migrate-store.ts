/**
 * `npm run migrate-store`: copies the embedded SQLite store in DATA_DIR into the PostgreSQL
 * database of DATABASE_URL (DATABASE_AUTH as the bot uses it). Idempotent: rows already copied
 * stay as they are. Checked by counts, table by table; exits non-zero when a count differs.
 * Stop the bot first: the SQLite store is locked for the copy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { scriptConfig } from './config';
import { createLogger } from '../bot/src/log';
import { storeLocation } from '../bot/src/app';
import { copySqliteToPostgres } from '../bot/src/store/migrateStore';
import { isKenniskringError } from '../bot/src/domain/errors';

async function main(): Promise<number> {
  const config = scriptConfig();
  if (!config) return 78;
  const where = storeLocation(config, createLogger(process.env.LOG_LEVEL ?? 'warn'), undefined);
  if (where.kind !== 'postgres') {
    process.stderr.write('DATABASE_URL is missing: set it to the PostgreSQL database to copy the store into (and DATA_DIR to the SQLite store to copy).\n');
    return 78;
  }
  if (!fs.existsSync(path.join(config.dataDir, 'kenniskring.sqlite'))) {
    process.stderr.write(`There is no SQLite store in ${path.resolve(config.dataDir)} (DATA_DIR): nothing to copy.\n`);
    return 78;
  }
  try {
    const report = await copySqliteToPostgres(config.dataDir, where.connection);
    process.stdout.write([
      `From ${path.resolve(config.dataDir)} to PostgreSQL:`,
      ...report.tables.map((t) => `  ${t.table.padEnd(18)} ${String(t.sqlite).padStart(7)} in SQLite, ${String(t.copied).padStart(7)} copied now, ${String(t.postgres).padStart(7)} in PostgreSQL`),
      report.mismatched.length
        ? `Counts differ for ${report.mismatched.join(', ')}: PostgreSQL held other rows already. Nothing was lost; check before starting the bot on PostgreSQL.`
        : 'Every table has the same number of rows in both stores.',
      '',
    ].join('\n'));
    return report.mismatched.length ? 1 : 0;
  } catch (err) {
    process.stderr.write(`The copy failed, nothing was changed in PostgreSQL: ${isKenniskringError(err) ? err.message : (err as Error).message}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code), (err: unknown) => { process.stderr.write(`${(err as Error).stack}\n`); process.exit(1); });

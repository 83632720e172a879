/**
 * `npm run provision`: creates the SharePoint lists and columns Kenniskring needs, or checks them.
 * Idempotent: a second run reports that nothing changed. Reads the same settings as the bot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { scriptConfig } from './config';
import { createLogger } from '../bot/src/log';
import { connectGraph, ensureLists, resolveSite, ProvisionError } from '../bot/src/sharepoint';

async function main(): Promise<number> {
  const config = scriptConfig();
  if (!config) return 78;
  if (!config.sharepoint) {
    process.stderr.write('SharePoint is not configured: set GRAPH_TENANT_ID, GRAPH_CLIENT_ID, a credential and SHAREPOINT_SITE_ID or SHAREPOINT_SITE_URL (see .env.example).\n');
    return 78;
  }
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const version = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
  const api = connectGraph(config.sharepoint, { log, version });
  const checkOnly = process.argv.includes('--check');
  try {
    const siteId = await resolveSite(api, config.sharepoint.site, config.sharepoint.clientId);
    const report = await ensureLists(api, { siteId, names: config.sharepoint.lists, clientId: config.sharepoint.clientId, log, create: !checkOnly });
    const changed = report.createdLists.length + report.createdColumns.length + report.indexedColumns.length + report.extendedColumns.length;
    process.stdout.write([
      `Site ${siteId}`,
      ...Object.entries(report.site.ids).map(([role, id]) => `  ${role.padEnd(9)} ${config.sharepoint!.lists[role as keyof typeof config.sharepoint.lists]} (${id})`),
      changed === 0 ? 'Everything was already in place: nothing changed.' : [
        report.createdLists.length ? `Created lists: ${report.createdLists.join(', ')}` : '',
        report.createdColumns.length ? `Created columns: ${report.createdColumns.join(', ')}` : '',
        report.indexedColumns.length ? `Indexed (and made unique where needed) columns: ${report.indexedColumns.join(', ')}` : '',
        report.extendedColumns.length ? `Choices added to columns: ${report.extendedColumns.join(', ')}` : '',
      ].filter(Boolean).join('\n'),
      '',
    ].join('\n'));
    return 0;
  } catch (err) {
    if (err instanceof ProvisionError) { process.stderr.write(`${err.message}\n`); return 1; }
    process.stderr.write(`Provisioning failed: ${(err as Error).message}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code), (err: unknown) => { process.stderr.write(`${(err as Error).stack}\n`); process.exit(1); });

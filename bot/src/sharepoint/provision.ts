import type { Logger } from '../log';
import { GraphCallError, type GraphApi } from './graphApi';
import { LISTS, type ColumnDef, type ListRole } from './lists';

export interface SiteLists {
  siteId: string;
  ids: Record<ListRole, string>;
}

export interface ProvisionReport {
  site: SiteLists;
  createdLists: string[];
  createdColumns: string[];
  indexedColumns: string[];
  /** Choice columns that got the choices a newer version of the app writes (e.g. Bron "Voorstel"). */
  extendedColumns: string[];
}

/** A provisioning problem an administrator must fix (wrong column type, missing grant…). */
export class ProvisionError extends Error {
  readonly code = 'sharepoint_provision';
  constructor(message: string) {
    super(message);
    this.name = 'ProvisionError';
  }
}

interface GraphColumn {
  id: string; name: string; indexed?: boolean; enforceUniqueValues?: boolean; required?: boolean; readOnly?: boolean;
  text?: { allowMultipleLines?: boolean }; number?: object; dateTime?: object; boolean?: object; choice?: { choices?: string[] };
}

function columnFacet(c: ColumnDef): Record<string, unknown> {
  switch (c.type) {
    case 'text': return { text: { allowMultipleLines: false, maxLength: 255 } };
    case 'note': return { text: { allowMultipleLines: true } };
    case 'number': return { number: {} };
    case 'dateTime': return { dateTime: {} };
    case 'boolean': return { boolean: {} };
    case 'choice': return { choice: { choices: [...(c.choices ?? [])], displayAs: 'dropDownMenu' } };
  }
}

function columnBody(c: ColumnDef) {
  return { name: c.name, description: c.description, indexed: !!(c.indexed || c.unique), enforceUniqueValues: !!c.unique, required: !!c.required, ...columnFacet(c) };
}

function typeOf(g: GraphColumn): string {
  if (g.text) return g.text.allowMultipleLines ? 'note' : 'text';
  for (const t of ['number', 'dateTime', 'boolean', 'choice'] as const) if (g[t]) return t;
  return 'other';
}

/** Turns Graph's 401/403 into the exact grant an administrator must give. */
export function explainAccess(err: GraphCallError, siteLabel: string, clientId: string, action: string): ProvisionError | GraphCallError {
  if (err.status !== 403 && err.status !== 401) return err;
  const needs = action === 'read' || action === 'write items' ? 'write' : 'manage';
  return new ProvisionError(
    `Microsoft Graph refused to ${action} on ${siteLabel} (${err.status} ${err.code ?? ''}: ${err.message}).\n` +
    `Give the app (client id ${clientId}) the application permission Sites.Selected with admin consent, and grant it the ` +
    `"${needs}" role on this one site:\n` +
    `  POST https://graph.microsoft.com/v1.0/sites/{site-id}/permissions\n` +
    `  { "roles": ["${needs}"], "grantedToIdentities": [{ "application": { "id": "${clientId}", "displayName": "Kenniskring" } }] }\n` +
    `("manage" is needed once, to create the lists with npm run provision; "write" is enough to run.)`,
  );
}

export async function resolveSite(api: GraphApi, site: { id: string } | { url: string }, clientId: string): Promise<string> {
  if ('id' in site) return site.id;
  const u = new URL(site.url);
  try {
    const found = await api.call<{ id: string }>('GET', `/sites/${u.hostname}:${u.pathname.replace(/\/+$/, '') || '/'}`);
    return found.id;
  } catch (err) {
    if (err instanceof GraphCallError) throw explainAccess(err, site.url, clientId, 'read');
    throw err;
  }
}

/**
 * Creates the lists and columns that are missing and checks every list, also one it just created
 * (type, required, indexed, unique: SharePoint may create a column without the index or the
 * uniqueness asked for), fixing the index and the uniqueness where it can. Idempotent: a second
 * run changes nothing. With `create: false` it only checks.
 *
 * `verified` carries the lists already checked by an earlier attempt (role → list id): they are
 * not read again, so a failure part-way (throttling at start-up) retries only what is left. It
 * is filled as each list passes.
 */
export async function ensureLists(api: GraphApi, d: {
  siteId: string; names: Record<ListRole, string>; clientId: string; log: Logger; create: boolean;
  verified?: Partial<Record<ListRole, string>>;
}): Promise<ProvisionReport> {
  const verified = d.verified ?? {};
  const report: ProvisionReport = { site: { siteId: d.siteId, ids: {} as Record<ListRole, string> }, createdLists: [], createdColumns: [], indexedColumns: [], extendedColumns: [] };
  const problems: string[] = [];
  const guard = async <T>(action: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof GraphCallError) throw explainAccess(err, `site ${d.siteId}`, d.clientId, action);
      throw err;
    }
  };
  const todo = LISTS.filter((def) => !verified[def.role]);
  const existing = todo.length ? await guard('read', () => api.allPages<{ id: string; displayName: string }>(`/sites/${d.siteId}/lists?$select=id,displayName`)) : [];
  for (const def of todo) {
    const name = d.names[def.role];
    let listId = existing.find((l) => l.displayName === name)?.id;
    if (!listId) {
      if (!d.create) { problems.push(`list "${name}" does not exist (run npm run provision)`); continue; }
      listId = (await guard('create lists', () => api.call<{ id: string }>('POST', `/sites/${d.siteId}/lists`, {
        displayName: name, description: def.description, list: { template: 'genericList' }, columns: def.columns.map(columnBody),
      }))).id;
      report.createdLists.push(name);
      d.log.info({ list: name }, 'SharePoint list created');
    }
    const before = problems.length;
    const columns = await guard('read', () => api.allPages<GraphColumn>(`/sites/${d.siteId}/lists/${listId}/columns`));
    for (const col of def.columns) {
      const have = columns.find((c) => c.name === col.name);
      if (!have) {
        if (!d.create) { problems.push(`list "${name}" lacks column ${col.name} (run npm run provision)`); continue; }
        await guard('create columns', () => api.call('POST', `/sites/${d.siteId}/lists/${listId}/columns`, columnBody(col)));
        report.createdColumns.push(`${name}.${col.name}`);
        continue;
      }
      if (typeOf(have) !== col.type) problems.push(`column ${name}.${col.name} is ${typeOf(have)}, Kenniskring needs ${col.type}: rename or remove it, then run npm run provision`);
      if (!!col.required !== !!have.required) problems.push(`column ${name}.${col.name} must ${col.required ? '' : 'not '}be required`);
      if (!col.unique && have.enforceUniqueValues) problems.push(`column ${name}.${col.name} must not enforce unique values`);
      const lacking = col.type === 'choice' && typeOf(have) === 'choice' ? (col.choices ?? []).filter((c) => !(have.choice?.choices ?? []).includes(c)) : [];
      if (lacking.length) {
        // SharePoint refuses a value that is not one of the column's choices: add ours, keep the site's own.
        if (!d.create) problems.push(`column ${name}.${col.name} lacks the choices ${lacking.join(', ')} (run npm run provision)`);
        else {
          await guard('change columns', () => api.call('PATCH', `/sites/${d.siteId}/lists/${listId}/columns/${have.id}`, { choice: { choices: [...(have.choice?.choices ?? []), ...lacking], displayAs: 'dropDownMenu' } }));
          report.extendedColumns.push(`${name}.${col.name}`);
        }
      }
      const needsIndex = !!(col.indexed || col.unique) && !have.indexed;
      const needsUnique = !!col.unique && !have.enforceUniqueValues;
      if (needsIndex || needsUnique) {
        const what = [needsIndex ? 'indexed' : '', needsUnique ? 'enforce unique values' : ''].filter(Boolean).join(' and ');
        if (!d.create) { problems.push(`column ${name}.${col.name} must be ${what} (run npm run provision)`); continue; }
        try {
          await guard('index columns', () => api.call('PATCH', `/sites/${d.siteId}/lists/${listId}/columns/${have.id}`, { indexed: true, ...(needsUnique ? { enforceUniqueValues: true } : {}) }));
          report.indexedColumns.push(`${name}.${col.name}`);
        } catch (err) {
          // SharePoint refuses uniqueness while the column holds duplicates: that needs a person.
          if (!(err instanceof GraphCallError) || err.status !== 400) throw err;
          problems.push(`column ${name}.${col.name} must be ${what}, and SharePoint refused (${err.message}): remove duplicate values, then run npm run provision`);
        }
      }
    }
    if (problems.length === before) verified[def.role] = listId;
  }
  if (problems.length) throw new ProvisionError(`SharePoint lists are not as Kenniskring needs them:\n  - ${problems.join('\n  - ')}`);
  for (const def of LISTS) report.site.ids[def.role] = verified[def.role]!;
  return report;
}

/**
 * `npm run package`: builds the Teams app package `build/kenniskring-<version>.zip`.
 *
 * Settings (environment): BOT_ID (the bot's Microsoft App ID = MicrosoftAppId), APP_ID (the Teams
 * app id, a GUID that stays the same across versions), HOST_NAME (where the bot serves /tab/, e.g.
 * kenniskring.azurewebsites.net), SSO_APP_ID (the Entra app registration that resource-specific
 * consent and tab SSO are granted to, in webApplicationInfo; default BOT_ID, right for a
 * SingleTenant bot with its own registration, while a bot on a managed identity needs one of its
 * own) and VERSION (default: package.json's version). A missing one stops the build with
 * "Missing setting: <NAME>" (exit code 1).
 *
 * The filled manifest and en.json are validated offline with ajv against Microsoft's own JSON
 * schemas, the ones shipped in @microsoft/app-manifest (picked by each file's `$schema`), plus
 * the checks the schema cannot express (Teams' limits on command texts, validDomains, the bot
 * SSO resource on the tab's host, translations that match the manifest, the icons). The zip
 * is flat: manifest.json, en.json, color.png and outline.png at its root.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';

/** The repository (this file runs from dist/scripts/). */
export const ROOT = path.resolve(__dirname, '../..');
export const MANIFEST_DIR = path.join(ROOT, 'manifest');

export const SETTINGS = ['BOT_ID', 'APP_ID', 'HOST_NAME', 'SSO_APP_ID', 'VERSION'] as const;
export type SettingName = (typeof SETTINGS)[number];
export type Settings = Record<SettingName, string>;

/** A problem the person packaging can fix; the message says what. */
export class PackageError extends Error {
  override name = 'PackageError';
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

// ---------------------------------------------------------------------------------- settings

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

const FORMAT: Record<SettingName, { test: RegExp; what: string }> = {
  BOT_ID: { test: GUID, what: "a GUID (the bot's Microsoft App ID, MicrosoftAppId)" },
  APP_ID: { test: GUID, what: 'a GUID (the Teams app id; keep it the same for every version)' },
  HOST_NAME: { test: HOST, what: 'a host name such as kenniskring.azurewebsites.net (no https://, no port, no path)' },
  SSO_APP_ID: { test: GUID, what: 'a GUID (the application id of the Entra app registration for resource-specific consent and tab SSO)' },
  VERSION: { test: SEMVER, what: 'a version MAJOR.MINOR.PATCH such as 1.0.0' },
};

/** The settings from the environment (VERSION may come from `defaults`; SSO_APP_ID is BOT_ID unless given); the first missing or malformed one throws. */
export function readSettings(env: Record<string, string | undefined>, defaults: Partial<Settings> = {}): Settings {
  const out = {} as Settings;
  for (const name of SETTINGS) {
    const value = env[name]?.trim() || defaults[name] || (name === 'SSO_APP_ID' ? out.BOT_ID : undefined);
    if (!value) throw new PackageError(`Missing setting: ${name}`);
    if (!FORMAT[name].test.test(value)) throw new PackageError(`Invalid setting: ${name} must be ${FORMAT[name].what}, got "${value}"`);
    out[name] = value;
  }
  return out;
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Replaces every `${{NAME}}` in a JSON template with its value, escaped for a JSON string (the
 * placeholders sit inside strings). A placeholder without a value throws "Missing setting: NAME".
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string | undefined>>): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') throw new PackageError(`Missing setting: ${name}`);
    return JSON.stringify(value).slice(1, -1);
  });
}

// ---------------------------------------------------------------------------------- schemas

const SCHEMA_URL = /\/json-schemas\/teams\/(v\d+\.\d+|vDevPreview)\/(MicrosoftTeams(?:\.Localization)?\.schema\.json)$/;

/** Where @microsoft/app-manifest keeps Microsoft's Teams JSON schemas. */
export function schemaRoot(): string {
  return path.join(path.dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build/json-schemas/teams');
}

/** The local copy of the schema a `$schema` URL names (developer.microsoft.com/json-schemas/teams/v1.xx/...). */
export function schemaFile(url: string): string {
  const m = SCHEMA_URL.exec(url);
  if (!m) throw new PackageError(`$schema "${url}" is not a Teams manifest or localization schema URL`);
  const file = path.join(schemaRoot(), m[1]!, m[2]!);
  if (!fs.existsSync(file)) throw new PackageError(`$schema "${url}": @microsoft/app-manifest does not ship ${m[1]}/${m[2]}`);
  return file;
}

type AjvClass = new (opts: Record<string, unknown>) => Ajv;

/**
 * The Ajv class for a schema's draft. Microsoft's Teams schemas are draft-04, which Ajv 8 reads
 * through ajv-draft-04: the dependency @microsoft/app-manifest itself validates with, resolved
 * from that package.
 */
function ajvClass(draft: string): AjvClass {
  if (draft.includes('draft-04')) {
    const from = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
    return (require(require.resolve('ajv-draft-04', { paths: [from] })) as { default: AjvClass }).default;
  }
  if (draft.includes('2020-12')) return Ajv2020 as unknown as AjvClass;
  if (draft === '' || draft.includes('draft-07')) return Ajv as unknown as AjvClass;
  throw new PackageError(`unsupported JSON schema draft ${draft}`);
}

const validators = new Map<string, ValidateFunction>();

/** The compiled validator for a `$schema` URL (cached). */
export function validatorFor(url: string): ValidateFunction {
  const file = schemaFile(url);
  let validate = validators.get(file);
  if (!validate) {
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { $schema?: string };
    // strictTypes off and formats uri/email/regex, as @microsoft/app-manifest does; unicodeRegExp off
    // because the localization schema has patterns (e.g. "\b]") that are only valid without the u flag.
    const ajv = new (ajvClass(schema.$schema ?? ''))({ allErrors: true, strictTypes: false, unicodeRegExp: false });
    addFormats(ajv, ['uri', 'email', 'regex']);
    validate = ajv.compile(schema);
    validators.set(file, validate);
  }
  return validate;
}

function schemaErrors(file: string, doc: unknown): string[] {
  const url = (doc as { $schema?: unknown } | null)?.$schema;
  if (typeof url !== 'string') return [`${file}: $schema is missing`];
  const validate = validatorFor(url);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => {
    const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : '';
    return `${file}: ${e.instancePath || '/'} ${e.message ?? e.keyword}${extra}`;
  });
}

// ---------------------------------------------------------------------------------- checks

/** Teams' documented limits for bot commands (stricter than the schema's 128 / 4000). */
export const COMMAND_TITLE_MAX = 32;
export const COMMAND_DESCRIPTION_MAX = 128;

/** Every http(s) URL in a JSON document, with its path (`$schema` left out). */
export function urlsIn(doc: Json, at = ''): { path: string; url: string }[] {
  if (typeof doc === 'string') return /^https?:\/\//i.test(doc) ? [{ path: at, url: doc }] : [];
  if (Array.isArray(doc)) return doc.flatMap((v, i) => urlsIn(v, `${at}[${i}]`));
  if (doc && typeof doc === 'object') {
    return Object.entries(doc).filter(([k]) => k !== '$schema').flatMap(([k, v]) => urlsIn(v, at ? `${at}.${k}` : k));
  }
  return [];
}

/**
 * URLs Teams opens in the browser from the app's details page rather than loading in the client:
 * the publisher's website needs no place on validDomains (the tab opens external links in a new
 * window anyway).
 */
export const BROWSER_ONLY_URLS: readonly string[] = ['developer.websiteUrl'];

/** True when a validDomains entry (possibly `*.example.com`) covers a host. */
export function domainCovers(entry: string, host: string): boolean {
  const e = entry.toLowerCase(), h = host.toLowerCase();
  return e.startsWith('*.') ? h.endsWith(e.slice(1)) && h.length > e.length - 1 : e === h;
}

/** The strings a localization file may translate, keyed as the localization schema keys them. */
export function localizableStrings(manifest: JsonObject): Map<string, string> {
  const out = new Map<string, string>();
  const put = (key: string, v: Json | undefined) => { if (typeof v === 'string') out.set(key, v); };
  const name = manifest.name as JsonObject | undefined;
  const description = manifest.description as JsonObject | undefined;
  put('name.short', name?.short); put('name.full', name?.full);
  put('description.short', description?.short); put('description.full', description?.full);
  ((manifest.staticTabs as JsonObject[] | undefined) ?? []).forEach((t, i) => put(`staticTabs[${i}].name`, t.name));
  ((manifest.bots as JsonObject[] | undefined) ?? []).forEach((bot, b) => {
    ((bot.commandLists as JsonObject[] | undefined) ?? []).forEach((list, l) => {
      ((list.commands as JsonObject[] | undefined) ?? []).forEach((c, i) => {
        put(`bots[${b}].commandLists[${l}].commands[${i}].title`, c.title);
        put(`bots[${b}].commandLists[${l}].commands[${i}].description`, c.description);
      });
    });
  });
  return out;
}

function commandLimitErrors(file: string, strings: Iterable<[string, string]>): string[] {
  const errors: string[] = [];
  for (const [key, value] of strings) {
    const max = key.endsWith('.title') && key.includes('.commands[') ? COMMAND_TITLE_MAX : key.endsWith('.description') && key.includes('.commands[') ? COMMAND_DESCRIPTION_MAX : null;
    if (max !== null && value.length > max) errors.push(`${file}: ${key} is ${value.length} characters; Teams allows ${max}`);
  }
  return errors;
}

/** Schema errors plus Teams rules the schema does not express. Empty: valid. */
export function validateManifest(manifest: unknown): string[] {
  const errors = schemaErrors('manifest.json', manifest);
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) return errors;
  const m = manifest as JsonObject;
  const domains = ((m.validDomains as Json[] | undefined) ?? []).filter((d): d is string => typeof d === 'string');
  for (const { path: at, url: text } of urlsIn(m)) {
    let url: URL;
    try { url = new URL(text); } catch { errors.push(`manifest.json: ${at} is not a valid URL (${text})`); continue; }
    if (url.protocol !== 'https:') errors.push(`manifest.json: ${at} must be an https URL (${url.href})`);
    if (!BROWSER_ONLY_URLS.includes(at) && !domains.some((d) => domainCovers(d, url.hostname))) {
      errors.push(`manifest.json: the host of ${at} (${url.hostname}) is not on validDomains`);
    }
  }
  const rsc = (((m.authorization as JsonObject | undefined)?.permissions as JsonObject | undefined)?.resourceSpecific as JsonObject[] | undefined) ?? [];
  const webApp = m.webApplicationInfo as JsonObject | undefined;
  if (rsc.length && !webApp) errors.push('manifest.json: resource-specific consent needs webApplicationInfo (the app registration it is granted to)');
  if (webApp) {
    // Tab SSO asks for api://<the tab's host>/<that registration's id>: Teams refuses another host or id.
    const resource = typeof webApp.resource === 'string' ? webApp.resource : '';
    const m2 = /^api:\/\/([^/]+)\/(.+)$/.exec(resource);
    if (!m2 || m2[2] !== webApp.id) errors.push(`manifest.json: webApplicationInfo.resource must be api://<host>/${String(webApp.id)} (the id of webApplicationInfo), not ${resource || 'empty'}`);
    else if (!domains.some((d) => domainCovers(d, m2[1]!))) errors.push(`manifest.json: the host of webApplicationInfo.resource (${m2[1]}) is not on validDomains`);
  }
  errors.push(...commandLimitErrors('manifest.json', localizableStrings(m)));
  return errors;
}

/** Schema errors of a localization file, and keys that do not match the manifest (missing or stale). */
export function validateLocalization(file: string, localization: unknown, manifest: unknown): string[] {
  const errors = schemaErrors(file, localization);
  if (!localization || typeof localization !== 'object' || !manifest || typeof manifest !== 'object') return errors;
  const strings = localizableStrings(manifest as JsonObject);
  const entries = Object.entries(localization as JsonObject).filter(([k]) => k !== '$schema' && k !== 'localizationKeys');
  for (const [key] of entries) if (!strings.has(key)) errors.push(`${file}: "${key}" is not in the manifest`);
  for (const key of strings.keys()) if (!(key in (localization as JsonObject))) errors.push(`${file}: no translation for "${key}"`);
  const $schema = (manifest as JsonObject).$schema, own = (localization as JsonObject).$schema;
  const version = (u: Json | undefined) => (typeof u === 'string' ? SCHEMA_URL.exec(u)?.[1] : undefined);
  if (version($schema) !== version(own)) errors.push(`${file}: its $schema version (${version(own)}) differs from the manifest's (${version($schema)})`);
  errors.push(...commandLimitErrors(file, entries.filter((e): e is [string, string] => typeof e[1] === 'string')));
  return errors;
}

export const ICON_SIZES = { color: 192, outline: 32 } as const;

/** The icons Teams requires: color 192×192 opaque; outline 32×32, white on a transparent background. */
export function checkIcons(color: Buffer, outline: Buffer): string[] {
  const errors: string[] = [];
  const read = (name: string, data: Buffer) => {
    try { return PNG.sync.read(data); } catch (err) { errors.push(`${name}: not a PNG (${(err as Error).message})`); return null; }
  };
  const c = read('color.png', color);
  if (c) {
    if (c.width !== ICON_SIZES.color || c.height !== ICON_SIZES.color) errors.push(`color.png is ${c.width}×${c.height}; Teams requires ${ICON_SIZES.color}×${ICON_SIZES.color}`);
    let transparent = 0;
    for (let i = 3; i < c.data.length; i += 4) if (c.data[i] !== 255) transparent++;
    if (transparent) errors.push(`color.png has ${transparent} pixels that are not opaque`);
  }
  const o = read('outline.png', outline);
  if (o) {
    if (o.width !== ICON_SIZES.outline || o.height !== ICON_SIZES.outline) errors.push(`outline.png is ${o.width}×${o.height}; Teams requires ${ICON_SIZES.outline}×${ICON_SIZES.outline}`);
    let coloured = 0, visible = 0;
    for (let i = 0; i < o.data.length; i += 4) {
      if (o.data[i + 3] === 0) continue;
      visible++;
      if (o.data[i] !== 255 || o.data[i + 1] !== 255 || o.data[i + 2] !== 255) coloured++;
    }
    if (coloured) errors.push(`outline.png has ${coloured} visible pixels that are not white`);
    if (!visible) errors.push('outline.png is empty');
    if (visible === o.width * o.height) errors.push('outline.png has no transparent background');
  }
  return errors;
}

// ---------------------------------------------------------------------------------- the zip

/** A fixed timestamp for every entry: the same inputs give the same zip, byte for byte. */
const ZIP_DATE = new Date(Date.UTC(2026, 0, 1));

/** The app package: the files at the zip's root, in the given order (names may not contain folders). */
export async function buildPackage(files: Readonly<Record<string, Buffer | string>>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) {
    if (!name || /[\\/]/.test(name)) throw new PackageError(`"${name}": the app package is flat, files go at its root`);
    zip.file(name, content, { date: ZIP_DATE, createFolders: false });
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 }, platform: 'DOS' });
}

export interface PackageResult { file: string; zip: Buffer; manifest: JsonObject; localization: JsonObject }

/** Reads, fills, validates and zips; writes build/kenniskring-<version>.zip unless `write` is false. */
export async function packageApp(env: Record<string, string | undefined>, o: { root?: string; write?: boolean } = {}): Promise<PackageResult> {
  const root = o.root ?? ROOT;
  const dir = path.join(root, 'manifest');
  const pkgVersion = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version;
  const settings = readSettings(env, pkgVersion ? { VERSION: pkgVersion } : {});
  const parse = (name: string, text: string): JsonObject => {
    try { return JSON.parse(text) as JsonObject; } catch (err) { throw new PackageError(`${name}: ${(err as Error).message}`); }
  };
  const manifest = parse('manifest.json', fillTemplate(fs.readFileSync(path.join(dir, 'manifest.template.json'), 'utf8'), settings));
  const localization = parse('en.json', fillTemplate(fs.readFileSync(path.join(dir, 'en.json'), 'utf8'), settings));
  const color = fs.readFileSync(path.join(dir, 'color.png'));
  const outline = fs.readFileSync(path.join(dir, 'outline.png'));
  const errors = [...validateManifest(manifest), ...validateLocalization('en.json', localization, manifest), ...checkIcons(color, outline)];
  const icons = manifest.icons as JsonObject | undefined;
  if (icons?.color !== 'color.png' || icons?.outline !== 'outline.png') errors.push('manifest.json: icons must be color.png and outline.png');
  const languages = ((manifest.localizationInfo as JsonObject | undefined)?.additionalLanguages as JsonObject[] | undefined) ?? [];
  for (const l of languages) if (l.file !== 'en.json') errors.push(`manifest.json: localization file ${String(l.file)} is not in the package`);
  if (errors.length) throw new PackageError(`The app package is not valid:\n  ${errors.join('\n  ')}`);

  const zip = await buildPackage({
    'manifest.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'en.json': `${JSON.stringify(localization, null, 2)}\n`,
    'color.png': color,
    'outline.png': outline,
  });
  const file = path.join(root, 'build', `kenniskring-${settings.VERSION}.zip`);
  if (o.write !== false) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, zip);
  }
  return { file, zip, manifest, localization };
}

async function main(): Promise<number> {
  try {
    const { file, zip, manifest } = await packageApp(process.env);
    process.stdout.write(`Teams app package ${path.relative(process.cwd(), file)} (${(zip.length / 1024).toFixed(1)} KB): `
      + `app ${String(manifest.id)}, version ${String(manifest.version)}, manifest ${String(manifest.manifestVersion)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof PackageError) { process.stderr.write(`${err.message}\n`); return 1; }
    throw err;
  }
}

if (require.main === module) {
  main().then((code) => { process.exitCode = code; }, (err: unknown) => { process.stderr.write(`${(err as Error).stack}\n`); process.exitCode = 1; });
}

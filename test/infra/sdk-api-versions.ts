/**
 * Which API versions the installed @azure/arm-* packages call for a resource type, read from their
 * dist JavaScript. Two generator styles are understood:
 *  - TypeSpec (arm-appservice 19, arm-storage 21, arm-operationalinsights 11): a URL template
 *    ".../providers/Microsoft.Web/sites/{name}{?api%2Dversion}" followed by
 *    `"api%2Dversion": context.apiVersion ?? "2025-05-01"`;
 *  - AutoRest (arm-msi 2, arm-botservice 4, arm-appinsights 4): an operation spec
 *    `path: ".../providers/Microsoft.BotService/botServices/{resourceName}"` whose
 *    `queryParameters: [apiVersion]` names a parameter with `defaultValue: "2022-09-15"`.
 * Only PUT-able shapes are matched: the path must end at the resource (its name segment), so
 * ".../sites/{name}/config/appsettings/list" does not count for Microsoft.Web/sites/config.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface SdkLookup {
  /** API versions found for the type (empty: the package has no operation on that path). */
  versions: Set<string>;
  /** Files (relative to the package) in which the resource path was found. */
  files: string[];
}

const cache = new Map<string, Array<{ file: string; text: string }>>();

function distFiles(packageDir: string): Array<{ file: string; text: string }> {
  const hit = cache.get(packageDir);
  if (hit) return hit;
  const dist = path.join(packageDir, 'dist');
  // One build flavour is enough: commonjs when the package ships several.
  const root = fs.existsSync(path.join(dist, 'commonjs')) ? path.join(dist, 'commonjs') : dist;
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.js') && !entry.name.endsWith('.min.js')) {
        out.push({ file: path.relative(packageDir, p), text: fs.readFileSync(p, 'utf8') });
      }
    }
  };
  walk(root);
  cache.set(packageDir, out);
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Microsoft.Web/sites/config" -> providers/Microsoft.Web/sites/<name>/config/<name>, ending there. */
export function resourcePathPattern(type: string): RegExp {
  const [namespace, ...types] = type.split('/');
  const segment = '(?:\\{[^}]+\\}|[A-Za-z0-9._-]+)';
  const body = types.map((t) => `/${escape(t)}/${segment}`).join('');
  return new RegExp(`providers/${escape(namespace!)}${body}(?=\\{\\?|"|'|$)`, 'gi');
}

export function apiVersionsInPackage(packageDir: string, type: string): SdkLookup {
  const files = distFiles(packageDir);
  const versions = new Set<string>();
  const found: string[] = [];
  const parameterDefaults = (name: string): string[] => {
    // `const apiVersion5 = {` / `var apiVersion5 = {` / `exports.apiVersion = {` ... defaultValue: "x"
    const def = new RegExp(`(?:const|var|let|exports\\.)\\s*${escape(name)}\\s*=\\s*\\{[\\s\\S]{0,400}?defaultValue:\\s*["']([^"']+)["']`, 'g');
    return files.flatMap(({ text }) => [...text.matchAll(def)].map((m) => m[1]!));
  };

  for (const { file, text } of files) {
    const pattern = resourcePathPattern(type);
    let matched = false;
    for (const m of text.matchAll(pattern)) {
      matched = true;
      const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 800);
      // TypeSpec: the api-version default right after the URL template.
      const typespec = /apiVersion \?\? "([^"]+)"/.exec(after);
      if (typespec) versions.add(typespec[1]!);
      // AutoRest: this operation spec's query parameters (up to the next spec's path).
      const spec = after.split(/\bpath:\s*"/)[0]!;
      const query = /queryParameters:\s*\[([^\]]*)\]/.exec(spec);
      if (query) {
        for (const ref of query[1]!.split(',').map((s) => s.trim()).filter(Boolean)) {
          const name = ref.split('.').pop()!;
          if (/apiversion/i.test(name)) parameterDefaults(name).forEach((x) => versions.add(x));
        }
      }
    }
    if (matched) found.push(file);
  }
  return { versions, files: found };
}

/**
 * Builds the Routekaart tab into dist/public/tab: validates the content file (a bad file fails
 * the build with the field and why), bundles the pages with esbuild (teams-js imported per
 * module, so only what is used ships), copies the static pages and reports gzipped sizes.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { validateRoutekaart } from '../tab/content/schema';

const root = path.resolve(__dirname, '../..');
const out = path.join(root, 'dist/public/tab');

/** The JavaScript a page loads: its entry and every chunk the entry imports, gzipped. */
function pageJsBytes(meta: Metafile, entry: string): number {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imp of meta.outputs[file]?.imports ?? []) if (imp.kind === 'import-statement') visit(imp.path);
  };
  const output = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === entry)?.[0];
  if (!output) throw new Error(`no output for ${entry}`);
  visit(output);
  return [...seen].reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(root, f)), { level: 9 }).length, 0);
}

async function main(): Promise<void> {
  const contentFile = path.join(root, 'tab/content/routekaart.json');
  let content;
  try {
    content = validateRoutekaart(JSON.parse(fs.readFileSync(contentFile, 'utf8')), path.relative(root, contentFile));
  } catch (err) {
    process.stderr.write(`Tab build failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'content.json'), JSON.stringify(content));
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['tab/src/content.ts', 'tab/src/config.ts'],
    outdir: path.relative(root, out),
    bundle: true, splitting: true, format: 'esm', minify: true, target: 'es2020', platform: 'browser',
    metafile: true, legalComments: 'none', logLevel: 'warning', chunkNames: 'chunk-[hash]',
  });
  for (const f of fs.readdirSync(path.join(root, 'tab/static'))) fs.copyFileSync(path.join(root, 'tab/static', f), path.join(out, f));
  // The personal tab is the content page across all RKKs: the same page, marked as personal.
  const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  fs.writeFileSync(path.join(out, 'personal.html'), index.replace('</head>', '  <meta name="kenniskring-mode" content="personal">\n</head>'));
  const sizes = {
    contentPageJsGzip: pageJsBytes(result.metafile, 'tab/src/content.ts'),
    configPageJsGzip: pageJsBytes(result.metafile, 'tab/src/config.ts'),
  };
  fs.writeFileSync(path.join(out, 'build-sizes.json'), JSON.stringify(sizes));
  process.stdout.write(`tab built: content page JS ${(sizes.contentPageJsGzip / 1024).toFixed(1)} KB gz, configuration page JS ${(sizes.configPageJsGzip / 1024).toFixed(1)} KB gz\n`);
}

main().catch((err: unknown) => { process.stderr.write(`Tab build failed: ${(err as Error).stack}\n`); process.exit(1); });

/**
 * `npm run bench`: the figures that show Kenniskring is fast and close to its limits, each with the
 * baseline or minimum it is compared to, measured in the same run. Writes bench/results/report.md
 * and report.json (not committed). `--quick` runs every part small, to keep the benchmark working.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answersBench } from './answers';
import { syncBench } from './sync';
import { postingBench } from './posting';
import { tabBench } from './tab';
import { footprintBench } from './footprint';
import type { BenchOptions, BenchResult } from './common';
import { stopTestPostgres, useDurablePostgres } from '../test/support/stores';

async function main(): Promise<void> {
  const o: BenchOptions = { quick: process.argv.includes('--quick') };
  useDurablePostgres(); // like the SQLite store (synchronous = FULL), every commit reaches the disk
  const started = Date.now();
  const results: BenchResult[] = [];
  // `--only=answers` (or sync, posting, tab, footprint) runs one bench; its report goes to report-<name>.md.
  const only = /^--only=(\w+)$/.exec(process.argv.find((a) => a.startsWith('--only=')) ?? '')?.[1];
  const benches = [answersBench, syncBench, postingBench, tabBench, footprintBench].filter((b) => !only || b.name === `${only}Bench`);
  if (!benches.length) throw new Error(`no bench called ${only}: answers, sync, posting, tab or footprint`);
  for (const bench of benches) {
    const r = await bench(o);
    process.stdout.write(`${r.md}\n`);
    results.push(r);
  }
  const header = [
    `# Kenniskring benchmark${o.quick ? ' (quick mode: small and short, only to keep it working)' : ''}`, '',
    `${new Date().toISOString()} · Node ${process.version} · ${os.cpus().length} cores · ${Math.round(os.totalmem() / 2 ** 30)} GiB · ${Math.round((Date.now() - started) / 1000)} s`, '',
  ].join('\n');
  const out = path.resolve(__dirname, '../../bench/results');
  fs.mkdirSync(out, { recursive: true });
  const name = only ? `report-${only}` : 'report';
  fs.writeFileSync(path.join(out, `${name}.md`), `${header}${results.map((r) => r.md).join('\n')}`);
  fs.writeFileSync(path.join(out, `${name}.json`), JSON.stringify({ quick: o.quick, at: new Date().toISOString(), ...Object.fromEntries(results.map((r) => [r.name, r.json])) }, null, 2));
  process.stdout.write(`\nReport: ${path.join(out, `${name}.md`)}\n`);
  await stopTestPostgres();
}

main().then(() => process.exit(0), (err: unknown) => { process.stderr.write(`${(err as Error).stack}\n`); process.exit(1); });

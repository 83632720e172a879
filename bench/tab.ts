/**
 * Benchmark: the Routekaart content page in headless Chromium — gzipped JavaScript, largest
 * contentful paint on localhost (median of several cold loads), and requests leaving the origin.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startTestBot } from '../test/support/bot';
import { launchChromium } from '../test/support/teamsHost';


import type { BenchOptions, BenchResult } from './common';

export async function tabBench(o: BenchOptions): Promise<BenchResult> {
  const LOADS = o.quick ? 2 : 7;
  const bot = await startTestBot();
  const browser = await launchChromium();
  try {
    const origin = new URL(bot.app.url).origin;
    const lcps: number[] = [];
    const external = new Set<string>();
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({ locale: 'nl-BE' });
      const page = await context.newPage();
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (new URL(url).origin !== origin) { external.add(url); return route.abort(); }
        return route.continue();
      });
      await page.goto(`${bot.app.url}/tab/`);
      await page.waitForSelector('body[data-ready="true"]');
      const lcp = await page.evaluate(() => new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve(entries[entries.length - 1]!.startTime);
        }).observe({ type: 'largest-contentful-paint' as never, buffered: true }); // a browser entry type Node's types lack
      }));
      lcps.push(lcp);
      await context.close();
    }
    lcps.sort((a, b) => a - b);
    const sizes = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../public/tab/build-sizes.json'), 'utf8')) as { contentPageJsGzip: number; configPageJsGzip: number };
    const result = {
      contentPageJsGzipKB: Math.round(sizes.contentPageJsGzip / 102.4) / 10, configPageJsGzipKB: Math.round(sizes.configPageJsGzip / 102.4) / 10,
      lcpMedianMs: Math.round(lcps[Math.floor(lcps.length / 2)]!), lcpMaxMs: Math.round(lcps[lcps.length - 1]!), loads: LOADS,
      externalRequests: external.size, targets: { jsGzipKB: 60, lcpMs: 1000, externalRequests: 0 },
    };
    const md = [
      '## Routekaart tab', '', '| figure | measured | target |', '|---|---|---|',
      `| JavaScript of the content page (gzip) | ${result.contentPageJsGzipKB} KB | ≤ 60 KB |`,
      `| JavaScript of the configuration page (gzip) | ${result.configPageJsGzipKB} KB | — |`,
      `| largest contentful paint, localhost, headless Chromium | median ${result.lcpMedianMs} ms, max ${result.lcpMaxMs} ms (${LOADS} cold loads) | < 1000 ms |`,
      `| requests leaving the origin | ${result.externalRequests} | 0 |`, '',
    ].join('\n');
    return { name: 'tab', md, json: result };
  } finally {
    await browser.close();
    await bot.close();
  }
}


/**
 * Proves the Teams host harness (teams-host/host.html + host.js, teamsHost.ts) with a probe tab
 * (teams-host/probe.ts, bundled here with esbuild) in real headless Chromium, offline.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Frame, Page } from 'playwright-core';
import {
  blockExternal,
  HOST_MODES,
  launchChromium,
  openInTeams,
  startTeamsHost,
  TAB_ORIGIN,
  TEAMS_WEB_ORIGIN,
  TEAMS_HOST_DIR,
  TEAMS_JS_VALID_DOMAINS_URL,
  type ExtraFile,
  type TeamsHost,
  type TeamsHostParams,
} from './teamsHost';

/** window.host as host.js defines it (what the tests read). */
interface HostApi {
  mode: 'frame' | 'frameless';
  ready: Promise<void>;
  messages: { func: string; args: unknown[] }[];
  unsupported: { func: string; args: unknown[] }[];
  deepLinks: string[];
  handlers: string[];
  validity: boolean | null;
  setTheme(theme: string): void;
  save(options?: { timeoutMs?: number }): Promise<{ config: unknown; result: string }>;
}

const TEAM = {
  teamId: '19:kk-rkk-gent-eeklo@thread.tacv2',
  groupId: '5f1c1a8e-3a4b-4c2d-9e8f-0a1b2c3d4e5f',
  channelId: '19:kk-general@thread.tacv2',
  userObjectId: '7d2e4f60-1b3c-4d5e-8f90-a1b2c3d4e5f6',
  entityId: 'kk-routekaart',
};

async function probeFiles(): Promise<Record<string, ExtraFile>> {
  const bundle = await build({
    entryPoints: [path.join(TEAMS_HOST_DIR, 'probe.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0];
  assert.ok(js, 'esbuild produced no output');
  return {
    '/probe.html': fs.readFileSync(path.join(TEAMS_HOST_DIR, 'probe.html')),
    '/probe.js': js.text,
  };
}

/** The page's document, in functions that run in the browser (this file compiles without DOM types). */
declare const document: { getElementById(id: string): { textContent: string | null } | null };

/** The text of an element of the probe, once it equals `expected` (or times out with the actual). */
async function waitForText(frame: Frame, id: string, expected: string, timeout = 10_000): Promise<void> {
  try {
    await frame.waitForFunction(
      ([elementId, text]) => document.getElementById(elementId!)?.textContent === text,
      [id, expected] as const,
      { timeout },
    );
  } catch (error) {
    const actual = await frame.evaluate((elementId) => document.getElementById(elementId)?.textContent, id).catch(() => '?');
    throw new Error(`#${id} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}: ${(error as Error).message}`);
  }
}

async function text(frame: Frame, id: string): Promise<string | null | undefined> {
  return frame.evaluate((elementId) => document.getElementById(elementId)?.textContent, id);
}

describe('Teams host harness: teams-js 2.58 tab in headless Chromium', function () {
  this.timeout(30_000);

  let browser: Browser;
  let files: Record<string, ExtraFile>;
  let host: TeamsHost;
  let page: Page;
  let blocked: string[];

  before(async () => {
    files = await probeFiles();
    host = await startTeamsHost({ extraFiles: files });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await host?.close();
  });

  beforeEach(async () => {
    page = await browser.newPage();
    blocked = await blockExternal(page, [host.origin]);
  });

  afterEach(async () => {
    await page?.close();
  });

  /** Opens the probe in the host; resolves with the tab's frame once the probe says it is ready. */
  async function openProbe(params: Omit<TeamsHostParams, 'tab'> & { tab?: string }, on: TeamsHost = host): Promise<Frame> {
    await page.goto(on.hostUrl({ tab: '/probe.html', ...TEAM, ...params }));
    await page.evaluate(
      () =>
        Promise.race([
          (globalThis as unknown as { host: { ready: Promise<void> } }).host.ready,
          new Promise((_, reject) => setTimeout(() => reject(new Error('the tab never called app.initialize()')), 10_000)),
        ]),
    );
    const frame = await (await page.waitForSelector('#tab', { state: 'attached' })).contentFrame();
    assert.ok(frame, 'no tab frame');
    await waitForText(frame, 'status', 'ready');
    return frame;
  }

  it('answers initialize and getContext: theme dark, locale nl-BE and the team ids reach the tab', async () => {
    const frame = await openProbe({ theme: 'dark', locale: 'nl-BE', frameContext: 'content' });

    assert.equal(await text(frame, 'theme'), 'dark');
    assert.equal(await text(frame, 'locale'), 'nl-BE');
    assert.equal(await text(frame, 'teamId'), TEAM.teamId);
    assert.equal(await text(frame, 'groupId'), TEAM.groupId);
    assert.equal(await text(frame, 'channelId'), TEAM.channelId);
    assert.equal(await text(frame, 'userId'), TEAM.userObjectId);
    assert.equal(await text(frame, 'entityId'), TEAM.entityId);
    assert.equal(await text(frame, 'frameContext'), 'content');
    assert.equal(await text(frame, 'configSupported'), 'true');

    const messages = await page.evaluate(() => (globalThis as unknown as { host: HostApi }).host.messages);
    assert.deepEqual(
      messages.map((m) => m.func),
      ['initialize', 'getContext', 'registerHandler'],
    );
    // initialize's args: [teams-js version, latest runtime apiVersion, validMessageOrigins]
    assert.deepEqual(messages[0]!.args.slice(0, 2), ['2.58.0', 4]);
    assert.deepEqual(messages[2]!.args, ['themeChange']);
    assert.deepEqual(blocked, [], 'no request left 127.0.0.1');
  });

  it("setTheme('contrast') reaches the tab's theme change handler", async () => {
    const frame = await openProbe({ theme: 'default', locale: 'nl-BE' });
    assert.equal(await text(frame, 'theme'), 'default');

    await page.evaluate(() => (globalThis as unknown as { host: HostApi }).host.setTheme('contrast'));
    await waitForText(frame, 'theme', 'contrast');
    assert.equal(await text(frame, 'themeChanges'), '1');
    assert.deepEqual(blocked, []);
  });

  it('records validity true from the configuration page', async () => {
    const frame = await openProbe({ tab: '/probe.html?settings', frameContext: 'settings', theme: 'dark', locale: 'nl-BE' });
    assert.equal(await text(frame, 'frameContext'), 'settings');
    const validity = await page.evaluate(() => (globalThis as unknown as { host: HostApi }).host.validity);
    assert.equal(validity, true);
    const handlers = await page.evaluate(() => (globalThis as unknown as { host: HostApi }).host.handlers);
    assert.deepEqual(handlers, ['themeChange', 'save']);
    assert.deepEqual(blocked, []);
  });

  it('save(): the settings.save event yields the exact setConfig payload and success', async () => {
    const frame = await openProbe({ tab: '/probe.html?settings', frameContext: 'settings', theme: 'dark', locale: 'nl-BE' });

    const saved = await page.evaluate(() => (globalThis as unknown as { host: HostApi }).host.save());
    assert.deepEqual(saved, {
      config: {
        contentUrl: `${host.origin}/probe.html`,
        entityId: 'probe-entity',
        suggestedDisplayName: 'Probe',
        websiteUrl: `${host.origin}/probe.html`,
      },
      result: 'success',
    });
    assert.equal(await text(frame, 'saved'), 'yes');
    const funcs = (await page.evaluate(() => (globalThis as unknown as { host: HostApi }).host.messages)).map((m) => m.func);
    assert.deepEqual(funcs.slice(-2), ['settings.setSettings', 'settings.save.success']);
    assert.deepEqual(blocked, []);
  });

  it('save() is refused like a disabled Save button when the tab never set validity true', async () => {
    await openProbe({ frameContext: 'content' });
    const outcome = await page.evaluate(() =>
      (globalThis as unknown as { host: HostApi }).host.save().then(
        () => 'saved',
        (error: Error) => error.message,
      ),
    );
    assert.match(outcome, /Save is disabled.*validity: null/);
  });

  it('answers a call it does not support as unsupported and records it', async () => {
    const frame = await openProbe({});
    const outcome = await frame.evaluate(() =>
      (globalThis as unknown as { probe: { crossDomain(url: string): Promise<string> } }).probe.crossDomain('https://example.com/x'),
    );
    assert.equal(outcome, 'rejected: Not supported by the test host: navigateCrossDomain');
    const state = await page.evaluate(() => {
      const h = (globalThis as unknown as { host: HostApi }).host;
      return { unsupported: h.unsupported, last: h.messages[h.messages.length - 1] };
    });
    assert.deepEqual(state.unsupported, [{ func: 'navigateCrossDomain', args: ['https://example.com/x'] }]);
    assert.deepEqual(state.last, { func: 'navigateCrossDomain', args: ['https://example.com/x'] });
    assert.deepEqual(blocked, [], 'only a message to the host, never a request');
  });

  it('opens a deep link as Teams does (app.openLink): an absolute link is recorded and succeeds, anything else is refused', async () => {
    const frame = await openProbe({});
    const open = (url: string) => frame.evaluate((u) => (globalThis as unknown as { probe: { openLink(url: string): Promise<string> } }).probe.openLink(u), url);
    assert.equal(await open('https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/1795?parentMessageId=1795'), 'resolved');
    assert.equal(await open('javascript:alert(1)'), 'rejected: Invalid deep link: javascript:alert(1)');
    const state = await page.evaluate(() => {
      const h = (globalThis as unknown as { host: HostApi }).host;
      return { deepLinks: h.deepLinks, unsupported: h.unsupported };
    });
    assert.deepEqual(state.deepLinks, ['https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/1795?parentMessageId=1795']);
    assert.deepEqual(state.unsupported, []);
    assert.deepEqual(blocked, [], 'a deep link is only a message to the host, never a request');
  });

  it('a top-level page (no iframe) sees app.initialize() reject at once: the tab can tell it runs standalone', async () => {
    await page.goto(`${host.origin}/probe.html`);
    await waitForText(page.mainFrame(), 'status', 'standalone', 5_000);
    assert.match((await text(page.mainFrame(), 'error')) ?? '', /No Parent window found/);
    const elapsed = Number(await text(page.mainFrame(), 'elapsedMs'));
    assert.ok(elapsed < 1_000, `initialize took ${elapsed} ms to reject`);
    assert.deepEqual(blocked, []);
  });

  it('teams-js itself requests its valid-origins list from the CDN on load (answered locally by default)', async () => {
    await page.close();
    page = await browser.newPage();
    blocked = await blockExternal(page, [host.origin], { answerTeamsJsValidDomains: false });
    await openProbe({});
    assert.deepEqual(blocked, [TEAMS_JS_VALID_DOMAINS_URL]);
  });

  for (const mode of HOST_MODES) {
    describe(`shown ${mode === 'iframe' ? 'in a frame of the same origin' : mode === 'cross-origin' ? 'in a frame, cross-origin (Teams web as in production)' : 'frameless (Teams iOS/Android)'}`, () => {
      const hostApi = (frame: Frame) => frame.evaluate(() => {
        const h = (globalThis as unknown as { host: HostApi }).host;
        return { mode: h.mode, messages: h.messages.map((m) => m.func), validity: h.validity, unsupported: h.unsupported };
      });

      it('the tab gets its context, its theme changes and an answer to an unsupported call', async () => {
        const opened = await openInTeams(page, host, mode, { tab: '/probe.html', ...TEAM, theme: 'dark', locale: 'nl-BE' });
        await waitForText(opened.tab, 'status', 'ready');
        assert.equal(await text(opened.tab, 'teamId'), TEAM.teamId);
        assert.equal(await text(opened.tab, 'theme'), 'dark');
        assert.equal(await text(opened.tab, 'locale'), 'nl-BE');
        assert.equal(await opened.tab.evaluate(() => (globalThis as unknown as { location: { origin: string } }).location.origin), opened.tabOrigin);
        if (mode === 'frameless') assert.equal(opened.tab, opened.host, 'frameless: the tab is the top-level page');
        else assert.notEqual(opened.tab, opened.host);

        await opened.host.evaluate(() => (globalThis as unknown as { host: HostApi }).host.setTheme('contrast'));
        await waitForText(opened.tab, 'theme', 'contrast');
        const outcome = await opened.tab.evaluate(() =>
          (globalThis as unknown as { probe: { crossDomain(url: string): Promise<string> } }).probe.crossDomain('https://example.com/x'));
        assert.equal(outcome, 'rejected: Not supported by the test host: navigateCrossDomain');

        const state = await hostApi(opened.host);
        assert.equal(state.mode, mode === 'frameless' ? 'frameless' : 'frame');
        assert.deepEqual(state.messages.slice(0, 3), ['initialize', 'getContext', 'registerHandler']);
        assert.deepEqual(state.unsupported, [{ func: 'navigateCrossDomain', args: ['https://example.com/x'] }]);
        assert.deepEqual(opened.blocked, [], 'every request stayed with the harness');
      });

      it('a configuration page saves URLs on the tab\'s own origin', async () => {
        const opened = await openInTeams(page, host, mode, { tab: '/probe.html?settings', ...TEAM, frameContext: 'settings' });
        await waitForText(opened.tab, 'status', 'ready');
        assert.equal((await hostApi(opened.host)).validity, true);
        const saved = await opened.host.evaluate(() => (globalThis as unknown as { host: HostApi }).host.save());
        assert.deepEqual(saved, {
          config: { contentUrl: `${opened.tabOrigin}/probe.html`, entityId: 'probe-entity', suggestedDisplayName: 'Probe', websiteUrl: `${opened.tabOrigin}/probe.html` },
          result: 'success',
        });
        assert.deepEqual(opened.blocked, []);
      });
    });
  }

  it('cross-origin: the host page is on Teams\' origin and the tab on its own, so teams-js checks the host\'s origin for real', async () => {
    const opened = await openInTeams(page, host, 'cross-origin', { tab: '/probe.html', ...TEAM });
    await waitForText(opened.tab, 'status', 'ready');
    assert.equal(new URL(page.url()).origin, TEAMS_WEB_ORIGIN);
    assert.equal(opened.tabOrigin, TAB_ORIGIN);
    // The same page from an origin teams-js does not trust: it never accepts the answers.
    const untrusted = await browser.newPage();
    try {
      await blockExternal(untrusted, [], { virtualOrigins: { 'https://teams.elders.example': host.origin, [TAB_ORIGIN]: host.origin } });
      await untrusted.goto(`https://teams.elders.example/host.html?${new URLSearchParams({ tab: `${TAB_ORIGIN}/probe.html`, teamId: TEAM.teamId }).toString()}`);
      const frame = await (await untrusted.waitForSelector('#tab', { state: 'attached' })).contentFrame();
      assert.ok(frame);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      assert.equal(await text(frame, 'status'), 'initializing');
    } finally {
      await untrusted.close();
    }
  });

  describe('a tab served by another server', () => {
    let tabServer: TeamsHost;
    before(async () => {
      tabServer = await startTeamsHost({ extraFiles: files }); // stands in for the server of the real tab
    });
    after(async () => {
      await tabServer?.close();
    });

    it('works through the proxy option: host and tab share one origin', async () => {
      const proxied = await startTeamsHost({ proxy: tabServer.origin });
      try {
        await page.close();
        page = await browser.newPage();
        blocked = await blockExternal(page, [proxied.origin]);
        const frame = await openProbe({ theme: 'dark', locale: 'nl-BE' }, proxied);
        assert.equal(await text(frame, 'teamId'), TEAM.teamId);
        assert.deepEqual(blocked, []);
      } finally {
        await proxied.close();
      }
    });

    it('from another origin, teams-js silently drops the answers of an http host', async () => {
      await page.close();
      page = await browser.newPage();
      blocked = await blockExternal(page, [host.origin, tabServer.origin]);
      await page.goto(host.hostUrl({ tab: `${tabServer.origin}/probe.html`, ...TEAM }));
      await page.evaluate(() => (globalThis as unknown as { host: HostApi }).host.ready); // answered...
      const frame = await (await page.waitForSelector('#tab', { state: 'attached' })).contentFrame();
      assert.ok(frame);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      assert.equal(await text(frame, 'status'), 'initializing'); // ...but never accepted (60 s timeout)
      const funcs = (await page.evaluate(() => (globalThis as unknown as { host: HostApi }).host.messages)).map((m) => m.func);
      assert.deepEqual(funcs, ['initialize']);
      assert.deepEqual(blocked, []);
    });
  });
});

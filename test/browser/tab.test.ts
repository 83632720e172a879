import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { FakeConnector } from '../fakes/connector';
import { startTestBot, tempDir, writeQuestions, cardText, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, TENANT, installInTeam, cardAction, answerValue, threadReply, type Person } from '../support/teams';
import { FakeEntra } from '../fakes/entra';
import { startTeamsHost, launchChromium, blockExternal, openInTeams, HOST_MODES, type HostMode, type TeamsHost, type TeamsHostParams } from '../support/teamsHost';
import { confirmed } from '../support/confirm';
import type { Moment } from '../../bot/src/domain/moment';
import type { Ask } from '../../bot/src/domain/ask';

/** Screenshots are kept as artifacts of the run (not committed). */
const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
declare const document: { body: { dataset: Record<string, string> }; documentElement: { dataset: Record<string, string>; lang: string } };
declare const window: unknown;
declare const axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };

const QUESTION = {
  id: 'oslo-bij-aankoop', text: 'Hoe vaak vragen jullie bij de aankoop van software dat de leverancier OSLO-standaarden volgt?', kind: 'single',
  options: ['Altijd', 'Soms', 'Nog nooit'], theme: 'data',
};
const DAY = 86_400_000;
/** The agenda (seeded in the store): a webinar ahead, a meeting behind, and a question for all regions with two replies. */
const ASKER = { key: 'asker-key-0f3b', name: 'Mieke Vraagsteller' };
const ASK_TEXT = 'Hoe regelen jullie de toegang tot het datanutsbedrijf voor de dienst burgerzaken?';
function agendaSeed(now: Date): { upcoming: Moment; past: Moment; ask: (rkkId: string) => Ask } {
  const moment = (m: Pick<Moment, 'id' | 'title' | 'startsAt' | 'where' | 'description'>): Moment => ({
    ...m, theme: null, source: 'bot', createdBy: 'planner-key', createdByName: 'Piet Planner', createdAt: now, updatedAt: now,
  });
  return {
    // 14:00 in Brussels, 30 days from now (13:00 or 12:00 UTC: either way the tab shows 14:00).
    upcoming: moment({ id: 'km-webinar-magda-00001', title: 'Webinar MAGDA-documentendienst', startsAt: brussels(new Date(now.getTime() + 30 * DAY), 14), where: 'https://teams.microsoft.com/l/meetup-join/kennismoment', description: 'Hoe vraag je een attest op via MAGDA? Met een demo.' }),
    past: moment({ id: 'km-gegevensdeling-00002', title: 'Kennismoment gegevensdeling', startsAt: brussels(new Date(now.getTime() - 10 * DAY), 19), where: 'Gemeentehuis Lier, zaal 2', description: 'Afspraken rond gegevensdeling tussen diensten.' }),
    ask: (rkkId) => ({
      id: 'ask-tab0001', text: ASK_TEXT, askerKey: ASKER.key, askerName: ASKER.name, askerTeamsId: '29:1asker', askerRkkId: rkkId,
      state: 'pending', reason: null, decidedBy: null, decidedByName: null, createdAt: now, decidedAt: null, toldReplies: 0, toldAt: null,
    }),
  };
}
/** That day at `hour`:00 in Brussels. */
function brussels(day: Date, hour: number): Date {
  const date = day.toISOString().slice(0, 10);
  const wanted = `${String(hour).padStart(2, '0')}:00`;
  for (const offset of [1, 2]) {
    const at = new Date(`${date}T${String(hour - offset).padStart(2, '0')}:00:00Z`);
    if (new Intl.DateTimeFormat('nl-BE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Brussels' }).format(at) === wanted) return at;
  }
  throw new Error(`no ${wanted} in Brussels on ${date}`);
}
/** The message ids of the past moment's announcement in Gent and of the question's thread. */
const ANNOUNCED = '1795500020000';
const ASK_THREAD = '1795500010000';
const member = (i: number): Person => ({ id: `29:1tab${i}`, aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Collega ${i}` });

describe('the Routekaart tab in a real browser', function () {
  this.timeout(60_000);
  let connector: FakeConnector;
  let bot: TestBot;
  let host: TeamsHost;
  let browser: Browser;
  let context: BrowserContext;
  let entra: FakeEntra;
  let seed: ReturnType<typeof agendaSeed>;
  const AUDIENCE = 'api://kenniskring.example.org/3c9a1e57-2b4d-4f6a-8e0c-9d1b2a3c4e5f';
  const tokenFor = (who: Person, o: { tid?: string; aud?: string; expiresIn?: number; foreignKey?: boolean; version?: '1.0' | '2.0' } = {}) =>
    entra.userToken({ oid: who.aadObjectId, name: who.name, aud: o.aud ?? AUDIENCE, ...o });

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    // The team's roster (what Teams tells the bot): An and Jan are members, Sofie is not.
    connector = await FakeConnector.start({ members: [PEOPLE.an, PEOPLE.jan].map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId })) });
    entra = await FakeEntra.start({ tenantId: TENANT, clients: [] });
    const dir = tempDir();
    bot = await startTestBot({ dataDir: dir, env: {
      QUESTIONS_FILE: writeQuestions(dir, [QUESTION]), TAB_SSO_AUDIENCE: AUDIENCE, TAB_SSO_TENANTS: TENANT, ENTRA_AUTHORITY_HOST: entra.url,
      MIN_GROUP_SIZE: '3', // Gent's 3 answers and all 4 are shown; Kempen's one is below the floor
    } });
    // Two RKKs answer the same question: Gent 3 times, Kempen once.
    for (const team of [TEAMS.gent, TEAMS.kempen]) await bot.send(installInTeam(connector.url, team, PEOPLE.an));
    await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
    const threadOf = (team: { id: string }) => connector.threads(team.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text))!.conversationId;
    for (const [i, choice] of ['1', '1', '2'].entries()) {
      const comment = i === 1 ? { comment: 'We vragen het aan via het Vlaams Datanutsbedrijf.' } : {};
      await bot.send(cardAction(connector.url, TEAMS.gent, threadOf(TEAMS.gent), member(i), answerValue(QUESTION.id, { choice, ...comment })));
    }
    await bot.send(cardAction(connector.url, TEAMS.kempen, threadOf(TEAMS.kempen), member(9), answerValue(QUESTION.id, { choice: '3' })));
    await bot.send(threadReply(connector.url, TEAMS.gent, threadOf(TEAMS.gent), PEOPLE.jan, 'Wij nemen OSLO op in elk bestek sinds 2025.', '1795500000001'));
    const { store } = bot.app;
    const now = new Date();
    seed = agendaSeed(now);
    await store.moments.save(seed.upcoming, [], now);
    await store.moments.save(seed.past, [], now);
    const gent = (await store.rkks.byTeam(TEAMS.gent.id))!;
    await store.asks.create(seed.ask(gent.id), [], now);
    await store.asks.decide('ask-tab0001', { state: 'approved', by: 'x', byName: 'X' }, null, now);
    // The past moment was announced in Gent (not in Kempen); the question for all regions has its thread (here in Kempen's channel).
    const kempen = (await store.rkks.byTeam(TEAMS.kempen.id))!;
    for (const [k, rkk, messageId] of [[{ kind: 'moment', questionId: seed.past.id, rkkId: gent.id }, gent, ANNOUNCED], [{ kind: 'ask', questionId: 'ask-tab0001', rkkId: kempen.id }, kempen, ASK_THREAD]] as const) {
      await store.deliveries.ensure(k, now);
      await store.deliveries.claim(k, { owner: 'seed', until: new Date(now.getTime() + DAY) }, now);
      await store.deliveries.markSent(k, `${rkk.channelId};messageid=${messageId}`, messageId, now);
    }
    for (const [i, who] of [PEOPLE.jan, member(5)].entries()) {
      await store.comments.add({
        messageId: `17955000100${i}`, conversationId: '19:overkoepelend@thread.tacv2;messageid=1795500010000', questionId: 'ask-tab0001', rkkId: gent.id,
        authorKey: who.aadObjectId, authorName: who.name, text: `Reactie ${i + 1} op de vraag voor alle regio's.`, createdAt: now,
      });
    }
    host = await startTeamsHost({ proxy: bot.app.url });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await bot?.close();
    await connector?.close();
    await entra?.close();
  });
  beforeEach(async () => { context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-BE' }); });
  afterEach(async () => { await context.close(); });

  async function standalone(url = '/tab/'): Promise<{ page: Page; blocked: string[] }> {
    const page = await context.newPage();
    const blocked = await blockExternal(page, [new URL(bot.app.url).origin]);
    await page.goto(`${bot.app.url}${url}`);
    await page.waitForSelector('body[data-ready="true"]');
    return { page, blocked };
  }

  /** The tab in the Teams host: in a frame (same origin, or cross-origin as Teams web) or frameless as on mobile. */
  async function inTeams(params: Partial<TeamsHostParams> & { tab: string }, mode: HostMode = 'iframe'): Promise<{ page: Page; frame: Frame; hostFrame: Frame; tabOrigin: string; blocked: string[] }> {
    const page = await context.newPage();
    const opened = await openInTeams(page, host, mode, { theme: 'default', locale: 'nl-BE', frameContext: 'content', teamId: TEAMS.gent.id, groupId: TEAMS.gent.aadGroupId, ...params });
    await opened.tab.waitForSelector('body[data-ready="true"]');
    return { page, frame: opened.tab, hostFrame: opened.host, tabOrigin: opened.tabOrigin, blocked: opened.blocked };
  }

  it('renders the roadmap, the events and the results in a plain browser, with no request leaving the origin', async () => {
    const { page, blocked } = await standalone();
    assert.equal(await page.locator('#routekaart .grid').first().locator(':scope > li').count(), 5, 'five building blocks');
    assert.match(await page.locator('#routekaart').innerText(), /De 4 D's/);
    assert.match(await page.locator('#activiteiten').innerText(), /ShoptIT/);
    const results = page.locator('#resultaten');
    assert.match(await results.innerText(), /Hoe vaak vragen jullie bij de aankoop van software/);
    assert.match(await results.innerText(), /4 antwoorden/, 'across all RKKs');
    assert.equal(await results.locator('.bars[role="img"]').count(), 1, 'an accessible chart');
    assert.match((await results.locator('.bars').getAttribute('aria-label'))!, /Altijd: 2 \(50%\); Soms: 1 \(25%\); Nog nooit: 1 \(25%\)/);
    assert.equal(await results.locator('table tbody tr').count(), 3, 'a table alternative');
    assert.match(await page.locator('#bouwsteen-data').innerText(), /1 vraag van de week over dit thema/, 'a building block links to its questions');
    assert.equal(await page.locator('#bouwsteen-data > a[href="#thema-data"]').count(), 1);
    // The block opens to its text, its first steps and its questions with where they stand.
    await page.locator('#bouwsteen-data summary').click();
    assert.match(await page.locator('#bouwsteen-data [data-block-results]').innerText(), /Hoe vaak vragen jullie bij de aankoop van software[^\n]*\n4 antwoorden · meest gekozen: Altijd \(50%\)/);
    assert.equal(await page.locator('#bouwsteen-infrastructuur [data-block-results]').count(), 0, 'a theme without questions has none');
    await page.screenshot({ path: path.join(ARTIFACTS, 'tab-standalone.png'), fullPage: true });
    assert.deepEqual(blocked, []);
  });

  it('shows the knowledge moments first and the questions for all regions, without who asked', async () => {
    const { page } = await standalone();
    await page.getByRole('tab', { name: 'Activiteiten' }).click();
    const group = (name: string) => page.locator(`#activiteiten [data-group="${name}"] > li`).evaluateAll((els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset));
    assert.deepEqual(await page.locator('#activiteiten h3').allInnerTexts(), ['Binnenkort', 'Lopende initiatieven', 'Voorbij', 'Zo werken de regionale kenniskringen', 'Bronnen']);
    assert.deepEqual(await group('upcoming'), [{ moment: 'km-webinar-magda-00001', status: 'upcoming' }], 'upcoming first');
    assert.ok((await group('ongoing')).length > 0 && (await group('ongoing')).every((i) => i.event && i.status === 'ongoing'), 'then the ongoing initiatives');
    assert.deepEqual((await group('past')).map((i) => i.moment ?? i.event), ['km-gegevensdeling-00002', 'shoptit-2024'], 'then what is past: the agenda, then the content file');
    // Every source has a link: one without is left out.
    const sources = page.locator('#activiteiten h3:has-text("Bronnen") + ul > li');
    assert.ok(await sources.count() > 0);
    assert.equal(await sources.locator('a[href^="https://"]').count(), await sources.count());
    const upcoming = page.locator('[data-moment="km-webinar-magda-00001"]');
    assert.equal(await upcoming.locator('.badge').innerText(), 'binnenkort');
    assert.match(await upcoming.innerText(), /^KENNISMOMENT\n/i);
    assert.match(await upcoming.innerText(), /\n\w+dag \d{1,2} \w+ \d{4} om 14:00 · Online\n/, 'the day and time in Brussels, and online');
    assert.equal(await upcoming.locator('time').getAttribute('datetime'), seed.upcoming.startsAt.toISOString());
    assert.match(await upcoming.innerText(), /Hoe vraag je een attest op via MAGDA\? Met een demo\./);
    const join = upcoming.getByRole('link', { name: /Deelnemen/ });
    assert.equal(await join.getAttribute('href'), 'https://teams.microsoft.com/l/meetup-join/kennismoment');
    assert.equal(await join.getAttribute('target'), '_blank');
    const past = page.locator('[data-moment="km-gegevensdeling-00002"]');
    assert.match(await past.getAttribute('class') ?? '', /\bpast\b/);
    assert.equal(await past.locator('.badge').innerText(), 'voorbij');
    assert.match(await past.innerText(), /om 19:00 · Gemeentehuis Lier, zaal 2/);
    assert.equal(await past.getByRole('link', { name: /Deelnemen/ }).count(), 0, 'nothing to join any more');

    const regio = page.locator('#regio');
    assert.equal(await regio.locator('h2#regio-h').innerText(), 'Over de regio\'s heen');
    assert.equal(await page.locator('#nav a[href="#regio"]').count(), 1);
    const ask = regio.locator('[data-ask="ask-tab0001"]');
    assert.match(await ask.innerText(), new RegExp(ASK_TEXT.replace(/[?]/g, '\\?')));
    assert.match(await ask.innerText(), /uit RKK Gent-Eeklo · 2 reacties in RKK Overkoepelend · gesteld op/);
    for (const name of [ASKER.name, 'Jan Claes', 'Collega 5', 'Piet Planner']) assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(name), `no ${name}`);

    const roadmap = await standalone('/tab/?view=roadmap');
    assert.equal(await roadmap.page.locator('#regio [data-ask]').count(), 1, 'the roadmap view shows it too');
    const results = await standalone('/tab/?view=results');
    assert.equal(await results.page.locator('#regio').count(), 0, 'the results view does not');
    assert.equal(await results.page.locator('#nav a[href="#regio"]').count(), 0);

    // Screenshots of the two views, on a desktop and a phone.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.getByRole('tab', { name: 'Activiteiten' }).click();
      await page.screenshot({ path: path.join(ARTIFACTS, `tab-agenda-${width}.png`), fullPage: true });
      await page.getByRole('tab', { name: 'Over de regio\'s heen' }).click();
      await page.screenshot({ path: path.join(ARTIFACTS, `tab-regio-${width}.png`), fullPage: true });
    }
  });

  it('shows one view at a time, as tabs that work with the keyboard and a screen reader; a link into a view opens it there', async () => {
    const { page } = await standalone();
    const tabs = page.getByRole('tablist', { name: 'Onderdelen' }).getByRole('tab');
    assert.deepEqual(await tabs.allInnerTexts(), ['Routekaart', 'Activiteiten', 'Over de regio\'s heen', 'Resultaten']);
    const state = () => page.evaluate(() => ['routekaart', 'activiteiten', 'regio', 'resultaten'].map((id) => {
      const d = (globalThis as unknown as { document: { getElementById(id: string): { hidden: boolean } | null; querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document;
      return [id, d.getElementById(id)!.hidden, d.querySelector(`#tab-${id}`)!.getAttribute('aria-selected')];
    }));
    assert.deepEqual(await state(), [['routekaart', false, 'true'], ['activiteiten', true, 'false'], ['regio', true, 'false'], ['resultaten', true, 'false']]);
    assert.equal(await page.locator('#routekaart').getAttribute('role'), 'tabpanel');
    assert.equal(await page.locator('#routekaart').getAttribute('aria-labelledby'), 'tab-routekaart');
    // Keyboard: Tab reaches the selected tab only; the arrows, Home and End move between them.
    await page.locator('#tab-routekaart').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id), 'tab-activiteiten');
    assert.deepEqual((await state())[1], ['activiteiten', false, 'true']);
    await page.keyboard.press('End');
    assert.deepEqual((await state())[3], ['resultaten', false, 'true']);
    await page.keyboard.press('ArrowRight');
    assert.deepEqual((await state())[0], ['routekaart', false, 'true'], 'round again');
    assert.deepEqual(await tabs.evaluateAll((els) => els.map((e) => (e as unknown as { tabIndex: number }).tabIndex)), [0, -1, -1, -1]);
    // A building block's link to its questions opens the results at that theme; the address names the view.
    await page.locator('#bouwsteen-data > a[href="#thema-data"]').click();
    await page.locator('#resultaten').waitFor({ state: 'visible' });
    assert.deepEqual((await state())[3], ['resultaten', false, 'true']);
    assert.ok(await page.locator('#thema-data').isVisible());
    const direct = await standalone('/tab/#activiteiten');
    assert.equal(await direct.page.locator('#activiteiten').isVisible(), true, 'opened at a view by its address');
    assert.equal(await direct.page.locator('#routekaart').isVisible(), false);
    // The results-only tab has one view: no tabs.
    const only = await standalone('/tab/?view=results');
    assert.equal(await only.page.getByRole('tab').count(), 0);
    assert.ok(await only.page.locator('#resultaten').isVisible());
    for (const p of [page, direct.page, only.page]) await p.close();
  });

  it('draws every view on a desktop and a phone, light and dark, with nothing running off the screen (screenshots)', async () => {
    const views = { routekaart: 'Routekaart', activiteiten: 'Activiteiten', regio: 'Over de regio\'s heen', resultaten: 'Resultaten' };
    for (const scheme of ['light', 'dark'] as const) {
      for (const [width, height] of [[1280, 900], [390, 844]] as const) {
        const page = await context.newPage();
        await page.emulateMedia({ colorScheme: scheme });
        await page.setViewportSize({ width, height });
        await page.goto(`${bot.app.url}/tab/`);
        await page.waitForSelector('body[data-ready="true"]');
        for (const [id, name] of Object.entries(views)) {
          await page.getByRole('tab', { name }).click();
          assert.ok(await page.locator(`#${id}`).isVisible(), `${id} shown`);
          const overflow = await page.evaluate(() => { const e = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement; return { scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }; });
          assert.ok(overflow.scrollWidth <= overflow.clientWidth, `${id} at ${width} px (${scheme}) is wider than the screen: ${overflow.scrollWidth}`);
          await page.screenshot({ path: path.join(ARTIFACTS, `tab-view-${id}-${width === 390 ? 'phone' : 'desktop'}-${scheme}.png`), fullPage: true });
        }
        await page.close();
      }
    }
  });

  it('offers the aggregates as a CSV download for Excel: the RKK beside Flanders, a group under the privacy floor without shares', async () => {
    const { frame } = await inTeams({ tab: '/tab/?view=results', teamId: TEAMS.kempen.id, groupId: TEAMS.kempen.aadGroupId });
    const link = frame.locator('#resultaten a[data-download]');
    assert.equal(await link.innerText(), 'Download de cijfers (CSV, voor Excel)');
    const href = (await link.getAttribute('href'))!;
    const res = await fetch(new URL(href, bot.app.url));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="kenniskring-resultaten\.csv"$/);
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    assert.ok(text.startsWith('\uFEFF'), 'a byte-order mark, for the accents in Excel');
    const rows = text.slice(1).trimEnd().split('\r\n').map((l) => l.split(';'));
    assert.deepEqual(rows[0], ['Vraag-id', 'Vraag', 'Thema', 'Week', 'Soort', 'Groep', 'Antwoorden', 'Gemiddelde', 'Antwoord', 'Aantal', 'Aandeel (%)']);
    const mine = rows.filter((r) => r[0] === QUESTION.id);
    assert.deepEqual(mine.map((r) => r.slice(5)), [
      ['RKK Kempen', '1', '', 'verdeling niet getoond: minder dan 3 antwoorden', '', ''],
      ['Heel Vlaanderen', '4', '', 'Altijd', '2', '50'], ['Heel Vlaanderen', '4', '', 'Soms', '1', '25'], ['Heel Vlaanderen', '4', '', 'Nog nooit', '1', '25'],
    ]);
    assert.equal(mine[0]![4], 'Eén keuze');
    const english = Buffer.from(await (await fetch(new URL('/api/results.csv?lang=en', bot.app.url))).arrayBuffer()).toString('utf8');
    assert.match(english, /^\uFEFFQuestion id,Question,Theme/);
    assert.equal((await fetch(new URL(`/api/results.csv?team=${'x'.repeat(201)}`, bot.app.url))).status, 400);
  });

  it('keeps every chart readable on a phone: labels wrap, never cut, at 12 px or more; a scale names its ends', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    const long = 'Het staat op de planning, maar we wachten nog op budget en op de leverancier van het e-loket';
    const tally = (labels: string[], n = 3) => ({ respondents: n * labels.length, average: null, withheld: false, rows: labels.map((label, i) => ({ optionId: String(i + 1), label, count: n - (i % 2), percent: 25 + (i % 2 ? -5 : 5) })) });
    // The RKK beside Flanders: two bars per answer.
    const results = {
      generatedAt: new Date().toISOString(), minGroupSize: 3, rkk: { id: TEAMS.gent.id, name: 'RKK Gent-Eeklo' }, themes: [],
      questions: [
        { id: 'lang', text: 'Hoe ver staat jullie bestuur met het e-loket?', kind: 'single', theme: 'data', week: '2026-W49', publishedAt: new Date().toISOString(), closesAt: null, open: false, scaleLabels: null,
          all: tally(['We gebruiken het al in de praktijk', long, 'Nog niet aan gedacht', 'Weet ik niet'], 9), rkk: tally(['We gebruiken het al in de praktijk', long, 'Nog niet aan gedacht', 'Weet ik niet']) },
        // The same question, asked weeks earlier: the newest carries the trend.
        { id: 'lang-oud', text: 'Hoe ver staat jullie bestuur met het e-loket?', kind: 'single', theme: 'data', week: '2026-W45', publishedAt: new Date(Date.now() - 28 * DAY).toISOString(), closesAt: null, open: false, scaleLabels: null,
          all: tally(['We gebruiken het al in de praktijk', long, 'Nog niet aan gedacht', 'Weet ik niet'], 5), rkk: { respondents: 2, average: null, withheld: true, rows: [] } },
        { id: 'schaal', text: 'Hoe vlot werken de collega\'s samen in Teams?', kind: 'scale', theme: 'vaardigheden', week: '2026-W48', publishedAt: new Date().toISOString(), closesAt: null, open: false,
          scaleLabels: { low: 'helemaal niet', high: 'volledig' }, all: { ...tally(['1', '2', '3', '4', '5'], 8), average: 3.2 }, rkk: { ...tally(['1', '2', '3', '4', '5']), average: 3.6 } },
      ],
    };
    await page.route('**/api/results', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(results) }));
    await page.goto(`${bot.app.url}/tab/?view=results`);
    await page.waitForSelector('body[data-ready="true"]');
    const labels = await page.locator('#resultaten .bar-label').evaluateAll((els) => els.map((e) => {
      const el = e as unknown as { textContent: string; scrollWidth: number; clientWidth: number; getBoundingClientRect(): { right: number } };
      return { text: el.textContent, size: parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(e).fontSize), cut: el.scrollWidth > el.clientWidth, right: el.getBoundingClientRect().right };
    }));
    assert.ok(labels.some((l) => l.text === long), 'the long label whole');
    for (const l of labels) {
      assert.ok(l.size >= 12, `${l.text}: ${l.size} px`);
      assert.equal(l.cut, false, `${l.text} is cut`);
      assert.ok(l.right <= 390, `${l.text} runs off the screen`);
    }
    assert.deepEqual(labels.slice(8).map((l) => l.text), ['1 = helemaal niet', '2', '3', '4', '5 = volledig']);
    // The question asked twice: its newest time shows how the answers moved, week by week, for the RKK (a week under the floor: its count only).
    const trend = page.locator('[data-question="lang"] [data-trend]');
    assert.equal(await trend.locator('h5').innerText(), 'Verloop: deze vraag liep 2 keer');
    assert.deepEqual(await trend.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as unknown as { innerText: string }).innerText.split('\t'))), [
      ['week 45', '2', '—', '—', '—', '—'], ['week 49', '12', '30%', '20%', '30%', '20%'],
    ]);
    assert.equal(await page.locator('[data-question="lang-oud"] [data-trend]').count(), 0, 'the earlier time has none');
    assert.equal(await page.locator('#resultaten [data-question="lang"] .bar-series').count(), 2 * 4, 'each answer for the RKK and for Flanders');
    const figures = await page.locator('#resultaten .bar-figure, #resultaten .bar-series').evaluateAll((els) => els.map((e) => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(e).fontSize)));
    assert.ok(figures.every((size) => size >= 12));
    await page.screenshot({ path: path.join(ARTIFACTS, 'tab-results-390.png'), fullPage: true });

    // Searching the archive and narrowing it to a theme, as typed; accents and capitals do not matter.
    const visible = () => page.locator('#resultaten [data-question]:visible').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { question: string } }).dataset.question));
    assert.deepEqual(await page.locator('#thema option').allInnerTexts(), ['Alle thema\'s', 'Datahuishouding en gegevensdeling (2)', 'Digitale kennis en vaardigheden (1)']);
    await page.getByLabel('Zoek in de vragen').fill('E-LOKET');
    assert.deepEqual(await visible(), ['lang', 'lang-oud']);
    assert.equal(await page.locator('#gevonden').innerText(), '2 vragen gevonden.');
    assert.equal(await page.locator('#resultaten .theme-group:visible').count(), 1, 'themes without a match are hidden');
    await page.getByLabel('Zoek in de vragen').fill('collega\'s teams');
    assert.deepEqual(await visible(), ['schaal'], 'every word, in any order');
    await page.getByLabel('Zoek in de vragen').fill('');
    await page.getByLabel('Thema').selectOption('vaardigheden');
    assert.deepEqual(await visible(), ['schaal']);
    await page.getByLabel('Zoek in de vragen').fill('MAGDA');
    assert.deepEqual(await visible(), []);
    assert.match(await page.locator('[data-nothing]').innerText(), /^Geen vragen gevonden/);
    // The filter holds when the scope changes.
    await page.locator('input[name="scope"][value="all"]').check();
    assert.equal(await page.getByLabel('Zoek in de vragen').inputValue(), 'MAGDA');
    assert.deepEqual(await visible(), []);
    await page.getByLabel('Zoek in de vragen').fill('');
    await page.getByLabel('Thema').selectOption('');
    assert.deepEqual(await visible(), ['lang', 'lang-oud', 'schaal']);
    assert.equal(await page.locator('#gevonden').innerText(), '');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${bot.app.url}/tab/?view=results&theme=dark`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.screenshot({ path: path.join(ARTIFACTS, 'tab-results-390-dark.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'tab-results-1280-dark.png'), fullPage: true });
    await page.close();
  });

  it('inside Teams, a past knowledge moment links to its announcement in the team\'s channel, and Teams opens it (app.openLink)', async () => {
    const { page, frame, hostFrame, blocked } = await inTeams({ tab: '/tab/#activiteiten' }, 'cross-origin');
    const past = frame.locator('[data-moment="km-gegevensdeling-00002"]');
    const link = past.getByRole('link', { name: /Aankondiging en reacties in je kenniskring/ });
    assert.equal(await link.count(), 1, 'the past moment\'s one link');
    assert.match(await link.innerText(), /\(opent in Teams\)/);
    assert.equal(await frame.locator('[data-moment="km-webinar-magda-00001"]').getByRole('link', { name: /Aankondiging/ }).count(), 0, 'not announced yet: only Deelnemen');
    const ask = frame.locator('#regio [data-ask="ask-tab0001"]').getByRole('link', { name: /Lees de reacties in RKK Overkoepelend/ });
    const popups: string[] = [];
    page.context().on('page', (p) => popups.push(p.url()));
    const momentHref = await link.getAttribute('href');
    await link.click();
    await frame.getByRole('tab', { name: 'Over de regio\'s heen' }).click();
    const askHref = await ask.getAttribute('href');
    await ask.click();
    const deepLinks = () => hostFrame.evaluate(() => (window as unknown as { host: { deepLinks: string[] } }).host.deepLinks);
    await hostFrame.waitForFunction(() => (window as unknown as { host: { deepLinks: string[] } }).host.deepLinks.length === 2);
    assert.deepEqual(await deepLinks(), [momentHref, askHref]);
    assert.match((await deepLinks())[0]!, new RegExp(`^https://teams\\.microsoft\\.com/l/message/[^/]+/${ANNOUNCED}\\?parentMessageId=${ANNOUNCED}`));
    assert.deepEqual(popups, [], 'Teams opened them: no browser window');
    assert.deepEqual(blocked, []);
    for (const [name, width] of [['desktop', 1280], ['phone', 390]] as const) {
      await page.setViewportSize({ width, height: 900 });
      await frame.getByRole('tab', { name: 'Activiteiten' }).click();
      await past.scrollIntoViewIfNeeded(); // the frame scrolls, not the host page: show the past moments
      await page.screenshot({ path: path.join(ARTIFACTS, `tab-teams-activiteiten-${name}.png`), fullPage: true });
      await frame.getByRole('tab', { name: 'Over de regio\'s heen' }).click();
      await page.screenshot({ path: path.join(ARTIFACTS, `tab-teams-regio-${name}.png`), fullPage: true });
    }

    // In a plain browser the announcement is unknown (no team); the question's thread opens in a new window.
    const plain = await standalone('/tab/#regio');
    assert.equal(await plain.page.locator('[data-moment] a', { hasText: 'Aankondiging' }).count(), 0);
    assert.equal(await plain.page.locator('[data-ask="ask-tab0001"] a').getAttribute('target'), '_blank');
  });

  it('still shows the events of the content file when the agenda cannot be had', async () => {
    const page = await context.newPage();
    await page.route('**/api/agenda', (route) => route.fulfill({ status: 503, body: '{}' }));
    await page.goto(`${bot.app.url}/tab/`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.locator('[data-moment]').count(), 0);
    assert.ok(await page.locator('#activiteiten [data-event]').count() > 0);
    assert.match(await page.locator('#regio').innerText(), /De vragen over de regio's heen zijn nu niet beschikbaar/);
  });

  it('marks events as past or upcoming against the viewer\'s date', async () => {
    const statusOn = async (day: string) => {
      const page = await context.newPage();
      await page.clock.setFixedTime(new Date(`${day}T10:00:00Z`));
      await page.goto(`${bot.app.url}/tab/`);
      await page.waitForSelector('body[data-ready="true"]');
      const status = await page.locator('[data-event="shoptit-2024"]').getAttribute('data-status');
      const badge = await page.locator('[data-event="shoptit-2024"] .badge').innerText();
      await page.close();
      return [status, badge];
    };
    assert.deepEqual(await statusOn('2024-05-01'), ['upcoming', 'gepland']);
    assert.deepEqual(await statusOn('2024-05-17'), ['past', 'voorbij']);
    assert.deepEqual(await statusOn('2026-11-21'), ['past', 'voorbij']);
  });

  for (const mode of HOST_MODES) {
    it(`inside Teams (${mode}): follows the theme, live theme changes and the locale, and shows this team's RKK`, async () => {
      const { page, frame, hostFrame, blocked } = await inTeams({ tab: '/tab/', theme: 'dark', ...(mode === 'frameless' ? { hostClientType: 'android' } : {}) }, mode);
      assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), 'dark');
      assert.match(await frame.locator('#subtitle').innerText(), /^RKK Gent-Eeklo/);
      await frame.getByRole('tab', { name: 'Resultaten' }).click();
      assert.match(await frame.locator('#resultaten').innerText(), /RKK Gent-Eeklo: 3 antwoorden · Heel Vlaanderen: 4 antwoorden/, 'this RKK beside Flanders by default');
      const compare = frame.locator(`[data-question="${QUESTION.id}"] .bars.compare`);
      assert.deepEqual(await compare.locator('.bar-row').first().locator('.bar-series, .bar-figure').allInnerTexts(), ['RKK Gent-Eeklo', '2 (67%)', 'Heel Vlaanderen', '2 (50%)']);
      assert.match((await compare.getAttribute('aria-label'))!, /RKK Gent-Eeklo: Altijd: 2 \(67%\); Soms: 1 \(33%\); Nog nooit: 0 \(0%\)\. Heel Vlaanderen: Altijd: 2 \(50%\)/);
      await frame.locator('input[name="scope"][value="all"]').check();
      assert.match(await frame.locator('#resultaten').innerText(), /4 antwoorden/, 'all RKKs on request');
      assert.equal(await frame.locator('#resultaten .bar-series').count(), 0, 'Flanders alone');
      const funcs = await hostFrame.evaluate(() => (window as unknown as { host: { messages: { func: string }[] } }).host.messages.map((m) => m.func));
      assert.ok(funcs.includes('getContext'), 'the tab asked the host for its context');
      await hostFrame.evaluate(() => (window as unknown as { host: { setTheme(t: string): void } }).host.setTheme('contrast'));
      await frame.waitForFunction(() => document.documentElement.dataset.theme === 'contrast');
      await page.screenshot({ path: path.join(ARTIFACTS, `tab-teams-contrast-${mode}.png`), fullPage: true });
      assert.deepEqual(blocked, []);

      const english = await inTeams({ tab: '/tab/', locale: 'en-GB' }, mode);
      assert.equal(await english.frame.locator('#title').innerText(), 'Roadmap');
      assert.equal(await english.frame.evaluate(() => document.documentElement.lang), 'en');
      assert.match(await english.frame.locator('#routekaart').innerText(), /Five building blocks of a full digital transformation/);
    });
  }

  for (const mode of HOST_MODES) {
    it(`shows who answered, their explanations and the replies only to signed-in members of the team (Teams SSO, ${mode})`, async () => {
      const member = await inTeams({ tab: '/tab/#resultaten', authToken: tokenFor(PEOPLE.an) }, mode);
      const text = await member.frame.locator('#resultaten').innerText();
      assert.match(text, /Geantwoord door: Collega 0, Collega 1, Collega 2/);
      assert.equal(await member.frame.locator('[data-explanations] summary').innerText(), '1 toelichting');
      for (const summary of await member.frame.locator('[data-details] summary').all()) await summary.click();
      const opened = await member.frame.locator('#resultaten').innerText();
      assert.match(opened, /Jan Claes: Wij nemen OSLO op in elk bestek sinds 2025\./);
      assert.match(opened, /Collega 1: We vragen het aan via het Vlaams Datanutsbedrijf\./, 'the explanation the results card may shorten');

      const notSignedIn = await inTeams({ tab: '/tab/' }, mode);
      const plain = await notSignedIn.frame.locator('#resultaten').innerText();
      assert.doesNotMatch(plain, /Collega 0|Jan Claes|Wij nemen OSLO|Datanutsbedrijf/);
      assert.match(plain, /Leden van dit team zien hier ook wie antwoordde/);
      assert.match(plain, /3 antwoorden/, 'aggregates stay readable');

      const outsider = await inTeams({ tab: '/tab/', authToken: tokenFor(PEOPLE.sofie) }, mode);
      assert.doesNotMatch(await outsider.frame.locator('#resultaten').innerText(), /Collega 0|Wij nemen OSLO|Datanutsbedrijf/, 'not a member of the team');
    });
  }

  it('below the privacy floor the tab shows how many answered, not how they divide', async () => {
    const { frame } = await inTeams({ tab: '/tab/?view=results', teamId: TEAMS.kempen.id, groupId: TEAMS.kempen.aadGroupId });
    const block = frame.locator(`[data-question="${QUESTION.id}"]`);
    assert.match(await block.innerText(), /1 antwoord/);
    assert.match(await block.locator('[data-withheld]').innerText(), /Nog te weinig antwoorden om de verdeling te tonen: dat gebeurt vanaf 3 antwoorden/);
    assert.match(await block.innerText(), /RKK Kempen: 1 antwoord · Heel Vlaanderen: 4 antwoorden/);
    assert.equal(await block.locator('.bar-series').count(), 0, 'no bars for RKK Kempen: only Flanders as a whole');
    assert.doesNotMatch((await block.locator('.bars').getAttribute('aria-label'))!, /RKK Kempen/);
    await frame.locator('input[name="scope"][value="all"]').check();
    assert.equal(await frame.locator(`[data-question="${QUESTION.id}"] [data-withheld]`).count(), 0, 'all of Flanders (4) is shown');
  });

  it('the details API refuses forged, foreign and outside tokens', async () => {
    const get = (token?: string, team = TEAMS.gent.id) => fetch(`${bot.app.url}/api/results/details?team=${encodeURIComponent(team)}`,
      { headers: token ? { authorization: `Bearer ${token}` } : {} });
    assert.equal((await get(tokenFor(PEOPLE.an))).status, 200, 'a member');
    assert.equal((await get(tokenFor(PEOPLE.an), TEAMS.gent.aadGroupId)).status, 200, 'by the Entra group id too');
    assert.equal((await get(tokenFor(PEOPLE.an, { version: '2.0' }))).status, 200, 'a v2 token (the bare client id as audience, the v2 issuer)');
    const cases: [string, string | undefined, number][] = [
      ['no token', undefined, 401],
      ['forged (unknown key)', tokenFor(PEOPLE.an, { foreignKey: true }), 401],
      ['expired', tokenFor(PEOPLE.an, { expiresIn: -3600 }), 401],
      ['for another app', tokenFor(PEOPLE.an, { aud: 'api://elders.example.org/x' }), 401],
      ['a v2 token for another app', tokenFor(PEOPLE.an, { aud: 'api://elders.example.org/9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', version: '2.0' }), 401],
      ['a v2 token from another tenant', tokenFor(PEOPLE.an, { tid: '11111111-2222-4333-8444-555555555555', version: '2.0' }), 403],
      ['a v2 token, expired', tokenFor(PEOPLE.an, { expiresIn: -3600, version: '2.0' }), 401],
      ['another tenant', tokenFor(PEOPLE.an, { tid: '11111111-2222-4333-8444-555555555555' }), 403],
      ['not a member of the team', tokenFor(PEOPLE.sofie), 403],
    ];
    for (const [what, token, status] of cases) {
      const res = await get(token);
      assert.equal(res.status, status, what);
      assert.doesNotMatch(await res.text(), /Collega|OSLO op in elk bestek/, `${what}: nothing leaks`);
    }
  });

  it('the personal tab shows the results across all RKKs', async () => {
    const { frame } = await inTeams({ tab: '/tab/personal.html' });
    assert.match(await frame.locator('#resultaten').innerText(), /4 antwoorden/);
    assert.equal(await frame.locator('input[name="scope"]').count(), 0, 'no RKK to choose');
  });

  for (const mode of HOST_MODES) {
    it(`the configuration page saves through pages.config with the expected setConfig payload (${mode})`, async () => {
      const { frame, hostFrame, tabOrigin } = await inTeams({ tab: '/tab/config.html', frameContext: 'settings' }, mode);
      const save = () => hostFrame.evaluate(() => (window as unknown as { host: { save(): Promise<unknown> } }).host.save());
      assert.deepEqual(await save(), {
        config: { contentUrl: `${tabOrigin}/tab/?view=all`, websiteUrl: `${tabOrigin}/tab/?view=all`, entityId: 'routekaart-all', suggestedDisplayName: 'Routekaart' },
        result: 'success',
      });
      await frame.locator('input[value="results"]').check();
      const saved = await save() as { config: { contentUrl: string; entityId: string } };
      assert.equal(saved.config.contentUrl, `${tabOrigin}/tab/?view=results`);
      assert.equal(saved.config.entityId, 'routekaart-results');
      assert.equal(await hostFrame.evaluate(() => (window as unknown as { host: { validity: unknown } }).host.validity), true);
    });
  }

  for (const theme of ['default', 'dark', 'contrast'] as const) {
    it(`has no accessibility violations (axe-core) in the ${theme} theme`, async () => {
      await context.close();
      context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-BE', bypassCSP: true }); // to inject axe-core
      const { page, frame } = await inTeams({ tab: '/tab/', theme });
      await frame.locator('details').evaluateAll((els) => els.forEach((e) => e.setAttribute('open', '')));
      await frame.addScriptTag({ content: AXE });
      // Every view in turn, on a desktop and a phone: axe checks what is shown.
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        for (const view of ['Routekaart', 'Activiteiten', 'Over de regio\'s heen', 'Resultaten']) {
          await frame.getByRole('tab', { name: view }).click();
          const result = await frame.evaluate(() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
          const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
          assert.deepEqual(violations, [], `${view} at ${width} px`);
        }
      }
    });
  }

  it('the results API gives aggregates only: no names, no comments, no member ids', async () => {
    const res = await fetch(`${bot.app.url}/api/results?team=${encodeURIComponent(TEAMS.gent.id)}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    const text = await res.text();
    type Tally = { respondents: number; average: number | null; rows: unknown[]; withheld: boolean };
    const body = JSON.parse(text) as { rkk: { name: string }; minGroupSize: number; questions: { rkk: Tally; all: Tally }[] };
    assert.equal(body.rkk.name, 'RKK Gent-Eeklo');
    assert.deepEqual(body.questions.map((q) => [q.rkk.respondents, q.all.respondents]), [[3, 4]]);
    assert.equal(body.minGroupSize, 3);
    // Below the privacy floor (MIN_GROUP_SIZE): the count stays, the shares do not.
    const kempen = await (await fetch(`${bot.app.url}/api/results?team=${encodeURIComponent(TEAMS.kempen.id)}`)).json() as typeof body;
    assert.deepEqual(kempen.questions[0]!.rkk, { respondents: 1, average: null, rows: [], withheld: true });
    assert.equal(kempen.questions[0]!.all.withheld, false);
    assert.ok(kempen.questions[0]!.all.rows.length > 0);
    for (const leak of ['Collega', '29:1tab', '00000000-0000-4000-8000', PEOPLE.an.name]) assert.ok(!text.includes(leak), `no ${leak} in the aggregates`);
    assert.equal((await fetch(`${bot.app.url}/api/results?team=${'x'.repeat(300)}`)).status, 400);
  });

  it('the agenda API gives moments and questions for all regions, with no asker, author or member ids', async () => {
    const res = await fetch(`${bot.app.url}/api/agenda`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    const text = await res.text();
    const body = JSON.parse(text) as { upcoming: Record<string, unknown>[]; past: Record<string, unknown>[]; asks: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(body).sort(), ['asks', 'past', 'upcoming']);
    const [upcoming] = body.upcoming;
    assert.deepEqual(upcoming, {
      id: 'km-webinar-magda-00001', title: 'Webinar MAGDA-documentendienst', startsAt: seed.upcoming.startsAt.toISOString(), where: null,
      link: 'https://teams.microsoft.com/l/meetup-join/kennismoment', description: 'Hoe vraag je een attest op via MAGDA? Met een demo.', theme: null, thread: null,
    });
    assert.deepEqual(body.past.map((m) => [m.id, m.where, m.link, m.thread]), [['km-gegevensdeling-00002', 'Gemeentehuis Lier, zaal 2', null, null]], 'no team: no announcement to link');
    assert.equal(body.asks.length, 1);
    const [ask] = body.asks;
    assert.deepEqual(Object.keys(ask!).sort(), ['askedAt', 'id', 'replies', 'rkkName', 'text', 'thread']);
    const kempen = (await bot.app.store.rkks.byTeam(TEAMS.kempen.id))!;
    assert.equal(ask!.thread, `https://teams.microsoft.com/l/message/${encodeURIComponent(kempen.channelId)}/${ASK_THREAD}?${new URLSearchParams({ parentMessageId: ASK_THREAD, tenantId: TENANT, groupId: TEAMS.kempen.aadGroupId })}`, 'its thread, wherever it is');
    assert.deepEqual([ask!.id, ask!.text, ask!.rkkName, ask!.replies], ['ask-tab0001', ASK_TEXT, 'RKK Gent-Eeklo', 2]);
    assert.match(ask!.askedAt as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const keys = new Set<string>();
    JSON.parse(text, (k, v: unknown) => { keys.add(k); return v; });
    for (const key of ['askerName', 'askerKey', 'askerTeamsId', 'createdBy', 'createdByName', 'decidedBy', 'decidedByName']) assert.ok(!keys.has(key), `no ${key} anywhere`);
    for (const leak of [ASKER.name, ASKER.key, '29:1asker', 'Piet Planner', 'planner-key', 'Jan Claes', PEOPLE.jan.aadObjectId]) assert.ok(!text.includes(leak), `no ${leak} in the agenda`);

    // From a team's tab: its announcement of each moment, where there is one.
    const from = async (team: string) => (await (await fetch(`${bot.app.url}/api/agenda?team=${encodeURIComponent(team)}`)).json()) as { upcoming: { thread: string | null }[]; past: { thread: string | null }[] };
    const gent = (await bot.app.store.rkks.byTeam(TEAMS.gent.id))!;
    const inGent = await from(TEAMS.gent.id);
    assert.equal(inGent.past[0]!.thread, `https://teams.microsoft.com/l/message/${encodeURIComponent(gent.channelId)}/${ANNOUNCED}?${new URLSearchParams({ parentMessageId: ANNOUNCED, tenantId: TENANT, groupId: TEAMS.gent.aadGroupId })}`);
    assert.equal(inGent.upcoming[0]!.thread, null, 'not announced yet');
    assert.equal((await from(TEAMS.gent.aadGroupId)).past[0]!.thread, inGent.past[0]!.thread, 'the team by its Entra group id too');
    assert.equal((await from(TEAMS.kempen.id)).past[0]!.thread, null, 'not announced in Kempen: no link to another team\'s channel');
    assert.equal((await from('19:unknown@thread.tacv2')).past[0]!.thread, null);
    assert.equal((await fetch(`${bot.app.url}/api/agenda?team=${'x'.repeat(300)}`)).status, 400);
  });

  it('says what will appear, and when, before any question was posted', async () => {
    const empty = await startTestBot();
    try {
      const page = await context.newPage();
      await page.goto(`${empty.app.url}/tab/?view=results`);
      await page.waitForSelector('body[data-ready="true"]');
      assert.match(await page.locator('#resultaten').innerText(), /Elke maandag om 09:00 verschijnt de vraag van de week/);
      assert.equal(await page.locator('#routekaart').count(), 0, 'the results view shows only the results');
      await page.goto(`${empty.app.url}/tab/`);
      await page.waitForSelector('body[data-ready="true"]');
      assert.match(await page.locator('#regio').innerText(), /Vragen voor alle regio's verschijnen hier zodra ze goedgekeurd zijn\. Zelf een vraag stellen\? Schrijf vraag aan alle regio's <je vraag> in een chat met de bot\./);
      assert.equal(await page.locator('#regio code').innerText(), 'vraag aan alle regio\'s <je vraag>');
      assert.equal(await page.locator('[data-moment]').count(), 0, 'no moments planned: the content file\'s events only');
      assert.deepEqual(await (await fetch(`${empty.app.url}/api/agenda`)).json(), { upcoming: [], past: [], asks: [] });
    } finally {
      await empty.close();
    }
  });

  it('serves every tab page with security headers for a Teams-framed page', async () => {
    for (const page of ['/tab/', '/tab/personal.html', '/tab/config.html']) {
      const res = await fetch(`${bot.app.url}${page}`);
      assert.equal(res.status, 200, page);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/, page);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /frame-ancestors 'self' https:\/\/teams\.microsoft\.com/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(!/<script>/.test(await res.text()), 'no inline script');
    }
  });

  it('keeps the content page\'s JavaScript small and imports teams-js per module', () => {
    const sizes = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../public/tab/build-sizes.json'), 'utf8')) as { contentPageJsGzip: number };
    assert.ok(sizes.contentPageJsGzip <= 60 * 1024, `${sizes.contentPageJsGzip} bytes gzipped`);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { FakeConnector } from '../fakes/connector';
import { FakeTime } from '../support/clock';
import { startTestBot, tempDir, writeQuestions, cardText, type TestBot } from '../support/bot';
import { BOT, PEOPLE, TEAMS, installInTeam, personalMessage } from '../support/teams';
import {
  buildPackage, checkIcons, fillTemplate, packageApp, readSettings, schemaRoot, urlsIn, validateLocalization, validateManifest,
  BROWSER_ONLY_URLS, COMMAND_DESCRIPTION_MAX, COMMAND_TITLE_MAX, PackageError,
} from '../../scripts/package';
import { drawColorIcon, drawOutlineIcon } from '../../scripts/draw-icons';

const ROOT = path.resolve(__dirname, '../../..');
const MANIFEST_DIR = path.join(ROOT, 'manifest');

const SETTINGS = {
  BOT_ID: BOT.id.replace(/^28:/, ''),
  APP_ID: '9a3c5e7f-1b2d-4f6a-8c0e-2d4f6a8c0e1b',
  HOST_NAME: 'kenniskring.example.org',
  // A bot on a managed identity: resource-specific consent and tab SSO go to an app registration of their own.
  SSO_APP_ID: '6d2f8a41-3c7e-4b95-a0d1-8e4c2b7f9a35',
  VERSION: '1.2.3',
};

const read = (name: string) => fs.readFileSync(path.join(MANIFEST_DIR, name), 'utf8');
const manifest = JSON.parse(fillTemplate(read('manifest.template.json'), SETTINGS)) as any;
const en = JSON.parse(read('en.json')) as Record<string, string>;

/** The official schema for a `$schema` URL, straight from @microsoft/app-manifest, compiled for its draft. */
function officialValidator(schemaUrl: string) {
  const m = /\/teams\/(v[\d.]+)\/(MicrosoftTeams(?:\.Localization)?\.schema\.json)$/.exec(schemaUrl);
  assert.ok(m, `unexpected $schema ${schemaUrl}`);
  const file = path.join(ROOT, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams', m[1]!, m[2]!);
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { $schema: string };
  // Draft-04 (as all Teams schemas are) needs ajv-draft-04, which @microsoft/app-manifest depends on and validates with.
  const AjvClass: typeof Ajv = schema.$schema.includes('draft-04')
    ? require(require.resolve('ajv-draft-04', { paths: [path.join(ROOT, 'node_modules/@microsoft/app-manifest')] })).default
    : schema.$schema.includes('2020-12') ? require('ajv/dist/2020').default : Ajv;
  const ajv = new AjvClass({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

function assertValid(doc: unknown, schemaUrl: string): void {
  const validate = officialValidator(schemaUrl);
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
}

/** Command titles of the manifest (Dutch) and of en.json (English), each once. */
const dutchCommands = [...new Set<string>(manifest.bots[0].commandLists.flatMap((l: any) => l.commands.map((c: any) => c.title)))];
const englishCommands = [...new Set(Object.entries(en).filter(([k]) => /^bots\[0\]\.commandLists\[\d+\]\.commands\[\d+\]\.title$/.test(k)).map(([, v]) => v))];

describe('Teams app package: the manifest', () => {
  it('is on the newest stable manifest schema that @microsoft/app-manifest ships', () => {
    const stable = fs.readdirSync(schemaRoot()).filter((d) => /^v\d+\.\d+$/.test(d))
      .map((d) => d.slice(1)).sort((a, b) => { const [x, y] = [a, b].map((v) => v.split('.').map(Number)); return x![0]! - y![0]! || x![1]! - y![1]!; });
    const newest = stable.at(-1)!;
    assert.equal(manifest.manifestVersion, newest, `@microsoft/app-manifest now ships v${newest}: move manifest.template.json and en.json to it`);
    assert.equal(manifest.$schema, `https://developer.microsoft.com/json-schemas/teams/v${newest}/MicrosoftTeams.schema.json`);
    assert.equal(en.$schema, `https://developer.microsoft.com/json-schemas/teams/v${newest}/MicrosoftTeams.Localization.schema.json`);
  });

  it('validates against the official manifest schema once filled in', () => {
    assertValid(manifest, manifest.$schema);
    assert.deepEqual(validateManifest(manifest), [], 'the package script agrees');
  });

  it('en.json validates against the official localization schema and translates exactly the manifest\'s strings', () => {
    assertValid(en, en.$schema);
    assert.deepEqual(validateLocalization('en.json', en, manifest), []);
    assert.equal(manifest.localizationInfo.defaultLanguageTag, 'nl-BE');
    assert.deepEqual(manifest.localizationInfo.additionalLanguages, [{ languageTag: 'en', file: 'en.json' }]);
  });

  it('the package script\'s validation catches what is wrong (it is not a rubber stamp)', () => {
    const broken = structuredClone(manifest);
    broken.bots[0].botId = 'not-a-guid';
    broken.staticTabs[0].contentUrl = 'https://elders.example.com/tab/personal.html';
    broken.bots[0].commandLists[0].commands[0].title = 'een veel te lange opdrachtnaam voor Teams';
    broken.extra = true;
    const errors = validateManifest(broken).join('\n');
    assert.match(errors, /\/bots\/0\/botId must match pattern/);
    assert.match(errors, /must NOT have additional properties \(extra\)/);
    assert.match(errors, /staticTabs\[0\]\.contentUrl \(elders\.example\.com\) is not on validDomains/);
    const sso = structuredClone(manifest);
    sso.webApplicationInfo.resource = `api://${SETTINGS.HOST_NAME}/${SETTINGS.BOT_ID}`;
    assert.match(validateManifest(sso).join('\n'), /webApplicationInfo\.resource must be api:\/\/<host>\/6d2f8a41-.+ \(the id of webApplicationInfo\)/);
    sso.webApplicationInfo.resource = `api://elders.example.com/${SETTINGS.SSO_APP_ID}`;
    assert.match(validateManifest(sso).join('\n'), /the host of webApplicationInfo\.resource \(elders\.example\.com\) is not on validDomains/);
    delete sso.webApplicationInfo;
    assert.match(validateManifest(sso).join('\n'), /resource-specific consent needs webApplicationInfo/);
    assert.match(errors, /commands\[0\]\.title is 41 characters; Teams allows 32/);
    const stale = { ...en, 'bots[0].commandLists[0].commands[11].title': 'extra' };
    delete (stale as Record<string, string>)['staticTabs[0].name'];
    const enErrors = validateLocalization('en.json', stale, manifest).join('\n');
    assert.match(enErrors, /"bots\[0\]\.commandLists\[0\]\.commands\[11\]\.title" is not in the manifest/);
    assert.match(enErrors, /no translation for "staticTabs\[0\]\.name"/);
  });

  it('has the bot in team, personal and group chat scope, with Dutch command lists per scope', () => {
    const bot = manifest.bots[0];
    assert.equal(bot.botId, SETTINGS.BOT_ID);
    assert.deepEqual(bot.scopes, ['team', 'personal', 'groupChat']);
    const lists = Object.fromEntries(bot.commandLists.map((l: any) => [l.scopes.join(','), l.commands.map((c: any) => c.title)]));
    const all = ['hulp', 'vraag', 'resultaten', 'vragen', 'plan', 'publiceer', 'sluit', 'status'];
    assert.deepEqual(lists, { team: all, personal: all, groupChat: ['hulp', 'vraag', 'resultaten'] });
    for (const l of bot.commandLists) {
      for (const c of l.commands) {
        assert.ok(c.description && c.description.length <= COMMAND_DESCRIPTION_MAX, `${c.title}: a short description`);
        assert.ok(c.title.length <= COMMAND_TITLE_MAX);
      }
    }
    assert.deepEqual(englishCommands, ['help', 'question', 'results', 'questions', 'plan', 'post', 'close', 'status']);
  });

  it('asks resource-specific consent to read channel messages, for the SSO app registration (SSO_APP_ID)', () => {
    assert.deepEqual(manifest.authorization.permissions.resourceSpecific, [{ name: 'ChannelMessage.Read.Group', type: 'Application' }]);
    assert.deepEqual(manifest.webApplicationInfo, { id: SETTINGS.SSO_APP_ID, resource: `api://${SETTINGS.HOST_NAME}/${SETTINGS.SSO_APP_ID}` });
    assert.deepEqual(validateManifest(manifest), []);
  });

  it('has a configurable channel tab and a personal Routekaart tab on the bot\'s host', () => {
    assert.deepEqual(manifest.configurableTabs.map((t: any) => [t.configurationUrl, t.scopes, t.canUpdateConfiguration]),
      [[`https://${SETTINGS.HOST_NAME}/tab/config.html`, ['team'], true]]);
    const [personal] = manifest.staticTabs;
    assert.equal(personal.name, 'Routekaart');
    assert.equal(personal.contentUrl, `https://${SETTINGS.HOST_NAME}/tab/personal.html`);
    assert.deepEqual(personal.scopes, ['personal']);
    assert.ok(personal.entityId && personal.websiteUrl);
  });

  it('validDomains covers the host of every URL Teams opens (the publisher\'s website opens in the browser)', () => {
    const hosts = new Set<string>();
    for (const { path: at, url } of urlsIn(manifest)) {
      if (BROWSER_ONLY_URLS.includes(at)) continue;
      hosts.add(new URL(url).hostname);
    }
    hosts.add(new URL(manifest.webApplicationInfo.resource).hostname); // api://<host>/<bot id>: the SSO resource's domain
    assert.deepEqual([...hosts], [SETTINGS.HOST_NAME]);
    for (const host of hosts) assert.ok(manifest.validDomains.includes(host), `${host} is on validDomains`);
    assert.deepEqual(manifest.validDomains, [SETTINGS.HOST_NAME]);
    assert.equal(manifest.developer.websiteUrl, 'https://www.v-ict-or.be');
  });
});

describe('Teams app package: the icons', () => {
  const color = fs.readFileSync(path.join(MANIFEST_DIR, 'color.png'));
  const outline = fs.readFileSync(path.join(MANIFEST_DIR, 'outline.png'));

  it('color.png is 192×192 and opaque', () => {
    const png = PNG.sync.read(color);
    assert.deepEqual([png.width, png.height], [192, 192]);
    for (let i = 3; i < png.data.length; i += 4) assert.equal(png.data[i], 255, `pixel ${(i - 3) / 4} is opaque`);
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    assert.ok(colours.size > 20, 'full colour, anti-aliased edges');
  });

  it('outline.png is 32×32, white on a transparent background: every pixel is fully transparent or white', () => {
    const png = PNG.sync.read(outline);
    assert.deepEqual([png.width, png.height], [32, 32]);
    let transparent = 0, partial = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
      if (a === 0) { transparent++; continue; }
      assert.deepEqual([r, g, b], [255, 255, 255], `pixel ${i / 4} is white`);
      if (a! < 255) partial++;
    }
    assert.ok(transparent > 100, 'a transparent background');
    assert.ok(partial > 0, 'anti-aliased edges (white with partial alpha)');
    assert.deepEqual(checkIcons(color, outline), []);
  });

  it('the committed icons are what scripts/draw-icons.ts draws', () => {
    assert.ok(PNG.sync.read(drawColorIcon()).data.equals(PNG.sync.read(color).data), 'color.png: run node dist/scripts/draw-icons.js');
    assert.ok(PNG.sync.read(drawOutlineIcon()).data.equals(PNG.sync.read(outline).data), 'outline.png: run node dist/scripts/draw-icons.js');
  });
});

describe('Teams app package: the bot answers every command in the manifest', () => {
  let connector: FakeConnector;
  let bot: TestBot;
  const chat = `a:1personal-${PEOPLE.an.aadObjectId}`;

  before(async () => {
    connector = await FakeConnector.start();
    const dir = tempDir();
    const time = new FakeTime('2026-11-24T10:00:00Z');
    bot = await startTestBot({
      dataDir: dir, clock: time, timers: time,
      env: { QUESTIONS_FILE: writeQuestions(dir, [{ id: 'manifest-proef', text: 'Ondertekenen jullie collegebesluiten al digitaal?', kind: 'single', options: ['Ja', 'Nee'], theme: 'strategie' }]) },
    });
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
  });
  after(async () => {
    await bot?.close();
    await connector?.close();
  });

  const commands = [...dutchCommands.map((c) => [c, 'nl-BE'] as const), ...englishCommands.map((c) => [c, 'en-US'] as const)];
  it('lists 8 Dutch and 8 English commands', () => {
    assert.equal(dutchCommands.length, 8);
    assert.equal(englishCommands.length, 8);
  });
  for (const [command, locale] of commands) {
    it(`"${command}" (${locale}) from an admin in a personal chat gets an answer, not "unknown command"`, async () => {
      const before = connector.conversation(chat).length;
      const res = await bot.send(personalMessage(connector.url, PEOPLE.an, command, locale));
      assert.ok(res.status >= 200 && res.status < 300, `HTTP ${res.status}`);
      const replies = connector.conversation(chat).slice(before);
      assert.equal(replies.length, 1, 'one reply');
      const text = cardText(replies[0]!.attachments);
      assert.ok(text.length > 0, 'the reply is a card with text');
      assert.doesNotMatch(text, /Die opdracht ken ik niet|I don't know the command/);
      assert.doesNotMatch(text, /voorbehouden aan de beheerders|for V-ICT-OR administrators/);
    });
  }
});

describe('Teams app package: the bot serves every page the manifest points to', () => {
  let bot: TestBot;
  before(async () => { bot = await startTestBot(); });
  after(async () => { await bot?.close(); });

  const pages = urlsIn(manifest).filter(({ url }) => new URL(url).hostname === SETTINGS.HOST_NAME);
  it('the manifest points to the tab pages and the privacy and terms pages', () => {
    assert.deepEqual(pages.map((p) => new URL(p.url).pathname).sort(),
      ['/tab/config.html', '/tab/personal.html', '/tab/personal.html', '/tab/privacy.html', '/tab/terms.html']);
  });
  for (const { path: at, url } of pages) {
    it(`${at} (${new URL(url).pathname}) is served as HTML`, async () => {
      const { pathname, search } = new URL(url);
      const res = await fetch(`${bot.app.url}${pathname}${search}`);
      assert.equal(res.status, 200, `GET ${pathname}`);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await res.text(), /<html lang="nl">/);
    });
  }
});

describe('Teams app package: npm run package', () => {
  const env = { BOT_ID: SETTINGS.BOT_ID, APP_ID: SETTINGS.APP_ID, HOST_NAME: SETTINGS.HOST_NAME };

  it('builds a flat zip: manifest.json, en.json, color.png and outline.png at the root, nothing else', async () => {
    const { zip, file } = await packageApp(env, { write: false });
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(path.relative(ROOT, file), path.join('build', `kenniskring-${version}.zip`));
    const content = await JSZip.loadAsync(zip);
    const names = Object.keys(content.files);
    assert.deepEqual([...names].sort(), ['color.png', 'en.json', 'manifest.json', 'outline.png']);
    assert.ok(Object.values(content.files).every((f) => !f.dir && !f.name.includes('/')), 'no folders');
    const packed = JSON.parse(await content.file('manifest.json')!.async('string'));
    assert.equal(packed.version, version, 'VERSION defaults to package.json\'s version');
    assert.equal(packed.id, SETTINGS.APP_ID);
    assert.equal(packed.bots[0].botId, SETTINGS.BOT_ID);
    assert.ok(!JSON.stringify(packed).includes('${{'), 'every placeholder filled');
    assert.deepEqual(await content.file('outline.png')!.async('nodebuffer'), fs.readFileSync(path.join(MANIFEST_DIR, 'outline.png')));
    assert.deepEqual(zip, (await packageApp(env, { write: false })).zip, 'the same inputs give the same bytes');
  });

  for (const name of ['BOT_ID', 'APP_ID', 'HOST_NAME'] as const) {
    it(`fails with "Missing setting: ${name}" when ${name} is not set`, async () => {
      const without: Record<string, string> = { ...env, VERSION: '1.0.0' };
      delete without[name];
      await assert.rejects(packageApp(without, { write: false }), (err: Error) => err instanceof PackageError && err.message === `Missing setting: ${name}`);
      await assert.rejects(packageApp({ ...without, [name]: '  ' }, { write: false }), { message: `Missing setting: ${name}` });
    });
  }

  it('SSO_APP_ID is the bot id unless given (a SingleTenant bot with its own registration), and must be a GUID', () => {
    const { SSO_APP_ID: _given, ...withoutSso } = { ...env, VERSION: '1.0.0' } as Record<string, string>;
    assert.equal(readSettings(withoutSso).SSO_APP_ID, SETTINGS.BOT_ID);
    assert.equal(readSettings({ ...withoutSso, SSO_APP_ID: SETTINGS.SSO_APP_ID }).SSO_APP_ID, SETTINGS.SSO_APP_ID);
    assert.throws(() => readSettings({ ...withoutSso, SSO_APP_ID: 'kenniskring-sso' }), /Invalid setting: SSO_APP_ID must be a GUID/);
  });

  it('VERSION is required when there is no default; placeholders without a value name the setting', () => {
    assert.throws(() => readSettings({ ...env }), { message: 'Missing setting: VERSION' });
    assert.equal(readSettings({ ...env }, { VERSION: '2.0.0' }).VERSION, '2.0.0');
    assert.throws(() => fillTemplate('{"id":"${{APP_ID}}","x":"${{BOT_ID}}"}', { APP_ID: SETTINGS.APP_ID }), { message: 'Missing setting: BOT_ID' });
  });

  it('malformed settings are refused with the setting\'s name', () => {
    const full = { ...env, VERSION: '1.0.0' };
    assert.throws(() => readSettings({ ...full, BOT_ID: 'kenniskring-bot' }), /Invalid setting: BOT_ID must be a GUID/);
    assert.throws(() => readSettings({ ...full, HOST_NAME: 'https://kenniskring.example.org/' }), /Invalid setting: HOST_NAME must be a host name/);
    assert.throws(() => readSettings({ ...full, VERSION: 'v1' }), /Invalid setting: VERSION must be a version MAJOR\.MINOR\.PATCH/);
  });

  it('fills values as JSON strings, so a value cannot break the manifest', () => {
    assert.deepEqual(JSON.parse(fillTemplate('{"a":"x ${{V}} y"}', { V: 'quote " and \\ backslash' })), { a: 'x quote " and \\ backslash y' });
  });

  it('refuses folders inside the package', async () => {
    await assert.rejects(buildPackage({ 'icons/color.png': Buffer.from('') }), /the app package is flat/);
  });
});

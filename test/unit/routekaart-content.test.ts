import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BUILDING_BLOCK_IDS, isRealDate, RoutekaartContentError, validateRoutekaart } from '../../tab/content/schema';
import { THEMES, THEME_LABELS } from '../../bot/src/domain/themes';

/** Tests run from dist/test/unit/; the content file stays in the source tree. */
const FILE = path.resolve(__dirname, '../../../tab/content/routekaart.json');
const NAME = 'routekaart.json';

/** A fresh, parsed copy of the shipped file for each test to spoil. */
const load = (): any => JSON.parse(fs.readFileSync(FILE, 'utf8'));

/** Validates `data`, expecting a refusal; returns the message. */
const refusal = (data: unknown): string => {
  try {
    validateRoutekaart(data, NAME);
  } catch (err) {
    assert.ok(err instanceof RoutekaartContentError, `expected a RoutekaartContentError, got ${String(err)}`);
    assert.ok(err instanceof Error);
    assert.ok(err.message.startsWith(`${NAME}:`), `message does not name the file: ${err.message}`);
    return err.message;
  }
  assert.fail('the broken content was accepted');
};

/** The message has a line for `fieldPath` that says `why`. */
const names = (message: string, fieldPath: string, why: RegExp) => {
  const line = message.split('\n').find((l) => l.startsWith(`  - ${fieldPath}: `));
  assert.ok(line, `message does not name ${fieldPath}:\n${message}`);
  assert.match(line, why);
};

/** Every `{ nl, en }` object in the content, with its path. */
function texts(value: unknown, at = ''): Array<{ at: string; nl: string; en: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => texts(v, `${at}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  const keys = Object.keys(value).sort();
  const obj = value as Record<string, unknown>;
  if (keys.length === 2 && keys[0] === 'en' && keys[1] === 'nl') return [{ at, nl: String(obj.nl), en: String(obj.en) }];
  return Object.entries(obj).flatMap(([k, v]) => texts(v, at ? `${at}.${k}` : k));
}

describe('routekaart content (tab/content/routekaart.json)', () => {
  it('the shipped file exists where the tests look for it', () => {
    assert.ok(fs.existsSync(FILE), `not found: ${FILE}`);
  });

  it('the shipped file is valid, and validating it changes nothing (texts are already trimmed)', () => {
    const raw = load();
    const content = validateRoutekaart(raw, FILE);
    assert.deepEqual(content, raw);
  });

  it('has exactly the five building blocks, one per question theme (without "andere")', () => {
    const content = validateRoutekaart(load(), FILE);
    const ids = content.roadmap.buildingBlocks.map((b) => b.id);
    const themes = THEMES.filter((t) => t !== 'andere');
    assert.deepEqual([...ids].sort(), [...themes].sort());
    assert.deepEqual([...BUILDING_BLOCK_IDS].sort(), [...themes].sort());
    assert.ok(!(ids as string[]).includes('andere'));
  });

  it('names the building blocks as the bot names the themes', () => {
    const content = validateRoutekaart(load(), FILE);
    for (const block of content.roadmap.buildingBlocks) assert.deepEqual(block.title, THEME_LABELS[block.id], `building block ${block.id}`);
  });

  it('has a translation for every text: nl and en are both there and differ', () => {
    const all = texts(load());
    assert.ok(all.length > 50, `only ${all.length} texts found`);
    const same = all.filter((t) => t.nl.trim() === t.en.trim());
    assert.deepEqual(same, [], `untranslated: ${same.map((t) => t.at).join(', ')}`);
  });

  it('links only to https pages, and labels every link', () => {
    const content = validateRoutekaart(load(), FILE);
    for (const e of content.events) {
      if (e.url !== null) {
        assert.match(e.url, /^https:\/\//);
        assert.notEqual(e.linkLabel, null, e.id);
      }
    }
    for (const s of content.sources) if (s.url !== null) assert.match(s.url, /^https:\/\//);
  });

  it('ShoptIT 2024 is a dated event at Flanders Expo; DITh is an undated initiative', () => {
    const content = validateRoutekaart(load(), FILE);
    const shoptit = content.events.find((e) => e.id === 'shoptit-2024');
    assert.ok(shoptit);
    assert.equal(shoptit.kind, 'event');
    assert.equal(shoptit.date, '2024-05-16');
    assert.match(shoptit.location?.nl ?? '', /Flanders Expo/);
    const dith = content.events.find((e) => e.id === 'dith');
    assert.ok(dith);
    assert.equal(dith.kind, 'initiative');
    assert.equal(dith.date, null);
  });

  describe('refuses broken content, naming the file, the field path and why', () => {
    const shoptitIndex = () => (load().events as Array<{ id: string }>).findIndex((e) => e.id === 'shoptit-2024');

    it('a date that does not exist', () => {
      const data = load();
      const i = shoptitIndex();
      data.events[i].date = '2024-02-30';
      names(refusal(data), `events[${i}].date`, /not a real date.*2024-02-30/);
    });

    it('a date in another format', () => {
      const data = load();
      const i = shoptitIndex();
      data.events[i].date = '16/05/2024';
      names(refusal(data), `events[${i}].date`, /YYYY-MM-DD/);
    });

    it('a link on http', () => {
      const data = load();
      const i = shoptitIndex();
      data.events[i].url = 'http://www.v-ict-or.be';
      names(refusal(data), `events[${i}].url`, /https/);
      const s = load();
      s.sources[0].url = 'http://www.vvsg.be';
      names(refusal(s), 'sources[0].url', /https/);
    });

    it('a link without a label', () => {
      const data = load();
      const i = shoptitIndex();
      data.events[i].linkLabel = null;
      names(refusal(data), `events[${i}].linkLabel`, /required when url is set/);
    });

    it('a missing English text', () => {
      const data = load();
      delete data.roadmap.buildingBlocks[2].title.en;
      names(refusal(data), 'roadmap.buildingBlocks[2].title.en', /missing/);
    });

    it('an empty Dutch text', () => {
      const data = load();
      data.roadmap.fourDs[0].text.nl = '   ';
      names(refusal(data), 'roadmap.fourDs[0].text.nl', /empty/);
    });

    it('a sixth building block', () => {
      const data = load();
      data.roadmap.buildingBlocks.push({ ...data.roadmap.buildingBlocks[0], id: 'andere' });
      const message = refusal(data);
      names(message, 'roadmap.buildingBlocks', /exactly 5/);
      names(message, 'roadmap.buildingBlocks[5].id', /must be one of: infrastructuur, data, strategie, vaardigheden, e-inclusie/);
    });

    it('a building block twice', () => {
      const data = load();
      data.roadmap.buildingBlocks[4] = structuredClone(data.roadmap.buildingBlocks[0]);
      const message = refusal(data);
      names(message, 'roadmap.buildingBlocks[4].id', /more than once/);
      names(message, 'roadmap.buildingBlocks', /missing building block\(s\): e-inclusie/);
    });

    it('too many first steps', () => {
      const data = load();
      const steps = data.roadmap.buildingBlocks[1].firstSteps;
      while (steps.length < 5) steps.push(steps[0]);
      names(refusal(data), 'roadmap.buildingBlocks[1].firstSteps', /2 to 4 first steps \(found 5\)/);
    });

    it('an unknown field, at any depth', () => {
      const data = load();
      data.roadmap.fourDs[1].subtitle = { nl: 'x', en: 'y' };
      data.events[0].title.fr = 'titre';
      data.extra = true;
      const message = refusal(data);
      names(message, 'roadmap.fourDs[1].subtitle', /unknown field/);
      names(message, 'events[0].title.fr', /unknown field/);
      names(message, 'extra', /unknown field/);
    });

    it('an event id that is not a slug, or used twice', () => {
      const data = load();
      data.events[1].id = 'DITh 2024';
      data.events[2].id = data.events[0].id;
      const message = refusal(data);
      names(message, 'events[1].id', /slug/);
      names(message, 'events[2].id', /more than once/);
    });

    it('every problem at once, each on its own line', () => {
      const data = load();
      const i = shoptitIndex();
      data.events[i].date = '2024-02-30';
      data.events[i].url = 'http://www.v-ict-or.be';
      delete data.roadmap.intro.en;
      data.roadmap.buildingBlocks.push({ ...data.roadmap.buildingBlocks[0], id: 'andere' });
      data.rkk.colour = 'blue';
      const message = refusal(data);
      names(message, `events[${i}].date`, /not a real date/);
      names(message, `events[${i}].url`, /https/);
      names(message, 'roadmap.intro.en', /missing/);
      names(message, 'roadmap.buildingBlocks', /exactly 5/);
      names(message, 'rkk.colour', /unknown field/);
    });

    it('something that is not content at all', () => {
      names(refusal(null), '(root)', /object/);
      names(refusal({}), 'roadmap', /missing/);
    });
  });

  it('isRealDate knows leap years and month lengths', () => {
    assert.ok(isRealDate('2024-02-29'));
    assert.ok(!isRealDate('2023-02-29'));
    assert.ok(!isRealDate('2024-02-30'));
    assert.ok(!isRealDate('2024-04-31'));
    assert.ok(!isRealDate('2024-13-01'));
    assert.ok(isRealDate('2024-05-16'));
    assert.ok(!isRealDate('2024-5-16'));
  });
});

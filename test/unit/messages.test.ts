import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LANGS, LIMITS, MESSAGES, chooseLang } from '../../bot/src/messages';

const SRC = path.resolve(__dirname, '../../../bot/src');
const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const sources = files(SRC).filter((f) => /\.(ts|json)$/.test(f) && !f.includes(`${path.sep}messages${path.sep}`));
const allSource = sources.map((f) => fs.readFileSync(f, 'utf8')).join('\n');

/** Key paths of a catalogue: nested objects by dots, down to strings, functions and lists. */
function keyPaths(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? keyPaths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

/** Calls each function of the catalogue with plausible arguments, to read the sentences it makes. */
function sentences(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(sentences);
  if (typeof v === 'function') {
    // Each parameter gets a value by its name, as the catalogue names them.
    const params = /^\(?([^)=]*)\)?\s*=>/.exec(String(v))?.[1]?.split(',').map((x) => x.trim().split(':')[0]!.trim()).filter(Boolean) ?? [];
    const byName: Record<string, unknown> = {
      l: LIMITS, ids: ['lid-1', 'lid-2'], self: true, p: { weekday: 'maandag', day: '7', month: 'december', hour: '09', minute: '00' },
      rkk: 'RKK Gent-Eeklo', who: 'Jan Claes', id: 'instance-a', since: 'maandag 7 december, 9.00 uur', when: 'maandag 7 december, 9.00 uur',
      low: 'helemaal niet', high: 'volledig', example: '2026-W50', lang: 'Nederlands', week: 50, rkks: ['RKK Gent-Eeklo', 'RKK Kempen'], items: ['Ja, het loopt al', 'In uitvoering'],
    };
    assert.equal(params.length, v.length, `parameters of ${String(v).slice(0, 60)}`);
    const call = (n: number) => sentences(v(...params.map((name) => (name in byName ? byName[name] : n))));
    return [...call(0), ...call(1), ...call(3)];
  }
  if (v && typeof v === 'object') return Object.values(v).flatMap(sentences);
  return [];
}

describe('the message catalogue: one place for every sentence, in Dutch and English', () => {
  it('has the same keys in both languages', () => {
    assert.deepEqual(keyPaths(MESSAGES.en).sort(), keyPaths(MESSAGES.nl).sort());
  });

  it('has no key that nothing uses', () => {
    // Records keyed by a domain value (error codes, question kinds, states, languages) are read by that value.
    const byValue = ['errors.', 'kinds.', 'stateLabel.', 'languageNames.', 'dataAskState.'];
    const unused = keyPaths(MESSAGES.nl).filter((k) => !byValue.some((p) => k.startsWith(p)))
      .filter((k) => !new RegExp(`\\.${k.split('.').at(-1)}\\b`).test(allSource));
    assert.deepEqual(unused, []);
  });

  it('makes whole sentences: no undefined, NaN or [object Object] in either language', () => {
    for (const lang of LANGS) {
      for (const s of sentences(MESSAGES[lang])) assert.doesNotMatch(s, /undefined|NaN|\[object /, `${lang}: ${s}`);
    }
  });

  it('names limits as values: the comment limit comes from the domain, in each language\'s number style', () => {
    assert.match(MESSAGES.nl.errors.comment_too_long(LIMITS), /hoogstens 2\.000 tekens/);
    assert.match(MESSAGES.en.errors.comment_too_long(LIMITS), /2,000 characters at most/);
    assert.match(MESSAGES.nl.errors.comment_too_long({ ...LIMITS, comment: 500 }), /hoogstens 500 tekens/);
  });

  it('leaves no Dutch sentence in the code outside the catalogue (cards, edge and services)', () => {
    // A Dutch word between quotes, outside comments: a sentence written into the code.
    const dutch = /['"`][^'"`\n]*\b(je|jouw|het|een|niet|geen|moet|kies|typ|vraag van de week)\b[^'"`\n]*['"`]/i;
    const offenders = sources.filter((f) => /[/\\](cards|teams|services)[/\\]/.test(f) && f.endsWith('.ts')).flatMap((f) =>
      fs.readFileSync(f, 'utf8').split('\n').map((line, i) => ({ line: line.replace(/\/\/.*$|^\s*\*.*$/, ''), at: `${path.relative(SRC, f)}:${i + 1}` }))
        .filter(({ line }) => dutch.test(line)).map(({ at, line }) => `${at}: ${line.trim()}`));
    assert.deepEqual(offenders, []);
  });

  it('one language per card: typed words first, then the card, then the RKK; the client only where the content exists in it', () => {
    assert.equal(chooseLang({ typed: 'en', rkk: 'nl' }), 'en', 'typed "help"');
    assert.equal(chooseLang({ typed: 'nl', rkk: 'en', locale: 'en-US' }), 'nl', 'typed "hulp"');
    assert.equal(chooseLang({ rkk: 'nl', locale: 'en-US', contentIn: ['nl'] }), 'nl', 'a Dutch-only question for an English client');
    assert.equal(chooseLang({ rkk: 'nl', locale: 'en-US', contentIn: ['nl', 'en'] }), 'en', 'the question has an English text');
    assert.equal(chooseLang({ rkk: 'en', locale: 'nl-BE', contentIn: ['nl', 'en'] }), 'nl', 'a Dutch client in an English RKK, with Dutch content');
    assert.equal(chooseLang({ card: 'en', rkk: 'nl' }), 'en', 'the card the member clicked was English');
    assert.equal(chooseLang({}), 'nl', 'Dutch by default');
  });
});

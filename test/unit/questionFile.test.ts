import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readQuestionFile, syncQuestionFile } from '../../bot/src/services/questionFile';
import { SqliteStore } from '../../bot/src/store';
import { WeekSchedule } from '../../bot/src/domain/week';
import { createLogger } from '../../bot/src/log';
import { KenniskringError } from '../../bot/src/domain/errors';
import { THEMES } from '../../bot/src/domain/themes';

/** A question as a moderator writes it; each test spoils one field. */
const GOOD = {
  id: 'magda-documentendienst',
  text: 'Hoe ver staat jullie bestuur met de MAGDA-documentendienst?',
  kind: 'single',
  options: ['In gebruik', 'Gepland', 'Nog niet'],
  theme: 'data',
};

describe('question file: reading and validating', () => {
  let dir: string;

  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kk-questions-')); });
  after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content, 'utf8');
    return file;
  };
  const writeJson = (name: string, questions: unknown[]) => write(name, JSON.stringify({ questions }, null, 2));

  /** Reads the file, expecting a refusal; returns the message the moderator sees. */
  const refusal = (file: string): string => {
    try {
      readQuestionFile(file);
    } catch (err) {
      assert.ok(err instanceof KenniskringError, `expected a KenniskringError, got ${String(err)}`);
      assert.equal(err.code, 'questions_file_invalid');
      assert.ok(err.message.includes(file), `message does not name the file: ${err.message}`);
      return err.message;
    }
    assert.fail(`${path.basename(file)} was accepted`);
  };
  /** One spoilt question in an otherwise fine file; the message names `questions[i].field` and why. */
  const refuses = (name: string, questions: unknown[], fieldPath: string, why: RegExp) => {
    const message = refusal(writeJson(name, questions));
    assert.ok(message.includes(`${fieldPath}:`), `message does not name ${fieldPath}: ${message}`);
    assert.match(message, why);
  };

  it('reads a valid YAML file with defaults filled in', () => {
    const file = write('ok.yaml', [
      'questions:',
      '  - id: cloud-overstap',
      '    text: "Hoe ver staat jullie bestuur met de overstap naar de cloud?"',
      '    kind: scale',
      '    scale: { low: "Alles op eigen servers", high: "Alles in de cloud" }',
      '    theme: infrastructuur',
      '    week: 2026-W49',
      '    closesAt: 2026-12-04T17:00:00+01:00',
      '  - id: think-big-act-small',
      '    text: "Welk klein digitaal proefproject liep het voorbije jaar bij jullie?"',
      '    kind: open',
      '    theme: strategie',
      '    comment: false',
      '    targets: [RKK Gent, RKK Kempen]',
      '',
    ].join('\n'));
    const { questions } = readQuestionFile(file);
    assert.equal(questions.length, 2);
    assert.deepEqual(questions[0]!.scale, { low: 'Alles op eigen servers', high: 'Alles in de cloud' });
    assert.equal(questions[0]!.week, '2026-W49');
    assert.equal(questions[0]!.closesAt, '2026-12-04T17:00:00+01:00');
    assert.equal(questions[0]!.comment, true);
    assert.equal(questions[0]!.targets, 'all');
    assert.equal(questions[1]!.comment, false);
    assert.deepEqual(questions[1]!.targets, ['RKK Gent', 'RKK Kempen']);
  });

  it('reads a valid JSON file', () => {
    const file = writeJson('ok.json', [GOOD, { ...GOOD, id: 'e-inclusie', kind: 'multiple', theme: 'e-inclusie' }]);
    const { questions } = readQuestionFile(file);
    assert.deepEqual(questions.map((q) => q.id), ['magda-documentendienst', 'e-inclusie']);
    assert.deepEqual(questions[1]!.options, GOOD.options);
  });

  it('refuses an id with capitals, underscores or too few characters', () => {
    refuses('id-caps.json', [{ ...GOOD, id: 'Magda_Dienst' }], 'questions[0].id', /kleine letters/);
    refuses('id-short.json', [{ ...GOOD, id: 'ab' }], 'questions[0].id', /3–64/);
  });

  it('refuses a question text that is too short (after trimming) or too long', () => {
    refuses('text-short.json', [{ ...GOOD, text: '   Cloud?   ' }], 'questions[0].text', /te kort/);
    refuses('text-long.json', [{ ...GOOD, text: 'x'.repeat(501) }], 'questions[0].text', /te lang/);
    const { questions } = readQuestionFile(writeJson('text-500.json', [{ ...GOOD, text: 'x'.repeat(500) }]));
    assert.equal(questions[0]!.text.length, 500);
  });

  it('refuses an unknown kind and lists the kinds there are', () => {
    refuses('kind.json', [{ ...GOOD, kind: 'ranking' }], 'questions[0].kind', /single, multiple, scale, open/);
  });

  it('refuses a choice question with no options, 1 option or 11 options', () => {
    const { options: _ignored, ...noOptions } = GOOD;
    refuses('no-options.json', [noOptions], 'questions[0].options', /2 tot 10 opties \(nu 0\)/);
    refuses('one-option.json', [{ ...GOOD, options: ['Ja'] }], 'questions[0].options', /2 tot 10 opties \(nu 1\)/);
    const eleven = Array.from({ length: 11 }, (_, i) => `Optie ${i + 1}`);
    refuses('eleven-options.json', [{ ...GOOD, kind: 'multiple', options: eleven }], 'questions[0].options', /2 tot 10 opties \(nu 11\)/);
  });

  it('refuses the same option twice, whatever the capitals or spaces', () => {
    refuses('dup-option.json', [{ ...GOOD, options: ['Ja', 'Nee', ' ja '] }], 'questions[0].options[2]', /"ja" staat er twee keer/);
  });

  it('refuses options on a scale or an open question', () => {
    refuses('scale-options.json', [{ ...GOOD, kind: 'scale' }], 'questions[0].options', /soort "scale" heeft geen opties/);
    refuses('open-options.json', [{ ...GOOD, kind: 'open' }], 'questions[0].options', /soort "open" heeft geen opties/);
  });

  it('refuses scale labels on a question that is not a scale', () => {
    refuses('labels.json', [{ ...GOOD, scale: { low: 'Nooit', high: 'Altijd' } }], 'questions[0].scale', /alleen bij soort "scale"/);
  });

  it('refuses an unknown theme and lists the themes there are', () => {
    refuses('theme.json', [{ ...GOOD, theme: 'ai' }], 'questions[0].theme', new RegExp(THEMES.join(', ')));
  });

  it('refuses a week that does not exist', () => {
    refuses('week.json', [{ ...GOOD, week: '2026-W60' }], 'questions[0].week', /JJJJ-Www/);
  });

  it('refuses a closing time that is not an ISO moment with an offset', () => {
    refuses('closes-free.json', [{ ...GOOD, closesAt: 'vrijdag 4 december 17u' }], 'questions[0].closesAt', /2026-12-04T17:00:00\+01:00/);
    refuses('closes-no-offset.json', [{ ...GOOD, closesAt: '2026-12-04T17:00:00' }], 'questions[0].closesAt', /2026-12-04T17:00:00\+01:00/);
  });

  it('marks options that mean "we do it already", and refuses them on other kinds, anonymous questions, missing options or every option', () => {
    const [q] = readQuestionFile(writeJson('experience.json', [{ ...GOOD, experience: [1] }])).questions;
    assert.deepEqual(q!.experience, [1]);
    refuses('experience-scale.json', [{ ...GOOD, kind: 'scale', options: undefined, experience: [1] }], 'questions[0].experience', /alleen bij een keuzevraag/);
    refuses('experience-anonymous.json', [{ ...GOOD, anonymous: true, experience: [1] }], 'questions[0].experience', /anonieme vraag heeft geen ervaringsopties/);
    refuses('experience-range.json', [{ ...GOOD, experience: [4] }], 'questions[0].experience', /maar 3 opties/);
    refuses('experience-all.json', [{ ...GOOD, experience: [1, 2, 3] }], 'questions[0].experience', /minstens één optie over/);
    refuses('experience-text.json', [{ ...GOOD, experience: ['In gebruik'] }], 'questions[0].experience[0]', /nummers van de opties/);
  });

  it('refuses a field it does not know (a typo is not silently ignored)', () => {
    refuses('typo.json', [{ ...GOOD, weeek: '2026-W49' }], 'questions[0]', /weeek/);
  });

  it('names the second question when that one is wrong', () => {
    refuses('second.json', [GOOD, { ...GOOD, id: 'tweede-vraag', options: ['Enige optie'] }], 'questions[1].options', /nu 1/);
  });

  it('refuses two questions with the same id', () => {
    refuses('dup-id.json', [GOOD, { ...GOOD, text: 'Een andere vraag met dezelfde id?' }], 'questions[1].id',
      /"magda-documentendienst" komt meer dan eens voor/);
  });

  it('refuses a file without questions', () => {
    refuses('empty-list.json', [], 'questions', /geen vragen/);
  });

  it('says a missing file cannot be read', () => {
    const missing = path.join(dir, 'bestaat-niet.yaml');
    assert.match(refusal(missing), /cannot be read: ENOENT/);
  });

  it('says a file with broken syntax is not valid YAML (or JSON)', () => {
    const file = write('broken.yaml', 'questions:\n  - id: cloud\n    text: "niet afgesloten\n    kind: [single\n');
    assert.match(refusal(file), /is not valid YAML/);
    assert.match(refusal(write('broken.json', '{"questions": [')), /is not valid JSON/);
  });
});

describe('question file: the shipped sample bank', () => {
  const sample = path.resolve(__dirname, '../../../bot/questions/vragen.yaml');

  it('is valid, with at least 8 questions covering all four kinds and at least four themes', () => {
    const { questions } = readQuestionFile(sample);
    assert.ok(questions.length >= 8, `only ${questions.length} questions`);
    assert.deepEqual(new Set(questions.map((q) => q.kind)), new Set(['single', 'multiple', 'scale', 'open']));
    const themes = new Set(questions.map((q) => q.theme));
    assert.ok(themes.size >= 4, `only themes ${[...themes].join(', ')}`);
  });
});

describe('question file: placement in time', () => {
  it('refuses a question that closes before its week opens, naming the field, and stores nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kk-place-'));
    const store = SqliteStore.open(dir);
    try {
      const file = {
        questions: [{
          id: 'digipunt-bezetting', text: 'Hoeveel uur per week is jullie digipunt bemand?', kind: 'open' as const, comment: true, anonymous: false,
          theme: 'e-inclusie' as const, targets: 'all' as const, week: '2026-W50', closesAt: '2026-12-01T12:00:00+01:00',
        }],
      };
      await assert.rejects(
        async () => syncQuestionFile(file, { store, schedule: new WeekSchedule('0 9 * * 1', 'Europe/Brussels'), now: new Date(), log: createLogger('silent'), path: 'vragen.yaml' }),
        (err: Error & { code?: string }) => err.code === 'questions_file_invalid' && /vragen\.yaml/.test(err.message) && /questions\[0\]\.closesAt: de vraag sluit .* voor ze opent/.test(err.message),
      );
      assert.equal(await store.questions.get('digipunt-bezetting'), null);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

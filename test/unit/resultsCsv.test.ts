import assert from 'node:assert/strict';
import { resultsCsv } from '../../bot/src/services/resultsCsv';
import type { ResultsView } from '../../bot/src/services/results';

const tally = (rows: [string, number, number][], average: number | null = null) => ({
  respondents: rows.reduce((n, [, c]) => n + c, 0), average, withheld: false, rows: rows.map(([label, count, percent], i) => ({ optionId: String(i + 1), label, count, percent })),
});
const base = { id: 'q', theme: 'data' as const, week: '2026-W49', publishedAt: '2026-11-30T08:00:00Z', closesAt: null, open: false, scaleLabels: null, rkk: null };
const view = (questions: ResultsView['questions']): ResultsView => ({ generatedAt: '2026-12-03T10:00:00Z', minGroupSize: 3, rkk: null, themes: [], questions });

describe('the results as CSV (the tab\'s download)', () => {
  it('quotes a cell with the separator, a quote or a line break, and never lets a spreadsheet run a cell as a formula', () => {
    const csv = resultsCsv(view([{ ...base, text: '=HYPERLINK("http://x");"x"', kind: 'single', all: tally([['@SUM(1;2)', 2, 67], ['-5 jaar; of meer', 1, 33]]) }]), 'nl');
    const lines = csv.slice(1).trimEnd().split('\r\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[1], `q;"'=HYPERLINK(""http://x"");""x""";Datahuishouding en gegevensdeling;2026-W49;Eén keuze;Heel Vlaanderen;3;;'@SUM(1;2);2;67`.replace("'@SUM(1;2)", `"'@SUM(1;2)"`));
    assert.match(lines[2]!, /;"'-5 jaar; of meer";1;33$/);
  });

  it('writes a scale\'s average with a decimal comma in Dutch and names its ends', () => {
    const q = { ...base, text: 'Hoe vlot werken jullie samen?', kind: 'scale' as const, scaleLabels: { low: 'helemaal niet', high: 'volledig' }, all: tally([['1', 1, 20], ['2', 1, 20], ['3', 1, 20], ['4', 1, 20], ['5', 1, 20]], 3.4) };
    const nl = resultsCsv(view([q]), 'nl').split('\r\n').slice(1, 6).map((l) => l.split(';').slice(7, 9));
    assert.deepEqual(nl, [['3,4', '1 = helemaal niet'], ['3,4', '2'], ['3,4', '3'], ['3,4', '4'], ['3,4', '5 = volledig']]);
    assert.match(resultsCsv(view([q]), 'en').split('\r\n')[1]!, /,3\.4,1 = helemaal niet,1,20$/);
  });
});

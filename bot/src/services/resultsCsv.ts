import { THEME_LABELS } from '../domain/themes';
import { scaleValueLabel } from '../domain/question';
import { messages, type Lang } from '../messages';
import type { QuestionResult, ResultsView } from './results';

/**
 * The tab's aggregates as a spreadsheet (`/api/results.csv`): one line per question, group and
 * answer, for the member's RKK (when the tab is in its team) and for all of Flanders. Only what the
 * tab shows: counts and shares, a group under the privacy floor with its count and no shares.
 * Semicolons and decimal commas for Dutch (what Excel in Belgium opens as columns), a byte-order
 * mark so accents survive, and no cell that a spreadsheet would run as a formula.
 */
export function resultsCsv(view: ResultsView, lang: Lang): string {
  const s = messages(lang).csv;
  const sep = lang === 'nl' ? ';' : ',';
  const decimal = (n: number) => (lang === 'nl' ? String(n).replace('.', ',') : String(n));
  const lines: string[][] = [s.header];
  for (const q of view.questions) {
    const groups: [string, QuestionResult['all']][] = [...(view.rkk && q.rkk ? [[view.rkk.name, q.rkk] as [string, QuestionResult['all']]] : []), [s.allRegions, q.all]];
    for (const [group, t] of groups) {
      const start = [q.id, q.text, THEME_LABELS[q.theme][lang], q.week ?? '', messages(lang).kinds[q.kind], group, String(t.respondents), t.average === null ? '' : decimal(t.average)];
      if (t.withheld) lines.push([...start, s.withheld(view.minGroupSize), '', '']);
      else if (q.kind === 'open' || t.rows.length === 0) lines.push([...start, '', '', '']);
      else for (const r of t.rows) lines.push([...start, q.kind === 'scale' ? scaleValueLabel(r.label, q.scaleLabels) : r.label, String(r.count), String(r.percent)]);
    }
  }
  return `\uFEFF${lines.map((cells) => cells.map((c) => cell(c, sep)).join(sep)).join('\r\n')}\r\n`;
}

/** One cell: quoted when it holds the separator, a quote or a line break; a leading =, +, - or @ made harmless. */
function cell(value: string, sep: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+([.,]\d+)?$/.test(value) ? `'${value}` : value;
  return safe.includes(sep) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

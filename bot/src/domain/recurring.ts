/// <reference path="./nlpjs-lang-nl.d.ts" />
import { StemmerNl, StopwordsNl } from '@nlpjs/lang-nl';
import type { Theme } from './themes';

/**
 * Recurring themes across regions: key terms that members of several RKKs use in what they write
 * (open answers, explanations, thread replies). Words are lower-cased, Dutch stop words dropped and
 * the rest stemmed with Snowball's Dutch stemmer (@nlpjs/lang-nl), so "documentendiensten" and
 * "documentendienst", or "aansluiten" and "aansluiting", count as one term.
 */
export interface Writing {
  rkkId: string;
  questionId: string;
  /** The building block of the question it was written under. */
  theme: Theme;
  source: 'open' | 'explanation' | 'reply';
  text: string;
  /** What to link to as evidence (e.g. the thread), opaque here. */
  ref: string;
}

export interface RecurringTheme {
  /** The stemmed term. */
  stem: string;
  /** The word as members wrote it most often. */
  label: string;
  rkkIds: string[];
  themes: Theme[];
  evidence: Writing[];
}

export interface RecurringOptions {
  /** In how many RKKs a term must appear (RECURRING_MIN_RKKS, default 3). */
  minRkks: number;
  /** The words of the questions themselves, by question id: echoing the question is not a theme. */
  questionTexts?: ReadonlyMap<string, string>;
  /** At most this many themes, most RKKs first. */
  limit?: number;
}

/** Words shorter than this carry no theme ("wij", "ook", "dus" are stop words anyway). */
const MIN_WORD = 4;
/** In a large enough corpus, a term in more than this share of all writings is the domain's own vocabulary ("gemeente"), not a theme. */
const COMMON_SHARE = 0.5;
const COMMON_FROM = 10;

const stemmer = new StemmerNl();
const stopwords = new StopwordsNl();

/** The words of a text: letters only (accents kept), lower-cased, without stop words and short words. */
export function words(text: string): string[] {
  return (text.toLocaleLowerCase('nl-BE').match(/\p{L}+(?:-\p{L}+)*/gu) ?? [])
    .filter((w) => w.length >= MIN_WORD && !stopwords.isStopword(w));
}

/** A word's stem; a hyphenated word ("MAGDA-documentendienst") stems as its last part, keeping the rest. */
export function stem(word: string): string {
  const parts = word.toLocaleLowerCase('nl-BE').split('-');
  parts[parts.length - 1] = stemmer.stemWord(parts[parts.length - 1]!);
  return parts.join('-');
}

export function recurringThemes(writings: readonly Writing[], o: RecurringOptions): RecurringTheme[] {
  const echo = new Map<string, Set<string>>();
  for (const [id, text] of o.questionTexts ?? []) echo.set(id, new Set(words(text).flatMap(termsOf)));
  const byStem = new Map<string, { rkks: Set<string>; evidence: Writing[]; forms: Map<string, number> }>();
  for (const w of writings) {
    const seen = new Set<string>();
    for (const word of words(w.text)) {
      for (const term of termsOf(word)) {
        if (seen.has(term) || echo.get(w.questionId)?.has(term)) continue;
        seen.add(term);
        const e = byStem.get(term) ?? { rkks: new Set<string>(), evidence: [] as Writing[], forms: new Map<string, number>() };
        e.rkks.add(w.rkkId);
        e.evidence.push(w);
        e.forms.set(word, (e.forms.get(word) ?? 0) + 1);
        byStem.set(term, e);
      }
    }
  }
  const common = writings.length >= COMMON_FROM ? writings.length * COMMON_SHARE : Infinity;
  const found = [...byStem].filter(([, e]) => e.rkks.size >= o.minRkks && e.evidence.length <= common)
    .map(([s, e]): RecurringTheme => ({
      stem: s,
      label: [...e.forms].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'nl'))[0]![0],
      rkkIds: [...e.rkks].sort(),
      themes: [...new Set(e.evidence.map((w) => w.theme))],
      evidence: e.evidence,
    }));
  // A hyphenated term and its last part found in the same RKKs are one theme: keep the longer.
  const kept = found.filter((t) => !found.some((other) => other !== t && other.stem.endsWith(`-${t.stem}`) && other.rkkIds.join() === t.rkkIds.join()));
  return kept.sort((a, b) => b.rkkIds.length - a.rkkIds.length || b.evidence.length - a.evidence.length || a.stem.localeCompare(b.stem))
    .slice(0, o.limit ?? 5);
}

/** A word's terms: its stem, and for a hyphenated word also its last part ("magda-documentendienst" → also "documentendienst"). */
function termsOf(word: string): string[] {
  const full = stem(word);
  const last = full.split('-').at(-1)!;
  return last === full || last.length < MIN_WORD ? [full] : [full, last];
}

/** The weekly card for RKK Overkoepelend: each theme with its RKKs and evidence. */
/** A theme as the weekly card shows it: names instead of ids, and the evidence to read. */
export interface ThemeShown {
  label: string;
  rkkNames: string[];
  buildingBlocks: Theme[];
  evidence: { question: string; rkkName: string; text: string; link: string | null }[];
  /** Evidence not shown. */
  more: number;
}

export interface ThemesView {
  weeks: number;
  themes: ThemeShown[];
}

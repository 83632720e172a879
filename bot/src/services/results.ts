import type { Store } from '../store';
import { isOpen, type Question } from '../domain/question';
import { buildTally, type Tally } from '../domain/answer';
import { THEMES, THEME_LABELS, type Theme } from '../domain/themes';
import type { Clock } from './ports';
import { explanationsFor } from './explanations';

/**
 * What the Routekaart tab shows: aggregates only — counts and shares, never names or comments —
 * and only for groups of at least `minGroupSize` respondents: a smaller group's shares are
 * withheld (its count stays), so no answer can be traced to a few colleagues.
 */
export interface ResultsView {
  generatedAt: string;
  minGroupSize: number;
  rkk: { id: string; name: string } | null;
  questions: QuestionResult[];
  themes: { theme: Theme; label: { nl: string; en: string }; questions: number; respondents: number }[];
}

export interface QuestionResult {
  id: string;
  text: string;
  kind: Question['kind'];
  theme: Theme;
  week: string | null;
  publishedAt: string;
  closesAt: string | null;
  open: boolean;
  scaleLabels: Question['scaleLabels'];
  all: TallyView;
  rkk: TallyView | null;
}

/** `withheld`: fewer respondents than the privacy floor (and more than none): no rows, no average. */
type TallyView = Pick<Tally, 'respondents' | 'average'> & { rows: Tally['rows'][number][]; withheld: boolean };

const view = (t: Tally, floor: number): TallyView => t.respondents > 0 && t.respondents < floor
  ? { respondents: t.respondents, average: null, rows: [], withheld: true }
  : { respondents: t.respondents, average: t.average, rows: t.rows, withheld: false };

/** The archive of published questions, newest first, for one RKK (by team id or Entra group id) and across RKKs. */
export async function resultsView(store: Store, clock: Clock, team: string | null, minGroupSize: number): Promise<ResultsView> {
  const now = clock.now();
  const rkk = team ? await store.rkks.byTeam(team) : null;
  const questions: QuestionResult[] = [];
  for (const q of await store.questions.published(now, 200)) {
    if (!(await store.deliveries.forQuestion(q.id)).some((d) => d.state === 'sent')) continue;
    if (rkk && (await store.deliveries.get({ kind: 'question', questionId: q.id, rkkId: rkk.id }))?.state !== 'sent') continue;
    questions.push({
      id: q.id, text: q.text, kind: q.kind, theme: q.theme, week: q.week, publishedAt: q.publishAt!.toISOString(),
      closesAt: q.closesAt?.toISOString() ?? null, open: isOpen(q, now), scaleLabels: q.scaleLabels,
      all: view(buildTally(q, await store.answers.counts(q.id)), minGroupSize),
      rkk: rkk ? view(buildTally(q, await store.answers.counts(q.id, rkk.id)), minGroupSize) : null,
    });
  }
  const themes = THEMES.map((theme) => {
    const qs = questions.filter((q) => q.theme === theme);
    return { theme, label: THEME_LABELS[theme], questions: qs.length, respondents: qs.reduce((n, q) => n + (q.rkk ?? q.all).respondents, 0) };
  });
  return { generatedAt: now.toISOString(), minGroupSize, rkk: rkk ? { id: rkk.id, name: rkk.name } : null, questions, themes };
}


/**
 * For signed-in members of the RKK's team only: who answered (not on anonymous questions), the
 * explanations they wrote with their answers (without names on anonymous questions; what the
 * results card shortens) and the replies in the thread.
 */
export interface DetailsView {
  rkk: { id: string; name: string };
  questions: {
    id: string; anonymous: boolean; respondents: string[];
    explanations: { author: string | null; text: string }[];
    comments: { author: string; text: string; at: string }[];
  }[];
}

/** The explanations the tab lists per question: every one a results card could point to, within reason. */
export const DETAILS_EXPLANATIONS = 500;

export async function detailsView(store: Store, clock: Clock, rkk: { id: string; name: string }): Promise<DetailsView> {
  const now = clock.now();
  const questions: DetailsView['questions'] = [];
  for (const q of await store.questions.published(now, 200)) {
    if ((await store.deliveries.get({ kind: 'question', questionId: q.id, rkkId: rkk.id }))?.state !== 'sent') continue;
    questions.push({
      id: q.id,
      anonymous: q.anonymous,
      respondents: q.anonymous ? [] : (await store.answers.forQuestion(q.id)).filter((a) => a.rkkId === rkk.id).map((a) => a.member.name || '—'),
      explanations: (await explanationsFor(store, q, rkk.id, DETAILS_EXPLANATIONS)).items.map((e) => ({ author: e.name, text: e.text })),
      comments: (await store.comments.forQuestion(q.id)).filter((c) => c.rkkId === rkk.id)
        .map((c) => ({ author: c.authorName, text: c.text, at: c.createdAt.toISOString() })),
    });
  }
  return { rkk: { id: rkk.id, name: rkk.name }, questions };
}

import type { Routekaart } from '../content/schema';
import type { ResultsView, QuestionResult, DetailsView } from '../../bot/src/services/results';
import type { AgendaView, MomentItem } from '../../bot/src/services/agenda';
import type { Lang } from './host';
import { STRINGS } from './i18n';
import { h, externalLink } from './dom';
import { barChart, barTable } from './charts';
import { scaleValueLabel } from '../../bot/src/domain/question';

type Text = { nl: string; en: string };
const t = (text: Text, lang: Lang) => text[lang];

export function roadmapSection(c: Routekaart, results: ResultsView | null, lang: Lang): HTMLElement {
  const s = STRINGS[lang];
  const r = c.roadmap;
  const countFor = (theme: string) => results?.questions.filter((q) => q.theme === theme).length ?? 0;
  return h('section', { id: 'routekaart', 'aria-labelledby': 'routekaart-h' },
    h('h2', { id: 'routekaart-h' }, s.roadmap),
    h('p', {}, t(r.intro, lang)),
    h('h3', {}, s.buildingBlocks),
    // An overview first: each block its name and its questions; what it means and the first steps open on request.
    h('ul', { class: 'grid blocks' }, r.buildingBlocks.map((b, i) => h('li', { class: 'card block', id: `bouwsteen-${b.id}` },
      h('p', { class: 'kicker' }, s.blockNumber(i + 1)),
      h('h4', {}, t(b.title, lang)),
      h('details', {},
        h('summary', {}, s.blockOpen),
        h('p', {}, t(b.summary, lang)),
        h('p', { class: 'subtle' }, s.firstSteps),
        h('ul', {}, b.firstSteps.map((step) => h('li', {}, t(step, lang)))),
        themeResults(results, b.id, lang)),
      h('a', { href: `#thema-${b.id}` }, s.questionsOnTheme(countFor(b.id))),
    ))),
    h('h3', {}, s.fourDs),
    h('ul', { class: 'grid blocks' }, r.fourDs.map((d, i) => h('li', { class: 'card block' }, h('p', { class: 'kicker' }, `${i + 1} / ${r.fourDs.length}`), h('h4', {}, t(d.title, lang)), h('details', {}, h('summary', {}, s.readOn), h('p', {}, t(d.text, lang)))))),
    h('div', { class: 'card' },
      h('h3', {}, t(r.thinkBigActSmall.title, lang)), h('p', {}, t(r.thinkBigActSmall.text, lang)),
      h('ol', {}, r.thinkBigActSmall.steps.map((step) => h('li', {}, t(step, lang))))),
    // The background, for who wants it: behind "Meer lezen", not in the way of the overview.
    h('details', { class: 'more', 'data-more': '' },
      h('summary', {}, s.readMore(t(r.digitisation.title, lang))),
      h('h3', {}, t(r.digitisation.title, lang)),
      h('div', { class: 'grid' },
        h('div', { class: 'card' }, h('p', {}, t(r.digitisation.digitisation, lang))),
        h('div', { class: 'card' }, h('p', {}, t(r.digitisation.transformation, lang)))),
      h('p', {}, t(r.digitisation.note, lang)),
      h('h3', {}, s.obstacles),
      h('ul', { class: 'grid' }, r.obstacles.map((o) => h('li', { class: 'card' }, h('h4', {}, t(o.title, lang)), h('p', {}, t(o.text, lang))))),
      h('div', { class: 'card' }, h('h4', {}, t(r.digitalOfficer.title, lang)), h('p', {}, t(r.digitalOfficer.text, lang)))),
  );
}

/** Dates and times as Belgian members read them: the moment in Brussels, whatever the viewer's zone. */
const BRUSSELS = 'Europe/Brussels';

/** A knowledge moment from the agenda: when (and where, or a link to join while it is upcoming), and what it is about. */
function momentCard(m: MomentItem, past: boolean, lang: Lang): HTMLElement {
  const s = STRINGS[lang];
  const when = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-BE', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: BRUSSELS });
  const join = m.link && !past ? externalLink(m.link, s.join, s.linkOpens) : null;
  join?.classList.add('button');
  // Where members talk about it, before and after (slides, a recording): a past moment's one link.
  const thread = m.thread ? externalLink(m.thread, s.momentThread, s.opensInTeams) : null;
  return h('li', { class: `card event moment ${past ? 'past' : ''}`.trim(), 'data-moment': m.id, 'data-status': past ? 'past' : 'upcoming' },
    h('p', { class: 'kicker' }, s.moment),
    h('h4', {}, m.title, h('span', { class: `badge ${past ? 'past' : 'upcoming'}` }, past ? s.past : s.soon)),
    h('p', { class: 'subtle' }, h('time', { datetime: m.startsAt }, when.format(new Date(m.startsAt))), ` · ${m.where ?? s.online}`),
    m.description ? h('p', {}, m.description) : null,
    m.theme ? h('p', { class: 'subtle' }, s.momentTheme(m.theme)) : null,
    join || thread ? h('p', {}, join, join && thread ? ' ' : null, thread) : null,
  );
}

/**
 * The knowledge moments from the agenda first (upcoming, then past), then the events of the content
 * file: those before `today` (the viewer's date) are marked as past.
 */
/**
 * A building block's own questions and where they stand, inside the block: how many answered and
 * what most chose (in this RKK when the tab is in its team, else across Flanders). Under the
 * privacy floor only the count; an open question's answers are not counted here.
 */
function themeResults(results: ResultsView | null, theme: string, lang: Lang): HTMLElement | null {
  const s = STRINGS[lang];
  const qs = results?.questions.filter((q) => q.theme === theme) ?? [];
  if (!qs.length) return null;
  return h('div', { class: 'block-results', 'data-block-results': theme },
    h('p', { class: 'subtle' }, s.blockQuestions),
    h('ul', {}, qs.map((q) => {
      const tally = q.rkk ?? q.all;
      const top = q.kind === 'open' || tally.withheld ? null : [...tally.rows].sort((a, b) => b.count - a.count)[0];
      const summary = [s.respondents(tally.respondents), tally.average !== null ? s.average(tally.average) : top && top.count > 0 ? s.mostChosen(top.label, top.percent) : null].filter(Boolean).join(' · ');
      return h('li', {}, h('a', { href: `#thema-${theme}` }, q.text), h('br'), h('span', { class: 'subtle' }, summary));
    })));
}

export function eventsSection(c: Routekaart, agenda: AgendaView | null, lang: Lang, today: Date): HTMLElement {
  const s = STRINGS[lang];
  const day = today.toISOString().slice(0, 10);
  const dateFmt = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-BE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const eventCard = (e: Routekaart['events'][number]) => {
    const past = e.date !== null && e.date < day;
    const status = e.date === null ? s.ongoing : past ? s.past : s.upcoming;
    return h('li', { class: `card event ${past ? 'past' : ''}`.trim(), 'data-event': e.id, 'data-status': e.date === null ? 'ongoing' : past ? 'past' : 'upcoming' },
      h('h4', {}, t(e.title, lang), h('span', { class: `badge ${e.date === null ? '' : past ? 'past' : 'upcoming'}`.trim() }, status)),
      e.date ? h('p', { class: 'subtle' }, h('time', { datetime: e.date }, dateFmt.format(new Date(`${e.date}T00:00:00Z`))), e.location ? ` · ${t(e.location, lang)}` : '') : null,
      h('p', {}, t(e.summary, lang)),
      e.url && e.linkLabel ? h('p', {}, externalLink(e.url, t(e.linkLabel, lang), s.linkOpens)) : null,
    );
  };
  // Upcoming first (the agenda's knowledge moments, then dated events of the content file), the ongoing initiatives, then what is past.
  const upcoming = [...(agenda?.upcoming.map((m) => momentCard(m, false, lang)) ?? []), ...c.events.filter((e) => e.date !== null && e.date >= day).map(eventCard)];
  const ongoing = c.events.filter((e) => e.date === null).map(eventCard);
  const past = [...(agenda?.past.map((m) => momentCard(m, true, lang)) ?? []), ...c.events.filter((e) => e.date !== null && e.date < day).map(eventCard)];
  return h('section', { id: 'activiteiten', 'aria-labelledby': 'activiteiten-h' },
    h('h2', { id: 'activiteiten-h' }, s.events),
    h('h3', { id: 'binnenkort' }, s.comingUp),
    upcoming.length ? h('ul', { class: 'grid', 'data-group': 'upcoming' }, upcoming) : h('p', { class: 'empty', 'data-group': 'upcoming' }, s.nothingUpcoming),
    ongoing.length ? [h('h3', { id: 'lopend' }, s.ongoingTitle), h('ul', { class: 'grid', 'data-group': 'ongoing' }, ongoing)] : null,
    past.length ? [h('h3', { id: 'voorbij' }, s.pastTitle), h('ul', { class: 'grid', 'data-group': 'past' }, past)] : null,
    h('div', { class: 'card' }, h('h3', {}, t(c.rkk.title, lang)), h('p', {}, t(c.rkk.text, lang)), h('ul', {}, c.rkk.points.map((p) => h('li', {}, t(p, lang))))),
    h('h3', {}, s.sources),
    // A source is named with its link, or not at all: a title nobody can open helps no one.
    h('ul', {}, c.sources.filter((src) => src.url).map((src) => h('li', {}, externalLink(src.url!, t(src.title, lang), s.linkOpens), ` · ${src.publisher}${src.year === null ? '' : `, ${src.year}`}`))),
  );
}

/** The approved questions for all regions: what was asked, from which RKK, and how many replied in RKK Overkoepelend; never who asked. */
export function acrossRegionsSection(agenda: AgendaView | null, lang: Lang): HTMLElement {
  const s = STRINGS[lang];
  const section = h('section', { id: 'regio', 'aria-labelledby': 'regio-h' }, h('h2', { id: 'regio-h' }, s.acrossRegions));
  if (!agenda) { section.append(h('p', { class: 'empty', role: 'status' }, s.asksUnavailable)); return section; }
  const command = () => h('code', {}, s.askCommand);
  if (agenda.asks.length === 0) { section.append(h('p', { class: 'empty' }, s.asksNone(command()))); return section; }
  const dateFmt = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-BE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: BRUSSELS });
  section.append(
    h('p', {}, s.acrossIntro),
    h('ul', { class: 'asks' }, agenda.asks.map((a) => h('li', { class: 'card ask', 'data-ask': a.id },
      h('p', { class: 'ask-text' }, a.text),
      h('p', { class: 'subtle' }, [a.rkkName ? s.askFrom(a.rkkName) : null, s.askReplies(a.replies)].filter(Boolean).join(' · '), ' · ',
        `${s.askedOn} `, h('time', { datetime: a.askedAt }, dateFmt.format(new Date(a.askedAt)))),
      a.thread ? h('p', {}, externalLink(a.thread, s.askThread, s.opensInTeams)) : null,
    ))),
    h('p', { class: 'subtle' }, s.askHow(command())),
  );
  return section;
}

type Details = DetailsView['questions'][number];

/** What only signed-in members of the team see: who answered, their explanations and the replies in the thread. */
function detailsBlock(d: Details, lang: Lang): HTMLElement {
  const s = STRINGS[lang];
  return h('div', { class: 'details', 'data-details': d.id },
    d.anonymous ? h('p', { class: 'subtle' }, s.anonymousQuestion)
      : d.respondents.length ? h('p', {}, s.answeredBy(d.respondents.join(', '))) : null,
    d.explanations.length ? h('details', { 'data-explanations': '' }, h('summary', {}, s.explanations(d.explanations.length)),
      h('ul', {}, d.explanations.map((e) => h('li', {}, e.author ? [h('strong', {}, e.author), `: ${e.text}`] : e.text)))) : null,
    d.comments.length ? h('details', {}, h('summary', {}, s.replies(d.comments.length)),
      h('ul', {}, d.comments.map((c) => h('li', {}, h('strong', {}, c.author), `: ${c.text}`)))) : null,
  );
}

function questionBlock(q: QuestionResult, scope: 'rkk' | 'all', lang: Lang, details: Details | undefined, floor: number, rkkName: string | null, earlier: QuestionResult[] = []): HTMLElement {
  const s = STRINGS[lang];
  // The RKK beside all of Flanders in the team's tab; Flanders alone when asked, or outside a team.
  const mine = scope === 'rkk' && q.rkk && rkkName ? q.rkk : null;
  const tally = mine ?? q.all;
  const counts = mine ? `${rkkName}: ${s.respondents(mine.respondents)} · ${s.flanders}: ${s.respondents(q.all.respondents)}` : s.respondents(tally.respondents);
  const meta = [q.week ? s.week(q.week) : null, counts, tally.average !== null ? s.average(tally.average) : null, q.open ? s.stillOpen : null].filter(Boolean).join(' · ');
  // A scale's ends say what they mean, as the question card does: "1 = helemaal niet" … "5 = volledig".
  const bars = (x: QuestionResult['all']) => x.rows.map((r) => ({ label: q.kind === 'scale' ? scaleValueLabel(r.label, q.scaleLabels) : r.label, count: r.count, percent: r.percent }));
  const series = [
    ...(mine && !mine.withheld ? [{ name: rkkName!, bars: bars(mine) }] : []),
    ...(!q.all.withheld && (!mine || mine.respondents > 0) ? [{ name: s.flanders, bars: bars(q.all) }] : []),
  ];
  const withheld = (mine ?? q.all).withheld ? h('p', { class: 'subtle', 'data-withheld': '' }, s.withheld(floor)) : null;
  return h('article', { class: 'question card', 'data-question': q.id },
    h('h4', {}, q.text),
    h('p', { class: 'subtle' }, meta),
    q.kind === 'open' ? h('p', {}, s.openAnswers) : withheld,
    q.kind !== 'open' && series.length ? barChart(series, s.chartLabel(q.text, tally.respondents)) : null,
    q.kind !== 'open' && series.length ? h('details', {}, h('summary', {}, s.table), barTable(series, q.text, s)) : null,
    earlier.length ? trendBlock([q, ...earlier], scope === 'rkk' && rkkName ? 'rkk' : 'all', lang) : null,
    details && scope === 'rkk' ? detailsBlock(details, lang) : null,
  );
}

/** The same question (same text, kind and options) asked in more than one week: the oldest first. */
function sameQuestion(a: QuestionResult, b: QuestionResult): boolean {
  const labels = (x: QuestionResult) => x.all.rows.map((r) => r.label).join('\u001f');
  return a.id !== b.id && a.kind === b.kind && searchable(a.text) === searchable(b.text) && (a.kind === 'scale' || labels(a) === labels(b));
}

/**
 * How the answers moved, week by week, for a question asked more than once: each week's share of
 * every answer (and the average on a scale), for the group the chart shows; a week under the
 * privacy floor gives its count only.
 */
function trendBlock(asked: QuestionResult[], scope: 'rkk' | 'all', lang: Lang): HTMLElement {
  const s = STRINGS[lang];
  const weeks = [...asked].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
  const options = weeks[weeks.length - 1]!.all.rows.map((r) => r.label);
  const table = document.createElement('table');
  table.className = 'trend';
  table.createCaption().textContent = s.trendCaption(asked[0]!.text);
  const head = table.createTHead().insertRow();
  for (const title of [s.trendWeek, s.count, ...(asked[0]!.kind === 'scale' ? [s.trendAverage] : options)]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  for (const w of weeks) {
    const tally = (scope === 'rkk' && w.rkk) || w.all;
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = w.week ? s.week(w.week) : w.publishedAt.slice(0, 10);
    row.append(th);
    const cells = [String(tally.respondents), ...(asked[0]!.kind === 'scale'
      ? [tally.withheld || tally.average === null ? '—' : tally.average.toLocaleString(lang === 'nl' ? 'nl-BE' : 'en-GB')]
      : options.map((o) => (tally.withheld ? '—' : `${tally.rows.find((r) => r.label === o)?.percent ?? 0}%`)))];
    for (const text of cells) {
      const td = row.insertCell();
      td.className = 'num';
      td.textContent = text;
    }
  }
  return h('div', { class: 'trend-block', 'data-trend': '' },
    h('h5', {}, s.trendTitle(weeks.length)),
    h('div', { class: 'table-scroll' }, table),
    weeks.some((w) => ((scope === 'rkk' && w.rkk) || w.all).withheld) ? h('p', { class: 'subtle' }, s.trendWithheld) : null);
}

export function resultsSection(results: ResultsView | null, lang: Lang, scope: 'rkk' | 'all', themes: { id: string; title: Text }[], askedForTeam: boolean, details: DetailsView | null = null): HTMLElement {
  const s = STRINGS[lang];
  const section = h('section', { id: 'resultaten', 'aria-labelledby': 'resultaten-h' }, h('h2', { id: 'resultaten-h' }, s.results));
  if (!results) { section.append(h('p', { class: 'empty', role: 'status' }, s.resultsUnavailable)); return section; }
  if (askedForTeam && !results.rkk) section.append(h('p', { class: 'subtle' }, s.rkkUnknown));
  if (results.rkk && !details) section.append(h('p', { class: 'subtle' }, s.signInHint));
  if (results.rkk) {
    const scopeNav = h('div', { class: 'scope', role: 'group', 'aria-label': s.results },
      h('label', {}, h('input', { type: 'radio', name: 'scope', value: 'rkk', ...(scope === 'rkk' ? { checked: '' } : {}) }), ` ${s.scopeRkk(results.rkk.name)}`),
      h('label', {}, h('input', { type: 'radio', name: 'scope', value: 'all', ...(scope === 'all' ? { checked: '' } : {}) }), ` ${s.scopeAll}`));
    section.append(scopeNav);
  }
  if (results.questions.length === 0) { section.append(h('p', { class: 'empty' }, s.noResults)); return section; }
  // The aggregates as a spreadsheet: the same counts and shares, the same privacy floor.
  const csv = `/api/results.csv?${results.rkk ? `team=${encodeURIComponent(results.rkk.id)}&` : ''}lang=${lang}`;
  section.append(h('p', {}, h('a', { href: csv, download: 'kenniskring-resultaten.csv', 'data-download': '' }, s.downloadCsv)));
  const groups = [...themes, { id: 'andere', title: { nl: 'Andere', en: 'Other' } }];
  const asked = groups.filter((g) => results.questions.some((q) => q.theme === g.id));
  // Search the archive and narrow it to a theme: applied as typed (see applyFilter), nothing reloads.
  section.append(h('div', { class: 'filters', role: 'search', 'aria-label': s.filterLabel },
    h('div', { class: 'field search' }, h('label', { for: 'zoek' }, s.search),
      h('input', { type: 'search', id: 'zoek', name: 'zoek', autocomplete: 'off', placeholder: s.searchPlaceholder })),
    h('div', { class: 'field' }, h('label', { for: 'thema' }, s.theme),
      h('select', { id: 'thema', name: 'thema' }, h('option', { value: '' }, s.allThemes),
        asked.map((g) => h('option', { value: g.id }, `${t(g.title, lang)} (${results.questions.filter((q) => q.theme === g.id).length})`)))),
  ), h('p', { class: 'subtle', id: 'gevonden', role: 'status', 'aria-live': 'polite' }));
  for (const g of asked) {
    const qs = results.questions.filter((q) => q.theme === g.id);
    const group = h('div', { class: 'theme-group', 'data-theme': g.id }, h('h3', { id: `thema-${g.id}` }, t(g.title, lang)));
    for (const q of qs) {
      // The newest time a question was asked carries its trend; the earlier times stay in the archive.
      const again = results.questions.filter((o) => sameQuestion(q, o));
      const newest = again.every((o) => o.publishedAt < q.publishedAt);
      const block = questionBlock(q, scope, lang, details?.questions.find((d) => d.id === q.id), results.minGroupSize, results.rkk?.name ?? null, newest ? again : []);
      block.dataset.search = searchable(q.text);
      group.append(block);
    }
    section.append(group);
  }
  // Themes without questions yet: one short list at the end (a building block's link still lands on its line).
  const unasked = groups.filter((g) => g.id !== 'andere' && !asked.includes(g));
  if (unasked.length) {
    section.append(h('div', { class: 'theme-group unasked', 'data-none': '' }, h('h3', {}, s.noQuestionsYet),
      h('ul', {}, unasked.map((g) => h('li', { id: `thema-${g.id}` }, t(g.title, lang))))));
  }
  section.append(h('p', { class: 'empty', 'data-nothing': '', hidden: '' }, s.nothingFound));
  return section;
}

/** Lower case, without accents: "één" finds "een", "Ervaring" finds "ervaring". */
const searchable = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/**
 * Shows the questions whose text holds every word searched for, in the theme chosen (none: all);
 * a theme without any is hidden while a filter is on; the status line says how many were found.
 */
export function applyFilter(section: HTMLElement, filter: { query: string; theme: string }, lang: Lang): void {
  const words = searchable(filter.query).split(/\s+/).filter(Boolean);
  const on = words.length > 0 || filter.theme !== '';
  let shown = 0;
  for (const group of Array.from(section.querySelectorAll<HTMLElement>('.theme-group'))) {
    let inGroup = 0;
    for (const q of Array.from(group.querySelectorAll<HTMLElement>('[data-question]'))) {
      const match = (!filter.theme || group.dataset.theme === filter.theme) && words.every((w) => (q.dataset.search ?? '').includes(w));
      q.hidden = !match;
      if (match) inGroup++;
    }
    shown += inGroup;
    group.hidden = on && inGroup === 0;
  }
  const status = section.querySelector<HTMLElement>('#gevonden');
  if (status) status.textContent = on ? STRINGS[lang].found(shown) : '';
  const nothing = section.querySelector<HTMLElement>('[data-nothing]');
  if (nothing) nothing.hidden = !on || shown > 0;
}

import type { Routekaart } from '../content/schema';
import type { ResultsView, DetailsView } from '../../bot/src/services/results';
import type { AgendaView } from '../../bot/src/services/agenda';
import { authentication } from '@microsoft/teams-js';
import { applyTheme, detectHost, onThemeChange, openTeamsLinksInTeams, type Lang } from './host';
import { STRINGS } from './i18n';
import { viewTabs } from './views';
import { acrossRegionsSection, applyFilter, eventsSection, resultsSection, roadmapSection } from './render';

type View = 'all' | 'roadmap' | 'results';

async function json<T>(url: string, token?: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

function header(lang: Lang, rkkName: string | null): void {
  const s = STRINGS[lang];
  document.getElementById('title')!.textContent = s.title;
  document.getElementById('subtitle')!.textContent = rkkName ? `${rkkName} · ${s.subtitle}` : s.subtitle;
  const by = document.getElementById('by');
  if (by) by.textContent = s.by;
  document.querySelector('.skip')!.textContent = s.skip;
  document.getElementById('nav')!.setAttribute('aria-label', s.nav);
}

async function main(): Promise<void> {
  const personal = document.querySelector('meta[name="kenniskring-mode"]')?.getAttribute('content') === 'personal';
  const host = await detectHost();
  applyTheme(host.theme);
  document.documentElement.lang = host.lang;
  if (host.inTeams) { onThemeChange(applyTheme); openTeamsLinksInTeams(); }
  const requested = new URLSearchParams(location.search).get('view');
  const view: View = requested === 'roadmap' || requested === 'results' ? requested : 'all';
  const team = personal ? null : host.team;
  // The agenda is extra: without it the events come from the content file alone.
  const [content, results, agenda] = await Promise.all([
    json<Routekaart>('content.json'),
    view === 'roadmap' && !team ? Promise.resolve(null) : json<ResultsView>(`/api/results${team ? `?team=${encodeURIComponent(team)}` : ''}`).catch(() => null),
    view === 'results' ? Promise.resolve(null) : json<AgendaView>(`/api/agenda${team ? `?team=${encodeURIComponent(team)}` : ''}`).catch(() => null),
  ]);
  // Signed-in members of the team also see who answered and the replies; anyone else sees aggregates.
  let details: DetailsView | null = null;
  if (host.inTeams && team && results?.rkk && view !== 'roadmap') {
    try {
      const token = await authentication.getAuthToken();
      details = await json<DetailsView>(`/api/results/details?team=${encodeURIComponent(team)}`, token);
    } catch {
      details = null; // not signed in, not a member, or sign-in not configured: aggregates only
    }
  }
  const lang = host.lang;
  header(lang, results?.rkk?.name ?? null);
  const main = document.getElementById('main')!;
  let scope: 'rkk' | 'all' = results?.rkk ? 'rkk' : 'all';
  const themes = content.roadmap.buildingBlocks.map((b) => ({ id: b.id, title: b.title }));
  const renderResults = () => resultsSection(results, lang, scope, themes, Boolean(team), details);
  const resultsEl = view !== 'roadmap' ? renderResults() : null;
  const panels = [
    view !== 'results' ? roadmapSection(content, results, lang) : null,
    view !== 'results' ? eventsSection(content, agenda, lang, new Date()) : null,
    view !== 'results' ? acrossRegionsSection(agenda, lang) : null,
    resultsEl,
  ].filter((e): e is HTMLElement => e !== null);
  main.replaceChildren(...panels);
  const s = STRINGS[lang];
  viewTabs(document.getElementById('nav')!, panels, { routekaart: s.tabRoadmap, activiteiten: s.tabEvents, regio: s.tabAcross, resultaten: s.tabResults });
  // The search and the theme survive a change of scope (the section is drawn again).
  const filter = { query: '', theme: '' };
  const refilter = () => { if (resultsEl) applyFilter(resultsEl, filter, lang); };
  main.addEventListener('input', (ev) => {
    const target = ev.target as HTMLInputElement;
    if (target.name !== 'zoek') return;
    filter.query = target.value;
    refilter();
  });
  main.addEventListener('change', (ev) => {
    const target = ev.target as HTMLInputElement;
    if (target.name === 'thema') { filter.theme = target.value; refilter(); return; }
    if (target.name !== 'scope' || !resultsEl) return;
    scope = target.value === 'rkk' ? 'rkk' : 'all';
    // Redrawn in place: the view keeps its tab.
    const next = resultsEl;
    next.replaceChildren(...Array.from(renderResults().childNodes));
    (next.querySelector<HTMLInputElement>('#zoek') ?? { value: '' }).value = filter.query;
    (next.querySelector<HTMLSelectElement>('#thema') ?? { value: '' }).value = filter.theme;
    refilter();
    next.querySelector<HTMLInputElement>(`input[value="${scope}"]`)?.focus();
  });
  document.body.dataset.ready = 'true';
}

void main();

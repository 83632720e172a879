import type { Lang } from './host';

const nl = {
  title: 'Routekaart',
  subtitle: 'Digitale transformatie in lokale besturen',
  skip: 'Naar de inhoud',
  nav: 'Onderdelen',
  roadmap: 'Routekaart', events: 'Activiteiten en initiatieven', results: 'Resultaten van de vraag van de week',
  buildingBlocks: 'Vijf bouwstenen voor een volwaardige digitale transformatie',
  firstSteps: 'Eerste stappen',
  questionsOnTheme: (n: number) => (n === 0 ? 'Nog geen vragen over dit thema' : n === 1 ? '1 vraag van de week over dit thema' : `${n} vragen van de week over dit thema`),
  fourDs: 'De 4 D\'s', obstacles: 'Drie struikelblokken', sources: 'Bronnen',
  past: 'voorbij', upcoming: 'gepland', ongoing: 'lopend initiatief',
  scopeRkk: (rkk: string) => `In ${rkk}`, scopeAll: 'In alle kenniskringen',
  respondents: (n: number) => (n === 1 ? '1 antwoord' : `${n} antwoorden`),
  average: (a: number) => `gemiddeld ${a.toLocaleString('nl-BE')} op 5`,
  openAnswers: 'Open vraag: de antwoorden zelf staan in de lijst van V-ICT-OR.',
  stillOpen: 'nog open', week: (w: string) => `week ${Number(w.slice(6))}`,
  table: 'Als tabel', option: 'Antwoord', count: 'Aantal', share: 'Aandeel',
  chartLabel: (q: string, n: number) => `Resultaten van "${q}": ${n === 1 ? '1 antwoord' : `${n} antwoorden`}`,
  noResults: 'Nog geen resultaten. Elke maandag om 09:00 verschijnt de vraag van de week in het kanaal van je kenniskring; de antwoorden komen hier samen zodra de eerste collega\'s antwoorden.',
  noThemeResults: 'Nog geen vragen over dit thema.',
  resultsUnavailable: 'De resultaten zijn nu niet beschikbaar. Probeer het straks opnieuw.',
  rkkUnknown: 'Dit team is (nog) geen kenniskring: je ziet de resultaten van alle kenniskringen.',
  linkOpens: '(opent in een nieuw venster)',
  configTitle: 'Routekaart instellen', configIntro: 'Kies wat het tabblad in dit kanaal toont.', configLegend: 'Inhoud van het tabblad',
  viewAll: 'Alles: routekaart, activiteiten en resultaten', viewRoadmap: 'Alleen de routekaart en de activiteiten', viewResults: 'Alleen de resultaten van de vragen van de week',
  configReady: 'Klik op Opslaan om het tabblad toe te voegen.', configOutside: 'Deze pagina werkt alleen in Microsoft Teams, bij het toevoegen van een tabblad.',
};

type Strings = typeof nl;

const en: Strings = {
  title: 'Roadmap',
  subtitle: 'Digital transformation in local government',
  skip: 'Skip to content',
  nav: 'Sections',
  roadmap: 'Roadmap', events: 'Events and initiatives', results: 'Results of the question of the week',
  buildingBlocks: 'Five building blocks of a full digital transformation',
  firstSteps: 'First steps',
  questionsOnTheme: (n) => (n === 0 ? 'No questions on this theme yet' : n === 1 ? '1 question of the week on this theme' : `${n} questions of the week on this theme`),
  fourDs: 'The 4 D\'s', obstacles: 'Three obstacles', sources: 'Sources',
  past: 'past', upcoming: 'upcoming', ongoing: 'ongoing initiative',
  scopeRkk: (rkk) => `In ${rkk}`, scopeAll: 'In all knowledge circles',
  respondents: (n) => (n === 1 ? '1 answer' : `${n} answers`),
  average: (a) => `average ${a.toLocaleString('en-GB')} out of 5`,
  openAnswers: 'Open question: the answers themselves are in V-ICT-OR\'s list.',
  stillOpen: 'still open', week: (w) => `week ${Number(w.slice(6))}`,
  table: 'As a table', option: 'Answer', count: 'Count', share: 'Share',
  chartLabel: (q, n) => `Results of "${q}": ${n === 1 ? '1 answer' : `${n} answers`}`,
  noResults: 'No results yet. Every Monday at 09:00 the question of the week appears in your knowledge circle\'s channel; the answers come together here as soon as colleagues answer.',
  noThemeResults: 'No questions on this theme yet.',
  resultsUnavailable: 'The results are not available right now. Please try again later.',
  rkkUnknown: 'This team is not a knowledge circle (yet): you see the results of all knowledge circles.',
  linkOpens: '(opens in a new window)',
  configTitle: 'Set up the Roadmap', configIntro: 'Choose what the tab in this channel shows.', configLegend: 'Tab content',
  viewAll: 'Everything: roadmap, events and results', viewRoadmap: 'Only the roadmap and the events', viewResults: 'Only the results of the questions of the week',
  configReady: 'Click Save to add the tab.', configOutside: 'This page only works in Microsoft Teams, when adding a tab.',
};

export const STRINGS: Record<Lang, Strings> = { nl, en };
export type { Strings };

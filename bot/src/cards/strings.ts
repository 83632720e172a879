/** Everything a member reads, in Dutch (nl-BE, the default) and English. */
export type Lang = 'nl' | 'en';

/** Teams sends the member's locale ("nl-BE", "en-US"); English only when asked for. */
export function langOf(locale: string | undefined | null): Lang {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

const nl = {
  title: 'Vraag van de week',
  refresh: 'Vernieuwen',
  yourAnswer: 'Jouw antwoord',
  yourAnswerMulti: 'Jouw antwoord (meerdere keuzes mogelijk)',
  pickOne: 'Kies een antwoord.',
  pickAtLeastOne: 'Kies minstens één antwoord.',
  writeAnswer: 'Schrijf je antwoord.',
  openPlaceholder: 'Schrijf hier je antwoord',
  anonymousNote: '🔒 Anonieme vraag: je naam wordt niet bewaard, alleen dat je geantwoord hebt.',
  commentLabel: 'Toelichting (niet verplicht)',
  commentPlaceholder: 'Hoe pakken jullie dit aan?',
  submit: 'Antwoord versturen',
  resubmit: 'Antwoord bijwerken',
  change: 'Antwoord wijzigen',
  recorded: '✅ Je antwoord is genoteerd',
  yourComment: 'Je toelichting',
  commentKept: 'Je eerdere toelichting blijft staan. Wil je ze weghalen? Kies "Antwoord wijzigen" en maak het veld leeg.',
  noAnswersYet: 'Nog geen antwoorden: wees de eerste!',
  answers: (n: number) => (n === 1 ? '1 antwoord' : `${n} antwoorden`),
  answersSoFar: (n: number) => (n === 0 ? 'Nog geen antwoorden: wees de eerste!' : n === 1 ? '1 collega heeft al geantwoord.' : `${n} collega's hebben al geantwoord.`),
  tallyIn: (rkk: string) => `Zo antwoordt ${rkk}`,
  tallyAll: 'Zo antwoorden de collega\'s',
  acrossRkks: (n: number) => `In alle kenniskringen samen: ${n === 1 ? '1 antwoord' : `${n} antwoorden`}.`,
  average: (a: number) => `Gemiddelde: ${a.toLocaleString('nl-BE')} op 5.`,
  commentsCount: (n: number) => (n === 1 ? '1 toelichting' : `${n} toelichtingen`),
  week: (w: string) => `week ${Number(w.slice(6))}`,
  resultsTitle: 'Resultaten van de vraag van de week',
  closedNotice: 'Deze vraag is gesloten: antwoorden kan niet meer.',
  closesAt: (d: string) => `Antwoorden kan tot ${d}.`,
  openAnswersOnly: (n: number) => `${n === 1 ? '1 open antwoord' : `${n} open antwoorden`}: de antwoorden zelf vind je in de lijst van V-ICT-OR.`,
  scaleHint: (low: string, high: string) => `1 = ${low} · 5 = ${high}`,
};

type Strings = typeof nl;

const en: Strings = {
  title: 'Question of the week',
  refresh: 'Refresh',
  yourAnswer: 'Your answer',
  yourAnswerMulti: 'Your answer (choose one or more)',
  pickOne: 'Pick an answer.',
  pickAtLeastOne: 'Pick at least one answer.',
  writeAnswer: 'Write your answer.',
  openPlaceholder: 'Write your answer here',
  anonymousNote: '🔒 Anonymous question: your name is not kept, only that you answered.',
  commentLabel: 'Comment (optional)',
  commentPlaceholder: 'How does your organisation handle this?',
  submit: 'Send answer',
  resubmit: 'Update answer',
  change: 'Change answer',
  recorded: '✅ Your answer has been recorded',
  yourComment: 'Your comment',
  commentKept: 'Your earlier comment is kept. To remove it, choose "Change answer" and clear the field.',
  noAnswersYet: 'No answers yet: be the first!',
  answers: (n) => (n === 1 ? '1 answer' : `${n} answers`),
  answersSoFar: (n) => (n === 0 ? 'No answers yet: be the first!' : n === 1 ? '1 colleague has answered.' : `${n} colleagues have answered.`),
  tallyIn: (rkk) => `How ${rkk} answered`,
  tallyAll: 'How colleagues answered',
  acrossRkks: (n) => `All knowledge circles together: ${n === 1 ? '1 answer' : `${n} answers`}.`,
  average: (a) => `Average: ${a.toLocaleString('en-GB')} out of 5.`,
  commentsCount: (n) => (n === 1 ? '1 comment' : `${n} comments`),
  week: (w) => `week ${Number(w.slice(6))}`,
  resultsTitle: 'Results of the question of the week',
  closedNotice: 'This question is closed: answers are no longer accepted.',
  closesAt: (d) => `Open for answers until ${d}.`,
  openAnswersOnly: (n) => `${n === 1 ? '1 open answer' : `${n} open answers`}: the answers themselves are in V-ICT-OR's list.`,
  scaleHint: (low, high) => `1 = ${low} · 5 = ${high}`,
};

export const STRINGS: Record<Lang, Strings> = { nl, en };

/** Plain (non-function) strings, as the card templates bind them under `s`. */
export function templateStrings(lang: Lang): Record<string, string> {
  return Object.fromEntries(Object.entries(STRINGS[lang]).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

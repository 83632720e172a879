/**
 * Renders Adaptive Cards the way a Teams client does (the adaptivecards renderer, in Debian's
 * Chromium) and saves each at desktop (480 px) and phone (300 px) width under test-artifacts/, to
 * look at what members see: `node dist/test/support/cardShots.js`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from './teamsHost';
import { answeredCard, askApprovalCard, askDecidedCard, askRepliesCard, askThreadCard, momentCard, momentFormCard, planCard, proposalApprovalCard, proposedCard, questionCard, reminderCard, themesCard, type Card } from '../../bot/src/cards/render';
import type { Proposal } from '../../bot/src/domain/proposal';
import { myDataReply, remindReply } from '../../bot/src/teams/commands';
import type { Question } from '../../bot/src/domain/question';
import type { Ask } from '../../bot/src/domain/ask';
import type { Moment } from '../../bot/src/domain/moment';

const OUT = path.resolve(__dirname, '../../../test-artifacts');
const RENDERER = fs.readFileSync(require.resolve('adaptivecards/dist/adaptivecards.js'), 'utf8');
const CSS = fs.readFileSync(require.resolve('adaptivecards/dist/adaptivecards.css'), 'utf8');

const ctx = { lang: 'nl' as const, timeZone: 'Europe/Brussels' };
const ask: Ask = {
  id: 'ask-1', text: 'Hoe regelen jullie de toegang tot MAGDA voor de dienst burgerzaken?', askerKey: 'jan', askerName: 'Jan Claes', askerTeamsId: '29:jan',
  askerRkkId: 'gent', state: 'pending', reason: null, decidedBy: null, decidedByName: null, createdAt: new Date('2026-12-02T09:30:00Z'), decidedAt: null, toldReplies: 0, toldAt: null,
};
const moment: Moment = {
  id: 'km-1', title: 'Webinar: het e-loket koppelen aan MAGDA', startsAt: new Date('2026-12-17T13:00:00Z'), where: 'https://webinar.example.org/e-loket',
  description: 'Drie besturen tonen hoe ze het e-loket aan de MAGDA-diensten koppelden, met hun valkuilen.', theme: 'e-loket', source: 'bot',
  createdBy: null, createdByName: null, createdAt: new Date(), updatedAt: new Date(),
};

const question: Question = {
  id: 'e-loket-koppeling', text: 'Is jullie e-loket al gekoppeld aan het Mijn Burgerprofiel?', kind: 'single',
  options: [{ id: '1', label: 'Ja' }, { id: '2', label: 'In uitvoering' }, { id: '3', label: 'Nog niet' }], scaleLabels: null, allowComment: true, anonymous: false,
  theme: 'data', targets: 'all', week: '2026-W49', queueOrder: 0, publishAt: new Date('2026-11-30T08:00:00Z'), closesAt: new Date('2026-12-07T07:59:00Z'), closedAt: null,
  source: 'file', createdBy: null, translations: {},
};
const reply = { ...ctx, rkkName: 'RKK Gent-Eeklo' };
const proposal: Proposal = {
  id: 'voorstel-1', draft: { text: 'Werken jullie al met één e-loket voor alle diensten van de gemeente?', kind: 'single', options: ['Ja', 'Gedeeltelijk', 'Nog niet'], theme: 'strategie', scale: null },
  proposerKey: 'jan', proposerName: 'Jan Claes', proposerTeamsId: '29:jan', rkkId: 'gent', showName: true, state: 'pending', reason: null,
  decidedBy: null, decidedByName: null, questionId: null, createdAt: new Date('2026-12-02T10:00:00Z'), decidedAt: null,
};
/** A question whose first option means the member's organisation did it already. */
const experienced: Question = { ...question, options: [{ id: '1', label: 'Ja, het loopt al', experience: true }, { id: '2', label: 'In uitvoering' }, { id: '3', label: 'Nog niet' }] };
const griet = { key: 'griet', aadObjectId: '00000000-0000-0000-0000-00000000a1b2', teamsUserId: '29:griet', name: 'Griet Janssens' };
const tally = { questionId: 'e-loket-koppeling', respondents: 7, comments: 2, average: null, rows: [{ optionId: '1', label: 'Ja, het loopt al', count: 3, percent: 43 }, { optionId: '2', label: 'In uitvoering', count: 2, percent: 29 }, { optionId: '3', label: 'Nog niet', count: 2, percent: 29 }] };
const answered = (choice: string, contact: boolean) => ({
  questionId: experienced.id, rkkId: 'gent', member: griet, choices: [choice], text: null, comment: null,
  answeredAt: new Date('2026-11-30T09:12:00Z'), updatedAt: new Date('2026-11-30T09:12:00Z'), revision: 1, contact, contactUpn: null,
});
const colleagues = [
  { name: 'Lotte Willems', rkkName: 'RKK Gent-Eeklo', upn: 'lotte.willems@gemeente.example' },
  { name: 'Mathias Dubois', rkkName: 'RKK Kempen', upn: 'mathias.dubois@stad.example' },
  { name: 'Ilse Van den Broeck', rkkName: 'RKK Westhoek', upn: null },
];
const facts = { today: '2026-12-02', sampleSlot: new Date('2026-12-07T08:00:00Z') };

export const SAMPLES: Record<string, Card> = {
  'card-reminder': reminderCard(question, { ...reply, count: 7, rkkId: 'gent' }),
  'card-remind-on': remindReply({ kind: 'on', rkkName: 'RKK Gent-Eeklo', hours: 24, already: false }, reply).card,
  'card-remind-pick': remindReply({ kind: 'pick', rkks: [{ id: 'gent', name: 'RKK Gent-Eeklo' }, { id: 'kempen', name: 'RKK Kempen' }, { id: 'westhoek', name: 'RKK Westhoek' }] }, reply).card,
  'card-remind-off': remindReply({ kind: 'off', already: false }, reply).card,
  'card-propose-form': planCard({ ...ctx, facts, proposal: { showName: true } }),
  'card-propose-errors': planCard({ ...ctx, facts, proposal: { showName: false }, values: { text: 'E-loket?', kind: 'single', options: ['Ja'], scaleLow: '', scaleHigh: '', theme: 'strategie', date: '', anonymous: false, comment: true },
    problems: [{ field: 'text', code: 'length', length: 8 }, { field: 'options', code: 'count', count: 1 }] }),
  'card-proposal-approval': proposalApprovalCard({ kind: 'pending', item: { proposal, rkkName: 'RKK Gent-Eeklo' } }, ctx),
  'card-proposal-approval-reason': proposalApprovalCard({ kind: 'pending', item: { proposal: { ...proposal, showName: false }, rkkName: 'RKK Gent-Eeklo' }, problems: [{ code: 'reason' }] }, ctx),
  'card-proposal-approved': proposalApprovalCard({ kind: 'decided', item: { proposal: { ...proposal, state: 'approved', decidedByName: 'Sofie Maes' }, rkkName: 'RKK Gent-Eeklo' }, queuePosition: 1 }, ctx),
  'card-proposed-approved': proposedCard({ ...proposal, state: 'approved' }, ctx),
  'card-proposed-rejected': proposedCard({ ...proposal, state: 'rejected', reason: 'Die vraag liep vorige maand al; de resultaten staan in de Routekaart.' }, ctx),
  'card-proposed-question': questionCard({ ...question, source: 'proposal' }, { ...reply, count: 3, proposedBy: { name: 'Jan Claes', rkkName: 'RKK Gent-Eeklo' } }),
  'card-remind-data-failed': myDataReply({
    member: { key: 'griet', aadObjectId: '00000000-0000-0000-0000-00000000a1b2', teamsUserId: '29:griet', name: 'Griet Janssens' },
    answers: [{ at: new Date('2026-11-30T09:12:00Z'), question: question.text, value: 'In uitvoering', comment: 'We testen de koppeling met twee diensten.' }],
    replies: [], asks: [], proposals: [], reminder: { rkkName: 'RKK Gent-Eeklo', failedAt: new Date('2026-12-06T07:59:00Z') }, contacts: [],
  }, reply).card,
  'card-experience-form': questionCard(experienced, { ...reply, count: 7 }),
  'card-experience-consent-on': answeredCard(experienced, answered('1', true), tally, { ...reply, totalAcross: 31, canChange: true, experience: { consent: true, colleagues: [] } }),
  'card-experience-consent-off': answeredCard(experienced, answered('1', false), tally, { ...reply, totalAcross: 31, canChange: true, experience: { consent: false, colleagues: [] } }),
  'card-experience-colleagues': answeredCard(experienced, answered('3', false), tally, { ...reply, totalAcross: 31, canChange: true, experience: { consent: null, colleagues } }),
  'card-experience-none-yet': answeredCard(experienced, answered('3', false), tally, { ...reply, totalAcross: 31, canChange: true, experience: { consent: null, colleagues: [] } }),
  'card-experience-plan': planCard({ ...ctx, facts, values: { text: experienced.text, kind: 'single', options: ['Ja, het loopt al', 'In uitvoering', 'Nog niet'], experience: [1], scaleLow: '', scaleHigh: '', theme: 'data', date: '', anonymous: true, comment: true },
    problems: [{ field: 'experience', code: 'anonymous' }] }),
  'card-experience-data': myDataReply({
    member: griet, answers: [{ at: new Date('2026-11-30T09:12:00Z'), question: experienced.text, value: 'Ja, het loopt al', comment: null }],
    replies: [], asks: [], proposals: [], reminder: null, contacts: [{ questionId: experienced.id, question: experienced.text, option: 'Ja, het loopt al' }],
  }, reply).card,
  'card-themes-button': themesCard({ weeks: 8, themes: [{ label: 'e-loket', rkkNames: ['RKK Gent-Eeklo', 'RKK Kempen', 'RKK Westhoek'], buildingBlocks: ['data'], evidence: [{ question: 'Hoe ver staat jullie bestuur met de MAGDA-documentendienst?', rkkName: 'RKK Gent-Eeklo', text: 'Ons e-loket haalt de attesten al rechtstreeks op.', link: 'https://teams.microsoft.com/l/message/x' }], more: 2 }] }, 3, ctx),
  'card-moment-form': momentFormCard({ kind: 'form', values: { title: '', date: '', time: '', where: '', description: '', theme: 'e-loket', id: 'km-1' }, problems: [], today: '2026-12-02' }, ctx),
  'card-moment-form-errors': momentFormCard({ kind: 'form', values: { title: 'Web', date: '2026-11-30', time: '14:00', where: 'http://webinar', description: '', theme: 'e-loket', id: 'km-1' }, problems: [{ field: 'title', code: 'length', length: 3 }, { field: 'when', code: 'past' }, { field: 'where', code: 'link' }], today: '2026-12-02' }, ctx),
  'card-moment': momentCard(moment, { ...ctx, changed: false }),
  'card-moment-place': momentCard({ ...moment, title: 'ShoptIT 2027', where: 'Antwerp Expo, hal 2', theme: null, description: 'De beurs voor ICT in lokale besturen.' }, { ...ctx, changed: true }),
  'card-ask-approval': askApprovalCard({ kind: 'pending', item: { ask, rkkName: 'RKK Gent-Eeklo' } }, ctx),
  'card-ask-approval-reason': askApprovalCard({ kind: 'pending', item: { ask, rkkName: 'RKK Gent-Eeklo' }, problem: { code: 'reason' } }, ctx),
  'card-ask-approved': askApprovalCard({ kind: 'decided', item: { ask: { ...ask, state: 'approved', decidedByName: 'An Peeters' }, rkkName: 'RKK Gent-Eeklo' } }, ctx),
  'card-ask-thread': askThreadCard(ask, 'RKK Gent-Eeklo', ctx),
  'card-ask-decided': askDecidedCard({ ...ask, state: 'rejected', reason: 'Deze vraag past beter in je eigen kenniskring: stel ze daar met @Kenniskring.' }, ctx),
  'card-ask-replies': askRepliesCard({ ask, first: false, link: 'https://teams.microsoft.com/l/message/x', fresh: [
    { authorName: 'Lotte Willems', rkkName: 'RKK Kempen', text: 'Wij doen het via de intercommunale: die beheert de toegangen.' },
    { authorName: 'Mathias Dubois', rkkName: null, text: 'Bij ons via de lokale beheerder in het Gebruikersbeheer.' },
  ] }, ctx),
};

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  try {
    for (const [name, card] of Object.entries(SAMPLES).filter(([n]) => !process.argv[2] || n.startsWith(process.argv[2]))) {
      for (const [suffix, width] of [['', 480], ['-phone', 300]] as const) {
        const page = await browser.newPage({ viewport: { width, height: 400 } });
        await page.setContent(`<html><head><style>${CSS} body{margin:0;padding:12px;font-family:"Segoe UI",sans-serif;background:#f5f5f5} #c{background:#fff;border-radius:6px;padding:4px}</style></head><body><div id="c"></div><script>${RENDERER}</script></body></html>`);
        // A string, run in the page: this project's TypeScript has no DOM types.
        await page.evaluate(`(() => { const c = new AdaptiveCards.AdaptiveCard(); c.parse(${JSON.stringify(card)}); document.getElementById('c').appendChild(c.render()); })()`);
        await page.locator('#c').screenshot({ path: path.join(OUT, `${name}${suffix}.png`) });
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`${Object.keys(SAMPLES).length} cards in ${OUT}`);
}

if (require.main === module) void main();

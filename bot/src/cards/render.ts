import { Template } from 'adaptivecards-templating';
import { chatLink } from '../domain/teamsLinks';
import questionTemplate from './templates/question.json';
import answeredTemplate from './templates/answered.json';
import resultsTemplate from './templates/results.json';
import infoTemplate from './templates/info.json';
import explanationsTemplate from './templates/explanations.json';
import planTemplate from './templates/plan.json';
import planPreviewTemplate from './templates/planPreview.json';
import digestTemplate from './templates/digest.json';
import themesTemplate from './templates/themes.json';
import type { ThemesView } from '../domain/recurring';
import { answerOptions, experienceOptions, questionIn, type Question } from '../domain/question';
import type { ExperienceView } from '../domain/experience';
import type { Answer, ExplanationList, Tally } from '../domain/answer';
import { THEME_LABELS, THEMES } from '../domain/themes';
import { LIMITS, messages, type Lang } from '../messages';
import { KenniskringError } from '../domain/errors';
import { clip } from '../domain/text';
import type { PlanDraft, PlanField, PlanFormFacts, PlanInput, PlanProblem } from '../domain/plan';
import type { DigestView } from '../domain/digest';
import { HIGHLIGHTS_PER_RKK, type HighlightView } from '../domain/highlight';
import highlightTemplate from './templates/highlight.json';
import momentFormTemplate from './templates/momentForm.json';
import momentTemplate from './templates/moment.json';
import askApprovalTemplate from './templates/askApproval.json';
import proposalApprovalTemplate from './templates/proposalApproval.json';
import { PROPOSAL_LIMITS, type Proposal, type ProposalDecisionView } from '../domain/proposal';
import { MOMENT_LIMITS, isLink, type Moment, type MomentField, type MomentView } from '../domain/moment';
import { ASK_LIMITS, type Ask, type DecisionView } from '../domain/ask';

/** An Adaptive Card as JSON; what Teams renders. */
export type Card = Record<string, unknown>;

const compiled = new Map<object, Template>();
function fill(template: object, data: Record<string, unknown>): Card {
  let t = compiled.get(template);
  if (!t) { t = new Template(template); compiled.set(template, t); }
  return checkCardSize(t.expand({ $root: data }) as Card);
}

/** Teams refuses messages over about 100 KB (UTF-16); cards stay under 80 KB or are not sent at all. */
export const MAX_CARD_BYTES = 80 * 1024;

export function checkCardSize(card: Card): Card {
  const bytes = JSON.stringify(card).length * 2;
  if (bytes > MAX_CARD_BYTES) throw new KenniskringError('card_too_large', `card of ${bytes} bytes (UTF-16) exceeds ${MAX_CARD_BYTES}`);
  return card;
}

export interface CardContext {
  lang: Lang;
  timeZone: string;
  rkkName: string | null;
}

function contextLine(q: Question, c: CardContext): string {
  const parts = [c.rkkName, q.week ? messages(c.lang).week(Number(q.week.slice(6))) : null, THEME_LABELS[q.theme][c.lang]];
  return parts.filter(Boolean).join(' · ');
}

/**
 * A week as its dates: "7–13 december", "28 december–3 januari" (Dutch), "7 – 13 December" (English).
 * With `thisYear` (the reader's), a week that ends in another year says which: "28 december–3 januari 2027".
 */
export function formatWeekDates(from: Date, to: Date, c: Pick<CardContext, 'lang' | 'timeZone'> & { thisYear?: number }): { from: string; to: string } {
  const part = (d: Date, p: 'month' | 'year') => new Intl.DateTimeFormat('en', { timeZone: c.timeZone, [p]: 'numeric' }).format(d);
  const fmt = (d: Date, withMonth: boolean, withYear: boolean) => new Intl.DateTimeFormat(c.lang === 'en' ? 'en-GB' : 'nl-BE',
    { timeZone: c.timeZone, day: 'numeric', ...(withMonth ? { month: 'long' } : {}), ...(withYear ? { year: 'numeric' } : {}) }).format(d);
  const yearFrom = Number(part(from, 'year'));
  const yearTo = Number(part(to, 'year'));
  const showYear = c.thisYear !== undefined && yearTo !== c.thisYear;
  return {
    from: fmt(from, part(from, 'month') !== part(to, 'month'), showYear && yearFrom !== yearTo && yearFrom !== c.thisYear),
    to: fmt(to, true, showYear),
  };
}

/** "maandag 7 december, 9.00 uur" / "Monday 7 December, 9:00", in the RKK's time zone. */
export function formatMoment(d: Date, c: Pick<CardContext, 'lang' | 'timeZone'>): string {
  return messages(c.lang).moment(zonedParts(d, c));
}

/** A moment's weekday, day, month and time in the RKK's time zone and language. */
function zonedParts(d: Date, c: Pick<CardContext, 'lang' | 'timeZone'>): { weekday: string; day: string; month: string; hour: string; minute: string } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat(c.lang === 'en' ? 'en-GB' : 'nl-BE', {
    timeZone: c.timeZone, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((p) => [p.type, p.value])) as Record<string, string>;
  return { weekday: parts.weekday ?? '', day: parts.day ?? '', month: parts.month ?? '', hour: parts.hour ?? '0', minute: parts.minute ?? '00' };
}

function optionsFor(q: Question): { id: string; label: string }[] {
  if (q.kind !== 'scale' || !q.scaleLabels) return answerOptions(q);
  return answerOptions(q).map((o) =>
    o.id === '1' ? { id: o.id, label: `1 – ${q.scaleLabels!.low}` } : o.id === '5' ? { id: o.id, label: `5 – ${q.scaleLabels!.high}` } : o);
}

/** The poll as posted in the channel, or the answer form prefilled for a member who changes their answer. */
/** Teams refreshes a card by itself for at most 60 listed members (Universal Actions). */
export const MAX_REFRESH_USERS = 60;

/**
 * The question form. Prefilled with the member's answer (`current`), it says so in its data
 * (`editing`): then an emptied comment field removes the comment; from the blank shared card an
 * empty comment keeps the earlier one. `refreshUserIds` (up to 60 `29:` ids) are the members
 * Teams refreshes the shared card for, each to their own view; everyone else sees this card.
 */
export function questionCard(question: Question, c: CardContext & { count: number; current?: Answer | null; refreshUserIds?: readonly string[]; proposedBy?: { name: string; rkkName: string | null } | null }): Card {
  const q = questionIn(question, c.lang);
  const s = messages(c.lang);
  const cur = c.current;
  const closing = q.closesAt ? ` ${s.closesAt(formatMoment(q.closesAt, c))}` : '';
  const experience = experienceLabels(q);
  const card = fill(questionTemplate, {
    s: messages(c.lang).card,
    lang: c.lang,
    questionId: q.id,
    context: contextLine(q, c),
    proposedBy: c.proposedBy ? s.proposalFrom(c.proposedBy.name, c.proposedBy.rkkName) : '',
    text: q.text,
    kind: q.kind,
    scaleHint: q.kind === 'scale' && q.scaleLabels ? s.scaleHint(q.scaleLabels.low, q.scaleLabels.high) : '',
    options: optionsFor(q),
    allowComment: q.allowComment,
    anonymous: q.anonymous,
    current: { choice: cur?.choices.join(',') ?? '', text: cur?.text ?? '', comment: cur?.comment ?? '', contact: cur?.contact ? 'true' : 'false' },
    contactHint: experience.length ? s.contactHint(s.quotedList(experience)) : '',
    countLabel: `${s.answersSoFar(c.count)}${closing}`,
    submitLabel: cur ? s.card.resubmit : s.card.submit,
    editing: cur ? '1' : '0',
  });
  const ids = (c.refreshUserIds ?? []).slice(0, MAX_REFRESH_USERS);
  if (ids.length) (card.refresh as Record<string, unknown>).userIds = ids;
  return card;
}

/**
 * The card's buttons name the RKK (`rkkId` in their data): from a personal chat, where there is no
 * team, an answer then counts in that RKK, as it would in its channel.
 */
export function withRkk(card: Card, rkkId: string): Card {
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute' && o.data && typeof o.data === 'object') (o.data as Record<string, unknown>).rkkId = rkkId;
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return card;
}

/**
 * The reminder in a member's personal chat (`herinner mij`): the question card under a line saying
 * when it closes, answerable there and counted in their RKK, with a way to stop the reminders.
 */
export function reminderCard(question: Question, c: CardContext & { count: number; rkkId: string; proposedBy?: { name: string; rkkName: string | null } | null }): Card {
  const s = messages(c.lang);
  const card = questionCard(question, c);
  const when = question.closesAt ? formatMoment(question.closesAt, c) : '';
  const body = card.body as unknown[];
  body.splice(1, 0, { type: 'TextBlock', text: s.reminderLine(when, c.rkkName ?? ''), wrap: true, spacing: 'Small', weight: 'Bolder' });
  // Two buttons side by side are cut to "Antwoor…" on a phone: each gets its own row.
  body.push(
    { type: 'ActionSet', actions: card.actions },
    { type: 'ActionSet', separator: true, spacing: 'Medium', actions: [{ type: 'Action.Execute', title: s.remindTurnOff, verb: 'kk.remind', data: { on: false, lang: c.lang } }] },
  );
  delete card.actions;
  return withRkk(card, c.rkkId);
}

/**
 * Two or more buttons side by side are cut on a phone ("Antwoo…", "Toelichtinge…"): each gets a row
 * of its own at the end of the card, in the same order.
 */
export function stackActions(card: Card): Card {
  const actions = card.actions as unknown[] | undefined;
  if (!actions || actions.length < 2) return card;
  (card.body as unknown[]).push(...actions.map((a, i) => ({ type: 'ActionSet', spacing: i === 0 ? 'Medium' : 'Small', actions: [a] })));
  delete card.actions;
  return card;
}

/** A tally's row labels in the language the question is shown in (the rows keep their option ids). */
function tallyIn(t: Tally, shown: Question): Tally {
  const labels = new Map(answerOptions(shown).map((o) => [o.id, o.label]));
  return { ...t, rows: t.rows.map((r) => ({ ...r, label: labels.get(r.optionId) ?? r.label })) };
}

const BAR_WIDTH = 10;
function tallyRows(t: Tally): { label: string; bar: string; figure: string }[] {
  return t.rows.map((r) => {
    const filled = Math.round((r.percent / 100) * BAR_WIDTH);
    return { label: r.label, bar: '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled), figure: `${r.count} (${r.percent}%)` };
  });
}

function tallySummary(q: Question, t: Tally, lang: Lang, totalAcross: number | null): string {
  const s = messages(lang);
  const parts = [s.answers(t.respondents) + (t.comments ? `, ${s.commentsCount(t.comments)}` : '') + '.'];
  if (t.average !== null) parts.push(s.average(t.average));
  if (q.kind === 'open' && t.respondents) parts.push(s.openAnswersOnly(t.respondents));
  if (totalAcross !== null && totalAcross !== t.respondents) parts.push(s.acrossRkks(totalAcross));
  return parts.join(' ');
}

function answerText(q: Question, a: Answer): string {
  if (q.kind === 'open') return a.text ?? '';
  const labels = new Map(optionsFor(q).map((o) => [o.id, o.label]));
  return a.choices.map((c) => labels.get(c) ?? c).join(', ');
}

/** The labels of the options that mean "we did it already", as the question is shown (none on an anonymous question). */
function experienceLabels(q: Question): string[] {
  const ids = experienceOptions(q);
  return q.options.filter((o) => ids.includes(o.id)).map((o) => o.label);
}


/** Colleagues who did it already, on the answered card: the member's consent, or colleagues who gave theirs. */
function experienceParts(q: Question, e: ExperienceView | null | undefined, lang: Lang) {
  const s = messages(lang);
  const none = { consentText: '', consentButton: '', consentNext: 'false', colleaguesIntro: '', colleagues: [] as { line: string; url: string; chat: string }[] };
  const labels = experienceLabels(q);
  if (!e || labels.length === 0) return none;
  const options = s.quotedList(labels);
  if (e.consent !== null) {
    return { ...none, consentText: e.consent ? s.contactGiven : s.contactNotGiven, consentButton: e.consent ? s.contactWithdraw : s.contactAllow, consentNext: e.consent ? 'false' : 'true' };
  }
  return {
    ...none,
    colleaguesIntro: e.colleagues.length ? s.colleaguesIntro(options) : s.colleaguesNone(options),
    colleagues: e.colleagues.map((m) => ({ line: s.colleagueLine(m.name, m.rkkName), url: m.upn ? chatLink(m.upn, s.chatMessage(q.text)) : '', chat: s.card.chat })),
  };
}

/** What a member sees right after answering: their answer, the live tally, a way to change it, and colleagues who did it already. */
export function answeredCard(question: Question, a: Answer, tally: Tally, c: CardContext & { totalAcross: number | null; canChange: boolean; commentKept?: boolean; experience?: ExperienceView | null }): Card {
  const q = questionIn(question, c.lang);
  const t = tallyIn(tally, q);
  const s = messages(c.lang);
  return stackActions(fill(answeredTemplate, {
    ...experienceParts(q, c.experience, c.lang),
    s: messages(c.lang).card,
    lang: c.lang,
    questionId: q.id,
    context: contextLine(q, c),
    text: q.text,
    answerText: answerText(q, a),
    comment: a.comment ?? '',
    commentKept: c.commentKept === true,
    tallyTitle: c.rkkName ? s.tallyIn(c.rkkName) : s.tallyAll,
    rows: tallyRows(t),
    summary: tallySummary(q, t, c.lang, c.totalAcross),
    canChange: c.canChange,
    allowComment: q.allowComment,
  }));
}

/** The weekly "Terugkerende thema's" in RKK Overkoepelend: each theme, where it came back, and the evidence. */
export function themesCard(v: ThemesView, minRkks: number, c: Pick<CardContext, 'lang'>): Card {
  const s = messages(c.lang);
  return fill(themesTemplate, {
    title: s.themesTitle, intro: s.themesIntro(v.weeks, minRkks),
    themes: v.themes.map((t) => ({
      label: t.label,
      where: s.themesWhere(t.rkkNames, t.buildingBlocks.map((b) => THEME_LABELS[b][c.lang])),
      evidence: t.evidence.map((e) => ({ text: clip(e.text, 200), by: s.themesBy(e.rkkName, clip(e.question, 80)), link: e.link ?? '', toThread: s.themesToThread })),
      more: t.more ? s.themesMore(t.more) : '',
      planMoment: s.themesPlanMoment, lang: c.lang,
    })),
  });
}

/** "Uitlichten": the RKK's explanations to choose from for the other regions' digest, or why not now. */
export function highlightCard(v: HighlightView, c: CardContext): Card {
  const s = messages(c.lang);
  const info = (line: string, color?: 'Good' | 'Attention') => infoCard({ title: s.highlightTitle, lines: [line], ...(color ? { color } : {}) });
  switch (v.kind) {
    case 'noRkk': return info(s.highlightNoRkk);
    case 'open': return info(s.highlightOpen);
    case 'none': return info(s.highlightNone);
    case 'sent': return info(s.highlightSent, 'Attention');
    case 'noDigest': return info(s.highlightNoDigest);
    case 'saved': return infoCard({ title: s.highlightSavedTitle, lines: [s.highlightSaved(v.count)], color: 'Good' });
    case 'pick': {
      const q = questionIn(v.question, c.lang);
      return fill(highlightTemplate, {
        s, lang: c.lang, questionId: q.id, text: q.text,
        intro: s.highlightIntro(HIGHLIGHTS_PER_RKK, formatMoment(v.digestAt, c)),
        anonymous: q.anonymous ? s.highlightAnonymous : '',
        tooMany: v.tooMany ? s.highlightTooMany(HIGHLIGHTS_PER_RKK) : '',
        choices: v.items.map((i) => ({ title: clip(i.name ? `${i.name}: ${i.text}` : i.text, 160), value: i.memberKey })),
        chosen: v.chosen.join(','),
      });
    }
  }
}


/** "Ja 40% · Nee 35% · …", or the average of a scale: one line per group, so it wraps on a phone. */
function sharesLine(t: Tally, lang: Lang): string {
  if (t.respondents === 0) return '';
  if (t.average !== null) return messages(lang).average(t.average);
  return t.rows.map((r) => messages(lang).share(r.label, r.percent)).join(' · ');
}

/** What the other regions answered, a while after the close: this RKK beside the others and all of Flanders. */
export function digestCard(question: Question, v: DigestView, c: CardContext): Card {
  const q = questionIn(question, c.lang);
  const s = messages(c.lang);
  const name = (g: DigestView['groups'][number]) =>
    g.kind === 'own' ? s.digestOwn(g.name ?? '') : g.kind === 'others' ? s.digestOthers(g.rkks) : g.kind === 'all' ? s.digestAll : g.name ?? '';
  return fill(digestTemplate, {
    title: s.digestTitle,
    context: contextLine(q, { ...c, rkkName: null }),
    text: q.text,
    intro: s.digestIntro(v.reached),
    groups: v.groups.map((g) => ({
      name: name(g),
      count: s.answers(g.respondents),
      style: g.kind === 'own' ? 'emphasis' : 'default',
      shares: g.tally && q.kind !== 'open' ? sharesLine(tallyIn(g.tally, q), c.lang) : '',
      note: g.tally || g.respondents === 0 ? '' : s.digestWithheld(v.minGroupSize),
    })),
    floorNote: s.digestFloor(v.minGroupSize),
    highlightsTitle: v.highlights.length ? s.digestHighlights : '',
    highlights: v.highlights.map((h) => ({ text: clip(h.text, EXPLANATION_CARD_CHARS), by: h.name ? `${h.name}, ${h.rkkName}` : h.rkkName })),
  });
}

/** Long explanations are cut on cards (the card must stay under Teams' size limit); the tab has them in full. */
export const EXPLANATION_CARD_CHARS = 400;

/** The explanations section of a card (none: no section): a heading, name (not on anonymous questions) and text, and what was left out. */
function explanationsSection(list: ExplanationList | null, c: CardContext, heading: string): Record<string, unknown> {
  const s = messages(c.lang);
  if (!list) return { shown: false, title: '', items: [], note: '' };
  const items = list.items.map((e) => ({
    name: e.name ?? '',
    text: clip(e.text, EXPLANATION_CARD_CHARS),
  }));
  const rest = list.total - items.length;
  return { shown: true, title: heading, items, note: !items.length ? s.explanationsNone : rest > 0 ? s.explanationsMore(rest) : '' };
}

/** "Toelichtingen van collega's": what members of the RKK wrote with their answers. */
export function explanationsCard(question: Question, list: ExplanationList, c: CardContext): Card {
  const q = questionIn(question, c.lang);
  const s = messages(c.lang);
  return fill(explanationsTemplate, {
    s: s.card, lang: c.lang, questionId: q.id, title: s.explanationsTitle, context: contextLine(q, c), text: q.text,
    lead: q.anonymous ? s.explanationsAnonymous : '',
    explanations: explanationsSection(list, c, c.rkkName ? s.explanationsIn(c.rkkName) : s.explanationsAll),
  });
}

/**
 * The results. `explanationsBelow`: the closed poll at the top of the thread, which leaves the
 * explanations to the results reply below it (the thread shows them once) and says so.
 */
export function resultsCard(question: Question, tally: Tally, c: CardContext & { totalAcross: number | null; closed: boolean; explanations?: ExplanationList | null; explanationsBelow?: boolean; highlightable?: boolean }): Card {
  const q = questionIn(question, c.lang);
  const t = tallyIn(tally, q);
  const s = messages(c.lang);
  return fill(resultsTemplate, {
    title: s.resultsTitle,
    context: contextLine(q, c),
    notice: c.closed ? s.closedNotice : '',
    below: c.explanationsBelow ? s.explanationsBelow : '',
    // Moderators choose explanations for the other regions' digest (others are told it is theirs to do).
    highlight: c.highlightable ? s.highlightAction : '',
    questionId: q.id,
    lang: c.lang,
    text: q.text,
    rows: tallyRows(t),
    summary: t.respondents ? tallySummary(q, t, c.lang, c.totalAcross) : c.closed ? s.noAnswersKept : s.noAnswersYet,
    // A question without comments has no section, not an empty one.
    explanations: explanationsSection(q.allowComment ? c.explanations ?? null : null, c, c.rkkName ? s.explanationsIn(c.rkkName) : s.explanationsAll),
  });
}

export type InfoColor = 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';

/**
 * A line of an info card: our own sentence (a string, with our **bold**), or text that someone
 * typed (a question, a comment, a name), which is shown literally: a TextRun renders no markdown.
 */
export type InfoLine = string | { literal: string; bold?: boolean };
/** A heading of ours above text someone typed (shown literally). */
export interface InfoEntry { heading: string; body: string }

/** A button on an info card: a card verb with its data. */
export interface InfoAction { title: string; verb: string; data: Record<string, unknown> }

export function infoCard(info: {
  title: string; lines?: InfoLine[]; facts?: { title: string; value: string }[]; entries?: InfoEntry[]; footer?: string; color?: InfoColor;
  actions?: InfoAction[];
  /** One choice for the buttons to send (`id` in their data), shown above the footer. */
  choice?: { id: string; label: string; choices: { title: string; value: string }[] };
}): Card {
  const card = fill(infoTemplate, {
    title: info.title,
    lines: (info.lines ?? []).map((l) => (typeof l === 'string'
      ? { text: l, literal: false, weight: 'Default' }
      : { text: l.literal, literal: true, weight: l.bold ? 'Bolder' : 'Default' })),
    facts: info.facts ?? [],
    entries: info.entries ?? [],
    footer: info.footer ?? '',
    color: info.color ?? 'Accent',
    actions: info.actions ?? [],
  });
  if (!(card.actions as unknown[] | undefined)?.length) delete card.actions;
  if (info.choice) {
    const body = card.body as unknown[];
    const input = { type: 'Input.ChoiceSet', id: info.choice.id, label: info.choice.label, isRequired: true, errorMessage: info.choice.label, style: 'expanded', value: info.choice.choices[0]?.value ?? '', choices: info.choice.choices, spacing: 'Medium' };
    body.splice(info.footer ? body.length - 1 : body.length, 0, input);
  }
  return card;
}

/** What the option fields show: at least this many, and one empty field after the last filled one. */
const SHOWN_OPTIONS = 4;

/** The plan form: empty, or filled again with what was sent and each problem under its field. */
/**
 * The `plan` form; with `proposal`, the `stel voor` form a member sends: the same fields without
 * the week and the settings only moderators choose, and whether the card may name them.
 */
export function planCard(c: { lang: Lang; timeZone: string; facts: PlanFormFacts; values?: PlanInput; problems?: readonly PlanProblem[]; proposal?: { showName: boolean } }): Card {
  const m = messages(c.lang);
  const v = c.values;
  const examples = m.planOptionExamples;
  const fields = Array.from({ length: LIMITS.optionsMax }, (_, i) => ({
    id: `option${i + 1}`, label: m.planOption(i + 1), placeholder: examples[i] ?? m.planOptionMore, maxLength: LIMITS.optionMax, value: v?.options[i] ?? '',
  }));
  const shown = Math.max(SHOWN_OPTIONS, (v?.options.length ?? 0) + 1);
  const slot = zonedParts(c.facts.sampleSlot, c);
  return fill(planTemplate, {
    lang: c.lang,
    s: m.card,
    proposal: Boolean(c.proposal),
    title: c.proposal ? m.card.proposeTitle : m.card.planTitle,
    submitTitle: c.proposal ? m.card.proposeSend : m.card.planPreviewButton,
    verb: c.proposal ? 'kk.propose' : 'kk.planPreview',
    limits: LIMITS,
    textError: m.planTextError(LIMITS),
    optionsHint: m.planOptionsHint(LIMITS),
    dateHint: m.planDateHint(slot),
    today: c.facts.today,
    hasErrors: (c.problems?.length ?? 0) > 0,
    errors: planErrors(c.problems ?? [], c.lang),
    values: {
      text: v?.text ?? '', kind: v?.kind || 'single', theme: v?.theme ?? '', date: v?.date ?? '',
      scaleLow: v?.scaleLow ?? '', scaleHigh: v?.scaleHigh ?? '', anonymous: String(v?.anonymous ?? false), comment: String(v?.comment ?? true),
      showName: String(c.proposal?.showName ?? true),
    },
    experience: (v?.experience ?? []).filter((n) => n <= (v?.options.length ?? 0)).join(','),
    // The options shown at first: a blank form has no labels yet, and ten boxes would crowd it.
    experienceChoices: fields.slice(0, shown).map((f, i) => ({ value: String(i + 1), title: f.value ? m.planExperienceChoice(i + 1, f.value) : f.label })),
    shownOptions: fields.slice(0, shown),
    moreOptions: fields.slice(shown),
    kinds: Object.entries(m.kinds).map(([value, title]) => ({ value, title })),
    themes: THEMES.map((t) => ({ value: t, title: THEME_LABELS[t][c.lang] })),
  });
}

/** Each field's problems as sentences ('' for a field without any). */
function planErrors(problems: readonly PlanProblem[], lang: Lang): Record<PlanField, string> {
  const e = messages(lang).planErrors;
  const sentence = (p: PlanProblem): string => {
    switch (p.code) {
      case 'length': return p.length === 0 ? messages(lang).planTextError(LIMITS)
        : p.length < LIMITS.questionMin ? messages(lang).planTextShort(p.length, LIMITS) : messages(lang).planTextLong(p.length, LIMITS);
      case 'choose': return p.field === 'kind' ? e.kindChoose : e.themeChoose;
      case 'count': return e.optionsCount(p.count, LIMITS);
      case 'duplicate': return e.optionDuplicate(p.option);
      case 'tooLong': return p.field === 'options' ? e.optionTooLong(LIMITS) : e.scaleTooLong(LIMITS);
      case 'both': return e.scaleBoth;
      case 'anonymous': return e.experienceAnonymous;
      case 'empty': return e.experienceEmpty;
      case 'all': return e.experienceAll;
      case 'invalid': return e.dateInvalid;
      case 'past': return e.datePast;
    }
  };
  const byField: Record<PlanField, string[]> = { text: [], kind: [], options: [], experience: [], scale: [], theme: [], date: [] };
  for (const p of problems) byField[p.field].push(sentence(p));
  return Object.fromEntries(Object.entries(byField).map(([f, list]) => [f, list.join(' ')])) as Record<PlanField, string>;
}

/** "week 50 (7–13 december)" */
export function weekDatesLabel(span: { week: string; from: Date; to: Date }, c: Pick<CardContext, 'lang' | 'timeZone'> & { thisYear?: number }): string {
  const d = formatWeekDates(span.from, span.to, c);
  return messages(c.lang).weekWithDates(Number(span.week.slice(6)), d.from, d.to);
}

/** When a planned question goes out: "maandag 7 december, 9.00 uur (week 50)", "meteen: …", or its place in the queue. */
export function planWhen(d: PlanDraft, c: Pick<CardContext, 'lang' | 'timeZone'>): string {
  const m = messages(c.lang);
  if (!d.span || !d.question.publishAt) return m.previewQueue(d.queuePosition ?? 1);
  if (d.immediate) return m.previewImmediate(weekDatesLabel(d.span, c));
  return `${formatMoment(d.question.publishAt, c)} (${m.week(Number(d.span.week.slice(6)))})`;
}

/**
 * The plan form's second step: the question card exactly as members will get it, what will happen
 * (when, until when, for whom), and "Vraag plannen" or "Aanpassen". Its buttons carry the form as it
 * was sent (nothing is stored yet) and gather no inputs: the sample card's fields are only to look at.
 */
export function planPreviewCard(d: PlanDraft, form: PlanInput, c: CardContext): Card {
  const m = messages(c.lang);
  const facts = [
    { title: m.card.previewWhen, value: planWhen(d, c) },
    ...(d.question.closesAt ? [{ title: m.card.previewCloses, value: formatMoment(d.question.closesAt, c) }] : []),
    { title: m.card.previewFor, value: d.forRkk ?? m.previewAllRkks },
  ];
  const plan = { ...planFields(form), id: d.question.id };
  const card = fill(planPreviewTemplate, { s: m.card, lang: c.lang, facts, plan });
  const sample = questionCard(d.question, { ...c, rkkName: d.forRkk, count: 0 });
  (card.body as Record<string, unknown>[]).find((e) => e.id === 'preview')!.items = sample.body;
  return checkCardSize(card);
}

/** The form's values as the card's fields name them, to send back with a button. */
export function planFields(form: PlanInput): Record<string, string> {
  return {
    text: form.text, kind: form.kind, theme: form.theme, date: form.date, scaleLow: form.scaleLow, scaleHigh: form.scaleHigh,
    anonymous: String(form.anonymous), comment: String(form.comment),
    ...Object.fromEntries(form.options.map((o, i) => [`option${i + 1}`, o])),
    experience: (form.experience ?? []).join(','),
  };
}

/** The knowledge-moment form: empty (from the themes card), or filled again with each problem under its field. */
export function momentFormCard(v: Extract<MomentView, { kind: 'form' }>, c: Pick<CardContext, 'lang'>): Card {
  const s = messages(c.lang);
  const e = s.momentErrors;
  const L = MOMENT_LIMITS;
  const errors: Record<MomentField, string[]> = { title: [], when: [], where: [], description: [] };
  for (const p of v.problems) {
    switch (p.code) {
      case 'length': errors.title.push(e.titleLength(p.length, L.titleMin, L.titleMax)); break;
      case 'invalid': errors.when.push(e.whenInvalid); break;
      case 'past': errors.when.push(e.whenPast); break;
      case 'missing': errors.where.push(e.whereMissing); break;
      case 'link': errors.where.push(e.whereLink); break;
      case 'tooLong': (p.field === 'where' ? errors.where : errors.description).push(p.field === 'where' ? e.whereTooLong(L.whereMax) : e.descriptionTooLong(L.descriptionMax)); break;
    }
  }
  return fill(momentFormTemplate, {
    s, lang: c.lang, limits: L, today: v.today, hasErrors: v.problems.length > 0,
    titleHint: e.titleLength(0, L.titleMin, L.titleMax),
    themeLine: v.values.theme ? s.momentFormTheme(v.values.theme) : '',
    errors: Object.fromEntries(Object.entries(errors).map(([k, list]) => [k, list.join(' ')])),
    values: { ...v.values, id: v.values.id ?? '' },
  });
}

/** A knowledge moment as announced in every RKK's channel (and updated there when it changes). */
export function momentCard(m: Moment, c: Pick<CardContext, 'lang' | 'timeZone'> & { changed: boolean }): Card {
  const s = messages(c.lang);
  const link = isLink(m.where) ? m.where : '';
  return fill(momentTemplate, {
    s, title: m.title, when: formatMoment(m.startsAt, c), where: link ? s.momentJoinOnline : m.where, link,
    description: m.description, why: m.theme ? s.momentWhy(m.theme) : '', changed: c.changed,
  });
}

/** The approval card administrators get for a question for all regions; once decided, it says so (and takes no input). */
export function askApprovalCard(v: DecisionView, c: Pick<CardContext, 'lang' | 'timeZone'>): Card {
  const s = messages(c.lang);
  if (v.kind === 'gone') return infoCard({ title: s.askApproveTitle, lines: [s.askGone] });
  if (v.kind === 'noHub') return infoCard({ title: s.askApproveTitle, lines: [s.askNoHub], color: 'Attention' });
  const { ask, rkkName } = v.item;
  const problem = v.kind === 'pending' ? v.problem : undefined;
  const decided = ask.state === 'approved' ? s.askApproved(ask.decidedByName ?? '') : ask.state === 'rejected' ? s.askRejected(ask.decidedByName ?? '', ask.reason ?? '') : '';
  return fill(askApprovalTemplate, {
    s, lang: c.lang, limits: ASK_LIMITS, askId: ask.id, text: ask.text, from: `${s.askFrom(ask.askerName || ask.askerKey, rkkName)} · ${formatMoment(ask.createdAt, c)}`,
    decided, decidedColor: ask.state === 'approved' ? 'Good' : 'Attention',
    textError: problem?.code === 'length' ? s.askTooShort(problem.length, ASK_LIMITS.textMin, ASK_LIMITS.textMax) : '',
    reasonError: problem?.code === 'reason' ? s.askReasonNeeded(ASK_LIMITS.reasonMin) : '',
  });
}

/** A proposed question's kind, options and theme on one line: "Eén keuze: Ja · Gedeeltelijk — Strategie en samenwerking" (kind: options — theme). */
function proposalShape(p: Proposal, lang: Lang): string {
  const m = messages(lang);
  const scale = p.draft.scale ? m.scaleHint(p.draft.scale.low, p.draft.scale.high) : '';
  const options = p.draft.options.length ? `: ${p.draft.options.join(' · ')}` : scale ? ` (${scale})` : '';
  return `${m.kinds[p.draft.kind]}${options} — ${THEME_LABELS[p.draft.theme][lang]}`;
}

/**
 * A moderator's (or administrator's) approval card for a proposed question, in their personal
 * chat: the text to edit, what kind of question it is, a reason to reject with; once decided, the decision.
 */
export function proposalApprovalCard(v: ProposalDecisionView, c: Pick<CardContext, 'lang' | 'timeZone'>): Card {
  const s = messages(c.lang);
  if (v.kind === 'gone') return infoCard({ title: s.proposalTitle, lines: [s.proposalGone] });
  const { proposal: p, rkkName } = v.item;
  if (v.kind === 'notYours') return infoCard({ title: s.proposalTitle, lines: [s.proposalNotYours], color: 'Attention' });
  const problems = v.kind === 'pending' ? v.problems ?? [] : [];
  const planProblems = problems.filter((x): x is PlanProblem => 'field' in x);
  const decided = p.state === 'approved' ? s.proposalApproved(p.decidedByName ?? '') : p.state === 'rejected' ? s.proposalRejected(p.decidedByName ?? '', p.reason ?? '') : '';
  return fill(proposalApprovalTemplate, {
    s: s.card, lang: c.lang, limits: { ...LIMITS, ...PROPOSAL_LIMITS }, proposalId: p.id, title: s.proposalTitle, approve: s.proposalApprove, reject: s.proposalReject,
    text: p.draft.text, from: `${s.proposalFrom(p.proposerName || p.proposerKey, rkkName)} · ${formatMoment(p.createdAt, c)}`,
    shape: proposalShape(p, c.lang), hidden: p.showName ? '' : s.proposalNameHidden,
    decided, decidedColor: p.state === 'approved' ? 'Good' : 'Attention',
    textError: planProblems.length ? Object.values(planErrors(planProblems, c.lang)).filter(Boolean).join(' ') : '',
    reasonError: problems.some((x) => 'code' in x && x.code === 'reason' && !('field' in x)) ? s.askReasonNeeded(PROPOSAL_LIMITS.reasonMin) : '',
  });
}

/** The proposer hears the decision in their personal chat. */
export function proposedCard(p: Proposal, c: Pick<CardContext, 'lang'>): Card {
  const s = messages(c.lang);
  const approved = p.state === 'approved';
  return infoCard({
    title: s.proposedTitle, color: approved ? 'Good' : 'Attention',
    lines: [{ literal: p.draft.text, bold: true }, approved ? s.proposedApproved : { literal: s.proposedRejected(p.reason ?? '') }],
  });
}

/** The question for all regions as a thread in RKK Overkoepelend, naming the asker and their RKK. */
export function askThreadCard(ask: Ask, rkkName: string | null, c: Pick<CardContext, 'lang'>): Card {
  const s = messages(c.lang);
  return infoCard({ title: s.askTitle, lines: [{ literal: ask.text, bold: true }, { literal: s.askThreadBy(ask.askerName || ask.askerKey, rkkName) }], footer: s.askThreadHint });
}

/** The asker hears the administrator's decision in their personal chat. */
export function askDecidedCard(ask: Ask, c: Pick<CardContext, 'lang'>): Card {
  const s = messages(c.lang);
  const approved = ask.state === 'approved';
  return infoCard({
    title: s.askDecidedTitle, color: approved ? 'Good' : 'Attention',
    lines: [{ literal: ask.text, bold: true }, approved ? s.askDecidedApproved : { literal: s.askDecidedRejected(ask.reason ?? '') }],
  });
}

/** Replies to the asker's question: the first ones, or those since the last message (at most once a day). */
export function askRepliesCard(v: { ask: Ask; first: boolean; fresh: readonly { authorName: string; rkkName: string | null; text: string }[]; link: string | null }, c: Pick<CardContext, 'lang'>): Card {
  const s = messages(c.lang);
  const shown = v.fresh.slice(0, 3);
  const card = infoCard({
    title: s.askRepliesTitle,
    lines: [{ literal: clip(v.ask.text, 200), bold: true }, v.first ? s.askRepliesFirst(v.fresh.length) : s.askRepliesSince(v.fresh.length)],
    entries: shown.map((r) => ({ heading: r.rkkName ? `${r.authorName} (${r.rkkName})` : r.authorName, body: clip(r.text, 300) })),
    ...(v.fresh.length > shown.length ? { footer: s.askRepliesMore(v.fresh.length - shown.length) } : {}),
  });
  if (v.link) card.actions = [{ type: 'Action.OpenUrl', title: s.askToThread, url: v.link }];
  return checkCardSize(card);
}

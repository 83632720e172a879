import type { Activity } from 'botbuilder';
import { distance } from 'fastest-levenshtein';
import type { Route, Turn } from './router';
import { actorOf, isFromBot, isPersonal, memberOf, mentionsBot, plainText } from './activity';
import { askApprovalCard, formatMoment, infoCard, planCard, stackActions, weekDatesLabel, type Card, type InfoAction, type InfoLine } from '../cards/render';
import { chooseLang, messages, type Lang } from '../messages';
import { replyCard } from './reply';
import { storeThreadComment } from './threadReplies';
import { questionViewCard, type RenderContext } from './views';
import type { InputOf, OperationName, ViewOf } from '../services/app';
import { ASK_LIMITS } from '../domain/ask';
import { clip } from '../domain/text';

/** `more`: further cards, each sent after the first (a list of approval cards). */
interface Reply { card: Card; summary: string; more?: Card[] }

const info = (title: string, lines: InfoLine[], extra: Omit<Parameters<typeof infoCard>[0], 'title' | 'lines'> = {}): Reply =>
  ({ card: infoCard({ title, lines, ...extra }), summary: title });

const cancel = (lang: Lang): InfoAction => ({ title: messages(lang).cancel, verb: 'kk.cancel', data: { lang } });
const weekLabel = (week: string, r: RenderContext) => messages(r.lang).week(Number(week.slice(6)));

/** `publiceer`: first what will happen (with Bevestigen), then what happened. */
export function publishReply(view: ViewOf<'publish'>, r: RenderContext): Reply {
  const t = messages(r.lang);
  switch (view.kind) {
    case 'noRkk': return info(t.publishTitle, [t.noRkk], { color: 'Attention' });
    case 'changed': return info(t.publishTitle, [t.publishChanged], { color: 'Attention' });
    case 'nothing': {
      if (!view.next) return info(t.publishTitle, [t.nothingToPost], { color: 'Attention' });
      return info(t.publishTitle, [t.nothingThisWeek, t.nextIs(weekLabel(view.next.week, r)), { literal: view.next.question.text, bold: true }], {
        actions: [{ title: t.postNextNow, verb: 'kk.publish', data: { next: true, lang: r.lang } }, cancel(r.lang)],
      });
    }
    case 'confirm':
      return info(t.publishConfirmTitle, [{ literal: view.question.text, bold: true }, ...(view.next ? [t.publishEarly(weekLabel(view.week, r))] : []),
        { literal: t.publishConfirmTo(view.rkkNames) }], {
        actions: [{ title: t.confirm, verb: 'kk.publish', data: { questionId: view.question.id, week: view.week, next: view.next, lang: r.lang } }, cancel(r.lang)],
      });
    case 'posted':
      return info(t.postedTitle, [{ literal: view.question.text, bold: true }, t.posted(view.sent, view.failed, view.waiting)], { color: 'Good' });
  }
}

/** `sluit`: first what will happen (with Bevestigen), then what happened. */
export function closeReply(view: ViewOf<'close'>, r: RenderContext): Reply {
  const t = messages(r.lang);
  switch (view.kind) {
    case 'none': return info(t.closedTitle, [t.noCurrentQuestion], { color: 'Attention' });
    case 'notOwn': return info(t.closedTitle, [t.closeNotOwn], { color: 'Attention' });
    case 'changed': return info(t.closedTitle, [t.closeChanged], { color: 'Attention' });
    case 'confirm':
      return info(t.closeConfirmTitle, [{ literal: view.question.text, bold: true }, { literal: t.closeConfirmTo(view.rkkNames) }], {
        actions: [{ title: t.confirm, verb: 'kk.close', data: { questionId: view.question.id, lang: r.lang } }, cancel(r.lang)],
      });
    case 'closed':
      return info(t.closedTitle, [{ literal: view.question.text, bold: true }, t.closed(view.reached)], { color: 'Good' });
  }
}

/** `vragen`, one page: each question with its week as dates, its state or place in the queue; a button to the next page. */
export function upcomingReply(view: ViewOf<'upcoming'>, r: RenderContext): Reply {
  const t = messages(r.lang);
  if (!view.total) return info(t.upcomingTitle, [t.upcomingEmpty]);
  const when = (e: ViewOf<'upcoming'>['entries'][number]) => {
    if (!e.week || !e.from || !e.to) return '';
    return weekDatesLabel({ week: e.week, from: e.from, to: e.to }, { ...r, thisYear: view.thisYear });
  };
  const entries = view.entries.map((e) => ({
    // Each line starts with its week, so the list reads as a calendar.
    heading: e.queuePosition === null ? `${when(e)} · ${t.stateLabel[e.state]}` : e.week ? `${when(e)} · ${t.expectedQueued(e.queuePosition)}` : t.queuedAt(e.queuePosition),
    body: e.question.text,
  }));
  const actions: InfoAction[] = view.remaining > 0
    ? [{ title: t.nextPage, verb: 'kk.upcoming', data: { page: view.page + 1, lang: r.lang } }]
    : view.page > 1 ? [{ title: t.firstPage, verb: 'kk.upcoming', data: { page: 1, lang: r.lang } }] : [];
  const footer = view.pages > 1 ? t.upcomingPage(view.page, view.pages, view.total, view.remaining) : '';
  return info(t.upcomingTitle, [], { entries, footer, actions });
}

/** `herinner mij` and its buttons: whether reminders are on now, with the button that switches them the other way. */
export function remindReply(view: ViewOf<'reminders'>, r: RenderContext): Reply {
  const t = messages(r.lang);
  const turn = (on: boolean): InfoAction => ({ title: on ? t.remindTurnOn : t.remindTurnOff, verb: 'kk.remind', data: { on, lang: r.lang } });
  switch (view.kind) {
    case 'disabled': return info(t.remindTitle, [t.remindDisabled], { color: 'Attention' });
    case 'noRkk': return info(t.remindTitle, [t.remindNoRkk], { color: 'Attention' });
    case 'pick':
      // RKK names are the moderators' own: shown as they typed them.
      return info(t.remindTitle, [], { choice: { id: 'rkkId', label: t.remindPick, choices: view.rkks.map((k) => ({ title: k.name, value: k.id })) }, actions: [turn(true)] });
    case 'on':
      return info(t.remindTitle, [{ literal: t.remindOn(view.rkkName, view.hours) }, ...(view.already ? [t.remindAlreadyOn] : []), t.remindChat], { color: 'Good', actions: [turn(false)] });
    case 'off':
      return info(t.remindTitle, [view.already ? t.remindAlreadyOff : t.remindOff], { color: view.already ? 'Accent' : 'Good', actions: [turn(true)] });
  }
}

/** `mijn gegevens`: everything stored about the member, with the switch for reminders. */
export function myDataReply(view: ViewOf<'myData'>, { lang, timeZone }: RenderContext): Reply {
  const t = messages(lang);
  const when = (d: Date) => formatMoment(d, { lang, timeZone });
  const m = view.member;
  // Everything here was typed by the member (or names them): shown literally.
  const entries = [
    { heading: t.dataWho, body: `${m.name || '—'} (${m.aadObjectId ?? m.teamsUserId})` },
    ...view.answers.map((a) => ({ heading: `${t.dataAnswer} · ${when(a.at)}`, body: `${a.question}\n→ ${a.value}${a.comment ? `\n${t.dataComment}: ${a.comment}` : ''}` })),
    ...view.replies.map((c) => ({ heading: `${t.dataReply} · ${when(c.at)}${c.deleted ? ` (${t.dataDeleted})` : ''}`, body: c.text })),
    ...view.asks.map((a) => ({ heading: `${t.askTitle} · ${when(a.at)} (${t.dataAskState[a.state]})`, body: a.text })),
    ...view.proposals.map((p) => ({ heading: `${t.proposedTitle} · ${when(p.at)} (${t.dataAskState[p.state]})`, body: p.text })),
    ...view.contacts.map((k) => ({ heading: t.dataContact, body: t.dataContactBody(k.question, k.option) })),
  ];
  const rem = view.reminder;
  const lines: InfoLine[] = [
    t.dataIntro(view.answers.length, view.replies.length), ...(view.asks.length ? [t.dataAsks(view.asks.length)] : []),
    ...(view.answers.length + view.replies.length + view.asks.length + view.proposals.length === 0 && !rem ? [t.dataNothing] : []),
    rem ? { literal: t.dataRemindersOn(rem.rkkName) } : t.dataRemindersOff,
    ...(rem?.failedAt ? [t.remindFailed(when(rem.failedAt))] : []),
  ];
  // The member card switches reminders, as `herinner mij` does.
  const toggle: InfoAction = { title: rem ? t.remindTurnOff : t.remindTurnOn, verb: 'kk.remind', data: { on: !rem, lang } };
  // Each consent to be contacted can be withdrawn here, as on the answer card.
  const withdraw: InfoAction[] = view.contacts.map((k) => ({ title: t.dataContactWithdraw(view.contacts.length > 1 ? clip(k.question, 24) : null), verb: 'kk.contactMyData', data: { questionId: k.questionId, on: false, lang } }));
  const reply = info(t.dataTitle, lines, { entries, footer: t.dataFooter, actions: [toggle, ...withdraw] });
  return { ...reply, card: stackActions(reply.card) };
}

/** What switches reminders off after `herinner mij` / `remind me`. */
const REMIND_OFF = /^(niet|nooit|uit|af|stop|off|not|never|no)\b/i;

/** One typed command: its words, the operation it asks for, how its arguments are read and its answer shown. */
interface Command<K extends OperationName> {
  names: readonly string[];
  operation: K;
  input(args: string): InputOf<K>;
  render(view: ViewOf<K>, r: RenderContext): Reply;
}
type AnyCommand = { [K in OperationName]: Command<K> }[OperationName];
const none = (): void => undefined;

const COMMANDS: readonly AnyCommand[] = [
  {
    names: ['help', 'hulp', '?'], operation: 'help', input: none,
    render({ level }, { lang }) {
      const t = messages(lang);
      const more = level === 'admin' ? [...t.helpModerator, ...t.helpAdmin] : level === 'moderator' ? t.helpModerator : [];
      return info(t.helpTitle, [t.helpIntro], { facts: [...t.helpMember, ...more], footer: t.helpFooter });
    },
  },
  {
    names: ['vraag', 'question'], operation: 'question', input: none,
    render(view, r) {
      if (view.kind !== 'none') return { card: questionViewCard(view, r), summary: view.question.text };
      const t = messages(r.lang);
      return info(t.card.title, [t.noCurrentQuestion, ...(view.nextPostAt ? [t.nextQuestionAt(formatMoment(view.nextPostAt, r))] : [])]);
    },
  },
  {
    names: ['resultaten', 'results', 'uitslag'], operation: 'results', input: none,
    render: (view, r) => (view ? { card: questionViewCard(view, r), summary: view.question.text } : info(messages(r.lang).card.title, [messages(r.lang).noQuestionAtAll])),
  },
  {
    names: ['vragen', 'questions', 'planning'], operation: 'upcoming', input: (args) => Number(args.trim()) || 1,
    render: (view, r) => upcomingReply(view, r),
  },
  {
    names: ['plan', 'nieuw', 'new'], operation: 'planForm', input: none,
    render: (facts, { lang, timeZone }) => ({ card: planCard({ lang, timeZone, facts }), summary: 'plan' }),
  },
  {
    names: ['publiceer', 'post', 'posten', 'publish'], operation: 'publish', input: () => ({}),
    render: (view, r) => publishReply(view, r),
  },
  {
    names: ['sluit', 'close', 'sluiten'], operation: 'close', input: () => null,
    render: (view, r) => closeReply(view, r),
  },
  {
    names: ['status', 'stand'], operation: 'status', input: none,
    render(view, { lang, timeZone }) {
      const t = messages(lang);
      const moment = (d: Date | null) => (d ? formatMoment(d, { lang, timeZone }) : t.never);
      // Instance ids are ours, shown literally all the same.
      const facts: { title: string; value: string }[] = [
        { title: t.statusLeader, value: view.leader ? t.leaderSince(view.leader.holder, moment(view.leader.since), view.leader.self) : t.never },
        { title: t.statusInstances, value: String(view.instances) },
      ];
      const s = view.sync;
      if (!s) return info(t.statusTitle, [t.syncOff(view.waiting)], { facts });
      facts.push(
        { title: t.statusPending, value: String(s.pending) },
        { title: t.statusParked, value: String(s.parked) },
        { title: t.statusLastSync, value: moment(s.lastSuccessAt) },
        ...(s.pausedUntil ? [{ title: t.statusPaused, value: moment(s.pausedUntil) }] : []),
      );
      // Error texts come from SharePoint and keys from members' ids: shown literally.
      const entries = [
        ...(s.lastError ? [{ heading: t.statusLastError, body: s.lastError }] : []),
        ...view.parked.map((p) => ({ heading: p.record, body: p.error })),
      ];
      return info(t.statusTitle, s.parked ? [t.statusParkedHint] : [], { facts, entries, color: s.parked ? 'Attention' : 'Accent' });
    },
  },
  {
    names: ['opnieuw', 'retry'], operation: 'retryParked', input: none,
    render(view, { lang }) {
      const t = messages(lang);
      return view.kind === 'syncOff' ? info(t.statusTitle, [t.syncOff(view.waiting)]) : info(t.statusTitle, [t.retried(view.records)], { color: 'Good' });
    },
  },
  {
    names: ['mijn', 'gegevens', 'my', 'mydata', 'privacy'], operation: 'myData', input: none,
    render: myDataReply,
  },
  {
    names: ['wis', 'erase'], operation: 'erase', input: (args) => args.trim().split(/\s+/)[0] ?? '',
    render(view, { lang }) {
      const t = messages(lang);
      if (view.kind === 'usage') return info(t.eraseTitle, [t.eraseUsage], { color: 'Attention' });
      return info(t.eraseTitle, [t.erased(view.who, view.answers, view.comments)], { color: 'Good' });
    },
  },
  {
    // `overkoepelend uit` / `overarching off` undoes it.
    names: ['overkoepelend', 'overarching'], operation: 'overarching', input: (args) => !['uit', 'weg', 'off', 'no', 'remove'].includes(args.trim().toLowerCase()),
    render(view, { lang }) {
      const t = messages(lang);
      if (view.kind === 'notInChannel') return info(t.overarchingTitle, [t.overarchingInChannel], { color: 'Attention' });
      const line = { set: t.overarchingSet, unset: t.overarchingUnset, already: t.overarchingAlready, notSet: t.overarchingNotSet }[view.kind](view.rkkName);
      return info(t.overarchingTitle, [{ literal: line }], { color: view.kind === 'set' || view.kind === 'unset' ? 'Good' : 'Accent' });
    },
  },
  {
    names: ['taal', 'language'], operation: 'language', input: (args) => args,
    render(view, { lang }) {
      const t = messages(lang);
      if (view.kind === 'notInChannel') return info(t.languageTitle, [t.languageInChannel], { color: 'Attention' });
      const line = view.kind === 'set' ? t.languageSet(view.rkkName, t.languageNames[view.lang]) : t.languageCurrent(view.rkkName, t.languageNames[view.lang]);
      return info(t.languageTitle, [{ literal: line }, ...(view.kind === 'set' ? [] : [t.languageUsage])], { color: view.kind === 'usage' ? 'Attention' : view.kind === 'set' ? 'Good' : 'Accent' });
    },
  },
  {
    names: ['moderator', 'moderators'], operation: 'moderators',
    input(args) {
      const [first = '', second = ''] = args.trim().split(/\s+/);
      const removing = ['weg', 'remove', 'verwijder'].includes(first.toLowerCase());
      const who = removing ? second : first;
      return who ? { action: removing ? 'remove' : 'add', who } : { action: 'list' };
    },
    render(view, { lang }) {
      const t = messages(lang);
      switch (view.kind) {
        case 'notInChannel': return info(t.moderatorTitle, [t.moderatorInChannel], { color: 'Attention' });
        case 'usage': return info(t.moderatorTitle, [t.moderatorUsage], { color: 'Attention' });
        case 'list': return info(t.moderatorTitle, [{ literal: t.moderatorList(view.rkkName, view.moderators) }]);
        case 'added': return info(t.moderatorTitle, [{ literal: t.moderatorAdded(view.who, view.rkkName) }], { color: 'Good' });
        case 'removed': return info(t.moderatorTitle, [{ literal: t.moderatorRemoved(view.who, view.rkkName) }], { color: 'Good' });
      }
    },
  },
  {
    // Typed as a phrase: `vraag aan alle regio's <tekst>` / `ask all regions <text>` (see PHRASES).
    names: ['regiovraag'], operation: 'askAllRegions', input: (args) => args,
    render(view, { lang }) {
      const t = messages(lang);
      switch (view.kind) {
        case 'usage': return info(t.askTitle, [t.askUsage], { color: 'Attention' });
        case 'invalid': return info(t.askTitle, [t.askTooShort(view.problem.length, ASK_LIMITS.textMin, ASK_LIMITS.textMax)], { color: 'Attention' });
        case 'noHub': return info(t.askTitle, [t.askNoHub], { color: 'Attention' });
        case 'sent': return info(t.askTitle, [{ literal: view.ask.text, bold: true }, t.askSent], { color: 'Good' });
      }
    },
  },
  {
    // `stel voor` is a phrase (see PHRASES); `propose` a word.
    names: ['propose', 'voorstel'], operation: 'proposeForm', input: none,
    render: (facts, { lang, timeZone }) => ({ card: planCard({ lang, timeZone, facts, proposal: { showName: true } }), summary: messages(lang).card.proposeTitle }),
  },
  {
    // Typed as a phrase: `herinner mij` / `remind me`, and `herinner mij niet` / `remind me off` (see PHRASES).
    names: ['herinner'], operation: 'reminders', input: (args) => ({ on: !REMIND_OFF.test(args.trim()) }),
    render: (view, r) => remindReply(view, r),
  },
  {
    names: ['regiovragen'], operation: 'pendingAsks', input: none,
    render(view, r) {
      const t = messages(r.lang);
      if (!view.items.length) return info(t.askPendingTitle, [t.askPendingNone]);
      // Each waiting question as its own approval card, the oldest first: decided there, like the card in the personal chat.
      const [first, ...more] = view.items.map((item) => askApprovalCard({ kind: 'pending', item }, r));
      return { card: first!, summary: t.askPendingTitle, more };
    },
  },
];

/** Commands of several words, matched before the first word is looked up ("vraag" alone is this week's question). */
const PHRASES: readonly { re: RegExp; name: string; lang: Lang }[] = [
  { re: /^vraag\s+aan\s+alle\s+regio['’]?s\b[:,]?\s*/i, name: 'regiovraag', lang: 'nl' },
  { re: /^ask\s+all\s+regions\b[:,]?\s*/i, name: 'regiovraag', lang: 'en' },
  { re: /^region\s+questions\s*$/i, name: 'regiovragen', lang: 'en' },
  { re: /^stel\s+(een\s+)?(vraag\s+)?voor\s*$/i, name: 'voorstel', lang: 'nl' },
  { re: /^herinner\s+(mij|me)\b[:,]?\s*/i, name: 'herinner', lang: 'nl' },
  { re: /^remind\s+me\b[:,]?\s*/i, name: 'herinner', lang: 'en' },
];

const byName = new Map(COMMANDS.flatMap((c) => c.names.map((n) => [n, c] as const)));

/** The language a command word was typed in answers it; words that are the same in both languages leave it to the RKK. */
const ENGLISH_WORDS = new Set(['help', 'propose', 'question', 'results', 'questions', 'new', 'post', 'publish', 'close', 'retry', 'my', 'mydata', 'erase', 'language', 'overarching']);
const EITHER_LANGUAGE = new Set(['?', 'plan', 'status', 'moderator', 'moderators', 'privacy']);
const typedIn = (word: string): Lang | null => (ENGLISH_WORDS.has(word) ? 'en' : EITHER_LANGUAGE.has(word) || !byName.has(word) ? null : 'nl');

async function runCommand<K extends OperationName>(turn: Turn, command: Command<K>, args: string, typed: Lang | null): Promise<Reply> {
  const a = turn.ctx.activity;
  const outcome = await turn.deps.services.perform(command.operation, actorOf(a), command.input(args), turn.log);
  const lang = chooseLang({ typed, rkk: outcome.rkkLang });
  if (!outcome.allowed) {
    const t = messages(lang);
    return info(t.helpTitle, [outcome.role === 'moderator' ? t.notModerator : t.notAdmin], { color: 'Attention' });
  }
  turn.log.info({ command: command.names[0] }, 'command');
  return command.render(outcome.view, { lang, timeZone: turn.deps.timeZone, rkkName: outcome.rkkName });
}

/** What people type that is not a command: a greeting, thanks, an emoji, a question in their own words. */
const GREETING = /^(hallo|hoi|hey|hi|hello|dag|goeiedag|goedendag|goeiemorgen|goedemorgen|goedemiddag|goedenavond|morgen|hallo allemaal)\b/i;
const THANKS = /^(bedankt|dank( je| u)?( wel)?|merci|thanks|thank you|top|super|ok|oké|okay)\b/i;
const ONLY_EMOJI = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\u200d\ufe0f\s!.]+$/u;
/** A question about the question: "wat is de vraag van deze week?" is answered with the question itself. */
const ASKS_FOR_QUESTION = /\b(vraag|question)\b.*\?\s*$|^wat (is|moet|kan)\b.*\?\s*$/i;

/** The command a mistyped word was probably meant to be ("resultatn" → resultaten): one or two letters off. */
function nearMiss(word: string): string | null {
  if (word.length < 4) return null;
  let best: { name: string; d: number } | null = null;
  for (const name of byName.keys()) {
    if (name.length < 4) continue;
    const d = distance(word, name);
    if (d <= (word.length >= 7 ? 2 : 1) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name ?? null;
}

/** A message that is not a command: a friendly answer in the RKK's language, the question itself when asked for, or "did you mean". */
async function notACommand(turn: Turn, text: string, word: string): Promise<Reply> {
  if (ASKS_FOR_QUESTION.test(text)) return runCommand(turn, byName.get('vraag') as Command<OperationName>, '', null);
  const outcome = await turn.deps.services.perform('help', actorOf(turn.ctx.activity), undefined, turn.log);
  const t = messages(chooseLang({ rkk: outcome.rkkLang }));
  if (GREETING.test(text) || ONLY_EMOJI.test(text)) return info(ONLY_EMOJI.test(text) ? t.thanks : t.greeting, [t.pointToQuestion]);
  if (THANKS.test(text)) return info(t.thanks, [t.pointToQuestion]);
  const guess = nearMiss(word.toLocaleLowerCase('nl-BE'));
  return info(t.helpTitle, [{ literal: `“${word.slice(0, 40)}”` }, guess ? t.didYouMean(guess) : t.unknownCommand], { facts: [...t.helpMember] });
}

/** Commands come in a personal chat, or in a channel with an @mention of the bot. */
export const commandRoute: Route = {
  name: 'command',
  select: (a: Activity) => a.type === 'message' && !isFromBot(a) && !a.value && (isPersonal(a) || mentionsBot(a)),
  async handle(turn) {
    const a = turn.ctx.activity;
    if (isPersonal(a)) await turn.deps.services.installations.personalChat(memberOf(a), { conversation: a.conversation, serviceUrl: a.serviceUrl, bot: a.recipient, user: a.from, channelId: a.channelId });
    const text = plainText(a);
    const phrase = PHRASES.find((p) => p.re.test(text));
    if (phrase) {
      const reply = await runCommand(turn, byName.get(phrase.name) as Command<OperationName>, text.replace(phrase.re, ''), phrase.lang);
      await sendReply(turn, reply);
      return;
    }
    const [word = '', ...rest] = text.split(/\s+/);
    const name = word.toLocaleLowerCase('nl-BE').replace(/^\//, '');
    const command = byName.get(name);
    // "@Kenniskring bij ons loopt dit via de intercommunale" in a question's thread is a comment, not a command.
    if (!command && await storeThreadComment(turn)) return;
    const reply = command ? await runCommand(turn, command as Command<OperationName>, rest.join(' '), typedIn(name)) : await notACommand(turn, text, word);
    await sendReply(turn, reply);
  },
};

async function sendReply(turn: Turn, reply: Reply): Promise<void> {
  await replyCard(turn.ctx, reply.card, reply.summary);
  for (const card of reply.more ?? []) await replyCard(turn.ctx, card, reply.summary);
}

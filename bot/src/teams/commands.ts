import type { Activity } from 'botbuilder';
import type { Route, Turn } from './router';
import { isFromBot, isPersonal, langOfActivity, memberOf, mentionsBot, plainText, teamId } from './activity';
import { formatMoment, infoCard, planCard, questionCard, resultsCard, type Card, type InfoEntry, type InfoLine } from '../cards/render';
import { texts } from '../cards/texts';
import { STRINGS, type Lang } from '../cards/strings';
import { keyParts, type Rkk } from '../store';
import { replyCard } from './reply';
import { storeThreadComment } from './threadReplies';
import { isOpen, targetsRkk } from '../domain/question';

interface Reply { card: Card; summary: string }

/** Who may run a command: every member, a moderator (of the RKK where it is typed) or an administrator. */
type Role = 'member' | 'moderator' | 'admin';

interface CommandInput {
  turn: Turn; lang: Lang; rkk: Rkk | null; args: string;
  /** A moderator acting for their own RKK (not an administrator): the command stays within it. */
  asModerator: boolean;
}

interface Command {
  names: readonly string[];
  role: Role;
  run(input: CommandInput): Promise<Reply> | Reply;
}

const info = (title: string, lines: InfoLine[], extra: { facts?: { title: string; value: string }[]; entries?: InfoEntry[]; footer?: string; color?: 'Good' | 'Attention' | 'Accent' } = {}): Reply =>
  ({ card: infoCard({ title, lines, ...extra }), summary: title });

/** Waits at most this long for posts before answering the admin; the rest continues in the background. */
const REPORT_WAIT_MS = 5_000;
async function settle(work: Promise<unknown>): Promise<void> {
  await Promise.race([work, new Promise((r) => setTimeout(r, REPORT_WAIT_MS).unref())]);
}

const help: Command = {
  names: ['help', 'hulp', '?'],
  role: 'member',
  async run({ turn, lang }) {
    const t = texts(lang);
    const team = teamId(turn.ctx.activity);
    const rkk = team ? await turn.deps.store.rkks.get(team) : null;
    const more = isAdmin(turn) ? [...t.helpModerator, ...t.helpAdmin] : (await isModeratorHere(turn, rkk)) ? t.helpModerator : [];
    return info(t.helpTitle, [t.helpIntro], { facts: [...t.helpMember, ...more], footer: t.helpFooter });
  },
};

const question: Command = {
  names: ['vraag', 'question'],
  role: 'member',
  async run({ turn, lang, rkk }) {
    const { deps } = turn;
    const q = await deps.lookup.current(rkk);
    if (!q) return info(STRINGS[lang].title, [texts(lang).noCurrentQuestion]);
    const member = memberOf(turn.ctx.activity);
    const current = await deps.answers.current(q.id, member);
    const count = await deps.store.answers.count(q.id, rkk?.id ?? null);
    return { card: questionCard(q, { lang, timeZone: deps.schedule.timeZone, rkkName: rkk?.name ?? null, count, current }), summary: q.text };
  },
};

const results: Command = {
  names: ['resultaten', 'results', 'uitslag'],
  role: 'member',
  async run({ turn, lang, rkk }) {
    const { deps } = turn;
    const q = await deps.lookup.currentOrLast(rkk);
    if (!q) return info(STRINGS[lang].title, [texts(lang).noQuestionAtAll]);
    const { tally, totalAcross } = await deps.answers.tallies(q, rkk?.id ?? null);
    const closed = !isOpen(q, deps.clock.now());
    return { card: resultsCard(q, tally, { lang, timeZone: deps.schedule.timeZone, rkkName: rkk?.name ?? null, totalAcross, closed }), summary: q.text };
  },
};

const upcoming: Command = {
  names: ['vragen', 'questions', 'planning'],
  role: 'moderator',
  async run({ turn, lang }) {
    const t = texts(lang);
    const list = await turn.deps.lookup.upcoming(12);
    if (!list.length) return info(t.upcomingTitle, [t.upcomingEmpty]);
    let queuePos = 0;
    const entries = list.map(({ question: q, state }) => ({
      heading: state === 'queued' ? t.queuedAt(++queuePos) : `${q.week ?? ''} · ${t.stateLabel[state]}`,
      body: q.text,
    }));
    return info(t.upcomingTitle, [], { entries });
  },
};

const plan: Command = {
  names: ['plan', 'nieuw', 'new'],
  role: 'moderator',
  run({ turn, lang }) {
    const nextWeek = turn.deps.schedule.weekOf(new Date(turn.deps.clock.now().getTime() + 7 * 86_400_000));
    return { card: planCard({ lang, weekHint: nextWeek }), summary: 'plan' };
  },
};

const post: Command = {
  names: ['publiceer', 'post', 'posten', 'publish'],
  role: 'moderator',
  async run({ turn, lang, rkk, asModerator }) {
    const { deps, log } = turn;
    const t = texts(lang);
    if (!(await deps.store.rkks.list({ activeOnly: true })).length) return info(t.postedTitle, [t.noRkk], { color: 'Attention' });
    const q = await deps.lookup.nextToPost(rkk);
    if (!q) return info(t.postedTitle, [t.nothingToPost], { color: 'Attention' });
    await deps.poster.enqueueNow(q, asModerator ? rkk!.id : null);
    log.info({ questionId: q.id, by: memberOf(turn.ctx.activity).key }, 'admin posts the question now');
    await audit(turn, 'publiceer', q.id);
    await settle(deps.scheduler.tick());
    const posts = await deps.store.deliveries.forQuestion(q.id);
    const n = (s: string) => posts.filter((p) => p.state === s).length;
    return info(t.postedTitle, [{ literal: q.text, bold: true }, t.posted(n('sent'), n('failed'), n('pending') + n('sending'))], { color: 'Good' });
  },
};

const close: Command = {
  names: ['sluit', 'close', 'sluiten'],
  role: 'moderator',
  async run({ turn, lang, rkk, asModerator }) {
    const { deps, log } = turn;
    const t = texts(lang);
    const q = await deps.lookup.current(rkk);
    if (!q) return info(t.closedTitle, [t.noCurrentQuestion], { color: 'Attention' });
    // Closing ends the question everywhere: a moderator may only close one that runs in their RKK alone.
    if (asModerator && (q.targets === 'all' || (await deps.store.rkks.list()).some((r) => r.id !== rkk!.id && targetsRkk(q, r)))) {
      return info(t.closedTitle, [t.closeNotOwn], { color: 'Attention' });
    }
    await deps.store.questions.close(q.id, deps.clock.now());
    await deps.poster.enqueueResults(q);
    log.info({ questionId: q.id, by: memberOf(turn.ctx.activity).key }, 'admin closed the question');
    await audit(turn, 'sluit', q.id);
    await settle(deps.scheduler.tick());
    const reached = (await deps.store.deliveries.forQuestion(q.id, 'results')).length;
    return info(t.closedTitle, [{ literal: q.text, bold: true }, t.closed(reached)], { color: 'Good' });
  },
};

const status: Command = {
  names: ['status', 'stand'],
  role: 'admin',
  async run({ turn, lang }) {
    const t = texts(lang);
    const { deps } = turn;
    const moment = (d: Date | null) => (d ? formatMoment(d, { lang, timeZone: deps.schedule.timeZone }) : t.never);
    // Which instance runs the background work; instance ids are ours, shown literally all the same.
    const { lease, instances } = deps.leadership.seen();
    const leaderFacts = [
      { title: t.statusLeader, value: lease ? t.leaderSince(lease.holder, moment(lease.since), lease.holder === deps.leadership.self) : t.never },
      { title: t.statusInstances, value: String(instances.length) },
    ];
    if (!deps.sync) return info(t.statusTitle, [t.syncOff(await deps.store.outbox.pendingCount())], { facts: leaderFacts });
    const s = await deps.sync.status();
    const facts = [
      ...leaderFacts,
      { title: t.statusPending, value: String(s.pending) },
      { title: t.statusParked, value: String(s.parked) },
      { title: t.statusLastSync, value: moment(s.lastSuccessAt) },
      ...(s.pausedUntil ? [{ title: t.statusPaused, value: moment(s.pausedUntil) }] : []),
    ];
    // Error texts come from SharePoint and keys from members' ids: shown literally.
    const entries = [
      ...(s.lastError ? [{ heading: t.statusLastError, body: s.lastError }] : []),
      ...(await deps.store.outbox.parked(5)).map((p) => ({ heading: `${p.entity} ${keyParts(p.key).join(' · ')}`.slice(0, 80), body: p.error })),
    ];
    return info(t.statusTitle, s.parked ? [t.statusParkedHint] : [], { facts, entries, color: s.parked ? 'Attention' : 'Accent' });
  },
};

const retry: Command = {
  names: ['opnieuw', 'retry'],
  role: 'admin',
  async run({ turn, lang }) {
    const t = texts(lang);
    if (!turn.deps.sync) return info(t.statusTitle, [t.syncOff(await turn.deps.store.outbox.pendingCount())]);
    const n = await turn.deps.sync.retryParked();
    turn.log.info({ records: n, by: memberOf(turn.ctx.activity).key }, 'admin retries parked SharePoint records');
    await audit(turn, 'opnieuw', null, `${n} records`);
    return info(t.statusTitle, [t.retried(n)], { color: 'Good' });
  },
};

/** Records an admin action in the audit trail (locally, and in SharePoint through the outbox). */
export async function audit(turn: Turn, action: string, target: string | null, details: string | null = null): Promise<void> {
  const m = memberOf(turn.ctx.activity);
  await turn.deps.store.audit.record({ actorKey: m.key, actorName: m.name, action, target, details }, turn.deps.clock.now());
}

const myData: Command = {
  names: ['mijn', 'gegevens', 'my', 'mydata', 'privacy'],
  role: 'member',
  async run({ turn, lang }) {
    const t = texts(lang);
    const { store, schedule } = turn.deps;
    const m = memberOf(turn.ctx.activity);
    const when = (d: Date) => formatMoment(d, { lang, timeZone: schedule.timeZone });
    const answers = await store.answers.forMember(m.key);
    const comments = await store.comments.forAuthor(m.key);
    const questions = new Map((await Promise.all(answers.map((a) => store.questions.get(a.questionId)))).flatMap((q) => (q ? [[q.id, q] as const] : [])));
    // Everything here was typed by the member (or names them): shown literally.
    const entries = [
      { heading: t.dataWho, body: `${m.name || '—'} (${m.aadObjectId ?? m.teamsUserId})` },
      ...answers.map((a) => {
        const q = questions.get(a.questionId);
        const labels = new Map((q?.options ?? []).map((o) => [o.id, o.label]));
        const value = a.text ?? a.choices.map((c) => labels.get(c) ?? c).join(', ');
        return { heading: `${t.dataAnswer} · ${when(a.updatedAt)}`, body: `${q?.text ?? a.questionId}\n→ ${value}${a.comment ? `\n${t.dataComment}: ${a.comment}` : ''}` };
      }),
      ...comments.map((c) => ({ heading: `${t.dataReply} · ${when(c.createdAt)}${c.deletedAt ? ` (${t.dataDeleted})` : ''}`, body: c.text })),
    ];
    const lines = [t.dataIntro(answers.length, comments.length), ...(answers.length + comments.length === 0 ? [t.dataNothing] : [])];
    return info(t.dataTitle, lines, { entries, footer: t.dataFooter });
  },
};

const erase: Command = {
  names: ['wis', 'erase'],
  role: 'admin',
  async run({ turn, lang, args }) {
    const t = texts(lang);
    const who = args.trim().split(/\s+/)[0] ?? '';
    if (!/^[\w:.@-]{3,200}$/.test(who)) return info(t.eraseTitle, [t.eraseUsage], { color: 'Attention' });
    const { store, clock } = turn.deps;
    const now = clock.now();
    // On open anonymous questions the member is known only by a hash: recompute it to erase those too.
    const anonymous = await turn.deps.answers.anonymousKeys({ key: who, aadObjectId: null, teamsUserId: who, name: '' });
    const result = await store.eraseMember(who, anonymous.map((a) => a.key), now);
    await audit(turn, 'wis', who, `${result.answers} antwoorden, ${result.comments} reacties${result.chat ? ', persoonlijke chat' : ''}`);
    turn.log.info({ erased: who, ...result }, 'admin erased a member\'s data');
    return info(t.eraseTitle, [t.erased(who, result.answers, result.comments)], { color: 'Good' });
  },
};

const moderator: Command = {
  names: ['moderator', 'moderators'],
  role: 'admin',
  async run({ turn, lang, rkk, args }) {
    const t = texts(lang);
    if (!rkk) return info(t.moderatorTitle, [t.moderatorInChannel], { color: 'Attention' });
    const [first = '', second = ''] = args.trim().split(/\s+/);
    const removing = ['weg', 'remove', 'verwijder'].includes(first.toLowerCase());
    const who = removing ? second : first;
    const { store, clock } = turn.deps;
    if (!who) return info(t.moderatorTitle, [{ literal: t.moderatorList(rkk.name, await store.rkks.moderators(rkk.id)) }]);
    if (!/^[\w:.@-]{3,200}$/.test(who)) return info(t.moderatorTitle, [t.moderatorUsage], { color: 'Attention' });
    const changed = removing ? await store.rkks.removeModerator(rkk.id, who) : await store.rkks.addModerator(rkk.id, who, memberOf(turn.ctx.activity).key, clock.now());
    if (changed) await audit(turn, removing ? 'moderator weg' : 'moderator', who, rkk.name);
    return info(t.moderatorTitle, [{ literal: removing ? t.moderatorRemoved(who, rkk.name) : t.moderatorAdded(who, rkk.name) }], { color: 'Good' });
  },
};

export const COMMANDS: readonly Command[] = [help, question, results, upcoming, plan, post, close, status, retry, myData, erase, moderator];

export async function isModeratorHere(turn: Turn, rkk: Rkk | null): Promise<boolean> {
  return rkk !== null && await turn.deps.store.rkks.isModerator(rkk.id, memberOf(turn.ctx.activity).key);
}
const byName = new Map(COMMANDS.flatMap((c) => c.names.map((n) => [n, c] as const)));

export function isAdmin(turn: Turn): boolean {
  const m = memberOf(turn.ctx.activity);
  return m.aadObjectId !== null && turn.deps.admins.has(m.aadObjectId);
}

/** Which language a command word was typed in decides the answer's language, else the client's locale. */
const ENGLISH_WORDS = new Set(['help', 'question', 'results', 'questions', 'new', 'post', 'publish', 'close', 'retry', 'my', 'mydata', 'erase']);

/** Commands come in a personal chat, or in a channel with an @mention of the bot. */
export const commandRoute: Route = {
  name: 'command',
  select: (a: Activity) => a.type === 'message' && !isFromBot(a) && !a.value && (isPersonal(a) || mentionsBot(a)),
  async handle(turn) {
    const a = turn.ctx.activity;
    if (isPersonal(a)) await turn.deps.store.rkks.savePersonalChat(memberOf(a).key, { conversation: a.conversation, serviceUrl: a.serviceUrl, bot: a.recipient, user: a.from, channelId: a.channelId }, turn.deps.clock.now());
    const text = plainText(a, { stripBotMention: true });
    const [word = '', ...rest] = text.split(/\s+/);
    const name = word.toLocaleLowerCase('nl-BE').replace(/^\//, '');
    const lang: Lang = ENGLISH_WORDS.has(name) ? 'en' : byName.has(name) ? 'nl' : langOfActivity(a);
    const team = teamId(a);
    const rkk = team ? await turn.deps.store.rkks.get(team) : null;
    const command = byName.get(name);
    let reply: Reply;
    // "@Kenniskring bij ons loopt dit via de intercommunale" in a question's thread is a comment, not a command.
    if (!command && await storeThreadComment(turn)) return;
    if (!command) {
      reply = info(texts(lang).helpTitle, [{ literal: `“${word.slice(0, 40)}”` }, texts(lang).unknownCommand], { facts: [...texts(lang).helpMember] });
    } else {
      const admin = isAdmin(turn);
      const allowed = command.role === 'member' || admin || (command.role === 'moderator' && await isModeratorHere(turn, rkk));
      if (!allowed) {
        turn.log.info({ command: command.names[0], member: memberOf(a).key, role: command.role }, 'command refused');
        reply = info(texts(lang).helpTitle, [command.role === 'moderator' ? texts(lang).notModerator : texts(lang).notAdmin], { color: 'Attention' });
      } else {
        turn.log.info({ command: command.names[0], rkkId: rkk?.id }, 'command');
        reply = await command.run({ turn, lang, rkk, args: rest.join(' '), asModerator: !admin && command.role === 'moderator' });
      }
    }
    await replyCard(turn.ctx, reply.card, reply.summary);
  },
};

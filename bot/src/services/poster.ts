import type { Logger } from '../log';
import type { Store, Rkk, Delivery, DeliveryKey } from '../store';
import { isOpen, targetsRkk, type Question } from '../domain/question';
import type { WeekSchedule } from '../domain/week';
import { buildTally } from '../domain/answer';
import { askApprovalCard, askDecidedCard, proposalApprovalCard, proposedCard, askRepliesCard, askThreadCard, digestCard, infoCard, momentCard, questionCard, reminderCard, resultsCard, themesCard, type Card } from '../cards/render';
import { noticeId, parseNoticeId } from '../domain/notice';
import { remindsFor } from '../domain/reminder';
import { answeringAs } from './answers';
import { threadLink } from '../domain/teamsLinks';
import { latestRkkOf, proposerOf } from './members';
import { digestView } from './digest';
import { themesView } from './themes';
import { messages } from '../messages';
import { RESULTS_EXPLANATIONS, explanationsFor } from './explanations';
import { POST_BACKOFF, retryDelay, type BackoffPolicy } from './backoff';
import { SendError, type ChannelSender, type Clock , type Instances, type PersonalTarget } from './ports';

export interface PosterDeps {
  store: Store;
  sender: ChannelSender;
  schedule: WeekSchedule;
  clock: Clock;
  log: Logger;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Sends in parallel across RKKs; each RKK's channel is its own thread for Teams' limits. */
  concurrency?: number;
  /** This instance claims a delivery with its id while sending it. */
  instances: Instances;
  /** The digest of the other regions' answers: how long after the close, and the privacy floor. */
  digest: { delayMs: number; minGroupSize: number };
  /** The weekly recurring themes in RKK Overkoepelend. */
  recurring: { minRkks: number; weeks: number };
  /** How many hours before a close members who asked for it are reminded (0: never). */
  reminderHours?: number;
}

/**
 * How long a claim on a delivery holds: far past any send (a call is paced, then answered or
 * timed out in seconds), so only a sender that died or hung loses it. A dead instance's claims
 * are released sooner, once its heartbeat has stopped (Scheduler).
 */
export const DELIVERY_CLAIM_MS = 10 * 60_000;

export interface DeliveryReport { sent: number; retrying: number; failed: number }

/**
 * Delivers the weekly question (and, on close, its results) to every targeted RKK channel —
 * exactly once per (question, RKK): each delivery is a row that moves pending → sending → sent,
 * so a restart, a crash mid-post or downtime over the slot never doubles or drops a post.
 */
export class Poster {
  private running: Promise<DeliveryReport> | null = null;
  /** The week whose recurring themes were looked at (once a week: a restart looks again, the delivery's key keeps it to one card). */
  private themesWeek: string | null = null;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;

  constructor(private readonly d: PosterDeps) {
    this.backoff = d.backoff ?? POST_BACKOFF;
    this.random = d.random ?? Math.random;
  }

  /**
   * Places the next queued question in this week once its slot has come, and records a
   * delivery for each open question and each targeted RKK that was registered by its slot.
   */
  async enqueueDue(): Promise<void> {
    const { store, schedule, clock, log } = this.d;
    const now = clock.now();
    const week = schedule.weekOf(now);
    const slot = schedule.slotOf(week);
    if (now >= slot && (await store.questions.inWeek(week)).length === 0) {
      const next = await store.questions.nextQueued();
      if (next && await store.questions.place(next.id, week, slot, schedule.defaultClosesAt(week), now)) {
        log.info({ questionId: next.id, week }, 'queued question placed in this week');
      } else if (!next) {
        log.warn({ week }, 'no question for this week: the question bank is empty');
      }
    }
    const rkks = await store.rkks.list({ activeOnly: true });
    if (now >= slot) await this.enqueueThemes(now, week, rkks);
    const open = (await store.questions.placedUntil(now)).filter((q) => isOpen(q, now));
    for (const q of open) {
      for (const rkk of rkks) {
        if (!targetsRkk(q, rkk) || rkk.registeredAt > q.publishAt!) continue;
        if (await store.deliveries.ensure({ kind: 'question', questionId: q.id, rkkId: rkk.id }, now)) {
          log.info({ questionId: q.id, rkkId: rkk.id }, 'question due in RKK');
        }
      }
    }
    await this.enqueueReminders(now, open);
  }

  /**
   * From a question's reminder moment until it closes, each member who asked for reminders, in an
   * RKK the question reached, is owed one personal message while they have not answered (the
   * delivery's key keeps it to one per member and question, on any instance, across restarts).
   * Whether they answered is asked again when it is sent.
   */
  private async enqueueReminders(now: Date, open: readonly Question[]): Promise<void> {
    const { store, schedule, log } = this.d;
    for (const q of open) {
      const at = remindsFor(q, this.d.reminderHours ?? 0, schedule.timeZone);
      if (!at || now < at) continue;
      const reached = (await store.deliveries.forQuestion(q.id, 'question')).filter((p) => p.state === 'sent').map((p) => p.rkkId);
      let owed = 0;
      for (const r of await store.reminders.unreminded(q.id, reached)) {
        if (await store.deliveries.ensure({ kind: 'notice', questionId: noticeId('remind', q.id), rkkId: r.member.key }, now)) owed++;
      }
      if (owed) log.info({ questionId: q.id, members: owed }, 'reminders due');
    }
  }

  /**
   * From the week's slot on, RKK Overkoepelend (when a team is marked so) gets one card with the
   * recurring themes, if there are any: a delivery keyed by the week, so one card per week.
   */
  private async enqueueThemes(now: Date, week: string, rkks: readonly Rkk[]): Promise<void> {
    if (this.themesWeek === week) return;
    const hub = rkks.find((r) => r.overarching);
    if (!hub) return; // an administrator may mark one later this week
    const key: DeliveryKey = { kind: 'themes', questionId: `themes:${week}`, rkkId: hub.id };
    if (!(await this.d.store.deliveries.get(key))) {
      const view = await themesView(this.d.store, now, this.d.recurring);
      if (view.themes.length && await this.d.store.deliveries.ensure(key, now)) this.d.log.info({ week, themes: view.themes.length }, 'recurring themes due in RKK Overkoepelend');
    }
    this.themesWeek = week;
  }

  /**
   * Post now: to every targeted active RKK, whenever it joined (an admin), or to one RKK (its
   * moderator); failed posts get another go.
   */
  async enqueueNow(q: Question, onlyRkkId: string | null = null): Promise<void> {
    const now = this.d.clock.now();
    await this.d.store.questions.publishNow(q.id, now);
    for (const rkk of await this.d.store.rkks.list({ activeOnly: true })) {
      if (!targetsRkk(q, rkk) || (onlyRkkId !== null && rkk.id !== onlyRkkId)) continue;
      const key: DeliveryKey = { kind: 'question', questionId: q.id, rkkId: rkk.id };
      if (!(await this.d.store.deliveries.ensure(key, now))) await this.d.store.deliveries.reopen(key, now);
    }
  }

  /**
   * Records a results reply for every RKK the question reached and, when it reached more than one,
   * the digest of the other regions' answers for each, due a while later (moderators can look first).
   */
  async enqueueResults(q: Question): Promise<void> {
    const now = this.d.clock.now();
    const reached = (await this.d.store.deliveries.forQuestion(q.id, 'question')).filter((p) => p.state === 'sent');
    const digestAt = new Date(now.getTime() + this.d.digest.delayMs);
    for (const post of reached) {
      await this.d.store.deliveries.ensure({ kind: 'results', questionId: q.id, rkkId: post.rkkId }, now);
      if (reached.length > 1) await this.d.store.deliveries.ensure({ kind: 'digest', questionId: q.id, rkkId: post.rkkId }, now, digestAt);
    }
  }

  /** Sends every delivery that is due. Overlapping calls share one run. */
  deliverDue(): Promise<DeliveryReport> {
    if (!this.running) {
      this.running = this.runDue().finally(() => { this.running = null; });
    }
    return this.running;
  }

  private async runDue(): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
    const due = await this.d.store.deliveries.due(this.d.clock.now());
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const delivery = due[next++]!;
        report[await this.deliver(delivery)]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.d.concurrency ?? 4, due.length) }, worker));
    return report;
  }

  private async deliver(delivery: Delivery): Promise<keyof DeliveryReport> {
    const { store, log, clock } = this.d;
    const key: DeliveryKey = { kind: delivery.kind, questionId: delivery.questionId, rkkId: delivery.rkkId };
    const dlog = log.child({ questionId: key.questionId, rkkId: key.kind === 'notice' ? '(member)' : key.rkkId, delivery: key.kind });
    // Only question posts, results and digests are about a question; a notice goes to a member, not an RKK.
    const aboutQuestion = key.kind === 'question' || key.kind === 'results' || key.kind === 'digest';
    const q = aboutQuestion ? await store.questions.get(key.questionId) : null;
    const rkk = key.kind === 'notice' ? null : await store.rkks.get(key.rkkId);
    if ((key.kind !== 'notice' && !rkk) || (aboutQuestion && !q)) { await store.deliveries.markFailed(key, 'question or RKK no longer exists', clock.now()); return 'failed'; }
    if (rkk && !rkk.active) { await store.deliveries.markFailed(key, 'RKK is inactive (app removed from the team)', clock.now()); return 'failed'; }
    if (key.kind === 'question' && !isOpen(q!, clock.now())) {
      await store.deliveries.markFailed(key, 'question closed before it could be posted', clock.now());
      return 'failed';
    }
    const now = clock.now();
    if (!(await store.deliveries.claim(key, { owner: this.d.instances.self, until: new Date(now.getTime() + DELIVERY_CLAIM_MS) }, now))) return 'retrying'; // another run has it
    try {
      if (key.kind === 'notice') await this.postNotice(key, delivery);
      else if (key.kind === 'themes') await this.postThemes(rkk!, key);
      else if (key.kind === 'moment') await this.postMoment(rkk!, key, delivery);
      else if (key.kind === 'ask') await this.postAsk(rkk!, key, delivery);
      else if (key.kind === 'question') await this.postQuestion(q!, rkk!, key);
      else if (key.kind === 'digest') await this.postDigest(q!, rkk!, key);
      else await this.postResults(q!, rkk!, key, delivery.messageId);
      dlog.info({ attempt: delivery.attempts + 1 }, delivery.messageId ? `${key.kind} updated` : `${key.kind} posted`);
      return 'sent';
    } catch (err) {
      const e = err instanceof SendError ? err : new SendError((err as Error).message, null, null);
      const attempt = delivery.attempts + 1;
      const reason = `${e.status ?? 'network'}: ${e.message}`;
      if (e.transient && attempt < this.backoff.maxAttempts) {
        const delay = retryDelay(attempt, this.backoff, e.retryAfterMs, this.random);
        await store.deliveries.retryLater(key, reason, new Date(clock.now().getTime() + delay));
        dlog.warn({ attempt, status: e.status, retryInMs: Math.round(delay) }, `${key.kind} post failed, will retry`);
        return 'retrying';
      }
      await store.deliveries.markFailed(key, reason, clock.now());
      // A member who asked for reminders sees in `mijn gegevens` that one could not reach them, and why.
      if (key.kind === 'notice' && parseNoticeId(key.questionId)?.what === 'remind') await store.reminders.failed(key.rkkId, reason, clock.now());
      dlog.error({ attempt, status: e.status, err: e.message }, `${key.kind} post failed for good`);
      return 'failed';
    }
  }

  private async postQuestion(q: Question, rkk: Rkk, key: DeliveryKey): Promise<void> {
    const card = questionCard(q, { lang: rkk.lang, timeZone: this.d.schedule.timeZone, rkkName: rkk.name, count: 0, proposedBy: await proposerOf(this.d.store, q) });
    const sent = await this.d.sender.startThread(rkk, card, `${messages(rkk.lang).card.title}: ${q.text}`);
    await this.d.store.deliveries.markSent(key, sent.conversationId, sent.messageId, this.d.clock.now(), 0);
  }

  /**
   * The results reply, and the poll itself shown closed with the same card. `shownIn` is the reply
   * already in the thread when the answers it shows changed since (erase, retention): it is updated
   * in place, never posted again.
   */
  private async postResults(q: Question, rkk: Rkk, key: DeliveryKey, shownIn: string | null): Promise<void> {
    const { store, schedule, clock, sender, log } = this.d;
    const post = await this.threadOf(q, rkk);
    const tally = buildTally(q, await store.answers.counts(q.id, rkk.id));
    const explanations = await explanationsFor(store, q, rkk.id, RESULTS_EXPLANATIONS);
    // With a digest to come, the RKK's moderators may highlight explanations for the other regions.
    const highlightable = explanations.total > 0 && (await store.deliveries.forQuestion(q.id, 'digest')).length > 0;
    const ctx = { lang: rkk.lang, timeZone: schedule.timeZone, rkkName: rkk.name, totalAcross: await store.answers.count(q.id), closed: true, explanations };
    const card = resultsCard(q, tally, { ...ctx, highlightable });
    // The poll at the top of the thread shows the final tally; the explanations are in the reply only.
    const poll = explanations.total > 0 ? resultsCard(q, tally, { ...ctx, explanations: null, explanationsBelow: true }) : card;
    const summary = `${messages(rkk.lang).resultsTitle}: ${q.text}`;
    if (shownIn) {
      await this.updateGone(() => sender.updateMessage(rkk, post.conversationId, shownIn, card, summary), 'results reply');
      await this.updateGone(() => sender.updateMessage(rkk, post.conversationId, post.messageId, poll, messages(rkk.lang).closedNotice), 'closed poll');
      await store.deliveries.markSent(key, post.conversationId, shownIn, clock.now());
      return;
    }
    const sent = await sender.replyInThread(rkk, post.conversationId, card, summary);
    await store.deliveries.markSent(key, post.conversationId, sent.messageId, clock.now());
    // The poll itself now shows it is closed, with the final results instead of the inputs.
    try {
      await sender.updateMessage(rkk, post.conversationId, post.messageId, poll, messages(rkk.lang).closedNotice);
    } catch (err) {
      log.warn({ questionId: q.id, rkkId: rkk.id, err: (err as Error).message }, 'could not mark the posted card as closed');
    }
  }

  /** The recurring themes as a new thread in RKK Overkoepelend (worked out again when sent: the latest evidence). */
  private async postThemes(rkk: Rkk, key: DeliveryKey): Promise<void> {
    const { store, clock, sender } = this.d;
    const view = await themesView(store, clock.now(), this.d.recurring);
    // What the card shows is kept first (once a week, whatever happens to the send): SharePoint gets one item per theme.
    await store.themes.record(key.questionId.replace(/^themes:/, ''), view.themes, clock.now());
    const card = themesCard(view, this.d.recurring.minRkks, { lang: rkk.lang });
    const sent = await sender.startThread(rkk, card, messages(rkk.lang).themesTitle);
    await store.deliveries.markSent(key, sent.conversationId, sent.messageId, clock.now());
  }

  /** The digest as a reply in the question's thread: this RKK beside the other regions and all of Flanders. */
  private async postDigest(q: Question, rkk: Rkk, key: DeliveryKey): Promise<void> {
    const { store, schedule, clock, sender } = this.d;
    const post = await this.threadOf(q, rkk);
    const view = await digestView(store, q, rkk, this.d.digest.minGroupSize);
    const card = digestCard(q, view, { lang: rkk.lang, timeZone: schedule.timeZone, rkkName: rkk.name });
    const sent = await sender.replyInThread(rkk, post.conversationId, card, `${messages(rkk.lang).digestTitle}: ${q.text}`);
    await store.deliveries.markSent(key, post.conversationId, sent.messageId, clock.now());
  }

  /** A knowledge moment's announcement as a new thread; a moment changed since is updated in place. */
  private async postMoment(rkk: Rkk, key: DeliveryKey, delivery: Delivery): Promise<void> {
    const { store, clock, sender, schedule } = this.d;
    const m = await store.moments.get(key.questionId);
    if (!m) throw new SendError('knowledge moment no longer exists', 410, null);
    const summary = `${messages(rkk.lang).momentAnnounceTitle}: ${m.title}`;
    if (delivery.messageId && delivery.conversationId) {
      const card = momentCard(m, { lang: rkk.lang, timeZone: schedule.timeZone, changed: true });
      await this.updateGone(() => sender.updateMessage(rkk, delivery.conversationId!, delivery.messageId!, card, summary), 'moment announcement');
      await store.deliveries.markSent(key, delivery.conversationId, delivery.messageId, clock.now());
      return;
    }
    const sent = await sender.startThread(rkk, momentCard(m, { lang: rkk.lang, timeZone: schedule.timeZone, changed: false }), summary);
    await store.deliveries.markSent(key, sent.conversationId, sent.messageId, clock.now());
  }

  /**
   * An approved question for all regions as a new thread in RKK Overkoepelend; its replies are
   * stored like any thread's. A thread already there is updated in place (once erased, without the asker).
   */
  private async postAsk(rkk: Rkk, key: DeliveryKey, delivery: Delivery): Promise<void> {
    const { store, clock, sender } = this.d;
    const ask = await store.asks.get(key.questionId);
    const s = messages(rkk.lang);
    const card = async () => ask
      ? askThreadCard(ask, ask.askerRkkId ? (await store.rkks.get(ask.askerRkkId))?.name ?? null : null, { lang: rkk.lang })
      : infoCard({ title: s.askTitle, lines: [s.askGone] }); // erased at the asker's request: the thread keeps its replies
    const summary = ask ? `${s.askTitle}: ${ask.text}` : s.askTitle;
    if (delivery.messageId && delivery.conversationId) {
      const shown = await card();
      await this.updateGone(() => sender.updateMessage(rkk, delivery.conversationId!, delivery.messageId!, shown, summary), 'question for all regions');
      await store.deliveries.markSent(key, delivery.conversationId, delivery.messageId, clock.now());
      return;
    }
    if (!ask) throw new SendError('question for all regions no longer exists (erased)', 410, null);
    const sent = await sender.startThread(rkk, await card(), summary);
    await store.deliveries.markSent(key, sent.conversationId, sent.messageId, clock.now());
  }

  /**
   * A personal message (rkkId: the member's key): an administrator's approval card (updated once
   * decided), the asker's decision, or the replies since the last message.
   */
  private async postNotice(key: DeliveryKey, delivery: Delivery): Promise<void> {
    const { store, clock, schedule } = this.d;
    const what = parseNoticeId(key.questionId);
    if (!what) throw new SendError(`unknown notice ${key.questionId}`, 400, null);
    if (what.what === 'remind') return this.postReminder(key, what.id);
    if (what.what === 'proposal' || what.what === 'proposed') return this.postProposalNotice(key, delivery, what.what, what.id);
    const ask = await store.asks.get(what.id);
    const lang = 'nl' as const; // a personal chat has no RKK language: Dutch, the app's language
    const ctx = { lang, timeZone: schedule.timeZone };
    let card: Card;
    let told: number | null = null;
    if (what.what === 'approve') {
      const rkkName = ask?.askerRkkId ? (await store.rkks.get(ask.askerRkkId))?.name ?? null : null;
      card = askApprovalCard(!ask ? { kind: 'gone' } : ask.state === 'pending' ? { kind: 'pending', item: { ask, rkkName } } : { kind: 'decided', item: { ask, rkkName } }, ctx);
    } else {
      if (!ask) throw new SendError('question for all regions no longer exists (erased)', 410, null);
      if (what.what === 'decided') card = askDecidedCard(ask, ctx);
      else {
        const replies = (await store.comments.forQuestion(ask.id)).filter((r) => r.authorKey !== ask.askerKey);
        if (replies.length <= ask.toldReplies) { await store.deliveries.markSent(key, '', '', clock.now()); return; } // nothing new (replies deleted since)
        const thread = await store.deliveries.forQuestion(ask.id, 'ask');
        const hub = thread[0] ? await store.rkks.get(thread[0].rkkId) : null;
        const names = new Map<string, string | null>();
        for (const r of replies) if (!names.has(r.authorKey)) names.set(r.authorKey, await this.rkkOfMember(r.authorKey));
        const fresh = replies.slice(ask.toldReplies).map((r) => ({ authorName: r.authorName || r.authorKey, rkkName: names.get(r.authorKey) ?? null, text: r.text }));
        card = askRepliesCard({ ask, first: ask.toldReplies === 0, fresh, link: hub && thread[0]?.messageId ? threadLink(hub, thread[0].messageId) : null }, ctx);
        told = replies.length;
      }
    }
    if (await this.deliverPersonal(key, delivery, await this.personalTarget(key.rkkId, ask), card, messages(lang).askTitle) && told !== null) await store.asks.told(ask!.id, told, clock.now());
  }

  /**
   * A proposed question's messages: an approver's card (updated in place once decided, or gone
   * once erased), and the proposer's outcome.
   */
  private async postProposalNotice(key: DeliveryKey, delivery: Delivery, what: 'proposal' | 'proposed', id: string): Promise<void> {
    const { store, schedule } = this.d;
    const p = await store.proposals.get(id);
    const ctx = { lang: 'nl' as const, timeZone: schedule.timeZone }; // a personal chat has no RKK language
    const s = messages(ctx.lang);
    let card: Card;
    if (what === 'proposal') {
      const item = p ? { proposal: p, rkkName: p.rkkId ? (await store.rkks.get(p.rkkId))?.name ?? null : null } : null;
      card = proposalApprovalCard(!item ? { kind: 'gone' } : item.proposal.state === 'pending' ? { kind: 'pending', item } : { kind: 'decided', item, queuePosition: null }, ctx);
    } else {
      if (!p) throw new SendError('proposal no longer exists (erased)', 410, null);
      card = proposedCard(p, ctx);
    }
    const by = p ? { askerKey: p.proposerKey, askerTeamsId: p.proposerTeamsId, askerRkkId: p.rkkId } : null;
    await this.deliverPersonal(key, delivery, await this.personalTarget(key.rkkId, by), card, what === 'proposal' ? s.proposalTitle : s.proposedTitle);
  }

  /** Sends a personal message, or updates it in place when it was sent before (an approval card that now shows the decision). True when it was new. */
  private async deliverPersonal(key: DeliveryKey, delivery: Delivery, to: PersonalTarget, card: Card, summary: string): Promise<boolean> {
    const { store, clock, sender } = this.d;
    if (delivery.messageId && delivery.conversationId) {
      await this.updateGone(() => sender.updatePersonal(to, delivery.conversationId!, delivery.messageId!, card, summary), 'approval card');
      await store.deliveries.markSent(key, delivery.conversationId, delivery.messageId, clock.now());
      return false;
    }
    const sent = await sender.sendPersonal(to, card, summary);
    await store.deliveries.markSent(key, sent.conversationId, sent.messageId, clock.now());
    return true;
  }

  /**
   * A reminder in a member's personal chat: the question card, answerable there and counted in
   * their RKK. Not sent (done all the same) once it is not needed: the question closed, they
   * answered, switched reminders off, or their RKK is gone.
   */
  private async postReminder(key: DeliveryKey, questionId: string): Promise<void> {
    const { store, clock, sender, schedule, log } = this.d;
    const now = clock.now();
    const q = await store.questions.get(questionId);
    const setting = await store.reminders.get(key.rkkId);
    const rkk = setting ? await store.rkks.get(setting.rkkId) : null;
    const answered = async () => Boolean(q && setting && await store.answers.get(q.id, (await answeringAs(store, q, setting.member)).key));
    const unneeded = !q || !isOpen(q, now) ? 'the question closed' : !setting ? 'reminders switched off' : !rkk?.active ? 'their RKK is gone' : await answered() ? 'they answered' : null;
    if (unneeded || !q || !setting || !rkk) {
      await store.deliveries.markSent(key, '', '', now);
      log.info({ questionId, why: unneeded }, 'reminder not needed');
      return;
    }
    const card = reminderCard(q, { lang: rkk.lang, timeZone: schedule.timeZone, rkkName: rkk.name, rkkId: rkk.id, count: await store.answers.count(q.id, rkk.id), proposedBy: await proposerOf(store, q) });
    const to: PersonalTarget = { chat: await store.rkks.personalChat(setting.member.key), memberId: setting.member.teamsUserId, via: rkk };
    const sent = await sender.sendPersonal(to, card, `${messages(rkk.lang).reminderTitle}: ${q.text}`);
    await store.deliveries.markSent(key, sent.conversationId, sent.messageId, clock.now());
  }

  /** How to reach a member: their personal chat with the bot, else a new one through their RKK's (or any active RKK's) endpoint. */
  private async personalTarget(memberKey: string, ask: { askerKey: string; askerTeamsId: string; askerRkkId: string | null } | null): Promise<PersonalTarget> {
    const { store } = this.d;
    const isAsker = ask?.askerKey === memberKey;
    const rkks = await store.rkks.list({ activeOnly: true });
    const via = (isAsker && ask?.askerRkkId ? rkks.find((r) => r.id === ask.askerRkkId) : undefined) ?? rkks.find((r) => r.overarching) ?? rkks[0];
    if (!via) throw new SendError('no RKK to reach the member through', null, null);
    return { chat: await store.rkks.personalChat(memberKey), memberId: isAsker ? ask!.askerTeamsId : memberKey, via };
  }

  /** The RKK a member answered in most recently (to name it beside their reply). */
  private async rkkOfMember(memberKey: string): Promise<string | null> {
    const rkkId = await latestRkkOf(this.d.store, memberKey);
    return rkkId ? (await this.d.store.rkks.get(rkkId))?.name ?? null : null;
  }

  /** The question's post in the RKK's channel: the thread that results and digest reply in. */
  private async threadOf(q: Question, rkk: Rkk): Promise<{ conversationId: string; messageId: string }> {
    const post = await this.d.store.deliveries.get({ kind: 'question', questionId: q.id, rkkId: rkk.id });
    if (!post?.conversationId || !post.messageId) throw new SendError('question post has no thread', 404, null);
    return { conversationId: post.conversationId, messageId: post.messageId };
  }

  /** An update of a message someone deleted in Teams has nothing left to change: it is done. */
  private async updateGone(update: () => Promise<void>, what: string): Promise<void> {
    try {
      await update();
    } catch (err) {
      if (!(err instanceof SendError && err.status === 404)) throw err;
      this.d.log.info({ what }, 'message to update is gone from the channel; nothing left to change');
    }
  }
}

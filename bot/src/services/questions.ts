import type { Store, Rkk } from '../store';
import { isOpen, questionState, targetsRkk, type Question } from '../domain/question';
import type { Clock } from './ports';
import type { WeekSchedule } from '../domain/week';

/** A question `publiceer` would post, and the week it goes out in. */
export interface PostPick { question: Question; week: string }

/** Which question is "this week's" for an RKK (or for everyone, in a personal chat). */
export class QuestionLookup {
  constructor(private readonly store: Store, private readonly clock: Clock, private readonly schedule: WeekSchedule) {}

  private forRkk(rkk: Rkk | null) {
    return (q: Question) => rkk === null || targetsRkk(q, rkk);
  }

  /** The open question (latest published first) for this RKK. */
  async current(rkk: Rkk | null): Promise<Question | null> {
    const now = this.clock.now();
    return (await this.store.questions.published(now)).filter(this.forRkk(rkk)).find((q) => isOpen(q, now)) ?? null;
  }

  /** The open question, else the most recently published one (for results). */
  async currentOrLast(rkk: Rkk | null): Promise<Question | null> {
    const now = this.clock.now();
    return (await this.current(rkk)) ?? (await this.store.questions.published(now)).filter(this.forRkk(rkk))[0] ?? null;
  }

  /** When the next question goes out for this RKK: the next scheduled one, else the next slot when the queue has one; null when nothing waits. */
  async nextPostAt(rkk: Rkk | null): Promise<Date | null> {
    const now = this.clock.now();
    const scheduled = (await this.store.questions.scheduledAfter(now)).filter(this.forRkk(rkk))[0];
    if (scheduled?.publishAt) return scheduled.publishAt;
    return (await this.store.questions.queued()).some(this.forRkk(rkk)) ? this.schedule.nextSlotAfter(now) : null;
  }

  /**
   * What `publiceer` posts, without changing anything: this week's question. That is the open one,
   * else the one placed in this week, else the first in the queue when this week has none yet.
   * With `next`: the question after this week's (the next placed one, else the first in the queue,
   * for the first free week), which a moderator may post early on purpose.
   */
  async toPost(rkk: Rkk | null, which: 'now' | 'next'): Promise<PostPick | null> {
    const now = this.clock.now();
    const week = this.schedule.weekOf(now);
    if (which === 'now') {
      const open = await this.current(rkk);
      if (open) return { question: open, week: open.week ?? week };
      const thisWeek = await this.store.questions.inWeek(week);
      const placed = thisWeek.filter(this.forRkk(rkk)).find((q) => !q.closedAt && (!q.publishAt || q.publishAt > now));
      if (placed) return { question: placed, week };
      if (thisWeek.length) return null; // this week had its question
      const queued = (await this.store.questions.queued()).filter(this.forRkk(rkk))[0];
      return queued ? { question: queued, week } : null;
    }
    const scheduled = (await this.store.questions.scheduledAfter(now)).filter(this.forRkk(rkk)).find((q) => q.week !== week);
    if (scheduled) return { question: scheduled, week: scheduled.week! };
    const queued = (await this.store.questions.queued()).filter(this.forRkk(rkk))[0];
    if (!queued) return null;
    let target = this.schedule.weekAfter(week);
    while ((await this.store.questions.inWeek(target)).length) target = this.schedule.weekAfter(target);
    return { question: queued, week: target };
  }

  /** Makes a pick ready to post: a queued question takes its week first. Returns the question as stored. */
  async prepare(pick: PostPick): Promise<Question | null> {
    const now = this.clock.now();
    if (!pick.question.week) await this.store.questions.place(pick.question.id, pick.week, now, this.schedule.defaultClosesAt(pick.week), now);
    return this.store.questions.get(pick.question.id);
  }

  /**
   * Everything still to come, in the order it goes out: the open questions, the scheduled ones, then
   * the queue, each queued one with the week it will take if nothing changes (the queue fills the
   * free weeks in order, from this week's slot if it has not passed yet).
   */
  async upcoming(): Promise<{ question: Question; state: ReturnType<typeof questionState>; week: string | null }[]> {
    const now = this.clock.now();
    const open = (await this.store.questions.published(now)).filter((q) => isOpen(q, now));
    const scheduled = await this.store.questions.scheduledAfter(now);
    const taken = new Set([...open, ...scheduled].map((q) => q.week).filter((w): w is string => w !== null));
    let week = this.schedule.weekOf(now);
    if (this.schedule.slotOf(week).getTime() <= now.getTime()) week = this.schedule.weekOf(this.schedule.nextSlotAfter(now));
    const freeWeek = (): string => {
      while (taken.has(week)) week = this.schedule.weekAfter(week);
      taken.add(week);
      return week;
    };
    const placed = [...open, ...scheduled].map((question) => ({ question, state: questionState(question, now), week: question.week }));
    const queued = (await this.store.questions.queued()).map((question) => ({ question, state: questionState(question, now), week: freeWeek() as string | null }));
    // By the week they go out in (a question planned for a later week comes after the queue's earlier ones).
    return [...placed, ...queued].sort((a, b) => (a.week ?? '\uffff').localeCompare(b.week ?? '\uffff'));
  }
}

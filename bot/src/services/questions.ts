import type { Store, Rkk } from '../store';
import { isOpen, questionState, targetsRkk, type Question } from '../domain/question';
import type { Clock } from './ports';
import type { WeekSchedule } from '../domain/week';

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

  /** What `post` would send now: the open question, else the next scheduled one, else the next in the queue. */
  async nextToPost(rkk: Rkk | null): Promise<Question | null> {
    const now = this.clock.now();
    const open = await this.current(rkk);
    if (open) return open;
    const scheduled = (await this.store.questions.scheduledAfter(now)).filter(this.forRkk(rkk))[0];
    if (scheduled) return scheduled;
    const queued = (await this.store.questions.queued()).filter(this.forRkk(rkk))[0];
    if (!queued) return null;
    const week = this.schedule.weekOf(now);
    const taken = (await this.store.questions.inWeek(week)).length > 0;
    // Take this week's place when it is free, else the first free week after it.
    let target = week;
    if (taken) {
      for (let i = 1; i < 60; i++) {
        const w = this.schedule.weekOf(new Date(this.schedule.slotOf(week).getTime() + i * 7 * 86_400_000));
        if ((await this.store.questions.inWeek(w)).length === 0) { target = w; break; }
      }
    }
    await this.store.questions.place(queued.id, target, now, this.schedule.defaultClosesAt(target), now);
    return this.store.questions.get(queued.id);
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
    return [...placed, ...queued];
  }
}

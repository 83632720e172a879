import type { Store } from '../store';
import { createHmac } from 'node:crypto';
import { anonymousMember, validateAnswer, buildTally, type Member, type RawAnswerInput, type Answer, type Tally } from '../domain/answer';
import { experienceOptions, isOpen, type Question } from '../domain/question';
import { KenniskringError } from '../domain/errors';
import type { Clock } from './ports';
import type { CountUpdater } from './countUpdater';
import { RateLimiter } from './rateLimit';

/** A member may submit (or change) answers this often: generous for people, a stop for scripts. */
export const ANSWER_LIMIT = { perMember: 10, windowMs: 60_000 };

export interface AnswerOutcome {
  question: Question;
  answer: Answer;
  tally: Tally;
  totalAcross: number;
  replaced: boolean;
  /** The member sent no comment from the blank card and their earlier one was kept. */
  commentKept: boolean;
}

const hmac = (salt: string, value: string) => createHmac('sha256', salt).update(value).digest('base64url').slice(0, 32);

/** How the store knows a member for a question: themselves, or on an anonymous question the salted hash that stands for them. */
export async function answeringAs(store: Store, q: Question, member: Member): Promise<Member> {
  return q.anonymous ? anonymousMember(member, await store.questions.salt(q.id), hmac) : member;
}

/** An answer off the card: `editing` when the form was prefilled; `contact` the consent toggle, with the member's sign-in name when Teams gave it. */
export type AnswerInput = RawAnswerInput & { editing?: boolean; contact?: boolean; upn?: string | null };

/** Records a member's answer: validated, stored durably first, one per member per question. */
export class AnswerService {
  private readonly limiter: RateLimiter;

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly counts: CountUpdater) {
    this.limiter = new RateLimiter(ANSWER_LIMIT.perMember, ANSWER_LIMIT.windowMs, clock);
  }

  async question(questionId: string): Promise<Question> {
    const q = await this.store.questions.get(questionId);
    if (!q) throw new KenniskringError('question_unknown', `no question ${JSON.stringify(questionId.slice(0, 80))}`);
    return q;
  }

  /**
   * `editing`: the form was prefilled with this member's answer, so an empty comment means they
   * cleared it. From the blank shared card an empty comment keeps the one they gave before
   * (`commentKept` in the outcome, and the card says so).
   */
  async submit(questionId: string, rkkId: string | null, member: Member, input: AnswerInput): Promise<AnswerOutcome> {
    const q = await this.question(questionId);
    const now = this.clock.now();
    if (!isOpen(q, now)) {
      throw new KenniskringError(q.publishAt && q.publishAt <= now ? 'question_closed' : 'question_not_open', `question ${q.id} is not open`);
    }
    const value = validateAnswer(q, input);
    if (!this.limiter.allow(member.key)) throw new KenniskringError('rate_limited', `member ${member.key} is over ${ANSWER_LIMIT.perMember} answers a minute`);
    // The store keeps the earlier comment in the same unit of work: no extra read on the hot path.
    const keepComment = q.allowComment && value.comment === null && !input.editing;
    let answer = await this.store.answers.upsert(q.id, rkkId, await this.as(q, member), value, now, { keepComment });
    answer = await this.consent(q, answer, input, now);
    if (rkkId) this.counts.touch(q.id, rkkId);
    return { question: q, answer, replaced: answer.revision > 1, commentKept: keepComment && answer.comment !== null, ...(await this.tallies(q, rkkId)) };
  }

  /**
   * "Collega's mogen me hierover contacteren", sent with the answer: kept only while the answer
   * chooses an option that means "we did it already". From the blank shared card (its toggle
   * starts off) an earlier yes is kept, as a comment is; the prefilled form says what they want now.
   */
  private async consent(q: Question, answer: Answer, input: AnswerInput, now: Date): Promise<Answer> {
    const ids = experienceOptions(q);
    const chose = answer.choices.some((id) => ids.includes(id));
    const wants = chose && (input.contact === true || (!input.editing && answer.contact));
    const upn = wants ? input.upn ?? null : null;
    if (wants === answer.contact && (!upn || upn === answer.contactUpn)) return answer;
    await this.store.answers.setContact(q.id, answer.member.key, wants, upn, now);
    return { ...answer, contact: wants, contactUpn: wants ? upn ?? answer.contactUpn : null };
  }

  async tallies(q: Question, rkkId: string | null): Promise<{ tally: Tally; totalAcross: number }> {
    const tally = buildTally(q, await this.store.answers.counts(q.id, rkkId));
    return { tally, totalAcross: rkkId ? await this.store.answers.count(q.id) : tally.respondents };
  }

  /** The member's own answer to a question (recognised through the hash on anonymous questions). */
  async current(questionId: string, member: Member): Promise<Answer | null> {
    const q = await this.store.questions.get(questionId);
    if (!q) return null;
    if (q.anonymous && q.closedAt) return null; // the salt is gone: nobody can be recognised any more
    return this.store.answers.get(questionId, (await this.as(q, member)).key);
  }

  /** How the store knows this member for this question. */
  private as(q: Question, member: Member): Promise<Member> {
    return answeringAs(this.store, q, member);
  }

  /** The keys a member has on open anonymous questions (for erasing them). */
  async anonymousKeys(member: Member): Promise<{ questionId: string; key: string }[]> {
    return (await this.store.questions.salts()).map(({ questionId, salt }) => ({ questionId, key: anonymousMember(member, salt, hmac).key }));
  }
}

import { cleanMemberText } from './text';
import { KenniskringError } from './errors';
import { answerOptions, type Question } from './question';

export const MAX_COMMENT_LENGTH = 2000;
export const MAX_OPEN_ANSWER_LENGTH = 2000;

/** Who answered: Entra object id when Teams gives one, else the Teams user id. */
export interface Member {
  key: string;
  aadObjectId: string | null;
  teamsUserId: string;
  name: string;
}

export function memberFrom(from: { id: string; aadObjectId?: string | undefined; name?: string | undefined }): Member {
  return {
    key: from.aadObjectId || from.id,
    aadObjectId: from.aadObjectId || null,
    teamsUserId: from.id,
    name: cleanMemberText(from.name ?? '').slice(0, 200),
  };
}

/**
 * The member as an anonymous question keeps them: a salted hash, enough for one answer per member
 * and nothing more (no name, no Entra id). The salt is the question's own and is deleted at close.
 */
export function anonymousMember(member: Member, salt: string, hmac: (salt: string, value: string) => string): Member {
  return { key: `anon:${hmac(salt, member.key)}`, aadObjectId: null, teamsUserId: '', name: '' };
}

/** What a member chose: option ids (choice and scale kinds) or free text (open kind). */
export interface AnswerValue {
  choices: string[];
  text: string | null;
  comment: string | null;
}

export interface Answer extends AnswerValue {
  questionId: string;
  rkkId: string | null;
  member: Member;
  answeredAt: Date;
  updatedAt: Date;
  revision: number;
  /** They chose an option that means "we did it already" and let colleagues contact them about it (never on anonymous questions). */
  contact: boolean;
  /** Their sign-in name (UPN), for the Teams chat link colleagues open; null when Teams did not say. */
  contactUpn: string | null;
}

/** Raw input as it comes off a card: strings, possibly empty. */
export interface RawAnswerInput {
  choice?: string | undefined;
  text?: string | undefined;
  comment?: string | undefined;
}

/** Checks a raw card input against the question's kind; throws a coded error, changes nothing. */
export function validateAnswer(q: Question, input: RawAnswerInput): AnswerValue {
  const comment = normaliseText(input.comment);
  if (comment && comment.length > MAX_COMMENT_LENGTH) {
    throw new KenniskringError('comment_too_long', `comment has ${comment.length} characters`, { max: MAX_COMMENT_LENGTH });
  }
  if (comment && !q.allowComment) {
    throw new KenniskringError('card_data_invalid', 'this question takes no comment');
  }
  if (q.kind === 'open') {
    const text = normaliseText(input.text);
    if (!text) throw new KenniskringError('answer_missing', 'open answer is empty');
    if (text.length > MAX_OPEN_ANSWER_LENGTH) {
      throw new KenniskringError('text_too_long', `answer has ${text.length} characters`, { max: MAX_OPEN_ANSWER_LENGTH });
    }
    return { choices: [], text, comment };
  }
  const raw = (input.choice ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (raw.length === 0) throw new KenniskringError('answer_missing', 'no option chosen');
  const valid = new Set(answerOptions(q).map((o) => o.id));
  const unknown = raw.find((c) => !valid.has(c));
  if (unknown !== undefined) throw new KenniskringError('answer_invalid_option', `option ${JSON.stringify(unknown.slice(0, 20))} does not exist`);
  const choices = [...new Set(raw)];
  if (q.kind !== 'multiple' && choices.length > 1) throw new KenniskringError('answer_too_many', 'only one option may be chosen');
  // Keep the question's own order so a stored answer reads the same however it was ticked.
  const order = answerOptions(q).map((o) => o.id);
  choices.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return { choices, text: null, comment };
}

function normaliseText(s: string | undefined): string | null {
  const t = cleanMemberText(s ?? '').trim();
  return t.length ? t : null;
}

/** What a member wrote with their answer, as colleagues see it: without a name on anonymous questions. */
export interface Explanation { name: string | null; text: string }
/** Some of an RKK's explanations (the newest) and how many there are. */
export interface ExplanationList { items: Explanation[]; total: number }

export interface TallyRow {
  optionId: string;
  label: string;
  count: number;
  /** Share of respondents, 0–100, rounded. */
  percent: number;
}

export interface Tally {
  questionId: string;
  respondents: number;
  rows: TallyRow[];
  /** Mean of a 1–5 scale, one decimal; null for other kinds or no answers. */
  average: number | null;
  comments: number;
}

export interface AnswerCounts {
  respondents: number;
  /** Option id → how many respondents chose it. */
  perOption: ReadonlyMap<string, number>;
  comments: number;
}

/** The tally a member or the results card shows, from counts the store aggregates (pure). */
export function buildTally(q: Question, counts: AnswerCounts): Tally {
  const { respondents } = counts;
  const rows = q.kind === 'open' ? [] : answerOptions(q).map((o) => {
    const count = counts.perOption.get(o.id) ?? 0;
    return { optionId: o.id, label: o.label, count, percent: respondents ? Math.round((count / respondents) * 100) : 0 };
  });
  let average: number | null = null;
  if (q.kind === 'scale' && respondents) {
    const sum = rows.reduce((acc, r) => acc + Number(r.optionId) * r.count, 0);
    average = Math.round((sum / respondents) * 10) / 10;
  }
  return { questionId: q.id, respondents, rows, average, comments: counts.comments };
}

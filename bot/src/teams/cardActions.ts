import { z } from 'zod';
import type { Activity, InvokeResponse } from 'botbuilder';
import type { Route, Turn } from './router';
import { langOfActivity, memberOf, teamId } from './activity';
import { answeredCard, infoCard, planCard, questionCard, resultsCard, type PlanValues } from '../cards/render';
import { texts } from '../cards/texts';
import type { Lang } from '../cards/strings';
import { cardResponse, errorResponse, sendInvokeResponse } from './reply';
import { audit, isAdmin, isModeratorHere } from './commands';
import { KenniskringError, isKenniskringError } from '../domain/errors';
import { isOpen, placementProblem, questionFromInput } from '../domain/question';
import { questionInputSchema, describeIssues } from '../domain/questionSchema';
import { isStoreUnavailable, type Rkk } from '../store';

/** Card verbs: constants here, one handler each. */
export const VERBS = { answer: 'kk.answer', edit: 'kk.edit', refresh: 'kk.refresh', plan: 'kk.plan' } as const;

const invokeSchema = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().max(64),
    data: z.record(z.string(), z.unknown()).default({}),
  }),
});

const questionRef = z.object({ questionId: z.string().min(1).max(64) });
// Generous caps here; the domain gives the precise, friendly limit (e.g. 2,000 characters for a comment).
const answerData = questionRef.extend({
  choice: z.string().max(400).optional(),
  text: z.string().max(8000).optional(),
  comment: z.string().max(8000).optional(),
});
const planData = z.object({
  text: z.string().max(2000).default(''),
  kind: z.string().max(20).default(''),
  options: z.string().max(4000).default(''),
  theme: z.string().max(40).default(''),
  week: z.string().max(20).default(''),
  anonymous: z.enum(['true', 'false']).default('false'),
});

interface ActionInput { turn: Turn; lang: Lang; rkk: Rkk | null; data: Record<string, unknown> }
type Handler = (input: ActionInput) => Promise<InvokeResponse>;

function parse<T>(schema: z.ZodType<T>, data: unknown): T {
  const r = schema.safeParse(data);
  if (!r.success) throw new KenniskringError('card_data_invalid', describeIssues(r.error).join('; ').slice(0, 300));
  return r.data;
}

function ctxFor(turn: Turn, lang: Lang, rkk: Rkk | null) {
  return { lang, timeZone: turn.deps.schedule.timeZone, rkkName: rkk?.name ?? null };
}

/** The view of a question for one member: their answer and the tally, the form, or the results once closed. */
async function memberView(turn: Turn, lang: Lang, rkk: Rkk | null, questionId: string): Promise<InvokeResponse> {
  const { deps } = turn;
  const q = await deps.answers.question(questionId);
  const member = memberOf(turn.ctx.activity);
  const { tally, totalAcross } = await deps.answers.tallies(q, rkk?.id ?? null);
  if (!isOpen(q, deps.clock.now())) {
    return cardResponse(resultsCard(q, tally, { ...ctxFor(turn, lang, rkk), totalAcross, closed: true }));
  }
  const mine = await deps.answers.current(q.id, member);
  if (mine) return cardResponse(answeredCard(q, mine, tally, { ...ctxFor(turn, lang, rkk), totalAcross, canChange: true }));
  return cardResponse(questionCard(q, { ...ctxFor(turn, lang, rkk), count: tally.respondents }));
}

const HANDLERS: Record<string, Handler> = {
  [VERBS.answer]: async ({ turn, lang, rkk, data }) => {
    const input = parse(answerData, data);
    const outcome = await turn.deps.answers.submit(input.questionId, rkk?.id ?? null, memberOf(turn.ctx.activity), input);
    turn.log.info({ questionId: outcome.question.id, revision: outcome.answer.revision }, outcome.replaced ? 'answer changed' : 'answer recorded');
    return cardResponse(answeredCard(outcome.question, outcome.answer, outcome.tally, { ...ctxFor(turn, lang, rkk), totalAcross: outcome.totalAcross, canChange: true }));
  },

  [VERBS.edit]: async ({ turn, lang, rkk, data }) => {
    const { questionId } = parse(questionRef, data);
    const q = await turn.deps.answers.question(questionId);
    if (!isOpen(q, turn.deps.clock.now())) return memberView(turn, lang, rkk, questionId);
    const current = await turn.deps.answers.current(q.id, memberOf(turn.ctx.activity));
    const count = await turn.deps.store.answers.count(q.id, rkk?.id ?? null);
    return cardResponse(questionCard(q, { ...ctxFor(turn, lang, rkk), count, current }));
  },

  [VERBS.refresh]: async ({ turn, lang, rkk, data }) => memberView(turn, lang, rkk, parse(questionRef, data).questionId),

  [VERBS.plan]: async ({ turn, lang, rkk, data }) => {
    const admin = isAdmin(turn);
    if (!admin && !(await isModeratorHere(turn, rkk))) throw new KenniskringError('not_admin', 'plan by someone who is neither admin nor moderator here');
    const form = parse(planData, data);
    const values: PlanValues = form;
    const { deps } = turn;
    const weekHint = deps.schedule.weekOf(new Date(deps.clock.now().getTime() + 7 * 86_400_000));
    const options = form.options.split('\n').map((s) => s.trim()).filter(Boolean);
    const candidate = {
      id: planId(form.text, deps.clock.now()),
      text: form.text,
      kind: form.kind,
      theme: form.theme,
      ...(form.kind === 'single' || form.kind === 'multiple' ? { options } : {}),
      ...(form.week.trim() ? { week: form.week.trim().toUpperCase() } : {}),
      anonymous: form.anonymous === 'true',
      // A moderator plans for their own RKK only.
      ...(admin ? {} : { targets: [rkk!.id] }),
    };
    const parsed = questionInputSchema.safeParse(candidate);
    if (!parsed.success) {
      return cardResponse(planCard({ lang, values, weekHint, error: describeIssues(parsed.error).join('\n') }));
    }
    const member = memberOf(turn.ctx.activity);
    const q = questionFromInput(parsed.data, deps.schedule, { source: 'command', createdBy: member.key, queueOrder: (await deps.store.questions.maxQueueOrder()) + 1 });
    const inThePast = q.closesAt && q.closesAt <= deps.clock.now() ? `de week ${q.week} is al voorbij` : null;
    const problem = placementProblem(q) ?? inThePast;
    if (problem) return cardResponse(planCard({ lang, values, weekHint, error: `week: ${problem}` }));
    if (await deps.store.questions.get(q.id)) return cardResponse(planCard({ lang, values, weekHint, error: 'Deze vraag werd net al gepland.' }));
    await deps.store.questions.insert(q, deps.clock.now());
    turn.log.info({ questionId: q.id, week: q.week, by: member.key }, 'question planned');
    await audit(turn, 'plan', q.id, q.week ? `week ${q.week}` : 'wachtrij');
    const t = texts(lang);
    const line = q.week ? t.planned(q.week) : t.plannedQueue((await deps.store.questions.queued()).findIndex((x) => x.id === q.id) + 1);
    return cardResponse(infoCard({ title: t.plannedTitle, lines: [{ literal: q.text, bold: true }, line], color: 'Good' }));
  },
};

/** An id from the question text: "Gebruiken jullie MAGDA?" → "gebruiken-jullie-magda-k3x9". */
function planId(text: string, now: Date): string {
  const slug = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return `${slug || 'vraag'}-${now.getTime().toString(36).slice(-5)}`;
}

/** Journey 3: Action.Execute from a card. Always answers: a card, or a clear error — never a 500. */
export const cardActionRoute: Route = {
  name: 'card-action',
  select: (a: Activity) => a.type === 'invoke' && a.name === 'adaptiveCard/action',
  async handle(turn) {
    const a = turn.ctx.activity;
    const lang = langOfActivity(a);
    let response: InvokeResponse;
    try {
      const { action } = parse(invokeSchema, a.value);
      const handler = HANDLERS[action.verb];
      if (!handler) throw new KenniskringError('verb_unknown', `unknown verb ${JSON.stringify(action.verb.slice(0, 64))}`);
      const team = teamId(a);
      const rkk = team ? await turn.deps.store.rkks.get(team) : null;
      response = await handler({ turn, lang, rkk, data: action.data });
    } catch (err) {
      if (isStoreUnavailable(err)) throw err; // the edge answers 503: Teams shows the member an error, nothing was stored
      response = errorToResponse(turn, lang, err);
    }
    await sendInvokeResponse(turn.ctx, response);
  },
};

function errorToResponse(turn: Turn, lang: Lang, err: unknown): InvokeResponse {
  const t = texts(lang);
  if (!isKenniskringError(err)) {
    turn.log.error({ err }, 'card action failed');
    return cardResponse(infoCard({ title: t.errorsTitle, lines: [t.sorry], color: 'Attention' }));
  }
  turn.log.info({ code: err.code, reason: err.message }, 'card action refused');
  if (err.code === 'card_data_invalid' || err.code === 'verb_unknown') return errorResponse(400, err.code, t.errors[err.code]);
  return cardResponse(infoCard({ title: t.errorsTitle, lines: [t.errors[err.code]], color: 'Attention' }));
}

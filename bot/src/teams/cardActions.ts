import { z } from 'zod';
import type { Activity, InvokeResponse } from 'botbuilder';
import type { Route, Turn } from './router';
import { actorOf, isPersonal, localeOf } from './activity';
import { askApprovalCard, proposalApprovalCard, withRkk, explanationsCard, highlightCard, infoCard, formatMoment, momentFormCard, planCard, planPreviewCard, planWhen, type Card } from '../cards/render';
import type { MomentView } from '../domain/moment';
import type { PlanInput, PlanView } from '../domain/plan';
import { LIMITS, chooseLang, isLang, messages, type Lang } from '../messages';
import { languagesOf } from '../domain/question';
import { cardResponse, errorResponse, sendInvokeResponse } from './reply';
import { questionViewCard, type RenderContext } from './views';
import { closeReply, myDataReply, publishReply, remindReply, upcomingReply } from './commands';
import { signInNameOf } from './roster';
import { KenniskringError, isKenniskringError } from '../domain/errors';
import { describeIssues } from '../domain/questionSchema';
import { isStoreUnavailable, type InputOf, type OperationName, type ViewOf } from '../services/app';

/** Card verbs: constants here, one operation each. */
export const VERBS = { answer: 'kk.answer', edit: 'kk.edit', refresh: 'kk.refresh', plan: 'kk.plan', planPreview: 'kk.planPreview', planEdit: 'kk.planEdit', comments: 'kk.comments', highlightPick: 'kk.highlightPick', highlight: 'kk.highlight', momentForm: 'kk.momentForm', momentPlan: 'kk.momentPlan', askApprove: 'kk.askApprove', askReject: 'kk.askReject', remind: 'kk.remind', contact: 'kk.contact', contactMyData: 'kk.contactMyData', propose: 'kk.propose', proposalApprove: 'kk.proposalApprove', proposalReject: 'kk.proposalReject', upcoming: 'kk.upcoming', publish: 'kk.publish', close: 'kk.close', cancel: 'kk.cancel' } as const;

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
  /** '1' when the form was prefilled with the member's answer (an emptied comment is then a removal). */
  editing: z.enum(['0', '1']).optional(),
  /** The toggle "Collega's mogen me hierover contacteren" (questions with options that mean "we did it already"). */
  contact: z.enum(['true', 'false']).optional(),
});
const contactData = questionRef.extend({ on: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]) });
const flag = (byDefault: boolean) => z.enum(['true', 'false']).default(byDefault ? 'true' : 'false').transform((v) => v === 'true');
const planFields = z.object({
  text: z.string().max(2000).default(''),
  kind: z.string().max(20).default(''),
  theme: z.string().max(40).default(''),
  date: z.string().max(20).default(''),
  scaleLow: z.string().max(400).default(''),
  scaleHigh: z.string().max(400).default(''),
  anonymous: flag(false),
  comment: flag(true),
  id: z.string().max(80).optional(),
  /** The option fields ("1" … "10", comma-separated) that mean "we did it already". */
  experience: z.string().max(40).default(''),
  ...Object.fromEntries(Array.from({ length: LIMITS.optionsMax }, (_, i) => [`option${i + 1}`, z.string().max(400).default('')])) as Record<`option${number}`, z.ZodDefault<z.ZodString>>,
});

/**
 * The plan form as sent: its fields (the form's own button), or the same fields under `plan`
 * (the preview's buttons, which carry the form and gather none of the sample card's inputs).
 */
function planInput(data: Record<string, unknown>): PlanInput {
  const fields = data.plan !== undefined ? data.plan : data;
  const { id, ...f } = parse(planFields, fields);
  const fieldsTyped = Array.from({ length: LIMITS.optionsMax }, (_, i) => ((f as Record<string, unknown>)[`option${i + 1}`] as string).trim());
  const options = fieldsTyped.filter(Boolean);
  // The experience picker names option fields; the question numbers the filled ones (an empty field marked stays a problem: 99).
  const position = (field: number) => (fieldsTyped[field - 1] ? fieldsTyped.slice(0, field).filter(Boolean).length : 99);
  const experience = [...new Set(f.experience.split(',').map((n) => Number(n.trim())).filter((n) => Number.isInteger(n) && n >= 1 && n <= LIMITS.optionsMax))].map(position);
  return {
    text: f.text, kind: f.kind, theme: f.theme, date: f.date, scaleLow: f.scaleLow, scaleHigh: f.scaleHigh, anonymous: f.anonymous, comment: f.comment, options,
    ...(experience.length ? { experience } : {}), ...(id ? { id } : {}),
  };
}

function parse<T>(schema: z.ZodType<T>, data: unknown): T {
  const r = schema.safeParse(data);
  if (!r.success) throw new KenniskringError('card_data_invalid', describeIssues(r.error).join('; ').slice(0, 300));
  return r.data;
}

/** One card verb: the operation it asks for, how the card's data is read and the answer shown. */
interface Verb<K extends OperationName> {
  operation: K;
  input(data: Record<string, unknown>, member: { upn: string | null }): InputOf<K>;
  /** Whether the operation needs the member's sign-in name (asked of Teams first): consent to be contacted needs it for the chat link. */
  wantsSignInName?(data: Record<string, unknown>): boolean;
  render(view: ViewOf<K>, r: RenderContext, data: Record<string, unknown>): InvokeResponse;
  /** The languages the view's content exists in (a question may have an English text). */
  contentIn?(view: ViewOf<K>): readonly Lang[];
}
type AnyVerb = { [K in OperationName]: Verb<K> }[OperationName];

const questionId = (data: Record<string, unknown>) => parse(questionRef, data).questionId;
const asCard = (view: ViewOf<'refresh'>, r: RenderContext) => cardResponse(questionViewCard(view, r));
const questionLanguages = (view: ViewOf<'refresh'>) => languagesOf(view.question);

const HANDLERS: Record<string, AnyVerb> = {
  [VERBS.answer]: {
    operation: 'answer', render: asCard, contentIn: questionLanguages,
    input: (data, { upn }) => {
      const { editing, contact, ...a } = parse(answerData, data);
      return { ...a, editing: editing === '1', ...(contact ? { contact: contact === 'true', upn } : {}) };
    },
    wantsSignInName: (data) => data.contact === 'true',
  },
  [VERBS.contact]: {
    operation: 'contact', render: asCard, contentIn: questionLanguages,
    input: (data, { upn }) => ({ ...parse(contactData, data), upn }), wantsSignInName: (data) => parse(contactData, data).on,
  },
  [VERBS.contactMyData]: {
    operation: 'contactFromMyData', render: (view, r) => cardResponse(myDataReply(view, r).card),
    input: (data) => ({ ...parse(contactData, data), on: false, upn: null }),
  },
  [VERBS.edit]: { operation: 'editAnswer', input: questionId, render: asCard, contentIn: questionLanguages },
  [VERBS.refresh]: { operation: 'refresh', input: questionId, render: asCard, contentIn: questionLanguages },
  [VERBS.comments]: {
    operation: 'explanations', input: questionId, contentIn: (view) => languagesOf(view.question),
    render(view, r) {
      if (view.kind === 'explanations') return cardResponse(explanationsCard(view.question, view.list, r));
      const t = messages(r.lang);
      return cardResponse(infoCard({ title: t.explanationsTitle, lines: [t.explanationsAnswerFirst], color: 'Attention' }));
    },
  },
  [VERBS.highlightPick]: { operation: 'highlightPick', input: questionId, render: (view, r) => cardResponse(highlightCard(view, r)) },
  [VERBS.highlight]: {
    operation: 'highlight',
    input(data) {
      const d = parse(questionRef.extend({ highlights: z.string().max(4000).default('') }), data);
      return { questionId: d.questionId, memberKeys: d.highlights.split(',').map((k) => k.trim()).filter(Boolean) };
    },
    render: (view, r) => cardResponse(highlightCard(view, r)),
  },
  [VERBS.momentForm]: {
    operation: 'momentForm', input: (data) => parse(z.object({ theme: z.string().max(200).default('') }), data),
    render: (view, r) => cardResponse(momentReply(view, r)),
  },
  [VERBS.momentPlan]: {
    operation: 'planMoment',
    input: (data) => {
      const f = parse(z.object({
        title: z.string().max(2000).default(''), date: z.string().max(20).default(''), time: z.string().max(20).default(''),
        where: z.string().max(2000).default(''), description: z.string().max(8000).default(''), theme: z.string().max(200).default(''), id: z.string().max(80).optional(),
      }), data);
      return { ...f, ...(f.id ? { id: f.id } : {}) } as Parameters<typeof momentFormCard>[0]['values'];
    },
    render: (view, r) => cardResponse(momentReply(view, r)),
  },
  [VERBS.askApprove]: { operation: 'decideAsk', input: (data) => decision(data, true), render: (view, r) => cardResponse(askApprovalCard(view, r)) },
  [VERBS.askReject]: { operation: 'decideAsk', input: (data) => decision(data, false), render: (view, r) => cardResponse(askApprovalCard(view, r)) },
  [VERBS.remind]: {
    operation: 'reminders',
    input: (data) => {
      const d = parse(z.object({ on: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true), rkkId: z.string().min(1).max(200).optional() }), data);
      return { on: d.on, ...(d.rkkId ? { rkkId: d.rkkId } : {}) };
    },
    render: (view, r) => cardResponse(remindReply(view, r).card),
  },
  [VERBS.upcoming]: {
    operation: 'upcoming', input: (data) => parse(z.object({ page: z.coerce.number().int().min(1).max(1000).default(1) }), data).page,
    render: (view, r) => cardResponse(upcomingReply(view, r).card),
  },
  [VERBS.publish]: {
    operation: 'publish',
    input(data) {
      const d = parse(z.object({ questionId: z.string().min(1).max(64).optional(), week: z.string().max(10).optional(), next: z.boolean().optional() }), data);
      return { next: d.next === true, ...(d.questionId && d.week ? { confirm: { questionId: d.questionId, week: d.week } } : {}) };
    },
    render: (view, r) => cardResponse(publishReply(view, r).card),
  },
  [VERBS.close]: { operation: 'close', input: questionId, render: (view, r) => cardResponse(closeReply(view, r).card) },
  [VERBS.cancel]: {
    operation: 'help', input: () => undefined,
    render: (_view, { lang }) => cardResponse(infoCard({ title: messages(lang).cancelledTitle, lines: [messages(lang).cancelled] })),
  },
  [VERBS.propose]: { operation: 'propose', input: proposeInput, render: (view, r, data) => cardResponse(proposeReply(view, r, proposeInput(data))) },
  [VERBS.proposalApprove]: { operation: 'decideProposal', input: (data) => proposalDecision(data, true), render: (view, r) => cardResponse(proposalApprovalCard(view, r)) },
  [VERBS.proposalReject]: { operation: 'decideProposal', input: (data) => proposalDecision(data, false), render: (view, r) => cardResponse(proposalApprovalCard(view, r)) },
  [VERBS.planPreview]: { operation: 'planPreview', input: planInput, render: (view, r, data) => cardResponse(planReply(view, r, planInput(data))) },
  [VERBS.plan]: { operation: 'planQuestion', input: planInput, render: (view, r, data) => cardResponse(planReply(view, r, planInput(data))) },
  [VERBS.planEdit]: {
    operation: 'planForm', input: () => undefined,
    render: (facts, r, data) => cardResponse(planCard({ lang: r.lang, timeZone: r.timeZone, facts, values: planInput(data) })),
  },
};

/** The `stel voor` form as sent: the plan form's question fields, and whether the card may name the proposer. */
function proposeInput(data: Record<string, unknown>): InputOf<'propose'> {
  const p = planInput(data);
  return { text: p.text, kind: p.kind, options: p.options, scaleLow: p.scaleLow, scaleHigh: p.scaleHigh, theme: p.theme, showName: parse(z.object({ showName: flag(true) }), data).showName };
}

/** The `stel voor` form again (with its problems), or that it went to the approvers. */
function proposeReply(view: ViewOf<'propose'>, r: RenderContext, form: InputOf<'propose'>): Card {
  const t = messages(r.lang);
  switch (view.kind) {
    case 'invalid': return planCard({ lang: r.lang, timeZone: r.timeZone, facts: view.facts, values: { ...form, date: '', anonymous: false, comment: true }, problems: view.problems, proposal: { showName: form.showName } });
    case 'noRkk': return infoCard({ title: t.card.proposeTitle, lines: [t.proposeNoRkk], color: 'Attention' });
    // The question is the member's own text: shown literally.
    case 'sent': return infoCard({ title: t.card.proposeTitle, lines: [{ literal: view.proposal.draft.text, bold: true }, { literal: t.proposeSent(view.rkkName, view.approvers) }], color: 'Good' });
  }
}

function proposalDecision(data: Record<string, unknown>, approve: boolean): InputOf<'decideProposal'> {
  const d = parse(z.object({ proposalId: z.string().min(1).max(120), text: z.string().max(8000).default(''), reason: z.string().max(8000).default('') }), data);
  return { proposalId: d.proposalId, approve, text: d.text, reason: d.reason };
}

function decision(data: Record<string, unknown>, approve: boolean): InputOf<'decideAsk'> {
  const d = parse(z.object({ askId: z.string().min(1).max(64), text: z.string().max(8000).default(''), reason: z.string().max(8000).default('') }), data);
  return { askId: d.askId, approve, text: d.text, reason: d.reason };
}

/** The knowledge-moment form again (with its problems), or what was planned. */
function momentReply(view: MomentView, r: RenderContext): Card {
  const t = messages(r.lang);
  if (view.kind === 'form') return momentFormCard(view, r);
  return infoCard({
    title: t.momentPlannedTitle, color: 'Good',
    lines: [{ literal: view.moment.title, bold: true }, formatMoment(view.moment.startsAt, r), view.again ? t.momentPlannedAgain : t.momentPlanned(view.rkks)],
  });
}

/** The plan form's answer: the form again with its problems, the preview, or what was planned. */
function planReply(view: PlanView, r: RenderContext, form: PlanInput): Card {
  const t = messages(r.lang);
  switch (view.kind) {
    case 'invalid': return planCard({ lang: r.lang, timeZone: r.timeZone, facts: view.facts, values: form, problems: view.problems });
    case 'duplicate': return infoCard({ title: t.plannedTitle, lines: [t.planDuplicate] });
    case 'preview': return planPreviewCard(view.draft, form, r);
    case 'planned': {
      const d = view.draft;
      const line = !d.question.week ? t.plannedQueue(d.queuePosition ?? 1) : d.immediate ? t.plannedImmediate : t.plannedIn(planWhen(d, r));
      return infoCard({ title: t.plannedTitle, lines: [{ literal: d.question.text, bold: true }, line], color: 'Good' });
    }
  }
}

/** The member's own question verbs: from a personal chat (a reminder) they may name the RKK the answer counts in. */
const RKK_SCOPED: ReadonlySet<string> = new Set([VERBS.answer, VERBS.edit, VERBS.refresh, VERBS.comments, VERBS.contact]);

async function runVerb<K extends OperationName>(turn: Turn, name: string, verb: Verb<K>, data: Record<string, unknown>, cardLang: Lang | null): Promise<InvokeResponse> {
  const a = turn.ctx.activity;
  const actor = actorOf(a);
  // A reminder's card in a personal chat names its RKK: the answer counts there, as in the channel (the next cards name it too).
  const scopedTo = RKK_SCOPED.has(name) && isPersonal(a) && typeof data.rkkId === 'string' && data.rkkId.length <= 200 ? data.rkkId : null;
  const upn = verb.wantsSignInName?.(data) ? await signInNameOf(turn.ctx, turn.log) : null;
  const outcome = await turn.deps.services.perform(verb.operation, scopedTo ? { ...actor, teamId: scopedTo, serviceUrl: null } : actor, verb.input(data, { upn }), turn.log);
  if (!outcome.allowed) throw new KenniskringError(outcome.role === 'admin' ? 'not_admin' : 'not_moderator', `${verb.operation} needs the role ${outcome.role}`);
  const lang = chooseLang({ card: cardLang, rkk: outcome.rkkLang, locale: localeOf(a), contentIn: verb.contentIn?.(outcome.view) ?? [] });
  const response = verb.render(outcome.view, { lang, timeZone: turn.deps.timeZone, rkkName: outcome.rkkName }, data);
  const card = (response.body as { value?: unknown } | undefined)?.value;
  if (scopedTo && outcome.rkkName !== null && card && typeof card === 'object') withRkk(card as Card, scopedTo);
  return response;
}

/** Journey 3: Action.Execute from a card. Always answers: a card, or a clear error — never a 500. */
export const cardActionRoute: Route = {
  name: 'card-action',
  select: (a: Activity) => a.type === 'invoke' && a.name === 'adaptiveCard/action',
  async handle(turn) {
    const a = turn.ctx.activity;
    // The card says which language it was shown in; a refusal is said in that language too.
    const cardData = (a.value as { action?: { data?: { lang?: unknown } } } | undefined)?.action?.data;
    const cardLang = isLang(cardData?.lang) ? cardData.lang : null;
    let response: InvokeResponse;
    try {
      const { action } = parse(invokeSchema, a.value);
      const verb = HANDLERS[action.verb];
      if (!verb) throw new KenniskringError('verb_unknown', `unknown verb ${JSON.stringify(action.verb.slice(0, 64))}`);
      response = await runVerb(turn, action.verb, verb as Verb<OperationName>, action.data, cardLang);
    } catch (err) {
      if (isStoreUnavailable(err)) throw err; // the edge answers 503: Teams shows the member an error, nothing was stored
      response = errorToResponse(turn, chooseLang({ card: cardLang }), err);
    }
    await sendInvokeResponse(turn.ctx, response);
  },
};

function errorToResponse(turn: Turn, lang: Lang, err: unknown): InvokeResponse {
  const t = messages(lang);
  if (!isKenniskringError(err)) {
    turn.log.error({ err }, 'card action failed');
    return cardResponse(infoCard({ title: t.errorsTitle, lines: [t.sorry], color: 'Attention' }));
  }
  turn.log.info({ code: err.code, reason: err.message }, 'card action refused');
  if (err.code === 'card_data_invalid' || err.code === 'verb_unknown') return errorResponse(400, err.code, t.errors[err.code](LIMITS));
  return cardResponse(infoCard({ title: t.errorsTitle, lines: [t.errors[err.code](LIMITS)], color: 'Attention' }));
}

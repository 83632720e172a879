import type { z } from 'zod';
import { questionFromInput, type QuestionSource } from '../../domain/question';
import { QUESTION_ID_RE, questionInputSchema } from '../../domain/questionSchema';
import { dayOf, isoWeekOfDay } from '../../domain/week';
import { audit, nextWeek, type Caller } from './context';
import { slugId } from '../../domain/text';
import type { PlanDraft, PlanFormFacts, PlanInput, PlanProblem, PlanView } from '../../domain/plan';

export type { PlanDraft, PlanField, PlanFormFacts, PlanInput, PlanProblem, PlanView } from '../../domain/plan';

export function planFormFacts(c: Caller): PlanFormFacts {
  const { schedule, clock } = c.app;
  return { today: dayOf(clock.now(), schedule.timeZone), sampleSlot: schedule.slotOf(nextWeek(c.app)) };
}

/** `plan`, step 1: the form as it will be planned, to look at before planning; nothing is stored. */
export async function planPreview(c: Caller, form: PlanInput): Promise<PlanView> {
  const draft = await draftOf(c, form);
  if ('problems' in draft) return { kind: 'invalid', problems: draft.problems, facts: planFormFacts(c) };
  const queuePosition = draft.question.week ? null : (await c.app.store.questions.queued()).length + 1;
  return { kind: 'preview', draft: { ...draft, queuePosition } };
}

/** `plan`, step 2 (moderators for their RKK, administrators for all): validated again, stored, audited. */
export async function planQuestion(c: Caller, form: PlanInput): Promise<PlanView> {
  const { store, clock } = c.app;
  const draft = await draftOf(c, form);
  if ('problems' in draft) return { kind: 'invalid', problems: draft.problems, facts: planFormFacts(c) };
  const q = draft.question;
  if (await store.questions.get(q.id)) return { kind: 'duplicate', facts: planFormFacts(c) };
  await store.questions.insert(q, clock.now());
  c.log.info({ questionId: q.id, week: q.week, by: c.member.key }, 'question planned');
  await audit(c, 'plan', q.id, q.week ? `week ${q.week}` : 'wachtrij');
  const queuePosition = q.week ? null : (await store.questions.queued()).findIndex((x) => x.id === q.id) + 1;
  return { kind: 'planned', draft: { ...draft, queuePosition } };
}

/** Who a question is for and where it comes from: `plan` by a moderator is for their RKK, by an administrator for all. */
interface DraftMeta { targets: string[] | null; source: QuestionSource; createdBy: string }

/**
 * The form as a question, or what is wrong with it, field by field. The same rules as the question
 * file (one schema); a proposed question is checked by them too.
 */
export async function draftOf(
  c: Caller, form: PlanInput, meta: DraftMeta = { targets: c.admin ? null : [c.rkk!.id], source: 'command', createdBy: c.member.key },
): Promise<Omit<PlanDraft, 'queuePosition'> | { problems: PlanProblem[] }> {
  const { store, schedule, clock } = c.app;
  const now = clock.now();
  const date = form.date.trim();
  const week = date ? isoWeekOfDay(date) : null;
  const choice = form.kind === 'single' || form.kind === 'multiple';
  const [low, high] = [form.scaleLow.trim(), form.scaleHigh.trim()];
  const scale = form.kind === 'scale' && (low || high);
  const candidate = {
    id: form.id && QUESTION_ID_RE.test(form.id) ? form.id : planId(form.text, now),
    text: form.text,
    kind: form.kind,
    theme: form.theme,
    // Option fields only count for choice questions; scale labels only for scale questions.
    ...(choice ? { options: form.options.map((o) => o.trim()).filter(Boolean) } : {}),
    ...(choice && form.experience?.length ? { experience: form.experience } : {}),
    ...(scale ? { scale: { low, high } } : {}),
    ...(week ? { week } : {}),
    comment: form.comment,
    anonymous: form.anonymous,
    ...(meta.targets ? { targets: meta.targets } : {}),
  };
  const problems: PlanProblem[] = [];
  if (date && !week) problems.push({ field: 'date', code: 'invalid' });
  if (scale && (!low || !high)) problems.push({ field: 'scale', code: 'both' });
  const parsed = questionInputSchema.safeParse(candidate);
  if (!parsed.success) problems.push(...problemsOf(parsed.error, candidate.text.trim().length, candidate.options ?? [], low, high));
  if (!parsed.success || problems.length) return { problems: unique(problems) };
  const question = questionFromInput(parsed.data, schedule, { source: meta.source, createdBy: meta.createdBy, queueOrder: (await store.questions.maxQueueOrder()) + 1 });
  if (question.closesAt && question.closesAt <= now) return { problems: [{ field: 'date', code: 'past' }] };
  return {
    question,
    span: question.week ? schedule.spanOf(question.week) : null,
    immediate: question.publishAt !== null && question.publishAt <= now,
    forRkk: meta.targets ? (await store.rkks.get(meta.targets[0]!))?.name ?? null : null,
  };
}

/** The schema's findings, each under the field it is about. */
function problemsOf(error: z.ZodError, textLength: number, options: string[], low: string, high: string): PlanProblem[] {
  return error.issues.map((issue): PlanProblem => {
    const [field, index] = issue.path;
    switch (field) {
      case 'text': return { field: 'text', code: 'length', length: textLength };
      case 'kind': return { field: 'kind', code: 'choose' };
      case 'theme': return { field: 'theme', code: 'choose' };
      case 'scale': return { field: 'scale', code: index === undefined || !(low && high) ? 'both' : 'tooLong' };
      case 'week': return { field: 'date', code: 'invalid' };
      case 'experience': return { field: 'experience', code: /anoniem/.test(issue.message) ? 'anonymous' : /minstens/.test(issue.message) ? 'all' : 'empty' };
      case 'options':
        if (typeof index !== 'number') return { field: 'options', code: 'count', count: options.length };
        return issue.code === 'custom' ? { field: 'options', code: 'duplicate', option: options[index]! } : { field: 'options', code: 'tooLong' };
      // The form has no other fields: anything else is ours to fix, not the moderator's.
      default: throw new Error(`the plan form made an invalid question: ${issue.path.join('.')}: ${issue.message}`);
    }
  });
}

function unique(problems: PlanProblem[]): PlanProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(JSON.stringify(p)) && seen.add(JSON.stringify(p)));
}

/** An id from the question text: "Gebruiken jullie MAGDA?" → "gebruiken-jullie-magda-k3x9". */
function planId(text: string, now: Date): string {
  return slugId(text, now, 'vraag');
}

import { placementProblem, questionFromInput, type Question } from '../../domain/question';
import { questionInputSchema, describeIssues } from '../../domain/questionSchema';
import { audit, nextWeek, type Caller } from './context';

/** The plan form's fields as the card sent them. */
export interface PlanInput { text: string; kind: string; options: string; theme: string; week: string; anonymous: 'true' | 'false' }

export type PlanView =
  | { kind: 'invalid'; problems: string[]; weekHint: string }
  | { kind: 'weekProblem'; problem: string; weekHint: string }
  | { kind: 'weekPast'; week: string; weekHint: string }
  | { kind: 'duplicate'; weekHint: string }
  | { kind: 'planned'; question: Question; queuePosition: number | null };

/** The plan form sent (moderators for their RKK, administrators for all): validated, stored, audited. */
export async function planQuestion(c: Caller, form: PlanInput): Promise<PlanView> {
  const { store, schedule, clock } = c.app;
  const now = clock.now();
  const weekHint = nextWeek(c.app);
  const options = form.options.split('\n').map((s) => s.trim()).filter(Boolean);
  const candidate = {
    id: planId(form.text, now),
    text: form.text,
    kind: form.kind,
    theme: form.theme,
    ...(form.kind === 'single' || form.kind === 'multiple' ? { options } : {}),
    ...(form.week.trim() ? { week: form.week.trim().toUpperCase() } : {}),
    anonymous: form.anonymous === 'true',
    // A moderator plans for their own RKK only.
    ...(c.admin ? {} : { targets: [c.rkk!.id] }),
  };
  const parsed = questionInputSchema.safeParse(candidate);
  if (!parsed.success) return { kind: 'invalid', problems: describeIssues(parsed.error), weekHint };
  const q = questionFromInput(parsed.data, schedule, { source: 'command', createdBy: c.member.key, queueOrder: (await store.questions.maxQueueOrder()) + 1 });
  const problem = placementProblem(q);
  if (problem) return { kind: 'weekProblem', problem, weekHint };
  if (q.closesAt && q.closesAt <= now) return { kind: 'weekPast', week: q.week!, weekHint };
  if (await store.questions.get(q.id)) return { kind: 'duplicate', weekHint };
  await store.questions.insert(q, now);
  c.log.info({ questionId: q.id, week: q.week, by: c.member.key }, 'question planned');
  await audit(c, 'plan', q.id, q.week ? `week ${q.week}` : 'wachtrij');
  const queuePosition = q.week ? null : (await store.questions.queued()).findIndex((x) => x.id === q.id) + 1;
  return { kind: 'planned', question: q, queuePosition };
}

/** An id from the question text: "Gebruiken jullie MAGDA?" → "gebruiken-jullie-magda-k3x9". */
function planId(text: string, now: Date): string {
  const slug = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return `${slug || 'vraag'}-${now.getTime().toString(36).slice(-5)}`;
}

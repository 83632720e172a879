import { z } from 'zod';
import { THEMES } from './themes';
import { CHOICE_KINDS, QUESTION_KINDS } from './question';
import { isIsoWeek } from './week';

/**
 * The shape of a question as moderators write it (question file, `plan` form).
 * Validated where it enters; everything after this is typed.
 */
/** How long a question and its parts may be (the messages name these as values). */
export const QUESTION_LIMITS = { textMin: 10, textMax: 500, optionsMin: 2, optionsMax: 10, optionMax: 120, scaleLabelMax: 60 } as const;
const L = QUESTION_LIMITS;

export const QUESTION_ID_RE = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;

export const questionInputSchema = z
  .object({
    id: z.string().regex(QUESTION_ID_RE, 'gebruik 3–64 kleine letters, cijfers of koppeltekens (bv. "magda-documentendienst")'),
    text: z.string().trim().min(L.textMin, `de vraag is te kort (minstens ${L.textMin} tekens)`).max(L.textMax, `de vraag is te lang (hoogstens ${L.textMax} tekens)`),
    kind: z.enum(QUESTION_KINDS, { error: `kies één van: ${QUESTION_KINDS.join(', ')}` }),
    options: z.array(z.string().trim().min(1, 'een optie mag niet leeg zijn').max(L.optionMax, `een optie is hoogstens ${L.optionMax} tekens`)).optional(),
    scale: z.object({ low: z.string().trim().min(1).max(L.scaleLabelMax), high: z.string().trim().min(1).max(L.scaleLabelMax) }).strict().optional(),
    comment: z.boolean().default(true),
    anonymous: z.boolean().default(false),
    theme: z.enum(THEMES, { error: `kies één van: ${THEMES.join(', ')}` }),
    targets: z.union([z.literal('all'), z.array(z.string().trim().min(1)).min(1, 'noem minstens één RKK, of "all"')]).default('all'),
    week: z.string().refine(isIsoWeek, 'schrijf de week als JJJJ-Www, bv. 2026-W49').optional(),
    /**
     * The options (numbered from 1) that mean the member's organisation did it already: who chose
     * one may let colleagues contact them. Choice questions only, never anonymous ones.
     */
    experience: z.array(z.number({ error: 'schrijf de nummers van de opties, bv. 1, 2' }).int('schrijf de nummers van de opties, bv. 1, 2').min(1, 'opties tellen vanaf 1')).max(L.optionsMax).optional(),
    closesAt: z.iso.datetime({ offset: true, error: 'schrijf een tijdstip als 2026-12-04T17:00:00+01:00' }).optional(),
    /** The question in English, for members whose Teams is in English (the options in the same order). */
    en: z.object({
      text: z.string().trim().min(L.textMin, `de Engelse vraag is te kort (minstens ${L.textMin} tekens)`).max(L.textMax, `de Engelse vraag is te lang (hoogstens ${L.textMax} tekens)`),
      options: z.array(z.string().trim().min(1, 'een optie mag niet leeg zijn').max(L.optionMax, `een optie is hoogstens ${L.optionMax} tekens`)).optional(),
      scale: z.object({ low: z.string().trim().min(1).max(L.scaleLabelMax), high: z.string().trim().min(1).max(L.scaleLabelMax) }).strict().optional(),
    }).strict().optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const isChoice = CHOICE_KINDS.includes(q.kind);
    if (isChoice) {
      const n = q.options?.length ?? 0;
      if (n < L.optionsMin || n > L.optionsMax) ctx.addIssue({ code: 'custom', path: ['options'], message: `een keuzevraag heeft ${L.optionsMin} tot ${L.optionsMax} opties (nu ${n})` });
      const seen = new Set<string>();
      for (const [i, o] of (q.options ?? []).entries()) {
        const key = o.toLocaleLowerCase('nl-BE');
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['options', i], message: `optie "${o}" staat er twee keer` });
        seen.add(key);
      }
    } else if (q.options !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `een vraag van soort "${q.kind}" heeft geen opties` });
    }
    if (q.experience?.length) {
      const n = isChoice ? q.options?.length ?? 0 : 0;
      if (!isChoice) ctx.addIssue({ code: 'custom', path: ['experience'], message: 'ervaringsopties horen alleen bij een keuzevraag' });
      else if (q.anonymous) ctx.addIssue({ code: 'custom', path: ['experience'], message: 'een anonieme vraag heeft geen ervaringsopties: collega\'s kunnen er niemand vinden' });
      else if (q.experience.some((i) => i > n)) ctx.addIssue({ code: 'custom', path: ['experience'], message: `de vraag heeft maar ${n} opties` });
      else if (new Set(q.experience).size >= n) ctx.addIssue({ code: 'custom', path: ['experience'], message: 'laat minstens één optie over die geen ervaring is: wie die kiest, ziet de collega\'s' });
    }
    if (q.scale && q.kind !== 'scale') ctx.addIssue({ code: 'custom', path: ['scale'], message: 'schaallabels horen alleen bij soort "scale"' });
    if (q.en && (q.en.options?.length ?? 0) !== (isChoice ? q.options?.length ?? 0 : 0)) {
      ctx.addIssue({ code: 'custom', path: ['en', 'options'], message: `de Engelse vraag heeft evenveel opties nodig als de Nederlandse (${isChoice ? q.options?.length ?? 0 : 0})` });
    }
    if (q.en?.scale && q.kind !== 'scale') ctx.addIssue({ code: 'custom', path: ['en', 'scale'], message: 'schaallabels horen alleen bij soort "scale"' });
  });

export type QuestionInput = z.infer<typeof questionInputSchema>;

export const questionFileSchema = z
  .object({
    questions: z.array(questionInputSchema).min(1, 'het bestand bevat geen vragen'),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.questions.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `id "${q.id}" komt meer dan eens voor` });
      seen.add(q.id);
    });
  });

export type QuestionFile = z.infer<typeof questionFileSchema>;

/** "questions[3].options: een keuzevraag heeft 2 tot 10 opties (nu 1)" */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
      .join('');
    return `${path || '(root)'}: ${issue.message}`;
  });
}

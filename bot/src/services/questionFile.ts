import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Logger } from '../log';
import type { Store } from '../store';
import { questionFileSchema, describeIssues, type QuestionFile } from '../domain/questionSchema';
import { placementProblem, questionFromInput } from '../domain/question';
import type { WeekSchedule } from '../domain/week';
import { KenniskringError } from '../domain/errors';

/** Reads and validates a question file (JSON or YAML); a bad file names the file, the field and why. */
export function readQuestionFile(file: string): QuestionFile {
  const fail = (why: string[]) => new KenniskringError('questions_file_invalid',
    `QUESTIONS_FILE ${file} is not valid:\n  - ${why.join('\n  - ')}`, { file, problems: why });
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw fail([`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(path.extname(file)) ? JSON.parse(text) : YAML.parse(text, { prettyErrors: true });
  } catch (err) {
    throw fail([`is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`]);
  }
  const parsed = questionFileSchema.safeParse(data);
  if (!parsed.success) throw fail(describeIssues(parsed.error));
  return parsed.data;
}

/** Brings the store in line with the file: new questions added, unposted ones updated, posted ones locked. */
export async function syncQuestionFile(file: QuestionFile, d: { store: Store; schedule: WeekSchedule; now: Date; log: Logger; path: string }): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = { created: 0, updated: 0, unchanged: 0, locked: 0 };
  const questions = file.questions.map((input, i) => questionFromInput(input, d.schedule, { source: 'file', createdBy: null, queueOrder: i + 1 }));
  const problems = questions.flatMap((q, i) => {
    const problem = placementProblem(q);
    return problem ? [`questions[${i}].closesAt: ${problem}`] : [];
  });
  if (problems.length) {
    throw new KenniskringError('questions_file_invalid', `QUESTIONS_FILE ${d.path} is not valid:\n  - ${problems.join('\n  - ')}`, { file: d.path, problems });
  }
  for (const q of questions) {
    const outcome = await d.store.questions.upsertFromFile(q, d.now);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    if (outcome === 'locked') {
      d.log.warn({ questionId: q.id }, 'question in the file changed after it was posted; the posted version is kept');
    }
  }
  return outcomes;
}

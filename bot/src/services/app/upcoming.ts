import type { Question, QuestionState } from '../../domain/question';
import type { Caller } from './context';

const UPCOMING_LIMIT = 12;

export interface UpcomingView {
  entries: { question: Question; state: QuestionState; queuePosition: number | null }[];
}

/** `vragen`: the open question, the scheduled ones and the queue, in the order they go out. */
export async function upcoming(c: Caller): Promise<UpcomingView> {
  let position = 0;
  const list = await c.app.lookup.upcoming(UPCOMING_LIMIT);
  return { entries: list.map(({ question, state }) => ({ question, state, queuePosition: state === 'queued' ? ++position : null })) };
}

import { nextWeek, type Caller } from './context';

/** `plan`: the empty form, with next week as the suggested week. */
export async function planForm(c: Caller): Promise<{ weekHint: string }> {
  return { weekHint: nextWeek(c.app) };
}

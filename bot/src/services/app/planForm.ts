import type { Caller } from './context';
import { planFormFacts, type PlanFormFacts } from './planQuestion';

/** `plan`: the empty form, with the facts it shows (the earliest day, when questions go out). */
export async function planForm(c: Caller): Promise<PlanFormFacts> {
  return planFormFacts(c);
}

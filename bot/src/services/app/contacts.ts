import { experienceOptions } from '../../domain/question';
import type { Caller } from './context';
import { memberView, type QuestionView } from './questionView';
import { myData, type MyDataView } from './myData';

/** The consent as the edge read it: which question, on or off, and the member's sign-in name when Teams gave it. */
export interface ContactInput { questionId: string; on: boolean; upn: string | null }

/**
 * "Collega's mogen me contacteren" switched on or off from the answer card: only for a member
 * whose answer chose an option that means "we did it already" (switching off always works, also
 * after the question closed). Their card again, saying what holds now.
 */
export async function contact(c: Caller, input: ContactInput): Promise<QuestionView> {
  await setContact(c, input);
  return memberView(c, input.questionId);
}

/** The same from `mijn gegevens` ("Intrekken"): the overview again. */
export async function contactFromMyData(c: Caller, input: ContactInput): Promise<MyDataView> {
  await setContact(c, input);
  return myData(c);
}

async function setContact(c: Caller, input: ContactInput): Promise<void> {
  const { answers, store, clock } = c.app;
  const q = await answers.question(input.questionId);
  const mine = await answers.current(q.id, c.member);
  if (!mine) return; // nothing to consent about (erased, or never answered): the view says where they stand
  const ids = experienceOptions(q);
  const on = input.on && mine.choices.some((id) => ids.includes(id));
  if (await store.answers.setContact(q.id, mine.member.key, on, on ? input.upn : null, clock.now())) {
    c.log.info({ questionId: q.id, on }, on ? 'member may be contacted about their experience' : 'member withdrew being contacted');
  }
}

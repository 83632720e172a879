import type { Member } from '../../domain/answer';
import type { Caller } from './context';

export interface MyDataView {
  member: Member;
  answers: { at: Date; question: string; value: string; comment: string | null }[];
  replies: { at: Date; text: string; deleted: boolean }[];
  /** Questions for all regions they asked, with where each stands. */
  asks: { at: Date; text: string; state: 'pending' | 'approved' | 'rejected' }[];
  /** Questions they proposed (`stel voor`), with where each stands. */
  proposals: { at: Date; text: string; state: 'pending' | 'approved' | 'rejected' }[];
  /** Their reminders (`herinner mij`): for which RKK, and the last one Teams would not take. Null when off. */
  reminder: { rkkName: string; failedAt: Date | null } | null;
  /** Questions on which colleagues may contact them about their experience (each can be withdrawn). */
  contacts: { questionId: string; question: string; option: string }[];
}

/** `mijn gegevens`: everything stored about the member, as they typed it. */
export async function myData(c: Caller): Promise<MyDataView> {
  const { store } = c.app;
  const answers = await store.answers.forMember(c.member.key);
  const comments = await store.comments.forAuthor(c.member.key);
  const questions = new Map((await Promise.all(answers.map((a) => store.questions.get(a.questionId)))).flatMap((q) => (q ? [[q.id, q] as const] : [])));
  return {
    member: c.member,
    answers: answers.map((a) => {
      const q = questions.get(a.questionId);
      const labels = new Map((q?.options ?? []).map((o) => [o.id, o.label]));
      return { at: a.updatedAt, question: q?.text ?? a.questionId, value: a.text ?? a.choices.map((id) => labels.get(id) ?? id).join(', '), comment: a.comment };
    }),
    replies: comments.map((r) => ({ at: r.createdAt, text: r.text, deleted: r.deletedAt !== null })),
    asks: (await store.asks.forAsker(c.member.key)).map((a) => ({ at: a.createdAt, text: a.text, state: a.state })),
    proposals: (await store.proposals.forProposer(c.member.key)).map((p) => ({ at: p.createdAt, text: p.draft.text, state: p.state })),
    reminder: await reminderOf(c),
    contacts: answers.filter((a) => a.contact).map((a) => {
      const q = questions.get(a.questionId);
      const labels = new Map((q?.options ?? []).map((o) => [o.id, o.label]));
      return { questionId: a.questionId, question: q?.text ?? a.questionId, option: a.choices.filter((id) => q?.options.find((o) => o.id === id)?.experience).map((id) => labels.get(id) ?? id).join(', ') };
    }),
  };
}

async function reminderOf(c: Caller): Promise<MyDataView['reminder']> {
  const r = await c.app.store.reminders.get(c.member.key);
  if (!r) return null;
  return { rkkName: (await c.app.store.rkks.get(r.rkkId))?.name ?? r.rkkId, failedAt: r.failedAt };
}

import { isOpen } from '../../domain/question';
import { audit, type Caller } from './context';
import { HIGHLIGHTS_PER_RKK, type HighlightView } from '../../domain/highlight';

/** How many of the RKK's explanations the moderator chooses from. */
const PICK_FROM = 25;

/**
 * "Uitlichten" on the results (moderators of the RKK, administrators): which of this RKK's
 * explanations the other regions see in their digest. Possible once the question closed, until
 * the digests go out.
 */
export async function highlightPick(c: Caller, questionId: string): Promise<HighlightView> {
  return (await pickable(c, questionId)).view;
}

/** Saves the moderator's choice (at most HIGHLIGHTS_PER_RKK); a choice over the limit changes nothing. */
export async function highlight(c: Caller, input: { questionId: string; memberKeys: readonly string[] }): Promise<HighlightView> {
  const { view } = await pickable(c, input.questionId);
  if (view.kind !== 'pick') return view;
  const keys = [...new Set(input.memberKeys)];
  if (keys.length > HIGHLIGHTS_PER_RKK) return { ...view, chosen: keys.filter((k) => view.items.some((i) => i.memberKey === k)), tooMany: true };
  const kept = await c.app.store.answers.setHighlights(view.question.id, c.rkk!.id, keys, c.member.key, c.app.clock.now());
  await audit(c, 'uitlichten', view.question.id, `${kept.length} in ${c.rkk!.name}`);
  return { kind: 'saved', question: view.question, count: kept.length };
}

async function pickable(c: Caller, questionId: string): Promise<{ view: HighlightView }> {
  const { store, answers, clock } = c.app;
  if (!c.rkk) return { view: { kind: 'noRkk' } };
  const question = await answers.question(questionId);
  if (isOpen(question, clock.now())) return { view: { kind: 'open', question } };
  const digests = await store.deliveries.forQuestion(question.id, 'digest');
  if (digests.length === 0) return { view: { kind: 'noDigest', question } };
  const own = digests.find((d) => d.rkkId === c.rkk!.id);
  if (digests.some((d) => d.state === 'sent' || d.state === 'sending')) return { view: { kind: 'sent', question } };
  const list = await store.answers.explanations(question.id, c.rkk.id, PICK_FROM);
  if (list.items.length === 0) return { view: { kind: 'none', question } };
  const chosen = (await store.answers.highlights(question.id)).filter((h) => h.rkkId === c.rkk!.id).map((h) => h.memberKey);
  const items = list.items.map((i) => ({ memberKey: i.memberKey, name: question.anonymous ? null : i.name || null, text: i.text }));
  return { view: { kind: 'pick', question, items, chosen, digestAt: (own ?? digests[0]!).nextAttemptAt, tooMany: false } };
}

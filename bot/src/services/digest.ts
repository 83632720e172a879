import type { Store, Rkk } from '../store';
import type { Question } from '../domain/question';
import { buildTally, type AnswerCounts } from '../domain/answer';
import type { DigestGroup, DigestView } from '../domain/digest';
import { HIGHLIGHTS_PER_RKK } from '../domain/highlight';

function sum(counts: readonly AnswerCounts[]): AnswerCounts {
  const perOption = new Map<string, number>();
  for (const c of counts) for (const [k, n] of c.perOption) perOption.set(k, (perOption.get(k) ?? 0) + n);
  return { respondents: counts.reduce((n, c) => n + c.respondents, 0), comments: counts.reduce((n, c) => n + c.comments, 0), perOption };
}

/**
 * What the other regions answered, for the digest in `own`'s thread: this RKK, every other RKK the
 * question reached with at least `minGroupSize` respondents (most answers first), the smaller ones
 * folded into one group, and all of Flanders. A group under the floor shows its count only; this
 * RKK's own tally is always shown (its members saw it on the results card).
 */
export async function digestView(store: Store, q: Question, own: Rkk, minGroupSize: number): Promise<DigestView> {
  const reached = (await store.deliveries.forQuestion(q.id, 'question')).filter((d) => d.state === 'sent').map((d) => d.rkkId);
  const counts = new Map<string, AnswerCounts>();
  for (const id of reached) counts.set(id, await store.answers.counts(q.id, id));
  const group = (kind: DigestGroup['kind'], name: string | null, c: AnswerCounts, rkks: number, always = false): DigestGroup => ({
    kind, name, respondents: c.respondents, rkks, tally: always || c.respondents >= minGroupSize ? buildTally(q, c) : null,
  });
  const others: { rkk: Rkk; c: AnswerCounts }[] = [];
  for (const id of reached) {
    if (id === own.id) continue;
    const rkk = await store.rkks.get(id);
    if (rkk) others.push({ rkk, c: counts.get(id)! });
  }
  const shown = others.filter((o) => o.c.respondents >= minGroupSize)
    .sort((a, b) => b.c.respondents - a.c.respondents || a.rkk.name.localeCompare(b.rkk.name, 'nl'));
  const folded = others.filter((o) => o.c.respondents < minGroupSize);
  const groups = [
    group('own', own.name, counts.get(own.id) ?? sum([]), 1, true),
    ...shown.map((o) => group('rkk', o.rkk.name, o.c, 1)),
    ...(folded.length ? [group('others', null, sum(folded.map((o) => o.c)), folded.length)] : []),
    group('all', null, await store.answers.counts(q.id), reached.length),
  ];
  // Up to three explanations other RKKs' moderators highlighted, the latest marked first.
  const names = new Map([...others.map((o) => [o.rkk.id, o.rkk.name] as const)]);
  const highlights = (await store.answers.highlights(q.id)).filter((h) => h.rkkId !== own.id && names.has(h.rkkId)).slice(0, HIGHLIGHTS_PER_RKK)
    .map((h) => ({ rkkName: names.get(h.rkkId)!, name: q.anonymous ? null : h.name || null, text: h.text }));
  return { groups, reached: reached.length, minGroupSize, highlights };
}

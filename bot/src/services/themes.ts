import type { Store, Rkk } from '../store';
import { recurringThemes, type ThemesView, type Writing } from '../domain/recurring';
import { threadLink } from '../domain/teamsLinks';

/** How many published questions back the themes look (far more than RECURRING_WEEKS of weekly questions). */
const QUESTIONS_BACK = 60;
/** Evidence shown per theme. */
const EVIDENCE_SHOWN = 4;

/**
 * The recurring themes of the last `weeks` weeks: what members of the RKKs (not RKK Overkoepelend)
 * wrote under the questions published since (open answers, explanations, thread replies), with
 * the evidence: which question, which RKK, an excerpt and a link to the thread.
 */
export async function themesView(store: Store, now: Date, o: { weeks: number; minRkks: number }): Promise<ThemesView> {
  const since = new Date(now.getTime() - o.weeks * 7 * 86_400_000);
  const rkks = new Map((await store.rkks.list()).filter((r) => !r.overarching).map((r) => [r.id, r]));
  const questions = (await store.questions.published(now, QUESTIONS_BACK)).filter((q) => q.publishAt && q.publishAt >= since);
  const writings: Writing[] = [];
  const byRef = new Map<string, { question: string; rkk: Rkk; link: string | null; text: string }>();
  for (const q of questions) {
    // The question's thread in each RKK, for the evidence's links.
    const links = new Map<string, string>();
    for (const d of await store.deliveries.forQuestion(q.id, 'question')) {
      const rkk = rkks.get(d.rkkId);
      if (rkk && d.messageId) links.set(rkk.id, threadLink(rkk, d.messageId));
    }
    const add = (rkkId: string | null, source: Writing['source'], text: string | null, id: string) => {
      const rkk = rkkId ? rkks.get(rkkId) : undefined;
      if (!rkk || !text?.trim()) return;
      const ref = `${q.id}\u0000${id}`;
      writings.push({ rkkId: rkk.id, questionId: q.id, theme: q.theme, source, text, ref });
      byRef.set(ref, { question: q.text, rkk, link: links.get(rkk.id) ?? null, text });
    };
    for (const a of await store.answers.forQuestion(q.id)) {
      add(a.rkkId, 'explanation', a.comment, `a:${a.member.key}`);
      if (q.kind === 'open') add(a.rkkId, 'open', a.text, `o:${a.member.key}`);
    }
    for (const c of await store.comments.forQuestion(q.id)) add(c.rkkId, 'reply', c.text, `c:${c.messageId}`);
  }
  const found = recurringThemes(writings, { minRkks: o.minRkks, questionTexts: new Map(questions.map((q) => [q.id, q.text])) });
  return {
    weeks: o.weeks,
    themes: found.map((t) => ({
      label: t.label,
      rkkNames: t.rkkIds.map((id) => rkks.get(id)!.name),
      buildingBlocks: t.themes,
      evidence: t.evidence.slice(0, EVIDENCE_SHOWN).map((w) => { const e = byRef.get(w.ref)!; return { question: e.question, rkkName: e.rkk.name, text: e.text, link: e.link }; }),
      more: Math.max(0, t.evidence.length - EVIDENCE_SHOWN),
    })),
  };
}

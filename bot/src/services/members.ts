import type { Store } from '../store';
import type { Question } from '../domain/question';

/** The RKK a member answered in most recently: where they belong when they write from a personal chat. */
export async function latestRkkOf(store: Store, memberKey: string): Promise<string | null> {
  const latest = (await store.answers.forMember(memberKey)).filter((a) => a.rkkId).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
  return latest?.rkkId ?? null;
}

/**
 * Who proposed a question (`stel voor`), as its card names them: null unless it came from a
 * proposal whose proposer agreed to be named, and that was not erased since.
 */
export async function proposerOf(store: Store, q: Question): Promise<{ name: string; rkkName: string | null } | null> {
  if (q.source !== 'proposal') return null;
  const p = await store.proposals.forQuestion(q.id);
  if (!p?.showName) return null;
  return { name: p.proposerName || p.proposerKey, rkkName: p.rkkId ? (await store.rkks.get(p.rkkId))?.name ?? null : null };
}

import type { Store } from '../store';

/** The RKK a member answered in most recently: where they belong when they write from a personal chat. */
export async function latestRkkOf(store: Store, memberKey: string): Promise<string | null> {
  const latest = (await store.answers.forMember(memberKey)).filter((a) => a.rkkId).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
  return latest?.rkkId ?? null;
}

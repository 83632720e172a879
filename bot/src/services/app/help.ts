import type { Caller } from './context';

/** `hulp`: which parts of the help apply to this member here. */
export async function help(c: Caller): Promise<{ level: 'member' | 'moderator' | 'admin' }> {
  if (c.admin) return { level: 'admin' };
  return { level: (await c.isModerator()) ? 'moderator' : 'member' };
}

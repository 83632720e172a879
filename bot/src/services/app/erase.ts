import { audit, settle, type Caller } from './context';
import { isMemberId } from './memberId';

export type EraseView = { kind: 'usage' } | { kind: 'erased'; who: string; answers: number; comments: number };

/** `wis <id>` (administrators): erases one member's answers, replies and personal chat, here, on the results cards in the threads and in SharePoint. */
export async function erase(c: Caller, who: string): Promise<EraseView> {
  if (!isMemberId(who)) return { kind: 'usage' };
  const { store, answers, clock } = c.app;
  // On open anonymous questions the member is known only by a hash: recompute it to erase those too.
  const anonymous = await answers.anonymousKeys({ key: who, aadObjectId: null, teamsUserId: who, name: '' });
  const result = await store.eraseMember(who, anonymous.map((a) => a.key), clock.now());
  await audit(c, 'wis', who, `${result.answers} antwoorden, ${result.comments} reacties${result.asks ? `, ${result.asks} vragen aan alle regio's` : ''}${result.chat ? ', persoonlijke chat' : ''}${result.reminders ? ', herinneringen' : ''}`);
  c.log.info({ erased: who, ...result }, 'member\'s data erased');
  // Results cards that showed their answers are owed again, as updates (the store renewed them with the erase).
  await settle(c.app.scheduler.tick());
  return { kind: 'erased', who, answers: result.answers, comments: result.comments };
}

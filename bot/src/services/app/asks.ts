import { ASK_LIMITS, askId, askProblem, type Ask, type AskForDecision, type AskView, type DecisionView, type PendingAsksView } from '../../domain/ask';
import { audit, settle, type Caller } from './context';
import { latestRkkOf } from '../members';

/**
 * `vraag aan alle regio's <tekst>` (any member, in a personal chat or by @mention): the question
 * waits for an administrator, each of whom is owed an approval card in the same unit of work.
 */
export async function askAllRegions(c: Caller, text: string): Promise<AskView> {
  const { store, clock } = c.app;
  const clean = text.trim();
  if (!clean) return { kind: 'usage' };
  const problem = askProblem(clean);
  if (problem) return { kind: 'invalid', problem };
  if (!(await hubOf(c))) return { kind: 'noHub' };
  const now = clock.now();
  // The member's RKK: the team they asked in, else the one they answered in most recently.
  const rkkId = c.rkk?.id ?? await latestRkkOf(store, c.member.key);
  const ask: Ask = {
    id: askId(now), text: clean, askerKey: c.member.key, askerName: c.member.name, askerTeamsId: c.member.teamsUserId, askerRkkId: rkkId,
    state: 'pending', reason: null, decidedBy: null, decidedByName: null, createdAt: now, decidedAt: null, toldReplies: 0, toldAt: null,
  };
  await store.asks.create(ask, [...c.app.admins], now);
  c.log.info({ askId: ask.id, admins: c.app.admins.size }, 'question for all regions waits for approval');
  void c.app.scheduler.tick();
  return { kind: 'sent', ask };
}

/** `regiovragen` (administrators): the questions waiting for a decision, each as its approval card. */
export async function pendingAsks(c: Caller): Promise<PendingAsksView> {
  return { items: await Promise.all((await c.app.store.asks.pending(10)).map((a) => forDecision(c, a))) };
}

/**
 * An administrator approves (maybe with the text edited) or rejects with a reason. Once decided,
 * a later click on any administrator's card shows the decision and changes nothing.
 */
export async function decideAsk(c: Caller, input: { askId: string; approve: boolean; text: string; reason: string }): Promise<DecisionView> {
  const { store, clock } = c.app;
  const ask = await store.asks.get(input.askId);
  if (!ask) return { kind: 'gone' };
  const item = await forDecision(c, ask);
  if (ask.state !== 'pending') return { kind: 'decided', item };
  const text = input.text.trim() || ask.text;
  const problem = askProblem(text);
  if (input.approve && problem) return { kind: 'pending', item, problem };
  const reason = input.reason.trim().slice(0, ASK_LIMITS.reasonMax);
  if (!input.approve && reason.length < ASK_LIMITS.reasonMin) return { kind: 'pending', item, problem: { code: 'reason' } };
  const hub = await hubOf(c);
  if (input.approve && !hub) return { kind: 'noHub' };
  const decided = await store.asks.decide(ask.id, input.approve
    ? { state: 'approved', ...(text !== ask.text ? { text } : {}), by: c.member.key, byName: c.member.name }
    : { state: 'rejected', reason, by: c.member.key, byName: c.member.name }, hub?.id ?? null, clock.now());
  if (!decided) return { kind: 'decided', item: await forDecision(c, (await store.asks.get(ask.id))!) };
  await audit(c, input.approve ? 'regiovraag goedgekeurd' : 'regiovraag afgewezen', ask.id, input.approve ? (text !== ask.text ? 'tekst aangepast' : null) : reason);
  await settle(c.app.scheduler.tick());
  return { kind: 'decided', item: await forDecision(c, decided) };
}

async function hubOf(c: Caller) {
  return (await c.app.store.rkks.list({ activeOnly: true })).find((r) => r.overarching) ?? null;
}

async function forDecision(c: Caller, ask: Ask): Promise<AskForDecision> {
  return { ask, rkkName: ask.askerRkkId ? (await c.app.store.rkks.get(ask.askerRkkId))?.name ?? null : null };
}

import { PROPOSAL_LIMITS, proposalId, type Proposal, type ProposalDecisionView, type ProposalDraft, type ProposalForDecision, type ProposeInput, type ProposeView } from '../../domain/proposal';
import type { PlanInput } from '../../domain/plan';
import { audit, settle, type Caller } from './context';
import { draftOf, planFormFacts } from './planQuestion';
import { latestRkkOf } from '../members';

export type { ProposeInput, ProposeView, ProposalDecisionView } from '../../domain/proposal';

/** The form's fields as the `plan` form has them: a proposed question waits in the queue and takes explanations. */
const asPlan = (f: ProposeInput): PlanInput => ({
  text: f.text, kind: f.kind, options: f.options, scaleLow: f.scaleLow, scaleHigh: f.scaleHigh, theme: f.theme, date: '', anonymous: false, comment: true,
});
const fromDraft = (d: ProposalDraft, text: string, showName: boolean): ProposeInput => ({
  text, kind: d.kind, options: d.options, scaleLow: d.scale?.low ?? '', scaleHigh: d.scale?.high ?? '', theme: d.theme, showName,
});

/**
 * `stel voor` (any member): the question, checked by the rules every question follows, waits for
 * the RKK's moderators, or the administrators when the RKK has none; each is owed an approval card
 * in the same unit of work.
 */
export async function propose(c: Caller, form: ProposeInput): Promise<ProposeView> {
  const { store, clock } = c.app;
  const rkkId = c.rkk && !c.rkk.overarching ? c.rkk.id : await latestRkkOf(store, c.member.key);
  const rkk = rkkId ? await store.rkks.get(rkkId) : null;
  if (!rkk?.active) return { kind: 'noRkk' };
  const draft = await draftOf(c, asPlan(form), { targets: [rkk.id], source: 'proposal', createdBy: c.member.key });
  if ('problems' in draft) return { kind: 'invalid', problems: draft.problems, facts: planFormFacts(c) };
  const q = draft.question;
  // The form sent twice (a double click, a retry): one proposal.
  const same = (await store.proposals.forProposer(c.member.key)).find((p) => p.state === 'pending' && p.rkkId === rkk.id && p.draft.text === q.text);
  if (same) return { kind: 'sent', proposal: same, rkkName: rkk.name, approvers: (await store.rkks.moderators(rkk.id)).length ? 'moderators' : 'admins' };
  const now = clock.now();
  const proposal: Proposal = {
    id: proposalId(q.text, now),
    draft: { text: q.text, kind: q.kind, options: q.options.map((o) => o.label), theme: q.theme, scale: q.scaleLabels },
    proposerKey: c.member.key, proposerName: c.member.name, proposerTeamsId: c.member.teamsUserId, rkkId: rkk.id, showName: form.showName,
    state: 'pending', reason: null, decidedBy: null, decidedByName: null, questionId: null, createdAt: now, decidedAt: null,
  };
  const moderators = await store.rkks.moderators(rkk.id);
  await store.proposals.create(proposal, moderators.length ? moderators : [...c.app.admins], now);
  c.log.info({ proposalId: proposal.id, rkkId: rkk.id, approvers: moderators.length || c.app.admins.size }, 'proposed question waits for approval');
  void c.app.scheduler.tick();
  return { kind: 'sent', proposal, rkkName: rkk.name, approvers: moderators.length ? 'moderators' : 'admins' };
}

/**
 * A moderator of the proposer's RKK approves (the question joins that RKK's queue) or an
 * administrator does (every RKK's), maybe with the text edited; or either rejects with a reason.
 * Once decided, a later click on any approver's card shows the decision and changes nothing.
 */
export async function decideProposal(c: Caller, input: { proposalId: string; approve: boolean; text: string; reason: string }): Promise<ProposalDecisionView> {
  const { store, clock } = c.app;
  const proposal = await store.proposals.get(input.proposalId);
  if (!proposal) return { kind: 'gone' };
  const item = await forDecision(c, proposal);
  const moderator = proposal.rkkId !== null && await store.rkks.isModerator(proposal.rkkId, c.member.key);
  if (!c.admin && !moderator) return { kind: 'notYours', item };
  if (proposal.state !== 'pending') return { kind: 'decided', item, queuePosition: null };
  const by = { by: c.member.key, byName: c.member.name };
  let decided: Proposal | null;
  if (input.approve) {
    const text = input.text.trim() || proposal.draft.text;
    // An administrator's approval reaches every RKK; a moderator's their own.
    const targets = c.admin ? null : [proposal.rkkId!];
    const draft = await draftOf(c, asPlan(fromDraft(proposal.draft, text, proposal.showName)), { targets, source: 'proposal', createdBy: proposal.proposerKey });
    if ('problems' in draft) return { kind: 'pending', item, problems: draft.problems };
    const edited = text !== proposal.draft.text ? { draft: { ...proposal.draft, text: draft.question.text } } : {};
    decided = await store.proposals.decide(proposal.id, { state: 'approved', ...edited, ...by }, draft.question, clock.now());
  } else {
    const reason = input.reason.trim().slice(0, PROPOSAL_LIMITS.reasonMax);
    if (reason.length < PROPOSAL_LIMITS.reasonMin) return { kind: 'pending', item, problems: [{ code: 'reason' }] };
    decided = await store.proposals.decide(proposal.id, { state: 'rejected', reason, ...by }, null, clock.now());
  }
  if (!decided) return { kind: 'decided', item: await forDecision(c, (await store.proposals.get(proposal.id))!), queuePosition: null };
  await audit(c, input.approve ? 'voorstel goedgekeurd' : 'voorstel afgewezen', proposal.id, input.approve ? decided.questionId : decided.reason);
  await settle(c.app.scheduler.tick());
  const queuePosition = decided.questionId ? (await store.questions.queued()).findIndex((q) => q.id === decided.questionId) + 1 || null : null;
  return { kind: 'decided', item: await forDecision(c, decided), queuePosition };
}

async function forDecision(c: Caller, proposal: Proposal): Promise<ProposalForDecision> {
  return { proposal, rkkName: proposal.rkkId ? (await c.app.store.rkks.get(proposal.rkkId))?.name ?? null : null };
}

/**
 * The store as the rest of the bot sees it: async repositories, whatever keeps the data (the
 * embedded SQLite store here; PostgreSQL for production is the next step). Services, the Teams
 * edge and the SharePoint sync depend on these interfaces only.
 *
 * Each method is one unit of work: what must commit together commits together (an answer, its
 * running tally and its outbox row in `answers.upsert`; a member's erasure in `eraseMember`).
 */
import type { Answer, AnswerCounts, AnswerValue, Member } from '../domain/answer';
import type { Question } from '../domain/question';
import type { Lang } from '../domain/lang';
import type { Moment } from '../domain/moment';
import type { Ask } from '../domain/ask';
import type { Proposal, ProposalDraft } from '../domain/proposal';
import type { ThemeShown } from '../domain/recurring';
import type { ReminderSetting } from '../domain/reminder';
import type { ConversationRefJson, Rkk, RkkRegistration } from './rkks';
import type { UpsertOutcome } from './questions';
import type { Delivery, DeliveryClaim, DeliveryKey, DeliveryKind } from './deliveries';
import type { Comment } from './comments';
import type { OutboxClaim, OutboxEntity, PendingEntity } from './outbox';
import type { AuditEntry } from './audit';
import type { InstanceInfo, Lease } from './leases';

export interface RkkRepository {
  /** Registers a team as an RKK, or refreshes its channel and reference on a later install (the name is kept: moderators may have edited it). */
  register(reg: RkkRegistration, now: Date): Promise<Rkk>;
  get(id: string): Promise<Rkk | null>;
  /** Teams moved the team to another Bot Connector endpoint (a later activity says so): posts follow it. True when it changed. */
  moveServiceUrl(id: string, serviceUrl: string, now: Date): Promise<boolean>;
  /** The RKK of a team, by its Teams team id or its Entra group id (what a tab's context gives). */
  byTeam(teamOrGroupId: string): Promise<Rkk | null>;
  list(opts?: { activeOnly?: boolean }): Promise<Rkk[]>;
  /** Sets the language of an RKK's cards and replies; true when it changed. */
  /** Makes this RKK the overarching one (RKK Overkoepelend; any other loses it), or an ordinary RKK again; false when nothing changed. */
  setOverarching(id: string, on: boolean, now: Date): Promise<boolean>;
  setLang(id: string, lang: Lang, now: Date): Promise<boolean>;
  rename(id: string, name: string, now: Date): Promise<boolean>;
  deactivate(id: string, now: Date): Promise<boolean>;
  /** Claims the one-time greeting; true only for the first caller ever. */
  claimGreeting(id: string): Promise<boolean>;
  /** Gives the greeting back when it could not be sent, so the next install event tries again. */
  releaseGreeting(id: string): Promise<void>;
  markGreeted(id: string): Promise<void>;
  addModerator(rkkId: string, memberKey: string, addedBy: string, now: Date): Promise<boolean>;
  removeModerator(rkkId: string, memberKey: string): Promise<boolean>;
  isModerator(rkkId: string, memberKey: string): Promise<boolean>;
  moderators(rkkId: string): Promise<string[]>;
  hasPersonalChat(memberKey: string): Promise<boolean>;
  /** The reference of a member's personal chat with the bot, to write to them there. */
  personalChat(memberKey: string): Promise<ConversationRefJson | null>;
  forgetPersonalChat(memberKey: string): Promise<boolean>;
  /** Keeps the latest reference of a member's personal chat; true the first time we see that member. */
  savePersonalChat(memberKey: string, ref: ConversationRefJson, now: Date): Promise<boolean>;
}

export interface QuestionRepository {
  get(id: string): Promise<Question | null>;
  insert(q: Question, now: Date): Promise<boolean>;
  /** A question from the question file: added, updated while unposted, or locked once posted. */
  upsertFromFile(q: Question, now: Date): Promise<UpsertOutcome>;
  /** Questions placed in a week, not closed, publishing at or before `until`. */
  placedUntil(until: Date): Promise<Question[]>;
  inWeek(week: string): Promise<Question[]>;
  /** The next question waiting in the queue (file order, then questions added later). */
  nextQueued(): Promise<Question | null>;
  queued(): Promise<Question[]>;
  /** Scheduled for later than `now`, soonest first. */
  scheduledAfter(now: Date): Promise<Question[]>;
  /** Most recently published first. */
  published(until: Date, limit?: number): Promise<Question[]>;
  place(id: string, week: string, publishAt: Date, closesAt: Date, now: Date): Promise<boolean>;
  /** Moves the publish moment earlier (post now); never later. */
  publishNow(id: string, now: Date): Promise<void>;
  close(id: string, now: Date): Promise<boolean>;
  /** Open by time but past their closing moment and not yet closed. */
  dueToClose(now: Date): Promise<Question[]>;
  /** The salt of an open anonymous question, made on first use. */
  salt(id: string): Promise<string>;
  /** Anonymous questions that can still recognise a member (open ones, with their salt). */
  salts(): Promise<{ questionId: string; salt: string }[]>;
  maxQueueOrder(): Promise<number>;
}

export interface DeliveryRepository {
  /** Records that a message is owed; a no-op when it already is (whatever its state). */
  /** Records that a message is owed, to be sent from `dueAt` (default now); a no-op when it already is. */
  ensure(k: DeliveryKey, now: Date, dueAt?: Date): Promise<boolean>;
  get(k: DeliveryKey): Promise<Delivery | null>;
  /** What may be sent now: pending and due, or being sent under a claim that ran out (its sender died). */
  due(now: Date): Promise<Delivery[]>;
  /** The earliest moment a pending delivery wants another try, or a claim runs out. */
  nextDueAt(): Promise<Date | null>;
  /**
   * Takes a delivery for sending, for `by.owner` until `by.until`: a pending one, or one whose
   * claim ran out. False when another worker holds it (PostgreSQL skips a row another
   * transaction is claiming, never waits for it) or it is done.
   */
  claim(k: DeliveryKey, by: DeliveryClaim, now: Date): Promise<boolean>;
  markSent(k: DeliveryKey, conversationId: string, messageId: string, now: Date, shownCount?: number | null): Promise<void>;
  retryLater(k: DeliveryKey, error: string, at: Date): Promise<void>;
  markFailed(k: DeliveryKey, error: string, now: Date): Promise<void>;
  /** Puts a failed delivery back in line (an admin asked to post again). */
  reopen(k: DeliveryKey, now: Date): Promise<boolean>;
  /**
   * Deliveries left in `sending` by a process that is gone (its claimer is not among `alive`),
   * put back to pending; a live instance's claims are left alone. Returned as they were.
   */
  recoverInterrupted(now: Date, alive: readonly string[]): Promise<Delivery[]>;
  forQuestion(questionId: string, kind?: DeliveryKind): Promise<Delivery[]>;
  /** The question post (or question for all regions) whose thread root is this message. */
  byRootMessage(messageId: string): Promise<Delivery | null>;
  setShownCount(k: DeliveryKey, count: number): Promise<void>;
  /** Question posts of open questions whose shared card shows another count than the tally (answers given on any instance). */
  staleCounts(now: Date): Promise<DeliveryKey[]>;
}

/** `keepComment`: a value without a comment keeps the stored one (a resubmit from the blank shared card). */
export interface UpsertOptions { keepComment?: boolean }

/** Explanations members wrote with their answers, with the name stored beside them (the services leave names out on anonymous questions). */
export interface Explanations { items: { memberKey: string; name: string; text: string; at: Date }[]; total: number }

/** An explanation a moderator highlighted for the other regions, with the answer it belongs to. */
export interface Highlight { rkkId: string; memberKey: string; name: string; text: string; markedAt: Date }

/** Whose contact a member may see: who chose one of `options`, not themselves (`except`), their own RKK first. */
export interface ContactQuery { options: readonly string[]; except: string; rkkId: string | null; limit: number }

export interface AnswerRepository {
  /** One answer per member per question: a second submit replaces the first (answer, tally and outbox row together). */
  upsert(questionId: string, rkkId: string | null, member: Member, value: AnswerValue, now: Date, opts?: UpsertOptions): Promise<Answer>;
  get(questionId: string, memberKey: string): Promise<Answer | null>;
  /** Every answer of one member (what `mijn gegevens` shows). */
  forMember(memberKey: string): Promise<Answer[]>;
  /**
   * Whether colleagues may contact the member about their answer (they chose an option that means
   * "we did it already"), with their sign-in name for the chat link (a null `upn` keeps the one
   * known; switching off forgets it): true when it changed (SharePoint's answer item follows).
   */
  setContact(questionId: string, memberKey: string, on: boolean, upn: string | null, now: Date): Promise<boolean>;
  /** Up to `limit` answers whose members let colleagues contact them and chose one of `options`: `rkkId`'s first, then the latest. */
  contacts(questionId: string, c: ContactQuery): Promise<Answer[]>;
  /** The Teams ids (29:…) of the members who answered most recently in an RKK, newest first (none on anonymous questions: they are not kept). */
  recentMembers(questionId: string, rkkId: string, limit: number): Promise<string[]>;
  /** The explanations (comments) given with the answers in an RKK, newest first, up to `limit`, and how many there are. */
  explanations(questionId: string, rkkId: string | null, limit: number): Promise<Explanations>;
  /** Removes answers (erase or retention), and their highlights; SharePoint follows through the outbox. Returns how many. */
  deleteWhere(where: { memberKey: string } | { before: Date }, now: Date): Promise<number>;
  /**
   * The RKK's highlighted explanations of a question become these members' (explanations of that
   * question in that RKK; other keys are left out). Returns the keys kept.
   */
  setHighlights(questionId: string, rkkId: string, memberKeys: readonly string[], by: string, now: Date): Promise<string[]>;
  /** A question's highlighted explanations in every RKK, the latest marked first: only those still as they were when highlighted. */
  highlights(questionId: string): Promise<Highlight[]>;
  forQuestion(questionId: string): Promise<Answer[]>;
  /** The running tally: a few rows per question, whatever the number of answers. */
  counts(questionId: string, rkkId?: string | null): Promise<AnswerCounts>;
  count(questionId: string, rkkId?: string | null): Promise<number>;
  /** The tally counted from the answers themselves (to check the running one). */
  recount(questionId: string, rkkId?: string | null): Promise<AnswerCounts>;
}

export interface CommentRepository {
  /** Stores a thread reply; a redelivered activity (same message id) is stored once. */
  add(c: Omit<Comment, 'editedAt' | 'deletedAt'>): Promise<boolean>;
  edit(conversationId: string, messageId: string, text: string, now: Date): Promise<boolean>;
  markDeleted(conversationId: string, messageId: string, now: Date): Promise<boolean>;
  /** A deleted reply restored in Teams (undeleteMessage): visible again, with the text Teams sent when it sent one. */
  restore(conversationId: string, messageId: string, text: string | null, now: Date): Promise<boolean>;
  find(conversationId: string, messageId: string): Promise<Comment | null>;
  forAuthor(authorKey: string): Promise<Comment[]>;
  /** Removes comments (erase or retention); SharePoint follows through the outbox. Returns how many. */
  deleteWhere(where: { authorKey: string } | { before: Date }, now: Date): Promise<number>;
  forQuestion(questionId: string, opts?: { includeDeleted?: boolean }): Promise<Comment[]>;
}

export interface OutboxRepository {
  record(entity: OutboxEntity, key: string, now: Date): Promise<void>;
  /** The oldest pending entities, one entry per entity however often it changed; parked ones wait. */
  next(limit: number, exclude?: ReadonlySet<string>): Promise<PendingEntity[]>;
  /**
   * The next entities for the sync, as `next`, claimed for `by.owner` until `by.until`: an entity
   * another live instance claimed (unexpired) is left out, so each is written by one instance.
   * `exclude` leaves out entities by "entity:key" (the sync's own back-off).
   */
  claim(limit: number, by: OutboxClaim, now: Date, exclude?: ReadonlySet<string>): Promise<PendingEntity[]>;
  /** The entity is in SharePoint as of row `upTo`; later changes stay pending (its claim is given up). */
  settle(p: PendingEntity): Promise<void>;
  pendingCount(): Promise<number>;
  /** The oldest change still waiting for the sync (parked ones wait for an admin instead). */
  oldestPendingAt(): Promise<Date | null>;
  itemId(entity: OutboxEntity, key: string): Promise<string | null>;
  rememberItem(entity: OutboxEntity, key: string, itemId: string, now: Date): Promise<void>;
  forgetItem(entity: OutboxEntity, key: string): Promise<void>;
  park(entity: OutboxEntity, key: string, error: string, now: Date): Promise<void>;
  parked(limit?: number): Promise<{ entity: OutboxEntity; key: string; error: string; parkedAt: Date }[]>;
  parkedCount(): Promise<number>;
  /** Puts every parked record back in line (after an admin fixed the cause). */
  unparkAll(): Promise<number>;
  /** A moderator's question row as last read from SharePoint. */
  questionRow(itemId: string): Promise<{ questionId: string | null; contentHash: string; status: string } | null>;
  saveQuestionRow(itemId: string, questionId: string | null, contentHash: string, status: string, now: Date): Promise<void>;
}

/** What a save changed: nothing, or a new or changed record. */
export type SaveOutcome = 'added' | 'updated' | 'same';

export interface MomentRepository {
  /**
   * Adds or changes a knowledge moment, and in the same unit of work owes its announcement to each
   * RKK in `announceIn` (once: an RKK already owed it keeps its delivery). A change members can see
   * puts the announcements already posted back in line, as updates of those messages.
   */
  save(m: Moment, announceIn: readonly string[], now: Date): Promise<SaveOutcome>;
  get(id: string): Promise<Moment | null>;
  /** Starting at `from` or later, soonest first. */
  upcoming(from: Date, limit?: number): Promise<Moment[]>;
  /** Started before `before`, latest first. */
  past(before: Date, limit?: number): Promise<Moment[]>;
}

/** An administrator's decision on a question for all regions: approved (maybe with the text edited) or rejected with a reason. */
export interface AskDecision { state: 'approved' | 'rejected'; text?: string; reason?: string; by: string; byName: string }

export interface AskRepository {
  /** A new question for all regions, owing each approver (administrators, by key) the approval card, in one unit of work. */
  create(a: Ask, approvers: readonly string[], now: Date): Promise<void>;
  get(id: string): Promise<Ask | null>;
  /** Waiting for a decision, oldest first. */
  pending(limit?: number): Promise<Ask[]>;
  /** Approved, the latest decided first. */
  approved(limit?: number): Promise<Ask[]>;
  forAsker(askerKey: string): Promise<Ask[]>;
  /**
   * Decides a pending ask, and owes in the same unit of work: the asker a message, an approved ask
   * its thread in `hubRkkId`, and the approvers' cards an update. Null when it was decided already.
   */
  decide(id: string, d: AskDecision, hubRkkId: string | null, now: Date): Promise<Ask | null>;
  /** Owes the asker a message about replies from `dueAt`, once per `day`; false when already owed. */
  owesReplies(id: string, askerKey: string, day: string, dueAt: Date, now: Date): Promise<boolean>;
  /** The asker has now been told of `replies` replies. */
  told(id: string, replies: number, now: Date): Promise<void>;
  /** Removes asks (erase or retention), owing their thread and approval cards an update without the asker; SharePoint follows through the outbox. Returns how many. */
  deleteWhere(where: { askerKey: string } | { before: Date }, now: Date): Promise<number>;
}

/** A moderator's or administrator's decision on a proposed question: approved (maybe edited) or rejected with a reason. */
export interface ProposalDecision { state: 'approved' | 'rejected'; draft?: ProposalDraft; reason?: string; by: string; byName: string }

export interface ProposalRepository {
  /** A new proposal, owing each approver (moderators or administrators, by key) the approval card, in one unit of work. */
  create(p: Proposal, approvers: readonly string[], now: Date): Promise<void>;
  get(id: string): Promise<Proposal | null>;
  /** Waiting for a decision, oldest first: from these RKKs (a moderator's), or from all (null). */
  pending(rkkIds: readonly string[] | null, limit?: number): Promise<Proposal[]>;
  forProposer(proposerKey: string): Promise<Proposal[]>;
  /** The proposal an approved question came from (its card names the proposer). */
  forQuestion(questionId: string): Promise<Proposal | null>;
  /**
   * Decides a pending proposal. Approved, `question` joins the questions in the same unit of work,
   * which also owes the proposer a message and the approvers' cards an update. Null when it was decided already.
   */
  decide(id: string, d: ProposalDecision, question: Question | null, now: Date): Promise<Proposal | null>;
  /** Removes proposals (erase or retention) with the proposer's message, owing the approval cards an update; a question it became stays, without the name. Returns how many. */
  deleteWhere(where: { proposerKey: string } | { before: Date }, now: Date): Promise<number>;
}

export interface ThemeRepository {
  /** Keeps a week's recurring themes as its card shows them (the first time only), each owed to SharePoint. True when new. */
  record(week: string, themes: readonly ThemeShown[], now: Date): Promise<boolean>;
  week(week: string): Promise<ThemeShown[] | null>;
}

export interface ReminderRepository {
  /** Switches reminders on for a member, for an RKK's questions (again: their RKK and name are refreshed, an earlier failure forgotten). True when they were off. */
  set(member: Member, rkkId: string, now: Date): Promise<boolean>;
  get(memberKey: string): Promise<ReminderSetting | null>;
  /** Switches them off: the setting is removed (a reminder still owed is not sent). True when they were on. */
  remove(memberKey: string): Promise<boolean>;
  /** Members reminded of these RKKs' questions who are not owed this question's reminder (nor ever were) and have not answered it under their own key. */
  unreminded(questionId: string, rkkIds: readonly string[]): Promise<ReminderSetting[]>;
  /** A reminder Teams would not take, kept on the setting (with the reason) for `mijn gegevens`. */
  failed(memberKey: string, error: string, now: Date): Promise<void>;
}

export interface AuditRepository {
  record(e: { actorKey: string; actorName: string; action: string; target?: string | null; details?: string | null }, now: Date): Promise<number>;
  get(id: number): Promise<AuditEntry | null>;
  recent(limit?: number): Promise<AuditEntry[]>;
}

/**
 * Instances and the leader's lease: every instance serves HTTP, one at a time runs the background
 * work. Times are the instances' own clocks (kept in step by NTP; the lease is far longer than any skew).
 */
export interface LeaseRepository {
  /** Takes the lease when it is free or has expired, renews it when it is ours; gives back who holds it after the attempt. */
  acquire(name: string, holder: string, ttlMs: number, now: Date, opts?: { takeOver?: boolean }): Promise<Lease>;
  /** Gives the lease up (a clean stop), so another instance need not wait for it to expire. */
  release(name: string, holder: string): Promise<boolean>;
  get(name: string): Promise<Lease | null>;
  /** Says this instance is alive for `ttlMs` more; gives back every instance alive now, oldest first. */
  heartbeat(id: string, ttlMs: number, now: Date): Promise<InstanceInfo[]>;
  leave(id: string): Promise<void>;
}

export interface ErasedCounts { answers: number; comments: number; chat: boolean; asks: number; reminders: boolean; proposals: number }

export interface Store {
  readonly rkks: RkkRepository;
  readonly questions: QuestionRepository;
  readonly deliveries: DeliveryRepository;
  readonly answers: AnswerRepository;
  readonly comments: CommentRepository;
  readonly outbox: OutboxRepository;
  readonly audit: AuditRepository;
  readonly leases: LeaseRepository;
  readonly moments: MomentRepository;
  readonly asks: AskRepository;
  readonly proposals: ProposalRepository;
  readonly themes: ThemeRepository;
  readonly reminders: ReminderRepository;
  /**
   * Erases one person everywhere in one unit of work: answers under each of their keys (their id,
   * and the hashes that stand for them on open anonymous questions), replies, questions for all regions, reminders and personal chat.
   */
  eraseMember(memberKey: string, answerKeys: readonly string[], now: Date): Promise<ErasedCounts>;
  /**
   * True when other processes may use the same store at the same time (PostgreSQL). The embedded
   * store is this process's alone: a lead left by a process that died can be taken at once.
   */
  readonly shared: boolean;
  /** False once closed (or when the database went away). */
  isOpen(): boolean;
  close(): Promise<void>;
}

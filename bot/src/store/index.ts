import { openDatabase, holdInstanceLock, type Db } from './db';
import { RkkRepo } from './rkks';
import { QuestionRepo } from './questions';
import { DeliveryRepo } from './deliveries';
import { AnswerRepo } from './answers';
import { CommentRepo } from './comments';
import { OutboxRepo } from './outbox';
import { AuditRepo } from './audit';
import { LeaseRepo } from './leases';
import { MomentRepo } from './moments';
import { AskRepo } from './asks';
import { ThemeRepo } from './themes';
import { ReminderRepo } from './reminders';
import { ProposalRepo } from './proposals';
import type {
  AnswerRepository, AuditRepository, CommentRepository, DeliveryRepository, ErasedCounts, LeaseRepository, OutboxRepository,
  QuestionRepository, RkkRepository, Store, MomentRepository, AskRepository, ThemeRepository, ReminderRepository, ProposalRepository,
} from './port';

import { isSqliteUnavailable } from './db';
import { PgStore, isPgUnavailable, type PgConnectionOptions } from './postgres';

export { PgStore } from './postgres';

/** The store cannot be used right now (whichever backend): the only failures that earn a client a 503. */
export function isStoreUnavailable(err: unknown): boolean {
  return isSqliteUnavailable(err) || isPgUnavailable(err);
}

/** Which store to open: the embedded one in a folder, or a PostgreSQL database shared by several instances. */
export type StoreLocation =
  | { kind: 'sqlite'; dataDir: string }
  | { kind: 'postgres'; connection: PgConnectionOptions };

/**
 * Opens the store the bot runs on. SQLite is taken for this process alone (a second process on the
 * same folder refuses to start); PostgreSQL is shared.
 */
export async function openStore(where: StoreLocation): Promise<Store> {
  return where.kind === 'postgres' ? PgStore.open(where.connection) : SqliteStore.open(where.dataDir, { exclusive: true });
}

/** A synchronous repository seen through the async port: each call runs at once, its result (or error) as a promise. */
type Async<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<R> : T[K] };

function asyncRepo<T extends object>(repo: T): Async<T> {
  const out: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(repo) as object)) {
    const fn = (repo as Record<string, unknown>)[name];
    if (name === 'constructor' || typeof fn !== 'function') continue;
    out[name] = async (...args: unknown[]) => (fn as (...a: unknown[]) => unknown).apply(repo, args);
  }
  return out as Async<T>;
}

/**
 * The embedded store: everything the bot knows, in one SQLite file in DATA_DIR (better-sqlite3,
 * synchronous underneath; the port makes it async like any other store). One process only.
 */
export class SqliteStore implements Store {
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
  readonly themes: ThemeRepository;
  readonly reminders: ReminderRepository;
  readonly proposals: ProposalRepository;
  readonly shared = false;
  private readonly repos: { rkks: RkkRepo; answers: AnswerRepo; comments: CommentRepo; asks: AskRepo; reminders: ReminderRepo; proposals: ProposalRepo };

  private constructor(private readonly db: Db, private readonly instanceLock: Db | null) {
    const outbox = new OutboxRepo(db);
    const rkks = new RkkRepo(db);
    const answers = new AnswerRepo(db, outbox);
    const comments = new CommentRepo(db, outbox);
    const asks = new AskRepo(db, outbox);
    const reminders = new ReminderRepo(db);
    const questions = new QuestionRepo(db, outbox);
    const proposals = new ProposalRepo(db, questions, outbox);
    this.repos = { rkks, answers, comments, asks, reminders, proposals };
    this.outbox = asyncRepo(outbox);
    this.rkks = asyncRepo(rkks);
    this.questions = asyncRepo(questions);
    this.deliveries = asyncRepo(new DeliveryRepo(db, outbox));
    this.answers = asyncRepo(answers);
    this.comments = asyncRepo(comments);
    this.audit = asyncRepo(new AuditRepo(db, outbox));
    this.leases = asyncRepo(new LeaseRepo(db));
    this.moments = asyncRepo(new MomentRepo(db, outbox));
    this.asks = asyncRepo(asks);
    this.themes = asyncRepo(new ThemeRepo(db, outbox));
    this.reminders = asyncRepo(reminders);
    this.proposals = asyncRepo(proposals);
  }

  /** `exclusive`: this process runs the bot on the store, and no other process may (see holdInstanceLock). */
  static open(dataDir: string, o: { exclusive?: boolean } = {}): SqliteStore {
    const lock = o.exclusive ? holdInstanceLock(dataDir) : null;
    try {
      return new SqliteStore(openDatabase(dataDir), lock);
    } catch (err) {
      lock?.close();
      throw err;
    }
  }

  async eraseMember(memberKey: string, answerKeys: readonly string[], now: Date): Promise<ErasedCounts> {
    const { answers, comments, rkks, asks, reminders, proposals } = this.repos;
    return this.db.transaction(() => ({
      answers: [memberKey, ...answerKeys].reduce((n, key) => n + answers.deleteWhere({ memberKey: key }, now), 0),
      comments: comments.deleteWhere({ authorKey: memberKey }, now),
      chat: rkks.forgetPersonalChat(memberKey),
      asks: asks.deleteWhere({ askerKey: memberKey }, now),
      reminders: reminders.erase(memberKey),
      proposals: proposals.deleteWhere({ proposerKey: memberKey }, now),
    }))();
  }

  isOpen(): boolean {
    return this.db.open;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
    if (this.instanceLock?.open) this.instanceLock.close();
  }
}

export type { Store, ErasedCounts, SaveOutcome } from './port';
export type { Rkk, RkkRegistration, ConversationRefJson } from './rkks';
export type { Delivery, DeliveryClaim, DeliveryKey, DeliveryKind, DeliveryState } from './deliveries';
export type { Comment } from './comments';
export type { AuditEntry } from './audit';
export type { Lease, InstanceInfo } from './leases';
export { entityKey, keyParts, type OutboxEntity, type PendingEntity } from './outbox';

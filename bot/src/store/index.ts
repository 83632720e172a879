import { openDatabase, holdInstanceLock, type Db } from './db';
export { isStoreUnavailable } from './db';
import { RkkRepo } from './rkks';
import { QuestionRepo } from './questions';
import { DeliveryRepo } from './deliveries';
import { AnswerRepo } from './answers';
import { CommentRepo } from './comments';
import { OutboxRepo } from './outbox';
import { AuditRepo } from './audit';

/** The embedded store: everything the bot knows, in one SQLite file in DATA_DIR. */
export class Store {
  readonly rkks: RkkRepo;
  readonly questions: QuestionRepo;
  readonly deliveries: DeliveryRepo;
  readonly answers: AnswerRepo;
  readonly comments: CommentRepo;
  readonly outbox: OutboxRepo;
  readonly audit: AuditRepo;

  private constructor(readonly db: Db, private readonly instanceLock: Db | null) {
    this.outbox = new OutboxRepo(db);
    this.rkks = new RkkRepo(db);
    this.questions = new QuestionRepo(db, this.outbox);
    this.deliveries = new DeliveryRepo(db, this.outbox);
    this.answers = new AnswerRepo(db, this.outbox);
    this.comments = new CommentRepo(db, this.outbox);
    this.audit = new AuditRepo(db, this.outbox);
  }

  /** `exclusive`: this process runs the bot on the store, and no other process may (see holdInstanceLock). */
  static open(dataDir: string, o: { exclusive?: boolean } = {}): Store {
    const lock = o.exclusive ? holdInstanceLock(dataDir) : null;
    try {
      return new Store(openDatabase(dataDir), lock);
    } catch (err) {
      lock?.close();
      throw err;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
    if (this.instanceLock?.open) this.instanceLock.close();
  }
}

export type { Rkk, RkkRegistration, ConversationRefJson } from './rkks';
export type { Delivery, DeliveryKey, DeliveryKind, DeliveryState } from './deliveries';
export type { Comment } from './comments';
export type { AuditEntry } from './audit';
export { entityKey, keyParts, type OutboxEntity, type PendingEntity } from './outbox';

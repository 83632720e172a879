import { openDatabase, type Db } from './db';
import { RkkRepo } from './rkks';
import { QuestionRepo } from './questions';
import { DeliveryRepo } from './deliveries';
import { AnswerRepo } from './answers';
import { CommentRepo } from './comments';

/** The embedded store: everything the bot knows, in one SQLite file in DATA_DIR. */
export class Store {
  readonly rkks: RkkRepo;
  readonly questions: QuestionRepo;
  readonly deliveries: DeliveryRepo;
  readonly answers: AnswerRepo;
  readonly comments: CommentRepo;

  private constructor(readonly db: Db) {
    this.rkks = new RkkRepo(db);
    this.questions = new QuestionRepo(db);
    this.deliveries = new DeliveryRepo(db);
    this.answers = new AnswerRepo(db);
    this.comments = new CommentRepo(db);
  }

  static open(dataDir: string): Store {
    return new Store(openDatabase(dataDir));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export type { Rkk, RkkRegistration, ConversationRefJson } from './rkks';
export type { Delivery, DeliveryKey, DeliveryKind, DeliveryState } from './deliveries';
export type { Comment } from './comments';

import pg from 'pg';
import { KenniskringError, isKenniskringError } from '../../domain/errors';
import type {
  AnswerRepository, AuditRepository, CommentRepository, DeliveryRepository, ErasedCounts, LeaseRepository, OutboxRepository,
  QuestionRepository, RkkRepository, Store, MomentRepository, AskRepository, ThemeRepository, ReminderRepository, ProposalRepository,
} from '../port';
import { PgDb, poolConfig, type PgConnectionOptions } from './db';
import { migrate } from './schema';
import { PgRkkRepo } from './rkks';
import { PgQuestionRepo } from './questions';
import { PgDeliveryRepo } from './deliveries';
import { PgAnswerRepo, deleteAnswers } from './answers';
import { PgCommentRepo, deleteComments } from './comments';
import { PgOutboxRepo } from './outbox';
import { PgAuditRepo } from './audit';
import { PgLeaseRepo } from './leases';
import { PgMomentRepo } from './moments';
import { PgAskRepo, deleteAsks } from './asks';
import { PgThemeRepo } from './themes';
import { PgReminderRepo, eraseReminders } from './reminders';
import { PgProposalRepo, deleteProposals } from './proposals';

export { isPgUnavailable, poolConfig, type PgConnectionOptions } from './db';
export { PG_MIGRATIONS } from './migrations';

// timestamptz arrives as Date (pg's default); int8 (COUNT, bigserial) as a string, turned into numbers where read.

/**
 * The production store: PostgreSQL through `pg`, shared by every instance of the bot. It creates
 * and migrates its own schema on open.
 */
export class PgStore implements Store {
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
  readonly shared = true;

  private constructor(private readonly db: PgDb) {
    this.rkks = new PgRkkRepo(db);
    const questions = new PgQuestionRepo(db);
    this.questions = questions;
    this.deliveries = new PgDeliveryRepo(db);
    this.answers = new PgAnswerRepo(db);
    this.comments = new PgCommentRepo(db);
    this.outbox = new PgOutboxRepo(db);
    this.audit = new PgAuditRepo(db);
    this.leases = new PgLeaseRepo(db);
    this.moments = new PgMomentRepo(db);
    this.asks = new PgAskRepo(db);
    this.themes = new PgThemeRepo(db);
    this.reminders = new PgReminderRepo(db);
    this.proposals = new PgProposalRepo(db, questions);
  }

  /** Connects, brings the schema up to date (or refuses a newer one) and returns the store. */
  static async open(o: PgConnectionOptions): Promise<PgStore> {
    const config = poolConfig(o);
    const db = new PgDb(new pg.Pool(config));
    try {
      await migrate(db);
      return new PgStore(db);
    } catch (err) {
      await db.close();
      if (isKenniskringError(err)) throw err;
      // The database, the login or the token: say where, never with the password.
      throw new KenniskringError('store_unreachable',
        `cannot open the PostgreSQL store ${config.user}@${config.host}:${config.port}/${config.database} (DATABASE_URL): ${(err as Error).message}`);
    }
  }

  eraseMember(memberKey: string, answerKeys: readonly string[], now: Date): Promise<ErasedCounts> {
    return this.db.tx(async (c) => {
      let answers = 0;
      for (const key of [memberKey, ...answerKeys]) answers += await deleteAnswers(c, { memberKey: key }, now);
      const comments = await deleteComments(c, { authorKey: memberKey }, now);
      const chat = ((await c.query('DELETE FROM personal_chats WHERE member_key = $1', [memberKey])).rowCount ?? 0) === 1;
      const asks = await deleteAsks(c, { askerKey: memberKey }, now);
      const reminders = await eraseReminders(c, memberKey);
      const proposals = await deleteProposals(c, { proposerKey: memberKey }, now);
      return { answers, comments, chat, asks, reminders, proposals };
    });
  }

  isOpen(): boolean {
    return this.db.open;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

import type { Logger } from '../../log';
import { mayAct, resolveCaller, type Actor, type AppContext, type Caller, type Role } from './context';
import { help } from './help';
import { currentQuestion } from './question';
import { currentResults } from './results';
import { upcoming } from './upcoming';
import { planForm } from './planForm';
import { planPreview, planQuestion } from './planQuestion';
import { publish } from './publish';
import { close } from './close';
import { status } from './status';
import { retryParked } from './retry';
import { myData } from './myData';
import { erase } from './erase';
import { moderators } from './moderators';
import { language } from './language';
import type { Lang } from '../../domain/lang';
import { answer } from './answer';
import { editAnswer } from './edit';
import { refresh } from './refresh';
import { explanations } from './explanations';
import { highlight, highlightPick } from './highlights';
import { overarching } from './overarching';
import { momentForm, planMoment } from './moments';
import { askAllRegions, decideAsk, pendingAsks } from './asks';
import { decideProposal, propose } from './proposals';
import { reminders } from './reminders';
import { contact, contactFromMyData } from './contacts';
import { Installations } from './install';
import { ThreadComments } from './threadComments';

export type { Actor, AppContext, Role } from './context';
export type { QuestionView } from './questionView';
export type { TeamInstall } from './install';
export type { ThreadMessage } from './threadComments';
export { MAX_COMMENT } from './threadComments';

interface Operation<I, V> { role: Role; run(c: Caller, input: I): Promise<V> }
const op = <I, V>(role: Role, run: (c: Caller, input: I) => Promise<V>): Operation<I, V> => ({ role, run });

/**
 * Everything a member, moderator or administrator can ask of the bot, by typed command or card
 * button, with who may ask it. The edge translates words and verbs to these; roles are checked
 * here, once, for both.
 */
export const OPERATIONS = {
  help: op('member', help),
  question: op('member', currentQuestion),
  results: op('member', currentResults),
  myData: op('member', myData),
  answer: op('member', answer),
  editAnswer: op('member', editAnswer),
  refresh: op('member', refresh),
  explanations: op('member', explanations),
  askAllRegions: op('member', askAllRegions),
  reminders: op('member', reminders),
  contact: op('member', contact),
  contactFromMyData: op('member', contactFromMyData),
  // The `stel voor` form: the same facts as `plan`'s, for any member.
  proposeForm: op('member', planForm),
  propose: op('member', propose),
  // A moderator of the proposer's RKK or an administrator: checked against the proposal, wherever the card is clicked.
  decideProposal: op('member', decideProposal),
  upcoming: op('moderator', upcoming),
  planForm: op('moderator', planForm),
  planPreview: op('moderator', planPreview),
  planQuestion: op('moderator', planQuestion),
  publish: op('moderator', publish),
  close: op('moderator', close),
  language: op('moderator', language),
  highlightPick: op('moderator', highlightPick),
  highlight: op('moderator', highlight),
  status: op('admin', status),
  retryParked: op('admin', retryParked),
  erase: op('admin', erase),
  moderators: op('admin', moderators),
  overarching: op('admin', overarching),
  momentForm: op('admin', momentForm),
  planMoment: op('admin', planMoment),
  pendingAsks: op('admin', pendingAsks),
  decideAsk: op('admin', decideAsk),
};

type Operations = typeof OPERATIONS;
export type OperationName = keyof Operations;
export type InputOf<K extends OperationName> = Parameters<Operations[K]['run']>[1];
export type ViewOf<K extends OperationName> = Awaited<ReturnType<Operations[K]['run']>>;
/** A view, with the RKK it was asked in (cards name it, and speak its language); or a refusal naming the role it needs (and the RKK's language, to say so in). */
export type Outcome<V> = { allowed: true; view: V; rkkName: string | null; rkkLang: Lang | null } | { allowed: false; role: Role; rkkLang: Lang | null };

/** The application as the edge sees it: operations that return view models, and the installation and thread events. */
export class Services {
  readonly installations: Installations;
  readonly threads: ThreadComments;

  constructor(private readonly app: AppContext) {
    this.installations = new Installations(app);
    this.threads = new ThreadComments(app);
  }

  /** Runs an operation for an actor when their role allows it; refused otherwise, with nothing changed. */
  async perform<K extends OperationName>(name: K, actor: Actor, input: InputOf<K>, log: Logger): Promise<Outcome<ViewOf<K>>> {
    const operation = OPERATIONS[name] as unknown as Operation<InputOf<K>, ViewOf<K>>;
    const caller = await resolveCaller(this.app, actor, log);
    if (!(await mayAct(caller, operation.role))) {
      log.info({ operation: name, member: actor.member.key, role: operation.role }, 'refused: role');
      return { allowed: false, role: operation.role, rkkLang: caller.rkk?.lang ?? null };
    }
    return { allowed: true, view: await operation.run(caller, input), rkkName: caller.rkk?.name ?? null, rkkLang: caller.rkk?.lang ?? null };
  }
}

/** Whether an error means the store is down (the edge then answers 503, nothing was stored). */
export { isStoreUnavailable } from '../../store';

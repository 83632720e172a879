import type { LeadershipView } from '../services/leadership';
import type { Logger } from '../log';
import type { Store } from '../store';
import type { WeekSchedule } from '../domain/week';
import type { Clock } from '../services/ports';
import type { Poster } from '../services/poster';
import type { Scheduler } from '../services/scheduler';
import type { AnswerService } from '../services/answers';
import type { QuestionLookup } from '../services/questions';
import type { SharePointSync } from '../sharepoint';

/** What turn handlers get: passed in from main.ts, never imported as globals. */
export interface TurnDeps {
  store: Store;
  schedule: WeekSchedule;
  clock: Clock;
  log: Logger;
  poster: Poster;
  scheduler: Scheduler;
  answers: AnswerService;
  lookup: QuestionLookup;
  /** Entra object ids of V-ICT-OR administrators. */
  admins: ReadonlySet<string>;
  /** null when SharePoint is not configured. */
  sync: SharePointSync | null;
  /** Which instance leads the background work (for `status`). */
  leadership: LeadershipView;
}

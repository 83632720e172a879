import type { Logger } from '../log';
import type { Services } from '../services/app';

/** What turn handlers get: passed in from app.ts, never imported as globals. The edge reaches the application through `services` only. */
export interface TurnDeps {
  services: Services;
  /** Cards show times in this zone (the schedule's). */
  timeZone: string;
  log: Logger;
}

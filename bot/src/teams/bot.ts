import type { TurnContext } from 'botbuilder';
import { createRouter, type Route } from './router';
import { installRoute, uninstallRoute } from './install';
import { cardActionRoute } from './cardActions';
import { commandRoute } from './commands';
import { threadEditRoute, threadReplyRoute } from './threadReplies';
import { healthCheckRoute, unhandledInvokeRoute } from './invokes';
import type { TurnDeps } from './deps';

/** Every activity the bot handles, in order of precedence. */
export const ROUTES: readonly Route[] = [
  installRoute, uninstallRoute, cardActionRoute, healthCheckRoute, commandRoute, threadReplyRoute, threadEditRoute,
  unhandledInvokeRoute, // last: every invoke gets an answer
];

export function createBot(deps: TurnDeps): (ctx: TurnContext) => Promise<void> {
  return createRouter([...ROUTES], deps);
}

import type { Activity, TurnContext } from 'botbuilder';
import type { Logger } from '../log';
import type { TurnDeps } from './deps';

export interface Turn {
  ctx: TurnContext;
  deps: TurnDeps;
  log: Logger;
}

/** One entry per kind of activity we handle; the first whose `select` matches runs. */
export interface Route {
  name: string;
  select(a: Activity): boolean;
  handle(turn: Turn): Promise<void>;
}

export function createRouter(routes: Route[], deps: TurnDeps) {
  return async (ctx: TurnContext): Promise<void> => {
    const a = ctx.activity;
    const route = routes.find((r) => r.select(a));
    const log = deps.log.child({ route: route?.name ?? 'none', activityType: a.type, conversationId: a.conversation?.id, activityId: a.id });
    if (!route) {
      log.debug('activity ignored');
      return;
    }
    await route.handle({ ctx, deps, log });
  };
}

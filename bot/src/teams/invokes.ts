import type { Activity } from 'botbuilder';
import type { Route } from './router';
import { sendInvokeResponse } from './reply';

/**
 * Invokes we have no handler for (task/fetch, config/fetch, signin/verifyState, a misspelt
 * adaptiveCard/action, no name at all): Teams expects an answer, and "not handled" is a 200 with
 * an empty body. botbuilder would answer 501, which Teams shows as an error.
 */
export const healthCheckRoute: Route = {
  name: 'health-check',
  select: (a: Activity) => a.type === 'invoke' && a.name === 'healthCheck',
  async handle({ ctx }) {
    await sendInvokeResponse(ctx, { status: 200, body: { healthResults: { success: true, messages: ['Kenniskring is reachable'] } } });
  },
};

export const unhandledInvokeRoute: Route = {
  name: 'invoke-not-handled',
  select: (a: Activity) => a.type === 'invoke',
  async handle({ ctx, log }) {
    log.info({ invoke: String(ctx.activity.name ?? '').slice(0, 64) }, 'invoke not handled');
    await sendInvokeResponse(ctx, { status: 200 });
  },
};

import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type InvokeResponse, type Request, type Response, type TurnContext } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import type { BotAuthConfig } from '../config';
import type { Logger } from '../log';
import { infoCard } from '../cards/render';
import { messages } from '../messages';
import { cardResponse, replyCard, sendInvokeResponse } from './reply';
import { MsalBotCredentialsFactory } from './credentials';
import { certificateCredential, type AppCredential } from '../auth/msal';

/**
 * The Bot Framework adapter. No auth config means local mode: tokens are neither checked nor sent.
 * Otherwise botbuilder validates every incoming token (signature from the channel's published keys,
 * issuer, audience = our app id, service URL claim, lifetime) and signs outgoing calls.
 */
export function createAdapter(auth: BotAuthConfig | null, log: Logger, fetchImpl?: typeof fetch): TeamsAdapter {
  if (!auth) return withErrorHandler(new TeamsAdapter(new ConfigurationBotFrameworkAuthentication({})), log);
  const settings = {
    MicrosoftAppId: auth.appId, MicrosoftAppPassword: auth.appPassword ?? '', MicrosoftAppType: auth.appType, MicrosoftAppTenantId: auth.tenantId ?? '',
    ...(auth.endpoints ?? {}),
  };
  // A managed identity gets its tokens from botbuilder's own factory; a secret goes through our MSAL path.
  const credential: AppCredential | null = auth.appPassword ? { kind: 'secret', secret: auth.appPassword }
    : auth.appCertificateFile ? certificateCredential(auth.appCertificateFile) : null;
  const factory = auth.appType === 'SingleTenant' && credential && auth.tenantId
    ? new MsalBotCredentialsFactory({ appId: auth.appId, tenantId: auth.tenantId, credential,
      authorityHost: auth.authorityHost, log: log.child({ component: 'bot-auth' }), ...(fetchImpl ? { fetch: fetchImpl } : {}) })
    : undefined;
  return withErrorHandler(new TeamsAdapter(new StrictBotFrameworkAuthentication(settings, factory)), log);
}

/** botbuilder's adapter, with its turn entry point open to our HTTP layer (see `activityProcessor`). */
export class TeamsAdapter extends CloudAdapter {
  run(authHeader: string, activity: Activity, logic: (ctx: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** JWT library errors (bad signature, expired, malformed) are refusals of the caller: 401, not 500. */
const JWT_REFUSALS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      if (err instanceof Error && JWT_REFUSALS.has(err.name)) throw new AuthenticationError(`Unauthorized: ${err.message}`, 401);
      throw err;
    }
  }
}

/**
 * The last stop for a turn that failed. It logs; only a member who can see the answer alone gets
 * one: the clicker of a card (an invoke response shows to them only) or a personal chat. Nothing
 * is ever posted into a channel or group chat, where a "sorry" would show to the whole team.
 */
function withErrorHandler(adapter: TeamsAdapter, log: Logger): TeamsAdapter {
  adapter.onTurnError = async (ctx: TurnContext, error: Error) => {
    const a = ctx.activity;
    log.error({ err: error, activityType: a.type, conversationId: a.conversation?.id }, 'turn failed');
    const t = messages('nl'); // which RKK or card it was is unknown here: the default language
    try {
      const card = infoCard({ title: t.errorsTitle, lines: [t.sorry], color: 'Attention' });
      if (a.type === 'invoke') await sendInvokeResponse(ctx, cardResponse(card));
      else if (a.type === 'message' && a.conversation?.conversationType === 'personal') await replyCard(ctx, card, t.errorsTitle);
    } catch (err) {
      log.error({ err }, 'could not tell the member about the failure');
    }
  };
  return adapter;
}

/**
 * The Teams edge as the HTTP layer sees it: an activity in (already checked by the activity
 * schema), the turn's answer written to `res`. A store that is down is reported, not thrown:
 * the HTTP layer answers 503 whatever was written. We call `processActivity` ourselves rather
 * than `CloudAdapter.process`, which prints every refusal and failure to the console: here a
 * refused token is logged once as a refusal and a failure as an error, both through the logger.
 */
export function activityProcessor(o: {
  adapter: TeamsAdapter; bot: (ctx: TurnContext) => Promise<void>; log: Logger; isStoreUnavailable(err: unknown): boolean;
}) {
  return {
    async process(req: Request, res: Response): Promise<{ storeDown: boolean }> {
      let storeDown = false;
      const activity = withDates(req.body as unknown as Activity);
      const header = req.headers.authorization ?? req.headers.Authorization;
      const end = (status: number, body?: unknown) => {
        res.status(status);
        if (body !== undefined) res.send(body);
        res.end();
      };
      try {
        const invoke = await o.adapter.run(typeof header === 'string' ? header : '', activity, async (ctx) => {
          try {
            await o.bot(ctx);
          } catch (err) {
            if (!o.isStoreUnavailable(err)) throw err; // the turn error handler deals with it
            storeDown = true;
            o.log.error({ err, activityType: ctx.activity.type }, 'store unavailable: activity not processed');
          }
        });
        end(invoke?.status ?? 200, invoke?.body);
      } catch (err) {
        if (err instanceof AuthenticationError) {
          o.log.info({ reason: err.message, activityType: activity.type }, 'activity refused: no valid channel token');
          end(401);
        } else {
          o.log.error({ err, activityType: activity.type }, 'activity failed');
          end(500);
        }
      }
      return { storeDown };
    },
  };
}

/** The activity's times as dates, as botbuilder's own `process` gives them to the turn (the raw text kept beside them). */
function withDates(a: Activity): Activity {
  const raw = a as Activity & Record<string, unknown>;
  for (const [field, rawField] of [['timestamp', 'rawTimestamp'], ['localTimestamp', 'rawLocalTimestamp'], ['expiration', 'rawExpiration']] as const) {
    if (typeof raw[field] === 'string') { raw[rawField] = raw[field]; raw[field] = new Date(raw[field] as string); }
  }
  return a;
}

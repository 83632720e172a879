import type { Logger } from '../log';
import type { SharePointConfig } from '../config';
import type { Store } from '../store';
import type { Clock, Instances, Timers } from '../services/ports';
import type { WeekSchedule } from '../domain/week';
import { createGraphConnection } from './graphClient';
import { credentialFromConfig } from '../auth/msal';
import { GraphApi } from './graphApi';
import { ensureLists, resolveSite, type SiteLists } from './provision';
import type { ListRole } from './lists';
import { SharePointSync } from './sync';
import { QuestionRowPoller } from './questionRows';

export { SharePointSync, type SyncStatus } from './sync';
export { ProvisionError, ensureLists, resolveSite } from './provision';

export function userAgent(version: string): string {
  return `NONISV|V-ICT-OR|Kenniskring/${version}`;
}

export function connectGraph(cfg: SharePointConfig, d: { log: Logger; version: string; fetch?: typeof fetch }): GraphApi {
  const conn = createGraphConnection({
    tenantId: cfg.tenantId, clientId: cfg.clientId, credential: credentialFromConfig(cfg.credential, cfg.clientId),
    authorityHost: cfg.authorityHost, graphBaseUrl: cfg.graphBaseUrl, graphResource: cfg.graphResource, userAgent: userAgent(d.version),
  }, { log: d.log, ...(d.fetch ? { fetch: d.fetch } : {}) });
  return new GraphApi(conn);
}

/** The SharePoint side of the bot: lists checked (and created) once, the outbox sync, the question rows. */
export class SharePointModule {
  readonly sync: SharePointSync;
  readonly poller: QuestionRowPoller;
  private site: Promise<SiteLists> | null = null;
  private siteId: string | null = null;
  private readonly verified: Partial<Record<ListRole, string>> = {};

  constructor(private readonly d: {
    cfg: SharePointConfig; api: GraphApi; store: Store; schedule: WeekSchedule; clock: Clock; timers: Timers; log: Logger;
    formatMoment: (d: Date) => string; random?: () => number; instances: Instances;
  }) {
    const lists = () => this.lists();
    this.sync = new SharePointSync({ store: d.store, api: d.api, lists, clock: d.clock, timers: d.timers, log: d.log.child({ part: 'sharepoint-sync' }),
      ruPerMinute: d.cfg.ruPerMinute, formatMoment: d.formatMoment, instances: d.instances, ...(d.random ? { random: d.random } : {}) });
    this.poller = new QuestionRowPoller({ store: d.store, api: d.api, lists, schedule: d.schedule, clock: d.clock, timers: d.timers,
      log: d.log.child({ part: 'sharepoint-questions' }), intervalMs: d.cfg.questionPollMs, formatMoment: d.formatMoment });
  }

  /**
   * The site and its lists, checked and completed at first use and then remembered; after a
   * failure the next use retries only what was not checked yet (the site id and the lists that
   * passed are kept).
   */
  lists(): Promise<SiteLists> {
    if (!this.site) {
      const { cfg, api, log } = this.d;
      this.site = (async () => {
        this.siteId ??= await resolveSite(api, cfg.site, cfg.clientId);
        const siteId = this.siteId;
        const report = await ensureLists(api, { siteId, names: cfg.lists, clientId: cfg.clientId, log, create: true, verified: this.verified });
        log.info({ siteId, created: report.createdLists, columns: report.createdColumns, indexed: report.indexedColumns, extended: report.extendedColumns }, 'SharePoint lists checked');
        return report.site;
      })();
      this.site.catch(() => { this.site = null; });
    }
    return this.site;
  }

  start(): void {
    this.sync.start();
    this.poller.start();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
    await this.sync.stop();
  }
}

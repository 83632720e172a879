import { FakeEntra } from '../fakes/entra';
import { FakeGraph } from '../fakes/graph';

/** Fictitious tenant, app and site of V-ICT-OR for the SharePoint journeys. */
export const SP = {
  tenantId: '5f0c3a2e-8d41-4b7e-9c1a-2e6f0b9d7a11',
  clientId: '7d2e9f41-3b6a-4c8d-9e0f-1a2b3c4d5e6f',
  secret: 'kk-test~geheim.0123456789',
  siteUrl: 'https://victor.sharepoint.com/sites/kenniskring',
  siteId: 'victor.sharepoint.com,2c1f6a9e-1111-4222-8333-444455556666,8a3e0b1c-7777-4888-9999-aaaabbbbcccc',
} as const;

export const LIST_NAMES = { questions: 'Kenniskring Vragen', answers: 'Kenniskring Antwoorden', comments: 'Kenniskring Reacties', posts: 'Kenniskring Publicaties', audit: 'Kenniskring Audit', agenda: 'Kenniskring Agenda', asks: 'Kenniskring Regiovragen', themes: "Kenniskring Thema's" } as const;

export interface SharePointStandIns {
  entra: FakeEntra;
  graph: FakeGraph;
  /** The settings that point the bot at the stand-ins (the only difference from production). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Entra (tokens) and Graph (SharePoint lists) stand-ins over real HTTP. `granted: false`: no site grant. */
export async function startSharePoint(o: { granted?: boolean; now?: () => number; ruPerMinute?: number } = {}): Promise<SharePointStandIns> {
  const entra = await FakeEntra.start({ tenantId: SP.tenantId, clients: [{ clientId: SP.clientId, secret: SP.secret, roles: ['Sites.Selected'] }], ...(o.now ? { now: o.now } : {}) });
  const graph = await FakeGraph.start({
    verifyToken: (t) => entra.verify(t), siteId: SP.siteId, siteUrl: SP.siteUrl,
    grantedClientIds: o.granted === false ? [] : [SP.clientId], ...(o.now ? { now: o.now } : {}),
  });
  return {
    entra, graph,
    env: {
      GRAPH_TENANT_ID: SP.tenantId, GRAPH_CLIENT_ID: SP.clientId, GRAPH_CLIENT_SECRET: SP.secret, SHAREPOINT_SITE_URL: SP.siteUrl,
      GRAPH_BASE_URL: graph.url, ENTRA_AUTHORITY_HOST: entra.url, SYNC_RU_PER_MINUTE: String(o.ruPerMinute ?? 60_000), QUESTION_POLL_SECONDS: '60',
    },
    async close() {
      await graph.close();
      await entra.close();
    },
  };
}

/** The items of a list as a SharePoint user sees them: fields by item. */
export function items(graph: FakeGraph, list: string): Record<string, any>[] {
  return (graph.list(list)?.items ?? []).map((i) => ({ id: i.id, ...i.fields }));
}

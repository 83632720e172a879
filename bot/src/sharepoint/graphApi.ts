import type { GraphConnection } from './graphClient';
import { graphErrorInfo, relativeGraphPath } from './graphClient';

export interface GraphRequest {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root, e.g. "/sites/{site}/lists/{list}/items". */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface GraphResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: any;
}

/** A Graph call that failed as a whole (not an inner response of a batch). */
export class GraphCallError extends Error {
  constructor(message: string, readonly status: number | null, readonly code: string | null, readonly retryAfterMs: number | null) {
    super(message);
    this.name = 'GraphCallError';
  }
  /** No token: the app's credentials or consent are wrong (or the token endpoint is down). */
  get tokenFailure(): boolean {
    return (this.code ?? '').startsWith('token_');
  }

  /** Throttled, busy, or not reached: worth another try later. A refused credential is not. */
  get transient(): boolean {
    if (/^token_(invalid_client|unauthorized_client|invalid_request)/.test(this.code ?? '')) return false;
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

/** The few Graph operations Kenniskring needs, on top of @microsoft/microsoft-graph-client. */
export class GraphApi {
  constructor(private readonly conn: GraphConnection) {}

  async call<T = any>(method: GraphRequest['method'], url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    try {
      let req = this.conn.client.api(url);
      for (const [k, v] of Object.entries(headers)) req = req.header(k, v);
      switch (method) {
        case 'GET': return await req.get();
        case 'POST': return await req.post(body);
        case 'PATCH': return await req.patch(body);
        case 'DELETE': return await req.delete();
      }
    } catch (err) {
      throw toCallError(err);
    }
  }

  /** The path of an `@odata.nextLink`, for the next call. */
  nextPath(nextLink: string): string {
    return relativeGraphPath(nextLink, this.conn.baseUrl);
  }

  /** Every item of a paged collection. */
  async allPages<T>(url: string): Promise<T[]> {
    const out: T[] = [];
    let next: string | null = url;
    while (next) {
      const page: { value?: T[]; '@odata.nextLink'?: string } = await this.call('GET', next);
      out.push(...(page.value ?? []));
      const link = page['@odata.nextLink'];
      next = link ? this.nextPath(link) : null;
    }
    return out;
  }

  /** One JSON $batch (at most 20 requests); inner failures come back as responses, not errors. */
  async batch(requests: GraphRequest[]): Promise<GraphResponse[]> {
    if (requests.length === 0) return [];
    if (requests.length > 20) throw new RangeError('a Graph $batch holds at most 20 requests');
    const payload = {
      requests: requests.map((r) => ({
        id: r.id, method: r.method, url: r.url,
        ...(r.body !== undefined ? { body: r.body, headers: { 'Content-Type': 'application/json', ...r.headers } } : r.headers ? { headers: r.headers } : {}),
      })),
    };
    const res = await this.call<{ responses?: GraphResponse[] }>('POST', '/$batch', payload);
    const byId = new Map((res.responses ?? []).map((r) => [String(r.id), { ...r, headers: lowerKeys(r.headers ?? {}) }]));
    // A response missing from the batch is treated like a failed request: retried later.
    return requests.map((r) => byId.get(r.id) ?? { id: r.id, status: 503, headers: {}, body: { error: { code: 'missingResponse', message: 'no response in the batch' } } });
  }
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function toCallError(err: unknown): GraphCallError {
  const info = graphErrorInfo(err);
  return new GraphCallError(info.message, info.status, info.code, info.retryAfterMs);
}

/** Error text of a Graph response body. */
export function errorText(body: any): string {
  const e = body?.error;
  return e ? `${e.code ?? 'error'}: ${e.message ?? ''}`.slice(0, 500) : JSON.stringify(body ?? null).slice(0, 200);
}

/** A `$filter` equality on a list item field, URL-encoded (keys hold characters like ':' ';' '|'). */
export function fieldEquals(field: string, value: string): string {
  return `$filter=${encodeURIComponent(`fields/${field} eq '${value.replace(/'/g, "''")}'`)}`;
}

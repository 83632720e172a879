/**
 * FakeGraph: a strict, in-process stand-in for the Microsoft Graph v1.0 SharePoint *lists* API over real HTTP.
 *
 * Base URL `fake.url` (http://127.0.0.1:PORT); every route is under /v1.0. One site (options.siteId / siteUrl).
 * Use with `createGraphConnection({ graphBaseUrl: fake.url, ... })`; graph-client's `api()` cannot follow the
 * http nextLinks itself: pass them through `relativeGraphPath`.
 *
 * Routes (site = `{siteId}` or `{hostname}:/{server-relative-path}:`):
 *   GET  /sites/{hostname}:/{path}            GET /sites/{siteId}
 *   GET  /sites/{site}/lists                  ($select, $expand=columns, $filter on displayName/name/id, $top, paging)
 *   POST /sites/{site}/lists                  {displayName, columns?, list:{template:'genericList'}} -> 201 | 409
 *   GET  /sites/{site}/lists/{list-id | displayName}   ($select, $expand=columns)
 *   GET/POST  .../lists/{list}/columns        GET/PATCH .../columns/{column-id | name}
 *   GET/POST  .../lists/{list}/items          ($expand=fields[($select=a,b)], $filter, $orderby, $top, $skiptoken)
 *   GET/DELETE .../items/{id}                 GET/PATCH .../items/{id}/fields   (If-Match honoured)
 *   POST /$batch                              max 20, dependsOn (424 on failed dependency), inner faults
 *
 * Strictness (mirrors SharePoint/Graph where known; see notes on each check):
 * - 401 InvalidAuthenticationToken (missing/invalid bearer), 403 accessDenied (no roles; Sites.Selected without
 *   a grant on this site; Sites.Read.All writing)
 * - unknown properties in list/column definitions -> 400 (OData "property does not exist")
 * - item writes: unknown field -> 400 "Field 'X' is not recognized"; read-only field -> 400; wrong type -> 400;
 *   text over maxLength (255 single line) -> 400; choice not in choices -> 400; required missing on create -> 400;
 *   duplicate in an enforceUniqueValues column -> 500 generalException "…duplicate values were found…" (text compared
 *   case-insensitively): SharePoint raises an SPException there (pnp/pnpcore #1280), which Graph passes on as a
 *   server error, also inside $batch
 * - $filter/$orderby on a field that is not indexed -> 400 unless `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly`
 * - fields with no value are omitted from `fields` (as Graph does); dateTime values are returned as
 *   `YYYY-MM-DDTHH:mm:ssZ` (SharePoint keeps seconds); `Modified` strictly increases on every write.
 *
 * Fault injection applies to *operations*: top-level requests and each inner $batch request separately. The $batch
 * envelope itself is only hit by `failNext(..., { match })` when the matcher matches path '/$batch'.
 * RU cost model: single-item read 1, collection read 2, create/update/delete 2, $batch envelope 0; injected faults 0.
 * $batch inner requests run sequentially in array order (real Graph may run them in parallel and answers in any
 * order: set `shuffleBatchResponses` to make sure clients match responses by id).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface GraphCaller {
    clientId: string;
    roles: string[];
}

export interface FakeGraphOptions {
    verifyToken: (bearer: string) => GraphCaller | null;
    /** e.g. 'victor.sharepoint.com,2c1f...,8a3e...' */
    siteId: string;
    /** e.g. https://victor.sharepoint.com/sites/kenniskring */
    siteUrl: string;
    siteDisplayName?: string;
    /** clients with a Sites.Selected *write* grant on the site. Default: every verified client. */
    grantedClientIds?: string[];
    now?: () => number;
    latencyMs?: number;
    /** default page size for collections (real Graph: 200 for items); default 100 to exercise paging */
    pageSize?: number;
    /** app-only RU budget per minute; beyond it operations answer 429 with Retry-After. Default: unlimited. */
    ruLimitPerMinute?: number;
    /** answer $batch responses in random order (real Graph does not guarantee order) */
    shuffleBatchResponses?: boolean;
    /** seed the site's 'Documents' library like a real site. Default true. */
    seedSystemLists?: boolean;
    port?: number;
}

export interface GraphRequestLogEntry {
    method: string;
    /** path after /v1.0, no query, e.g. '/sites/x/lists/y/items' or '/$batch' */
    path: string;
    /** raw query string without '?' */
    query: string;
    /** 0 when the socket was destroyed (down) */
    status: number;
    inBatch: boolean;
    /** resource units charged */
    ru: number;
    at: number;
    clientId?: string;
    userAgent?: string;
    /** for inner batch requests: the request id inside the batch */
    batchRequestId?: string;
    /** 'throttle' | 'fail' | 'failNext' | 'ruLimit' when the status was injected */
    injected?: string;
}

/** Which requests a fault hits: by path, or by a function of the request (its JSON body too, for a fault on one record). */
export type GraphMatcher = string | RegExp | ((req: { method: string; path: string; inBatch: boolean; body?: unknown }) => boolean);

export interface ColumnJson {
    id: string;
    name: string;
    displayName: string;
    description: string;
    columnGroup: string;
    enforceUniqueValues: boolean;
    hidden: boolean;
    indexed: boolean;
    readOnly: boolean;
    required: boolean;
    [facet: string]: unknown;
}

export interface ListInspection {
    id: string;
    displayName: string;
    columns: ColumnJson[];
    /** what a SharePoint user sees: Title + custom columns (unset ones omitted) + Created/Modified, by internal name */
    items: { id: string; fields: Record<string, unknown> }[];
}

type ColumnType = 'text' | 'number' | 'dateTime' | 'boolean' | 'choice' | 'counter' | 'personOrGroup' | 'computed';

interface Column {
    id: string;
    name: string;
    displayName: string;
    description: string;
    type: ColumnType;
    facet: Record<string, unknown>;
    indexed: boolean;
    enforceUniqueValues: boolean;
    required: boolean;
    readOnly: boolean;
    hidden: boolean;
    builtIn: boolean;
}

interface Item {
    id: number;
    values: Record<string, unknown>;
    created: number;
    modified: number;
    version: number;
    uid: string;
    createdBy: string;
    modifiedBy: string;
}

interface List {
    id: string;
    name: string;
    displayName: string;
    description: string;
    template: 'genericList' | 'documentLibrary';
    created: number;
    modified: number;
    version: number;
    columns: Column[];
    items: Map<number, Item>;
    nextId: number;
}

interface Op {
    method: string;
    /** path after /v1.0, not decoded */
    path: string;
    query: string;
    headers: Record<string, string>;
    body: unknown;
    inBatch: boolean;
    batchRequestId?: string;
}

interface OpResult {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

const JSON_CT = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const PREFER_NON_INDEXED = 'honornonindexedquerieswarningmayfailrandomly';
const UNIQUE_MESSAGE = 'The list item could not be added or updated because duplicate values were found in one or more fields in the list.';
const SUPPORTED_FACETS = ['text', 'number', 'dateTime', 'boolean', 'choice'] as const;
const UNSUPPORTED_FACETS = ['calculated', 'currency', 'lookup', 'personOrGroup', 'term', 'hyperlinkOrPicture', 'geolocation', 'thumbnail', 'contentApprovalStatus', 'defaultValue', 'validation'];
const COLUMN_PROPS = new Set(['name', 'displayName', 'description', 'columnGroup', 'enforceUniqueValues', 'hidden', 'indexed', 'required', 'readOnly', ...SUPPORTED_FACETS, ...UNSUPPORTED_FACETS]);
const FACET_PROPS: Record<string, Set<string>> = {
    text: new Set(['allowMultipleLines', 'appendChangesToExistingText', 'linesForEditing', 'maxLength', 'textType']),
    number: new Set(['decimalPlaces', 'displayAs', 'maximum', 'minimum']),
    dateTime: new Set(['displayAs', 'format']),
    boolean: new Set([]),
    choice: new Set(['allowTextEntry', 'choices', 'displayAs']),
};
const APP_USER_LOOKUP_ID = '1073741822'; // SharePoint's "SharePoint App" user

class GraphHttpError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        readonly headers: Record<string, string> = {},
    ) {
        super(message);
    }
}

const bad = (message: string, code = 'invalidRequest'): GraphHttpError => new GraphHttpError(400, code, message);
const notFound = (message = 'The resource could not be found.'): GraphHttpError => new GraphHttpError(404, 'itemNotFound', message);

export class FakeGraph {
    readonly requests: GraphRequestLogEntry[] = [];

    private readonly server: http.Server;
    private readonly sockets = new Set<Socket>();
    private readonly now: () => number;
    private readonly site: { id: string; url: URL; displayName: string; created: number };
    private lists: List[] = [];
    private latency: number;
    private isDown = false;
    private throttleCfg: { probability: number; retryAfterSeconds: number; statuses: number[]; random: () => number } | null = null;
    private failCfg: { probability: number; status: number; random: () => number } | null = null;
    private failNextQueue: { remaining: number; status: number; match?: GraphMatcher; retryAfterSeconds?: number; afterWrite?: boolean }[] = [];
    private port = 0;

    private constructor(private readonly options: FakeGraphOptions) {
        this.now = options.now ?? Date.now;
        this.latency = options.latencyMs ?? 0;
        const url = new URL(options.siteUrl);
        this.site = {
            id: options.siteId,
            url,
            displayName: options.siteDisplayName ?? decodeURIComponent(url.pathname.split('/').filter(Boolean).pop() ?? url.hostname),
            created: this.now() - 86_400_000 * 30,
        };
        this.seed();
        this.server = http.createServer((req, res) => void this.handle(req, res));
        this.server.on('connection', (socket) => {
            if (this.isDown) {
                socket.destroy();
                return;
            }
            this.sockets.add(socket);
            socket.on('close', () => this.sockets.delete(socket));
        });
    }

    static async start(options: FakeGraphOptions): Promise<FakeGraph> {
        const fake = new FakeGraph(options);
        await new Promise<void>((resolve, reject) => {
            fake.server.once('error', reject);
            fake.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
        });
        fake.port = (fake.server.address() as AddressInfo).port;
        return fake;
    }

    /** http://127.0.0.1:PORT (use as graphBaseUrl) */
    get url(): string {
        return `http://127.0.0.1:${this.port}`;
    }
    get siteId(): string {
        return this.site.id;
    }
    /** '/sites/{hostname}:/{path}' for GET site-by-path */
    get sitePath(): string {
        return `/sites/${this.site.url.hostname}:${this.site.url.pathname.replace(/\/+$/, '')}`;
    }

    // ------------------------------------------------------------------------------------------------ faults

    /** share of operations answering 429/503 with Retry-After; `null` or probability 0 turns it off */
    throttle(cfg: { probability: number; retryAfterSeconds: number; statuses?: number[]; random?: () => number } | null): void {
        this.throttleCfg = cfg && cfg.probability > 0 ? { statuses: [429, 503], random: Math.random, ...cfg } : null;
    }

    /**
     * the next n operations (matching `match`, if given) answer `status`; with `afterWrite` the
     * operation is carried out first and only its answer fails (SharePoint timing out after the
     * item was saved)
     */
    failNext(n: number, status: number, opts: { match?: GraphMatcher; retryAfterSeconds?: number; afterWrite?: boolean } = {}): void {
        this.failNextQueue.push({ remaining: n, status, match: opts.match, retryAfterSeconds: opts.retryAfterSeconds, afterWrite: opts.afterWrite });
    }

    /** share of operations failing with a 5xx; `null` or probability 0 turns it off */
    fail(cfg: { probability: number; status: 500 | 502 | 503 | 504; random?: () => number } | null): void {
        this.failCfg = cfg && cfg.probability > 0 ? { random: Math.random, ...cfg } : null;
    }

    set latencyMs(ms: number) {
        this.latency = ms;
    }
    get latencyMs(): number {
        return this.latency;
    }

    /** down(true): new connections are destroyed, open ones too ("Graph unreachable") */
    down(isDown: boolean): void {
        this.isDown = isDown;
        if (isDown) for (const socket of this.sockets) socket.destroy();
    }

    /** RU charged in the last `windowMs` (clock `now`) */
    ruSpent(windowMs: number): number {
        const from = this.now() - windowMs;
        return this.requests.filter((r) => r.at > from).reduce((sum, r) => sum + r.ru, 0);
    }

    // ------------------------------------------------------------------------------------------------ inspection

    list(displayName: string): ListInspection | undefined {
        const list = this.lists.find((l) => l.displayName.toLowerCase() === displayName.toLowerCase());
        if (!list) return undefined;
        const visible = list.columns.filter((c) => !c.builtIn || c.name === 'Title');
        return {
            id: list.id,
            displayName: list.displayName,
            columns: list.columns.map(columnJson),
            items: [...list.items.values()].map((item) => {
                const fields: Record<string, unknown> = {};
                for (const c of visible) if (item.values[c.name] !== undefined) fields[c.name] = item.values[c.name];
                fields.Created = iso(item.created);
                fields.Modified = iso(item.modified);
                return { id: String(item.id), fields };
            }),
        };
    }

    listNames(): string[] {
        return this.lists.map((l) => l.displayName);
    }

    /** Changes a column's settings directly, as a site owner can in the list settings (not logged). */
    alterColumn(displayName: string, columnName: string, changes: Partial<Pick<Column, 'indexed' | 'enforceUniqueValues' | 'required'>>): void {
        const list = this.lists.find((l) => l.displayName.toLowerCase() === displayName.toLowerCase());
        const column = list?.columns.find((c) => c.name === columnName);
        if (!column) throw new Error(`FakeGraph: no column '${columnName}' in '${displayName}'`);
        Object.assign(column, changes);
    }

    /** Sets a choice column's choices, as a list made by an older version of the app has them (not logged). */
    setChoices(displayName: string, columnName: string, choices: string[]): void {
        const list = this.lists.find((l) => l.displayName.toLowerCase() === displayName.toLowerCase());
        const column = list?.columns.find((c) => c.name === columnName && c.type === 'choice');
        if (!column) throw new Error(`FakeGraph: no choice column '${columnName}' in '${displayName}'`);
        column.facet = { ...column.facet, choices: [...choices] };
    }

    /** Adds items directly (same validation as POST items, no RU, not logged). Returns the new ids. */
    seedItems(displayName: string, items: Record<string, unknown>[]): string[] {
        const list = this.lists.find((l) => l.displayName.toLowerCase() === displayName.toLowerCase());
        if (!list) throw new Error(`FakeGraph: no list '${displayName}'`);
        return items.map((fields) => String(this.createItem(list, fields, 'seed').id));
    }

    /** Edits an item's fields as a user in SharePoint would (same validation as PATCH, no RU, not logged). */
    async updateFields(displayName: string, id: string, fields: Record<string, unknown>): Promise<void> {
        const list = this.lists.find((l) => l.displayName.toLowerCase() === displayName.toLowerCase());
        if (!list) throw new Error(`FakeGraph: no list '${displayName}'`);
        this.updateItem(list, this.findItem(list, id), fields, 'user');
    }

    /** back to an empty site: lists, faults, log */
    reset(): void {
        this.lists = [];
        this.seed();
        this.requests.length = 0;
        this.throttleCfg = null;
        this.failCfg = null;
        this.failNextQueue = [];
        this.isDown = false;
        this.latency = this.options.latencyMs ?? 0;
    }

    async close(): Promise<void> {
        for (const socket of this.sockets) socket.destroy();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        if (this.isDown) {
            req.socket.destroy();
            return;
        }
        const at = this.now();
        const rawUrl = req.url ?? '/';
        const qIndex = rawUrl.indexOf('?');
        const fullPath = qIndex < 0 ? rawUrl : rawUrl.slice(0, qIndex);
        const query = qIndex < 0 ? '' : rawUrl.slice(qIndex + 1);
        const method = (req.method ?? 'GET').toUpperCase();
        const headers = lowerHeaders(req.headers);
        const rawBody = await readBody(req);
        if (this.latency > 0) await sleep(this.latency);
        if (this.isDown) {
            req.socket.destroy();
            return;
        }
        const path = fullPath.startsWith('/v1.0/') ? fullPath.slice('/v1.0'.length) : fullPath;
        const log: GraphRequestLogEntry = { method, path, query, status: 0, inBatch: false, ru: 0, at, userAgent: headers['user-agent'] };
        const clientRequestId = headers['client-request-id'] ?? crypto.randomUUID();

        const send = (result: OpResult): void => {
            log.status = result.status;
            this.requests.push(log);
            const outHeaders: Record<string, string> = {
                'request-id': crypto.randomUUID(),
                'client-request-id': clientRequestId,
                'cache-control': 'no-store, no-cache',
                ...(result.headers ?? {}),
            };
            if (result.body === undefined || result.status === 204) {
                res.writeHead(result.status, outHeaders);
                res.end();
                return;
            }
            res.writeHead(result.status, { 'content-type': JSON_CT, ...outHeaders });
            res.end(JSON.stringify(result.body));
        };

        try {
            if (!fullPath.startsWith('/v1.0/')) {
                const version = fullPath.split('/')[1] ?? '';
                throw new GraphHttpError(400, 'BadRequest', `Invalid version: ${version}`);
            }
            const caller = this.authenticate(headers['authorization']);
            log.clientId = caller.clientId;
            let body: unknown;
            if (rawBody.length > 0) {
                if (!(headers['content-type'] ?? '').toLowerCase().includes('application/json')) {
                    throw new GraphHttpError(415, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
                }
                try {
                    body = JSON.parse(rawBody);
                } catch {
                    throw new GraphHttpError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
                }
            }
            if (path === '/$batch') {
                const injected = this.injectedFault({ method, path, inBatch: false }, true);
                if (injected) {
                    log.injected = injected.kind;
                    send(injected.result);
                    return;
                }
                if (method !== 'POST') throw new GraphHttpError(405, 'BadRequest', 'Unsupported request method for $batch.');
                send(this.batch(body, caller, headers));
                return;
            }
            const op: Op = { method, path, query, headers, body, inBatch: false };
            const { result, ru, injected } = this.runOp(op, caller);
            log.ru = ru;
            if (injected) log.injected = injected;
            send(result);
        } catch (e) {
            send(errorResult(e, this.now()));
        }
    }

    private authenticate(authorization: string | undefined): GraphCaller {
        const wwwAuth = {
            'www-authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
        };
        if (!authorization || !/^Bearer\s+\S+/i.test(authorization)) {
            throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.', wwwAuth);
        }
        const caller = this.options.verifyToken(authorization.replace(/^Bearer\s+/i, '').trim());
        if (!caller) throw new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience, signature or lifetime.', wwwAuth);
        if (caller.roles.length === 0) throw new GraphHttpError(403, 'accessDenied', 'Either scp or roles claim need to be present in the token.');
        return caller;
    }

    /** 'none' | 'read' | 'write' on this site for the caller */
    private access(caller: GraphCaller): 'none' | 'read' | 'write' {
        const roles = new Set(caller.roles);
        if (roles.has('Sites.FullControl.All') || roles.has('Sites.Manage.All') || roles.has('Sites.ReadWrite.All')) return 'write';
        if (roles.has('Sites.Selected') && (this.options.grantedClientIds === undefined || this.options.grantedClientIds.includes(caller.clientId))) return 'write';
        if (roles.has('Sites.Read.All')) return 'read';
        return 'none';
    }

    private authorize(caller: GraphCaller, write: boolean): void {
        const access = this.access(caller);
        if (access === 'write' || (access === 'read' && !write)) return;
        if (caller.roles.includes('Sites.Selected') && access === 'none') {
            throw new GraphHttpError(
                403,
                'accessDenied',
                `Access denied. The app '${caller.clientId}' has the Sites.Selected application permission but no grant on site '${this.site.url.href}' (${this.site.id}). Grant it with POST /sites/{site-id}/permissions {roles:['write']}.`,
            );
        }
        throw new GraphHttpError(403, 'accessDenied', 'Access denied');
    }

    // ------------------------------------------------------------------------------------------------ operations

    /** one Graph operation (top-level or inside $batch): faults, RU budget, permission, routing, log for inner ones */
    private runOp(op: Op, caller: GraphCaller): { result: OpResult; ru: number; injected?: string } {
        const pathOnly = op.path;
        const injected = this.injectedFault({ method: op.method, path: pathOnly, inBatch: op.inBatch, body: op.body }, false);
        if (injected?.afterWrite) {
            try { this.route(op, caller); } catch { /* the write's own outcome is not what the caller hears */ }
            return { result: injected.result, ru: costOf(op.method, pathOnly), injected: `${injected.kind} after the write` };
        }
        if (injected) return { result: injected.result, ru: 0, injected: injected.kind };
        const cost = costOf(op.method, pathOnly);
        const limit = this.options.ruLimitPerMinute;
        if (limit !== undefined && this.ruSpent(60_000) + cost > limit) {
            const oldest = this.requests.filter((r) => r.at > this.now() - 60_000 && r.ru > 0)[0];
            const wait = oldest ? Math.max(1, Math.ceil((oldest.at + 60_000 - this.now()) / 1000)) : 1;
            return { result: errorResult(new GraphHttpError(429, 'activityLimitReached', 'The request has been throttled', { 'Retry-After': String(wait) }), this.now()), ru: 0, injected: 'ruLimit' };
        }
        try {
            const result = this.route(op, caller);
            return { result, ru: cost };
        } catch (e) {
            const result = errorResult(e, this.now());
            // authentication/permission failures are not charged
            return { result, ru: result.status === 401 || result.status === 403 ? 0 : cost };
        }
    }

    private injectedFault(req: { method: string; path: string; inBatch: boolean; body?: unknown }, envelope: boolean): { result: OpResult; kind: string; afterWrite?: boolean } | null {
        const at = this.now();
        const entry = this.failNextQueue.find((f) => f.remaining > 0 && (f.match === undefined ? !envelope : matches(f.match, req)));
        if (entry) {
            entry.remaining--;
            this.failNextQueue = this.failNextQueue.filter((f) => f.remaining > 0);
            return { result: faultResult(entry.status, entry.retryAfterSeconds, at), kind: 'failNext', afterWrite: entry.afterWrite === true && !envelope };
        }
        if (envelope) return null;
        const t = this.throttleCfg;
        if (t && t.random() < t.probability) {
            const status = t.statuses[Math.floor(t.random() * t.statuses.length) % t.statuses.length] ?? 429;
            return { result: faultResult(status, t.retryAfterSeconds, at), kind: 'throttle' };
        }
        const f = this.failCfg;
        if (f && f.random() < f.probability) return { result: faultResult(f.status, undefined, at), kind: 'fail' };
        return null;
    }

    private route(op: Op, caller: GraphCaller): OpResult {
        const segments = op.path.split('/').slice(1);
        if (segments[segments.length - 1] === '') segments.pop();
        const decoded = segments.map((s) => safeDecode(s));
        if (decoded[0] !== 'sites' || decoded.length < 2) throw bad(`Resource not found for the segment '${decoded[0] ?? ''}'.`, 'BadRequest');
        const q = new URLSearchParams(op.query);
        for (const key of q.keys()) {
            if (key.startsWith('$') && !['$select', '$expand', '$filter', '$top', '$orderby', '$skiptoken'].includes(key)) {
                throw bad(`FakeGraph does not implement the query option '${key}'.`);
            }
        }

        // site addressing: {siteId} or {hostname}:/{path}[:]
        let rest: string[];
        const first = decoded[1]!;
        if (first.endsWith(':')) {
            const hostname = first.slice(0, -1);
            const pathParts: string[] = [];
            let i = 2;
            let closed = false;
            for (; i < decoded.length; i++) {
                const seg = decoded[i]!;
                if (seg.endsWith(':')) {
                    pathParts.push(seg.slice(0, -1));
                    i++;
                    closed = true;
                    break;
                }
                pathParts.push(seg);
            }
            if (!closed && i < decoded.length) throw bad('Invalid site path.');
            const relPath = '/' + pathParts.join('/');
            if (hostname.toLowerCase() !== this.site.url.hostname.toLowerCase() || relPath.toLowerCase() !== this.site.url.pathname.replace(/\/+$/, '').toLowerCase()) {
                throw notFound('Requested site could not be found');
            }
            rest = decoded.slice(i);
        } else {
            if (first !== this.site.id && first.toLowerCase() !== this.site.id.toLowerCase()) throw notFound('Requested site could not be found');
            rest = decoded.slice(2);
        }
        const write = op.method !== 'GET';
        this.authorize(caller, write);

        const m = op.method;
        if (rest.length === 0) {
            requireMethod(m, ['GET']);
            return ok(200, this.siteJson());
        }
        if (rest[0] !== 'lists') throw bad(`Resource not found for the segment '${rest[0]}'.`, 'BadRequest');
        if (rest.length === 1) {
            requireMethod(m, ['GET', 'POST']);
            return m === 'GET' ? this.getLists(q) : this.createList(op.body);
        }
        const list = this.findList(rest[1]!);
        if (rest.length === 2) {
            requireMethod(m, ['GET']);
            return ok(200, { '@odata.context': this.context(`lists/$entity`), ...this.shapeList(list, q) });
        }
        const sub = rest[2];
        if (sub === 'columns') {
            if (rest.length === 3) {
                requireMethod(m, ['GET', 'POST']);
                if (m === 'GET') return ok(200, { '@odata.context': this.context(`lists('${list.id}')/columns`), value: list.columns.map(columnJson) });
                return this.createColumn(list, op.body);
            }
            if (rest.length === 4) {
                const column = list.columns.find((c) => c.id === rest[3] || c.name === rest[3]);
                if (!column) throw notFound(`Column '${rest[3]}' does not exist. It may have been deleted by another user.`);
                requireMethod(m, ['GET', 'PATCH']);
                if (m === 'GET') return ok(200, columnJson(column));
                return this.patchColumn(list, column, op.body);
            }
        }
        if (sub === 'items') {
            if (list.template === 'documentLibrary' && m === 'POST' && rest.length === 3) {
                throw bad('Files and folders should only be added to a DocumentLibrary via the OneDrive API');
            }
            if (rest.length === 3) {
                requireMethod(m, ['GET', 'POST']);
                return m === 'GET' ? this.getItems(list, q, op.headers) : this.postItem(list, op.body, caller);
            }
            const item = this.findItem(list, rest[3]!);
            if (rest.length === 4) {
                if (m === 'PATCH') throw bad('FakeGraph: update list item fields with PATCH .../items/{id}/fields');
                requireMethod(m, ['GET', 'DELETE']);
                if (m === 'GET') return ok(200, { '@odata.context': this.context(`lists('${list.id}')/items/$entity`), ...this.itemJson(list, item, parseExpand(q.get('$expand'), 'listItem').fields) });
                checkIfMatch(op.headers, this.itemEtag(item));
                list.items.delete(item.id);
                list.modified = this.now();
                return { status: 204 };
            }
            if (rest.length === 5 && rest[4] === 'fields') {
                requireMethod(m, ['GET', 'PATCH']);
                if (m === 'PATCH') {
                    checkIfMatch(op.headers, this.itemEtag(item));
                    this.updateItem(list, item, op.body, caller.clientId);
                }
                const select = q.get('$select');
                return ok(200, { '@odata.context': this.context(`lists('${list.id}')/items('${item.id}')/fields/$entity`), ...this.fieldsJson(list, item, select ? splitList(select) : undefined) });
            }
        }
        throw bad(`Resource not found for the segment '${rest[rest.length - 1]}'.`, 'BadRequest');
    }

    // ------------------------------------------------------------------------------------------------ $batch

    private batch(body: unknown, caller: GraphCaller, outerHeaders: Record<string, string>): OpResult {
        const requests = (body as { requests?: unknown } | undefined)?.requests;
        if (!Array.isArray(requests)) throw new GraphHttpError(400, 'BadRequest', 'Invalid batch payload format.');
        if (requests.length === 0) throw new GraphHttpError(400, 'BadRequest', 'Invalid batch payload format.');
        if (requests.length > 20) throw bad('Number of requests in the batch exceeds the maximum of 20.');
        const seen = new Set<string>();
        const parsed: { id: string; method: string; url: string; headers: Record<string, string>; body: unknown; dependsOn: string[] }[] = [];
        for (const raw of requests) {
            const r = raw as Record<string, unknown>;
            const id = r.id;
            if (typeof id !== 'string' || id === '') throw new GraphHttpError(400, 'BadRequest', 'Invalid batch payload format. Request id is missing.');
            if (seen.has(id)) throw new GraphHttpError(400, 'BadRequest', `Request Id '${id}' is duplicated in the batch.`);
            const method = typeof r.method === 'string' ? r.method.toUpperCase() : '';
            if (!['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(method)) throw new GraphHttpError(400, 'BadRequest', `Invalid method '${String(r.method)}' for request id '${id}'.`);
            if (typeof r.url !== 'string' || r.url === '') throw new GraphHttpError(400, 'BadRequest', `Request id '${id}' has no url.`);
            if (/^[a-z]+:\/\//i.test(r.url)) throw new GraphHttpError(400, 'BadRequest', `Request id '${id}': the url must be relative to the version, e.g. '/sites/...'.`);
            const headers: Record<string, string> = {};
            if (r.headers !== undefined) {
                if (typeof r.headers !== 'object' || r.headers === null) throw new GraphHttpError(400, 'BadRequest', 'Invalid batch payload format.');
                for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
            }
            const hasBody = r.body !== undefined && r.body !== null;
            if ((['POST', 'PATCH', 'PUT'].includes(method) && !hasBody) || (hasBody && !headers['content-type'])) {
                throw new GraphHttpError(400, 'BadRequest', `Write request id : ${id} does not contain Content-Type header or body.`);
            }
            let dependsOn: string[] = [];
            if (r.dependsOn !== undefined) {
                if (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== 'string')) throw new GraphHttpError(400, 'BadRequest', 'Invalid batch payload format. dependsOn must be an array of ids.');
                dependsOn = r.dependsOn as string[];
                for (const d of dependsOn) if (!seen.has(d)) throw new GraphHttpError(400, 'BadRequest', `Request '${id}' depends on '${d}', which is not an earlier request in the batch.`);
            }
            let reqBody: unknown = r.body;
            if (typeof reqBody === 'string' && headers['content-type']?.includes('json')) {
                try {
                    reqBody = JSON.parse(reqBody);
                } catch {
                    throw new GraphHttpError(400, 'BadRequest', `Request id '${id}': body is not valid JSON.`);
                }
            }
            seen.add(id);
            parsed.push({ id, method, url: r.url, headers, body: reqBody, dependsOn });
        }

        const statuses = new Map<string, number>();
        const responses: { id: string; status: number; headers: Record<string, string>; body?: unknown }[] = [];
        for (const r of parsed) {
            const relative = r.url.startsWith('/') ? r.url : '/' + r.url;
            const qIndex = relative.indexOf('?');
            const path = qIndex < 0 ? relative : relative.slice(0, qIndex);
            const query = qIndex < 0 ? '' : relative.slice(qIndex + 1);
            const log: GraphRequestLogEntry = { method: r.method, path, query, status: 0, inBatch: true, ru: 0, at: this.now(), clientId: caller.clientId, userAgent: outerHeaders['user-agent'], batchRequestId: r.id };
            let result: OpResult;
            if (r.dependsOn.some((d) => (statuses.get(d) ?? 0) >= 400)) {
                result = errorResult(new GraphHttpError(424, 'failedDependency', 'Failed dependency'), this.now());
            } else {
                const op: Op = { method: r.method, path, query, headers: { 'user-agent': outerHeaders['user-agent'] ?? '', ...r.headers }, body: r.body, inBatch: true, batchRequestId: r.id };
                const run = this.runOp(op, caller);
                result = run.result;
                log.ru = run.ru;
                if (run.injected) log.injected = run.injected;
            }
            log.status = result.status;
            this.requests.push(log);
            statuses.set(r.id, result.status);
            const headers: Record<string, string> = { ...(result.headers ?? {}) };
            const entry: { id: string; status: number; headers: Record<string, string>; body?: unknown } = { id: r.id, status: result.status, headers };
            if (result.body !== undefined && result.status !== 204) {
                headers['Content-Type'] = JSON_CT;
                entry.body = result.body;
            }
            responses.push(entry);
        }
        if (this.options.shuffleBatchResponses) responses.sort(() => Math.random() - 0.5);
        return ok(200, { responses });
    }

    // ------------------------------------------------------------------------------------------------ sites + lists

    private seed(): void {
        if (this.options.seedSystemLists === false) return;
        const created = this.site.created;
        this.lists.push({
            id: crypto.randomUUID(),
            name: 'Shared Documents',
            displayName: 'Documents',
            description: '',
            template: 'documentLibrary',
            created,
            modified: created,
            version: 1,
            columns: builtInColumns(),
            items: new Map(),
            nextId: 1,
        });
    }

    private context(suffix: string): string {
        return `${this.url}/v1.0/$metadata#sites('${encodeURIComponent(this.site.id)}')/${suffix}`;
    }

    private siteJson(): Record<string, unknown> {
        return {
            '@odata.context': `${this.url}/v1.0/$metadata#sites/$entity`,
            createdDateTime: iso(this.site.created),
            description: '',
            id: this.site.id,
            lastModifiedDateTime: iso(Math.max(this.site.created, ...this.lists.map((l) => l.modified))),
            name: this.site.displayName,
            webUrl: this.site.url.href.replace(/\/+$/, ''),
            displayName: this.site.displayName,
            root: {},
            siteCollection: { hostname: this.site.url.hostname },
        };
    }

    private findList(key: string): List {
        const list = this.lists.find((l) => l.id === key || l.id.toLowerCase() === key.toLowerCase() || l.displayName.toLowerCase() === key.toLowerCase());
        if (!list) throw notFound('List not found');
        return list;
    }

    private listJson(list: List): Record<string, unknown> {
        const etag = `"${list.id},${list.version}"`;
        return {
            '@odata.etag': etag,
            createdDateTime: iso(list.created),
            description: list.description,
            eTag: etag,
            id: list.id,
            lastModifiedDateTime: iso(list.modified),
            name: list.name,
            webUrl: list.template === 'documentLibrary' ? `${this.webUrl()}/${encodeURIComponent(list.name).replace(/%20/g, '%20')}` : `${this.webUrl()}/Lists/${list.name}`,
            displayName: list.displayName,
            createdBy: { user: { displayName: 'System Account' } },
            parentReference: { siteId: this.site.id },
            list: { contentTypesEnabled: false, hidden: false, template: list.template },
        };
    }

    private shapeList(list: List, q: URLSearchParams): Record<string, unknown> {
        const expand = parseExpand(q.get('$expand'), 'list');
        let json = this.listJson(list);
        const select = q.get('$select');
        if (select) json = pick(json, ['@odata.etag', ...splitList(select)]);
        if (expand.columns) json.columns = list.columns.map(columnJson);
        return json;
    }

    private webUrl(): string {
        return this.site.url.href.replace(/\/+$/, '');
    }

    private getLists(q: URLSearchParams): OpResult {
        const filter = parseFilter(q.get('$filter'));
        for (const clause of filter) {
            if (!['displayName', 'name', 'id'].includes(clause.path)) throw bad(`FakeGraph: $filter on lists supports displayName, name and id, not '${clause.path}'.`);
        }
        const all = this.lists.filter((l) =>
            filter.every((c) => compare({ displayName: l.displayName, name: l.name, id: l.id }[c.path] as string, c.op, c.value, 'text')),
        );
        const { page, next } = this.page(all, q, (l) => l.id);
        const body: Record<string, unknown> = { '@odata.context': this.context('lists'), value: page.map((l) => this.shapeList(l, q)) };
        if (next) body['@odata.nextLink'] = this.nextLink(`/sites/${this.site.id}/lists`, q, next);
        return ok(200, body);
    }

    private createList(body: unknown): OpResult {
        const b = requireObject(body, 'list');
        checkProps(b, new Set(['displayName', 'description', 'columns', 'list', 'name']), 'list');
        if (typeof b.displayName !== 'string' || b.displayName.trim() === '') throw bad('The displayName of the list is required.');
        const displayName = b.displayName;
        const listFacet = (b.list ?? {}) as Record<string, unknown>;
        checkProps(listFacet, new Set(['template', 'contentTypesEnabled', 'hidden']), 'listInfo');
        const template = listFacet.template ?? 'genericList';
        if (template !== 'genericList') throw bad(`FakeGraph only implements list template 'genericList', not '${String(template)}'.`);
        if (this.lists.some((l) => l.displayName.toLowerCase() === displayName.toLowerCase())) {
            throw new GraphHttpError(409, 'nameAlreadyExists', 'A list, survey, discussion board, or document library with the specified title already exists in this Web site.  Please choose another title.');
        }
        const columns = builtInColumns();
        if (b.columns !== undefined) {
            if (!Array.isArray(b.columns)) throw bad("The property 'columns' must be an array.");
            for (const def of b.columns) columns.push(parseColumn(def, columns));
        }
        let name = (typeof b.name === 'string' && b.name ? b.name : displayName).replace(/[^A-Za-z0-9_-]/g, '') || 'List';
        const base = name;
        for (let n = 1; this.lists.some((l) => l.name.toLowerCase() === name.toLowerCase()); n++) name = `${base}${n}`;
        const now = this.now();
        const list: List = {
            id: crypto.randomUUID(),
            name,
            displayName,
            description: typeof b.description === 'string' ? b.description : '',
            template: 'genericList',
            created: now,
            modified: now,
            version: 1,
            columns,
            items: new Map(),
            nextId: 1,
        };
        this.lists.push(list);
        return ok(201, { '@odata.context': this.context('lists/$entity'), ...this.listJson(list) });
    }

    private createColumn(list: List, body: unknown): OpResult {
        const column = parseColumn(body, list.columns);
        if (column.enforceUniqueValues && hasDuplicates(list, column)) {
            throw bad('This field contains duplicate values. Remove all duplicate values and try the operation again.');
        }
        list.columns.push(column);
        list.modified = this.now();
        list.version++;
        return ok(201, { '@odata.context': this.context(`lists('${list.id}')/columns/$entity`), ...columnJson(column) });
    }

    private patchColumn(list: List, column: Column, body: unknown): OpResult {
        const b = requireObject(body, 'columnDefinition');
        checkProps(b, COLUMN_PROPS, 'columnDefinition');
        const allowed = new Set(['indexed', 'enforceUniqueValues', 'required', 'displayName', 'description', 'hidden', ...(column.type === 'choice' ? ['choice'] : [])]);
        for (const key of Object.keys(b)) if (!allowed.has(key)) throw bad(`FakeGraph: PATCH column supports ${[...allowed].join(', ')}; '${key}' cannot be changed.`);
        if (column.readOnly && column.name !== 'Title') throw bad(`The column '${column.name}' is read-only.`);
        const next = { ...column };
        for (const key of ['indexed', 'enforceUniqueValues', 'required', 'hidden'] as const) {
            if (b[key] !== undefined) {
                if (typeof b[key] !== 'boolean') throw bad(`Cannot convert a primitive value to the expected type 'Edm.Boolean'. See the inner exception for more details.`);
                next[key] = b[key] as boolean;
            }
        }
        for (const key of ['displayName', 'description'] as const) {
            if (b[key] !== undefined) {
                if (typeof b[key] !== 'string') throw bad(`Cannot convert a primitive value to the expected type 'Edm.String'. See the inner exception for more details.`);
                next[key] = b[key] as string;
            }
        }
        if (b.choice !== undefined) {
            // The choice facet is replaced as a whole, validated as on create; items keep the values they hold.
            const c = requireObject(b.choice, 'choiceColumn');
            const choices = c.choices;
            if (!Array.isArray(choices) || choices.length === 0 || choices.some((x) => typeof x !== 'string' || x === '')) throw bad(`Choice column '${column.name}' needs a non-empty 'choices' array of strings.`);
            next.facet = { allowTextEntry: c.allowTextEntry === true, choices: [...choices], displayAs: c.displayAs ?? column.facet.displayAs ?? 'dropDownMenu' };
        }
        if (column.builtIn && column.indexed && !next.indexed && ['ID', 'Created', 'Modified'].includes(column.name)) throw bad(`The index on '${column.name}' cannot be removed.`);
        if (next.enforceUniqueValues && !next.indexed) throw bad('The column must be indexed to enforce unique values (enforceUniqueValues requires indexed: true).');
        if (next.enforceUniqueValues && !uniqueAllowed(next)) throw bad(`Unique values cannot be enforced on column '${column.name}' of this type.`);
        if (next.enforceUniqueValues && !column.enforceUniqueValues && hasDuplicates(list, next)) {
            throw bad('This field contains duplicate values. Remove all duplicate values and try the operation again.');
        }
        Object.assign(column, next);
        list.modified = this.now();
        list.version++;
        return ok(200, { '@odata.context': this.context(`lists('${list.id}')/columns/$entity`), ...columnJson(column) });
    }

    // ------------------------------------------------------------------------------------------------ items

    private findItem(list: List, key: string): Item {
        const id = /^\d+$/.test(key) ? Number(key) : NaN;
        const item = list.items.get(id);
        if (!item) throw notFound();
        return item;
    }

    private itemEtag(item: Item): string {
        return `"${item.uid},${item.version}"`;
    }

    private fieldsJson(list: List, item: Item, select?: string[]): Record<string, unknown> {
        const etag = this.itemEtag(item);
        const all: Record<string, unknown> = { '@odata.etag': etag };
        const title = item.values.Title;
        if (title !== undefined) all.Title = title;
        for (const c of list.columns) if (!c.builtIn && item.values[c.name] !== undefined) all[c.name] = item.values[c.name];
        Object.assign(all, {
            id: String(item.id),
            ContentType: 'Item',
            Modified: iso(item.modified),
            Created: iso(item.created),
            AuthorLookupId: APP_USER_LOOKUP_ID,
            EditorLookupId: APP_USER_LOOKUP_ID,
            _UIVersionString: `${item.version}.0`,
            Attachments: false,
            Edit: '',
            ...(title !== undefined ? { LinkTitleNoMenu: title, LinkTitle: title } : {}),
            ItemChildCount: '0',
            FolderChildCount: '0',
            _ComplianceFlags: '',
            _ComplianceTag: '',
            _ComplianceTagWrittenTime: '',
            _ComplianceTagUserId: '',
            AppAuthorLookupId: '1',
            AppEditorLookupId: '1',
        });
        if (!select) return all;
        const out: Record<string, unknown> = { '@odata.etag': etag };
        for (const name of select) {
            const key = name === 'ID' ? 'id' : name;
            if (all[key] !== undefined) out[name === 'ID' ? 'id' : name] = all[key];
        }
        return out;
    }

    private itemJson(list: List, item: Item, expandFields: false | { select?: string[] }): Record<string, unknown> {
        const etag = this.itemEtag(item);
        const json: Record<string, unknown> = {
            '@odata.etag': etag,
            createdDateTime: iso(item.created),
            eTag: etag,
            id: String(item.id),
            lastModifiedDateTime: iso(item.modified),
            webUrl: `${this.webUrl()}/Lists/${list.name}/${item.id}_.000`,
            createdBy: { application: { id: item.createdBy, displayName: 'Kenniskring' }, user: { displayName: 'SharePoint App' } },
            lastModifiedBy: { application: { id: item.modifiedBy, displayName: 'Kenniskring' }, user: { displayName: 'SharePoint App' } },
            parentReference: { id: list.id, siteId: this.site.id },
            contentType: { id: '0x0100' + list.id.replace(/-/g, '').toUpperCase(), name: 'Item' },
        };
        if (expandFields) {
            json['fields@odata.context'] = this.context(`lists('${list.id}')/items('${item.id}')/fields/$entity`);
            json.fields = this.fieldsJson(list, item, expandFields.select);
        }
        return json;
    }

    private getItems(list: List, q: URLSearchParams, headers: Record<string, string>): OpResult {
        const expand = parseExpand(q.get('$expand'), 'listItem');
        const honorNonIndexed = (headers['prefer'] ?? '').toLowerCase().includes(PREFER_NON_INDEXED);
        const filter = parseFilter(q.get('$filter'));
        const orderby = parseOrderby(q.get('$orderby'));
        const columnFor = (path: string): Column => {
            const m = /^fields\/(.+)$/.exec(path);
            if (!m) throw bad(`FakeGraph: item $filter/$orderby supports 'fields/<column>' only, not '${path}'.`);
            const name = m[1]!;
            const column = list.columns.find((c) => c.name === name);
            if (!column) throw bad(`Column '${name}' does not exist. It may have been deleted by another user.`);
            if (!column.indexed && !honorNonIndexed) {
                throw bad(
                    `Field '${name}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may fail on large lists.`,
                );
            }
            return column;
        };
        const filterCols = filter.map((c) => ({ clause: c, column: columnFor(c.path) }));
        const orderCol = orderby ? { column: columnFor(orderby.path), desc: orderby.desc } : null;
        let items = [...list.items.values()].sort((a, b) => a.id - b.id);
        items = items.filter((item) => filterCols.every(({ clause, column }) => compare(valueOf(item, column), clause.op, clause.value, column.type)));
        if (orderCol) {
            const { column, desc } = orderCol;
            items.sort((a, b) => {
                const r = order(valueOf(a, column), valueOf(b, column), column.type) || a.id - b.id;
                return desc ? -r : r;
            });
        }
        const { page, next } = this.page(items, q, (i) => String(i.id), !!orderCol);
        const selectRaw = q.get('$select');
        const select = selectRaw ? splitList(selectRaw) : null;
        const body: Record<string, unknown> = {
            '@odata.context': this.context(`lists('${list.id}')/items${expand.fields ? '(fields())' : ''}`),
            value: page.map((i) => {
                const json = this.itemJson(list, i, expand.fields);
                return select ? pick(json, ['@odata.etag', ...select, 'fields@odata.context', 'fields']) : json;
            }),
        };
        if (next) body['@odata.nextLink'] = this.nextLink(`/sites/${this.site.id}/lists/${list.id}/items`, q, next);
        return ok(200, body);
    }

    /** paging: default order -> skiptoken `Paged=TRUE&p_ID=<last id>` (stable under inserts); custom order -> offset */
    private page<T>(all: T[], q: URLSearchParams, key: (t: T) => string, byOffset = false): { page: T[]; next: string | null } {
        const topRaw = q.get('$top');
        let size = this.options.pageSize ?? 100;
        if (topRaw !== null) {
            if (!/^\d+$/.test(topRaw) || Number(topRaw) < 1) throw bad(`Invalid value '${topRaw}' for $top.`);
            if (Number(topRaw) > 5000) throw bad('The $top value must be 5000 or less.');
            size = Number(topRaw);
        }
        let start = 0;
        const token = q.get('$skiptoken');
        if (token !== null) {
            const decoded = Buffer.from(token, 'base64url').toString('utf8');
            const idMatch = /^Paged=TRUE&p_ID=(.+)$/.exec(decoded);
            const offMatch = /^Paged=TRUE&p_Offset=(\d+)$/.exec(decoded);
            if (idMatch && !byOffset) {
                const last = idMatch[1]!;
                const numeric = /^\d+$/.test(last);
                start = all.findIndex((t) => (numeric ? Number(key(t)) > Number(last) : key(t) > last));
                if (start < 0) start = all.length;
            } else if (offMatch && byOffset) start = Number(offMatch[1]);
            else throw bad('Invalid skip token.');
        }
        const page = all.slice(start, start + size);
        if (start + size >= all.length || page.length === 0) return { page, next: null };
        const next = byOffset ? `Paged=TRUE&p_Offset=${start + size}` : `Paged=TRUE&p_ID=${key(page[page.length - 1]!)}`;
        return { page, next: Buffer.from(next).toString('base64url') };
    }

    private nextLink(path: string, q: URLSearchParams, skiptoken: string): string {
        const parts: string[] = [];
        for (const [k, v] of q) if (k !== '$skiptoken') parts.push(`${k}=${encodeQueryValue(v)}`);
        parts.push(`$skiptoken=${skiptoken}`);
        return `${this.url}/v1.0${path}?${parts.join('&')}`;
    }

    private postItem(list: List, body: unknown, caller: GraphCaller): OpResult {
        const b = requireObject(body, 'listItem');
        checkProps(b, new Set(['fields', 'contentType']), 'listItem');
        if (b.fields === undefined || typeof b.fields !== 'object' || b.fields === null || Array.isArray(b.fields)) throw bad("The listItem must have a 'fields' object.");
        const item = this.createItem(list, b.fields as Record<string, unknown>, caller.clientId);
        return ok(201, { '@odata.context': this.context(`lists('${list.id}')/items/$entity`), ...this.itemJson(list, item, {}) });
    }

    private createItem(list: List, fields: Record<string, unknown>, clientId: string): Item {
        const values = validateFields(list, fields);
        for (const c of list.columns) {
            if (c.required && !c.readOnly && (values[c.name] === undefined || values[c.name] === null || values[c.name] === '')) {
                throw bad(`Field '${c.name}' is required.`);
            }
        }
        checkUnique(list, values, undefined);
        const now = this.now();
        const item: Item = {
            id: list.nextId++,
            values: stripNulls(values),
            created: now,
            modified: now,
            version: 1,
            uid: crypto.randomUUID(),
            createdBy: clientId,
            modifiedBy: clientId,
        };
        list.items.set(item.id, item);
        list.modified = now;
        return item;
    }

    private updateItem(list: List, item: Item, body: unknown, clientId: string): void {
        const fields = requireObject(body, 'fieldValueSet');
        const values = validateFields(list, fields);
        const merged = stripNulls({ ...item.values, ...values });
        for (const c of list.columns) {
            if (c.required && !c.readOnly && c.name in values && (merged[c.name] === undefined || merged[c.name] === '')) throw bad(`Field '${c.name}' is required.`);
        }
        checkUnique(list, merged, item);
        item.values = merged;
        item.modified = Math.max(this.now(), item.modified + 1000);
        item.version++;
        item.modifiedBy = clientId;
        list.modified = item.modified;
    }
}

// ------------------------------------------------------------------------------------------------------------------
// columns

function builtInColumns(): Column[] {
    const base = { description: '', enforceUniqueValues: false, hidden: false, builtIn: true };
    return [
        { ...base, id: 'fa564e0f-0c70-4ab9-b863-0177e6ddd247', name: 'Title', displayName: 'Title', type: 'text', facet: { allowMultipleLines: false, appendChangesToExistingText: false, linesForEditing: 0, maxLength: 255 }, indexed: false, required: true, readOnly: false },
        { ...base, id: '1d22ea11-1e32-424e-89ab-9fedbadb6ce1', name: 'ID', displayName: 'ID', type: 'counter', facet: {}, indexed: true, required: false, readOnly: true },
        { ...base, id: 'c042a256-787d-4a6f-8a8a-cf6ab767f12d', name: 'ContentType', displayName: 'Content Type', type: 'computed', facet: {}, indexed: false, required: false, readOnly: true },
        { ...base, id: '28cf69c5-fa48-462a-b5cd-27b6f9d2bd5f', name: 'Modified', displayName: 'Modified', type: 'dateTime', facet: { displayAs: 'default', format: 'dateTime' }, indexed: true, required: false, readOnly: true },
        { ...base, id: '8c06beca-0777-48f7-91c7-6da68bc07b69', name: 'Created', displayName: 'Created', type: 'dateTime', facet: { displayAs: 'default', format: 'dateTime' }, indexed: true, required: false, readOnly: true },
        { ...base, id: '1df5e554-ec7e-46a6-901d-d85a3881cb18', name: 'Author', displayName: 'Created By', type: 'personOrGroup', facet: { allowMultipleSelection: false, displayAs: 'nameWithPresence', chooseFromType: 'peopleAndGroups' }, indexed: false, required: false, readOnly: true },
        { ...base, id: 'd31655d1-1d5b-4511-95a1-7a09e9b75bf2', name: 'Editor', displayName: 'Modified By', type: 'personOrGroup', facet: { allowMultipleSelection: false, displayAs: 'nameWithPresence', chooseFromType: 'peopleAndGroups' }, indexed: false, required: false, readOnly: true },
        { ...base, id: '67df98f4-9dec-48ff-a553-29bece9c5bf4', name: 'Attachments', displayName: 'Attachments', type: 'boolean', facet: {}, indexed: false, required: false, readOnly: true },
        { ...base, id: 'dce8262a-3ae9-45aa-aab4-83bd75fb738a', name: '_UIVersionString', displayName: 'Version', type: 'text', facet: { allowMultipleLines: false, maxLength: 255 }, indexed: false, required: false, readOnly: true },
    ];
}

/** read-only pseudo fields that appear in `fields` */
const READ_ONLY_FIELD_NAMES = new Set(['id', 'AuthorLookupId', 'EditorLookupId', 'AppAuthorLookupId', 'AppEditorLookupId', 'Edit', 'LinkTitle', 'LinkTitleNoMenu', 'ItemChildCount', 'FolderChildCount', 'DocIcon', '_ComplianceFlags', '_ComplianceTag', '_ComplianceTagWrittenTime', '_ComplianceTagUserId']);

function columnJson(c: Column): ColumnJson {
    const json: ColumnJson = {
        columnGroup: c.builtIn ? 'Core Columns' : 'Custom Columns',
        description: c.description,
        displayName: c.displayName,
        enforceUniqueValues: c.enforceUniqueValues,
        hidden: c.hidden,
        id: c.id,
        indexed: c.indexed,
        name: c.name,
        readOnly: c.readOnly,
        required: c.required,
    };
    const facetName = c.type === 'counter' || c.type === 'computed' ? null : c.type;
    if (facetName) json[facetName] = { ...c.facet };
    return json;
}

function parseColumn(def: unknown, existing: Column[]): Column {
    const b = requireObject(def, 'columnDefinition');
    checkProps(b, COLUMN_PROPS, 'columnDefinition');
    const name = b.name;
    if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(name)) {
        throw bad(`Invalid column name '${String(name)}': use letters, digits and underscores (SharePoint internal name).`);
    }
    if (existing.some((c) => c.name.toLowerCase() === name.toLowerCase())) throw bad(`A duplicate field name "${name}" was found.`);
    const unsupported = UNSUPPORTED_FACETS.filter((f) => b[f] !== undefined);
    if (unsupported.length > 0) throw bad(`FakeGraph does not implement column facet '${unsupported[0]}'.`);
    const facets = SUPPORTED_FACETS.filter((f) => b[f] !== undefined);
    if (facets.length !== 1) throw bad(facets.length === 0 ? `Column '${name}' needs exactly one type facet (text, number, dateTime, boolean, choice).` : `Column '${name}' has more than one type facet: ${facets.join(', ')}.`);
    const type = facets[0]!;
    const facetIn = requireObject(b[type], type);
    checkProps(facetIn, FACET_PROPS[type]!, `${type}Column`);
    const facet: Record<string, unknown> = {};
    if (type === 'text') {
        const multi = facetIn.allowMultipleLines === true;
        const max = facetIn.maxLength;
        if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) throw bad(`Invalid maxLength for column '${name}'.`);
        if (!multi && typeof max === 'number' && max > 255) throw bad(`The maxLength of single line of text column '${name}' must be 255 or less.`);
        Object.assign(facet, { allowMultipleLines: multi, appendChangesToExistingText: false, linesForEditing: multi ? 6 : 0, maxLength: max ?? (multi ? 63999 : 255) });
        if (facetIn.textType !== undefined) facet.textType = facetIn.textType;
    } else if (type === 'number') {
        for (const k of ['minimum', 'maximum', 'decimalPlaces'] as const) {
            if (facetIn[k] !== undefined && typeof facetIn[k] !== 'number') throw bad(`Invalid ${k} for column '${name}'.`);
        }
        Object.assign(facet, { decimalPlaces: 'automatic', displayAs: 'number', maximum: 1.7976931348623157e308, minimum: -1.7976931348623157e308 }, facetIn);
    } else if (type === 'dateTime') {
        const format = facetIn.format ?? 'dateTime';
        if (format !== 'dateTime' && format !== 'dateOnly') throw bad(`Invalid dateTime format '${String(format)}' for column '${name}'.`);
        Object.assign(facet, { displayAs: facetIn.displayAs ?? 'default', format });
    } else if (type === 'choice') {
        const choices = facetIn.choices;
        if (!Array.isArray(choices) || choices.length === 0 || choices.some((c) => typeof c !== 'string' || c === '')) throw bad(`Choice column '${name}' needs a non-empty 'choices' array of strings.`);
        Object.assign(facet, { allowTextEntry: facetIn.allowTextEntry === true, choices: [...choices], displayAs: facetIn.displayAs ?? 'dropDownMenu' });
    }
    for (const k of ['indexed', 'enforceUniqueValues', 'required', 'hidden', 'readOnly'] as const) {
        if (b[k] !== undefined && typeof b[k] !== 'boolean') throw bad(`Cannot convert a primitive value to the expected type 'Edm.Boolean'. See the inner exception for more details.`);
    }
    if (b.readOnly === true) throw bad('FakeGraph: custom read-only columns are not supported.');
    const column: Column = {
        id: crypto.randomUUID(),
        name,
        displayName: typeof b.displayName === 'string' && b.displayName ? b.displayName : name,
        description: typeof b.description === 'string' ? b.description : '',
        type,
        facet,
        indexed: b.indexed === true,
        enforceUniqueValues: b.enforceUniqueValues === true,
        required: b.required === true,
        readOnly: false,
        hidden: b.hidden === true,
        builtIn: false,
    };
    if (column.enforceUniqueValues && !column.indexed) throw bad('The column must be indexed to enforce unique values (enforceUniqueValues requires indexed: true).');
    if (column.enforceUniqueValues && !uniqueAllowed(column)) throw bad(`Unique values cannot be enforced on column '${name}' of this type.`);
    return column;
}

function uniqueAllowed(c: Column): boolean {
    if (c.type === 'boolean') return false;
    if (c.type === 'text' && c.facet.allowMultipleLines === true) return false;
    return true;
}

// ------------------------------------------------------------------------------------------------------------------
// item values

function validateFields(list: List, fields: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(fields)) {
        if (key.startsWith('@odata.')) continue;
        const column = list.columns.find((c) => c.name === key);
        if (!column) {
            if (READ_ONLY_FIELD_NAMES.has(key)) throw bad(`Field '${key}' is read-only`);
            throw bad(`Field '${key}' is not recognized`);
        }
        if (column.readOnly) throw bad(`Field '${key}' is read-only`);
        out[key] = normalizeValue(column, raw);
    }
    return out;
}

function normalizeValue(column: Column, raw: unknown): unknown {
    if (raw === null) return null;
    const name = column.name;
    switch (column.type) {
        case 'text': {
            if (typeof raw !== 'string') throw bad(`Cannot convert a primitive value to the expected type 'Edm.String'. See the inner exception for more details. (field '${name}')`);
            const max = Number(column.facet.maxLength ?? 255);
            if (raw.length > max) throw bad(`The value of field '${name}' is too long: ${raw.length} characters, the maximum is ${max}.`);
            return raw;
        }
        case 'number': {
            if (typeof raw !== 'number' || !Number.isFinite(raw)) throw bad(`Cannot convert a primitive value to the expected type 'Edm.Double'. See the inner exception for more details. (field '${name}')`);
            const min = column.facet.minimum as number | undefined;
            const max = column.facet.maximum as number | undefined;
            if ((min !== undefined && raw < min) || (max !== undefined && raw > max)) throw bad(`The value of field '${name}' is outside the allowed range.`);
            return raw;
        }
        case 'boolean':
            if (typeof raw !== 'boolean') throw bad(`Cannot convert a primitive value to the expected type 'Edm.Boolean'. See the inner exception for more details. (field '${name}')`);
            return raw;
        case 'dateTime': {
            if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)) {
                throw bad(`Cannot convert the literal '${String(raw)}' to the expected type 'Edm.DateTimeOffset'. (field '${name}')`);
            }
            const withZone = /T/.test(raw) && !/(Z|[+-]\d{2}:?\d{2})$/.test(raw) ? raw + 'Z' : raw;
            const ms = Date.parse(withZone);
            if (Number.isNaN(ms)) throw bad(`Cannot convert the literal '${raw}' to the expected type 'Edm.DateTimeOffset'. (field '${name}')`);
            return iso(ms);
        }
        case 'choice': {
            if (typeof raw !== 'string') throw bad(`Cannot convert a primitive value to the expected type 'Edm.String'. See the inner exception for more details. (field '${name}')`);
            const choices = column.facet.choices as string[];
            if (raw !== '' && !choices.includes(raw) && column.facet.allowTextEntry !== true) {
                throw bad(`The value '${raw}' is not one of the choices of field '${name}' (${choices.join(', ')}).`);
            }
            return raw;
        }
        default:
            throw bad(`Field '${name}' is read-only`);
    }
}

function stripNulls(values: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined) out[k] = v;
    return out;
}

function uniqueKey(column: Column, value: unknown): string | null {
    if (value === undefined || value === null || value === '') return null;
    return column.type === 'text' || column.type === 'choice' ? String(value).toLowerCase() : JSON.stringify(value);
}

function checkUnique(list: List, values: Record<string, unknown>, self: Item | undefined): void {
    for (const column of list.columns) {
        if (!column.enforceUniqueValues) continue;
        const key = uniqueKey(column, values[column.name]);
        if (key === null) continue;
        for (const other of list.items.values()) {
            if (other === self) continue;
            if (uniqueKey(column, other.values[column.name]) === key) throw new GraphHttpError(500, 'generalException', UNIQUE_MESSAGE);
        }
    }
}

function hasDuplicates(list: List, column: Column): boolean {
    const seen = new Set<string>();
    for (const item of list.items.values()) {
        const key = uniqueKey(column, item.values[column.name]);
        if (key === null) continue;
        if (seen.has(key)) return true;
        seen.add(key);
    }
    return false;
}

function valueOf(item: Item, column: Column): unknown {
    if (column.name === 'ID') return item.id;
    if (column.name === 'Created') return iso(item.created);
    if (column.name === 'Modified') return iso(item.modified);
    return item.values[column.name];
}

// ------------------------------------------------------------------------------------------------------------------
// OData query parsing ($filter subset, $orderby, $expand)

type FilterOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
interface FilterClause {
    path: string;
    op: FilterOp;
    value: string | number | boolean | null;
}

function parseFilter(raw: string | null): FilterClause[] {
    if (raw === null || raw.trim() === '') return [];
    const clauses: FilterClause[] = [];
    let rest = raw.trim();
    const clauseRe = /^([A-Za-z_][\w]*(?:\/[A-Za-z_][\w]*)?)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false|null|\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)\s*/i;
    for (;;) {
        const m = clauseRe.exec(rest);
        if (!m) throw bad(`FakeGraph: unsupported $filter '${raw}'. Supported: <path> eq|ne|gt|ge|lt|le <literal> [and ...].`);
        const literal = m[3]!;
        let value: FilterClause['value'];
        if (literal.startsWith("'")) value = literal.slice(1, -1).replace(/''/g, "'");
        else if (/^(true|false)$/i.test(literal)) value = literal.toLowerCase() === 'true';
        else if (/^null$/i.test(literal)) value = null;
        else if (/^-?\d+(\.\d+)?$/.test(literal)) value = Number(literal);
        else value = literal;
        clauses.push({ path: m[1]!, op: m[2]!.toLowerCase() as FilterOp, value });
        rest = rest.slice(m[0].length);
        if (rest === '') return clauses;
        const and = /^and\s+/i.exec(rest);
        if (!and) throw bad(`FakeGraph: unsupported $filter '${raw}' (only 'and' is implemented).`);
        rest = rest.slice(and[0].length);
    }
}

function parseOrderby(raw: string | null): { path: string; desc: boolean } | null {
    if (raw === null || raw.trim() === '') return null;
    const m = /^\s*([A-Za-z_][\w]*(?:\/[A-Za-z_][\w]*)?)(?:\s+(asc|desc))?\s*$/i.exec(raw);
    if (!m) throw bad(`FakeGraph: unsupported $orderby '${raw}' (one field, asc|desc).`);
    return { path: m[1]!, desc: (m[2] ?? '').toLowerCase() === 'desc' };
}

function parseExpand(raw: string | null, type: 'list' | 'listItem'): { fields: false | { select?: string[] }; columns: boolean } {
    const out: { fields: false | { select?: string[] }; columns: boolean } = { fields: false, columns: false };
    if (raw === null || raw.trim() === '') return out;
    for (const part of splitTopLevel(raw)) {
        const m = /^\s*(\w+)\s*(?:\((.*)\))?\s*$/.exec(part);
        if (!m) throw bad(`Invalid $expand '${raw}'.`, 'BadRequest');
        const prop = m[1]!;
        const inner = m[2];
        if (type === 'listItem' && prop === 'fields') {
            let select: string[] | undefined;
            if (inner) {
                for (const opt of inner.split(';')) {
                    const sm = /^\s*\$select\s*=\s*(.+)$/.exec(opt);
                    if (!sm) throw bad(`FakeGraph: $expand=fields(...) supports $select only, got '${opt}'.`);
                    select = splitList(sm[1]!);
                }
            }
            out.fields = select ? { select } : {};
        } else if (type === 'list' && prop === 'columns' && !inner) {
            out.columns = true;
        } else {
            throw new GraphHttpError(400, 'BadRequest', `Could not find a property named '${prop}' on type 'microsoft.graph.${type}'.`);
        }
    }
    return out;
}

function splitTopLevel(s: string): string[] {
    const parts: string[] = [];
    let depth = 0;
    let cur = '';
    for (const ch of s) {
        if (ch === '(') depth++;
        if (ch === ')') depth--;
        if (ch === ',' && depth === 0) {
            parts.push(cur);
            cur = '';
        } else cur += ch;
    }
    parts.push(cur);
    return parts.filter((p) => p.trim() !== '');
}

function splitList(s: string): string[] {
    return s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
}

function compare(actual: unknown, op: FilterOp, expected: FilterClause['value'], type: ColumnType): boolean {
    if (expected === null) {
        const isNull = actual === undefined || actual === null || actual === '';
        return op === 'eq' ? isNull : op === 'ne' ? !isNull : false;
    }
    if (actual === undefined || actual === null) return op === 'ne';
    const r = order(actual, expected, type);
    switch (op) {
        case 'eq':
            return r === 0;
        case 'ne':
            return r !== 0;
        case 'gt':
            return r > 0;
        case 'ge':
            return r >= 0;
        case 'lt':
            return r < 0;
        case 'le':
            return r <= 0;
    }
}

function order(a: unknown, b: unknown, type: ColumnType): number {
    if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
    if (b === undefined || b === null) return 1;
    if (type === 'number' || type === 'counter') return Number(a) - Number(b);
    if (type === 'dateTime') return Date.parse(String(a)) - Date.parse(String(b));
    if (type === 'boolean') return Number(a === true || a === 'true' || a === 1) - Number(b === true || b === 'true' || b === 1);
    const x = String(a).toLowerCase();
    const y = String(b).toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
}

// ------------------------------------------------------------------------------------------------------------------
// misc helpers

function costOf(method: string, path: string): number {
    if (method !== 'GET') return 2;
    const last = path.replace(/\/+$/, '').split('/').pop() ?? '';
    return ['lists', 'columns', 'items'].includes(last) ? 2 : 1;
}

function matches(matcher: GraphMatcher, req: { method: string; path: string; inBatch: boolean; body?: unknown }): boolean {
    if (typeof matcher === 'string') return req.path.includes(matcher) || safeDecode(req.path).includes(matcher);
    if (matcher instanceof RegExp) return matcher.test(req.path) || matcher.test(safeDecode(req.path));
    return matcher(req);
}

const FAULT_CODES: Record<number, [string, string]> = {
    400: ['invalidRequest', 'Invalid request'],
    401: ['InvalidAuthenticationToken', 'Access token validation failure.'],
    403: ['accessDenied', 'Access denied'],
    404: ['itemNotFound', 'The resource could not be found.'],
    409: ['conflict', 'Conflict'],
    412: ['preconditionFailed', 'The resource has changed since the caller last read it; usually an eTag mismatch'],
    423: ['resourceLocked', 'The resource is locked.'],
    429: ['activityLimitReached', 'The request has been throttled'],
    500: ['generalException', 'General exception while processing'],
    502: ['badGateway', 'Bad gateway'],
    503: ['serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.'],
    504: ['gatewayTimeout', 'The operation timed out.'],
};

function faultResult(status: number, retryAfterSeconds: number | undefined, at: number): OpResult {
    const [code, message] = FAULT_CODES[status] ?? ['generalException', `HTTP ${status}`];
    const headers: Record<string, string> = {};
    if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
    return errorResult(new GraphHttpError(status, code, message, headers), at);
}

function errorResult(e: unknown, at: number): OpResult {
    const err = e instanceof GraphHttpError ? e : new GraphHttpError(500, 'generalException', `FakeGraph internal error: ${(e as Error)?.stack ?? String(e)}`);
    return {
        status: err.status,
        headers: err.headers,
        body: {
            error: {
                code: err.code,
                message: err.message,
                innerError: { date: iso(at), 'request-id': crypto.randomUUID(), 'client-request-id': crypto.randomUUID() },
            },
        },
    };
}

function ok(status: number, body: unknown): OpResult {
    return { status, body };
}

function requireMethod(method: string, allowed: string[]): void {
    if (!allowed.includes(method)) throw new GraphHttpError(405, 'BadRequest', `Unsupported request method '${method}' for this resource.`);
}

function requireObject(value: unknown, type: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new GraphHttpError(400, 'BadRequest', `Unable to read JSON request payload: expected a '${type}' object.`);
    }
    return value as Record<string, unknown>;
}

function checkProps(obj: Record<string, unknown>, allowed: Set<string>, type: string): void {
    for (const key of Object.keys(obj)) {
        if (key.startsWith('@odata.')) continue;
        if (!allowed.has(key)) {
            throw bad(`The property '${key}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type.`, 'BadRequest');
        }
    }
}

function checkIfMatch(headers: Record<string, string>, etag: string): void {
    const ifMatch = headers['if-match'];
    if (ifMatch === undefined || ifMatch === '*') return;
    const candidates = ifMatch.split(',').map((s) => s.trim().replace(/^W\//, ''));
    if (!candidates.includes(etag)) throw new GraphHttpError(412, 'preconditionFailed', 'Etag does not match the current version of the item.');
}

function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
    return out;
}

function iso(ms: number): string {
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function encodeQueryValue(v: string): string {
    return encodeURIComponent(v).replace(/%2C/gi, ',').replace(/%2F/gi, '/').replace(/%24/g, '$').replace(/%3D/gi, '=');
}

function safeDecode(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

function lowerHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

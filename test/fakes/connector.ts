/**
 * FakeConnector: a strict, in-process stand-in for the Teams Bot Connector REST API (v3) over real HTTP.
 *
 * Use `fake.url` as the conversation's serviceUrl; botbuilder's ConnectorClient / TeamsInfo append `v3/...`.
 * The fake serves ONE bot (app): rate windows are keyed by thread (the conversation id as sent), not by bot.
 *
 * Wire notes (botframework-connector 4.23.3 on @azure/core-client):
 * - path parameters are encodeURIComponent-ed, so `19:x@thread.tacv2;messageid=1` arrives as
 *   `19%3Ax%40thread.tacv2%3Bmessageid%3D1`; every path segment is decoded here.
 * - the client has a built-in retry policy (3 retries): 429/503 with Retry-After are retried after that delay,
 *   5xx/408 and socket errors (ECONNRESET after `drop()`) with exponential backoff from ~1 s. Tests that expect
 *   a failure to surface through botbuilder must fail more than 4 times in a row.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Activity, ConversationAccount } from 'botbuilder';

export interface FakeMember {
    id: string;
    name: string;
    aadObjectId: string;
    email?: string;
    userPrincipalName?: string;
    tenantId?: string;
    givenName?: string;
    surname?: string;
    userRole?: string;
}

export interface FakeTeam {
    id: string;
    name: string;
    aadGroupId?: string;
    channels: { id: string; name?: string }[];
}

export interface RateWindow {
    limit: number;
    windowMs: number;
}

export type ConnectorOp =
    | 'createConversation'
    | 'sendToConversation'
    | 'replyToActivity'
    | 'updateActivity'
    | 'deleteActivity'
    | 'getMembers'
    | 'getMember'
    | 'getPagedMembers'
    | 'getTeam'
    | 'getTeamChannels';

/** What `failNext`/`hold` matchers see. `path` is decoded; `conversationId` is the decoded URL id (for createConversation: the channel id from the body). */
export interface FakeRequest {
    method: string;
    path: string;
    op: ConnectorOp;
    conversationId?: string;
    activityId?: string;
    body: unknown;
}

export interface RequestLogEntry {
    method: string;
    path: string;
    op?: ConnectorOp;
    conversationId?: string;
    activityId?: string;
    /** 0 while held, or when the socket was dropped. */
    status: number;
    /** clock time (options.now) when the request arrived */
    at: number;
    body?: unknown;
}

export interface FakeConnectorOptions {
    /** Clock for rate windows, message ids and the request log. Default Date.now. */
    now?: () => number;
    members?: FakeMember[];
    teams?: FakeTeam[];
    /** When given, only these channels (plus channels of `teams`) exist; others answer 404 ConversationNotFound. */
    knownChannels?: string[];
    latencyMs?: number;
    /** Return false to answer 401. Default: accept everything. */
    verifyAuth?: (authorizationHeader: string | undefined) => boolean;
    rateLimits?: {
        /** per thread (= conversation id as sent) for create/send/reply/update. Default 7/1s, 8/2s, 60/30s, 1800/3600s. */
        thread?: RateWindow[];
        /** all requests of the app. Default 50/1s. */
        global?: RateWindow[];
    };
    /** UTF-16 bytes (JSON text length × 2) above which writes answer 413. Default 100 × 1024. */
    maxMessageBytes?: number;
    port?: number;
}

export type StoredActivity = Partial<Activity> & { id: string; conversation: ConversationAccount } & Record<string, unknown>;

export interface ThreadView {
    conversationId: string;
    rootId: string;
    /** undefined when the root was not posted through the fake (e.g. a user's post), see `userPost`. */
    root: StoredActivity | undefined;
    /** non-deleted replies in order */
    replies: StoredActivity[];
}

export interface ActivityRecord {
    activity: StoredActivity;
    updates: number;
    deleted: boolean;
    conversationId: string;
    /** previous versions, oldest first */
    history: StoredActivity[];
}

export interface HoldHandle {
    /** number of requests currently held */
    readonly held: number;
    /** resolves once at least `count` requests have been caught by this hold */
    arrived(count?: number): Promise<void>;
    /** stop holding; answer the held requests normally (storing then). Resolves when all are answered. */
    release(): Promise<void>;
    /** stop holding; destroy the held sockets, nothing stored. */
    drop(): void;
    /** stop holding; process the held requests (storing them, if valid) but destroy the sockets instead of answering:
     *  "Teams posted it, the bot never heard back". Logged with status 0. */
    commitAndDrop(): Promise<void>;
}

export const DEFAULT_THREAD_LIMITS: RateWindow[] = [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1800, windowMs: 3_600_000 },
];
export const DEFAULT_GLOBAL_LIMITS: RateWindow[] = [{ limit: 50, windowMs: 1_000 }];

const WRITE_OPS: ReadonlySet<ConnectorOp> = new Set(['createConversation', 'sendToConversation', 'replyToActivity', 'updateActivity']);
const CHANNEL_ID = /@thread\.(tacv2|skype)$/;
const THREAD_SEP = ';messageid=';
const ERROR_CODES: Record<number, string> = {
    400: 'BadArgument', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 412: 'PreconditionFailed',
    413: 'MessageSizeTooBig', 429: 'TooManyRequests', 500: 'InternalServerError', 502: 'BadGateway',
    503: 'ServiceUnavailable', 504: 'GatewayTimeout',
};

interface Reply { status: number; body?: unknown; headers?: Record<string, string> }
interface Ctx { req: FakeRequest; res: http.ServerResponse; log: RequestLogEntry; teamId?: string; memberId?: string; query: URLSearchParams; bodyText: string; dropResponse?: boolean }
interface Msg { id: string; conversationId: string; channelId?: string; activity: StoredActivity; updates: number; deleted: boolean; history: StoredActivity[] }
interface Thread { channelId: string; rootId: string; conversationId: string; root?: Msg; replies: Msg[] }
interface Fault { remaining: number; status: number; retryAfterSeconds?: number; match?: (r: FakeRequest) => boolean }
interface Hold { match: (r: FakeRequest) => boolean; active: boolean; held: Ctx[]; caught: number; waiters: { count: number; resolve: () => void }[] }

class HttpError extends Error {
    constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

const err = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

export class FakeConnector {
    readonly url: string;
    members: FakeMember[];
    teams: FakeTeam[];
    latencyMs: number;

    private readonly now: () => number;
    private readonly threadLimits: RateWindow[];
    private readonly globalLimits: RateWindow[];
    private readonly maxBytes: number;
    private lastId = 0;
    private messages = new Map<string, Msg>();
    private order: Msg[] = [];
    private threadsByKey = new Map<string, Thread>();
    private channelThreads = new Map<string, Thread[]>();
    private channels = new Set<string>();
    private log: RequestLogEntry[] = [];
    private windows = new Map<string, number[]>();
    private faults: Fault[] = [];
    private holds: Hold[] = [];
    private withoutApp = new Set<string>();
    private sockets = new Set<Socket>();

    private constructor(private readonly server: http.Server, private readonly options: FakeConnectorOptions) {
        this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
        this.now = options.now ?? Date.now;
        this.members = options.members ?? [];
        this.teams = options.teams ?? [];
        this.latencyMs = options.latencyMs ?? 0;
        this.threadLimits = options.rateLimits?.thread ?? DEFAULT_THREAD_LIMITS;
        this.globalLimits = options.rateLimits?.global ?? DEFAULT_GLOBAL_LIMITS;
        this.maxBytes = options.maxMessageBytes ?? 100 * 1024;
        server.on('request', (req, res) => void this.onRequest(req, res));
        server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    }

    static async start(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
        const server = http.createServer();
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
        });
        return new FakeConnector(server, options);
    }

    async close(): Promise<void> {
        for (const h of this.holds) this.dropHold(h);
        const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
        for (const s of this.sockets) s.destroy();
        await closed;
    }

    // ---------------------------------------------------------------- fault injection

    failNext(n: number, status: number, opts: { retryAfterSeconds?: number; match?: (req: FakeRequest) => boolean } = {}): void {
        this.faults.push({ remaining: n, status, ...opts });
    }

    /**
     * The app is not installed for this member (not personally, nor in a team they are in): like
     * Teams, a personal chat with them cannot be started (403). `installedFor` undoes it.
     */
    notInstalledFor(memberId: string): void { this.withoutApp.add(memberId); }
    installedFor(memberId: string): void { this.withoutApp.delete(memberId); }

    hold(match: (req: FakeRequest) => boolean = () => true): HoldHandle {
        const h: Hold = { match, active: true, held: [], caught: 0, waiters: [] };
        this.holds.push(h);
        return {
            get held() { return h.held.length; },
            arrived: (count = 1) => h.caught >= count ? Promise.resolve() : new Promise<void>((resolve) => h.waiters.push({ count, resolve })),
            release: async () => {
                h.active = false;
                const held = h.held.splice(0);
                await Promise.all(held.map((ctx) => this.process(ctx)));
            },
            drop: () => this.dropHold(h),
            commitAndDrop: async () => {
                h.active = false;
                const held = h.held.splice(0);
                await Promise.all(held.map((ctx) => this.process({ ...ctx, dropResponse: true })));
            },
        };
    }

    /** Simulate a user (not the bot) posting: bare channel id → new thread; `<channel>;messageid=<root>` → reply; else chat message. Not rate limited, not logged. */
    userPost(conversationId: string, activity: Partial<Activity> & Record<string, unknown>): StoredActivity {
        return this.store(this.target(conversationId, undefined), activity).activity;
    }

    // ---------------------------------------------------------------- inspection

    threads(channelId: string): ThreadView[] {
        return (this.channelThreads.get(channelId) ?? []).map((t) => ({
            conversationId: t.conversationId,
            rootId: t.rootId,
            root: t.root?.activity,
            replies: t.replies.filter((m) => !m.deleted).map((m) => m.activity),
        }));
    }

    /** Non-deleted messages of a thread (`<channel>;messageid=<root>`), a whole channel (bare channel id) or a chat. */
    conversation(conversationId: string): StoredActivity[] {
        const isChannel = this.channels.has(conversationId) && !conversationId.includes(THREAD_SEP);
        return this.order
            .filter((m) => !m.deleted && (isChannel ? m.channelId === conversationId : m.conversationId === conversationId))
            .map((m) => m.activity);
    }

    activity(id: string): ActivityRecord | undefined {
        const m = this.messages.get(id);
        return m && { activity: m.activity, updates: m.updates, deleted: m.deleted, conversationId: m.conversationId, history: m.history };
    }

    get requests(): readonly RequestLogEntry[] {
        return this.log;
    }

    /** Forget messages, threads, channels, the request log, rate windows, faults and holds (held sockets are destroyed). Ids keep increasing. */
    reset(): void {
        for (const h of this.holds) this.dropHold(h);
        this.holds = [];
        this.faults = [];
        this.messages.clear();
        this.order = [];
        this.threadsByKey.clear();
        this.channelThreads.clear();
        this.channels.clear();
        this.log = [];
        this.windows.clear();
    }

    // ---------------------------------------------------------------- HTTP plumbing

    private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const at = this.now();
        const u = new URL(req.url ?? '/', 'http://fake');
        const method = (req.method ?? 'GET').toUpperCase();
        const log: RequestLogEntry = { method, path: u.pathname, status: 0, at };
        this.log.push(log);
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const bodyText = Buffer.concat(chunks).toString('utf8');
        if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
        try {
            let segs: string[];
            try {
                segs = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
            } catch {
                throw new HttpError(400, 'BadArgument', 'Malformed URL encoding');
            }
            log.path = '/' + segs.join('/');
            if (this.options.verifyAuth && !this.options.verifyAuth(req.headers.authorization)) {
                throw new HttpError(401, 'Unauthorized', 'Authorization has been denied for this request.');
            }
            const route = this.route(method, segs);
            if (!route) throw new HttpError(404, 'NotFound', `No route for ${method} ${log.path}`);
            let body: unknown;
            if (bodyText.length > 0) {
                try {
                    body = JSON.parse(bodyText);
                } catch {
                    throw new HttpError(400, 'BadSyntax', 'Request body is not valid JSON');
                }
            } else if (method === 'POST' || method === 'PUT') {
                throw new HttpError(400, 'BadArgument', 'Missing request body');
            }
            if (route.op === 'createConversation') {
                route.conversationId = (body as { channelData?: { channel?: { id?: string } } } | undefined)?.channelData?.channel?.id;
            }
            const fr: FakeRequest = { method, path: log.path, op: route.op, conversationId: route.conversationId, activityId: route.activityId, body };
            Object.assign(log, { op: route.op, conversationId: route.conversationId, activityId: route.activityId, body });
            const ctx: Ctx = { req: fr, res, log, teamId: route.teamId, memberId: route.memberId, query: u.searchParams, bodyText };

            const fault = this.faults.find((f) => f.remaining > 0 && (!f.match || f.match(fr)));
            if (fault) {
                fault.remaining--;
                this.faults = this.faults.filter((f) => f.remaining > 0);
                const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
                const code = ERROR_CODES[fault.status] ?? 'InjectedFault';
                return this.send(ctx, { ...err(fault.status, code, `Injected ${fault.status}`), headers });
            }
            const hold = this.holds.find((h) => h.active && h.match(fr));
            if (hold) {
                hold.held.push(ctx);
                hold.caught++;
                for (const w of hold.waiters.filter((x) => hold.caught >= x.count)) w.resolve();
                hold.waiters = hold.waiters.filter((x) => hold.caught < x.count);
                return;
            }
            await this.process(ctx);
        } catch (e) {
            this.send({ res, log }, e instanceof HttpError ? err(e.status, e.code, e.message) : err(500, 'InternalServerError', String(e)));
        }
    }

    private route(method: string, s: string[]): { op: ConnectorOp; conversationId?: string; activityId?: string; teamId?: string; memberId?: string } | undefined {
        if (s[0] !== 'v3') return undefined;
        const [, root, id, sub, subId, extra] = s;
        if (extra !== undefined) return undefined;
        if (root === 'conversations') {
            if (id === undefined) return method === 'POST' ? { op: 'createConversation' } : undefined;
            if (sub === 'activities' && subId === undefined && method === 'POST') return { op: 'sendToConversation', conversationId: id };
            if (sub === 'activities' && subId !== undefined && subId !== 'history') {
                const ops: Record<string, ConnectorOp> = { POST: 'replyToActivity', PUT: 'updateActivity', DELETE: 'deleteActivity' };
                const op = ops[method];
                return op && { op, conversationId: id, activityId: subId };
            }
            if (method !== 'GET') return undefined;
            if (sub === 'members') return subId === undefined ? { op: 'getMembers', conversationId: id } : { op: 'getMember', conversationId: id, memberId: subId };
            if (sub === 'pagedmembers' && subId === undefined) return { op: 'getPagedMembers', conversationId: id };
        }
        if (root === 'teams' && id !== undefined && method === 'GET') {
            if (sub === undefined) return { op: 'getTeam', teamId: id };
            if (sub === 'conversations' && subId === undefined) return { op: 'getTeamChannels', teamId: id };
        }
        return undefined;
    }

    private send(ctx: { res: http.ServerResponse; log: RequestLogEntry; dropResponse?: boolean }, reply: Reply): void {
        if (ctx.dropResponse) {
            ctx.res.socket?.destroy();
            return;
        }
        ctx.log.status = reply.status;
        if (ctx.res.destroyed) return;
        const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
        ctx.res.writeHead(reply.status, {
            ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
            'Content-Length': String(Buffer.byteLength(text)),
            ...reply.headers,
        });
        ctx.res.end(text);
    }

    private dropHold(h: Hold): void {
        h.active = false;
        for (const ctx of h.held.splice(0)) ctx.res.socket?.destroy();
    }

    /** Checks that apply after fault injection / holds, then the operation itself. */
    private async process(ctx: Ctx): Promise<void> {
        try {
            const { op } = ctx.req;
            if (WRITE_OPS.has(op) && ctx.bodyText.length * 2 > this.maxBytes) {
                throw new HttpError(413, 'MessageSizeTooBig', `Message size ${ctx.bodyText.length * 2} bytes exceeds ${this.maxBytes} bytes`);
            }
            const now = this.now();
            const keys = ['global'];
            let wait = this.check('global', this.globalLimits, now);
            if (WRITE_OPS.has(op)) {
                const key = 'thread:' + (ctx.req.conversationId ?? '');
                keys.push(key);
                wait = Math.max(wait, this.check(key, this.threadLimits, now));
            }
            if (wait > 0) {
                return this.send(ctx, { ...err(429, 'TooManyRequests', 'Too many requests'), headers: { 'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))) } });
            }
            // the app-wide window counts every request that got past the limiter; thread windows count stored writes only
            const record = (k: string) => this.windows.set(k, [...(this.windows.get(k) ?? []), now]);
            record('global');
            const reply = this.execute(ctx);
            if (reply.status < 400) keys.slice(1).forEach(record);
            this.send(ctx, reply);
        } catch (e) {
            this.send(ctx, e instanceof HttpError ? err(e.status, e.code, e.message) : err(500, 'InternalServerError', String(e)));
        }
    }

    /** ms until the request would fit in every window (0 = allowed now). */
    private check(key: string, limits: RateWindow[], now: number): number {
        const longest = Math.max(0, ...limits.map((l) => l.windowMs));
        const ts = (this.windows.get(key) ?? []).filter((t) => t > now - longest);
        this.windows.set(key, ts);
        let wait = 0;
        for (const { limit, windowMs } of limits) {
            const inWindow = ts.filter((t) => t > now - windowMs);
            if (inWindow.length >= limit) wait = Math.max(wait, inWindow[inWindow.length - limit]! + windowMs - now);
        }
        return wait;
    }

    // ---------------------------------------------------------------- operations

    private execute(ctx: Ctx): Reply {
        const { op, conversationId, activityId } = ctx.req;
        const body = (ctx.req.body ?? {}) as Record<string, unknown>;
        switch (op) {
            case 'createConversation': {
                const activity = body['activity'] as Record<string, unknown> | undefined;
                if (conversationId) {
                    this.requireChannel(conversationId);
                    if (!activity) throw new HttpError(400, 'BadArgument', 'Creating a channel thread needs an activity');
                    const m = this.store(this.target(conversationId, undefined), activity);
                    return { status: 201, body: { id: m.conversationId, activityId: m.id } };
                }
                if (body['isGroup'] === true) throw new HttpError(400, 'BadArgument', 'Bots cannot create group chats');
                const members = (body['members'] as { id?: string }[] | undefined) ?? [];
                if (members.length !== 1 || !members[0]?.id) throw new HttpError(400, 'BadArgument', 'A personal conversation needs exactly one member');
                // Teams starts a personal chat only within a tenant: tenantId or channelData.tenant.id.
                const tenant = body['tenantId'] ?? (body['channelData'] as { tenant?: { id?: string } } | undefined)?.tenant?.id;
                if (typeof tenant !== 'string' || !tenant) throw new HttpError(400, 'BadArgument', 'Tenant id is required to create a personal conversation');
                if (this.withoutApp.has(members[0].id)) throw new HttpError(403, 'Forbidden', 'The bot is not installed for this user, so a conversation cannot be created');
                const id = 'a:1' + Buffer.from(members[0].id).toString('base64url');
                if (!activity) return { status: 201, body: { id } };
                const m = this.store({ conversationId: id }, activity);
                return { status: 201, body: { id, activityId: m.id } };
            }
            case 'sendToConversation':
            case 'replyToActivity': {
                const m = this.store(this.target(conversationId!, activityId), body);
                return { status: 201, body: { id: m.id } };
            }
            case 'updateActivity':
            case 'deleteActivity': {
                const m = this.messages.get(activityId!);
                const base = (id: string) => id.split(THREAD_SEP)[0];
                if (!m || m.deleted || base(m.conversationId) !== base(conversationId!)) {
                    throw new HttpError(404, 'ActivityNotFound', `Activity ${activityId} not found in ${conversationId}`);
                }
                if (op === 'deleteActivity') {
                    m.deleted = true;
                    return { status: 200 };
                }
                m.history.push(m.activity);
                m.activity = { ...body, id: m.id, conversation: { ...(body['conversation'] as object), id: m.conversationId } } as StoredActivity;
                m.updates++;
                return { status: 200, body: { id: m.id } };
            }
            case 'getMembers':
                return { status: 200, body: this.members.map(toWire) };
            case 'getMember': {
                const member = this.members.find((x) => x.id === ctx.memberId || x.aadObjectId === ctx.memberId);
                if (!member) throw new HttpError(404, 'MemberNotFound', `Member ${ctx.memberId} not found in ${conversationId}`);
                return { status: 200, body: toWire(member) };
            }
            case 'getPagedMembers': {
                const size = Math.min(500, Math.max(50, Number(ctx.query.get('pageSize')) || 200));
                const start = Number(ctx.query.get('continuationToken') ?? 0) || 0;
                const next = start + size < this.members.length ? String(start + size) : undefined;
                return { status: 200, body: { members: this.members.slice(start, start + size).map(toWire), ...(next ? { continuationToken: next } : {}) } };
            }
            case 'getTeam':
            case 'getTeamChannels': {
                const team = this.teams.find((t) => t.id === ctx.teamId);
                if (!team) throw new HttpError(404, 'TeamNotFound', `Team ${ctx.teamId} not found`);
                if (op === 'getTeamChannels') return { status: 200, body: { conversations: team.channels.map((c) => ({ id: c.id, name: c.name })) } };
                return {
                    status: 200,
                    body: { id: team.id, name: team.name, aadGroupId: team.aadGroupId, type: 'standard', channelCount: team.channels.length, memberCount: this.members.length },
                };
            }
        }
    }

    private isChannel(id: string): boolean {
        return this.channels.has(id) || CHANNEL_ID.test(id) || this.teams.some((t) => t.channels.some((c) => c.id === id)) || (this.options.knownChannels ?? []).includes(id);
    }

    private requireChannel(channelId: string): void {
        const known = this.options.knownChannels;
        if (known && !known.includes(channelId) && !this.teams.some((t) => t.channels.some((c) => c.id === channelId))) {
            throw new HttpError(404, 'ConversationNotFound', `Conversation ${channelId} not found`);
        }
        this.channels.add(channelId);
    }

    /** Where a write lands: a thread (existing or new) or a chat. */
    private target(conversationId: string, replyTo: string | undefined): { conversationId: string; channelId?: string; thread?: Thread | 'new' } {
        const sep = conversationId.indexOf(THREAD_SEP);
        if (sep >= 0) {
            const channelId = conversationId.slice(0, sep);
            this.requireChannel(channelId);
            return { conversationId, channelId, thread: this.threadFor(channelId, conversationId.slice(sep + THREAD_SEP.length)) };
        }
        if (this.isChannel(conversationId)) {
            this.requireChannel(conversationId);
            if (replyTo === undefined) return { conversationId, channelId: conversationId, thread: 'new' };
            const existing = this.messages.get(replyTo);
            const rootId = existing?.channelId === conversationId ? existing.conversationId.split(THREAD_SEP)[1]! : replyTo;
            return { conversationId, channelId: conversationId, thread: this.threadFor(conversationId, rootId) };
        }
        return { conversationId };
    }

    private threadFor(channelId: string, rootId: string): Thread {
        const key = `${channelId}${THREAD_SEP}${rootId}`;
        let t = this.threadsByKey.get(key);
        if (!t) {
            t = { channelId, rootId, conversationId: key, replies: [] };
            this.threadsByKey.set(key, t);
            this.channelThreads.set(channelId, [...(this.channelThreads.get(channelId) ?? []), t]);
        }
        return t;
    }

    private store(target: ReturnType<FakeConnector['target']>, activity: Record<string, unknown>): Msg {
        const id = String((this.lastId = Math.max(this.lastId + 1, Math.floor(this.now()))));
        const thread = target.thread === 'new' ? this.threadFor(target.channelId!, id) : target.thread;
        const conversationId = thread ? thread.conversationId : target.conversationId;
        const stored = { ...activity, id, conversation: { ...(activity['conversation'] as object), id: conversationId } } as StoredActivity;
        const m: Msg = { id, conversationId, channelId: target.channelId, activity: stored, updates: 0, deleted: false, history: [] };
        if (thread && target.thread === 'new') thread.root = m;
        else thread?.replies.push(m);
        this.messages.set(id, m);
        this.order.push(m);
        return m;
    }
}

/** Teams sends the AAD object id as `objectId` (TeamsInfo.getMembers copies it to aadObjectId); send both. */
function toWire(m: FakeMember): Record<string, unknown> {
    return { userRole: 'user', ...m, objectId: m.aadObjectId };
}

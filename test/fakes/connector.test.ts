import assert from 'node:assert/strict';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { FakeConnector, type FakeConnectorOptions } from './connector';

const CH = '19:abc@thread.tacv2';
const CH2 = '19:other@thread.tacv2';
const enc = encodeURIComponent;

describe('FakeConnector (Bot Connector v3 stand-in)', () => {
    let fake: FakeConnector;
    let clock: number;

    async function start(options: FakeConnectorOptions = {}): Promise<void> {
        fake = await FakeConnector.start({ now: () => clock, ...options });
    }
    async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; headers: Headers }> {
        const res = await fetch(fake.url + path, {
            method,
            headers: { 'content-type': 'application/json' },
            body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
    }
    const createThread = (text: string, channel = CH) =>
        call('POST', 'v3/conversations', { isGroup: true, channelData: { channel: { id: channel } }, activity: { type: 'message', text }, bot: { id: '28:bot' }, tenantId: 't1' });
    const send = (conversationId: string, text: string) => call('POST', `v3/conversations/${enc(conversationId)}/activities`, { type: 'message', text });

    beforeEach(() => {
        clock = 1_700_000_000_000;
    });
    afterEach(async () => {
        await fake?.close();
    });

    it('creates a new thread in a channel with the Teams response shape', async () => {
        await start();
        const r = await createThread('vraag van de week');
        assert.equal(r.status, 201);
        assert.match(r.json.activityId, /^\d+$/);
        assert.equal(r.json.id, `${CH};messageid=${r.json.activityId}`);
        const [thread, ...rest] = fake.threads(CH);
        assert.equal(rest.length, 0);
        assert.equal(thread!.conversationId, r.json.id);
        assert.equal(thread!.rootId, r.json.activityId);
        assert.equal(thread!.root!.text, 'vraag van de week');
        assert.equal(thread!.root!.conversation.id, r.json.id);
        assert.deepEqual(thread!.replies, []);
        const second = await createThread('next');
        assert.ok(Number(second.json.activityId) > Number(r.json.activityId), 'ids strictly increase');
        assert.equal(fake.threads(CH).length, 2);
    });

    it('puts replies in the thread; a bare channel send starts a new thread; chats just append', async () => {
        await start();
        const root = (await createThread('root')).json;
        const reply = await send(root.id, 'reply 1');
        assert.equal(reply.status, 201);
        assert.match(reply.json.id, /^\d+$/);
        const viaReplyTo = await call('POST', `v3/conversations/${enc(CH)}/activities/${root.activityId}`, { type: 'message', text: 'reply 2' });
        assert.equal(viaReplyTo.status, 201);
        assert.deepEqual(fake.threads(CH)[0]!.replies.map((a) => a.text), ['reply 1', 'reply 2']);
        assert.equal(fake.threads(CH)[0]!.replies[1]!.conversation.id, root.id);

        const fresh = await send(CH, 'new thread');
        assert.equal(fake.threads(CH).length, 2);
        assert.equal(fake.threads(CH)[1]!.rootId, fresh.json.id);

        await send('a:personal-chat', 'hoi');
        assert.deepEqual(fake.conversation('a:personal-chat').map((a) => a.text), ['hoi']);
        assert.deepEqual(fake.conversation(root.id).map((a) => a.text), ['root', 'reply 1', 'reply 2']);
        assert.equal(fake.requests.filter((q) => q.op === 'sendToConversation').length, 3);
    });

    it('counts updates, 404s unknown activities, and hides deleted messages', async () => {
        await start();
        const root = (await createThread('v1')).json;
        const path = `v3/conversations/${enc(root.id)}/activities/${root.activityId}`;
        assert.equal((await call('PUT', path, { type: 'message', text: 'v2' })).status, 200);
        const r = await call('PUT', path, { type: 'message', text: 'v3' });
        assert.deepEqual(r.json, { id: root.activityId });
        const rec = fake.activity(root.activityId)!;
        assert.equal(rec.updates, 2);
        assert.equal(rec.activity.text, 'v3');
        assert.deepEqual(rec.history.map((a) => a.text), ['v1', 'v2']);
        const unknown = await call('PUT', `v3/conversations/${enc(root.id)}/activities/42`, { type: 'message' });
        assert.equal(unknown.status, 404);
        assert.equal(unknown.json.error.code, 'ActivityNotFound');

        assert.equal((await call('DELETE', path)).status, 200);
        assert.equal(fake.activity(root.activityId)!.deleted, true);
        assert.deepEqual(fake.conversation(root.id), []);
    });

    it('answers 413 MessageSizeTooBig for a 110 KB card and stores nothing', async () => {
        await start();
        const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x'.repeat(110 * 1024) }] };
        const r = await call('POST', `v3/conversations/${enc(CH)}/activities`, {
            type: 'message',
            attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
        });
        assert.equal(r.status, 413);
        assert.equal(r.json.error.code, 'MessageSizeTooBig');
        assert.deepEqual(fake.threads(CH), []);
    });

    it('answers 429 with Retry-After after 7 sends in one second on one thread, other threads unaffected', async () => {
        await start();
        const a = (await createThread('a')).json.id as string;
        const b = (await createThread('b', CH2)).json.id as string;
        for (let i = 0; i < 7; i++) {
            assert.equal((await send(a, `m${i}`)).status, 201);
            clock += 100;
        }
        const limited = await send(a, 'too many');
        assert.equal(limited.status, 429);
        assert.equal(limited.json.error.code, 'TooManyRequests');
        assert.equal(limited.headers.get('retry-after'), '1');
        assert.equal(fake.conversation(a).length, 8, 'root + 7 replies, rejected one not stored');

        assert.equal((await send(b, 'other thread')).status, 201);

        clock += 400; // first send leaves the 1 s window; 8 in 2 s is allowed
        assert.equal((await send(a, 'later')).status, 201);
        const again = await send(a, 'eighth+1 in 2 s');
        assert.equal(again.status, 429);
    });

    it('failNext answers injected statuses (with Retry-After) without storing, then recovers', async () => {
        await start();
        fake.failNext(2, 503, { retryAfterSeconds: 3, match: (r) => r.op === 'sendToConversation' });
        const created = await createThread('unaffected');
        assert.equal(created.status, 201);
        for (let i = 0; i < 2; i++) {
            const r = await send(created.json.id, 'x');
            assert.equal(r.status, 503);
            assert.equal(r.headers.get('retry-after'), '3');
        }
        assert.equal((await send(created.json.id, 'ok')).status, 201);
        assert.deepEqual(fake.conversation(created.json.id).map((a) => a.text), ['unaffected', 'ok']);
        assert.deepEqual(fake.requests.map((q) => q.status), [201, 503, 503, 201]);
    });

    it('hold(): release answers and stores; drop() kills the socket and stores nothing', async () => {
        await start();
        const held = fake.hold((r) => r.op === 'createConversation');
        const pending = createThread('held');
        await held.arrived();
        assert.equal(held.held, 1);
        assert.deepEqual(fake.threads(CH), []);
        await held.release();
        const r = await pending;
        assert.equal(r.status, 201);
        assert.equal(fake.threads(CH).length, 1);

        const dropped = fake.hold();
        const doomed = createThread('crash');
        await dropped.arrived();
        dropped.drop();
        await assert.rejects(doomed);
        assert.equal(fake.threads(CH).length, 1);

        const lost = fake.hold();
        const unanswered = createThread('posted, answer lost');
        await lost.arrived();
        await lost.commitAndDrop();
        await assert.rejects(unanswered);
        assert.equal(fake.threads(CH).length, 2);
        assert.equal(fake.requests.at(-1)!.status, 0);
    });

    it('serves members, paged members, team details and channels; rejects unknown routes and bad JSON', async () => {
        await start({
            members: [{ id: '29:anna', name: 'Anna', aadObjectId: 'aad-anna', email: 'anna@example.org' }],
            teams: [{ id: '19:team@thread.tacv2', name: 'Kring West', aadGroupId: 'g1', channels: [{ id: '19:team@thread.tacv2', name: 'General' }] }],
        });
        const m = await call('GET', `v3/conversations/${enc(CH)}/members/${enc('29:anna')}`);
        assert.equal(m.json.objectId, 'aad-anna');
        assert.equal((await call('GET', `v3/conversations/${enc(CH)}/members/nobody`)).json.error.code, 'MemberNotFound');
        assert.equal((await call('GET', `v3/conversations/${enc(CH)}/pagedmembers?pageSize=50`)).json.members.length, 1);
        assert.equal((await call('GET', `v3/teams/${enc('19:team@thread.tacv2')}`)).json.aadGroupId, 'g1');
        assert.deepEqual((await call('GET', `v3/teams/${enc('19:team@thread.tacv2')}/conversations`)).json.conversations, [{ id: '19:team@thread.tacv2', name: 'General' }]);
        assert.equal((await call('GET', 'v3/teams/unknown')).status, 404);
        const nope = await call('GET', 'v3/nothing');
        assert.equal(nope.status, 404);
        assert.ok(nope.json.error.code);
        assert.equal((await call('POST', `v3/conversations/${enc(CH)}/activities`, '{nope')).status, 400);
    });

    it('enforces knownChannels, verifyAuth and the global per-app limit', async () => {
        await start({
            knownChannels: [CH],
            verifyAuth: (h) => h !== 'Bearer bad',
            rateLimits: { global: [{ limit: 3, windowMs: 1000 }] },
        });
        const unknown = await createThread('x', CH2);
        assert.equal(unknown.status, 404);
        assert.equal(unknown.json.error.code, 'ConversationNotFound');
        const denied = await fetch(fake.url + 'v3/teams/x', { headers: { authorization: 'Bearer bad' } });
        assert.equal(denied.status, 401);
        assert.equal((await createThread('a')).status, 201);
        assert.equal((await createThread('b')).status, 201);
        const over = await call('GET', `v3/conversations/${enc(CH)}/members`);
        assert.equal(over.status, 429);
        assert.equal(over.headers.get('retry-after'), '1');
    });

    it('works with botbuilder ConnectorClient (URL-encoded ids, create/reply/update)', async () => {
        await start({ now: Date.now });
        const client = new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: fake.url });
        const created = await client.conversations.createConversation({
            isGroup: true,
            bot: { id: '28:bot', name: 'Kenniskring' },
            tenantId: 't1',
            channelData: { channel: { id: CH } },
            activity: { type: 'message', text: 'hoi' } as never,
        } as never);
        assert.ok(created.id.includes(';messageid='));
        assert.equal(created.id, `${CH};messageid=${created.activityId}`);
        const reply = await client.conversations.replyToActivity(created.id, created.activityId!, { type: 'message', text: 'antwoord' } as never);
        await client.conversations.updateActivity(created.id, created.activityId!, { type: 'message', text: 'hoi (bewerkt)' } as never);
        assert.equal(fake.threads(CH)[0]!.replies[0]!.id, reply.id);
        assert.equal(fake.activity(created.activityId!)!.updates, 1);
        assert.ok(fake.requests.some((q) => q.path === `/v3/conversations/${created.id}/activities/${created.activityId}`), 'decoded path logged');

        // A personal chat needs exactly one member and a tenant, as in Teams.
        await assert.rejects(client.conversations.createConversation({ isGroup: false, bot: { id: '28:bot', name: 'Kenniskring' }, members: [{ id: '29:anna', name: '' }] } as never), /Tenant id is required/);
        const chat = await client.conversations.createConversation({ isGroup: false, bot: { id: '28:bot', name: 'Kenniskring' }, members: [{ id: '29:anna', name: '' }], tenantId: 't1', activity: { type: 'message', text: 'dag Anna' } } as never);
        assert.deepEqual(fake.conversation(chat.id).map((a) => a.text), ['dag Anna']);

        // botbuilder's pipeline retries 503 + Retry-After by itself (here Retry-After: 0, so at once)
        fake.failNext(1, 503, { retryAfterSeconds: 0 });
        await client.conversations.sendToConversation(created.id, { type: 'message', text: 'na retry' } as never);
        assert.deepEqual(fake.requests.slice(-2).map((q) => q.status), [503, 201]);
    });
});

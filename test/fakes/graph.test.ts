import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createGraphConnection, graphErrorInfo, relativeGraphPath, type GraphConnection, type GraphCredential } from '../../bot/src/sharepoint/graphClient';
import { FakeEntra, createSelfSignedCertificate, type SelfSignedCertificate } from './entra';
import { FakeGraph } from './graph';

const TENANT = '5b3a1f0e-7c2d-4e8f-9a6b-1c2d3e4f5a6b';
const APP = '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
const SECRET = 'kk~secret.value_1234567890';
const OTHER_APP = '11111111-2222-4333-8444-555555555555';
const NO_ROLES_APP = '66666666-7777-4888-9999-000000000000';
const SITE_URL = 'https://victor.sharepoint.com/sites/kenniskring';
const SITE_ID = 'victor.sharepoint.com,2c1f6a9e-1111-4222-8333-444455556666,8a3e0b1c-7777-4888-9999-aaaabbbbcccc';
const UA = 'NONISV|V-ICT-OR|Kenniskring/0.1.0';

async function rejection(p: Promise<unknown>): Promise<unknown> {
    try {
        await p;
    } catch (e) {
        return e;
    }
    assert.fail('expected the promise to reject');
}

describe('FakeEntra + FakeGraph + createGraphConnection (real MSAL, real graph-client, real HTTP)', () => {
    let entra: FakeEntra;
    let graph: FakeGraph;
    let cert: SelfSignedCertificate;
    const logLines: string[] = [];
    const logStream = new Writable({
        write(chunk: Buffer, _enc, cb) {
            logLines.push(chunk.toString('utf8'));
            cb();
        },
    });
    const log = pino({ level: 'debug' }, logStream);
    const tokensSeen = new Set<string>();

    function connect(credential: GraphCredential = { kind: 'secret', secret: SECRET }, clientId = APP): GraphConnection {
        return createGraphConnection({ tenantId: TENANT, clientId, credential, authorityHost: entra.url, graphBaseUrl: graph.url, userAgent: UA }, { log });
    }

    async function raw(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; json: any; headers: Headers }> {
        const headers: Record<string, string> = { ...(opts.headers ?? {}) };
        if (opts.token) headers.authorization = `Bearer ${opts.token}`;
        if (opts.body !== undefined) headers['content-type'] = 'application/json';
        const res = await fetch(`${graph.url}/v1.0${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
        const text = await res.text();
        return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
    }

    const answersList = {
        displayName: 'Antwoorden',
        columns: [
            { name: 'AnswerKey', text: { maxLength: 100 }, indexed: true, enforceUniqueValues: true },
            { name: 'Week', text: {} },
            { name: 'Score', number: {} },
            { name: 'AnsweredAt', dateTime: {} },
            { name: 'Status', choice: { choices: ['open', 'gesloten'] } },
            { name: 'Anonymous', boolean: {} },
            { name: 'Body', text: { allowMultipleLines: true } },
        ],
        list: { template: 'genericList' },
    };
    const itemsPath = (list = 'Antwoorden'): string => `/sites/${SITE_ID}/lists/${list}/items`;

    before(async () => {
        cert = createSelfSignedCertificate({ commonName: 'Kenniskring test' });
        entra = await FakeEntra.start({
            tenantId: TENANT,
            clients: [
                { clientId: APP, secret: SECRET, certificatePem: cert.certificatePem },
                { clientId: OTHER_APP, secret: 'other-secret' },
                { clientId: NO_ROLES_APP, secret: 'no-roles', roles: [] },
            ],
        });
        const verifyToken = (bearer: string) => {
            tokensSeen.add(bearer);
            return entra.verify(bearer);
        };
        graph = await FakeGraph.start({ verifyToken, siteId: SITE_ID, siteUrl: SITE_URL, grantedClientIds: [APP] });
    });
    after(async () => {
        await graph?.close();
        await entra?.close();
    });
    beforeEach(() => graph.reset());

    // ----------------------------------------------------------------------------------------------- tokens

    describe('tokens (MSAL ConfidentialClientApplication against FakeEntra)', () => {
        it('serves OpenID metadata whose endpoints point back at the fake', async () => {
            const res = await fetch(`${entra.authorityUrl}/v2.0/.well-known/openid-configuration`);
            assert.equal(res.status, 200);
            const meta = (await res.json()) as Record<string, string>;
            assert.equal(meta.token_endpoint, entra.tokenEndpoint);
            assert.equal(meta.issuer, `${entra.authorityUrl}/v2.0`);
            const keys = (await (await fetch(meta.jwks_uri!)).json()) as { keys: { kty: string }[] };
            assert.equal(keys.keys[0]!.kty, 'RSA');
        });

        it('secret: token from FakeEntra, sent by graph-client with the User-Agent; MSAL cache serves repeated calls', async () => {
            const conn = connect();
            const issuedBefore = entra.issued;
            const site = await conn.client.api(graph.sitePath).get();
            assert.equal(site.id, SITE_ID);
            assert.equal(site.webUrl, SITE_URL);
            const lists = await conn.client.api(`/sites/${site.id}/lists`).get();
            assert.ok(Array.isArray(lists.value));
            const token = await conn.token();
            await conn.token();
            assert.equal(entra.issued - issuedBefore, 1, 'one token request for 2 Graph calls + 2 token() calls');

            const claims = entra.verify(token);
            assert.deepEqual({ clientId: claims?.clientId, roles: claims?.roles }, { clientId: APP, roles: ['Sites.Selected'] });
            const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
            assert.equal(payload.aud, 'https://graph.microsoft.com');
            assert.equal(payload.tid, TENANT);
            assert.equal(payload.azp, APP);
            assert.equal(entra.requests.at(-1)?.credential, 'secret');

            assert.equal(graph.requests.length, 2);
            for (const r of graph.requests) {
                assert.equal(r.userAgent, UA);
                assert.equal(r.clientId, APP);
                assert.equal(r.status, 200);
            }
        });

        it('certificate: SHA-256 thumbprint (PS256, x5t#S256) and SHA-1 thumbprint + x5c (RS256, x5t) both verify', async () => {
            assert.ok(new crypto.X509Certificate(cert.certificatePem).verify(crypto.createPublicKey(cert.publicKeyPem)), 'self-signed certificate is valid');
            const sha256 = connect({ kind: 'certificate', privateKeyPem: cert.privateKeyPem, thumbprint: cert.thumbprintSha256 });
            const t1 = await sha256.token();
            assert.equal(entra.verify(t1)?.clientId, APP);
            assert.equal(entra.requests.at(-1)?.credential, 'certificate');
            assert.equal(JSON.parse(Buffer.from(t1.split('.')[1]!, 'base64url').toString()).appidacr, '2');

            const sha1 = connect({ kind: 'certificate', privateKeyPem: cert.privateKeyPem, thumbprint: cert.thumbprintSha1.toUpperCase().replace(/(..)(?!$)/g, '$1:'), x5c: cert.certificatePem });
            const t2 = await sha1.token();
            assert.equal(entra.verify(t2)?.clientId, APP);
            const site = await sha1.client.api(graph.sitePath).get();
            assert.equal(site.id, SITE_ID);
        });

        it('certificate: an assertion signed with another key is rejected (AADSTS700027)', async () => {
            const other = createSelfSignedCertificate();
            const conn = connect({ kind: 'certificate', privateKeyPem: other.privateKeyPem, thumbprint: cert.thumbprintSha256 });
            const err = await rejection(conn.token());
            assert.match((err as Error).message, /AADSTS700027/);
            const unregistered = connect({ kind: 'certificate', privateKeyPem: other.privateKeyPem, thumbprint: other.thumbprintSha256 });
            assert.match(((await rejection(unregistered.token())) as Error).message, /AADSTS700027: The certificate with identifier .* is not registered/);
        });

        it('wrong secret: invalid_client AADSTS7000215, through graph-client as status null / token_invalid_client', async () => {
            const conn = connect({ kind: 'secret', secret: 'wrong' });
            const err = await rejection(conn.token());
            assert.equal((err as { errorCode?: string }).errorCode, 'invalid_client');
            assert.match((err as Error).message, /AADSTS7000215: Invalid client secret provided/);
            assert.deepEqual(graphErrorInfo(err).status, null);
            assert.equal(graphErrorInfo(err).code, 'token_invalid_client');

            const viaClient = await rejection(conn.client.api(graph.sitePath).get());
            const info = graphErrorInfo(viaClient);
            assert.equal(info.status, null);
            assert.equal(info.code, 'token_invalid_client');
            assert.match(info.message, /AADSTS7000215/);
            assert.equal(graph.requests.length, 0, 'nothing reached Graph');
            assert.equal(entra.requests.at(-1)?.status, 401);
        });

        it('unknown client: unauthorized_client AADSTS700016', async () => {
            const conn = connect({ kind: 'secret', secret: 'x' }, '99999999-9999-4999-8999-999999999999');
            const err = await rejection(conn.token());
            assert.equal((err as { errorCode?: string }).errorCode, 'unauthorized_client');
            assert.match((err as Error).message, /AADSTS700016: Application with identifier '99999999-/);
        });
    });

    // ----------------------------------------------------------------------------------------------- auth at Graph

    describe('Graph authorization', () => {
        it('401 InvalidAuthenticationToken without or with a bad bearer', async () => {
            const none = await raw('GET', graph.sitePath);
            assert.equal(none.status, 401);
            assert.equal(none.json.error.code, 'InvalidAuthenticationToken');
            assert.ok(none.json.error.innerError.date && none.json.error.innerError['request-id']);
            assert.ok(none.headers.get('www-authenticate'));
            const forged = await raw('GET', graph.sitePath, { token: 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln' });
            assert.equal(forged.status, 401);
        });

        it('401 for an expired token (FakeEntra clock)', async () => {
            let clock = Date.now();
            const e2 = await FakeEntra.start({ tenantId: TENANT, clients: [{ clientId: APP, secret: SECRET }], now: () => clock });
            const g2 = await FakeGraph.start({ verifyToken: (t) => e2.verify(t), siteId: SITE_ID, siteUrl: SITE_URL });
            try {
                const conn = createGraphConnection({ tenantId: TENANT, clientId: APP, credential: { kind: 'secret', secret: SECRET }, authorityHost: e2.url, graphBaseUrl: g2.url, userAgent: UA }, { log });
                await conn.client.api(g2.sitePath).get();
                clock += 2 * 3600_000; // MSAL's cache (real clock) still serves the token; Graph rejects it
                const info = graphErrorInfo(await rejection(conn.client.api(g2.sitePath).get()));
                assert.equal(info.status, 401);
                assert.equal(info.code, 'InvalidAuthenticationToken');
            } finally {
                await g2.close();
                await e2.close();
            }
        });

        it('403 accessDenied: Sites.Selected without a grant on the site, and a token without roles', async () => {
            const other = connect({ kind: 'secret', secret: 'other-secret' }, OTHER_APP);
            const info = graphErrorInfo(await rejection(other.client.api(`/sites/${SITE_ID}/lists`).get()));
            assert.equal(info.status, 403);
            assert.equal(info.code, 'accessDenied');
            assert.match(info.message, /Sites\.Selected/);
            assert.ok(info.message.includes(SITE_URL), info.message);

            const noRoles = connect({ kind: 'secret', secret: 'no-roles' }, NO_ROLES_APP);
            const info2 = graphErrorInfo(await rejection(noRoles.client.api(graph.sitePath).get()));
            assert.equal(info2.status, 403);
            assert.equal(info2.message, 'Either scp or roles claim need to be present in the token.');
        });
    });

    // ----------------------------------------------------------------------------------------------- lists

    describe('SharePoint lists', () => {
        let conn: GraphConnection;
        beforeEach(() => {
            conn = connect();
        });
        const createAnswers = (): Promise<any> => conn.client.api(`/sites/${SITE_ID}/lists`).post(answersList);

        it('site by path and by id; unknown site or segment', async () => {
            const byPath = await conn.client.api(`/sites/victor.sharepoint.com:/sites/kenniskring`).get();
            assert.equal(byPath.id, SITE_ID);
            assert.equal(byPath.displayName, 'kenniskring');
            const byId = await conn.client.api(`/sites/${SITE_ID}`).get();
            assert.equal(byId.webUrl, SITE_URL);
            const colonForm = await conn.client.api(`/sites/victor.sharepoint.com:/sites/kenniskring:/lists`).get();
            assert.ok(colonForm.value.some((l: any) => l.displayName === 'Documents'), 'a real site has its Documents library');
            const unknown = graphErrorInfo(await rejection(conn.client.api('/sites/victor.sharepoint.com:/sites/andere').get()));
            assert.deepEqual([unknown.status, unknown.code], [404, 'itemNotFound']);
            const badSegment = graphErrorInfo(await rejection(conn.client.api(`/sites/${SITE_ID}/drivez`).get()));
            assert.equal(badSegment.status, 400);
        });

        it('creates a genericList with built-in and custom columns; 409 for a duplicate displayName; GET by id or name', async () => {
            const created = await createAnswers();
            assert.match(created.id, /^[0-9a-f-]{36}$/);
            assert.equal(created.displayName, 'Antwoorden');
            assert.equal(created.list.template, 'genericList');
            assert.equal(created.webUrl, `${SITE_URL}/Lists/Antwoorden`);

            const dup = graphErrorInfo(await rejection(conn.client.api(`/sites/${SITE_ID}/lists`).post({ displayName: 'antwoorden', list: { template: 'genericList' } })));
            assert.deepEqual([dup.status, dup.code], [409, 'nameAlreadyExists']);

            const byName = await conn.client.api(`/sites/${SITE_ID}/lists/Antwoorden`).get();
            assert.equal(byName.id, created.id);
            const selected = await conn.client.api(`/sites/${SITE_ID}/lists/${created.id}`).select(['id', 'displayName']).get();
            assert.deepEqual(Object.keys(selected).filter((k) => !k.startsWith('@')).sort(), ['displayName', 'id']);

            const columns = (await conn.client.api(`/sites/${SITE_ID}/lists/${created.id}/columns`).get()).value as any[];
            const byColName = new Map(columns.map((c) => [c.name, c]));
            for (const builtIn of ['Title', 'ID', 'Created', 'Modified', 'Author', 'Editor']) assert.ok(byColName.has(builtIn), builtIn);
            assert.equal(byColName.get('Title').required, true);
            assert.equal(byColName.get('Title').text.maxLength, 255);
            assert.equal(byColName.get('Modified').indexed, true);
            assert.deepEqual([byColName.get('AnswerKey').indexed, byColName.get('AnswerKey').enforceUniqueValues], [true, true]);
            assert.deepEqual(byColName.get('Status').choice.choices, ['open', 'gesloten']);
            assert.equal(byColName.get('Body').text.allowMultipleLines, true);
        });

        it('column rules: enforceUniqueValues needs indexed; PATCH indexed; unknown properties are rejected', async () => {
            const list = await createAnswers();
            const cols = `/sites/${SITE_ID}/lists/${list.id}/columns`;
            const noIndex = graphErrorInfo(await rejection(conn.client.api(cols).post({ name: 'Mail', text: {}, enforceUniqueValues: true })));
            assert.deepEqual([noIndex.status, noIndex.code], [400, 'invalidRequest']);
            const unknownProp = graphErrorInfo(await rejection(conn.client.api(cols).post({ name: 'Mail', text: {}, unique: true })));
            assert.equal(unknownProp.status, 400);
            assert.match(unknownProp.message, /property 'unique' does not exist/);

            const mail = await conn.client.api(cols).post({ name: 'Mail', displayName: 'E-mail', text: { maxLength: 200 } });
            assert.equal(mail.indexed, false);
            const patched = await conn.client.api(`${cols}/${mail.id}`).patch({ indexed: true });
            assert.equal(patched.indexed, true);
            const dupName = graphErrorInfo(await rejection(conn.client.api(cols).post({ name: 'mail', text: {} })));
            assert.equal(dupName.status, 400);
        });

        it('item create / read / update / delete with Graph shapes; Modified changes on every write', async () => {
            await createAnswers();
            const created = await conn.client.api(itemsPath()).post({
                fields: { Title: 'Antwoord 1', AnswerKey: 'q1:u1', Week: '2025-W03', Score: 4, AnsweredAt: '2025-01-15T09:30:12.345Z', Status: 'open', Anonymous: false },
            });
            assert.equal(created.id, '1');
            assert.match(created.eTag, /^"[0-9a-f-]{36},1"$/);
            assert.equal(created.fields.Title, 'Antwoord 1');
            assert.equal(created.fields.Score, 4);
            assert.equal(created.fields.AnsweredAt, '2025-01-15T09:30:12Z', 'SharePoint keeps seconds');
            assert.equal(created.fields.Anonymous, false);
            assert.equal(created.fields.id, '1');
            assert.ok(!('Body' in created.fields), 'unset fields are omitted');

            const second = await conn.client.api(itemsPath()).post({ fields: { Title: 'Antwoord 2', AnswerKey: 'q1:u2' } });
            assert.equal(second.id, '2', 'ids are increasing integers');

            const got = await conn.client.api(`${itemsPath()}/1`).expand('fields').get();
            assert.equal(got.fields.Week, '2025-W03');
            const noFields = await conn.client.api(`${itemsPath()}/1`).get();
            assert.equal(noFields.fields, undefined);

            const modified1 = got.fields.Modified as string;
            const patched = await conn.client.api(`${itemsPath()}/1/fields`).patch({ Score: 5, Body: 'lang\nantwoord' });
            assert.equal(patched.Score, 5);
            assert.equal(patched.Body, 'lang\nantwoord');
            assert.ok(patched.Modified > modified1, `${patched.Modified} > ${modified1}`);
            const patched2 = await conn.client.api(`${itemsPath()}/1/fields`).patch({ Body: null });
            assert.ok(patched2.Modified > patched.Modified);
            assert.ok(!('Body' in patched2), 'null clears the value');

            const stale = graphErrorInfo(await rejection(conn.client.api(`${itemsPath()}/1/fields`).header('If-Match', created.eTag).patch({ Score: 1 })));
            assert.equal(stale.status, 412);

            const res = await conn.client.api(`${itemsPath()}/2`).responseType('raw' as any).delete();
            assert.equal((res as Response).status, 204);
            const gone = graphErrorInfo(await rejection(conn.client.api(`${itemsPath()}/2`).get()));
            assert.deepEqual([gone.status, gone.code], [404, 'itemNotFound']);
        });

        it('rejects invalid item values like SharePoint', async () => {
            await createAnswers();
            const post = async (fields: Record<string, unknown>) => graphErrorInfo(await rejection(conn.client.api(itemsPath()).post({ fields })));
            const unknown = await post({ Title: 'x', Colour: 'blue' });
            assert.deepEqual([unknown.status, unknown.code, unknown.message], [400, 'invalidRequest', "Field 'Colour' is not recognized"]);
            assert.equal((await post({ Title: 'x', Score: 'vier' })).status, 400);
            assert.equal((await post({ Title: 'x', AnsweredAt: 'gisteren' })).status, 400);
            assert.equal((await post({ Title: 'x', Status: 'misschien' })).status, 400);
            assert.equal((await post({ Title: 'x', Anonymous: 'ja' })).status, 400);
            assert.equal((await post({ Title: 'x'.repeat(256) })).status, 400, 'single line text max 255');
            assert.equal((await post({ Title: 'x', AnswerKey: 'k'.repeat(101) })).status, 400, 'column maxLength');
            assert.equal((await post({ AnswerKey: 'no-title' })).status, 400, 'Title is required');
            assert.equal((await post({ Title: 'x', Created: '2020-01-01T00:00:00Z' })).status, 400, 'read-only');
            assert.equal(graph.list('Antwoorden')!.items.length, 0);
        });

        it('a duplicate value in an enforceUniqueValues column answers 500 generalException with SharePoint\'s message (create and update)', async () => {
            await createAnswers();
            await conn.client.api(itemsPath()).post({ fields: { Title: 'a', AnswerKey: 'q1:u1' } });
            const second = await conn.client.api(itemsPath()).post({ fields: { Title: 'b', AnswerKey: 'q1:u2' } });
            const onCreate = graphErrorInfo(await rejection(conn.client.api(itemsPath()).post({ fields: { Title: 'c', AnswerKey: 'Q1:U1' } })));
            assert.deepEqual(onCreate, {
                status: 500,
                code: 'generalException',
                message: 'The list item could not be added or updated because duplicate values were found in one or more fields in the list.',
                retryAfterMs: null,
            });
            const onUpdate = graphErrorInfo(await rejection(conn.client.api(`${itemsPath()}/${second.id}/fields`).patch({ AnswerKey: 'q1:u1' })));
            assert.deepEqual([onUpdate.status, onUpdate.code], [500, 'generalException']);
            await conn.client.api(`${itemsPath()}/${second.id}/fields`).patch({ AnswerKey: 'q1:u2', Score: 3 }); // own value is fine
        });

        it('$filter on a non-indexed field is 400 unless Prefer: HonorNonIndexedQueriesWarningMayFailRandomly', async () => {
            await createAnswers();
            graph.seedItems('Antwoorden', [
                { Title: 'a', AnswerKey: 'k1', Week: '2025-W03', Score: 1 },
                { Title: 'b', AnswerKey: 'k2', Week: '2025-W04', Score: 2 },
                { Title: 'c', AnswerKey: 'k3', Week: '2025-W03', Score: 3 },
            ]);
            const err = graphErrorInfo(await rejection(conn.client.api(itemsPath()).expand('fields').filter("fields/Week eq '2025-W03'").get()));
            assert.equal(err.status, 400);
            assert.equal(err.code, 'invalidRequest');
            assert.match(err.message, /^Field 'Week' cannot be referenced in filter or orderby as it is not indexed\. Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header/);

            const allowed = await conn.client.api(itemsPath()).header('Prefer', 'HonorNonIndexedQueriesWarningMayFailRandomly').expand('fields').filter("fields/Week eq '2025-W03'").get();
            assert.deepEqual(allowed.value.map((i: any) => i.fields.Title), ['a', 'c']);

            const indexed = await conn.client.api(itemsPath()).expand('fields($select=AnswerKey,Score)').filter(`fields/AnswerKey eq '${encodeURIComponent('k2')}'`).get();
            assert.equal(indexed.value.length, 1);
            assert.deepEqual(Object.keys(indexed.value[0].fields).sort(), ['@odata.etag', 'AnswerKey', 'Score']);
            const since = await conn.client.api(itemsPath()).filter(`fields/Modified ge '2000-01-01T00:00:00Z'`).get();
            assert.equal(since.value.length, 3, 'Modified is indexed');
        });

        it('paging: $top / default page size, @odata.nextLink followed with relativeGraphPath', async () => {
            await createAnswers();
            graph.seedItems('Antwoorden', Array.from({ length: 250 }, (_, i) => ({ Title: `t${i}`, AnswerKey: `k${i}` })));
            const seen: string[] = [];
            let pages = 0;
            let res = await conn.client.api(itemsPath()).expand('fields').get();
            for (;;) {
                pages++;
                seen.push(...res.value.map((i: any) => i.id));
                const next = res['@odata.nextLink'] as string | undefined;
                if (!next) break;
                assert.ok(next.startsWith(`${graph.url}/v1.0/sites/`), next);
                assert.match(next, /\$skiptoken=/);
                res = await conn.client.api(relativeGraphPath(next, conn.baseUrl)).get();
                assert.ok(res.value[0].fields, '$expand=fields survives in the nextLink');
            }
            assert.equal(pages, 3, 'default page 100');
            assert.equal(new Set(seen).size, 250);
            const top = await conn.client.api(itemsPath()).top(40).get();
            assert.equal(top.value.length, 40);

            assert.equal(
                relativeGraphPath('https://graph.microsoft.com/v1.0/sites/a,b,c/lists/x/items?$expand=fields&$skiptoken=UGFnZWQ9VFJVRSZwX0lEPTEwMA', 'https://graph.microsoft.com'),
                '/sites/a,b,c/lists/x/items?$expand=fields&$skiptoken=UGFnZWQ9VFJVRSZwX0lEPTEwMA',
            );
            assert.throws(() => relativeGraphPath('https://evil.example/v1.0/sites', 'https://graph.microsoft.com'));
        });

        it('list(displayName) shows what a SharePoint user sees', async () => {
            await createAnswers();
            await conn.client.api(itemsPath()).post({ fields: { Title: 'zichtbaar', AnswerKey: 'k', Score: 2 } });
            const view = graph.list('antwoorden')!;
            assert.equal(view.items.length, 1);
            assert.equal(view.items[0]!.id, '1');
            assert.deepEqual(Object.keys(view.items[0]!.fields).sort(), ['AnswerKey', 'Created', 'Modified', 'Score', 'Title']);
            assert.ok(view.columns.some((c) => c.name === 'AnswerKey' && c.enforceUniqueValues));
            assert.equal(graph.list('Onbekend'), undefined);
        });
    });

    // ----------------------------------------------------------------------------------------------- $batch

    describe('$batch', () => {
        let conn: GraphConnection;
        beforeEach(async () => {
            conn = connect();
            await conn.client.api(`/sites/${SITE_ID}/lists`).post(answersList);
        });
        const createReq = (id: string, key: string, extra: Record<string, unknown> = {}) => ({
            id,
            method: 'POST',
            url: itemsPath(),
            headers: { 'Content-Type': 'application/json' },
            body: { fields: { Title: `t-${key}`, AnswerKey: key } },
            ...extra,
        });

        it('more than 20 requests: 400 invalidRequest', async () => {
            const requests = Array.from({ length: 21 }, (_, i) => createReq(String(i + 1), `k${i}`));
            const info = graphErrorInfo(await rejection(conn.client.api('/$batch').post({ requests })));
            assert.deepEqual([info.status, info.code], [400, 'invalidRequest']);
            assert.equal(graph.list('Antwoorden')!.items.length, 0);
        });

        it('20 writes in one 200 batch; an inner 429 carries Retry-After; a duplicate inside is an inner 500', async () => {
            graph.failNext(1, 429, { match: (r) => r.inBatch && r.method === 'POST', retryAfterSeconds: 7 });
            const requests = Array.from({ length: 19 }, (_, i) => createReq(String(i + 1), `k${i}`));
            requests.push(createReq('20', 'k5'));
            const res = await conn.client.api('/$batch').post({ requests });
            assert.equal(res.responses.length, 20);
            const byId = new Map<string, any>(res.responses.map((r: any) => [r.id, r]));
            const throttled = byId.get('1');
            assert.equal(throttled.status, 429);
            assert.equal(throttled.headers['Retry-After'], '7');
            assert.equal(throttled.body.error.code, 'activityLimitReached');
            assert.deepEqual(graphErrorInfo(throttled), { status: 429, code: 'activityLimitReached', message: 'The request has been throttled', retryAfterMs: 7000 });
            assert.equal(byId.get('2').status, 201);
            assert.equal(byId.get('2').body.fields.AnswerKey, 'k1');
            assert.equal(byId.get('20').status, 500);
            assert.equal(byId.get('20').body.error.code, 'generalException');
            assert.match(byId.get('20').body.error.message, /duplicate values were found/);
            assert.equal(graph.list('Antwoorden')!.items.length, 18);

            const inner = graph.requests.filter((r) => r.inBatch);
            assert.equal(inner.length, 20);
            assert.ok(inner.every((r) => r.userAgent === UA && r.clientId === APP));
            const envelope = graph.requests.find((r) => r.path === '/$batch')!;
            assert.deepEqual([envelope.status, envelope.ru, envelope.inBatch], [200, 0, false]);
        });

        it('dependsOn: a failed dependency gives 424; write without Content-Type fails the whole batch', async () => {
            const res = await conn.client.api('/$batch').post({
                requests: [createReq('a', 'dup'), createReq('b', 'dup'), createReq('c', 'other', { dependsOn: ['b'] }), { id: 'd', method: 'GET', url: `${itemsPath()}?$expand=fields`, dependsOn: ['a'] }],
            });
            const status = Object.fromEntries(res.responses.map((r: any) => [r.id, r.status]));
            assert.deepEqual(status, { a: 201, b: 500, c: 424, d: 200 });
            const noCt = graphErrorInfo(await rejection(conn.client.api('/$batch').post({ requests: [{ id: '1', method: 'POST', url: itemsPath(), body: { fields: { Title: 'x' } } }] })));
            assert.equal(noCt.status, 400);
            assert.match(noCt.message, /Write request id : 1 does not contain Content-Type header or body/);
        });
    });

    // ----------------------------------------------------------------------------------------------- faults + RU

    describe('throttling, faults, RU meter', () => {
        let conn: GraphConnection;
        beforeEach(() => {
            conn = connect();
        });

        it('a top-level 429 surfaces with Retry-After and is not retried by the client (no RetryHandler)', async () => {
            graph.failNext(1, 429, { retryAfterSeconds: 3 });
            const info = graphErrorInfo(await rejection(conn.client.api(graph.sitePath).get()));
            assert.deepEqual(info, { status: 429, code: 'activityLimitReached', message: 'The request has been throttled', retryAfterMs: 3000 });
            assert.equal(graph.requests.length, 1, 'exactly one attempt');
            assert.equal(graph.requests[0]!.injected, 'failNext');
            const ok = await conn.client.api(graph.sitePath).get();
            assert.equal(ok.id, SITE_ID);
        });

        it('throttle() hits a share of operations with 429/503 + Retry-After; fail() gives 5xx', async () => {
            let n = 0;
            const seq = [0.1, 0.7, 0.9, 0.9]; // throttled (status pick 0.7 -> 503), then not throttled
            graph.throttle({ probability: 0.5, retryAfterSeconds: 2, random: () => seq[n++ % seq.length]! });
            const info = graphErrorInfo(await rejection(conn.client.api(graph.sitePath).get()));
            assert.deepEqual([info.status, info.code, info.retryAfterMs], [503, 'serviceNotAvailable', 2000]);
            assert.equal((await conn.client.api(graph.sitePath).get()).id, SITE_ID);
            graph.throttle(null);
            graph.fail({ probability: 1, status: 502 });
            const failed = graphErrorInfo(await rejection(conn.client.api(graph.sitePath).get()));
            assert.deepEqual([failed.status, failed.retryAfterMs], [502, null]);
            graph.fail(null);
        });

        it('down(true): Graph unreachable surfaces as status null with a network code; down(false) recovers', async () => {
            await conn.client.api(graph.sitePath).get(); // open a keep-alive connection first
            graph.down(true);
            const info = graphErrorInfo(await rejection(conn.client.api(graph.sitePath).get()));
            assert.equal(info.status, null);
            assert.ok(info.code && info.code !== 'Error', `network code: ${info.code}`);
            assert.match(info.message, /Graph unreachable/);
            graph.down(false);
            assert.equal((await conn.client.api(graph.sitePath).get()).id, SITE_ID);
        });

        it('RU meter: 1 per single read, 2 per collection read or write, 0 for the $batch envelope and injected faults', async () => {
            await conn.client.api(graph.sitePath).get(); // 1
            await conn.client.api(`/sites/${SITE_ID}/lists`).post(answersList); // 2
            await conn.client.api(`/sites/${SITE_ID}/lists`).get(); // 2
            await conn.client.api(itemsPath()).post({ fields: { Title: 'a', AnswerKey: 'a' } }); // 2
            await conn.client.api('/$batch').post({
                requests: [
                    { id: '1', method: 'GET', url: `${itemsPath()}/1` }, // 1
                    { id: '2', method: 'PATCH', url: `${itemsPath()}/1/fields`, headers: { 'Content-Type': 'application/json' }, body: { Score: 1 } }, // 2
                ],
            }); // envelope 0
            graph.failNext(1, 503, { retryAfterSeconds: 1 });
            await rejection(conn.client.api(graph.sitePath).get()); // 0
            assert.equal(graph.ruSpent(60_000), 10);
            assert.deepEqual(
                graph.requests.map((r) => [r.method, r.inBatch, r.ru]),
                [
                    ['GET', false, 1],
                    ['POST', false, 2],
                    ['GET', false, 2],
                    ['POST', false, 2],
                    ['GET', true, 1],
                    ['PATCH', true, 2],
                    ['POST', false, 0],
                    ['GET', false, 0],
                ],
            );
        });

        it('ruLimitPerMinute: operations beyond the budget answer 429 with Retry-After', async () => {
            const limited = await FakeGraph.start({ verifyToken: (t) => entra.verify(t), siteId: SITE_ID, siteUrl: SITE_URL, ruLimitPerMinute: 2 });
            try {
                const c = createGraphConnection({ tenantId: TENANT, clientId: APP, credential: { kind: 'secret', secret: SECRET }, authorityHost: entra.url, graphBaseUrl: limited.url, userAgent: UA }, { log });
                await c.client.api(limited.sitePath).get();
                await c.client.api(limited.sitePath).get();
                const info = graphErrorInfo(await rejection(c.client.api(limited.sitePath).get()));
                assert.equal(info.status, 429);
                assert.ok(info.retryAfterMs !== null && info.retryAfterMs > 0);
            } finally {
                await limited.close();
            }
        });
    });

    describe('logging', () => {
        it('never logs a token or the secret (debug level, MSAL logs included)', () => {
            assert.ok(tokensSeen.size > 0);
            assert.ok(logLines.length > 0);
            const all = logLines.join('\n');
            for (const t of tokensSeen) {
                assert.ok(!all.includes(t), 'token found in logs');
                assert.ok(!all.includes(t.split('.')[2]!), 'token signature found in logs');
            }
            assert.ok(!all.includes(SECRET), 'client secret found in logs');
        });
    });
});

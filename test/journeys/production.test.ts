import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FakeConnector } from '../fakes/connector';
import { FakeChannelIssuer, CHANNEL_ISSUER } from '../fakes/botframework';
import { createSelfSignedCertificate } from '../fakes/entra';
import { startTestBot, tempDir, writeQuestions, eventually, cardText, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, threadReply } from '../support/teams';
import { startSharePoint, items, LIST_NAMES, SP, type SharePointStandIns } from '../support/sharepoint';
import { startProductionBot, BOT_APP_ID, type ProductionBot } from '../support/production';
import { confirmed } from '../support/confirm';
import { expectingConsole } from '../support/console';

const BOT_FRAMEWORK = 'https://api.botframework.com';

const QUESTION = {
  id: 'opleiding-digitale-vaardigheden', text: 'Welke opleidingen rond digitale vaardigheden bieden jullie collega\'s aan?', kind: 'multiple',
  options: ['E-learning', 'Klassikale opleiding', 'Digitale buddy\'s', 'Nog niets'], theme: 'vaardigheden',
};

describe('the weekly journey in production mode: Bot Framework auth both ways, SharePoint in sync', () => {
  let issuer: FakeChannelIssuer;
  let sp: SharePointStandIns;
  let connector: FakeConnector;
  let bot: TestBot;

  let prod: ProductionBot;

  before(async function () {
    this.timeout(20_000);
    prod = await startProductionBot({ QUESTIONS_FILE: writeQuestions(tempDir(), [QUESTION]), COUNT_UPDATE_DELAY_SECONDS: '0.2' });
    ({ issuer, sp, connector, bot } = prod);
  });
  after(async () => {
    await prod.close();
  });

  it('runs in production mode', () => {
    assert.equal(bot.app.sharepoint !== null, true);
  });

  it('install, post, two answers, a thread reply and close — all signed — and SharePoint holds the record', async function () {
    this.timeout(30_000);
    const install = await bot.send(installInTeam(connector.url, TEAMS.westhoek, PEOPLE.an));
    assert.equal(install.status, 200);
    assert.equal(connector.threads(TEAMS.westhoek.id).length, 1, 'greeting posted with a valid outbound token');
    assert.ok(connector.requests.every((r) => r.status !== 401), 'the connector never refused the bot');

    await confirmed((a) => bot.send(a), connector, TEAMS.westhoek, PEOPLE.an, 'publiceer');
    const thread = connector.threads(TEAMS.westhoek.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text))!.conversationId;
    const jan = await bot.send(cardAction(connector.url, TEAMS.westhoek, thread, PEOPLE.jan, answerValue(QUESTION.id, { choice: '1,3' })));
    assert.match(cardText(jan.body.value), /E-learning, Digitale buddy's/);
    await bot.send(cardAction(connector.url, TEAMS.westhoek, thread, PEOPLE.sofie, answerValue(QUESTION.id, { choice: '4', comment: 'Volgend jaar willen we starten.' })));
    await bot.send(threadReply(connector.url, TEAMS.westhoek, thread, PEOPLE.lotte, 'Wij werken met digitale buddy\'s per dienst.', '1795200000001'));
    await confirmed((a) => bot.send(a), connector, TEAMS.westhoek, PEOPLE.an, 'sluit', { conversationId: thread });
    const replies = connector.threads(TEAMS.westhoek.id).find((t) => t.conversationId === thread)!.replies.map((r) => cardText(r.attachments));
    assert.ok(replies.some((t) => t.startsWith('Resultaten van de vraag van de week')), 'results in the thread');

    await eventually(async () => (await bot.app.store.outbox.pendingCount()) === 0, 'SharePoint in sync', 20_000);
    assert.deepEqual(items(sp.graph, LIST_NAMES.answers).map((i) => [i.Lid, i.Antwoord]).sort(), [
      ['Jan Claes', 'E-learning; Digitale buddy\'s'], ['Sofie Maes', 'Nog niets'],
    ]);
    assert.deepEqual(items(sp.graph, LIST_NAMES.comments).map((c) => [c.Auteur, c.Tekst]), [['Lotte Willems', 'Wij werken met digitale buddy\'s per dienst.']]);
    assert.deepEqual(items(sp.graph, LIST_NAMES.posts).map((p) => [p.RKK, p.Status]), [['RKK Westhoek', 'gepost']]);
    const q = items(sp.graph, LIST_NAMES.questions).find((i) => i.Sleutel === QUESTION.id)!;
    assert.match(q.Status, /^Gesloten op/);
    assert.equal(q.Bron, 'Vragenbestand');
  });

  it('answers 401 to activities without a valid channel token, and processes nothing', async () => {
    const bad: [string, string | undefined][] = [
      ['no token', undefined],
      ['alg none', issuer.token({ appId: BOT_APP_ID, serviceUrl: connector.url, alg: 'none' })],
      ['HS256', issuer.token({ appId: BOT_APP_ID, serviceUrl: connector.url, alg: 'HS256' })],
      ['wrong signature (a key the channel does not publish)', issuer.token({ appId: BOT_APP_ID, serviceUrl: connector.url, foreignKey: true })],
      ['unknown kid', issuer.token({ appId: BOT_APP_ID, serviceUrl: connector.url, kid: 'kk-onbekend' })],
      ['not yet valid', issuer.token({ appId: BOT_APP_ID, serviceUrl: connector.url, notBefore: 3600 })],
      ['expired', issuer.token({ appId: BOT_APP_ID, serviceUrl: connector.url, expiresIn: -3600 })],
      ['wrong audience', issuer.token({ appId: 'another-bot', serviceUrl: connector.url })],
      ['wrong issuer', issuer.token({ appId: BOT_APP_ID, serviceUrl: connector.url, issuer: 'https://sts.example.org' })],
      ['other service url', issuer.token({ appId: BOT_APP_ID, serviceUrl: 'https://smba.trafficmanager.net/evil/' })],
    ];
    const before = (await bot.app.store.rkks.list()).length;
    // botframework-connector prints the channel's public keys for a token signed with another key, and
    // the error of an expired one, by itself: those refusals are expected here and kept out of the output.
    const { printed } = await expectingConsole(/^(Error finding key for token|TokenExpiredError|NotBeforeError|JsonWebTokenError)/, async () => {
      for (const [what, token] of bad) {
        const res = await fetch(`${bot.app.url}/api/messages`, {
          method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(installInTeam(connector.url, TEAMS.kempen, PEOPLE.an)),
        });
        assert.equal(res.status, 401, what);
      }
    });
    assert.ok(printed.every((p) => !/PRIVATE KEY/.test(p)), 'no private key is ever printed');
    assert.equal((await bot.app.store.rkks.list()).length, before, 'no RKK registered by a forged install');
    assert.equal(connector.threads(TEAMS.kempen.id).length, 0);
  });
});

describe('production mode with a certificate instead of a secret', () => {
  it('starts single-tenant with a certificate and gets its outbound tokens by signed assertion', async function () {
    this.timeout(30_000);
    const issuer = await FakeChannelIssuer.start();
    const sp = await startSharePoint();
    const cert = createSelfSignedCertificate();
    sp.entra.register({ clientId: BOT_APP_ID, certificatePem: cert.certificatePem });
    const connector = await FakeConnector.start({
      verifyAuth: (h) => Boolean(h?.startsWith('Bearer ') && sp.entra.verify(h.slice(7), BOT_FRAMEWORK)?.clientId === BOT_APP_ID),
    });
    const dir = tempDir();
    const pem = path.join(dir, 'bot.pem');
    fs.writeFileSync(pem, `${cert.privateKeyPem}\n${cert.certificatePem}\n`);
    const bot = await startTestBot({
      dataDir: dir,
      authorize: (a) => issuer.token({ appId: BOT_APP_ID, serviceUrl: a.serviceUrl! }),
      env: {
        ...sp.env, MicrosoftAppId: BOT_APP_ID, MicrosoftAppCertificateFile: pem, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: SP.tenantId,
        ToBotFromChannelOpenIdMetadataUrl: issuer.metadataUrl, ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
        ToBotFromEmulatorOpenIdMetadataUrl: issuer.metadataUrl, ToChannelFromBotLoginUrl: `${sp.entra.url}/${SP.tenantId}`,
        ToChannelFromBotOAuthScope: BOT_FRAMEWORK, OAuthUrl: BOT_FRAMEWORK, CallerId: 'urn:botframework:azure',
      },
    });
    try {
      const res = await bot.send(installInTeam(connector.url, TEAMS.kempen, PEOPLE.an));
      assert.equal(res.status, 200);
      assert.equal(connector.threads(TEAMS.kempen.id).length, 1, 'the greeting went out with a certificate-based token');
      assert.ok(sp.entra.requests.some((r) => r.clientId === BOT_APP_ID && r.status === 200), 'a token was issued to the bot');
    } finally {
      await bot.close();
      await connector.close();
      await sp.close();
      await issuer.close();
    }
  });
});

describe('production mode with a user-assigned managed identity', () => {
  it('starts with a complete configuration (no secret, no certificate) and is ready', async () => {
    const issuer = await FakeChannelIssuer.start();
    const sp = await startSharePoint();
    const bot = await startTestBot({
      env: {
        // Graph with a secret: a managed identity would call the Azure metadata endpoint, which tests must never reach.
        ...sp.env,
        MicrosoftAppId: BOT_APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: SP.tenantId,
        ToBotFromChannelOpenIdMetadataUrl: issuer.metadataUrl, ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
        ToBotFromEmulatorOpenIdMetadataUrl: issuer.metadataUrl, ToChannelFromBotLoginUrl: `${sp.entra.url}/${SP.tenantId}`,
        ToChannelFromBotOAuthScope: BOT_FRAMEWORK, OAuthUrl: BOT_FRAMEWORK, CallerId: 'urn:botframework:azure',
      },
    });
    try {
      assert.equal((await fetch(`${bot.app.url}/readyz`)).status, 200);
      // Still production: an unsigned activity is refused.
      const res = await fetch(`${bot.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(installInTeam('https://smba.trafficmanager.net/emea/', TEAMS.kempen, PEOPLE.an)) });
      assert.equal(res.status, 401);
    } finally {
      await bot.close();
      await sp.close();
      await issuer.close();
    }
  });
});

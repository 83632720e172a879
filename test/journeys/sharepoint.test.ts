import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { FakeConnector } from '../fakes/connector';
import { FakeTime, drive } from '../support/clock';
import { startTestBot, tempDir, writeQuestions, cardText, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, answerValue, mentionCommand, threadReply, type Person } from '../support/teams';
import { startSharePoint, items, LIST_NAMES, type SharePointStandIns } from '../support/sharepoint';
import { describeOnEachStore, openTestStore } from '../support/stores';
import { loadConfig } from '../../bot/src/config';
import { createLogger } from '../../bot/src/log';
import { connectGraph, SharePointModule } from '../../bot/src/sharepoint';
import { GraphCallError } from '../../bot/src/sharepoint/graphApi';
import { MAX_SERVER_ERRORS } from '../../bot/src/sharepoint/sync';
import { questionFromInput } from '../../bot/src/domain/question';
import { confirmed } from '../support/confirm';

const run = promisify(execFile);
const PROVISION = path.resolve(__dirname, '../../scripts/provision.js');

const QUESTION = {
  id: 'overstap-naar-cloud', text: 'Hoeveel van jullie toepassingen draaien al in de cloud?', kind: 'single',
  options: ['Bijna alles', 'Ongeveer de helft', 'Een paar', 'Nog niets'], theme: 'infrastructuur', week: '2026-W48',
};

/** Lets fake time pass (`stepMs` per step) while real HTTP goes on, until `done` holds. */

const member = (i: number): Person => ({
  id: `29:1load${i}`, aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `Collega ${i}`,
});

describe('journey 5: SharePoint, provisioned and in sync', () => {
  describe('npm run provision', () => {
    let sp: SharePointStandIns;
    afterEach(async () => { await sp.close(); });

    const provision = async (env: Record<string, string>) => {
      try {
        const { stdout } = await run(process.execPath, [PROVISION], { env: { PATH: process.env.PATH ?? '', ...env } });
        return { code: 0, out: stdout };
      } catch (err) {
        const e = err as { code: number; stderr: string };
        return { code: e.code, out: e.stderr };
      }
    };

    it('creates the four lists from empty, then changes nothing on a second run', async function () {
      this.timeout(30_000);
      sp = await startSharePoint();
      const first = await provision(sp.env);
      assert.equal(first.code, 0, first.out);
      assert.match(first.out, /Created lists: Kenniskring Vragen, Kenniskring Antwoorden, Kenniskring Reacties, Kenniskring Publicaties, Kenniskring Audit, Kenniskring Agenda, Kenniskring Regiovragen, Kenniskring Thema's/);
      const answers = sp.graph.list(LIST_NAMES.answers)!;
      const key = answers.columns.find((c) => c.name === 'Sleutel')!;
      assert.equal(key.indexed, true);
      assert.equal(key.enforceUniqueValues, true, 'duplicates are impossible on the SharePoint side');
      assert.equal(answers.columns.find((c) => c.name === 'VraagId')!.indexed, true, 'filtered columns are indexed');
      const writesBefore = sp.graph.requests.filter((r) => r.method !== 'GET').length;

      const second = await provision(sp.env);
      assert.equal(second.code, 0, second.out);
      assert.match(second.out, /nothing changed/);
      assert.equal(sp.graph.requests.filter((r) => r.method !== 'GET').length, writesBefore, 'a second run writes nothing');
    });

    it('gives a key column back its uniqueness when it was lost (SharePoint kept the index, not the uniqueness)', async function () {
      this.timeout(30_000);
      sp = await startSharePoint();
      assert.equal((await provision(sp.env)).code, 0);
      sp.graph.alterColumn(LIST_NAMES.answers, 'Sleutel', { enforceUniqueValues: false }); // a site owner unticked "enforce unique values"
      const again = await provision(sp.env);
      assert.equal(again.code, 0, again.out);
      assert.match(again.out, /Kenniskring Antwoorden\.Sleutel/);
      assert.equal(sp.graph.list(LIST_NAMES.answers)!.columns.find((c) => c.name === 'Sleutel')!.enforceUniqueValues, true);
    });

    it('adds the choices a newer version writes (Bron "Voorstel") to a list an older version made, keeping the site\'s own; --check names them', async function () {
      this.timeout(30_000);
      sp = await startSharePoint();
      assert.equal((await provision(sp.env)).code, 0);
      sp.graph.setChoices(LIST_NAMES.questions, 'Bron', ['SharePoint', 'Vragenbestand', 'Opdracht in Teams', 'Eigen keuze van de site']);
      const check = await run(process.execPath, [PROVISION, '--check'], { env: { PATH: process.env.PATH ?? '', ...sp.env } }).then(() => null, (e: { stderr: string }) => e.stderr);
      assert.match(check ?? '', /column Kenniskring Vragen\.Bron lacks the choices Voorstel/);
      const again = await provision(sp.env);
      assert.equal(again.code, 0, again.out);
      assert.match(again.out, /Choices added to columns: Kenniskring Vragen\.Bron/);
      const bron = sp.graph.list(LIST_NAMES.questions)!.columns.find((c) => c.name === 'Bron')!;
      assert.deepEqual((bron as { choice?: { choices?: string[] } }).choice?.choices, ['SharePoint', 'Vragenbestand', 'Opdracht in Teams', 'Eigen keuze van de site', 'Voorstel']);
      assert.match((await provision(sp.env)).out, /nothing changed/);
    });

    it('says exactly which grant is missing when Graph answers 403', async function () {
      this.timeout(30_000);
      sp = await startSharePoint({ granted: false });
      const res = await provision(sp.env);
      assert.equal(res.code, 1);
      assert.match(res.out, /Sites\.Selected/);
      assert.match(res.out, new RegExp(`client id ${sp.env.GRAPH_CLIENT_ID}`));
      assert.match(res.out, /POST https:\/\/graph\.microsoft\.com\/v1\.0\/sites\/\{site-id\}\/permissions/);
    });

    it('refuses a configuration without SharePoint, naming the settings', async () => {
      sp = await startSharePoint();
      const res = await provision({});
      assert.equal(res.code, 78);
      assert.match(res.out, /GRAPH_CLIENT_ID/);
    });
  });

  describeOnEachStore('the outbox sync', () => {
    let connector: FakeConnector;
    let sp: SharePointStandIns;
    let time: FakeTime;
    let bot: TestBot;
    let thread: string;

    beforeEach(async () => {
      time = new FakeTime('2026-11-24T10:00:00Z');
      connector = await FakeConnector.start();
      sp = await startSharePoint();
      const dir = tempDir();
      bot = await startTestBot({ dataDir: dir, clock: time, timers: time, random: () => 0.5, env: { ...sp.env, QUESTIONS_FILE: writeQuestions(dir, [QUESTION]) } });
      await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
      await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
      thread = connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text))!.conversationId;
    });
    afterEach(async () => {
      await bot.close();
      await sp.close();
      await connector.close();
    });

    const answer = async (who: Person, choice: string) => {
      const res = await bot.send(cardAction(connector.url, TEAMS.gent, thread, who, answerValue(QUESTION.id, { choice })));
      assert.equal(res.status, 200);
      assert.match(cardText(res.body.value), /Je antwoord is genoteerd/);
    };

    it('a burst of 1,000 answers with changes and 200 comments ends as exactly one item each, under throttling and faults', async function () {
      this.timeout(120_000);
      sp.graph.throttle({ probability: 0.3, retryAfterSeconds: 2 });
      sp.graph.fail({ probability: 0.05, status: 500 });
      const latest = new Map<string, string>();
      for (let i = 0; i < 1000; i++) {
        const choice = String((i % 4) + 1);
        await answer(member(i), choice);
        latest.set(member(i).aadObjectId, choice);
        if (i % 3 === 0) { // a third of them think again
          const again = String(((i + 1) % 4) + 1);
          await answer(member(i), again);
          latest.set(member(i).aadObjectId, again);
        }
      }
      const comments = new Map<string, string>();
      for (let i = 0; i < 200; i++) {
        const id = String(1795100000000 + i);
        const text = `Reactie ${i}: bij ons loopt de migratie naar de cloud via het OCMW.`;
        await bot.send(threadReply(connector.url, TEAMS.gent, thread, member(i), text, id));
        comments.set(id, text);
      }
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the outbox to drain');

      const answerItems = items(sp.graph, LIST_NAMES.answers);
      assert.equal(answerItems.length, 1000, 'one item per member');
      assert.equal(new Set(answerItems.map((i) => i.Sleutel)).size, 1000);
      for (const item of answerItems) assert.equal(item.Keuzes, latest.get(item.LidId), `latest answer of ${item.Lid}`);
      const commentItems = items(sp.graph, LIST_NAMES.comments);
      assert.equal(commentItems.length, 200, 'each comment once');
      for (const item of commentItems) assert.equal(item.Tekst, comments.get(String(item.Sleutel).split('|')[1]));
      const posts = items(sp.graph, LIST_NAMES.posts);
      assert.deepEqual(posts.map((p) => [p.VraagId, p.RKK, p.Status]), [[QUESTION.id, 'RKK Gent-Eeklo', 'gepost']]);
      const question = items(sp.graph, LIST_NAMES.questions).filter((q) => q.Sleutel === QUESTION.id);
      assert.equal(question.length, 1);
      assert.match(question[0]!.Status, /^Gepost op/);
      assert.equal(await bot.app.store.outbox.parkedCount(), 0);
      assert.ok(sp.graph.requests.some((r) => r.status === 429), 'the fake did throttle');
      assert.ok(sp.graph.requests.some((r) => r.status === 500), 'the fake did fail');
    });

    it('a member\'s proposals are rows of Kenniskring Vragen with Bron "Voorstel": waiting, rejected with the reason, approved as the question\'s own row', async () => {
      const TEXTS = ['Werken jullie al met één e-loket voor alle diensten van de gemeente?', 'Hoe bewaren jullie de back-ups van de gemeentelijke toepassingen?'];
      const propose = (text: string) => bot.send(cardAction(connector.url, TEAMS.gent, TEAMS.gent.id, PEOPLE.jan,
        answerValue('', { lang: 'nl', text, kind: 'single', option1: 'Ja', option2: 'Gedeeltelijk', option3: 'Nog niet', theme: 'strategie', showName: 'true' }, 'kk.propose')));
      for (const text of TEXTS) assert.match(cardText((await propose(text)).body.value), /Bedankt! Je voorstel voor RKK Gent-Eeklo gaat naar de beheerders van V-ICT-OR/);
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the outbox to drain');
      const rows = () => items(sp.graph, LIST_NAMES.questions).filter((q) => q.Bron === 'Voorstel');
      assert.deepEqual(rows().map((r) => [r.Vraag, r.Soort, r.Opties, r.Thema, r.Doelgroep]).sort(), TEXTS.map((t) => [t, 'Eén keuze', 'Ja\nGedeeltelijk\nNog niet', 'strategie', 'RKK Gent-Eeklo']).sort());
      for (const r of rows()) assert.match(r.Status, /^Voorstel van Jan Claes \(RKK Gent-Eeklo\), dinsdag 24 november, 11\.00 uur: wacht op goedkeuring\.$/);

      // An (an administrator: the RKK has no moderators) approves the first and rejects the second, in his personal chat.
      const pending = await bot.app.store.proposals.pending(null);
      const [first, second] = TEXTS.map((t) => pending.find((x) => x.draft.text === t));
      const decide = (verb: string, proposalId: string, data: Record<string, unknown>) =>
        bot.send(cardAction(connector.url, null, `a:1personal-${PEOPLE.an.aadObjectId}`, PEOPLE.an, answerValue('', { lang: 'nl', proposalId, ...data }, verb)));
      assert.match(cardText((await decide('kk.proposalApprove', first!.id, {})).body.value), /Goedgekeurd door An Peeters/);
      assert.match(cardText((await decide('kk.proposalReject', second!.id, { reason: 'Die vraag liep vorige maand al.' })).body.value), /Afgewezen door An Peeters/);
      // Jan hears both outcomes in a personal chat.
      const jan = () => connector.conversation(`a:1${Buffer.from(PEOPLE.jan.id).toString('base64url')}`).map((a) => cardText(a.attachments));
      await drive(time, () => jan().length === 2, 'both outcomes for Jan');
      assert.ok(jan().some((t) => /Goedgekeurd: je vraag staat in de wachtrij/.test(t)) && jan().some((t) => /Niet opgenomen\. De reden: Die vraag liep vorige maand al\./.test(t)));

      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the outbox to drain');
      const questionId = (await bot.app.store.proposals.get(first!.id))!.questionId!;
      assert.deepEqual(rows().map((r) => [r.Sleutel, r.Vraag]), [[second!.id, TEXTS[1]], [questionId, TEXTS[0]]], 'the approved proposal gave way to its question');
      assert.match(rows()[0]!.Status, /^Voorstel van Jan Claes \(RKK Gent-Eeklo\), dinsdag 24 november, 11\.00 uur: afgewezen door An Peeters op dinsdag 24 november, 11\.00 uur\. Reden: Die vraag liep vorige maand al\.$/);
      assert.match(rows()[1]!.Status, /^In de wachtrij/);
      assert.equal(rows()[1]!.Doelgroep, '', 'an administrator\'s approval reaches every RKK');

      // Erased, Jan's rejected proposal leaves SharePoint too; the question stays.
      await bot.send(mentionCommand(connector.url, TEAMS.gent, PEOPLE.an, `wis ${PEOPLE.jan.aadObjectId}`));
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the outbox to drain');
      assert.deepEqual(rows().map((r) => r.Sleutel), [questionId]);
      assert.equal(await bot.app.store.outbox.parkedCount(), 0);
    });

    it('keeps accepting answers while Graph is unreachable for an hour, then drains the backlog', async function () {
      this.timeout(60_000);
      sp.graph.down(true);
      const start = time.now().getTime();
      for (let i = 0; i < 60; i++) {
        await answer(member(i), '2');
        time.advanceBy(60_000); // one answer a minute for an hour
      }
      assert.equal(items(sp.graph, LIST_NAMES.answers).length, 0);
      assert.ok(time.now().getTime() - start >= 3_600_000);
      const status = await bot.app.sharepoint!.sync.status();
      assert.ok(status.pending >= 60, `backlog kept: ${status.pending}`);
      assert.ok(status.lastError, 'the failure is visible to admins');
      sp.graph.down(false);
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the backlog to drain');
      assert.equal(items(sp.graph, LIST_NAMES.answers).length, 60);
    });

    it('wis erases one member everywhere — here and in SharePoint — and the audit trail says who did it', async function () {
      this.timeout(60_000);
      await answer(PEOPLE.jan, '1');
      await answer(PEOPLE.sofie, '2');
      await bot.send(threadReply(connector.url, TEAMS.gent, thread, PEOPLE.jan, 'Wij zitten al in de cloud.', '1795300000001'));
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the first sync');
      assert.equal(items(sp.graph, LIST_NAMES.answers).length, 2);
      assert.equal(items(sp.graph, LIST_NAMES.comments).length, 1);

      await bot.send(mentionCommand(connector.url, TEAMS.gent, PEOPLE.an, `wis ${PEOPLE.jan.aadObjectId}`));
      const reply = connector.conversation(TEAMS.gent.id).map((a) => cardText(a.attachments)).find((t) => t.startsWith('Gegevens wissen'))!;
      assert.match(reply, /1 antwoord en 1 reactie/);
      assert.equal((await bot.app.store.answers.forMember(PEOPLE.jan.aadObjectId)).length, 0);
      assert.equal((await bot.app.store.comments.forAuthor(PEOPLE.jan.aadObjectId)).length, 0);
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'SharePoint to follow');
      assert.deepEqual(items(sp.graph, LIST_NAMES.answers).map((i) => i.Lid), ['Sofie Maes'], 'Jan is gone from SharePoint');
      assert.equal(items(sp.graph, LIST_NAMES.comments).length, 0);
      const audit = items(sp.graph, LIST_NAMES.audit);
      const erased = audit.find((a) => a.Actie === 'wis')!;
      assert.equal(erased.Wie, 'An Peeters');
      assert.equal(erased.Doel, PEOPLE.jan.aadObjectId);
      assert.ok(audit.some((a) => a.Actie === 'publiceer' && a.Doel === QUESTION.id), 'every admin action is recorded');
    });

    it('checks the lists once at start-up: after a failure part-way it reads again only what it had not checked', async function () {
      this.timeout(60_000);
      // A second bot on fresh SharePoint stand-ins: one list's columns read fails once at start-up.
      const sp2 = await startSharePoint();
      let columnReads = 0;
      sp2.graph.failNext(1, 500, { match: (r) => r.method === 'GET' && r.path.endsWith('/columns') && ++columnReads === 3 });
      const dir = tempDir();
      const second = await startTestBot({ dataDir: dir, clock: time, timers: time, random: () => 0.5, env: { ...sp2.env, QUESTIONS_FILE: writeQuestions(dir, [QUESTION]) } });
      try {
        await second.send(installInTeam(connector.url, TEAMS.kempen, PEOPLE.an));
        await drive(time, async () => (await second.app.store.outbox.pendingCount()) === 0, 'the sync to start after the retry');
        const reads = sp2.graph.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/columns')).map((r) => r.path);
        const perList = [...new Set(reads)].map((path) => reads.filter((x) => x === path).length);
        assert.deepEqual(perList.sort(), [1, 1, 1, 1, 1, 1, 1, 2], 'each list read once, the failed one twice');
        assert.equal(sp2.graph.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/lists')).length, 2, 'the list of lists read once per attempt, not again once all are checked');
      } finally {
        await second.close();
        await sp2.close();
      }
    });

    it('keeps the rest moving when SharePoint always fails on one record, backs off on it and parks it after a bounded number of tries', async function () {
      this.timeout(60_000);
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the initial sync');
      // Every write of Jan's answer fails with a 500 (a poison record); everyone else's goes through.
      const jans = (r: { method: string; body?: unknown }) => r.method !== 'GET' && JSON.stringify(r.body ?? '').includes(PEOPLE.jan.aadObjectId);
      sp.graph.failNext(1000, 500, { match: jans });
      await answer(PEOPLE.jan, '1');
      await answer(PEOPLE.sofie, '2');
      await drive(time, async () => items(sp.graph, LIST_NAMES.answers).some((i) => i.LidId === PEOPLE.sofie.aadObjectId), 'the other answer to arrive');
      const writes = () => sp.graph.requests.filter((r) => r.inBatch && r.status === 500).length;
      const afterFirstRounds = writes();
      assert.ok(afterFirstRounds < MAX_SERVER_ERRORS, `backs off: ${afterFirstRounds} failed writes while the other record went through`);
      await drive(time, async () => (await bot.app.store.outbox.parkedCount()) === 1, 'the poison record to be parked', 5_000);
      assert.equal(writes(), MAX_SERVER_ERRORS, 'tried a bounded number of times, not every round');
      const [parked] = await bot.app.store.outbox.parked();
      assert.match(parked!.error, /^500 .*\(6 tries\)$/);
      assert.equal(await bot.app.store.outbox.pendingCount(), 0, 'nothing else waits');
      time.advanceBy(10 * 60_000);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(writes(), MAX_SERVER_ERRORS, 'a parked record is left alone');
    });

    it('finds the item when SharePoint saved a create but answered 500, and the retry breaks the unique key ("duplicate values")', async function () {
      this.timeout(60_000);
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the initial sync');
      // SharePoint saves Jan's item but times out answering; the retry of the create meets the unique Sleutel.
      sp.graph.failNext(1, 500, { match: (r) => r.method === 'POST' && JSON.stringify(r.body ?? '').includes(PEOPLE.jan.aadObjectId), afterWrite: true });
      await answer(PEOPLE.jan, '1');
      await answer(PEOPLE.jan, '3');
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the answer to arrive');
      const jans = items(sp.graph, LIST_NAMES.answers).filter((i) => i.LidId === PEOPLE.jan.aadObjectId);
      assert.equal(jans.length, 1, 'one item');
      assert.equal(jans[0]!.Keuzes, '3', 'with the latest answer');
      const duplicate = sp.graph.requests.find((r) => r.inBatch && r.method === 'POST' && r.status === 500 && !r.injected);
      assert.ok(duplicate, 'the retried create did break the key');
      assert.equal(await bot.app.store.outbox.parkedCount(), 0);
    });

    it('parks a record SharePoint refuses, shows it in status, and sends it again after opnieuw', async function () {
      this.timeout(60_000);
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the initial sync');
      sp.graph.failNext(1, 400, { match: (r) => r.method === 'POST' && r.path.includes('/items') });
      await answer(PEOPLE.jan, '1');
      await drive(time, async () => (await bot.app.store.outbox.parkedCount()) === 1, 'the refusal to be parked');
      await bot.send(mentionCommand(connector.url, TEAMS.gent, PEOPLE.an, 'status'));
      const statusCard = connector.conversation(TEAMS.gent.id).map((a) => cardText(a.attachments)).find((t) => t.startsWith('Synchronisatie met SharePoint'))!;
      assert.match(statusCard, /Geweigerd door SharePoint\n1/);
      assert.match(statusCard, /answer overstap-naar-cloud · 1c8e4b63/);
      await bot.send(mentionCommand(connector.url, TEAMS.gent, PEOPLE.an, 'opnieuw'));
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0 && (await bot.app.store.outbox.parkedCount()) === 0, 'the retry');
      assert.equal(items(sp.graph, LIST_NAMES.answers).filter((i) => i.LidId === PEOPLE.jan.aadObjectId).length, 1);
    });
  });

  describeOnEachStore('journey 6: moderators write questions as rows in SharePoint', () => {
    it('posts a valid row at its slot, writes the reason into a malformed row, and locks a posted row', async function () {
      this.timeout(60_000);
      const time = new FakeTime('2026-11-27T10:00:00Z'); // Friday of week 48
      const connector = await FakeConnector.start();
      const sp = await startSharePoint();
      const bot = await startTestBot({ clock: time, timers: time, random: () => 0.5, env: sp.env });
      try {
        await bot.send(installInTeam(connector.url, TEAMS.kempen, PEOPLE.an));
        await drive(time, () => sp.graph.list(LIST_NAMES.questions) !== undefined, 'the lists to be provisioned at start-up');
        const [good, bad, anonymous] = sp.graph.seedItems(LIST_NAMES.questions, [
          { Title: 'Digipunten', Vraag: 'Hoeveel uur per week is het digipunt in jullie gemeente open?', Soort: 'Eén keuze',
            Opties: 'Minder dan 5 uur\n5 tot 10 uur\nMeer dan 10 uur\nWe hebben (nog) geen digipunt', Ervaring: '2, 3', Thema: 'e-inclusie', Week: '2026-W49' },
          { Title: 'Kapotte rij', Soort: 'Open vraag', Opties: 'Ja\nNee', Thema: 'weer', Week: '2026-W60' },
          // Options meaning experience on an anonymous question: refused, naming the column.
          { Title: 'Anoniem met ervaring', Vraag: 'Hebben jullie al een datalek gehad dit jaar?', Soort: 'Eén keuze', Opties: 'Ja\nNee', Ervaring: '1', Anoniem: true, Thema: 'infrastructuur', Week: '2026-W50' },
        ]) as [string, string, string];
        const row = (id: string) => items(sp.graph, LIST_NAMES.questions).find((i) => i.id === id)!;
        await drive(time, () => Boolean(row(good).Status && row(bad).Status), 'the next poll to write both statuses');

        assert.match(row(good).Status, /^Gepland voor 2026-W49 \(maandag 30 november, 9.00 uur\)/);
        assert.equal(row(good).Sleutel, `sp-${good}`);
        const q = (await bot.app.store.questions.get(`sp-${good}`))!;
        assert.equal(q.source, 'sharepoint');
        assert.deepEqual(q.options.map((o) => o.label), ['Minder dan 5 uur', '5 tot 10 uur', 'Meer dan 10 uur', 'We hebben (nog) geen digipunt']);
        assert.deepEqual(q.options.filter((o) => o.experience).map((o) => o.id), ['2', '3'], 'the Ervaring column marks the options');
        await drive(time, () => Boolean(row(anonymous).Status), 'the status of the anonymous row');
        assert.match(row(anonymous).Status as string, /^Afgewezen: Ervaring: een anonieme vraag heeft geen ervaringsopties/);

        const reason = row(bad).Status as string;
        assert.match(reason, /^Afgewezen: /);
        assert.match(reason, /Thema: kies één van: infrastructuur, data, strategie, vaardigheden, e-inclusie, andere/);
        assert.match(reason, /Week: schrijf de week als JJJJ-Www/);
        // (Checks that combine fields, like options on an open question, follow once these are fixed.)
        assert.equal(await bot.app.store.questions.get(`sp-${bad}`), null, 'a rejected row is not scheduled');

        await drive(time, () => time.now() >= new Date('2026-11-30T08:00:00Z'), 'Monday 09:00 of week 49', 10 * 60_000);
        await bot.app.scheduler.tick();
        const posted = connector.threads(TEAMS.kempen.id).filter((t) => cardText(t.root?.attachments).includes('digipunt in jullie gemeente'));
        assert.equal(posted.length, 1, 'posted at its slot');
        assert.equal(connector.threads(TEAMS.kempen.id).filter((t) => cardText(t.root?.attachments).includes('Kapotte rij')).length, 0);

        // An edit after posting is reported in the row, not applied: members answered the posted text.
        await sp.graph.updateFields(LIST_NAMES.questions, good, { Vraag: 'Hoeveel uur per week is het digipunt open, en wie bemant het?' });
        await drive(time, () => /^Al gepost/.test(row(good).Status ?? ''), 'the poll to see the edit');
        assert.equal((await bot.app.store.questions.get(`sp-${good}`))!.text, 'Hoeveel uur per week is het digipunt in jullie gemeente open?');
      } finally {
        await bot.close();
        await sp.close();
        await connector.close();
      }
    });
  });
});

describeOnEachStore('journey 5: a lost answer from SharePoint', () => {
  it('does not create a question twice when the reply to its create is lost (the list has no unique key)', async function () {
    this.timeout(30_000);
    const sp = await startSharePoint();
    const dir = tempDir();
    const store = await openTestStore(dir);
    const config = loadConfig({ ...sp.env, DATA_DIR: dir });
    const log = createLogger('silent');
    const api = connectGraph(config.sharepoint!, { log, version: 'test' });
    // SharePoint applies the batch, then the connection drops before its answer arrives — once.
    const realBatch = api.batch.bind(api);
    let lost = 0;
    api.batch = async (requests) => {
      const responses = await realBatch(requests);
      if (lost === 0 && requests.some((r) => r.method === 'POST')) { lost++; throw new GraphCallError('socket hang up', null, 'ECONNRESET', null); }
      return responses;
    };
    const time = new FakeTime('2026-11-24T10:00:00Z');
    const sharepoint = new SharePointModule({ cfg: config.sharepoint!, api, store, schedule: config.schedule, clock: time, timers: time, log, formatMoment: (d) => d.toISOString(), random: () => 0.5, instances: { self: 'sync-test', alive: () => [] } });
    try {
      await store.questions.insert(questionFromInput(
        { id: 'burgerprofiel-koppeling', text: 'Tonen jullie lopende aanvragen al in het burgerprofiel?', kind: 'open', theme: 'infrastructuur', comment: true, anonymous: false, targets: 'all' },
        config.schedule, { source: 'file', createdBy: null, queueOrder: 1 }), time.now());
      sharepoint.start();
      await drive(time, async () => lost === 1 && (await store.outbox.pendingCount()) === 0, 'the question to reach SharePoint after the lost answer');
      const rows = items(sp.graph, LIST_NAMES.questions).filter((i) => i.Sleutel === 'burgerprofiel-koppeling');
      assert.equal(rows.length, 1, 'one row, found again by key instead of created twice');
    } finally {
      await sharepoint.stop();
      await store.close();
      await sp.close();
    }
  });
});

describeOnEachStore('privacy: the retention period', () => {
  it('removes answers and comments older than RETENTION_MONTHS, locally and in SharePoint', async function () {
    this.timeout(60_000);
    const time = new FakeTime('2026-01-06T10:00:00Z');
    const connector = await FakeConnector.start();
    const sp = await startSharePoint();
    const dir = tempDir();
    const bot = await startTestBot({ dataDir: dir, clock: time, timers: time, random: () => 0.5, env: { ...sp.env, RETENTION_MONTHS: '6', QUESTIONS_FILE: writeQuestions(dir, [{ ...QUESTION, week: '2026-W02' }]) } });
    try {
      await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
      await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
      const thread = connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes(QUESTION.text))!.conversationId;
      await bot.send(cardAction(connector.url, TEAMS.gent, thread, PEOPLE.jan, answerValue(QUESTION.id, { choice: '1', comment: 'Al sinds vorig jaar.' })));
      await bot.send(threadReply(connector.url, TEAMS.gent, thread, PEOPLE.sofie, 'Een oude reactie.', '1795400000001'));
      const resultsReply = () => connector.threads(TEAMS.gent.id).find((t) => t.conversationId === thread)!.replies
        .map((a) => cardText(a.attachments)).filter((t) => t.startsWith('Resultaten van de vraag van de week'));
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the first sync');
      assert.equal(items(sp.graph, LIST_NAMES.answers).length, 1);
      await drive(time, () => time.now() >= new Date('2026-07-05T10:00:00Z'), 'a day short of six months', 24 * 3_600_000);
      assert.equal((await bot.app.store.answers.forQuestion(QUESTION.id)).length, 1, 'kept before six months');
      assert.match(resultsReply()[0]!, /Jan Claes\nAl sinds vorig jaar\./, 'the closed question\'s results show the explanation');
      await drive(time, async () => time.now() >= new Date('2026-07-07T10:00:00Z') && (await bot.app.store.answers.forQuestion(QUESTION.id)).length === 0
        && (await bot.app.store.outbox.pendingCount()) === 0, 'past six months: removed here and the removal synced', 3_600_000);
      assert.equal((await bot.app.store.answers.forQuestion(QUESTION.id)).length, 0);
      assert.equal((await bot.app.store.comments.forQuestion(QUESTION.id, { includeDeleted: true })).length, 0);
      assert.equal(items(sp.graph, LIST_NAMES.answers).length, 0, 'gone from SharePoint too');
      assert.equal(items(sp.graph, LIST_NAMES.comments).length, 0);
      await drive(time, () => !/Al sinds vorig jaar/.test(resultsReply()[0]!), 'the results reply updated', 60_000);
      assert.equal(resultsReply().length, 1, 'updated in place');
      assert.doesNotMatch(resultsReply()[0]!, /Jan Claes/);
      assert.match(resultsReply()[0]!, /Er zijn geen antwoorden \(meer\) bij deze vraag\./);
      assert.doesNotMatch(cardText(connector.threads(TEAMS.gent.id).find((t) => t.conversationId === thread)!.root!.attachments), /Al sinds vorig jaar|Jan Claes/, 'the closed poll too');
    } finally {
      await bot.close();
      await sp.close();
      await connector.close();
    }
  });
});

describeOnEachStore('privacy: anonymous questions', () => {
  it('keeps only a salted hash (one answer per member, changeable), no names in SharePoint, and forgets the salt at close', async function () {
    this.timeout(60_000);
    const time = new FakeTime('2026-11-24T10:00:00Z');
    const connector = await FakeConnector.start();
    const sp = await startSharePoint();
    const dir = tempDir();
    const anonymous = { ...QUESTION, id: 'werkdruk-ict-dienst', text: 'Hoe zwaar weegt de werkdruk in jullie ICT-dienst op dit moment?', anonymous: true };
    const bot = await startTestBot({ dataDir: dir, clock: time, timers: time, random: () => 0.5, env: { ...sp.env, QUESTIONS_FILE: writeQuestions(dir, [anonymous]) } });
    try {
      await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
      await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'publiceer');
      const root = connector.threads(TEAMS.gent.id).find((t) => cardText(t.root?.attachments).includes(anonymous.text))!;
      assert.match(cardText(root.root!.attachments), /Anonieme vraag: je naam wordt niet bewaard/);
      const send = (who: Person, data: Record<string, unknown>, verb = 'kk.answer') =>
        bot.send(cardAction(connector.url, TEAMS.gent, root.conversationId, who, answerValue(anonymous.id, data, verb)));
      await send(PEOPLE.jan, { choice: '1' });
      const changed = await send(PEOPLE.jan, { choice: '3' });
      assert.match(cardText(changed.body.value), /Je antwoord is genoteerd[\s\S]*Een paar/);
      const edit = await send(PEOPLE.jan, {}, 'kk.edit');
      assert.ok(JSON.stringify(edit.body.value).includes('"value":"3"'), 'the member still sees their own answer');
      await send(PEOPLE.sofie, { choice: '2' });

      const stored = await bot.app.store.answers.forQuestion(anonymous.id);
      assert.equal(stored.length, 2, 'one answer per member');
      for (const a of stored) {
        assert.match(a.member.key, /^anon:/);
        assert.equal(a.member.name, '');
        assert.equal(a.member.aadObjectId, null);
      }
      await drive(time, async () => (await bot.app.store.outbox.pendingCount()) === 0, 'the sync');
      const inSharePoint = JSON.stringify(items(sp.graph, LIST_NAMES.answers));
      for (const p of [PEOPLE.jan, PEOPLE.sofie]) {
        assert.ok(!inSharePoint.includes(p.name) && !inSharePoint.includes(p.aadObjectId) && !inSharePoint.includes(p.id), `nothing of ${p.name} reaches SharePoint`);
      }
      assert.deepEqual(items(sp.graph, LIST_NAMES.answers).map((i) => i.Keuzes).sort(), ['2', '3']);

      await confirmed((a) => bot.send(a), connector, TEAMS.gent, PEOPLE.an, 'sluit', { conversationId: root.conversationId });
      assert.deepEqual(await bot.app.store.questions.salts(), [], 'after closing, no answer can be linked to a person');
    } finally {
      await bot.close();
      await sp.close();
      await connector.close();
    }
  });
});

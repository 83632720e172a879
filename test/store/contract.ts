/**
 * The store's contract: what every implementation of the port (bot/src/store/port.ts) must do,
 * exercised through the interface only. SQLite runs it today (sqlite.contract.test.ts); the
 * PostgreSQL store must pass the same suite unchanged.
 *
 * Each `it` gets a fresh, empty store from `open()`. `reopen()` closes the current store and opens
 * the same data again (the returned store replaces the old one); `cleanup()` closes whatever is
 * open and must tolerate a store the test closed itself.
 */
import assert from 'node:assert/strict';
import type { Store } from '../../bot/src/store/port';
import type { RkkRegistration } from '../../bot/src/store/rkks';
import type { DeliveryKey } from '../../bot/src/store/deliveries';
import type { Comment } from '../../bot/src/store/comments';
import { entityKey } from '../../bot/src/store/outbox';
import type { Question } from '../../bot/src/domain/question';
import type { AnswerValue, Member } from '../../bot/src/domain/answer';
import type { Moment } from '../../bot/src/domain/moment';
import type { Ask } from '../../bot/src/domain/ask';
import type { Proposal } from '../../bot/src/domain/proposal';
import { BOT, PEOPLE, TEAMS, TENANT, type Person, type Team } from '../support/teams';

export interface StoreHarness {
  store: Store;
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}

const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

/** Fixed moments around the weeks the questions below are placed in (Brussels 09:00 = 08:00Z in winter). */
const at = (iso: string): Date => new Date(iso);
const WEEK = {
  '2026-W48': { publishAt: at('2026-11-23T08:00:00.000Z'), closesAt: at('2026-11-30T07:59:00.000Z') },
  '2026-W49': { publishAt: at('2026-11-30T08:00:00.000Z'), closesAt: at('2026-12-07T07:59:00.000Z') },
  '2026-W50': { publishAt: at('2026-12-07T08:00:00.000Z'), closesAt: at('2026-12-14T07:59:00.000Z') },
} as const;
type Week = keyof typeof WEEK;
const T0 = at('2026-11-16T10:00:00.000Z');
const minutes = (n: number, from = T0): Date => new Date(from.getTime() + n * 60_000);

/** Claims a delivery as the poster does, for one instance at a moment after it came due; the claim holds a day (tests look well past the moment). */
function claimAt(store: Store, k: DeliveryKey, at: Date, owner = 'instance-a', holdMs = 86_400_000): Promise<boolean> {
  return store.deliveries.claim(k, { owner, until: new Date(at.getTime() + holdMs) }, at);
}

/** Text that must come back byte for byte: accents, emoji, markdown, template syntax, SQL-looking bits. */
const TRICKY = 'Één café in Sint-Niklaas: ‘coördinatie’ — naïef? 👍🏽🇧🇪 **vet** _schuin_ [VVSG](https://www.vvsg.be) `code` ${process.env.SECRET} \'; DROP TABLE answers; -- \\n "quotes" <b>html</b>\nnieuwe regel\ttab';
const LONG_COMMENT = ('Onze gemeente werkt samen met het OCMW aan één digitaal loket; het e-loket wordt volgend jaar uitgebreid. 🚀 ').repeat(40).slice(0, 2000);

function question(over: Partial<Question> & { id: string }): Question {
  return {
    text: 'Hoe ver staat jullie bestuur met de MAGDA-documentendienst om documenten digitaal bij inwoners te bezorgen?',
    kind: 'single',
    options: [
      { id: '1', label: 'We gebruiken de documentendienst al in de praktijk' },
      { id: '2', label: 'De aansluiting is aangevraagd of loopt' },
      { id: '3', label: 'Het staat op de planning, maar we zijn nog niet gestart' },
      { id: '4', label: 'Nog niet aan gedacht' },
      { id: '5', label: 'Weet ik niet' },
    ],
    scaleLabels: null,
    allowComment: true,
    anonymous: false,
    theme: 'data',
    targets: 'all',
    week: null,
    queueOrder: 1,
    publishAt: null,
    closesAt: null,
    closedAt: null,
    source: 'file',
    createdBy: null,
    translations: {},
    ...over,
  };
}

const magda = (over: Partial<Question> = {}): Question => question({ id: 'magda-documentendienst', ...over });
const teamsAdoptie = (over: Partial<Question> = {}): Question => question({
  id: 'teams-sharepoint-adoptie',
  text: "Hoe vlot werken de collega's buiten de IT-dienst vandaag samen in Teams en SharePoint?",
  kind: 'scale', options: [], theme: 'vaardigheden', queueOrder: 2,
  scaleLabels: { low: '‘Zeker geen SharePoint’: liefst mail en papier', high: 'Vlot: het is onze gewone manier van werken' },
  ...over,
});
const eInclusie = (over: Partial<Question> = {}): Question => question({
  id: 'e-inclusie-initiatieven',
  text: 'Welke initiatieven rond e-inclusie lopen er vandaag in jullie gemeente of OCMW?',
  kind: 'multiple', theme: 'e-inclusie', queueOrder: 3,
  options: [
    { id: '1', label: 'Een digipunt op een vaste, openbare plek (bib, sociaal huis …)' },
    { id: '2', label: 'Laagdrempelige workshops voor inwoners' },
    { id: '3', label: 'Hulp aan het loket bij digitale aanvragen' },
    { id: '4', label: 'Nog geen' },
  ],
  ...over,
});
const digitalOfficer = (over: Partial<Question> = {}): Question => question({
  id: 'digital-officer-managementteam',
  text: 'Heeft digitalisering een eigen stem in het managementteam van jullie bestuur?',
  theme: 'strategie', queueOrder: 4,
  options: [
    { id: '1', label: 'Ja, een digital officer of CIO zetelt er vast in' },
    { id: '2', label: 'De IT-verantwoordelijke schuift aan wanneer IT op de agenda staat' },
    { id: '3', label: 'Nee, digitalisering komt er niet structureel aan bod' },
  ],
  ...over,
});
const openVraag = (over: Partial<Question> = {}): Question => question({
  id: 'digitaal-project-aandacht',
  text: 'Welk digitaal project van jullie bestuur verdient meer aandacht in de regio?',
  kind: 'open', options: [], allowComment: false, theme: 'strategie', queueOrder: 5, source: 'command', createdBy: PEOPLE.an.aadObjectId,
  targets: [TEAMS.gent.name, TEAMS.kempen.id],
  ...over,
});
const anoniem = (over: Partial<Question> = {}): Question => question({
  id: 'tevredenheid-it-leverancier',
  text: 'Hoe tevreden ben je over de ondersteuning door jullie IT-leverancier?',
  kind: 'scale', options: [], anonymous: true, theme: 'infrastructuur', queueOrder: 6,
  scaleLabels: { low: 'Helemaal niet tevreden', high: 'Heel tevreden' },
  ...over,
});

/** A question as the scheduler places it in a week. */
const inWeek = (q: Question, week: Week): Question => ({ ...q, week, publishAt: WEEK[week].publishAt, closesAt: WEEK[week].closesAt });

function registration(team: Team, over: Partial<RkkRegistration> = {}): RkkRegistration {
  return {
    teamId: team.id, name: team.name, aadGroupId: team.aadGroupId, channelId: team.id, tenantId: TENANT, serviceUrl: SERVICE_URL,
    conversationRef: { channelId: 'msteams', serviceUrl: SERVICE_URL, bot: BOT, conversation: { id: team.id, isGroup: true, conversationType: 'channel', tenantId: TENANT } },
    ...over,
  };
}

const member = (p: Person): Member => ({ key: p.aadObjectId, aadObjectId: p.aadObjectId, teamsUserId: p.id, name: p.name });
/** The member an anonymous question keeps: a salted hash, nothing else. */
const anonMember = (hash: string): Member => ({ key: `anon:${hash}`, aadObjectId: null, teamsUserId: '', name: '' });
const choice = (...choices: string[]): AnswerValue => ({ choices, text: null, comment: null });
const withComment = (comment: string, ...choices: string[]): AnswerValue => ({ choices, text: null, comment });

const personalRef = (p: Person) => ({
  channelId: 'msteams', serviceUrl: SERVICE_URL, bot: BOT, user: { id: p.id, aadObjectId: p.aadObjectId },
  conversation: { id: `a:1${p.id.slice(4)}Xq9`, conversationType: 'personal', tenantId: TENANT },
});

const thread = (team: Team, root: string): string => `${team.id};messageid=${root}`;
const ROOT_GENT = '1795000000000';
const ROOT_KEMPEN = '1795000000100';

function reply(over: Partial<Omit<Comment, 'editedAt' | 'deletedAt'>> & { messageId: string }): Omit<Comment, 'editedAt' | 'deletedAt'> {
  return {
    conversationId: thread(TEAMS.gent, ROOT_GENT), questionId: 'magda-documentendienst', rkkId: TEAMS.gent.id,
    authorKey: PEOPLE.jan.aadObjectId, authorName: PEOPLE.jan.name, text: 'Wij zijn aangesloten sinds september.', createdAt: minutes(10),
    ...over,
  };
}

const post = (questionId: string, team: Team): DeliveryKey => ({ kind: 'question', questionId, rkkId: team.id });
const results = (questionId: string, team: Team): DeliveryKey => ({ kind: 'results', questionId, rkkId: team.id });
const keysOf = (ds: { kind: string; questionId: string; rkkId: string }[]): string[] => ds.map((d) => `${d.kind} ${d.questionId} ${d.rkkId}`).sort();
const keyOf = (k: DeliveryKey): string => `${k.kind} ${k.questionId} ${k.rkkId}`;
const ids = (qs: Question[]): string[] => qs.map((q) => q.id);
const perOption = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));

export function storeContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`store contract: ${name}`, function () {
    let h: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      h = await open();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    const reopen = async (): Promise<Store> => (store = await h.reopen());

    /** The RKKs, and a question posted to Gent's channel (the usual ground for answers and replies). */
    async function postedMagda(): Promise<Question> {
      await store.rkks.register(registration(TEAMS.gent), T0);
      await store.rkks.register(registration(TEAMS.kempen), T0);
      const q = inWeek(magda(), '2026-W49');
      await store.questions.insert(q, T0);
      await store.deliveries.ensure(post(q.id, TEAMS.gent), WEEK['2026-W49'].publishAt);
      await claimAt(store, post(q.id, TEAMS.gent), WEEK['2026-W49'].publishAt);
      await store.deliveries.markSent(post(q.id, TEAMS.gent), thread(TEAMS.gent, ROOT_GENT), ROOT_GENT, WEEK['2026-W49'].publishAt);
      return q;
    }

    describe('RKKs', () => {
      it('makes one team at a time the overarching one (RKK Overkoepelend), and an ordinary RKK again', async () => {
        for (const team of [TEAMS.gent, TEAMS.kempen]) await store.rkks.register(registration(team), T0);
        assert.equal(await store.rkks.setOverarching(TEAMS.gent.id, true, minutes(1)), true);
        assert.equal(await store.rkks.setOverarching(TEAMS.gent.id, true, minutes(2)), false, 'already');
        assert.equal(await store.rkks.setOverarching(TEAMS.kempen.id, true, minutes(3)), true);
        assert.deepEqual((await store.rkks.list()).map((r) => [r.name, r.overarching]), [['RKK Gent-Eeklo', false], ['RKK Kempen', true]], 'the other lost it');
        assert.equal(await store.rkks.setOverarching(TEAMS.gent.id, false, minutes(4)), false, 'Gent was not');
        assert.equal(await store.rkks.setOverarching(TEAMS.kempen.id, false, minutes(5)), true);
        assert.equal((await reopen()).rkks !== undefined, true);
        assert.deepEqual((await store.rkks.list()).map((r) => r.overarching), [false, false]);
      });

      it('registers a team as an active RKK keyed by its team id', async () => {
        const rkk = await store.rkks.register(registration(TEAMS.gent), T0);
        assert.deepEqual(rkk, {
          id: TEAMS.gent.id, name: 'RKK Gent-Eeklo', teamId: TEAMS.gent.id, aadGroupId: TEAMS.gent.aadGroupId, channelId: TEAMS.gent.id,
          tenantId: TENANT, serviceUrl: SERVICE_URL, conversationRef: registration(TEAMS.gent).conversationRef, active: true, greeting: null, lang: 'nl', overarching: false,
          registeredAt: T0, deactivatedAt: null,
        });
        assert.deepEqual(await store.rkks.get(TEAMS.gent.id), rkk);
        assert.equal(await store.rkks.get(TEAMS.kempen.id), null);
      });

      it('refreshes channel, service url and reference on a re-install but keeps the name and the first registration moment', async () => {
        await store.rkks.register(registration(TEAMS.gent), T0);
        const channel = '19:c0ffee5e1ec7ed4c4a77e1@thread.tacv2';
        const ref = { ...registration(TEAMS.gent).conversationRef, conversation: { id: channel, isGroup: true, conversationType: 'channel', tenantId: TENANT } };
        const again = await store.rkks.register(registration(TEAMS.gent, {
          name: 'Gent-Eeklo (nieuw)', channelId: channel, serviceUrl: 'https://smba.trafficmanager.net/emea-2/', conversationRef: ref,
        }), minutes(60));
        assert.equal(again.name, 'RKK Gent-Eeklo');
        assert.equal(again.channelId, channel);
        assert.equal(again.serviceUrl, 'https://smba.trafficmanager.net/emea-2/');
        assert.deepEqual(again.conversationRef, ref);
        assert.deepEqual(again.registeredAt, T0);
        assert.equal((await store.rkks.list()).length, 1);
      });

      it('finds an RKK by its Teams team id or by its Entra group id', async () => {
        await store.rkks.register(registration(TEAMS.gent), T0);
        await store.rkks.register(registration(TEAMS.kempen), T0);
        assert.equal((await store.rkks.byTeam(TEAMS.kempen.id))?.id, TEAMS.kempen.id);
        assert.equal((await store.rkks.byTeam(TEAMS.kempen.aadGroupId))?.id, TEAMS.kempen.id);
        assert.equal(await store.rkks.byTeam(TEAMS.westhoek.aadGroupId), null);
      });

      it('lists RKKs by name, and only active ones when asked', async () => {
        for (const team of [TEAMS.westhoek, TEAMS.gent, TEAMS.kempen]) await store.rkks.register(registration(team), T0);
        assert.equal(await store.rkks.deactivate(TEAMS.kempen.id, minutes(5)), true);
        assert.deepEqual((await store.rkks.list()).map((r) => r.name), ['RKK Gent-Eeklo', 'RKK Kempen', 'RKK Westhoek']);
        assert.deepEqual((await store.rkks.list({ activeOnly: true })).map((r) => r.name), ['RKK Gent-Eeklo', 'RKK Westhoek']);
      });

      it('renames an RKK, and reports an unknown one', async () => {
        await store.rkks.register(registration(TEAMS.gent), T0);
        assert.equal(await store.rkks.rename(TEAMS.gent.id, 'RKK Meetjesland', minutes(1)), true);
        assert.equal((await store.rkks.get(TEAMS.gent.id))?.name, 'RKK Meetjesland');
        assert.equal(await store.rkks.rename(TEAMS.westhoek.id, 'RKK Westkust', minutes(1)), false);
      });

      it('speaks Dutch until its language is set, keeps the language over a re-install, and reports no change', async () => {
        await store.rkks.register(registration(TEAMS.gent), T0);
        assert.equal((await store.rkks.get(TEAMS.gent.id))?.lang, 'nl');
        assert.equal(await store.rkks.setLang(TEAMS.gent.id, 'en', minutes(1)), true);
        assert.equal(await store.rkks.setLang(TEAMS.gent.id, 'en', minutes(2)), false, 'already English');
        await store.rkks.register(registration(TEAMS.gent), minutes(3));
        assert.equal((await store.rkks.get(TEAMS.gent.id))?.lang, 'en');
        assert.equal(await store.rkks.setLang(TEAMS.westhoek.id, 'en', minutes(4)), false, 'an unknown RKK');
      });

      it('deactivates an RKK once, and a re-install makes it active again', async () => {
        await store.rkks.register(registration(TEAMS.gent), T0);
        assert.equal(await store.rkks.deactivate(TEAMS.gent.id, minutes(5)), true);
        assert.equal(await store.rkks.deactivate(TEAMS.gent.id, minutes(6)), false);
        const gone = await store.rkks.get(TEAMS.gent.id);
        assert.equal(gone?.active, false);
        assert.deepEqual(gone?.deactivatedAt, minutes(5));
        const back = await store.rkks.register(registration(TEAMS.gent), minutes(60));
        assert.equal(back.active, true);
        assert.equal(back.deactivatedAt, null);
      });

      it('gives the greeting to the first claim only, again after it is released, and never once it was sent', async () => {
        await store.rkks.register(registration(TEAMS.gent), T0);
        assert.equal(await store.rkks.claimGreeting(TEAMS.gent.id), true);
        assert.equal(await store.rkks.claimGreeting(TEAMS.gent.id), false);
        assert.equal((await store.rkks.get(TEAMS.gent.id))?.greeting, 'sending');
        await store.rkks.releaseGreeting(TEAMS.gent.id);
        assert.equal((await store.rkks.get(TEAMS.gent.id))?.greeting, null);
        assert.equal(await store.rkks.claimGreeting(TEAMS.gent.id), true);
        await store.rkks.markGreeted(TEAMS.gent.id);
        await store.rkks.releaseGreeting(TEAMS.gent.id);
        assert.equal((await store.rkks.get(TEAMS.gent.id))?.greeting, 'sent');
        assert.equal(await store.rkks.claimGreeting(TEAMS.gent.id), false);
        await store.rkks.register(registration(TEAMS.gent), minutes(60));
        assert.equal(await store.rkks.claimGreeting(TEAMS.gent.id), false, 'a re-install does not greet again');
      });

      it('keeps moderators per RKK, in the order they were added', async () => {
        await store.rkks.register(registration(TEAMS.gent), T0);
        await store.rkks.register(registration(TEAMS.kempen), T0);
        const by = PEOPLE.an.aadObjectId;
        assert.equal(await store.rkks.addModerator(TEAMS.gent.id, PEOPLE.sofie.aadObjectId, by, minutes(1)), true);
        assert.equal(await store.rkks.addModerator(TEAMS.gent.id, PEOPLE.jan.aadObjectId, by, minutes(2)), true);
        assert.equal(await store.rkks.addModerator(TEAMS.gent.id, PEOPLE.sofie.aadObjectId, by, minutes(3)), false);
        assert.deepEqual(await store.rkks.moderators(TEAMS.gent.id), [PEOPLE.sofie.aadObjectId, PEOPLE.jan.aadObjectId]);
        assert.equal(await store.rkks.isModerator(TEAMS.gent.id, PEOPLE.jan.aadObjectId), true);
        assert.equal(await store.rkks.isModerator(TEAMS.kempen.id, PEOPLE.jan.aadObjectId), false);
        assert.deepEqual(await store.rkks.moderators(TEAMS.kempen.id), []);
      });

      it('removes a moderator once', async () => {
        await store.rkks.register(registration(TEAMS.gent), T0);
        await store.rkks.addModerator(TEAMS.gent.id, PEOPLE.sofie.aadObjectId, PEOPLE.an.aadObjectId, minutes(1));
        assert.equal(await store.rkks.removeModerator(TEAMS.gent.id, PEOPLE.sofie.aadObjectId), true);
        assert.equal(await store.rkks.removeModerator(TEAMS.gent.id, PEOPLE.sofie.aadObjectId), false);
        assert.equal(await store.rkks.isModerator(TEAMS.gent.id, PEOPLE.sofie.aadObjectId), false);
        assert.deepEqual(await store.rkks.moderators(TEAMS.gent.id), []);
      });

      it('saves a personal chat (true the first time only), knows it, and forgets it once', async () => {
        const key = PEOPLE.lotte.aadObjectId;
        assert.equal(await store.rkks.hasPersonalChat(key), false);
        assert.equal(await store.rkks.savePersonalChat(key, personalRef(PEOPLE.lotte), T0), true);
        assert.equal(await store.rkks.savePersonalChat(key, { ...personalRef(PEOPLE.lotte), serviceUrl: 'https://smba.trafficmanager.net/emea-2/' }, minutes(1)), false);
        assert.equal(await store.rkks.hasPersonalChat(key), true);
        assert.equal(await store.rkks.hasPersonalChat(PEOPLE.jan.aadObjectId), false);
        assert.equal(await store.rkks.forgetPersonalChat(key), true);
        assert.equal(await store.rkks.forgetPersonalChat(key), false);
        assert.equal(await store.rkks.hasPersonalChat(key), false);
      });
    });

    describe('questions', () => {
      it('inserts a question and gives it back field for field', async () => {
        const q = inWeek(openVraag(), '2026-W49');
        assert.equal(await store.questions.insert(q, T0), true);
        assert.deepEqual(await store.questions.get(q.id), q);
        const scale = teamsAdoptie();
        await store.questions.insert(scale, T0);
        assert.deepEqual(await store.questions.get(scale.id), scale);
        assert.equal(await store.questions.get('bestaat-niet'), null);
        // A question that arrives closed (copied from another store) stays closed.
        const closed = inWeek(eInclusie({ closedAt: minutes(5) }), '2026-W48');
        await store.questions.insert(closed, T0);
        assert.deepEqual(await store.questions.get(closed.id), closed);
        // Its English text comes back too, byte for byte.
        const english = magda({ translations: { en: { text: `How far along is your council? ${TRICKY}`, options: ['Already', 'Applied', 'Not yet'], scaleLabels: null } } });
        await store.questions.insert(english, T0);
        assert.deepEqual(await store.questions.get(english.id), english);
      });

      it('refuses a second insert with the same id and keeps the first', async () => {
        await store.questions.insert(magda(), T0);
        assert.equal(await store.questions.insert(magda({ text: 'Een andere tekst' }), minutes(1)), false);
        assert.equal((await store.questions.get('magda-documentendienst'))?.text, magda().text);
      });

      it('creates a question from the file, then reports it unchanged', async () => {
        assert.equal(await store.questions.upsertFromFile(magda(), T0), 'created');
        assert.equal(await store.questions.upsertFromFile(magda(), minutes(1)), 'unchanged');
        assert.deepEqual(await store.questions.get('magda-documentendienst'), magda());
      });

      it('updates an unposted question from the file, even while its post is still pending', async () => {
        await postedMagda();
        await store.questions.insert(digitalOfficer(), T0);
        await store.deliveries.ensure(post(digitalOfficer().id, TEAMS.gent), T0);
        const edited = digitalOfficer({ text: 'Heeft digitalisering vandaag een eigen stem in jullie managementteam?', queueOrder: 9 });
        assert.equal(await store.questions.upsertFromFile(edited, minutes(1)), 'updated');
        assert.deepEqual(await store.questions.get(edited.id), edited);
      });

      it('keeps the week the scheduler gave a queued question when the file edits it', async () => {
        await store.questions.upsertFromFile(eInclusie(), T0);
        await store.questions.place(eInclusie().id, '2026-W50', WEEK['2026-W50'].publishAt, WEEK['2026-W50'].closesAt, minutes(1));
        assert.equal(await store.questions.upsertFromFile(eInclusie(), minutes(2)), 'unchanged', 'a file question without a week matches its placed self');
        assert.equal(await store.questions.upsertFromFile(eInclusie({ text: 'Welke e-inclusie-initiatieven lopen er bij jullie?' }), minutes(3)), 'updated');
        const q = await store.questions.get(eInclusie().id);
        assert.equal(q?.text, 'Welke e-inclusie-initiatieven lopen er bij jullie?');
        assert.equal(q?.week, '2026-W50');
        assert.deepEqual(q?.publishAt, WEEK['2026-W50'].publishAt);
        assert.deepEqual(q?.closesAt, WEEK['2026-W50'].closesAt);
      });

      it('locks a question once it was posted to an RKK: a file edit is reported, not applied', async () => {
        const q = await postedMagda();
        assert.equal(await store.questions.upsertFromFile({ ...q, text: 'Gebruiken jullie de MAGDA-documentendienst?' }, minutes(1)), 'locked');
        assert.equal((await store.questions.get(q.id))?.text, q.text);
        assert.equal(await store.questions.upsertFromFile(q, minutes(2)), 'unchanged');
      });

      it('locks a closed question against file edits', async () => {
        await store.questions.insert(magda(), T0);
        await store.questions.close(magda().id, minutes(1));
        assert.equal(await store.questions.upsertFromFile(magda({ queueOrder: 7 }), minutes(2)), 'locked');
        assert.equal((await store.questions.get(magda().id))?.queueOrder, 1);
      });

      it('lists placed, open questions publishing at or before a moment, earliest first', async () => {
        await store.questions.insert(inWeek(digitalOfficer(), '2026-W50'), T0);
        await store.questions.insert(inWeek(magda(), '2026-W49'), T0);
        await store.questions.insert(inWeek(eInclusie(), '2026-W48'), T0);
        await store.questions.insert(inWeek(openVraag(), '2026-W48'), T0);
        await store.questions.insert(teamsAdoptie(), T0);
        await store.questions.close(openVraag().id, WEEK['2026-W48'].closesAt);
        assert.deepEqual(ids(await store.questions.placedUntil(WEEK['2026-W49'].publishAt)), [eInclusie().id, magda().id]);
        assert.deepEqual(ids(await store.questions.placedUntil(minutes(-1, WEEK['2026-W49'].publishAt))), [eInclusie().id]);
      });

      it('lists the questions of one week, closed ones included', async () => {
        await store.questions.insert(inWeek(magda(), '2026-W49'), T0);
        await store.questions.insert(inWeek(digitalOfficer(), '2026-W49'), T0);
        await store.questions.insert(inWeek(eInclusie(), '2026-W50'), T0);
        await store.questions.close(digitalOfficer().id, minutes(1));
        assert.deepEqual(ids(await store.questions.inWeek('2026-W49')).sort(), [digitalOfficer().id, magda().id]);
        assert.deepEqual(await store.questions.inWeek('2026-W51'), []);
      });

      it('queues unplaced, open questions in file order, then by arrival', async () => {
        assert.equal(await store.questions.nextQueued(), null);
        await store.questions.insert(eInclusie({ queueOrder: 3 }), T0);
        await store.questions.insert(openVraag({ queueOrder: 4 }), minutes(2));
        await store.questions.insert(anoniem({ queueOrder: 4 }), minutes(1));
        await store.questions.insert(teamsAdoptie({ queueOrder: 2 }), T0);
        await store.questions.insert(inWeek(magda({ queueOrder: 1 }), '2026-W49'), T0);
        await store.questions.insert(digitalOfficer({ queueOrder: 0 }), T0);
        await store.questions.close(digitalOfficer().id, minutes(3));
        assert.deepEqual(ids(await store.questions.queued()), [teamsAdoptie().id, eInclusie().id, anoniem().id, openVraag().id]);
        assert.equal((await store.questions.nextQueued())?.id, teamsAdoptie().id);
      });

      it('lists questions scheduled after a moment, soonest first, without closed ones', async () => {
        await store.questions.insert(inWeek(digitalOfficer(), '2026-W50'), T0);
        await store.questions.insert(inWeek(magda(), '2026-W49'), T0);
        await store.questions.insert(inWeek(eInclusie(), '2026-W48'), T0);
        await store.questions.insert(inWeek(openVraag(), '2026-W50'), T0);
        await store.questions.insert(teamsAdoptie(), T0);
        await store.questions.close(openVraag().id, minutes(1));
        assert.deepEqual(ids(await store.questions.scheduledAfter(WEEK['2026-W48'].publishAt)), [magda().id, digitalOfficer().id]);
        assert.deepEqual(await store.questions.scheduledAfter(WEEK['2026-W50'].publishAt), []);
      });

      it('lists published questions newest first, closed ones included, up to a limit', async () => {
        await store.questions.insert(inWeek(eInclusie(), '2026-W48'), T0);
        await store.questions.insert(inWeek(magda(), '2026-W49'), T0);
        await store.questions.insert(inWeek(digitalOfficer(), '2026-W50'), T0);
        await store.questions.insert(teamsAdoptie(), T0);
        await store.questions.close(eInclusie().id, WEEK['2026-W48'].closesAt);
        const now = minutes(60, WEEK['2026-W49'].publishAt);
        assert.deepEqual(ids(await store.questions.published(now)), [magda().id, eInclusie().id]);
        assert.deepEqual(ids(await store.questions.published(now, 1)), [magda().id]);
      });

      it('places a queued question in a week, keeping a closing moment it already had', async () => {
        await store.questions.insert(magda(), T0);
        const fixedClose = at('2026-12-04T16:00:00.000Z');
        await store.questions.insert(eInclusie({ closesAt: fixedClose }), T0);
        const { publishAt, closesAt } = WEEK['2026-W49'];
        assert.equal(await store.questions.place(magda().id, '2026-W49', publishAt, closesAt, minutes(1)), true);
        assert.equal(await store.questions.place(eInclusie().id, '2026-W49', publishAt, closesAt, minutes(1)), true);
        assert.deepEqual(await store.questions.get(magda().id), inWeek(magda(), '2026-W49'));
        assert.deepEqual((await store.questions.get(eInclusie().id))?.closesAt, fixedClose);
        assert.deepEqual(await store.questions.queued(), []);
      });

      it('does not place a closed or unknown question', async () => {
        await store.questions.insert(magda(), T0);
        await store.questions.close(magda().id, minutes(1));
        const { publishAt, closesAt } = WEEK['2026-W49'];
        assert.equal(await store.questions.place(magda().id, '2026-W49', publishAt, closesAt, minutes(2)), false);
        assert.equal((await store.questions.get(magda().id))?.week, null);
        assert.equal(await store.questions.place('bestaat-niet', '2026-W49', publishAt, closesAt, minutes(2)), false);
      });

      it('moves the publish moment earlier on "post now", never later', async () => {
        await store.questions.insert(inWeek(magda(), '2026-W50'), T0);
        const now = at('2026-12-02T13:30:00.000Z');
        await store.questions.publishNow(magda().id, now);
        assert.deepEqual((await store.questions.get(magda().id))?.publishAt, now);
        await store.questions.publishNow(magda().id, at('2026-12-03T09:00:00.000Z'));
        assert.deepEqual((await store.questions.get(magda().id))?.publishAt, now);
      });

      it('closes a question once', async () => {
        await store.questions.insert(inWeek(magda(), '2026-W49'), T0);
        const when = WEEK['2026-W49'].closesAt;
        assert.equal(await store.questions.close(magda().id, when), true);
        assert.equal(await store.questions.close(magda().id, minutes(5, when)), false);
        assert.deepEqual((await store.questions.get(magda().id))?.closedAt, when);
        assert.equal(await store.questions.close('bestaat-niet', when), false);
      });

      it('lists questions past their closing moment that are not closed yet', async () => {
        await store.questions.insert(inWeek(eInclusie(), '2026-W48'), T0);
        await store.questions.insert(inWeek(openVraag(), '2026-W48'), T0);
        await store.questions.insert(inWeek(magda(), '2026-W49'), T0);
        await store.questions.insert(teamsAdoptie(), T0);
        await store.questions.close(openVraag().id, WEEK['2026-W48'].closesAt);
        assert.deepEqual(ids(await store.questions.dueToClose(minutes(-1, WEEK['2026-W48'].closesAt))), []);
        assert.deepEqual(ids(await store.questions.dueToClose(WEEK['2026-W48'].closesAt)), [eInclusie().id]);
        assert.deepEqual(ids(await store.questions.dueToClose(WEEK['2026-W49'].closesAt)).sort(), [eInclusie().id, magda().id]);
      });

      it('makes one salt per anonymous question, stable until the question closes', async () => {
        await store.questions.insert(inWeek(anoniem(), '2026-W49'), T0);
        await store.questions.insert(inWeek(anoniem({ id: 'tevredenheid-telefonie' }), '2026-W49'), T0);
        assert.deepEqual(await store.questions.salts(), []);
        const salt = await store.questions.salt(anoniem().id);
        assert.ok(salt.length >= 16, `a salt worth the name, got ${JSON.stringify(salt)}`);
        assert.equal(await store.questions.salt(anoniem().id), salt);
        const other = await store.questions.salt('tevredenheid-telefonie');
        assert.notEqual(other, salt);
        assert.deepEqual((await store.questions.salts()).sort((a, b) => a.questionId.localeCompare(b.questionId)),
          [{ questionId: 'tevredenheid-it-leverancier', salt }, { questionId: 'tevredenheid-telefonie', salt: other }]);
        await store.questions.close(anoniem().id, WEEK['2026-W49'].closesAt);
        assert.deepEqual(await store.questions.salts(), [{ questionId: 'tevredenheid-telefonie', salt: other }]);
        // Once closed, no new salt can link an answer to anyone again.
        await assert.rejects(store.questions.salt(anoniem().id), (err: Error & { code?: string }) => err.code === 'question_closed');
        await assert.rejects(store.questions.salt('bestaat-niet'), (err: Error & { code?: string }) => err.code === 'question_unknown');
        assert.deepEqual(await store.questions.salts(), [{ questionId: 'tevredenheid-telefonie', salt: other }]);
      });

      it('knows the highest queue order (0 when there are no questions)', async () => {
        assert.equal(await store.questions.maxQueueOrder(), 0);
        await store.questions.insert(magda({ queueOrder: 3 }), T0);
        await store.questions.insert(eInclusie({ queueOrder: 12 }), T0);
        await store.questions.insert(digitalOfficer({ queueOrder: 7 }), T0);
        assert.equal(await store.questions.maxQueueOrder(), 12);
      });
    });

    describe('deliveries', () => {
      beforeEach(async () => {
        for (const team of [TEAMS.gent, TEAMS.kempen, TEAMS.westhoek]) await store.rkks.register(registration(team), T0);
        await store.questions.insert(inWeek(magda(), '2026-W49'), T0);
      });
      const Q = 'magda-documentendienst';
      const SLOT = WEEK['2026-W49'].publishAt;

      it('records an owed message once, pending and untried', async () => {
        assert.equal(await store.deliveries.ensure(post(Q, TEAMS.gent), SLOT), true);
        assert.equal(await store.deliveries.ensure(post(Q, TEAMS.gent), minutes(5, SLOT)), false);
        assert.deepEqual(await store.deliveries.get(post(Q, TEAMS.gent)), {
          kind: 'question', questionId: Q, rkkId: TEAMS.gent.id, state: 'pending', attempts: 0, nextAttemptAt: SLOT, lastError: null,
          conversationId: null, messageId: null, shownCount: null, sentAt: null, claimedBy: null, claimExpiresAt: null, renewAfterSend: false,
        });
        assert.equal(await store.deliveries.get(post(Q, TEAMS.kempen)), null);
        assert.equal(await store.deliveries.get(results(Q, TEAMS.gent)), null, 'the results reply is a delivery of its own');
      });

      it('records a message owed from a later moment (the digest): not due before it', async () => {
        const digest: DeliveryKey = { kind: 'digest', questionId: Q, rkkId: TEAMS.gent.id };
        const later = minutes(24 * 60, SLOT);
        assert.equal(await store.deliveries.ensure(digest, SLOT, later), true);
        assert.equal(await store.deliveries.ensure(digest, minutes(5, SLOT)), false, 'once');
        assert.deepEqual((await store.deliveries.due(minutes(24 * 60 - 1, SLOT))).filter((d) => d.kind === 'digest'), []);
        assert.deepEqual((await store.deliveries.due(later)).filter((d) => d.kind === 'digest').map((d) => [d.rkkId, d.state]), [[TEAMS.gent.id, 'pending']]);
        assert.deepEqual(await store.deliveries.nextDueAt(), later);
        assert.deepEqual(await store.deliveries.forQuestion(Q, 'digest').then((ds) => ds.map((d) => d.nextAttemptAt)), [later]);
      });

      it('lists pending deliveries whose moment has come', async () => {
        await store.deliveries.ensure(post(Q, TEAMS.gent), SLOT);
        await store.deliveries.ensure(post(Q, TEAMS.kempen), minutes(30, SLOT));
        await store.deliveries.ensure(results(Q, TEAMS.westhoek), minutes(10, SLOT));
        assert.deepEqual(await store.deliveries.due(minutes(-1, SLOT)), []);
        assert.deepEqual(keysOf(await store.deliveries.due(minutes(10, SLOT))), [keyOf(post(Q, TEAMS.gent)), keyOf(results(Q, TEAMS.westhoek))].sort());
        assert.equal((await store.deliveries.due(minutes(30, SLOT))).length, 3);
      });

      it('lets one worker claim a pending delivery, and nobody while it is sending', async () => {
        await store.deliveries.ensure(post(Q, TEAMS.gent), SLOT);
        assert.equal(await claimAt(store, post(Q, TEAMS.gent), SLOT), true);
        assert.equal(await claimAt(store, post(Q, TEAMS.gent), SLOT), false);
        const d = await store.deliveries.get(post(Q, TEAMS.gent));
        assert.equal(d?.state, 'sending');
        assert.equal(d?.attempts, 1);
        assert.deepEqual(await store.deliveries.due(minutes(60, SLOT)), []);
        assert.equal(await claimAt(store, post(Q, TEAMS.kempen), SLOT), false, 'nothing to claim where nothing is owed');
      });

      it('marks a delivery sent with its thread and message ids, and it cannot be claimed again', async () => {
        const k = post(Q, TEAMS.gent);
        await store.deliveries.ensure(k, SLOT);
        await claimAt(store, k, SLOT);
        await store.deliveries.markSent(k, thread(TEAMS.gent, ROOT_GENT), ROOT_GENT, minutes(1, SLOT), 0);
        assert.deepEqual(await store.deliveries.get(k), {
          kind: 'question', questionId: Q, rkkId: TEAMS.gent.id, state: 'sent', attempts: 1, nextAttemptAt: SLOT, lastError: null,
          conversationId: thread(TEAMS.gent, ROOT_GENT), messageId: ROOT_GENT, shownCount: 0, sentAt: minutes(1, SLOT), claimedBy: null, claimExpiresAt: null, renewAfterSend: false,
        });
        assert.equal(await claimAt(store, k, minutes(2, SLOT)), false);
        assert.equal(await store.deliveries.ensure(k, minutes(2, SLOT)), false);
        assert.equal((await store.deliveries.get(k))?.state, 'sent');
        // A late retry or failure of a post that is in the channel never puts it back in line.
        await store.deliveries.retryLater(k, '503 Service Unavailable', minutes(3, SLOT));
        await store.deliveries.markFailed(k, '403 Forbidden', minutes(3, SLOT));
        assert.equal((await store.deliveries.get(k))?.state, 'sent');
        assert.deepEqual(await store.deliveries.due(minutes(60, SLOT)), []);
      });

      it('puts a delivery back for a later try with its error, and knows the earliest next try', async () => {
        const k = post(Q, TEAMS.gent);
        assert.equal(await store.deliveries.nextDueAt(), null);
        await store.deliveries.ensure(k, SLOT);
        await store.deliveries.ensure(post(Q, TEAMS.kempen), minutes(20, SLOT));
        await claimAt(store, k, SLOT);
        await store.deliveries.retryLater(k, '503 Service Unavailable', minutes(5, SLOT));
        const d = await store.deliveries.get(k);
        assert.equal(d?.state, 'pending');
        assert.equal(d?.lastError, '503 Service Unavailable');
        assert.deepEqual(d?.nextAttemptAt, minutes(5, SLOT));
        assert.deepEqual(await store.deliveries.nextDueAt(), minutes(5, SLOT));
        assert.deepEqual(await store.deliveries.due(minutes(4, SLOT)), []);
        assert.deepEqual(keysOf(await store.deliveries.due(minutes(5, SLOT))), [keyOf(k)]);
        assert.equal(await claimAt(store, k, minutes(5, SLOT)), true);
        assert.equal((await store.deliveries.get(k))?.attempts, 2);
        assert.deepEqual(await store.deliveries.nextDueAt(), minutes(20, SLOT), 'a delivery being sent waits for nothing');
      });

      it('keeps a failed delivery out of line until it is reopened', async () => {
        const k = post(Q, TEAMS.gent);
        await store.deliveries.ensure(k, SLOT);
        await claimAt(store, k, SLOT);
        assert.equal(await store.deliveries.reopen(k, minutes(1, SLOT)), false, 'only a failed delivery reopens');
        await store.deliveries.markFailed(k, '403 Forbidden: the bot was removed from the team', minutes(1, SLOT));
        const failed = await store.deliveries.get(k);
        assert.equal(failed?.state, 'failed');
        assert.equal(failed?.lastError, '403 Forbidden: the bot was removed from the team');
        assert.deepEqual(await store.deliveries.due(minutes(60, SLOT)), []);
        assert.equal(await store.deliveries.nextDueAt(), null);
        assert.equal(await store.deliveries.reopen(k, minutes(90, SLOT)), true);
        assert.equal(await store.deliveries.reopen(k, minutes(91, SLOT)), false);
        const back = await store.deliveries.get(k);
        assert.equal(back?.state, 'pending');
        assert.equal(back?.attempts, 0);
        assert.deepEqual(back?.nextAttemptAt, minutes(90, SLOT));
      });

      it('cuts a long error message to 1,000 characters', async () => {
        const k = post(Q, TEAMS.gent);
        await store.deliveries.ensure(k, SLOT);
        await claimAt(store, k, SLOT);
        await store.deliveries.retryLater(k, 'x'.repeat(5000), minutes(1, SLOT));
        assert.equal((await store.deliveries.get(k))?.lastError, 'x'.repeat(1000));
      });

      it('puts deliveries a crash left in sending back in line, and returns them', async () => {
        await store.deliveries.ensure(post(Q, TEAMS.gent), SLOT);
        await store.deliveries.ensure(post(Q, TEAMS.kempen), SLOT);
        await store.deliveries.ensure(results(Q, TEAMS.westhoek), SLOT);
        await claimAt(store, post(Q, TEAMS.gent), SLOT);
        await claimAt(store, results(Q, TEAMS.westhoek), SLOT);
        const restart = minutes(15, SLOT);
        const interrupted = await store.deliveries.recoverInterrupted(restart, []);
        assert.deepEqual(keysOf(interrupted), [keyOf(post(Q, TEAMS.gent)), keyOf(results(Q, TEAMS.westhoek))].sort());
        const gent = await store.deliveries.get(post(Q, TEAMS.gent));
        assert.equal(gent?.state, 'pending');
        assert.deepEqual(gent?.nextAttemptAt, restart);
        assert.match(gent?.lastError ?? '', /interrupted/);
        assert.equal((await store.deliveries.get(post(Q, TEAMS.kempen)))?.lastError, null, 'an untouched delivery is left alone');
        assert.equal(await claimAt(store, post(Q, TEAMS.gent), minutes(15, SLOT)), true);
        assert.deepEqual(await store.deliveries.recoverInterrupted(minutes(16, SLOT), []).then(keysOf), [keyOf(post(Q, TEAMS.gent))]);
        assert.deepEqual(await store.deliveries.recoverInterrupted(minutes(17, SLOT), []), []);
      });

      it('keeps a claim for its instance until it runs out, then lets another instance take the delivery', async () => {
        const k = post(Q, TEAMS.gent);
        await store.deliveries.ensure(k, SLOT);
        assert.equal(await claimAt(store, k, minutes(-1, SLOT)), false, 'not before it is due');
        assert.equal(await claimAt(store, k, SLOT, 'instance-a', 10 * 60_000), true);
        const claimed = await store.deliveries.get(k);
        assert.equal(claimed?.claimedBy, 'instance-a');
        assert.deepEqual(claimed?.claimExpiresAt, minutes(10, SLOT));
        assert.deepEqual(await store.deliveries.nextDueAt(), minutes(10, SLOT), 'the scheduler wakes when the claim runs out');
        assert.equal(await claimAt(store, k, minutes(9, SLOT), 'instance-b'), false, 'a live claim is left alone');
        assert.deepEqual(await store.deliveries.due(minutes(9, SLOT)), []);
        assert.deepEqual(keysOf(await store.deliveries.due(minutes(10, SLOT))), [keyOf(k)], 'a claim that ran out is due again');
        assert.equal(await claimAt(store, k, minutes(10, SLOT), 'instance-b', 10 * 60_000), true);
        const taken = await store.deliveries.get(k);
        assert.equal(taken?.claimedBy, 'instance-b');
        assert.equal(taken?.attempts, 2);
        await store.deliveries.markSent(k, thread(TEAMS.gent, ROOT_GENT), ROOT_GENT, minutes(11, SLOT), 0);
        const sent = await store.deliveries.get(k);
        assert.deepEqual([sent?.state, sent?.claimedBy, sent?.claimExpiresAt], ['sent', null, null], 'a sent delivery holds no claim');
        assert.equal(await claimAt(store, k, minutes(30, SLOT), 'instance-a'), false);
      });

      it('gives a delivery to exactly one of two instances claiming it at the same moment', async () => {
        const keys = [post(Q, TEAMS.gent), post(Q, TEAMS.kempen), post(Q, TEAMS.westhoek), results(Q, TEAMS.gent)];
        for (const k of keys) await store.deliveries.ensure(k, SLOT);
        for (const k of keys) {
          const won = await Promise.all(['instance-a', 'instance-b', 'instance-c'].map((owner) => claimAt(store, k, SLOT, owner)));
          assert.equal(won.filter(Boolean).length, 1, `${keyOf(k)}: ${JSON.stringify(won)}`);
          assert.equal((await store.deliveries.get(k))?.attempts, 1);
        }
      });

      it('puts back only what a sender that is gone left in sending, never a live instance\'s', async () => {
        const a = post(Q, TEAMS.gent);
        const b = post(Q, TEAMS.kempen);
        for (const k of [a, b]) await store.deliveries.ensure(k, SLOT);
        await claimAt(store, a, SLOT, 'instance-a');
        await claimAt(store, b, SLOT, 'instance-b');
        const back = await store.deliveries.recoverInterrupted(minutes(1, SLOT), ['instance-a', 'instance-c']);
        assert.deepEqual(back.map((d) => [keyOf(d), d.claimedBy]), [[keyOf(b), 'instance-b']]);
        assert.equal((await store.deliveries.get(a))?.state, 'sending', 'the live sender keeps its post');
        const returned = await store.deliveries.get(b);
        assert.deepEqual([returned?.state, returned?.claimedBy, returned?.claimExpiresAt], ['pending', null, null]);
        assert.deepEqual(await store.deliveries.recoverInterrupted(minutes(2, SLOT), ['instance-a']), []);
      });

      it('lists the deliveries of a question by kind, question posts by default', async () => {
        for (const team of [TEAMS.westhoek, TEAMS.gent, TEAMS.kempen]) await store.deliveries.ensure(post(Q, team), SLOT);
        await store.deliveries.ensure(results(Q, TEAMS.gent), WEEK['2026-W49'].closesAt);
        assert.deepEqual(keysOf(await store.deliveries.forQuestion(Q)), [TEAMS.gent, TEAMS.kempen, TEAMS.westhoek].map((t) => keyOf(post(Q, t))).sort());
        assert.deepEqual(keysOf(await store.deliveries.forQuestion(Q, 'results')), [keyOf(results(Q, TEAMS.gent))]);
        assert.deepEqual(await store.deliveries.forQuestion('bestaat-niet'), []);
      });

      it('finds the question post by the root message of its thread, not a results reply', async () => {
        await store.deliveries.ensure(post(Q, TEAMS.gent), SLOT);
        await store.deliveries.ensure(post(Q, TEAMS.kempen), SLOT);
        await store.deliveries.ensure(results(Q, TEAMS.gent), SLOT);
        await store.deliveries.markSent(post(Q, TEAMS.gent), thread(TEAMS.gent, ROOT_GENT), ROOT_GENT, SLOT);
        await store.deliveries.markSent(post(Q, TEAMS.kempen), thread(TEAMS.kempen, ROOT_KEMPEN), ROOT_KEMPEN, SLOT);
        await store.deliveries.markSent(results(Q, TEAMS.gent), thread(TEAMS.gent, ROOT_GENT), '1795000000999', SLOT);
        const found = await store.deliveries.byRootMessage(ROOT_KEMPEN);
        assert.equal(found?.rkkId, TEAMS.kempen.id);
        assert.equal(found?.kind, 'question');
        assert.equal(await store.deliveries.byRootMessage('1795000000999'), null);
        assert.equal(await store.deliveries.byRootMessage('1795000000555'), null);
      });

      it('keeps the answer count last shown on the shared card', async () => {
        const k = post(Q, TEAMS.gent);
        await store.deliveries.ensure(k, SLOT);
        await store.deliveries.markSent(k, thread(TEAMS.gent, ROOT_GENT), ROOT_GENT, SLOT);
        assert.equal((await store.deliveries.get(k))?.shownCount, null);
        await store.deliveries.setShownCount(k, 14);
        assert.equal((await store.deliveries.get(k))?.shownCount, 14);
      });

      it('lists the posts of open questions whose card shows another count than the tally, whoever took the answers', async () => {
        const gent = post(Q, TEAMS.gent);
        const kempen = post(Q, TEAMS.kempen);
        for (const k of [gent, kempen]) {
          await store.deliveries.ensure(k, SLOT);
          await claimAt(store, k, SLOT);
          await store.deliveries.markSent(k, thread(TEAMS.gent, ROOT_GENT), ROOT_GENT, SLOT, 0);
        }
        await store.deliveries.ensure(post(Q, TEAMS.westhoek), SLOT); // not posted yet: no card to update
        const during = minutes(60, SLOT);
        assert.deepEqual(await store.deliveries.staleCounts(during), [], 'every card shows the right count');
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('1'), during);
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.sofie), choice('2'), during);
        await store.answers.upsert(Q, TEAMS.westhoek.id, member(PEOPLE.an), choice('2'), during);
        assert.deepEqual(await store.deliveries.staleCounts(during), [gent]);
        await store.deliveries.setShownCount(gent, 2);
        assert.deepEqual(await store.deliveries.staleCounts(during), []);
        await store.answers.deleteWhere({ memberKey: PEOPLE.jan.aadObjectId }, during);
        assert.deepEqual(await store.deliveries.staleCounts(during), [gent], 'an erased answer changes the count too');
        assert.deepEqual(await store.deliveries.staleCounts(WEEK['2026-W49'].closesAt), [], 'a question past its closing time gets results, not counts');
        await store.questions.close(Q, during);
        assert.deepEqual(await store.deliveries.staleCounts(during), [], 'nor does a closed one');
      });
    });

    describe('leases and instances', () => {
      const TTL = 20_000;
      const seconds = (n: number): Date => new Date(T0.getTime() + n * 1000);

      it('gives a free lease to the first instance, keeps it while renewed, and hands it over only once it expired', async () => {
        assert.equal(await store.leases.get('leader'), null);
        assert.deepEqual(await store.leases.acquire('leader', 'web-a', TTL, seconds(0)), { name: 'leader', holder: 'web-a', since: seconds(0), expiresAt: seconds(20) });
        assert.equal((await store.leases.acquire('leader', 'web-b', TTL, seconds(5))).holder, 'web-a', 'held: b does not get it');
        assert.deepEqual(await store.leases.acquire('leader', 'web-a', TTL, seconds(10)), { name: 'leader', holder: 'web-a', since: seconds(0), expiresAt: seconds(30) }, 'renewed, since kept');
        assert.equal((await store.leases.acquire('leader', 'web-b', TTL, seconds(29))).holder, 'web-a');
        assert.deepEqual(await store.leases.acquire('leader', 'web-b', TTL, seconds(30)), { name: 'leader', holder: 'web-b', since: seconds(30), expiresAt: seconds(50) }, 'expired: b takes over');
        assert.equal((await store.leases.acquire('leader', 'web-a', TTL, seconds(31))).holder, 'web-b', 'the old holder does not get it back by renewing');
        assert.deepEqual(await store.leases.get('leader'), { name: 'leader', holder: 'web-b', since: seconds(30), expiresAt: seconds(50) });
      });

      it('gives the lease to exactly one of several instances trying at the same moment', async () => {
        const holders = await Promise.all(['web-a', 'web-b', 'web-c', 'web-d'].map((id) => store.leases.acquire('leader', id, TTL, seconds(0))));
        assert.equal(new Set(holders.map((l) => l.holder)).size, 1, 'all see the same holder');
      });

      it('hands a held lease over at once when asked to take over (a store no other process can use)', async () => {
        await store.leases.acquire('leader', 'web-a', TTL, seconds(0));
        assert.deepEqual(await store.leases.acquire('leader', 'web-b', TTL, seconds(1), { takeOver: true }), { name: 'leader', holder: 'web-b', since: seconds(1), expiresAt: seconds(21) });
      });

      it('lets a holder release its lease, and nobody else', async () => {
        await store.leases.acquire('leader', 'web-a', TTL, seconds(0));
        assert.equal(await store.leases.release('leader', 'web-b'), false);
        assert.equal(await store.leases.release('leader', 'web-a'), true);
        assert.equal((await store.leases.acquire('leader', 'web-b', TTL, seconds(1))).holder, 'web-b', 'free at once');
      });

      it('lists the instances alive now, oldest first, and forgets one that left or stopped beating', async () => {
        await store.leases.heartbeat('web-a', TTL, seconds(0));
        await store.leases.heartbeat('web-b', TTL, seconds(5));
        assert.deepEqual((await store.leases.heartbeat('web-a', TTL, seconds(10))).map((i) => [i.id, i.startedAt, i.seenAt]),
          [['web-a', seconds(0), seconds(10)], ['web-b', seconds(5), seconds(5)]]);
        assert.deepEqual((await store.leases.heartbeat('web-a', TTL, seconds(26))).map((i) => i.id), ['web-a'], 'b stopped beating');
        await store.leases.heartbeat('web-c', TTL, seconds(27));
        await store.leases.leave('web-c');
        assert.deepEqual((await store.leases.heartbeat('web-a', TTL, seconds(28))).map((i) => i.id), ['web-a']);
      });
    });

    describe('answers', () => {
      beforeEach(async () => {
        await postedMagda();
        await store.questions.insert(inWeek(eInclusie(), '2026-W49'), T0);
        await store.questions.insert(inWeek(openVraag(), '2026-W49'), T0);
      });
      const Q = 'magda-documentendienst';

      it('keeps the stored comment when asked to and the new answer has none, in the same unit of work (tally included)', async () => {
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), withComment('Sinds september.', '1'), minutes(1));
        const kept = await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('2'), minutes(2), { keepComment: true });
        assert.deepEqual([kept.choices, kept.comment, kept.revision], [['2'], 'Sinds september.', 2]);
        assert.equal((await store.answers.counts(Q, TEAMS.gent.id)).comments, 1);
        const replaced = await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), withComment('Vanaf oktober.', '2'), minutes(3), { keepComment: true });
        assert.equal(replaced.comment, 'Vanaf oktober.', 'a new comment wins');
        const cleared = await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('2'), minutes(4));
        assert.equal(cleared.comment, null, 'without the option no comment means none');
        assert.equal((await store.answers.counts(Q, TEAMS.gent.id)).comments, 0);
        const first = await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.sofie), choice('1'), minutes(5), { keepComment: true });
        assert.equal(first.comment, null, 'nothing to keep on a first answer');
      });

      it('lists the latest answerers of an RKK by their Teams id, newest first, and none for anonymous answers', async () => {
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('1'), minutes(1));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.sofie), choice('2'), minutes(2));
        await store.answers.upsert(Q, TEAMS.kempen.id, member(PEOPLE.an), choice('2'), minutes(3));
        await store.answers.upsert(Q, TEAMS.gent.id, { key: 'anon:x', aadObjectId: null, teamsUserId: '', name: '' }, choice('1'), minutes(4));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('3'), minutes(5)); // Jan changes: newest again
        assert.deepEqual(await store.answers.recentMembers(Q, TEAMS.gent.id, 10), [PEOPLE.jan.id, PEOPLE.sofie.id]);
        assert.deepEqual(await store.answers.recentMembers(Q, TEAMS.gent.id, 1), [PEOPLE.jan.id]);
        assert.deepEqual(await store.answers.recentMembers(Q, TEAMS.westhoek.id, 10), []);
      });

      it('stores one answer per member and question, and a second submit replaces it with a higher revision', async () => {
        const first = await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), withComment('Aangesloten via de intercommunale.', '1'), minutes(10));
        assert.deepEqual(first, {
          questionId: Q, rkkId: TEAMS.gent.id, member: member(PEOPLE.jan), choices: ['1'], text: null, comment: 'Aangesloten via de intercommunale.',
          answeredAt: minutes(10), updatedAt: minutes(10), revision: 1, contact: false, contactUpn: null,
        });
        const second = await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('2'), minutes(20));
        assert.equal(second.revision, 2);
        assert.deepEqual(second.choices, ['2']);
        assert.equal(second.comment, null);
        assert.deepEqual(second.answeredAt, minutes(10), 'the first answer moment stays');
        assert.deepEqual(second.updatedAt, minutes(20));
        assert.deepEqual(await store.answers.get(Q, PEOPLE.jan.aadObjectId), second);
        assert.equal((await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('3'), minutes(30))).revision, 3);
        assert.equal((await store.answers.forQuestion(Q)).length, 1);
        assert.equal(await store.answers.get(Q, PEOPLE.sofie.aadObjectId), null);
      });

      it('keeps a consent to be contacted with the answer: found by option, own RKK first, not oneself; withdrawn, it forgets the sign-in name; an erase takes it', async () => {
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('1'), minutes(1));
        await store.answers.upsert(Q, TEAMS.kempen.id, member(PEOPLE.sofie), choice('1'), minutes(2));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.lotte), choice('2'), minutes(3));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.mathias), choice('3'), minutes(4));
        const before = await store.outbox.pendingCount();
        assert.equal(await store.answers.setContact(Q, PEOPLE.sofie.aadObjectId, true, 'sofie@kempen.example', minutes(5)), true);
        assert.equal(await store.answers.setContact(Q, PEOPLE.jan.aadObjectId, true, null, minutes(5)), true);
        assert.equal(await store.answers.setContact(Q, PEOPLE.jan.aadObjectId, true, null, minutes(6)), false, 'already on');
        assert.equal(await store.answers.setContact(Q, PEOPLE.lotte.aadObjectId, true, 'lotte@gent.example', minutes(6)), true);
        assert.equal(await store.answers.setContact(Q, 'nobody', true, null, minutes(6)), false, 'no answer, nothing to change');
        assert.ok(await store.outbox.pendingCount() >= before, 'SharePoint follows');
        const seen = async (options: string[], except: string, rkkId: string | null, limit = 5) =>
          (await store.answers.contacts(Q, { options, except, rkkId, limit })).map((a) => [a.member.name, a.contactUpn]);
        assert.deepEqual(await seen(['1'], PEOPLE.mathias.aadObjectId, TEAMS.gent.id), [['Jan Claes', null], ['Sofie Maes', 'sofie@kempen.example']]);
        assert.deepEqual(await seen(['1'], PEOPLE.mathias.aadObjectId, TEAMS.kempen.id), [['Sofie Maes', 'sofie@kempen.example'], ['Jan Claes', null]]);
        assert.deepEqual(await seen(['1', '2'], PEOPLE.jan.aadObjectId, TEAMS.gent.id, 1), [['Lotte Willems', 'lotte@gent.example']]);
        assert.deepEqual(await seen(['3'], PEOPLE.jan.aadObjectId, TEAMS.gent.id), [], 'Mathias never said yes');
        assert.equal(await store.answers.setContact(Q, PEOPLE.sofie.aadObjectId, false, null, minutes(7)), true);
        assert.deepEqual((({ contact, contactUpn }) => ({ contact, contactUpn }))((await store.answers.get(Q, PEOPLE.sofie.aadObjectId))!), { contact: false, contactUpn: null });
        // A later answer keeps the consent (the service decides whether the new choice still fits it).
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.lotte), choice('1'), minutes(8));
        assert.equal((await store.answers.get(Q, PEOPLE.lotte.aadObjectId))!.contactUpn, 'lotte@gent.example');
        await store.eraseMember(PEOPLE.lotte.aadObjectId, [], minutes(9));
        assert.deepEqual(await seen(['1', '2'], PEOPLE.mathias.aadObjectId, TEAMS.gent.id), [['Jan Claes', null]]);
      });

      it('keeps open answers and several choices as given', async () => {
        const open = await store.answers.upsert(openVraag().id, null, member(PEOPLE.lotte), { choices: [], text: 'Het digitaal loket voor omgevingsvergunningen.', comment: null }, minutes(5));
        assert.deepEqual(open.choices, []);
        assert.equal(open.text, 'Het digitaal loket voor omgevingsvergunningen.');
        assert.equal(open.rkkId, null);
        const many = await store.answers.upsert(eInclusie().id, TEAMS.kempen.id, member(PEOPLE.lotte), choice('1', '3'), minutes(6));
        assert.deepEqual((await store.answers.get(eInclusie().id, PEOPLE.lotte.aadObjectId))?.choices, ['1', '3']);
        assert.deepEqual(many.choices, ['1', '3']);
      });

      it('keeps the tally right under concurrent submits, also of one member changing their mind at once', async () => {
        const people = [PEOPLE.jan, PEOPLE.sofie, PEOPLE.lotte, PEOPLE.mathias];
        await Promise.all(Array.from({ length: 24 }, (_, i) => store.answers.upsert(
          Q, i % 3 === 0 ? TEAMS.kempen.id : TEAMS.gent.id, member(people[i % people.length]!),
          { choices: [String((i % 5) + 1)], text: null, comment: i % 2 ? `toelichting ${i}` : null }, minutes(60 + i))));
        assert.deepEqual(await store.answers.counts(Q), await store.answers.recount(Q));
        for (const rkk of [TEAMS.gent.id, TEAMS.kempen.id]) assert.deepEqual(await store.answers.counts(Q, rkk), await store.answers.recount(Q, rkk));
        assert.equal((await store.answers.counts(Q)).respondents, people.length);
      });

      it('keeps a running tally per RKK and across RKKs that matches a recount', async () => {
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), withComment('Sinds september.', '1'), minutes(1));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.sofie), choice('2'), minutes(2));
        await store.answers.upsert(Q, TEAMS.kempen.id, member(PEOPLE.lotte), choice('1'), minutes(3));
        await store.answers.upsert(Q, null, member(PEOPLE.an), withComment('Via de personal chat.', '3'), minutes(4));
        assert.deepEqual(await store.answers.counts(Q), { respondents: 4, comments: 2, perOption: perOption({ 1: 2, 2: 1, 3: 1 }) });
        assert.deepEqual(await store.answers.counts(Q, TEAMS.gent.id), { respondents: 2, comments: 1, perOption: perOption({ 1: 1, 2: 1 }) });
        assert.equal(await store.answers.count(Q), 4);
        assert.equal(await store.answers.count(Q, TEAMS.kempen.id), 1);
        assert.equal(await store.answers.count(Q, TEAMS.westhoek.id), 0);
        for (const rkk of [undefined, TEAMS.gent.id, TEAMS.kempen.id]) {
          assert.deepEqual(await store.answers.counts(Q, rkk), await store.answers.recount(Q, rkk), `scope ${rkk ?? 'all'}`);
        }
      });

      it('moves the tally when a member changes their answer, drops a comment or answers from another RKK', async () => {
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), withComment('Sinds september.', '1'), minutes(1));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.sofie), choice('1'), minutes(2));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('4'), minutes(3));
        await store.answers.upsert(Q, TEAMS.kempen.id, member(PEOPLE.sofie), withComment('Nu vanuit de Kempen.', '2'), minutes(4));
        assert.deepEqual(await store.answers.counts(Q, TEAMS.gent.id), { respondents: 1, comments: 0, perOption: perOption({ 4: 1 }) });
        assert.deepEqual(await store.answers.counts(Q, TEAMS.kempen.id), { respondents: 1, comments: 1, perOption: perOption({ 2: 1 }) });
        assert.deepEqual(await store.answers.counts(Q), { respondents: 2, comments: 1, perOption: perOption({ 2: 1, 4: 1 }) });
        for (const rkk of [undefined, TEAMS.gent.id, TEAMS.kempen.id]) {
          assert.deepEqual(await store.answers.counts(Q, rkk), await store.answers.recount(Q, rkk), `scope ${rkk ?? 'all'}`);
        }
      });

      it('counts each ticked option of a multiple-choice answer', async () => {
        const E = eInclusie().id;
        await store.answers.upsert(E, TEAMS.gent.id, member(PEOPLE.jan), choice('1', '2', '3'), minutes(1));
        await store.answers.upsert(E, TEAMS.gent.id, member(PEOPLE.sofie), choice('2'), minutes(2));
        assert.deepEqual(await store.answers.counts(E), { respondents: 2, comments: 0, perOption: perOption({ 1: 1, 2: 2, 3: 1 }) });
        assert.deepEqual(await store.answers.counts(E), await store.answers.recount(E));
        assert.deepEqual(await store.answers.counts(openVraag().id), { respondents: 0, comments: 0, perOption: new Map() });
      });

      it('lists the answers of one member across questions, and of one question, in answer order', async () => {
        await store.answers.upsert(eInclusie().id, TEAMS.gent.id, member(PEOPLE.jan), choice('2'), minutes(2));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('1'), minutes(1));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.sofie), choice('5'), minutes(3));
        assert.deepEqual((await store.answers.forMember(PEOPLE.jan.aadObjectId)).map((a) => a.questionId), [Q, eInclusie().id]);
        assert.deepEqual((await store.answers.forQuestion(Q)).map((a) => a.member.key), [PEOPLE.jan.aadObjectId, PEOPLE.sofie.aadObjectId]);
        assert.deepEqual(await store.answers.forMember(PEOPLE.mathias.aadObjectId), []);
      });

      it("deletes a member's answers and takes them out of the tally", async () => {
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), withComment('Weg ermee.', '1'), minutes(1));
        await store.answers.upsert(eInclusie().id, TEAMS.gent.id, member(PEOPLE.jan), choice('1', '2'), minutes(2));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.sofie), choice('1'), minutes(3));
        assert.equal(await store.answers.deleteWhere({ memberKey: PEOPLE.jan.aadObjectId }, minutes(10)), 2);
        assert.equal(await store.answers.deleteWhere({ memberKey: PEOPLE.jan.aadObjectId }, minutes(11)), 0);
        assert.deepEqual(await store.answers.forMember(PEOPLE.jan.aadObjectId), []);
        assert.deepEqual(await store.answers.counts(Q), { respondents: 1, comments: 0, perOption: perOption({ 1: 1 }) });
        assert.deepEqual(await store.answers.counts(eInclusie().id), { respondents: 0, comments: 0, perOption: new Map() });
        assert.deepEqual(await store.answers.counts(Q), await store.answers.recount(Q));
      });

      it('deletes answers last changed before a moment (retention)', async () => {
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('1'), minutes(1));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.sofie), choice('2'), minutes(2));
        await store.answers.upsert(Q, TEAMS.kempen.id, member(PEOPLE.lotte), choice('3'), minutes(3));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('4'), minutes(5));
        assert.equal(await store.answers.deleteWhere({ before: minutes(3) }, minutes(60)), 1);
        assert.deepEqual((await store.answers.forQuestion(Q)).map((a) => a.member.name).sort(), ['Jan Claes', 'Lotte Willems']);
        assert.deepEqual(await store.answers.counts(Q), await store.answers.recount(Q));
        assert.equal(await store.answers.count(Q, TEAMS.gent.id), 1);
      });

      it('owes a results reply again, as an update of the same message, when answers it shows are erased or expire', async () => {
        const results = (team: Team): DeliveryKey => ({ kind: 'results', questionId: Q, rkkId: team.id });
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), withComment('Sinds september.', '1'), minutes(1));
        await store.answers.upsert(Q, TEAMS.kempen.id, member(PEOPLE.lotte), withComment('Nog niet.', '3'), minutes(2));
        await store.answers.upsert(eInclusie().id, TEAMS.gent.id, member(PEOPLE.sofie), choice('1'), minutes(2));
        // Gent's results reply is in the thread; Kempen's has not gone out yet.
        await store.deliveries.ensure(results(TEAMS.gent), minutes(5));
        await claimAt(store, results(TEAMS.gent), minutes(5));
        await store.deliveries.markSent(results(TEAMS.gent), thread(TEAMS.gent, ROOT_GENT), 'results-gent', minutes(5));
        await store.deliveries.ensure(results(TEAMS.kempen), minutes(5));

        await store.answers.deleteWhere({ memberKey: PEOPLE.sofie.aadObjectId }, minutes(10));
        assert.equal((await store.deliveries.get(results(TEAMS.gent)))?.state, 'sent', 'another question\'s answer changes nothing here');

        await store.answers.deleteWhere({ memberKey: PEOPLE.jan.aadObjectId }, minutes(11));
        const renewed = (await store.deliveries.get(results(TEAMS.gent)))!;
        assert.deepEqual([renewed.state, renewed.attempts, renewed.messageId, renewed.conversationId], ['pending', 0, 'results-gent', thread(TEAMS.gent, ROOT_GENT)]);
        assert.deepEqual((await store.deliveries.due(minutes(11))).filter((d) => d.kind === 'results').map((d) => [d.rkkId, d.messageId]),
          [[TEAMS.kempen.id, null], [TEAMS.gent.id, 'results-gent']], 'due again (oldest first), the sent one with its message');
        assert.equal((await store.deliveries.get({ kind: 'question', questionId: Q, rkkId: TEAMS.gent.id }))?.state, 'sent', 'the question post is never owed again');

        await claimAt(store, results(TEAMS.gent), minutes(12));
        await store.deliveries.markSent(results(TEAMS.gent), thread(TEAMS.gent, ROOT_GENT), 'results-gent', minutes(12));
        await store.answers.deleteWhere({ before: minutes(3) }, minutes(60));
        assert.equal((await store.deliveries.get(results(TEAMS.gent)))?.state, 'sent', 'Gent shows no answer older than that any more');
        assert.equal((await store.deliveries.get(results(TEAMS.kempen)))?.state, 'pending', 'an unsent reply stays as it was');
        assert.equal((await store.deliveries.get(results(TEAMS.kempen)))?.messageId, null);
      });

      it('owes a results reply again once sent when the answers it shows are erased while it is being sent', async () => {
        const k: DeliveryKey = { kind: 'results', questionId: Q, rkkId: TEAMS.gent.id };
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), withComment('Sinds september.', '1'), minutes(1));
        await store.deliveries.ensure(k, minutes(5));
        assert.ok(await claimAt(store, k, minutes(5)), 'the reply with Jan\'s answer is on its way');
        await store.answers.deleteWhere({ memberKey: PEOPLE.jan.aadObjectId }, minutes(5));
        await store.deliveries.markSent(k, thread(TEAMS.gent, ROOT_GENT), 'results-gent', minutes(5));
        const renewed = (await store.deliveries.get(k))!;
        assert.deepEqual([renewed.state, renewed.messageId], ['pending', 'results-gent'], 'owed again as an update of the reply just sent');
        assert.ok(await claimAt(store, k, minutes(6)));
        await store.answers.deleteWhere({ before: minutes(0) }, minutes(6)); // changes nothing this reply shows
        await store.deliveries.markSent(k, thread(TEAMS.gent, ROOT_GENT), 'results-gent', minutes(6));
        assert.equal((await store.deliveries.get(k))!.state, 'sent');
      });

      it('keeps the explanations a moderator highlights for the other regions, per RKK, and forgets them with the answer', async () => {
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), withComment('Sinds september.', '1'), minutes(1));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.sofie), choice('2'), minutes(2));
        await store.answers.upsert(Q, TEAMS.kempen.id, member(PEOPLE.lotte), withComment('Nog niet.', '3'), minutes(3));
        const kept = await store.answers.setHighlights(Q, TEAMS.gent.id,
          [PEOPLE.jan.aadObjectId, PEOPLE.sofie.aadObjectId, PEOPLE.lotte.aadObjectId, PEOPLE.jan.aadObjectId], PEOPLE.an.aadObjectId, minutes(10));
        assert.deepEqual(kept, [PEOPLE.jan.aadObjectId], 'only explanations of this RKK: Sofie wrote none, Lotte is in Kempen');
        await store.answers.setHighlights(Q, TEAMS.kempen.id, [PEOPLE.lotte.aadObjectId], PEOPLE.an.aadObjectId, minutes(11));
        assert.deepEqual((await store.answers.highlights(Q)).map((h) => [h.rkkId, h.name, h.text]),
          [[TEAMS.kempen.id, 'Lotte Willems', 'Nog niet.'], [TEAMS.gent.id, 'Jan Claes', 'Sinds september.']], 'the latest marked first');
        assert.deepEqual(await store.answers.setHighlights(Q, TEAMS.gent.id, [], PEOPLE.an.aadObjectId, minutes(12)), []);
        assert.deepEqual((await store.answers.highlights(Q)).map((h) => h.rkkId), [TEAMS.kempen.id], 'a new choice replaces the RKK\'s earlier one');
        await store.answers.upsert(Q, TEAMS.kempen.id, member(PEOPLE.lotte), choice('3'), minutes(13));
        assert.deepEqual(await store.answers.highlights(Q), [], 'an explanation taken back is not shown');
        await store.answers.upsert(Q, TEAMS.kempen.id, member(PEOPLE.lotte), withComment('Toch wel.', '3'), minutes(14));
        assert.deepEqual(await store.answers.highlights(Q), [], 'an explanation edited since is not what the moderator chose');
        await store.answers.upsert(Q, TEAMS.kempen.id, member(PEOPLE.lotte), withComment('Nog niet.', '3'), minutes(14));
        assert.equal((await store.answers.highlights(Q))[0]?.text, 'Nog niet.', 'the text as highlighted');
        await store.answers.deleteWhere({ memberKey: PEOPLE.lotte.aadObjectId }, minutes(15));
        await store.answers.upsert(Q, TEAMS.kempen.id, member(PEOPLE.lotte), withComment('Opnieuw.', '3'), minutes(16));
        assert.deepEqual(await store.answers.highlights(Q), [], 'an erased answer takes its highlight with it');
      });

      it('leaves an outbox entry for every answer change and deletion, one per answer however often it changed', async () => {
        const before = await store.outbox.pendingCount();
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('1'), minutes(1));
        assert.equal(await store.outbox.pendingCount(), before + 1);
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.jan), choice('2'), minutes(2));
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.sofie), choice('2'), minutes(3));
        assert.equal(await store.outbox.pendingCount(), before + 2);
        const answers = (await store.outbox.next(100)).filter((p) => p.entity === 'answer');
        assert.deepEqual(answers.map((p) => p.key), [entityKey(Q, PEOPLE.jan.aadObjectId), entityKey(Q, PEOPLE.sofie.aadObjectId)]);
        for (const p of answers) await store.outbox.settle(p);
        await store.answers.deleteWhere({ memberKey: PEOPLE.jan.aadObjectId }, minutes(4));
        assert.deepEqual((await store.outbox.next(100)).filter((p) => p.entity === 'answer').map((p) => p.key), [entityKey(Q, PEOPLE.jan.aadObjectId)]);
      });
    });

    describe('comments', () => {
      beforeEach(async () => {
        await postedMagda();
      });
      const Q = 'magda-documentendienst';
      const CONV = thread(TEAMS.gent, ROOT_GENT);

      it('stores a thread reply once, however often Teams delivers it', async () => {
        const c = reply({ messageId: '1795000000001' });
        assert.equal(await store.comments.add(c), true);
        assert.equal(await store.comments.add({ ...c, text: 'Tweede levering' }), false);
        assert.deepEqual(await store.comments.find(CONV, '1795000000001'), { ...c, editedAt: null, deletedAt: null });
        assert.equal(await store.comments.find(thread(TEAMS.kempen, ROOT_KEMPEN), '1795000000001'), null, 'a message id is unique per conversation only');
        assert.equal(await store.comments.add({ ...c, conversationId: thread(TEAMS.kempen, ROOT_KEMPEN), rkkId: TEAMS.kempen.id }), true);
      });

      it('edits a reply until it is deleted', async () => {
        await store.comments.add(reply({ messageId: '1795000000001' }));
        assert.equal(await store.comments.edit(CONV, '1795000000001', 'Wij zijn aangesloten sinds oktober.', minutes(20)), true);
        const edited = await store.comments.find(CONV, '1795000000001');
        assert.equal(edited?.text, 'Wij zijn aangesloten sinds oktober.');
        assert.deepEqual(edited?.editedAt, minutes(20));
        assert.equal(await store.comments.edit(CONV, '1795000000404', 'Bestaat niet', minutes(21)), false);
        await store.comments.markDeleted(CONV, '1795000000001', minutes(30));
        assert.equal(await store.comments.edit(CONV, '1795000000001', 'Na verwijderen', minutes(31)), false);
        assert.equal((await store.comments.find(CONV, '1795000000001'))?.text, 'Wij zijn aangesloten sinds oktober.');
      });

      it('marks a reply deleted once; the question lists it only when deleted ones are asked for', async () => {
        await store.comments.add(reply({ messageId: '1795000000001', createdAt: minutes(10) }));
        await store.comments.add(reply({ messageId: '1795000000002', createdAt: minutes(11), authorKey: PEOPLE.sofie.aadObjectId, authorName: PEOPLE.sofie.name }));
        assert.equal(await store.comments.markDeleted(CONV, '1795000000001', minutes(30)), true);
        assert.equal(await store.comments.markDeleted(CONV, '1795000000001', minutes(31)), false);
        assert.deepEqual((await store.comments.find(CONV, '1795000000001'))?.deletedAt, minutes(30));
        assert.deepEqual((await store.comments.forQuestion(Q)).map((c) => c.messageId), ['1795000000002']);
        assert.deepEqual((await store.comments.forQuestion(Q, { includeDeleted: true })).map((c) => c.messageId), ['1795000000001', '1795000000002']);
      });

      it('restores a deleted reply, with the text Teams sends, and records the change for SharePoint', async () => {
        await store.comments.add(reply({ messageId: '1795000000001', createdAt: minutes(10) }));
        assert.equal(await store.comments.restore(CONV, '1795000000001', null, minutes(20)), false, 'only a deleted reply is restored');
        await store.comments.markDeleted(CONV, '1795000000001', minutes(30));
        const before = await store.outbox.pendingCount();
        await store.outbox.settle((await store.outbox.next(100)).find((p) => p.entity === 'comment')!);
        assert.equal(await store.comments.restore(CONV, '1795000000001', 'Terug, met een verbetering.', minutes(31)), true);
        const back = await store.comments.find(CONV, '1795000000001');
        assert.deepEqual([back?.deletedAt, back?.text], [null, 'Terug, met een verbetering.']);
        assert.deepEqual((await store.comments.forQuestion(Q)).map((c) => c.messageId), ['1795000000001']);
        assert.equal(await store.outbox.pendingCount(), before, 'the comment is pending for SharePoint again');
        await store.comments.markDeleted(CONV, '1795000000001', minutes(40));
        assert.equal(await store.comments.restore(CONV, '1795000000001', null, minutes(41)), true);
        assert.equal((await store.comments.find(CONV, '1795000000001'))?.text, 'Terug, met een verbetering.', 'without a text the last one stays');
      });

      it("lists an author's replies in the order they were written", async () => {
        await store.comments.add(reply({ messageId: '1795000000003', createdAt: minutes(13) }));
        await store.comments.add(reply({ messageId: '1795000000001', createdAt: minutes(11) }));
        await store.comments.add(reply({ messageId: '1795000000002', createdAt: minutes(12), authorKey: PEOPLE.sofie.aadObjectId, authorName: PEOPLE.sofie.name }));
        assert.deepEqual((await store.comments.forAuthor(PEOPLE.jan.aadObjectId)).map((c) => c.messageId), ['1795000000001', '1795000000003']);
        assert.deepEqual(await store.comments.forAuthor(PEOPLE.mathias.aadObjectId), []);
      });

      it("deletes an author's replies, deleted ones too, and replies written before a moment", async () => {
        await store.comments.add(reply({ messageId: '1795000000001', createdAt: minutes(11) }));
        await store.comments.add(reply({ messageId: '1795000000002', createdAt: minutes(12) }));
        await store.comments.add(reply({ messageId: '1795000000003', createdAt: minutes(13), authorKey: PEOPLE.sofie.aadObjectId, authorName: PEOPLE.sofie.name }));
        await store.comments.add(reply({ messageId: '1795000000004', createdAt: minutes(14), authorKey: PEOPLE.sofie.aadObjectId, authorName: PEOPLE.sofie.name }));
        await store.comments.markDeleted(CONV, '1795000000002', minutes(20));
        assert.equal(await store.comments.deleteWhere({ authorKey: PEOPLE.jan.aadObjectId }, minutes(30)), 2);
        assert.deepEqual(await store.comments.forAuthor(PEOPLE.jan.aadObjectId), []);
        assert.equal(await store.comments.deleteWhere({ before: minutes(14) }, minutes(31)), 1);
        assert.deepEqual((await store.comments.forQuestion(Q, { includeDeleted: true })).map((c) => c.messageId), ['1795000000004']);
      });

      it('leaves an outbox entry for every change to a reply', async () => {
        const key = entityKey(CONV, '1795000000001');
        const pendingComments = async () => (await store.outbox.next(100)).filter((p) => p.entity === 'comment').map((p) => p.key);
        await store.comments.add(reply({ messageId: '1795000000001' }));
        assert.deepEqual(await pendingComments(), [key]);
        for (const p of await store.outbox.next(100)) await store.outbox.settle(p);
        await store.comments.add(reply({ messageId: '1795000000001' }));
        assert.deepEqual(await pendingComments(), [], 'a redelivery changes nothing');
        await store.comments.edit(CONV, '1795000000001', 'Aangepast', minutes(20));
        assert.deepEqual(await pendingComments(), [key]);
      });
    });

    describe('outbox', () => {
      const A = entityKey('magda-documentendienst', PEOPLE.jan.aadObjectId);
      const B = entityKey('magda-documentendienst', PEOPLE.sofie.aadObjectId);

      it('starts empty', async () => {
        assert.equal(await store.outbox.pendingCount(), 0);
        assert.deepEqual(await store.outbox.next(10), []);
        assert.equal(await store.outbox.oldestPendingAt(), null);
        assert.equal(await store.outbox.parkedCount(), 0);
        assert.deepEqual(await store.outbox.parked(), []);
      });

      it('gives the oldest pending entities first, one entry each, up to the limit', async () => {
        await store.outbox.record('question', 'magda-documentendienst', minutes(1));
        await store.outbox.record('answer', A, minutes(2));
        await store.outbox.record('answer', B, minutes(3));
        await store.outbox.record('answer', A, minutes(4));
        await store.outbox.record('audit', '1', minutes(5));
        assert.equal(await store.outbox.pendingCount(), 4);
        const all = await store.outbox.next(10);
        assert.deepEqual(all.map((p) => [p.entity, p.key]), [['question', 'magda-documentendienst'], ['answer', A], ['answer', B], ['audit', '1']]);
        assert.ok(all[1]!.upTo > all[2]!.upTo, 'an entity read once covers its latest change');
        assert.deepEqual((await store.outbox.next(2)).map((p) => p.key), ['magda-documentendienst', A]);
      });

      it('skips excluded entities ("entity:key") and still fills the limit', async () => {
        await store.outbox.record('question', 'magda-documentendienst', minutes(1));
        await store.outbox.record('answer', A, minutes(2));
        await store.outbox.record('answer', B, minutes(3));
        const next = await store.outbox.next(2, new Set([`answer:${A}`]));
        assert.deepEqual(next.map((p) => [p.entity, p.key]), [['question', 'magda-documentendienst'], ['answer', B]]);
      });

      it('settles only what was read: a change recorded after the read stays pending', async () => {
        await store.outbox.record('answer', A, minutes(1));
        await store.outbox.record('answer', B, minutes(2));
        const read = await store.outbox.next(10);
        await store.outbox.record('answer', A, minutes(3));
        for (const p of read) await store.outbox.settle(p);
        assert.equal(await store.outbox.pendingCount(), 1);
        const left = await store.outbox.next(10);
        assert.deepEqual(left.map((p) => p.key), [A]);
        assert.ok(left[0]!.upTo > read[0]!.upTo);
        assert.deepEqual(await store.outbox.oldestPendingAt(), minutes(3));
        await store.outbox.settle(left[0]!);
        assert.equal(await store.outbox.pendingCount(), 0);
        assert.equal(await store.outbox.oldestPendingAt(), null);
      });

      it('knows when the oldest pending change was recorded', async () => {
        await store.outbox.record('answer', B, minutes(7));
        await store.outbox.record('answer', A, minutes(9));
        assert.deepEqual(await store.outbox.oldestPendingAt(), minutes(7));
        await store.outbox.settle((await store.outbox.next(1))[0]!);
        assert.deepEqual(await store.outbox.oldestPendingAt(), minutes(9));
        // A parked record waits for an admin, not for the sync: it does not count as pending.
        await store.outbox.park('answer', A, '400: veld te lang', minutes(10));
        assert.equal(await store.outbox.oldestPendingAt(), null);
        await store.outbox.unparkAll();
        assert.deepEqual(await store.outbox.oldestPendingAt(), minutes(9));
      });

      it('claims entities for one instance: another live instance gets the rest, a dead one\'s or an expired claim is taken over', async () => {
        for (const [i, k] of [A, B, 'C', 'D'].entries()) await store.outbox.record('answer', k, minutes(i + 1));
        const alive = ['instance-a', 'instance-b'];
        const by = (owner: string, at: Date, holdMin = 5) => ({ owner, until: minutes(holdMin, at), alive });
        const first = await store.outbox.claim(2, by('instance-a', minutes(10)), minutes(10));
        assert.deepEqual(first.map((p) => p.key), [A, B]);
        assert.deepEqual(first, (await store.outbox.next(2)), 'a claim returns what the sync would read');
        assert.deepEqual((await store.outbox.claim(10, by('instance-b', minutes(11)), minutes(11))).map((p) => p.key), ['C', 'D'], 'a live claim is left alone');
        assert.deepEqual(await store.outbox.claim(10, by('instance-c', minutes(12)), minutes(12)), [], 'everything is claimed');
        assert.deepEqual((await store.outbox.claim(10, by('instance-a', minutes(12)), minutes(12))).map((p) => p.key), [A, B], 'the claimer takes its own again (a round after throttling)');
        await store.outbox.settle(first[0]!);
        await store.outbox.record('answer', A, minutes(13));
        assert.deepEqual((await store.outbox.claim(10, by('instance-b', minutes(13)), minutes(13))).map((p) => p.key), ['C', 'D', A], 'a settled entity\'s claim is gone');
        // instance-a's claim on B runs out at 17 minutes; before that, only its death frees it.
        assert.deepEqual(await store.outbox.claim(10, by('instance-c', minutes(16)), minutes(16)), []);
        assert.deepEqual((await store.outbox.claim(10, { owner: 'instance-c', until: minutes(30), alive: ['instance-b', 'instance-c'] }, minutes(16))).map((p) => p.key), [B], 'instance-a is gone');
        assert.deepEqual((await store.outbox.claim(10, by('instance-c', minutes(19)), minutes(19))).map((p) => p.key), [B, 'C', 'D', A], 'its own B again, and instance-b\'s claims ran out at 18 minutes');
        await store.outbox.park('answer', B, '400: veld te lang', minutes(20));
        await store.outbox.unparkAll();
        const withC = { owner: 'instance-a', until: minutes(25), alive: ['instance-a', 'instance-c'] };
        assert.deepEqual(await store.outbox.claim(10, withC, minutes(20), new Set([`answer:${B}`])), [], 'an excluded entity is left out');
        assert.deepEqual((await store.outbox.claim(10, withC, minutes(20))).map((p) => p.key), [B], 'parking gives instance-c\'s claim up; its others hold');
      });

      it('gives each entity to exactly one of two instances claiming at the same moment', async () => {
        const keys = Array.from({ length: 30 }, (_, i) => `lid-${String(i).padStart(2, '0')}`);
        for (const k of keys) await store.outbox.record('answer', k, minutes(1));
        const alive = ['instance-a', 'instance-b'];
        const claims = await Promise.all(alive.map((owner) => store.outbox.claim(20, { owner, until: minutes(10), alive }, minutes(2))));
        const got = claims.flat().map((p) => p.key).sort();
        assert.deepEqual(got, [...new Set(got)], 'no entity claimed twice');
        const rest = await store.outbox.claim(20, { owner: 'instance-a', until: minutes(10), alive }, minutes(3));
        assert.deepEqual([...got, ...rest.map((p) => p.key)].sort().filter((k, i, all) => all.indexOf(k) === i), keys, 'every entity claimed');
      });

      it('holds parked entities back until they are unparked', async () => {
        await store.outbox.record('answer', A, minutes(1));
        await store.outbox.record('answer', B, minutes(2));
        await store.outbox.park('answer', A, 'SharePoint: 400 Bad Request (veld te lang)', minutes(5));
        await store.outbox.park('comment', 'nooit opgenomen', 'SharePoint: 400 Bad Request', minutes(6));
        assert.deepEqual((await store.outbox.next(10)).map((p) => p.key), [B]);
        assert.equal(await store.outbox.pendingCount(), 1);
        assert.equal(await store.outbox.parkedCount(), 2);
        assert.deepEqual(await store.outbox.parked(), [
          { entity: 'answer', key: A, error: 'SharePoint: 400 Bad Request (veld te lang)', parkedAt: minutes(5) },
          { entity: 'comment', key: 'nooit opgenomen', error: 'SharePoint: 400 Bad Request', parkedAt: minutes(6) },
        ]);
        assert.equal((await store.outbox.parked(1)).length, 1);
        await store.outbox.park('answer', A, 'SharePoint: 400 Bad Request (nog steeds)', minutes(7));
        assert.equal(await store.outbox.parkedCount(), 2, 'parking again updates the record');
        assert.equal(await store.outbox.unparkAll(), 2);
        assert.equal(await store.outbox.parkedCount(), 0);
        assert.deepEqual((await store.outbox.next(10)).map((p) => p.key), [A, B]);
      });

      it('remembers, replaces and forgets the SharePoint item of an entity', async () => {
        assert.equal(await store.outbox.itemId('answer', A), null);
        await store.outbox.rememberItem('answer', A, '17', minutes(1));
        await store.outbox.rememberItem('comment', A, '18', minutes(1));
        assert.equal(await store.outbox.itemId('answer', A), '17');
        await store.outbox.rememberItem('answer', A, '42', minutes(2));
        assert.equal(await store.outbox.itemId('answer', A), '42');
        await store.outbox.forgetItem('answer', A);
        assert.equal(await store.outbox.itemId('answer', A), null);
        assert.equal(await store.outbox.itemId('comment', A), '18');
      });

      it("keeps a moderator's question row as last read", async () => {
        assert.equal(await store.outbox.questionRow('7'), null);
        await store.outbox.saveQuestionRow('7', null, 'sha256:3f1a', 'Nieuw', minutes(1));
        assert.deepEqual(await store.outbox.questionRow('7'), { questionId: null, contentHash: 'sha256:3f1a', status: 'Nieuw' });
        await store.outbox.saveQuestionRow('7', 'oslo-bij-aankoop', 'sha256:9b2c', 'Ingepland', minutes(2));
        assert.deepEqual(await store.outbox.questionRow('7'), { questionId: 'oslo-bij-aankoop', contentHash: 'sha256:9b2c', status: 'Ingepland' });
      });

      it('receives every kind of change the repositories make; a results reply is not shown in SharePoint', async () => {
        const q = await postedMagda();
        await store.deliveries.ensure(results(q.id, TEAMS.gent), WEEK['2026-W49'].closesAt);
        await store.deliveries.markSent(results(q.id, TEAMS.gent), thread(TEAMS.gent, ROOT_GENT), '1795000000999', WEEK['2026-W49'].closesAt);
        await store.answers.upsert(q.id, TEAMS.gent.id, member(PEOPLE.jan), choice('1'), minutes(1));
        await store.comments.add(reply({ messageId: '1795000000001' }));
        const id = await store.audit.record({ actorKey: PEOPLE.an.aadObjectId, actorName: PEOPLE.an.name, action: 'post-now', target: q.id }, minutes(2));
        assert.deepEqual((await store.outbox.next(100)).map((p) => [p.entity, p.key]), [
          ['question', q.id],
          ['post', entityKey(q.id, TEAMS.gent.id)],
          ['answer', entityKey(q.id, PEOPLE.jan.aadObjectId)],
          ['comment', entityKey(thread(TEAMS.gent, ROOT_GENT), '1795000000001')],
          ['audit', String(id)],
        ]);
      });
    });

    describe('knowledge moments', () => {
      const moment = (over: Partial<Moment> = {}): Moment => ({
        id: 'km-webinar-e-loket', title: 'Webinar: het e-loket koppelen', startsAt: at('2026-12-17T13:00:00.000Z'), where: 'https://webinar.example.org/e',
        description: 'Drie besturen vertellen.', theme: 'e-loket', source: 'bot', createdBy: PEOPLE.an.aadObjectId, createdByName: 'An Peeters',
        createdAt: T0, updatedAt: T0, ...over,
      });

      it('stores a moment and owes its announcement to each RKK once, with an outbox row, in one save', async () => {
        for (const team of [TEAMS.gent, TEAMS.kempen]) await store.rkks.register(registration(team), T0);
        assert.equal(await store.moments.save(moment(), [TEAMS.gent.id, TEAMS.kempen.id], T0), 'added');
        assert.deepEqual(await store.moments.get('km-webinar-e-loket'), moment());
        const owed = await store.deliveries.forQuestion('km-webinar-e-loket', 'moment');
        assert.deepEqual(owed.map((d) => [d.rkkId, d.state]), [[TEAMS.gent.id, 'pending'], [TEAMS.kempen.id, 'pending']].sort());
        assert.ok((await store.outbox.next(50)).some((p) => p.entity === 'moment' && p.key === 'km-webinar-e-loket'));
        assert.equal(await store.moments.save(moment(), [TEAMS.gent.id], minutes(1)), 'same', 'nothing changed');
        assert.equal((await store.deliveries.forQuestion('km-webinar-e-loket', 'moment')).length, 2);
      });

      it('owes the sent announcements again, as updates, when what members see changes', async () => {
        await store.rkks.register(registration(TEAMS.gent), T0);
        await store.moments.save(moment(), [TEAMS.gent.id], T0);
        const k = { kind: 'moment' as const, questionId: 'km-webinar-e-loket', rkkId: TEAMS.gent.id };
        assert.ok(await claimAt(store, k, minutes(1)));
        await store.deliveries.markSent(k, 'conv', 'msg-1', minutes(1));
        assert.equal(await store.moments.save(moment({ where: 'Provinciehuis Leuven', updatedAt: minutes(2) }), [], minutes(2)), 'updated');
        const d = (await store.deliveries.get(k))!;
        assert.equal(d.state, 'pending');
        assert.equal(d.messageId, 'msg-1', 'the same message, updated');
        assert.equal((await store.moments.get(k.questionId))!.where, 'Provinciehuis Leuven');
      });

      it('lists upcoming moments soonest first and past ones latest first', async () => {
        await store.moments.save(moment({ id: 'km-b', startsAt: at('2026-12-20T10:00:00.000Z') }), [], T0);
        await store.moments.save(moment({ id: 'km-a', startsAt: at('2026-12-18T10:00:00.000Z') }), [], T0);
        await store.moments.save(moment({ id: 'km-old', startsAt: at('2026-10-01T10:00:00.000Z') }), [], T0);
        const now = at('2026-12-01T00:00:00.000Z');
        assert.deepEqual((await store.moments.upcoming(now)).map((m) => m.id), ['km-a', 'km-b']);
        assert.deepEqual((await store.moments.past(now)).map((m) => m.id), ['km-old']);
      });
    });

    describe('questions for all regions', () => {
      const ask = (over: Partial<Ask> = {}): Ask => ({
        id: 'ask-1', text: 'Hoe regelen jullie de toegang tot MAGDA?', askerKey: PEOPLE.jan.aadObjectId, askerName: 'Jan Claes', askerTeamsId: PEOPLE.jan.id,
        askerRkkId: TEAMS.gent.id, state: 'pending', reason: null, decidedBy: null, decidedByName: null, createdAt: T0, decidedAt: null, toldReplies: 0, toldAt: null, ...over,
      });

      it('owes each approver the approval card with the new ask; a decision owes the asker a message, the thread, and the approvers an update, once', async () => {
        for (const team of [TEAMS.gent, TEAMS.limburg]) await store.rkks.register(registration(team), T0);
        await store.asks.create(ask(), [PEOPLE.an.aadObjectId, PEOPLE.sofie.aadObjectId], T0);
        assert.deepEqual((await store.asks.pending()).map((a) => a.id), ['ask-1']);
        const cards = await store.deliveries.forQuestion('approve:ask-1', 'notice');
        assert.deepEqual(cards.map((d) => d.rkkId).sort(), [PEOPLE.an.aadObjectId, PEOPLE.sofie.aadObjectId].sort());
        const k = { kind: 'notice' as const, questionId: 'approve:ask-1', rkkId: PEOPLE.an.aadObjectId };
        assert.ok(await claimAt(store, k, minutes(1)));
        await store.deliveries.markSent(k, 'a:1an', 'msg-an', minutes(1));

        const decided = await store.asks.decide('ask-1', { state: 'approved', text: 'Hoe regelen jullie de MAGDA-toegang?', by: PEOPLE.an.aadObjectId, byName: 'An Peeters' }, TEAMS.limburg.id, minutes(2));
        assert.equal(decided?.state, 'approved');
        assert.equal(decided?.text, 'Hoe regelen jullie de MAGDA-toegang?');
        assert.equal(decided?.decidedByName, 'An Peeters');
        assert.equal((await store.deliveries.get(k))!.state, 'pending', 'the sent approval card is owed an update');
        assert.equal((await store.deliveries.get({ kind: 'ask', questionId: 'ask-1', rkkId: TEAMS.limburg.id }))!.state, 'pending');
        assert.equal((await store.deliveries.get({ kind: 'notice', questionId: 'decided:ask-1', rkkId: PEOPLE.jan.aadObjectId }))!.state, 'pending');
        assert.equal(await store.asks.decide('ask-1', { state: 'rejected', reason: 'toch niet', by: 'x', byName: 'X' }, null, minutes(3)), null, 'decided once');
        assert.deepEqual((await store.asks.approved()).map((a) => a.id), ['ask-1']);
        assert.deepEqual(await store.asks.pending(), []);
      });

      it('owes the asker one message about replies per day, and remembers how many they were told of', async () => {
        await store.asks.create(ask({ state: 'pending' }), [], T0);
        await store.asks.decide('ask-1', { state: 'approved', by: 'x', byName: 'X' }, null, T0);
        assert.equal(await store.asks.owesReplies('ask-1', PEOPLE.jan.aadObjectId, '2026-11-16', T0, T0), true);
        assert.equal(await store.asks.owesReplies('ask-1', PEOPLE.jan.aadObjectId, '2026-11-16', minutes(5), minutes(5)), false, 'once per day');
        await store.asks.told('ask-1', 2, minutes(6));
        const a = (await store.asks.get('ask-1'))!;
        assert.equal(a.toldReplies, 2);
        assert.deepEqual(a.toldAt, minutes(6));
      });

      it('erases the asks of a member with the rest of their data', async () => {
        await store.rkks.register(registration(TEAMS.limburg), T0);
        await store.asks.create(ask(), [], T0);
        await store.asks.create(ask({ id: 'ask-2', askerKey: PEOPLE.sofie.aadObjectId }), [], T0);
        await store.asks.decide('ask-1', { state: 'approved', by: 'x', byName: 'X' }, TEAMS.limburg.id, T0);
        const thread = { kind: 'ask' as const, questionId: 'ask-1', rkkId: TEAMS.limburg.id };
        assert.ok(await claimAt(store, thread, T0));
        await store.deliveries.markSent(thread, 'conv', 'root-1', T0);
        const erased = await store.eraseMember(PEOPLE.jan.aadObjectId, [], minutes(1));
        assert.equal(erased.asks, 1);
        assert.equal((await store.deliveries.get(thread))!.state, 'pending', 'the thread that named the asker is owed an update');
        assert.equal((await store.deliveries.get(thread))!.messageId, 'root-1');
        assert.equal(await store.asks.get('ask-1'), null);
        assert.ok(await store.asks.get('ask-2'));
        assert.equal(await store.asks.deleteWhere({ before: minutes(1) }, minutes(2)), 1, 'retention');
      });
    });

    describe('reminders', () => {
      const Q = 'magda-documentendienst';

      it('keeps who asked for reminders and for which RKK; switching again refreshes the RKK and forgets a failure', async () => {
        assert.equal(await store.reminders.set(member(PEOPLE.jan), TEAMS.gent.id, T0), true, 'switched on');
        await store.reminders.failed(PEOPLE.jan.aadObjectId, '403: Forbidden', minutes(1));
        assert.equal((await store.reminders.get(PEOPLE.jan.aadObjectId))!.lastError, '403: Forbidden');
        assert.equal(await store.reminders.set(member(PEOPLE.jan), TEAMS.kempen.id, minutes(2)), false, 'already on');
        const r = (await store.reminders.get(PEOPLE.jan.aadObjectId))!;
        assert.equal(r.rkkId, TEAMS.kempen.id);
        assert.deepEqual(r.member, member(PEOPLE.jan));
        assert.deepEqual([r.lastError, r.failedAt, r.createdAt], [null, null, T0]);
        assert.equal(await store.reminders.remove(PEOPLE.jan.aadObjectId), true);
        assert.equal(await store.reminders.remove(PEOPLE.jan.aadObjectId), false);
        assert.equal(await store.reminders.get(PEOPLE.jan.aadObjectId), null);
      });

      it('gives the members of these RKKs not yet owed a question\'s reminder and who did not answer it', async () => {
        for (const team of [TEAMS.gent, TEAMS.kempen]) await store.rkks.register(registration(team), T0);
        await store.questions.insert(question({ id: Q }), T0);
        for (const p of [PEOPLE.jan, PEOPLE.lotte, PEOPLE.sofie]) await store.reminders.set(member(p), TEAMS.gent.id, T0);
        await store.reminders.set(member(PEOPLE.mathias), TEAMS.kempen.id, T0);
        await store.answers.upsert(Q, TEAMS.gent.id, member(PEOPLE.lotte), choice('1'), minutes(1));
        await store.deliveries.ensure({ kind: 'notice', questionId: `remind:${Q}`, rkkId: PEOPLE.sofie.aadObjectId }, minutes(2));
        const keys = async (rkks: string[]) => (await store.reminders.unreminded(Q, rkks)).map((r) => r.member.key);
        assert.deepEqual(await keys([TEAMS.gent.id]), [PEOPLE.jan.aadObjectId]);
        assert.deepEqual((await keys([TEAMS.gent.id, TEAMS.kempen.id])).sort(), [PEOPLE.jan.aadObjectId, PEOPLE.mathias.aadObjectId].sort());
        assert.deepEqual(await keys([]), []);
      });

      it('erases the setting and the reminders owed with the rest of a member\'s data', async () => {
        await store.questions.insert(question({ id: Q }), T0);
        await store.reminders.set(member(PEOPLE.jan), TEAMS.gent.id, T0);
        const k = { kind: 'notice' as const, questionId: `remind:${Q}`, rkkId: PEOPLE.jan.aadObjectId };
        await store.deliveries.ensure(k, T0);
        await store.deliveries.ensure({ ...k, rkkId: PEOPLE.sofie.aadObjectId }, T0);
        const erased = await store.eraseMember(PEOPLE.jan.aadObjectId, [], minutes(1));
        assert.equal(erased.reminders, true);
        assert.equal(await store.reminders.get(PEOPLE.jan.aadObjectId), null);
        assert.equal(await store.deliveries.get(k), null, 'no reminder keeps the key');
        assert.ok(await store.deliveries.get({ ...k, rkkId: PEOPLE.sofie.aadObjectId }), 'another member\'s reminder stays');
      });
    });

    describe('proposed questions', () => {
      const proposal = (over: Partial<Proposal> = {}): Proposal => ({
        id: 'voorstel-1', draft: { text: TRICKY, kind: 'single', options: ['Ja', 'Nog niet'], theme: 'data', scale: null },
        proposerKey: PEOPLE.jan.aadObjectId, proposerName: 'Jan Claes', proposerTeamsId: PEOPLE.jan.id, rkkId: TEAMS.gent.id, showName: true,
        state: 'pending', reason: null, decidedBy: null, decidedByName: null, questionId: null, createdAt: T0, decidedAt: null, ...over,
      });
      const card = (id: string, to: string) => ({ kind: 'notice' as const, questionId: `proposal:${id}`, rkkId: to });
      const told = (id: string, to = PEOPLE.jan.aadObjectId) => ({ kind: 'notice' as const, questionId: `proposed:${id}`, rkkId: to });

      it('keeps a proposal as proposed and owes each approver its card once; pending ones are found by RKK', async () => {
        await store.proposals.create(proposal(), [PEOPLE.an.aadObjectId, PEOPLE.sofie.aadObjectId, PEOPLE.an.aadObjectId], T0);
        await store.proposals.create(proposal({ id: 'voorstel-2', rkkId: TEAMS.kempen.id, showName: false, draft: { text: 'Schaal?', kind: 'scale', options: [], theme: 'data', scale: { low: 'helemaal niet', high: 'volledig' } } }), [PEOPLE.an.aadObjectId], minutes(1));
        assert.deepEqual(await store.proposals.get('voorstel-1'), proposal());
        assert.equal((await store.proposals.get('voorstel-2'))!.showName, false);
        assert.deepEqual((await store.proposals.get('voorstel-2'))!.draft.scale, { low: 'helemaal niet', high: 'volledig' });
        assert.deepEqual((await store.deliveries.forQuestion('proposal:voorstel-1', 'notice')).map((d) => d.rkkId).sort(), [PEOPLE.an.aadObjectId, PEOPLE.sofie.aadObjectId].sort());
        assert.deepEqual((await store.proposals.pending(null)).map((p) => p.id), ['voorstel-1', 'voorstel-2']);
        assert.deepEqual((await store.proposals.pending([TEAMS.kempen.id])).map((p) => p.id), ['voorstel-2']);
        assert.deepEqual(await store.proposals.pending([]), []);
        assert.deepEqual((await store.proposals.forProposer(PEOPLE.jan.aadObjectId)).map((p) => p.id), ['voorstel-1', 'voorstel-2']);
      });

      it('an approval makes the question in the same unit of work, owes the proposer a message and the approvers an update, once', async () => {
        await store.proposals.create(proposal(), [PEOPLE.an.aadObjectId, PEOPLE.sofie.aadObjectId], T0);
        assert.ok(await claimAt(store, card('voorstel-1', PEOPLE.an.aadObjectId), minutes(1)));
        await store.deliveries.markSent(card('voorstel-1', PEOPLE.an.aadObjectId), 'a:1an', 'msg-an', minutes(1));
        const edited = { text: 'Gebruiken jullie de MAGDA-documentendienst al?', kind: 'single' as const, options: ['Ja', 'Nog niet', 'Weet ik niet'], theme: 'data' as const, scale: null };
        const q = question({ id: 'gebruiken-jullie-magda', text: edited.text, source: 'command', createdBy: PEOPLE.jan.aadObjectId, targets: [TEAMS.gent.id] });
        const decided = await store.proposals.decide('voorstel-1', { state: 'approved', draft: edited, by: PEOPLE.an.aadObjectId, byName: 'An Peeters' }, q, minutes(2));
        assert.deepEqual([decided?.state, decided?.questionId, decided?.decidedByName, decided?.draft], ['approved', q.id, 'An Peeters', edited]);
        assert.deepEqual(await store.questions.get(q.id), q, 'the question is there');
        assert.equal((await store.proposals.forQuestion(q.id))?.id, 'voorstel-1');
        assert.equal((await store.deliveries.get(told('voorstel-1')))!.state, 'pending', 'the proposer is owed the outcome');
        assert.equal((await store.deliveries.get(card('voorstel-1', PEOPLE.an.aadObjectId)))!.state, 'pending', 'the sent approval card is owed an update');
        assert.equal((await store.deliveries.get(card('voorstel-1', PEOPLE.an.aadObjectId)))!.messageId, 'msg-an', 'updated in place');
        assert.ok((await store.outbox.next(50)).some((o) => o.entity === 'question' && o.key === q.id), 'the question is owed to SharePoint');
        assert.equal(await store.proposals.decide('voorstel-1', { state: 'rejected', reason: 'toch niet', by: PEOPLE.sofie.aadObjectId, byName: 'Sofie' }, null, minutes(3)), null, 'decided once');
        assert.deepEqual(await store.proposals.pending(null), []);
      });

      it('a decision landing while an approval card is being sent owes it again once sent, as an update of the message just sent', async () => {
        await store.proposals.create(proposal(), [PEOPLE.an.aadObjectId], T0);
        const k = card('voorstel-1', PEOPLE.an.aadObjectId);
        assert.ok(await claimAt(store, k, minutes(1)), 'the card showing "wacht op goedkeuring" is on its way to Teams');
        await store.proposals.decide('voorstel-1', { state: 'rejected', reason: 'Die vraag liep vorige maand al.', by: PEOPLE.sofie.aadObjectId, byName: 'Sofie' }, null, minutes(1));
        assert.deepEqual([(await store.deliveries.get(k))!.state, (await store.deliveries.get(k))!.renewAfterSend], ['sending', true], 'still the sender\'s, marked');
        assert.equal(await claimAt(store, k, minutes(1), 'instance-b'), false, 'nobody else takes it meanwhile');

        await store.deliveries.markSent(k, 'a:1an', 'msg-an', minutes(1));
        const after = (await store.deliveries.get(k))!;
        assert.deepEqual([after.state, after.attempts, after.messageId, after.conversationId, after.renewAfterSend], ['pending', 0, 'msg-an', 'a:1an', false], 'owed again, in place');
        assert.deepEqual((await store.deliveries.due(minutes(1))).map((d) => d.questionId), ['proposal:voorstel-1', 'proposed:voorstel-1']);

        assert.ok(await claimAt(store, k, minutes(2)));
        await store.deliveries.markSent(k, 'a:1an', 'msg-an', minutes(2));
        assert.equal((await store.deliveries.get(k))!.state, 'sent', 'once updated it stays sent');
      });

      it('a proposer erased while the question they proposed is being posted gets that post redrawn once it is sent, never posted twice', async () => {
        await store.rkks.register(registration(TEAMS.gent), T0);
        await store.proposals.create(proposal(), [], T0);
        const q = question({ id: 'van-jan', source: 'proposal', createdBy: PEOPLE.jan.aadObjectId, targets: [TEAMS.gent.id] });
        await store.proposals.decide('voorstel-1', { state: 'approved', by: PEOPLE.an.aadObjectId, byName: 'An Peeters' }, q, minutes(1));
        const k = { kind: 'question' as const, questionId: q.id, rkkId: TEAMS.gent.id };
        await store.deliveries.ensure(k, minutes(2));
        assert.ok(await claimAt(store, k, minutes(2)));
        await store.eraseMember(PEOPLE.jan.aadObjectId, [], minutes(2));
        await store.deliveries.markSent(k, thread(TEAMS.gent, ROOT_GENT), ROOT_GENT, minutes(2), 0);
        const post = (await store.deliveries.get(k))!;
        assert.deepEqual([post.state, post.shownCount, post.renewAfterSend], ['sent', -1, false], 'sent, and its card owed a redraw');
        assert.deepEqual(await store.deliveries.staleCounts(minutes(3)), [k], 'the count sweep redraws it without the name');
      });

      it('a rejection keeps the reason and makes no question; an approval whose question exists changes nothing', async () => {
        await store.proposals.create(proposal(), [], T0);
        await store.proposals.create(proposal({ id: 'voorstel-2' }), [], T0);
        const rejected = await store.proposals.decide('voorstel-1', { state: 'rejected', reason: 'Die vraag liep vorige maand al.', by: PEOPLE.an.aadObjectId, byName: 'An Peeters' }, null, minutes(1));
        assert.deepEqual([rejected?.state, rejected?.reason, rejected?.questionId], ['rejected', 'Die vraag liep vorige maand al.', null]);
        assert.equal((await store.deliveries.get(told('voorstel-1')))!.state, 'pending');
        await store.questions.insert(question({ id: 'bestaat-al' }), T0);
        await assert.rejects(store.proposals.decide('voorstel-2', { state: 'approved', by: PEOPLE.an.aadObjectId, byName: 'An Peeters' }, question({ id: 'bestaat-al', text: 'Anders' }), minutes(2)));
        assert.equal((await store.proposals.get('voorstel-2'))!.state, 'pending', 'rolled back');
        assert.equal(await store.deliveries.get(told('voorstel-2')), null);
      });

      it('erases a member\'s proposals and the message owed them; the question one became stays, no longer theirs; retention removes old ones', async () => {
        await store.proposals.create(proposal(), [PEOPLE.an.aadObjectId], T0);
        await store.proposals.create(proposal({ id: 'voorstel-2', proposerKey: PEOPLE.sofie.aadObjectId }), [], T0);
        assert.ok(await claimAt(store, card('voorstel-1', PEOPLE.an.aadObjectId), T0));
        await store.deliveries.markSent(card('voorstel-1', PEOPLE.an.aadObjectId), 'a:1an', 'msg-an', T0);
        const q = question({ id: 'van-jan', source: 'proposal', createdBy: PEOPLE.jan.aadObjectId });
        await store.proposals.decide('voorstel-1', { state: 'approved', by: PEOPLE.an.aadObjectId, byName: 'An Peeters' }, q, minutes(1));
        assert.ok(await claimAt(store, card('voorstel-1', PEOPLE.an.aadObjectId), minutes(1)));
        await store.deliveries.markSent(card('voorstel-1', PEOPLE.an.aadObjectId), 'a:1an', 'msg-an', minutes(1));
        const erased = await store.eraseMember(PEOPLE.jan.aadObjectId, [], minutes(2));
        assert.equal(erased.proposals, 1);
        assert.equal(await store.proposals.get('voorstel-1'), null);
        assert.equal(await store.proposals.forQuestion(q.id), null, 'the card no longer names them');
        assert.equal((await store.questions.get(q.id))?.createdBy, null, 'the question stays, no longer theirs');
        assert.equal(await store.deliveries.get(told('voorstel-1')), null, 'the message to them goes too');
        assert.equal((await store.deliveries.get(card('voorstel-1', PEOPLE.an.aadObjectId)))!.state, 'pending', 'the approval card that named them is owed an update');
        assert.ok(await store.proposals.get('voorstel-2'));
        assert.equal(await store.proposals.deleteWhere({ before: minutes(1) }, minutes(3)), 1, 'retention');
        assert.equal(await store.proposals.get('voorstel-2'), null);
      });
    });

    describe('recurring themes', () => {
      it('keeps a week\'s themes as shown the first time only, each owed to SharePoint', async () => {
        const theme = { label: 'e-loket', rkkNames: ['RKK Gent-Eeklo', 'RKK Kempen'], buildingBlocks: ['data' as const], evidence: [{ question: 'Vraag?', rkkName: 'RKK Kempen', text: 'Één e-loket', link: null }], more: 1 };
        assert.equal(await store.themes.record('2026-W49', [theme], T0), true);
        assert.equal(await store.themes.record('2026-W49', [{ ...theme, label: 'anders' }], minutes(1)), false, 'once a week');
        assert.deepEqual(await store.themes.week('2026-W49'), [theme]);
        assert.equal(await store.themes.week('2026-W50'), null);
        assert.deepEqual((await store.outbox.next(10)).filter((p) => p.entity === 'theme').map((p) => p.key), [entityKey('2026-W49', 'e-loket')]);
      });
    });

    describe('audit', () => {
      it('records entries with increasing ids and gives them back', async () => {
        const first = await store.audit.record({ actorKey: PEOPLE.an.aadObjectId, actorName: PEOPLE.an.name, action: 'moderator-add', target: PEOPLE.sofie.aadObjectId, details: 'RKK Gent-Eeklo' }, minutes(1));
        const second = await store.audit.record({ actorKey: PEOPLE.an.aadObjectId, actorName: PEOPLE.an.name, action: 'sync-retry' }, minutes(2));
        assert.ok(second > first);
        assert.deepEqual(await store.audit.get(first), {
          id: first, at: minutes(1), actorKey: PEOPLE.an.aadObjectId, actorName: 'An Peeters', action: 'moderator-add',
          target: PEOPLE.sofie.aadObjectId, details: 'RKK Gent-Eeklo',
        });
        const bare = await store.audit.get(second);
        assert.equal(bare?.target, null);
        assert.equal(bare?.details, null);
        assert.equal(await store.audit.get(second + 1000), null);
      });

      it('lists recent entries newest first, up to a limit', async () => {
        const recorded: number[] = [];
        for (const [i, action] of ['erase', 'post-now', 'close', 'moderator-remove'].entries()) {
          recorded.push(await store.audit.record({ actorKey: PEOPLE.an.aadObjectId, actorName: PEOPLE.an.name, action }, minutes(i)));
        }
        assert.deepEqual((await store.audit.recent()).map((e) => e.action), ['moderator-remove', 'close', 'post-now', 'erase']);
        assert.deepEqual((await store.audit.recent(2)).map((e) => e.id), [recorded[3], recorded[2]]);
      });
    });

    describe('erasing a member', () => {
      it("removes a member's answers under every key, their replies and their personal chat, and nobody else's", async () => {
        const q = await postedMagda();
        await store.questions.insert(inWeek(anoniem(), '2026-W49'), T0);
        const jan = PEOPLE.jan.aadObjectId;
        const hashed = anonMember('Jb7kLp9xQ2mVt4wZs8RrUe');
        await store.answers.upsert(q.id, TEAMS.gent.id, member(PEOPLE.jan), withComment('Sinds september.', '1'), minutes(1));
        await store.answers.upsert(anoniem().id, TEAMS.gent.id, hashed, choice('4'), minutes(2));
        await store.answers.upsert(q.id, TEAMS.gent.id, member(PEOPLE.sofie), choice('1'), minutes(3));
        await store.comments.add(reply({ messageId: '1795000000001' }));
        await store.comments.add(reply({ messageId: '1795000000002', authorKey: PEOPLE.sofie.aadObjectId, authorName: PEOPLE.sofie.name }));
        await store.rkks.savePersonalChat(jan, personalRef(PEOPLE.jan), minutes(4));
        await store.rkks.savePersonalChat(PEOPLE.sofie.aadObjectId, personalRef(PEOPLE.sofie), minutes(4));

        assert.deepEqual(await store.eraseMember(jan, [hashed.key], minutes(10)), { answers: 2, comments: 1, chat: true, asks: 0, reminders: false, proposals: 0 });
        assert.deepEqual(await store.answers.forMember(jan), []);
        assert.equal(await store.answers.get(anoniem().id, hashed.key), null);
        assert.deepEqual(await store.comments.forAuthor(jan), []);
        assert.equal(await store.rkks.hasPersonalChat(jan), false);
        assert.deepEqual(await store.answers.counts(q.id), { respondents: 1, comments: 0, perOption: perOption({ 1: 1 }) });
        assert.equal(await store.answers.count(anoniem().id), 0);
        assert.equal((await store.comments.forAuthor(PEOPLE.sofie.aadObjectId)).length, 1);
        assert.equal(await store.rkks.hasPersonalChat(PEOPLE.sofie.aadObjectId), true);
        assert.deepEqual(await store.eraseMember(jan, [hashed.key], minutes(11)), { answers: 0, comments: 0, chat: false, asks: 0, reminders: false, proposals: 0 });
      });
    });

    describe('persistence and lifecycle', () => {
      it('keeps everything across a reopen', async () => {
        const q = await postedMagda();
        await store.questions.insert(inWeek(anoniem(), '2026-W49'), T0);
        const salt = await store.questions.salt(anoniem().id);
        await store.rkks.claimGreeting(TEAMS.gent.id);
        await store.rkks.markGreeted(TEAMS.gent.id);
        await store.rkks.addModerator(TEAMS.gent.id, PEOPLE.sofie.aadObjectId, PEOPLE.an.aadObjectId, minutes(1));
        await store.rkks.savePersonalChat(PEOPLE.lotte.aadObjectId, personalRef(PEOPLE.lotte), minutes(1));
        await store.deliveries.ensure(post(q.id, TEAMS.kempen), WEEK['2026-W49'].publishAt);
        await claimAt(store, post(q.id, TEAMS.kempen), WEEK['2026-W49'].publishAt);
        await store.deliveries.retryLater(post(q.id, TEAMS.kempen), '429 Too Many Requests', minutes(5, WEEK['2026-W49'].publishAt));
        const answer = await store.answers.upsert(q.id, TEAMS.gent.id, member(PEOPLE.jan), withComment('Sinds september.', '1'), minutes(2));
        await store.comments.add(reply({ messageId: '1795000000001' }));
        await store.outbox.park('answer', entityKey(q.id, PEOPLE.jan.aadObjectId), 'SharePoint: 400', minutes(3));
        await store.outbox.rememberItem('question', q.id, '12', minutes(3));
        await store.outbox.saveQuestionRow('7', q.id, 'sha256:3f1a', 'Ingepland', minutes(3));
        const auditId = await store.audit.record({ actorKey: PEOPLE.an.aadObjectId, actorName: PEOPLE.an.name, action: 'moderator-add' }, minutes(4));
        const rkk = await store.rkks.get(TEAMS.gent.id);
        const pending = await store.outbox.next(100);
        const delivery = await store.deliveries.get(post(q.id, TEAMS.kempen));

        await reopen();
        assert.equal(store.isOpen(), true);
        assert.deepEqual(await store.rkks.get(TEAMS.gent.id), rkk);
        assert.equal(await store.rkks.claimGreeting(TEAMS.gent.id), false);
        assert.deepEqual(await store.rkks.moderators(TEAMS.gent.id), [PEOPLE.sofie.aadObjectId]);
        assert.equal(await store.rkks.hasPersonalChat(PEOPLE.lotte.aadObjectId), true);
        assert.deepEqual(await store.questions.get(q.id), q);
        assert.equal(await store.questions.salt(anoniem().id), salt, 'an anonymous member keeps the same key after a restart');
        assert.deepEqual(await store.deliveries.get(post(q.id, TEAMS.kempen)), delivery);
        assert.equal((await store.deliveries.byRootMessage(ROOT_GENT))?.rkkId, TEAMS.gent.id);
        assert.deepEqual(await store.answers.get(q.id, PEOPLE.jan.aadObjectId), answer);
        assert.deepEqual(await store.answers.counts(q.id), { respondents: 1, comments: 1, perOption: perOption({ 1: 1 }) });
        assert.equal((await store.comments.find(thread(TEAMS.gent, ROOT_GENT), '1795000000001'))?.text, reply({ messageId: 'x' }).text);
        assert.deepEqual(await store.outbox.next(100), pending);
        assert.equal(await store.outbox.parkedCount(), 1);
        assert.equal(await store.outbox.itemId('question', q.id), '12');
        assert.deepEqual(await store.outbox.questionRow('7'), { questionId: q.id, contentHash: 'sha256:3f1a', status: 'Ingepland' });
        assert.equal((await store.audit.get(auditId))?.action, 'moderator-add');
        const later = await store.audit.record({ actorKey: PEOPLE.an.aadObjectId, actorName: PEOPLE.an.name, action: 'close' }, minutes(5));
        assert.ok(later > auditId, 'ids keep increasing after a reopen');
      });

      it('keeps text exactly as given: accents, emoji, markdown, template syntax and a 2,000-character reply', async () => {
        assert.equal(LONG_COMMENT.length, 2000);
        await store.rkks.register(registration(TEAMS.gent), T0);
        await store.rkks.rename(TEAMS.gent.id, `RKK Waas & Dender — ‘coördinatie’ 🇧🇪`, minutes(1));
        const q = inWeek(question({ id: 'tekst-${id}', text: TRICKY, options: [{ id: '1', label: '**Ja** 👍' }, { id: '2', label: 'Nee — ${nee}' }] }), '2026-W49');
        await store.questions.insert(q, T0);
        await store.answers.upsert(q.id, TEAMS.gent.id, { ...member(PEOPLE.jan), name: 'Jan Claes-Vandenbroucke (één)' }, withComment(LONG_COMMENT, '1'), minutes(2));
        await store.answers.upsert(q.id, TEAMS.gent.id, member(PEOPLE.sofie), { choices: [], text: TRICKY, comment: TRICKY }, minutes(3));
        await store.comments.add(reply({ messageId: '1795000000001', questionId: q.id, text: LONG_COMMENT, authorName: 'Zoë Van Hoeylandt' }));
        await store.comments.add(reply({ messageId: '1795000000002', questionId: q.id, text: TRICKY }));
        const auditId = await store.audit.record({ actorKey: PEOPLE.an.aadObjectId, actorName: 'An Peeters', action: 'edit', target: q.id, details: TRICKY }, minutes(4));

        await reopen();
        assert.equal((await store.rkks.get(TEAMS.gent.id))?.name, 'RKK Waas & Dender — ‘coördinatie’ 🇧🇪');
        assert.deepEqual(await store.questions.get(q.id), q);
        const jan = await store.answers.get(q.id, PEOPLE.jan.aadObjectId);
        assert.equal(jan?.comment, LONG_COMMENT);
        assert.equal(jan?.member.name, 'Jan Claes-Vandenbroucke (één)');
        const sofie = await store.answers.get(q.id, PEOPLE.sofie.aadObjectId);
        assert.equal(sofie?.text, TRICKY);
        assert.equal(sofie?.comment, TRICKY);
        const long = await store.comments.find(thread(TEAMS.gent, ROOT_GENT), '1795000000001');
        assert.equal(long?.text, LONG_COMMENT);
        assert.equal(long?.authorName, 'Zoë Van Hoeylandt');
        assert.equal((await store.comments.find(thread(TEAMS.gent, ROOT_GENT), '1795000000002'))?.text, TRICKY);
        assert.equal((await store.audit.get(auditId))?.details, TRICKY);
      });

      it('is open until closed; closing twice is harmless', async () => {
        assert.equal(store.isOpen(), true);
        await store.close();
        assert.equal(store.isOpen(), false);
        await store.close();
        assert.equal(store.isOpen(), false);
      });

      it('rejects (never throws) a call made after close', async () => {
        await store.close();
        const calls: [string, () => Promise<unknown>][] = [
          ['rkks.get', () => store.rkks.get(TEAMS.gent.id)],
          ['rkks.register', () => store.rkks.register(registration(TEAMS.gent), T0)],
          ['questions.queued', () => store.questions.queued()],
          ['deliveries.due', () => store.deliveries.due(T0)],
          ['answers.upsert', () => store.answers.upsert('magda-documentendienst', TEAMS.gent.id, member(PEOPLE.jan), choice('1'), T0)],
          ['comments.find', () => store.comments.find(thread(TEAMS.gent, ROOT_GENT), '1795000000001')],
          ['outbox.next', () => store.outbox.next(10)],
          ['audit.recent', () => store.audit.recent()],
          ['eraseMember', () => store.eraseMember(PEOPLE.jan.aadObjectId, [], T0)],
        ];
        for (const [what, call] of calls) {
          let pending: Promise<unknown> | undefined;
          assert.doesNotThrow(() => { pending = call(); }, `${what} threw synchronously`);
          await assert.rejects(pending!, `${what} resolved on a closed store`);
        }
      });
    });
  });
}

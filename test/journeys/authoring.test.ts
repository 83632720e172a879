import assert from 'node:assert/strict';
import { FakeConnector } from '../fakes/connector';
import { FakeTime } from '../support/clock';
import { startTestBot, tempDir, writeQuestions, cardOf, cardText, type TestBot } from '../support/bot';
import { PEOPLE, TEAMS, installInTeam, cardAction, mentionCommand, personalMessage } from '../support/teams';
import { confirmButton, confirmed } from '../support/confirm';

const verb = (name: string, data: unknown) => ({ action: { type: 'Action.Execute', verb: name, data } });
const planAction = (data: Record<string, unknown>) => verb('kk.plan', data);

type Element = Record<string, unknown>;
/** Every element of a card, depth first (containers, columns, action sets included). */
function elements(card: Element): Element[] {
  const out: Element[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      if (typeof (n as Element).type === 'string') out.push(n as Element);
      for (const [k, v] of Object.entries(n)) if (k !== 'data') walk(v);
    }
  };
  walk(card.body);
  return out;
}
const actionsOf = (card: Element) => card.actions as { verb: string; data: Record<string, unknown>; associatedInputs?: string }[];
/** The red remark under a field: the first Attention text after the top-level block holding the input, before the next input. */
function errorUnder(card: Element, id: string): string | null {
  const body = card.body as Element[];
  const at = body.findIndex((b) => elements({ body: [b] }).some((e) => e.id === id));
  // A group of fields (the options) has its remark inside, above its fields.
  const inside = ((body[at]!.items ?? []) as Element[]).find((e) => e.type === 'TextBlock' && e.color === 'Attention');
  if (inside) return String(inside.text);
  for (const b of body.slice(at + 1)) {
    if (elements({ body: [b] }).some((e) => String(e.type).startsWith('Input.'))) return null;
    if (b.type === 'TextBlock' && b.color === 'Attention') return String(b.text);
  }
  return null;
}

describe('journey 6 (local): admins plan questions with a card form and see what is coming', () => {
  let connector: FakeConnector;
  let bot: TestBot;

  beforeEach(async () => {
    connector = await FakeConnector.start();
    const dir = tempDir();
    const time = new FakeTime('2026-11-24T10:00:00Z');
    bot = await startTestBot({
      dataDir: dir, clock: time, timers: time,
      env: { QUESTIONS_FILE: writeQuestions(dir, [{ id: 'burgerprofiel-koppeling', text: 'Tonen jullie lopende aanvragen al in het burgerprofiel?', kind: 'single', options: ['Ja', 'Nee'], theme: 'infrastructuur' }]) },
    });
    await bot.send(installInTeam(connector.url, TEAMS.kempen, PEOPLE.an));
  });
  afterEach(async () => {
    await bot.close();
    await connector.close();
  });

  it('plan: a Dutch form with a date picker and separate options, errors under their fields, a preview, then planned once', async () => {
    const chat = `a:1personal-${PEOPLE.an.aadObjectId}`;
    await bot.send(personalMessage(connector.url, PEOPLE.an, 'plan'));
    const form = cardOf(connector.conversation(chat)[0]!);
    assert.match(cardText(form), /Nieuwe vraag van de week/);
    const inputs = elements(form).filter((e) => String(e.type).startsWith('Input.'));
    assert.deepEqual(inputs.filter((e) => e.type === 'Input.Date').map((e) => [e.id, e.min]), [['date', '2026-11-24']], 'a date picker, from today');
    const optionFields = inputs.filter((e) => /^option\d+$/.test(String(e.id)));
    assert.equal(optionFields.length, 10, 'one field per option, up to the limit');
    assert.deepEqual(optionFields.slice(0, 3).map((e) => e.placeholder), ['Bijvoorbeeld: Ja', 'Bijvoorbeeld: Nee', 'Bijvoorbeeld: Weet ik niet'], 'placeholders read as examples');
    assert.ok(optionFields.every((e) => !e.value), 'no option is filled in for the author');
    assert.equal(optionFields[3]!.placeholder, 'Nog een optie (niet verplicht)');
    const theme = inputs.find((e) => e.id === 'theme')!;
    assert.deepEqual([theme.value, theme.placeholder], ['', 'Kies een thema'], 'no theme is chosen for the author');
    assert.equal(inputs.find((e) => e.id === 'date')!.placeholder, 'Kies een dag');
    assert.match(cardText(form), /de vraag gaat dan uit op maandag om 9\.00 uur\. Laat leeg om de vraag achteraan in de wachtrij te zetten\./);
    assert.deepEqual(actionsOf(form).map((a) => a.verb), ['kk.planPreview'], 'the form first shows a preview');

    // Placeholders are not options: one filled option, a short text and a bad day come back under their fields.
    const bad = cardOf((await bot.send(cardAction(connector.url, null, chat, PEOPLE.an,
      verb('kk.planPreview', { text: 'Welke?', kind: 'single', option1: 'Alleen één optie', theme: 'infrastructuur', date: '2026-02-30' })))).body);
    assert.match(cardText(bad), /Nog niet alles is in orde/);
    assert.equal(errorUnder(bad, 'text'), 'De vraag is te kort: minstens 10 tekens, nu 6.');
    assert.equal(errorUnder(bad, 'option1'), 'Een keuzevraag heeft 2 tot 10 antwoordopties nodig; nu is er 1.');
    assert.equal(errorUnder(bad, 'date'), 'Kies een dag met de datumkiezer.');
    assert.equal(errorUnder(bad, 'theme'), null, 'a good field has no remark');
    assert.doesNotMatch(cardText(bad), /^(week|options|text|kind|theme|date)\b/m, 'no raw field names');
    assert.equal(elements(bad).find((e) => e.id === 'option1')!.value, 'Alleen één optie', 'what was typed is kept');
    const noTheme = cardOf((await bot.send(cardAction(connector.url, null, chat, PEOPLE.an,
      verb('kk.planPreview', { text: 'Welke tool? '.repeat(50), kind: 'open', theme: '' })))).body);
    assert.equal(errorUnder(noTheme, 'text'), 'De vraag is te lang: hoogstens 500 tekens, nu 599.');
    assert.equal(errorUnder(noTheme, 'theme'), 'Kies een thema.');
    const lastWeek = cardOf((await bot.send(cardAction(connector.url, null, chat, PEOPLE.an,
      verb('kk.planPreview', { text: 'Welke tool gebruiken jullie voor e-loketten?', kind: 'open', theme: 'infrastructuur', date: '2026-11-15' })))).body);
    assert.equal(errorUnder(lastWeek, 'date'), 'Die week is al voorbij: kies een latere dag.');

    // The picker names option fields: field 4 is the third option, since field 3 is empty.
    const fields = { text: 'Welke tool gebruiken jullie voor e-loketten?', kind: 'single', option1: 'Eigen ontwikkeling', option2: 'Pakket van een leverancier', option3: '', option4: 'Geen e-loket', experience: '2,4', theme: 'infrastructuur', date: '2026-12-09' };
    const preview = cardOf((await bot.send(cardAction(connector.url, null, chat, PEOPLE.an, verb('kk.planPreview', fields)))).body);
    const shown = cardText(preview);
    assert.match(shown, /Voorbeeld: zo zien de leden de vraag/);
    assert.match(shown, /Gaat uit\nmaandag 7 december, 9\.00 uur \(week 50\)/, 'the week comes from the day picked');
    assert.match(shown, /Sluit\nmaandag 14 december, 8\.59 uur/);
    assert.match(shown, /Voor\nalle kenniskringen/);
    assert.match(shown, /Vraag van de week[^]*Welke tool gebruiken jullie voor e-loketten\?[^]*Eigen ontwikkeling[^]*Pakket van een leverancier[^]*Geen e-loket/, 'the card as members will see it');
    assert.deepEqual(await bot.app.store.questions.inWeek('2026-W50'), [], 'a preview plans nothing');
    const [planIt, change] = actionsOf(preview);
    assert.deepEqual([planIt!.verb, planIt!.associatedInputs, change!.verb], ['kk.plan', 'none', 'kk.planEdit'], 'the sample card\'s fields are not sent');

    const again = cardOf((await bot.send(cardAction(connector.url, null, chat, PEOPLE.an, verb('kk.planEdit', change!.data)))).body);
    assert.equal(elements(again).find((e) => e.id === 'text')!.value, fields.text, '"Aanpassen" brings back the form as it was');
    assert.equal(elements(again).find((e) => e.id === 'date')!.value, '2026-12-09');

    const good = cardOf((await bot.send(cardAction(connector.url, null, chat, PEOPLE.an, verb('kk.plan', planIt!.data)))).body);
    assert.match(cardText(good), /Vraag gepland[^]*De vraag gaat uit op maandag 7 december, 9\.00 uur \(week 50\)\./);
    const twice = cardOf((await bot.send(cardAction(connector.url, null, chat, PEOPLE.an, verb('kk.plan', planIt!.data)))).body);
    assert.match(cardText(twice), /Deze vraag werd net al gepland\./, 'a second click on the same preview plans nothing more');
    const planned = await bot.app.store.questions.inWeek('2026-W50');
    assert.equal(planned.length, 1);
    assert.deepEqual(planned[0]!.options.map((o) => o.label), ['Eigen ontwikkeling', 'Pakket van een leverancier', 'Geen e-loket']);
    assert.deepEqual(planned[0]!.options.filter((o) => o.experience).map((o) => o.label), ['Pakket van een leverancier', 'Geen e-loket'], 'the options marked as experience');
    assert.match(shown, /Collega's mogen me hierover contacteren[^]*Geldt als je “Pakket van een leverancier” of “Geen e-loket” kiest\./, 'the preview offers the consent');
    assert.equal(planned[0]!.createdBy, PEOPLE.an.aadObjectId);
    assert.equal(planned[0]!.publishAt!.toISOString(), '2026-12-07T08:00:00.000Z', 'Monday 09:00 Brussels time');
  });

  it('plan: scale meanings, no comments and an anonymous question, as the form set them', async () => {
    const chat = `a:1personal-${PEOPLE.an.aadObjectId}`;
    const fields = { text: 'Hoe ver staat jullie bestuur met de digitale handtekening?', kind: 'scale', scaleLow: 'helemaal niet', scaleHigh: '', theme: 'strategie', comment: 'false', anonymous: 'true', option1: 'telt niet mee' };
    const half = cardOf((await bot.send(cardAction(connector.url, null, chat, PEOPLE.an, verb('kk.planPreview', fields)))).body);
    assert.equal(errorUnder(half, 'scaleHigh'), 'Vul beide betekenissen in, of laat ze allebei leeg.');
    const preview = cardOf((await bot.send(cardAction(connector.url, null, chat, PEOPLE.an, verb('kk.planPreview', { ...fields, scaleHigh: 'volledig' })))).body);
    assert.match(cardText(preview), /Gaat uit\nna de vragen die al klaarstaan \(plaats 1 in de wachtrij\)/);
    assert.match(cardText(preview), /1 = helemaal niet · 5 = volledig/);
    await bot.send(cardAction(connector.url, null, chat, PEOPLE.an, verb('kk.plan', actionsOf(preview)[0]!.data)));
    const [q] = await bot.app.store.questions.queued();
    assert.deepEqual([q!.kind, q!.scaleLabels, q!.allowComment, q!.anonymous, q!.options.length], ['scale', { low: 'helemaal niet', high: 'volledig' }, false, true, 0]);
  });

  it('a member cannot plan through a forged card action', async () => {
    const res = await bot.send(cardAction(connector.url, null, `a:1personal-${PEOPLE.jan.aadObjectId}`, PEOPLE.jan,
      planAction({ text: 'Mag ik dit plannen als gewoon lid?', kind: 'open', theme: 'andere', week: '' })));
    assert.match(cardText(cardOf(res.body)), /Dit kan een moderator van deze kenniskring of een beheerder van V-ICT-OR\./);
    const all = [...(await bot.app.store.questions.queued()), ...(await bot.app.store.questions.published(new Date('2100-01-01')))];
    assert.ok(!all.some((q) => q.text.startsWith('Mag ik dit plannen')), 'nothing planned');
  });

  it('vragen lists the open question, the scheduled ones and the queue', async () => {
    await confirmed((a) => bot.send(a), connector, TEAMS.kempen, PEOPLE.an, 'publiceer');
    await bot.send(cardAction(connector.url, null, 'a:1x', PEOPLE.an,
      planAction({ text: 'Hoe organiseren jullie de opleiding van nieuwe collega\'s in Teams?', kind: 'open', theme: 'vaardigheden', week: '' })));
    await bot.send(cardAction(connector.url, null, 'a:1x', PEOPLE.an,
      planAction({ text: 'Welke cloudopslag gebruiken jullie voor gedeelde documenten?', kind: 'open', theme: 'infrastructuur', date: '2026-12-16' })));
    await bot.send(mentionCommand(connector.url, TEAMS.kempen, PEOPLE.an, 'vragen'));
    const list = connector.conversation(TEAMS.kempen.id).map((a) => cardText(a.attachments)).find((t) => t.startsWith('Komende vragen'));
    assert.ok(list, 'the list was posted');
    assert.match(list, /week 48 \(23–29 november\) · nu open\nTonen jullie lopende aanvragen al in het burgerprofiel\?/);
    assert.match(list, /week 49 \(30 november–6 december\) · verwacht, plaats 1 in de wachtrij\nHoe organiseren jullie de opleiding/);
    assert.match(list, /opleiding van nieuwe collega's in Teams\?\nweek 51 \(14–20 december\) · gepland\nWelke cloudopslag/, 'in the order they go out: the queue\'s week 49 before the planned week 51');
  });

  it('vragen pages through a long list: every question once, in order, with a button to the next page and back', async () => {
    await confirmed((a) => bot.send(a), connector, TEAMS.kempen, PEOPLE.an, 'publiceer');
    const texts = Array.from({ length: 12 }, (_, i) => `Vraag nummer ${i + 1} over de digitale werking van jullie bestuur?`);
    for (const text of texts) await bot.send(cardAction(connector.url, null, 'a:1x', PEOPLE.an, planAction({ text, kind: 'open', theme: 'andere', week: '' })));
    await bot.send(mentionCommand(connector.url, TEAMS.kempen, PEOPLE.an, 'vragen'));
    const first = connector.conversation(TEAMS.kempen.id).at(-1)!;
    const page1 = cardText(first.attachments);
    assert.match(page1, /Pagina 1 van 2: 13 vragen in totaal, nog 5 na deze pagina\./);
    const button = (first.attachments as { content: { actions?: { verb: string; data: Record<string, unknown> }[] } }[])[0]!.content.actions!;
    assert.deepEqual(button.map((b) => [b.verb, b.data]), [['kk.upcoming', { page: 2, lang: 'nl' }]]);
    const page2 = cardText(cardOf((await bot.send(cardAction(connector.url, TEAMS.kempen, TEAMS.kempen.id, PEOPLE.an,
      { action: { type: 'Action.Execute', verb: 'kk.upcoming', data: button[0]!.data } }))).body));
    assert.match(page2, /Pagina 2 van 2/);
    assert.match(page2, /Terug naar het begin/);
    const shown = [...page1.matchAll(/Vraag nummer (\d+)/g), ...page2.matchAll(/Vraag nummer (\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(shown, texts.map((_, i) => i + 1), 'each queued question once, in queue order');
    assert.match(page1, /week 53 \(28 december–3 januari 2027\) · verwacht, plaats 5 in de wachtrij/, 'a week across two months and years, and 2026\'s week 53');
    assert.match(page2, /week 7 \(15–21 februari 2027\) · verwacht, plaats 12 in de wachtrij/);
  });

  it('sluit and publiceer change nothing until Bevestigen; after a close, publiceer offers the next question explicitly', async () => {
    const lastCard = () => connector.conversation(TEAMS.kempen.id).at(-1)!;
    const click = (data: Record<string, unknown>, verb: string) => bot.send(cardAction(connector.url, TEAMS.kempen, TEAMS.kempen.id, PEOPLE.an,
      { action: { type: 'Action.Execute', verb, data } }));
    // publiceer: what will happen, nothing posted yet.
    await bot.send(mentionCommand(connector.url, TEAMS.kempen, PEOPLE.an, 'publiceer'));
    assert.match(cardText(lastCard().attachments), /Deze vraag nu posten\?\nTonen jullie lopende aanvragen[^]*Ze gaat meteen naar: RKK Kempen\./);
    assert.equal(connector.threads(TEAMS.kempen.id).filter((t) => cardText(t.root?.attachments).includes('burgerprofiel')).length, 0, 'not posted yet');
    const cancelled = cardText(cardOf((await click({ lang: 'nl' }, 'kk.cancel')).body));
    assert.match(cancelled, /Er is niets veranderd/);
    await confirmed((a) => bot.send(a), connector, TEAMS.kempen, PEOPLE.an, 'publiceer');
    assert.equal(connector.threads(TEAMS.kempen.id).filter((t) => cardText(t.root?.attachments).includes('burgerprofiel')).length, 1, 'posted after Bevestigen');

    // sluit: a bare sluit changes nothing; a stale confirmation neither.
    await bot.send(mentionCommand(connector.url, TEAMS.kempen, PEOPLE.an, 'sluit'));
    const closeButton = confirmButton(lastCard())!;
    assert.match(cardText(lastCard().attachments), /Deze vraag nu sluiten\?[^]*De resultaten komen in de draad van: RKK Kempen\./);
    assert.equal((await bot.app.store.questions.get('burgerprofiel-koppeling'))!.closedAt, null, 'still open');
    const stale = cardText(cardOf((await click({ ...closeButton.data, questionId: 'een-andere-vraag' }, 'kk.close')).body));
    assert.match(stale, /niet meer de open vraag/);
    assert.equal((await bot.app.store.questions.get('burgerprofiel-koppeling'))!.closedAt, null, 'still open after a stale confirmation');
    const closed = cardText(cardOf((await click(closeButton.data!, 'kk.close')).body));
    assert.match(closed, /De vraag is gesloten/);
    assert.ok((await bot.app.store.questions.get('burgerprofiel-koppeling'))!.closedAt);

    // publiceer after the close, in the same week: nothing for this week, the next one offered on purpose.
    await bot.send(cardAction(connector.url, null, 'a:1x', PEOPLE.an,
      planAction({ text: 'Hoe organiseren jullie de opleiding van nieuwe collega\'s in Teams?', kind: 'open', theme: 'vaardigheden', date: '2026-12-07' })));
    await bot.send(mentionCommand(connector.url, TEAMS.kempen, PEOPLE.an, 'publiceer'));
    const nothing = cardText(lastCard().attachments);
    assert.match(nothing, /^Vraag posten\nVoor deze week staat er geen vraag \(meer\) klaar om te posten\.[^]*De volgende vraag staat klaar voor week 50:\nHoe organiseren jullie/);
    assert.equal(confirmButton(lastCard()), null, 'no confirm button: only the explicit offer');
    const offer = cardText(cardOf((await click({ next: true, lang: 'nl' }, 'kk.publish')).body));
    assert.match(offer, /Deze vraag nu posten\?[^]*Het is de vraag van week 50: ze gaat vroeger uit dan gepland\./);
    assert.equal(connector.threads(TEAMS.kempen.id).filter((t) => cardText(t.root?.attachments).includes('opleiding van nieuwe')).length, 0, 'not posted before the second Bevestigen');
  });

  it('moderators manage the questions of their own RKK only; administrators appoint them, and it is audited', async () => {
    await bot.send(installInTeam(connector.url, TEAMS.gent, PEOPLE.an));
    const say = (team: typeof TEAMS.gent, who: typeof PEOPLE.jan, cmd: string) => bot.send(mentionCommand(connector.url, team, who, cmd));
    const lastReply = (team: { id: string }) => cardText(connector.conversation(team.id).at(-1)!.attachments);

    await say(TEAMS.kempen, PEOPLE.jan, 'publiceer');
    assert.match(lastReply(TEAMS.kempen), /voorbehouden aan de moderatoren van deze kenniskring/, 'not a moderator yet');
    await say(TEAMS.kempen, PEOPLE.jan, `moderator ${PEOPLE.jan.aadObjectId}`);
    assert.match(lastReply(TEAMS.kempen), /voorbehouden aan de beheerders/, 'only administrators appoint');
    await say(TEAMS.kempen, PEOPLE.an, `moderator ${PEOPLE.jan.aadObjectId}`);
    assert.match(lastReply(TEAMS.kempen), /is nu moderator van RKK Kempen/);

    await confirmed((a) => bot.send(a), connector, TEAMS.kempen, PEOPLE.jan, 'publiceer');
    const posted = (team: { id: string }) => connector.threads(team.id).filter((t) => cardText(t.root?.attachments).includes('burgerprofiel')).length;
    assert.equal(posted(TEAMS.kempen), 1, 'posted in his own RKK');
    assert.equal(posted(TEAMS.gent), 0, 'and nowhere else');
    await say(TEAMS.gent, PEOPLE.jan, 'publiceer');
    assert.match(lastReply(TEAMS.gent), /voorbehouden aan de moderatoren/, 'not in another RKK');
    await say(TEAMS.kempen, PEOPLE.jan, 'sluit');
    assert.match(lastReply(TEAMS.kempen), /loopt in meer kenniskringen dan de jouwe/, 'a question for all RKKs is closed by an administrator');
    await say(TEAMS.kempen, PEOPLE.jan, `wis ${PEOPLE.sofie.aadObjectId}`);
    assert.match(lastReply(TEAMS.kempen), /voorbehouden aan de beheerders/, 'erasing stays with administrators');

    const plan = await bot.send(cardAction(connector.url, TEAMS.kempen, TEAMS.kempen.id, PEOPLE.jan,
      planAction({ text: 'Welke tool gebruiken jullie om vergaderingen van de gemeenteraad digitaal te volgen?', kind: 'open', theme: 'strategie', date: '2026-12-10' })));
    assert.match(cardText(cardOf(plan.body)), /gaat uit op maandag 7 december, 9\.00 uur \(week 50\)/);
    assert.deepEqual((await bot.app.store.questions.inWeek('2026-W50'))[0]!.targets, [TEAMS.kempen.id], 'a moderator plans for his RKK only');

    await say(TEAMS.kempen, PEOPLE.an, `moderator weg ${PEOPLE.jan.aadObjectId}`);
    await say(TEAMS.kempen, PEOPLE.jan, 'vragen');
    assert.match(lastReply(TEAMS.kempen), /voorbehouden aan de moderatoren/, 'no longer a moderator');
    const audit = (await bot.app.store.audit.recent()).map((e) => [e.actorName, e.action, e.target]);
    assert.deepEqual(audit.filter(([, action]) => String(action).startsWith('moderator')), [
      ['An Peeters', 'moderator weg', PEOPLE.jan.aadObjectId], ['An Peeters', 'moderator', PEOPLE.jan.aadObjectId],
    ]);
    assert.ok(audit.some(([who, action]) => who === 'Jan Claes' && action === 'publiceer'), 'a moderator\'s actions are audited too');
  });
});

import assert from 'node:assert/strict';
import { checkCardSize, questionCard, type Card } from '../../bot/src/cards/render';
import type { Question } from '../../bot/src/domain/question';

function question(over: Partial<Question>): Question {
  return {
    id: 'cloud-overstap',
    text: 'Hoe ver staat jullie bestuur met de overstap naar de cloud?',
    kind: 'single',
    options: [{ id: '1', label: 'Alles op eigen servers' }, { id: '2', label: 'Half om half' }, { id: '3', label: 'Alles in de cloud' }],
    scaleLabels: null,
    allowComment: true,
    anonymous: false,
    theme: 'infrastructuur',
    targets: 'all',
    week: '2026-W49',
    queueOrder: 1,
    publishAt: new Date('2026-11-30T08:00:00Z'),
    closesAt: new Date('2026-12-07T07:59:00Z'),
    closedAt: null,
    source: 'file',
    createdBy: null,
    translations: {},
    ...over,
  };
}

const NL = { lang: 'nl' as const, timeZone: 'Europe/Brussels', rkkName: 'RKK Gent', count: 0 };

type Element = Record<string, unknown>;
const body = (card: Card) => card.body as Element[];
const inputs = (card: Card) => body(card).filter((e) => String(e.type).startsWith('Input.'));
/** What a member reads at the top level: TextBlocks, and RichTextBlocks as the text of their runs. */
const texts = (card: Card) => body(card).flatMap((e) => (e.type === 'TextBlock' ? [e.text as string]
  : e.type === 'RichTextBlock' ? [(e.inlines as Element[]).map((r) => r.text as string).join('')] : []));
const answerAction = (card: Card) => (card.actions as Element[]).find((a) => a.verb === 'kk.answer');

describe('cards: the question card members answer on', () => {
  it('offers a single-choice question as one expanded list of its options, with a send button', () => {
    const card = questionCard(question({}), NL);
    assert.equal(card.type, 'AdaptiveCard');
    assert.equal(card.version, '1.5');
    assert.ok(texts(card).includes('Vraag van de week'));
    assert.ok(texts(card).includes('Hoe ver staat jullie bestuur met de overstap naar de cloud?'));
    const choice = inputs(card).find((e) => e.id === 'choice')!;
    assert.equal(choice.type, 'Input.ChoiceSet');
    assert.equal(choice.style, 'expanded');
    assert.notEqual(choice.isMultiSelect, true);
    assert.deepEqual(choice.choices, [
      { title: 'Alles op eigen servers', value: '1' }, { title: 'Half om half', value: '2' }, { title: 'Alles in de cloud', value: '3' },
    ]);
    const action = answerAction(card)!;
    assert.equal(action.type, 'Action.Execute');
    assert.deepEqual(action.data, { questionId: 'cloud-overstap', editing: '0', lang: 'nl' }, 'a blank form: an empty comment keeps an earlier one');
  });

  it('offers "Collega\'s mogen me hierover contacteren" only where an option means experience, never on an anonymous question', () => {
    const marked = question({ options: [{ id: '1', label: 'Alles op eigen servers' }, { id: '2', label: 'Half om half' }, { id: '3', label: 'Alles in de cloud', experience: true }] });
    const toggle = (card: Card) => inputs(card).find((e) => e.id === 'contact');
    assert.ok(toggle(questionCard(marked, NL)), 'offered');
    assert.ok(texts(questionCard(marked, NL)).some((t) => t.startsWith('Geldt als je “Alles in de cloud” kiest.')));
    assert.equal(toggle(questionCard(question({}), NL)), undefined, 'no option means experience');
    assert.equal(toggle(questionCard({ ...marked, anonymous: true }, NL)), undefined, 'an anonymous question');
    assert.equal(toggle(questionCard({ ...marked, kind: 'open', options: [] }, NL)), undefined, 'an open question');
  });

  it('lets members tick several options on a multiple-choice question', () => {
    const card = questionCard(question({ kind: 'multiple' }), NL);
    const choice = inputs(card).filter((e) => e.id === 'choice');
    assert.equal(choice.length, 1);
    assert.equal(choice[0]!.type, 'Input.ChoiceSet');
    assert.equal(choice[0]!.style, 'expanded');
    assert.equal(choice[0]!.isMultiSelect, true);
  });

  it('shows a scale as the values 1 to 5, with the end labels on 1 and 5', () => {
    const card = questionCard(question({ kind: 'scale', options: [], scaleLabels: { low: 'Liefst mail', high: 'Vlot' } }), NL);
    const choice = inputs(card).find((e) => e.id === 'choice')!;
    assert.equal(choice.type, 'Input.ChoiceSet');
    assert.equal(choice.style, 'expanded');
    assert.deepEqual((choice.choices as Element[]).map((c) => c.value), ['1', '2', '3', '4', '5']);
    assert.equal((choice.choices as Element[])[0]!.title, '1 – Liefst mail');
    assert.equal((choice.choices as Element[])[4]!.title, '5 – Vlot');
  });

  it('gives an open question a text box and no options', () => {
    const card = questionCard(question({ kind: 'open', options: [], allowComment: false }), NL);
    assert.deepEqual(inputs(card).map((e) => [e.type, e.id]), [['Input.Text', 'text']]);
    assert.deepEqual(answerAction(card)!.data, { questionId: 'cloud-overstap', editing: '0', lang: 'nl' });
  });

  it('speaks English when asked, and leaves no unfilled placeholder in either language', () => {
    for (const kind of ['single', 'multiple', 'scale', 'open'] as const) {
      const q = question({ kind, options: kind === 'single' || kind === 'multiple' ? question({}).options : [] });
      const nl = questionCard(q, NL);
      const en = questionCard(q, { ...NL, lang: 'en', rkkName: null, count: 3 });
      assert.ok(texts(en).includes('Question of the week'), kind);
      assert.ok(!texts(en).includes('Vraag van de week'), kind);
      for (const card of [nl, en]) assert.ok(!JSON.stringify(card).includes('${'), `${kind}: ${JSON.stringify(card)}`);
    }
  });

  it('shows a question text containing "${x}" literally instead of filling it in', () => {
    const text = 'Wat kost ${x} per jaar? En ${s.title} of ${questionId}?';
    const card = questionCard(question({ text, options: [{ id: '1', label: '${kind}' }, { id: '2', label: 'Niets' }] }), NL);
    assert.ok(texts(card).includes(text), JSON.stringify(texts(card)));
    const choice = inputs(card).find((e) => e.id === 'choice')!;
    assert.equal((choice.choices as Element[])[0]!.title, '${kind}');
  });

  it('refuses to send a card over Teams\' size limit, before it leaves the bot', () => {
    const huge = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'x'.repeat(50_000) }] };
    assert.throws(() => checkCardSize(huge), (err: Error & { code?: string }) => err.code === 'card_too_large' && /exceeds 81920/.test(err.message));
    const small = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Vraag van de week' }] };
    assert.equal(checkCardSize(small), small);
  });

  it('names at most 60 members to refresh the shared card for (Teams\' limit), and none when it has nobody to name', () => {
    const ids = Array.from({ length: 70 }, (_, i) => `29:1lid${i}`);
    const named = questionCard(question({}), { ...NL, refreshUserIds: ids }) as { refresh: { userIds?: string[] } };
    assert.deepEqual(named.refresh.userIds, ids.slice(0, 60));
    const none = questionCard(question({}), NL) as { refresh: Record<string, unknown> };
    assert.ok(!('userIds' in none.refresh), 'no list: in a channel of up to 60 members Teams refreshes it for everyone');
  });
});

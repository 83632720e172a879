import assert from 'node:assert/strict';
import { recurringThemes, stem, words, type Writing } from '../../bot/src/domain/recurring';

const w = (rkkId: string, text: string, source: Writing['source'] = 'reply', questionId = 'q-magda'): Writing =>
  ({ rkkId, questionId, theme: 'data', source, text, ref: `${rkkId}:${text.slice(0, 10)}` });

/** Replies and explanations as members of four RKKs write them. */
const CORPUS: Writing[] = [
  w('gent', 'Wij willen aansluiten op de documentendienst, maar de aanvraag bij het ABB loopt nog.'),
  w('gent', 'Het Omgevingsloket werkt bij ons goed, al is de koppeling met ons zaaksysteem traag.', 'explanation'),
  w('kempen', 'Hoe hebben jullie de aansluiting op de MAGDA-documentendiensten geregeld? Via de intercommunale?'),
  w('kempen', 'Ons omgevingsloket is nog niet gekoppeld aan het archief.', 'explanation'),
  w('westhoek', 'De documentendienst staat op onze planning voor het voorjaar.', 'open'),
  w('westhoek', 'Voor de opleiding van nieuwe collega\'s gebruiken we een Teams-kanaal.'),
  w('limburg', 'Geen idee hoe dat bij ons zit, ik vraag het na.'),
];

describe('recurring themes across regions', () => {
  it('stems Dutch inflections to one term, with a well-kept stemmer', () => {
    assert.equal(stem('documentendiensten'), stem('documentendienst'));
    assert.equal(stem('aansluiten'), stem('aansluiting'));
    assert.equal(stem('gemeenten'), stem('gemeente'));
    assert.notEqual(stem('documentendienst'), stem('omgevingsloket'));
    assert.deepEqual(words('Wij willen de documentendienst, maar het is niet zo eenvoudig!'), ['willen', 'documentendienst', 'eenvoudig'], 'stop words and short words out');
  });

  it('finds a term written in three RKKs and not one written in two', () => {
    const themes = recurringThemes(CORPUS, { minRkks: 3 });
    const documentendienst = themes.find((t) => t.stem === stem('documentendienst'));
    assert.ok(documentendienst, `found: ${themes.map((t) => t.label).join(', ')}`);
    assert.deepEqual(documentendienst.rkkIds, ['gent', 'kempen', 'westhoek']);
    assert.equal(documentendienst.label, 'documentendienst', 'the form members wrote most');
    assert.equal(documentendienst.evidence.length, 3, 'the replies it rests on');
    assert.deepEqual(documentendienst.themes, ['data']);
    assert.ok(!themes.some((t) => t.stem === stem('omgevingsloket')), 'Omgevingsloket: Gent and Kempen only');
    assert.ok(!themes.some((t) => t.rkkIds.length < 3));
    const aansluiting = themes.find((t) => t.stem === stem('aansluiting'));
    assert.equal(aansluiting, undefined, '"aansluiten" (Gent) and "aansluiting" (Kempen) are one term, in two RKKs');
    assert.ok(recurringThemes(CORPUS, { minRkks: 2 }).some((t) => t.stem === stem('aansluiting') && t.rkkIds.join() === 'gent,kempen'), 'and found from two RKKs on');
    assert.ok(recurringThemes(CORPUS, { minRkks: 2 }).some((t) => t.stem === stem('omgevingsloket')));
  });

  it('does not count echoes of the question itself, nor the vocabulary every writing shares', () => {
    const questionTexts = new Map([['q-magda', 'Hoe ver staat jullie bestuur met de MAGDA-documentendienst?']]);
    assert.ok(!recurringThemes(CORPUS, { minRkks: 3, questionTexts }).some((t) => t.stem === stem('documentendienst')), 'the question named it');
    const everywhere = ['gent', 'kempen', 'westhoek', 'limburg'].flatMap((r) => [1, 2, 3].map((i) => w(r, `Onze gemeente doet dit al ${i} jaar.`)));
    const withShared = [...everywhere, ...CORPUS];
    assert.ok(!recurringThemes(withShared, { minRkks: 3 }).some((t) => t.stem === stem('gemeente')), '"gemeente" is in most writings');
    assert.ok(recurringThemes(withShared, { minRkks: 3 }).some((t) => t.stem === stem('documentendienst')), 'a real theme still stands out');
  });
});

import assert from 'node:assert/strict';
import { buildTally, validateAnswer, type RawAnswerInput } from '../../bot/src/domain/answer';
import { questionFromInput, type Question } from '../../bot/src/domain/question';
import { questionInputSchema } from '../../bot/src/domain/questionSchema';
import { WeekSchedule } from '../../bot/src/domain/week';
import { KenniskringError } from '../../bot/src/domain/errors';

const schedule = new WeekSchedule('0 9 * * 1', 'Europe/Brussels');

/** A question as a moderator would write it in the question file. */
function question(input: Record<string, unknown>): Question {
  const parsed = questionInputSchema.parse({ theme: 'infrastructuur', week: '2026-W49', ...input });
  return questionFromInput(parsed, schedule, { source: 'file', createdBy: null, queueOrder: 1 });
}

const single = question({
  id: 'cloud-overstap', kind: 'single', text: 'Hoe ver staat jullie bestuur met de cloud?',
  options: ['Alles op eigen servers', 'Half om half', 'Alles in de cloud'],
});
const multiple = question({
  id: 'beveiliging', kind: 'multiple', text: 'Welke maatregelen zijn volledig uitgerold?',
  options: ['MFA', 'Offline back-ups', 'Phishingsimulaties', 'EDR'],
});
const scale = question({
  id: 'teams-adoptie', kind: 'scale', text: 'Hoe vlot werken collega\'s samen in Teams?',
  scale: { low: 'Liefst mail', high: 'Vlot' },
});
const open = question({ id: 'proefproject', kind: 'open', text: 'Welk proefproject liep bij jullie?' });
const noComment = question({
  id: 'zonder-toelichting', kind: 'single', text: 'Gebruiken jullie de MAGDA-documentendienst?', options: ['Ja', 'Nee'], comment: false,
});

/** The error code a member's answer is refused with. */
function refusedWith(q: Question, input: RawAnswerInput): string {
  try {
    validateAnswer(q, input);
  } catch (err) {
    assert.ok(err instanceof KenniskringError, `expected a KenniskringError, got ${String(err)}`);
    return err.code;
  }
  assert.fail(`answer ${JSON.stringify(input)} was accepted`);
}

describe('answer: checking what a member sent', () => {
  it('accepts one option for a single-choice question, and refuses two', () => {
    assert.deepEqual(validateAnswer(single, { choice: '2' }), { choices: ['2'], text: null, comment: null });
    assert.equal(refusedWith(single, { choice: '1,3' }), 'answer_too_many');
  });

  it('stores ticked options in the question\'s order, without duplicates, for a multiple-choice question', () => {
    assert.deepEqual(validateAnswer(multiple, { choice: '4, 1,3,1' }).choices, ['1', '3', '4']);
  });

  it('accepts a value from 1 to 5 on a scale and nothing else', () => {
    assert.deepEqual(validateAnswer(scale, { choice: '5' }).choices, ['5']);
    assert.equal(refusedWith(scale, { choice: '6' }), 'answer_invalid_option');
    assert.equal(refusedWith(scale, { choice: '0' }), 'answer_invalid_option');
  });

  it('refuses an option the question does not have', () => {
    assert.equal(refusedWith(single, { choice: '4' }), 'answer_invalid_option');
    assert.equal(refusedWith(multiple, { choice: '1,Offline back-ups' }), 'answer_invalid_option');
  });

  it('refuses a choice question sent without any option', () => {
    assert.equal(refusedWith(single, {}), 'answer_missing');
    assert.equal(refusedWith(multiple, { choice: ' , ' }), 'answer_missing');
  });

  it('takes the open answer as written, trimmed, with Windows line ends made plain', () => {
    const v = validateAnswer(open, { text: '  Digitale loketten\r\nin de bib  ' });
    assert.deepEqual(v, { choices: [], text: 'Digitale loketten\nin de bib', comment: null });
  });

  it('refuses an empty or blank open answer', () => {
    assert.equal(refusedWith(open, {}), 'answer_missing');
    assert.equal(refusedWith(open, { text: '  \r\n ' }), 'answer_missing');
  });

  it('allows an open answer of 2000 characters and refuses 2001', () => {
    assert.equal(validateAnswer(open, { text: 'a'.repeat(2000) }).text!.length, 2000);
    assert.equal(refusedWith(open, { text: 'a'.repeat(2001) }), 'text_too_long');
  });

  it('keeps a trimmed comment and drops a blank one', () => {
    assert.equal(validateAnswer(single, { choice: '1', comment: '  We migreren in 2027.  ' }).comment, 'We migreren in 2027.');
    assert.equal(validateAnswer(single, { choice: '1', comment: '   ' }).comment, null);
  });

  it('allows a comment of 2000 characters and refuses 2001', () => {
    assert.equal(validateAnswer(single, { choice: '1', comment: 'c'.repeat(2000) }).comment!.length, 2000);
    assert.equal(refusedWith(single, { choice: '1', comment: 'c'.repeat(2001) }), 'comment_too_long');
  });

  it('refuses a comment on a question that takes none, but not an empty comment field', () => {
    assert.equal(noComment.allowComment, false);
    assert.equal(refusedWith(noComment, { choice: '1', comment: 'Toch iets kwijt' }), 'card_data_invalid');
    assert.deepEqual(validateAnswer(noComment, { choice: '1', comment: '' }).comment, null);
  });
});

describe('answer: the tally members see', () => {
  it('gives each option its count and rounded share of respondents', () => {
    const t = buildTally(single, { respondents: 3, perOption: new Map([['1', 2], ['3', 1]]), comments: 1 });
    assert.deepEqual(t.rows.map((r) => [r.label, r.count, r.percent]), [
      ['Alles op eigen servers', 2, 67],
      ['Half om half', 0, 0],
      ['Alles in de cloud', 1, 33],
    ]);
    assert.equal(t.respondents, 3);
    assert.equal(t.comments, 1);
    assert.equal(t.average, null);
  });

  it('counts shares of respondents for multiple choice, so they may add up to more than 100%', () => {
    const t = buildTally(multiple, { respondents: 4, perOption: new Map([['1', 4], ['2', 2], ['4', 1]]), comments: 0 });
    assert.deepEqual(t.rows.map((r) => r.percent), [100, 50, 0, 25]);
  });

  it('averages a scale to one decimal: answers 5, 4, 4 give 4.3', () => {
    const t = buildTally(scale, { respondents: 3, perOption: new Map([['5', 1], ['4', 2]]), comments: 0 });
    assert.equal(t.average, 4.3);
    assert.deepEqual(t.rows.map((r) => r.optionId), ['1', '2', '3', '4', '5']);
  });

  it('shows zeros and no average before anyone answered', () => {
    const t = buildTally(scale, { respondents: 0, perOption: new Map(), comments: 0 });
    assert.ok(t.rows.every((r) => r.count === 0 && r.percent === 0));
    assert.equal(t.average, null);
  });

  it('has no option rows for an open question', () => {
    const t = buildTally(open, { respondents: 2, perOption: new Map(), comments: 0 });
    assert.deepEqual(t.rows, []);
    assert.equal(t.respondents, 2);
  });
});

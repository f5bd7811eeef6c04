// The pure parts of the dashboard's panels and paged lists, without a browser (node --test): what a
// partly shown list's count says, how pages join, the entry form's first problem, the editor's draft,
// the answer's knowledge choice, the answered line. `make unit` and `make test` run it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { knowledgeFor } from '../../hosting/src/detail-answer.js';
import { answeredLine } from '../../hosting/src/detail-header.js';
import { entryProblem } from '../../hosting/src/entry-form.js';
import { checkEntry, checkReviewDate } from '../../hosting/src/knowledge.js';
import { sourceLabel } from '../../hosting/src/learned-card.js';
import { changedSince, draftOf, keepsNote } from '../../hosting/src/learned-editor.js';
import { newestFirst } from '../../hosting/src/learned.js';
import { PAGE_SIZE, joinPages, mayHaveMore, partLabel, shownCount } from '../../hosting/src/paging.js';

describe('paged lists', () => {
  test('the count says how much of the list is shown, honestly', () => {
    assert.equal(partLabel({ shown: 100, total: 2340, more: true }), '100 of 2,340');
    assert.equal(partLabel({ shown: 100, total: null, more: true }), '100 shown · more…'); // not counted yet
    assert.equal(partLabel({ shown: 40, total: 40 }), ''); // everything shown: the plain count says it
    assert.equal(partLabel({ shown: 100, total: null, more: false }), '');
  });
  test('a full page may have more after it; a short one is the end', () => {
    assert.equal(mayHaveMore(PAGE_SIZE), true);
    assert.equal(mayHaveMore(PAGE_SIZE - 1), false);
    assert.equal(mayHaveMore(3, 3), true);
  });
  test('pages join in order, each item once (a re-bound page may overlap the next for a moment)', () => {
    const pages = [[{ id: 'a' }, { id: 'b' }], [{ id: 'b' }, { id: 'c' }], []];
    assert.deepEqual(joinPages(pages).map((i) => i.id), ['a', 'b', 'c']);
    assert.deepEqual(joinPages([]), []);
  });
  test('each "Show more" shows one more page, never more than there is', () => {
    assert.deepEqual([0, 1, 2, 3].map((clicks) => shownCount(250, clicks)), [100, 200, 250, 250]);
    assert.equal(shownCount(0, 0), 0);
  });
});

describe('learned answers', () => {
  const ms = (n) => ({ toMillis: () => n });
  test('newest first: an edit counts as new, an entry without dates goes last', () => {
    const entries = [{ id: 'old', data: { createdAt: ms(1) } }, { id: 'none', data: {} },
      { id: 'edited', data: { createdAt: ms(0), updatedAt: ms(9) } }, { id: 'new', data: { createdAt: ms(5) } }];
    assert.deepEqual(newestFirst(entries).map((e) => e.id), ['edited', 'new', 'old', 'none']);
  });
  test('the entry form reports its first problem, in the order of its fields', () => {
    const ok = checkEntry('Parking?', 'Yes.');
    assert.equal(entryProblem(ok, checkReviewDate('')), null);
    assert.deepEqual(entryProblem(checkEntry(' ', ''), checkReviewDate('')), { message: 'Write the question.', field: 'question' });
    assert.deepEqual(entryProblem(checkEntry('Parking?', ''), checkReviewDate('')), { message: 'Write the answer.', field: 'answer' });
    assert.equal(entryProblem(ok, checkReviewDate('2000-01-01')).field, 'reviewBy'); // a new date must be ahead
  });
  test('the editor starts from the entry and sees a change by someone else', () => {
    const data = { question: 'Q?', answer: 'A.', reviewBy: null };
    const draft = draftOf(data);
    assert.deepEqual([draft.question, draft.answer, draft.reviewBy, draft.base], ['Q?', 'A.', '', data]);
    assert.equal(changedSince(draft.base, { ...data }), false);
    assert.equal(changedSince(draft.base, { ...data, answer: 'B.' }), true);
    assert.equal(changedSince(draft.base, { ...data, reviewBy: ms(5) }), true);
    assert.deepEqual([0, 1, 2].map(keepsNote), ['', 'Its 1 other wording stays with it.', 'Its 2 other wordings stay with it.']);
  });
  test('where an entry came from', () => {
    assert.equal(sourceLabel({ source: 'seed' }), 'Salon facts');
    assert.equal(sourceLabel({ originatingRequestId: 'r1' }), 'Learned from a request');
    assert.equal(sourceLabel({}), 'Added');
  });
});

describe('request panels', () => {
  test('an answer\'s knowledge choice when the supervisor made none', () => {
    const near = { id: 'kb1', answer: 'From $45.' };
    assert.equal(knowledgeFor({ kind: 'callback' }, 'Called back.', near), null); // a note teaches nothing
    assert.deepEqual(knowledgeFor({}, 'From $45.', near), { id: 'kb1', action: 'link' }); // typed what we have
    assert.equal(knowledgeFor({}, 'From $50.', near), 'ask'); // nearly the same question: ask first
    assert.equal(knowledgeFor({}, 'From $50.', null), undefined); // a new answer
  });
  test('who answered, when and what it taught', () => {
    const request = { answeredBy: 'u1', knowledgeAction: 'link' };
    assert.equal(answeredLine(request, { uid: 'u1', question: true, pendingWrite: false }),
      'Answered by you, with an answer we already had');
    assert.equal(answeredLine({ answeredBy: 'u2' }, { uid: 'u1', question: false, pendingWrite: true }),
      'Closed by u2 · saving…');
    assert.equal(answeredLine({}, { uid: null, question: true }), 'Answered by the system');
  });
});

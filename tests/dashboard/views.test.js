// The pure parts of the dashboard's views, split out of their long closures (issue 17), without a
// browser: what the Review view lists and when a conflict card is rebuilt, the Stats view's words,
// the finder's answer to a search, which pending requests alert, the conversation's line and turns.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { conversationLine, turnsSaid } from '../../hosting/src/detail-conversation.js';
import { finderResult } from '../../hosting/src/find.js';
import { freshPending } from '../../hosting/src/inbox.js';
import { conflictSides, conflictSignature, oldestFirst } from '../../hosting/src/review-conflict.js';
import { dueEntries } from '../../hosting/src/review.js';
import { statTexts } from '../../hosting/src/stats.js';
import { formatTime } from '../../hosting/src/time.js';

const ms = (n) => ({ toMillis: () => n });
const storeOf = (entries, { loaded = true, error = null } = {}) => ({
  loaded, error, all: () => entries, get: (id) => entries.find((e) => e.id === id)?.data,
});

describe('review', () => {
  test('conflicts oldest first; one not yet stamped goes first', () => {
    const c = (id, at) => ({ id, data: at === undefined ? {} : { detectedAt: ms(at) } });
    assert.deepEqual(oldestFirst([c('b', 5), c('a', 2), c('new')]).map((x) => x.id), ['new', 'a', 'b']);
  });
  test('due entries: only those whose date has come, the longest due first', () => {
    const e = (id, at) => ({ id, data: at === undefined ? {} : { reviewBy: ms(at) } });
    const entries = [e('later', 50), e('due2', 20), e('none'), e('due1', 10), e('now', 30)];
    assert.deepEqual(dueEntries(entries, 30).map((x) => x.id), ['due1', 'due2', 'now']);
    assert.deepEqual(dueEntries(entries, 5), []);
  });
  test('a conflict\'s sides: loading until the store has loaded, null once an entry is deleted', () => {
    const conflict = { id: 'c', data: { entries: ['a', 'gone', 'extra'] } };
    const entries = [{ id: 'a', data: { question: 'Q?', answer: 'A.' } }];
    assert.deepEqual(conflictSides(conflict, storeOf(entries, { loaded: false })).map((s) => s.data), [undefined, undefined]);
    assert.deepEqual(conflictSides(conflict, storeOf(entries)), [{ id: 'a', data: entries[0].data }, { id: 'gone', data: null }]);
    assert.deepEqual(conflictSides({ id: 'c', data: {} }, storeOf(entries)), []); // malformed: no sides
  });
  test('a conflict card is rebuilt when a side, its busy state or its error changes, not otherwise', () => {
    const conflict = { id: 'c', data: { entries: ['a', 'b'], reason: 'same question' } };
    const data = { question: 'Q?', answer: 'A.', phrasings: [{ text: 'Q2?', source: 'call' }] };
    const ctx = (over = {}) => ({ store: storeOf([{ id: 'a', data }, { id: 'b', data }]), busy: new Set(), errors: new Map(), ...over });
    const base = conflictSignature(conflict, ctx());
    assert.equal(conflictSignature(conflict, ctx()), base);
    assert.notEqual(conflictSignature(conflict, ctx({ busy: new Set(['c']) })), base);
    assert.notEqual(conflictSignature(conflict, ctx({ errors: new Map([['c', 'Denied.']]) })), base);
    const edited = { ...data, answer: 'B.' };
    assert.notEqual(conflictSignature(conflict, { ...ctx(), store: storeOf([{ id: 'a', data: edited }, { id: 'b', data }]) }), base);
    assert.equal(conflictSignature(conflict, ctx({ busy: new Set(['other']) })), base); // another card's state
  });
});

describe('stats', () => {
  test('a full summary in words', () => {
    const t = statTexts({ deflectionRate: 0.834, questionsAsked: 12, answeredByAI: 10, medianSecondsToAnswer: 90,
      openCount: 3, answeredToday: 4, topUnanswered: [{ question: 'Parking?', count: 2 }, {}], updatedAt: ms(1000) });
    assert.deepEqual(t, {
      deflectionRate: '83 %', deflectionDetail: '10 of 12 questions answered by the AI', medianSecondsToAnswer: '1 min 30 s',
      openCount: '3', answeredToday: '4', topUnanswered: ['Parking? — 2×', ' — 0×'], updated: `Updated ${formatTime(1000)} by the Cloud Functions.`,
    });
  });
  test('an empty summary says nothing happened yet, never "undefined"', () => {
    assert.deepEqual(statTexts({ topUnanswered: 'bad' }), {
      deflectionRate: '—', deflectionDetail: 'no calls yet', medianSecondsToAnswer: '— (nothing answered yet)',
      openCount: '0', answeredToday: '0', topUnanswered: null, updated: '',
    });
  });
});

describe('finder', () => {
  const entries = [{ id: 'p', data: { question: 'Is there parking?', answer: 'Yes, behind.' } },
    { id: 'q', data: { question: 'Parking price?', answer: 'Free.' } }, { id: 'x', data: { question: 'Parking?', answer: '' } }];
  test('what it says for each state of the knowledge base', () => {
    assert.deepEqual(finderResult('', storeOf(entries)), { items: [], text: '' });
    assert.equal(finderResult('parking', storeOf([], { loaded: false, error: new Error('denied') })).text,
      'The knowledge base could not be loaded.');
    assert.equal(finderResult('parking', storeOf([], { loaded: false })).text, 'Loading the knowledge base…');
    assert.equal(finderResult('valet', storeOf(entries)).text, 'No answer matches “valet”.');
    assert.equal(finderResult('price', storeOf(entries)).text, '1 answer found.');
    const both = finderResult('parking', storeOf(entries)); // the entry without an answer is left out
    assert.deepEqual([both.items.length, both.text], [2, '2 answers found.']);
  });
  test('more matches than shown: it says how many and asks for more words', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ id: `e${i}`, data: { question: `Hours ${i}?`, answer: 'Nine.' } }));
    const found = finderResult('hours', storeOf(many));
    assert.deepEqual([found.items.length, found.text], [5, '5 of 7 answers shown; add words to narrow it down.']);
  });
});

describe('inbox', () => {
  const row = (id, pendingWrite = false) => [{ id, metadata: { hasPendingWrites: pendingWrite } }, { id }];
  test('a pending request alerts once, only when the list was already live and not for our own write', () => {
    const seen = new Set();
    assert.deepEqual(freshPending([row('a'), row('b')], seen, false), []); // the first load: no alert
    assert.deepEqual(freshPending([row('a'), row('c'), row('d', true)], seen, true), [{ id: 'c' }]);
    assert.deepEqual(freshPending([row('a'), row('c'), row('d')], seen, true), []); // seen already
    assert.deepEqual([...seen], ['a', 'b', 'c', 'd']);
  });
});

describe('conversation', () => {
  test('its line: channel, start, and whether it ended', () => {
    assert.equal(conversationLine({ channel: 'phone', startedAt: ms(1000) }), `Channel: phone · started ${formatTime(1000)} · still in progress`);
    assert.equal(conversationLine({ endedAt: ms(2000) }), `ended ${formatTime(2000)}`);
  });
  test('turns kept in the old array come before the turn documents', () => {
    assert.deepEqual(turnsSaid({ turns: [{ text: 'old' }] }, [{ text: 'new' }]).map((t) => t.text), ['old', 'new']);
    assert.deepEqual(turnsSaid({ turns: 'bad' }, undefined), []);
  });
});

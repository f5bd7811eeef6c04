// The dashboard's pure helpers (formatting, search, suggestion ranking, request kinds, describing a
// follow-up), without a browser: `node --test tests/dashboard/` (`make test` and `make unit` run it).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import * as contract from '../../hosting/src/contract.js';
import { describeFollowup } from '../../hosting/src/followup.js';
import { findEntries } from '../../hosting/src/find.js';
import { fold, isDue, isHeld, matches } from '../../hosting/src/knowledge.js';
import {
  ANSWERABLE, bookingLines, checkText, describeError, headline, isMemberOf, kindOf,
} from '../../hosting/src/requests.js';
import { joinSuggestions, matchPercent } from '../../hosting/src/suggest.js';
import { formatAge, formatDuration, toMillis } from '../../hosting/src/time.js';

describe('time', () => {
  test('a timestamp, a date or millis all read as millis', () => {
    assert.equal(toMillis({ toMillis: () => 42 }), 42);
    assert.equal(toMillis(new Date(7)), 7);
    assert.equal(toMillis(5), 5);
    assert.equal(toMillis(null), null);
    assert.equal(toMillis('yesterday'), null);
  });
  test('ages and durations read as people say them', () => {
    const now = 1_000_000_000;
    assert.equal(formatAge(now - 3_000, now), 'just now');
    assert.equal(formatAge(now - 42_000, now), '42 s ago');
    assert.equal(formatAge(now - 7 * 60_000, now), '7 min ago');
    assert.equal(formatAge(now - 3 * 3_600_000, now), '3 h ago');
    assert.equal(formatAge(now + 5_000, now), 'just now'); // a clock a little ahead is not "in the future"
    assert.deepEqual([45, 200, 180, 7500, 97200, 86400].map(formatDuration),
      ['45 s', '3 min 20 s', '3 min', '2 h 5 min', '1 d 3 h', '1 d']);
    assert.equal(formatDuration(Number.NaN), null);
  });
});

describe('requests', () => {
  test('a request without a kind is a question, as the seed\'s are', () => {
    assert.equal(kindOf({}), contract.QUESTION_KIND);
    assert.equal(kindOf({ kind: 'something else' }), contract.QUESTION_KIND);
    assert.equal(kindOf({ kind: contract.CALLBACK }), contract.CALLBACK);
    assert.equal(headline({ kind: contract.CALLBACK, customerPhone: '+15550100' }), 'Call back +15550100');
    assert.equal(headline({ kind: contract.BOOKING, question: 'a cut Friday' }), 'Booking request: a cut Friday');
    assert.equal(headline({ question: 'Do you do perms?' }), 'Do you do perms?');
  });
  test('a booking lists only the details the caller gave', () => {
    assert.deepEqual(bookingLines({ booking: { action: 'reschedule', service: 'skin fade', when: '', name: 7 } }),
      [['Action', 'Reschedule'], ['Service', 'skin fade']]);
  });
  test('a group member is not listed beside its primary', () => {
    assert.equal(isMemberOf({ groupId: 'a' }, 'b'), true);
    assert.equal(isMemberOf({ groupId: 'a' }, 'a'), false);
    assert.equal(isMemberOf({}, 'a'), false);
  });
  test('text is checked as the rules count it: trimmed, UTF-16 units', () => {
    const opts = { emptyMessage: 'Write it.', what: 'The answer' };
    assert.deepEqual(checkText('  hi  ', 5, opts), { text: 'hi' });
    assert.ok(checkText('   ', 5, opts).error);
    assert.ok(checkText('😀😀😀', 5, opts).error); // 6 units, over 5
    assert.deepEqual(checkText('😀😀', 4, opts), { text: '😀😀' });
  });
  test('an answer may leave exactly the statuses the contract lets it', () => {
    assert.deepEqual([...ANSWERABLE].sort(), [contract.PENDING, contract.UNRESOLVED]);
  });
  test('errors are said for people', () => {
    assert.match(describeError({ code: 'permission-denied' }, 'the answer'), /^Permission denied: the answer/);
    assert.match(describeError({ code: 'unavailable' }), /unreachable/);
    assert.match(describeError(new Error('boom')), /boom/);
  });
});

describe('follow-ups', () => {
  test('no outbox entry yet: what the supervisor can expect', () => {
    assert.equal(describeFollowup(null, { status: 'resolved', followupSent: true }).tone, 'ok');
    assert.match(describeFollowup(null, { status: 'resolved' }, true).text, /once the answer is saved/);
    assert.match(describeFollowup(null, { status: 'pending' }).text, /^Not yet/);
  });
  test('each outbox state, with its channel and attempts', () => {
    const failed = describeFollowup({ status: 'failed', attempts: 3, error: '503', kind: 'answer' }, {});
    assert.deepEqual([failed.tone, failed.text], ['error', 'Follow-up failed after 3 attempts: 503']);
    const retry = describeFollowup({ status: 'queued', attempts: 1, error: 'timeout', kind: 'timeout' }, {});
    assert.equal(retry.tone, 'warn');
    assert.match(retry.text, /^Apology \(no answer in time\) queued for another try \(1 attempt so far/);
  });
});

describe('knowledge search', () => {
  const entries = [
    { id: 'w', data: { question: "Women's haircut?", answer: '$65' } },
    { id: 'm', data: { question: "Men's haircut?", answer: '$45', phrasings: [{ text: 'gents cut' }] } },
    { id: 'x', data: { question: 'Unanswered', answer: '' } },
    { id: 'h', data: { question: 'Parking?', answer: 'Lot behind', conflictWith: ['p2'] } },
  ];
  test('accents and apostrophes fold away', () => {
    assert.equal(fold("Café MEN'S"), 'cafe mens');
  });
  test('every word must appear in the question, the answer or a wording', () => {
    assert.equal(matches(entries[1].data, 'gents 45'), true);
    assert.equal(matches(entries[1].data, 'gents perm'), false);
  });
  test('a word at a word start ranks first: "men" finds men\'s before women\'s', () => {
    const found = findEntries(entries, 'men haircut');
    assert.deepEqual(found.items.map((i) => i.id), ['m', 'w']);
    assert.equal(found.total, 2);
    assert.deepEqual(findEntries(entries, '   '), { items: [], total: 0 });
    assert.deepEqual(findEntries(entries, 'unanswered').items, []); // no answer, nothing to use
  });
  test('held and due entries', () => {
    assert.equal(isHeld(entries[3].data), true);
    assert.equal(isHeld(entries[0].data), false);
    assert.equal(isDue({ reviewBy: 10 }, 11), true);
    assert.equal(isDue({}, 11), false);
  });
});

describe('suggestions', () => {
  test('scores read as a percentage, clamped', () => {
    assert.deepEqual([0.834, 1.7, -1, 'x'].map(matchPercent), [83, 100, 0, 0]);
  });
  test('joined with the live base: current answers, deleted entries skipped, three at most', () => {
    const live = { loaded: true, get: (id) => ({ a: { question: 'A?', answer: 'new A' }, c: { question: 'C?', answer: 'C' },
      d: { question: 'D?', answer: 'D', conflictWith: ['a'] }, e: { question: 'E?', answer: 'E' } })[id] };
    const stored = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ knowledgeId: id, answer: `old ${id}`, score: 0.9 - i / 10 }));
    const joined = joinSuggestions(stored, live);
    assert.deepEqual(joined.map((s) => [s.id, s.answer, s.held]), [['a', 'new A', false], ['c', 'C', false], ['d', 'D', true]]);
    assert.equal(joinSuggestions(undefined, live), null);
    assert.deepEqual(joinSuggestions(stored.slice(0, 1), { loaded: false }).map((s) => s.answer), ['old a']);
  });
});

describe('routes', async () => {
  const { matchRoute, ROUTES } = await import('../../hosting/src/routes.js');
  test('each hash names its view and parameters', () => {
    assert.deepEqual(matchRoute('#/resolved'), { view: 'resolved', params: {} });
    assert.deepEqual(matchRoute('#/request/abc'), { view: 'request', params: { id: 'abc' } });
    assert.deepEqual(matchRoute('#/request/a%2Fb/c'), { view: 'request', params: { id: 'a/b/c' } });
    assert.deepEqual(matchRoute('#/learned'), { view: 'learned', params: {} });
    assert.deepEqual(matchRoute('#/learned/e1'), { view: 'learned', params: { id: 'e1' } });
  });
  test('anything else is the pending inbox', () => {
    assert.deepEqual(matchRoute('#/learned/'), { view: 'learned', params: {} });
    for (const hash of ['', '#', '#/', '#/nowhere', '#/request/', '#/stats/extra', '#/request']) {
      assert.deepEqual(matchRoute(hash), { view: 'pending', params: {} }, hash);
    }
  });
  test('a new view is one row', () => {
    const table = [...ROUTES, { pattern: 'team/:uid', view: 'team' }];
    assert.deepEqual(matchRoute('#/team/u7', table), { view: 'team', params: { uid: 'u7' } });
  });
});

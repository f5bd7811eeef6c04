// Review: what needs a supervisor's judgement in the knowledge base. Conflicting answers (the
// functions hold two entries that answer the same question differently; keep one, or say both are
// right; each a card of review-conflict.js) and entries whose review date has come. Live from sign-in,
// for the nav badge.
import { announce } from './alerts.js';
import { $, el, setState } from './dom.js';
import { KEEP_BOTH, resolveConflict, watchOpenConflicts } from './conflicts.js';
import { heldBadge, reviewNote } from './kbparts.js';
import { createKeyedList } from './keyedlist.js';
import { isDue } from './knowledge.js';
import { describeError, describeListenError } from './requests.js';
import { conflictCard, conflictSignature, oldestFirst } from './review-conflict.js';
import { toMillis } from './time.js';

const DUE_CHECK_MS = 30_000; // an entry becomes due with time, not with a write

/** A keyed list whose items are rebuilt only when their signature changed (focus stays put). */
function signed(list, build, signature) {
  const fresh = (item) => Object.assign(build(item), { _sig: signature(item) });
  return createKeyedList(list, {
    create: fresh,
    update: (node, item) => (node._sig === signature(item) ? null : fresh(item)),
  });
}

/** Entries ([{ id, data }]) whose review date has come, the longest due first. */
export function dueEntries(entries, now = Date.now()) {
  return entries.filter((e) => isDue(e.data, now)).sort((a, b) => toMillis(a.data.reviewBy) - toMillis(b.data.reviewBy));
}

function dueItem(entry) {
  const li = el('li', 'due-entry card');
  const d = entry.data;
  li.append(el('p', 'kb-question', d.question || ''));
  const held = heldBadge(d);
  if (held) li.append(held);
  li.append(el('p', 'kb-answer', d.answer || ''));
  const meta = el('p', 'meta small');
  const note = reviewNote(d);
  if (note) meta.append(note);
  const edit = el('a', 'button-link', 'Edit');
  edit.href = `#/learned/${encodeURIComponent(entry.id)}`;
  edit.setAttribute('aria-label', `Edit: ${d.question || ''}`);
  li.append(meta, edit);
  return li;
}

/** The view's state: its nodes, listeners, the open conflicts (null until loaded) and resolutions. */
function reviewState({ getUser, store, badge }) {
  const view = $('#review-view');
  const rv = {
    getUser, store, badge,
    state: $('.state', view),
    conflictState: $('.conflicts-state', view),
    conflictCount: $('#conflicts-count'),
    dueState: $('.due-state', view),
    dueCount: $('#due-count'),
    db: null, unsub: null, unsubStore: null, timer: null,
    conflicts: null, // [{ id, data }] once loaded
    conflictError: null,
    busy: new Set(), // conflict ids being resolved
    errors: new Map(), // conflict id → message of the last failed resolution
    resolve: (conflictId, keep) => resolve(rv, conflictId, keep),
  };
  rv.cards = signed($('.conflicts', view), (c) => conflictCard(c, rv), (c) => conflictSignature(c, rv));
  rv.dueItems = signed($('.due-entries', view), dueItem, (e) => JSON.stringify([e.data.question, e.data.answer,
    toMillis(e.data.reviewBy), e.data.conflictWith || []]));
  return rv;
}

function start(rv, db) {
  if (rv.unsub) return;
  Object.assign(rv, { db, conflicts: null, conflictError: null });
  rv.unsub = watchOpenConflicts(db, (snap) => {
    rv.conflicts = oldestFirst(snap.docs.map((d) => ({ id: d.id, data: d.data({ serverTimestamps: 'estimate' }) })));
    rv.conflictError = null;
    render(rv);
  }, (err) => {
    console.error('knowledge_conflicts', err);
    rv.conflictError = describeListenError(err, 'conflicting answers');
    render(rv);
  });
  rv.unsubStore = rv.store.subscribe(() => render(rv));
  rv.timer = setInterval(() => render(rv), DUE_CHECK_MS);
  render(rv);
}

function stop(rv) {
  rv.unsub?.();
  rv.unsubStore?.();
  clearInterval(rv.timer);
  Object.assign(rv, { unsub: null, unsubStore: null, timer: null, conflicts: null });
  rv.busy.clear();
  rv.errors.clear();
  rv.cards.clear();
  rv.dueItems.clear();
  rv.badge.textContent = '0';
}

function render(rv) {
  if (!rv.unsub) return;
  const { store, conflicts, conflictError } = rv;
  const due = store.loaded ? dueEntries(store.all()) : [];
  const open = conflicts || [];
  rv.badge.textContent = String(open.length + due.length);
  rv.badge.dataset.loaded = String(conflicts !== null && store.loaded);

  if (store.error) setState(rv.state, describeListenError(store.error, 'the knowledge base'), true);
  else setState(rv.state, conflicts === null && !conflictError || !store.loaded ? 'Loading…' : '');

  rv.conflictCount.textContent = String(open.length);
  if (conflictError) setState(rv.conflictState, conflictError, true);
  else setState(rv.conflictState, conflicts && !open.length ? 'No conflicting answers.' : '');
  rv.cards.render(open);

  rv.dueCount.textContent = String(due.length);
  setState(rv.dueState, store.loaded && !due.length ? 'Nothing is due for review.' : '');
  rv.dueItems.render(due);
}

async function resolve(rv, conflictId, keep) {
  const user = rv.getUser();
  if (!user || !rv.db || rv.busy.has(conflictId)) return;
  rv.busy.add(conflictId);
  rv.errors.delete(conflictId);
  render(rv);
  try {
    await resolveConflict(rv.db, conflictId, keep, user.uid);
    announce(keep === KEEP_BOTH ? 'Both answers kept.' : 'Answer kept.');
  } catch (err) {
    console.error('resolve conflict failed', conflictId, err);
    rv.errors.set(conflictId, describeError(err, 'the choice'));
  } finally {
    rv.busy.delete(conflictId);
    render(rv);
  }
}

export function createReview(deps) {
  const rv = reviewState(deps);
  return { start: (db) => start(rv, db), stop: () => stop(rv), focusTarget: () => $('#review-title') };
}

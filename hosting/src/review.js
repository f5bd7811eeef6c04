// Review: what needs a supervisor's judgement in the knowledge base. Conflicting answers (the
// functions hold two entries that answer the same question differently; keep one, or say both are
// right) and entries whose review date has come. Live from sign-in, for the nav badge.
import { announce } from './alerts.js';
import { $, el, setFieldError, setState, setTime } from './dom.js';
import { KEEP_BOTH, resolveConflict, watchOpenConflicts } from './conflicts.js';
import { heldBadge, phrasingsList, reviewNote } from './kbparts.js';
import { createKeyedList } from './keyedlist.js';
import { isDue, phrasingsOf } from './knowledge.js';
import { describeError, describeListenError } from './requests.js';
import { formatTime, toMillis } from './time.js';

const DUE_CHECK_MS = 30_000; // an entry becomes due with time, not with a write

/** A keyed list whose items are rebuilt only when their signature changed (focus stays put). */
function signed(list, build, signature) {
  const fresh = (item) => Object.assign(build(item), { _sig: signature(item) });
  return createKeyedList(list, {
    create: fresh,
    update: (node, item) => (node._sig === signature(item) ? null : fresh(item)),
  });
}

export function createReview({ getUser, store, badge }) {
  const view = $('#review-view');
  const state = $('.state', view);
  const conflictList = $('.conflicts', view);
  const conflictState = $('.conflicts-state', view);
  const conflictCount = $('#conflicts-count');
  const dueList = $('.due-entries', view);
  const dueState = $('.due-state', view);
  const dueCount = $('#due-count');

  let db = null;
  let unsub = null;
  let unsubStore = null;
  let timer = null;
  let conflicts = null; // [{ id, data }] once loaded
  let conflictError = null;
  const busy = new Set(); // conflict ids being resolved
  const errors = new Map(); // conflict id → message of the last failed resolution
  const cards = signed(conflictList, conflictCard, conflictSignature);
  const dueItems = signed(dueList, dueItem, (e) => JSON.stringify([e.data.question, e.data.answer,
    toMillis(e.data.reviewBy), e.data.conflictWith || []]));

  function start(database) {
    if (unsub) return;
    db = database;
    conflicts = null;
    conflictError = null;
    unsub = watchOpenConflicts(db, (snap) => {
      conflicts = snap.docs.map((d) => ({ id: d.id, data: d.data({ serverTimestamps: 'estimate' }) }))
        .sort((a, b) => (toMillis(a.data.detectedAt) || 0) - (toMillis(b.data.detectedAt) || 0));
      conflictError = null;
      render();
    }, (err) => {
      console.error('knowledge_conflicts', err);
      conflictError = describeListenError(err, 'conflicting answers');
      render();
    });
    unsubStore = store.subscribe(render);
    timer = setInterval(render, DUE_CHECK_MS);
    render();
  }

  function stop() {
    unsub?.();
    unsubStore?.();
    clearInterval(timer);
    unsub = unsubStore = timer = null;
    conflicts = null;
    busy.clear();
    errors.clear();
    cards.clear();
    dueItems.clear();
    badge.textContent = '0';
  }

  function render() {
    if (!unsub) return;
    const due = store.loaded ? store.all().filter((e) => isDue(e.data))
      .sort((a, b) => toMillis(a.data.reviewBy) - toMillis(b.data.reviewBy)) : [];
    const open = conflicts || [];
    badge.textContent = String(open.length + due.length);
    badge.dataset.loaded = String(conflicts !== null && store.loaded);

    if (store.error) setState(state, describeListenError(store.error, 'the knowledge base'), true);
    else setState(state, conflicts === null && !conflictError || !store.loaded ? 'Loading…' : '');

    conflictCount.textContent = String(open.length);
    if (conflictError) setState(conflictState, conflictError, true);
    else setState(conflictState, conflicts && !open.length ? 'No conflicting answers.' : '');
    cards.render(open);

    dueCount.textContent = String(due.length);
    setState(dueState, store.loaded && !due.length ? 'Nothing is due for review.' : '');
    dueItems.render(due);
  }

  function sides(conflict) {
    const ids = Array.isArray(conflict.data.entries) ? conflict.data.entries.slice(0, 2) : [];
    return ids.map((id) => ({ id, data: store.loaded ? store.get(id) || null : undefined }));
  }

  function conflictSignature(conflict) {
    return JSON.stringify([conflict.data, sides(conflict).map((s) => s.data && [s.data.question, s.data.answer,
      phrasingsOf(s.data).map((p) => [p.text, p.source]), toMillis(s.data.createdAt),
      toMillis(s.data.updatedAt)]), busy.has(conflict.id), errors.get(conflict.id) || '']);
  }

  function conflictCard(conflict) {
    const li = el('li', 'conflict card');
    const head = el('p', 'meta small');
    const found = el('time', 'age');
    setTime(found, toMillis(conflict.data.detectedAt), 'found');
    head.append(found);
    if (conflict.data.reason) head.append(el('span', 'reason-text', conflict.data.reason));
    const pair = el('div', 'pair');
    sides(conflict).forEach((side, i) => pair.append(sideColumn(conflict, side, i)));
    const error = el('p', 'error');
    error.setAttribute('role', 'alert');
    setFieldError(error, null, errors.get(conflict.id));
    const both = el('button', 'secondary', 'Both are right — different questions');
    both.type = 'button';
    both.disabled = busy.has(conflict.id);
    both.addEventListener('click', () => resolve(conflict.id, KEEP_BOTH));
    const actions = el('div', 'actions');
    actions.append(both);
    li.append(head, pair, actions, error);
    return li;
  }

  function sideColumn(conflict, side, index) {
    const col = el('div', 'side');
    col.dataset.entry = side.id;
    col.append(el('p', 'side-label small muted', `Answer ${index === 0 ? 'A' : 'B'}`));
    if (side.data === undefined) {
      col.append(el('p', 'muted', 'Loading…'));
      return col;
    }
    if (side.data === null) {
      col.append(el('p', 'muted', 'This entry was deleted.'));
      return col;
    }
    const d = side.data;
    const answer = el('p', 'kb-answer', d.answer || '');
    answer.id = `conflict-${CSS.escape(conflict.id)}-${index}`;
    col.append(el('p', 'kb-question', d.question || ''), answer);
    const phrasings = phrasingsList(d);
    if (phrasings) col.append(phrasings);
    const meta = el('p', 'meta small');
    const created = toMillis(d.createdAt);
    if (created) meta.append(el('span', null, `added ${formatTime(created)}`));
    const updated = toMillis(d.updatedAt);
    if (updated) meta.append(el('span', null, `edited ${formatTime(updated)}`));
    col.append(meta);
    const keep = el('button', null, 'Keep this answer');
    keep.type = 'button';
    keep.disabled = busy.has(conflict.id);
    keep.setAttribute('aria-describedby', answer.id);
    keep.addEventListener('click', () => resolve(conflict.id, side.id));
    col.append(keep);
    return col;
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

  async function resolve(conflictId, keep) {
    const user = getUser();
    if (!user || !db || busy.has(conflictId)) return;
    busy.add(conflictId);
    errors.delete(conflictId);
    render();
    try {
      await resolveConflict(db, conflictId, keep, user.uid);
      announce(keep === KEEP_BOTH ? 'Both answers kept.' : 'Answer kept.');
    } catch (err) {
      console.error('resolve conflict failed', conflictId, err);
      errors.set(conflictId, describeError(err, 'the choice'));
    } finally {
      busy.delete(conflictId);
      render();
    }
  }

  return { start, stop, focusTarget: () => $('#review-title') };
}

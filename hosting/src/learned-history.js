// An entry's history on the learned-answers page: its revisions (knowledge_base/{id}/revisions, written by
// the functions on each change), listened to while the entry's "History" is open.
import { el } from './dom.js';
import { watchRevisions } from './knowledge.js';
import { describeListenError } from './requests.js';
import { formatTime, toMillis } from './time.js';

/** The entry's <details>, open again (and drawn) when its history was open before a rebuild. */
function details(hs, id) {
  const node = el('details', 'history');
  const body = el('div', 'history-body');
  node.append(el('summary', null, 'History'), body);
  if (hs.open.has(id)) {
    node.open = true;
    render(hs, id, body);
  }
  node.addEventListener('toggle', () => {
    if (node.open && !hs.open.has(id)) listen(hs, id);
    else if (!node.open && hs.open.has(id)) close(hs, id);
  });
  return node;
}

function listen(hs, id) {
  const h = { unsub: null, revisions: null, error: null };
  hs.open.set(id, h);
  render(hs, id);
  h.unsub = watchRevisions(hs.getDb(), id, (snap) => {
    h.revisions = snap.docs.map((d) => d.data({ serverTimestamps: 'estimate' }));
    h.error = null;
    render(hs, id);
  }, (err) => {
    console.error('revisions', id, err);
    h.error = describeListenError(err, 'the history');
    render(hs, id);
  });
}

function close(hs, id) {
  hs.open.get(id)?.unsub?.();
  hs.open.delete(id);
}

function render(hs, id, body = hs.bodyOf(id)) {
  const h = hs.open.get(id);
  if (!body || !h) return;
  if (h.error) {
    body.replaceChildren(el('p', 'error small', h.error));
  } else if (h.revisions === null) {
    body.replaceChildren(el('p', 'muted small', 'Loading the history…'));
  } else if (!h.revisions.length) {
    body.replaceChildren(el('p', 'muted small', 'No changes recorded since it was added.'));
  } else {
    const list = el('ol', 'revisions');
    list.append(...h.revisions.map(revisionItem));
    body.replaceChildren(list);
  }
}

/**
 * `details(id)`: the <details> an entry card shows (open again after a rebuild when it was open);
 * `closeAll()` stops every listener. `bodyOf(id)` finds the history body of the entry's current card.
 */
export function createHistory({ getDb, bodyOf }) {
  const hs = { getDb, bodyOf, open: new Map() }; // open: id → { unsub, revisions, error } of an open history
  return {
    details: (id) => details(hs, id),
    closeAll() { for (const id of [...hs.open.keys()]) close(hs, id); },
  };
}

const REVISION_FIELDS = [
  ['question', 'Question', (v) => v || '(none)'],
  ['answer', 'Answer', (v) => v || '(none)'],
  ['reviewBy', 'Review date', (v) => { const ms = toMillis(v); return ms == null ? 'none' : new Date(ms).toLocaleDateString(); }],
];

/** One revision: when, who, and each changed field as before → after. */
function revisionItem(rev) {
  const li = el('li', 'revision');
  const meta = el('p', 'meta small');
  const at = toMillis(rev.at);
  meta.append(el('span', 'revision-at', at ? formatTime(at) : 'just now'),
    el('span', 'revision-by', `by ${rev.byEmail || rev.by || 'the system'}`));
  li.append(meta);
  const before = rev.before || {};
  const after = rev.after || {};
  let changes = 0;
  for (const [key, label, show] of REVISION_FIELDS) {
    const was = show(before[key]);
    const now = show(after[key]);
    if (was === now) continue;
    changes += 1;
    const line = el('p', 'revision-change');
    line.dataset.field = key;
    line.append(el('span', 'field', `${label}: `), el('del', null, was), el('span', 'arrow', ' → '), el('ins', null, now));
    li.append(line);
  }
  // Wordings a supervisor removed (the functions list their texts).
  for (const text of Array.isArray(rev.removedPhrasings) ? rev.removedPhrasings : []) {
    if (typeof text !== 'string') continue;
    changes += 1;
    const line = el('p', 'revision-change');
    line.dataset.field = 'phrasings';
    line.append(el('span', 'field', 'Wording removed: '), el('del', null, text));
    li.append(line);
  }
  if (!changes) li.append(el('p', 'muted small', 'No visible change.'));
  return li;
}


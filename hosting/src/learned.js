// Learned answers (#/learned): the live list with search, newest first, shown a page at a time, and
// the add form. Each entry is a card (learned-card.js) that becomes its editor (learned-editor.js);
// its wordings (wordings.js) and history (learned-history.js) are its own modules. A denied write says
// so on the entry and the listener puts back what the server has.
import { announce } from './alerts.js';
import { $, el, setFieldError, setState } from './dom.js';
import { entryForm, readEntryForm, refreshCounters } from './entry-form.js';
import { createKeyedList } from './keyedlist.js';
import { fillCard } from './learned-card.js';
import { draftOf, markStale } from './learned-editor.js';
import { createHistory } from './learned-history.js';
import { addEntry, deleteEntry, isDue, matches, phrasingsOf } from './knowledge.js';
import { createMore } from './more.js';
import { shownCount } from './paging.js';
import { describeError, describeListenError } from './requests.js';
import { toMillis } from './time.js';
import { createWordingRemoval } from './wordings.js';

/** Entries newest first (edited or added), as the list shows them. */
export function newestFirst(entries) {
  const key = (data) => toMillis(data.updatedAt) || toMillis(data.createdAt) || 0;
  return [...entries].sort((a, b) => key(b.data) - key(a.data));
}

async function add(lv) {
  const read = readEntryForm(lv.addForm);
  if (!read) return;
  const button = $('button[type="submit"]', lv.addForm);
  button.disabled = true;
  try {
    const { question, answer, reviewBy } = read.value;
    await addEntry(lv.db, question, answer, lv.getUser().uid, reviewBy);
    lv.addForm.reset();
    refreshCounters(lv.addForm);
    announce('Answer added.');
  } catch (err) {
    console.error('add entry failed', err);
    setFieldError($('.error', lv.addForm), null, describeError(err, 'the new answer'));
  } finally {
    button.disabled = false;
  }
}

function onStore(lv, store) {
  if (store.error) {
    setState(lv.state, describeListenError(store.error, 'learned answers'), true);
    return;
  }
  if (!store.loaded) return;
  lv.loaded = true;
  lv.entries = newestFirst(store.all());
  render(lv);
}

const entryOf = (lv, id) => lv.entries.find((e) => e.id === id);

/** Redraw one shown entry from its current data; returns its element, or null when it is not there. */
function refill(lv, id) {
  const li = lv.items.get(id);
  const current = entryOf(lv, id);
  if (!li || !current) return null;
  fill(lv, li, current);
  return li;
}

function fill(lv, li, entry) {
  li._sig = signature(lv, entry);
  fillCard(li, entry, lv);
}

/** #/learned/<id>: that entry's editor, opened once the list has loaded. */
function startPendingEdit(lv) {
  const id = lv.editOnLoad;
  lv.editOnLoad = null;
  const entry = entryOf(lv, id);
  if (!entry) return { missing: true };
  lv.search.value = '';
  if (!lv.editing.has(id)) lv.editing.set(id, draftOf(entry.data));
  lv.errors.delete(id);
  lv.confirming.delete(id);
  return { id };
}

/** The entries to show: those matching the search, a page at a time; one being edited always. */
function visible(lv) {
  const matching = lv.entries.filter((e) => matches(e.data, lv.search.value));
  const limit = shownCount(matching.length, lv.morePages);
  const page = new Set(matching.slice(0, limit));
  const shown = lv.entries.filter((e) => lv.editing.has(e.id) || page.has(e));
  return { matching, shown, limit };
}

function render(lv) {
  if (!lv.loaded) return;
  const { entries, search, state } = lv;
  const opened = lv.editOnLoad ? startPendingEdit(lv) : null;
  const { matching, shown, limit } = visible(lv);
  lv.count.textContent = search.value.trim() || limit < entries.length ? `${shown.length} of ${entries.length}` : `${entries.length}`;
  if (!entries.length) setState(state, 'No learned answers yet. Answers to help requests appear here.');
  else if (!shown.length) setState(state, `No learned answer matches “${search.value.trim()}”.`);
  else setState(state, '');
  lv.items.render(shown);
  lv.more.set({ shown: limit, total: matching.length });
  // An edited entry deleted meanwhile: say so on its form.
  for (const id of lv.editing.keys()) {
    if (!entries.some((e) => e.id === id)) {
      const error = lv.items.get(id) && $('.error', lv.items.get(id));
      if (error) setFieldError(error, null, 'This answer was deleted meanwhile.');
    }
  }
  if (opened && opened.missing) {
    setState(state, 'The answer to edit does not exist (any more).', true);
  } else if (opened) {
    const li = lv.items.get(opened.id);
    li?.scrollIntoView({ block: 'center' });
    $('textarea', li)?.focus();
  }
}

async function remove(lv, id) {
  lv.confirming.delete(id);
  lv.errors.delete(id);
  try {
    const entry = entryOf(lv, id);
    if (!entry) throw Object.assign(new Error('That answer is gone already.'), { code: 'not-found' });
    await deleteEntry(lv.db, id, entry.data, lv.getUser());
    announce('Answer deleted.');
  } catch (err) {
    console.error('delete failed', id, err);
    lv.errors.set(id, describeError(err, 'the deletion'));
    if (!refill(lv, id)) render(lv);
  }
}

/** What an entry's card shows; an unchanged signature is not redrawn (focus stays where it is). */
function signature(lv, entry) {
  const d = entry.data;
  return JSON.stringify([d.question, d.answer, d.source, d.originatingRequestId, toMillis(d.createdAt),
    toMillis(d.updatedAt), d.updatedByEmail || '', toMillis(d.reviewBy), isDue(d),
    phrasingsOf(d).map((p) => [p.text, p.source]), d.conflictWith || [], entry.pendingWrite,
    lv.editing.has(entry.id), lv.confirming.has(entry.id), lv.errors.get(entry.id) || '',
    lv.wordings.signature(entry.id)]);
}

/** The view's state, which is also the context its cards and editors act on (learned-card.js). */
function learnedState(view, getUser) {
  const lv = {
    list: $('.entries', view), state: $('.state', view), count: $('#learned-count'), search: $('#kb-search'),
    addForm: entryForm('kb-add', { submit: 'Add answer' }),
    db: null, entries: [], loaded: false, getUser, getDb: () => lv.db,
    morePages: 0, // "Show more" clicks since the list or the search changed
    editOnLoad: null, // an entry to open for editing once loaded (#/learned/<id>)
    editing: new Map(), // id → { question, answer, reviewBy, base } being edited
    confirming: new Set(), // ids asking "delete?"
    errors: new Map(), // id → message of the last failed write
    render: () => render(lv),
    refill: (id) => refill(lv, id),
    remove: (id) => remove(lv, id),
    fill: (li, entry) => fill(lv, li, entry),
    startEdit(id, data) {
      lv.editing.set(id, draftOf(data));
      lv.errors.delete(id);
      lv.wordings.forget(id);
    },
  };
  return lv;
}

export function createLearned({ getUser, store }) {
  const view = $('#learned-view');
  const lv = learnedState(view, getUser);
  lv.addForm.id = 'kb-add-form';
  $('.add-entry', view).append(lv.addForm);
  let unsubStore = null;
  // One <li> per shown entry. An entry being edited keeps its form (live changes must not wipe what is
  // being typed), and an unchanged entry is not rebuilt (keyboard focus stays where it is).
  lv.items = createKeyedList(lv.list, {
    create: () => el('li', 'entry card'),
    update: (li, entry) => {
      if (lv.editing.has(entry.id) && li.querySelector('form')) markStale(li, entry, lv.editing.get(entry.id));
      else if (li._sig !== signature(lv, entry)) fill(lv, li, entry);
    },
    keep: (id) => lv.editing.has(id),
  });
  lv.more = createMore(lv.list, () => { lv.morePages += 1; render(lv); });
  lv.history = createHistory({ getDb: lv.getDb, bodyOf: (id) => lv.items.get(id)?.querySelector('.history-body') });
  lv.wordings = createWordingRemoval({
    getDb: lv.getDb, getUser, getEntry: (id) => entryOf(lv, id), refill: lv.refill,
    setError: (id, message) => (message ? lv.errors.set(id, message) : lv.errors.delete(id)),
  });
  lv.search.addEventListener('input', () => { lv.morePages = 0; render(lv); });
  lv.addForm.addEventListener('submit', (event) => {
    event.preventDefault();
    add(lv);
  });

  function start(db) {
    if (unsubStore) return;
    Object.assign(lv, { db, loaded: false });
    setState(lv.state, 'Loading…');
    unsubStore = store.subscribe(() => onStore(lv, store));
    onStore(lv, store);
  }

  function stop() {
    unsubStore?.();
    unsubStore = null;
    Object.assign(lv, { entries: [], editOnLoad: null, morePages: 0 });
    lv.items.clear();
    lv.history.closeAll();
    lv.wordings.clear();
    for (const set of [lv.editing, lv.confirming, lv.errors]) set.clear();
    lv.count.textContent = '';
    lv.search.value = '';
    lv.more.hide();
  }

  /** Open an entry's editor (from the Review view); waits for the list if it is still loading. */
  function openEdit(id) {
    lv.editOnLoad = id;
    if (lv.loaded) render(lv);
  }

  return { start, stop, openEdit, focusTarget: () => $('#learned-title') };
}

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

export function createLearned({ getUser, store }) {
  const view = $('#learned-view');
  const list = $('.entries', view);
  const state = $('.state', view);
  const count = $('#learned-count');
  const search = $('#kb-search');
  const addForm = entryForm('kb-add', { submit: 'Add answer' });
  addForm.id = 'kb-add-form';
  $('.add-entry', view).append(addForm);

  let db = null;
  let unsubStore = null;
  let entries = []; // [{ id, data, pendingWrite }], newest first
  let loaded = false;
  let morePages = 0; // "Show more" clicks since the list or the search changed
  let editOnLoad = null; // an entry to open for editing once loaded (#/learned/<id>)
  const ctx = {
    getDb: () => db,
    getUser,
    editing: new Map(), // id → { question, answer, reviewBy, base } being edited
    confirming: new Set(), // ids asking "delete?"
    errors: new Map(), // id → message of the last failed write
    render,
    refill,
    remove,
    fill,
    startEdit(id, data) {
      ctx.editing.set(id, draftOf(data));
      ctx.errors.delete(id);
      ctx.wordings.forget(id);
    },
  };
  // One <li> per shown entry. An entry being edited keeps its form (live changes must not wipe what is
  // being typed), and an unchanged entry is not rebuilt (keyboard focus stays where it is).
  const items = createKeyedList(list, {
    create: () => el('li', 'entry card'),
    update: (li, entry) => {
      if (ctx.editing.has(entry.id) && li.querySelector('form')) markStale(li, entry, ctx.editing.get(entry.id));
      else if (li._sig !== signature(entry)) fill(li, entry);
    },
    keep: (id) => ctx.editing.has(id),
  });
  const more = createMore(list, () => { morePages += 1; render(); });
  ctx.history = createHistory({ getDb: () => db, bodyOf: (id) => items.get(id)?.querySelector('.history-body') });
  ctx.wordings = createWordingRemoval({
    getDb: () => db, getUser, getEntry: entryOf, refill,
    setError: (id, message) => (message ? ctx.errors.set(id, message) : ctx.errors.delete(id)),
  });

  search.addEventListener('input', () => { morePages = 0; render(); });
  addForm.addEventListener('submit', (event) => {
    event.preventDefault();
    add();
  });

  async function add() {
    const read = readEntryForm(addForm);
    if (!read) return;
    const button = $('button[type="submit"]', addForm);
    button.disabled = true;
    try {
      const { question, answer, reviewBy } = read.value;
      await addEntry(db, question, answer, getUser().uid, reviewBy);
      addForm.reset();
      refreshCounters(addForm);
      announce('Answer added.');
    } catch (err) {
      console.error('add entry failed', err);
      setFieldError($('.error', addForm), null, describeError(err, 'the new answer'));
    } finally {
      button.disabled = false;
    }
  }

  function start(database) {
    if (unsubStore) return;
    db = database;
    loaded = false;
    setState(state, 'Loading…');
    unsubStore = store.subscribe(onStore);
    onStore();
  }

  function onStore() {
    if (store.error) {
      setState(state, describeListenError(store.error, 'learned answers'), true);
      return;
    }
    if (!store.loaded) return;
    loaded = true;
    entries = newestFirst(store.all());
    render();
  }

  function stop() {
    unsubStore?.();
    unsubStore = null;
    entries = [];
    items.clear();
    ctx.editing.clear();
    ctx.history.closeAll();
    editOnLoad = null;
    morePages = 0;
    ctx.confirming.clear();
    ctx.errors.clear();
    ctx.wordings.clear();
    count.textContent = '';
    search.value = '';
    more.hide();
  }

  /** Open an entry's editor (from the Review view); waits for the list if it is still loading. */
  function openEdit(id) {
    editOnLoad = id;
    if (loaded) render();
  }

  function entryOf(id) {
    return entries.find((e) => e.id === id);
  }

  /** Redraw one shown entry from its current data; returns its element, or null when it is not there. */
  function refill(id) {
    const li = items.get(id);
    const current = entryOf(id);
    if (!li || !current) return null;
    fill(li, current);
    return li;
  }

  function fill(li, entry) {
    li._sig = signature(entry);
    fillCard(li, entry, ctx);
  }

  function startPendingEdit() {
    const id = editOnLoad;
    editOnLoad = null;
    const entry = entryOf(id);
    if (!entry) return { missing: true };
    search.value = '';
    if (!ctx.editing.has(id)) ctx.editing.set(id, draftOf(entry.data));
    ctx.errors.delete(id);
    ctx.confirming.delete(id);
    return { id };
  }

  /** The entries to show: those matching the search, a page at a time; one being edited always. */
  function visible() {
    const matching = entries.filter((e) => matches(e.data, search.value));
    const limit = shownCount(matching.length, morePages);
    const page = new Set(matching.slice(0, limit));
    const shown = entries.filter((e) => ctx.editing.has(e.id) || page.has(e));
    return { matching, shown, limit };
  }

  function render() {
    if (!loaded) return;
    const opened = editOnLoad ? startPendingEdit() : null;
    const { matching, shown, limit } = visible();
    count.textContent = search.value.trim() || limit < entries.length ? `${shown.length} of ${entries.length}` : `${entries.length}`;
    if (!entries.length) setState(state, 'No learned answers yet. Answers to help requests appear here.');
    else if (!shown.length) setState(state, `No learned answer matches “${search.value.trim()}”.`);
    else setState(state, '');
    items.render(shown);
    more.set({ shown: limit, total: matching.length });
    // An edited entry deleted meanwhile: say so on its form.
    for (const id of ctx.editing.keys()) {
      if (!entries.some((e) => e.id === id)) {
        const error = items.get(id) && $('.error', items.get(id));
        if (error) setFieldError(error, null, 'This answer was deleted meanwhile.');
      }
    }
    if (opened && opened.missing) {
      setState(state, 'The answer to edit does not exist (any more).', true);
    } else if (opened) {
      const li = items.get(opened.id);
      li?.scrollIntoView({ block: 'center' });
      $('textarea', li)?.focus();
    }
  }

  async function remove(id) {
    ctx.confirming.delete(id);
    ctx.errors.delete(id);
    try {
      const entry = entryOf(id);
      if (!entry) throw Object.assign(new Error('That answer is gone already.'), { code: 'not-found' });
      await deleteEntry(db, id, entry.data, getUser());
      announce('Answer deleted.');
    } catch (err) {
      console.error('delete failed', id, err);
      ctx.errors.set(id, describeError(err, 'the deletion'));
      if (!refill(id)) render();
    }
  }

  function signature(entry) {
    const d = entry.data;
    return JSON.stringify([d.question, d.answer, d.source, d.originatingRequestId, toMillis(d.createdAt),
      toMillis(d.updatedAt), d.updatedByEmail || '', toMillis(d.reviewBy), isDue(d),
      phrasingsOf(d).map((p) => [p.text, p.source]), d.conflictWith || [], entry.pendingWrite,
      ctx.editing.has(entry.id), ctx.confirming.has(entry.id), ctx.errors.get(entry.id) || '',
      ctx.wordings.signature(entry.id)]);
  }

  return { start, stop, openEdit, focusTarget: () => $('#learned-title') };
}

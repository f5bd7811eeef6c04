// Learned answers: live list with search; add, edit and delete entries. Each entry shows the other
// wordings callers used (phrasings), its review date, whether it is held by a conflict, and its
// history (revisions, read on demand). A wrong wording can be removed (wordings.js). A denied write says
// so on the entry and the listener puts back what the server has.
import { announce } from './alerts.js';
import { $, el, setFieldError, setState, showCount, submitOnCtrlEnter } from './dom.js';
import { heldBadge, reviewNote } from './kbparts.js';
import { createKeyedList } from './keyedlist.js';
import { createHistory } from './learned-history.js';
import {
  ENTRY_ANSWER_MAX, QUESTION_MAX, addEntry, checkEntry, checkReviewDate, dateInputValue, deleteEntry,
  editEntry, isDue, matches, phrasingsOf,
} from './knowledge.js';
import { describeError, describeListenError } from './requests.js';
import { formatTime, toMillis } from './time.js';
import { createWordingRemoval } from './wordings.js';

const SOURCE_LABEL = {
  seed: 'Salon facts',
  supervisor: 'Added by a supervisor',
};

let formSeq = 0;

export function createLearned({ getUser, store }) {
  const view = $('#learned-view');
  const list = $('.entries', view);
  const state = $('.state', view);
  const count = $('#learned-count');
  const search = $('#kb-search');
  const addForm = $('#kb-add-form');

  let db = null;
  let unsubStore = null;
  let entries = []; // [{ id, data, pendingWrite }], newest first
  let loaded = false;
  const editing = new Map(); // id → { question, answer, reviewBy, base } being edited
  let editOnLoad = null; // an entry to open for editing once loaded (#/learned/<id>)
  const confirming = new Set(); // ids asking "delete?"
  const errors = new Map(); // id → message of the last failed write
  // One <li> per shown entry. An entry being edited keeps its form (live changes must not wipe what is
  // being typed), and an unchanged entry is not rebuilt (keyboard focus stays where it is).
  const items = createKeyedList(list, {
    create: () => el('li', 'entry card'),
    update: (li, entry) => {
      if (editing.has(entry.id) && li.querySelector('form')) markStale(li, entry);
      else if (li._sig !== signature(entry)) fill(li, entry);
    },
    keep: (id) => editing.has(id),
  });
  const history = createHistory({ getDb: () => db, bodyOf: (id) => items.get(id)?.querySelector('.history-body') });
  const wordings = createWordingRemoval({
    getDb: () => db,
    getUser,
    getEntry: entryOf,
    refill,
    setError: (id, message) => (message ? errors.set(id, message) : errors.delete(id)),
  });

  search.addEventListener('input', render);
  wireCounter(addForm, 'question', QUESTION_MAX);
  wireCounter(addForm, 'answer', ENTRY_ANSWER_MAX);
  submitOnCtrlEnter(addForm.answer);
  submitOnCtrlEnter(addForm.question);
  wireReviewDate(addForm);
  addForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('.error', addForm);
    const check = checkEntry(addForm.question.value, addForm.answer.value);
    const review = checkReviewDate(addForm.reviewBy.value);
    addForm.reviewBy.setAttribute('aria-invalid', review.error ? 'true' : 'false');
    if (!check.ok || review.error) {
      setFieldError(error, null, check.question.error || check.answer.error || review.error);
      (check.question.error ? addForm.question : check.answer.error ? addForm.answer : addForm.reviewBy).focus();
      return;
    }
    setFieldError(error, null, '');
    const button = $('button[type="submit"]', addForm);
    button.disabled = true;
    try {
      await addEntry(db, check.question.text, check.answer.text, getUser().uid, review.value);
      addForm.reset();
      refreshCounters(addForm);
      announce('Answer added.');
    } catch (err) {
      console.error('add entry failed', err);
      setFieldError(error, null, describeError(err, 'the new answer'));
    } finally {
      button.disabled = false;
    }
  });

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
    entries = store.all().sort((a, b) => sortKey(b.data) - sortKey(a.data));
    render();
  }

  function stop() {
    unsubStore?.();
    unsubStore = null;
    entries = [];
    items.clear();
    editing.clear();
    history.closeAll();
    editOnLoad = null;
    confirming.clear();
    errors.clear();
    wordings.clear();
    count.textContent = '';
    search.value = '';
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

  function startPendingEdit() {
    const id = editOnLoad;
    editOnLoad = null;
    const entry = entryOf(id);
    if (!entry) return { missing: true };
    search.value = '';
    if (!editing.has(id)) editing.set(id, draftOf(entry.data));
    errors.delete(id);
    confirming.delete(id);
    return { id };
  }

  function render() {
    if (!loaded) return;
    const opened = editOnLoad ? startPendingEdit() : null;
    const shown = entries.filter((e) => editing.has(e.id) || matches(e.data, search.value));
    count.textContent = search.value.trim() ? `${shown.length} of ${entries.length}` : `${entries.length}`;
    if (!entries.length) setState(state, 'No learned answers yet. Answers to help requests appear here.');
    else if (!shown.length) setState(state, `No learned answer matches “${search.value.trim()}”.`);
    else setState(state, '');
    items.render(shown);
    // An edited entry deleted meanwhile: say so on its form.
    for (const id of editing.keys()) {
      if (!entries.some((e) => e.id === id)) {
        const li = items.get(id);
        const error = li && $('.error', li);
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

  function fill(li, entry) {
    const { id, data } = entry;
    li._sig = signature(entry);
    li.replaceChildren();
    li.classList.toggle('saving', entry.pendingWrite);
    if (editing.has(id)) {
      li.append(editForm(entry));
      return;
    }
    li.append(el('p', 'kb-question', data.question || ''));
    const held = heldBadge(data);
    if (held) li.append(held);
    li.append(el('p', 'kb-answer', data.answer || ''));
    const phrasings = wordings.list(entry);
    if (phrasings) li.append(phrasings);
    const meta = el('p', 'meta small');
    meta.append(el('span', 'source', SOURCE_LABEL[data.source] || (data.originatingRequestId ? 'Learned from a request' : 'Added')));
    const created = toMillis(data.createdAt);
    if (created) meta.append(el('span', null, `added ${formatTime(created)}`));
    const updated = toMillis(data.updatedAt);
    if (updated) meta.append(el('span', null, `edited ${formatTime(updated)}${data.updatedByEmail ? ` by ${data.updatedByEmail}` : ''}`));
    const review = reviewNote(data);
    if (review) meta.append(review);
    if (data.originatingRequestId) {
      const link = el('a', 'origin', 'Originating request');
      link.href = `#/request/${encodeURIComponent(data.originatingRequestId)}`;
      meta.append(link);
    }
    if (entry.pendingWrite) meta.append(el('span', 'saving-note', 'Saving…'));
    li.append(meta, history.details(id));

    const error = el('p', 'error');
    error.setAttribute('role', 'alert');
    setFieldError(error, null, errors.get(id) || '');
    li.append(error);

    const actions = el('div', 'actions');
    if (confirming.has(id)) {
      const ask = el('span', 'confirm', 'Delete this answer? The receptionist stops using it.');
      const yes = el('button', 'danger', 'Delete');
      yes.type = 'button';
      const no = el('button', 'secondary', 'Keep');
      no.type = 'button';
      yes.addEventListener('click', () => remove(id));
      no.addEventListener('click', () => {
        confirming.delete(id);
        fill(li, entry);
        $('button', li.querySelector('.actions'))?.focus();
      });
      actions.append(ask, yes, no);
      queueMicrotask(() => no.focus());
    } else {
      const edit = el('button', 'secondary', 'Edit');
      edit.type = 'button';
      edit.setAttribute('aria-label', `Edit: ${data.question || ''}`);
      edit.addEventListener('click', () => {
        editing.set(id, draftOf(data));
        errors.delete(id);
        wordings.forget(id);
        fill(li, entry);
        $('textarea, input', li)?.focus();
      });
      const del = el('button', 'secondary', 'Delete');
      del.type = 'button';
      del.setAttribute('aria-label', `Delete: ${data.question || ''}`);
      del.addEventListener('click', () => {
        confirming.add(id);
        errors.delete(id);
        fill(li, entry);
      });
      actions.append(edit, del);
    }
    li.append(actions);
  }

  function editForm(entry) {
    const { id } = entry;
    const draft = editing.get(id);
    const n = ++formSeq;
    const form = el('form', 'entry-form');
    form.noValidate = true;
    const qLabel = el('label', null, 'Question');
    qLabel.htmlFor = `kb-q-${n}`;
    const q = el('input');
    q.type = 'text';
    q.id = `kb-q-${n}`;
    q.name = 'question';
    q.value = draft.question;
    const qHelp = el('span', 'muted help');
    qHelp.id = `kb-q-${n}-help`;
    q.setAttribute('aria-describedby', qHelp.id);
    const aLabel = el('label', null, 'Answer');
    aLabel.htmlFor = `kb-a-${n}`;
    const a = el('textarea');
    a.id = `kb-a-${n}`;
    a.name = 'answer';
    a.rows = 4;
    a.value = draft.answer;
    const aHelp = el('span', 'muted help');
    aHelp.id = `kb-a-${n}-help`;
    a.setAttribute('aria-describedby', aHelp.id);
    const review = reviewDateField(`kb-r-${n}`, draft.reviewBy);
    const stale = el('p', 'stale muted small', '');
    stale.hidden = true;
    const error = el('p', 'error');
    error.setAttribute('role', 'alert');
    setFieldError(error, null, errors.get(id) || '');
    const foot = el('div', 'form-foot');
    const hint = el('span', 'muted help', 'Ctrl+Enter to save · Esc to cancel');
    const save = el('button', null, 'Save');
    save.type = 'submit';
    const cancel = el('button', 'secondary', 'Cancel');
    cancel.type = 'button';
    const buttons = el('span', 'buttons');
    buttons.append(cancel, save);
    foot.append(hint, buttons);
    const phrasings = phrasingsOf(entry.data).length;
    const keeps = phrasings ? el('p', 'muted small',
      `Its ${phrasings} other wording${phrasings === 1 ? '' : 's'} stay${phrasings === 1 ? 's' : ''} with it.`) : null;
    form.append(qLabel, q, qHelp, aLabel, a, aHelp, ...review.nodes, ...(keeps ? [keeps] : []), stale, error, foot);
    wireCounter(form, 'question', QUESTION_MAX);
    wireCounter(form, 'answer', ENTRY_ANSWER_MAX);
    wireReviewDate(form);
    q.addEventListener('input', () => { draft.question = q.value; });
    a.addEventListener('input', () => { draft.answer = a.value; });
    form.reviewBy.addEventListener('input', () => { draft.reviewBy = form.reviewBy.value; });
    submitOnCtrlEnter(q);
    submitOnCtrlEnter(a);
    const close = () => {
      editing.delete(id);
      const li = refill(id);
      if (li) $('.actions button', li)?.focus();
      else render();
    };
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
    });
    cancel.addEventListener('click', close);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const check = checkEntry(q.value, a.value);
      // An unchanged date stays as it was, even when due; a new one must be in the future.
      const reviewBy = checkReviewDate(form.reviewBy.value, { previous: draft.base ? draft.base.reviewBy : null });
      form.reviewBy.setAttribute('aria-invalid', reviewBy.error ? 'true' : 'false');
      if (!check.ok || reviewBy.error) {
        setFieldError(error, null, check.question.error || check.answer.error || reviewBy.error);
        (check.question.error ? q : check.answer.error ? a : form.reviewBy).focus();
        return;
      }
      setFieldError(error, null, '');
      errors.delete(id);
      save.disabled = true;
      // Leave edit mode at once (optimistic); the listener shows the saved entry.
      const typed = { question: q.value, answer: a.value, reviewBy: form.reviewBy.value, base: draft.base };
      editing.delete(id);
      render();
      try {
        await editEntry(db, id, { question: check.question.text, answer: check.answer.text, reviewBy: reviewBy.value },
          getUser());
        announce('Answer saved.');
      } catch (err) {
        console.error('edit failed', id, err);
        errors.set(id, describeError(err, 'the edit'));
        // Back to the form with what was typed, and why it failed.
        editing.set(id, typed);
        if (!refill(id)) render();
      }
    });
    refreshCounters(form);
    return form;
  }

  function markStale(li, entry) {
    const draft = editing.get(entry.id);
    const stale = $('.stale', li);
    if (!stale || !draft.base) return;
    const changed = draft.base.question !== entry.data.question || draft.base.answer !== entry.data.answer
      || toMillis(draft.base.reviewBy) !== toMillis(entry.data.reviewBy);
    stale.hidden = !changed;
    stale.textContent = changed ? 'Someone changed this answer since you started editing; saving replaces it.' : '';
  }

  async function remove(id) {
    confirming.delete(id);
    errors.delete(id);
    try {
      const entry = entryOf(id);
      if (!entry) throw Object.assign(new Error('That answer is gone already.'), { code: 'not-found' });
      await deleteEntry(db, id, entry.data, getUser());
      announce('Answer deleted.');
    } catch (err) {
      console.error('delete failed', id, err);
      errors.set(id, describeError(err, 'the deletion'));
      if (!refill(id)) render();
    }
  }

  function signature(entry) {
    const d = entry.data;
    return JSON.stringify([d.question, d.answer, d.source, d.originatingRequestId, toMillis(d.createdAt),
      toMillis(d.updatedAt), d.updatedByEmail || '', toMillis(d.reviewBy), isDue(d),
      phrasingsOf(d).map((p) => [p.text, p.source]), d.conflictWith || [], entry.pendingWrite,
      editing.has(entry.id), confirming.has(entry.id), errors.get(entry.id) || '', wordings.signature(entry.id)]);
  }

  return { start, stop, openEdit, focusTarget: () => $('#learned-title') };
}

function reviewDateField(id, value) {
  const label = el('label', null, 'Review date (optional)');
  label.htmlFor = id;
  const input = el('input');
  input.type = 'date';
  input.id = id;
  input.name = 'reviewBy';
  input.value = value || '';
  const help = el('span', 'muted help');
  help.id = `${id}-help`;
  input.setAttribute('aria-describedby', help.id);
  const clear = el('button', 'secondary small-button clear-review', 'No review date');
  clear.type = 'button';
  const row = el('div', 'review-row');
  row.append(input, clear);
  return { nodes: [label, row, help] };
}

/** What an entry's editor starts from: its fields as they are, and the data they came from. */
function draftOf(data) {
  return { question: data.question || '', answer: data.answer || '', reviewBy: dateInputValue(data.reviewBy), base: data };
}

function sortKey(data) {
  return toMillis(data.updatedAt) || toMillis(data.createdAt) || 0;
}

function wireCounter(form, name, max) {
  const control = form[name];
  const help = form.querySelector(`#${CSS.escape(control.getAttribute('aria-describedby'))}`);
  const update = () => showCount(help, control.value, max);
  control.addEventListener('input', update);
  control._updateCounter = update;
  update();
}

function refreshCounters(form) {
  for (const control of form.querySelectorAll('input, textarea')) control._updateCounter?.();
}

/** The review date's hint, and its clear button (a date input has no clear control of its own here). */
function wireReviewDate(form) {
  const input = form.reviewBy;
  const help = form.querySelector(`#${CSS.escape(input.getAttribute('aria-describedby'))}`);
  const clear = form.querySelector('.clear-review');
  const update = () => {
    help.textContent = input.value
      ? 'Listed under Review from that day, to check the answer is still right.'
      : 'Optional: when to check this answer again (prices, seasonal hours).';
    if (clear) clear.hidden = !input.value;
  };
  input.addEventListener('input', update);
  input.addEventListener('change', update);
  clear?.addEventListener('click', () => {
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.setAttribute('aria-invalid', 'false');
    input.focus();
  });
  input._updateCounter = update;
  const min = new Date();
  min.setDate(min.getDate() + 1);
  input.min = dateInputValue(min);
  update();
}

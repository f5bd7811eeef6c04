// A learned answer's editor (the entry form in edit mode): what was typed stays as a draft while live
// changes arrive (a change by someone else is pointed out), Esc or Cancel leaves it, Save leaves at
// once and comes back with what was typed and why when the write is refused.
import { announce } from './alerts.js';
import { $, setFieldError } from './dom.js';
import { entryForm, readEntryForm, refreshCounters } from './entry-form.js';
import { dateInputValue, editEntry, phrasingsOf } from './knowledge.js';
import { describeError } from './requests.js';
import { toMillis } from './time.js';

let formSeq = 0;

/** What an entry's editor starts from: its fields as they are, and the data they came from. */
export function draftOf(data) {
  return { question: data.question || '', answer: data.answer || '', reviewBy: dateInputValue(data.reviewBy), base: data };
}

/** Whether the entry changed (question, answer, review date) since the draft was taken from it. */
export function changedSince(base, data) {
  return base.question !== data.question || base.answer !== data.answer
    || toMillis(base.reviewBy) !== toMillis(data.reviewBy);
}

/** "Its 2 other wordings stay with it." — or '' without other wordings. */
export function keepsNote(count) {
  if (!count) return '';
  return `Its ${count} other wording${count === 1 ? '' : 's'} stay${count === 1 ? 's' : ''} with it.`;
}

/**
 * The editor's form for `entry`. `ctx`: { getDb, getUser, editing (id → draft), errors (id → message),
 * refill(id) → the entry's redrawn element or null, render() }.
 */
export function editForm(entry, ctx) {
  const { id } = entry;
  const draft = ctx.editing.get(id);
  const form = entryForm(`kb-e${++formSeq}`, {
    hint: 'Ctrl+Enter to save · Esc to cancel', cancel: true, rows: 4, values: draft,
  });
  const keeps = $('.keeps', form);
  keeps.textContent = keepsNote(phrasingsOf(entry.data).length);
  keeps.hidden = !keeps.textContent;
  setFieldError($('.error', form), null, ctx.errors.get(id) || '');
  for (const name of ['question', 'answer', 'reviewBy']) {
    form[name].addEventListener('input', () => { draft[name] = form[name].value; });
  }
  const close = () => {
    ctx.editing.delete(id);
    const li = ctx.refill(id);
    if (li) $('.actions button', li)?.focus();
    else ctx.render();
  };
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  $('.cancel', form).addEventListener('click', close);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save(form, entry, draft, ctx);
  });
  refreshCounters(form);
  return form;
}

async function save(form, { id }, draft, ctx) {
  // An unchanged date stays as it was, even when due; a new one must be in the future.
  const read = readEntryForm(form, { previous: draft.base ? draft.base.reviewBy : null });
  if (!read) return;
  ctx.errors.delete(id);
  $('button[type="submit"]', form).disabled = true;
  // Leave edit mode at once (optimistic); the listener shows the saved entry.
  const typed = { question: form.question.value, answer: form.answer.value, reviewBy: form.reviewBy.value, base: draft.base };
  ctx.editing.delete(id);
  ctx.render();
  try {
    await editEntry(ctx.getDb(), id, read.value, ctx.getUser());
    announce('Answer saved.');
  } catch (err) {
    console.error('edit failed', id, err);
    ctx.errors.set(id, describeError(err, 'the edit'));
    // Back to the form with what was typed, and why it failed.
    ctx.editing.set(id, typed);
    if (!ctx.refill(id)) ctx.render();
  }
}

/** Live data arrived for an entry being edited: say whether someone else changed it meanwhile. */
export function markStale(li, entry, draft) {
  const stale = $('.stale', li);
  if (!stale || !draft.base) return;
  const changed = changedSince(draft.base, entry.data);
  stale.hidden = !changed;
  stale.textContent = changed ? 'Someone changed this answer since you started editing; saving replaces it.' : '';
}

// One learned answer's card: question, answer, other wordings (removable, wordings.js), where it came
// from, its dates and review date, history (learned-history.js), the error of its last failed write,
// and its actions (Edit, Delete after an inline "Delete?"). In edit mode the card is its editor.
import { $, el, setFieldError } from './dom.js';
import { heldBadge, reviewNote } from './kbparts.js';
import { editForm } from './learned-editor.js';
import { formatTime, toMillis } from './time.js';

const SOURCE_LABEL = {
  seed: 'Salon facts',
  supervisor: 'Added by a supervisor',
};

/** Where an entry came from, for people. */
export function sourceLabel(data) {
  return SOURCE_LABEL[data.source] || (data.originatingRequestId ? 'Learned from a request' : 'Added');
}

function metaLine(entry) {
  const { data } = entry;
  const meta = el('p', 'meta small');
  meta.append(el('span', 'source', sourceLabel(data)));
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
  return meta;
}

function button(className, text, label, onClick) {
  const b = el('button', className, text);
  b.type = 'button';
  if (label) b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

function actions(li, entry, ctx) {
  const { id, data } = entry;
  const box = el('div', 'actions');
  if (ctx.confirming.has(id)) {
    const no = button('secondary', 'Keep', null, () => {
      ctx.confirming.delete(id);
      ctx.fill(li, entry);
      $('button', li.querySelector('.actions'))?.focus();
    });
    box.append(el('span', 'confirm', 'Delete this answer? The receptionist stops using it.'),
      button('danger', 'Delete', null, () => ctx.remove(id)), no);
    queueMicrotask(() => no.focus());
    return box;
  }
  box.append(
    button('secondary', 'Edit', `Edit: ${data.question || ''}`, () => {
      ctx.startEdit(id, data);
      ctx.fill(li, entry);
      $('textarea, input', li)?.focus();
    }),
    button('secondary', 'Delete', `Delete: ${data.question || ''}`, () => {
      ctx.confirming.add(id);
      ctx.errors.delete(id);
      ctx.fill(li, entry);
    }));
  return box;
}

/**
 * Draw `entry` ({ id, data, pendingWrite }) into its <li>. `ctx`: the Learned view's state and actions
 * (editing, confirming, errors, history, wordings, startEdit, remove, fill = redraw with its signature,
 * and the editor's context).
 */
export function fillCard(li, entry, ctx) {
  const { id, data } = entry;
  li.replaceChildren();
  li.classList.toggle('saving', entry.pendingWrite);
  if (ctx.editing.has(id)) {
    li.append(editForm(entry, ctx));
    return;
  }
  li.append(el('p', 'kb-question', data.question || ''));
  const held = heldBadge(data);
  if (held) li.append(held);
  li.append(el('p', 'kb-answer', data.answer || ''));
  const phrasings = ctx.wordings.list(entry);
  if (phrasings) li.append(phrasings);
  li.append(metaLine(entry), ctx.history.details(id));
  const error = el('p', 'error');
  error.setAttribute('role', 'alert');
  setFieldError(error, null, ctx.errors.get(id) || '');
  li.append(error, actions(li, entry, ctx));
}

// Undo a wrong wording in the Learned view: each of an entry's other wordings (phrasings) gets a small
// "Remove" button that asks inline first, then writes exactly what firestore.rules allows
// (isPhrasingRemoval): the entry's other phrasings as last read, Vectors untouched, plus the editor's
// stamps. A denied or failed removal is said on the entry (its error line) and the listener puts the
// wording back.
import { announce } from './alerts.js';
import { el } from './dom.js';
import { phrasingsList } from './kbparts.js';
import { phrasingKey, removePhrasing } from './knowledge.js';
import { describeError } from './requests.js';

/** A wording's "Remove" button: asks first (the entry redraws with the question). */
function removeButton(wr, id, p, key) {
  const button = el('button', 'secondary small-button phrasing-remove', 'Remove');
  button.type = 'button';
  button.dataset.key = key;
  button.setAttribute('aria-label', `Remove wording «${p.text}»`);
  button.addEventListener('click', () => {
    wr.asking.set(id, key);
    wr.setError(id, null);
    wr.refill(id);
  });
  return [button];
}

/** The inline question: Remove does it, Keep puts the Remove button back (and the focus on it). */
function confirmControls(wr, id, key) {
  const ask = el('span', 'confirm small', 'Remove this wording? The receptionist stops matching it to this answer.');
  const yes = el('button', 'danger small-button', 'Remove');
  yes.type = 'button';
  const no = el('button', 'secondary small-button', 'Keep');
  no.type = 'button';
  yes.addEventListener('click', () => remove(wr, id, key));
  no.addEventListener('click', () => {
    wr.asking.delete(id);
    const li = wr.refill(id);
    [...(li?.querySelectorAll('.phrasing-remove') || [])].find((b) => b.dataset.key === key)?.focus();
  });
  queueMicrotask(() => no.focus());
  return [ask, yes, no];
}

function controls(wr, id, p) {
  const key = phrasingKey(p);
  return wr.asking.get(id) === key ? confirmControls(wr, id, key) : removeButton(wr, id, p, key);
}

async function remove(wr, id, key) {
  wr.asking.delete(id);
  wr.setError(id, null);
  const entry = wr.getEntry(id);
  if (!entry) return;
  let li = null;
  try {
    const write = removePhrasing(wr.getDb(), id, entry.data, key, wr.getUser());
    li = wr.refill(id); // the question goes at once; the listener shows the wording gone
    await write;
    announce('Wording removed.');
  } catch (err) {
    console.error('remove wording failed', id, err);
    wr.setError(id, describeError(err, 'the removal'));
    li = wr.refill(id);
  }
  focusEntry(li);
}

/** After the row it was on is gone: the entry's first action, unless focus went elsewhere. */
function focusEntry(li) {
  const active = document.activeElement;
  if (li && (!active || active === document.body || !active.isConnected)) li.querySelector('.actions button')?.focus();
}

/**
 * getEntry(id) → the current { id, data } (or undefined); refill(id) → redraws that entry and returns
 * its element; setError(id, message | null) → the entry's error line.
 */
export function createWordingRemoval({ getDb, getUser, getEntry, refill, setError }) {
  const wr = { getDb, getUser, getEntry, refill, setError, asking: new Map() }; // asking: entry id → wording key
  return {
    /** The entry's "Also asked as" list with the Remove controls; null without wordings. */
    list: (entry) => phrasingsList(entry.data, { extra: (p) => controls(wr, entry.id, p) }),
    signature: (id) => wr.asking.get(id) || '',
    forget: (id) => wr.asking.delete(id),
    clear: () => wr.asking.clear(),
  };
}

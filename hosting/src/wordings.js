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

/**
 * getEntry(id) → the current { id, data } (or undefined); refill(id) → redraws that entry and returns
 * its element; setError(id, message | null) → the entry's error line.
 */
export function createWordingRemoval({ getDb, getUser, getEntry, refill, setError }) {
  const asking = new Map(); // entry id → key of the wording asking "remove?"

  /** The entry's "Also asked as" list with the Remove controls; null without wordings. */
  function list(entry) {
    return phrasingsList(entry.data, { extra: (p) => controls(entry.id, p) });
  }

  function controls(id, p) {
    const key = phrasingKey(p);
    if (asking.get(id) !== key) {
      const button = el('button', 'secondary small-button phrasing-remove', 'Remove');
      button.type = 'button';
      button.dataset.key = key;
      button.setAttribute('aria-label', `Remove wording «${p.text}»`);
      button.addEventListener('click', () => {
        asking.set(id, key);
        setError(id, null);
        refill(id);
      });
      return [button];
    }
    const ask = el('span', 'confirm small', 'Remove this wording? The receptionist stops matching it to this answer.');
    const yes = el('button', 'danger small-button', 'Remove');
    yes.type = 'button';
    const no = el('button', 'secondary small-button', 'Keep');
    no.type = 'button';
    yes.addEventListener('click', () => remove(id, key));
    no.addEventListener('click', () => {
      asking.delete(id);
      const li = refill(id);
      [...(li?.querySelectorAll('.phrasing-remove') || [])].find((b) => b.dataset.key === key)?.focus();
    });
    queueMicrotask(() => no.focus());
    return [ask, yes, no];
  }

  async function remove(id, key) {
    asking.delete(id);
    setError(id, null);
    const entry = getEntry(id);
    if (!entry) return;
    let li = null;
    try {
      const write = removePhrasing(getDb(), id, entry.data, key, getUser());
      li = refill(id); // the question goes at once; the listener shows the wording gone
      await write;
      announce('Wording removed.');
    } catch (err) {
      console.error('remove wording failed', id, err);
      setError(id, describeError(err, 'the removal'));
      li = refill(id);
    }
    focusEntry(li);
  }

  /** After the row it was on is gone: the entry's first action, unless focus went elsewhere. */
  function focusEntry(li) {
    const active = document.activeElement;
    if (li && (!active || active === document.body || !active.isConnected)) li.querySelector('.actions button')?.focus();
  }

  return {
    list,
    signature: (id) => asking.get(id) || '',
    forget: (id) => asking.delete(id),
    clear: () => asking.clear(),
  };
}

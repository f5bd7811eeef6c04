// "Find another answer…" under a request's closest answers: when the suggestions miss (a caller's
// slang), the supervisor searches the live knowledge base (question, answer and other wordings) and
// uses any entry's current answer, linked to it, with the same button as a suggestion.
import { $, el } from './dom.js';
import { answerCard } from './kbparts.js';
import { fold, isHeld, matches } from './knowledge.js';

export const FOUND_SHOWN = 5;

/** How well the question itself fits: a word at a word start counts more ("men's" is in "women's"). */
function rank(question, words) {
  const q = fold(question);
  const starts = q.split(/[^\p{L}\p{N}]+/u);
  return words.reduce((n, w) => n + (q.includes(w) ? 1 : 0) + (starts.some((t) => t.startsWith(w)) ? 1 : 0), 0);
}

/**
 * Entries ([{ id, data }]) matching the search, best first: { items: [{ id, question, answer, held }]
 * (at most `max`), total }. An empty search finds nothing; entries without an answer are left out.
 */
export function findEntries(entries, search, max = FOUND_SHOWN) {
  const words = fold(search).split(/\s+/).filter(Boolean);
  if (!words.length) return { items: [], total: 0 };
  const found = entries
    .filter((e) => typeof e.data.answer === 'string' && e.data.answer && matches(e.data, search))
    .map((e) => ({ e, r: rank(e.data.question, words), q: e.data.question || '' }))
    .sort((a, b) => b.r - a.r || a.q.localeCompare(b.q));
  return {
    items: found.slice(0, max).map(({ e, q }) => ({ id: e.id, question: q, answer: e.data.answer, held: isHeld(e.data) })),
    total: found.length,
  };
}

/** What the finder shows for a search of the store ({ loaded, error, all() }): { items, text }. */
export function finderResult(search, store) {
  if (!search) return { items: [], text: '' };
  if (store.error && !store.loaded) return { items: [], text: 'The knowledge base could not be loaded.' };
  if (!store.loaded) return { items: [], text: 'Loading the knowledge base…' };
  const { items, total } = findEntries(store.all(), search);
  const text = !total ? `No answer matches “${search}”.`
    : total > items.length ? `${items.length} of ${total} answers shown; add words to narrow it down.`
      : `${total} answer${total === 1 ? '' : 's'} found.`;
  return { items, text };
}

function render(fv) {
  const { items, text } = finderResult(fv.input.value.trim(), fv.store);
  const next = JSON.stringify([items, text, fv.busy]);
  if (next === fv.sig) return; // unchanged: keep the focus where it is
  fv.sig = next;
  fv.stateNode.textContent = text;
  const { list } = fv;
  const focused = list.contains(document.activeElement) ? document.activeElement.closest('li')?.dataset.id : null;
  list.replaceChildren(...items.map((s) => item(fv, s)));
  if (focused) $(`li[data-id="${CSS.escape(focused)}"] button`, list)?.focus();
}

function item(fv, s) {
  let meta = null;
  if (s.held) {
    meta = el('p', 'meta small');
    meta.append(el('span', 'held-note', 'Held: conflicting answers'));
  }
  return answerCard(s, {
    className: 'find-result', answerId: `find-answer-${s.id.replace(/[^\w-]/g, '_')}`, meta, disabled: fv.busy, onUse: fv.onUse,
  });
}

/** Typing searches; ArrowDown goes to the first result's button. */
function wireInput(fv) {
  fv.input.addEventListener('input', () => render(fv));
  fv.input.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown') return;
    const first = $('button', fv.list);
    if (first) {
      event.preventDefault();
      first.focus();
    }
  });
}

export function createFinder({ section, store, onUse }) {
  const fv = {
    store, onUse,
    input: $('.find-input', section),
    list: $('.find-results', section),
    stateNode: $('.find-state', section),
    busy: false,
    sig: '',
  };
  wireInput(fv);
  return {
    render: () => render(fv),
    setBusy(value) {
      fv.busy = value;
      for (const b of fv.list.querySelectorAll('button')) b.disabled = value;
    },
    reset() {
      Object.assign(fv, { sig: '', busy: false });
      fv.input.value = '';
      render(fv);
    },
  };
}

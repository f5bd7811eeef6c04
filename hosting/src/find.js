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

export function createFinder({ section, store, onUse }) {
  const input = $('.find-input', section);
  const list = $('.find-results', section);
  const stateNode = $('.find-state', section);
  let busy = false;
  let sig = '';

  input.addEventListener('input', render);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { // to the first result's button
      const first = $('button', list);
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  function render() {
    const search = input.value.trim();
    let text = '';
    let items = [];
    if (search && store.error && !store.loaded) text = 'The knowledge base could not be loaded.';
    else if (search && !store.loaded) text = 'Loading the knowledge base…';
    else if (search) {
      const found = findEntries(store.all(), search);
      items = found.items;
      text = !found.total ? `No answer matches “${search}”.`
        : found.total > items.length ? `${items.length} of ${found.total} answers shown; add words to narrow it down.`
          : `${found.total} answer${found.total === 1 ? '' : 's'} found.`;
    }
    const next = JSON.stringify([items, text, busy]);
    if (next === sig) return; // unchanged: keep the focus where it is
    sig = next;
    stateNode.textContent = text;
    const focused = list.contains(document.activeElement) ? document.activeElement.closest('li')?.dataset.id : null;
    list.replaceChildren(...items.map(item));
    if (focused) $(`li[data-id="${CSS.escape(focused)}"] button`, list)?.focus();
  }

  function item(s) {
    let meta = null;
    if (s.held) {
      meta = el('p', 'meta small');
      meta.append(el('span', 'held-note', 'Held: conflicting answers'));
    }
    return answerCard(s, {
      className: 'find-result', answerId: `find-answer-${s.id.replace(/[^\w-]/g, '_')}`, meta, disabled: busy, onUse,
    });
  }

  function setBusy(value) {
    busy = value;
    for (const b of list.querySelectorAll('button')) b.disabled = value;
  }

  function reset() {
    input.value = '';
    sig = '';
    busy = false;
    render();
  }

  return { render, setBusy, reset };
}

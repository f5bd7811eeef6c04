// The request detail's "Closest answers we already have" (the functions write `suggestions`, best
// first, shortly after a request arrives) and the question asked when a typed answer is for a question
// the knowledge base nearly has. Each suggestion shows its entry's current answer from the live
// knowledge base (the stored copy only until that has loaded); one whose entry is gone is skipped.
// Until they arrive the panel says it is looking. Below them, "Find another answer…" searches the whole knowledge base (find.js) for when they miss.
import { $, el, setFieldError } from './dom.js';
import { createFinder } from './find.js';
import { answerCard } from './kbparts.js';
import { isHeld } from './knowledge.js';

const SUGGESTIONS_SHOWN = 3;

/** 0.83 → 83; a score outside 0..1 is clamped. */
export function matchPercent(score) {
  const n = typeof score === 'number' && Number.isFinite(score) ? score : 0;
  return Math.round(Math.min(1, Math.max(0, n)) * 100);
}

/**
 * The request's suggestions joined with the live knowledge base: [{ id, question, answer, percent,
 * near, held }], without those whose entry no longer exists; null when the field is absent.
 */
export function joinSuggestions(suggestions, store) {
  if (!Array.isArray(suggestions)) return null;
  const out = [];
  for (const s of suggestions) {
    if (!s || typeof s.knowledgeId !== 'string' || !s.knowledgeId) continue;
    const entry = store.loaded ? store.get(s.knowledgeId) : null;
    if (store.loaded && !entry) continue;
    const answer = entry && typeof entry.answer === 'string' ? entry.answer : s.answer;
    if (typeof answer !== 'string' || !answer) continue;
    out.push({
      id: s.knowledgeId,
      question: (entry && entry.question) || s.question || '',
      answer,
      percent: matchPercent(s.score),
      near: s.near === true,
      held: Boolean(entry && isHeld(entry)),
    });
    if (out.length === SUGGESTIONS_SHOWN) break;
  }
  return out;
}

export function createSuggestions({ view, store, onUse, onNearChoice }) {
  const section = $('.suggestions-section', view);
  const list = $('.suggestions', section);
  const stateNode = $('.suggestions-state', section);
  const errorNode = $('.suggestions-error', section);
  const choice = $('.near-choice', view);
  let shown = [];
  let busy = false;
  let sig = '';
  let asking = null; // the near entry the choice is about
  const finder = createFinder({ section, store, onUse });

  for (const button of choice.querySelectorAll('button[data-action]')) {
    button.addEventListener('click', () => {
      const near = asking;
      hideChoice();
      onNearChoice(button.dataset.action, near);
    });
  }
  choice.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      const near = asking;
      hideChoice();
      onNearChoice('cancel', near);
    }
  });

  /** Show the suggestions of a request that can still be answered (else hide them). */
  function render(request, answerable) {
    const open = Boolean(answerable && request);
    // null: the functions have not written the suggestions yet; the search works meanwhile.
    const joined = open ? joinSuggestions(request.suggestions, store) : null;
    shown = joined || [];
    section.hidden = !open;
    if (open) finder.render();
    const next = JSON.stringify([open, joined, busy]);
    if (next === sig) return;
    sig = next;
    if (!open || joined === null) {
      list.replaceChildren();
      stateNode.textContent = open ? 'Finding the closest answers…' : '';
      stateNode.hidden = !open;
      return;
    }
    stateNode.textContent = joined.length ? '' : 'No close answers in the knowledge base.';
    stateNode.hidden = joined.length > 0;
    list.replaceChildren(...joined.map(item));
  }

  function item(s) {
    const meta = el('p', 'meta small');
    meta.append(el('span', 'match', `${s.percent} % match`));
    if (s.near) meta.append(el('span', 'near-badge', 'Nearly the same question'));
    if (s.held) meta.append(el('span', 'held-note', 'Held: conflicting answers'));
    return answerCard(s, {
      className: 'suggestion', answerId: `suggestion-answer-${CSS.escape(s.id)}`, meta, disabled: busy, onUse,
    });
  }

  function setBusy(value) {
    busy = value;
    for (const b of list.querySelectorAll('button')) b.disabled = value;
    for (const b of choice.querySelectorAll('button')) b.disabled = value;
    finder.setBusy(value);
  }

  function setError(message) {
    setFieldError(errorNode, null, message);
  }

  /** The best suggestion marked near, with its entry's current words; null if none. */
  function near() {
    return shown.find((s) => s.near) || null;
  }

  function askNear(s) {
    asking = s;
    $('.near-question', choice).textContent = s.question;
    $('.near-answer', choice).textContent = s.answer;
    choice.hidden = false;
    $('button', choice).focus();
  }

  function hideChoice() {
    asking = null;
    choice.hidden = true;
  }

  function reset() {
    hideChoice();
    setError('');
    setBusy(false);
    sig = '';
    shown = [];
    list.replaceChildren();
    finder.reset();
    section.hidden = true;
  }

  return { render, near, askNear, hideChoice, setBusy, setError, reset };
}

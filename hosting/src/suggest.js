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

/** The panel's state: its nodes, what is shown, whether a use is being saved, the near entry asked about. */
function suggestionsState({ view, store, onUse, onNearChoice }) {
  const section = $('.suggestions-section', view);
  return {
    section, store, onUse, onNearChoice,
    list: $('.suggestions', section),
    stateNode: $('.suggestions-state', section),
    errorNode: $('.suggestions-error', section),
    choice: $('.near-choice', view),
    shown: [],
    busy: false,
    sig: '',
    asking: null, // the near entry the choice is about
    finder: createFinder({ section, store, onUse }),
  };
}

/** The near choice's buttons (and Escape, as cancel) hand the answer to onNearChoice. */
function wireChoice(sv) {
  const choose = (action) => {
    const near = sv.asking;
    hideChoice(sv);
    sv.onNearChoice(action, near);
  };
  for (const button of sv.choice.querySelectorAll('button[data-action]')) {
    button.addEventListener('click', () => choose(button.dataset.action));
  }
  sv.choice.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      choose('cancel');
    }
  });
}

/** Show the suggestions of a request that can still be answered (else hide them). */
function render(sv, request, answerable) {
  const open = Boolean(answerable && request);
  // null: the functions have not written the suggestions yet; the search works meanwhile.
  const joined = open ? joinSuggestions(request.suggestions, sv.store) : null;
  sv.shown = joined || [];
  sv.section.hidden = !open;
  if (open) sv.finder.render();
  const next = JSON.stringify([open, joined, sv.busy]);
  if (next === sv.sig) return;
  sv.sig = next;
  if (!open || joined === null) {
    sv.list.replaceChildren();
    sv.stateNode.textContent = open ? 'Finding the closest answers…' : '';
    sv.stateNode.hidden = !open;
    return;
  }
  sv.stateNode.textContent = joined.length ? '' : 'No close answers in the knowledge base.';
  sv.stateNode.hidden = joined.length > 0;
  sv.list.replaceChildren(...joined.map((s) => item(sv, s)));
}

function item(sv, s) {
  const meta = el('p', 'meta small');
  meta.append(el('span', 'match', `${s.percent} % match`));
  if (s.near) meta.append(el('span', 'near-badge', 'Nearly the same question'));
  if (s.held) meta.append(el('span', 'held-note', 'Held: conflicting answers'));
  return answerCard(s, {
    className: 'suggestion', answerId: `suggestion-answer-${CSS.escape(s.id)}`, meta, disabled: sv.busy, onUse: sv.onUse,
  });
}

function setBusy(sv, value) {
  sv.busy = value;
  for (const b of sv.list.querySelectorAll('button')) b.disabled = value;
  for (const b of sv.choice.querySelectorAll('button')) b.disabled = value;
  sv.finder.setBusy(value);
}

function askNear(sv, s) {
  sv.asking = s;
  $('.near-question', sv.choice).textContent = s.question;
  $('.near-answer', sv.choice).textContent = s.answer;
  sv.choice.hidden = false;
  $('button', sv.choice).focus();
}

function hideChoice(sv) {
  sv.asking = null;
  sv.choice.hidden = true;
}

function reset(sv) {
  hideChoice(sv);
  setFieldError(sv.errorNode, null, '');
  setBusy(sv, false);
  Object.assign(sv, { sig: '', shown: [] });
  sv.list.replaceChildren();
  sv.finder.reset();
  sv.section.hidden = true;
}

export function createSuggestions(deps) {
  const sv = suggestionsState(deps);
  wireChoice(sv);
  return {
    render: (request, answerable) => render(sv, request, answerable),
    /** The best suggestion marked near, with its entry's current words; null if none. */
    near: () => sv.shown.find((s) => s.near) || null,
    askNear: (s) => askNear(sv, s),
    hideChoice: () => hideChoice(sv),
    setBusy: (value) => setBusy(sv, value),
    setError: (message) => setFieldError(sv.errorNode, null, message),
    reset: () => reset(sv),
  };
}

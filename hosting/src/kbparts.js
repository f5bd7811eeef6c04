// Pieces of a knowledge entry shown in more than one view (Learned answers, Review).
import { el } from './dom.js';
import { PHRASING_SOURCE, isDue, isHeld, phrasingsOf } from './knowledge.js';
import { toMillis } from './time.js';

/**
 * "Also asked as": the other wordings, each with where it came from; null when there are none.
 * `extra(p)`, when given, returns nodes to add to a wording's row (the Learned view's Remove).
 */
export function phrasingsList(data, { extra = null } = {}) {
  const phrasings = phrasingsOf(data);
  if (!phrasings.length) return null;
  const wrap = el('div', 'phrasings');
  wrap.append(el('p', 'phrasings-title small muted', `Also asked as (${phrasings.length})`));
  const list = el('ul', 'phrasing-list');
  for (const p of phrasings) {
    const li = el('li', 'phrasing');
    li.dataset.source = p.source || '';
    li.append(el('span', 'phrasing-text', p.text),
      el('span', 'phrasing-source', PHRASING_SOURCE[p.source] || p.source || 'unknown source'));
    if (extra) li.append(...(extra(p) || []));
    list.append(li);
  }
  wrap.append(list);
  return wrap;
}

/**
 * A suggested or found answer (`s`: { id, question, answer }) with its "Use this answer" button,
 * described by the answer; `meta`, when given, goes between the answer and the button.
 */
export function answerCard(s, { className, answerId, meta = null, disabled, onUse }) {
  const li = el('li', `${className} card`);
  li.dataset.id = s.id;
  const answer = el('p', 'suggestion-answer', s.answer);
  answer.id = answerId;
  const use = el('button', 'secondary', 'Use this answer');
  use.type = 'button';
  use.disabled = disabled;
  use.setAttribute('aria-describedby', answer.id);
  use.addEventListener('click', () => onUse(s));
  li.append(el('p', 'suggestion-question', s.question), answer, ...(meta ? [meta] : []), use);
  return li;
}

/** "Review by 3/1/2027", marked when due; null without a date. */
export function reviewNote(data, now = Date.now()) {
  const at = toMillis(data.reviewBy);
  if (at == null) return null;
  const due = isDue(data, now);
  const node = el('span', `review-date${due ? ' due' : ''}`,
    `${due ? 'Review due since' : 'Review by'} ${new Date(at).toLocaleDateString()}`);
  node.dataset.due = String(due);
  return node;
}

/** "Held: conflicting answers", a link to where it is settled; null when not held. */
export function heldBadge(data) {
  if (!isHeld(data)) return null;
  const link = el('a', 'held-badge', 'Held: conflicting answers');
  link.href = '#/review';
  link.title = 'The receptionist escalates questions matching this entry until the conflict is settled.';
  return link;
}

// One conflict card of the Review view: two entries that answer the same question differently, side by
// side, each with "Keep this answer", and "Both are right — different questions" under them.
import { el, setFieldError, setTime } from './dom.js';
import { KEEP_BOTH } from './conflicts.js';
import { phrasingsList } from './kbparts.js';
import { phrasingsOf } from './knowledge.js';
import { formatTime, toMillis } from './time.js';

/** Open conflicts oldest first (by when the functions found them; undated ones first). */
export function oldestFirst(conflicts) {
  return [...conflicts].sort((a, b) => (toMillis(a.data.detectedAt) || 0) - (toMillis(b.data.detectedAt) || 0));
}

/** The conflict's two entries: { id, data } with data undefined while loading, null once deleted. */
export function conflictSides(conflict, store) {
  const ids = Array.isArray(conflict.data.entries) ? conflict.data.entries.slice(0, 2) : [];
  return ids.map((id) => ({ id, data: store.loaded ? store.get(id) || null : undefined }));
}

/** What a card shows: a card is rebuilt only when this changes (focus stays put). */
export function conflictSignature(conflict, { store, busy, errors }) {
  return JSON.stringify([conflict.data, conflictSides(conflict, store).map((s) => s.data && [s.data.question,
    s.data.answer, phrasingsOf(s.data).map((p) => [p.text, p.source]), toMillis(s.data.createdAt),
    toMillis(s.data.updatedAt)]), busy.has(conflict.id), errors.get(conflict.id) || '']);
}

/** ctx: { store, busy (ids being resolved), errors (id → message), resolve(conflictId, keep) }. */
export function conflictCard(conflict, ctx) {
  const li = el('li', 'conflict card');
  const head = el('p', 'meta small');
  const found = el('time', 'age');
  setTime(found, toMillis(conflict.data.detectedAt), 'found');
  head.append(found);
  if (conflict.data.reason) head.append(el('span', 'reason-text', conflict.data.reason));
  const pair = el('div', 'pair');
  conflictSides(conflict, ctx.store).forEach((side, i) => pair.append(sideColumn(conflict, side, i, ctx)));
  const error = el('p', 'error');
  error.setAttribute('role', 'alert');
  setFieldError(error, null, ctx.errors.get(conflict.id));
  const both = el('button', 'secondary', 'Both are right — different questions');
  both.type = 'button';
  both.disabled = ctx.busy.has(conflict.id);
  both.addEventListener('click', () => ctx.resolve(conflict.id, KEEP_BOTH));
  const actions = el('div', 'actions');
  actions.append(both);
  li.append(head, pair, actions, error);
  return li;
}

function sideColumn(conflict, side, index, ctx) {
  const col = el('div', 'side');
  col.dataset.entry = side.id;
  col.append(el('p', 'side-label small muted', `Answer ${index === 0 ? 'A' : 'B'}`));
  if (side.data === undefined || side.data === null) {
    col.append(el('p', 'muted', side.data === undefined ? 'Loading…' : 'This entry was deleted.'));
    return col;
  }
  const answer = sideEntry(col, side.data, `conflict-${CSS.escape(conflict.id)}-${index}`);
  const keep = el('button', null, 'Keep this answer');
  keep.type = 'button';
  keep.disabled = ctx.busy.has(conflict.id);
  keep.setAttribute('aria-describedby', answer.id);
  keep.addEventListener('click', () => ctx.resolve(conflict.id, side.id));
  col.append(keep);
  return col;
}

/** The entry's question, answer (with answerId, returned), other wordings and dates, into col. */
function sideEntry(col, d, answerId) {
  const answer = el('p', 'kb-answer', d.answer || '');
  answer.id = answerId;
  col.append(el('p', 'kb-question', d.question || ''), answer);
  const phrasings = phrasingsList(d);
  if (phrasings) col.append(phrasings);
  const meta = el('p', 'meta small');
  const created = toMillis(d.createdAt);
  if (created) meta.append(el('span', null, `added ${formatTime(created)}`));
  const updated = toMillis(d.updatedAt);
  if (updated) meta.append(el('span', null, `edited ${formatTime(updated)}`));
  col.append(meta);
  return answer;
}

// The request's header panels: status, caller and age, the question (or what a call back or booking
// asks), the group it belongs to, and how it ended: the answer (who, when, what it taught), the
// reason it is unresolved, the follow-up's delivery. Drawn from the request as it is now.
import { $, el, setTime } from './dom.js';
import { showFollowup } from './followup.js';
import { bookingLines, headline, isMemberOf, kindOf } from './requests.js';
import { formatTime, toMillis } from './time.js';

const STATUS_LABEL = { pending: 'Pending', resolved: 'Resolved', unresolved: 'Unresolved' };
const KNOWLEDGE_NOTE = {
  link: 'with an answer we already had',
  update: 'updating the answer we had',
  new: 'as a new answer',
};

/** "Answered by you at …, with an answer we already had" (or "Closed by …" for a note). */
export function answeredLine(request, { uid, question, pendingWrite }) {
  const who = request.answeredBy && uid && request.answeredBy === uid ? 'you' : (request.answeredBy || 'the system');
  const at = toMillis(request.respondedAt);
  const how = KNOWLEDGE_NOTE[request.knowledgeAction];
  return `${question ? 'Answered' : 'Closed'} by ${who}${at ? ` at ${formatTime(at)}` : ''}${how ? `, ${how}` : ''}${pendingWrite ? ' · saving…' : ''}`;
}

function renderAsked(view, request, kind, pendingWrite) {
  const status = request.status;
  const badge = $('.status-badge', view);
  badge.textContent = pendingWrite ? `${STATUS_LABEL[status] || status} · saving…` : (STATUS_LABEL[status] || status);
  badge.dataset.status = status;
  $('.phone', view).textContent = request.customerPhone || 'Unknown caller';
  setTime($('.asked', view), toMillis(request.timestamp), 'asked');
  $('.question', view).textContent = headline(request);
  const said = $('.said', view);
  said.textContent = kind === 'callback' && request.question ? `The caller said: “${request.question}”` : '';
  said.hidden = !said.textContent;
  const details = $('.booking-details', view);
  details.replaceChildren(...bookingLines(kind === 'booking' ? request : {}).flatMap(([k, v]) => [el('dt', '', k), el('dd', '', v)]));
  details.hidden = kind !== 'booking';
}

function renderGroupAndFlags(view, request, id) {
  const groupNote = $('.group-note', view);
  const member = isMemberOf(request, id);
  groupNote.hidden = !member;
  if (member) $('.primary-link', view).href = `#/request/${encodeURIComponent(request.groupId)}`;
  const invalid = $('.invalid', view);
  invalid.textContent = request.invalidReason ? `Flagged as invalid: ${request.invalidReason}` : '';
  invalid.hidden = !request.invalidReason;
}

function renderOutcome(view, request, { uid, question, pendingWrite }) {
  const status = request.status;
  const resolution = $('.resolution', view);
  resolution.hidden = status !== 'resolved';
  if (status === 'resolved') {
    $('.answer', view).textContent = request.responseText || '';
    $('#resolution-title').textContent = question ? 'Answer' : 'Note';
    $('.answered-meta', view).textContent = answeredLine(request, { uid, question, pendingWrite });
  }
  const reason = $('.reason', view);
  const showReason = status === 'unresolved' && request.unresolvedReason;
  reason.hidden = !showReason;
  reason.textContent = showReason ? `Unresolved: ${request.unresolvedReason}` : '';
}

function renderFollowup(view, request, followup, { question, pendingWrite }) {
  $('.followup-section', view).hidden = !question;   // the salon contacts the caller itself
  showFollowup($('.followup-state', view), followup, request, pendingWrite);
  const body = $('.followup-body', view);
  body.hidden = !(followup && followup.body);
  body.textContent = followup && followup.body ? `Message: ${followup.body}` : '';
}

/** Draw every header panel of request `id` into the request view's article. */
export function renderHeader(view, { id, request, followup, pendingWrite, uid }) {
  const article = $('article', view);
  const kind = kindOf(request);
  const question = kind === 'question';
  article.dataset.status = request.status;
  article.dataset.id = id;
  article.dataset.kind = kind;
  renderAsked(view, request, kind, pendingWrite);
  renderGroupAndFlags(view, request, id);
  renderOutcome(view, request, { uid, question, pendingWrite });
  renderFollowup(view, request, followup, { question, pendingWrite });
}

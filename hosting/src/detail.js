// One help request: question, caller, answer or reason, the follow-up's delivery state, the other
// callers of its group, the call's conversation; the closest existing answers, the answer and
// mark-unresolved forms.
import { announce } from './alerts.js';
import { $, el, setFieldError, setState, setTime, showCount, submitOnCtrlEnter } from './dom.js';
import {
  ANSWERABLE, ANSWER_MAX, REASON_MAX, answerRequest, bookingLines, checkAnswer, checkReason, describeError,
  describeListenError, headline, isMemberOf, kindOf, markUnresolved, watchConversation, watchFollowup, watchTurns,
  watchGroup, watchRequest,
} from './requests.js';
import { createSuggestions } from './suggest.js';
import { formatTime, toMillis } from './time.js';

const STATUS_LABEL = { pending: 'Pending', resolved: 'Resolved', unresolved: 'Unresolved' };
const ROLE_LABEL = { caller: 'Caller', agent: 'AI receptionist', supervisor: 'Supervisor' };
const KNOWLEDGE_NOTE = {
  link: 'with an answer we already had',
  update: 'updating the answer we had',
  new: 'as a new answer',
};
const CHANNEL_LABEL = {
  call: 'in the call',
  sms: 'by SMS',
  webhook: 'by webhook',
  log: 'via the log (no SMS provider configured; staff relay it)',
};

/**
 * The delivery state of an outbox entry, for people: { text, tone: ok|warn|error|'' }. `pendingWrite`:
 * the request's answer is not saved yet (so no follow-up can have been queued).
 */
export function describeFollowup(followup, request, pendingWrite = false) {
  if (!followup) {
    if (request.status === 'resolved') {
      if (pendingWrite) return { text: 'The follow-up goes out once the answer is saved.', tone: '' };
      return request.followupSent ? { text: 'Follow-up sent.', tone: 'ok' }
        : { text: 'Follow-up being prepared…', tone: '' };
    }
    if (request.status === 'unresolved') return { text: 'No follow-up yet: answer it to reach the caller.', tone: '' };
    return { text: 'Not yet: the caller hears back once the request is answered.', tone: '' };
  }
  const what = followup.kind === 'timeout' ? 'Apology (no answer in time)' : 'Follow-up';
  const how = CHANNEL_LABEL[followup.channel] || (followup.channel ? `by ${followup.channel}` : '');
  const attempts = followup.attempts || 0;
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  switch (followup.status) {
    case 'sent': {
      const at = toMillis(followup.sentAt);
      return { text: `${what} sent to ${followup.to || 'the caller'} ${how}${at ? ` at ${formatTime(at)}` : ''}.`, tone: 'ok' };
    }
    case 'sending':
      return { text: `Sending ${what.toLowerCase()} ${how}…`, tone: '' };
    case 'failed':
      return { text: `${what} failed after ${tries}: ${followup.error || 'unknown error'}`, tone: 'error' };
    case 'queued':
      return followup.error
        ? { text: `${what} queued for another try (${tries} so far; last error: ${followup.error}).`, tone: 'warn' }
        : { text: `${what} queued ${how}.`, tone: '' };
    default:
      return { text: `${what}: ${followup.status || 'unknown state'}.`, tone: '' };
  }
}

function showFollowup(node, followup, request, pendingWrite = false) {
  const { text, tone } = describeFollowup(followup, request, pendingWrite);
  node.textContent = text;
  node.dataset.state = followup ? followup.status || '' : 'none';
  node.classList.toggle('ok', tone === 'ok');
  node.classList.toggle('warn', tone === 'warn');
  node.classList.toggle('error', tone === 'error');
  if (tone === 'error') node.setAttribute('role', 'alert');
  else node.removeAttribute('role');
}

export function createDetail({ getUser, backLink, store }) {
  const view = $('#request-view');
  const state = $('.state', view);
  const article = $('article', view);
  const answerForm = $('.answer-form', view);
  const answerBox = $('#answer-text');
  const answerHelp = $('#answer-help');
  const answerError = $('#answer-error');
  const reasonForm = $('.unresolved-form', view);
  const reasonBox = $('#reason-text');
  const reasonHelp = $('#reason-help');
  const reasonError = $('#reason-error');

  let db = null;
  let id = null;
  let request = null;
  let pendingWrite = false;
  let unsubRequest = null;
  let unsubGroup = null;
  let unsubFollowup = null;
  let conversation = { id: null, unsub: null };
  let followup = null;
  const memberFollowups = new Map(); // member id → { unsub, data }
  let members = [];
  const drafts = new Map(); // request id → { answer, reason } not yet sent
  const errors = new Map(); // request id → { answer, reason, link } of the last failed write
  const suggestions = createSuggestions({ view, store, onUse: useSuggestion, onNearChoice });
  store.subscribe(() => {
    if (request) suggestions.render(request, ANSWERABLE.has(request.status));
  });

  function draft(key) {
    if (!drafts.has(key)) drafts.set(key, { answer: '', reason: '' });
    return drafts.get(key);
  }

  function updateHelp() {
    showCount(answerHelp, answerBox.value, ANSWER_MAX, ' · Ctrl+Enter to send');
    showCount(reasonHelp, reasonBox.value, REASON_MAX);
  }

  answerBox.addEventListener('input', () => {
    draft(id).answer = answerBox.value;
    suggestions.hideChoice(); // the question was about the text as it was
    updateHelp();
    if (answerBox.getAttribute('aria-invalid') === 'true' && !checkAnswer(answerBox.value).error) {
      setFieldError(answerError, answerBox, '');
    }
  });
  reasonBox.addEventListener('input', () => {
    draft(id).reason = reasonBox.value;
    updateHelp();
    if (reasonBox.getAttribute('aria-invalid') === 'true' && !checkReason(reasonBox.value).error) {
      setFieldError(reasonError, reasonBox, '');
    }
  });
  submitOnCtrlEnter(answerBox);
  answerForm.addEventListener('submit', (event) => {
    event.preventDefault();
    submit('answer');
  });
  reasonForm.addEventListener('submit', (event) => {
    event.preventDefault();
    submit('reason');
  });

  /**
   * Send the answer or the reason. `knowledge` ({ id, action }) is what the supervisor chose about an
   * existing entry; left out, an answer to a question the knowledge base nearly has asks first.
   */
  async function submit(kind, knowledge) {
    const isAnswer = kind === 'answer';
    const box = isAnswer ? answerBox : reasonBox;
    const errorNode = isAnswer ? answerError : reasonError;
    const form = isAnswer ? answerForm : reasonForm;
    const { text, error } = (isAnswer ? checkAnswer : checkReason)(box.value);
    if (error) {
      suggestions.hideChoice();
      setFieldError(errorNode, box, error);
      box.focus();
      return;
    }
    const user = getUser();
    if (!user || !db) return;
    if (isAnswer && knowledge === undefined && kindOf(request) !== 'question') {
      knowledge = null;   // a call back or booking teaches nothing: no entry to link or update
    }
    if (isAnswer && knowledge === undefined) {
      const near = suggestions.near();
      if (near && text === near.answer) {
        knowledge = { id: near.id, action: 'link' }; // typed the answer we have: that is a link
      } else if (near) {
        setFieldError(errorNode, box, '');
        suggestions.askNear(near);
        return;
      }
    }
    const target = id;
    setFieldError(errorNode, box, '');
    errors.delete(target);
    const button = $('button[type="submit"]', form);
    button.disabled = true;
    if (isAnswer) suggestions.setBusy(true);
    try {
      await (isAnswer ? answerRequest : markUnresolved)(db, target, text, user.uid, knowledge);
      drafts.delete(target);
      if (target === id) {
        box.value = '';
        updateHelp();
      }
      announce(!isAnswer ? 'Marked unresolved.' : knowledge === null ? 'Closed.' : 'Answer sent.');
    } catch (err) {
      console.error(`${kind} failed`, target, err);
      const message = describeError(err, isAnswer ? 'the answer' : 'the reason');
      errors.set(target, { [kind]: message });
      if (target === id) {
        // The listener has rolled the request back to what the server has; say why, keep the text.
        setFieldError(errorNode, box, message);
        render();
      }
    } finally {
      button.disabled = false;
      if (isAnswer) suggestions.setBusy(false);
    }
  }

  function onNearChoice(action, near) {
    if (action === 'cancel' || !near) {
      answerBox.focus();
      return;
    }
    submit('answer', { id: near.id, action });
  }

  /** "Use this answer": resolve with the entry's current answer, linked to it. */
  async function useSuggestion(s) {
    const user = getUser();
    if (!user || !db || !request) return;
    const target = id;
    errors.delete(target);
    suggestions.setError('');
    suggestions.hideChoice();
    suggestions.setBusy(true);
    try {
      await answerRequest(db, target, s.answer, user.uid, { id: s.id, action: 'link' });
      drafts.delete(target);
      if (target === id) {
        answerBox.value = '';
        updateHelp();
      }
      announce('Answered with an existing answer.');
    } catch (err) {
      console.error('link failed', target, err);
      // A denied link usually means the entry's answer changed or it was deleted meanwhile.
      const message = err && err.code === 'permission-denied'
        ? 'Permission denied: the answer was not saved (the entry may have just changed; check it and try again).'
        : describeError(err, 'the answer');
      errors.set(target, { link: message });
      if (target === id) {
        suggestions.setError(message);
        render();
      }
    } finally {
      suggestions.setBusy(false);
    }
  }

  function stopConversation() {
    conversation.unsub?.();
    conversation = { id: null, unsub: null, data: undefined };
  }

  function stopMembers() {
    for (const { unsub } of memberFollowups.values()) unsub();
    memberFollowups.clear();
    members = [];
  }

  function hide() {
    unsubRequest?.();
    unsubGroup?.();
    unsubFollowup?.();
    unsubRequest = unsubGroup = unsubFollowup = null;
    stopConversation();
    stopMembers();
    suggestions.reset();
    id = null;
    request = null;
    followup = null;
  }

  let wantFocus = false;

  /** Show a request; with focus, its heading takes the focus once it is loaded. */
  function show(database, requestId, { focus = false } = {}) {
    if (requestId === id && unsubRequest) return;
    hide();
    wantFocus = focus;
    db = database;
    id = requestId;
    backLink($('.back', view));
    article.hidden = true;
    setState(state, 'Loading…');
    const d = draft(id);
    answerBox.value = d.answer;
    reasonBox.value = d.reason;
    const e = errors.get(id) || {};
    setFieldError(answerError, answerBox, e.answer || '');
    setFieldError(reasonError, reasonBox, e.reason || '');
    suggestions.setError(e.link || '');
    updateHelp();

    unsubRequest = watchRequest(db, id, (snap) => {
      if (!snap.exists()) {
        request = null;
        article.hidden = true;
        setState(state, 'This request does not exist (any more).');
        return;
      }
      request = snap.data({ serverTimestamps: 'estimate' });
      pendingWrite = snap.metadata.hasPendingWrites;
      if (request.conversationId !== conversation.id) listenConversation(request.conversationId);
      render();
    }, (err) => {
      article.hidden = true;
      setState(state, describeListenError(err, 'this request'), true);
    });
    unsubFollowup = watchFollowup(db, id, (snap) => {
      followup = snap.exists() ? snap.data({ serverTimestamps: 'estimate' }) : null;
      render();
    }, (err) => console.error('followup', err));
    unsubGroup = watchGroup(db, id, (snap) => {
      members = snap.docs.filter((m) => m.id !== id)
        .map((m) => ({ id: m.id, data: m.data({ serverTimestamps: 'estimate' }) }))
        .sort((a, b) => (toMillis(a.data.timestamp) || 0) - (toMillis(b.data.timestamp) || 0));
      for (const [memberId, entry] of memberFollowups) {
        if (!members.some((m) => m.id === memberId)) {
          entry.unsub();
          memberFollowups.delete(memberId);
        }
      }
      for (const m of members) {
        if (!memberFollowups.has(m.id)) {
          const entry = { data: null, unsub: null };
          memberFollowups.set(m.id, entry);
          entry.unsub = watchFollowup(db, m.id, (f) => {
            entry.data = f.exists() ? f.data({ serverTimestamps: 'estimate' }) : null;
            renderCallers();
          }, (err) => console.error('member followup', err));
        }
      }
      renderCallers();
    }, (err) => console.error('group', err));
  }

  function listenConversation(conversationId) {
    stopConversation();
    conversation.id = conversationId || null;
    if (!conversationId) {
      renderConversation();
      return;
    }
    const failed = (err) => {
      conversation.data = null;
      $('.conversation-state', view).textContent = describeListenError(err, 'the conversation');
    };
    const stopDoc = watchConversation(db, conversationId, (snap) => {
      conversation.data = snap.exists() ? snap.data({ serverTimestamps: 'estimate' }) : null;
      renderConversation();
    }, failed);
    const stopTurns = watchTurns(db, conversationId, (snap) => {
      conversation.turns = snap.docs.map((d) => d.data({ serverTimestamps: 'estimate' }));
      renderConversation();
    }, failed);
    conversation.unsub = () => { stopDoc(); stopTurns(); };
  }

  function render() {
    if (!request) return;
    setState(state, '');
    article.hidden = false;
    const status = request.status;
    article.dataset.status = status;
    article.dataset.id = id;
    const badge = $('.status-badge', view);
    badge.textContent = pendingWrite ? `${STATUS_LABEL[status] || status} · saving…` : (STATUS_LABEL[status] || status);
    badge.dataset.status = status;
    $('.phone', view).textContent = request.customerPhone || 'Unknown caller';
    setTime($('.asked', view), toMillis(request.timestamp), 'asked');
    const kind = kindOf(request);
    const question = kind === 'question';
    article.dataset.kind = kind;
    $('.question', view).textContent = headline(request);
    const said = $('.said', view);
    said.textContent = kind === 'callback' && request.question ? `The caller said: “${request.question}”` : '';
    said.hidden = !said.textContent;
    const details = $('.booking-details', view);
    details.replaceChildren(...bookingLines(kind === 'booking' ? request : {}).flatMap(([k, v]) => [el('dt', '', k), el('dd', '', v)]));
    details.hidden = kind !== 'booking';

    const groupNote = $('.group-note', view);
    const member = isMemberOf(request, id);
    groupNote.hidden = !member;
    if (member) $('.primary-link', view).href = `#/request/${encodeURIComponent(request.groupId)}`;

    const invalid = $('.invalid', view);
    invalid.textContent = request.invalidReason ? `Flagged as invalid: ${request.invalidReason}` : '';
    invalid.hidden = !request.invalidReason;

    const resolution = $('.resolution', view);
    resolution.hidden = status !== 'resolved';
    if (status === 'resolved') {
      $('.answer', view).textContent = request.responseText || '';
      const user = getUser();
      const who = request.answeredBy && user && request.answeredBy === user.uid ? 'you' : (request.answeredBy || 'the system');
      const at = toMillis(request.respondedAt);
      const how = KNOWLEDGE_NOTE[request.knowledgeAction];
      $('#resolution-title').textContent = question ? 'Answer' : 'Note';
      $('.answered-meta', view).textContent = `${question ? 'Answered' : 'Closed'} by ${who}${at ? ` at ${formatTime(at)}` : ''}${how ? `, ${how}` : ''}${pendingWrite ? ' · saving…' : ''}`;
    }
    const reason = $('.reason', view);
    const showReason = status === 'unresolved' && request.unresolvedReason;
    reason.hidden = !showReason;
    reason.textContent = showReason ? `Unresolved: ${request.unresolvedReason}` : '';

    $('.followup-section', view).hidden = !question;   // the salon contacts the caller itself
    showFollowup($('.followup-state', view), followup, request, pendingWrite);
    const body = $('.followup-body', view);
    body.hidden = !(followup && followup.body);
    body.textContent = followup && followup.body ? `Message: ${followup.body}` : '';

    answerForm.hidden = !ANSWERABLE.has(status);
    reasonForm.hidden = status !== 'pending';
    if (!ANSWERABLE.has(status) || !question) suggestions.hideChoice();
    suggestions.render(request, ANSWERABLE.has(status) && question);
    if (wantFocus) {
      wantFocus = false;
      $('#request-title').focus();
    }
    $('label', answerForm).textContent = !question ? 'Your note (what you did)'
      : status === 'unresolved' ? 'Your answer (late answers still reach the caller)' : 'Your answer';
    $('.note-help', answerForm).hidden = question;
    $('button[type="submit"]', answerForm).textContent = question ? 'Send answer' : 'Close with note';
    renderCallers();
  }

  function callerItem(phone, question, timestamp, f, req, link) {
    const li = el('li', 'caller');
    const meta = el('div', 'meta');
    meta.append(el('span', 'phone', phone || 'Unknown caller'));
    const time = el('time', 'age');
    setTime(time, toMillis(timestamp), 'asked');
    meta.append(time);
    if (link) {
      const a = el('a', null, 'details');
      a.href = link;
      meta.append(a);
    }
    li.append(meta, el('p', 'caller-question', question || ''));
    const state = el('p', 'followup-state small');
    showFollowup(state, f, req);
    li.append(state);
    return li;
  }

  function renderCallers() {
    if (!request) return;
    // A call back or booking is one caller's own: it is never grouped with others.
    $('.callers-section', view).hidden = kindOf(request) !== 'question';
    const list = $('.callers', view);
    const note = $('.callers-note', view);
    note.hidden = members.length > 0;
    if (!members.length) {
      list.replaceChildren();
      $('#callers-title').textContent = 'Callers (1)';
      return;
    }
    const items = [callerItem(request.customerPhone, request.question, request.timestamp, followup, request, null)];
    for (const m of members) {
      items.push(callerItem(m.data.customerPhone, m.data.question, m.data.timestamp,
        memberFollowups.get(m.id)?.data || null, m.data, `#/request/${encodeURIComponent(m.id)}`));
      items.at(-1).dataset.id = m.id;
    }
    list.replaceChildren(...items);
    $('#callers-title').textContent = `Callers (${items.length})`;
  }

  function renderConversation() {
    const stateNode = $('.conversation-state', view);
    const turns = $('.turns', view);
    if (!conversation.id) {
      stateNode.textContent = 'No conversation recorded for this request.';
      turns.replaceChildren();
      return;
    }
    if (conversation.data === undefined) {
      stateNode.textContent = 'Loading the conversation…';
      return;
    }
    if (conversation.data === null) {
      stateNode.textContent = 'The conversation was not found.';
      turns.replaceChildren();
      return;
    }
    const c = conversation.data;
    const started = toMillis(c.startedAt);
    const ended = toMillis(c.endedAt);
    stateNode.textContent = [c.channel && `Channel: ${c.channel}`, started && `started ${formatTime(started)}`,
      ended ? `ended ${formatTime(ended)}` : 'still in progress'].filter(Boolean).join(' · ');
    // Turns are documents of the conversation's subcollection; a call recorded before kept them in an array.
    const said = [...(Array.isArray(c.turns) ? c.turns : []), ...(conversation.turns || [])];
    const items = said.map((t) => {
      const li = el('li', `turn role-${['caller', 'agent', 'supervisor'].includes(t.role) ? t.role : 'other'}`);
      const head = el('div', 'meta');
      head.append(el('span', 'role', t.kind === 'followup' ? 'Follow-up' : (ROLE_LABEL[t.role] || t.role || '?')));
      const time = el('time');
      const at = toMillis(t.at);
      if (at) {
        time.dateTime = new Date(at).toISOString();
        time.textContent = new Date(at).toLocaleTimeString();
      }
      head.append(time);
      li.append(head, el('p', 'text', typeof t.text === 'string' ? t.text : ''));
      return li;
    });
    turns.replaceChildren(...items);
    if (!items.length) stateNode.textContent += conversation.turns === undefined ? ' · loading the turns…' : ' · no turns recorded';
  }

  return { show, hide };
}

// The request's conversation panel: the call it came from (conversations/{id}) and its turns (the
// `turns` subcollection, one document per turn), live while the request is shown.
import { $, el } from './dom.js';
import { describeListenError, watchConversation, watchTurns } from './requests.js';
import { formatTime, toMillis } from './time.js';

const ROLE_LABEL = { caller: 'Caller', agent: 'AI receptionist', supervisor: 'Supervisor' };

/** One turn: who said it, when, and what (as text). */
function turnItem(t) {
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
}

/** The conversation's line: its channel, when it started, whether it ended. */
export function conversationLine(c) {
  const started = toMillis(c.startedAt);
  const ended = toMillis(c.endedAt);
  return [c.channel && `Channel: ${c.channel}`, started && `started ${formatTime(started)}`,
    ended ? `ended ${formatTime(ended)}` : 'still in progress'].filter(Boolean).join(' · ');
}

/** What was said: turns kept in the conversation's array (calls recorded before), then its documents. */
export function turnsSaid(c, turnDocs) {
  return [...(Array.isArray(c.turns) ? c.turns : []), ...(turnDocs || [])];
}

const NOTHING = () => ({ id: undefined, unsub: null, data: undefined, turns: undefined });

function stop(cv) {
  cv.shown.unsub?.();
  cv.shown = NOTHING();
}

function follow(cv, db, conversationId) {
  if (cv.shown.id === (conversationId || null)) return;
  stop(cv);
  cv.shown.id = conversationId || null;
  if (!conversationId) {
    render(cv);
    return;
  }
  const failed = (err) => {
    cv.shown.data = null;
    cv.stateNode.textContent = describeListenError(err, 'the conversation');
  };
  const stopDoc = watchConversation(db, conversationId, (snap) => {
    cv.shown.data = snap.exists() ? snap.data({ serverTimestamps: 'estimate' }) : null;
    render(cv);
  }, failed);
  const stopTurns = watchTurns(db, conversationId, (snap) => {
    cv.shown.turns = snap.docs.map((d) => d.data({ serverTimestamps: 'estimate' }));
    render(cv);
  }, failed);
  cv.shown.unsub = () => { stopDoc(); stopTurns(); };
}

function render({ shown, stateNode, turns }) {
  if (!shown.id || shown.data === null) {
    stateNode.textContent = shown.id ? 'The conversation was not found.' : 'No conversation recorded for this request.';
    turns.replaceChildren();
    return;
  }
  if (shown.data === undefined) {
    stateNode.textContent = 'Loading the conversation…';
    return;
  }
  stateNode.textContent = conversationLine(shown.data);
  const items = turnsSaid(shown.data, shown.turns).map(turnItem);
  turns.replaceChildren(...items);
  if (!items.length) stateNode.textContent += shown.turns === undefined ? ' · loading the turns…' : ' · no turns recorded';
}

/** `follow(db, conversationId)` (a no-op while it is the one shown), `stop()`. */
export function createConversation(view) {
  const cv = { stateNode: $('.conversation-state', view), turns: $('.turns', view), shown: NOTHING() };
  return { follow: (db, conversationId) => follow(cv, db, conversationId), stop: () => stop(cv) };
}

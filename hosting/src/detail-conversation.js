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

/** `follow(db, conversationId)` (a no-op while it is the one shown), `stop()`. */
export function createConversation(view) {
  const stateNode = $('.conversation-state', view);
  const turns = $('.turns', view);
  let shown = { id: undefined, unsub: null, data: undefined, turns: undefined };

  function stop() {
    shown.unsub?.();
    shown = { id: undefined, unsub: null, data: undefined, turns: undefined };
  }

  function follow(db, conversationId) {
    if (shown.id === (conversationId || null)) return;
    stop();
    shown.id = conversationId || null;
    if (!conversationId) {
      render();
      return;
    }
    const failed = (err) => {
      shown.data = null;
      stateNode.textContent = describeListenError(err, 'the conversation');
    };
    const stopDoc = watchConversation(db, conversationId, (snap) => {
      shown.data = snap.exists() ? snap.data({ serverTimestamps: 'estimate' }) : null;
      render();
    }, failed);
    const stopTurns = watchTurns(db, conversationId, (snap) => {
      shown.turns = snap.docs.map((d) => d.data({ serverTimestamps: 'estimate' }));
      render();
    }, failed);
    shown.unsub = () => { stopDoc(); stopTurns(); };
  }

  function render() {
    if (!shown.id) {
      stateNode.textContent = 'No conversation recorded for this request.';
      turns.replaceChildren();
      return;
    }
    if (shown.data === undefined) {
      stateNode.textContent = 'Loading the conversation…';
      return;
    }
    if (shown.data === null) {
      stateNode.textContent = 'The conversation was not found.';
      turns.replaceChildren();
      return;
    }
    const c = shown.data;
    const started = toMillis(c.startedAt);
    const ended = toMillis(c.endedAt);
    stateNode.textContent = [c.channel && `Channel: ${c.channel}`, started && `started ${formatTime(started)}`,
      ended ? `ended ${formatTime(ended)}` : 'still in progress'].filter(Boolean).join(' · ');
    // Turns are documents of the conversation's subcollection; a call recorded before kept them in an array.
    const said = [...(Array.isArray(c.turns) ? c.turns : []), ...(shown.turns || [])];
    const items = said.map(turnItem);
    turns.replaceChildren(...items);
    if (!items.length) stateNode.textContent += shown.turns === undefined ? ' · loading the turns…' : ' · no turns recorded';
  }

  return { follow, stop };
}

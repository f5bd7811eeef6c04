// The request's callers panel: everyone whose same question joined this request's group
// (groupId == its id), each with their own follow-up's delivery, live while the request is shown.
import { $, el, setTime } from './dom.js';
import { showFollowup } from './followup.js';
import { kindOf, watchFollowup, watchGroup } from './requests.js';
import { toMillis } from './time.js';

function callerItem({ phone, question, timestamp, followup, request, link }) {
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
  showFollowup(state, followup, request);
  li.append(state);
  return li;
}

/** Keep one follow-up listener per current member (`followups`: member id → { unsub, data }). */
function followMembers(db, members, followups, redraw) {
  for (const [memberId, entry] of followups) {
    if (!members.some((m) => m.id === memberId)) {
      entry.unsub();
      followups.delete(memberId);
    }
  }
  for (const m of members) {
    if (followups.has(m.id)) continue;
    const entry = { data: null, unsub: null };
    followups.set(m.id, entry);
    entry.unsub = watchFollowup(db, m.id, (f) => {
      entry.data = f.exists() ? f.data({ serverTimestamps: 'estimate' }) : null;
      redraw();
    }, (err) => console.error('member followup', err));
  }
}

/**
 * `watch(db, id)` listens to the group of request `id` and each member's follow-up; `render(request,
 * followup)` draws the request itself first, then its members; `stop()`.
 */
export function createCallers(view) {
  const section = $('.callers-section', view);
  const list = $('.callers', view);
  const note = $('.callers-note', view);
  const title = $('#callers-title');
  const memberFollowups = new Map(); // member id → { unsub, data }
  let members = [];
  let unsubGroup = null;
  let last = null; // [request, followup] last drawn, to redraw when a member changes

  function stop() {
    unsubGroup?.();
    unsubGroup = null;
    for (const { unsub } of memberFollowups.values()) unsub();
    memberFollowups.clear();
    members = [];
    last = null;
  }

  function watch(db, id) {
    stop();
    unsubGroup = watchGroup(db, id, (snap) => {
      members = snap.docs.filter((m) => m.id !== id)
        .map((m) => ({ id: m.id, data: m.data({ serverTimestamps: 'estimate' }) }))
        .sort((a, b) => (toMillis(a.data.timestamp) || 0) - (toMillis(b.data.timestamp) || 0));
      followMembers(db, members, memberFollowups, redraw);
      redraw();
    }, (err) => console.error('group', err));
  }

  const redraw = () => { if (last) render(...last); };

  function render(request, followup) {
    last = [request, followup];
    // A call back or booking is one caller's own: it is never grouped with others.
    section.hidden = kindOf(request) !== 'question';
    note.hidden = members.length > 0;
    if (!members.length) {
      list.replaceChildren();
      title.textContent = 'Callers (1)';
      return;
    }
    const items = [callerItem({ phone: request.customerPhone, question: request.question,
      timestamp: request.timestamp, followup, request, link: null })];
    for (const m of members) {
      const item = callerItem({ phone: m.data.customerPhone, question: m.data.question, timestamp: m.data.timestamp,
        followup: memberFollowups.get(m.id)?.data || null, request: m.data, link: `#/request/${encodeURIComponent(m.id)}` });
      item.dataset.id = m.id;
      items.push(item);
    }
    list.replaceChildren(...items);
    title.textContent = `Callers (${items.length})`;
  }

  return { watch, render, stop };
}

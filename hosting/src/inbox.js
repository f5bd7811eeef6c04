// The three live lists (pending, resolved, unresolved): rows, counts, grouping, new-request alerts.
// Resolved and unresolved grow with time: they are read a page at a time (pagedquery.js), with a
// "Show more" row that says how many there are ("100 of 2,340", counted by the server).
import { newRequests, setPendingCount } from './alerts.js';
import { $, el, setState, setTime } from './dom.js';
import { createKeyedList } from './keyedlist.js';
import { createMore } from './more.js';
import { countOf, createPagedQuery } from './pagedquery.js';
import {
  SHOWN, STATUSES, describeListenError, headline, isMemberOf, kindOf, statusCountQuery, statusQuery, watchStatus,
} from './requests.js';
import { toMillis } from './time.js';

const EMPTY = {
  pending: 'No pending requests. New ones appear here as callers ask.',
  resolved: 'No resolved requests yet.',
  unresolved: 'No unresolved requests.',
};

/** A paged list: its first page, live; onChange and onError as a listener's. */
function listenPaged(view, db, onChange, onError) {
  view.db = db;
  view.paged = createPagedQuery(statusQuery(db, view.status), {
    onChange, onError, pageSize: SHOWN[view.status], listenOptions: { includeMetadataChanges: true },
  });
  return () => view.paged.stop();
}

/** "Show more": the next page, and the total counted again (it changes as requests come and go). */
function showMore(view) {
  if (view.paged?.more()) countTotal(view);
}

async function countTotal(view) {
  const paged = view.paged;
  const total = await countOf(statusCountQuery(view.db, view.status));
  if (view.paged !== paged) return; // stopped or restarted meanwhile
  view.total = total;
  view.more.set({ shown: view.loaded, total, more: view.hasMore });
}

/** The "Show more" row: counted by the server the first time the list turns out to have more. */
function showPart(view, loaded, more) {
  const wasMore = view.hasMore;
  Object.assign(view, { loaded, hasMore: more });
  if (!more) view.total = null;
  view.more.set({ shown: loaded, total: view.total, more });
  if (more && !wasMore) countTotal(view);
}

/** Rows of a list: a group member whose primary is in the list too is shown on the primary's row. */
function groupRows(docs) {
  const ids = new Set(docs.map((d) => d.id));
  const members = new Map();
  const rowDocs = [];
  for (const snap of docs) {
    const data = snap.data({ serverTimestamps: 'estimate' });
    if (isMemberOf(data, snap.id) && ids.has(data.groupId)) {
      if (!members.has(data.groupId)) members.set(data.groupId, []);
      members.get(data.groupId).push(data);
    } else {
      rowDocs.push([snap, data]);
    }
  }
  return { rowDocs, members };
}

function createList(status) {
  const section = $(`#list-${status}`);
  const list = $('.requests', section);
  const view = {
    status,
    section,
    state: $('.state', section),
    count: $(`[data-count="${status}"]`),
    rows: createKeyedList(list, {
      create: (row) => createRow(row.id, status),
      update: (li, row) => { updateRow(li, row.data, row.members, row.pendingWrite); },
    }),
    paged: null, // the paged query of a list that grows with time
    total: null, // how many requests of that status the server counted (null: not counted)
    db: null,
  };
  view.more = SHOWN[status] ? createMore(list, () => showMore(view)) : null;
  return view;
}

/** Pending rows not seen before (marked seen now); those to alert about: live, synced, not our own write. */
export function freshPending(rowDocs, seen, synced) {
  const fresh = [];
  for (const [snap, data] of rowDocs) {
    if (seen.has(snap.id)) continue;
    seen.add(snap.id);
    if (synced && !snap.metadata.hasPendingWrites) fresh.push(data);
  }
  return fresh;
}

function startInbox(ib, db) {
  stopInbox(ib);
  // Never reached the server: say so rather than "Loading…" for ever.
  ib.syncTimer = setTimeout(() => { if (!ib.pendingSynced) ib.onConnectivity(true); }, 10_000);
  for (const status of STATUSES) {
    const view = ib.lists[status];
    setState(view.state, 'Loading…');
    const onChange = (snapshot) => {
      renderList(ib, status, snapshot);
      // Served from the cache after having been live: the server is out of reach.
      if (status === 'pending' && ib.pendingSynced) ib.onConnectivity(snapshot.metadata.fromCache);
    };
    const onError = (err) => {
      console.error(`help_requests (${status})`, err);
      setState(view.state, describeListenError(err, `${status} requests`), true);
    };
    ib.unsubscribers.push(SHOWN[status] ? listenPaged(view, db, onChange, onError)
      : watchStatus(db, status, onChange, onError));
  }
}

function stopInbox(ib) {
  clearTimeout(ib.syncTimer);
  ib.onConnectivity(false);
  for (const unsubscribe of ib.unsubscribers) unsubscribe();
  ib.unsubscribers = [];
  ib.pendingSynced = false;
  ib.seenPending.clear();
  for (const view of Object.values(ib.lists)) {
    view.rows.clear();
    view.count.textContent = '0';
    view.more?.hide();
    Object.assign(view, { paged: null, total: null, loaded: 0, hasMore: false });
  }
  setPendingCount(0);
}

function renderList(ib, status, snapshot) {
  const view = ib.lists[status];
  const { rowDocs, members } = groupRows(snapshot.docs);
  view.rows.render(rowDocs.map(([snap, data]) => ({
    id: snap.id, data, members: members.get(snap.id) || [], pendingWrite: snap.metadata.hasPendingWrites,
  })));
  const shown = rowDocs.length;
  view.count.textContent = snapshot.more ? `${shown}+` : String(shown);
  if (view.more) showPart(view, snapshot.docs.length, Boolean(snapshot.more));
  view.section.dataset.loaded = 'true';
  setState(view.state, shown ? '' : EMPTY[status]);
  if (status === 'pending') renderPending(ib, rowDocs, snapshot.metadata.fromCache);
}

/** The pending count, and an alert for requests new since the list first came from the server. */
function renderPending(ib, rowDocs, fromCache) {
  const fresh = freshPending(rowDocs, ib.seenPending, ib.pendingSynced);
  setPendingCount(rowDocs.length);
  if (fromCache) return;
  if (ib.pendingSynced) newRequests(fresh);
  ib.pendingSynced = true;
}

export function createInbox({ onConnectivity }) {
  const ib = {
    onConnectivity,
    lists: Object.fromEntries(STATUSES.map((status) => [status, createList(status)])),
    unsubscribers: [],
    pendingSynced: false,
    syncTimer: null,
    seenPending: new Set(), // ids shown as pending this session (no alert twice)
  };
  return { start: (db) => startInbox(ib, db), stop: () => stopInbox(ib) };
}

function createRow(id, status) {
  const li = el('li', 'request');
  li.dataset.status = status;
  const link = el('a', 'row-link');
  link.href = `#/request/${encodeURIComponent(id)}`;
  const meta = el('span', 'meta');
  meta.append(el('span', 'phone'), el('time', 'age asked'), el('span', 'callers-badge'),
    el('span', 'saving-badge', 'Saving…'));
  link.append(meta, el('span', 'kind-badge'), el('span', 'question'), el('span', 'said muted'));
  if (status === 'resolved') link.append(el('span', 'answer'), el('span', 'followup badge'));
  if (status === 'unresolved') link.append(el('span', 'reason'));
  li.append(link);
  return li;
}

function updateRow(li, data, members, pendingWrite) {
  $('.phone', li).textContent = data.customerPhone || 'Unknown caller';
  const kind = kindOf(data);
  li.dataset.kind = kind;
  $('.question', li).textContent = headline(data);
  const tag = $('.kind-badge', li);
  tag.textContent = { callback: 'Call back', booking: 'Booking' }[kind] || '';
  tag.hidden = kind === 'question';
  const said = $('.said', li);   // a call back's own words: why the caller wants a person
  said.textContent = kind === 'callback' && data.question ? `“${data.question}”` : '';
  said.hidden = !said.textContent;
  setTime($('.asked', li), toMillis(data.timestamp), 'asked');
  const badge = $('.callers-badge', li);
  badge.textContent = members.length ? `${members.length + 1} callers` : '';
  badge.hidden = !members.length;
  $('.saving-badge', li).hidden = !pendingWrite;
  li.classList.toggle('saving', pendingWrite);
  li.classList.toggle('invalid', Boolean(data.invalidReason));

  if (li.dataset.status === 'resolved') {
    $('.answer', li).textContent = data.responseText || '';
    const followup = $('.followup', li);
    const sent = data.followupSent === true;
    followup.textContent = kind !== 'question' ? 'Closed with a note' : sent ? 'Follow-up sent' : 'Follow-up not sent yet';
    followup.classList.toggle('ok', sent || kind !== 'question');
  }
  if (li.dataset.status === 'unresolved') {
    const reason = $('.reason', li);
    reason.textContent = data.unresolvedReason ? `Unresolved: ${data.unresolvedReason}` : '';
    reason.hidden = !data.unresolvedReason;
  }
}

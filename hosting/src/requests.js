// Help requests: live queries and the supervisor's two writes. Field names follow
// functions/frontdesk_core/contract/; each write is exactly what firestore.rules allows
// (isAnswer, isMarkUnresolved), so a denied write means the rules or the request changed.
import {
  collection, doc, limit, onSnapshot, orderBy, query, serverTimestamp, updateDoc, where,
} from 'firebase/firestore';

import {
  ANSWERED_BY, ANSWER_MAX, CONVERSATIONS, FOLLOWUPS, GROUP_ID, HELP_REQUESTS, KNOWLEDGE_ACTION, KNOWLEDGE_ACTIONS,
  KNOWLEDGE_ID, REASON_MAX, RESOLVED, STATUSES, TRANSITIONS, TURNS, UNRESOLVED,
} from './contract.js';

export { ANSWER_MAX, CONVERSATIONS, FOLLOWUPS, HELP_REQUESTS, KNOWLEDGE_ACTIONS, REASON_MAX, STATUSES, TURNS };
// The statuses a supervisor's answer may leave (the contract's status machine).
export const ANSWERABLE = new Set(STATUSES.filter((s) => TRANSITIONS[s].includes(RESOLVED)));
export const RESOLVED_SHOWN = 100; // the resolved list shows the newest ones first, a page at a time
// The resolved and unresolved lists grow with time: each is read a page of 100 at a time (pagedquery.js;
// a listener over every request ever resolved would read the whole history on each load, issue 16
// item 8). The pending queue is open work (timed out after 30 minutes), bounded without a limit.
export const SHOWN = { resolved: RESOLVED_SHOWN, unresolved: 100 };

// Pending and unresolved: oldest first (who has waited longest); resolved: newest first.
const ORDER = { pending: 'asc', unresolved: 'asc', resolved: 'desc' };

/** The requests of one status, in the list's order, without a limit (paged lists add their own). */
export function statusQuery(db, status) {
  return query(collection(db, HELP_REQUESTS), where('status', '==', status), orderBy('timestamp', ORDER[status]));
}

/** Every request of one status, as a count query counts them (no order, so no index). */
export function statusCountQuery(db, status) {
  return query(collection(db, HELP_REQUESTS), where('status', '==', status));
}

/** Listen to one status; onChange(snapshot) also gets metadata changes (fromCache ⇒ offline). */
export function watchStatus(db, status, onChange, onError) {
  const parts = SHOWN[status] ? [limit(SHOWN[status])] : [];
  return onSnapshot(query(statusQuery(db, status), ...parts), { includeMetadataChanges: true }, onChange, onError);
}

export function watchRequest(db, id, onChange, onError) {
  return onSnapshot(doc(db, HELP_REQUESTS, id), onChange, onError);
}

/** The other requests of a duplicate group (groupId == the primary's id). */
export function watchGroup(db, primaryId, onChange, onError) {
  return onSnapshot(query(collection(db, HELP_REQUESTS), where(GROUP_ID, '==', primaryId)), onChange, onError);
}

export function watchConversation(db, id, onChange, onError) {
  return onSnapshot(doc(db, CONVERSATIONS, id), onChange, onError);
}

/** A conversation's turns (its `turns` subcollection, one document per turn), in the order said. */
export function watchTurns(db, conversationId, onChange, onError) {
  return onSnapshot(query(collection(db, CONVERSATIONS, conversationId, TURNS), orderBy('at')), onChange, onError);
}

/** The outbox entry of a request's follow-up (its id is the request's id). */
export function watchFollowup(db, requestId, onChange, onError) {
  return onSnapshot(doc(db, FOLLOWUPS, requestId), onChange, onError);
}

/**
 * What a request asks of the salon (the contract's `kind`): a question (absent, as the seed's), a call
 * back or a booking. The latter two are closed with a note: nothing is learned, the caller is not sent it.
 */
export function kindOf(data) {
  return data && (data.kind === 'callback' || data.kind === 'booking') ? data.kind : 'question';
}

/** The line a request is listed under: the question, or "Call back +1 555 …" / "Booking: …". */
export function headline(data) {
  const kind = kindOf(data);
  if (kind === 'callback') return `Call back ${data.customerPhone || 'the caller'}`;
  if (kind === 'booking') return `Booking request: ${data.question || ''}`;
  return data.question || '(no question)';
}

/** A booking request's details, as label/value pairs (only those the caller gave). */
export function bookingLines(data) {
  const b = (data && data.booking) || {};
  const action = { book: 'Book', reschedule: 'Reschedule', cancel: 'Cancel' }[b.action];
  return [['Action', action], ['Service', b.service], ['When', b.when], ['Name', b.name]]
    .filter(([, value]) => typeof value === 'string' && value);
}

/** A request is shown on its own row unless it is a member of a group whose primary is listed too. */
export function isMemberOf(data, id) {
  const group = data[GROUP_ID];
  return typeof group === 'string' && group !== '' && group !== id;
}

/**
 * Check a supervisor's text the way firestore.rules does: trimmed, 1..max long, where length is
 * counted in UTF-16 code units (JavaScript's .length, and the rules' string.size()): an emoji is 2.
 * Returns { text } or { error }.
 */
export function checkText(raw, max, { emptyMessage, what }) {
  const text = (raw || '').trim();
  if (text.length === 0) return { error: emptyMessage };
  if (text.length > max) return { error: `${what} is ${text.length} characters; the limit is ${max}.` };
  return { text };
}

export const checkAnswer = (raw) => checkText(raw, ANSWER_MAX,
  { emptyMessage: 'Write an answer before sending.', what: 'The answer' });
export const checkReason = (raw) => checkText(raw, REASON_MAX,
  { emptyMessage: 'Say why it cannot be answered.', what: 'The reason' });


/**
 * Resolve a request with exactly the four fields firestore.rules allows, plus, when the answer is
 * about an existing entry, `knowledge` = { id, action }: "link" (its answer as it is: `text` must be
 * that answer), "update" (replace that entry's answer) or "new" (a separate entry, not a conflict).
 */
export function answerRequest(db, id, text, uid, knowledge = null) {
  const update = {
    status: RESOLVED,
    responseText: text,
    respondedAt: serverTimestamp(),
    [ANSWERED_BY]: uid,
  };
  if (knowledge) {
    if (!KNOWLEDGE_ACTIONS.includes(knowledge.action)) throw new Error(`Unknown action ${knowledge.action}`);
    update[KNOWLEDGE_ID] = knowledge.id;
    update[KNOWLEDGE_ACTION] = knowledge.action;
  }
  return updateDoc(doc(db, HELP_REQUESTS, id), update);
}

/** pending → unresolved with a reason. */
export function markUnresolved(db, id, reason, uid) {
  return updateDoc(doc(db, HELP_REQUESTS, id), {
    status: UNRESOLVED,
    unresolvedReason: reason,
    unresolvedAt: serverTimestamp(),
    [ANSWERED_BY]: uid,
  });
}

/** What went wrong, for people; `what` names the thing that was not saved. */
export function describeError(err, what = 'the change') {
  const code = err && err.code;
  if (code === 'permission-denied') return `Permission denied: ${what} was not saved.`;
  if (code === 'not-found') return `Not found: ${what} was not saved (it was deleted meanwhile).`;
  if (code === 'unavailable') return `Firestore is unreachable: ${what} was not saved; try again.`;
  if (code === 'failed-precondition') return `Query failed: ${err.message}`;
  return `Failed: ${(err && err.message) || err}`;
}

/** A listener's failure, for people. */
export function describeListenError(err, what) {
  if (err && err.code === 'permission-denied') {
    return `Cannot load ${what}: permission denied. Sign out and in again; ask for the supervisor role.`;
  }
  return `Cannot load ${what}. ${(err && err.message) || err}`;
}

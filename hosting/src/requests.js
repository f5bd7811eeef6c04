// Help requests: live queries by status and the supervisor's answer. Field names follow
// functions/frontdesk_core/contract.py; the answer update matches isAnswer() in firestore.rules.
import {
  collection, doc, onSnapshot, orderBy, query, serverTimestamp, updateDoc, where,
} from 'firebase/firestore';

export const HELP_REQUESTS = 'help_requests';
export const STATUSES = ['pending', 'resolved', 'unresolved'];
export const ANSWERABLE = new Set(['pending', 'unresolved']);
export const ANSWER_MAX = 2000;

// Pending and unresolved: oldest first (who has waited longest); resolved: newest first.
const DIRECTION = { pending: 'asc', unresolved: 'asc', resolved: 'desc' };

/** Listen to one status. onChange(snapshot) gets every snapshot; onError(error) a listener failure. */
export function watchStatus(db, status, onChange, onError) {
  const q = query(
    collection(db, HELP_REQUESTS),
    where('status', '==', status),
    orderBy('timestamp', DIRECTION[status]),
  );
  return onSnapshot(q, onChange, onError);
}

/** Checks an answer; returns { text } (trimmed) or { error }. Length is counted in code points. */
export function checkAnswer(raw) {
  const text = (raw || '').trim();
  const length = [...text].length;
  if (length === 0) return { error: 'Write an answer before sending.' };
  if (length > ANSWER_MAX) {
    return { error: `The answer is ${length} characters; the limit is ${ANSWER_MAX}.` };
  }
  return { text };
}

/** Resolve a request with exactly the four fields firestore.rules allows. */
export function answerRequest(db, id, text, uid) {
  return updateDoc(doc(db, HELP_REQUESTS, id), {
    status: 'resolved',
    responseText: text,
    respondedAt: serverTimestamp(),
    answeredBy: uid,
  });
}

export function describeError(err) {
  const code = err && err.code;
  if (code === 'permission-denied') return 'Permission denied: the answer was not saved.';
  if (code === 'unavailable') return 'Firestore is unreachable; try again.';
  if (code === 'failed-precondition') return `Query failed: ${err.message}`;
  return `Failed: ${(err && err.message) || err}`;
}

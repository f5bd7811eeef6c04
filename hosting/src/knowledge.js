// Learned answers (knowledge_base): live list, create, edit, delete, remove one wording — each write
// exactly what firestore.rules allows (isNewEntry, isEntryEdit, isPhrasingRemoval). The server owns the
// embeddings, `phrasings`, `conflictWith`, `distinctFrom` and the `revisions` subcollection; the browser
// never writes them (an edit names only the fields it changes, so phrasings stay as they are), except
// to take one wrong wording out of `phrasings`, leaving every other element exactly as it was read.
import {
  Timestamp, addDoc, collection, doc, limit, onSnapshot, orderBy, query, serverTimestamp, updateDoc, writeBatch,
} from 'firebase/firestore';
import { checkText } from './requests.js';
import { toMillis } from './time.js';

import {
  ANSWER_MAX as ENTRY_ANSWER_MAX, KNOWLEDGE_BASE, KNOWLEDGE_DELETIONS, QUESTION_MAX, REVISIONS,
} from './contract.js';

export { ENTRY_ANSWER_MAX, KNOWLEDGE_BASE, KNOWLEDGE_DELETIONS, QUESTION_MAX, REVISIONS };
export const REVIEW_YEARS_MAX = 10;
export const REVISIONS_SHOWN = 50;

/** Where another wording of the question came from. */
export const PHRASING_SOURCE = {
  seed: 'salon facts',
  link: 'answered with this entry',
  group: 'asked by another caller',
  merge: 'merged from another entry',
};

/** Every entry (a salon's knowledge base is small); sorted client-side so no entry is left out. */
export function watchKnowledge(db, onChange, onError) {
  return onSnapshot(collection(db, KNOWLEDGE_BASE), onChange, onError);
}

export function checkEntry(question, answer) {
  const q = checkText(question, QUESTION_MAX, { emptyMessage: 'Write the question.', what: 'The question' });
  const a = checkText(answer, ENTRY_ANSWER_MAX, { emptyMessage: 'Write the answer.', what: 'The answer' });
  return { question: q, answer: a, ok: !q.error && !a.error };
}

/** 'YYYY-MM-DD' of a time in the supervisor's own time zone (what a date input shows), or ''. */
export function dateInputValue(value) {
  const millis = toMillis(value);
  if (millis == null) return '';
  const d = new Date(millis);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * A review date from a date input: { value: Date (local midnight) | null } or { error }. A date that
 * was already set (`previous`, kept when the supervisor did not change it) passes as it is, even if it
 * is due; a new one must be after today and within REVIEW_YEARS_MAX years.
 */
export function checkReviewDate(raw, { previous = null, now = new Date() } = {}) {
  const text = (raw || '').trim();
  if (!text) return { value: null };
  if (previous != null && text === dateInputValue(previous)) return { value: previous, unchanged: true };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = m && new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!date || date.getMonth() !== Number(m[2]) - 1 || date.getDate() !== Number(m[3])) {
    return { error: 'The review date is not a valid date.' };
  }
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  if (date <= today) return { error: 'Choose a review date after today, or leave it empty.' };
  const last = new Date(today);
  last.setFullYear(last.getFullYear() + REVIEW_YEARS_MAX);
  if (date > last) return { error: `Choose a review date within the next ${REVIEW_YEARS_MAX} years.` };
  return { value: date };
}

export function addEntry(db, question, answer, uid, reviewBy = null) {
  return addDoc(collection(db, KNOWLEDGE_BASE), {
    question,
    answer,
    reviewBy,
    createdAt: serverTimestamp(),
    originatingRequestId: null,
    source: 'supervisor',
    createdBy: uid,
  });
}

/** An edit names the editor (uid and email, for the revision the functions record). */
export function editEntry(db, id, { question, answer, reviewBy }, user) {
  return updateDoc(doc(db, KNOWLEDGE_BASE, id), {
    question,
    answer,
    reviewBy,
    updatedAt: serverTimestamp(),
    updatedBy: user.uid,
    updatedByEmail: user.email,
  });
}

/** Which wording a phrasing is, across snapshots (its position may shift as the server adds others). */
export function phrasingKey(p) {
  return JSON.stringify([p.text, p.source || '', p.requestId || '', toMillis(p.addedAt)]);
}

/**
 * Take one wording out of an entry: `phrasings` becomes exactly the other elements of the list as read
 * (`data` from the snapshot: maps, times and embedding Vectors untouched, malformed ones too), stamped
 * like an edit. Rejects with code 'not-found' when that wording is no longer there.
 */
export function removePhrasing(db, id, data, key, user) {
  const all = Array.isArray(data.phrasings) ? data.phrasings : [];
  const index = all.findIndex((p) => p && typeof p.text === 'string' && phrasingKey(p) === key);
  if (index < 0) return Promise.reject(Object.assign(new Error('That wording is gone already.'), { code: 'not-found' }));
  return updateDoc(doc(db, KNOWLEDGE_BASE, id), {
    phrasings: all.filter((_, j) => j !== index),
    updatedAt: serverTimestamp(),
    updatedBy: user.uid,
    updatedByEmail: user.email,
  });
}

/** The deletion record's id, as firestore.rules computes it: `<id>@<createdAt in whole ms>`. */
export function deletionId(id, data) {
  const created = data && data.createdAt;
  return created instanceof Timestamp
    ? `${id}@${created.seconds * 1000 + Math.floor(created.nanoseconds / 1e6)}` : id;
}

/**
 * Delete an entry with its record (what, who, when) in one atomic write: the rules refuse the delete
 * without the record, and a record whose question and answer are not the entry's as stored.
 */
export function deleteEntry(db, id, data, user) {
  const batch = writeBatch(db);
  batch.set(doc(db, KNOWLEDGE_DELETIONS, deletionId(id, data)), {
    entryId: id,
    question: data.question ?? null,
    answer: data.answer ?? null,
    deletedAt: serverTimestamp(),
    deletedBy: user.uid,
    deletedByEmail: user.email,
  });
  batch.delete(doc(db, KNOWLEDGE_BASE, id));
  return batch.commit();
}

/** Lower case, accents and apostrophes removed: "Balayage" matches "balayáge", "mens" "men's". */
export function fold(text) {
  return (text || '').normalize('NFD').replace(/[\p{M}'’]/gu, '').toLocaleLowerCase();
}

/** Every word of the search appears in the question, the answer or another wording of the question. */
export function matches(entry, search) {
  const words = fold(search).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const phrasings = phrasingsOf(entry).map((p) => p.text).join(' ');
  const haystack = fold(`${entry.question || ''} ${entry.answer || ''} ${phrasings}`);
  return words.every((word) => haystack.includes(word));
}

/** The newest revisions of an entry (written by the functions on each change). */
export function watchRevisions(db, id, onChange, onError) {
  return onSnapshot(query(collection(db, KNOWLEDGE_BASE, id, REVISIONS), orderBy('at', 'desc'),
    limit(REVISIONS_SHOWN)), onChange, onError);
}

/** Held: the functions found another entry with a different answer; callers are escalated meanwhile. */
export function isHeld(data) {
  return Array.isArray(data.conflictWith) && data.conflictWith.length > 0;
}

export function isDue(data, now = Date.now()) {
  const at = toMillis(data.reviewBy);
  return at != null && at <= now;
}

/** The other wordings of the entry's question, well-formed ones only. */
export function phrasingsOf(data) {
  return (Array.isArray(data.phrasings) ? data.phrasings : [])
    .filter((p) => p && typeof p.text === 'string' && p.text);
}

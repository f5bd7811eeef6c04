// Learned answers (knowledge_base): live list, create, edit, delete — each write exactly what
// firestore.rules allows (isNewEntry, isEntryEdit). The server owns `embedding` and re-embeds an edited
// question; the browser never writes it.
import {
  addDoc, collection, deleteDoc, doc, onSnapshot, serverTimestamp, updateDoc,
} from 'firebase/firestore';
import { checkText } from './requests.js';

export const KNOWLEDGE_BASE = 'knowledge_base';
export const QUESTION_MAX = 500;
export const ENTRY_ANSWER_MAX = 2000;

/** Every entry (a salon's knowledge base is small); sorted client-side so no entry is left out. */
export function watchKnowledge(db, onChange, onError) {
  return onSnapshot(collection(db, KNOWLEDGE_BASE), onChange, onError);
}

export function checkEntry(question, answer) {
  const q = checkText(question, QUESTION_MAX, { emptyMessage: 'Write the question.', what: 'The question' });
  const a = checkText(answer, ENTRY_ANSWER_MAX, { emptyMessage: 'Write the answer.', what: 'The answer' });
  return { question: q, answer: a, ok: !q.error && !a.error };
}

export function addEntry(db, question, answer, uid) {
  return addDoc(collection(db, KNOWLEDGE_BASE), {
    question,
    answer,
    createdAt: serverTimestamp(),
    originatingRequestId: null,
    source: 'supervisor',
    createdBy: uid,
  });
}

export function editEntry(db, id, question, answer, uid) {
  return updateDoc(doc(db, KNOWLEDGE_BASE, id), {
    question,
    answer,
    updatedAt: serverTimestamp(),
    updatedBy: uid,
  });
}

export function deleteEntry(db, id) {
  return deleteDoc(doc(db, KNOWLEDGE_BASE, id));
}

/** Lower case, accents removed: "Balayage" matches "balayáge". */
export function fold(text) {
  return (text || '').normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/** Every word of the search appears in the question or the answer. */
export function matches(entry, search) {
  const words = fold(search).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = fold(`${entry.question || ''} ${entry.answer || ''}`);
  return words.every((word) => haystack.includes(word));
}

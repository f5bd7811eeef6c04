// Conflicting answers (knowledge_conflicts): the functions open one when a learned answer's question
// is close to an existing entry's with a different answer; both entries are held (callers escalated)
// until a supervisor settles it with exactly what firestore.rules allows (isConflictResolution).
import {
  collection, doc, onSnapshot, query, serverTimestamp, updateDoc, where,
} from 'firebase/firestore';

export const KNOWLEDGE_CONFLICTS = 'knowledge_conflicts';
export const KEEP_BOTH = 'both';

/** Open conflicts (few at a time); sorted client-side, oldest first, so no index is needed. */
export function watchOpenConflicts(db, onChange, onError) {
  return onSnapshot(query(collection(db, KNOWLEDGE_CONFLICTS), where('status', '==', 'open')), onChange, onError);
}

/** keep: one of the conflict's two entry ids (the server merges the other into it) or KEEP_BOTH. */
export function resolveConflict(db, id, keep, uid) {
  return updateDoc(doc(db, KNOWLEDGE_CONFLICTS, id), {
    status: 'resolved',
    keep,
    resolvedBy: uid,
    resolvedAt: serverTimestamp(),
  });
}

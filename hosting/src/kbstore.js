// One live view of knowledge_base for the signed-in session, shared by the request detail (the current
// answer of each suggested entry), the Review view (held pairs, due entries, the nav badge) and the
// Learned view (the list, with each entry's pending write).
import { watchKnowledge } from './knowledge.js';

export function createKnowledgeStore() {
  let unsub = null;
  let entries = new Map(); // id → data
  let pending = new Set(); // ids with a local write not yet acknowledged
  let loaded = false;
  let error = null;
  const subscribers = new Set();

  const notify = () => { for (const fn of subscribers) fn(); };

  function start(db) {
    if (unsub) return;
    unsub = watchKnowledge(db, (snapshot) => {
      entries = new Map(snapshot.docs.map((d) => [d.id, d.data({ serverTimestamps: 'estimate' })]));
      pending = new Set(snapshot.docs.filter((d) => d.metadata.hasPendingWrites).map((d) => d.id));
      loaded = true;
      error = null;
      notify();
    }, (err) => {
      console.error('knowledge_base (store)', err);
      error = err;
      notify();
    });
  }

  function stop() {
    unsub?.();
    unsub = null;
    entries = new Map();
    pending = new Set();
    loaded = false;
    error = null;
    notify();
  }

  /** fn() runs on every change; returns the unsubscribe. */
  function subscribe(fn) {
    subscribers.add(fn);
    return () => subscribers.delete(fn);
  }

  return {
    start,
    stop,
    subscribe,
    get: (id) => entries.get(id),
    all: () => [...entries].map(([id, data]) => ({ id, data, pendingWrite: pending.has(id) })),
    get loaded() { return loaded; },
    get error() { return error; },
  };
}

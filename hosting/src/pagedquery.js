// A live query read a page at a time. The first page listens with a limit; "more" bounds the last
// page where it ends now (endAt its last document) and opens the next page right after it, so
// consecutive pages neither overlap nor leave a gap however the list changes, and each stays live.
// Cost: a page's reads, plus the bounded page read once more when it is re-listened.
import {
  endAt, getCountFromServer, limit, onSnapshot, query, startAfter,
} from 'firebase/firestore';
import { PAGE_SIZE, joinPages, mayHaveMore } from './paging.js';

/**
 * `base`: the query without a limit (filters and order). onChange({ docs, metadata, more }) gets every
 * page's documents in order, the first page's metadata (fromCache, for connectivity), and whether the
 * last page came back full. `listenOptions`: onSnapshot's options (includeMetadataChanges).
 */
export function createPagedQuery(base, { onChange, onError, pageSize = PAGE_SIZE, listenOptions = {} }) {
  const pages = []; // { after, end, snap, unsub }

  function emit() {
    const first = pages[0]?.snap;
    if (!first) return;
    const last = pages.at(-1);
    onChange({
      docs: joinPages(pages.map((p) => (p.snap ? p.snap.docs : []))),
      metadata: first.metadata,
      more: Boolean(last.snap && !last.end && mayHaveMore(last.snap.size, pageSize)),
    });
  }

  function listen(page) {
    let previous = page.unsub; // kept until the new listener has its first snapshot: no flicker
    const parts = [...(page.after ? [startAfter(page.after)] : []), page.end ? endAt(page.end) : limit(pageSize)];
    page.unsub = onSnapshot(query(base, ...parts), listenOptions, (snap) => {
      page.snap = snap;
      previous?.();
      previous = null;
      emit();
    }, onError);
  }

  /** Open the next page; false when the last page is not full (nothing more to read). */
  function more() {
    const last = pages.at(-1);
    if (!last?.snap || last.end || !mayHaveMore(last.snap.size, pageSize)) return false;
    const end = last.snap.docs.at(-1);
    last.end = end;
    listen(last);
    const next = { after: end, end: null, snap: null, unsub: null };
    pages.push(next);
    listen(next);
    return true;
  }

  function stop() {
    for (const page of pages.splice(0)) page.unsub?.();
  }

  const first = { after: null, end: null, snap: null, unsub: null };
  pages.push(first);
  listen(first);
  return { more, stop, pages: () => pages.length };
}

/** How many documents a query matches (an aggregation: one read per 1 000 matched), or null on failure. */
export async function countOf(base) {
  try {
    return (await getCountFromServer(base)).data().count;
  } catch (err) {
    console.warn('count failed', err);
    return null;
  }
}

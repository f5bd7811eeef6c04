// Paged lists, pure: pages of a query joined into one list, and what a list's count says when it shows
// only part of what there is ("100 of 2,340", or "100 shown · more…" while the total is unknown).
// Unit-tested with node --test; pagedquery.js (Firestore) and more.js (the "Show more" row) use them.

export const PAGE_SIZE = 100;

/** Items of consecutive pages as one list, each id once (a page re-bound may briefly overlap the next). */
export function joinPages(pages, idOf = (item) => item.id) {
  const seen = new Set();
  const out = [];
  for (const page of pages) {
    for (const item of page) {
      const id = idOf(item);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(item);
    }
  }
  return out;
}

/** Whether a page read with a limit came back full: then there may be more after it. */
export function mayHaveMore(pageLength, pageSize = PAGE_SIZE) {
  return pageLength >= pageSize;
}

/** How many to show of `total` after `pages` clicks of "Show more" (the first page is shown at once). */
export function shownCount(total, pages, pageSize = PAGE_SIZE) {
  return Math.min(total, pageSize * (pages + 1));
}

const number = (n) => n.toLocaleString('en-US');

/**
 * A partly shown list's count: "" when everything is shown; "100 of 2,340" with a known total; "100
 * shown · more…" when only the last page's fullness says there are more.
 */
export function partLabel({ shown, total = null, more = false }) {
  if (total != null && total > shown) return `${number(shown)} of ${number(total)}`;
  if (total == null && more) return `${number(shown)} shown · more…`;
  return '';
}

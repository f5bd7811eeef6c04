// The "Show more" row under a paged list: what is shown of how many (paging.js) and a button that asks
// for the next page. Hidden while the whole list is shown.
import { el } from './dom.js';
import { PAGE_SIZE, partLabel } from './paging.js';

/** A row after `list`; `onMore()` loads or shows the next page. `set({ shown, total, more })` redraws. */
export function createMore(list, onMore) {
  const row = el('div', 'more-row');
  const label = el('span', 'more-count muted small');
  label.setAttribute('role', 'status');
  const button = el('button', 'secondary more', `Show ${PAGE_SIZE} more`);
  button.type = 'button';
  button.addEventListener('click', () => onMore());
  row.append(label, button);
  row.hidden = true;
  list.after(row);

  return {
    set({ shown, total = null, more = false }) {
      label.textContent = partLabel({ shown, total, more });
      button.hidden = !(more || (total != null && total > shown));
      row.hidden = !label.textContent && button.hidden;
    },
    hide() { row.hidden = true; },
  };
}

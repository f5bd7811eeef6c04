// One keyed list, used by the inbox, learned answers and review: a <ul>/<ol> kept in the order of its
// items, one element per item id. Only what changed is touched, so keyboard focus and half-typed forms
// stay where they are while live snapshots arrive.

/**
 * `create(item)` makes an item's element; `update(el, item)` brings it up to date in place, or returns a
 * new element to take its place; `keep(id)` keeps an element whose item is gone (a form being edited).
 * `render(items)` reconciles: removes elements of items gone, creates new ones, moves only those out of
 * place. Each item has an `id`; each element carries it as `data-id`.
 */
export function createKeyedList(list, { create, update = () => null, keep = () => false }) {
  const nodes = new Map(); // item id → element

  function place(id, node) {
    node.dataset.id = id;
    nodes.set(id, node);
    return node;
  }

  return {
    get: (id) => nodes.get(id),
    ids: () => [...nodes.keys()],
    clear() {
      list.replaceChildren();
      nodes.clear();
    },
    render(items) {
      const ids = new Set(items.map((item) => item.id));
      for (const [id, node] of nodes) {
        if (!ids.has(id) && !keep(id)) {
          node.remove();
          nodes.delete(id);
        }
      }
      items.forEach((item, index) => {
        let node = nodes.get(item.id) || place(item.id, create(item));
        const replacement = update(node, item);
        if (replacement && replacement !== node) {
          node.replaceWith(replacement);
          node = place(item.id, replacement);
        }
        const current = list.children[index];
        if (current !== node) list.insertBefore(node, current || null);
      });
    },
  };
}

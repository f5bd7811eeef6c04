// The keyed list every dashboard list uses, on a minimal stand-in for the DOM calls it makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { createKeyedList } from '../../hosting/src/keyedlist.js';

class Node {
  constructor(text) { this.text = text; this.dataset = {}; this.parent = null; }
  remove() { if (this.parent) this.parent.children.splice(this.parent.children.indexOf(this), 1); this.parent = null; }
  replaceWith(other) { const kids = this.parent.children; other.remove(); kids[kids.indexOf(this)] = other; other.parent = this.parent; this.parent = null; }
}
class List {
  constructor() { this.children = []; this.moves = 0; }
  insertBefore(node, ref) {
    if (node.parent) node.remove(); else this.moves -= 1; // a new node is not a move
    this.moves += 1;
    const at = ref ? this.children.indexOf(ref) : this.children.length;
    this.children.splice(at, 0, node);
    node.parent = this;
  }
  replaceChildren() { for (const c of this.children) c.parent = null; this.children = []; }
}

const texts = (list) => list.children.map((n) => n.text);

test('elements follow the items: created, updated in place, reordered, removed', () => {
  const list = new List();
  let created = 0;
  const keyed = createKeyedList(list, {
    create: (item) => { created += 1; return new Node(item.text); },
    update: (node, item) => { node.text = item.text; },
  });
  keyed.render([{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }, { id: 'c', text: 'C' }]);
  assert.deepEqual(texts(list), ['A', 'B', 'C']);
  const b = keyed.get('b');
  keyed.render([{ id: 'c', text: 'C' }, { id: 'b', text: 'B2' }]);
  assert.deepEqual(texts(list), ['C', 'B2']);
  assert.equal(keyed.get('b'), b, 'an item kept its element (focus inside it stays)');
  assert.equal(created, 3);
  assert.equal(list.children[1].dataset.id, 'b');
  keyed.clear();
  assert.deepEqual(texts(list), []);
  assert.deepEqual(keyed.ids(), []);
});

test('an unchanged order moves nothing', () => {
  const list = new List();
  const keyed = createKeyedList(list, { create: (item) => new Node(item.id) });
  const items = ['a', 'b', 'c', 'd'].map((id) => ({ id }));
  keyed.render(items);
  list.moves = 0;
  keyed.render(items);
  assert.equal(list.moves, 0);
});

test('update may replace an element; keep holds one whose item is gone', () => {
  const list = new List();
  const editing = new Set(['x']);
  const keyed = createKeyedList(list, {
    create: (item) => new Node(item.v),
    update: (node, item) => (node.text === item.v ? null : new Node(item.v)),
    keep: (id) => editing.has(id),
  });
  keyed.render([{ id: 'x', v: 1 }, { id: 'y', v: 1 }]);
  const y = keyed.get('y');
  keyed.render([{ id: 'y', v: 2 }]);
  assert.notEqual(keyed.get('y'), y);
  assert.equal(keyed.get('y').dataset.id, 'y');
  assert.ok(keyed.get('x'), 'the edited element stays');
  assert.deepEqual(texts(list).sort(), [1, 2]);
});

// Tables built from column definitions, with an empty-state row and optional sortable headers.
import {h} from './dom.js';

// columns: [{title, value: (row) => node | string, num?, wrap?, wide?, sort?}]
// options: {test, rowTest, key: (row) => string, empty: "No pods", sortHref: (field) => href,
//           sorted: "field" | "-field"}
export function table(columns, rows, options = {}) {
  const head = h('tr', null, columns.map((c) => h('th', {class: c.num ? 'num' : null},
      c.sort && options.sortHref ? sortLink(c, options) : c.title)));
  const body = h('tbody');
  if (rows.length === 0) {
    body.append(h('tr', null, h('td', {class: 'empty', colspan: columns.length,
      test: 'empty'}, options.empty || 'Nothing to show.')));
  }
  for (const row of rows) {
    const tr = h('tr', {test: options.rowTest, 'data-key': options.key ? options.key(row) : null});
    for (const c of columns) {
      const cls = [c.num ? 'num' : '', c.wrap ? 'wrap' : '', c.wide ? 'wide' : ''].join(' ')
          .trim() || null;
      const value = c.value(row);
      tr.append(h('td', {class: cls}, value === '' || value === null || value === undefined ?
          h('span', {class: 'muted'}, '—') : value));
    }
    body.append(tr);
  }
  return h('div', {class: 'table-wrap'},
      h('table', {test: options.test}, h('thead', null, head), body));
}

// A header that sorts by its field, ascending first, descending when already ascending.
function sortLink(column, options) {
  const current = options.sorted || '';
  const ascending = current === column.sort;
  const descending = current === `-${column.sort}`;
  const next = ascending ? `-${column.sort}` : column.sort;
  const arrow = ascending ? ' ▲' : descending ? ' ▼' : '';
  return h('a', {href: options.sortHref(next), title: `Sort by ${column.title}`},
      column.title + arrow);
}

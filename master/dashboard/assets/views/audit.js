// The audit log: every change made through the API, who made it and from where, newest first.
import {get, query} from '../lib/api.js';
import {h, link} from '../lib/dom.js';
import {time} from '../lib/format.js';
import {go, href} from '../lib/router.js';
import {table} from '../lib/table.js';

const PAGE_SIZE = 100;

export function auditView() {
  return {
    name: 'audit', section: 'audit', title: 'Audit',
    toolbar: ({route}) => h('div', null, h('div', {class: 'page-head'}, h('h1', null, 'Audit log')),
        auditFilter(route.params)),
    load: async ({route, signal}) => {
      const p = route.params;
      const page = await get(`/api/v1/audit${query({action: p.get('action'), limit: PAGE_SIZE,
        continue: p.get('continue')})}`, {signal});
      const others = Object.fromEntries(p);
      return h('div', {class: 'card'},
          table([
            {title: '#', num: true, value: (e) => String(e.seq)},
            {title: 'When', value: (e) => time(e.at)},
            {title: 'Actor', value: (e) => h('span', {class: 'mono'}, e.actor)},
            {title: 'Action', value: (e) => h('span', {test: 'audit-action'}, e.action)},
            {title: 'Target', value: (e) => target(e.target)},
            {title: 'Details', wrap: true, value: (e) => details(e.details)},
            {title: 'From', value: (e) => e.remote_addr},
          ], page.items, {test: 'audit', rowTest: 'audit-row', key: (e) => String(e.seq),
            empty: 'Nothing recorded yet.'}),
          h('div', {class: 'pager'},
              p.get('continue') ? link(href(['audit'], {...others, continue: ''}), '⇤ Newest',
                  'page-first') : null,
              page.continue ? link(href(['audit'], {...others, continue: page.continue}),
                  'Older →', 'page-next') : null));
    },
    // Commands and acknowledgements are audited; their events say a new entry may be there.
    reloadOn: (type, data) => (type === 'command' && data.previous_state === null) ||
        type === 'agent',
  };
}

// Ids the dashboard has a page for become links.
function target(id) {
  if (!id) return '';
  if (id.startsWith('cmd_')) return link(href(['commands', id]), id);
  if (id.startsWith('agt_')) return link(href(['agents', id]), id);
  if (id.startsWith('pool_')) return link(href(['pools', id]), id);
  return h('span', {class: 'mono'}, id);
}

function details(d) {
  const entries = Object.entries(d || {});
  if (entries.length === 0) return '';
  return entries.map(([k, v]) => h('span', {class: 'chip'},
      `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`));
}

function auditFilter(params) {
  const action = h('input', {name: 'action', placeholder: 'command., pool.create…',
    value: params.get('action') || '', test: 'filter-action'});
  const form = h('form', {class: 'filters'}, h('label', null, 'Action starts with', action),
      h('button', {type: 'submit', test: 'filter-apply'}, 'Apply'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go(['audit'], {action: action.value.trim()});
  });
  return form;
}

// The fleet: agents with their status and slots, one agent with its live status and commands,
// pools with their health and slots, one pool with its agents.
import {get, query} from '../lib/api.js';
import {fields, h, link, section} from '../lib/dom.js';
import {age, badge, chips, time} from '../lib/format.js';
import {go, href} from '../lib/router.js';
import {table} from '../lib/table.js';
import {commandsTable} from './commands.js';
import {poolsTable} from './overview.js';

const AGENT_STATUSES = ['online', 'busy', 'draining', 'error', 'offline'];
const PAGE_SIZE = 100;

export function agentsView() {
  return {
    name: 'agents', section: 'agents', title: 'Agents',
    toolbar: ({route}) => h('div', null, h('div', {class: 'page-head'}, h('h1', null, 'Agents')),
        agentFilters(route.params)),
    load: async ({route, signal}) => {
      const p = route.params;
      const [page, pools] = await Promise.all([
        get(`/api/v1/agents${query({status: p.get('status'), pool_id: p.get('pool_id'),
          limit: PAGE_SIZE, continue: p.get('continue')})}`, {signal}),
        poolNames(signal),
      ]);
      const others = Object.fromEntries(p);
      return h('div', {class: 'card'}, agentsTable(page.items, pools, 'agents'),
          h('div', {class: 'pager'},
              p.get('continue') ? link(href(['agents'], {...others, continue: ''}),
                  '⇤ First page', 'page-first') : null,
              page.continue ? link(href(['agents'], {...others, continue: page.continue}),
                  'Next page →', 'page-next') : null));
    },
    reloadOn: (type) => type === 'agent',
  };
}

// pool id -> name, for tables that show agents.
async function poolNames(signal) {
  const page = await get(`/api/v1/agent-pools${query({limit: 500})}`, {signal});
  return Object.fromEntries(page.items.map((p) => [p.id, p.name]));
}

function agentsTable(agents, pools, test) {
  return table([
    {title: 'Agent', value: (a) => link(href(['agents', a.id]), a.name, 'agent-link')},
    {title: 'Pool', value: (a) => link(href(['pools', a.pool_id]), pools[a.pool_id] || a.pool_id)},
    {title: 'Type', value: (a) => a.type},
    {title: 'Status', value: (a) => badge(a.status, 'agent-status')},
    {title: 'Cluster', value: (a) => a.cluster_id ? link(href(['clusters', a.cluster_id]),
        a.cluster_id) : ''},
    {title: 'Slots used', num: true, value: (a) => h('span', {test: 'agent-slots'},
        `${a.slots.used} / ${a.slots.total}`)},
    {title: 'Load', num: true, value: (a) => String(a.load)},
    {title: 'Tasks ok / failed', num: true, value: (a) =>
      `${a.tasks.succeeded} / ${a.tasks.failed}`},
    {title: 'Last heartbeat', value: (a) => h('span', {title: a.last_heartbeat},
        a.last_heartbeat ? `${age(a.last_heartbeat)} ago` : 'never')},
    {title: 'Version', value: (a) => a.version},
  ], agents, {test, rowTest: 'agent-row', key: (a) => a.id, empty: 'No agents.'});
}

function agentFilters(params) {
  const status = h('select', {name: 'status', test: 'filter-status'},
      h('option', {value: ''}, 'any status'),
      AGENT_STATUSES.map((s) => h('option', {value: s, selected: params.get('status') === s}, s)));
  const form = h('form', {class: 'filters'}, h('label', null, 'Status', status),
      h('button', {type: 'submit', test: 'filter-apply'}, 'Apply'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go(['agents'], {status: status.value, pool_id: params.get('pool_id')});
  });
  return form;
}

export function agentView(id) {
  const base = `/api/v1/agents/${encodeURIComponent(id)}`;
  return {
    name: 'agent', section: 'agents', title: id,
    toolbar: () => h('div', {class: 'crumbs'}, link('#/agents', 'Agents'), ' / ', id),
    load: async ({signal}) => {
      const [a, status, commands, pools] = await Promise.all([
        get(base, {signal}),
        get(`${base}/status`, {signal}),
        get(`${base}/commands${query({limit: 20})}`, {signal}),
        poolNames(signal),
      ]);
      return h('div', null,
          h('div', {class: 'page-head'}, h('h1', {test: 'page-title'}, `Agent ${a.name}`),
              badge(status.status, 'agent-status')),
          h('div', {class: 'columns'},
              section('Agent', fields([
                ['Pool', link(href(['pools', a.pool_id]), pools[a.pool_id] || a.pool_id)],
                ['Type', a.type],
                ['Cluster', a.cluster_id ? link(href(['clusters', a.cluster_id]), a.cluster_id) :
                  null],
                ['Hostname', a.hostname],
                ['Version', a.version],
                ['Labels', chips(a.labels)],
                ['Actions', ((a.capabilities || {}).actions || []).join(', ') || null],
                ['Description', a.description || null],
                ['Registered', time(a.registered_at)],
                ['ID', h('span', {class: 'mono'}, a.id)],
              ])),
              section('Status', fields([
                ['Status', badge(status.status)],
                ['Message', status.status_message || null],
                ['Draining', a.drain ? 'yes' : 'no'],
                ['Waiting for work', status.polling ? 'yes (a long-poll is parked)' : 'no'],
                ['Last heartbeat', time(status.last_heartbeat)],
                ['Slots', h('span', {test: 'agent-slots'},
                    `${status.slots.used} used of ${status.slots.total}`)],
                ['Load', String(status.load)],
                ['Tasks', `${status.tasks.total} run, ${status.tasks.succeeded} succeeded, ` +
                    `${status.tasks.failed} failed`],
              ], 'agent-status-fields'))),
          section('Recent commands', commandsTable(commands.items, 'agent-commands'),
              h('p', null, link(href(['commands'], {agent_id: a.id}), 'All its commands'))));
    },
    reloadOn: (type, data) => (type === 'agent' && data.agent_id === id) ||
        (type === 'command' && data.agent_id === id),
  };
}

export function poolsView() {
  return {
    name: 'pools', section: 'pools', title: 'Pools',
    load: async ({signal}) => {
      const [overview, pools] = await Promise.all([
        get('/api/v1/overview', {signal}),
        get(`/api/v1/agent-pools${query({limit: 500})}`, {signal}),
      ]);
      const byId = Object.fromEntries(pools.items.map((p) => [p.id, p]));
      return h('div', null, h('div', {class: 'page-head'}, h('h1', null, 'Pools')),
          section(null, poolsTable(overview.pools, 'pools')),
          section('Settings', table([
            {title: 'Pool', value: (p) => link(href(['pools', p.id]), p.name)},
            {title: 'Strategy', value: (p) => (byId[p.id] || {}).selection_strategy},
            {title: 'Slots per agent', num: true, value: (p) =>
              String((byId[p.id] || {}).slots_per_agent ?? '')},
            {title: 'Required labels', value: (p) => chips((byId[p.id] || {}).required_labels)},
            {title: 'Description', wrap: true, value: (p) => (byId[p.id] || {}).description},
          ], overview.pools, {empty: 'No pools yet.'})));
    },
    reloadOn: (type) => type === 'agent',
  };
}

export function poolView(id) {
  return {
    name: 'pool', section: 'pools', title: id,
    toolbar: () => h('div', {class: 'crumbs'}, link('#/pools', 'Pools'), ' / ', id),
    load: async ({signal}) => {
      const [pool, overview, agents] = await Promise.all([
        get(`/api/v1/agent-pools/${encodeURIComponent(id)}`, {signal}),
        get('/api/v1/overview', {signal}),
        get(`/api/v1/agents${query({pool_id: id, limit: 500})}`, {signal}),
      ]);
      const health = overview.pools.find((p) => p.id === id);
      return h('div', null,
          h('div', {class: 'page-head'}, h('h1', {test: 'page-title'}, `Pool ${pool.name}`),
              health ? badge(health.health, 'pool-health') : null),
          section('Pool', fields([
            ['Type', pool.pool_type],
            ['Strategy', pool.selection_strategy],
            ['Slots per agent', String(pool.slots_per_agent)],
            ['Slots', health ? h('span', {test: 'pool-slots'}, `${health.slots.used} used of ` +
                `${health.slots.total}, ${health.slots.free} free`) : null],
            ['Required labels', chips(pool.required_labels)],
            ['Description', pool.description || null],
            ['Created', time(pool.created_at)],
            ['ID', h('span', {class: 'mono'}, pool.id)],
          ])),
          section('Agents', agentsTable(agents.items, {[pool.id]: pool.name}, 'pool-agents')),
          h('p', null, link(href(['commands'], {pool_id: pool.id}), 'Commands sent to this pool')));
    },
    reloadOn: (type, data) => type === 'agent' && data.pool_id === id,
  };
}

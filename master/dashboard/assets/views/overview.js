// The front page: every cluster and pool with its health (GET /api/v1/overview), and the tables
// of clusters and pools that the clusters and pools pages reuse.
import {get, query} from '../lib/api.js';
import {h, link, section} from '../lib/dom.js';
import {badge} from '../lib/format.js';
import {href} from '../lib/router.js';
import {table} from '../lib/table.js';

export function overviewView() {
  return {
    name: 'overview', section: 'overview', title: 'Overview',
    load: async ({signal}) => {
      const [overview, firing] = await Promise.all([
        get('/api/v1/overview', {signal}),
        get(`/api/v1/alerts${query({state: 'firing', limit: 500})}`, {signal}),
      ]);
      return h('div', null,
          h('div', {class: 'page-head'}, h('h1', null, 'Overview')),
          tiles(overview, firing),
          section('Clusters', clustersTable(overview.clusters, 'overview-clusters')),
          section('Pools', poolsTable(overview.pools, 'overview-pools')));
    },
    reloadOn: (type) => type === 'snapshot' || type === 'agent' || type === 'alert',
  };
}

function tiles(overview, firing) {
  const t = overview.totals;
  const byHealth = (counts) => Object.entries(counts || {})
      .map(([health, n]) => `${n} ${health}`).join(', ') || 'none';
  const agents = t.agents || {};
  const firingCount = firing.items.length + (firing.continue ? '+' : '');
  return h('div', {class: 'grid'},
      tile('Clusters', t.clusters, byHealth(t.clusters_by_health), 'tile-clusters'),
      tile('Pools', t.pools, byHealth(t.pools_by_health), 'tile-pools'),
      tile('Agents online', `${agents.online || 0} / ${agents.total || 0}`,
          `${agents.busy || 0} busy, ${agents.offline || 0} offline`, 'tile-agents'),
      h('a', {href: '#/alerts', class: 'tile', test: 'tile-alerts'},
          h('div', {class: 'value'}, String(firingCount)),
          h('div', {class: 'label'}, 'alerts firing')));
}

function tile(label, value, detail, test) {
  return h('div', {class: 'tile', test},
      h('div', {class: 'value'}, String(value)),
      h('div', {class: 'label'}, label),
      h('div', {class: 'label'}, detail));
}

// Cluster records (overview or GET /api/v1/clusters/{id}) as a table.
export function clustersTable(clusters, test) {
  const count = (c, kind) => (c.counts ? c.counts[kind] : undefined) ?? '';
  return table([
    {title: 'Cluster', value: (c) => link(href(['clusters', c.cluster_id]), c.cluster_id,
        'cluster-link')},
    {title: 'Health', value: (c) => badge(c.health, 'cluster-health')},
    {title: 'Problems', wrap: true, value: (c) => (c.problems || []).join('; ')},
    {title: 'Agent', value: (c) => c.agent ? h('span', null,
        link(href(['agents', c.agent.id]), c.agent.name), ' ', badge(c.agent.status)) : ''},
    {title: 'Pods', num: true, value: (c) => link(href(['clusters', c.cluster_id, 'pods']),
        String(count(c, 'pods')))},
    {title: 'Nodes', num: true, value: (c) => link(href(['clusters', c.cluster_id, 'nodes']),
        String(count(c, 'nodes')))},
    {title: 'Deployments', num: true, value: (c) => String(count(c, 'deployments'))},
    {title: 'Last snapshot', value: (c) => h('span', {title: c.received_at},
        `${c.staleness_s}s ago`)},
  ], clusters, {test, rowTest: 'cluster-row', key: (c) => c.cluster_id,
    empty: 'No cluster has sent a snapshot yet.'});
}

// Pools of the overview (with agents and slots counted) as a table.
export function poolsTable(pools, test) {
  return table([
    {title: 'Pool', value: (p) => link(href(['pools', p.id]), p.name, 'pool-link')},
    {title: 'Type', value: (p) => p.pool_type},
    {title: 'Health', value: (p) => badge(p.health, 'pool-health')},
    {title: 'Agents', value: (p) => `${p.agents.online} online of ${p.agents.total}`},
    {title: 'Busy', num: true, value: (p) => String(p.agents.busy)},
    {title: 'Offline', num: true, value: (p) => String(p.agents.offline)},
    {title: 'Slots used', num: true, value: (p) => h('span', {test: 'pool-slots'},
        `${p.slots.used} / ${p.slots.total}`)},
    {title: 'Free', num: true, value: (p) => String(p.slots.free)},
  ], pools, {test, rowTest: 'pool-row', key: (p) => p.id, empty: 'No pools yet.'});
}


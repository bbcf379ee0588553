// The cluster pages: the list of clusters, one cluster at a glance, and the filtered, paged list of
// each kind of its objects (GET /api/v1/clusters/{id}/{kind}).
import {get, query} from '../lib/api.js';
import {fields, h, link, section} from '../lib/dom.js';
import {badge, time} from '../lib/format.js';
import {go, href} from '../lib/router.js';
import {table} from '../lib/table.js';
import {KIND_ORDER, KINDS, eventColumns, isNamespaced} from './kinds.js';
import {clustersTable} from './overview.js';

const PAGE_SIZE = 50;
const FILTERS = ['namespace', 'status', 'label', 'q'];
// Filters that links set (a summary's problem reasons, a node's pods) and the form keeps.
const LINKED_FILTERS = ['reason', 'node', 'owner'];

export function clustersView() {
  return {
    name: 'clusters', section: 'clusters', title: 'Clusters',
    load: async ({signal}) => {
      const overview = await get('/api/v1/overview', {signal});
      return h('div', null, h('div', {class: 'page-head'}, h('h1', null, 'Clusters')),
          section(null, clustersTable(overview.clusters, 'clusters')));
    },
    reloadOn: (type) => type === 'snapshot' || type === 'agent',
  };
}

// The crumbs and kind tabs above every page of one cluster.
export function clusterHeader(cluster, kind, title) {
  const tabs = h('nav', {class: 'tabs', test: 'kind-tabs'},
      link(href(['clusters', cluster]), 'Summary', 'kind-tab-summary'),
      KIND_ORDER.map((k) => link(href(['clusters', cluster, k]), KINDS[k].title,
          `kind-tab-${k}`)));
  for (const a of tabs.querySelectorAll('a')) {
    a.classList.toggle('active', a.dataset.test === `kind-tab-${kind || 'summary'}`);
  }
  return h('div', null,
      h('div', {class: 'crumbs'}, link('#/clusters', 'Clusters'), ' / ',
          link(href(['clusters', cluster]), cluster)),
      title ? h('div', {class: 'page-head'}, h('h1', {test: 'page-title'}, title)) : null,
      tabs);
}

const forCluster = (cluster) => (type, data) =>
  (type === 'snapshot' && data.cluster_id === cluster) ||
  (type === 'agent' && data.cluster_id === cluster);

export function clusterView(cluster) {
  return {
    name: 'cluster', section: 'clusters', title: cluster,
    toolbar: () => clusterHeader(cluster, null, `Cluster ${cluster}`),
    load: async ({signal}) => {
      const base = `/api/v1/clusters/${encodeURIComponent(cluster)}`;
      const [c, warnings] = await Promise.all([
        get(base, {signal}),
        get(`${base}/events${query({status: 'Warning', limit: 10})}`, {signal}),
      ]);
      return h('div', null,
          h('div', {class: 'columns'},
              section('Health', clusterFields(c)),
              section('Objects', countTiles(cluster, c.counts || {}))),
          section('Summary', summaryFields(cluster, c.summary || {})),
          section('Recent warning events', table(eventColumns(cluster), warnings.items,
              {test: 'events', rowTest: 'event-row', empty: 'No warning events.'})));
    },
    reloadOn: forCluster(cluster),
  };
}

function clusterFields(c) {
  return fields([
    ['Health', badge(c.health, 'cluster-health')],
    ['Problems', (c.problems || []).length ?
      h('ul', null, c.problems.map((p) => h('li', null, p))) : 'none'],
    ['Agent', c.agent ? h('span', null, link(href(['agents', c.agent.id]), c.agent.name), ' ',
        badge(c.agent.status)) : 'gone'],
    ['Kind', c.kind],
    ['Snapshot version', String(c.version)],
    ['Gathered', time(c.fetched_at)],
    ['Received', h('span', null, time(c.received_at), ` (${c.staleness_s}s ago)`)],
    ['Size', `${Math.round(c.size_bytes / 1024)} KiB (${Math.round(c.stored_bytes / 1024)} KiB ` +
        'stored)'],
    ['Could not read', Object.keys(c.errors || {}).length ?
      Object.entries(c.errors).map(([k, v]) => h('div', {class: 'error'}, `${k}: ${v}`)) : null],
  ], 'cluster-fields');
}

function countTiles(cluster, counts) {
  return h('div', {class: 'grid'}, KIND_ORDER.filter((k) => counts[k] !== undefined).map((k) =>
    h('a', {class: 'tile', href: href(['clusters', cluster, k]), test: `count-${k}`},
        h('div', {class: 'value'}, String(counts[k])),
        h('div', {class: 'label'}, KINDS[k].title))));
}

function summaryFields(cluster, s) {
  const problems = Object.entries(s.pod_problems || {});
  return fields([
    ['Pods by phase', Object.entries(s.pods || {}).map(([phase, n]) =>
      h('span', {class: 'chip'}, `${phase} ${n}`))],
    ['Pod problems', problems.length ? problems.map(([reason, n]) =>
      h('a', {class: 'chip', href: href(['clusters', cluster, 'pods'], {reason})},
          `${reason} ${n}`)) : 'none'],
    ['Nodes', `${s.nodes_ready ?? 0} ready, ${s.nodes_not_ready ?? 0} not ready`],
    ['Deployments', `${s.deployments_healthy ?? 0} healthy, ${s.deployments_unhealthy ?? 0} ` +
        'unhealthy'],
    ['Warning events', link(href(['clusters', cluster, 'events'], {status: 'Warning'}),
        String(s.warning_events ?? 0))],
  ]);
}

export function kindListView(cluster, kind) {
  const spec = KINDS[kind];
  const title = spec ? spec.title : kind;
  return {
    name: 'list', section: 'clusters', title: `${title} · ${cluster}`,
    toolbar: ({route}) => h('div', null, clusterHeader(cluster, kind, `${title}`),
        spec ? filterForm(cluster, kind, route.params) : null),
    load: async ({route, signal}) => {
      const p = route.params;
      const params = {limit: PAGE_SIZE, sort: p.get('sort'), continue: p.get('continue')};
      for (const f of [...FILTERS, ...LINKED_FILTERS]) params[f] = p.get(f);
      const page = await get(`/api/v1/clusters/${encodeURIComponent(cluster)}/` +
          `${encodeURIComponent(kind)}${query(params)}`, {signal});
      const sortHref = (field) => href(['clusters', cluster, kind],
          {...Object.fromEntries(p), sort: field, continue: ''});
      const columns = spec ? spec.columns(cluster) : [{title: 'Name', value: (o) => o.name}];
      return h('div', {class: 'card'},
          h('p', {class: 'muted', test: 'list-total'},
              `${page.total} match${page.total === 1 ? 'es' : ''} · snapshot ${page.version}`),
          table(columns, page.items, {test: 'objects', rowTest: 'object-row',
            key: (o) => (o.namespace ? `${o.namespace}/${o.name}` : o.name),
            empty: `No ${title.toLowerCase()} match.`, sortHref,
            sorted: p.get('sort') || (spec && spec.defaultSort) || ''}),
          pager(cluster, kind, p, page));
    },
    reloadOn: forCluster(cluster),
  };
}

function pager(cluster, kind, params, page) {
  const others = Object.fromEntries(params);
  return h('div', {class: 'pager'},
      params.get('continue') ? link(href(['clusters', cluster, kind], {...others, continue: ''}),
          '⇤ First page', 'page-first') : null,
      page.continue ? link(href(['clusters', cluster, kind], {...others, continue: page.continue}),
          'Next page →', 'page-next') : null);
}

// The filters of a list, kept in the address (#/clusters/x/pods?namespace=...), so a filtered
// list can be bookmarked and the back button undoes a filter.
function filterForm(cluster, kind, params) {
  const spec = KINDS[kind];
  const input = (name, placeholder, list) => h('input', {name, placeholder, list,
    value: params.get(name) || '', test: `filter-${name}`, size: name === 'q' ? 24 : 16});
  const namespaces = h('datalist', {id: 'namespace-choices'});
  const statuses = h('datalist', {id: 'status-choices'},
      (spec.statuses || []).map((s) => h('option', {value: s})));
  const form = h('form', {class: 'filters', test: 'filters'},
      isNamespaced(kind) ? h('label', null, 'Namespace',
          input('namespace', 'all', 'namespace-choices')) : null,
      spec.statuses ? h('label', null, 'Status', input('status', 'any', 'status-choices')) : null,
      h('label', null, 'Labels', input('label', 'app=web')),
      h('label', null, 'Search', input('q', 'name, reason, message')),
      h('button', {type: 'submit', test: 'filter-apply'}, 'Apply'),
      h('button', {type: 'button', class: 'secondary', test: 'filter-clear',
        onclick: () => go(['clusters', cluster, kind], {sort: params.get('sort')})}, 'Clear'),
      namespaces, statuses,
      LINKED_FILTERS.filter((f) => params.get(f)).map((f) => h('span', {class: 'chip'},
          `${f}=${params.get(f)} `, link(href(['clusters', cluster, kind],
              {...Object.fromEntries(params), [f]: '', continue: ''}), '×'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = {sort: params.get('sort')};
    for (const f of LINKED_FILTERS) values[f] = params.get(f);
    for (const f of FILTERS) {
      if (form.elements[f]) values[f] = form.elements[f].value.trim();
    }
    go(['clusters', cluster, kind], values);
  });
  if (isNamespaced(kind)) {
    // Suggestions only: a failure leaves the field a plain text box.
    get(`/api/v1/clusters/${encodeURIComponent(cluster)}/namespaces${query({limit: 500})}`)
        .then((page) => namespaces.append(...page.items.map((n) => h('option', {value: n.name}))))
        .catch(() => {});
  }
  return form;
}

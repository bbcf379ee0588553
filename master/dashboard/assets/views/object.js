// One object of a cluster with what it relates to (GET /api/v1/clusters/{id}/{kind}/{ns}/{name}):
// a pod with its node, owner chain, the services that select it and its events; a node with its
// pods; a deployment with its replica sets, pods and services; a service with the pods it
// selects; and so on. Every related object is a link to its own page.
import {get} from '../lib/api.js';
import {fields, h, link, section} from '../lib/dom.js';
import {age, badge, chips, json, time} from '../lib/format.js';
import {href} from '../lib/router.js';
import {table} from '../lib/table.js';
import {clusterHeader} from './cluster.js';
import {KINDS, eventColumns, nodeStatus, objectHref, refLink, workloadHealthy} from './kinds.js';
import {actionBar} from './object_actions.js';

const SINGULAR = {
  pods: 'Pod', nodes: 'Node', deployments: 'Deployment', replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet', daemonsets: 'DaemonSet', services: 'Service', events: 'Event',
  configmaps: 'ConfigMap', ingresses: 'Ingress', namespaces: 'Namespace',
};

export function objectView(cluster, kind, namespace, name) {
  const label = `${SINGULAR[kind] || kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const target = {cluster, namespace, name};
  const path = `/api/v1/clusters/${[cluster, kind, namespace, name].filter((p) => p !== '')
      .map(encodeURIComponent).join('/')}`;
  return {
    name: 'object', section: 'clusters', title: label,
    toolbar: (ctx) => h('div', null, clusterHeader(cluster, kind, label),
        actionBar(target, kind, ctx)),
    load: async (ctx) => {
      let detail;
      try {
        detail = await get(path, {signal: ctx.signal});
      } catch (e) {
        if (e.status !== 404) throw e;
        ctx.state.detail = null;
        return h('div', {class: 'notice', test: 'object-gone'}, e.message, ' ',
            link(href(['clusters', cluster, kind], namespace ? {namespace} : {}),
                `Back to the ${KINDS[kind] ? KINDS[kind].title.toLowerCase() : 'list'}.`));
      }
      ctx.state.detail = detail;
      const render = RENDERERS[kind] || genericPage;
      return h('div', {test: `detail-${kind}`}, render(cluster, detail),
          section('Events', events(cluster, detail.events)),
          h('details', {class: 'card'}, h('summary', null, 'The object as the agent sent it'),
              h('pre', {class: 'light', test: 'raw-object'}, json(detail.object))));
    },
    reloadOn: (type, data) => type === 'snapshot' && data.cluster_id === cluster,
  };
}

const RENDERERS = {
  pods: podPage,
  nodes: nodePage,
  deployments: workloadPage,
  replicasets: workloadPage,
  statefulsets: workloadPage,
  daemonsets: workloadPage,
  services: servicePage,
  ingresses: ingressPage,
  namespaces: namespacePage,
  events: eventPage,
};

function events(cluster, list) {
  return table(eventColumns(cluster), list || [], {test: 'related-events', rowTest: 'event-row',
    empty: 'No events about it.'});
}

function objects(cluster, kind, list, test) {
  return table(KINDS[kind].columns(cluster), list || [], {test, rowTest: 'object-row',
    key: (o) => (o.namespace ? `${o.namespace}/${o.name}` : o.name),
    empty: `No ${KINDS[kind].title.toLowerCase()}.`});
}

// The owner chain, direct owner first: ReplicaSet x → Deployment y.
function owners(cluster, list) {
  if (!list || list.length === 0) {
    return h('span', {class: 'muted', test: 'related-owners'}, 'none');
  }
  const chain = h('span', {class: 'chain', test: 'related-owners'});
  list.forEach((o, i) => {
    if (i > 0) chain.append(h('span', {class: 'arrow'}, '→'));
    chain.append(refLink(cluster, o.kind, o.namespace, o.name, o.object !== null, 'owner-link'));
    if (o.object === null) chain.append(h('span', {class: 'muted'}, '(not in the snapshot)'));
  });
  return chain;
}

function links(cluster, kind, list, test, itemTest) {
  if (!list || list.length === 0) return h('span', {class: 'muted', test}, 'none');
  return h('span', {class: 'chain', test}, list.map((o) =>
    link(objectHref(cluster, kind, o.namespace, o.name), o.name, itemTest)));
}

function common(o) {
  return [
    ['Namespace', o.namespace || null],
    ['Created', h('span', null, time(o.created_at), ` (${age(o.created_at)} ago)`)],
    ['Labels', chips(o.labels)],
    ['UID', h('span', {class: 'mono'}, o.uid)],
  ];
}

function podPage(cluster, d) {
  const p = d.object;
  const node = d.node ? link(objectHref(cluster, 'nodes', '', d.node.name), d.node.name,
      'node-link') : h('span', {class: 'muted'}, p.node_name ?
      `${p.node_name} (not in the snapshot)` : 'not scheduled');
  return h('div', null,
      h('div', {class: 'columns'},
          section('Pod', fields([
            ['Status', badge(p.reason || p.phase, 'pod-status')],
            ['Phase', p.phase],
            ['Ready', p.ready],
            ['Restarts', String(p.restarts)],
            ['Message', p.message || null],
            ['Pod IP', p.pod_ip || null],
            ['Host IP', p.host_ip || null],
            ['QoS class', p.qos_class || null],
            ...common(p),
          ])),
          section('Related', fields([
            ['Node', h('span', {test: 'related-node'}, node)],
            ['Owners', owners(cluster, d.owners)],
            ['Services', links(cluster, 'services', d.services, 'related-services',
                'service-link')],
          ], 'correlations'))),
      section('Containers', table([
        {title: 'Name', value: (c) => c.name},
        {title: 'Image', wrap: true, value: (c) => h('span', {class: 'mono'}, c.image)},
        {title: 'State', value: (c) => badge(c.reason || c.state)},
        {title: 'Ready', value: (c) => (c.ready ? 'yes' : 'no')},
        {title: 'Restarts', num: true, value: (c) => String(c.restart_count)},
        {title: 'Last termination', value: (c) => c.last_reason ?
          `${c.last_reason} (exit ${c.last_exit_code})` : ''},
        {title: 'Message', wrap: true, value: (c) => c.message},
      ], [...(p.init_containers || []), ...(p.containers || [])], {test: 'containers'})),
      section('Conditions', conditions(p.conditions)));
}

function conditions(list) {
  return table([
    {title: 'Type', value: (c) => c.type},
    {title: 'Status', value: (c) => c.status},
    {title: 'Reason', value: (c) => c.reason},
    {title: 'Message', wrap: true, value: (c) => c.message},
    {title: 'Since', value: (c) => time(c.last_transition_time)},
  ], list || [], {empty: 'No conditions.'});
}

function nodePage(cluster, d) {
  const n = d.object;
  const resources = (r) => r ? `${r.cpu || '?'} CPU, ${r.memory || '?'} memory, ` +
      `${r.pods || '?'} pods` : null;
  return h('div', null,
      section('Node', fields([
        ['Status', badge(nodeStatus(n), 'node-status')],
        ['Roles', (n.roles || []).join(', ') || null],
        ['Kubelet', n.kubelet_version],
        ['OS', n.os_image],
        ['Kernel', n.kernel_version],
        ['Runtime', n.container_runtime],
        ['Architecture', n.architecture],
        ['Capacity', resources(n.capacity)],
        ['Allocatable', resources(n.allocatable)],
        ['Pressure', ['memory_pressure', 'disk_pressure', 'pid_pressure']
            .filter((k) => n[k]).join(', ') || 'none'],
        ['Taints', (n.taints || []).map((t) => h('span', {class: 'chip'},
            `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`))],
        ['Addresses', (n.addresses || []).map((a) => `${a.type} ${a.address}`).join(', ')],
        ...common(n),
      ])),
      section(`Pods on this node (${(d.pods || []).length})`,
          objects(cluster, 'pods', d.pods, 'related-pods')),
      section('Conditions', conditions(n.conditions)));
}

function workloadPage(cluster, d) {
  const o = d.object;
  const counts = o.kind === 'DaemonSet' ?
    [['Desired', String(o.desired_number_scheduled)], ['Ready', String(o.number_ready)],
      ['Available', String(o.number_available)], ['Up to date',
        String(o.updated_number_scheduled)]] :
    [['Replicas', h('span', {test: 'replicas'}, String(o.replicas))],
      ['Ready', String(o.ready_replicas)], ['Available', String(o.available_replicas)],
      ['Up to date', String(o.updated_replicas)]];
  const status = o.kind === 'DaemonSet' ? null :
    badge(workloadHealthy(o) ? 'Healthy' : 'Unhealthy', 'workload-status');
  return h('div', null,
      h('div', {class: 'columns'},
          section(o.kind, fields([
            ['Status', status],
            ...counts,
            ['Strategy', o.strategy || null],
            ['Paused', o.paused ? 'yes' : null],
            ['Selector', chips(o.selector)],
            ['Images', (o.images || []).map((i) => h('div', {class: 'mono'}, i))],
            ...common(o),
          ])),
          section('Related', fields([
            ['Owners', owners(cluster, d.owners)],
            ['Services', links(cluster, 'services', d.services, 'related-services',
                'service-link')],
          ], 'correlations'))),
      o.kind === 'Deployment' ? section('Replica sets',
          objects(cluster, 'replicasets', d.replicasets, 'related-replicasets')) : null,
      section(`Pods (${(d.pods || []).length})`, objects(cluster, 'pods', d.pods, 'related-pods')));
}

function servicePage(cluster, d) {
  const s = d.object;
  return h('div', null,
      h('div', {class: 'columns'},
          section('Service', fields([
            ['Type', s.type],
            ['Cluster IP', s.cluster_ip],
            ['External IPs', (s.external_ips || []).join(', ') || null],
            ['External name', s.external_name || null],
            ['Ports', (s.ports || []).map((p) => h('div', null, `${p.name ? `${p.name}: ` : ''}` +
                `${p.port}/${p.protocol} → ${p.target_port}` +
                (p.node_port ? ` (node port ${p.node_port})` : '')))],
            ['Selector', chips(s.selector)],
            ...common(s),
          ])),
          section('Related', fields([
            ['Ingresses', links(cluster, 'ingresses', d.ingresses, 'related-ingresses',
                'ingress-link')],
          ], 'correlations'))),
      section(`Pods it selects (${(d.pods || []).length})`,
          objects(cluster, 'pods', d.pods, 'related-pods')));
}

function ingressPage(cluster, d) {
  const i = d.object;
  const rows = [];
  for (const rule of i.rules || []) {
    for (const p of rule.paths || []) rows.push({host: rule.host, ...p});
  }
  return h('div', null,
      section('Ingress', fields([
        ['Class', i.class || null],
        ['Addresses', (i.addresses || []).join(', ') || null],
        ['TLS hosts', (i.tls_hosts || []).join(', ') || null],
        ['Services', links(cluster, 'services', d.services, 'related-services', 'service-link')],
        ...common(i),
      ], 'correlations')),
      section('Rules', table([
        {title: 'Host', value: (r) => r.host || '*'},
        {title: 'Path', value: (r) => `${r.path || '/'} (${r.path_type})`},
        {title: 'Service', value: (r) => r.service_name ?
          link(objectHref(cluster, 'services', i.namespace, r.service_name), r.service_name) :
          ''},
        {title: 'Port', value: (r) => r.service_port},
      ], rows, {empty: 'No rules.'})));
}

function namespacePage(cluster, d) {
  const n = d.object;
  const counts = d.counts || {};
  return h('div', null,
      section('Namespace', fields([['Status', badge(n.phase)], ...common(n)])),
      section('Objects in it', h('div', {class: 'grid'}, Object.entries(counts).map(([k, v]) =>
        h('a', {class: 'tile', href: href(['clusters', cluster, k], {namespace: n.name})},
            h('div', {class: 'value'}, String(v)),
            h('div', {class: 'label'}, KINDS[k] ? KINDS[k].title : k))))));
}

function eventPage(cluster, d) {
  const e = d.object;
  const io = e.involved_object || {};
  return section('Event', fields([
    ['Type', badge(e.type)],
    ['Reason', e.reason],
    ['Message', e.message],
    ['About', io.kind ? refLink(cluster, io.kind, io.namespace, io.name, true, 'event-subject') :
        null],
    ['Count', String(e.count)],
    ['First seen', time(e.first_timestamp)],
    ['Last seen', time(e.last_timestamp)],
    ['Source', [e.source_component, e.source_host].filter(Boolean).join(' on ') || null],
    ['Owners', owners(cluster, d.owners)],
    ...common(e),
  ]));
}

function genericPage(cluster, d) {
  const o = d.object;
  return section(o.kind, fields([
    ['Keys', [...(o.data_keys || []), ...(o.binary_data_keys || [])].join(', ') || null],
    ['Immutable', o.immutable ? 'yes' : null],
    ['Owners', owners(cluster, d.owners)],
    ...common(o),
  ]));
}

// What each kind of cluster object looks like in a list: its columns, the sort fields the master
// offers for it, and the STATUS values worth suggesting in the filter. Also the links between
// objects, which every cluster page uses.
import {h, link} from '../lib/dom.js';
import {age, badge, chips} from '../lib/format.js';
import {href} from '../lib/router.js';

// The path segment ("pods") of each Kubernetes kind ("Pod") the snapshots hold.
const PLURALS = {
  Pod: 'pods', Node: 'nodes', Deployment: 'deployments', ReplicaSet: 'replicasets',
  StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', Service: 'services', Event: 'events',
  ConfigMap: 'configmaps', Ingress: 'ingresses', Namespace: 'namespaces',
};
const CLUSTER_SCOPED = new Set(['nodes', 'namespaces']);

export function pluralOf(kind) {
  return PLURALS[kind] || null;
}

export function isNamespaced(plural) {
  return !CLUSTER_SCOPED.has(plural);
}

export function objectHref(cluster, plural, namespace, name) {
  return isNamespaced(plural) ? href(['clusters', cluster, plural, namespace, name]) :
      href(['clusters', cluster, plural, name]);
}

// A link to an object of `kind` ("ReplicaSet"), or its name as text when the snapshot has no such
// kind (a Job) or `exists` is false (the owner is missing from the snapshot).
export function refLink(cluster, kind, namespace, name, exists = true, test) {
  const plural = pluralOf(kind);
  if (!plural || !exists) {
    return h('span', {test, title: exists ? `${kind} is not a kind of the snapshot` :
        'not in the snapshot'}, `${kind} ${name}`);
  }
  return link(objectHref(cluster, plural, namespace, name), `${kind} ${name}`, test);
}

const nameLink = (cluster, plural) => (o) =>
  link(objectHref(cluster, plural, o.namespace, o.name), o.name, 'object-link');
const namespace = {title: 'Namespace', sort: 'namespace', value: (o) => o.namespace};
const created = {title: 'Age', sort: 'created', value: (o) => h('span', {title: o.created_at},
    age(o.created_at))};
const owner = (cluster) => ({title: 'Owner', value: (o) => o.owner_kind ?
  refLink(cluster, o.owner_kind, o.namespace, o.owner_name) : ''});

export function workloadHealthy(o) {
  return o.replicas === o.ready_replicas && o.replicas === o.available_replicas &&
      o.replicas === o.updated_replicas;
}

export function nodeStatus(n) {
  return (n.ready ? 'Ready' : 'NotReady') + (n.unschedulable ? ',SchedulingDisabled' : '');
}

export const KINDS = {
  pods: {
    title: 'Pods',
    statuses: ['Running', 'Pending', 'CrashLoopBackOff', 'ErrImagePull', 'ImagePullBackOff',
      'Unschedulable', 'ContainerCreating', 'Completed', 'Error', 'OOMKilled', 'Terminating'],
    columns: (c) => [
      {title: 'Name', sort: 'name', value: nameLink(c, 'pods')},
      namespace,
      {title: 'Status', sort: 'status', value: (p) => badge(p.reason || p.phase)},
      {title: 'Ready', value: (p) => p.ready},
      {title: 'Restarts', sort: 'restarts', num: true, value: (p) => String(p.restarts)},
      {title: 'Node', sort: 'node', value: (p) => p.node_name ?
        link(objectHref(c, 'nodes', '', p.node_name), p.node_name) : ''},
      owner(c),
      created,
    ],
  },
  nodes: {
    title: 'Nodes',
    statuses: ['Ready', 'NotReady', 'SchedulingDisabled'],
    columns: (c) => [
      {title: 'Name', sort: 'name', value: nameLink(c, 'nodes')},
      {title: 'Status', sort: 'status', value: (n) => badge(nodeStatus(n))},
      {title: 'Roles', value: (n) => (n.roles || []).join(', ')},
      {title: 'Version', value: (n) => n.kubelet_version},
      {title: 'CPU', value: (n) => (n.allocatable || {}).cpu},
      {title: 'Memory', value: (n) => (n.allocatable || {}).memory},
      created,
    ],
  },
  deployments: {
    title: 'Deployments',
    statuses: ['Healthy', 'Unhealthy'],
    columns: (c) => [
      {title: 'Name', sort: 'name', value: nameLink(c, 'deployments')},
      namespace,
      {title: 'Status', sort: 'status', value: (d) => badge(workloadHealthy(d) ? 'Healthy' :
          'Unhealthy')},
      {title: 'Ready', value: (d) => `${d.ready_replicas}/${d.replicas}`},
      {title: 'Up to date', num: true, value: (d) => String(d.updated_replicas)},
      {title: 'Available', num: true, value: (d) => String(d.available_replicas)},
      created,
    ],
  },
  replicasets: {
    title: 'Replica sets',
    statuses: ['Healthy', 'Unhealthy'],
    columns: (c) => [
      {title: 'Name', sort: 'name', value: nameLink(c, 'replicasets')},
      namespace,
      {title: 'Desired', num: true, value: (r) => String(r.replicas)},
      {title: 'Ready', num: true, value: (r) => String(r.ready_replicas)},
      owner(c),
      created,
    ],
  },
  statefulsets: {
    title: 'Stateful sets',
    statuses: ['Healthy', 'Unhealthy'],
    columns: (c) => [
      {title: 'Name', sort: 'name', value: nameLink(c, 'statefulsets')},
      namespace,
      {title: 'Ready', value: (s) => `${s.ready_replicas}/${s.replicas}`},
      {title: 'Service', value: (s) => s.service_name},
      created,
    ],
  },
  daemonsets: {
    title: 'Daemon sets',
    statuses: ['Healthy', 'Unhealthy'],
    columns: (c) => [
      {title: 'Name', sort: 'name', value: nameLink(c, 'daemonsets')},
      namespace,
      {title: 'Desired', num: true, value: (d) => String(d.desired_number_scheduled)},
      {title: 'Ready', num: true, value: (d) => String(d.number_ready)},
      {title: 'Available', num: true, value: (d) => String(d.number_available)},
      created,
    ],
  },
  services: {
    title: 'Services',
    columns: (c) => [
      {title: 'Name', sort: 'name', value: nameLink(c, 'services')},
      namespace,
      {title: 'Type', value: (s) => s.type},
      {title: 'Cluster IP', value: (s) => s.cluster_ip},
      {title: 'Ports', value: (s) => (s.ports || []).map((p) => `${p.port}/${p.protocol}`)
          .join(', ')},
      {title: 'Selector', value: (s) => chips(s.selector)},
    ],
  },
  ingresses: {
    title: 'Ingresses',
    columns: (c) => [
      {title: 'Name', sort: 'name', value: nameLink(c, 'ingresses')},
      namespace,
      {title: 'Class', value: (i) => i.class},
      {title: 'Hosts', value: (i) => (i.rules || []).map((r) => r.host || '*').join(', ')},
      {title: 'Addresses', value: (i) => (i.addresses || []).join(', ')},
      created,
    ],
  },
  configmaps: {
    title: 'Config maps',
    columns: (c) => [
      {title: 'Name', sort: 'name', value: nameLink(c, 'configmaps')},
      namespace,
      {title: 'Keys', wrap: true, value: (m) => [...(m.data_keys || []),
        ...(m.binary_data_keys || [])].join(', ')},
      created,
    ],
  },
  namespaces: {
    title: 'Namespaces',
    statuses: ['Active', 'Terminating'],
    columns: (c) => [
      {title: 'Name', sort: 'name', value: nameLink(c, 'namespaces')},
      {title: 'Status', sort: 'status', value: (n) => badge(n.phase)},
      created,
    ],
  },
  events: {
    title: 'Events',
    statuses: ['Normal', 'Warning'],
    defaultSort: '-last_seen',
    columns: (c) => eventColumns(c),
  },
};

export const KIND_ORDER = ['pods', 'nodes', 'deployments', 'replicasets', 'statefulsets',
  'daemonsets', 'services', 'ingresses', 'configmaps', 'namespaces', 'events'];

// Events, in lists and on every detail page.
export function eventColumns(cluster) {
  return [
    {title: 'Last seen', sort: 'last_seen', value: (e) => h('span',
        {title: e.last_timestamp || e.created_at}, age(e.last_timestamp || e.created_at))},
    {title: 'Type', sort: 'status', value: (e) => badge(e.type)},
    {title: 'Reason', sort: 'reason', value: (e) =>
      link(objectHref(cluster, 'events', e.namespace, e.name), e.reason || '(none)',
          'object-link')},
    {title: 'Object', value: (e) => e.involved_object ? refLink(cluster, e.involved_object.kind,
        e.involved_object.namespace, e.involved_object.name) : ''},
    {title: 'Message', wrap: true, value: (e) => e.message},
    {title: 'Count', sort: 'count', num: true, value: (e) => String(e.count)},
  ];
}

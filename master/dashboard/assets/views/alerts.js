// Alerts: what the master's rules found in the clusters and the fleet, newest first, with the
// acknowledgement an operator can add (POST /api/v1/alerts/{id}/ack).
import {canOperate, get, post, query} from '../lib/api.js';
import {confirmAction} from '../lib/dialog.js';
import {h, link, notify} from '../lib/dom.js';
import {badge, time} from '../lib/format.js';
import {go, href} from '../lib/router.js';
import {table} from '../lib/table.js';
import {refLink} from './kinds.js';

const PAGE_SIZE = 50;
const FILTERS = {
  state: ['firing', 'resolved'],
  severity: ['critical', 'warning', 'info'],
  acknowledged: ['false', 'true'],
};

export function alertsView() {
  return {
    name: 'alerts', section: 'alerts', title: 'Alerts',
    toolbar: ({route}) => h('div', null, h('div', {class: 'page-head'}, h('h1', null, 'Alerts')),
        alertFilters(route.params)),
    load: async ({route, signal, reload}) => {
      const p = route.params;
      const page = await get(`/api/v1/alerts${query({state: p.get('state'),
        severity: p.get('severity'), acknowledged: p.get('acknowledged'),
        cluster: p.get('cluster'), limit: PAGE_SIZE, continue: p.get('continue')})}`, {signal});
      const others = Object.fromEntries(p);
      return h('div', {class: 'card'}, alertsTable(page.items, reload),
          h('div', {class: 'pager'},
              p.get('continue') ? link(href(['alerts'], {...others, continue: ''}), '⇤ Newest',
                  'page-first') : null,
              page.continue ? link(href(['alerts'], {...others, continue: page.continue}),
                  'Older →', 'page-next') : null));
    },
    reloadOn: (type) => type === 'alert',
  };
}

function alertsTable(alerts, reload) {
  return table([
    {title: 'Severity', value: (a) => badge(a.severity === 'info' ? 'info' : a.severity)},
    {title: 'State', value: (a) => badge(a.state, 'alert-state')},
    {title: 'Alert', wrap: true, wide: true, value: (a) => h('div', null,
        h('strong', null, a.summary), h('div', {class: 'muted'}, a.description),
        h('div', {class: 'muted mono'}, a.rule))},
    {title: 'About', value: (a) => subject(a)},
    {title: 'Since', value: (a) => time(a.first_seen)},
    {title: 'Last seen', value: (a) => time(a.last_seen)},
    {title: 'Count', num: true, value: (a) => String(a.count)},
    {title: 'Acknowledged', value: (a) => acknowledgement(a, reload)},
  ], alerts, {test: 'alerts', rowTest: 'alert-row', key: (a) => a.id,
    empty: 'No alerts match.'});
}

// A link to what the alert is about, from its labels: an object of a cluster, or an agent.
function subject(a) {
  const l = a.labels || {};
  const parts = [];
  if (a.cluster_id) parts.push(link(href(['clusters', a.cluster_id]), a.cluster_id));
  if (l.kind && l.name && a.cluster_id) {
    parts.push(h('div', null, refLink(a.cluster_id, l.kind, l.namespace || '', l.name, true,
        'alert-subject')));
  } else if (l.agent_id) {
    parts.push(h('div', null, link(href(['agents', l.agent_id]), `agent ${l.agent || l.agent_id}`,
        'alert-subject')));
  }
  return parts;
}

function acknowledgement(a, reload) {
  if (a.acknowledgement) {
    const ack = a.acknowledgement;
    return h('div', {test: 'alert-acknowledged'}, badge('acknowledged'),
        h('div', {class: 'muted'}, 'by ', ack.by, ' ', time(ack.at)),
        ack.comment ? h('div', null, ack.comment) : null);
  }
  if (!canOperate()) return '';
  return h('button', {type: 'button', class: 'small secondary', test: 'action-ack',
    onclick: () => acknowledge(a, reload)}, 'Acknowledge');
}

async function acknowledge(a, reload) {
  const values = await confirmAction({title: 'Acknowledge this alert?', message: a.summary,
    fields: [{name: 'comment', label: 'Comment (optional)', type: 'text'}],
    confirmLabel: 'Acknowledge'});
  if (!values) return;
  try {
    await post(`/api/v1/alerts/${encodeURIComponent(a.id)}/ack`,
        values.comment ? {comment: values.comment} : {});
  } catch (e) {
    notify(`Not acknowledged: ${e.message}`, 'failure');
  }
  reload();
}

function alertFilters(params) {
  const selects = Object.entries(FILTERS).map(([name, choices]) => {
    const select = h('select', {name, test: `filter-${name}`},
        h('option', {value: ''}, 'any'),
        choices.map((c) => h('option', {value: c, selected: params.get(name) === c}, c)));
    return [name, select];
  });
  const form = h('form', {class: 'filters'},
      selects.map(([name, select]) => h('label', null, name, select)),
      h('button', {type: 'submit', test: 'filter-apply'}, 'Apply'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go(['alerts'], {...Object.fromEntries(selects.map(([n, s]) => [n, s.value])),
      cluster: params.get('cluster')});
  });
  return form;
}

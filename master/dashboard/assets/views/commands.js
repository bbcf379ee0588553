// Commands: issuing one from a page and watching it to its end, the list of commands and one
// command with its result.
import {canOperate, get, post, query} from '../lib/api.js';
import {confirmAction} from '../lib/dialog.js';
import {fields, h, link, notify, section} from '../lib/dom.js';
import {badge, json, time} from '../lib/format.js';
import {onLive} from '../lib/live.js';
import {go, href} from '../lib/router.js';
import {table} from '../lib/table.js';

export const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'expired']);
const STATES = ['queued', 'leased', 'running', 'succeeded', 'failed', 'cancelled', 'expired'];
const WAIT_S = 20; // each ?wait= holds this long at most, then the watch asks again
const PAGE_SIZE = 50;

// POSTs a command; answers the created record. Throws ApiError when refused.
export function issueCommand(body) {
  return post('/api/v1/commands', body);
}

// A card that shows a command and follows it to its end: ?wait= requests, which the master
// answers as soon as the command ends, and the live stream's command events for the states in
// between. It stops when the command ends or `signal` is aborted (the user left the page).
export function commandCard(command, signal) {
  const stateBadge = h('span');
  const body = h('div', {test: 'command-body'});
  const card = h('div', {class: 'command-card', test: 'command-card', 'data-id': command.id},
      h('div', {class: 'head'},
          h('strong', null, command.action),
          link(href(['commands', command.id]), command.id, 'command-link'),
          stateBadge),
      body);
  const show = (c) => {
    stateBadge.replaceChildren(badge(c.state, 'command-state'));
    card.dataset.state = c.state;
    if (c.result !== undefined || c.error !== undefined) body.replaceChildren(...outcome(c));
  };
  show(command);
  const stopLive = onLive((type, data) => {
    if (type === 'command' && data.command_id === command.id && !TERMINAL.has(card.dataset.state)) {
      stateBadge.replaceChildren(badge(data.state, 'command-state'));
      card.dataset.state = data.state;
      // The event is a summary; the watch below fetches the result once it is final.
    }
  });
  (async () => {
    let c = command;
    try {
      while (!TERMINAL.has(c.state) && !signal.aborted) {
        c = await get(`/api/v1/commands/${encodeURIComponent(command.id)}?wait=${WAIT_S}`,
            {signal, wait: true});
        show(c);
      }
    } catch (e) {
      if (e.name !== 'AbortError') {
        body.replaceChildren(h('div', {class: 'failure'}, `Could not follow it: ${e.message}`));
      }
    } finally {
      stopLive();
    }
  })();
  return card;
}

// What a command came to: logs in a <pre>, other results as JSON, the error or the master's
// reason when it failed.
export function outcome(c) {
  const parts = [];
  if (c.error) parts.push(h('div', {class: 'failure', test: 'command-error'}, c.error));
  if (c.reason) parts.push(h('p', {class: 'muted'}, `Ended by the master: ${c.reason}`));
  const r = c.result;
  if (r && typeof r.logs === 'string') {
    parts.push(h('p', {class: 'muted'}, `Logs of ${r.namespace}/${r.pod}` +
        (r.container ? ` (${r.container})` : '') + (r.truncated ? ', truncated' : '')));
    parts.push(h('pre', {test: 'command-logs'}, r.logs || '(no output)'));
  } else if (r !== null && r !== undefined) {
    parts.push(h('pre', {class: 'light', test: 'command-result'}, json(r)));
  }
  return parts;
}

export function commandsView() {
  return {
    name: 'commands', section: 'commands', title: 'Commands',
    toolbar: ({route}) => h('div', null,
        h('div', {class: 'page-head'}, h('h1', null, 'Commands')),
        commandFilters(route.params)),
    load: async ({route, signal}) => {
      const p = route.params;
      const page = await get(`/api/v1/commands${query({state: p.get('state'),
        action: p.get('action'), agent_id: p.get('agent_id'), pool_id: p.get('pool_id'),
        limit: PAGE_SIZE, continue: p.get('continue')})}`, {signal});
      const others = Object.fromEntries(p);
      return h('div', {class: 'card'}, commandsTable(page.items, 'commands'),
          h('div', {class: 'pager'},
              p.get('continue') ? link(href(['commands'], {...others, continue: ''}),
                  '⇤ Newest', 'page-first') : null,
              page.continue ? link(href(['commands'], {...others, continue: page.continue}),
                  'Older →', 'page-next') : null));
    },
    reloadOn: (type) => type === 'command',
  };
}

export function commandsTable(commands, test) {
  return table([
    {title: 'Command', value: (c) => link(href(['commands', c.id]), c.id, 'command-link')},
    {title: 'Action', value: (c) => c.action},
    {title: 'State', value: (c) => badge(c.state, 'command-state')},
    {title: 'Target', value: (c) => targetText(c.target)},
    {title: 'Agent', value: (c) => c.agent_id ? link(href(['agents', c.agent_id]), c.agent_id) :
        ''},
    {title: 'Created', value: (c) => time(c.created_at)},
    {title: 'Finished', value: (c) => time(c.finished_at)},
    {title: 'By', value: (c) => c.created_by},
  ], commands, {test, rowTest: 'command-row', key: (c) => c.id, empty: 'No commands.'});
}

function targetText(t) {
  if (!t) return '';
  if (t.cluster_id) return link(href(['clusters', t.cluster_id]), `cluster ${t.cluster_id}`);
  if (t.pool_id) return link(href(['pools', t.pool_id]), `pool ${t.pool_id}`);
  if (t.agent_id) return link(href(['agents', t.agent_id]), `agent ${t.agent_id}`);
  return t.type || '';
}

function commandFilters(params) {
  const state = h('select', {name: 'state', test: 'filter-state'},
      h('option', {value: ''}, 'any state'),
      STATES.map((s) => h('option', {value: s, selected: params.get('state') === s}, s)));
  const action = h('input', {name: 'action', placeholder: 'scale, get_logs…',
    value: params.get('action') || '', test: 'filter-action'});
  const form = h('form', {class: 'filters'},
      h('label', null, 'State', state), h('label', null, 'Action', action),
      h('button', {type: 'submit', test: 'filter-apply'}, 'Apply'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go(['commands'], {state: state.value, action: action.value.trim(),
      agent_id: params.get('agent_id'), pool_id: params.get('pool_id')});
  });
  return form;
}

export function commandView(id) {
  return {
    name: 'command', section: 'commands', title: id,
    toolbar: () => h('div', {class: 'crumbs'}, link('#/commands', 'Commands'), ' / ', id),
    load: async ({signal, reload}) => {
      const base = `/api/v1/commands/${encodeURIComponent(id)}`;
      const c = await get(base, {signal});
      const log = c.log_size > 0 ? await get(`${base}/logs`, {signal}) : '';
      const cancel = canOperate() && !TERMINAL.has(c.state) ? h('button', {class: 'danger',
        test: 'action-cancel', onclick: () => cancelCommand(c, reload)}, 'Cancel') : null;
      return h('div', null,
          h('div', {class: 'page-head'}, h('h1', {test: 'page-title'}, `${c.action} ${c.id}`),
              badge(c.state, 'command-state'), cancel),
          h('div', {class: 'columns'},
              section('Command', fields([
                ['Target', targetText(c.target)],
                ['Agent', c.agent_id ? link(href(['agents', c.agent_id]), c.agent_id) : null],
                ['Attempts', `${c.attempts} of ${c.max_attempts}`],
                ['Timeout', `${c.timeout_s}s`],
                ['Created', h('span', null, time(c.created_at), ` by ${c.created_by}`)],
                ['Leased', time(c.leased_at)],
                ['Started', time(c.started_at)],
                ['Finished', time(c.finished_at)],
                ['Deadline', time(c.deadline)],
                ['Cancel requested', c.cancel_requested ? 'yes' : null],
                ['Idempotency key', c.idempotency_key],
              ])),
              section('Parameters', h('pre', {class: 'light'}, json(c.params)))),
          section('Outcome', TERMINAL.has(c.state) ? outcome(c) :
              h('p', {class: 'muted'}, 'Not finished yet; this page follows it.')),
          log ? section('Progress log', h('pre', {test: 'command-progress'}, log)) : null);
    },
    reloadOn: (type, data) => type === 'command' && data.command_id === id,
  };
}

async function cancelCommand(c, reload) {
  const ok = await confirmAction({title: `Cancel ${c.action}?`, danger: true,
    message: `Command ${c.id} is ${c.state}. A queued command is cancelled at once; a running ` +
        'one is asked to stop on the agent\'s next poll.', confirmLabel: 'Cancel the command'});
  if (!ok) return;
  try {
    await post(`/api/v1/commands/${encodeURIComponent(c.id)}/cancel`);
  } catch (e) {
    notify(`Not cancelled: ${e.message}`, 'failure');
  }
  reload();
}

// The Corral dashboard's entry point: sign-in, the top bar, hash routing to the views, and the
// live event stream feeding whichever view is shown.
//
// A view is {name, section, title, toolbar?(ctx), load(ctx), reloadOn?(type, data, ctx)}:
// `toolbar` is built once per visit (filters, action buttons, the results of commands issued from
// the page), `load` builds the data part and runs again when `reloadOn` says a live event concerns
// it, so typing in a filter or watching a command is never interrupted by a reload. `ctx` is
// {route, state (shared by toolbar and load), signal (aborted when the user navigates away),
// reload()}.
import {canOperate, session, signIn, signOut, whenSessionEnds, get, query} from './lib/api.js';
import {h, message} from './lib/dom.js';
import {onLive, onLiveState, startLive, stopLive} from './lib/live.js';
import {current} from './lib/router.js';
import {alertsView} from './views/alerts.js';
import {auditView} from './views/audit.js';
import {clusterView, clustersView, kindListView} from './views/cluster.js';
import {commandView, commandsView} from './views/commands.js';
import {agentView, agentsView, poolView, poolsView} from './views/fleet.js';
import {objectView} from './views/object.js';
import {overviewView} from './views/overview.js';

const RELOAD_DELAY_MS = 300; // live events that come together cause one reload

const el = (id) => document.getElementById(id);
let active = null; // the view shown: {view, ctx, content, controller, loading, again, timer}

function resolve(route) {
  const [first, a, b, c, d] = route.parts;
  switch (first) {
    case undefined:
    case 'overview': return overviewView();
    case 'clusters':
      if (a === undefined) return clustersView();
      if (b === undefined) return clusterView(a);
      if (c === undefined) return kindListView(a, b);
      return d === undefined ? objectView(a, b, '', c) : objectView(a, b, c, d);
    case 'agents': return a === undefined ? agentsView() : agentView(a);
    case 'pools': return a === undefined ? poolsView() : poolView(a);
    case 'commands': return a === undefined ? commandsView() : commandView(a);
    case 'alerts': return alertsView();
    case 'audit': return auditView();
    default: return notFoundView();
  }
}

function notFoundView() {
  return {
    name: 'not-found', section: '', title: 'Not found',
    load: async () => h('div', {class: 'card'}, h('h1', null, 'Nothing here'),
        h('p', null, 'This address is not a page of the dashboard. ',
            h('a', {href: '#/overview'}, 'Go to the overview.'))),
  };
}

function showRoute() {
  if (!session.who) return;
  if (active) {
    active.controller.abort();
    clearTimeout(active.timer);
  }
  const route = current();
  const view = resolve(route);
  const controller = new AbortController();
  const entry = {view, controller, loading: false, again: false, timer: null};
  entry.ctx = {route, state: {}, signal: controller.signal, reload: () => load(entry)};
  entry.content = h('div', {test: 'view-content'});
  active = entry;
  // data-route says which address the view belongs to, for the browser test.
  const root = h('div', {test: `view-${view.name}`, 'data-route': route.key},
      view.toolbar ? view.toolbar(entry.ctx) : null, entry.content);
  el('view').replaceChildren(root);
  document.title = `${view.title} · Corral`;
  for (const a of el('nav').querySelectorAll('a')) {
    a.classList.toggle('active', a.dataset.section === view.section);
  }
  entry.content.replaceChildren(message('Loading…', 'muted', 'loading'));
  load(entry);
}

// Runs the view's load; a reload asked for while one runs happens once it ends.
async function load(entry) {
  if (entry.loading) {
    entry.again = true;
    return;
  }
  entry.loading = true;
  try {
    const node = await entry.view.load(entry.ctx);
    if (entry === active) entry.content.replaceChildren(node);
  } catch (e) {
    if (e.name !== 'AbortError' && entry === active) {
      entry.content.replaceChildren(h('div', {class: 'failure', test: 'view-error'},
          e.message || String(e)));
    }
  } finally {
    entry.loading = false;
    if (entry.again && entry === active) {
      entry.again = false;
      load(entry);
    }
  }
}

function onEvent(type, data) {
  if (type === 'alert' || type === 'reset') refreshAlertCount();
  const entry = active;
  if (!entry) return;
  if (type === 'reset' || (entry.view.reloadOn && entry.view.reloadOn(type, data, entry.ctx))) {
    scheduleReload(entry);
  }
}

function scheduleReload(entry) {
  if (entry.timer !== null) return;
  entry.timer = setTimeout(() => {
    entry.timer = null;
    if (entry === active) load(entry);
  }, RELOAD_DELAY_MS);
}

let alertCountBusy = false;
async function refreshAlertCount() {
  if (alertCountBusy) return;
  alertCountBusy = true;
  try {
    const page = await get(`/api/v1/alerts${query({state: 'firing', limit: 500})}`);
    const n = page.items.length;
    const count = el('alert-count');
    count.textContent = page.continue ? `${n}+` : String(n);
    count.hidden = n === 0;
  } catch {
    // The count is a hint; the alerts view shows the error if the master cannot answer.
  } finally {
    alertCountBusy = false;
  }
}

function enter() {
  el('sign-in').hidden = true;
  el('nav').hidden = false;
  el('session').hidden = false;
  const who = session.who;
  el('whoami').textContent = `${who.name || who.token_id} · ${who.role}`;
  el('whoami').title = `token ${who.token_id}; ${canOperate() ? 'may issue commands' :
      'read only'}`;
  startLive(session.token);
  refreshAlertCount();
  if (!location.hash || location.hash === '#' || location.hash === '#/') {
    location.replace('#/overview'); // fires hashchange
  } else {
    showRoute();
  }
}

function showSignIn(reason) {
  stopLive();
  if (active) active.controller.abort();
  active = null;
  el('view').replaceChildren();
  el('nav').hidden = true;
  el('session').hidden = true;
  el('sign-in').hidden = false;
  const error = el('sign-in-error');
  error.textContent = reason || '';
  error.hidden = !reason;
  el('token').value = '';
  el('token').focus();
  document.title = 'Sign in · Corral';
}

async function submitSignIn(event) {
  event.preventDefault();
  const token = el('token').value.trim();
  const button = event.submitter || el('sign-in-form').querySelector('button');
  button.disabled = true;
  try {
    await signIn(token);
    enter();
  } catch (e) {
    const error = el('sign-in-error');
    error.textContent = e.status === 401 ? 'The master does not accept this token.' : e.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function start() {
  el('sign-in-form').addEventListener('submit', submitSignIn);
  el('sign-out').addEventListener('click', () => {
    signOut();
    showSignIn();
  });
  whenSessionEnds((reason) => {
    signOut();
    showSignIn(`Signed out: ${reason}`);
  });
  onLiveState((state) => {
    const live = el('live');
    live.className = `live ${state}`;
    live.textContent = {on: 'live', connecting: 'connecting', off: 'offline'}[state];
    live.dataset.state = state;
    // The browser gave up on the stream: if the token was revoked, this signs out.
    if (state === 'off' && session.who) get('/api/v1/whoami').catch(() => {});
    // A view loaded before the stream opened (or while it was down) may have missed a change:
    // load it again now that the changes from here on will be heard.
    if (state === 'on' && active) {
      scheduleReload(active);
      refreshAlertCount();
    }
  });
  onLive(onEvent);
  window.addEventListener('hashchange', showRoute);
  if (!session.token) {
    showSignIn();
    return;
  }
  try {
    await signIn(session.token);
    enter();
  } catch (e) {
    signOut();
    showSignIn(e.status === 401 ? 'The saved token is no longer valid.' : e.message);
  }
}

start();

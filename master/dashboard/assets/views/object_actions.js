// The commands an operator can issue from an object's page: scale and restart a workload, delete a
// pod, get a pod's logs. Each asks for confirmation (and its values) in the page's dialog, is sent
// to the cluster (the master hands it to a live agent serving that cluster), and is then followed
// on the page until it ends. Viewers get no buttons at all: the master would refuse them anyway.
import {canOperate} from '../lib/api.js';
import {confirmAction} from '../lib/dialog.js';
import {h} from '../lib/dom.js';
import {commandCard, issueCommand} from './commands.js';

const MAX_REPLICAS = 10000; // the agent's own limit

// Each action: {id, label, style, ask(target, detail) -> params | null}. `detail` is the object's
// latest detail answer, or null while it loads.
const scale = (kind) => ({
  id: 'scale', label: 'Scale', style: null,
  ask: async (t, detail) => {
    const current = detail ? detail.object.replicas : undefined;
    const values = await confirmAction({
      title: `Scale ${t.namespace}/${t.name}`,
      message: `The ${kind} has ${current ?? 'an unknown number of'} replicas now. The agent of ` +
          `cluster ${t.cluster} will set the new number.`,
      fields: [{name: 'replicas', label: 'Replicas', type: 'number', value: current ?? 1, min: 0,
        max: MAX_REPLICAS, required: true}],
      confirmLabel: 'Scale'});
    return values && {namespace: t.namespace, name: t.name, kind, replicas: values.replicas};
  },
});

const restart = (kind) => ({
  id: 'restart', label: 'Restart', style: 'secondary',
  ask: async (t) => {
    const ok = await confirmAction({
      title: `Restart ${t.namespace}/${t.name}`,
      message: `Every pod of the ${kind} is replaced, as with kubectl rollout restart.`,
      confirmLabel: 'Restart'});
    return ok && {namespace: t.namespace, name: t.name, kind};
  },
});

const getLogs = {
  id: 'get_logs', label: 'Get logs', style: null,
  ask: async (t, detail) => {
    const pod = detail ? detail.object : {};
    const containers = [...(pod.containers || []), ...(pod.init_containers || [])]
        .map((c) => c.name);
    const fields = [{name: 'tail_lines', label: 'Last lines', type: 'number', value: 200, min: 1,
      max: 100000, required: true}];
    if (containers.length > 0) {
      fields.unshift({name: 'container', label: 'Container', type: 'select', options: containers,
        value: containers[0]});
    }
    const values = await confirmAction({title: `Logs of ${t.namespace}/${t.name}`,
      message: 'The agent reads them from the cluster; they are shown here and kept with the ' +
          'command.', fields, confirmLabel: 'Get logs'});
    return values && {namespace: t.namespace, pod: t.name, container: values.container,
      tail_lines: values.tail_lines};
  },
};

const deletePod = {
  id: 'delete_pod', label: 'Delete pod', style: 'danger',
  ask: async (t) => {
    const ok = await confirmAction({title: `Delete pod ${t.namespace}/${t.name}?`, danger: true,
      message: 'The pod is deleted in the cluster. A pod that belongs to a workload is replaced ' +
          'by a new one; a bare pod is gone.', confirmLabel: 'Delete pod'});
    return ok && {namespace: t.namespace, name: t.name};
  },
};

const ACTIONS = {
  pods: [getLogs, deletePod],
  deployments: [scale('deployment'), restart('deployment')],
  statefulsets: [scale('statefulset'), restart('statefulset')],
  daemonsets: [restart('daemonset')],
};

// The action buttons and the commands issued from this page, or null when there are none for
// this kind or the role may not issue commands. ctx.state.detail is the object as last loaded.
export function actionBar(target, kind, ctx) {
  const actions = ACTIONS[kind];
  if (!actions || !canOperate()) return null;
  const results = h('div', {test: 'command-results'});
  const run = async (action) => {
    const params = await action.ask(target, ctx.state.detail || null);
    if (!params) return;
    try {
      const command = await issueCommand({target: {cluster_id: target.cluster},
        action: action.id, params});
      results.prepend(commandCard(command, ctx.signal));
    } catch (e) {
      results.prepend(h('div', {class: 'failure', test: 'command-error'},
          `${action.label} was not issued: ${e.message}`));
    }
  };
  return h('section', {class: 'card', test: 'actions'},
      h('div', {class: 'actions'}, h('strong', null, 'Actions'),
          actions.map((a) => h('button', {type: 'button', class: a.style,
            test: `action-${a.id}`, onclick: () => run(a)}, a.label))),
      results);
}

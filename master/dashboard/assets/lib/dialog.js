// The in-page confirmation dialog for every action that changes something: it says what will
// happen, may ask for values (replicas, a container, a comment), and resolves with them, or with
// null when cancelled. A <dialog> in the page rather than window.confirm(), so it shows the same
// in every browser, can hold inputs, and can be driven by the browser test.
import {h} from './dom.js';

// options: {title, message, confirmLabel, danger, fields: [{name, label, type: "number" | "text"
//           | "select", value, min, max, required, options: [strings]}]}
export function confirmAction(options) {
  return new Promise((resolve) => {
    const inputs = {};
    const rows = (options.fields || []).map((f) => {
      let input;
      if (f.type === 'select') {
        input = h('select', {name: f.name, test: `confirm-field-${f.name}`},
            f.options.map((o) => h('option', {value: o, selected: o === f.value}, o)));
      } else {
        input = h('input', {name: f.name, type: f.type || 'text', value: f.value ?? '',
          min: f.min, max: f.max, required: f.required, test: `confirm-field-${f.name}`});
      }
      inputs[f.name] = {field: f, input};
      return h('label', null, f.label, input);
    });
    const ok = h('button', {type: 'submit', class: options.danger ? 'danger' : null,
      test: 'confirm-ok'}, options.confirmLabel || 'Confirm');
    const cancel = h('button', {type: 'button', class: 'secondary', test: 'confirm-cancel'},
        'Cancel');
    const form = h('form', {method: 'dialog'},
        h('h2', null, options.title),
        options.message ? h('p', null, options.message) : null,
        rows,
        h('div', {class: 'actions'}, cancel, ok));
    const dialog = h('dialog', {test: 'confirm-dialog'}, form);

    let settled = false;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.reportValidity()) return;
      const values = {};
      for (const [name, {field, input}] of Object.entries(inputs)) {
        values[name] = field.type === 'number' ? Number(input.value) : input.value;
      }
      finish(values);
    });
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', () => finish(null)); // Escape
    document.body.append(dialog);
    dialog.showModal();
    (rows.length ? Object.values(inputs)[0].input : ok).focus();
  });
}

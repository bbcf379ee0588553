// Builds DOM nodes from data without ever parsing data as HTML: text goes in as text nodes and
// attributes through setAttribute, so a pod called "<img src=x onerror=...>" is shown as those
// characters. Nothing in the dashboard hands data to the HTML parser.

// h("a", {href: "#/x", test: "link"}, "text", childNode, [more, children])
// Attributes: `class`, `test` (data-test, for the browser test), `on<event>` functions, booleans
// (true sets an empty attribute, false/null/undefined leave it out), everything else as a string.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'test') {
      el.setAttribute('data-test', value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  appendAll(el, children);
  return el;
}

// Appends nodes and strings (as text), skipping null, undefined and false; arrays are flattened.
export function appendAll(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function link(href, text, test) {
  return h('a', {href, test}, text);
}

export function section(title, ...children) {
  return h('section', {class: 'card'}, title ? h('h2', null, title) : null, ...children);
}

// A <dl> of [label, value] pairs; pairs whose value is null or undefined are left out.
export function fields(pairs, test) {
  const dl = h('dl', {class: 'fields', test});
  for (const [label, value] of pairs) {
    if (value === null || value === undefined) continue;
    dl.append(h('dt', null, label), appendAll(h('dd'), [value]));
  }
  return dl;
}

export function message(text, kind = 'muted', test) {
  return h('p', {class: kind, test}, text);
}

// A message in the corner for a few seconds: what an action came to when the page has no better
// place for it. kind: "notice" | "failure".
export function notify(text, kind = 'notice') {
  let area = document.getElementById('toasts');
  if (!area) {
    area = h('div', {id: 'toasts', class: 'toasts'});
    document.body.append(area);
  }
  const toast = h('div', {class: kind, test: 'toast'}, text);
  area.append(toast);
  setTimeout(() => toast.remove(), 8000);
}

// Hash routing: "#/clusters/prod/pods?namespace=shop" is the route
// {parts: ["clusters", "prod", "pods"], params: URLSearchParams("namespace=shop")}.
// Each part is URI-encoded in the hash, so names with any character round-trip.

export function current() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, search] = splitOnce(hash, '?');
  const parts = path.split('/').filter((p) => p !== '').map(decode);
  return {parts, params: new URLSearchParams(search), key: hash};
}

// "#/a/b?x=1" from parts and an object of parameters (empty values left out).
export function href(parts, params) {
  const path = parts.map((p) => encodeURIComponent(String(p))).join('/');
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const search = q.toString();
  return `#/${path}${search ? `?${search}` : ''}`;
}

export function go(parts, params) {
  location.hash = href(parts, params);
}

function splitOnce(text, separator) {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

function decode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

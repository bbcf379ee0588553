// The session (the operator token and who it is) and every call to the master's API. The token is
// kept in sessionStorage: it lives as long as the browser tab, is not shared with other tabs and
// is sent only to this master, as `Authorization: Bearer` (the event stream alone takes it in its
// URL, see live.js).

const TOKEN_KEY = 'corral.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  token: sessionStorage.getItem(TOKEN_KEY) || '',
  who: null, // {token_id, role, name} from GET /api/v1/whoami
};

let onSessionEnded = () => {};

// Called when the master refuses the token (revoked or expired): the page goes back to sign in.
export function whenSessionEnds(callback) {
  onSessionEnded = callback;
}

// Operators and admins may change things; viewers only look.
export function canOperate() {
  return session.who !== null && (session.who.role === 'operator' || session.who.role === 'admin');
}

// Checks `token` with the master and keeps it for this tab. Throws ApiError when refused.
export async function signIn(token) {
  const who = await call('GET', '/api/v1/whoami', undefined, {token});
  session.token = token;
  session.who = who;
  sessionStorage.setItem(TOKEN_KEY, token);
  return who;
}

export function signOut() {
  session.token = '';
  session.who = null;
  sessionStorage.removeItem(TOKEN_KEY);
}

// "?a=1&b=x" from an object; empty, null and undefined values are left out.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

export function get(path, options) {
  return call('GET', path, undefined, options);
}

export function post(path, body, options) {
  return call('POST', path, body === undefined ? {} : body, options);
}

// One API call. Answers the parsed JSON (a string for text/plain, null for 204); throws ApiError
// with the master's error code and message otherwise. options: {signal, token, wait} — `wait` for
// a long request that must not be answered from the browser's cache.
async function call(method, path, body, options = {}) {
  const token = options.token ?? session.token;
  const init = {
    method,
    headers: {Authorization: `Bearer ${token}`, Accept: 'application/json'},
    // Revalidate every time: the cluster routes answer 304 to a matching ETag, which is cheap.
    cache: options.wait ? 'no-store' : 'no-cache',
    signal: options.signal,
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'unreachable', 'The master did not answer; is it running?');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  const isJson = (response.headers.get('Content-Type') || '').includes('application/json');
  let data = text;
  if (isJson && text) {
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError(response.status, 'bad_answer',
          'The master answered something unreadable.');
    }
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    if (response.status === 401 && options.token === undefined && session.token) {
      onSessionEnded(error.message || 'The token is no longer valid.');
    }
    throw new ApiError(response.status, error.code || `http_${response.status}`,
        error.message || response.statusText);
  }
  return data;
}

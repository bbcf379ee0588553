// The one event stream of the page: GET /api/v1/stream as an EventSource. Views subscribe to the
// events (agent, command, alert, snapshot, reset) and reload what they show; the indicator in the
// top bar says whether the stream is open.
//
// A browser's EventSource cannot send headers, so the token goes in the URL (?access_token=), the
// one route of the master that takes it there; the page is served with Referrer-Policy:
// no-referrer so that URL does not travel further. After a dropped connection the browser
// reconnects by itself and sends Last-Event-ID, so nothing is missed. When the stream is closed
// for good (the master answered 503 because too many streams are open, or refused the token), it
// is opened again after a pause with ?last_event_id=, which resumes at the same place.

const TYPES = ['agent', 'command', 'alert', 'snapshot', 'reset'];
const REOPEN_AFTER_MS = 10000;

let source = null;
let token = '';
let lastEventId = '';
let reopenTimer = null;
const listeners = new Set();
const stateListeners = new Set();

// Opens the stream for `streamToken`, closing any earlier one.
export function startLive(streamToken) {
  closeSource();
  token = streamToken;
  lastEventId = ''; // a new session starts from now; the views load the rest
  open();
}

export function stopLive() {
  closeSource();
  token = '';
  setState('off');
}

function closeSource() {
  clearTimeout(reopenTimer);
  reopenTimer = null;
  if (source) source.close();
  source = null;
}

// listener(type, data) for every event; returns the function that unsubscribes.
export function onLive(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// listener("on" | "connecting" | "off") when the stream's state changes.
export function onLiveState(listener) {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

function open() {
  const params = new URLSearchParams({access_token: token});
  if (lastEventId) params.set('last_event_id', lastEventId);
  setState('connecting');
  const stream = new EventSource(`/api/v1/stream?${params}`);
  source = stream;
  stream.onopen = () => setState('on');
  stream.onerror = () => {
    if (stream !== source) return;
    if (stream.readyState === EventSource.CLOSED) {
      // The browser gave up (an answer other than 200); try again later, from where we were.
      setState('off');
      source = null;
      reopenTimer = setTimeout(() => {
        if (token) open();
      }, REOPEN_AFTER_MS);
    } else {
      setState('connecting'); // the browser reconnects by itself
    }
  };
  for (const type of TYPES) {
    stream.addEventListener(type, (event) => {
      if (event.lastEventId) lastEventId = event.lastEventId;
      let data = null;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      for (const listener of [...listeners]) listener(type, data);
    });
  }
}

function setState(state) {
  for (const listener of [...stateListeners]) listener(state);
}

// Formatting of values for display: times, ages, statuses as coloured badges, label maps.
import {h} from './dom.js';

// "3d", "5h", "12m", "40s" since an RFC 3339 time; "" when unset.
export function age(iso) {
  if (!iso) return '';
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) return '';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

// Local time, to the second; the RFC 3339 value is kept in the title.
export function time(iso) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const pad = (n) => String(n).padStart(2, '0');
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return h('time', {datetime: iso, title: iso}, text);
}

const GOOD = new Set(['ok', 'online', 'running', 'succeeded', 'ready', 'healthy', 'active',
  'resolved', 'normal', 'completed']);
const WARN = new Set(['degraded', 'busy', 'draining', 'warning', 'pending', 'queued', 'leased',
  'stale', 'empty', 'containercreating', 'terminating', 'unknown', 'cancelled', 'expired',
  'schedulingdisabled']);
const BAD = new Set(['offline', 'failed', 'critical', 'down', 'error', 'notready', 'unhealthy',
  'firing', 'crashloopbackoff', 'errimagepull', 'imagepullbackoff', 'oomkilled',
  'unschedulable', 'evicted']);

// The colour a status word deserves; anything with "Err" or "BackOff" in it is bad.
export function tone(status) {
  const s = String(status ?? '').toLowerCase();
  if (GOOD.has(s)) return 'good';
  if (BAD.has(s) || s.includes('err') || s.includes('backoff') || s.startsWith('init:')) {
    return 'bad';
  }
  if (WARN.has(s)) return 'warn';
  return '';
}

export function badge(status, test) {
  const text = status === null || status === undefined || status === '' ? '—' : String(status);
  return h('span', {class: `badge ${tone(status)}`.trim(), test}, text);
}

// Labels or selectors as chips: key=value.
export function chips(map) {
  const entries = Object.entries(map || {});
  if (entries.length === 0) return h('span', {class: 'muted'}, '—');
  return entries.map(([k, v]) => h('span', {class: 'chip'}, v === '' ? k : `${k}=${v}`));
}

export function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function json(value) {
  return JSON.stringify(value, null, 2);
}

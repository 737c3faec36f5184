// Shared by the console's pages. Every piece of data reaches the page as text (textContent or an
// attribute), never as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** An HTML element with attributes and children (nodes or text). */
export function h(tag, attributes = {}, ...children) {
  return build(document.createElement(tag), attributes, children);
}

/** An SVG element with attributes and children (nodes or text). */
export function s(tag, attributes = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attributes, children);
}

/** Calls the console's JSON API; a refusal throws an Error with AWS's name and message. */
export async function api(path, init = {}) {
  const response = await fetch(path, {
    ...init,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(`${body.error ?? response.status}: ${body.message ?? response.statusText}`);
  }
  return body;
}

export function executionPath(executionArn) {
  return `/executions/${encodeURIComponent(executionArn)}`;
}

const SYMBOLS = {
  succeeded: '✓',
  failed: '✗',
  timed_out: '✗',
  running: '●',
  caught: '⚠',
  aborted: '■',
  not_run: '○',
};

export function statusClass(status) {
  return `status-${status.toLowerCase().replace(/ /g, '_')}`;
}

export function statusSymbol(status) {
  return SYMBOLS[status.toLowerCase().replace(/ /g, '_')] ?? '';
}

/** A status as a symbol and a word (never colour alone). */
export function statusBadge(status) {
  return h(
    'span',
    { class: `badge ${statusClass(status)}` },
    h('span', { 'aria-hidden': 'true' }, `${statusSymbol(status)} `),
    status,
  );
}

export function formatDuration(ms) {
  if (ms === undefined || ms === null) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return h(
    'time',
    { datetime: iso },
    date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }),
  );
}

/** A message in an element that is hidden while empty. */
export function show(element, text) {
  element.textContent = text ?? '';
  element.hidden = !text;
}

/**
 * Runs `task` now and every `intervalMs` while the tab is visible and `isActive()` holds; a hidden
 * tab is not polled, and becoming visible again refreshes at once. `now()` during a run queues one
 * more run right after it, so an action's effect is never missed.
 */
export function poll(task, intervalMs, isActive = () => true) {
  let timer;
  let running = false;
  let again = false;
  const run = async () => {
    clearTimeout(timer);
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await task();
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      run();
    } else if (document.visibilityState === 'visible' && isActive()) {
      timer = setTimeout(run, intervalMs);
    }
  };
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && isActive()) run();
    else clearTimeout(timer);
  });
  run();
  return { now: run };
}

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

const RECOVERY_SYMBOLS = { redrivable: '↻', permanent: '⊘', 'not redrivable': '◷' };

/**
 * What a redrive would do for a failed, timed-out or aborted execution (the API's `recovery`, one
 * rule for the list and the execution page): a symbol and words, the reason as its title.
 */
export function recoveryBadge(recovery) {
  if (!recovery) return '';
  return h(
    'span',
    { class: `badge recovery recovery-${recovery.kind.replace(/ /g, '-')}`, title: recovery.reason },
    h('span', { 'aria-hidden': 'true' }, `${RECOVERY_SYMBOLS[recovery.kind] ?? ''} `),
    recovery.kind,
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

/** `2026-11-28 09:00:41Z`: UTC to the second, exactly as the CLI prints times (cli/format.ts formatDate). */
export function utcTime(iso) {
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** A time as a `<time>` element in UTC (see utcTime); empty for none. */
export function formatTime(iso) {
  if (!iso) return '';
  return h('time', { datetime: iso, title: 'UTC' }, utcTime(iso));
}

/** A message in an element that is hidden while empty. */
export function show(element, text) {
  element.textContent = text ?? '';
  element.hidden = !text;
}

/**
 * The state line of a list page (`<p class="list-state" role="status">`) and its table: a loading
 * message until data arrives, then the table with its rows, or no table and the empty message.
 * A failed load ends the loading message (the page shows its error); rows already shown stay.
 */
export function listState(table, line) {
  const set = (state, text) => {
    line.dataset.state = state;
    show(line, text);
  };
  return {
    loading(text) {
      table.hidden = true;
      set('loading', text);
    },
    loaded(count, emptyText) {
      table.hidden = count === 0;
      set(count === 0 ? 'empty' : 'loaded', count === 0 ? emptyText : '');
    },
    failed() {
      if (line.dataset.state === 'loading') set('failed', '');
    },
  };
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

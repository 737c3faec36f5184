import {
  api,
  executionPath,
  formatDuration,
  formatTime,
  h,
  listState,
  poll,
  recoveryBadge,
  show,
  statusBadge,
  utcTime,
} from './common.js';
import { userPath } from './lifecycle.js';

const PAGE_SIZE = 50;
const element = (id) => document.getElementById(id);
const fields = ['q', 'status', 'since', 'until'].map(element);
const autoRefresh = element('auto-refresh');
const body = document.querySelector('#executions tbody');
const state = listState(element('executions'), element('list-state'));
const rows = new Map();

/** ListExecutions tokens: tokens[i] starts page i + 1 (undefined: the newest executions). */
let tokens = [undefined];
let nextToken;
/** Bumped when the filters or the page change: an answer to an older question is dropped. */
let question = 0;

const fromUrl = new URLSearchParams(location.search);
for (const field of fields) field.value = fromUrl.get(field.id) ?? '';

/** The filters as the form holds them now. */
function filters() {
  const query = new URLSearchParams();
  for (const field of fields) if (field.value.trim()) query.set(field.id, field.value.trim());
  return query;
}

/** The filters the list shows (and the URL keeps): a search being typed applies on submit only. */
let applied = filters();

function row(execution) {
  const employee = execution.employee.name ?? execution.name;
  const about = [execution.employee.id, execution.employee.department, execution.eventId].filter(Boolean);
  return h(
    'tr',
    { 'data-arn': execution.executionArn },
    h(
      'td',
      {},
      h('a', { href: executionPath(execution.executionArn) }, employee),
      h('div', { class: 'muted small' }, about.join(' · ')),
    ),
    h('td', {}, execution.userName ? h('a', { href: userPath(execution.userName) }, execution.userName) : ''),
    h(
      'td',
      {},
      statusBadge(execution.status),
      execution.redriveCount > 0 ? ` redriven ×${execution.redriveCount}` : '',
    ),
    h('td', {}, formatTime(execution.startDate)),
    h('td', {}, formatDuration(execution.durationMs)),
    h('td', {}, execution.failedStep ?? ''),
    h('td', {}, recoveryBadge(execution.recovery)),
  );
}

/** Replaces only the rows that changed, so keyboard focus survives a refresh. */
function render(executions) {
  const seen = new Set();
  let previous = null;
  for (const execution of executions) {
    const key = JSON.stringify(execution);
    let current = rows.get(execution.executionArn);
    if (!current || current.key !== key) {
      const element = row(execution);
      if (current) current.element.replaceWith(element);
      current = { key, element };
      rows.set(execution.executionArn, current);
    }
    const expectedPlace = previous ? previous.nextSibling : body.firstChild;
    if (expectedPlace !== current.element) body.insertBefore(current.element, expectedPlace);
    previous = current.element;
    seen.add(execution.executionArn);
  }
  for (const [arn, { element }] of rows) {
    if (seen.has(arn)) continue;
    element.remove();
    rows.delete(arn);
  }
}

function emptyText(page) {
  if (page.nextToken) {
    return `None of the ${page.scanned} executions searched on this page match; Older searches further.`;
  }
  if (tokens.length > 1) return 'No older executions match.';
  return applied.size > 0
    ? 'No executions match these filters.'
    : 'No executions yet. Send a hire (npm run demo) to start one.';
}

function renderPager(page) {
  element('newer').disabled = tokens.length <= 1;
  element('older').disabled = !nextToken;
  if (!page) return;
  if (page.executions.length === 0 && tokens.length <= 1 && !nextToken) {
    element('page-info').textContent = '';
    return;
  }
  const shown = `${page.executions.length} shown`;
  const searched = applied.has('q') ? ` of ${page.scanned} searched` : '';
  element('page-info').textContent = `Page ${tokens.length} · ${shown}${searched}`;
}

async function refresh() {
  const asked = question;
  const query = new URLSearchParams(applied);
  query.set('limit', String(PAGE_SIZE));
  const token = tokens.at(-1);
  if (token) query.set('nextToken', token);
  try {
    const page = await api(`/api/executions?${query}`);
    if (asked !== question) return;
    nextToken = page.nextToken;
    render(page.executions);
    state.loaded(page.executions.length, emptyText(page));
    renderPager(page);
    show(element('error'), '');
    element('updated').textContent = `Updated ${utcTime(new Date().toISOString())}`;
  } catch (error) {
    if (asked !== question) return;
    state.failed();
    show(element('error'), `Could not load executions. ${error.message}`);
  }
}

const poller = poll(refresh, 2000, () => autoRefresh.checked);

/** Shows page `pageTokens` (of the current filters) from scratch, with its loading state. */
function reload(pageTokens) {
  question += 1;
  tokens = pageTokens;
  nextToken = undefined;
  render([]);
  renderPager();
  element('page-info').textContent = '';
  state.loading('Loading executions…');
  poller.now();
}

function filtersChanged() {
  applied = filters();
  const url = new URL(location.href);
  url.search = applied.toString();
  history.replaceState(null, '', url);
  reload([undefined]);
}

element('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  filtersChanged();
});
for (const field of fields) if (field.id !== 'q') field.addEventListener('change', filtersChanged);
element('older').addEventListener('click', () => reload([...tokens, nextToken]));
element('newer').addEventListener('click', () => reload(tokens.slice(0, -1)));
autoRefresh.addEventListener('change', () => poller.now());
element('refresh').addEventListener('click', () => poller.now());

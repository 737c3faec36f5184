import { api, executionPath, formatDuration, formatTime, h, poll, show, statusBadge } from './common.js';

const statusSelect = document.getElementById('status');
const autoRefresh = document.getElementById('auto-refresh');
const body = document.querySelector('#executions tbody');
const rows = new Map();

statusSelect.value = new URLSearchParams(location.search).get('status') ?? '';

function row(execution) {
  const employee = execution.employee.name ?? execution.name;
  return h(
    'tr',
    { 'data-arn': execution.executionArn },
    h(
      'td',
      {},
      h('a', { href: executionPath(execution.executionArn) }, employee),
      h(
        'div',
        { class: 'muted small' },
        execution.employee.id ?? '',
        ' ',
        execution.employee.department ?? '',
      ),
    ),
    h('td', {}, execution.userName ?? ''),
    h(
      'td',
      {},
      statusBadge(execution.status),
      execution.redriveCount > 0 ? ` redriven ×${execution.redriveCount}` : '',
    ),
    h('td', {}, formatTime(execution.startDate)),
    h('td', {}, formatDuration(execution.durationMs)),
    h('td', {}, execution.failedStep ?? ''),
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
  document.getElementById('empty').hidden = executions.length > 0;
}

async function refresh() {
  const query = new URLSearchParams({ limit: '50' });
  if (statusSelect.value) query.set('status', statusSelect.value);
  try {
    const { executions } = await api(`/api/executions?${query}`);
    render(executions);
    show(document.getElementById('error'), '');
    document.getElementById('updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    show(document.getElementById('error'), `Could not load executions. ${error.message}`);
  }
}

const poller = poll(refresh, 2000, () => autoRefresh.checked);

statusSelect.addEventListener('change', () => {
  const url = new URL(location.href);
  if (statusSelect.value) url.searchParams.set('status', statusSelect.value);
  else url.searchParams.delete('status');
  history.replaceState(null, '', url);
  poller.now();
});
autoRefresh.addEventListener('change', () => poller.now());
document.getElementById('refresh').addEventListener('click', () => poller.now());
document.getElementById('filters').addEventListener('submit', (event) => event.preventDefault());

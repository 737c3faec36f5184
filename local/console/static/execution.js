import {
  api,
  formatDuration,
  formatTime,
  h,
  poll,
  recoveryBadge,
  s,
  show,
  statusBadge,
  statusClass,
  statusSymbol,
  utcTime,
} from './common.js';
import { userPath } from './lifecycle.js';

const executionArn = decodeURIComponent(location.pathname.slice('/executions/'.length));
const apiPath = `/api/executions/${encodeURIComponent(executionArn)}`;
const STATE_STATUSES = ['succeeded', 'failed', 'timed out', 'running', 'caught', 'aborted', 'not run'];
const NODE = { width: 176, height: 54, gapX: 36, gapY: 64, margin: 16 };

const element = (id) => document.getElementById(id);
const redriveButton = element('redrive');
const stopButton = element('stop');

let execution;
let renderedSignature = '';
let busy = false;
let activeUntil = 0;
/** Data panels the user opened or closed, by key, kept across refreshes. */
const panelState = new Map();

function panel(key, label, text, openByDefault) {
  const open = panelState.get(key) ?? openByDefault;
  const details = h('details', { 'data-key': key, open }, h('summary', {}, label), h('pre', {}, text));
  details.addEventListener('toggle', () => panelState.set(key, details.open));
  return details;
}

function renderSummary(data) {
  const rows = [
    ['Employee', [data.employee.name ?? '', ' ', h('span', { class: 'muted' }, data.employee.id ?? '')]],
    ['Department', data.employee.department ?? ''],
    [
      'User name',
      data.userName ? h('a', { href: userPath(data.userName) }, data.userName) : 'not created yet',
    ],
    ['Status', [statusBadge(data.status), data.redriveCount > 0 ? ` redriven ×${data.redriveCount}` : '']],
    ['Recovery', data.recovery ? recoveryBadge(data.recovery) : undefined],
    ['Started', formatTime(data.startDate)],
    ['Stopped', data.stopDate ? formatTime(data.stopDate) : '—'],
    ['Duration', formatDuration(data.durationMs)],
    ['Execution', h('code', {}, data.executionArn)],
  ];
  element('summary').replaceChildren(
    ...rows
      .filter(([, value]) => value !== undefined)
      .flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
  );
  const title = `${data.employee.name ?? data.name}: ${data.status.toLowerCase()}`;
  element('title').replaceChildren(data.employee.name ?? data.name, ' ', statusBadge(data.status));
  document.title = `${title} · iam-onboarding ops console`;
}

/** Where and why it stopped: the only place the page names the failed step. */
function renderFailure(data) {
  const failed = Boolean(data.error || data.failedStep);
  element('failure').hidden = !failed;
  if (!failed) return;
  element('failure-details').replaceChildren(
    h('dt', {}, 'Failed step'),
    h('dd', { id: 'failed-step' }, data.failedStep ?? '—'),
    h('dt', {}, 'Error'),
    h('dd', {}, data.error ? h('code', {}, data.error) : '—'),
    h('dt', {}, 'Cause'),
    h('dd', {}, data.readableCause ?? data.cause ?? ''),
  );
}

function nodeBox(node) {
  return {
    x: NODE.margin + node.column * (NODE.width + NODE.gapX),
    y: NODE.margin + node.row * (NODE.height + NODE.gapY),
  };
}

function edgePath(from, to, index, count) {
  const a = nodeBox(from);
  const b = nodeBox(to);
  if (from.row === to.row && to.column > from.column) {
    const y = a.y + NODE.height / 2;
    return `M${a.x + NODE.width},${y} L${b.x - 2},${y}`;
  }
  const endX = b.x + (NODE.width * (index + 1)) / (count + 1);
  const startY = a.y + NODE.height;
  const middleY = (startY + b.y) / 2;
  return `M${a.x + NODE.width / 2},${startY} C${a.x + NODE.width / 2},${middleY} ${endX},${middleY} ${endX},${b.y - 2}`;
}

/** The state machine from its definition, each state filled by its status, catches dashed. */
function renderGraph(graph, states) {
  const status = new Map(states.map((state) => [state.name, state.status]));
  const byName = new Map(graph.nodes.map((node) => [node.name, node]));
  const columns = Math.max(...graph.nodes.map((node) => node.column)) + 1;
  const rows = Math.max(...graph.nodes.map((node) => node.row)) + 1;
  const width = NODE.margin * 2 + columns * NODE.width + (columns - 1) * NODE.gapX;
  const height = NODE.margin * 2 + rows * NODE.height + (rows - 1) * NODE.gapY;
  const arrow = (id, colour) =>
    s(
      'marker',
      { id, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }),
    );
  const edges = graph.edges.map((edge) => {
    const incoming = graph.edges.filter((other) => other.to === edge.to && !isStraight(other, byName));
    const path = edgePath(
      byName.get(edge.from),
      byName.get(edge.to),
      incoming.indexOf(edge),
      incoming.length,
    );
    return s('path', { class: `edge ${edge.kind}`, d: path, 'marker-end': `url(#arrow-${edge.kind})` });
  });
  const nodes = graph.nodes.map((node) => {
    const { x, y } = nodeBox(node);
    const nodeStatus = status.get(node.name) ?? 'not run';
    return s(
      'a',
      { href: `#step-${node.name}`, 'aria-label': `${node.name}: ${nodeStatus}` },
      s(
        'g',
        { class: `node ${statusClass(nodeStatus)}` },
        s('title', {}, `${node.name} (${node.type}): ${nodeStatus}`),
        s('rect', { x, y, width: NODE.width, height: NODE.height, rx: 6 }),
        s('text', { class: 'name', x: x + 10, y: y + 22 }, node.name),
        s('text', { x: x + 10, y: y + 42 }, `${statusSymbol(nodeStatus)} ${nodeStatus}`),
      ),
    );
  });
  const svg = s(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, width, height, role: 'group', 'aria-labelledby': 'graph-heading' },
    s('defs', {}, arrow('arrow-next', '#444'), arrow('arrow-catch', '#b45309')),
    ...edges,
    ...nodes,
  );
  element('graph').replaceChildren(svg);
}

function isStraight(edge, byName) {
  const from = byName.get(edge.from);
  const to = byName.get(edge.to);
  return from.row === to.row && to.column > from.column;
}

function renderLegend() {
  element('legend').replaceChildren(
    ...STATE_STATUSES.map((status) => h('li', {}, statusBadge(status))),
    h('li', { class: 'muted small' }, 'Solid arrow: next state. Dashed arrow: Catch of a permanent error.'),
  );
}

function renderSteps(states) {
  element('steps')
    .querySelector('tbody')
    .replaceChildren(
      ...states.map((state) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row', id: `step-${state.name}` }, state.name),
          h('td', {}, statusBadge(state.status)),
          h('td', {}, attemptsText(state.attempts)),
          h('td', {}, formatDuration(state.durationMs)),
          h('td', {}, state.error ? [h('code', {}, state.error), h('div', {}, state.cause ?? '')] : ''),
        ),
      ),
    );
}

function attemptsText(attempts) {
  if (attempts <= 1) return String(attempts);
  return `${attempts} (${attempts - 1} ${attempts === 2 ? 'retry' : 'retries'})`;
}

function eventItem(event) {
  const label = [event.stateName];
  if (event.attempt > 1) label.push(`retry ${event.attempt - 1}`);
  return h(
    'li',
    {
      class: event.error ? 'failure' : undefined,
      'data-search': `${event.stateName ?? ''} ${event.type}`.toLowerCase(),
    },
    h('span', { class: 'when', title: utcTime(event.timestamp) }, `+${formatDuration(event.elapsedMs)}`),
    h('span', { class: 'type' }, event.type),
    label.filter(Boolean).length ? ` · ${label.filter(Boolean).join(' · ')}` : '',
    event.error ? h('div', {}, h('code', {}, event.error), event.cause ? `: ${event.cause}` : '') : '',
    event.input ? panel(`${event.id}-input`, 'Input', event.input, false) : '',
    event.output
      ? panel(`${event.id}-output`, 'Output', event.output, event.type === 'LambdaFunctionSucceeded')
      : '',
  );
}

function render(data) {
  renderSummary(data);
  renderFailure(data);
  renderGraph(data.graph, data.states);
  renderSteps(data.states);
  element('timeline').replaceChildren(...data.events.map(eventItem));
  filterTimeline();
  element('execution-input').querySelector('pre').textContent = data.input;
  element('execution-output').hidden = data.output === undefined;
  element('execution-output').querySelector('pre').textContent = data.output ?? '';
}

/** Shows the events whose state name or type contains the filter's text, and how many of all. */
function filterTimeline() {
  const text = element('timeline-filter').value.trim().toLowerCase();
  const items = [...element('timeline').children];
  let shown = 0;
  for (const item of items) {
    item.hidden = !item.dataset.search.includes(text);
    if (!item.hidden) shown += 1;
  }
  element('timeline-count').textContent = `${shown} of ${items.length} events shown`;
}

/** Why Redrive is off (the list's recovery rule): AWS's reason, or a permanent failure. */
function redriveHint(data) {
  if (data.recovery?.kind === 'permanent') {
    return `Failed permanently at ${data.failedStep} (reported by NotifyOps): a redrive would only run ${data.resumesAt} again. Fix the cause (the access profile, the HR data), then have HR send a new event.`;
  }
  if (data.recovery?.kind === 'not redrivable') return data.recovery.reason;
  return data.recovery || data.status === 'RUNNING' ? '' : (data.redriveStatusReason ?? '');
}

function renderActions() {
  const redrivable = execution?.recovery?.kind === 'redrivable';
  redriveButton.disabled = busy || !redrivable;
  stopButton.disabled = busy || execution?.status !== 'RUNNING';
  element('action-hint').textContent = execution ? redriveHint(execution) : '';
}

async function refresh() {
  try {
    execution = await api(apiPath);
    const signature = `${execution.status} ${execution.redriveCount} ${execution.events.length}`;
    if (signature !== renderedSignature) {
      render(execution);
      renderedSignature = signature;
    }
    show(element('error'), '');
  } catch (error) {
    show(element('error'), `Could not load the execution. ${error.message}`);
  }
  renderActions();
}

const poller = poll(refresh, 2000, () => execution?.status === 'RUNNING' || Date.now() < activeUntil);

async function act(action, label, done) {
  busy = true;
  renderActions();
  show(element('action-error'), '');
  element('action-status').textContent = '';
  try {
    await api(`${apiPath}/${action}`, { method: 'POST', body: '{}' });
    element('action-status').textContent = done;
  } catch (error) {
    show(element('action-error'), `${label} refused. ${error.message}`);
  } finally {
    busy = false;
    activeUntil = Date.now() + 10_000;
    poller.now();
  }
}

redriveButton.addEventListener('click', () =>
  act('redrive', 'Redrive', 'Redrive started: the execution resumes at the step that failed.'),
);
stopButton.addEventListener('click', () => act('stop', 'Stop', 'Stop requested.'));
element('expand').addEventListener('click', () => {
  for (const details of document.querySelectorAll('#timeline details, #main > section details')) {
    details.open = true;
    if (details.dataset.key) panelState.set(details.dataset.key, true);
  }
});
element('timeline-filter').addEventListener('input', filterTimeline);
renderLegend();

import { api, executionPath, formatTime, h, show, statusBadge } from './common.js';
import { lifecycleBadge } from './lifecycle.js';

const element = (id) => document.getElementById(id);
const userName = decodeURIComponent(location.pathname.slice('/users/'.length));

function table(id, headers, rows) {
  return h(
    'table',
    { id },
    h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell))))),
  );
}

/** `users show`'s sections: "Groups (1)" and a table, or "none". */
function section(title, id, headers, rows) {
  return [
    h('h2', {}, `${title} (${rows.length})`),
    rows.length === 0 ? h('p', { class: 'muted' }, 'none') : table(id, headers, rows),
  ];
}

function summary(page) {
  const { report } = page;
  const rows = [
    ['Person', page.person ?? 'unknown'],
    ['User name', report.userName],
    ['ARN', h('code', {}, report.arn ?? '')],
    ['Path', report.path ?? ''],
    ['Created', formatTime(report.createDate)],
    ['Permissions boundary', report.permissionsBoundary ?? 'none'],
    ['Console access', page.consoleAccess],
    ['Console last sign-in', page.lastSignIn],
  ];
  return rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]);
}

function executionRows(executions) {
  return executions.map((execution) => [
    h('a', { href: executionPath(execution.executionArn) }, execution.name),
    statusBadge(execution.status),
    formatTime(execution.startDate),
    execution.failedStep ?? '',
  ]);
}

async function load() {
  try {
    const page = await api(`/api/users/${encodeURIComponent(userName)}`);
    const { report } = page;
    document.title = `${report.userName} · iam-onboarding ops console`;
    element('title').textContent = report.userName;
    element('state').replaceChildren(
      lifecycleBadge(page.lifecycle),
      ' ',
      h('span', { class: 'muted', id: 'state-reason' }, page.lifecycle.reason),
    );
    element('summary').replaceChildren(...summary(page));
    const groups = report.groups.map((group) => [group.name, group.policies.join(', ') || '-']);
    element('groups').replaceChildren(...section('Groups', 'group-table', ['Group', 'Policies'], groups));
    const policies = report.attachedPolicies.map((policy) => [policy.name, policy.arn ?? '']);
    element('policies').replaceChildren(
      ...section('Policies attached directly', 'policy-table', ['Policy', 'ARN'], policies),
    );
    const tags = report.tags.map((tag) => [tag.key, tag.value]);
    element('tags').replaceChildren(...section('Tags', 'tag-table', ['Key', 'Value'], tags));
    element('executions').replaceChildren(
      ...section(
        'Executions that touched this user',
        'execution-table',
        ['Execution', 'Status', 'Started (UTC)', 'Failed step'],
        executionRows(page.executions),
      ),
    );
  } catch (error) {
    show(element('error'), `Could not load the user. ${error.message}`);
  } finally {
    element('loading').hidden = true;
  }
}

load();

import { api, executionPath, formatTime, h, listState, show } from './common.js';
import { lifecycleBadge, userPath } from './lifecycle.js';

const PASSWORD_STATUS = {
  'reset pending': ['reset pending', 'a new password at first sign-in'],
  active: ['active', ''],
  none: ['none', 'no console access'],
};

const list = (items) => h('ul', { class: 'plain' }, ...items.map((item) => h('li', {}, item)));
const policyName = (arn) => arn.slice(arn.lastIndexOf('/') + 1);

function passwordStatus(loginProfile) {
  const [status, detail] = PASSWORD_STATUS[loginProfile] ?? [loginProfile, ''];
  return [status, detail ? h('div', { class: 'muted small' }, detail) : ''];
}

function row(user) {
  return h(
    'tr',
    { id: `user-${user.userName}` },
    h('th', { scope: 'row', title: user.arn }, h('a', { href: userPath(user.userName) }, user.userName)),
    h('td', {}, user.person ?? ''),
    h('td', {}, lifecycleBadge(user.lifecycle)),
    h(
      'td',
      {},
      user.tags.employeeId ?? '',
      h('div', { class: 'muted small' }, user.tags.department ?? ''),
      user.executionArn ? h('a', { href: executionPath(user.executionArn) }, 'first execution') : '',
    ),
    h('td', {}, list(user.groups)),
    h('td', {}, list(user.policies.map((policy) => h('span', { title: policy.arn }, policy.name)))),
    h(
      'td',
      {},
      user.permissionsBoundaryArn
        ? h('span', { title: user.permissionsBoundaryArn }, policyName(user.permissionsBoundaryArn))
        : 'none',
    ),
    h('td', {}, ...passwordStatus(user.loginProfile)),
    h('td', {}, formatTime(user.createDate)),
  );
}

const state = listState(document.getElementById('users'), document.getElementById('list-state'));

async function refresh() {
  try {
    const { users } = await api('/api/users');
    document.querySelector('#users tbody').replaceChildren(...users.map(row));
    state.loaded(users.length, 'No onboarded users yet: a hire that reaches CreateUser makes one.');
    show(document.getElementById('error'), '');
  } catch (error) {
    state.failed();
    show(document.getElementById('error'), `Could not load users. ${error.message}`);
  }
}

document.getElementById('refresh').addEventListener('click', refresh);
refresh();

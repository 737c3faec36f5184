import { api, formatTime, h, listState, poll, show } from './common.js';
import { userPath } from './lifecycle.js';

const element = (id) => document.getElementById(id);
const input = element('q');
const state = listState(element('mail'), element('list-state'));
input.value = new URLSearchParams(location.search).get('q') ?? '';

function messagePath(messageId) {
  return `/mailbox/${encodeURIComponent(messageId)}`;
}

function row(email) {
  return h(
    'tr',
    { 'data-message-id': email.messageId },
    h('td', {}, formatTime(email.at)),
    h('td', {}, email.to.join(', ')),
    h('td', {}, h('a', { href: messagePath(email.messageId) }, email.subject || '(no subject)')),
    h('td', {}, email.userName ? h('a', { href: userPath(email.userName) }, email.userName) : ''),
  );
}

async function refresh() {
  const query = input.value.trim();
  try {
    const { emails } = await api(`/api/mail${query ? `?q=${encodeURIComponent(query)}` : ''}`);
    // A search typed while this request ran wins: its own refresh renders it.
    if (query !== input.value.trim()) return;
    document.querySelector('#mail tbody').replaceChildren(...emails.map(row));
    state.loaded(emails.length, query ? `No email matches “${query}”.` : 'No emails yet.');
    element('count').textContent = `${emails.length} email${emails.length === 1 ? '' : 's'}`;
    show(element('error'), '');
  } catch (error) {
    state.failed();
    show(element('error'), `Could not read the mailbox. ${error.message}`);
  }
}

const polling = poll(refresh, 3000);
element('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const query = input.value.trim();
  history.replaceState(null, '', query ? `?q=${encodeURIComponent(query)}` : location.pathname);
  polling.now();
});
element('refresh').addEventListener('click', () => polling.now());

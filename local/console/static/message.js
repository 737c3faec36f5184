import { api, executionPath, formatTime, h, show } from './common.js';
import { userPath } from './lifecycle.js';

const element = (id) => document.getElementById(id);
const messageId = decodeURIComponent(location.pathname.slice('/mailbox/'.length));

function summary(email) {
  const rows = [
    ['From', email.from],
    ['To', email.to.join(', ')],
    ['Cc', email.cc.join(', ') || undefined],
    ['Bcc', email.bcc.join(', ') || undefined],
    ['Received', formatTime(email.at)],
    ['Message ID', h('code', {}, email.messageId)],
    [
      'Execution',
      email.executionArn
        ? h('a', { href: executionPath(email.executionArn) }, email.executionArn.split(':').at(-1))
        : 'none found',
    ],
    ['User', email.userName ? h('a', { href: userPath(email.userName) }, email.userName) : 'none named'],
  ];
  return rows
    .filter(([, value]) => value !== undefined)
    .flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]);
}

/**
 * The HTML part in a sandboxed frame: `sandbox` without tokens (no scripts, no forms, no
 * navigation of this page, an opaque origin), and the page's own CSP (inherited by srcdoc) loads
 * nothing from the network. Its source is shown as text too.
 */
function htmlPart(html) {
  if (html === undefined) return [h('p', { class: 'muted' }, 'This email has no HTML part.')];
  const frame = h('iframe', {
    class: 'html-part',
    id: 'html-frame',
    sandbox: '',
    referrerpolicy: 'no-referrer',
    title: 'The HTML part, rendered without scripts',
  });
  frame.srcdoc = html;
  return [frame, h('details', {}, h('summary', {}, 'HTML source'), h('pre', { id: 'html-source' }, html))];
}

async function load() {
  try {
    const email = await api(`/api/mail/${encodeURIComponent(messageId)}`);
    document.title = `${email.subject} · iam-onboarding ops console`;
    element('title').textContent = email.subject || '(no subject)';
    element('summary').replaceChildren(...summary(email));
    element('text-part').replaceChildren(
      email.text === undefined
        ? h('p', { class: 'muted' }, 'This email has no text part.')
        : h('pre', { id: 'text' }, email.text),
    );
    element('html-part').replaceChildren(...htmlPart(email.html));
  } catch (error) {
    show(element('error'), `Could not load the email. ${error.message}`);
  } finally {
    element('loading').hidden = true;
  }
}

load();

import { h } from './common.js';

const SYMBOLS = { active: '✓', onboarding: '●', failed: '✗', disabled: '■' };

/** A user's lifecycle state as a symbol and a word (never colour alone), the reason as its title. */
export function lifecycleBadge(lifecycle) {
  return h(
    'span',
    { class: `badge state-${lifecycle.state}`, title: lifecycle.reason },
    h('span', { 'aria-hidden': 'true' }, `${SYMBOLS[lifecycle.state] ?? ''} `),
    lifecycle.state,
  );
}

export function userPath(userName) {
  return `/users/${encodeURIComponent(userName)}`;
}

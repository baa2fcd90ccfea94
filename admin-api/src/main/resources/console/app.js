import * as admin from './admin.js';
import { ApiError, currentSession, signIn, signOut } from './api.js';
import * as catalog from './catalog.js';
import { h } from './dom.js';
import * as events from './events.js';
import * as subscriptions from './subscriptions.js';

// Each page module exports `routes`: [{ hash: '#/x' (exact) or prefix: '#/x/' (the rest, decoded, is ctx.rest),
// render: async (ctx) }] and `nav`: [{ href, label, audience: 'all' | 'admin' }]. The first route that matches wins;
// ctx is { main, announce, session, rest, query: URLSearchParams of the part after '?', isAdmin }.
const modules = [catalog, subscriptions, events, admin];
const routes = modules.flatMap((m) => m.routes || []);

const main = document.getElementById('main');
const errorBox = document.getElementById('error');
const statusBox = document.getElementById('status');
let session = null;

function announce(text) {
  statusBox.textContent = text;
}

function showError(error) {
  const problem = error instanceof ApiError ? error.problem : {};
  errorBox.textContent = problem.title ? `${problem.title}: ${error.message}` : error.message;
  errorBox.hidden = false;
}

function clearError() {
  errorBox.hidden = true;
  errorBox.textContent = '';
}

function showNav() {
  const isAdmin = session !== null && session.caller.kind === 'admin';
  const links = modules.flatMap((m) => m.nav || [])
    .filter((link) => link.audience !== 'admin' || isAdmin)
    .map((link) => h('a', { href: link.href }, link.label));
  document.getElementById('nav').replaceChildren(...links);
}

function match(hash) {
  const path = hash.includes('?') ? hash.slice(0, hash.indexOf('?')) : hash;
  for (const candidate of routes) {
    if (candidate.hash !== undefined && candidate.hash === path) {
      return { route: candidate, rest: '' };
    }
    if (candidate.prefix !== undefined && path.startsWith(candidate.prefix) && path.length > candidate.prefix.length) {
      return { route: candidate, rest: decodeURIComponent(path.slice(candidate.prefix.length)) };
    }
  }
  return null;
}

function showCaller() {
  const signedIn = session !== null;
  showNav();
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('who').hidden = !signedIn;
  document.getElementById('caller').textContent = signedIn
    ? `Signed in as ${session.caller.kind === 'app' ? `app ${session.caller.app}` : 'admin'}` : '';
}

function signInPage() {
  const token = h('input', {
    id: 'token', name: 'token', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'token-hint',
  });
  const button = h('button', { type: 'submit', id: 'sign-in' }, 'Sign in');
  const form = h('form', {
    class: 'card sign-in',
    onsubmit: async (event) => {
      event.preventDefault();
      clearError();
      button.disabled = true;
      try {
        session = await signIn(token.value);
        token.value = '';
        showCaller();
        announce('Signed in');
        if (location.hash && match(location.hash) !== null) {
          await route();
        } else {
          location.hash = '#/catalog';
        }
      } catch (e) {
        showError(e);
        token.focus();
      } finally {
        button.disabled = false;
      }
    },
  },
  h('h1', {}, 'Sign in'),
  h('label', { for: 'token' }, 'Token'),
  token,
  h('p', { id: 'token-hint', class: 'hint' },
    'The admin token, or one of your app\'s tokens. It is sent once to start a session and is not kept by the browser.'),
  button);
  main.replaceChildren(form);
  token.focus();
}

async function route() {
  clearError();
  if (session === null) {
    signInPage();
    return;
  }
  const hash = location.hash || '#/catalog';
  try {
    const found = match(hash) || match('#/catalog');
    const query = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
    await found.route.render({
      main, announce, session, rest: found.rest, query, isAdmin: session.caller.kind === 'admin',
    });
    window.scrollTo(0, 0);
    main.focus({ preventScroll: true });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      session = null;
      showCaller();
      signInPage();
    }
    showError(e);
  }
}

document.getElementById('sign-out').addEventListener('click', async () => {
  clearError();
  try {
    await signOut();
  } catch (e) {
    showError(e);
  }
  session = null;
  showCaller();
  announce('Signed out');
  signInPage();
});

window.addEventListener('hashchange', route);

try {
  session = await currentSession();
} catch (e) {
  showError(e);
}
showCaller();
await route();

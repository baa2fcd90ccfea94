import { ApiError, currentSession, signIn, signOut } from './api.js';
import { catalogPage, typePage } from './catalog.js';
import { h } from './dom.js';

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

function showCaller() {
  const signedIn = session !== null;
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
        if (location.hash.startsWith('#/catalog') || location.hash.startsWith('#/types/')) {
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
    if (hash.startsWith('#/types/')) {
      await typePage(main, decodeURIComponent(hash.slice('#/types/'.length)), announce);
    } else {
      const query = hash.includes('?') ? new URLSearchParams(hash.slice(hash.indexOf('?') + 1)).get('q') : '';
      await catalogPage(main, query || '', announce);
    }
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

// Platform administration: event types and apps registered, dead letters, approvals, the audit log and the API documents.
import { api, ApiError } from './api.js';
import { h, table } from './dom.js';

export const routes = [
  { hash: '#/admin/types/new', render: (ctx) => typeFormPage(ctx) },
  { hash: '#/admin/apps', render: (ctx) => appsPage(ctx) },
  { hash: '#/admin/apps/new', render: (ctx) => appFormPage(ctx) },
  { prefix: '#/admin/apps/', render: (ctx) => appPage(ctx) },
  { hash: '#/admin/dead-letters', render: (ctx) => deadLettersPage(ctx) },
  { hash: '#/admin/requests', render: (ctx) => requestsPage(ctx) },
  { hash: '#/admin/audit', render: (ctx) => auditPage(ctx) },
  { hash: '#/api', render: (ctx) => apiPage(ctx) },
];

export const nav = [
  { href: '#/admin/types/new', label: 'Register a type', audience: 'admin' },
  { href: '#/admin/apps', label: 'Apps', audience: 'admin' },
  { href: '#/admin/dead-letters', label: 'Dead letters', audience: 'admin' },
  { href: '#/admin/requests', label: 'Approvals', audience: 'admin' },
  { href: '#/admin/audit', label: 'Audit', audience: 'admin' },
  { href: '#/api', label: 'API', audience: 'all' },
];

const PAGE = '50';

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers (exported for the other areas where they fit).

/** A form control with its label and a place for its own error, tied together by ids for assistive technology. */
export function field(id, label, control, hint) {
  const error = h('p', { id: `${id}-error`, class: 'field-error', hidden: true });
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  control.setAttribute('id', id);
  control.setAttribute('aria-describedby', describedBy);
  return {
    control,
    error,
    element: h('div', { class: 'field' },
      h('label', { for: id }, label),
      control,
      hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null,
      error),
  };
}

function showFieldError(f, messages) {
  f.error.textContent = messages.join(' ');
  f.error.hidden = false;
  f.control.setAttribute('aria-invalid', 'true');
}

function clearFieldError(f) {
  f.error.textContent = '';
  f.error.hidden = true;
  f.control.removeAttribute('aria-invalid');
}

/**
 * Places a problem's errors at the fields their pointers name (`/noun`, `/sensitiveFields/1/path`); what no field
 * takes goes to the form's summary, which lists every error with a link to its field.
 */
function showProblem(summary, problem, locate) {
  const items = [];
  const errors = Array.isArray(problem.errors) && problem.errors.length ? problem.errors
    : [{ pointer: problem.parameter ? `/${problem.parameter}` : '', detail: problem.detail || problem.title || 'refused' }];
  const byField = new Map();
  for (const e of errors) {
    const f = locate(e.pointer || '');
    const text = `${e.pointer ? `${e.pointer}: ` : ''}${e.detail}`;
    if (f) {
      byField.set(f, [...(byField.get(f) || []), text]);
      items.push(h('li', {}, h('a', { href: `#${f.control.id}`, onclick: (ev) => { ev.preventDefault(); f.control.focus(); } },
        text)));
    } else {
      items.push(h('li', {}, text));
    }
  }
  byField.forEach((messages, f) => showFieldError(f, messages));
  summary.replaceChildren(
    h('h2', {}, problem.title ? `${problem.title}: the form was not sent` : 'The form was not sent'),
    h('ul', {}, items));
  summary.hidden = false;
  summary.focus();
}

function problemOf(e) {
  if (e instanceof ApiError) {
    return e.problem && Object.keys(e.problem).length ? e.problem : { title: `HTTP ${e.status}`, detail: e.message };
  }
  throw e;
}

function errorSummary() {
  return h('div', { class: 'error-summary', role: 'alert', tabindex: -1, hidden: true });
}

function lines(text) {
  return text.split(/[\n,]/).map((x) => x.trim()).filter((x) => x !== '');
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function list(values) {
  return values && values.length ? h('ul', { class: 'plain' }, values.map((v) => h('li', {}, h('code', {}, v)))) : '—';
}

/** The hash of `base` with `params` as its query, leaving out empty values. */
function withQuery(base, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') {
      q.set(k, v);
    }
  }
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

function pager(label, links) {
  const shown = links.filter(Boolean);
  // An empty string rather than null: replaceChildren would show null as text.
  return shown.length ? h('nav', { class: 'pager row', 'aria-label': label }, shown) : '';
}

function adminOnly(ctx, title) {
  if (ctx.isAdmin) {
    return false;
  }
  ctx.main.replaceChildren(h('h1', {}, title), h('p', { class: 'empty' }, 'Only the admin may use this page.'));
  ctx.announce(`${title}: only the admin may use this page`);
  return true;
}

/** A secret shown once: its value selectable, a copy hint, and nothing kept anywhere but this element. */
function secretBox(title, rows) {
  return h('section', { class: 'secret', 'aria-labelledby': 'secret-h' },
    h('h2', { id: 'secret-h' }, h('span', { class: 'badge' }, 'Shown once'), ` ${title}`),
    h('p', {}, 'Copy these now: they are not stored by the console and the platform cannot show them again. ',
      'Select a value and press Ctrl+C (⌘C on a Mac), or use its Copy button.'),
    h('dl', { class: 'facts' }, rows.map(([term, value, id]) => {
      const out = h('input', { id, type: 'text', readonly: true, value, class: 'secret-value', spellcheck: 'false',
        autocomplete: 'off', 'aria-label': term });
      const status = h('span', { class: 'hint', role: 'status' });
      const copy = h('button', {
        type: 'button', class: 'link-button',
        onclick: async () => {
          out.select();
          try {
            await navigator.clipboard.writeText(value);
            status.textContent = 'Copied';
          } catch (e) {
            status.textContent = 'Selected: press Ctrl+C to copy';
          }
        },
      }, `Copy ${term.toLowerCase()}`);
      return [h('dt', {}, term), h('dd', { class: 'row' }, out, copy, status)];
    })));
}

function secretRows(created) {
  const rows = [['Token id', created.tokenId, 'secret-token-id'], ['Token', created.token, 'secret-token']];
  if (created.kafka) {
    rows.push(['Kafka username', created.kafka.username, 'secret-kafka-username']);
    rows.push(['Kafka password', created.kafka.password, 'secret-kafka-password']);
    rows.push(['Kafka mechanism', created.kafka.mechanism, 'secret-kafka-mechanism']);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Register an event type.

const STORE_POLICIES = ['REDACT', 'REMOVE', 'KEEP', 'NONE'];

async function typeFormPage(ctx) {
  if (adminOnly(ctx, 'Register an event type')) {
    return;
  }
  const text = (name, attrs = {}) => h('input', { type: 'text', name, autocomplete: 'off', spellcheck: 'false', ...attrs });
  const f = {
    noun: field('type-noun', 'Noun', text('noun', { required: true, placeholder: 'Claim' })),
    verb: field('type-verb', 'Verb', text('verb', { required: true, placeholder: 'Submitted' })),
    object: field('type-object', 'Object', text('object', { required: true, placeholder: 'Reconsideration' }),
      'Each part starts with a capital letter, then letters, digits or -.'),
    description: field('type-description', 'Description', h('textarea', { name: 'description', rows: 2 })),
    owner: field('type-owner', 'Owner', text('owner', { placeholder: 'claims-team' })),
    schema: field('type-schema', 'JSON Schema', h('textarea', { name: 'schema', rows: 12, class: 'code', required: true,
      spellcheck: 'false' }), 'Draft 4, 6 or 7; no remote $ref. Checked as JSON before it is sent.'),
    sensitiveFields: field('type-sensitive', 'Sensitive fields', h('div', { class: 'rows', tabindex: -1 }),
      'A JSON Pointer into the body (* for array elements) and its classification (PHI, PII, PCI, ...).'),
    retentionDays: field('type-retention', 'Retention in the event store (days)',
      h('input', { type: 'number', name: 'retentionDays', min: 1, max: 3650, placeholder: '90' }),
      '1 to 3650; 90 when empty.'),
    storePolicy: field('type-store-policy', 'Store policy',
      h('select', { name: 'storePolicy' }, STORE_POLICIES.map((p) => h('option', { value: p }, p))),
      'What the event store keeps of sensitive fields: REDACT masks them, REMOVE drops them, KEEP keeps them, NONE stores no event.'),
    example: field('type-example', 'Example', h('textarea', { name: 'example', rows: 6, class: 'code', spellcheck: 'false' }),
      'Optional; JSON that must match the schema.'),
  };
  const sensitiveRows = [];
  const rowsBox = f.sensitiveFields.control;
  const classifications = h('datalist', { id: 'classifications' },
    ['PHI', 'PII', 'PCI'].map((c) => h('option', { value: c })));
  const addRow = (path = '', classification = 'PHI') => {
    const n = sensitiveRows.length;
    const row = {
      path: field(`type-sensitive-${n}-path`, `Field ${n + 1} path`,
        h('input', { type: 'text', value: path, placeholder: '/member/ssn', spellcheck: 'false', autocomplete: 'off' })),
      classification: field(`type-sensitive-${n}-classification`, `Field ${n + 1} classification`,
        h('input', { type: 'text', value: classification, list: 'classifications', autocomplete: 'off' })),
    };
    row.element = h('div', { class: 'sensitive-row row' }, row.path.element, row.classification.element,
      h('button', {
        type: 'button', class: 'link-button',
        onclick: () => {
          sensitiveRows.splice(sensitiveRows.indexOf(row), 1);
          row.element.remove();
          ctx.announce(`Sensitive field ${n + 1} removed`);
        },
      }, `Remove field ${n + 1}`));
    sensitiveRows.push(row);
    rowsBox.appendChild(row.element);
    return row;
  };
  const add = h('button', { type: 'button', class: 'link-button', onclick: () => addRow().path.control.focus() },
    'Add a sensitive field');
  const summary = errorSummary();
  const submit = h('button', { type: 'submit' }, 'Register the event type');
  const all = () => [...Object.values(f), ...sensitiveRows.flatMap((r) => [r.path, r.classification])];

  const locate = (pointer) => {
    const parts = pointer.split('/');
    const member = parts[1];
    if (member === 'sensitiveFields' && parts.length > 2) {
      const row = sensitiveRows[Number(parts[2])];
      if (row) {
        return parts[3] === 'classification' ? row.classification : row.path;
      }
    }
    return f[member] || null;
  };

  const form = h('form', {
    class: 'card admin-form', novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      all().forEach(clearFieldError);
      summary.hidden = true;
      const body = {
        noun: f.noun.control.value.trim(),
        verb: f.verb.control.value.trim(),
        object: f.object.control.value.trim(),
        storePolicy: f.storePolicy.control.value,
      };
      const local = [];
      for (const [member, control] of [['description', f.description], ['owner', f.owner]]) {
        if (control.control.value.trim()) {
          body[member] = control.control.value.trim();
        }
      }
      for (const member of ['schema', 'example']) {
        const raw = f[member].control.value.trim();
        if (raw === '') {
          if (member === 'schema') {
            local.push({ pointer: '/schema', detail: 'is required: a JSON Schema object' });
          }
          continue;
        }
        try {
          body[member] = JSON.parse(raw);
        } catch (e) {
          local.push({ pointer: `/${member}`, detail: `is not JSON (${e.message})` });
        }
      }
      if (f.retentionDays.control.value.trim()) {
        body.retentionDays = Number(f.retentionDays.control.value);
      }
      body.sensitiveFields = sensitiveRows
        .filter((r) => r.path.control.value.trim() || r.classification.control.value.trim())
        .map((r) => ({ path: r.path.control.value.trim(), classification: r.classification.control.value.trim() }));
      if (local.length) {
        showProblem(summary, { title: 'Not JSON', errors: local }, locate);
        ctx.announce('The form has errors');
        return;
      }
      submit.disabled = true;
      try {
        const created = await api.post('/v1/event-types', body);
        ctx.announce(`${created.eventType} registered`);
        location.hash = `#/types/${encodeURIComponent(created.eventType)}`;
      } catch (e) {
        showProblem(summary, problemOf(e), locate);
        ctx.announce('The event type was not registered');
      } finally {
        submit.disabled = false;
      }
    },
  },
  summary,
  h('fieldset', {}, h('legend', {}, 'Name'), h('div', { class: 'row name-parts' }, f.noun.element, f.verb.element,
    f.object.element)),
  f.description.element, f.owner.element, f.schema.element,
  h('fieldset', {}, h('legend', {}, 'Sensitive fields'), f.sensitiveFields.element, add, classifications),
  h('div', { class: 'row' }, f.retentionDays.element, f.storePolicy.element),
  f.example.element,
  submit);
  // The group's own label names a div; the legend says it for the fieldset.
  f.sensitiveFields.element.querySelector('label').remove();
  ctx.main.replaceChildren(
    h('p', { class: 'crumbs' }, h('a', { href: '#/catalog' }, 'Event catalog'), ' / Register an event type'),
    h('h1', {}, 'Register an event type'),
    h('p', { class: 'hint' }, 'POST /v1/event-types: the type becomes version 1. Every error is shown at its field.'),
    form);
  ctx.announce('Register an event type');
}

// ---------------------------------------------------------------------------------------------------------------
// Apps.

async function appsPage(ctx) {
  if (adminOnly(ctx, 'Apps')) {
    return;
  }
  const answer = await api.get('/v1/apps');
  const apps = [...answer.items].sort((a, b) => a.id.localeCompare(b.id));
  ctx.main.replaceChildren(
    h('h1', {}, 'Apps'),
    h('p', {}, h('a', { href: '#/admin/apps/new', class: 'button-link' }, 'Register an app')),
    h('p', { class: 'count' }, `${apps.length} app${apps.length === 1 ? '' : 's'}`),
    table('Registered apps', ['App', 'Team', 'May publish', 'May read', 'Tokens', 'Registered'],
      apps.map((a) => [
        h('a', { href: `#/admin/apps/${encodeURIComponent(a.id)}` }, a.id),
        a.team || '—',
        list(a.publish),
        list(a.read),
        String(a.tokens.length),
        a.createdAt || '—',
      ]), 'No app is registered yet.'));
  ctx.announce(`${apps.length} apps listed`);
}

async function appFormPage(ctx) {
  if (adminOnly(ctx, 'Register an app')) {
    return;
  }
  const f = {
    id: field('app-id', 'App id', h('input', { type: 'text', required: true, autocomplete: 'off', spellcheck: 'false',
      placeholder: 'claims-portal' }), 'A lower-case letter, then lower-case letters, digits or -.'),
    team: field('app-team', 'Team', h('input', { type: 'text', autocomplete: 'off', placeholder: 'claims' })),
    publish: field('app-publish', 'May publish', h('textarea', { rows: 3, class: 'code', spellcheck: 'false' }),
      'Event type patterns, one a line: Claim.*.* or Claim.Submitted.Reconsideration.'),
    read: field('app-read', 'May read', h('textarea', { rows: 3, class: 'code', spellcheck: 'false' }),
      'Read clearances, one a line: a classification (PHI) or a field path (/member/ssn).'),
    rateLimit: field('app-rate', 'Publish rate limit (events per second)',
      h('input', { type: 'number', min: 1 }), 'Empty: the intake\'s default.'),
    burst: field('app-burst', 'Burst', h('input', { type: 'number', min: 1 })),
  };
  const summary = errorSummary();
  const submit = h('button', { type: 'submit' }, 'Register the app');
  const locate = (pointer) => {
    const parts = pointer.split('/');
    if (parts[1] === 'rateLimit') {
      return parts[2] === 'burst' ? f.burst : f.rateLimit;
    }
    return f[parts[1]] || null;
  };
  const form = h('form', {
    class: 'card admin-form', novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      Object.values(f).forEach(clearFieldError);
      summary.hidden = true;
      const body = {
        id: f.id.control.value.trim(),
        publish: lines(f.publish.control.value),
        read: lines(f.read.control.value),
      };
      if (f.team.control.value.trim()) {
        body.team = f.team.control.value.trim();
      }
      if (f.rateLimit.control.value || f.burst.control.value) {
        body.rateLimit = { eventsPerSecond: Number(f.rateLimit.control.value), burst: Number(f.burst.control.value) };
      }
      submit.disabled = true;
      try {
        const created = await api.post('/v1/apps', body);
        ctx.main.replaceChildren(
          h('p', { class: 'crumbs' }, h('a', { href: '#/admin/apps' }, 'Apps'), ' / ', created.id),
          h('h1', {}, `App ${created.id} registered`),
          secretBox(`The credentials of ${created.id}`, secretRows(created)),
          h('p', {}, h('a', { href: `#/admin/apps/${encodeURIComponent(created.id)}` }, `Go to ${created.id}`),
            ' (its page lists token ids, never tokens).'));
        ctx.announce(`App ${created.id} registered; its token is shown once`);
        document.getElementById('secret-token').focus();
      } catch (e) {
        showProblem(summary, problemOf(e), locate);
        ctx.announce('The app was not registered');
      } finally {
        submit.disabled = false;
      }
    },
  },
  summary, f.id.element, f.team.element, f.publish.element, f.read.element,
  h('div', { class: 'row' }, f.rateLimit.element, f.burst.element),
  submit);
  ctx.main.replaceChildren(
    h('p', { class: 'crumbs' }, h('a', { href: '#/admin/apps' }, 'Apps'), ' / Register an app'),
    h('h1', {}, 'Register an app'),
    h('p', { class: 'hint' }, 'POST /v1/apps: the answer holds the app\'s first token (and Kafka credentials where they are on), shown once.'),
    form);
  ctx.announce('Register an app');
}

async function appPage(ctx) {
  if (adminOnly(ctx, 'App')) {
    return;
  }
  const id = ctx.rest;
  const app = await api.get(`/v1/apps/${encodeURIComponent(id)}`);
  const secret = h('div', { id: 'app-secret' });
  const tokens = h('div', { id: 'app-tokens' });
  const message = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const path = `/v1/apps/${encodeURIComponent(id)}/tokens`;

  const renderTokens = (list) => {
    tokens.replaceChildren(table(`Tokens of ${id}`, ['Token id', 'Issued', 'Action'], list.map((t) => {
      const cell = h('div', { class: 'row' });
      const ask = h('button', {
        type: 'button', class: 'link-button',
        onclick: () => {
          const confirm = h('button', {
            type: 'button', class: 'danger',
            onclick: async () => {
              confirm.disabled = true;
              message.hidden = true;
              try {
                await api.delete(`${path}/${encodeURIComponent(t.id)}`);
                const fresh = await api.get(`/v1/apps/${encodeURIComponent(id)}`);
                renderTokens(fresh.tokens);
                ctx.announce(`Token ${t.id} revoked`);
              } catch (e) {
                const problem = problemOf(e);
                message.textContent = `${problem.title || 'Refused'}: ${problem.detail || ''}`;
                message.hidden = false;
                confirm.disabled = false;
              }
            },
          }, `Revoke ${t.id}`);
          const cancel = h('button', {
            type: 'button', class: 'link-button',
            onclick: () => { cell.replaceChildren(ask); ask.focus(); },
          }, 'Cancel');
          cell.replaceChildren(h('span', { class: 'confirm' },
            'Revoke this token? Callers and console sessions using it are refused from their next call. '),
          confirm, cancel);
          confirm.focus();
        },
      }, `Revoke ${t.id}…`);
      cell.replaceChildren(ask);
      return [h('code', {}, t.id), t.createdAt || '—', cell];
    }), 'The app has no token.'));
  };

  const issue = h('button', {
    type: 'button',
    onclick: async () => {
      issue.disabled = true;
      message.hidden = true;
      try {
        const created = await api.post(path);
        secret.replaceChildren(secretBox(`A new token of ${id}`, secretRows(created)));
        const fresh = await api.get(`/v1/apps/${encodeURIComponent(id)}`);
        renderTokens(fresh.tokens);
        ctx.announce(`Token ${created.tokenId} issued; it is shown once`);
        document.getElementById('secret-token').focus();
      } catch (e) {
        const problem = problemOf(e);
        message.textContent = `${problem.title || 'Refused'}: ${problem.detail || ''}`;
        message.hidden = false;
      } finally {
        issue.disabled = false;
      }
    },
  }, 'Issue a token');

  ctx.main.replaceChildren(
    h('p', { class: 'crumbs' }, h('a', { href: '#/admin/apps' }, 'Apps'), ' / ', app.id),
    h('h1', {}, app.id),
    h('section', { 'aria-labelledby': 'app-def-h' },
      h('h2', { id: 'app-def-h' }, 'Definition'),
      h('dl', { class: 'facts' },
        fact('Team', app.team || '—'),
        fact('May publish', list(app.publish)),
        fact('May read', list(app.read)),
        fact('Rate limit', app.rateLimit ? `${app.rateLimit.eventsPerSecond}/s, burst ${app.rateLimit.burst}`
          : 'the intake\'s default'),
        fact('Registered', app.createdAt || '—'),
        fact('Updated', app.updatedAt || '—'))),
    h('section', { 'aria-labelledby': 'app-tokens-h' },
      h('h2', { id: 'app-tokens-h' }, 'Tokens'),
      h('p', { class: 'hint' }, 'Token ids only: a token is shown once, when it is issued.'),
      message, secret, tokens, issue));
  renderTokens(app.tokens);
  ctx.announce(`App ${app.id} loaded`);
}

// ---------------------------------------------------------------------------------------------------------------
// Dead letters.

async function deadLettersPage(ctx) {
  if (adminOnly(ctx, 'Dead letters')) {
    return;
  }
  const q = {
    subscription: ctx.query.get('subscription') || '',
    from: ctx.query.get('from') || '',
    to: ctx.query.get('to') || '',
  };
  const form = searchForm('#/admin/dead-letters', [
    textField('dl', 'subscription', 'Subscription', q.subscription, 'Empty: every subscription.'),
    textField('dl', 'from', 'From', q.from, 'ISO-8601, e.g. 2026-12-06T00:00:00Z; empty: a day before To.'),
    textField('dl', 'to', 'To', q.to, 'Exclusive; empty: now.'),
  ]);
  const results = h('div', { id: 'dead-letters' });
  ctx.main.replaceChildren(
    h('h1', {}, 'Dead letters'),
    h('p', { class: 'hint' }, 'Copies the router could not deliver, across subscriptions, newest first (GET /v1/deliveries).'),
    form, results);
  const page = await api.get(withQuery('/v1/deliveries', {
    outcome: 'DEAD_LETTERED', ...q, limit: PAGE, cursor: ctx.query.get('cursor'),
  }));
  const rows = page.deliveries.map((d) => [
    d.receivedAt || '—',
    h('a', { href: `#/events/${encodeURIComponent(d.eventId)}` }, h('code', {}, d.eventId)),
    d.eventType || '—',
    h('a', { href: `#/subscriptions/${encodeURIComponent(d.subscription)}` }, d.subscription),
    d.app || '—',
    d.reason || '—',
    d.detail || '—',
  ]);
  results.replaceChildren(
    h('p', { class: 'count' }, `${rows.length} dead letter${rows.length === 1 ? '' : 's'} on this page`),
    table('Dead-lettered deliveries, newest first',
      ['Received', 'Event', 'Type', 'Subscription', 'App', 'Reason', 'Detail'], rows,
      'No delivery was dead-lettered in this range.'),
    pager('Dead letter pages', [
      ctx.query.get('cursor') ? h('a', { href: withQuery('#/admin/dead-letters', q) }, 'Newest') : null,
      page.nextCursor ? h('a', { href: withQuery('#/admin/dead-letters', { ...q, cursor: page.nextCursor }) }, 'Older')
        : null,
    ]));
  ctx.announce(`${rows.length} dead letters listed`);
}

/** A text field of a search form. */
function textField(prefix, name, label, value, hint) {
  return [name, field(`${prefix}-${name}`, label, h('input', { type: 'text', name, value, autocomplete: 'off',
    spellcheck: 'false' }), hint)];
}

/** A search form whose values go to the hash query (so a search can be bookmarked and paged), in the fields' order. */
function searchForm(base, fields) {
  return h('form', {
    class: 'card search-form', role: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      const params = {};
      for (const [name, f] of fields) {
        params[name] = f.control.value.trim();
      }
      location.hash = withQuery(base, params);
    },
  }, h('div', { class: 'row fields' }, fields.map(([, f]) => f.element)), h('button', { type: 'submit' }, 'Search'));
}

// ---------------------------------------------------------------------------------------------------------------
// Approvals.

const DECIDED = ['APPROVED', 'REJECTED', 'WITHDRAWN'];

async function requestsPage(ctx) {
  if (adminOnly(ctx, 'Approvals')) {
    return;
  }
  const state = DECIDED.includes(ctx.query.get('state')) ? ctx.query.get('state') : 'APPROVED';
  const pendingCursor = ctx.query.get('pending');
  const decidedCursor = ctx.query.get('cursor');
  const [pending, decided] = await Promise.all([
    api.get(withQuery('/v1/requests', { state: 'PENDING', limit: PAGE, cursor: pendingCursor })),
    api.get(withQuery('/v1/requests', { state, limit: PAGE, cursor: decidedCursor })),
  ]);
  const here = (params) => withQuery('#/admin/requests', { state, pending: pendingCursor, cursor: decidedCursor,
    ...params });
  const stateSelect = field('requests-state', 'Show', h('select', {
    onchange: (e) => { location.hash = withQuery('#/admin/requests', { state: e.target.value }); },
  }, DECIDED.map((s) => h('option', { value: s, selected: s === state }, s.toLowerCase()))));
  ctx.main.replaceChildren(
    h('h1', {}, 'Approvals'),
    h('p', { class: 'hint' }, 'Requests apps filed: subscriptions (when eventing.approvals.subscriptions is on) and grants.'),
    h('section', { 'aria-labelledby': 'pending-h' },
      h('h2', { id: 'pending-h' }, 'Pending'),
      pending.items.length
        ? h('div', { class: 'requests' }, pending.items.map((r) => requestCard(r, ctx, true)))
        : h('p', { class: 'empty' }, 'No request is waiting for a decision.'),
      pager('Pending pages', [
        pendingCursor ? h('a', { href: here({ pending: null }) }, 'Newest pending') : null,
        pending.next ? h('a', { href: here({ pending: pending.next }) }, 'Older pending') : null,
      ])),
    h('section', { 'aria-labelledby': 'decided-h' },
      h('h2', { id: 'decided-h' }, 'Decided'),
      stateSelect.element,
      decided.items.length
        ? h('div', { class: 'requests' }, decided.items.map((r) => requestCard(r, ctx, false)))
        : h('p', { class: 'empty' }, `No request is ${state.toLowerCase()}.`),
      pager('Decided pages', [
        decidedCursor ? h('a', { href: here({ cursor: null }) }, 'Newest') : null,
        decided.next ? h('a', { href: here({ cursor: decided.next }) }, 'Older') : null,
      ])));
  ctx.announce(`${pending.items.length} pending requests`);
}

function requestCard(r, ctx, decidable) {
  const asks = r.kind === 'subscription'
    ? [h('h4', {}, `Subscription ${r.subscription ? r.subscription.id : ''}`),
      h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(r.subscription, null, 2))]
    : [h('dl', { class: 'facts' },
      fact('Publish', list(r.publish)),
      fact('Read', list(r.read)),
      fact('Reason', r.reason || '—'))];
  const card = h('article', { class: 'card request', 'aria-labelledby': `req-${r.id}-h` },
    h('h3', { id: `req-${r.id}-h` }, `${r.kind === 'grant' ? 'Grant' : 'Subscription'} for ${r.app}`,
      h('span', { class: `state state-${r.state.toLowerCase()}` }, r.state)),
    h('dl', { class: 'facts' },
      fact('Request', h('code', {}, r.id)),
      fact('Requested', `${r.requestedAt} by ${r.requestedBy}`),
      r.decidedAt ? fact('Decided', `${r.decidedAt} by ${r.decidedBy}`) : null,
      r.decisionNote ? fact('Note', r.decisionNote) : null,
      r.result ? fact('Result', h('code', {}, JSON.stringify(r.result))) : null),
    h('h4', {}, 'It asks for'),
    asks);
  if (decidable) {
    card.appendChild(decisionForm(r, ctx));
  }
  return card;
}

function decisionForm(r, ctx) {
  const note = field(`req-${r.id}-note`, 'Note (a reason is required to reject)',
    h('textarea', { rows: 2, maxlength: 2000 }));
  const summary = errorSummary();
  const decide = async (verb) => {
    clearFieldError(note);
    summary.hidden = true;
    const text = note.control.value.trim();
    if (verb === 'reject' && !text) {
      showProblem(summary, { title: 'A reason is needed', errors: [{ pointer: '/note', detail: 'say why the request is rejected' }] },
        () => note);
      return;
    }
    try {
      await api.post(`/v1/requests/${encodeURIComponent(r.id)}/${verb}`, text ? { note: text } : {});
      ctx.announce(`Request ${r.id} ${verb === 'approve' ? 'approved' : 'rejected'}`);
      await requestsPage(ctx);
    } catch (e) {
      showProblem(summary, problemOf(e), (pointer) => (pointer === '/note' ? note : null));
    }
  };
  return h('div', { class: 'decision' }, summary, note.element,
    h('div', { class: 'row' },
      h('button', { type: 'button', onclick: () => decide('approve') }, `Approve ${r.id}`),
      h('button', { type: 'button', class: 'danger', onclick: () => decide('reject') }, `Reject ${r.id}`)));
}

// ---------------------------------------------------------------------------------------------------------------
// Audit.

const RESOURCE_TYPES = ['event-type', 'app', 'app-token', 'kafka-credentials', 'subscription', 'aggregation', 'replay',
  'registry-subject', 'registry-config', 'session', 'request'];
const ACTIONS = ['create', 'update', 'delete', 'rotate', 'revoke', 'cancel', 'sign-in', 'sign-out', 'approve', 'reject',
  'withdraw'];

async function auditPage(ctx) {
  if (adminOnly(ctx, 'Audit')) {
    return;
  }
  const q = {};
  for (const name of ['type', 'id', 'actor', 'action', 'from', 'to']) {
    q[name] = ctx.query.get(name) || '';
  }
  const choice = (name, label, values) => [name, field(`audit-${name}`, label, h('select', { name },
    h('option', { value: '' }, 'any'), values.map((v) => h('option', { value: v, selected: v === q[name] }, v))))];
  const form = searchForm('#/admin/audit', [
    choice('type', 'Resource type', RESOURCE_TYPES),
    textField('audit', 'id', 'Resource id', q.id, 'With a resource type.'),
    textField('audit', 'actor', 'Actor', q.actor, 'admin, service, anonymous or app:<id>.'),
    choice('action', 'Action', ACTIONS),
    textField('audit', 'from', 'From', q.from, 'ISO-8601 with an offset.'),
    textField('audit', 'to', 'To', q.to, 'Exclusive.'),
  ]);
  const results = h('div', { id: 'audit-results' });
  ctx.main.replaceChildren(h('h1', {}, 'Audit log'), form, results);
  const resource = q.type ? (q.id ? `${q.type}/${q.id}` : q.type) : '';
  const page = await api.get(withQuery('/v1/audit', {
    resource, actor: q.actor, action: q.action, from: q.from, to: q.to, limit: PAGE, cursor: ctx.query.get('cursor'),
  }));
  results.replaceChildren(
    h('p', { class: 'count' }, `${page.entries.length} entr${page.entries.length === 1 ? 'y' : 'ies'} on this page`),
    page.entries.length ? h('div', {}, page.entries.map(auditEntry))
      : h('p', { class: 'empty' }, 'No entry matches.'),
    pager('Audit pages', [
      ctx.query.get('cursor') ? h('a', { href: withQuery('#/admin/audit', q) }, 'Newest') : null,
      page.nextCursor ? h('a', { href: withQuery('#/admin/audit', { ...q, cursor: page.nextCursor }) }, 'Older') : null,
    ]));
  ctx.announce(`${page.entries.length} audit entries`);
}

const MARK = { added: '+', removed: '−', changed: '~' };

function auditEntry(e) {
  const changes = changed(e.before, e.after);
  return h('article', { class: 'audit-entry card', 'aria-labelledby': `audit-${e.id}-h` },
    h('h2', { id: `audit-${e.id}-h` }, `${e.action} ${e.resourceType}/${e.resourceId}`),
    h('dl', { class: 'facts' },
      fact('At', e.at),
      fact('Actor', `${e.actor}${e.session ? ' (console session)' : ''}`),
      fact('From', `${e.remoteAddress || '—'}${e.userAgent ? ` · ${e.userAgent}` : ''}`),
      fact('Request id', e.requestId ? h('code', {}, e.requestId) : '—'),
      fact('Entry', h('code', {}, e.id))),
    h('div', { class: 'side-by-side' },
      h('div', {}, h('h3', {}, 'Before'), state(e.before, `audit-${e.id}-before`)),
      h('div', {}, h('h3', {}, 'After'), state(e.after, `audit-${e.id}-after`))),
    changes.length
      ? h('table', { class: 'diff' },
        h('caption', {}, `${changes.length} member${changes.length === 1 ? '' : 's'} changed`),
        h('thead', {}, h('tr', {}, ['Member', 'Change', 'Before', 'After'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, changes.map((c) => h('tr', { class: `change-${c.change}` },
          h('td', {}, h('code', {}, c.path)),
          h('td', {}, h('span', { class: 'marker', 'aria-hidden': 'true' }, MARK[c.change]), ` ${c.change}`),
          h('td', {}, c.before === undefined ? '' : h('code', {}, c.before)),
          h('td', {}, c.after === undefined ? '' : h('code', {}, c.after))))))
      : h('p', { class: 'empty' }, 'No member changed.'));
}

function state(value, id) {
  return value === null || value === undefined
    ? h('p', { class: 'empty', id }, 'none')
    : h('pre', { class: 'json', id, tabindex: 0 }, JSON.stringify(value, null, 2));
}

/**
 * The members that differ between two states, by JSON Pointer: objects are walked member by member (to a depth of
 * four, so that a schema shows as its top-level parts), anything else is compared as JSON. The schema diff of diff.js
 * reads JSON Schemas only; an audit state is any resource's view.
 */
export function changed(before, after) {
  const a = new Map();
  const b = new Map();
  flatten(before, '', a, 0);
  flatten(after, '', b, 0);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out = [];
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    if (x === y) {
      continue;
    }
    out.push({ path: path || '/', change: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed', before: x,
      after: y });
  }
  return out;
}

function flatten(value, at, out, depth) {
  if (value === null || value === undefined) {
    return;
  }
  if (typeof value === 'object' && !Array.isArray(value) && depth < 4 && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) {
      flatten(v, `${at}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, out, depth + 1);
    }
    return;
  }
  out.set(at, JSON.stringify(value));
}

// ---------------------------------------------------------------------------------------------------------------
// The API documents.

const DOCUMENTS = {
  admin: { path: '/openapi.json', label: 'Admin API' },
  intake: { path: '/openapi/intake.json', label: 'Intake API' },
};
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'];

async function apiPage(ctx) {
  const which = DOCUMENTS[ctx.query.get('doc')] ? ctx.query.get('doc') : 'admin';
  const doc = await api.get(DOCUMENTS[which].path);
  const operations = operationsOf(doc);
  const filter = h('input', { type: 'search', value: ctx.query.get('q') || '', autocomplete: 'off', spellcheck: 'false' });
  const filterField = field('api-filter', 'Filter operations', filter,
    'Matches method, path, summary, tag and operation id, ignoring case.');
  const body = h('div', { id: 'api-operations' });
  const count = h('p', { class: 'count', 'aria-live': 'polite' });
  const render = () => {
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const shown = operations.filter((o) => words.every((w) => o.text.includes(w)));
    const tags = new Map();
    for (const o of shown) {
      tags.set(o.tag, [...(tags.get(o.tag) || []), o]);
    }
    count.textContent = `${shown.length} of ${operations.length} operations`;
    body.replaceChildren(...[...tags.entries()].map(([tag, ops]) => {
      const tagInfo = (doc.tags || []).find((t) => t.name === tag);
      return h('section', { 'aria-labelledby': `tag-${tag}-h`, class: 'api-tag' },
        h('h2', { id: `tag-${tag}-h` }, tag),
        tagInfo && tagInfo.description ? h('p', { class: 'hint' }, tagInfo.description) : null,
        ops.map((o) => operationView(doc, o)));
    }));
  };
  filter.addEventListener('input', render);
  ctx.main.replaceChildren(
    h('h1', {}, DOCUMENTS[which].label),
    h('nav', { class: 'row doc-switch', 'aria-label': 'API documents' },
      Object.entries(DOCUMENTS).map(([key, d]) => h('a', {
        href: `#/api?doc=${key}`, 'aria-current': key === which ? 'page' : false,
      }, d.label)),
      h('a', { href: DOCUMENTS[which].path }, `${DOCUMENTS[which].path} (raw)`)),
    h('p', { class: 'hint' }, `${doc.info.title} ${doc.info.version} · OpenAPI ${doc.openapi}`),
    h('form', { role: 'search', onsubmit: (e) => e.preventDefault() }, filterField.element),
    count, body);
  render();
  ctx.announce(`${DOCUMENTS[which].label}: ${operations.length} operations`);
}

function operationsOf(doc) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths || {})) {
    const shared = item.parameters || [];
    for (const method of METHODS) {
      const op = item[method];
      if (!op) {
        continue;
      }
      const tag = (op.tags && op.tags[0]) || 'other';
      out.push({
        method: method.toUpperCase(), path, op, tag, shared,
        text: [method, path, op.summary, op.operationId, ...(op.tags || [])].join(' ').toLowerCase(),
      });
    }
  }
  return out;
}

/** Follows a local `$ref` (`#/components/...`) to what it names; a remote or broken one is left as it is. */
export function resolve(doc, node, seen = new Set()) {
  if (!node || typeof node !== 'object' || typeof node.$ref !== 'string' || !node.$ref.startsWith('#/')) {
    return node;
  }
  if (seen.has(node.$ref)) {
    return node;
  }
  seen.add(node.$ref);
  let target = doc;
  for (const raw of node.$ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!target || typeof target !== 'object' || !(key in target)) {
      return node;
    }
    target = target[key];
  }
  return resolve(doc, target, seen);
}

function refName(node) {
  return node && typeof node.$ref === 'string' ? node.$ref.slice(node.$ref.lastIndexOf('/') + 1) : null;
}

function schemaText(doc, schema) {
  if (!schema) {
    return '—';
  }
  const name = refName(schema);
  const s = resolve(doc, schema);
  const parts = [];
  if (s.type) {
    parts.push(Array.isArray(s.type) ? s.type.join(' | ') : s.type);
  }
  if (s.type === 'array' && s.items) {
    parts[0] = `array of ${schemaText(doc, s.items)}`;
  }
  if (s.format) {
    parts.push(`(${s.format})`);
  }
  if (Array.isArray(s.enum)) {
    parts.push(`one of ${s.enum.join(', ')}`);
  }
  const combinator = ['allOf', 'oneOf', 'anyOf'].find((k) => Array.isArray(s[k]));
  const text = parts.join(' ')
    || (combinator ? `${combinator} ${s[combinator].map((b) => refName(b) || 'object').join(', ')}` : 'any');
  return name ? `${name}: ${text}` : text;
}

function operationView(doc, o) {
  const { op } = o;
  const id = `op-${o.method}-${o.path}`.replace(/[^A-Za-z0-9_-]/g, '-');
  const params = [...o.shared, ...(op.parameters || [])].map((p) => resolve(doc, p));
  const request = op.requestBody ? resolve(doc, op.requestBody) : null;
  const requestRows = request && request.content ? Object.entries(request.content).map(([type, media]) => [
    h('code', {}, type), refName(media.schema) || schemaText(doc, media.schema), request.required ? 'yes' : 'no',
  ]) : [];
  const responses = Object.entries(op.responses || {}).map(([status, raw]) => {
    const r = resolve(doc, raw);
    const problems = r['x-problem-types'] || [];
    const content = r.content ? Object.values(r.content)[0] : null;
    return [
      h('code', {}, status),
      r.description || '',
      content && content.schema ? (refName(content.schema) || schemaText(doc, content.schema)) : '—',
      problems.length ? h('ul', { class: 'plain' }, problems.map((p) => h('li', {},
        h('code', {}, p.includes(':') ? p : `urn:eventing:problem:${p}`)))) : '—',
    ];
  });
  return h('details', { class: 'operation', id },
    h('summary', {},
      h('span', { class: `method method-${o.method.toLowerCase()}` }, o.method), ' ',
      h('code', { class: 'op-path' }, o.path), ' ',
      h('span', { class: 'op-summary' }, op.summary || '')),
    op.description ? h('p', { class: 'op-description' }, op.description) : null,
    h('h3', {}, 'Parameters'),
    table(`Parameters of ${o.method} ${o.path}`, ['Name', 'In', 'Required', 'Schema'],
      params.map((p) => [h('code', {}, p.name), p.in, p.required ? 'yes' : 'no', schemaText(doc, p.schema)]),
      'No parameters.'),
    h('h3', {}, 'Request body'),
    table(`Request body of ${o.method} ${o.path}`, ['Media type', 'Schema', 'Required'], requestRows, 'No request body.'),
    h('h3', {}, 'Responses'),
    table(`Responses of ${o.method} ${o.path}`, ['Status', 'Meaning', 'Schema', 'Problem types'], responses,
      'No responses listed.'),
    h('p', { class: 'hint' }, `Access: ${(op.security || doc.security || []).map((s) => Object.keys(s).join(' + ')).join(', ') || 'open'}`));
}

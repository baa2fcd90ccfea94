// Self-service: an app's subscriptions, the subscription form with its backtest preview, lag, deliveries and replays.
// Every rule shown here is the API's: the pages call /v1/subscriptions, /v1/subscriptions/backtest, /v1/replays and
// /v1/catalog with the session, and show the API's own problems, inline at the member a 422 names.
import { ApiError, api, searchCatalog } from './api.js';
import { h, table } from './dom.js';

export const routes = [
  { hash: '#/subscriptions', render: (ctx) => listPage(ctx) },
  { hash: '#/subscriptions/new', render: (ctx) => formPage(ctx) },
  { prefix: '#/subscriptions/', render: (ctx) => subscriptionPage(ctx, ctx.rest) },
];

export const nav = [{ href: '#/subscriptions', label: 'Subscriptions', audience: 'all' }];

const PREVIEW_DELAY_MS = 600;
const OUTCOMES = ['DELIVERED', 'FILTERED', 'DEAD_LETTERED'];
const RANGES = [['1', 'the last hour'], ['24', 'the last day'], ['168', 'the last 7 days'], ['744', 'the last 31 days']];

/** The page of one subscription; "new" is spelled with an escape so that a subscription of that id stays reachable. */
export function subscriptionHref(id) {
  return `#/subscriptions/${id === 'new' ? '%6Eew' : encodeURIComponent(id)}`;
}

function path(id) {
  return `/v1/subscriptions/${encodeURIComponent(id)}`;
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function list(values) {
  return values && values.length ? values.join(', ') : '—';
}

function tagsText(tags) {
  const parts = [];
  for (const [member, label] of [['allOf', 'all of'], ['anyOf', 'any of'], ['noneOf', 'none of']]) {
    if (tags && tags[member] && tags[member].length) {
      parts.push(`${label}: ${tags[member].join(', ')}`);
    }
  }
  return parts.length ? parts.join('; ') : 'any';
}

function retentionText(ms) {
  const hours = ms / 3600000;
  return hours % 24 === 0 ? `${hours / 24} days` : `${hours} hours`;
}

function hoursAgo(hours) {
  return new Date(Date.now() - Number(hours) * 3600000).toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// My subscriptions

async function listPage(ctx) {
  const { main, isAdmin, announce } = ctx;
  main.replaceChildren(h('h1', {}, 'Subscriptions'), h('p', {}, 'Loading…'));
  const answer = await api.get('/v1/subscriptions');
  const items = answer.items;
  const headings = ['Subscription', ...(isAdmin ? ['App'] : []), 'Event types', 'Tags', 'Synthetic', 'Topic'];
  const rows = items.map((s) => [
    h('a', { href: subscriptionHref(s.id) }, s.id),
    ...(isAdmin ? [s.app] : []),
    h('ul', { class: 'plain' }, s.eventTypes.map((t) => h('li', {}, h('code', {}, t)))),
    tagsText(s.tags),
    s.synthetic,
    h('code', {}, s.topic),
  ]);
  const count = `${items.length} subscription${items.length === 1 ? '' : 's'}`;
  main.replaceChildren(
    h('h1', {}, 'Subscriptions'),
    h('p', { class: 'row' },
      h('a', { href: '#/subscriptions/new', class: 'button-link', id: 'new-subscription' }, 'New subscription')),
    h('p', { class: 'count', id: 'subscriptions-count' },
      isAdmin ? `${count} of every app` : `${count} of app ${ctx.session.caller.app}`),
    h('div', { id: 'subscriptions-list' },
      table('Subscriptions', headings, rows,
        isAdmin ? 'No subscription is registered yet.' : 'Your app has no subscription yet.')),
    h('p', { class: 'hint' }, 'Each subscription\'s page shows its consumer lag per consumer group.'));
  announce(`${count} listed`);
}

// ---------------------------------------------------------------------------------------------------------------
// One subscription

async function subscriptionPage(ctx, id) {
  const { main, announce } = ctx;
  const crumbs = h('p', { class: 'crumbs' }, h('a', { href: '#/subscriptions' }, 'Subscriptions'));
  main.replaceChildren(crumbs, h('p', {}, 'Loading…'));
  let s;
  try {
    s = await api.get(path(id));
  } catch (e) {
    // Nothing of a subscription the API does not show: app.js puts the problem in the page's alert box.
    main.replaceChildren(crumbs);
    throw e;
  }
  crumbs.append(' / ', s.id);
  main.replaceChildren(
    crumbs,
    h('h1', {}, s.id),
    h('section', { 'aria-labelledby': 'definition-h' },
      h('h2', { id: 'definition-h' }, 'Definition'),
      h('dl', { class: 'facts', id: 'subscription-facts' },
        fact('App', s.app),
        fact('Event types', h('ul', { class: 'plain' }, s.eventTypes.map((t) => h('li', {}, h('code', {}, t))))),
        fact('Tags', tagsText(s.tags)),
        fact('Synthetic events', s.synthetic),
        fact('Content filter', s.filter ? h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(s.filter, null, 2))
          : 'none (every event of its types)'),
        fact('Fields kept', s.include.length ? list(s.include) : 'the whole body'),
        fact('Topic', h('code', {}, s.topic)),
        fact('Partitions', String(s.partitions)),
        fact('Topic retention', retentionText(s.retentionMs)),
        fact('Created', s.createdAt || '—'))),
    lagSection(s, ctx),
    deliveriesSection(s, ctx),
    replaysSection(s, ctx),
    deleteSection(s, ctx));
  announce(`Subscription ${s.id} loaded`);
}

function records(n) {
  return `${n.toLocaleString('en-US')} record${n === 1 ? '' : 's'}`;
}

// The lag admin-api measured last: reading it costs Kafka nothing, so a reload is only a read of that measurement.
function lagSection(s, ctx) {
  const body = h('div', { id: 'lag' }, h('p', {}, 'Loading…'));
  // Announced on a reload only: on the page's first load the deliveries' count is what is announced.
  const load = async (announce) => {
    const lag = await api.get(`${path(s.id)}/lag`);
    if (!lag.measured) {
      body.replaceChildren(h('p', { class: 'empty', id: 'lag-state' },
        'Not measured: admin-api\'s lag measuring is off, or its first round has not completed yet.'));
      announce('Lag not measured');
      return;
    }
    const when = fact('Measured at', h('time', { datetime: lag.measuredAt }, lag.measuredAt));
    // A round from before the subscription existed says nothing of it yet.
    if (s.createdAt && Date.parse(lag.measuredAt) < Date.parse(s.createdAt)) {
      body.replaceChildren(
        h('p', { class: 'empty', id: 'lag-state' },
          'Not measured since it was created: admin-api measures on a schedule; reload after its next round.'),
        h('dl', { class: 'facts', id: 'lag-facts' }, when));
      announce('Lag not measured since the subscription was created');
      return;
    }
    if (lag.groups.length === 0) {
      body.replaceChildren(
        h('p', { class: 'empty', id: 'lag-state' },
          'No consumer has read it yet: no consumer group has committed an offset on its topic.'),
        h('dl', { class: 'facts', id: 'lag-facts' }, when));
      announce('No consumer has read the subscription yet');
      return;
    }
    body.replaceChildren(
      h('dl', { class: 'facts', id: 'lag-facts' },
        fact('Largest lag', records(lag.maxRecords)),
        fact('Consumer groups', String(lag.groups.length) + (lag.groupsTruncated ? ' listed (more exist)' : '')),
        when),
      table(`Consumer lag of ${s.id} by consumer group`, ['Consumer group', 'Not yet committed'],
        lag.groups.map((g) => [h('code', {}, g.group), records(g.records)]), ''),
      ...(lag.groupsTruncated
        ? [h('p', { class: 'hint', id: 'lag-truncated' },
          'Only the first groups by name are listed; the largest lag counts every group.')]
        : []));
    announce(`Largest lag ${records(lag.maxRecords)}`);
  };
  const reload = h('button', { type: 'button', id: 'lag-reload', class: 'quiet' }, 'Reload lag');
  reload.addEventListener('click', () => load(ctx.announce).catch((e) => showInline(body, e)));
  load(() => {}).catch((e) => showInline(body, e));
  return h('section', { 'aria-labelledby': 'lag-h' },
    h('h2', { id: 'lag-h' }, 'Lag'),
    h('p', { class: 'hint' },
      'Per consumer group, the records on the subscription\'s topic the group has not committed yet, as admin-api '
        + 'last measured them (it measures on a schedule of its own; reloading does not measure again).'),
    body, h('p', { class: 'row' }, reload));
}

function deliveriesSection(s, ctx) {
  const outcome = h('select', { id: 'deliveries-outcome', name: 'outcome' },
    h('option', { value: '' }, 'any outcome'),
    OUTCOMES.map((o) => h('option', { value: o }, o)));
  const range = h('select', { id: 'deliveries-range', name: 'range' },
    RANGES.map(([value, label]) => h('option', { value, selected: value === '24' }, label)));
  const body = h('div', { id: 'deliveries' });
  const more = h('button', { type: 'button', id: 'deliveries-more', hidden: true }, 'Older deliveries');
  let cursor = null;
  let shown = 0;

  const load = async (next) => {
    const params = new URLSearchParams({ from: hoursAgo(range.value), limit: '50' });
    if (outcome.value) {
      params.set('outcome', outcome.value);
    }
    if (next) {
      params.set('cursor', next);
    }
    const page = await api.get(`${path(s.id)}/deliveries?${params}`);
    const rows = page.deliveries.map((d) => h('tr', {},
      h('td', {}, d.receivedAt),
      h('td', {}, h('code', {}, d.eventId)),
      h('td', {}, d.eventType),
      h('td', {}, h('span', { class: `outcome outcome-${d.outcome.toLowerCase()}` }, d.outcome)),
      h('td', {}, [d.reason, d.detail].filter(Boolean).join(': ') || '—'),
      h('td', {}, d.topic ? `${d.topic} / ${d.partition}` : '—'),
      h('td', {}, d.redactedPaths && d.redactedPaths.length ? list(d.redactedPaths) : '—')));
    if (!next) {
      shown = 0;
      body.replaceChildren();
    }
    shown += rows.length;
    if (shown === 0) {
      body.replaceChildren(h('p', { class: 'empty' }, 'No delivery in this range.'));
    } else if (!next) {
      body.replaceChildren(h('table', {},
        h('caption', { class: 'visually-hidden' }, `Deliveries of ${s.id}, newest first`),
        h('thead', {}, h('tr', {}, ['Received', 'Event', 'Type', 'Outcome', 'Reason', 'Topic / partition',
          'Redacted'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows)));
    } else {
      body.querySelector('tbody').append(...rows);
    }
    cursor = page.nextCursor;
    more.hidden = !cursor;
    ctx.announce(`${shown} deliver${shown === 1 ? 'y' : 'ies'} shown${cursor ? '; older ones follow' : ''}`);
  };

  const form = h('form', {
    class: 'row',
    onsubmit: (event) => {
      event.preventDefault();
      load(null).catch((e) => showInline(body, e));
    },
  },
  h('label', { for: 'deliveries-outcome' }, 'Outcome'), outcome,
  h('label', { for: 'deliveries-range' }, 'Received in'), range,
  h('button', { type: 'submit', id: 'deliveries-show' }, 'Show'));
  more.addEventListener('click', () => load(cursor).catch((e) => showInline(body, e)));
  load(null).catch((e) => showInline(body, e));
  return h('section', { 'aria-labelledby': 'deliveries-h' },
    h('h2', { id: 'deliveries-h' }, 'Deliveries'),
    h('p', { class: 'hint' },
      'What the router did with each event of the subscription\'s types, newest first, from the delivery ledger.'),
    form, body, more);
}

function showInline(container, error) {
  const problem = error instanceof ApiError ? error.problem : {};
  container.replaceChildren(h('p', { class: 'inline-error', role: 'alert' },
    problem.title ? `${problem.title}: ${error.message}` : error.message));
}

function replaysSection(s, ctx) {
  const fields = new Fields('replay');
  const from = fields.input('from', 'From', { type: 'datetime-local', required: true },
    'The first event received at or after this time (your local time).', '/from');
  const to = fields.input('to', 'To (optional)', { type: 'datetime-local' }, 'Up to, not including; now when empty.',
    '/to');
  const type = fields.input('type', 'Event type (optional)', { type: 'text', placeholder: 'Claim.*.*' },
    'An exact type or a pattern with * per part.', '/filter/type');
  const tags = fields.input('tag', 'Tags (optional)', { type: 'text' },
    'Every tag listed, separated by spaces, must be on the event.', '/filter/tag');
  const q = fields.input('q', 'Words (optional)', { type: 'text' }, 'Every word must be in the stored event.',
    '/filter/q');
  const rate = fields.input('rate', 'Events per second', { type: 'number', min: 1, max: 50000, value: 1000 },
    '1 to 50,000.', '/ratePerSecond');
  fields.other('/filter');
  const states = h('div', { id: 'replays' });
  const button = h('button', { type: 'submit', id: 'replay-request' }, 'Request replay');

  const refresh = async () => {
    const answer = await api.get('/v1/replays');
    const mine = answer.replays.filter((r) => r.subscription === s.id);
    states.replaceChildren(table(`Replays of ${s.id}`,
      ['Replay', 'State', 'Requested', 'Range', 'Read', 'Delivered', 'Skipped', 'Finished', ''],
      mine.map((r) => [
        h('code', {}, r.id),
        r.error ? `${r.state}: ${r.error}` : r.state,
        r.requestedAt,
        `${r.from} → ${r.to}`,
        String(r.read), String(r.delivered), String(r.skipped),
        r.finishedAt || '—',
        r.state === 'RUNNING' ? h('button', {
          type: 'button',
          class: 'quiet',
          onclick: async () => {
            try {
              await api.delete(`/v1/replays/${encodeURIComponent(r.id)}`);
              ctx.announce(`Replay ${r.id} cancelled`);
              await refresh();
            } catch (e) {
              showInline(states, e);
            }
          },
        }, 'Cancel') : '',
      ]), 'No replay of this subscription was requested.'));
  };

  const form = h('form', {
    class: 'card stacked',
    novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      fields.clear();
      const filter = {};
      if (type.value.trim()) {
        filter.type = type.value.trim();
      }
      if (tags.value.trim()) {
        filter.tag = tags.value.trim().split(/\s+/);
      }
      if (q.value.trim()) {
        filter.q = q.value.trim();
      }
      const request = { subscription: s.id, from: localToIso(from.value) };
      if (to.value) {
        request.to = localToIso(to.value);
      }
      if (Object.keys(filter).length) {
        request.filter = filter;
      }
      if (rate.value !== '') {
        request.ratePerSecond = Number(rate.value);
      }
      button.disabled = true;
      try {
        const created = await api.post('/v1/replays', request);
        ctx.announce(`Replay ${created.id} requested`);
        await refresh();
      } catch (e) {
        fields.show(e, true);
      } finally {
        button.disabled = false;
      }
    },
  },
  h('h3', {}, 'Request a replay'),
  h('p', { class: 'hint' }, 'Copies past events to this subscription\'s topic again, made as the router makes them '
    + 'today: under the app\'s grants now, through this subscription\'s types, tags and filter.'),
  fields.summary, from.group, to.group, type.group, tags.group, q.group, rate.group, button);
  refresh().catch((e) => showInline(states, e));
  return h('section', { 'aria-labelledby': 'replays-h' },
    h('h2', { id: 'replays-h' }, 'Replays'),
    states,
    h('p', {}, h('button', {
      type: 'button', class: 'quiet', onclick: () => refresh().catch((e) => showInline(states, e)),
    }, 'Refresh replays')),
    form);
}

function localToIso(value) {
  // datetime-local has no offset: it is the browser's local time, which Date reads it as.
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function deleteSection(s, ctx) {
  const keep = h('input', { type: 'checkbox', id: 'delete-topic' });
  const confirm = h('div', { class: 'confirm', id: 'delete-confirm', hidden: true },
    h('p', {}, `Routing to ${s.topic} stops. Consumers of the topic get no further copies.`),
    h('p', { class: 'row' }, keep, h('label', { for: 'delete-topic' }, 'Also delete the topic and the copies in it')),
    h('p', { class: 'row' },
      h('button', {
        type: 'button',
        class: 'danger',
        id: 'delete-confirmed',
        onclick: async () => {
          try {
            await api.delete(`${path(s.id)}${keep.checked ? '?deleteTopic=true' : ''}`);
            ctx.announce(`Subscription ${s.id} deleted`);
            location.hash = '#/subscriptions';
          } catch (e) {
            showInline(result, e);
          }
        },
      }, `Delete ${s.id}`),
      h('button', {
        type: 'button',
        class: 'quiet',
        onclick: () => {
          confirm.hidden = true;
          start.hidden = false;
          start.focus();
        },
      }, 'Keep it')));
  const result = h('div', {});
  const start = h('button', {
    type: 'button',
    class: 'danger',
    id: 'delete-start',
    onclick: () => {
      start.hidden = true;
      confirm.hidden = false;
      confirm.querySelector('#delete-confirmed').focus();
    },
  }, 'Delete subscription…');
  return h('section', { 'aria-labelledby': 'delete-h' },
    h('h2', { id: 'delete-h' }, 'Delete'),
    start, confirm, result);
}

// ---------------------------------------------------------------------------------------------------------------
// Form fields whose messages come from a problem's errors[], each shown at the member its pointer names.

class Fields {
  constructor(prefix) {
    this.prefix = prefix;
    this.byPointer = [];
    this.summary = h('div', { class: 'form-errors', id: `${prefix}-errors`, role: 'alert', tabindex: -1, hidden: true });
  }

  /** A labelled control with its hint and its (hidden) message; `pointer` is the member of the request it feeds. */
  input(name, label, attributes, hint, pointer, tag = 'input') {
    const id = `${this.prefix}-${name}`;
    const control = h(tag, { id, name, ...attributes, 'aria-describedby': hint ? `${id}-hint` : null });
    const message = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const group = h('div', { class: 'field' },
      h('label', { for: id }, label), control, hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
      message);
    this.byPointer.push({ pointer, focus: control, message, describe: [control] });
    control.group = group;
    return control;
  }

  /** A group of controls (a fieldset) that one pointer names. */
  group(pointer, fieldset, focus, message, describe) {
    this.byPointer.push({ pointer, focus, message, describe });
  }

  /** A pointer whose messages go to the form's summary (a member without a control of its own). */
  other(pointer) {
    this.byPointer.push({ pointer, focus: null, message: null, describe: [] });
  }

  clear() {
    for (const f of this.byPointer) {
      if (f.message) {
        f.message.hidden = true;
        f.message.textContent = '';
      }
      for (const control of f.describe) {
        control.removeAttribute('aria-invalid');
        const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.endsWith('-error'));
        if (ids.length) {
          control.setAttribute('aria-describedby', ids.join(' '));
        } else {
          control.removeAttribute('aria-describedby');
        }
      }
    }
    this.summary.hidden = true;
    this.summary.replaceChildren();
  }

  /** The field a pointer names: the longest registered pointer it starts with. */
  find(pointer) {
    let best = null;
    for (const f of this.byPointer) {
      if ((pointer === f.pointer || pointer.startsWith(`${f.pointer}/`))
        && (best === null || f.pointer.length > best.pointer.length)) {
        best = f;
      }
    }
    return best;
  }

  /** Shows a client-side message at a pointer, as a 422 of the API would be shown. */
  local(pointer, detail, moveFocus) {
    this.clear();
    this.showErrors([{ pointer, detail }], null, moveFocus);
  }

  /** Shows a failed call: a 422's errors at their members, anything else in the summary. */
  show(error, moveFocus, strip = '') {
    this.clear();
    const problem = error instanceof ApiError ? error.problem : {};
    if (error instanceof ApiError && error.status === 422 && Array.isArray(problem.errors) && problem.errors.length) {
      const errors = problem.errors.map((e) => ({
        pointer: strip && String(e.pointer).startsWith(strip) ? e.pointer.slice(strip.length) : String(e.pointer),
        detail: e.detail,
      }));
      this.showErrors(errors, problem, moveFocus);
      return;
    }
    this.summary.replaceChildren(h('p', {}, problem.title ? `${problem.title}: ${error.message}` : error.message));
    this.summary.hidden = false;
    if (moveFocus) {
      this.summary.focus();
    }
    if (error instanceof ApiError && error.status === 401) {
      throw error;
    }
  }

  showErrors(errors, problem, moveFocus) {
    const unplaced = [];
    let first = null;
    for (const e of errors) {
      const field = this.find(e.pointer);
      if (!field || !field.message) {
        unplaced.push(e);
        continue;
      }
      field.message.hidden = false;
      field.message.append(h('span', { class: 'field-error-line' }, e.detail));
      for (const control of field.describe) {
        control.setAttribute('aria-invalid', 'true');
        const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
        if (!ids.includes(field.message.id)) {
          control.setAttribute('aria-describedby', [...ids, field.message.id].join(' '));
        }
      }
      first = first || field;
    }
    const count = errors.length;
    this.summary.replaceChildren(
      h('p', {}, `${count === 1 ? 'One member needs' : `${count} members need`} a change`
        + `${problem && problem.title ? ` (${problem.title})` : ''}.`),
      unplaced.length ? h('ul', {}, unplaced.map((e) => h('li', {}, e.pointer ? `${e.pointer}: ${e.detail}` : e.detail)))
        : null);
    this.summary.hidden = false;
    if (moveFocus) {
      (first ? first.focus : this.summary).focus();
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Create a subscription

function lines(value) {
  return value.split('\n').map((x) => x.trim()).filter(Boolean);
}

async function formPage(ctx) {
  const { main, isAdmin, announce, session } = ctx;
  main.replaceChildren(h('h1', {}, 'New subscription'), h('p', {}, 'Loading…'));
  const [catalog, apps] = await Promise.all([
    searchCatalog(''),
    isAdmin ? api.get('/v1/apps') : Promise.resolve(null),
  ]);
  const fields = new Fields('sub');

  const id = fields.input('id', 'Subscription id', { type: 'text', required: true, autocomplete: 'off',
    spellcheck: 'false', maxlength: 100 },
  'Lower-case letters, digits, ".", "_" and "-"; the topic is eventing.sub.<id> unless you name one below.', '/id');
  const app = isAdmin
    ? fields.input('app', 'App', { required: true }, 'The app whose grants the copies are made under.', '/app', 'select')
    : fields.input('app', 'App', { type: 'text', readonly: true, value: session.caller.app },
      'You create subscriptions for your own app only.', '/app');
  if (isAdmin) {
    app.append(h('option', { value: '' }, 'Choose an app'),
      apps.items.map((a) => h('option', { value: a.id }, `${a.id} (${a.team})`)));
  }

  // Event types: the catalog's, as checkboxes, and patterns typed freely (one per line).
  const typeBoxes = catalog.items.map((item, i) => {
    const box = h('input', { type: 'checkbox', id: `sub-type-${i}`, value: item.eventType, name: 'eventType' });
    box.dataset.eventType = item.eventType;
    return h('li', { class: 'row' }, box, h('label', { for: `sub-type-${i}`, class: 'plain-label' }, item.eventType),
      item.description ? h('span', { class: 'hint' }, `— ${item.description}`) : null);
  });
  const patterns = h('textarea', { id: 'sub-patterns', name: 'patterns', rows: 2, spellcheck: 'false',
    'aria-describedby': 'sub-patterns-hint', placeholder: 'Claim.Submitted.*' });
  const typesMessage = h('p', { class: 'field-error', id: 'sub-types-error', hidden: true });
  const checkboxes = () => [...main.querySelectorAll('input[name=eventType]')];
  const typesFieldset = h('fieldset', { class: 'types', id: 'sub-types' },
    h('legend', {}, 'Event types'),
    typeBoxes.length ? h('ul', { class: 'plain type-list' }, typeBoxes)
      : h('p', { class: 'empty' }, 'No event type is registered yet.'),
    catalog.truncated ? h('p', { class: 'hint' }, 'The catalog lists more types than shown: type their names below.')
      : null,
    h('label', { for: 'sub-patterns' }, 'More types or patterns, one per line'),
    patterns,
    h('p', { class: 'hint', id: 'sub-patterns-hint' },
      'Noun.Verb.Object, with * for any part: Claim.*.* is every claim event.'),
    typesMessage);
  fields.group('/eventTypes', typesFieldset, patterns, typesMessage, [patterns]);

  const allOf = fields.input('allOf', 'Tags: all of', { rows: 2, spellcheck: 'false' },
    'One tag per line; an event must carry every one.', '/tags/allOf', 'textarea');
  const anyOf = fields.input('anyOf', 'Tags: any of', { rows: 2, spellcheck: 'false' },
    'One tag per line; an event must carry at least one (when any is listed).', '/tags/anyOf', 'textarea');
  const noneOf = fields.input('noneOf', 'Tags: none of', { rows: 2, spellcheck: 'false' },
    'One tag per line; an event carrying any of them is left out.', '/tags/noneOf', 'textarea');
  fields.other('/tags');
  const synthetic = fields.input('synthetic', 'Synthetic events', {},
    'Synthetic events are test data their producers marked as such.', '/synthetic', 'select');
  synthetic.append(
    h('option', { value: 'EXCLUDE' }, 'EXCLUDE: real events only'),
    h('option', { value: 'INCLUDE' }, 'INCLUDE: real and synthetic'),
    h('option', { value: 'ONLY' }, 'ONLY: synthetic events only'));
  const filter = fields.input('filter', 'Content filter (JSON, optional)', { rows: 4, spellcheck: 'false',
    placeholder: '{"/status": ["APPROVED", {"prefix": "DEN"}]}' },
  'Keys are JSON Pointers into the body; each lists conditions (a value, prefix, suffix, anything-but, numeric, '
    + 'exists), any of which may hold; every key must hold. Only fields your app is cleared to see.', '/filter',
  'textarea');
  const include = fields.input('include', 'Fields kept (optional)', { rows: 2, spellcheck: 'false' },
    'Top-level body fields, one per line; empty keeps the whole body.', '/include', 'textarea');
  const topic = fields.input('topic', 'Topic (optional)', { type: 'text', spellcheck: 'false', autocomplete: 'off' },
    'eventing.sub.<id> when empty.', '/topic');
  const partitions = fields.input('partitions', 'Partitions (optional)', { type: 'number', min: 1, max: 1000 },
    '1 to 1000; the platform\'s default when empty.', '/partitions');
  const retention = fields.input('retention', 'Topic retention in hours (optional)', { type: 'number', min: 1,
    max: 8760 }, '1 hour to 365 days (8760 hours); 7 days when empty. Sent as retentionMs.', '/retentionMs');

  // The draft as the API takes it, or a client-side message when the filter is not JSON at all.
  const draft = () => {
    const body = {
      id: id.value.trim(),
      app: app.value,
      eventTypes: [...checkboxes().filter((b) => b.checked).map((b) => b.value), ...lines(patterns.value)],
      tags: { allOf: lines(allOf.value), anyOf: lines(anyOf.value), noneOf: lines(noneOf.value) },
      synthetic: synthetic.value,
      include: lines(include.value),
    };
    if (filter.value.trim()) {
      try {
        body.filter = JSON.parse(filter.value);
      } catch (e) {
        return { error: { pointer: '/filter', detail: `the filter is not JSON: ${e.message}` } };
      }
    }
    if (topic.value.trim()) {
      body.topic = topic.value.trim();
    }
    if (partitions.value !== '') {
      body.partitions = Number(partitions.value);
    }
    if (retention.value !== '') {
      body.retentionMs = Math.round(Number(retention.value) * 3600000);
    }
    return { body };
  };

  const preview = backtestPreview(fields, draft, announce);
  const create = h('button', { type: 'submit', id: 'sub-create' }, 'Create subscription');
  const outcome = h('div', { id: 'sub-outcome', role: 'status' });
  const form = h('form', {
    class: 'card stacked subscription-form',
    novalidate: true,
    oninput: () => preview.schedule(),
    onchange: () => preview.schedule(),
    onsubmit: async (event) => {
      event.preventDefault();
      const d = draft();
      if (d.error) {
        fields.local(d.error.pointer, d.error.detail, true);
        return;
      }
      create.disabled = true;
      try {
        const created = await api.post('/v1/subscriptions', d.body);
        if (created && created.kind !== undefined && created.state !== undefined) {
          // 202: apps' subscriptions wait for an admin (eventing.approvals.subscriptions).
          fields.clear();
          outcome.replaceChildren(h('p', { class: 'notice' },
            `Subscription ${d.body.id} awaits an admin's approval: request `, h('code', { id: 'sub-request-id' },
              created.id), ` is ${created.state}.`));
          announce(`Request ${created.id} filed; it awaits an admin's approval`);
          return;
        }
        announce(`Subscription ${created.id} created`);
        location.hash = subscriptionHref(created.id);
      } catch (e) {
        fields.show(e, true);
      } finally {
        create.disabled = false;
      }
    },
  },
  fields.summary,
  id.group, app.group, typesFieldset,
  h('fieldset', { class: 'tags' }, h('legend', {}, 'Tags'), allOf.group, anyOf.group, noneOf.group),
  synthetic.group, filter.group, include.group,
  h('details', {}, h('summary', {}, 'Topic settings'), topic.group, partitions.group, retention.group),
  h('p', { class: 'row' }, create),
  outcome);

  main.replaceChildren(
    h('p', { class: 'crumbs' }, h('a', { href: '#/subscriptions' }, 'Subscriptions'), ' / new'),
    h('h1', {}, 'New subscription'),
    h('div', { class: 'form-with-preview' }, form, preview.section));
  id.focus();
  announce('New subscription form');
}

/** The live backtest: the draft over the event store, debounced as the user edits; only the latest answer counts. */
function backtestPreview(fields, draft, announce) {
  const range = h('select', { id: 'backtest-range' },
    RANGES.map(([value, label]) => h('option', { value, selected: value === '24' }, label)));
  const body = h('div', { id: 'backtest', 'aria-busy': 'false' },
    h('p', { class: 'empty' }, 'Choose an event type to see what the subscription would have received.'));
  let timer = null;
  let latest = 0;

  const run = async () => {
    clearTimeout(timer);
    const d = draft();
    if (d.error) {
      fields.local(d.error.pointer, d.error.detail, false);
      return;
    }
    if (d.body.eventTypes.length === 0 || !d.body.app) {
      body.replaceChildren(h('p', { class: 'empty' },
        d.body.app ? 'Choose an event type to see what the subscription would have received.'
          : 'Choose an app to see what the subscription would have received.'));
      return;
    }
    const request = { subscription: { ...d.body }, from: hoursAgo(range.value), samples: 5 };
    if (!request.subscription.id) {
      delete request.subscription.id;
    }
    const mine = ++latest;
    body.setAttribute('aria-busy', 'true');
    try {
      const answer = await api.post('/v1/subscriptions/backtest', request);
      if (mine !== latest) {
        return;
      }
      fields.clear();
      body.replaceChildren(...results(answer));
      announce(`Backtest: ${answer.matched} of ${answer.examined} events would have been received`);
    } catch (e) {
      if (mine !== latest) {
        return;
      }
      body.replaceChildren(h('p', { class: 'empty' }, 'The draft cannot be backtested as it stands; see the form.'));
      fields.show(e, false, '/subscription');
    } finally {
      if (mine === latest) {
        body.setAttribute('aria-busy', 'false');
      }
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => run().catch(() => {}), PREVIEW_DELAY_MS);
  };
  range.addEventListener('change', schedule);
  // Outside the form: the range is the preview's own, not a member of the subscription.
  const section = h('section', { 'aria-labelledby': 'backtest-h', class: 'preview' },
    h('h2', { id: 'backtest-h' }, 'Backtest preview'),
    h('p', { class: 'hint' }, 'What this draft would have received of the events in the event store, as your app '
      + 'would see them; it updates as you edit.'),
    h('p', { class: 'row' }, h('label', { for: 'backtest-range' }, 'Events received in'), range,
      h('button', { type: 'button', id: 'backtest-run', onclick: () => run().catch(() => {}) }, 'Run now')),
    body);
  return { section, schedule };
}

function results(answer) {
  const reasons = Object.entries(answer.byReason || {});
  return [
    h('p', { class: 'count', id: 'backtest-count' },
      `${answer.matched} of ${answer.examined} event${answer.examined === 1 ? '' : 's'} of its types would have `
        + `been received${answer.truncated ? ' (stopped early: more events are stored than one backtest reads)' : ''}.`),
    h('h3', {}, 'Received, by type'),
    table('Events received, by type', ['Event type', 'Events'],
      Object.entries(answer.byType || {}).map(([type, n]) => [type, String(n)]), 'None.'),
    h('h3', {}, 'Left out, by reason'),
    table('Events left out, by reason', ['Reason', 'Events'],
      reasons.map(([reason, n]) => [reason, String(n)]), 'None.'),
    h('h3', {}, 'Sample copies'),
    answer.samples.length
      ? h('ol', { class: 'samples', id: 'backtest-samples' }, answer.samples.map((sample, i) => h('li', {},
        h('pre', { class: 'json', tabindex: 0, 'aria-label': `Sample copy ${i + 1}` },
          JSON.stringify(sample, null, 2)))))
      : h('p', { class: 'empty' }, 'No sample: nothing would have been received.'),
  ];
}

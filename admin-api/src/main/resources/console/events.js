// Events (admin): search the event store, one event with its deliveries and trace, stats charts.
import { api, ApiError } from './api.js';
import { h, svg, table } from './dom.js';

export const routes = [
  { hash: '#/events', render: searchPage },
  { prefix: '#/events/', render: eventPage },
  { hash: '#/stats', render: statsPage },
];

export const nav = [
  { href: '#/events', label: 'Events', audience: 'admin' },
  { href: '#/stats', label: 'Stats', audience: 'admin' },
];

// The search form's fields, in the order of GET /v1/events's parameters; `many` ones are repeatable.
const SEARCH_FIELDS = [
  { name: 'type', label: 'Event type', hint: 'An exact name, or a pattern with * per part: Claim.*.*' },
  { name: 'tag', label: 'Tags', many: ',', hint: 'Separated by commas; every one must match (at most 16).' },
  { name: 'synthetic', label: 'Synthetic events', options: [['', 'Real events only'], ['true', 'Synthetic only'], ['any', 'Both']] },
  { name: 'producerApp', label: 'Producer app', hint: 'Exact app id.' },
  { name: 'transactionId', label: 'Transaction id', hint: 'Exact.' },
  { name: 'userId', label: 'User id', hint: 'Exact.' },
  { name: 'from', label: 'From', hint: 'ISO-8601 with an offset, e.g. 2026-12-01T00:00:00Z; default: a day before To.' },
  { name: 'to', label: 'To', hint: 'Exclusive; default: now.' },
  { name: 'q', label: 'Words', hint: 'Every word must occur (names, metadata, tags, stored strings; at most 16).' },
  { name: 'where', label: 'Body fields', many: '\n', hint: 'One /json/pointer:value a line; all must hold (at most 8).' },
];

const STATS_FIELDS = [
  { name: 'groupBy', label: 'Group by', options: [['eventType', 'Event type'], ['tag', 'Tag']] },
  { name: 'interval', label: 'Interval', options: [['hour', 'Hour'], ['minute', 'Minute'], ['day', 'Day']] },
  { name: 'from', label: 'From', hint: 'ISO-8601 with an offset; default: a day before To.' },
  { name: 'to', label: 'To', hint: 'Exclusive; default: now.' },
];

/**
 * A search form whose values live in the hash's query, so a search is linkable and survives a reload. Answers
 * { form, showProblem(error) }: a 400 or 422 naming a parameter is shown at that field, the form kept.
 */
export function queryForm(id, fields, query, route, submitLabel) {
  const controls = new Map();
  const errors = new Map();
  const general = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const groups = fields.map((field) => {
    const inputId = `${id}-${field.name}`;
    const values = query.getAll(field.name);
    let control;
    if (field.options) {
      control = h('select', { id: inputId, name: field.name },
        field.options.map(([value, label]) => h('option', { value, selected: values[0] === value }, label)));
    } else if (field.many === '\n') {
      control = h('textarea', { id: inputId, name: field.name, rows: 2, spellcheck: 'false' });
      control.value = values.join('\n');
    } else {
      control = h('input', {
        id: inputId, name: field.name, type: 'text', autocomplete: 'off', spellcheck: 'false',
        value: field.many ? values.join(', ') : (values[0] || ''),
      });
    }
    const error = h('p', { class: 'field-error', id: `${inputId}-error`, hidden: true });
    const hint = field.hint ? h('p', { class: 'hint', id: `${inputId}-hint` }, field.hint) : null;
    control.setAttribute('aria-describedby', [hint ? `${inputId}-hint` : null, `${inputId}-error`]
      .filter(Boolean).join(' '));
    controls.set(field.name, control);
    errors.set(field.name, error);
    return h('div', { class: 'field' }, h('label', { for: inputId }, field.label), control, hint, error);
  });
  const form = h('form', {
    class: 'card query-form',
    id,
    onsubmit: (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      for (const field of fields) {
        const raw = controls.get(field.name).value;
        const values = field.many ? raw.split(field.many) : [raw];
        values.map((v) => v.trim()).filter((v) => v !== '').forEach((v) => params.append(field.name, v));
      }
      const hash = `${route}?${params}`;
      if (location.hash === hash) {
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } else {
        location.hash = hash;
      }
    },
  },
  h('div', { class: 'fields' }, groups),
  general,
  h('div', { class: 'row' }, h('button', { type: 'submit' }, submitLabel)));

  function showProblem(error) {
    const parameter = error instanceof ApiError ? error.problem.parameter : undefined;
    if (parameter === undefined || (error.status !== 400 && error.status !== 422)) {
      throw error;
    }
    const message = `${error.problem.title || 'Refused'}: ${error.message}`;
    const control = controls.get(parameter);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      errors.get(parameter).textContent = message;
      errors.get(parameter).hidden = false;
      control.focus();
    } else {
      general.textContent = `${parameter}: ${message}`;
      general.hidden = false;
    }
    return message;
  }
  return { form, showProblem };
}

/** The query's parameters that `names` lists, in order, repeated ones kept. */
function pick(query, names) {
  const out = new URLSearchParams();
  for (const name of names) {
    query.getAll(name).forEach((v) => out.append(name, v));
  }
  return out;
}

async function searchPage(ctx) {
  const { form, showProblem } = queryForm('event-search', SEARCH_FIELDS, ctx.query, '#/events', 'Search');
  form.setAttribute('role', 'search');
  form.setAttribute('aria-label', 'Search stored events');
  const results = h('section', { id: 'event-results', 'aria-labelledby': 'event-results-h' });
  ctx.main.replaceChildren(
    h('h1', {}, 'Events'),
    h('p', { class: 'hint' }, 'The event store: every event, de-identified by its type\'s store policy, newest first.'),
    form,
    results);
  const criteria = pick(ctx.query, SEARCH_FIELDS.map((f) => f.name));
  const params = pick(ctx.query, [...SEARCH_FIELDS.map((f) => f.name), 'cursor']);
  let page;
  try {
    page = await api.get(`/v1/events?${params}`);
  } catch (e) {
    const message = showProblem(e);
    results.replaceChildren(h('h2', { id: 'event-results-h' }, 'Results'), h('p', { class: 'empty' }, 'No search ran.'));
    ctx.announce(`Search refused: ${message}`);
    return;
  }
  const rows = page.events.map((e) => [
    h('a', { href: `#/events/${encodeURIComponent(e.eventId)}` }, h('code', {}, e.eventId)),
    e.eventType,
    (e.metadata && e.metadata.receivedAt) || '—',
    (e.metadata && e.metadata.producerApp) || '—',
    (e.tags || []).join(', ') || '—',
    e.synthetic ? 'yes' : 'no',
  ]);
  const more = page.nextCursor
    ? h('a', { id: 'next-page', href: `#/events?${withParam(criteria, 'cursor', page.nextCursor)}` }, 'Next page')
    : null;
  const first = ctx.query.has('cursor') ? h('a', { href: `#/events?${criteria}` }, 'First page') : null;
  const count = `${page.events.length} event${page.events.length === 1 ? '' : 's'}${page.nextCursor ? ' (more on the next page)' : ''}`;
  results.replaceChildren(
    h('h2', { id: 'event-results-h' }, 'Results'),
    h('p', { class: 'count' }, count),
    table('Events found, newest first', ['Event id', 'Type', 'Received', 'Producer', 'Tags', 'Synthetic'], rows,
      'No stored event matches.'),
    h('p', { class: 'row pager' }, first, more));
  ctx.announce(`${count} found`);
}

function withParam(params, name, value) {
  const out = new URLSearchParams(params);
  out.set(name, value);
  return out;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;

/** The trace UI's link for a trace id, or null: only a 32-lowercase-hex id goes into the configured template. */
export function traceLink(template, traceId) {
  if (typeof template !== 'string' || !template.includes('{traceId}') || !/^https?:\/\//i.test(template)
    || !TRACE_ID.test(traceId)) {
    return null;
  }
  return template.split('{traceId}').join(traceId);
}

async function eventPage(ctx) {
  const id = ctx.rest;
  const doc = await api.get(`/v1/events/${encodeURIComponent(id)}`);
  let deliveries = null;
  let deliveriesError = null;
  try {
    deliveries = await api.get(`/v1/events/${encodeURIComponent(id)}/deliveries`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status === 401) {
      throw e;
    }
    deliveriesError = e;
  }
  const metadata = doc.metadata || {};
  ctx.main.replaceChildren(
    h('p', { class: 'crumbs' }, h('a', { href: '#/events' }, 'Events'), ' / ', doc.eventId),
    h('h1', {}, `Event ${doc.eventId}`),
    h('section', { 'aria-labelledby': 'event-overview-h' },
      h('h2', { id: 'event-overview-h' }, 'Overview'),
      h('dl', { class: 'facts' },
        fact('Type', h('a', { href: `#/types/${encodeURIComponent(doc.eventType)}` }, doc.eventType)),
        fact('Received', metadata.receivedAt || '—'),
        fact('Occurred', metadata.occurredAt || '—'),
        fact('Producer', metadata.producerApp || '—'),
        fact('Transaction', metadata.transactionId
          ? h('a', { href: `#/events?transactionId=${encodeURIComponent(metadata.transactionId)}&synthetic=any` },
            metadata.transactionId)
          : '—'),
        fact('Tags', (doc.tags || []).join(', ') || '—'),
        fact('Synthetic', doc.synthetic ? 'yes' : 'no'),
        fact('Store policy', doc.storePolicy || '—'),
        fact('Redacted in the store', (doc.redactedPaths || []).join(', ') || 'nothing'))),
    traceSection(doc, ctx.session),
    h('section', { 'aria-labelledby': 'event-deliveries-h' },
      h('h2', { id: 'event-deliveries-h' }, 'Deliveries'),
      deliveriesError
        ? h('p', { class: 'field-error' }, `The deliveries could not be read: ${deliveriesError.message}`)
        : deliveriesTable(deliveries.deliveries)),
    h('section', { 'aria-labelledby': 'event-document-h' },
      h('h2', { id: 'event-document-h' }, 'Stored document'),
      h('pre', { class: 'json', id: 'event-document', tabindex: 0, 'aria-labelledby': 'event-document-h' },
        JSON.stringify(doc, null, 2))));
  ctx.announce(`Event ${doc.eventId} loaded`);
}

function traceSection(doc, session) {
  const match = typeof doc.traceparent === 'string' ? TRACEPARENT.exec(doc.traceparent) : null;
  let content;
  if (match === null) {
    content = h('p', { class: 'empty' }, 'The event came without a trace context.');
  } else {
    const traceId = match[1];
    const href = traceLink(session.traceUrl, traceId);
    content = h('dl', { class: 'facts' },
      fact('Trace id', h('code', { id: 'trace-id' }, traceId)),
      fact('Trace', href
        ? h('a', { id: 'trace-link', href, rel: 'noopener noreferrer', target: '_blank' }, 'Open in the trace viewer (new tab)')
        : 'No trace viewer is configured (eventing.console.trace-url).'));
  }
  return h('section', { 'aria-labelledby': 'event-trace-h' }, h('h2', { id: 'event-trace-h' }, 'Trace'), content);
}

function deliveriesTable(deliveries) {
  const rows = deliveries.map((d) => [
    d.subscription,
    d.app,
    h('span', { class: `outcome outcome-${String(d.outcome).toLowerCase()}` }, d.outcome),
    d.reason || '—',
    d.detail || '—',
    d.topic === undefined ? '—'
      : `${d.topic} / ${d.partition === undefined ? '?' : d.partition} / ${d.offset === undefined ? 'offset unknown' : d.offset}`,
    (d.redactedPaths || []).join(', ') || '—',
  ]);
  return table('Deliveries of this event, one per subscription whose types match it',
    ['Subscription', 'App', 'Outcome', 'Reason', 'Detail', 'Topic / partition / offset', 'Redacted'], rows,
    'No subscription\'s types match this event, or the router has not recorded it yet.');
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

// Series are told apart by marker shape and dash pattern as well as colour, and each is labelled at its end.
const SERIES_STYLES = [
  { marker: 'circle', dash: '' },
  { marker: 'square', dash: '6 3' },
  { marker: 'triangle', dash: '2 3' },
  { marker: 'diamond', dash: '10 3 2 3' },
  { marker: 'cross', dash: '1 5' },
  { marker: 'plus', dash: '12 4' },
];
const MAX_SERIES = SERIES_STYLES.length;

async function statsPage(ctx) {
  const { form, showProblem } = queryForm('stats-form', STATS_FIELDS, ctx.query, '#/stats', 'Show');
  const results = h('section', { id: 'stats-results', 'aria-labelledby': 'stats-results-h' });
  ctx.main.replaceChildren(
    h('h1', {}, 'Stats'),
    h('p', { class: 'hint' }, 'Stored events counted by when they were received.'),
    form,
    results);
  const params = pick(ctx.query, STATS_FIELDS.map((f) => f.name));
  let stats;
  try {
    stats = await api.get(`/v1/stats?${params}`);
  } catch (e) {
    const message = showProblem(e);
    results.replaceChildren(h('h2', { id: 'stats-results-h' }, 'Counts'), h('p', { class: 'empty' }, 'Nothing counted.'));
    ctx.announce(`Stats refused: ${message}`);
    return;
  }
  const interval = ctx.query.get('interval') || 'hour';
  const groupBy = ctx.query.get('groupBy') || 'eventType';
  const totals = new Map();
  for (const bucket of stats.buckets) {
    for (const [group, n] of Object.entries(bucket.counts)) {
      totals.set(group, (totals.get(group) || 0) + n);
    }
  }
  const groups = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a.localeCompare(b));
  const drawn = groups.slice(0, MAX_SERIES);
  const all = stats.buckets.reduce((sum, b) => sum + Object.values(b.counts).reduce((x, y) => x + y, 0), 0);
  const groupName = groupBy === 'tag' ? 'tag' : 'event type';
  const rows = stats.buckets.map((b) => [
    b.start,
    ...groups.map((g) => String(b.counts[g] || 0)),
    String(Object.values(b.counts).reduce((x, y) => x + y, 0)),
  ]);
  // replaceChildren would write a null as the text "null": absent parts are left out.
  results.replaceChildren(...[
    h('h2', { id: 'stats-results-h' }, `Events per ${interval}, by ${groupName}`),
    h('p', { class: 'count' }, `${all} event${all === 1 ? '' : 's'} in ${stats.buckets.length} buckets`
      + (groupBy === 'tag' ? ' (an event counts once per tag)' : '')),
    groups.length > MAX_SERIES
      ? h('p', { class: 'hint' }, `The chart draws the ${MAX_SERIES} largest of ${groups.length} groups; the table has all.`)
      : null,
    groups.length === 0 ? h('p', { class: 'empty' }, 'No stored event in this range.')
      : chart(stats.buckets, drawn, interval, groupName),
    h('h3', { id: 'stats-table-h' }, 'The same counts as a table'),
    h('div', { class: 'table-scroll' },
      groups.length === 0 ? h('p', { class: 'empty' }, 'No counts.')
        : h('table', { id: 'stats-table', 'aria-labelledby': 'stats-table-h' },
          h('thead', {}, h('tr', {}, ['Bucket start', ...groups, 'Total'].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, rows.map((row) => h('tr', {},
            h('th', { scope: 'row' }, row[0]), row.slice(1).map((cell) => h('td', { class: 'number' }, cell))))))),
  ].filter((part) => part !== null));
  ctx.announce(`${all} events counted in ${stats.buckets.length} buckets`);
}

const W = 860;
const H = 340;
const LEFT = 56;
const RIGHT = 170;
const TOP = 16;
const BOTTOM = 56;

function chart(buckets, groups, interval, groupName) {
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const max = Math.max(1, ...buckets.flatMap((b) => groups.map((g) => b.counts[g] || 0)));
  const top = niceCeiling(max);
  const x = (i) => LEFT + (buckets.length === 1 ? plotW / 2 : (i * plotW) / (buckets.length - 1));
  const y = (n) => TOP + plotH - (n * plotH) / top;
  const drawing = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'stats-chart-title stats-chart-desc', class: 'stats-chart',
    id: 'stats-chart',
  });
  drawing.appendChild(svg('title', { id: 'stats-chart-title' }, `Events per ${interval} by ${groupName}`));
  drawing.appendChild(svg('desc', { id: 'stats-chart-desc' },
    groups.map((g) => `${g}: ${buckets.reduce((s, b) => s + (b.counts[g] || 0), 0)}`).join('; ')));
  // Axes, gridlines and their labels.
  const ticks = 4;
  for (let t = 0; t <= ticks; t++) {
    const value = Math.round((top * t) / ticks);
    drawing.appendChild(svg('line', { x1: LEFT, x2: LEFT + plotW, y1: y(value), y2: y(value), class: 'grid' }));
    drawing.appendChild(svg('text', { x: LEFT - 8, y: y(value) + 4, class: 'tick y-tick' }, String(value)));
  }
  drawing.appendChild(svg('line', { x1: LEFT, x2: LEFT, y1: TOP, y2: TOP + plotH, class: 'axis' }));
  drawing.appendChild(svg('line', { x1: LEFT, x2: LEFT + plotW, y1: TOP + plotH, y2: TOP + plotH, class: 'axis' }));
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  buckets.forEach((b, i) => {
    if (i % every === 0 || i === buckets.length - 1) {
      drawing.appendChild(svg('line', { x1: x(i), x2: x(i), y1: TOP + plotH, y2: TOP + plotH + 4, class: 'axis' }));
      drawing.appendChild(svg('text', { x: x(i), y: TOP + plotH + 18, class: 'tick x-tick' }, bucketLabel(b.start, interval)));
    }
  });
  drawing.appendChild(svg('text', { x: LEFT + plotW / 2, y: H - 10, class: 'axis-title' },
    `Received (UTC, per ${interval})`));
  drawing.appendChild(svg('text', {
    x: 14, y: TOP + plotH / 2, class: 'axis-title', transform: `rotate(-90 14 ${TOP + plotH / 2})`,
  }, 'Events'));
  // One line per group, with its markers, and its name at its last point.
  const ends = [];
  groups.forEach((g, s) => {
    const style = SERIES_STYLES[s];
    const points = buckets.map((b, i) => [x(i), y(b.counts[g] || 0)]);
    const series = svg('g', { class: `series series-${s}` });
    series.appendChild(svg('title', {}, g));
    series.appendChild(svg('polyline', {
      points: points.map((p) => p.join(',')).join(' '), class: 'line', 'stroke-dasharray': style.dash || 'none',
    }));
    points.forEach(([px, py]) => series.appendChild(marker(style.marker, px, py)));
    drawing.appendChild(series);
    ends.push({ g, s, y: points[points.length - 1][1] });
  });
  // Direct labels, pushed apart so that they never overlap.
  ends.sort((a, b) => a.y - b.y);
  let last = -Infinity;
  for (const end of ends) {
    const ly = Math.max(end.y + 4, last + 14);
    last = ly;
    drawing.appendChild(svg('text', { x: LEFT + plotW + 10, y: ly, class: `direct-label series-${end.s}` }, shorten(end.g)));
  }
  const legend = h('ul', { class: 'legend', 'aria-label': 'Legend' }, groups.map((g, s) => h('li', {},
    svg('svg', { viewBox: '0 0 36 14', width: 36, height: 14, 'aria-hidden': 'true', class: `series series-${s}` },
      svg('line', { x1: 0, x2: 36, y1: 7, y2: 7, class: 'line', 'stroke-dasharray': SERIES_STYLES[s].dash || 'none' }),
      marker(SERIES_STYLES[s].marker, 18, 7)),
    ` ${g} (${SERIES_STYLES[s].marker})`)));
  return h('figure', { class: 'stats-figure' }, drawing, legend);
}

function marker(shape, x, y) {
  const r = 4.5;
  switch (shape) {
    case 'square':
      return svg('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r, class: 'marker' });
    case 'triangle':
      return svg('path', { d: `M ${x} ${y - r - 1} L ${x + r + 1} ${y + r} L ${x - r - 1} ${y + r} Z`, class: 'marker' });
    case 'diamond':
      return svg('path', { d: `M ${x} ${y - r - 1} L ${x + r + 1} ${y} L ${x} ${y + r + 1} L ${x - r - 1} ${y} Z`, class: 'marker' });
    case 'cross':
      return svg('path', { d: `M ${x - r} ${y - r} L ${x + r} ${y + r} M ${x - r} ${y + r} L ${x + r} ${y - r}`, class: 'marker open' });
    case 'plus':
      return svg('path', { d: `M ${x - r - 1} ${y} L ${x + r + 1} ${y} M ${x} ${y - r - 1} L ${x} ${y + r + 1}`, class: 'marker open' });
    default:
      return svg('circle', { cx: x, cy: y, r, class: 'marker' });
  }
}

function niceCeiling(max) {
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 4, 5, 10]) {
    if (step * magnitude >= max && (step * magnitude) % 4 === 0) {
      return step * magnitude;
    }
  }
  return Math.ceil(max / 4) * 4;
}

function bucketLabel(start, interval) {
  // start is ISO-8601 UTC: 2026-12-06T13:00:00Z
  if (interval === 'day') {
    return start.slice(0, 10);
  }
  return interval === 'hour' ? `${start.slice(5, 10)} ${start.slice(11, 16)}` : start.slice(11, 16);
}

function shorten(label) {
  return label.length > 24 ? `${label.slice(0, 23)}…` : label;
}

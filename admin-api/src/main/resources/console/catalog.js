import { catalogEntry, searchCatalog } from './api.js';
import { diff } from './diff.js';
import { h, table } from './dom.js';
import { lineage } from './lineage.js';

export const routes = [
  { hash: '#/catalog', render: (ctx) => catalogPage(ctx.main, ctx.query.get('q') || '', ctx.announce) },
  { prefix: '#/types/', render: (ctx) => typePage(ctx.main, ctx.rest, ctx.announce) },
];

export const nav = [{ href: '#/catalog', label: 'Event catalog', audience: 'all' }];

export async function catalogPage(main, q, announce) {
  const input = h('input', {
    id: 'catalog-q', type: 'search', name: 'q', value: q, maxlength: 200, autocomplete: 'off',
    'aria-describedby': 'catalog-q-hint',
  });
  const results = h('div', { id: 'catalog-results' });
  const form = h('form', {
    role: 'search',
    class: 'search',
    onsubmit: (event) => {
      event.preventDefault();
      location.hash = `#/catalog?q=${encodeURIComponent(input.value.trim())}`;
    },
  },
  h('label', { for: 'catalog-q' }, 'Search event types'),
  h('div', { class: 'row' }, input, h('button', { type: 'submit' }, 'Search')),
  h('p', { id: 'catalog-q-hint', class: 'hint' },
    'Matches names, descriptions, owners and the field names of every schema version, ignoring case.'));
  main.replaceChildren(h('h1', {}, 'Event catalog'), form, results);
  const page = await searchCatalog(q);
  const rows = page.items.map((item) => [
    h('a', { href: `#/types/${encodeURIComponent(item.eventType)}` }, item.eventType),
    item.description || '',
    item.owner || '',
    `v${item.latestVersion}`,
    item.matched.length ? h('ul', { class: 'matched' }, item.matched.map((m) => h('li', {}, h('code', {}, m)))) : '',
  ]);
  const count = `${page.items.length}${page.truncated ? '+' : ''} event type${page.items.length === 1 ? '' : 's'}`;
  results.replaceChildren(
    h('p', { class: 'count' }, q ? `${count} matching “${q}”` : count),
    table('Event types', ['Event type', 'Description', 'Owner', 'Latest', 'Matched on'], rows,
      q ? `No event type matches “${q}”.` : 'No event type is registered yet.'));
  announce(q ? `${count} found` : `${count} listed`);
}

export async function typePage(main, eventType, announce) {
  const entry = await catalogEntry(eventType);
  const latest = entry.versions[entry.versions.length - 1];
  main.replaceChildren(
    h('p', { class: 'crumbs' }, h('a', { href: '#/catalog' }, 'Event catalog'), ' / ', entry.eventType),
    h('h1', {}, entry.eventType),
    h('section', { 'aria-labelledby': 'overview-h' },
      h('h2', { id: 'overview-h' }, 'Overview'),
      h('dl', { class: 'facts' },
        fact('Description', entry.description || '—'),
        fact('Owner', entry.owner || '—'),
        fact('Retention in the event store', `${entry.retentionDays} days`),
        fact('Store policy (latest version)', latest.storePolicy),
        fact('Latest version', `v${entry.latestVersion}`),
        fact('Registered', entry.createdAt || '—'))),
    h('section', { 'aria-labelledby': 'sensitive-h' },
      h('h2', { id: 'sensitive-h' }, 'Sensitive fields'),
      table('Sensitive fields of the latest version', ['Field', 'Classification'],
        latest.sensitiveFields.map((f) => [h('code', {}, f.path), f.classification]),
        'No field of the latest version is marked sensitive.')),
    schemaSection(entry),
    h('section', { 'aria-labelledby': 'example-h' },
      h('h2', { id: 'example-h' }, 'Example'),
      entry.example ? h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(entry.example, null, 2))
        : h('p', { class: 'empty' }, 'No example is registered.')),
    h('section', { 'aria-labelledby': 'publishers-h' },
      h('h2', { id: 'publishers-h' }, 'Publishers'),
      table('Apps that may publish this type', ['App', 'Team'],
        entry.publishers.map((p) => [p.app, p.team]), 'No app may publish this type.')),
    h('section', { 'aria-labelledby': 'subscribers-h' },
      h('h2', { id: 'subscribers-h' }, 'Subscribers'),
      table('Subscriptions that receive this type', ['Subscription', 'App'],
        entry.subscribers.map((s) => [s.subscription, s.app]), 'No subscription receives this type.')),
    h('section', { 'aria-labelledby': 'lineage-h' },
      h('h2', { id: 'lineage-h' }, 'Lineage'),
      lineage(entry)));
  announce(`${entry.eventType} loaded`);
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function schemaSection(entry) {
  const versions = entry.versions;
  const options = (selected) => versions.map((v) => h('option', { value: v.version, selected: v.version === selected },
    `v${v.version}${v.version === entry.latestVersion ? ' (latest)' : ''}`));
  const left = h('select', { id: 'version-a' }, options(Math.max(1, entry.latestVersion - 1)));
  const right = h('select', { id: 'version-b' }, options(entry.latestVersion));
  const body = h('div', { id: 'schema-compare' });
  const render = () => {
    const a = versions[Number(left.value) - 1];
    const b = versions[Number(right.value) - 1];
    const rows = diff(a.schema, b.schema);
    const changed = rows.filter((r) => r.change !== 'same').length;
    body.replaceChildren(
      h('div', { class: 'side-by-side' },
        schemaColumn(a, 'schema-a'),
        schemaColumn(b, 'schema-b')),
      h('h3', {}, `Differences from v${a.version} to v${b.version}`),
      h('p', { class: 'count' }, a.version === b.version ? 'The same version is selected twice.'
        : `${changed} field${changed === 1 ? '' : 's'} differ.`),
      h('table', { class: 'diff' },
        h('caption', { class: 'visually-hidden' }, `Fields of v${a.version} and v${b.version}`),
        h('thead', {}, h('tr', {}, ['Field', 'Change', `v${a.version}`, `v${b.version}`]
          .map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows.map((r) => h('tr', { class: `change-${r.change}` },
          h('td', {}, h('code', {}, r.path)),
          h('td', {}, h('span', { class: 'marker', 'aria-hidden': 'true' }, MARK[r.change]), ` ${r.change}`),
          h('td', {}, r.before),
          h('td', {}, r.after))))));
  };
  left.addEventListener('change', render);
  right.addEventListener('change', render);
  render();
  return h('section', { 'aria-labelledby': 'schema-h' },
    h('h2', { id: 'schema-h' }, 'Schema'),
    h('p', { class: 'row compare' },
      h('label', { for: 'version-a' }, 'Compare version'), left,
      h('label', { for: 'version-b' }, 'with version'), right),
    body);
}

const MARK = { added: '+', removed: '−', changed: '~', same: '=' };

function schemaColumn(version, id) {
  return h('div', {},
    h('h3', { id: `${id}-h` }, `v${version.version} · store policy ${version.storePolicy}`),
    h('pre', { class: 'json', id, tabindex: 0, 'aria-labelledby': `${id}-h` }, JSON.stringify(version.schema, null, 2)),
    h('p', { class: 'hint' }, version.sensitiveFields.length
      ? `Sensitive: ${version.sensitiveFields.map((f) => `${f.path} (${f.classification})`).join(', ')}`
      : 'No sensitive fields.'));
}

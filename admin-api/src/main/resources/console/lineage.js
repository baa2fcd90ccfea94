import { h, svg } from './dom.js';

// Producers -> the type -> aggregation rules -> subscriptions, as four columns of boxes joined by arrows.
const BOX_W = 190;
const BOX_H = 34;
const GAP_Y = 14;
const COL_X = [10, 250, 490, 730];

export function lineage(entry) {
  const columns = [
    [...entry.publishers.map((p) => `app ${p.app}`), ...entry.aggregations.produces.map((a) => `rule ${a.id}`)],
    [entry.eventType],
    entry.aggregations.consumes.map((a) => `rule ${a.id} → ${a.output.join(', ')}`),
    entry.subscribers.map((s) => `${s.subscription} (${s.app})`),
  ];
  const titles = ['Producers', 'Event type', 'Aggregation rules', 'Subscriptions'];
  const rows = Math.max(1, ...columns.map((c) => c.length));
  const height = 40 + rows * (BOX_H + GAP_Y);
  const drawing = svg('svg', {
    viewBox: `0 0 ${COL_X[3] + BOX_W + 10} ${height}`,
    role: 'img',
    'aria-labelledby': 'lineage-title',
    class: 'lineage',
  });
  drawing.appendChild(svg('title', { id: 'lineage-title' },
    `Lineage of ${entry.eventType}: ${columns[0].length} producers, ${columns[2].length} aggregation rules, `
      + `${columns[3].length} subscriptions`));
  drawing.appendChild(svg('defs', {}, svg('marker', {
    id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto',
  }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }))));
  const centre = (column, index) => 40 + index * (BOX_H + GAP_Y) + BOX_H / 2;
  const typeY = centre(1, 0);
  columns.forEach((items, c) => {
    drawing.appendChild(svg('text', { x: COL_X[c], y: 20, class: 'column-title' }, titles[c]));
    items.forEach((label, i) => {
      const y = centre(c, i);
      // The full label as the box's tooltip: the drawn one is cut to fit.
      drawing.appendChild(svg('rect', {
        x: COL_X[c], y: y - BOX_H / 2, width: BOX_W, height: BOX_H, rx: 4, class: c === 1 ? 'box focus' : 'box',
      }, svg('title', {}, label)));
      drawing.appendChild(svg('text', { x: COL_X[c] + 8, y: y + 5, class: 'box-label' }, shorten(label)));
      if (c === 0) {
        drawing.appendChild(edge(COL_X[0] + BOX_W, y, COL_X[1], typeY));
      } else if (c === 2 || c === 3) {
        drawing.appendChild(edge(COL_X[1] + BOX_W, typeY, COL_X[c], y));
      }
    });
    if (items.length === 0) {
      drawing.appendChild(svg('text', { x: COL_X[c] + 8, y: centre(c, 0) - 8, class: 'none' }, 'none'));
    }
  });
  // The same lineage as a list, for screen readers and for reading without the drawing.
  const list = h('ul', { class: 'visually-hidden' },
    columns.map((items, c) => h('li', {}, `${titles[c]}: ${items.length ? items.join('; ') : 'none'}`)));
  return h('figure', { class: 'lineage-figure' }, drawing, list);
}

function edge(x1, y1, x2, y2) {
  return svg('path', {
    d: `M ${x1} ${y1} C ${(x1 + x2) / 2} ${y1}, ${(x1 + x2) / 2} ${y2}, ${x2} ${y2}`,
    class: 'edge',
    'marker-end': 'url(#arrow)',
  });
}

function shorten(label) {
  return label.length > 26 ? `${label.slice(0, 25)}…` : label;
}

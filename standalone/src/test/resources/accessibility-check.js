// The console page's accessibility, checked in the browser on the rendered page: what WCAG 2.1 AA asks that a script
// can decide. Answers a list of problems, each naming the element; an empty list is a pass.
// - 1.1.1: images have alt text; an SVG drawing has a role=img and a name, or is hidden from assistive technology.
// - 1.3.1 / 4.1.2: every form control has a label; buttons and links have a name; tables have header cells with a
//   scope; ids are unique (a label or aria reference to a duplicated id points at the wrong element).
// - 1.4.3: text contrast at least 4.5:1 (3:1 for large text) against the background it is drawn on.
// - 2.4.2 / 3.1.1: the page has a title and a language; the main region has one h1.
const problems = [];
const visible = (el) => {
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
};
const describe = (el) => {
  const id = el.id ? `#${el.id}` : '';
  const text = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '').trim()
    .replace(/\s+/g, ' ').slice(0, 40);
  return `<${el.tagName.toLowerCase()}${id}>${text ? ` "${text}"` : ''}`;
};
const referenced = (el, attribute) => (el.getAttribute(attribute) || '').split(/\s+/).filter(Boolean)
  .map((ref) => document.getElementById(ref)).filter(Boolean).map((x) => x.textContent.trim()).join(' ');
const accessibleName = (el) => (el.getAttribute('aria-label') || '').trim()
  || referenced(el, 'aria-labelledby')
  || (el.labels ? Array.from(el.labels).map((l) => l.textContent.trim()).join(' ') : '')
  || (el.getAttribute('title') || '').trim();

if (!document.documentElement.lang) problems.push('the page has no lang');
if (!document.title.trim()) problems.push('the page has no title');
const main = document.querySelector('main');
const h1s = main ? main.querySelectorAll('h1') : [];
if (h1s.length !== 1) problems.push(`the main region has ${h1s.length} h1 headings, not one`);

const ids = new Map();
for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) || 0) + 1);
for (const [id, count] of ids) if (count > 1) problems.push(`id "${id}" is used ${count} times`);

for (const el of document.querySelectorAll('input, select, textarea')) {
  const type = (el.getAttribute('type') || '').toLowerCase();
  if (type === 'hidden' || type === 'submit' || type === 'button' || !visible(el)) continue;
  if (!accessibleName(el)) problems.push(`${describe(el)} has no label`);
}
for (const el of document.querySelectorAll('button, a[href], [role=button]')) {
  if (!visible(el)) continue;
  if (!accessibleName(el) && !el.textContent.trim()) problems.push(`${describe(el)} has no name`);
}
for (const el of document.querySelectorAll('img')) {
  if (!el.hasAttribute('alt')) problems.push(`${describe(el)} has no alt`);
}
for (const el of document.querySelectorAll('svg')) {
  if (el.closest('[aria-hidden=true]') || el.parentElement.closest('svg')) continue;
  const named = el.getAttribute('aria-label') || referenced(el, 'aria-labelledby') || el.querySelector(':scope > title');
  if (el.getAttribute('role') !== 'img' || !named) problems.push(`an svg drawing has no role=img with a name`);
}
for (const table of document.querySelectorAll('table')) {
  const headers = table.querySelectorAll('th');
  if (headers.length === 0) problems.push(`a table (${describe(table)}) has no header cells`);
  for (const th of headers) if (!th.getAttribute('scope')) problems.push(`${describe(th)} has no scope`);
}

// Contrast: each visible element holding text of its own, against the first opaque background behind it.
const rgba = (value) => {
  const m = value.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
};
const luminance = (c) => {
  const channel = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
};
const blend = (top, bottom) => ({
  r: top.r * top.a + bottom.r * (1 - top.a),
  g: top.g * top.a + bottom.g * (1 - top.a),
  b: top.b * top.a + bottom.b * (1 - top.a),
  a: 1,
});
const background = (el) => {
  const layers = [];
  for (let at = el; at; at = at.parentElement) {
    const c = rgba(getComputedStyle(at).backgroundColor);
    if (c && c.a > 0) {
      layers.push(c);
      if (c.a >= 1) break;
    }
  }
  let colour = { r: 255, g: 255, b: 255, a: 1 };
  for (const layer of layers.reverse()) colour = blend(layer, colour);
  return colour;
};
for (const el of document.querySelectorAll('body *')) {
  if (el.closest('svg, [disabled], .visually-hidden, [aria-hidden=true]') || !visible(el)) continue;
  const ownText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  if (!ownText) continue;
  const style = getComputedStyle(el);
  const fg = rgba(style.color);
  if (!fg) continue;
  const bg = background(el);
  const text = blend(fg, bg);
  const [light, dark] = [luminance(text), luminance(bg)].sort((x, y) => y - x);
  const ratio = (light + 0.05) / (dark + 0.05);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
  if (ratio < (large ? 3 : 4.5)) problems.push(`${describe(el)} has contrast ${ratio.toFixed(2)}:1`);
}
return problems;

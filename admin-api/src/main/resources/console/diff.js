// Compares two JSON Schemas by field: each declared path (JSON Pointer, * for array elements) with what it says
// (type, format, enum, required, ...), so that a reader sees what a new version added, removed or changed.
const DESCRIBED = ['type', 'format', 'enum', 'const', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength',
  'additionalProperties'];

export function fields(schema) {
  const out = new Map();
  walk(schema, '', out, 0, false);
  return out;
}

function walk(schema, at, out, depth, required) {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema) || depth > 32) {
    return;
  }
  if (at !== '') {
    const described = {};
    for (const key of DESCRIBED) {
      if (key in schema) {
        described[key] = schema[key];
      }
    }
    if (required) {
      described.required = true;
    }
    out.set(at, { ...(out.get(at) || {}), ...described });
  }
  const requiredNames = Array.isArray(schema.required) ? schema.required : [];
  if (schema.properties && typeof schema.properties === 'object') {
    for (const [name, child] of Object.entries(schema.properties)) {
      const path = `${at}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (!out.has(path)) {
        out.set(path, {});
      }
      walk(child, path, out, depth + 1, requiredNames.includes(name));
    }
  }
  const items = Array.isArray(schema.items) ? schema.items : [schema.items];
  for (const item of items) {
    if (item && typeof item === 'object') {
      walk(item, `${at}/*`, out, depth + 1, false);
    }
  }
  for (const combinator of ['allOf', 'anyOf', 'oneOf']) {
    for (const branch of Array.isArray(schema[combinator]) ? schema[combinator] : []) {
      walk(branch, at, out, depth + 1, false);
    }
  }
}

export function describe(field) {
  if (!field) {
    return '';
  }
  return Object.entries(field)
    .map(([key, value]) => (value === true && key === 'required' ? 'required' : `${key}: ${JSON.stringify(value)}`))
    .join(', ');
}

/** Every path of either schema: added (only in the newer), removed (only in the older), changed or same. */
export function diff(older, newer) {
  const a = fields(older);
  const b = fields(newer);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.map((path) => {
    const before = a.get(path);
    const after = b.get(path);
    let change = 'same';
    if (!before) {
      change = 'added';
    } else if (!after) {
      change = 'removed';
    } else if (describe(before) !== describe(after)) {
      change = 'changed';
    }
    return { path, change, before: describe(before), after: describe(after) };
  });
}

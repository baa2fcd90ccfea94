// The admin API as the console calls it. The session cookie is HttpOnly: the console never sees or stores a token;
// the CSRF token lives in this module's memory only and comes back from GET /v1/session after a reload.
let csrfToken = null;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `the admin API answered ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** The admin API for pages: api.get(path), api.post(path, body), ...; each answers the JSON body or throws ApiError. */
export const api = {
  get: (path) => call('GET', path),
  post: (path, body) => call('POST', path, body === undefined ? {} : body),
  put: (path, body) => call('PUT', path, body),
  patch: (path, body) => call('PATCH', path, body),
  delete: (path) => call('DELETE', path),
};

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (response.status === 204) {
    return null;
  }
  const type = response.headers.get('Content-Type') || '';
  const json = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    throw new ApiError(response.status, json);
  }
  return json;
}

export async function signIn(token) {
  const session = await call('POST', '/v1/session', { token });
  csrfToken = session.csrfToken;
  return session;
}

/** The live session, or null when there is none (a 401). */
export async function currentSession() {
  try {
    const session = await call('GET', '/v1/session');
    csrfToken = session.csrfToken;
    return session;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      csrfToken = null;
      return null;
    }
    throw e;
  }
}

export async function signOut() {
  try {
    await call('DELETE', '/v1/session');
  } finally {
    csrfToken = null;
  }
}

export function searchCatalog(q) {
  const params = new URLSearchParams({ q, limit: '200' });
  return call('GET', `/v1/catalog?${params}`);
}

export function catalogEntry(eventType) {
  return call('GET', `/v1/catalog/${encodeURIComponent(eventType)}`);
}

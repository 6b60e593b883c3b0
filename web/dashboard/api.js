// Calls to this node's REST API. Every call carries the session's bearer token; a 401 ends the session,
// which takes the dashboard back to the sign-in screen.
import * as session from './session.js';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Thrown for a call made without a session or refused as unauthenticated: the caller just stops. */
export class SignedOut extends Error {}

export async function api(path, { method = 'GET', body, auth = true } = {}) {
  const headers = { Accept: 'application/json' };
  if (auth) {
    const s = session.current();
    if (!s) {
      session.end('Your session has ended: sign in again.');
      throw new SignedOut('not signed in');
    }
    headers.Authorization = 'Bearer ' + s.token;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'This node did not answer (' + e.message + ').');
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  if (response.status === 401 && auth) {
    session.end((data && data.message) || 'Your session has ended: sign in again.');
    throw new SignedOut('signed out');
  }
  if (!response.ok) {
    const message = (data && data.message) || (response.status + ' ' + response.statusText);
    const error = new ApiError(response.status, message);
    error.retryAfter = response.headers.get('Retry-After');
    throw error;
  }
  return data;
}

/** Every page of a paged list (`/list/{offset}/{size}`, size at most 50), up to `max` items. */
export async function all(pathPrefix, max = 1000) {
  const items = [];
  for (let offset = 0; offset < max; offset += 50) {
    const page = await api(pathPrefix + '/' + offset + '/50');
    items.push(...page);
    if (page.length < 50) {
      break;
    }
  }
  return items;
}

export const enc = encodeURIComponent;

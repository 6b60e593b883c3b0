// The signed-in user's token, kept in sessionStorage: it lasts as long as the tab and is not shared with
// other tabs or sent anywhere but this node's API.
const KEY = 'tributary.session';
const listeners = new Set();

export function current() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (s && s.token && (!s.expiresAt || s.expiresAt > Date.now())) {
      return s;
    }
  } catch (e) {
    // unreadable: treated as signed out
  }
  return null;
}

export function store(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  listeners.forEach(l => l(session, null));
}

/** Forgets the token; `reason` is shown on the sign-in screen (null for a deliberate sign-out). */
export function end(reason) {
  sessionStorage.removeItem(KEY);
  listeners.forEach(l => l(null, reason));
}

export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

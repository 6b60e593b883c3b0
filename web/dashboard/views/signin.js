// The sign-in screen: user name and password against POST /rest/v2/users/authenticate. Nothing of the
// cluster is fetched before a token is held.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import * as session from '../session.js';

export function SignIn({ reason }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(e) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api('/rest/v2/users/authenticate', { method: 'POST', auth: false,
        body: { email: user, password } });
      if (!r || !r.success || !r.token) {
        throw new Error((r && r.message) || 'Sign-in failed.');
      }
      session.store({ token: r.token, expiresAt: r.expiresAt, username: r.dataId || user });
    } catch (err) {
      const wait = err.retryAfter ? ' Try again in ' + err.retryAfter + ' s.' : '';
      setError(err.message + wait);
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return html`
    <div class="signin">
      <form onSubmit=${submit} data-test="sign-in-form">
        <h1>Tributary</h1>
        <p class="muted">Sign in to manage this cluster.</p>
        ${reason && !error ? html`<p class="notice" data-test="sign-in-reason">${reason}</p>` : null}
        ${error ? html`<p class="error" role="alert" data-test="sign-in-error">${error}</p>` : null}
        <label>User name
          <input name="username" autocomplete="username" required value=${user}
                 onInput=${e => setUser(e.target.value)} data-test="sign-in-user" />
        </label>
        <label>Password
          <input name="password" type="password" autocomplete="current-password" required value=${password}
                 onInput=${e => setPassword(e.target.value)} data-test="sign-in-password" />
        </label>
        <button type="submit" disabled=${busy} data-test="sign-in-submit">${busy ? 'Signing in…' : 'Sign in'}</button>
        <p class="muted small">No user yet? Create one on a node with
          <code>./tributary admin create --user admin</code>.</p>
      </form>
    </div>`;
}

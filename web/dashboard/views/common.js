// Small pieces every view uses.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { clock } from '../format.js';
import { SignedOut } from '../api.js';

/**
 * An action's outcome for the operator: `act(what, call)` runs `call`, shows the server's message (or
 * "what: done.") or the error, then reloads the view's data with `refresh`.
 */
export function useAction(refresh) {
  const [message, setMessage] = useState(null);
  async function act(what, call) {
    setMessage(null);
    try {
      const r = await call();
      setMessage({ ok: true, text: (r && r.message) || what + ': done.' });
    } catch (e) {
      if (e instanceof SignedOut) {
        return;
      }
      setMessage({ ok: false, text: what + ': ' + e.message });
    }
    refresh();
  }
  return [message, act];
}

export function ActionMessage({ message }) {
  return message ? html`<p class=${message.ok ? 'notice' : 'error'} data-test="action-message">${message.text}</p>`
    : null;
}

/** When the view's data was last fetched. */
export function Updated({ state }) {
  return html`<span class="updated muted small" data-test="updated">
    ${state.at ? 'updated ' + clock(state.at) + ' · refreshes every 2 s' : 'loading…'}</span>`;
}

/** A failed refresh: the data shown is the last that came. */
export function Problem({ error }) {
  return error ? html`<p class="error" role="alert" data-test="problem">${error}</p>` : null;
}

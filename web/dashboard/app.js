// The Tributary dashboard: sign-in, then the cluster, its streams and relays, and a page per stream.
// Any node serves it and shows the whole cluster; views refresh themselves every two seconds.
import { useEffect, useState } from 'preact/hooks';
import { html, render } from './html.js';
import * as session from './session.js';
import { SignIn } from './views/signin.js';
import { ClusterView } from './views/cluster.js';
import { StreamsView } from './views/streams.js';
import { RelaysView } from './views/relays.js';
import { StreamPage } from './views/stream.js';
import { useSelf } from './self.js';

const TABS = [['cluster', 'Cluster'], ['streams', 'Streams'], ['relays', 'Relays']];

/** The view the location's hash names: #/cluster, #/streams, #/relays, #/stream/{app}/{id}. */
function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(p => {
    try {
      return decodeURIComponent(p);
    } catch (e) {
      return '';
    }
  });
  if (parts[0] === 'stream' && parts[1] && parts[2]) {
    return { view: 'stream', app: parts[1], id: parts[2] };
  }
  return { view: TABS.some(([t]) => t === parts[0]) ? parts[0] : 'cluster' };
}

function useRoute() {
  const [r, setR] = useState(route());
  useEffect(() => {
    const changed = () => setR(route());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return r;
}

function useSession() {
  const [state, setState] = useState({ session: session.current(), reason: null });
  useEffect(() => session.onChange((s, reason) => setState({ session: s, reason })), []);
  useEffect(() => {
    // The token's own expiry ends the session even on a page nobody touches.
    const s = state.session;
    if (!s || !s.expiresAt) {
      return undefined;
    }
    const t = setTimeout(() => session.end('Your session has expired: sign in again.'),
      Math.max(0, s.expiresAt - Date.now()));
    return () => clearTimeout(t);
  }, [state.session]);
  return state;
}

function Header({ user, current, self }) {
  return html`
    <header class="top">
      <a class="brand" href="#/cluster">Tributary</a>
      <nav>
        ${TABS.map(([t, label]) => html`
          <a href=${'#/' + t} class=${current === t ? 'active' : ''} data-test=${'tab-' + t}>${label}</a>`)}
      </nav>
      <span class="served" title="The node that serves this page">${self ? 'via ' + self : ''}</span>
      <span class="user" data-test="signed-in-user">${user}</span>
      <button class="link" data-test="sign-out" onClick=${() => session.end(null)}>Sign out</button>
    </header>`;
}

function Dashboard({ user }) {
  const r = useRoute();
  const self = useSelf();
  let view;
  if (r.view === 'stream') {
    view = html`<${StreamPage} app=${r.app} id=${r.id} self=${self} />`;
  } else if (r.view === 'streams') {
    view = html`<${StreamsView} />`;
  } else if (r.view === 'relays') {
    view = html`<${RelaysView} />`;
  } else {
    view = html`<${ClusterView} self=${self} />`;
  }
  return html`
    <${Header} user=${user} current=${r.view === 'stream' ? 'streams' : r.view} self=${self} />
    <main>${view}</main>`;
}

function App() {
  const { session: s, reason } = useSession();
  if (!s) {
    return html`<${SignIn} reason=${reason} />`;
  }
  return html`<${Dashboard} user=${s.username} />`;
}

render(html`<${App} />`, document.getElementById('app'));

// Every node of the cluster with its roles, state, load and heartbeat, drain and remove actions, and the
// load of the last minutes.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { all, api, enc } from '../api.js';
import { usePoll } from '../poll.js';
import { ago, bits, percent } from '../format.js';
import { LoadCharts } from './charts.js';
import { ActionMessage, Problem, Updated, useAction } from './common.js';

export function ClusterView({ self }) {
  const [nodes, refresh] = usePoll(() => all('/rest/v2/cluster/nodes'));
  const [history] = usePoll(() => api('/rest/v2/cluster/load-history'));
  const [message, act] = useAction(refresh);
  const list = nodes.data || [];


  return html`
    <section>
      <div class="title">
        <h2>Cluster <span class="count" data-test="node-count">${list.length}</span></h2>
        <${Updated} state=${nodes} />
      </div>
      <${Problem} error=${nodes.error} />
      <${ActionMessage} message=${message} />
      <table class="grid" data-test="nodes">
        <thead><tr>
          <th>Node</th><th>Roles</th><th>Status</th><th class="num">CPU</th><th class="num">Memory</th>
          <th class="num">Egress</th><th class="num">Publishers</th><th class="num">Players</th>
          <th>Last heartbeat</th><th>Actions</th>
        </tr></thead>
        <tbody>
          ${list.map(n => html`<${NodeRow} key=${n.id} node=${n} self=${self} act=${act} />`)}
        </tbody>
      </table>
      ${nodes.data && list.length === 0 ? html`<p class="muted">No nodes.</p>` : null}
      <${LoadCharts} history=${history.data} />
    </section>`;
}

function NodeRow({ node: n, self, act }) {
  const [confirm, setConfirm] = useState(null);
  const drain = on => act(on ? 'Drain ' + n.id : 'Undrain ' + n.id,
    () => api('/rest/v2/cluster/nodes/' + enc(n.id) + '/drain', { method: on ? 'POST' : 'DELETE' }));
  const remove = () => act('Remove ' + n.id,
    () => api('/rest/v2/cluster/node/' + enc(n.id), { method: 'DELETE' }));
  return html`
    <tr data-test="node-row" data-node-id=${n.id}>
      <td><strong>${n.id}</strong>${n.id === self ? html` <span class="tag">this node</span>` : null}
        <div class="muted small">${n.ip}:${n.httpPort} · rtmp ${n.rtmpPort}</div></td>
      <td>${(n.roles || []).join(', ')}</td>
      <td>
        <span class=${'state ' + n.status} data-test="node-status">${n.status}</span>
        ${n.draining ? html` <span class="state draining" data-test="node-draining">draining</span>` : null}
      </td>
      <td class="num">${percent(n.cpu)}</td>
      <td class="num">${percent(n.memory)}</td>
      <td class="num">${bits(n.egressBitsPerSecond)}</td>
      <td class="num" data-test="node-publishers">${n.streams}</td>
      <td class="num" data-test="node-players">${n.viewers}</td>
      <td>${ago(n.lastUpdateTime)}</td>
      <td class="actions">
        ${confirm ? html`
          <span class="confirm">${confirm.question}
            <button class="danger" data-test="confirm" onClick=${() => { setConfirm(null); confirm.run(); }}>
              ${confirm.label}</button>
            <button class="link" onClick=${() => setConfirm(null)}>Cancel</button>
          </span>`
        : html`
          ${n.status !== 'dead' && !n.draining ? html`<button data-test="drain" onClick=${() => setConfirm({
            question: 'Drain ' + n.id + '? It takes no new publishers or players.', label: 'Drain',
            run: () => drain(true) })}>Drain</button>` : null}
          ${n.status !== 'dead' && n.draining ? html`<button data-test="undrain"
            onClick=${() => drain(false)}>Undrain</button>` : null}
          ${n.status === 'dead' ? html`<button class="danger" data-test="remove" onClick=${() => setConfirm({
            question: 'Remove ' + n.id + ' from the cluster?', label: 'Remove', run: remove })}>Remove</button>`
            : null}`}
      </td>
    </tr>`;
}

// Every relay session of the cluster, as Monibuca's Relay tab shows them: on each edge, the streams it
// pulls from their origin (state, viewers, frames), and on each origin the streams other nodes pull.
import { html } from '../html.js';
import { api } from '../api.js';
import { usePoll } from '../poll.js';
import { ago } from '../format.js';
import { Problem, Updated } from './common.js';

export function RelaysView() {
  const [state] = usePoll(() => api('/rest/v2/cluster/relays'));
  const data = state.data || { sessions: [], unreachable: [] };
  return html`
    <section>
      <div class="title">
        <h2>Relays <span class="count" data-test="relay-count">${data.sessions.length}</span></h2>
        <${Updated} state=${state} />
      </div>
      <${Problem} error=${state.error} />
      ${data.unreachable.map(u => html`<p class="error" data-test="relay-unreachable">
        No relay sessions from ${u.nodeId}: ${u.reason}</p>`)}
      <table class="grid" data-test="relays">
        <thead><tr>
          <th>Stream</th><th>Node</th><th>Direction</th><th>Origin</th><th>Source</th><th>State</th>
          <th class="num" title="An edge's viewers of the stream; for an origin, the nodes pulling it">
            Viewers / pulls</th>
          <th class="num">Frames</th><th class="num">Failed attempts</th><th>Since</th>
        </tr></thead>
        <tbody>
          ${data.sessions.map(s => html`
            <tr data-test="relay-row" data-node-id=${s.nodeId} data-stream=${s.streamPath}>
              <td><strong>${s.streamPath}</strong></td>
              <td>${s.nodeId}</td>
              <td>${s.direction === 'pull' ? 'pulls (edge)' : 'serves (origin)'}</td>
              <td>${s.originNode || '–'}</td>
              <td class="small">${s.source || '–'}</td>
              <td><span class=${'state ' + s.state} data-test="relay-state">${s.state}</span></td>
              <td class="num">${s.subscriberCount}</td>
              <td class="num" data-test="relay-frames">${s.frameCount}</td>
              <td class="num">${s.attempts}</td>
              <td>${ago(s.startedAt)}</td>
            </tr>`)}
        </tbody>
      </table>
      ${state.data && data.sessions.length === 0 ? html`<p class="muted">No relays: a node pulls a stream from
        its origin when a viewer asks it for a stream published elsewhere.</p>` : null}
    </section>`;
}

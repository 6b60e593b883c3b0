// Every broadcast of every application: origin, status, codecs, picture, bit rate, uptime and viewers per
// protocol and per node; create and delete.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { all, api, enc } from '../api.js';
import { usePoll } from '../poll.js';
import { bits, uptime } from '../format.js';
import { ActionMessage, Problem, Updated, useAction } from './common.js';

/** Every application's broadcasts, each with its `app`. */
export async function loadBroadcasts() {
  const { applications } = await api('/rest/v2/applications');
  const lists = await Promise.all(applications.map(async app =>
    (await all('/' + enc(app) + '/rest/v2/broadcasts/list')).map(b => ({ ...b, app }))));
  return { applications, broadcasts: lists.flat() };
}

/** Viewers of `app/id` on each node that reported some: [{node, viewers: {rtmp, flv, hls, ...}}]. */
export function viewersByNode(nodes, app, id) {
  const path = app + '/' + id;
  const out = [];
  for (const n of nodes || []) {
    const s = (n.streamViewers || []).find(v => v.path === path);
    if (s && Object.values(s.viewers).some(v => v > 0)) {
      out.push({ node: n.id, viewers: s.viewers });
    }
  }
  return out;
}

export function protocolViewers(b) {
  return [['RTMP', b.rtmpViewerCount], ['FLV', b.httpFlvViewerCount], ['HLS', b.hlsViewerCount],
    ['DASH', b.dashViewerCount]];
}

export function codecs(b) {
  return [b.videoCodec, b.audioCodec].filter(Boolean).join(' + ') || '–';
}

export function picture(b) {
  return b.width ? b.width + '×' + b.height + (b.fps ? ' @ ' + Math.round(b.fps) : '') : '–';
}

export function StreamsView() {
  const [state, refresh] = usePoll(loadBroadcasts);
  const [nodes] = usePoll(() => all('/rest/v2/cluster/nodes'));
  const [message, act] = useAction(refresh);
  const data = state.data || { applications: [], broadcasts: [] };


  return html`
    <section>
      <div class="title">
        <h2>Streams <span class="count" data-test="stream-count">${data.broadcasts.length}</span></h2>
        <${Updated} state=${state} />
      </div>
      <${Problem} error=${state.error} />
      <${CreateForm} applications=${data.applications} act=${act} />
      <${ActionMessage} message=${message} />
      <table class="grid" data-test="streams">
        <thead><tr>
          <th>Stream</th><th>Origin</th><th>Status</th><th>Codecs</th><th>Picture</th>
          <th class="num">Bitrate</th><th class="num">Uptime</th><th>Viewers</th><th>Per node</th><th></th>
        </tr></thead>
        <tbody>
          ${data.broadcasts.map(b => html`<${StreamRow} key=${b.app + '/' + b.streamId} b=${b}
            nodes=${nodes.data} act=${act} />`)}
        </tbody>
      </table>
      ${state.data && data.broadcasts.length === 0 ? html`<p class="muted">No broadcasts yet: publish to
        rtmp://host:1935/${data.applications[0] || 'live'}/stream or create one above.</p>` : null}
    </section>`;
}

function StreamRow({ b, nodes, act }) {
  const [confirm, setConfirm] = useState(false);
  const href = '#/stream/' + enc(b.app) + '/' + enc(b.streamId);
  return html`
    <tr data-test="stream-row" data-app=${b.app} data-stream-id=${b.streamId}>
      <td><a href=${href} data-test="stream-link"><strong>${b.app}/${b.streamId}</strong></a>
        ${b.name ? html`<div class="small" data-test="stream-name">${b.name}</div>` : null}</td>
      <td data-test="stream-origin">${b.originNode || '–'}</td>
      <td><span class=${'state ' + b.status} data-test="stream-status">${b.status}</span></td>
      <td data-test="stream-codecs">${codecs(b)}</td>
      <td data-test="stream-picture">${picture(b)}</td>
      <td class="num">${b.status === 'broadcasting' ? bits(b.bitrate) : '–'}</td>
      <td class="num" data-test="stream-uptime">${uptime(b)}</td>
      <td class="small" data-test="stream-viewers">${protocolViewers(b).map(([p, n]) => html`
        <span class="pill">${p} ${n || 0}</span>`)}</td>
      <td class="small">${viewersByNode(nodes, b.app, b.streamId).map(v => html`
        <div>${v.node}: ${Object.values(v.viewers).reduce((a, c) => a + c, 0)}</div>`)}</td>
      <td class="actions">
        ${confirm ? html`<span class="confirm">Delete?
            <button class="danger" data-test="confirm" onClick=${() => { setConfirm(false); act('Delete '
              + b.streamId, () => api('/' + enc(b.app) + '/rest/v2/broadcasts/' + enc(b.streamId),
              { method: 'DELETE' })); }}>Delete</button>
            <button class="link" onClick=${() => setConfirm(false)}>Cancel</button></span>`
          : html`<a class="button" href=${href}>Open</a>
            <button class="danger" data-test="delete" onClick=${() => setConfirm(true)}>Delete</button>`}
      </td>
    </tr>`;
}

function CreateForm({ applications, act }) {
  const [app, setApp] = useState('');
  const [streamId, setStreamId] = useState('');
  const [name, setName] = useState('');
  const chosen = app || applications[0] || '';

  function submit(e) {
    e.preventDefault();
    const body = { name };
    if (streamId.trim()) {
      body.streamId = streamId.trim();
    }
    act('Create ' + (body.streamId || 'broadcast'), async () => {
      await api('/' + enc(chosen) + '/rest/v2/broadcasts/create', { method: 'POST', body });
      setStreamId('');
      setName('');
    });
  }

  return html`
    <form class="inline" onSubmit=${submit} data-test="create-form">
      <select value=${chosen} onChange=${e => setApp(e.target.value)} data-test="create-app">
        ${applications.map(a => html`<option value=${a}>${a}</option>`)}
      </select>
      <input placeholder="stream id (optional)" value=${streamId} onInput=${e => setStreamId(e.target.value)}
             data-test="create-id" />
      <input placeholder="name" value=${name} onInput=${e => setName(e.target.value)} data-test="create-name" />
      <button type="submit" disabled=${!chosen} data-test="create-submit">Create broadcast</button>
    </form>`;
}

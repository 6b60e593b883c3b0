// One stream: what it is and who watches it, where to publish and play it, and a live preview.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { all, api, enc } from '../api.js';
import { usePoll } from '../poll.js';
import { bits, uptime } from '../format.js';
import { play } from '../player.js';
import { codecs, picture, protocolViewers, viewersByNode } from './streams.js';
import { Problem, Updated } from './common.js';

/** The host players use for a node: its advertised address, or this page's host if that is a wildcard. */
function host(node) {
  const ip = node && node.ip;
  if (!ip || ip === '0.0.0.0' || ip === '::') {
    return location.hostname;
  }
  return ip.includes(':') ? '[' + ip + ']' : ip;
}

function urls(app, id, self, nodes) {
  const me = (nodes || []).find(n => n.id === self);
  const origins = (nodes || []).filter(n => n.status === 'alive' && !n.draining && n.roles.includes('origin'));
  const publishTo = me && me.roles.includes('origin') && !me.draining ? me : origins[0] || me;
  const path = enc(app) + '/' + enc(id);
  return {
    publish: publishTo ? 'rtmp://' + host(publishTo) + ':' + publishTo.rtmpPort + '/' + path : null,
    rtmp: me ? 'rtmp://' + host(me) + ':' + me.rtmpPort + '/' + path : null,
    flv: location.origin + '/' + path + '.flv',
    hls: location.origin + '/' + enc(app) + '/streams/' + enc(id) + '.m3u8',
  };
}

export function StreamPage({ app, id, self }) {
  const [state] = usePoll(() => api('/' + enc(app) + '/rest/v2/broadcasts/' + enc(id)), [app, id]);
  const [nodes] = usePoll(() => all('/rest/v2/cluster/nodes'));
  const b = state.data;
  const u = urls(app, id, self, nodes.data);
  return html`
    <section>
      <p><a href="#/streams">← Streams</a></p>
      <div class="title">
        <h2 data-test="stream-title">${app}/${id}</h2>
        ${b ? html`<span class=${'state ' + b.status} data-test="stream-status">${b.status}</span>` : null}
        <${Updated} state=${state} />
      </div>
      ${b && b.name ? html`<p data-test="stream-name">${b.name}</p>` : null}
      <${Problem} error=${state.error} />
      <div class="columns">
        <div>
          <${Preview} app=${app} id=${id} urls=${u} live=${b && b.status === 'broadcasting'} />
        </div>
        <div>
          ${b ? html`<${Details} app=${app} b=${b} nodes=${nodes.data} />` : null}
          <h3>Publish</h3>
          <dl class="urls">
            <dt>RTMP</dt><dd><code data-test="url-publish">${u.publish || '–'}</code></dd>
          </dl>
          <p class="muted small">OBS: server ${u.publish ? u.publish.slice(0, u.publish.lastIndexOf('/')) : '–'},
            stream key ${id}.</p>
          <h3>Play</h3>
          <dl class="urls">
            <dt>RTMP</dt><dd><code data-test="url-rtmp">${u.rtmp || '–'}</code></dd>
            <dt>HTTP-FLV</dt><dd><code data-test="url-flv">${u.flv}</code></dd>
            <dt>HLS</dt><dd><code data-test="url-hls">${u.hls}</code></dd>
          </dl>
        </div>
      </div>
    </section>`;
}

function Details({ app, b, nodes }) {
  const perNode = viewersByNode(nodes, app, b.streamId);
  return html`
    <dl class="details" data-test="stream-details">
      <dt>Origin</dt><dd data-test="stream-origin">${b.originNode || '–'}</dd>
      <dt>Codecs</dt><dd data-test="stream-codecs">${codecs(b)}</dd>
      <dt>Picture</dt><dd data-test="stream-picture">${picture(b)}</dd>
      <dt>Bitrate</dt><dd>${b.status === 'broadcasting' ? bits(b.bitrate) : '–'}</dd>
      <dt>Uptime</dt><dd>${uptime(b)}</dd>
      <dt>Viewers</dt><dd>${protocolViewers(b).map(([p, n]) => html`<span class="pill">${p} ${n || 0}</span>`)}</dd>
      <dt>Per node</dt><dd data-test="stream-node-viewers">${perNode.length ? perNode.map(v => html`<div>${
        v.node + ': ' + Object.entries(v.viewers).map(([p, n]) => p + ' ' + n).join(', ')}</div>`) : '–'}</dd>
    </dl>`;
}

/**
 * The URL the preview plays: with a play token when the application asks viewers for one. A JWT is preferred
 * (it survives the player's reconnects); a one-time token opens one viewing. Webhook-checked applications get
 * no token: their webhook decides about the dashboard's browser like any viewer.
 */
async function previewUrl(app, id, url) {
  const settings = await api('/rest/v2/applications/settings/' + enc(app));
  const kind = settings.playJwtControlEnabled ? 'jwt-token' : settings.playTokenControlEnabled ? 'token' : null;
  if (!kind) {
    return url;
  }
  const expireDate = Math.floor(Date.now() / 1000) + 3600;
  const token = await api('/' + enc(app) + '/rest/v2/broadcasts/' + enc(id) + '/' + kind + '?type=play&expireDate='
    + expireDate);
  return url + (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token.tokenId);
}

function Preview({ app, id, urls: u, live }) {
  const video = useRef(null);
  const [kind, setKind] = useState('flv');
  const [error, setError] = useState(null);
  const url = kind === 'flv' ? u.flv : u.hls;
  useEffect(() => {
    if (!live || !video.current) {
      return undefined;
    }
    let stop = null;
    let cancelled = false;
    setError(null);
    previewUrl(app, id, url).then(withToken => play(video.current, kind, withToken, setError)).then(s => {
      if (cancelled) {
        s();
      } else {
        stop = s;
      }
    }).catch(e => setError(e.message));
    return () => {
      cancelled = true;
      if (stop) {
        stop();
      }
    };
  }, [kind, url, live, app, id]);
  return html`
    <div class="preview">
      <div class="tabs">
        <button class=${kind === 'flv' ? 'active' : ''} data-test="preview-flv" onClick=${() => setKind('flv')}>
          HTTP-FLV (mpegts.js)</button>
        <button class=${kind === 'hls' ? 'active' : ''} data-test="preview-hls" onClick=${() => setKind('hls')}>
          HLS (hls.js)</button>
      </div>
      <video ref=${video} muted autoplay playsinline controls data-test="preview" data-kind=${kind}></video>
      ${!live ? html`<p class="muted">The preview starts when the stream is live.</p>` : null}
      ${error ? html`<p class="error" data-test="preview-error">${error}</p>` : null}
    </div>`;
}

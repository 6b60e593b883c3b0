// Plays one HLS playlist with hls.js in headless Chromium and prints what a viewer would see, as JSON:
//   node web/test/hls-player.mjs PLAYLIST_URL ts|llhls SCREENSHOT.png SECONDS
// The page is served at the playlist's own origin (intercepted by the browser, never by the node), so
// the player fetches exactly as a page hosted next to the stream would. Used by the node's browser test.
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const [, , playlist, mode, screenshot, secondsArg] = process.argv;
if (!playlist || !mode || !screenshot) {
  console.error('usage: hls-player.mjs PLAYLIST_URL ts|llhls SCREENSHOT.png [SECONDS]');
  process.exit(2);
}
const seconds = Number(secondsArg || 5);
const here = path.dirname(fileURLToPath(import.meta.url));
const hlsJs = path.join(here, '..', 'node_modules', 'hls.js', 'dist', 'hls.min.js');
const origin = new URL(playlist).origin;
const page = `<!doctype html><html><body style="margin:0;background:#000">
<video id="v" muted autoplay playsinline style="width:640px;height:360px"></video>
<script src="/__tributary-test/hls.min.js"></script>
<script>
  window.report = { errors: [], levels: [] };
  const video = document.getElementById('v');
  const hls = new Hls({ lowLatencyMode: ${mode === 'llhls'} });
  window.hls = hls;
  hls.on(Hls.Events.ERROR, (e, d) => window.report.errors.push((d.fatal ? 'fatal ' : '') + d.type + ' ' + d.details));
  hls.loadSource(${JSON.stringify(playlist)});
  hls.attachMedia(video);
  video.play().catch(e => window.report.errors.push('play: ' + e));
</script></body></html>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required'],
});
const result = { requests: [] };
try {
  const tab = await browser.newPage({ viewport: { width: 640, height: 360 } });
  tab.on('request', r => { if (r.url().startsWith(origin) && !r.url().includes('/__tributary-test/')) result.requests.push(r.url().substring(origin.length)); });
  tab.on('requestfailed', r => (result.failedRequests ??= []).push(r.url().substring(origin.length) + ' ' + (r.failure()?.errorText ?? '')));
  tab.on('response', r => { if (r.status() >= 400) (result.errorResponses ??= []).push(r.status() + ' ' + r.url().substring(origin.length)); });
  tab.on('console', m => { if (m.type() === 'error') (result.console ??= []).push(m.text()); });
  await tab.route(origin + '/__tributary-test/**', route => route.request().url().endsWith('hls.min.js')
    ? route.fulfill({ path: hlsJs, contentType: 'application/javascript' })
    : route.fulfill({ body: page, contentType: 'text/html' }));
  const opened = Date.now();
  await tab.goto(origin + '/__tributary-test/player.html');
  await tab.waitForFunction(() => document.getElementById('v').currentTime > 0, null, { timeout: 30000 });
  result.firstFrameMs = Date.now() - opened;
  const sample = () => tab.evaluate(() => {
    const v = document.getElementById('v');
    return { time: v.currentTime, width: v.videoWidth, height: v.videoHeight, paused: v.paused,
      latency: window.hls.latency,
      // how far behind the server's clock the picture on screen is: EXT-X-PROGRAM-DATE-TIME says when the
      // node received the frame now playing (same machine, same clock)
      behindLive: window.hls.playingDate ? (Date.now() - window.hls.playingDate.getTime()) / 1000 : null,
      buffered: v.buffered.length ? v.buffered.end(v.buffered.length - 1) - v.currentTime : 0 };
  });
  const start = await sample();
  const startWall = Date.now();
  const latencies = [];
  const behind = [];
  while (Date.now() - startWall < seconds * 1000) {
    await tab.waitForTimeout(250);
    const s = await sample();
    latencies.push(s.latency);
    behind.push(s.behindLive);
  }
  const end = await sample();
  result.start = start;
  result.end = end;
  result.wallSeconds = (Date.now() - startWall) / 1000;
  result.played = end.time - start.time;
  result.latencies = latencies;
  result.behindLive = behind;
  result.errors = await tab.evaluate(() => window.report.errors);
  await tab.screenshot({ path: screenshot });
} catch (e) {
  result.failure = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));

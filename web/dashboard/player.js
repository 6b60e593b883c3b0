// The preview player: HTTP-FLV through mpegts.js, HLS through hls.js (or the browser's own HLS), both
// feeding the <video> element through Media Source Extensions. Returns a function that stops it.

let mpegtsLoading = null;

/** mpegts.js ships as a classic script (it sets window.mpegts); it is loaded once, when first needed. */
function loadMpegts() {
  if (!mpegtsLoading) {
    mpegtsLoading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = import.meta.resolve('mpegts.js');
      script.onload = () => resolve(window.mpegts);
      script.onerror = () => reject(new Error('mpegts.js did not load'));
      document.head.appendChild(script);
    });
  }
  return mpegtsLoading;
}

export async function play(video, kind, url, onError) {
  if (kind === 'flv') {
    const mpegts = await loadMpegts();
    if (!mpegts.getFeatureList().mseLivePlayback) {
      throw new Error('This browser cannot play HTTP-FLV (no Media Source Extensions).');
    }
    const player = mpegts.createPlayer({ type: 'flv', isLive: true, url },
      { enableWorker: false, liveBufferLatencyChasing: true, lazyLoad: false });
    player.on(mpegts.Events.ERROR, (type, detail) => onError('HTTP-FLV: ' + type + ' ' + detail));
    player.attachMediaElement(video);
    player.load();
    video.play().catch(() => {});
    return () => {
      player.pause();
      player.unload();
      player.detachMediaElement();
      player.destroy();
    };
  }
  const { default: Hls } = await import('hls.js');
  if (Hls.isSupported()) {
    const hls = new Hls({ lowLatencyMode: true });
    hls.on(Hls.Events.ERROR, (e, d) => {
      if (d.fatal) {
        onError('HLS: ' + d.type + ' ' + d.details);
      }
    });
    hls.loadSource(url);
    hls.attachMedia(video);
    video.play().catch(() => {});
    return () => hls.destroy();
  }
  if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = url;
    video.play().catch(() => {});
    return () => video.removeAttribute('src');
  }
  throw new Error('This browser cannot play HLS.');
}

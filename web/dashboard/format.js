// How numbers look on the dashboard.

export function bits(bps) {
  if (bps === null || bps === undefined) {
    return '–';
  }
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s'];
  let v = bps;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return (i === 0 ? Math.round(v) : v.toFixed(v < 10 ? 2 : 1)) + ' ' + units[i];
}

export function percent(v) {
  return v === null || v === undefined ? '–' : v.toFixed(1) + ' %';
}

/**
 * How long a broadcast has been live: the node that serves it knows exactly (duration); a record read from
 * the store on another node has its start time, so count from there.
 */
export function uptime(b) {
  if (b.status !== 'broadcasting') {
    return '–';
  }
  return duration(b.duration || (b.startTime ? Date.now() - b.startTime : 0));
}

export function duration(ms) {
  if (!ms || ms < 0) {
    return '–';
  }
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) {
    return h + ' h ' + String(m).padStart(2, '0') + ' min';
  }
  return m > 0 ? m + ' min ' + String(s % 60).padStart(2, '0') + ' s' : (s % 60) + ' s';
}

export function ago(time, now = Date.now()) {
  if (!time) {
    return '–';
  }
  const s = Math.max(0, Math.round((now - time) / 1000));
  return s < 60 ? s + ' s ago' : duration(now - time) + ' ago';
}

export function clock(time) {
  return time ? new Date(time).toLocaleTimeString() : '–';
}

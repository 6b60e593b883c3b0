// Small charts of each node's load over the last minutes (GET /rest/v2/cluster/load-history: the node
// keeps samples of every node's heartbeat load, so a page opened now shows the recent past at once).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from '../html.js';
import { bits } from '../format.js';

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

// `floor` is the least top of the y axis, so an idle cluster draws a flat line at the bottom, not noise.
const CHARTS = [
  { field: 'cpu', title: 'CPU (%)', floor: 10, format: v => v.toFixed(0) + ' %' },
  { field: 'egressBitsPerSecond', title: 'Egress', floor: 1e6, format: v => bits(v) },
  { field: 'players', title: 'Players', floor: 5, whole: true, format: v => String(Math.round(v)) },
];

export function LoadCharts({ history }) {
  const minutes = history && history.time.length > 1
    ? Math.round((history.time[history.time.length - 1] - history.time[0]) / 60000) : 0;
  return html`
    <h3>Load <span class="muted small">${history ? 'last ' + (minutes || '<1') + ' min, a sample every '
      + history.periodMillis / 1000 + ' s' : ''}</span></h3>
    <div class="charts" data-test="charts">
      ${CHARTS.map(c => html`<${Chart} key=${c.field} chart=${c} history=${history} />`)}
    </div>`;
}

function Chart({ chart, history }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => () => plot.current && plot.current.destroy(), []);
  useEffect(() => {
    if (!history || !box.current) {
      return;
    }
    const ids = history.nodes.map(n => n.id);
    const data = [history.time.map(t => t / 1000), ...history.nodes.map(n => n[chart.field])];
    const key = ids.join('\u0000');
    if (plot.current && plot.current.key === key) {
      plot.current.setData(data);
      return;
    }
    if (plot.current) {
      plot.current.destroy();
    }
    plot.current = new uPlot({
      width: Math.max(260, box.current.clientWidth || 320),
      height: 150,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: (u, min, max) => [0, Math.max(chart.floor, max * 1.1)] } },
      axes: [{}, { size: 80, values: (u, vals) => vals.map(chart.format),
        incrs: chart.whole ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] : undefined }],
      series: [{}, ...ids.map((id, i) => ({ label: id, stroke: COLOURS[i % COLOURS.length], width: 2,
        value: (u, v) => (v === null || v === undefined ? '–' : chart.format(v)), spanGaps: false }))],
    }, data, box.current);
    plot.current.key = key;
  }, [history]);
  return html`<figure class="chart" data-test=${'chart-' + chart.field}>
    <figcaption>${chart.title}</figcaption><div ref=${box}></div></figure>`;
}

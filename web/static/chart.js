// A transaction's energy (Wh) and power (W) over time, drawn with uPlot (web/static/vendor/uplot) from the stored
// meter values; drawn again when the station's live feed says something happened.
"use strict";

const REDRAW_AFTER_MS = 1000;

function chartData(series) {
  const times = series.times.map((time) => Date.parse(time) / 1000);
  return [times, series.energy, series.power];
}

function chartOptions(width) {
  return {
    width: width,
    height: 320,
    scales: { x: { time: true }, energy: {}, power: {} },
    series: [
      {},
      { label: "Energy (Wh)", scale: "energy", stroke: "#2459c7", width: 2, spanGaps: true },
      { label: "Power (W)", scale: "power", stroke: "#e8710a", width: 1.5, spanGaps: true },
    ],
    axes: [
      {},
      { scale: "energy", label: "Wh", size: 70 },
      { scale: "power", label: "W", side: 1, size: 70, grid: { show: false } },
    ],
  };
}

function setUpChart() {
  const element = document.getElementById("chart");
  const url = document.body.dataset.series;
  let plot = null;
  let pending = null;

  async function draw() {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return;
    const series = await response.json();
    if (!series.times.length) return;
    const data = chartData(series);
    if (plot) {
      plot.setData(data);
    } else {
      element.replaceChildren();
      plot = new uPlot(chartOptions(element.clientWidth - 16), data, element);
    }
    element.dataset.points = String(series.times.length);
  }

  function later() {
    if (pending) return;
    pending = setTimeout(() => { pending = null; draw(); }, REDRAW_AFTER_MS);
  }

  draw();
  const source = new EventSource("/live?station=" + encodeURIComponent(document.body.dataset.station));
  source.addEventListener("frames", later);
  source.addEventListener("sections", later);
  window.addEventListener("resize", () => plot && plot.setSize({ width: element.clientWidth - 16, height: 320 }));
}

document.addEventListener("DOMContentLoaded", setUpChart);

// The dashboard's live parts: the station list filter, and Server-Sent Events that put rows and sections the server
// rendered (and escaped) in place. No inline script anywhere (the Content-Security-Policy forbids it).
"use strict";

const MAX_FRAMES = 100; // rows kept in a station's frame table

function nodesOf(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

function liveState(connected) {
  const badge = document.getElementById("live-state");
  if (!badge) return;
  badge.hidden = false;
  badge.textContent = connected ? "live" : "reconnecting…";
  badge.classList.toggle("lost", !connected);
}

function subscribe(url, handlers) {
  const source = new EventSource(url);
  source.addEventListener("open", () => liveState(true));
  source.addEventListener("error", () => liveState(false));
  for (const [name, handle] of Object.entries(handlers)) {
    source.addEventListener(name, (event) => handle(JSON.parse(event.data)));
  }
  return source;
}

function setUpStationList() {
  const table = document.getElementById("stations");
  const filter = document.getElementById("filter");
  const state = document.getElementById("state-filter");
  const count = document.getElementById("station-count");
  const rows = new Map();
  for (const row of table.tBodies[0].rows) rows.set(row.dataset.csId, row);

  function applyFilter() {
    const text = filter.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows.values()) {
      const visible = (!text || row.dataset.search.includes(text)) && (!state.value || row.dataset.state === state.value);
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    count.textContent = String(shown);
  }
  filter.addEventListener("input", applyFilter);
  state.addEventListener("change", applyFilter);

  subscribe("/live", {
    station(data) {
      const row = nodesOf(data.html).firstElementChild;
      const old = rows.get(data.id);
      if (old) old.replaceWith(row); else table.tBodies[0].appendChild(row);
      rows.set(data.id, row);
      applyFilter();
    },
  });
}

function setUpStationPage(csId, since) {
  const frames = document.querySelector("#frames tbody");
  const url = "/live?station=" + encodeURIComponent(csId) + "&since=" + encodeURIComponent(since);
  subscribe(url, {
    sections(data) {
      for (const [name, html] of Object.entries(data)) {
        const section = document.getElementById("section-" + name);
        if (section) section.replaceChildren(nodesOf(html));
      }
    },
    frames(data) {
      const rows = nodesOf(data.html);
      for (const row of Array.from(rows.children)) {
        if (frames.querySelector(`tr[data-key="${CSS.escape(row.dataset.key)}"]`)) row.remove();
      }
      frames.prepend(rows);
      while (frames.rows.length > MAX_FRAMES) frames.deleteRow(-1);
    },
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const page = document.body.dataset.page;
  if (page === "stations") setUpStationList();
  if (page === "station") setUpStationPage(document.body.dataset.station, document.body.dataset.since);
});

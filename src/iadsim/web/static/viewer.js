// iadsim viewer: the runs' CZML on a CesiumJS globe with no network (NaturalEarthII imagery
// and Natural Earth borders bundled), layer toggles, a time slider, details and summaries.
"use strict";

const state = { ready: false, entities: 0, error: null };
window.iadsimViewer = state;

const viewer = new Cesium.Viewer("globe", {
  baseLayer: Cesium.ImageryLayer.fromProviderAsync(
    Cesium.TileMapServiceImageryProvider.fromUrl(
      Cesium.buildModuleUrl("Assets/Textures/NaturalEarthII"))),
  baseLayerPicker: false, geocoder: false, homeButton: true, sceneModePicker: false,
  navigationHelpButton: false, infoBox: false, selectionIndicator: true,
  fullscreenButton: false, timeline: true, animation: true,
});
viewer.scene.globe.enableLighting = false;
// NaturalEarthII stops at level 2: coarser screen-space error loads far fewer upsampled tiles.
viewer.scene.globe.maximumScreenSpaceError = 6;
viewer.scene.skyAtmosphere.show = true;
state.viewer = viewer;

function esc(text) {
  const d = document.createElement("div");
  d.textContent = text == null ? "" : String(text);
  return d.innerHTML;
}

function table(rows) {
  return "<table>" + rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")
    + "</table>";
}

function entityKind(entity) {
  const p = entity.properties;
  return p && p.kind ? p.kind.getValue(viewer.clock.currentTime) : "other";
}

function applyLayers() {
  const shown = {};
  document.querySelectorAll("#layers input").forEach((box) => {
    shown[box.dataset.layer] = box.checked;
  });
  viewer.dataSources.get(0) && [...Array(viewer.dataSources.length).keys()].forEach((i) => {
    for (const e of viewer.dataSources.get(i).entities.values) {
      const kind = entityKind(e);
      if (kind in shown) e.show = shown[kind];
    }
  });
}

function clockSeconds() {
  return Cesium.JulianDate.secondsDifference(viewer.clock.currentTime, viewer.clock.startTime);
}

function setupControls() {
  const slider = document.getElementById("time-slider");
  const label = document.getElementById("time-label");
  const play = document.getElementById("play");
  const speed = document.getElementById("speed");
  slider.max = Math.round(
    Cesium.JulianDate.secondsDifference(viewer.clock.stopTime, viewer.clock.startTime));
  slider.addEventListener("input", () => {
    viewer.clock.currentTime = Cesium.JulianDate.addSeconds(
      viewer.clock.startTime, Number(slider.value), new Cesium.JulianDate());
  });
  play.addEventListener("click", () => {
    viewer.clock.shouldAnimate = !viewer.clock.shouldAnimate;
  });
  speed.addEventListener("change", () => { viewer.clock.multiplier = Number(speed.value); });
  viewer.clock.multiplier = Number(speed.value);
  viewer.clock.onTick.addEventListener(() => {
    const t = clockSeconds();
    label.textContent = `t = ${t.toFixed(0)} s`;
    if (document.activeElement !== slider) slider.value = String(Math.round(t));
    play.textContent = viewer.clock.shouldAnimate ? "Pause" : "Play";
  });
  document.querySelectorAll("#layers input").forEach((box) => box.addEventListener("change",
    applyLayers));
  viewer.selectedEntityChanged.addEventListener((entity) => {
    const body = document.getElementById("detail-body");
    if (!entity) { body.textContent = "Click an entity."; return; }
    const kind = entityKind(entity);
    const html = entity.description ? entity.description.getValue(viewer.clock.currentTime) : "";
    body.innerHTML = `<div class="kind">${esc(kind)}: <b>${esc(entity.name || entity.id)}</b>`
      + `</div>${html}`;  // descriptions are written by iadsim.export.czml, values escaped
    body.dataset.entity = entity.id;
  });
}

async function loadRun(folder) {
  const source = await Cesium.CzmlDataSource.load(`/api/folders/${folder.id}/replay.czml`);
  await viewer.dataSources.add(source);
  state.entities += source.entities.values.length;
  const summary = await (await fetch(`/api/folders/${folder.id}/summary`)).json();
  const rows = [["scenario", summary.scenario], ["seed", summary.seed],
    ["threats", summary.threats], ["killed", summary.killed], ["leaked", summary.leaked]];
  for (const [name, n] of Object.entries(summary.interceptors_fired || {})) {
    rows.push([`fired ${name}`, n]);
  }
  rows.push(["interceptor cost", `$${(summary.interceptor_cost_usd / 1e6).toFixed(1)} M`]);
  const tr = summary.tracking || {};
  if (tr.mean_time_to_first_track_s != null) {
    rows.push(["mean time to first track", `${tr.mean_time_to_first_track_s.toFixed(1)} s`]);
  }
  document.getElementById("summary-body").insertAdjacentHTML("beforeend",
    `<h3>${esc(folder.name)}</h3>` + table(rows));
  return source;
}

async function loadStudy(folder) {
  const study = await (await fetch(`/api/folders/${folder.id}/summary`)).json();
  const rows = study.results.map((r) => [r.label,
    `P(leak) ${r.leak_probability.estimate.toFixed(2)} [${r.leak_probability.low.toFixed(2)}, `
    + `${r.leak_probability.high.toFixed(2)}] (n=${r.replications})`]);
  const plots = folder.files.filter((f) => f.endsWith(".png") && !f.includes("/"))
    .map((f) => `<img alt="${esc(f)}" src="/api/folders/${folder.id}/files/${encodeURI(f)}">`);
  document.getElementById("studies").insertAdjacentHTML("beforeend",
    `<h2>Study: ${esc(folder.name)}</h2>` + table(rows) + plots.join(""));
}

function lookAtScene(source) {
  // Frame the fire units, the assets and where the threats start (entity zoomTo would wait
  // for entities that are not yet available at the start time).
  const points = [];
  for (const e of source.entities.values) {
    const kind = entityKind(e);
    if (!["unit", "asset", "threat"].includes(kind) || !e.position) continue;
    const when = e.availability ? e.availability.start : viewer.clock.startTime;
    const p = e.position.getValue(when);
    if (p) points.push(Cesium.Cartographic.fromCartesian(p));
  }
  if (!points.length) return;
  const r = Cesium.Rectangle.fromCartographicArray(points);
  const padLat = Math.max(r.height * 0.25, 0.002), padLon = Math.max(r.width * 0.25, 0.002);
  const south = r.south - padLat * 2.2;  // the camera looks north, tilted: room at the bottom
  const centre = Cesium.Rectangle.center(new Cesium.Rectangle(r.west - padLon, south,
    r.east + padLon, r.north + padLat));
  const span = Math.max(r.height + 3 * padLat, (r.width + 2 * padLon) * Math.cos(centre.latitude));
  const range = span * 6.371e6 * 1.1;
  viewer.camera.lookAt(Cesium.Cartesian3.fromRadians(centre.longitude, centre.latitude, 0),
    new Cesium.HeadingPitchRange(0, Cesium.Math.toRadians(-50), range));
  viewer.camera.lookAtTransform(Cesium.Matrix4.IDENTITY);
}

async function loadBorders() {
  try {
    const borders = await Cesium.GeoJsonDataSource.load("/static/vendor/borders.geojson", {
      stroke: Cesium.Color.fromCssColorString("#f2f2f2").withAlpha(0.8), strokeWidth: 1.5,
      clampToGround: false,
    });
    borders.name = "borders";
    await viewer.dataSources.add(borders);
  } catch (err) {
    console.warn("borders not loaded", err);
  }
}

// A run's DEM as the globe's terrain: 65 x 65 heightmap tiles of Cesium's geographic tiling
// scheme cut by the server (iadsim.web.terrain_tiles); tiles off the DEM are flat, not asked.
const HEIGHTMAP_SIZE = 65;

function demTerrain(folder) {
  const b = folder.terrain_bounds_deg;
  const tiling = new Cesium.GeographicTilingScheme();
  const flat = new Float32Array(HEIGHTMAP_SIZE * HEIGHTMAP_SIZE);
  return new Cesium.CustomHeightmapTerrainProvider({
    width: HEIGHTMAP_SIZE, height: HEIGHTMAP_SIZE, tilingScheme: tiling,
    callback: async (x, y, level) => {
      const r = tiling.tileXYToRectangle(x, y, level);
      const deg = Cesium.Math.toDegrees;
      if (deg(r.east) < b.west || deg(r.west) > b.east || deg(r.north) < b.south
        || deg(r.south) > b.north) return flat;
      const reply = await fetch(`/api/folders/${folder.id}/terrain/${level}/${x}/${y}`);
      if (!reply.ok) throw new Error(`terrain tile ${level}/${x}/${y}: ${reply.status}`);
      return new Float32Array(await reply.arrayBuffer());
    },
  });
}

async function main() {
  const info = await (await fetch("/api/info")).json();
  const runs = info.folders.filter((f) => f.kind === "run");
  const withDem = runs.find((f) => f.terrain_bounds_deg);
  if (withDem) {
    viewer.scene.terrainProvider = demTerrain(withDem);
    state.terrainFolder = withDem.id;
  }
  document.getElementById("title").textContent =
    `iadsim ${info.iadsim_version}: ` + info.folders.map((f) => f.name).join(", ");
  let first = null;
  for (const folder of runs) {
    const source = await loadRun(folder);
    first = first || source;
  }
  for (const folder of info.folders.filter((f) => f.kind === "study")) await loadStudy(folder);
  if (first) {
    viewer.clock.startTime = first.clock.startTime.clone();
    viewer.clock.stopTime = first.clock.stopTime.clone();
    viewer.clock.currentTime = first.clock.startTime.clone();
    viewer.clock.clockRange = Cesium.ClockRange.LOOP_STOP;
    viewer.clock.shouldAnimate = false;
    viewer.timeline.zoomTo(viewer.clock.startTime, viewer.clock.stopTime);
    lookAtScene(first);
  }
  await loadBorders();
  setupControls();
  state.ready = true;
}

main().catch((err) => { state.error = String(err && err.stack || err); console.error(err); });

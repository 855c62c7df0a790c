// Copy the parts of the npm packages the viewer needs into the Python package
// (src/iadsim/web/static/vendor), so that `iadsim view` works with no network.
// Run by `npm run build` after `npm ci` (see .ci/run and README).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mesh } from "topojson-client";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src", "iadsim", "web", "static", "vendor");
const cesium = join(root, "node_modules", "cesium", "Build", "Cesium");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "cesium"), { recursive: true });
// Cesium.js with what it loads at run time: web workers, assets (NaturalEarthII imagery
// included), widget CSS and third-party worker code. Not the ES module copies (index.*).
for (const part of ["Cesium.js", "Workers", "Assets", "Widgets", "ThirdParty"]) {
  cpSync(join(cesium, part), join(out, "cesium", part), { recursive: true });
}
cpSync(join(root, "node_modules", "cesium", "LICENSE.md"), join(out, "cesium", "LICENSE.md"));

// Coastlines and borders (Natural Earth 1:50m, via world-atlas) as one GeoJSON line layer:
// the NaturalEarthII raster is a blur at the 100-km scale of a battle.
const topo = JSON.parse(
  readFileSync(join(root, "node_modules", "world-atlas", "countries-50m.json"), "utf8"),
);
const lines = mesh(topo, topo.objects.countries);
const round = (c) => c.map((p) => [Math.round(p[0] * 1e4) / 1e4, Math.round(p[1] * 1e4) / 1e4]);
lines.coordinates = lines.coordinates.map(round);
writeFileSync(
  join(out, "borders.geojson"),
  JSON.stringify({ type: "FeatureCollection", features: [{ type: "Feature", properties: {}, geometry: lines }] }),
);
console.log(`viewer assets written to ${out}`);

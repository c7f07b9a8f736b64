// Build the committed map geometry (static/geo/world.json, static/geo/us.json) from the
// public-domain boundaries published on npm:
//   world-atlas 2.0.2  countries-50m.json   Natural Earth 1:50m admin-0 countries (public domain)
//   us-atlas 3.0.1     states-albers-10m.json US Census Bureau cartographic boundaries (public domain),
//                                            already projected (Albers USA, 975 x 610)
// The 50m world file is used on purpose: the 110m one drops Malta, Singapore and other small states.
//
// Run (needs Node.js and npm; only when the geometry should change):
//   cd scripts/geometry && npm ci && npm run build
// The output is committed, so building and serving the site need only Python.
// See docs/publishing.md ("Map geometry").
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { geoEqualEarth, geoPath, geoCentroid, geoIdentity } from "d3-geo";
import { feature } from "topojson-client";
import { presimplify, simplify, quantile } from "topojson-simplify";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const out = join(here, "..", "..", "static", "geo");
const pkgVersion = (name) => require(`${name}/package.json`).version;
const load = (name, file) => JSON.parse(readFileSync(require.resolve(`${name}/${file}`), "utf8"));


function round(x) {
  return Math.round(x * 10) / 10;
}

// smallArea: under this projected area (px², at the map's own size) a jurisdiction is too small
// to see or click, and the page draws a visible marker for it.
function build({ topology, object, projection, width, height, keep, smallArea, idOf, skip, source, licence }) {
  const full = feature(topology, topology.objects[object]);
  const pre = presimplify(topology);
  const simple = simplify(pre, quantile(pre, keep));
  const simplified = feature(simple, simple.objects[object]);
  const path = geoPath(projection).digits(1);
  const features = [];
  full.features.forEach((f, i) => {
    if (skip(f)) return;
    const s = simplified.features[i];
    let d = path(s);
    if (!d) d = path(f); // simplification may erase a tiny island state: keep its full outline
    const area = path.area(f);
    // Centroid of the largest polygon keeps markers on the mainland (e.g. not in the sea for
    // states with distant islands).
    const [cx, cy] = path.centroid(largestPart(f, path));
    const [[x0, y0], [x1, y1]] = path.bounds(f);
    const id = idOf(f);
    const prev = features.find((p) => p.id === id);
    if (prev) {
      // Same code twice (e.g. Australia and Ashmore and Cartier Is.): one shape, the larger
      // part's name, centre and marker.
      prev.d += d;
      prev.area = round(prev.area + area);
      prev.bbox = [Math.min(prev.bbox[0], round(x0)), Math.min(prev.bbox[1], round(y0)),
        Math.max(prev.bbox[2], round(x1)), Math.max(prev.bbox[3], round(y1))];
      return;
    }
    features.push({
      id,
      name: f.properties.name,
      d,
      cx: round(cx),
      cy: round(cy),
      bbox: [round(x0), round(y0), round(x1), round(y1)],
      area: round(area),
      small: area < smallArea,
    });
  });
  features.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { source, licence, width, height, small_area_px2: smallArea, features };
}

function largestPart(f, path) {
  const g = f.geometry;
  if (!g || g.type !== "MultiPolygon") return f;
  let best = null;
  let bestArea = -1;
  for (const coordinates of g.coordinates) {
    const part = { type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates } };
    const a = path.area(part);
    if (a > bestArea) {
      best = part;
      bestArea = a;
    }
  }
  return best;
}

// US states: FIPS code -> USPS code (ISO 3166-2 is "US-" + USPS).
const FIPS = {
  "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT", "10": "DE",
  "11": "DC", "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL", "18": "IN", "19": "IA",
  "20": "KS", "21": "KY", "22": "LA", "23": "ME", "24": "MD", "25": "MA", "26": "MI", "27": "MN",
  "28": "MS", "29": "MO", "30": "MT", "31": "NE", "32": "NV", "33": "NH", "34": "NJ", "35": "NM",
  "36": "NY", "37": "NC", "38": "ND", "39": "OH", "40": "OK", "41": "OR", "42": "PA", "44": "RI",
  "45": "SC", "46": "SD", "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA",
  "54": "WV", "55": "WI", "56": "WY", "60": "AS", "66": "GU", "69": "MP", "72": "PR", "78": "VI",
};

const world = load("world-atlas", "countries-50m.json");
const worldWidth = 960;
const worldHeight = 470;
const worldFeatures = feature(world, world.objects.countries);
const landOnly = {
  type: "FeatureCollection",
  features: worldFeatures.features.filter((f) => f.id !== "010"),
};
const projection = geoEqualEarth().fitExtent([[2, 2], [worldWidth - 2, worldHeight - 2]], landOnly);
const worldOut = build({
  topology: world,
  object: "countries",
  projection,
  width: worldWidth,
  height: worldHeight,
  keep: 0.12,
  smallArea: 12,
  // Natural Earth ids are ISO 3166-1 numeric codes; a few disputed areas have none.
  idOf: (f) => (f.id === undefined ? `none:${f.properties.name}` : String(f.id)),
  skip: (f) => f.id === "010", // Antarctica
  source: `world-atlas ${pkgVersion("world-atlas")} countries-50m.json (Natural Earth 1:50m, public domain); Equal Earth projection`,
  licence: "Public domain (Natural Earth). Map geometry is illustrative and takes no position on disputed borders.",
});

const us = load("us-atlas", "states-albers-10m.json");
const usOut = build({
  topology: us,
  object: "states",
  projection: geoIdentity(), // already projected to Albers USA, 975 x 610
  width: 975,
  height: 610,
  keep: 0.2,
  smallArea: 0, // markers for the US map are the call-outs below
  idOf: (f) => `US-${FIPS[f.id] ?? f.id}`,
  skip: () => false,
  source: `us-atlas ${pkgVersion("us-atlas")} states-albers-10m.json (US Census Bureau cartographic boundaries, public domain); Albers USA`,
  licence: "Public domain (US Census Bureau).",
});

// North-eastern states too small to click on the US map get a labelled call-out box in the
// Atlantic, joined to the state by a leader line (as printed US maps do).
const CALLOUTS = ["US-VT", "US-NH", "US-MA", "US-RI", "US-CT", "US-NJ", "US-DE", "US-MD", "US-DC"];
CALLOUTS.forEach((id, i) => {
  const f = usOut.features.find((x) => x.id === id);
  f.small = true;
  f.marker = [935, 150 + i * 26];
});

mkdirSync(out, { recursive: true });
for (const [name, data] of [["world.json", worldOut], ["us.json", usOut]]) {
  const text = JSON.stringify(data, null, 0).replace(/\},\{"id"/g, '},\n{"id"') + "\n";
  writeFileSync(join(out, name), text);
  console.log(`${name}: ${data.features.length} features, ${(text.length / 1024).toFixed(0)} KiB, ` +
    `${data.features.filter((f) => f.small).length} small`);
}

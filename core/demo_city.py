"""A seeded synthetic "demo city" with known crime structure, for the demo, the tests and benchmarks.

The city lies in UTM zone 16N (EPSG:32616) around lon -89.60, lat 40.70 and is about 12 km x 10 km.
All coordinates are metres in EPSG:32616, rounded to the centimetre. The same seed always gives the
same city, incidents and files (byte for byte).

Layers (``FeatureSet``: geometries plus one attribute dict per feature):

- ``boundary``: one star-shaped polygon around ``CENTRE_XY`` (radius with smooth noise);
- ``districts``: 5 sectors from the centre (``district_id`` "D1".."D5", ``name``); they partition the
  boundary exactly;
- ``census_areas``: 50 areas (10 sectors x 5 rings; ``area_id``, ``pop_total``, ``pop_group_a/b/c``,
  ``households``). Group A lives mostly in the east, B in the west, C everywhere; the groups do not drive
  crime, only ``pop_total`` does (background rate);
- ``roads``: a ~450 m street grid (local, every 4th line collector), 6 radial arterials and a ring road
  (``road_id``, ``road_class``, ``speed_kmh``, ``name``);
- ``pois``: bars (downtown cluster + a nightlife strip), transit stops along arterials and the ring road,
  schools (``poi_id``, ``kind``, ``name``);
- ``stations``: one police station per district (``station_id``, ``district_id``, ``name``);
- ``incidents``: the truth DataFrame (see :mod:`beatcast.core.demo_incidents` for the processes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .demo_geometry import clip_segment_to_ring, points_along, points_in_polygon, ring_area, sample_in_polygon
from .demo_incidents import (  # noqa: F401 (re-exported constants)
    CATEGORIES,
    DRIFT_PATH,
    EMERGING_CENTRE_XY,
    EMERGING_START,
    NEAR_REPEAT_DAYS,
    NEAR_REPEAT_RADIUS_M,
    PERIOD_END,
    PERIOD_START,
    PROCESSES,
    TIMEZONE,
    drift_centre,
    generate_incidents,
)

DEFAULT_SEED = 20240101
CRS_EPSG = 32616
CENTRE_XY = (280300.0, 4508700.0)  # lon -89.6004, lat 40.6999
N_BOUNDARY_VERTICES = 720
DISTRICT_WIDTHS = (1.1, 0.9, 1.0, 1.2, 0.8)
RING_FRACTIONS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
GRID_SPACING_M = 450.0
ARTERIALS = (  # (bearing from the centre in degrees counter-clockwise from east, name)
    (20.0, "Lincoln Ave"),
    (80.0, "Prairie Rd"),
    (140.0, "Kickapoo Blvd"),
    (200.0, "Farmington Rd"),
    (260.0, "Galena Ave"),
    (320.0, "Knoxville Ave"),
)
RING_ROAD_FRACTION = 0.42
NIGHTLIFE_STRIP = (  # a street of bars east of downtown
    (CENTRE_XY[0] + 1300.0, CENTRE_XY[1] - 450.0),
    (CENTRE_XY[0] + 2200.0, CENTRE_XY[1] - 450.0),
)
SPEED_KMH = {"arterial": 60, "collector": 50, "local": 40}
GEOJSON_LAYERS = ("boundary", "districts", "census_areas", "roads", "pois", "stations")

_COMPASS = ("East", "Northeast", "North", "Northwest", "West", "Southwest", "South", "Southeast")
_BAR_WORDS = (
    ("The Rusty", "The Golden", "The Blue", "Old", "The Lucky", "The Salty", "Big", "The Copper", "Red"),
    ("Anchor", "Lantern", "Fox", "Barrel", "Mule", "Owl", "Tap", "Kettle", "Crow", "Spur", "Duck", "Room"),
)
_SCHOOL_NAMES = ("Lincoln", "Douglas", "Franklin", "Harrison", "Whittier", "Roosevelt", "Irving", "Garfield")
_SCHOOL_KINDS = ("Elementary", "Middle School", "High School")


@dataclass(frozen=True, eq=False)
class FeatureSet:
    """Features of one geometry type: Polygon (list of closed (n, 2) rings), LineString ((n, 2) array)
    or Point ((2,) array), each with an attribute dict."""

    geometry_type: str
    geometries: list
    attributes: list[dict]

    def __len__(self) -> int:
        return len(self.geometries)

    def column(self, name: str) -> list:
        return [a[name] for a in self.attributes]


@dataclass(frozen=True, eq=False)
class DemoCity:
    seed: int
    boundary: FeatureSet
    districts: FeatureSet
    census_areas: FeatureSet
    roads: FeatureSet
    pois: FeatureSet
    stations: FeatureSet
    incidents: pd.DataFrame = field(default_factory=pd.DataFrame)
    crs_epsg: int = CRS_EPSG
    timezone: str = TIMEZONE
    centre_xy: tuple[float, float] = CENTRE_XY

    @property
    def boundary_ring(self) -> np.ndarray:
        return self.boundary.geometries[0][0]

    def contains(self, x, y) -> np.ndarray:
        """True for points inside the city boundary."""
        return points_in_polygon(x, y, self.boundary.geometries[0])

    def district_of(self, x, y) -> np.ndarray:
        """District id of each point ("" outside the city)."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        out = np.full(x.shape, "", dtype=object)
        for rings, attrs in zip(self.districts.geometries, self.districts.attributes, strict=True):
            todo = out == ""
            out[todo] = np.where(points_in_polygon(x[todo], y[todo], rings), attrs["district_id"], "")
        return out


def _boundary_vertices(rng: np.random.Generator) -> np.ndarray:
    """Open (N, 2) vertex array at evenly spaced angles (counter-clockwise from east)."""
    theta = 2 * np.pi * np.arange(N_BOUNDARY_VERTICES) / N_BOUNDARY_VERTICES
    a, b = 6100.0, 5000.0
    radius = a * b / np.hypot(b * np.cos(theta), a * np.sin(theta))
    noise = np.zeros_like(theta)
    # Amplitudes sum to < 0.16 so EMERGING_CENTRE_XY and DRIFT_PATH stay well inside for every seed.
    for k, amp in ((2, 0.045), (3, 0.04), (4, 0.025), (5, 0.02), (7, 0.012), (11, 0.008), (13, 0.005)):
        noise += amp * np.sin(k * theta + rng.uniform(0, 2 * np.pi))
    radius *= 1.0 + noise
    cx, cy = CENTRE_XY
    return np.round(np.column_stack([cx + radius * np.cos(theta), cy + radius * np.sin(theta)]), 2)


def _sector_ring(verts: np.ndarray, start: int, stop: int, f0: float, f1: float) -> np.ndarray:
    """Closed counter-clockwise ring of the annular sector between vertex indices start..stop (wrapping)
    and radius fractions f0..f1 of the boundary."""
    idx = np.arange(start, stop + 1) % len(verts)
    centre = np.asarray(CENTRE_XY)
    outer = centre + f1 * (verts[idx] - centre)
    if f0 == 0.0:
        ring = np.vstack([centre[None, :], outer, centre[None, :]])
    else:
        inner = (centre + f0 * (verts[idx] - centre))[::-1]
        ring = np.vstack([outer, inner, outer[:1]])
    return np.round(ring, 2)


def _sector_edges(rng: np.random.Generator) -> np.ndarray:
    n = N_BOUNDARY_VERTICES
    widths = np.asarray(DISTRICT_WIDTHS) / sum(DISTRICT_WIDTHS)
    start = int(rng.integers(0, n // 5))
    return start + np.concatenate([[0], np.round(np.cumsum(widths) * n).astype(int)])


def _compass(angle: float) -> str:
    return _COMPASS[int(np.round((angle % (2 * np.pi)) / (np.pi / 4))) % 8]


def _districts_and_areas(rng, verts: np.ndarray) -> tuple[FeatureSet, FeatureSet, FeatureSet]:
    edges = _sector_edges(rng)
    step = 2 * np.pi / N_BOUNDARY_VERTICES
    d_geoms, d_attrs, a_geoms, a_attrs, s_geoms, s_attrs = [], [], [], [], [], []
    centre = np.asarray(CENTRE_XY)
    for d in range(5):
        lo, hi = int(edges[d]), int(edges[d + 1])
        mid = (lo + hi) // 2
        d_id = f"D{d + 1}"
        d_geoms.append([_sector_ring(verts, lo, hi, 0.0, 1.0)])
        compass = _compass(mid * step)
        d_attrs.append({"district_id": d_id, "name": f"{compass} District"})
        s_geoms.append(np.round(centre + 0.3 * (verts[mid % len(verts)] - centre), 2))
        s_attrs.append({"station_id": f"S{d + 1}", "district_id": d_id, "name": f"{compass} Station"})
        for a0, a1 in ((lo, mid), (mid, hi)):
            for f0, f1 in zip(RING_FRACTIONS[:-1], RING_FRACTIONS[1:], strict=True):
                ring = _sector_ring(verts, a0, a1, f0, f1)
                area_km2 = ring_area(ring) / 1e6
                angle = (a0 + a1) / 2 * step
                density = 5200.0 * np.exp(-1.6 * (f0 + f1) / 2) * rng.lognormal(0.0, 0.3)
                pop = int(round(area_km2 * density))
                shares = np.array([np.exp(1.6 * np.cos(angle)), np.exp(-1.6 * np.cos(angle)), 1.5])
                shares *= rng.lognormal(0.0, 0.15, 3)
                groups = rng.multinomial(pop, shares / shares.sum())
                a_geoms.append([ring])
                a_attrs.append(
                    {
                        "area_id": f"CA{len(a_attrs) + 1:03d}",
                        "pop_total": pop,
                        "pop_group_a": int(groups[0]),
                        "pop_group_b": int(groups[1]),
                        "pop_group_c": int(groups[2]),
                        "households": int(round(pop / rng.uniform(2.1, 2.8))),
                    }
                )
    return (
        FeatureSet("Polygon", d_geoms, d_attrs),
        FeatureSet("Polygon", a_geoms, a_attrs),
        FeatureSet("Point", s_geoms, s_attrs),
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _roads(rng, ring: np.ndarray) -> tuple[FeatureSet, list[tuple[np.ndarray, str]]]:
    cx, cy = CENTRE_XY
    geoms, attrs = [], []

    def add(line: np.ndarray, road_class: str, name: str) -> None:
        geoms.append(np.round(line, 2))
        attrs.append(
            {
                "road_id": f"RD{len(attrs) + 1:04d}",
                "road_class": road_class,
                "speed_kmh": SPEED_KMH[road_class],
                "name": name,
            }
        )

    k = np.arange(-16, 16)
    xs = cx + (k + 0.5) * GRID_SPACING_M + rng.uniform(-40, 40, len(k))
    ys = cy + (k + 0.5) * GRID_SPACING_M + rng.uniform(-40, 40, len(k))
    lo_x, hi_x, lo_y, hi_y = cx - 8000, cx + 8000, cy - 8000, cy + 8000
    for i, x in enumerate(xs):
        cls = "collector" if k[i] % 4 == 0 else "local"
        name = f"{_ordinal(abs(k[i]) + 1)} St {'E' if k[i] >= 0 else 'W'}"
        for piece in clip_segment_to_ring((x, lo_y), (x, hi_y), ring, (ys - lo_y) / (hi_y - lo_y)):
            add(piece, cls, name)
    for i, y in enumerate(ys):
        cls = "collector" if k[i] % 4 == 0 else "local"
        name = f"{_ordinal(abs(k[i]) + 1)} Ave {'N' if k[i] >= 0 else 'S'}"
        for piece in clip_segment_to_ring((lo_x, y), (hi_x, y), ring, (xs - lo_x) / (hi_x - lo_x)):
            add(piece, cls, name)
    transit_lines = []
    for bearing, name in ARTERIALS:
        a = np.radians(bearing)
        end = (cx + 20000 * np.cos(a), cy + 20000 * np.sin(a))
        piece = clip_segment_to_ring(CENTRE_XY, end, ring, np.arange(0.01, 0.35, 0.01))[0]
        add(piece, "arterial", name)
        transit_lines.append((piece, name))
    centre = np.asarray(CENTRE_XY)
    ring_road = centre + RING_ROAD_FRACTION * (ring[::4] - centre)
    ring_road[-1] = ring_road[0]
    add(ring_road, "arterial", "Beltline")
    transit_lines.append((ring_road, "Beltline"))
    return FeatureSet("LineString", geoms, attrs), transit_lines


def _pois(rng, transit_lines, areas: FeatureSet) -> FeatureSet:
    cx, cy = CENTRE_XY
    geoms, attrs = [], []

    def add(pt, kind: str, name: str) -> None:
        geoms.append(np.round(np.asarray(pt, dtype=float), 2))
        attrs.append({"poi_id": f"P{len(attrs) + 1:04d}", "kind": kind, "name": name})

    def bar_name() -> str:
        return f"{rng.choice(_BAR_WORDS[0])} {rng.choice(_BAR_WORDS[1])}"

    downtown = np.empty((0, 2))
    while len(downtown) < 36:
        p = rng.normal(0.0, 380.0, size=(64, 2))
        downtown = np.vstack([downtown, p[np.hypot(p[:, 0], p[:, 1]) < 1200.0]])
    for p in downtown[:36]:
        add((cx + 150.0 + p[0], cy + 100.0 + p[1]), "bar", bar_name())
    (x0, y0), (x1, y1) = NIGHTLIFE_STRIP
    for t in np.sort(rng.uniform(0.0, 1.0, 18)):
        add((x0 + t * (x1 - x0), y0 + t * (y1 - y0) + rng.choice([-12.0, 12.0])), "bar", bar_name())
    stops: list[np.ndarray] = []
    for line, name in transit_lines:
        spacing = 500.0 if name == "Beltline" else 400.0
        pts = points_along(line, spacing, 250.0)
        length = np.sum(np.hypot(*np.diff(line, axis=0).T))
        if name != "Beltline":
            pts = pts[: max(int((length - 100.0 - 250.0) // spacing) + 1, 0)]
        for p in pts:
            if all(np.hypot(*(p - q)) > 120.0 for q in stops):
                stops.append(p)
                add(p, "transit_stop", f"{name} stop {len(stops)}")
    weight = np.array(areas.column("pop_total"), dtype=float)
    for i in range(16):
        area = int(rng.choice(len(weight), p=weight / weight.sum()))
        pt = sample_in_polygon(rng, areas.geometries[area], 1)[0]
        add(pt, "school", f"{_SCHOOL_NAMES[i % 8]} {_SCHOOL_KINDS[i % 3]}")
    return FeatureSet("Point", geoms, attrs)


def generate_city(seed: int = DEFAULT_SEED) -> DemoCity:
    """Build the demo city and its truth incidents (deterministic for a given seed)."""
    geo_seq, incident_seq = np.random.SeedSequence(seed).spawn(2)
    rng = np.random.default_rng(geo_seq)
    verts = _boundary_vertices(rng)
    ring = np.vstack([verts, verts[:1]])
    boundary = FeatureSet("Polygon", [[ring]], [{"name": "Demo City"}])
    districts, areas, stations = _districts_and_areas(rng, verts)
    roads, transit_lines = _roads(rng, ring)
    pois = _pois(rng, transit_lines, areas)
    city = DemoCity(seed, boundary, districts, areas, roads, pois, stations)
    incidents = generate_incidents(city, np.random.default_rng(incident_seq))
    return DemoCity(seed, boundary, districts, areas, roads, pois, stations, incidents)


def _coords(geom, geometry_type: str):
    if geometry_type == "Point":
        return [round(float(v), 2) for v in geom]
    if geometry_type == "LineString":
        return [[round(float(x), 2), round(float(y), 2)] for x, y in geom]
    return [_coords(r, "LineString") for r in geom]


def feature_collection(name: str, features: FeatureSet, epsg: int = CRS_EPSG) -> dict:
    """GeoJSON FeatureCollection with the legacy named ``crs`` member (GDAL honours it)."""
    return {
        "type": "FeatureCollection",
        "name": name,
        "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}},
        "features": [
            {
                "type": "Feature",
                "properties": dict(attrs),
                "geometry": {
                    "type": features.geometry_type,
                    "coordinates": _coords(g, features.geometry_type),
                },
            }
            for g, attrs in zip(features.geometries, features.attributes, strict=True)
        ],
    }


def write_demo_city(folder, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write the layers (GeoJSON), the messy exports (``exports/``), the truth (``truth/``) and the signals
    beyond incidents (``signals/``: weather, ridership, events; see :mod:`beatcast.core.demo_signals`).

    Returns a dict name -> path: the six layer names, ``rms_reports``, ``cad_calls``, ``calls_911``,
    ``category_map``, ``export_truth``, ``export_summary``, ``incidents_truth``, ``weather_daily``,
    ``transit_ridership_daily`` and ``events``.
    """
    from .demo_exports import make_exports, write_exports
    from .demo_signals import make_signals, write_signals

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    city = generate_city(seed)
    paths: dict[str, Path] = {}
    for name in GEOJSON_LAYERS:
        path = folder / f"{name}.geojson"
        text = json.dumps(feature_collection(name, getattr(city, name), city.crs_epsg), ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")
        paths[name] = path
    paths.update(write_exports(make_exports(city, seed), folder))
    paths.update(write_signals(make_signals(city, seed), folder, city.crs_epsg))  # own random stream
    return paths

"""Plain-array geometry the engine needs: point in polygon, and the local metric CRS to work in."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .projection import utm_epsg, utm_zone_for

# A polygon is a list of rings (exterior first, then holes), each an (n, 2) array of x, y.
Polygon = Sequence[np.ndarray]


def points_in_ring(x: np.ndarray, y: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Even-odd ray casting, vectorised over points, looping over the ring's edges."""
    ring = np.asarray(ring, dtype=float)
    if len(ring) and np.array_equal(ring[0], ring[-1]):
        ring = ring[:-1]
    inside = np.zeros(len(x), dtype=bool)
    if len(ring) < 3:
        return inside
    x0, y0 = ring[:, 0], ring[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    for ax, ay, bx, by in zip(x0, y0, x1, y1):
        crosses = (ay > y) != (by > y)
        if not crosses.any():
            continue
        idx = np.nonzero(crosses)[0]
        xint = ax + (y[idx] - ay) * (bx - ax) / (by - ay)
        inside[idx[x[idx] < xint]] ^= True
    return inside


def points_in_polygons(x: np.ndarray, y: np.ndarray, polygons: Sequence[Polygon]) -> np.ndarray:
    """True where a point lies inside any polygon (holes respected). Points on an edge may go either way."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    result = np.zeros(len(x), dtype=bool)
    finite = np.isfinite(x) & np.isfinite(y)
    for polygon in polygons:
        if not len(polygon):
            continue
        exterior = np.asarray(polygon[0], dtype=float)
        # Bounding-box prefilter keeps this fast for a million points and a detailed boundary.
        cand = finite & ~result
        cand &= (x >= exterior[:, 0].min()) & (x <= exterior[:, 0].max())
        cand &= (y >= exterior[:, 1].min()) & (y <= exterior[:, 1].max())
        idx = np.nonzero(cand)[0]
        if not len(idx):
            continue
        px, py = x[idx], y[idx]
        inside = points_in_ring(px, py, exterior)
        for hole in polygon[1:]:
            inside &= ~points_in_ring(px, py, hole)
        result[idx[inside]] = True
    return result


def distance_to_rings(x: np.ndarray, y: np.ndarray, polygons: Sequence[Polygon]) -> np.ndarray:
    """Distance from each point to the nearest polygon edge (any ring), looping over edges."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    best = np.full(len(x), np.inf)
    for polygon in polygons:
        for ring in polygon:
            ring = np.asarray(ring, dtype=float)
            for (ax, ay), (bx, by) in zip(ring[:-1], ring[1:]):
                dx, dy = bx - ax, by - ay
                length2 = dx * dx + dy * dy
                t = (
                    np.zeros(len(x))
                    if length2 == 0
                    else np.clip(((x - ax) * dx + (y - ay) * dy) / length2, 0, 1)
                )
                best = np.minimum(best, np.hypot(x - (ax + t * dx), y - (ay + t * dy)))
    return best


def metric_crs_for(lon: np.ndarray, lat: np.ndarray) -> str:
    """The WGS 84 / UTM zone holding the median of the points, as an authority id (``EPSG:32616``)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    if not ok.any():
        raise ValueError("no valid coordinates to choose a local metric CRS from")
    zone, south = utm_zone_for(float(np.median(lon[ok])), float(np.median(lat[ok])))
    return f"EPSG:{utm_epsg(zone, south)}"

"""Small planar geometry helpers for the synthetic demo city (no shapely: numpy only).

Rings are closed ``(n, 2)`` arrays (first vertex repeated last), exterior rings counter-clockwise.
"""

from __future__ import annotations

import numpy as np

from .geometry import points_in_polygons, points_in_ring


def close_ring(points: np.ndarray) -> np.ndarray:
    """Return ``points`` as a closed ring (first vertex repeated at the end)."""
    points = np.asarray(points, dtype=float)
    if len(points) and np.array_equal(points[0], points[-1]):
        return points
    return np.vstack([points, points[:1]])


def ring_area(ring: np.ndarray) -> float:
    """Signed shoelace area of a closed ring: positive when counter-clockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def polygon_area(rings: list[np.ndarray]) -> float:
    """Area of a polygon given as [exterior, hole, ...]."""
    return abs(ring_area(rings[0])) - sum(abs(ring_area(r)) for r in rings[1:])


def points_in_polygon(x, y, rings: list[np.ndarray]) -> np.ndarray:
    """Point-in-polygon for a polygon given as [exterior, hole, ...] (core.geometry's test)."""
    return points_in_polygons(np.asarray(x, dtype=float), np.asarray(y, dtype=float), [rings])


def sample_in_polygon(rng: np.random.Generator, rings: list[np.ndarray], n: int) -> np.ndarray:
    """``n`` points uniformly distributed inside a polygon (rejection sampling in its bounding box)."""
    out = np.empty((0, 2))
    lo = rings[0].min(axis=0)
    hi = rings[0].max(axis=0)
    fill = max(polygon_area(rings) / float(np.prod(hi - lo)), 0.05)
    while len(out) < n:
        need = n - len(out)
        cand = rng.uniform(lo, hi, size=(int(need / fill * 1.3) + 8, 2))
        cand = cand[points_in_polygon(cand[:, 0], cand[:, 1], rings)]
        out = np.vstack([out, cand[:need]])
    return out


def clip_segment_to_ring(p0, p1, ring: np.ndarray, extra_t=()) -> list[np.ndarray]:
    """Pieces of the segment p0-p1 that lie inside ``ring``, as (k, 2) polylines.

    ``extra_t`` are additional parameters in (0, 1) kept as vertices (e.g. crossings with other streets).
    """
    p0 = np.asarray(p0, dtype=float)
    p1 = np.asarray(p1, dtype=float)
    d = p1 - p0
    a, b = ring[:-1], ring[1:]
    e = b - a
    denom = d[0] * e[:, 1] - d[1] * e[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = ((a[:, 0] - p0[0]) * e[:, 1] - (a[:, 1] - p0[1]) * e[:, 0]) / denom
        u = ((a[:, 0] - p0[0]) * d[1] - (a[:, 1] - p0[1]) * d[0]) / denom
    ok = (denom != 0) & (t > 0) & (t < 1) & (u >= 0) & (u <= 1)
    cuts = np.unique(np.concatenate([[0.0, 1.0], t[ok]]))
    mids = 0.5 * (cuts[:-1] + cuts[1:])
    mid_pts = p0 + mids[:, None] * d
    keep = points_in_ring(
        np.asarray(mid_pts[:, 0], dtype=float), np.asarray(mid_pts[:, 1], dtype=float), ring
    )
    extra = np.asarray(sorted(extra_t), dtype=float)
    pieces: list[np.ndarray] = []
    start = None
    for k, inside in enumerate(keep):
        if inside and start is None:
            start = cuts[k]
        if start is not None and (not inside or k == len(keep) - 1):
            end = cuts[k + 1] if inside else cuts[k]
            inner = extra[(extra > start) & (extra < end)]
            ts = np.concatenate([[start], inner, [end]])
            pieces.append(p0 + ts[:, None] * d)
            start = None
    return pieces


def points_along(line: np.ndarray, spacing: float, offset: float = 0.0) -> np.ndarray:
    """Points every ``spacing`` metres along a polyline, starting ``offset`` metres from its start."""
    seg = np.diff(line, axis=0)
    seg_len = np.hypot(seg[:, 0], seg[:, 1])
    cum = np.concatenate([[0.0], np.cumsum(seg_len)])
    dist = np.arange(offset, cum[-1], spacing)
    idx = np.clip(np.searchsorted(cum, dist, side="right") - 1, 0, len(seg) - 1)
    frac = (dist - cum[idx]) / np.where(seg_len[idx] > 0, seg_len[idx], 1.0)
    return line[idx] + frac[:, None] * seg[idx]

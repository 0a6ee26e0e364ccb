"""Planar polygon operations for the grid: ring orientation and moments, Sutherland–Hodgman clipping against
convex cells, scanline (even-odd) intervals, cutting segments at lattice lines, labels, GeoPackage output.

Rings are *open* ``(n, 2)`` float arrays (first vertex not repeated). Exteriors are counter-clockwise, holes
clockwise (``oriented_rings``), so the signed areas of a polygon's rings, each clipped to a convex window,
add up to the polygon's area inside the window (Sutherland–Hodgman keeps the winding number). It returns
one ring per input ring: when a ring enters the window more than once, the pieces are joined by zero-width
bridges along the window's edges. Area and centroid are exact; the ring is not OGC-valid (GDAL and QGIS
draw and measure it right; "Fix geometries" splits it).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd

from . import gpkg, gpkg_rtree
from .geometry import points_in_polygons

Box = tuple[float, float, float, float]  # xmin, ymin, xmax, ymax


def open_ring(ring) -> np.ndarray:
    """A ring as an open float array: the closing vertex and consecutive repeats removed."""
    ring = np.asarray(ring, dtype=float).reshape(-1, 2)
    ring = ring[np.concatenate(([True], np.any(ring[1:] != ring[:-1], axis=1)))] if len(ring) else ring
    if len(ring) > 1 and np.array_equal(ring[0], ring[-1]):
        ring = ring[:-1]
    return ring


def close(ring: np.ndarray) -> np.ndarray:
    """The open ring ((n, 2), or (m, n, 2) rings) with its first vertex repeated at the end (for output)."""
    return np.concatenate((ring, ring[..., :1, :]), axis=-2)


def _next(a: np.ndarray) -> np.ndarray:
    """a shifted by one (a[1], ..., a[n-1], a[0]): np.roll is several times slower on small arrays."""
    return np.concatenate((a[1:], a[:1]))


def ring_moments(ring: np.ndarray, cx: float = 0.0, cy: float = 0.0) -> tuple[float, float, float]:
    """(signed area, first moments mx, my) of an open ring relative to (cx, cy): centroid = (cx + mx / area,
    cy + my / area). A nearby (cx, cy) keeps precision (shoelace products of UTM coordinates lose mm)."""
    x, y = ring[:, 0] - cx, ring[:, 1] - cy
    xn, yn = _next(x), _next(y)
    cross = x * yn - xn * y
    area = 0.5 * float(cross.sum())
    return area, float(((x + xn) * cross).sum()) / 6.0, float(((y + yn) * cross).sum()) / 6.0


def signed_area(ring: np.ndarray) -> float:
    """Shoelace area of an open ring (positive when counter-clockwise), relative to its first vertex."""
    if len(ring) < 3:
        return 0.0
    x, y = ring[:, 0] - ring[0, 0], ring[:, 1] - ring[0, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def oriented_rings(polygons: Sequence[Sequence[np.ndarray]]) -> list[tuple[int, bool, np.ndarray]]:
    """(polygon index, is_hole, open ring) for every ring with an area; exteriors counter-clockwise."""
    out = []
    for p, polygon in enumerate(polygons):
        for k, ring in enumerate(polygon):
            ring = open_ring(ring)
            area = signed_area(ring)
            if area == 0.0:
                continue
            hole = k > 0
            if (area > 0) == hole:
                ring = ring[::-1].copy()
            out.append((p, hole, ring))
    return out


def bbox(ring: np.ndarray) -> Box:
    lo, hi = ring.min(axis=0), ring.max(axis=0)
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def clip_half_plane(ring: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    """One Sutherland–Hodgman step: the part of the ring where a*x + b*y <= c (vectorised over vertices)."""
    d = ring[:, 0] * a + ring[:, 1] * b - c
    inside = d <= 0
    n_in = int(np.count_nonzero(inside))
    if n_in == len(ring):
        return ring
    if n_in == 0:
        return ring[:0]
    nxt, d_next = _next(ring), _next(d)
    cross = inside != _next(inside)
    t = d[cross] / (d[cross] - d_next[cross])
    points = np.empty((len(ring), 2, 2))
    points[:, 0] = ring
    points[cross, 1] = ring[cross] + t[:, None] * (nxt[cross] - ring[cross])
    # Row-major boolean indexing keeps the order: vertex i (if inside), then edge i's crossing.
    return points[np.column_stack([inside, cross])]


def clip_to_box(ring: np.ndarray, ring_box: Box, box: Box) -> np.ndarray:
    """The ring clipped to an axis-aligned box (only the sides the ring crosses are applied)."""
    xmin, ymin, xmax, ymax = box
    if ring_box[0] < xmin:
        ring = clip_half_plane(ring, -1.0, 0.0, -xmin)
    if ring_box[2] > xmax and len(ring):
        ring = clip_half_plane(ring, 1.0, 0.0, xmax)
    if ring_box[1] < ymin and len(ring):
        ring = clip_half_plane(ring, 0.0, -1.0, -ymin)
    if ring_box[3] > ymax and len(ring):
        ring = clip_half_plane(ring, 0.0, 1.0, ymax)
    return ring


def clip_to_convex(ring: np.ndarray, vertices: np.ndarray) -> np.ndarray:
    """The ring clipped to a counter-clockwise convex polygon (open vertex array)."""
    for (x0, y0), (x1, y1) in zip(vertices.tolist(), _next(vertices).tolist()):
        a, b = y1 - y0, x0 - x1  # outward normal of the counter-clockwise edge: a*x + b*y <= c inside
        ring = clip_half_plane(ring, a, b, a * x0 + b * y0)
        if len(ring) < 3:
            return ring[:0]
    return ring


def clip_rings_to_cells(
    rings: Sequence[np.ndarray], cells: np.ndarray, min_area: float, check: Callable | None = None
) -> list[dict[int, np.ndarray]]:
    """Clip every ring to every convex cell ((m, k, 2) counter-clockwise vertices): per cell, a dict ring
    index -> clipped open ring (|area| > min_area only). Cells are halved recursively (a k-d tree) and the
    rings clipped to each half's bounding box on the way down: a long ring is cut to a few vertices per
    cell in about log2(m) vectorised passes instead of being clipped whole against every cell."""
    m = len(cells)
    out: list[dict[int, np.ndarray]] = [{} for _ in range(m)]
    if m == 0:
        return out
    lo, hi, centre = cells.min(axis=1), cells.max(axis=1), cells.mean(axis=1)
    pieces = [(i, r, bbox(r)) for i, r in enumerate(rings) if len(r) >= 3]
    stack: list[tuple[np.ndarray, list[tuple[int, np.ndarray, Box]]]] = [(np.arange(m), pieces)]
    done = 0
    while stack:
        idx, pieces = stack.pop()
        if len(idx) == 1:
            j = int(idx[0])
            for i, ring, _ in pieces:
                clipped = clip_to_convex(ring, cells[j])
                if len(clipped) >= 3 and abs(signed_area(clipped)) > min_area:
                    out[j][i] = clipped
            done += 1
            if check is not None and done % 256 == 0:
                check(done / m)
            continue
        span = hi[idx].max(axis=0) - lo[idx].min(axis=0)
        axis = 0 if span[0] >= span[1] else 1
        order = idx[np.argsort(centre[idx, axis], kind="stable")]
        for half in (order[: len(order) // 2], order[len(order) // 2 :]):
            hlo, hhi = lo[half].min(axis=0), hi[half].max(axis=0)
            box = (float(hlo[0]), float(hlo[1]), float(hhi[0]), float(hhi[1]))
            sub = []
            for i, ring, rbox in pieces:
                if rbox[0] >= box[2] or rbox[2] <= box[0] or rbox[1] >= box[3] or rbox[3] <= box[1]:
                    continue
                clipped = clip_to_box(ring, rbox, box)
                if len(clipped) >= 3 and abs(signed_area(clipped)) > min_area:
                    sub.append((i, clipped, bbox(clipped)))
            if sub:
                stack.append((half, sub))
    return out


def clip_polygons_to_cells(
    rings: Sequence[tuple[int, bool, np.ndarray]],
    cells: np.ndarray,
    min_area: float,
    offset=(0.0, 0.0),
    check=None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """Area, centroid x and y, and geometry of the polygons (``oriented_rings`` output) inside each convex
    cell ((m, k, 2) counter-clockwise vertices). Geometry: per cell a list of polygons (one per polygon
    part present), each a list of closed rings, exterior first, translated by ``offset``; centroids too."""
    pieces = clip_rings_to_cells([r for _, _, r in rings], cells, min_area, check)
    centre = cells.mean(axis=1)
    area, cx, cy = np.zeros(len(cells)), centre[:, 0] + offset[0], centre[:, 1] + offset[1]
    polygons: list = []
    for j, found in enumerate(pieces):
        by_part: dict[int, list] = {}
        a_sum = mx_sum = my_sum = 0.0
        for i, piece in sorted(found.items()):  # a part's exterior comes before its holes
            part, hole, _ = rings[i]
            if hole and part not in by_part:
                continue  # a sliver of a hole whose exterior part was too small to keep
            a, mx, my = ring_moments(piece, centre[j, 0], centre[j, 1])
            a_sum, mx_sum, my_sum = a_sum + a, mx_sum + mx, my_sum + my
            by_part.setdefault(part, []).append(close(piece + offset))
        if a_sum > 0:
            area[j], cx[j], cy[j] = a_sum, cx[j] + mx_sum / a_sum, cy[j] + my_sum / a_sum
        polygons.append(list(by_part.values()))
    return area, cx, cy, polygons


def overlap_area(rings: Sequence[tuple[int, bool, np.ndarray]], vertices: np.ndarray) -> float:
    """Area of the polygons (``oriented_rings`` output) inside one convex cell."""
    cx, cy = vertices.mean(axis=0)
    return sum(ring_moments(clip_to_convex(r, vertices), cx, cy)[0] for _, _, r in rings)


def scanline_intervals(
    starts: np.ndarray, ends: np.ndarray, y0: float, dy: float, nrows: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inside intervals (even-odd rule) of the rings along the scan lines y_k = y0 + k*dy, k < nrows:
    (k, x_start, x_end) arrays, one entry per interval.

    An edge crosses a scan line when exactly one of its ends lies strictly above it: every vertex is
    counted once, so each closed ring crosses every scan line an even number of times."""
    ys = y0 + np.arange(nrows) * dy
    ax, ay, bx, by = starts[:, 0], starts[:, 1], ends[:, 0], ends[:, 1]
    k_lo = np.clip(np.floor((np.minimum(ay, by) - y0) / dy).astype(np.int64) - 1, 0, nrows)
    k_hi = np.clip(np.ceil((np.maximum(ay, by) - y0) / dy).astype(np.int64) + 1, -1, nrows - 1)
    counts = np.maximum(k_hi - k_lo + 1, 0)
    edge = np.repeat(np.arange(len(ax)), counts)
    first = np.cumsum(counts) - counts
    k = k_lo[edge] + (np.arange(len(edge)) - first[edge])
    y = ys[k]
    hit = (ay[edge] > y) != (by[edge] > y)
    edge, k, y = edge[hit], k[hit], y[hit]
    x = ax[edge] + (y - ay[edge]) * (bx[edge] - ax[edge]) / (by[edge] - ay[edge])
    order = np.lexsort((x, k))
    k, x = k[order], x[order]
    if len(k) % 2 or np.any(k[0::2] != k[1::2]):
        raise ValueError("scanline: odd number of crossings (rings not closed?)")
    return k[0::2], x[0::2], x[1::2]


def piece_midpoints(
    starts: np.ndarray, ends: np.ndarray, families: Sequence[tuple[float, float, float]]
) -> tuple[np.ndarray, np.ndarray]:
    """Midpoints of the pieces every segment is cut into by the lines fx*x + fy*y = k*step (k integer)
    of each family (fx, fy, step). When the lattice's cell edges lie on those lines, each piece lies in
    one cell, so the cells of the midpoints are exactly the cells whose interior the segments cross."""
    n = len(starts)
    ax, ay, bx, by = starts[:, 0], starts[:, 1], ends[:, 0], ends[:, 1]
    ts = [np.zeros(n), np.ones(n)]
    segs = [np.arange(n), np.arange(n)]
    for fx, fy, step in families:
        fa = (fx * ax + fy * ay) / step
        fb = (fx * bx + fy * by) / step
        lo = np.floor(np.minimum(fa, fb)).astype(np.int64) + 1
        hi = np.ceil(np.maximum(fa, fb)).astype(np.int64) - 1
        counts = np.maximum(hi - lo + 1, 0)
        seg = np.repeat(np.arange(n), counts)
        first = np.cumsum(counts) - counts
        k = lo[seg] + (np.arange(len(seg)) - first[seg])
        ts.append(np.clip((k - fa[seg]) / (fb[seg] - fa[seg]), 0.0, 1.0))
        segs.append(seg)
    t, seg = np.concatenate(ts), np.concatenate(segs)
    order = np.lexsort((t, seg))
    t, seg = t[order], seg[order]
    same = seg[1:] == seg[:-1]
    tm = 0.5 * (t[1:] + t[:-1])[same]
    sm = seg[:-1][same]
    return ax[sm] + tm * (bx[sm] - ax[sm]), ay[sm] + tm * (by[sm] - ay[sm])


def lattice_cover(
    rings: Sequence[np.ndarray],
    assign: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    families: Sequence[tuple[float, float, float]],
    scan: tuple[float, float, int],
    centre_x: Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Lattice cells covered by the rings, without testing every cell: (col, row) of the cells whose centre
    is inside (``scan`` = (y0, dy, n): row k's centres lie on y = y0 + k*dy; ``centre_x(k, x)`` gives
    (step, shift) with centres at x = col*step + shift), then (col, row) of the cells whose interior an edge
    crosses (``assign(x, y)`` -> (col, row); every cell edge lies on a line of ``families``)."""
    starts, ends = np.concatenate(rings), np.concatenate([_next(r) for r in rings])
    k, xa, xb = scanline_intervals(starts, ends, *scan)
    step, shift = centre_x(k, xa)
    lo = np.ceil((xa - shift) / step).astype(np.int64)
    counts = np.maximum(np.floor((xb - shift) / step).astype(np.int64) - lo + 1, 0)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    inside_col = np.repeat(lo, counts) + (np.arange(len(first)) - first)
    edge_col, edge_row = assign(*piece_midpoints(starts, ends, families))
    return inside_col, np.repeat(k, counts), edge_col, edge_row


def label_by_polygons(x: np.ndarray, y: np.ndarray, cells: np.ndarray, polygons: Sequence, values: Sequence):
    """Value of the polygon holding each point (a cell's centroid); for points in none, of the polygon
    overlapping the point's convex cell ((n, k, 2) vertices) most; "" when none overlaps it."""
    out = np.full(len(x), "", dtype=object)
    found = np.zeros(len(x), dtype=bool)
    for polygon, value in zip(polygons, values):
        todo = np.nonzero(~found)[0]
        hit = todo[points_in_polygons(x[todo], y[todo], [polygon])]
        out[hit] = value
        found[hit] = True
    missing = np.nonzero(~found)[0]
    best = np.zeros(len(missing))
    for polygon, value in zip(polygons, values) if len(missing) else ():
        rings = oriented_rings([polygon])
        if not rings:
            continue
        pts = np.concatenate([r for _, _, r in rings])
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        near = (cells[missing].max(axis=1) > lo).all(axis=1) & (cells[missing].min(axis=1) < hi).all(axis=1)
        for j in np.nonzero(near)[0]:
            overlap = overlap_area(rings, cells[missing[j]])
            if overlap > best[j]:
                best[j] = overlap
                out[missing[j]] = value
    return out


# GeoPackage polygon features: generic helpers, to move into gpkg.py next to write_points.


def multipolygon_blobs(polygons: Sequence, srs_id: int) -> tuple[list[bytes], np.ndarray]:
    """GeoPackage binary MULTIPOLYGONs (little-endian WKB after a header with the xy envelope) of
    multipolygons given as lists of polygons (lists of closed rings), and their (n, 4) envelopes
    (minx, maxx, miny, maxy). Cells of one ring (most of them) are packed together with numpy."""
    blobs, envelopes = [b""] * len(polygons), np.full((len(polygons), 4), np.nan)
    one_ring: dict[int, list[int]] = {}  # vertex count -> indices of single-ring multipolygons
    for i, multi in enumerate(polygons):
        if len(multi) == 1 and len(multi[0]) == 1:
            one_ring.setdefault(len(multi[0][0]), []).append(i)
            continue
        if not multi:  # empty geometry: flag bit 4, no envelope
            blobs[i] = b"GP\x00\x11" + struct.pack("<iBII", srs_id, 1, 6, 0)
            continue
        pts = np.concatenate([ring for polygon in multi for ring in polygon])
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        envelopes[i] = lo[0], hi[0], lo[1], hi[1]
        # flags 0b011: little endian, envelope [minx, maxx, miny, maxy]; WKB type 6 MultiPolygon, 3 Polygon
        parts = [
            b"GP\x00\x03",
            struct.pack("<i4d", srs_id, *envelopes[i]),
            struct.pack("<BII", 1, 6, len(multi)),
        ]
        for polygon in multi:
            parts.append(struct.pack("<BII", 1, 3, len(polygon)))
            for ring in polygon:
                parts += [struct.pack("<I", len(ring)), np.ascontiguousarray(ring, dtype="<f8").tobytes()]
        blobs[i] = b"".join(parts)
    for count, idx in one_ring.items():
        xy = np.stack([polygons[i][0][0] for i in idx])
        env = np.stack([xy[..., 0].min(1), xy[..., 0].max(1), xy[..., 1].min(1), xy[..., 1].max(1)], axis=1)
        fields = ["head", "srs", "env", "b1", "multi", "n1", "b2", "poly", "n2", "n3", "xy"]
        types = ["S4", "<i4", ("<f8", 4), "u1", "<u4", "<u4", "u1", "<u4", "<u4", "<u4", ("<f8", (count, 2))]
        rec = np.zeros(len(idx), dtype=list(zip(fields, types)))
        rec["head"], rec["srs"], rec["env"], rec["xy"] = b"GP\x00\x03", srs_id, env, xy
        rec["b1"], rec["multi"], rec["n1"], rec["b2"], rec["poly"], rec["n2"], rec["n3"] = (
            1,
            6,
            1,
            1,
            3,
            1,
            count,
        )
        raw, size = rec.tobytes(), rec.dtype.itemsize
        for k, i in enumerate(idx):
            blobs[i] = raw[k * size : (k + 1) * size]
        envelopes[idx] = env
    return blobs, envelopes


def write_polygons(
    path: str | Path, table: str, frame: pd.DataFrame, columns: Mapping, polygons: list, srs, description=""
):
    """Write a MULTIPOLYGON feature table (replacing one of that name; fids 1..n in frame order) with its
    R-tree index. ``polygons``: per row, a list of polygons (lists of closed rings); ``srs``: a
    gpkg.SpatialReference."""
    blobs, env = multipolygon_blobs(polygons, srs.srs_id)
    write_features(path, table, frame, columns, blobs, env, "MULTIPOLYGON", srs, description)


def linestring_blobs(lines: Sequence, srs_id: int) -> tuple[list[bytes], np.ndarray]:
    """GeoPackage binary LINESTRINGs (little endian, xy envelope) of (n, 2) vertex arrays, and envelopes."""
    blobs, envelopes = [], np.full((len(lines), 4), np.nan)
    for i, line in enumerate(lines):
        xy = np.ascontiguousarray(np.asarray(line, dtype="<f8").reshape(-1, 2))
        if not len(xy):
            blobs.append(b"GP\x00\x11" + struct.pack("<iBII", srs_id, 1, 2, 0))
            continue
        envelopes[i] = xy[:, 0].min(), xy[:, 0].max(), xy[:, 1].min(), xy[:, 1].max()
        head = b"GP\x00\x03" + struct.pack("<i4d", srs_id, *envelopes[i])
        blobs.append(head + struct.pack("<BII", 1, 2, len(xy)) + xy.tobytes())
    return blobs, envelopes


def write_lines(
    path: str | Path, table: str, frame: pd.DataFrame, columns: Mapping, lines: list, srs, description=""
):
    """Write a LINESTRING feature table (fids 1..n in frame order) with its R-tree index."""
    blobs, env = linestring_blobs(lines, srs.srs_id)
    write_features(path, table, frame, columns, blobs, env, "LINESTRING", srs, description)


def write_features(path, table, frame, columns, blobs, env, geometry_type: str, srs, description=""):
    """A feature table from ready GeoPackage geometry blobs and their (n, 4) envelopes."""
    with closing(gpkg.connect(path)) as con:
        gpkg.drop_table(con, table)
        gpkg._ensure_srs(con, srs)
        gpkg._create(con, table, columns, geometry=False)
        con.execute(f'ALTER TABLE "{table}" ADD COLUMN "geom" {geometry_type}')
        # Blobs pass through the TEXT conversion untouched (sqlite stores bytes as BLOB); fids are 1..n.
        gpkg.insert_rows(con, table, frame.assign(geom=blobs), {**columns, "geom": "TEXT"})
        ok = np.isfinite(env[:, 0])
        box = (env[ok, 0].min(), env[ok, 2].min(), env[ok, 1].max(), env[ok, 3].max()) if ok.any() else None
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change,"
            " min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)",
            (table, table, description, gpkg._now(), *(map(float, box) if box else [None] * 4), srs.srs_id),
        )
        con.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
                    (table, geometry_type, srs.srs_id))  # fmt: skip
        rtree = f"rtree_{table}_geom"
        con.execute(f'CREATE VIRTUAL TABLE "{rtree}" USING rtree(id, minx, maxx, miny, maxy)')
        rows = zip((np.nonzero(ok)[0] + 1).tolist(), *env[ok].T.tolist())
        con.executemany(f'INSERT INTO "{rtree}" VALUES (?, ?, ?, ?, ?)', rows)
        con.commit()
        gpkg_rtree.create_triggers(con, table)
        gpkg_rtree.register_extension(con, table)

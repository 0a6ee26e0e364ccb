"""Exact overlay of lines, points and polygons on a grid's cells, for :mod:`.covariates`.

Everything works in a local lattice frame (origin on a lattice point below-left of the grid: small
coordinates keep the arithmetic exact to well below a millimetre). Two steps, both vectorised:

1. the lattice: segments are cut at the lines that carry the cells' edges (``split_segments``) and the
   pieces assigned to cells by their midpoints. A polygon covers whole the lattice cells whose centre is
   inside it and whose interior none of its edges crosses (scanlines); it is cut to the cells its edges
   cross by Sutherland–Hodgman, run on all rings at once (``clip_batch``) down a quadtree of the lattice
   so that each ring reaches each of its cells as a piece of a few vertices;
2. the boundary: in cells crossed by the boundary the clipped cell is smaller than the lattice cell and
   not convex. Line pieces there are cut again at the clipped cell's ring edges and kept when their
   midpoint is inside it (even-odd rule); polygon pieces are intersected with the fan triangles of the
   clipped cell (the indicator of a ring is the signed sum of the triangles joining a point to its edges,
   and each triangle is convex), which is exact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from . import polyclip
from .errors import BeatCastInputError
from .grid import SQRT3, Grid, GridSpec, assign_points, cell_centres, cell_index, cell_offsets

_PAIR_CHUNK = 4_000_000  # (point, edge) pairs per vectorised step: bounds memory to ~200 MB


@dataclass(frozen=True, eq=False)
class Frame:
    """The grid's lattice with (x0, y0) as origin: local cell (c, r) is global cell (c + c0, r + r0)."""

    grid: Grid
    spec: GridSpec  # the same lattice, origin (0, 0)
    x0: float
    y0: float
    c0: int
    r0: int
    box: tuple[float, float, float, float]  # local bounding box of the grid's whole cells, one cell wider

    def cells(self, col: np.ndarray, row: np.ndarray) -> np.ndarray:
        """Grid index of local lattice cells, -1 where the grid has no such cell."""
        if not len(col):
            return np.zeros(0, dtype=np.int64)
        return cell_index(self.grid, *cell_centres(self.grid.spec, col + self.c0, row + self.r0))

    def cells_at(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Grid index of the lattice cell holding each local point, -1 where the grid has none."""
        return self.cells(*assign_points(self.spec, x, y))


def local_frame(grid: Grid) -> Frame:
    spec, s = grid.spec, grid.spec.size
    dy = spec.row_height
    # Three cells of margin: the box below stays at positive local coordinates (rows and cols >= 0).
    c0 = int(grid.col.min()) - 3 if len(grid) else 0
    r0 = int(grid.row.min()) - 3 if len(grid) else 0
    r0 -= r0 % 2  # even: local and global rows have the same parity (hex offsets)
    x0, y0 = spec.origin_x + c0 * s, spec.origin_y + r0 * dy
    if len(grid):
        cx, cy = cell_centres(spec, grid.col, grid.row)
        box = (cx.min() - x0 - 2 * s, cy.min() - y0 - 2 * s, cx.max() - x0 + 2 * s, cy.max() - y0 + 2 * s)
    else:
        box = (0.0, 0.0, 0.0, 0.0)
    return Frame(grid, GridSpec(spec.shape, s), x0, y0, c0, r0, tuple(map(float, box)))


def lattice_families(spec: GridSpec) -> list[tuple[float, float, float]]:
    """(fx, fy, step): every cell edge lies on a line fx*x + fy*y = k*step of the local frame."""
    s = spec.size
    if spec.shape == "square":
        return [(1.0, 0.0, s), (0.0, 1.0, s)]
    return [(1.0, 0.0, s / 2), (1 / SQRT3, 1.0, s / SQRT3), (-1 / SQRT3, 1.0, s / SQRT3)]


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, position) for ragged runs: owner i repeated counts[i] times, position 0..counts[i]-1."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.cumsum(counts) - counts
    return owner, np.arange(len(owner)) - first[owner]


def clip_to_box(starts: np.ndarray, ends: np.ndarray, box) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Liang–Barsky: (segment index, start, end) of the segments' parts inside the box (dropping the rest)."""
    d = ends - starts
    t0, t1 = np.zeros(len(starts)), np.ones(len(starts))
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis, lo, hi in ((0, box[0], box[2]), (1, box[1], box[3])):
            p, q = d[:, axis], starts[:, axis]
            ta, tb = (lo - q) / p, (hi - q) / p
            flat = p == 0
            t0 = np.where(flat, t0, np.maximum(t0, np.minimum(ta, tb)))
            t1 = np.where(flat, t1, np.minimum(t1, np.maximum(ta, tb)))
            t1 = np.where(flat & ((q < lo) | (q > hi)), -1.0, t1)
    keep = np.nonzero(t1 > t0)[0]
    return keep, starts[keep] + t0[keep, None] * d[keep], starts[keep] + t1[keep, None] * d[keep]


def split_segments(starts: np.ndarray, ends: np.ndarray, families) -> tuple[np.ndarray, ...]:
    """(segment index, t0, t1) of the pieces the segments are cut into by the lines of ``families``
    (t along each segment, 0 at its start): each piece lies in one lattice cell."""
    n = len(starts)
    ax, ay, bx, by = starts[:, 0], starts[:, 1], ends[:, 0], ends[:, 1]
    ts, segs = [np.zeros(n), np.ones(n)], [np.arange(n), np.arange(n)]
    for fx, fy, step in families:
        fa, fb = (fx * ax + fy * ay) / step, (fx * bx + fy * by) / step
        lo = np.floor(np.minimum(fa, fb)).astype(np.int64) + 1
        hi = np.ceil(np.maximum(fa, fb)).astype(np.int64) - 1
        seg, pos = expand(np.maximum(hi - lo + 1, 0))
        ts.append(np.clip((lo[seg] + pos - fa[seg]) / (fb[seg] - fa[seg]), 0.0, 1.0))
        segs.append(seg)
    t, seg = np.concatenate(ts), np.concatenate(segs)
    order = np.lexsort((t, seg))
    t, seg = t[order], seg[order]
    keep = (seg[1:] == seg[:-1]) & (t[1:] > t[:-1])
    return seg[:-1][keep], t[:-1][keep], t[1:][keep]


def whole_cells(grid: Grid) -> np.ndarray:
    """True for cells whose clipped polygon is the whole lattice cell (not crossed by the boundary)."""
    k = len(cell_offsets(grid.spec)) + 1
    simple = np.fromiter(
        (len(p) == 1 and len(p[0]) == 1 and len(p[0][0]) == k for p in grid.polygons), bool, len(grid)
    )
    return simple & (grid.area_fraction >= 1.0 - 1e-9)


@dataclass
class CellEdges:
    """Ring edges of the clipped polygons of some cells, in the local frame: cell ``cells[i]`` owns edges
    ``first[i] : first[i] + count[i]`` of (ax, ay, bx, by). ``slot`` maps a grid index to i (-1: none)."""

    cells: np.ndarray
    slot: np.ndarray
    first: np.ndarray
    count: np.ndarray
    ax: np.ndarray
    ay: np.ndarray
    bx: np.ndarray
    by: np.ndarray


def cell_edges(frame: Frame, cells: np.ndarray) -> CellEdges:
    grid = frame.grid
    slot = np.full(len(grid), -1, dtype=np.int64)
    slot[cells] = np.arange(len(cells))
    starts, ends, count = [], [], np.zeros(len(cells), dtype=np.int64)
    for i, j in enumerate(cells.tolist()):
        # Exteriors counter-clockwise, holes clockwise, whatever the source: the fan needs orientation.
        own = [r - (frame.x0, frame.y0) for _, _, r in polyclip.oriented_rings(grid.polygons[j])]
        own = [r for r in own if len(r) >= 3]
        for r in own:
            starts.append(r)
            ends.append(np.concatenate((r[1:], r[:1])))
            count[i] += len(r)
    a = np.concatenate(starts) if starts else np.zeros((0, 2))
    b = np.concatenate(ends) if ends else np.zeros((0, 2))
    first = np.cumsum(count) - count
    return CellEdges(cells, slot, first, count, a[:, 0], a[:, 1], b[:, 0], b[:, 1])


def _pair_chunks(counts: np.ndarray):
    """Slices of items whose pair counts add up to about _PAIR_CHUNK each."""
    total = np.cumsum(counts)
    start = 0
    while start < len(counts):
        base = total[start - 1] if start else 0
        stop = max(int(np.searchsorted(total, base + _PAIR_CHUNK, side="right")), start + 1)
        yield slice(start, stop)
        start = stop


def inside_clipped(edges: CellEdges, slot: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Even-odd test of local points against the clipped polygon of their cell (``slot`` into edges)."""
    inside = np.zeros(len(x), dtype=bool)
    counts = edges.count[slot]
    for part in _pair_chunks(counts):
        owner, pos = expand(counts[part])
        e = edges.first[slot[part]][owner] + pos
        px, py = x[part][owner], y[part][owner]
        ax, ay, bx, by = edges.ax[e], edges.ay[e], edges.bx[e], edges.by[e]
        crosses = (ay > py) != (by > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            left = px < ax + (py - ay) * (bx - ax) / (by - ay)
        hits = np.bincount(owner, weights=(crosses & left).astype(float), minlength=part.stop - part.start)
        inside[part] = hits.astype(np.int64) % 2 == 1
    return inside


def cut_at_edges(edges: CellEdges, slot, a: np.ndarray, d: np.ndarray, t0, t1) -> tuple[np.ndarray, ...]:
    """Cut the pieces a + t*d, t in [t0, t1], at the ring edges of their clipped cell: (piece, t0, t1)
    of the sub-pieces whose midpoint is inside the clipped cell."""
    n = len(a)
    counts = edges.count[slot]
    piece, ts = [np.arange(n), np.arange(n)], [t0, t1]
    for part in _pair_chunks(counts):
        owner, pos = expand(counts[part])
        e = edges.first[slot[part]][owner] + pos
        own = owner + part.start
        px, py = edges.ax[e] - a[own, 0], edges.ay[e] - a[own, 1]
        qx, qy = edges.bx[e] - edges.ax[e], edges.by[e] - edges.ay[e]
        dx, dy = d[own, 0], d[own, 1]
        denom = dx * qy - dy * qx
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (px * qy - py * qx) / denom
            u = (px * dy - py * dx) / denom
        hit = (denom != 0) & (u >= 0) & (u <= 1) & (t > t0[own]) & (t < t1[own])
        piece.append(own[hit])
        ts.append(t[hit])
    p, t = np.concatenate(piece), np.concatenate(ts)
    order = np.lexsort((t, p))
    p, t = p[order], t[order]
    keep = (p[1:] == p[:-1]) & (t[1:] > t[:-1])
    p, lo, hi = p[:-1][keep], t[:-1][keep], t[1:][keep]
    mid = 0.5 * (lo + hi)
    ok = inside_clipped(edges, slot[p], a[p, 0] + mid * d[p, 0], a[p, 1] + mid * d[p, 1])
    return p[ok], lo[ok], hi[ok]


# ----------------------------------------------------------------------------------------- polygons


def feature_rings(polygons: Sequence) -> tuple[list[tuple[int, np.ndarray]], np.ndarray]:
    """Oriented open rings (feature index, ring) of polygon or multipolygon features, and each feature's
    area. A feature is a polygon (list of (n, 2) rings, exterior first) or a list of such polygons."""
    out, areas = [], np.zeros(len(polygons))
    for f, feature in enumerate(polygons):
        parts = list(feature)
        if parts and isinstance(parts[0], np.ndarray) and np.ndim(parts[0]) == 2:
            parts = [parts]
        try:
            rings = polyclip.oriented_rings(parts)
        except (ValueError, TypeError) as error:
            raise BeatCastInputError(f"polygon {f}: expected lists of (n, 2) rings ({error})") from error
        for _, _, ring in rings:
            if not np.isfinite(ring).all():
                raise BeatCastInputError(f"polygon {f} has non-finite vertices")
            out.append((f, ring))
            areas[f] += polyclip.signed_area(ring)
        if not areas[f] > 0:
            raise BeatCastInputError(f"polygon {f} has no area (empty, degenerate or only holes)")
    return out, areas


def _scan_inside(frame: Frame, rings: list[tuple[int, np.ndarray]], nrows: int) -> tuple[np.ndarray, ...]:
    """(feature, local col, local row) of the lattice cells whose centre is inside each feature (even-odd
    over the feature's rings), from the crossings of its edges with the rows of centres."""
    spec, s = frame.spec, frame.spec.size
    dy, y0 = spec.row_height, (0.5 * spec.size if spec.shape == "square" else 0.0)
    feature = np.concatenate([np.full(len(r), f) for f, r in rings])
    a = np.concatenate([r for _, r in rings])
    b = np.concatenate([np.concatenate((r[1:], r[:1])) for _, r in rings])
    k_lo = np.clip(np.floor((np.minimum(a[:, 1], b[:, 1]) - y0) / dy).astype(np.int64) - 1, 0, nrows)
    k_hi = np.clip(np.ceil((np.maximum(a[:, 1], b[:, 1]) - y0) / dy).astype(np.int64) + 1, -1, nrows - 1)
    edge, pos = expand(np.maximum(k_hi - k_lo + 1, 0))
    k = k_lo[edge] + pos
    y = y0 + k * dy
    hit = (a[edge, 1] > y) != (b[edge, 1] > y)  # each vertex counted once: even crossings per row
    edge, k, y = edge[hit], k[hit], y[hit]
    x = a[edge, 0] + (y - a[edge, 1]) * (b[edge, 0] - a[edge, 0]) / (b[edge, 1] - a[edge, 1])
    f = feature[edge]
    order = np.lexsort((x, k, f))
    f, k, x = f[order], k[order], x[order]
    f, k, xa, xb = f[0::2], k[0::2], x[0::2], x[1::2]
    shift = 0.5 * s if spec.shape == "square" else 0.5 * s * (k & 1)
    lo = np.ceil((xa - shift) / s).astype(np.int64)
    owner, pos = expand(np.maximum(np.floor((xb - shift) / s).astype(np.int64) - lo + 1, 0))
    return f[owner], lo[owner] + pos, k[owner]


def overlap_matrix(grid: Grid, polygons: Sequence) -> tuple[sparse.csr_matrix, np.ndarray]:
    """(cells x features sparse matrix of the area of each clipped cell inside each feature, in m²;
    each feature's whole area, inside the grid or not). Exact (see the module docstring)."""
    rings, feature_area = feature_rings(polygons)
    n_cells, n_features = len(grid), len(polygons)
    empty = sparse.csr_matrix((n_cells, n_features))
    if not n_cells or not rings:
        return empty, feature_area
    frame = local_frame(grid)
    local = []
    for f, ring in rings:  # to the local frame, cut to the grid's box (the area inside is kept exactly)
        ring = ring - (frame.x0, frame.y0)
        ring = polyclip.clip_to_box(ring, polyclip.bbox(ring), frame.box)
        if len(ring) >= 3 and polyclip.signed_area(ring) != 0.0:
            local.append((f, ring))
    if not local:
        return empty, feature_area
    spec = frame.spec
    in_f, in_c, in_r = _scan_inside(frame, local, int(math.ceil(frame.box[3] / spec.row_height)) + 3)
    feature = np.concatenate([np.full(len(r), f) for f, r in local])
    a = np.concatenate([r for _, r in local])
    b = np.concatenate([np.concatenate((r[1:], r[:1])) for _, r in local])
    seg, t0, t1 = split_segments(a, b, lattice_families(spec))
    mid = a[seg] + (0.5 * (t0 + t1))[:, None] * (b[seg] - a[seg])
    ed_c, ed_r = assign_points(spec, mid[:, 0], mid[:, 1])
    dims = (int(max(in_c.max(initial=0), ed_c.max(initial=0))) + 2,
            int(max(in_r.max(initial=0), ed_r.max(initial=0))) + 2)  # fmt: skip
    ed_f, ed_c, ed_r = _decode(np.unique(_encode(feature[seg], ed_c, ed_r, dims)), dims)
    full_f, full_c, full_r = _decode(
        np.setdiff1d(_encode(in_f, in_c, in_r, dims), _encode(ed_f, ed_c, ed_r, dims)), dims
    )

    whole = whole_cells(grid)
    # Lattice cells wholly inside a feature: the feature covers the whole clipped cell.
    cell = frame.cells(full_c, full_r)
    ok = cell >= 0
    rows, cols, vals = [cell[ok]], [full_f[ok]], [grid.area[cell[ok]]]
    # Lattice cells its edges cross: Sutherland–Hodgman, then the boundary's fan triangles.
    ring_feature = np.array([f for f, _ in local])
    xy = np.concatenate([r for _, r in local])
    group = np.repeat(np.arange(len(local)), [len(r) for _, r in local])
    xy, group, g_f, g_c, g_r = _descend(spec, xy, group, ring_feature, (ed_f, ed_c, ed_r), dims)
    centres = np.column_stack(cell_centres(spec, g_c, g_r))
    area = group_areas(xy, group, len(g_f), centres)
    g_cell = frame.cells(g_c, g_r)
    ok = g_cell >= 0
    edge = ok & whole[np.maximum(g_cell, 0)]
    rows.append(g_cell[edge])
    cols.append(g_f[edge])
    vals.append(area[edge])
    fan = np.nonzero(ok & ~edge)[0]
    if len(fan):
        keep = np.isin(group, fan)
        _, sub = np.unique(group[keep], return_inverse=True)
        edges = cell_edges(frame, np.unique(g_cell[fan]))
        rows.append(g_cell[fan])
        cols.append(g_f[fan])
        vals.append(_fan_areas(edges, edges.slot[g_cell[fan]], centres[fan], xy[keep], sub))
    matrix = sparse.coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_cells, n_features)
    ).tocsr()
    matrix.data = np.maximum(matrix.data, 0.0)  # rounding can leave -1e-12 where a feature only touches
    matrix.eliminate_zeros()
    return matrix, feature_area


def _encode(f, c, r, dims):
    return (f * dims[1] + r) * dims[0] + c


def _decode(key, dims):
    return key // (dims[0] * dims[1]), key % dims[0], key // dims[0] % dims[1]


# --------------------------------------------------------------------- batched Sutherland–Hodgman
# Many open rings at once: vertices xy (n, 2) and the ring ("group") of each vertex, groups contiguous
# and ascending. Each clipping step applies one half-plane a*x + b*y <= c per group (a, b, c indexed by
# group), vectorised over all vertices: the Python loops run over levels and sides, not over rings.


def _next_index(group: np.ndarray) -> np.ndarray:
    n = len(group)
    nxt = np.arange(1, n + 1)
    if n:
        start = np.flatnonzero(np.concatenate(([True], group[1:] != group[:-1])))
        nxt[np.concatenate((start[1:], [n])) - 1] = start
    return nxt


def clip_batch(xy: np.ndarray, group: np.ndarray, a, b, c) -> tuple[np.ndarray, np.ndarray]:
    """One Sutherland–Hodgman step for every group (see ``polyclip.clip_half_plane``): each vertex
    inside is kept, followed by its edge's crossing point when the edge crosses the line."""
    if not len(xy):
        return xy, group
    d = xy[:, 0] * a[group] + xy[:, 1] * b[group] - c[group]
    inside = d <= 0
    if inside.all():
        return xy, group
    nxt = _next_index(group)
    cross = inside != inside[nxt]
    count = inside.astype(np.int64) + cross
    end = np.cumsum(count)
    out = np.empty((int(end[-1]), 2))
    out[end[inside] - count[inside]] = xy[inside]
    k = np.flatnonzero(cross)
    dk, dn = d[k], d[nxt[k]]
    out[end[k] - 1] = xy[k] + (dk / (dk - dn))[:, None] * (xy[nxt[k]] - xy[k])
    return out, np.repeat(group, count)


def clip_batch_convex(xy, group, planes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clip every group to its convex window: ``planes`` (groups, sides, 3) rows (a, b, c)."""
    for side in range(planes.shape[1]):
        xy, group = clip_batch(xy, group, planes[:, side, 0], planes[:, side, 1], planes[:, side, 2])
    return xy, group


def convex_planes(vertices: np.ndarray) -> np.ndarray:
    """(m, k, 3) half-planes (a, b, c), a*x + b*y <= c inside, of (m, k, 2) counter-clockwise polygons."""
    p, q = vertices, np.roll(vertices, -1, axis=1)
    a, b = q[..., 1] - p[..., 1], p[..., 0] - q[..., 0]
    return np.stack([a, b, a * p[..., 0] + b * p[..., 1]], axis=-1)


def group_areas(xy: np.ndarray, group: np.ndarray, n_groups: int, ref: np.ndarray) -> np.ndarray:
    """Signed shoelace area of every group, computed around its reference point ref[group]."""
    x, y = xy[:, 0] - ref[group, 0], xy[:, 1] - ref[group, 1]
    nxt = _next_index(group)
    return 0.5 * np.bincount(group, weights=x * y[nxt] - x[nxt] * y, minlength=n_groups)


def _compact(xy, group, *info) -> tuple:
    """Drop the groups left with fewer than 3 vertices and renumber the rest 0.. in order."""
    counts = np.bincount(group, minlength=len(info[0]))
    keep = counts >= 3
    new_id = np.cumsum(keep) - 1
    sel = keep[group]
    return (xy[sel], new_id[group[sel]], *(v[keep] for v in info))


def _descend(spec: GridSpec, xy, group, ring_feature, edge_pairs, dims) -> tuple:
    """Clip each ring to every lattice cell of its feature's edge pairs (feature, col, row), down a
    quadtree of the lattice (rings are cut to ever smaller boxes, so each step handles few vertices):
    the pieces (xy, group) and, per group, its feature, col and row."""
    e_f, e_c, e_r = edge_pairs
    s, dy, radius = spec.size, spec.row_height, spec.size / SQRT3
    levels = max(int(math.ceil(math.log2(max(dims)))), 1)
    g_f, g_c, g_r = ring_feature, np.zeros(len(ring_feature), np.int64), np.zeros(len(ring_feature), np.int64)
    for level in range(1, levels + 1):
        shift = levels - level
        c_f, c_c, c_r = _decode(np.unique(_encode(e_f, e_c >> shift, e_r >> shift, dims)), dims)
        # Each alive child takes every group (ring piece) of its feature in its parent node.
        g_key = _encode(g_f, g_c, g_r, dims)
        order = np.argsort(g_key, kind="stable")
        p_key = _encode(c_f, c_c >> 1, c_r >> 1, dims)
        lo = np.searchsorted(g_key[order], p_key, "left")
        child, pos = expand(np.searchsorted(g_key[order], p_key, "right") - lo)
        parent = order[lo[child] + pos]
        start = np.searchsorted(group, np.arange(len(g_f)))
        count = np.bincount(group, minlength=len(g_f))
        new_group, vpos = expand(count[parent])
        xy, group = xy[start[parent][new_group] + vpos], new_group
        g_f, g_c, g_r = c_f[child], c_c[child], c_r[child]
        # A child's box is its parent's with one side moved in x and one in y: clip to those two.
        c_lo, c_hi = g_c << shift, ((g_c + 1) << shift) - 1
        r_lo, r_hi = g_r << shift, ((g_r + 1) << shift) - 1
        if spec.shape == "square":
            box = (c_lo * s, r_lo * s, (c_hi + 1) * s, (r_hi + 1) * s)
        else:  # a little wider than the hexagons' bounding box
            box = (c_lo * s - s / 2, r_lo * dy - radius, c_hi * s + s, r_hi * dy + radius)
        low_x, low_y, zero = (g_c & 1) == 0, (g_r & 1) == 0, np.zeros(len(g_f))
        sign_x, sign_y = np.where(low_x, 1.0, -1.0), np.where(low_y, 1.0, -1.0)
        xy, group = clip_batch(xy, group, sign_x, zero, np.where(low_x, box[2], -box[0]))
        xy, group = clip_batch(xy, group, zero, sign_y, np.where(low_y, box[3], -box[1]))
        xy, group, g_f, g_c, g_r = _compact(xy, group, g_f, g_c, g_r)
    if spec.shape == "hex":  # square leaves are their cell already
        cells = np.column_stack(cell_centres(spec, g_c, g_r))[:, None, :] + cell_offsets(spec)[None]
        xy, group = clip_batch_convex(xy, group, convex_planes(cells))
        xy, group, g_f, g_c, g_r = _compact(xy, group, g_f, g_c, g_r)
    return xy, group, g_f, g_c, g_r


def _fan_areas(edges: CellEdges, slot: np.ndarray, apex: np.ndarray, xy, group) -> np.ndarray:
    """Area inside its clipped cell of every group (a piece of a feature inside one lattice cell; slot:
    the cell in ``edges``). The clipped cell's indicator is the signed sum of the triangles joining the
    lattice cell's centre (apex) to its ring edges; each triangle is convex and inside the lattice cell."""
    n = len(slot)
    owner, pos = expand(edges.count[slot])
    e = edges.first[slot][owner] + pos
    o = apex[owner]
    a = np.column_stack([edges.ax[e], edges.ay[e]])
    b = np.column_stack([edges.bx[e], edges.by[e]])
    twice = (a[:, 0] - o[:, 0]) * (b[:, 1] - o[:, 1]) - (a[:, 1] - o[:, 1]) * (b[:, 0] - o[:, 0])
    scale = np.maximum(np.abs(a - o).max(axis=1), 1.0) ** 2
    positive = twice > 0
    tri = np.stack([o, np.where(positive[:, None], a, b), np.where(positive[:, None], b, a)], axis=1)
    # Only the triangles that overlap their piece's bounding box.
    start = np.searchsorted(group, np.arange(n))
    lo, hi = np.minimum.reduceat(xy, start), np.maximum.reduceat(xy, start)
    live = (np.abs(twice) > 1e-12 * scale) & (tri.max(axis=1) > lo[owner]).all(axis=1)
    live &= (tri.min(axis=1) < hi[owner]).all(axis=1)
    owner, tri, sign = owner[live], tri[live], np.where(positive[live], 1.0, -1.0)
    count = np.bincount(group, minlength=n)
    pair, vpos = expand(count[owner])
    t_xy, t_group = clip_batch_convex(xy[start[owner][pair] + vpos], pair, convex_planes(tri))
    area = group_areas(t_xy, t_group, len(owner), tri[:, 0]) if len(owner) else np.zeros(0)
    return np.bincount(owner, weights=area * sign, minlength=n)

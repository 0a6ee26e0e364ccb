"""Per-cell covariates for the forecasting models and the bias audit: distance to and counts of point
features, length of lines, statistics of rasters and area-weighted attributes of polygons.

Every function takes a :class:`~.grid.Grid` and plain arrays in the grid's CRS (metres) and returns numpy
arrays with one value per cell, in grid order. "Inside the cell" means inside the *clipped* cell (the part
of the lattice cell inside the study boundary, whose area is ``grid.area``), so that a value divided by
``grid.area`` is a density: points, line pieces and pixel centres that fall in a boundary cell's lattice
cell but outside the boundary are left out. ``clipped=False`` counts them (the lattice assignment of
:func:`.grid.cell_index`, which is how incidents are counted into cells). Distances and counts within a
radius are measured from the clipped centroid and use every point given, inside the boundary or not.

Exactness: line lengths and polygon overlap areas are exact for square and hex cells (see
:mod:`.covariates_overlay`); a line running exactly along the boundary may count on either side of it.
``covariate_table`` combines several covariates into one DataFrame; ``FIELD_DOCS`` documents its columns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from .covariates_overlay import (
    cell_edges,
    clip_to_box,
    cut_at_edges,
    inside_clipped,
    lattice_families,
    local_frame,
    overlap_matrix,
    split_segments,
    whole_cells,
)
from .errors import BeatCastInputError
from .grid import Grid, cell_index

RASTER_STATS = ("mean", "min", "max", "sum", "std", "count")
KINDS = ("extensive", "intensive")
_RASTER_CHUNK = 1 << 20  # pixels per step

FIELD_DOCS: dict[str, str] = {
    "cell_id": "id of the grid cell (shape letter, size, global column and row)",
    "dist_<layer>": "metres from the cell's clipped centroid to the nearest <layer> point, inside the "
    "boundary or not (inf when the layer has no points)",
    "count_<layer>_<r>m": "number of <layer> points within <r> metres (distance <= r) of the cell's clipped "
    "centroid, inside the boundary or not",
    "n_<layer>": "number of <layer> points inside the clipped cell",
    "len_<layer>": "metres of <layer> lines inside the clipped cell",
    "len_<layer>_<class>": "metres of <layer> lines of class <class> (e.g. road_class) in the clipped cell",
    "<raster>_<stat>": "statistic <stat> (mean, min, max, sum, std: population standard deviation, count) of "
    "the <raster> pixels whose centre is inside the clipped cell, nodata and NaN ignored; NaN (count 0) when "
    "the cell holds no valid pixel centre",
    "<layer>_<attribute>": "area-weighted <attribute> of the <layer> polygons. Extensive (counts such as "
    "population): sum over polygons of value * area(cell ∩ polygon) / area(polygon), so the cells add up to "
    "the polygons' totals inside the boundary. Intensive (rates, shares): mean of the values weighted by "
    "area(cell ∩ polygon), NaN where no polygon with a value covers the cell",
    "<layer>_coverage": "area of the clipped cell covered by the <layer> polygons / area of the clipped cell "
    "(0 to 1; more where polygons overlap)",
}


# ------------------------------------------------------------------------------------------- points


def _points(x, y) -> np.ndarray:
    x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    if len(x) != len(y):
        raise BeatCastInputError(f"points: {len(x)} x values but {len(y)} y values")
    ok = np.isfinite(x) & np.isfinite(y)
    return np.column_stack([x[ok], y[ok]])


def _centroids(grid: Grid) -> np.ndarray:
    return np.column_stack([grid.centroid_x, grid.centroid_y])


def point_distance(grid: Grid, x, y) -> np.ndarray:
    """Metres from each cell's clipped centroid to the nearest point (points with non-finite coordinates
    are ignored); ``inf`` everywhere when there is no point."""
    pts = _points(x, y)
    if not len(pts) or not len(grid):
        return np.full(len(grid), np.inf)
    distance, _ = cKDTree(pts).query(_centroids(grid), k=1, workers=-1)
    return np.asarray(distance, dtype=float)


def point_count_within(grid: Grid, x, y, radius: float) -> np.ndarray:
    """Number of points at a distance <= ``radius`` metres from each cell's clipped centroid (int64)."""
    try:
        ok = not isinstance(radius, bool | str) and math.isfinite(float(radius)) and float(radius) >= 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise BeatCastInputError(f"radius {radius!r}: expected a number of metres >= 0")
    pts = _points(x, y)
    if not len(pts) or not len(grid):
        return np.zeros(len(grid), dtype=np.int64)
    tree = cKDTree(pts)
    counts = tree.query_ball_point(_centroids(grid), r=float(radius), return_length=True, workers=-1)
    return np.asarray(counts, dtype=np.int64)


class _Cells:
    """Assigns points to clipped cells: the lattice cell, then, in cells crossed by the boundary, an
    even-odd test against the clipped polygon (prepared once for all calls)."""

    def __init__(self, grid: Grid, clipped: bool) -> None:
        self.grid, self.clipped = grid, clipped and len(grid) > 0
        if self.clipped:
            self.whole = whole_cells(grid)
            self.frame = local_frame(grid)
            self.edges = cell_edges(self.frame, np.nonzero(~self.whole)[0])

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Grid index of the cell holding each point, -1 for none."""
        cell = cell_index(self.grid, x, y)
        if not self.clipped:
            return cell
        todo = np.nonzero(cell >= 0)[0]
        todo = todo[~self.whole[cell[todo]]]
        if len(todo):
            slot = self.edges.slot[cell[todo]]
            inside = inside_clipped(self.edges, slot, x[todo] - self.frame.x0, y[todo] - self.frame.y0)
            cell[todo[~inside]] = -1
        return cell


def point_count_in_cell(grid: Grid, x, y, clipped: bool = True) -> np.ndarray:
    """Number of points inside each clipped cell (int64); ``clipped=False``: inside its lattice cell, as
    :func:`.grid.cell_index` assigns them (points outside the boundary then count in boundary cells)."""
    pts = _points(x, y)
    cell = _Cells(grid, clipped)(pts[:, 0], pts[:, 1])
    return np.bincount(cell[cell >= 0], minlength=len(grid)).astype(np.int64)


# -------------------------------------------------------------------------------------------- lines


def _segments(lines: Sequence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, end, line index) of every segment of finite, non-zero length."""
    starts, ends, owner = [], [], []
    for i, line in enumerate(lines):
        xy = np.asarray(line, dtype=float)
        if xy.ndim != 2 or xy.shape[1] != 2:
            raise BeatCastInputError(f"line {i}: expected an (n, 2) array of vertices, got shape {xy.shape}")
        if len(xy) < 2:
            continue
        starts.append(xy[:-1])
        ends.append(xy[1:])
        owner.append(np.full(len(xy) - 1, i))
    if not starts:
        return np.zeros((0, 2)), np.zeros((0, 2)), np.zeros(0, dtype=np.int64)
    a, b, owner_all = np.concatenate(starts), np.concatenate(ends), np.concatenate(owner)
    ok = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1) & (a != b).any(axis=1)
    return a[ok], b[ok], owner_all[ok]


def _line_pieces(grid: Grid, lines: Sequence, clipped: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cell index, length, line index) of the pieces of the lines inside the grid's cells."""
    a, b, owner = _segments(lines)
    if not len(a) or not len(grid):
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64)
    frame = local_frame(grid)
    keep, a, b = clip_to_box(a - (frame.x0, frame.y0), b - (frame.x0, frame.y0), frame.box)
    owner, d = owner[keep], b - a
    seg, t0, t1 = split_segments(a, b, lattice_families(frame.spec))
    mid = 0.5 * (t0 + t1)
    cell = frame.cells_at(a[seg, 0] + mid * d[seg, 0], a[seg, 1] + mid * d[seg, 1])
    ok = cell >= 0
    seg, t0, t1, cell = seg[ok], t0[ok], t1[ok], cell[ok]
    if clipped:
        edge = ~whole_cells(grid)[cell]
        if edge.any():
            edges = cell_edges(frame, np.unique(cell[edge]))
            e_seg, e_cell = seg[edge], cell[edge]
            piece, lo, hi = cut_at_edges(edges, edges.slot[e_cell], a[e_seg], d[e_seg], t0[edge], t1[edge])
            keep_whole = ~edge
            seg = np.concatenate([seg[keep_whole], e_seg[piece]])
            cell = np.concatenate([cell[keep_whole], e_cell[piece]])
            t0, t1 = np.concatenate([t0[keep_whole], lo]), np.concatenate([t1[keep_whole], hi])
    length = (t1 - t0) * np.hypot(d[seg, 0], d[seg, 1])
    return cell, length, owner[seg]


def line_length(grid: Grid, lines: Sequence, clipped: bool = True) -> np.ndarray:
    """Metres of the polylines ((n, 2) vertex arrays) inside each clipped cell. Exact: segments are cut
    at the lattice's cell edges and, in boundary cells, at the clipped cell's edges. ``clipped=False``:
    inside the lattice cell."""
    cell, length, _ = _line_pieces(grid, lines, clipped)
    return np.bincount(cell, weights=length, minlength=len(grid))


def line_length_by(grid: Grid, lines: Sequence, values: Sequence, clipped: bool = True) -> dict:
    """value -> metres of the lines with that value (e.g. road_class) inside each clipped cell, for every
    distinct value in ``values`` (one per line), sorted when the values can be. Lines whose value is
    missing (None, NaN) are in no class."""
    values = list(values)
    if len(values) != len(lines):
        raise BeatCastInputError(f"line classes: {len(lines)} lines but {len(values)} values")
    cell, length, owner = _line_pieces(grid, lines, clipped)
    try:
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=True)
    except TypeError:  # values of mixed types: first-seen order
        codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    line_code = codes[owner]
    return {
        value: np.bincount(cell[line_code == k], weights=length[line_code == k], minlength=len(grid))
        for k, value in enumerate(uniques.tolist())
    }


# ------------------------------------------------------------------------------------------- raster


def _check_transform(transform) -> tuple[float, ...]:
    try:
        t = tuple(float(v) for v in transform)
    except (TypeError, ValueError) as error:
        raise BeatCastInputError(f"raster transform {transform!r}: expected 6 numbers") from error
    if len(t) != 6 or not all(map(math.isfinite, t)):
        raise BeatCastInputError(f"raster transform {transform!r}: expected 6 finite numbers (GDAL order)")
    if t[2] != 0 or t[4] != 0:
        raise BeatCastInputError(
            "the raster is rotated (geotransform terms 2 and 4 are not 0): warp it to a north-up raster"
        )
    if t[1] == 0 or t[5] == 0:
        raise BeatCastInputError(f"raster transform {transform!r}: pixel width and height must not be 0")
    return t


def raster_stats(
    grid: Grid, array, transform, nodata=None, stats: Sequence[str] = ("mean", "max"), clipped: bool = True
) -> dict[str, np.ndarray]:
    """Statistics of the raster pixels whose centre is inside each clipped cell: stat -> per-cell array.

    ``array``: 2-D (rows from the top when the pixel height transform[5] is negative, as usual);
    ``transform``: GDAL geotransform (x0, pixel width, 0, y0, 0, pixel height), north-up, in the grid's
    CRS. Pixels equal to ``nodata``, NaN or masked are ignored. Stats: mean, min, max, sum, std (population)
    and count; cells without a valid pixel centre get NaN (count 0). Cells smaller than a pixel may hold no
    pixel centre: warp the raster finer or use larger cells."""
    unknown = [s for s in stats if s not in RASTER_STATS]
    if unknown or not len(stats):
        raise BeatCastInputError(f"raster statistics {list(stats)!r}: choose among {', '.join(RASTER_STATS)}")
    x0, pw, _, y0, _, ph = _check_transform(transform)
    mask = np.ma.getmaskarray(array) if np.ma.isMaskedArray(array) else None
    values = np.ma.getdata(array) if mask is not None else np.asarray(array)
    if values.ndim == 3 and values.shape[0] == 1:
        values = values[0]
        mask = mask[0] if mask is not None else None
    if values.ndim != 2:
        raise BeatCastInputError(f"raster: expected a 2-D array (one band), got shape {values.shape}")
    n = len(grid)
    count, total, squares = np.zeros(n), np.zeros(n), np.zeros(n)
    low, high = np.full(n, np.inf), np.full(n, -np.inf)
    rows, cols = values.shape
    if n:  # only the window over the grid's cells
        s = 2 * grid.spec.size
        gx = (grid.centroid_x.min() - s, grid.centroid_x.max() + s)
        gy = (grid.centroid_y.min() - s, grid.centroid_y.max() + s)
        c_lo, c_hi = sorted(((gx[0] - x0) / pw, (gx[1] - x0) / pw))
        r_lo, r_hi = sorted(((gy[0] - y0) / ph, (gy[1] - y0) / ph))
        c_lo, c_hi = max(int(math.floor(c_lo)), 0), min(int(math.ceil(c_hi)), cols)
        r_lo, r_hi = max(int(math.floor(r_lo)), 0), min(int(math.ceil(r_hi)), rows)
    else:
        c_lo = c_hi = r_lo = r_hi = 0
    assign = _Cells(grid, clipped)
    shift = None  # sums of squares around a typical value keep the variance precise
    step = max(_RASTER_CHUNK // max(c_hi - c_lo, 1), 1)
    px = x0 + (np.arange(c_lo, c_hi) + 0.5) * pw
    for r in range(r_lo, r_hi, step):
        r_end = min(r + step, r_hi)
        v = values[r:r_end, c_lo:c_hi].astype(float, copy=False).ravel()
        py = y0 + (np.arange(r, r_end) + 0.5) * ph
        ok = np.isfinite(v)
        if nodata is not None:
            ok &= v != float(nodata)
        if mask is not None:
            ok &= ~mask[r:r_end, c_lo:c_hi].ravel()
        idx = np.nonzero(ok)[0]
        cell = assign(px[idx % len(px)], py[idx // len(px)])
        keep = cell >= 0
        cell, v = cell[keep], v[idx[keep]]
        if not len(v):
            continue
        shift = float(v[0]) if shift is None else shift
        count += np.bincount(cell, minlength=n)
        total += np.bincount(cell, weights=v, minlength=n)
        squares += np.bincount(cell, weights=(v - shift) ** 2, minlength=n)
        order = np.argsort(cell, kind="stable")
        cell, v = cell[order], v[order]
        first = np.concatenate(([0], np.nonzero(np.diff(cell))[0] + 1))
        low[cell[first]] = np.minimum(low[cell[first]], np.minimum.reduceat(v, first))
        high[cell[first]] = np.maximum(high[cell[first]], np.maximum.reduceat(v, first))
    empty = count == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
        variance = np.maximum(squares / count - (mean - (shift or 0.0)) ** 2, 0.0)
    out = {
        "mean": mean,
        "min": np.where(empty, np.nan, low),
        "max": np.where(empty, np.nan, high),
        "sum": np.where(empty, np.nan, total),
        "std": np.sqrt(variance),
        "count": count.astype(np.int64),
    }
    return {name: out[name] for name in stats}


# ----------------------------------------------------------------------------------------- polygons


def area_weighted(
    grid: Grid, polygons: Sequence, values: Mapping[str, Sequence], kind: Mapping[str, str]
) -> dict[str, np.ndarray]:
    """Area-weighted attributes of polygon features (e.g. census areas): attribute -> per-cell array.

    ``polygons``: one feature per entry, a polygon (list of (n, 2) rings, exterior first) or a list of
    polygons; ``values``: attribute -> one number per feature; ``kind``: attribute -> "extensive" (counts:
    value * area(cell ∩ polygon) / area(polygon), summed over polygons; the parts of polygons outside the
    boundary are in no cell) or "intensive" (rates, shares: area-weighted mean over the part of the cell
    the polygons cover; NaN where none does). Intersections with the clipped cells are exact. Features
    whose value is NaN are left out (they add nothing to sums and weigh nothing in means)."""
    matrix, feature_area = _checked_overlaps(grid, polygons, values, kind)
    return _weighted(matrix, feature_area, values, kind)


def _weighted(matrix, feature_area: np.ndarray, values: Mapping, kind: Mapping) -> dict[str, np.ndarray]:
    out = {}
    for name, column in values.items():
        v = np.asarray(column, dtype=float)
        known = np.isfinite(v)
        v0 = np.where(known, v, 0.0)
        if kind[name] == "extensive":
            out[name] = matrix @ (v0 / feature_area)
        else:
            weight = matrix @ known.astype(float)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[name] = np.where(weight > 0, (matrix @ v0) / weight, np.nan)
    return out


def polygon_coverage(grid: Grid, polygons: Sequence) -> np.ndarray:
    """Share of each clipped cell's area covered by the polygons (above 1 where polygons overlap)."""
    matrix, _ = overlap_matrix(grid, polygons)
    return _coverage(grid, matrix)


def _coverage(grid: Grid, matrix) -> np.ndarray:
    return np.asarray(matrix.sum(axis=1)).ravel() / grid.area


def _checked_overlaps(grid: Grid, polygons: Sequence, values: Mapping, kind: Mapping):
    for name, column in values.items():
        if kind.get(name) not in KINDS:
            raise BeatCastInputError(
                f"attribute {name!r}: kind {kind.get(name)!r} is unknown; expected 'extensive' (counts such "
                "as population) or 'intensive' (rates, shares)"
            )
        try:
            v = np.asarray(column, dtype=float)
        except (TypeError, ValueError) as error:
            raise BeatCastInputError(f"attribute {name!r}: expected numbers ({error})") from error
        if v.shape != (len(polygons),):
            raise BeatCastInputError(f"attribute {name!r}: {v.size} values for {len(polygons)} polygons")
    return overlap_matrix(grid, polygons)


# ------------------------------------------------------------------------------------------- table


def field_name(*parts) -> str:
    """A column name from parts: lower case, runs of other characters than a-z, 0-9 become "_"."""
    text = "_".join(f"{p:g}".replace(".", "_") if isinstance(p, float) else str(p) for p in parts)
    name = re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")
    if not name:
        raise BeatCastInputError(f"no usable column name in {parts!r}")
    return name


def covariate_table(
    grid: Grid,
    points: Mapping[str, tuple] | None = None,
    radii: Sequence[float] = (),
    lines: Mapping[str, Sequence | tuple[Sequence, Sequence]] | None = None,
    rasters: Mapping[str, tuple] | None = None,
    raster_statistics: Sequence[str] = ("mean", "max"),
    polygons: Mapping[str, tuple[Sequence, Mapping, Mapping]] | None = None,
) -> pd.DataFrame:
    """One row per cell (grid order): cell_id and the covariates named in ``FIELD_DOCS``.

    ``points``: layer -> (x, y), giving dist_<layer>, n_<layer> and count_<layer>_<r>m for each radius;
    ``lines``: layer -> lines or (lines, classes), giving len_<layer> (and len_<layer>_<class>);
    ``rasters``: raster -> (array, transform) or (array, transform, nodata), giving <raster>_<stat>;
    ``polygons``: layer -> (polygons, values, kinds) as for :func:`area_weighted`, giving
    <layer>_<attribute> and <layer>_coverage. Names are made lower case with "_" (:func:`field_name`)."""
    columns: dict[str, np.ndarray] = {"cell_id": grid.cell_id}

    def add(name: str, data: np.ndarray) -> None:
        if name in columns:
            raise BeatCastInputError(f"two covariates would both be named {name!r}: rename a layer")
        columns[name] = data

    for layer, (x, y) in (points or {}).items():
        add(field_name("dist", layer), point_distance(grid, x, y))
        add(field_name("n", layer), point_count_in_cell(grid, x, y))
        for radius in radii:
            add(field_name("count", layer, f"{float(radius):g}m"), point_count_within(grid, x, y, radius))
    for layer, given in (lines or {}).items():
        features, classes = given if isinstance(given, tuple) else (given, None)
        add(field_name("len", layer), line_length(grid, features))
        for value, length in (line_length_by(grid, features, classes) if classes is not None else {}).items():
            add(field_name("len", layer, value), length)
    for raster, (array, transform, *rest) in (rasters or {}).items():
        nodata = rest[0] if rest else None
        for stat, data in raster_stats(grid, array, transform, nodata, raster_statistics).items():
            add(field_name(raster, stat), data)
    for layer, (features, values, kinds) in (polygons or {}).items():
        matrix, feature_area = _checked_overlaps(grid, features, values, kinds)
        for attribute, data in _weighted(matrix, feature_area, values, kinds).items():
            add(field_name(layer, attribute), data)
        add(field_name(layer, "coverage"), _coverage(grid, matrix))
    return pd.DataFrame(columns)

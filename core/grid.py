"""The analysis grid: a square or hexagonal lattice anchored at a fixed origin, clipped to the study area.

Lattice (``GridSpec``), in the grid's projected CRS (metres):

- ``square``: cell (col, row) is [ox + col*size, ox + (col+1)*size) x [oy + row*size, oy + (row+1)*size):
  the origin is the lower-left corner of cell (0, 0).
- ``hex``: pointy-top hexagons (a vertex at the top and bottom, vertical left and right sides) in rows
  ("odd-r" offset layout: odd rows are shifted right by half a cell). ``size`` is the flat-to-flat width
  (the distance between the vertical sides); circumradius R = size / sqrt(3), rows are 1.5 R apart and a
  cell's area is sqrt(3)/2 * size². The origin is the centre of cell (0, 0); the centre of (col, row) is
  (ox + (col + (row mod 2)/2) * size, oy + row * 1.5 R).

Cell ids ("S250_1121_18034", "H150_-3_7": shape letter, size, global col, row) depend on the lattice
position only: a cell keeps its id whatever the extent or boundary (the origin is in the saved spec, not in
the id). Cells are sorted by row, then col.

Cell geometry (``Grid.polygons``): for each cell a list of polygons (a multipolygon), each polygon a list of
closed (n, 2) rings, exterior first. Cells crossed by the boundary are clipped with Sutherland–Hodgman
(:mod:`.polyclip`): one polygon per boundary part, whose exterior may contain zero-width bridges where the
part enters the cell more than once, and whose holes may touch the exterior along the cell edge. Areas and
centroids are exact; the rings are not always OGC-valid (QGIS "Fix geometries" makes them so).
"""

from __future__ import annotations

import json
import math
import numbers
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from . import gpkg, polyclip
from .errors import BeatCastInputError
from .progress import Cancelled, Progress

SQRT3 = math.sqrt(3.0)
SHAPES = ("square", "hex")
MAX_CELLS = 2_000_000
GRIDS_TABLE = "beatcast_grids"
_GEOGRAPHIC = {"EPSG:4326", "EPSG:4269", "EPSG:4258", "EPSG:4283", "EPSG:4167", "EPSG:4674", "OGC:CRS84"}


@dataclass(frozen=True)
class GridSpec:
    """Everything needed to rebuild the lattice and assign points to cells (see the module docstring):
    ``shape`` "square" or "hex" (pointy-top), ``size`` in metres (square side; hex flat-to-flat width),
    the lattice ``origin`` (0, 0 of the CRS by default, so ids do not depend on the extent) and ``crs``."""

    shape: str
    size: float
    origin_x: float = 0.0
    origin_y: float = 0.0
    crs: str = ""

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise BeatCastInputError(f"grid shape {self.shape!r}: expected 'square' or 'hex'")
        if not (isinstance(self.size, numbers.Real) and math.isfinite(self.size) and self.size > 0):
            raise BeatCastInputError(f"grid cell size {self.size!r}: expected a positive number of metres")
        if not all(isinstance(v, numbers.Real) and math.isfinite(v) for v in (self.origin_x, self.origin_y)):
            raise BeatCastInputError("grid origin: expected finite coordinates")
        for name in ("size", "origin_x", "origin_y"):  # numpy scalars -> floats (JSON, ids, equality)
            object.__setattr__(self, name, float(getattr(self, name)))

    @property
    def row_height(self) -> float:  # distance between the centres of consecutive rows
        return self.size if self.shape == "square" else self.size * SQRT3 / 2.0

    @property
    def cell_area(self) -> float:
        """Area of a whole cell in m²."""
        return self.size * self.row_height

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> GridSpec:
        try:
            data = json.loads(text)
            return cls(str(data["shape"]), float(data["size"]), float(data.get("origin_x", 0.0)),
                       float(data.get("origin_y", 0.0)), str(data.get("crs", "")))  # fmt: skip
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise BeatCastInputError(f"grid spec {text!r} is not valid: {error}") from error


@dataclass
class Grid:
    """Cells of a lattice inside a study area; every array has one entry per cell (order: row, then col)."""

    spec: GridSpec
    cell_id: np.ndarray  # object array of str
    col: np.ndarray  # int64, global lattice column
    row: np.ndarray  # int64, global lattice row
    polygons: list  # per cell: list of polygons, each a list of closed (n, 2) rings (see module docstring)
    area: np.ndarray  # clipped area, m²
    area_fraction: np.ndarray  # clipped area / whole cell area, in (0, 1]
    centroid_x: np.ndarray  # of the clipped cell
    centroid_y: np.ndarray
    attributes: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.cell_id)


def check_metric(crs: str, is_geographic: bool | None = None) -> None:
    """Refuse a geographic CRS (sizes are metres); ``is_geographic`` from the adapter, guessed when None."""
    if crs.strip().upper() in _GEOGRAPHIC if is_geographic is None else is_geographic:
        raise BeatCastInputError(
            f"the grid needs a projected CRS in metres, but {crs or 'the CRS'} is geographic (degrees): "
            "reproject the data, e.g. to the local UTM zone"
        )


def _size_text(size: float) -> str:
    text = f"{size:.6f}".rstrip("0").rstrip(".")
    return text if float(text) == size else repr(float(size))


def cell_ids(spec: GridSpec, col: np.ndarray, row: np.ndarray) -> np.ndarray:
    prefix = f"{spec.shape[0].upper()}{_size_text(spec.size)}_"
    return np.array([f"{prefix}{c}_{r}" for c, r in zip(col.tolist(), row.tolist())], dtype=object)


def cell_centres(spec: GridSpec, col, row) -> tuple[np.ndarray, np.ndarray]:
    """Centres of lattice cells (global indices), in the spec's CRS."""
    col, row, s = np.asarray(col, dtype=np.int64), np.asarray(row, dtype=np.int64), spec.size
    if spec.shape == "square":
        return spec.origin_x + (col + 0.5) * s, spec.origin_y + (row + 0.5) * s
    return spec.origin_x + (col + 0.5 * (row & 1)) * s, spec.origin_y + row * spec.row_height


def cell_offsets(spec: GridSpec) -> np.ndarray:
    """Vertices of a cell around its centre, counter-clockwise, open ((4 or 6, 2))."""
    h = spec.size / 2.0
    if spec.shape == "square":
        return np.array([[-h, -h], [h, -h], [h, h], [-h, h]])
    r = spec.size / SQRT3
    return np.array([[h, r / 2], [0.0, r], [-h, r / 2], [-h, -r / 2], [0.0, -r], [h, -r / 2]])


def cell_vertices(spec: GridSpec, col, row) -> np.ndarray:
    """(n, k, 2) counter-clockwise open vertex arrays of whole lattice cells."""
    cx, cy = cell_centres(spec, col, row)
    return np.stack([cx, cy], axis=-1)[:, None, :] + cell_offsets(spec)[None, :, :]


def assign_points(spec: GridSpec, x, y) -> tuple[np.ndarray, np.ndarray]:
    """Global (col, row) of the lattice cell holding each point (vectorised; non-finite points get the
    minimum int64, which matches no cell). Hexagons: nearest centre, by cube-coordinate rounding."""
    x, y = np.asarray(x, dtype=float) - spec.origin_x, np.asarray(y, dtype=float) - spec.origin_y
    bad = ~(np.isfinite(x) & np.isfinite(y))
    x, y = np.where(bad, 0.0, x), np.where(bad, 0.0, y)
    if spec.shape == "square":
        col = np.floor(x / spec.size).astype(np.int64)
        row = np.floor(y / spec.size).astype(np.int64)
    else:
        r = spec.size / SQRT3
        q = (x * SQRT3 / 3.0 - y / 3.0) / r  # axial coordinates of pointy-top hexagons
        z = (2.0 / 3.0) * y / r
        w = -q - z
        rq, rz, rw = np.rint(q), np.rint(z), np.rint(w)
        dq, dz, dw = np.abs(rq - q), np.abs(rz - z), np.abs(rw - w)
        fix_q = (dq > dz) & (dq > dw)
        fix_z = ~fix_q & (dz > dw)
        rq = np.where(fix_q, -rw - rz, rq)
        rz = np.where(fix_z, -rq - rw, rz)
        row = rz.astype(np.int64)
        col = rq.astype(np.int64) + (row - (row & 1)) // 2
    low = np.iinfo(np.int64).min
    return np.where(bad, low, col), np.where(bad, low, row)


def _lookup(grid: Grid, col: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Index of lattice cells (col, row) in the grid, -1 where absent (grid keys are sorted: row, col)."""
    out = np.full(len(col), -1, dtype=np.int64)
    if not len(grid):
        return out
    c0, r0, width = int(grid.col.min()), int(grid.row.min()), int(grid.col.max() - grid.col.min()) + 1
    keys = (grid.row - r0) * width + (grid.col - c0)
    ok = (col >= c0) & (col < c0 + width) & (row >= r0) & (row <= int(grid.row.max()))
    query = (row[ok] - r0) * width + (col[ok] - c0)
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    out[ok] = np.where(keys[pos] == query, pos, -1)
    return out


def cell_index(grid: Grid, x, y) -> np.ndarray:
    """Index into the grid's cells of the lattice cell holding each point; -1 when that lattice cell is not
    in the grid. A point outside the boundary but inside a clipped cell's whole cell gets that cell."""
    return _lookup(grid, *assign_points(grid.spec, x, y))


def neighbours(grid: Grid, kind: str = "queen") -> sparse.csr_matrix:
    """Lattice contiguity between grid cells (symmetric 0/1 CSR matrix). Squares: "queen" (8, sharing an
    edge or a corner) or "rook" (4, sharing an edge); hexagons: the 6 sharing an edge, whatever ``kind``.
    Clipped cells are neighbours when their whole cells are, even if the clipped parts do not touch."""
    if kind not in ("queen", "rook"):
        raise BeatCastInputError(f"neighbour kind {kind!r}: expected 'queen' or 'rook'")
    n = len(grid)
    if grid.spec.shape == "square":
        steps = [(1, 0), (-1, 0), (0, 1), (0, -1)] + [(1, 1), (1, -1), (-1, 1), (-1, -1)] * (kind == "queen")
        offsets = [(np.full(n, dc), dr) for dc, dr in steps]
    else:  # odd-r rows: the diagonal neighbours of odd rows are half a cell further right
        offsets = [(np.full(n, 1), 0), (np.full(n, -1), 0)]
        offsets += [((grid.row & 1) + dc, dr) for dc in (-1, 0) for dr in (-1, 1)]
    rows, cols = [], []
    for dc, dr in offsets:
        j = _lookup(grid, grid.col + dc, grid.row + dr)
        rows.append(np.nonzero(j >= 0)[0])
        cols.append(j[j >= 0])
    i, j = np.concatenate(rows), np.concatenate(cols)
    return sparse.csr_matrix((np.ones(len(i)), (i, j)), shape=(n, n))


def _region(boundary, extent) -> tuple[list, bool]:
    """The polygons to build over and whether cells are clipped to them."""
    if boundary is not None:
        polygons = list(boundary)
        if polygons and isinstance(polygons[0], np.ndarray) and polygons[0].ndim == 2:
            polygons = [polygons]  # one polygon given as its list of rings
        return polygons, True
    if extent is None:
        raise BeatCastInputError("the grid needs a boundary or an extent")
    xmin, ymin, xmax, ymax = (float(v) for v in extent)
    if not all(map(math.isfinite, (xmin, ymin, xmax, ymax))) or xmin >= xmax or ymin >= ymax:
        raise BeatCastInputError(f"grid extent {tuple(extent)}: expected (xmin, ymin, xmax, ymax), min < max")
    return [[np.array([[xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax], [xmin, ymin]])]], False


def _too_many(spec: GridSpec, n: int, max_cells: int, about: str = "") -> BeatCastInputError:
    return BeatCastInputError(
        f"a {_size_text(spec.size)} m {spec.shape} grid over this boundary would have {about}{n:,} cells, "
        f"more than MAX_CELLS={max_cells:,}: use larger cells"
    )


def build_grid(
    spec: GridSpec,
    boundary: Sequence | None,
    extent: tuple | None = None,
    max_cells: int = MAX_CELLS,
    labels: Mapping[str, tuple[Sequence, Sequence]] | None = None,
    min_fraction: float = 0.0,
    progress=None,
) -> Grid:
    """The lattice cells covering ``boundary`` (polygons as lists of rings, in the spec's CRS), clipped to it.

    Cells whose whole cell overlaps the boundary with a positive area are kept, with their clipped area,
    area fraction and clipped centroid; cells below ``min_fraction`` are dropped. Without a boundary,
    ``extent`` (xmin, ymin, xmax, ymax) selects the cells, which are then kept whole (area fraction 1): an
    extent is not a study area. ``extent`` is ignored when a boundary is given. Boundary parts must not
    overlap one another. ``labels``: name -> (polygons, values): each cell takes the value of the label
    polygon holding its clipped centroid, else of the one overlapping its whole cell most, else "".
    ``progress``: an object with ``set_progress(percent)`` and ``is_canceled()`` (``incidents.Progress``).
    """

    feedback = progress or Progress()

    def report(percent: float) -> None:
        if feedback.is_canceled():
            raise Cancelled()
        feedback.set_progress(percent)

    polygons, clip = _region(boundary, extent)
    try:
        rings = polyclip.oriented_rings(polygons)
    except (ValueError, TypeError) as error:
        raise BeatCastInputError(f"boundary: expected polygons as lists of (n, 2) rings ({error})") from error
    area_total = sum(polyclip.signed_area(r) for _, _, r in rings)
    if not rings or not all(np.isfinite(r).all() for _, _, r in rings) or not area_total > 0:
        raise BeatCastInputError("the boundary is empty (no polygon with an area) or has non-finite vertices")
    if area_total / spec.cell_area > max_cells:
        raise _too_many(spec, int(round(area_total / spec.cell_area)), max_cells, "about ")

    # A local lattice frame at the boundary's lower-left: small coordinates keep the clipping exact.
    s, dy = spec.size, spec.row_height
    allpts = np.concatenate([r for _, _, r in rings])
    (xmin, ymin), ymax = allpts.min(axis=0), allpts[:, 1].max()
    c0 = int(math.floor((xmin - spec.origin_x) / s)) - 1
    r0 = int(math.floor((ymin - spec.origin_y) / dy)) - 2
    r0 -= r0 % 2  # even, so local and global rows have the same parity (hex offsets)
    x0, y0 = spec.origin_x + c0 * s, spec.origin_y + r0 * dy
    local = GridSpec(spec.shape, s)  # the same lattice, with (x0, y0) as origin and (c0, r0) as cell (0, 0)
    local_rings = [(part, hole, r - (x0, y0)) for part, hole, r in rings]
    nrows = int(math.ceil((ymax - y0) / dy)) + 3
    report(2)

    if spec.shape == "square":  # cell edges lie on the lines x = k*s and y = k*s
        families, scan0 = [(1.0, 0.0, s), (0.0, 1.0, s)], 0.5 * s
    else:  # hexagon edges lie on x = k*s/2 and y ± x/sqrt(3) = k*R
        families, scan0 = [(1.0, 0.0, s / 2), (1 / SQRT3, 1.0, s / SQRT3), (-1 / SQRT3, 1.0, s / SQRT3)], 0.0
    shift = (lambda k, x: (s, 0.5 * s)) if spec.shape == "square" else (lambda k, x: (s, 0.5 * s * (k & 1)))
    inside_col, inside_row, edge_col, edge_row = polyclip.lattice_cover(
        [r for _, _, r in local_rings], partial(assign_points, local), families, (scan0, dy, nrows), shift
    )
    width = int(max(inside_col.max(initial=0), edge_col.max(initial=0))) + 2
    inside_key = inside_row * width + inside_col
    edge_key = np.unique(edge_row * width + edge_col)
    full_key = np.setdiff1d(inside_key, edge_key)
    if len(full_key) + len(edge_key) > max_cells:
        raise _too_many(spec, len(full_key) + len(edge_key), max_cells)
    report(10)

    # Whole cells: geometry from global indices, so it does not depend on the boundary.
    gcol_full, grow_full = full_key % width + c0, full_key // width + r0
    gcol_edge, grow_edge = edge_key % width + c0, edge_key // width + r0
    full_area = spec.cell_area
    verts = cell_vertices(local, edge_key % width, edge_key // width)
    e_area, e_cx, e_cy, e_polys = polyclip.clip_polygons_to_cells(
        local_rings, verts, 1e-10 * full_area, (x0, y0), check=lambda f: report(10 + 70 * f)
    )
    if not clip:  # extent: the cells it selects are kept whole
        e_polys = [[[v]] for v in polyclip.close(cell_vertices(spec, gcol_edge, grow_edge))]
        e_area = np.where(e_area > 0, full_area, 0.0)
        e_cx, e_cy = cell_centres(spec, gcol_edge, grow_edge)
    report(80)

    col, row = np.concatenate([gcol_full, gcol_edge]), np.concatenate([grow_full, grow_edge])
    area = np.concatenate([np.full(len(full_key), full_area), e_area])
    fcx, fcy = cell_centres(spec, gcol_full, grow_full)
    cx, cy = np.concatenate([fcx, e_cx]), np.concatenate([fcy, e_cy])
    all_polys = [[[v]] for v in polyclip.close(cell_vertices(spec, gcol_full, grow_full))] + e_polys
    fraction = np.minimum(area / full_area, 1.0)
    keep = (fraction > 1e-9) & (fraction >= min_fraction)
    order = np.lexsort((col, row))
    order = order[keep[order]]
    grid = Grid(
        spec, cell_ids(spec, col[order], row[order]), col[order], row[order], [all_polys[i] for i in order],
        area[order], fraction[order], cx[order], cy[order],
    )  # fmt: skip
    for name, (label_polygons, values) in (labels or {}).items():
        grid.attributes[name] = label_cells(grid, label_polygons, values)
    report(100)
    return grid


def label_cells(grid: Grid, polygons: Sequence, values: Sequence) -> np.ndarray:
    """Value of the label polygon holding each cell's clipped centroid; for cells whose centroid is in none,
    of the polygon overlapping the whole cell most; "" when no label polygon overlaps the cell."""
    if len(values) != len(polygons):
        raise BeatCastInputError(f"labels: {len(polygons)} polygons but {len(values)} values")
    verts = cell_vertices(grid.spec, grid.col, grid.row)
    return polyclip.label_by_polygons(grid.centroid_x, grid.centroid_y, verts, polygons, list(values))


def grid_frame(grid: Grid) -> pd.DataFrame:
    """One row per cell: cell_id, col, row, area_m2, area_fraction, centroid_x, centroid_y, attributes."""
    columns = {
        "cell_id": grid.cell_id,
        "col": grid.col,
        "row": grid.row,
        "area_m2": grid.area,
        "area_fraction": grid.area_fraction,
        "centroid_x": grid.centroid_x,
        "centroid_y": grid.centroid_y,
    }
    return pd.DataFrame({**columns, **grid.attributes})  # fmt: skip


def _column_type(values: np.ndarray) -> str:
    kind = np.asarray(values).dtype.kind
    return "INTEGER" if kind in "iub" else "REAL" if kind == "f" else "TEXT"


def write_grid_gpkg(path: str | Path, table: str, grid: Grid, srs: gpkg.SpatialReference) -> None:
    """Write the grid's cells as a MULTIPOLYGON table, and its spec to the ``beatcast_grids`` table
    (table_name, spec_json) so that later steps can rebuild the lattice and assign points."""
    frame = grid_frame(grid)
    columns = {"cell_id": "TEXT", "col": "INTEGER", "row": "INTEGER", "area_m2": "REAL",
               "area_fraction": "REAL", "centroid_x": "REAL", "centroid_y": "REAL"}  # fmt: skip
    columns.update({name: _column_type(v) for name, v in grid.attributes.items()})
    polyclip.write_polygons(
        path, table, frame, columns, grid.polygons, srs, f"BeatCast {grid.spec.shape} grid"
    )
    specs = read_grid_specs(path)
    specs[table] = grid.spec
    rows = pd.DataFrame({"table_name": list(specs), "spec_json": [s.to_json() for s in specs.values()]})
    gpkg.write_table(path, GRIDS_TABLE, rows, {"table_name": "TEXT", "spec_json": "TEXT"}, "BeatCast grids")


def read_grid_specs(path: str | Path) -> dict[str, GridSpec]:
    """table name -> GridSpec, from the ``beatcast_grids`` table ({} when there is none)."""
    if not Path(path).exists():
        return {}
    with closing(sqlite3.connect(str(path))) as con:
        exists = con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (GRIDS_TABLE,))
        if not exists.fetchone():
            return {}
        rows = con.execute(f'SELECT table_name, spec_json FROM "{GRIDS_TABLE}"').fetchall()
    return {name: GridSpec.from_json(text) for name, text in rows}

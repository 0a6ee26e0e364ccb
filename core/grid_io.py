"""Reading a grid written by ``grid.write_grid_gpkg`` back into a ``Grid`` (polygons included)."""

from __future__ import annotations

import sqlite3
import struct
from contextlib import closing
from pathlib import Path

import numpy as np

from . import gpkg
from .errors import BeatCastInputError
from .grid import Grid, read_grid_specs

_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_BASE_COLUMNS = (
    "fid",
    "cell_id",
    "col",
    "row",
    "area_m2",
    "area_fraction",
    "centroid_x",
    "centroid_y",
    "geom",
)


def _rings(blob: bytes, offset: int, order: str) -> tuple[list[np.ndarray], int]:
    (n_rings,) = struct.unpack_from(order + "I", blob, offset)
    offset += 4
    rings = []
    for _ in range(n_rings):
        (n_points,) = struct.unpack_from(order + "I", blob, offset)
        offset += 4
        xy = np.frombuffer(blob, dtype=order + "f8", count=2 * n_points, offset=offset).reshape(-1, 2)
        rings.append(xy.copy())
        offset += 16 * n_points
    return rings, offset


def decode_polygons(blob: bytes) -> list[list[np.ndarray]]:
    """A GeoPackage (multi)polygon blob as a list of polygons, each a list of (n, 2) rings."""
    if blob is None or len(blob) < 8:
        return []
    flags = blob[3]
    offset = 8 + _ENVELOPE_BYTES.get((flags >> 1) & 0x7, 0)
    order = "<" if blob[offset] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", blob, offset + 1)
    offset += 5
    if kind % 1000 == 3:
        rings, _ = _rings(blob, offset, order)
        return [rings]
    if kind % 1000 != 6:
        raise BeatCastInputError(f"grid cell geometry of WKB type {kind} is not a polygon")
    (n_polygons,) = struct.unpack_from(order + "I", blob, offset)
    offset += 4
    polygons = []
    for _ in range(n_polygons):
        order = "<" if blob[offset] == 1 else ">"
        offset += 5
        rings, offset = _rings(blob, offset, order)
        polygons.append(rings)
    return polygons


def read_grid(path: str | Path, table: str) -> Grid:
    """The grid of a BeatCast GeoPackage table, cells in their written order (row, then col)."""
    specs = read_grid_specs(path)
    if table not in specs:
        raise BeatCastInputError(
            f"{path}: table {table!r} is not a BeatCast grid (no entry in beatcast_grids)"
        )
    with closing(sqlite3.connect(str(path))) as con:
        names = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
        blobs = [r[0] for r in con.execute(f'SELECT geom FROM "{table}" ORDER BY fid')]
    frame = gpkg.read_table(path, table, columns=[c for c in names if c != "geom"]).sort_values("fid")
    extra = [c for c in frame.columns if c not in _BASE_COLUMNS]
    return Grid(
        specs[table],
        frame["cell_id"].to_numpy(dtype=object),
        frame["col"].to_numpy(np.int64),
        frame["row"].to_numpy(np.int64),
        [decode_polygons(b) for b in blobs],
        frame["area_m2"].to_numpy(float),
        frame["area_fraction"].to_numpy(float),
        frame["centroid_x"].to_numpy(float),
        frame["centroid_y"].to_numpy(float),
        {c: frame[c].to_numpy() for c in extra},
    )

"""Storage of space-time cubes: counts in ``<gpkg stem>.<name>.cube.npz`` beside a GeoPackage, one row
per cube in its ``beatcast_cubes`` table (written with sqlite3 through ``core.gpkg``).

The .npz is written to a temporary file in the same folder and moved into place with ``os.replace``, then
its sha256 is recorded in the table; reading recomputes it, so a counts file changed or swapped after it
was written is refused rather than silently used. The format is described in docs/cube.md; it needs
nothing but numpy to read (no pickles).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import gpkg
from .errors import BeatCastInputError
from .files import publish
from .timebins import BinEdges

if TYPE_CHECKING:
    from .cube import Cube

FORMAT_VERSION = 1
CUBES_TABLE = "beatcast_cubes"
CUBE_COLUMNS = {
    "name": "TEXT",
    "npz_file": "TEXT",
    "sha256": "TEXT",
    "format_version": "INTEGER",
    "unit": "TEXT",
    "timezone": "TEXT",
    "shift_starts": "TEXT",
    "n_categories": "INTEGER",
    "n_cells": "INTEGER",
    "n_bins": "INTEGER",
    "categories": "TEXT",
    "start_local": "TEXT",
    "end_local": "TEXT",
    "start_utc": "DATETIME",
    "end_utc": "DATETIME",
    "total": "REAL",
    "storage": "TEXT",
    "crs": "TEXT",
    "grid_table": "TEXT",
    "created": "DATETIME",
}
_RESERVED = ("format_version", "name", "unit", "timezone", "shift_starts", "week_start", "crs", "grid_table")
_RESERVED += ("storage", "cell_id_type", "outside")
_CUBE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # it becomes part of a file name


def cube_path(gpkg_path, name: str) -> Path:
    """The counts file of cube ``name``: ``<gpkg stem>.<name>.cube.npz`` in the GeoPackage's folder."""
    path = Path(gpkg_path)
    return path.with_name(f"{path.stem}.{name}.cube.npz")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat()
    raise TypeError(f"cube metadata value {value!r} cannot be written as JSON")


def write_cube(cube: Cube, gpkg_path, name: str, home=None) -> Path:
    """Write the counts file atomically (temporary file, then os.replace), then record it in the table.

    ``home``: the GeoPackage the counts file belongs beside when ``gpkg_path`` is a temporary copy of it
    that will be moved into place (the record then names the file by ``home``)."""
    if not _CUBE_NAME.match(name):
        raise BeatCastInputError(f"cube name {name!r}: use 1 to 64 letters, digits, '_' or '-'")
    gpkg_path = Path(gpkg_path)
    target = cube_path(home if home is not None else gpkg_path, name)
    if pd.api.types.infer_dtype(cube.cell_ids, skipna=False) == "integer":
        ids, id_type = np.asarray(cube.cell_ids, dtype=np.int64), "int"
    else:
        ids, id_type = np.array([str(v) for v in cube.cell_ids], dtype=str), "str"
    bins = cube.bins
    reserved = dict(
        zip(
            _RESERVED,
            (FORMAT_VERSION, name, bins.unit, bins.timezone, list(bins.shift_starts), bins.week_start),
        )
    )
    storage = "csr" if cube.is_sparse else "dense"
    reserved.update(crs=cube.crs, grid_table=cube.grid_table, storage=storage, cell_id_type=id_type)
    reserved["outside"] = cube.outside
    metadata = json.dumps({**cube.metadata, **reserved}, default=_json_default, sort_keys=True)
    arrays = {
        "counts_shape": np.array(cube.shape, dtype=np.int64),
        "cell_ids": ids,
        "categories": np.array(cube.categories, dtype=str),
        "bin_edges_utc": bins.utc_ns,
        "bin_edges_local": bins.local.astype("datetime64[ns]").view("i8"),
        "bin_labels": np.array(list(bins.labels), dtype=str),
        "metadata": np.array(metadata),
    }
    if cube.is_sparse:
        arrays.update(counts_data=cube.counts.data.astype(np.float32), counts_indices=cube.counts.indices)
        arrays["counts_indptr"] = cube.counts.indptr
    else:
        arrays["counts"] = np.ascontiguousarray(cube.counts, dtype=np.float32)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez_compressed(handle, **arrays)
        digest = _sha256(Path(tmp))
        publish(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    row = {
        "name": name,
        "npz_file": target.name,
        "sha256": digest,
        "format_version": FORMAT_VERSION,
        "unit": bins.unit,
        "timezone": bins.timezone,
        "shift_starts": ",".join(bins.shift_starts),
        "n_categories": cube.n_categories,
        "n_cells": cube.n_cells,
        "n_bins": cube.n_bins,
        "categories": json.dumps(cube.categories),
        "start_local": bins.start.isoformat(),
        "end_local": bins.end.isoformat(),
        "start_utc": pd.Timestamp(bins.utc[0]).tz_localize("UTC"),
        "end_utc": pd.Timestamp(bins.utc[-1]).tz_localize("UTC"),
        "total": cube.total(),
        "storage": storage,
        "crs": cube.crs,
        "grid_table": cube.grid_table,
        "created": pd.Timestamp.now(tz="UTC"),
    }
    _record(gpkg_path, pd.DataFrame([row]))
    return target


def _has_table(con: sqlite3.Connection) -> bool:
    query = "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?"
    return con.execute(query, (CUBES_TABLE,)).fetchone() is not None


def _record(gpkg_path: Path, row: pd.DataFrame) -> None:
    with closing(gpkg.connect(gpkg_path)) as con:
        exists = _has_table(con)
    if not exists:
        description = "BeatCast space-time cubes (counts in .cube.npz files beside this GeoPackage)"
        gpkg.write_table(gpkg_path, CUBES_TABLE, row.iloc[:0], CUBE_COLUMNS, description)
    with closing(gpkg.connect(gpkg_path)) as con:  # delete + insert in one transaction
        con.execute(f'DELETE FROM "{CUBES_TABLE}" WHERE name = ?', (row["name"].iloc[0],))
        gpkg.insert_rows(con, CUBES_TABLE, row, CUBE_COLUMNS)
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        con.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (now, CUBES_TABLE))
        con.commit()


def _check_version(version, where) -> None:
    if not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        raise BeatCastInputError(
            f"{where}: cube format version {version!r} is not one this BeatCast reads"
            f" (1 to {FORMAT_VERSION}); it was written by another version of BeatCast: build the cube again"
        )


def cube_names(gpkg_path) -> list[str]:
    """Names of the cubes recorded in a GeoPackage."""
    with closing(sqlite3.connect(str(gpkg_path))) as con:
        return (
            [r[0] for r in con.execute(f'SELECT name FROM "{CUBES_TABLE}" ORDER BY name')]
            if _has_table(con)
            else []
        )


def read_cube(gpkg_path, name: str) -> Cube:
    """Read a cube, checking its format version and that its counts file is the one that was recorded."""
    gpkg_path = Path(gpkg_path)
    if not gpkg_path.is_file():
        raise BeatCastInputError(f"{gpkg_path}: no such GeoPackage")
    with closing(sqlite3.connect(str(gpkg_path))) as con:
        query = f'SELECT npz_file, sha256, format_version FROM "{CUBES_TABLE}" WHERE name = ?'
        record = con.execute(query, (name,)).fetchone() if _has_table(con) else None
    if record is None:
        names = cube_names(gpkg_path)
        held = f"it holds: {', '.join(names)}" if names else "it holds no cubes"
        raise BeatCastInputError(f"{gpkg_path}: no cube named {name!r} ({held})")
    npz_file, digest, version = record
    _check_version(version, gpkg_path)
    npz = gpkg_path.with_name(npz_file)
    if not npz.is_file():
        raise BeatCastInputError(
            f"{npz}: the counts file of cube {name!r} is missing (keep it beside {gpkg_path})"
        )
    if _sha256(npz) != digest:
        raise BeatCastInputError(
            f"{npz}: the file does not match cube {name!r} as recorded in {gpkg_path.name} (its sha256"
            " differs): it was changed or replaced after it was written; build the cube again"
        )
    with np.load(npz, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    meta = json.loads(str(arrays["metadata"]))
    _check_version(meta.get("format_version"), npz)
    n_cat, n_cells, n_bins = (int(v) for v in arrays["counts_shape"])
    if meta["storage"] == "csr":
        parts = (arrays["counts_data"], arrays["counts_indices"], arrays["counts_indptr"])
        counts = sp.csr_matrix(parts, shape=(n_cat * n_cells, n_bins))
    else:
        counts = arrays["counts"]
    edges_utc, edges_local = arrays["bin_edges_utc"], arrays["bin_edges_local"]
    if counts.shape[-1] != n_bins or len(edges_utc) != n_bins + 1 or len(arrays["cell_ids"]) != n_cells:
        raise BeatCastInputError(f"{npz}: the counts, cells and bins of the cube do not agree in size")
    bins = BinEdges(
        meta["unit"],
        meta["timezone"],
        edges_local.view("datetime64[ns]"),
        edges_utc.view("datetime64[ns]"),
        arrays["bin_labels"].astype(object),
        tuple(meta["shift_starts"]),
        int(meta["week_start"]),
    )
    from .cube import Cube  # here: cube imports this module

    extra = {k: v for k, v in meta.items() if k not in _RESERVED}
    categories = [str(c) for c in arrays["categories"]]
    cell_ids = arrays["cell_ids"].astype(object)
    return Cube(counts, cell_ids, categories, bins, meta["crs"], meta["grid_table"], meta["outside"], extra)

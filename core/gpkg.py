"""A small GeoPackage (OGC 12-128r18) writer and reader on the standard library's sqlite3.

Why not GDAL: the engine must run without QGIS, and writing a million points through per-feature
Python calls is the slowest step of an import. Here point geometries are packed with numpy into
GeoPackage binary blobs and inserted in bulk. The files are ordinary GeoPackages: QGIS, GDAL and
any GeoPackage reader open them. Point tables get the standard R-tree spatial index (``gpkg_rtree``).

Column types: "TEXT", "INTEGER", "REAL", "DATETIME" (ISO 8601 UTC text, ``YYYY-MM-DDTHH:MM:SS.sssZ``),
"DATE".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from . import gpkg_rtree

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10200
COLUMN_TYPES = ("TEXT", "INTEGER", "REAL", "DATETIME", "DATE")

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
    'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]'
)


@dataclass(frozen=True)
class SpatialReference:
    """A row of gpkg_spatial_ref_sys. ``definition`` is WKT (WKT1 preferred by GeoPackage 1.2)."""

    srs_id: int
    organization: str
    organization_coordsys_id: int
    name: str
    definition: str

    @classmethod
    def from_authid(cls, authid: str, definition: str, name: str = "") -> SpatialReference:
        """``EPSG:32616`` + WKT. Non-numeric authorities (ESRI:102696 is numeric too) are kept as named."""
        org, _, code = authid.partition(":")
        code_int = int(code) if code.isdigit() else 0
        # srs_id must be unique in the file; for EPSG codes the code itself is the convention.
        srs_id = code_int if org.upper() == "EPSG" else 100000 + code_int
        return cls(srs_id, org.upper(), code_int, name or authid, definition)


def utm_wkt(zone: int, south: bool = False) -> str:
    """WKT1 of WGS 84 / UTM zone N|S, for writing without QGIS."""
    hemi = "S" if south else "N"
    epsg = (32700 if south else 32600) + zone
    return (
        f'PROJCS["WGS 84 / UTM zone {zone}{hemi}",{_WGS84_WKT},PROJECTION["Transverse_Mercator"],'
        f'PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",{zone * 6 - 183}],'
        f'PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],'
        f'PARAMETER["false_northing",{10000000 if south else 0}],UNIT["metre",1,AUTHORITY["EPSG","9001"]],'
        f'AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","{epsg}"]]'
    )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating and initialising when new) a GeoPackage."""
    path = Path(path)
    con = sqlite3.connect(str(path))
    gpkg_rtree.register_functions(con)  # for the spatial-index triggers of tables written here
    con.execute("PRAGMA foreign_keys = OFF")
    # Bulk writes: a crash mid-write is handled by the caller writing to a temporary file first.
    con.execute("PRAGMA synchronous = OFF")
    has_contents = con.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='gpkg_contents'"
    ).fetchone()[0]
    if not has_contents:
        _initialise(con)
    return con


def _initialise(con: sqlite3.Connection) -> None:
    con.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
    con.executescript(
        """
        CREATE TABLE gpkg_spatial_ref_sys (
          srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
          organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
        CREATE TABLE gpkg_contents (
          table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
          description TEXT DEFAULT '', last_change DATETIME NOT NULL
            DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (
          table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
          srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
          CONSTRAINT uk_gc_table_name UNIQUE (table_name));
        """
    )
    con.executemany(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)",
        [
            ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT, "longitude/latitude WGS 84"),
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
        ],
    )
    con.commit()


def _ensure_srs(con: sqlite3.Connection, srs: SpatialReference) -> None:
    if con.execute("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id=?", (srs.srs_id,)).fetchone():
        return
    con.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)",
        (srs.name, srs.srs_id, srs.organization, srs.organization_coordsys_id, srs.definition, ""),
    )


def drop_table(con: sqlite3.Connection, table: str) -> None:
    """Remove a table and its registrations (including GDAL's rtree, triggers and metadata)."""
    for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE ?", (f"rtree_{table}_%",)
    ).fetchall():
        con.execute(f'DROP TABLE IF EXISTS "{name}"')
    for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name=?", (table,)
    ).fetchall():
        con.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    con.execute(f'DROP TABLE IF EXISTS "{table}"')
    con.execute("DELETE FROM gpkg_contents WHERE lower(table_name)=lower(?)", (table,))
    con.execute("DELETE FROM gpkg_geometry_columns WHERE lower(table_name)=lower(?)", (table,))
    for meta in ("gpkg_extensions", "gpkg_ogr_contents", "gpkg_metadata_reference"):
        exists = con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (meta,)).fetchone()
        if exists:
            con.execute(f"DELETE FROM {meta} WHERE lower(table_name)=lower(?)", (table,))


def point_blobs(x: np.ndarray, y: np.ndarray, srs_id: int) -> list[bytes]:
    """GeoPackage binary point geometries (little endian, no envelope: points need none)."""
    n = len(x)
    rec = np.zeros(
        n,
        dtype=[
            ("magic", "S2"),
            ("version", "u1"),
            ("flags", "u1"),
            ("srs", "<i4"),
            ("order", "u1"),
            ("wkb_type", "<u4"),
            ("x", "<f8"),
            ("y", "<f8"),
        ],
    )
    rec["magic"] = b"GP"
    rec["flags"] = 0b00000001  # little endian, no envelope, not empty, standard binary
    rec["srs"] = srs_id
    rec["order"] = 1
    rec["wkb_type"] = 1
    rec["x"] = x
    rec["y"] = y
    raw = rec.tobytes()
    size = rec.dtype.itemsize
    return [raw[i * size : (i + 1) * size] for i in range(n)]


def _sql_values(series: pd.Series, kind: str) -> list:
    """Python values for sqlite, None for missing; vectorised (this runs on a million rows)."""
    if kind in ("DATETIME", "DATE"):
        values = pd.to_datetime(series, utc=True).dt.tz_localize(None).to_numpy(dtype="datetime64[ms]")
        missing = np.isnat(values)
        text = np.datetime_as_string(values, unit="ms" if kind == "DATETIME" else "D").astype(object)
        if kind == "DATETIME":
            text = text + "Z"
        text[missing] = None
        return text.tolist()
    if kind in ("INTEGER", "REAL"):
        numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype="f8")
        out = (numbers.astype("i8") if kind == "INTEGER" else numbers).astype(object)
        out[np.isnan(numbers)] = None
        return out.tolist()
    # TEXT: SQLite's text affinity stores numbers given here as text, so only missing values need work.
    out = series.to_numpy(dtype=object)
    missing = pd.isna(out)
    if missing.any():
        out = out.copy()
        out[missing] = None
    return out.tolist()


def _create(con, table: str, columns: Mapping[str, str], geometry: bool | str) -> None:
    """``geometry``: False, True (POINT) or a GeoPackage geometry type name."""
    for name, kind in columns.items():
        if kind not in COLUMN_TYPES:
            raise ValueError(f"column {name}: unknown GeoPackage type {kind}")
    cols = ['"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL']
    if geometry:
        cols.append(f'"geom" {"POINT" if geometry is True else geometry}')
    cols += [f'"{name}" {kind}' for name, kind in columns.items()]
    con.execute(f'CREATE TABLE "{table}" ({", ".join(cols)})')


def write_points(
    path: str | Path,
    table: str,
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    x: np.ndarray,
    y: np.ndarray,
    srs: SpatialReference,
    description: str = "",
    spatial_index: bool = True,
) -> None:
    """Write a point feature table (replacing a table of the same name), with fids 1..n in frame order
    and, unless asked not to, its GeoPackage R-tree spatial index."""
    x = np.asarray(x, dtype="f8")
    y = np.asarray(y, dtype="f8")
    with closing(connect(path)) as con:
        drop_table(con, table)
        _ensure_srs(con, srs)
        _create(con, table, columns, geometry=True)
        blobs = point_blobs(x, y, srs.srs_id)
        values = [_sql_values(frame[c], k) for c, k in columns.items()]
        names = ", ".join(['"fid"', '"geom"'] + [f'"{c}"' for c in columns])
        marks = ", ".join(["?"] * (len(columns) + 2))
        fids = range(1, len(blobs) + 1)
        con.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', zip(fids, blobs, *values))
        bounds = (
            (float(x.min()), float(y.min()), float(x.max()), float(y.max()))
            if len(x)
            else (None, None, None, None)
        )
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change,"
            " min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)",
            (table, table, description, _now(), *bounds, srs.srs_id),
        )
        con.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', ?, 0, 0)", (table, srs.srs_id)
        )
        con.commit()
        if spatial_index:
            gpkg_rtree.build(con, table, x, y)


def write_like(
    path: str | Path,
    table: str,
    template: tuple[str | Path, str],
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    description: str = "",
) -> None:
    """A feature table with the geometries and CRS of another GeoPackage table, feature for feature in
    fid order, and the columns of ``frame`` (one row per template feature, in the same order). Used to
    give cells their counts or forecasts without re-encoding polygons."""
    src_path, src_table = template
    with closing(sqlite3.connect(str(src_path))) as src:
        geom_col, geom_type, srs_id = src.execute(
            "SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns"
            " WHERE lower(table_name)=lower(?)",
            (src_table,),
        ).fetchone()
        srs_row = src.execute(
            "SELECT srs_name, srs_id, organization, organization_coordsys_id, definition"
            " FROM gpkg_spatial_ref_sys WHERE srs_id=?",
            (srs_id,),
        ).fetchone()
        bounds = src.execute(
            "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE lower(table_name)=lower(?)",
            (src_table,),
        ).fetchone()
        blobs = [r[0] for r in src.execute(f'SELECT "{geom_col}" FROM "{src_table}" ORDER BY fid')]
    if len(blobs) != len(frame):
        raise ValueError(f"{src_table} has {len(blobs)} features but {len(frame)} rows were given")
    srs = SpatialReference(srs_row[1], srs_row[2], srs_row[3], srs_row[0], srs_row[4])
    with closing(connect(path)) as con:
        drop_table(con, table)
        _ensure_srs(con, srs)
        _create(con, table, columns, geometry=geom_type)
        values = [_sql_values(frame[c], k) for c, k in columns.items()]
        names = ", ".join(['"fid"', '"geom"'] + [f'"{c}"' for c in columns])
        marks = ", ".join(["?"] * (len(columns) + 2))
        con.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks})', zip(range(1, len(blobs) + 1), blobs, *values)
        )
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change,"
            " min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)",
            (table, table, description, _now(), *bounds, srs.srs_id),
        )
        con.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)", (table, geom_type, srs.srs_id)
        )
        con.commit()


def write_table(
    path: str | Path, table: str, frame: pd.DataFrame, columns: Mapping[str, str], description: str = ""
) -> None:
    """Write a non-spatial attribute table (replacing a table of the same name)."""
    with closing(connect(path)) as con:
        drop_table(con, table)
        _create(con, table, columns, geometry=False)
        insert_rows(con, table, frame, columns)
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
            " VALUES (?, 'attributes', ?, ?, ?)",
            (table, table, description, _now()),
        )
        con.commit()


def insert_rows(con: sqlite3.Connection, table: str, frame: pd.DataFrame, columns: Mapping[str, str]) -> None:
    values = [_sql_values(frame[c], k) for c, k in columns.items()]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(["?"] * len(columns))
    con.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', zip(*values))


def table_names(path: str | Path) -> list[str]:
    with closing(sqlite3.connect(str(path))) as con:
        return [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name")]


def table_columns(path: str | Path, table: str) -> list[str]:
    """The column names of ``table`` (empty when there is no such table)."""
    with closing(sqlite3.connect(str(path))) as con:
        return [r[1] for r in con.execute(f'PRAGMA table_info("{table}")').fetchall()]


def read_table(path: str | Path, table: str, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Read a table. Point geometries (GeoPackage binary) become ``x``/``y`` float columns; other
    geometries are left out (read them with ``grid_io`` or GDAL)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such GeoPackage")
    with closing(sqlite3.connect(str(path))) as con:
        info = con.execute(f'PRAGMA table_info("{table}")').fetchall()
        if not info:
            raise KeyError(f"{path}: no table {table!r}")
        geom_col = con.execute(
            "SELECT column_name, geometry_type_name FROM gpkg_geometry_columns"
            " WHERE lower(table_name)=lower(?)",
            (table,),
        ).fetchone()
        present = [r[1] for r in info]
        wanted = list(columns) if columns is not None else present
        missing = [c for c in wanted if c not in present]
        if missing:  # SQLite would read a double-quoted unknown name as a string literal
            raise KeyError(f"{path}: table {table!r} has no column {', '.join(map(repr, missing))}")
        select = ", ".join(f'"{c}"' for c in wanted)
        frame = pd.read_sql_query(f'SELECT {select} FROM "{table}"', con)
    if geom_col and geom_col[0] in frame.columns:
        blobs = frame.pop(geom_col[0]).tolist()
        if geom_col[1].upper() == "POINT":
            frame["x"], frame["y"] = decode_points(blobs)
    return frame


def decode_points(blobs: list) -> tuple[np.ndarray, np.ndarray]:
    """x, y of GeoPackage binary points (any envelope, either byte order); NaN for empty/None."""
    x = np.full(len(blobs), np.nan)
    y = np.full(len(blobs), np.nan)
    env_size = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
    sizes = {len(b) if b else 0 for b in blobs}
    if sizes == {29} and all(b[:4] == blobs[0][:4] for b in blobs):
        # The common case (our own files): one flags byte, no envelope: decode all at once.
        raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(-1, 29)
        order = "<" if raw[0, 8] == 1 else ">"
        xy = raw[:, 13:29].copy().view(f"{order}f8")
        return xy[:, 0].copy(), xy[:, 1].copy()
    for i, blob in enumerate(blobs):
        if not blob or len(blob) < 8:
            continue
        flags = blob[3]
        offset = 8 + env_size.get((flags >> 1) & 0x7, 0)
        order = "<" if blob[offset] == 1 else ">"
        if len(blob) >= offset + 21:
            x[i], y[i] = np.frombuffer(blob, dtype=f"{order}f8", count=2, offset=offset + 5)
    return x, y

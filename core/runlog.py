"""The append-only run log kept in every BeatCast GeoPackage.

Every algorithm run appends one record: which algorithm, its parameters, hashes of its input files,
the plugin version, when, and what it counted. SQLite triggers refuse UPDATE and DELETE on the table,
so a record cannot be edited afterwards (a later record can only supersede it).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from . import __version__, gpkg

RUN_LOG_TABLE = "beatcast_run_log"
RUN_LOG_COLUMNS = {
    "run_id": "TEXT",
    "algorithm": "TEXT",
    "run_time_utc": "DATETIME",
    "plugin_version": "TEXT",
    "parameters_json": "TEXT",
    "input_hashes_json": "TEXT",
    "counts_json": "TEXT",
    "outputs_json": "TEXT",
    "user": "TEXT",
    "note": "TEXT",
}


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(paths: Mapping[str, str | Path]) -> dict[str, str]:
    """sha256 of each input that is a local file; other sources (databases, services) are named only."""
    out = {}
    for name, path in paths.items():
        p = Path(str(path).split("|")[0])
        out[name] = f"sha256:{file_sha256(p)}" if p.is_file() else f"not a file: {path}"
    return out


def _ensure_table(con) -> None:
    exists = con.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (RUN_LOG_TABLE,)
    ).fetchone()
    if exists:
        return
    cols = ", ".join(f'"{c}" {t}' for c, t in RUN_LOG_COLUMNS.items())
    con.execute(f'CREATE TABLE "{RUN_LOG_TABLE}" ("fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {cols})')
    con.execute(
        f'CREATE TRIGGER "{RUN_LOG_TABLE}_no_update" BEFORE UPDATE ON "{RUN_LOG_TABLE}" '
        "BEGIN SELECT RAISE(ABORT, 'the BeatCast run log is append-only'); END"
    )
    con.execute(
        f'CREATE TRIGGER "{RUN_LOG_TABLE}_no_delete" BEFORE DELETE ON "{RUN_LOG_TABLE}" '
        "BEGIN SELECT RAISE(ABORT, 'the BeatCast run log is append-only'); END"
    )
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
        " VALUES (?, 'attributes', ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
        (RUN_LOG_TABLE, RUN_LOG_TABLE, "BeatCast run log (append-only)"),
    )


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def append_run(
    gpkg_path: str | Path,
    algorithm: str,
    parameters: Mapping,
    inputs: Mapping[str, str | Path] | None = None,
    counts: Mapping | None = None,
    outputs: Mapping | None = None,
    user: str = "",
    note: str = "",
    hashes: Mapping[str, str] | None = None,
) -> str:
    """Append one record; returns its run id. ``hashes`` skips re-hashing inputs already hashed."""
    run_id = uuid.uuid4().hex
    record = {
        "run_id": run_id,
        "algorithm": algorithm,
        "run_time_utc": datetime.now(UTC),
        "plugin_version": __version__,
        "parameters_json": _json(dict(parameters)),
        "input_hashes_json": _json(dict(hashes) if hashes is not None else input_hashes(inputs or {})),
        "counts_json": _json(dict(counts or {})),
        "outputs_json": _json(dict(outputs or {})),
        "user": user,
        "note": note,
    }
    with closing(gpkg.connect(gpkg_path)) as con:
        _ensure_table(con)
        gpkg.insert_rows(con, RUN_LOG_TABLE, pd.DataFrame([record]), RUN_LOG_COLUMNS)
        con.commit()
    return run_id


def read_runs(gpkg_path: str | Path) -> pd.DataFrame:
    try:
        return gpkg.read_table(gpkg_path, RUN_LOG_TABLE)
    except KeyError:
        return pd.DataFrame(columns=["fid", *RUN_LOG_COLUMNS])

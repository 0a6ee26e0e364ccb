"""Writing algorithm outputs into a BeatCast GeoPackage: all or nothing, and logged."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..core import gpkg, runlog
from ..core.files import publish
from .layers import QgisCrsOps


@contextmanager
def staged_geopackage(destination: str) -> Iterator[str]:
    """A temporary copy of ``destination`` (or a fresh path) in the same folder, moved into place when the
    block completes and removed when it fails or is cancelled: no run leaves a half-written GeoPackage,
    and tables the run does not write (the run log, other outputs) are kept."""
    folder = Path(destination).resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(suffix=".gpkg", dir=str(folder))
    os.close(handle)
    try:
        if Path(destination).exists():
            shutil.copyfile(destination, tmp)
        else:
            os.remove(tmp)
        yield tmp
        publish(tmp, destination)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def spatial_reference(crs: str, context) -> gpkg.SpatialReference:
    return gpkg.SpatialReference.from_authid(crs, QgisCrsOps(context.transformContext()).wkt(crs))


def log_run(path: str, algorithm_id: str, parameters: dict, skip=("OUTPUT",), policy=None, **details) -> str:
    """Append this run to the GeoPackage's run log (parameters minus the output paths); with ``policy``
    (core.policy.Policy) also the policy it obeyed: file, SHA-256 and rules, as POLICY_USED."""
    logged = {k: v for k, v in parameters.items() if k not in skip}
    if policy is not None:
        logged["POLICY_USED"] = policy.log_record()
    return runlog.append_run(path, algorithm_id, logged, **details)


def column_types(frame) -> dict:
    """GeoPackage column types of a DataFrame's columns: INTEGER, REAL or TEXT."""
    types = {}
    for column in frame.columns:
        kind = frame[column].dtype.kind
        types[column] = "INTEGER" if kind in "iub" else "REAL" if kind == "f" else "TEXT"
    return types

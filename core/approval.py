"""Approval of a patrol plan before its roll-call map pack is printed.

A decision is one more record in the GeoPackage's append-only run log (algorithm
``beatcast:approval``): which plan run, approved or rejected, by whom, why, and a sha256 of the plan
tables as they were when the decision was taken. Nothing is ever edited: a later decision supersedes an
earlier one, and a plan edited after its approval is detected by comparing the hashes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import runlog
from .errors import BeatCastInputError

APPROVAL_ALGORITHM = "beatcast:approval"
PLAN_ALGORITHM = "beatcast:patrolplan"
PLAN_TABLES = ("patrol_zones", "patrol_routes", "patrol_schedule")
DECISIONS = ("approved", "rejected")
DECISION_COLUMNS = [
    "run_id", "plan_run_id", "decision", "by", "rationale", "time_utc", "plugin_version", "plan_hash",
    "plan_changed",
]  # fmt: skip


@dataclass(frozen=True)
class Decision:
    run_id: str
    plan_run_id: str
    decision: str
    by: str
    rationale: str
    time_utc: str
    plugin_version: str
    plan_hash: str
    plan_changed: bool  # the plan tables differ now from when the decision was taken

    @property
    def approved(self) -> bool:
        return self.decision == "approved"


def _update_value(digest, value) -> None:
    # Type-tagged so that 1, 1.0, "1" and b"1" hash differently.
    if value is None:
        digest.update(b"N;")
    elif isinstance(value, bytes):
        digest.update(b"B" + str(len(value)).encode() + b":" + value + b";")
    else:
        text = repr(value) if isinstance(value, float) else str(value)
        data = text.encode("utf-8")
        digest.update(type(value).__name__[:1].encode() + str(len(data)).encode() + b":" + data + b";")


def table_sha256(con: sqlite3.Connection, table: str) -> str:
    """sha256 of a table's column names and every row (all columns, geometry included) in fid order."""
    info = con.execute(f'PRAGMA table_info("{table}")').fetchall()
    if not info:
        return "absent"
    columns = [row[1] for row in info]
    digest = hashlib.sha256()
    for name in columns:
        _update_value(digest, name)
    order = '"fid"' if "fid" in columns else "rowid"
    select = ", ".join(f'"{c}"' for c in columns)
    for row in con.execute(f'SELECT {select} FROM "{table}" ORDER BY {order}'):
        digest.update(b"R")
        for value in row:
            _update_value(digest, value)
    return digest.hexdigest()


def plan_hashes(gpkg_path: str | Path) -> dict[str, str]:
    """sha256 of each plan table, and ``plan``: one hash over the three."""
    path = Path(gpkg_path)
    if not path.is_file():
        raise BeatCastInputError(f"gpkg_path: no such GeoPackage: {path}")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        tables = {table: table_sha256(con, table) for table in PLAN_TABLES}
    combined = hashlib.sha256("".join(f"{t}={h};" for t, h in tables.items()).encode()).hexdigest()
    return {**{t: f"sha256:{h}" if h != "absent" else h for t, h in tables.items()}, "plan": combined}


def _runs(gpkg_path: str | Path) -> pd.DataFrame:
    path = Path(gpkg_path)
    if not path.is_file():
        raise BeatCastInputError(f"gpkg_path: no such GeoPackage: {path}")
    runs = runlog.read_runs(path)
    return runs.sort_values("fid").reset_index(drop=True) if len(runs) else runs


def latest_plan_run(gpkg_path: str | Path) -> str | None:
    """Run id of the newest ``beatcast:patrolplan`` record (the run whose tables the GeoPackage holds)."""
    runs = _runs(gpkg_path)
    plans = runs[runs["algorithm"] == PLAN_ALGORITHM] if len(runs) else runs
    return str(plans["run_id"].iloc[-1]) if len(plans) else None


def check_plan_run(gpkg_path: str | Path, plan_run_id: str) -> None:
    """Refuse a plan_run_id that is not the patrol plan whose tables the GeoPackage holds now."""
    runs = _runs(gpkg_path)
    found = runs[runs["run_id"] == plan_run_id] if len(runs) else runs
    if not plan_run_id or not len(found):
        raise BeatCastInputError(f"plan_run_id: no run {plan_run_id!r} in the run log of {gpkg_path}")
    algorithm = found["algorithm"].iloc[0]
    if algorithm != PLAN_ALGORITHM:
        raise BeatCastInputError(
            f"plan_run_id: run {plan_run_id} is a {algorithm} run, not a {PLAN_ALGORITHM} run"
        )
    newest = latest_plan_run(gpkg_path)
    if newest != plan_run_id:
        raise BeatCastInputError(
            f"plan_run_id: run {plan_run_id} is not the newest patrol plan in {gpkg_path}: its tables were "
            f"replaced by run {newest}"
        )


def record_decision(gpkg_path: str | Path, plan_run_id: str, decision: str, by: str, rationale: str) -> str:
    """Append an approval or rejection of a patrol plan run; returns the decision's run id."""
    by, rationale = (by or "").strip(), (rationale or "").strip()
    decision = (decision or "").strip().lower()
    if not by:
        raise BeatCastInputError("by: the name of who decides is required")
    if not rationale:
        raise BeatCastInputError("rationale: say why the plan is approved or rejected")
    if decision not in DECISIONS:
        raise BeatCastInputError(f"decision: {decision!r} is not one of {', '.join(DECISIONS)}")
    check_plan_run(gpkg_path, plan_run_id)
    missing = [t for t, h in plan_hashes(gpkg_path).items() if h == "absent"]
    if missing:
        raise BeatCastInputError(f"gpkg_path: {gpkg_path} lacks the plan tables {', '.join(missing)}")
    return runlog.append_run(
        gpkg_path,
        APPROVAL_ALGORITHM,
        parameters={"plan_run_id": plan_run_id, "decision": decision, "draft_export": False},
        hashes=plan_hashes(gpkg_path),
        user=by,
        note=rationale,
    )


def decisions(gpkg_path: str | Path) -> pd.DataFrame:
    """Every decision, oldest first (``plan_changed`` compares each with the plan tables as they are now)."""
    runs = _runs(gpkg_path)
    rows = []
    if len(runs):
        current = plan_hashes(gpkg_path)["plan"]
        for run in runs[runs["algorithm"] == APPROVAL_ALGORITHM].itertuples():
            parameters = json.loads(run.parameters_json or "{}")
            hashes = json.loads(run.input_hashes_json or "{}")
            rows.append({
                "run_id": run.run_id, "plan_run_id": parameters.get("plan_run_id", ""),
                "decision": parameters.get("decision", ""), "by": run.user or "",
                "rationale": run.note or "", "time_utc": str(run.run_time_utc),
                "plugin_version": run.plugin_version or "", "plan_hash": hashes.get("plan", ""),
                "plan_changed": hashes.get("plan", "") != current,
            })  # fmt: skip
    return pd.DataFrame(rows, columns=DECISION_COLUMNS)


def latest_decision(gpkg_path: str | Path, plan_run_id: str) -> Decision | None:
    """The decision in force for a plan run (the newest record), or None when there is none."""
    history = decisions(gpkg_path)
    history = history[history["plan_run_id"] == plan_run_id]
    if not len(history):
        return None
    row = history.iloc[-1]
    return Decision(**{c: (bool(row[c]) if c == "plan_changed" else str(row[c])) for c in DECISION_COLUMNS})

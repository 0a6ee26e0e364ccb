"""Appending newly arrived incidents to an incident store: which new incidents the store already holds.

The new files go through the import unchanged (``core.incidents.import_incidents``: parsing, cleaning,
reversals, duplicates within the batch, accounting). ``reconcile`` then matches each new incident against
the stored incidents near it in time, so nothing is counted twice and history is never read again from
the raw exports:

1. ``already_in_store``: the same incident id (BeatCast ids hash the primary record's system, ID, category
   and time, so a re-exported record gets the id it had), or a record ID shared with a stored incident of
   the same category within 1 day and 1 km (a record re-exported with a corrected time, or under another
   file name);
2. ``duplicate_of_stored``: the import's near-identical rule against the store: same category (when the
   import requires it), within the time and distance tolerances, both times known to the hour or better,
   and from different systems. The store keeps each record's ID but not the name of its ID field, so here a
   system is recognised by the shape of its IDs (digits replaced by 9: ``R23-000004`` -> ``R99-999999``);
   with ``within_source`` records of one system merge too, as in the import.

A matched incident is not added: its records join the stored incident (``source_ids``, ``n_records``) and
its primary record moves from *accepted* to *merged* with the reason in the accounting, so rows read =
accepted + merged + netted + rejected still holds for every source.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from . import gpkg
from .dedup import ID_DISTANCE_TOLERANCE, ID_TIME_TOLERANCE, DedupOptions
from .incidents import _assert_invariant

PRECISE = ("second", "minute", "hour")
MATCH_REASONS = ("already_in_store", "duplicate_of_stored")
_DIGITS = re.compile(r"\d")
__all__ = [
    "MATCH_REASONS", "adjust_accounting", "appended_files", "read_store", "reconcile", "record_ids",
    "store_window", "write_batch",
]  # fmt: skip


def record_ids(source_ids: pd.Series) -> pd.DataFrame:
    """One row per (incident position, record ID) from ``source#row:id;...`` labels (empty IDs dropped)."""
    parts = source_ids.fillna("").astype(str).str.split(";").explode()
    ids = parts.str.split(":", n=1).str[1].fillna("").str.strip()
    frame = pd.DataFrame({"incident": parts.index.to_numpy(), "id": ids.to_numpy()})
    return frame[frame["id"] != ""].reset_index(drop=True)


def _shape(ids) -> set[str]:
    return {_DIGITS.sub("9", i) for i in ids}


def store_window(new: pd.DataFrame, options: DedupOptions) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The UTC span of stored incidents that can match ``new`` (None when ``new`` has no time)."""
    times = pd.to_datetime(new["occurred_utc"], errors="coerce").dropna()
    if times.empty:
        return None
    slack = max(pd.Timedelta(ID_TIME_TOLERANCE), pd.Timedelta(minutes=options.time_tolerance_minutes))
    return times.min() - slack, times.max() + slack


def reconcile(new: pd.DataFrame, stored: pd.DataFrame, options: DedupOptions) -> pd.DataFrame:
    """Matches of new incidents (rows of ``new``, positions) to stored ones (positions in ``stored``):
    columns new, stored, reason. Both frames carry incident_id, category, occurred_utc, time_precision,
    source_ids, x, y (``stored`` only the incidents of ``store_window``)."""
    columns = ["new", "stored", "reason"]
    if new.empty or stored.empty:
        return pd.DataFrame(columns=columns).astype({"new": int, "stored": int})
    new = new.reset_index(drop=True)
    stored = stored.reset_index(drop=True)
    t_new = pd.to_datetime(new["occurred_utc"], errors="coerce").to_numpy("datetime64[ns]")
    t_old = pd.to_datetime(stored["occurred_utc"], errors="coerce").to_numpy("datetime64[ns]")
    xy_old = stored[["x", "y"]].to_numpy(float)
    found: dict[int, tuple[int, str]] = {}

    position = pd.Series(np.arange(len(stored)), index=stored["incident_id"].astype(str))
    position = position[~position.index.duplicated()]
    same_id = new["incident_id"].astype(str).map(position)
    for i in np.flatnonzero(same_id.notna().to_numpy()):
        found[int(i)] = (int(same_id.iloc[i]), "already_in_store")

    old_ids = record_ids(stored["source_ids"])
    by_id = old_ids.groupby("id")["incident"].apply(list).to_dict()
    for row in record_ids(new["source_ids"]).itertuples():
        if row.incident in found or row.id not in by_id:
            continue
        for j in by_id[row.id]:
            close = abs(t_new[row.incident] - t_old[j]) <= ID_TIME_TOLERANCE
            near = np.hypot(*(new.loc[row.incident, ["x", "y"]].to_numpy(float) - xy_old[j])) <= (
                ID_DISTANCE_TOLERANCE
            )
            if close and near and new.at[row.incident, "category"] == stored.at[j, "category"]:
                found[int(row.incident)] = (int(j), "already_in_store")
                break

    _proximity(new, stored, t_new, t_old, options, found)
    rows = [(i, j, reason) for i, (j, reason) in sorted(found.items())]
    return pd.DataFrame(rows, columns=columns)


def _proximity(new, stored, t_new, t_old, options: DedupOptions, found: dict) -> None:
    tree = cKDTree(stored[["x", "y"]].to_numpy(float))
    tolerance = np.timedelta64(int(options.time_tolerance_minutes * 60e9), "ns")
    precise_old = stored["time_precision"].isin(PRECISE).to_numpy()
    old_shapes = [_shape(r.split(":", 1)[1] for r in s.split(";") if ":" in r) for s in stored["source_ids"]]
    candidates = tree.query_ball_point(new[["x", "y"]].to_numpy(float), r=options.distance_tolerance_m)
    for i, near in enumerate(candidates):
        if i in found or not near or new.at[i, "time_precision"] not in PRECISE:
            continue
        shapes = _shape(r.split(":", 1)[1] for r in new.at[i, "source_ids"].split(";") if ":" in r)
        best, gap = None, None
        for j in near:
            if not precise_old[j] or (options.require_same_category and
                                      new.at[i, "category"] != stored.at[j, "category"]):  # fmt: skip
                continue
            if not options.within_source and shapes & old_shapes[j]:
                continue
            delta = abs(t_new[i] - t_old[j])
            if delta <= tolerance and (gap is None or delta < gap):
                best, gap = j, delta
        if best is not None:
            found[i] = (int(best), "duplicate_of_stored")


def adjust_accounting(accounting: pd.DataFrame, new: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """The batch's accounting with each matched incident's primary record moved from accepted to merged
    (reason: the match's), per source and for ALL; checked to balance."""
    table = accounting.copy()
    if matches.empty:
        return table
    sources = new["source"].reset_index(drop=True).iloc[matches["new"].to_numpy()].to_numpy()
    moved = pd.crosstab(sources, matches["reason"].to_numpy())
    extra = []
    for source, counts in moved.iterrows():
        for name in (source, "ALL"):
            accepted = (table["source"] == name) & (table["outcome"] == "accepted")
            table.loc[accepted, "rows"] -= int(counts.sum())
        for reason, count in counts.items():
            if count:
                extra += [(source, "merged", reason, int(count)), ("ALL", "merged", reason, int(count))]
    if extra:
        table = pd.concat([table, pd.DataFrame(extra, columns=table.columns)], ignore_index=True)
        table = table.groupby(["source", "outcome", "reason"], sort=False, as_index=False)["rows"].sum()
    _assert_invariant(table)
    return table


# --- the store (a BeatCast GeoPackage): reading the window, adding incidents, remembering files ---------

STORE_COLUMNS = ["fid", "incident_id", "category", "occurred_utc", "window_end_utc", "time_precision",
                 "source", "source_ids", "n_records", "geom"]  # fmt: skip
FILES_TABLE = "beatcast_appended_files"
FILES_COLUMNS = {
    "sha256": "TEXT",
    "file": "TEXT",
    "run_id": "TEXT",
    "appended_utc": "DATETIME",
    "rows": "INTEGER",
}


def _iso(t: pd.Timestamp) -> str:
    return pd.Timestamp(t).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def read_store(path, table: str, start=None, end=None, ending_after=None) -> pd.DataFrame:
    """Stored incidents (STORE_COLUMNS, geometry as x/y, times as UTC datetime64) occurring in
    [start, end], or whose window ends after ``ending_after``; text comparison on the ISO times."""
    where, args = [], []
    if start is not None:
        where.append('"occurred_utc" >= ? AND "occurred_utc" <= ?')
        args += [_iso(start), _iso(end)]
    if ending_after is not None:
        where.append('"window_end_utc" > ?')
        args.append(_iso(ending_after))
    sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in STORE_COLUMNS)} FROM "{table}"'
    if where:
        sql += " WHERE " + " OR ".join(f"({w})" for w in where)
    with closing(sqlite3.connect(str(path))) as con:
        frame = pd.read_sql_query(sql, con, params=args)
    frame["x"], frame["y"] = gpkg.decode_points(frame.pop("geom").tolist())
    for column in ("occurred_utc", "window_end_utc"):
        frame[column] = pd.to_datetime(frame[column], utc=True, errors="coerce").dt.tz_localize(None)
    return frame


def appended_files(path) -> dict[str, str]:
    """sha256 -> file of every file appended to the store before (empty when none)."""
    if FILES_TABLE not in gpkg.table_names(path):
        return {}
    frame = gpkg.read_table(path, FILES_TABLE, columns=["sha256", "file"])
    return dict(zip(frame["sha256"], frame["file"]))


def write_batch(path, table: str, incidents: pd.DataFrame, columns: dict, matches: pd.DataFrame,
                stored: pd.DataFrame, files: pd.DataFrame) -> int:  # fmt: skip
    """Adds the new incidents that matched nothing (fids after the last; the R-tree triggers index them),
    joins the matched ones' records to their stored incidents, and remembers the files; one transaction.
    Returns the number of incidents added."""
    keep = np.ones(len(incidents), dtype=bool)
    keep[matches["new"].to_numpy(int)] = False
    added = incidents[keep].reset_index(drop=True)
    with closing(gpkg.connect(path)) as con:
        srs_id = con.execute(
            "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
        ).fetchone()[0]
        first = (con.execute(f'SELECT max(fid) FROM "{table}"').fetchone()[0] or 0) + 1
        frame = added.assign(fid=np.arange(first, first + len(added)))
        frame["geom"] = gpkg.point_blobs(added["x"].to_numpy(float), added["y"].to_numpy(float), srs_id)
        gpkg.insert_rows(con, table, frame, {"fid": "INTEGER", "geom": "BLOB", **columns})
        update = f'UPDATE "{table}" SET source_ids = source_ids || ?, n_records = n_records + ? WHERE fid = ?'
        for row in matches.itertuples():
            new = incidents.iloc[row.new]
            records = int(new.get("n_records", 1) or 1)
            con.execute(update, (";" + str(new["source_ids"]), records, int(stored.at[row.stored, "fid"])))
        if len(added):
            bounds = [added["x"].min(), added["y"].min(), added["x"].max(), added["y"].max()]
            con.execute(
                "UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?), ?), "
                "min_y = min(coalesce(min_y, ?), ?), max_x = max(coalesce(max_x, ?), ?), "
                "max_y = max(coalesce(max_y, ?), ?), last_change = ? WHERE table_name = ?",
                (*np.repeat(bounds, 2).tolist(), gpkg._now(), table),
            )
        if FILES_TABLE not in [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")]:
            gpkg._create(con, FILES_TABLE, FILES_COLUMNS, geometry=False)
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
                " VALUES (?, 'attributes', ?, 'files appended to the store (Append incidents)', ?)",
                (FILES_TABLE, FILES_TABLE, gpkg._now()),
            )
        gpkg.insert_rows(con, FILES_TABLE, files, FILES_COLUMNS)
        con.commit()
    return len(added)

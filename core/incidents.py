"""Incident import: exports in, clean incidents + rejected rows + accounting out.

The invariant, per source and in total: rows read = accepted + merged + netted + rejected.
``accepted`` rows become incidents; ``merged`` rows were folded into an accepted one (their IDs are
kept in its ``source_ids``); ``netted`` rows are a reversal and the record it cancels; ``rejected``
rows are in the rejected table with a reason. Nothing else can happen to a row.

Standard incident schema (GeoPackage layer ``incidents``), in the output CRS (metres):
"""

from __future__ import annotations

import gc
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import dedup, fieldmap, geometry
from .crsops import WGS84, CrsOps, UtmCrsOps
from .errors import BeatCastInputError
from .progress import Cancelled, Progress
from .sources import REJECT_REASONS, ROW, SourceTable, standardise

INCIDENT_FIELDS = {
    "incident_id": (
        "TEXT",
        "stable BeatCast id (hash of the primary record's system, ID, category and time)",
    ),
    "category": ("TEXT", "standard category (after the category map; the raw value when none is given)"),
    "category_raw": ("TEXT", "category or offence code as exported by the primary source"),
    "description": ("TEXT", "offence description of the primary source"),
    "occurred_utc": ("DATETIME", "occurrence time, UTC: the start of the window it may have happened in"),
    "occurred_local": ("TEXT", "start of the occurrence window, local wall time (YYYY-MM-DDTHH:MM:SS)"),
    "window_end_utc": ("DATETIME", "end (exclusive) of the possible occurrence window, UTC"),
    "time_precision": ("TEXT", "second, minute, hour, day or month: how precisely the time is known"),
    "timezone": ("TEXT", "IANA time zone the local times were read in"),
    "district": ("TEXT", "district as exported (not a spatial join)"),
    "origin": ("TEXT", "reported (call or report), discovered (officer-initiated) or empty when unknown"),
    "source": ("TEXT", "source of the primary record"),
    "source_id": ("TEXT", "ID of the primary record in its source"),
    "source_ids": ("TEXT", "every merged record as source#row:id, ';'-separated, primary first"),
    "n_records": ("INTEGER", "how many source records this incident merges"),
    "flags": ("TEXT", "id_conflict when records share an ID but disagree in time or place"),
    "x": ("REAL", "x in the output CRS"),
    "y": ("REAL", "y in the output CRS"),
}
__doc__ += "\n".join(f"* ``{k}`` ({t}): {d}" for k, (t, d) in INCIDENT_FIELDS.items())

REJECTED_FIELDS = {
    "source": "TEXT",
    "row_number": "INTEGER",
    "reason": "TEXT",
    "detail": "TEXT",
    "category_raw": "TEXT",
    "raw_values": "TEXT",
}
ACCOUNTING_FIELDS = {"source": "TEXT", "outcome": "TEXT", "reason": "TEXT", "rows": "INTEGER"}
REDACTED = "[personal field withheld]"


@dataclass
class ImportOptions:
    field_map: dict = field(default_factory=dict)  # fieldmap.parse_field_map output
    timezone: str = "UTC"
    source_crs: str | None = None  # CRS of projected x/y fields when a source does not say
    target_crs: str | None = None  # None: the local UTM zone
    category_map: pd.DataFrame | None = None  # columns source, value, category
    default_category: str = "incident"
    boundary: tuple[str, list] | None = None  # (crs, polygons as lists of rings)
    boundary_tolerance_m: float = 25.0  # points this close outside the boundary still count as inside
    start: pd.Timestamp | None = None  # UTC; incidents whose window ends before are rejected
    end: pd.Timestamp | None = None
    keep_fields: Sequence[str] = ()
    include_personal: bool = False
    dedup: dedup.DedupOptions = field(default_factory=dedup.DedupOptions)


@dataclass
class ImportResult:
    incidents: pd.DataFrame
    rejected: pd.DataFrame
    accounting: pd.DataFrame
    crs: str
    warnings: list[str]
    mappings: dict[str, dict[str, str]]

    def totals(self) -> dict[str, int]:
        t = self.accounting[self.accounting["source"] == "ALL"]
        out = {k: int(t.loc[t["outcome"] == k, "rows"].sum()) for k in ("accepted", "merged", "netted")}
        out["rejected"] = int(t.loc[t["outcome"] == "rejected", "rows"].sum())
        out["rows_read"] = int(t.loc[t["outcome"] == "read", "rows"].sum())
        out["incidents"] = len(self.incidents)
        return out


def _category_lookup(table: pd.DataFrame | None) -> dict | None:
    if table is None:
        return None
    out: dict[str, dict[str, str]] = {}
    src = table["source"] if "source" in table.columns else pd.Series([""] * len(table))
    for s, v, c in zip(src.fillna(""), table["value"].fillna(""), table["category"].fillna("")):
        out.setdefault(str(s).strip().lower(), {})[str(v).strip().lower()] = str(c).strip()
    return out


def _check(progress: Progress) -> None:
    if progress.is_canceled():
        raise Cancelled()


def import_incidents(
    sources: Sequence[SourceTable],
    options: ImportOptions,
    crs_ops: CrsOps | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Run the whole import on in-memory sources. Raises BeatCastInputError for unusable input."""
    # Millions of short-lived tuples and strings, no reference cycles: the cyclic collector would only
    # rescan the large live heap again and again (about 10 % of the run for a million rows).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _import(sources, options, crs_ops, progress)
    finally:
        if paused:
            gc.enable()


def _import(sources, options, crs_ops, progress) -> ImportResult:
    crs_ops = crs_ops or UtmCrsOps()
    progress = progress or Progress()
    if not sources:
        raise BeatCastInputError("no incident sources given")
    names = [s.name for s in sources]
    if len(set(n.lower() for n in names)) != len(names):
        raise BeatCastInputError(f"source names must be unique: {', '.join(names)}")
    _check_keep_fields(sources, options)
    catmap = _category_lookup(options.category_map)
    frames, warnings, mappings = [], [], {}
    for i, src in enumerate(sources):
        _check(progress)
        std = standardise(
            src,
            options.field_map,
            options.timezone,
            options.source_crs,
            crs_ops.is_geographic,
            catmap,
            options.default_category,
        )
        if not crs_ops.is_valid(std.coord_crs):
            raise BeatCastInputError(f"{src.name}: unknown coordinate reference system '{std.coord_crs}'")
        frame = std.frame
        for name in options.keep_fields:
            frame[f"keep:{name}"] = src.frame[name].astype(str).to_numpy() if name in src.frame else ""
        frames.append(frame)
        warnings += std.warnings
        mappings[src.name] = std.mapping
        progress.info(f"{src.name}: {len(frame)} rows; fields {std.mapping}")
        progress.set_progress(5 + 35 * (i + 1) / len(sources))
    offsets = np.cumsum([0] + [len(f) for f in frames[:-1]])
    for f, offset in zip(frames, offsets):
        f.loc[f["dup_of"] >= 0, "dup_of"] += offset
    frame = pd.concat(frames, ignore_index=True)
    frame["outcome"] = np.where(frame["reason"] == "", "candidate", "rejected").astype(object)
    frame.loc[frame["dup_of"] >= 0, "outcome"] = "duplicate"

    _check(progress)
    target = _reproject(frame, options, crs_ops)
    progress.set_progress(50)
    _spatial_and_period_checks(frame, options, crs_ops, target)
    _check(progress)
    dedup.net_reversals(frame)
    frame.loc[(frame["outcome"] == "candidate") & (frame["reason"] != ""), "outcome"] = "rejected"
    progress.set_progress(60)
    _check(progress)
    priority = {name: i for i, name in enumerate(names)}
    dedup.merge_duplicates(frame, priority, options.dedup)
    dedup.resolve_exact_duplicates(frame)
    progress.set_progress(80)
    _check(progress)
    incidents = _build_incidents(frame, options)
    rejected = _build_rejected(frame, sources, options)
    accounting = _build_accounting(frame, names)
    progress.set_progress(90)
    conflicts = int(frame["id_conflict"].sum())
    if conflicts:
        warnings.append(f"{conflicts} records share an ID with another record but disagree in time or place")
    return ImportResult(incidents, rejected, accounting, target, warnings, mappings)


def _check_keep_fields(sources: Sequence[SourceTable], options: ImportOptions) -> None:
    if not options.keep_fields:
        return
    all_columns = {c for s in sources for c in s.columns}
    for name in options.keep_fields:
        if name not in all_columns:
            raise BeatCastInputError(f"KEEP_FIELDS: no source has a field '{name}'")
        if not options.include_personal and fieldmap.personal_fields([name]):
            raise BeatCastInputError(
                f"KEEP_FIELDS: '{name}' looks like a personal field (a name, address or phone); "
                "it is only carried when INCLUDE_PERSONAL is set"
            )


def _reproject(frame: pd.DataFrame, options: ImportOptions, crs_ops: CrsOps) -> str:
    ok = frame["outcome"].eq("candidate").to_numpy() & np.isfinite(frame["x_src"].to_numpy())
    target = options.target_crs
    if not target:
        lons, lats = [], []
        for crs, rows in frame[ok].groupby("coord_crs").groups.items():
            rows = rows[:: max(1, len(rows) // 20000)]  # the median of an even sample picks the zone
            lon, lat = crs_ops.transform(
                frame.loc[rows, "x_src"].to_numpy(), frame.loc[rows, "y_src"].to_numpy(), crs, WGS84
            )
            lons.append(lon)
            lats.append(lat)
        if not lons:
            raise BeatCastInputError("no row has usable coordinates: nothing to choose an output CRS from")
        target = geometry.metric_crs_for(np.concatenate(lons), np.concatenate(lats))
    elif crs_ops.is_geographic(target):
        raise BeatCastInputError(f"TARGET_CRS {target} is geographic: choose a CRS in metres")
    x = np.full(len(frame), np.nan)
    y = np.full(len(frame), np.nan)
    for crs, rows in frame[ok].groupby("coord_crs").groups.items():
        pos = frame.index.get_indexer(rows)
        x[pos], y[pos] = crs_ops.transform(
            frame["x_src"].to_numpy()[pos], frame["y_src"].to_numpy()[pos], crs, target
        )
    bad = ok & ~(np.isfinite(x) & np.isfinite(y))
    frame.loc[bad, ["outcome", "reason", "detail"]] = [
        "rejected",
        "invalid_coordinates",
        f"cannot be reprojected to {target}",
    ]
    frame["x"], frame["y"] = x, y
    return target


def _spatial_and_period_checks(
    frame: pd.DataFrame, options: ImportOptions, crs_ops: CrsOps, target: str
) -> None:
    cand = frame["outcome"].eq("candidate").to_numpy()
    if options.boundary is not None:
        bcrs, polygons = options.boundary
        moved = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                ring = np.asarray(ring, dtype=float)
                rx, ry = crs_ops.transform(ring[:, 0], ring[:, 1], bcrs, target)
                rings.append(np.column_stack([rx, ry]))
            moved.append(rings)
        x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
        out = cand & ~geometry.points_in_polygons(x, y, moved)
        if options.boundary_tolerance_m > 0 and out.any():
            # Geocodes on the city limit (a street that is the boundary) fall either side of it.
            idx = np.nonzero(out)[0]
            out[idx[geometry.distance_to_rings(x[idx], y[idx], moved) <= options.boundary_tolerance_m]] = (
                False
            )
        frame.loc[out, ["outcome", "reason", "detail"]] = [
            "rejected",
            "outside_jurisdiction",
            "outside the boundary",
        ]
    cand = frame["outcome"].eq("candidate").to_numpy()
    if options.start is not None or options.end is not None:
        start = pd.Timestamp(options.start).tz_localize(None) if options.start is not None else None
        end = pd.Timestamp(options.end).tz_localize(None) if options.end is not None else None
        s, e = frame["start_utc"], frame["end_utc"]
        out = np.zeros(len(frame), dtype=bool)
        if start is not None:
            out |= (e <= start).to_numpy()
        if end is not None:
            out |= (s >= end).to_numpy()
        out &= cand
        frame.loc[out, ["outcome", "reason", "detail"]] = [
            "rejected",
            "outside_study_period",
            "outside START/END",
        ]


def _stable_ids(
    system, source_id, source, row_number, category_raw, start_utc
) -> tuple[np.ndarray, np.ndarray]:
    """Ids from 64-bit hashes (pandas' fixed-key SipHash) of system, ID (or source#row), raw category
    and time; returned as hex text (made unique) and as the raw hashes."""
    text = [
        f"{sy}|{sid or f'{so}#{row}'}|{cat}"
        for sy, sid, so, row, cat in zip(system, source_id, source, row_number.tolist(), category_raw)
    ]
    key = pd.DataFrame({"text": text, "time": start_utc.astype("datetime64[ns]").astype(np.int64)})
    hashed = pd.util.hash_pandas_object(key, index=False).to_numpy()
    ids = np.array([f"{h:016x}" for h in hashed.tolist()], dtype=object)
    dup = pd.Series(hashed).duplicated(keep=False).to_numpy()
    if dup.any():
        counter = pd.Series(ids[dup]).groupby(ids[dup]).cumcount().to_numpy()
        ids[dup] = ids[dup] + "-" + (counter + 1).astype(str)
    return ids, hashed


def _labels(source, row_number, source_id) -> np.ndarray:
    out = np.empty(len(source), dtype=object)
    out[:] = [f"{so}#{row}:{sid}" for so, row, sid in zip(source, row_number.tolist(), source_id)]
    return out


def _build_incidents(frame: pd.DataFrame, options: ImportOptions) -> pd.DataFrame:
    """One row per accepted record, with what its merged records add. Positions = frame labels."""
    col = {c: frame[c].to_numpy() for c in frame.columns}
    outcome = col["outcome"]
    survivors = np.nonzero(outcome == "accepted")[0]
    ids, hashed = _stable_ids(
        *(
            col[c][survivors]
            for c in ("id_field", "source_id", "source", "row_number", "category_raw", "start_utc")
        )
    )
    time_from = col["time_from"][survivors]
    order = np.lexsort((hashed, col["start_utc"][time_from].astype(np.int64)))
    survivors, time_from, ids = survivors[order], time_from[order], ids[order]
    label = _labels(col["source"][survivors], col["row_number"][survivors], col["source_id"][survivors])
    n_records = np.ones(len(survivors), dtype=np.int64)
    origin = col["origin"][survivors].copy()
    conflict = col["id_conflict"][survivors].astype(bool)
    merged = np.nonzero(outcome == "merged")[0]
    if len(merged):
        # Only clusters with merged records need Python: source_ids, n_records, origin, conflicts.
        where = pd.Index(survivors).get_indexer(col["cluster"][merged])
        m_label = _labels(col["source"][merged], col["row_number"][merged], col["source_id"][merged])
        extra: dict[int, list[str]] = {}
        for k, lab, org, conf in zip(where, m_label, col["origin"][merged], col["id_conflict"][merged]):
            extra.setdefault(k, []).append(lab)
            n_records[k] += 1
            if not origin[k] and org:
                origin[k] = org
            conflict[k] |= bool(conf)
        for k, labels in extra.items():
            label[k] = ";".join([label[k], *labels])
    local_time = col["local"][time_from].astype("datetime64[s]")
    local = np.datetime_as_string(local_time, unit="s").astype(object)
    local[np.isnat(local_time)] = None
    out = pd.DataFrame(
        {
            "incident_id": ids,
            "category": col["category"][survivors],
            "category_raw": col["category_raw"][survivors],
            "description": col["description"][survivors],
            "occurred_utc": col["start_utc"][time_from],
            "occurred_local": local,
            "window_end_utc": col["end_utc"][time_from],
            "time_precision": col["precision"][time_from],
            "timezone": col["timezone"][time_from],
            "district": col["district"][survivors],
            "origin": origin,
            "source": col["source"][survivors],
            "source_id": col["source_id"][survivors],
            "source_ids": label,
            "n_records": n_records,
            "flags": np.where(conflict, "id_conflict", "").astype(object),
            "x": col["x"][survivors],
            "y": col["y"][survivors],
        }
    )
    for name in options.keep_fields:
        out[name] = col[f"keep:{name}"][survivors]
    return out


def _build_rejected(
    frame: pd.DataFrame, sources: Sequence[SourceTable], options: ImportOptions
) -> pd.DataFrame:
    rej = frame[frame["outcome"] == "rejected"]
    parts = []
    for src in sources:
        mine = rej[rej["source"] == src.name]
        if mine.empty:
            continue
        raw = src.frame
        rows = raw[ROW].to_numpy() if ROW in raw.columns else np.arange(1, len(raw) + 1)
        pos = pd.Index(rows).get_indexer(mine["row_number"].to_numpy())
        cols = src.columns
        personal = set() if options.include_personal else set(fieldmap.personal_fields(cols))
        values = raw.iloc[pos][cols].astype(str)
        for c in personal:
            values[c] = np.where(values[c] != "", REDACTED, "")
        raw_json = [
            json.dumps(dict(zip(cols, v)), ensure_ascii=False) for v in values.itertuples(index=False)
        ]
        parts.append(
            pd.DataFrame(
                {
                    "source": src.name,
                    "row_number": mine["row_number"].to_numpy(),
                    "reason": mine["reason"].to_numpy(),
                    "detail": mine["detail"].to_numpy(),
                    "category_raw": mine["category_raw"].to_numpy(),
                    "raw_values": raw_json,
                }
            )
        )
    if not parts:
        return pd.DataFrame({k: pd.Series(dtype=object) for k in REJECTED_FIELDS})
    return pd.concat(parts, ignore_index=True)


def _build_accounting(frame: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    fate = frame["outcome"].where(frame["outcome"] != "rejected", "rejected:" + frame["reason"])
    counts = pd.crosstab(frame["source"], fate)
    counts.loc["ALL"] = counts.sum()
    read = frame.groupby("source").size()
    read.loc["ALL"] = len(frame)
    rows = []
    for name in [*names, "ALL"]:
        mine = counts.loc[name] if name in counts.index else pd.Series(dtype=int)
        # Rows read counted apart from their fates: a row left without a final fate breaks the check.
        rows.append((name, "read", "", int(read.get(name, 0))))
        for outcome in ("accepted", "merged", "netted"):
            rows.append((name, outcome, "", int(mine.get(outcome, 0))))
        for reason in REJECT_REASONS:
            count = int(mine.get(f"rejected:{reason}", 0))
            if count:
                rows.append((name, "rejected", reason, count))
    table = pd.DataFrame(rows, columns=list(ACCOUNTING_FIELDS))
    _assert_invariant(table)
    return table


def _assert_invariant(table: pd.DataFrame) -> None:
    for name, t in table.groupby("source"):
        read = int(t.loc[t["outcome"] == "read", "rows"].sum())
        fate = int(t.loc[t["outcome"] != "read", "rows"].sum())
        if read != fate:
            raise AssertionError(f"accounting broken for {name}: {read} rows read, {fate} accounted for")


# How Aggregate incidents may select incidents by how they came to police notice (``origin``).
ORIGIN_CHOICES = ("all", "reported", "reported_or_unknown", "discovered")


def origin_mask(origin, choice: str) -> np.ndarray:
    """Which incidents a cube counts: all; only reported ones (calls, reports); reported or of unknown
    origin (leaving out officer-initiated incidents, which follow where patrols went: the feedback loop
    of core.feedback_loop); or only discovered ones."""
    if choice not in ORIGIN_CHOICES:
        raise BeatCastInputError(f"origin choice {choice!r}: expected one of {', '.join(ORIGIN_CHOICES)}")
    values = pd.Series(origin, dtype=object).fillna("").astype(str).str.strip().str.lower().to_numpy()
    if choice == "all":
        return np.ones(values.size, dtype=bool)
    if choice == "reported_or_unknown":
        return values != "discovered"
    return values == choice

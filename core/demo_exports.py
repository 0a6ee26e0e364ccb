"""The demo city's truth incidents as three messy systems export them, with the truth about every row.

Files written by :func:`write_exports` (into ``exports/`` and ``truth/``):

``exports/rms_reports.csv`` (records system; Latin-1, comma, CRLF): ``ReportNo`` ("R23-004512"),
``OffenseCode``, ``OffenseDesc``, ``DateOccurred`` ("MM/DD/YYYY", about a third unpadded "3/5/2024"),
``TimeOccurred`` ("HHMM", read it as text: "0130"), ``X``, ``Y`` (EPSG:32616, 2 decimals), ``Count``
("1" or "-1"), ``CADEvent`` (EventNo or empty), ``District``, ``VictimName``, ``VictimAddress``
(personal: never import). Local time America/Chicago. One row per offence: a report (ReportNo) can hold
several offences (companion offences, reclassified offences).

``exports/cad_calls.csv`` (dispatch; UTF-8 with BOM, comma): ``EventNo`` ("E2300012345"), ``CallType``,
``Received`` ("YYYY-MM-DD HH:MM:SS" local), ``Latitude``, ``Longitude`` (WGS84, 6 decimals),
``Disposition``, ``Source`` ("911", "PHONE", "OFFICER" = officer-initiated, i.e. origin "discovered"),
``CallerName`` (personal). One event per report group; companion offences share their primary's event.

``exports/calls_911.csv`` (phone system; UTF-8, semicolon): ``call_id`` (integers that collide with the
numbers inside CAD EventNos but are unrelated), ``call_time_utc`` (ISO 8601, "Z"), ``lat``, ``lng``
(5 decimals, a few metres of noise), ``nature``, ``caller_phone`` (personal).

``exports/category_map.csv``: ``source,value,category`` for every crime value (sources named by file
stem as the importer names them: rms_reports OffenseCode, cad_calls CallType, calls_911 nature).
Non-crime values are absent: they are "unmapped".

``truth/export_truth.csv``: ``source`` (rms/cad/911), ``row_number`` (1-based data row, header excluded),
``incident_key`` (the truth incident the row is about, empty when it is about none), ``planted``.
``truth/incidents_truth.csv``: the truth DataFrame. ``truth/export_summary.json``: the counts.

What an importer is expected to do with each ``planted`` value:

- ``ok``: import it (its incident_key is the incident it describes).
- ``exact_duplicate`` (rms): identical to an earlier row; drop it (reason "duplicate").
- ``reversed_original`` / ``reversal`` (rms): a +1 row and a later -1 row with the same ReportNo and
  OffenseCode net to zero; drop both (reason "reversed"). Either a reclassification (the same ReportNo
  also has an ``ok`` row with the right code; incident_key set) or an unfounded report (incident_key empty).
- ``unmatched_reversal`` (rms): a -1 row with no +1 row; reject (reason "unmatched reversal").
- ``zero_coordinates``: X=0/Y=0 or lat=0/lon=0; reject (reason "zero coordinates").
- ``missing_coordinates``: empty coordinates; reject (reason "missing coordinates").
- ``outside_jurisdiction``: valid coordinates ~30 km away, outside the boundary; reject (reason
  "outside jurisdiction").
- ``invalid_coordinates`` (cad, 911): latitude > 90; reject (reason "invalid coordinates").
- ``unparseable_date``: "31/31/2023", "unknown", "" and the like; reject (reason "unparseable date").
- ``date_only`` (rms): right date, empty TimeOccurred; keep with day precision, leave out of time-of-day
  analyses.
- ``month_only`` (rms): DateOccurred "MM/YYYY"; keep with month precision or reject for daily analyses.
- ``duplicate_call`` (911): a repeat call about the same incident minutes later, within ~20 m; merge it
  into the first call (incident_key is that incident).
- ``noise_call`` (cad, 911): a non-crime type absent from the category map; "unmapped", not an incident.

Rows that are rejected still carry their incident_key when they are about a real incident, so an
evaluation can tell which incidents each rejection loses.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .demo_city import DEFAULT_SEED, DemoCity
from .demo_export_rms import build_rms
from .demo_export_rows import build_911, build_cad
from .demo_vocab import category_map_rows

# Shares of truth report groups present in each system (see the module docstring).
RMS_SHARE = 0.85
CAD_SHARE_DISCOVERED = 0.9  # officer-initiated activity is logged in CAD
CAD_SHARE_REPORTED = 0.7125  # gives ~75 % overall with ~20 % discovered incidents
CALLS_911_SHARE_REPORTED = 0.40

RMS_COLUMNS = (
    "ReportNo", "OffenseCode", "OffenseDesc", "DateOccurred", "TimeOccurred", "X", "Y", "Count",
    "CADEvent", "District", "VictimName", "VictimAddress",
)  # fmt: skip
CAD_COLUMNS = (
    "EventNo", "CallType", "Received", "Latitude", "Longitude", "Disposition", "Source", "CallerName",
)  # fmt: skip
CALLS_911_COLUMNS = ("call_id", "call_time_utc", "lat", "lng", "nature", "caller_phone")
PERSONAL_COLUMNS = {
    "rms": ("VictimName", "VictimAddress"),
    "cad": ("CallerName",),
    "911": ("caller_phone",),
}
PLANTED_VALUES = (
    "ok", "exact_duplicate", "reversal", "reversed_original", "unmatched_reversal", "zero_coordinates",
    "missing_coordinates", "outside_jurisdiction", "invalid_coordinates", "unparseable_date", "date_only",
    "month_only", "duplicate_call", "noise_call",
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class Exports:
    rms_reports: pd.DataFrame
    cad_calls: pd.DataFrame
    calls_911: pd.DataFrame
    category_map: pd.DataFrame
    export_truth: pd.DataFrame
    incidents_truth: pd.DataFrame
    summary: dict


def _report_groups(incidents: pd.DataFrame) -> np.ndarray:
    """Group id per incident: offences at the same minute and place belong to one report."""
    return incidents.groupby(["occurred_local", "x", "y"], sort=False).ngroup().to_numpy()


def _split(frame: pd.DataFrame, columns, source: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    data = frame[list(columns)].reset_index(drop=True)
    truth = pd.DataFrame(
        {
            "source": source,
            "row_number": np.arange(1, len(frame) + 1),
            "incident_key": frame["_key"].to_numpy(),
            "planted": frame["_planted"].to_numpy(),
        }
    )
    return data, truth


def make_exports(city: DemoCity, seed: int = DEFAULT_SEED) -> Exports:
    """The three messy exports of ``city.incidents``, the category map and the truth for every row."""
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(3)[2])
    incidents = city.incidents
    group = _report_groups(incidents)
    n_groups = int(group.max()) + 1 if len(group) else 0
    primary = np.unique(group, return_index=True)[1]
    first = incidents.iloc[primary].reset_index(drop=True)

    discovered = (first["origin"] == "discovered").to_numpy()
    u = rng.random((n_groups, 3))
    has_rms = u[:, 0] < RMS_SHARE
    has_cad = u[:, 1] < np.where(discovered, CAD_SHARE_DISCOVERED, CAD_SHARE_REPORTED)
    has_911 = ~discovered & has_cad & (u[:, 2] < CALLS_911_SHARE_REPORTED / CAD_SHARE_REPORTED)

    calls, call_utc = build_911(rng, city, first, has_911)
    cad, event_of_group = build_cad(rng, city, first, has_cad, has_rms, has_911, call_utc)
    rms = build_rms(rng, city, incidents, group, has_rms, event_of_group)

    rms_data, rms_truth = _split(rms, RMS_COLUMNS, "rms")
    cad_data, cad_truth = _split(cad, CAD_COLUMNS, "cad")
    calls_data, calls_truth = _split(calls, CALLS_911_COLUMNS, "911")
    truth = pd.concat([rms_truth, cad_truth, calls_truth], ignore_index=True)
    category_map = pd.DataFrame(category_map_rows(), columns=["source", "value", "category"])

    crime_cad = cad[cad["_group"] >= 0]
    incident_rms = rms[(rms["_key"] != "") & (rms["Count"] == "1")]
    codes_per_report = rms[rms["Count"] == "1"].groupby("ReportNo")["OffenseCode"].nunique()
    size = np.bincount(group, minlength=n_groups)
    summary = {
        "seed": int(seed),
        "incidents": int(len(incidents)),
        "report_groups": n_groups,
        "companion_offences": int(len(incidents) - n_groups),
        "incidents_with_rms": int(has_rms[group].sum()),
        "incidents_with_cad": int(has_cad[group].sum()),
        "incidents_with_911": int(has_911[group].sum()),
        "reported_incidents": int((incidents["origin"] == "reported").sum()),
        "cad_events_without_rms": int((~has_rms[crime_cad["_group"].to_numpy()]).sum()),
        "rms_reports_without_cad": int((incident_rms.groupby("ReportNo")["CADEvent"].first() == "").sum()),
        "multi_offence_reports": int((codes_per_report > 1).sum()),
        "multi_offence_report_groups": int(((size > 1) & has_rms).sum()),
        "rows": {"rms": len(rms), "cad": len(cad), "911": len(calls)},
        "planted": {
            source: {k: int(v) for k, v in part["planted"].value_counts().sort_index().items()}
            for source, part in truth.groupby("source", sort=False)
        },
    }
    return Exports(rms_data, cad_data, calls_data, category_map, truth, incidents, summary)


def _write_csv(path: Path, frame: pd.DataFrame, encoding: str, delimiter: str = ",", newline: str = "\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator=newline)
        writer.writerow(frame.columns)
        writer.writerows(frame.itertuples(index=False, name=None))
    return path


def incidents_truth_table(incidents: pd.DataFrame) -> pd.DataFrame:
    """The truth incidents as text, as written to ``truth/incidents_truth.csv``."""
    out = incidents.copy()
    out["occurred_local"] = out["occurred_local"].dt.strftime("%Y-%m-%d %H:%M:%S")
    out["x"] = [f"{v:.2f}" for v in out["x"]]
    out["y"] = [f"{v:.2f}" for v in out["y"]]
    return out


def write_exports(exports: Exports, folder) -> dict[str, Path]:
    """Write the exports under ``folder/exports`` and the truth under ``folder/truth``."""
    folder = Path(folder)
    ex, tr = folder / "exports", folder / "truth"
    paths = {
        "rms_reports": _write_csv(ex / "rms_reports.csv", exports.rms_reports, "latin-1", newline="\r\n"),
        "cad_calls": _write_csv(ex / "cad_calls.csv", exports.cad_calls, "utf-8-sig"),
        "calls_911": _write_csv(ex / "calls_911.csv", exports.calls_911, "utf-8", delimiter=";"),
        "category_map": _write_csv(ex / "category_map.csv", exports.category_map, "utf-8"),
        "export_truth": _write_csv(tr / "export_truth.csv", exports.export_truth, "utf-8"),
        "incidents_truth": _write_csv(
            tr / "incidents_truth.csv", incidents_truth_table(exports.incidents_truth), "utf-8"
        ),
    }
    summary_path = tr / "export_summary.json"
    summary_path.write_text(json.dumps(exports.summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    paths["export_summary"] = summary_path
    return paths

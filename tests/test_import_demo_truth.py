"""The engine on the demo city's messy exports recovers the planted truth (no QGIS needed)."""

import json

import numpy as np
import pandas as pd
import pytest

from beatcast.core import readers
from beatcast.core.dedup import DedupOptions
from beatcast.core.incidents import ImportOptions, import_incidents
from beatcast.core.sources import SourceTable

EXPECTED = {
    "ok": {"accepted", "merged"},
    "date_only": {"accepted", "merged"},
    "month_only": {"accepted", "merged"},
    "exact_duplicate": {"merged"},
    "duplicate_call": {"merged"},
    "reversal": {"netted"},
    "reversed_original": {"netted"},
    "unmatched_reversal": {"rejected:unmatched_reversal"},
    "zero_coordinates": {"rejected:zero_coordinates"},
    "missing_coordinates": {"rejected:missing_coordinates"},
    "outside_jurisdiction": {"rejected:outside_jurisdiction"},
    "invalid_coordinates": {"rejected:invalid_coordinates"},
    "unparseable_date": {"rejected:unparseable_date", "rejected:missing_date"},
    "noise_call": {"rejected:unmapped_category"},
}
SOURCE_NAMES = {"rms_reports": "rms", "cad_calls": "cad", "calls_911": "911"}


@pytest.fixture(scope="module")
def demo_import(demo_city_dir):
    sources = []
    for name in ("rms_reports", "cad_calls", "calls_911"):
        frame = readers.read_delimited(demo_city_dir / "exports" / f"{name}.csv", name)
        sources.append(SourceTable(name, frame))
    boundary = json.loads((demo_city_dir / "boundary.geojson").read_text())
    rings = [np.array(r) for r in boundary["features"][0]["geometry"]["coordinates"]]
    opts = ImportOptions(
        timezone="America/Chicago",
        source_crs="EPSG:32616",
        boundary=("EPSG:32616", [rings]),
        category_map=readers.read_category_map(demo_city_dir / "exports" / "category_map.csv"),
        dedup=DedupOptions(within_source=True),
    )
    result = import_incidents(sources, opts)
    truth = pd.read_csv(demo_city_dir / "truth" / "export_truth.csv", dtype=str, keep_default_na=False)
    truth["row_number"] = truth["row_number"].astype(int)
    return result, truth


def row_fates(result) -> dict:
    """(source, row) -> (fate, incident index), read back from the outputs only."""
    fates = {}
    for _, r in result.rejected.iterrows():
        fates[(SOURCE_NAMES[r.source], int(r.row_number))] = ("rejected:" + r.reason, None)
    for i, ids in enumerate(result.incidents["source_ids"]):
        for j, part in enumerate(ids.split(";")):
            label = part.split(":")[0]
            source, row = label.rsplit("#", 1)
            fates[(SOURCE_NAMES[source], int(row))] = ("accepted" if j == 0 else "merged", i)
    return fates


def test_accounting_invariant_holds_per_source(demo_import):
    result, truth = demo_import
    acc = result.accounting
    for _source, t in acc.groupby("source"):
        read = int(t.loc[t.outcome == "read", "rows"].sum())
        assert read == int(t.loc[t.outcome != "read", "rows"].sum())
    assert result.totals()["rows_read"] == len(truth)


def test_every_planted_problem_gets_its_expected_fate(demo_import):
    result, truth = demo_import
    fates = row_fates(result)
    wrong = []
    for r in truth.itertuples():
        got = fates.get((r.source, r.row_number), ("netted", None))[0]
        if got not in EXPECTED[r.planted]:
            wrong.append((r.source, r.row_number, r.planted, got))
    summary = pd.DataFrame(wrong, columns=["source", "row", "planted", "got"])
    print(summary.groupby(["planted", "got"]).size() if len(summary) else "all rows as planted")
    # Rows whose planted fate is a rejection must be exactly right.
    rejections = summary[summary["planted"].map(lambda p: next(iter(EXPECTED[p])).startswith("rejected"))]
    assert rejections.empty, rejections.head(20)
    # Merges depend on the tolerances; allow a handful of coincidences among ~50k rows.
    assert len(summary) <= 0.002 * len(truth), summary.head(20)


def test_incidents_are_pure_and_complete(demo_import):
    result, truth = demo_import
    fates = row_fates(result)
    key_of = {(r.source, r.row_number): r.incident_key for r in truth.itertuples()}
    keys_per_incident: dict[int, set] = {}
    for row, (_fate, incident) in fates.items():
        if incident is not None and key_of.get(row):
            keys_per_incident.setdefault(incident, set()).add(key_of[row])
    impure = sum(len(k) > 1 for k in keys_per_incident.values())
    incidents_per_key: dict[str, set] = {}
    for incident, keys in keys_per_incident.items():
        for key in keys:
            incidents_per_key.setdefault(key, set()).add(incident)
    split = sum(len(v) > 1 for v in incidents_per_key.values())
    n = len(result.incidents)
    print(
        f"{n} incidents, {impure} hold records of more than one true incident, {split} true incidents split"
    )
    assert impure <= 0.002 * n
    assert split <= 0.002 * len(incidents_per_key)
    # Every true incident with at least one usable record is imported.
    usable = truth[truth["planted"].isin(["ok", "date_only", "month_only"])]
    assert set(usable["incident_key"]) <= set(incidents_per_key)


def test_personal_fields_never_reach_the_outputs(demo_import, demo_city_dir):
    result, _ = demo_import
    personal = {
        "rms_reports": ["VictimName", "VictimAddress"],
        "cad_calls": ["CallerName"],
        "calls_911": ["caller_phone"],
    }
    values = set()
    for name, columns in personal.items():
        frame = readers.read_delimited(demo_city_dir / "exports" / f"{name}.csv", name)
        for column in columns:
            assert column not in result.incidents.columns
            values |= {v for v in frame[column] if len(v) > 5}
    assert len(values) > 1000
    rejected_text = result.rejected["raw_values"].str.cat(sep="\n")
    assert '"VictimName": "[personal field withheld]"' in rejected_text
    leaked = [v for v in values if v in rejected_text]
    assert not leaked, leaked[:5]


def test_reported_or_discovered_origin_is_carried_from_the_exports(demo_import, demo_city_dir):
    """Where an export says how an incident came to notice (CAD call source, RMS report origin), the
    imported incident carries the truth's reported/discovered flag; where none does, it stays empty."""
    result, truth = demo_import
    origin_of = pd.read_csv(demo_city_dir / "truth" / "incidents_truth.csv", dtype=str, keep_default_na=False)
    origin_of = dict(zip(origin_of["incident_key"], origin_of["origin"]))
    key_of = {(r.source, r.row_number): r.incident_key for r in truth.itertuples()}
    incidents = result.incidents
    agree = disagree = 0
    for ids, origin in zip(incidents["source_ids"], incidents["origin"]):
        label = ids.split(";")[0].split(":")[0]
        source, row = label.rsplit("#", 1)
        key = key_of[(SOURCE_NAMES[source], int(row))]
        if origin:
            agree += origin == origin_of[key]
            disagree += origin != origin_of[key]
    flagged = (incidents["origin"] != "").sum()
    assert flagged > 0.7 * len(incidents) and set(incidents["origin"]) == {"reported", "discovered", ""}
    print(f"origin: {agree} agree, {disagree} disagree, {len(incidents) - flagged} unknown")
    assert disagree <= 0.001 * flagged

"""core.append: new exports reconciled against an incident store (no QGIS needed)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from beatcast.core import readers
from beatcast.core.append import adjust_accounting, reconcile, record_ids, store_window
from beatcast.core.dedup import DedupOptions
from beatcast.core.incidents import ImportOptions, import_incidents
from beatcast.core.sources import SourceTable

NAMES = {"rms_reports": "rms", "cad_calls": "cad", "calls_911": "911"}
SPLIT = pd.Timestamp("2024-06-01")


@pytest.fixture(scope="module")
def halves(demo_city_dir):
    """The demo exports cut by the planted occurrence date of each row's incident: before and after SPLIT
    (rows of no incident, e.g. noise calls, stay in the first half)."""
    truth = pd.read_csv(demo_city_dir / "truth" / "export_truth.csv", dtype=str, keep_default_na=False)
    when = pd.read_csv(demo_city_dir / "truth" / "incidents_truth.csv", dtype=str, keep_default_na=False)
    when = dict(zip(when["incident_key"], pd.to_datetime(when["occurred_local"])))
    parts = ([], [])
    for name, short in NAMES.items():
        frame = readers.read_delimited(demo_city_dir / "exports" / f"{name}.csv", name)
        rows = truth[truth["source"] == short].set_index(
            truth[truth["source"] == short]["row_number"].astype(int)
        )
        late = np.array(
            [when.get(rows["incident_key"].get(i + 1, ""), pd.NaT) >= SPLIT for i in range(len(frame))]
        )
        parts[0].append(SourceTable(name, frame[~late].reset_index(drop=True)))
        parts[1].append(SourceTable(f"{name}_2024-06", frame[late].reset_index(drop=True)))
    boundary = json.loads((demo_city_dir / "boundary.geojson").read_text())
    rings = [np.array(r) for r in boundary["features"][0]["geometry"]["coordinates"]]
    options = ImportOptions(
        timezone="America/Chicago",
        source_crs="EPSG:32616",
        target_crs="EPSG:32616",
        boundary=("EPSG:32616", [rings]),
        category_map=readers.read_category_map(demo_city_dir / "exports" / "category_map.csv"),
        dedup=DedupOptions(within_source=True),
    )
    return [import_incidents(p, options) for p in parts], options


def test_a_new_batch_adds_only_what_the_store_lacks(halves):
    (first, second), options = halves
    stored = first.incidents
    window = store_window(second.incidents, options.dedup)
    assert window is not None
    matches = reconcile(second.incidents, stored, options.dedup)
    # Cut by occurrence date, the halves share few incidents: reversals and records whose exported time
    # differs from the planted one by a day cross the cut; nearly every new incident is new.
    assert len(matches) < 0.01 * len(second.incidents)
    # The same batch a second time: every incident is already in the store, matched by its own id.
    again = reconcile(
        second.incidents, pd.concat([stored, second.incidents], ignore_index=True), options.dedup
    )
    assert len(again) == len(second.incidents)
    assert set(again["reason"]) == {"already_in_store"}
    assert (again["stored"].to_numpy() == len(stored) + again["new"].to_numpy()).all()
    adjusted = adjust_accounting(second.accounting, second.incidents, again)
    all_rows = adjusted[adjusted["source"] == "ALL"].set_index(["outcome", "reason"])["rows"]
    assert all_rows[("accepted", "")] == 0
    assert all_rows[("merged", "already_in_store")] == len(second.incidents)


def test_a_record_reexported_with_another_time_or_name_is_recognised(halves):
    (first, _), options = halves
    stored = first.incidents.head(300).reset_index(drop=True)
    moved = stored.copy()
    moved["incident_id"] = [f"other{i}" for i in range(len(moved))]  # another time: another hash
    moved["occurred_utc"] = pd.to_datetime(moved["occurred_utc"]) + pd.Timedelta(hours=3)
    moved["source_ids"] = moved["source_ids"].str.replace("rms_reports#", "rms_2024-06-02#", regex=False)
    matches = reconcile(moved, stored, options.dedup)
    with_id = record_ids(moved["source_ids"])["incident"].unique()
    assert set(matches["new"]) == set(with_id) and set(matches["reason"]) == {"already_in_store"}
    assert (matches["stored"] == matches["new"]).all()


def test_near_identical_records_of_another_system_merge(halves):
    (first, _), options = halves
    stored = first.incidents[first.incidents["time_precision"] == "minute"].head(200).reset_index(drop=True)
    call = stored.copy()
    call["incident_id"] = [f"call{i}" for i in range(len(call))]
    call["source_ids"] = [f"alarm_calls#{i + 1}:A-{i:06d}" for i in range(len(call))]  # another system
    call["occurred_utc"] = pd.to_datetime(call["occurred_utc"]) + pd.Timedelta(minutes=4)
    call["x"] += 20.0
    matches = reconcile(call, stored, options.dedup)
    assert len(matches) >= 0.95 * len(call) and set(matches["reason"]) == {"duplicate_of_stored"}
    far = call.assign(x=call["x"] + 500.0)
    assert reconcile(far, stored, options.dedup).empty
    # The same system (RMS-shaped IDs) with distinct IDs: distinct incidents unless within_source.
    same_system = call.assign(
        source_ids=[f"rms_reports_2024-06#{i + 1}:R24-9{i:05d}" for i in range(len(call))]
    )
    assert reconcile(same_system, stored, DedupOptions(within_source=False)).empty
    assert len(reconcile(same_system, stored, DedupOptions(within_source=True))) >= 0.95 * len(call)

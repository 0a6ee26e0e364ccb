"""core.approval: decisions on a patrol plan kept in the append-only run log (pure Python, no QGIS)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pandas as pd
import pytest

from beatcast.core import approval, gpkg, runlog
from beatcast.core.errors import BeatCastInputError


def _plan_gpkg(path, zone_expected=(1.5, 1.2, 0.9)):
    """A GeoPackage holding the three plan tables (attributes only) and a patrol plan run."""
    zones = pd.DataFrame({"rank": [1, 2, 3], "expected": list(zone_expected), "district": ["D1", "D2", "D1"]})
    gpkg.write_table(path, "patrol_zones", zones, {"rank": "INTEGER", "expected": "REAL", "district": "TEXT"})
    routes = pd.DataFrame({"unit": [1, 2], "stops": [2, 1]})
    gpkg.write_table(path, "patrol_routes", routes, {"unit": "INTEGER", "stops": "INTEGER"})
    schedule = pd.DataFrame({"unit": [1, 1, 2], "stop": [1, 2, 1], "zone_rank": [1, 3, 2]})
    gpkg.write_table(path, "patrol_schedule", schedule, {c: "INTEGER" for c in schedule.columns})
    runlog.append_run(path, "beatcast:forecastrisk", {"MODEL": "kde"})
    return runlog.append_run(path, "beatcast:patrolplan", {"UNITS": 2})


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plan.gpkg"
    return path, _plan_gpkg(path)


def test_record_and_read_the_latest_decision(plan):
    path, run_id = plan
    assert approval.latest_plan_run(path) == run_id
    assert approval.latest_decision(path, run_id) is None
    decision_id = approval.record_decision(
        path, run_id, "approved", "Sgt. Dana Reyes", "Matches the briefing"
    )
    decision = approval.latest_decision(path, run_id)
    assert decision.run_id == decision_id and decision.approved and not decision.plan_changed
    assert (decision.by, decision.rationale) == ("Sgt. Dana Reyes", "Matches the briefing")
    assert decision.plan_run_id == run_id
    assert decision.time_utc.startswith("20") and decision.plugin_version
    assert decision.plan_hash == approval.plan_hashes(path)["plan"]
    record = runlog.read_runs(path).iloc[-1]
    assert record["algorithm"] == "beatcast:approval" and record["user"] == "Sgt. Dana Reyes"


def test_a_later_decision_supersedes_and_history_keeps_both(plan):
    path, run_id = plan
    approval.record_decision(path, run_id, "approved", "Sgt. A", "first look")
    approval.record_decision(path, run_id, "rejected", "Lt. B", "zone 2 is a school at night")
    decision = approval.latest_decision(path, run_id)
    assert decision.decision == "rejected" and decision.by == "Lt. B" and not decision.approved
    history = approval.decisions(path)
    assert history["decision"].tolist() == ["approved", "rejected"]
    assert history["by"].tolist() == ["Sgt. A", "Lt. B"]
    assert list(history.columns) == approval.DECISION_COLUMNS


@pytest.mark.parametrize(
    ("decision", "by", "rationale", "named"),
    [
        ("approved", "", "ok", "by"),
        ("approved", "   ", "ok", "by"),
        ("approved", "Sgt. A", "", "rationale"),
        ("maybe", "Sgt. A", "ok", "decision"),
    ],
)
def test_refuses_bad_arguments(plan, decision, by, rationale, named):
    path, run_id = plan
    with pytest.raises(BeatCastInputError, match=f"^{named}:"):
        approval.record_decision(path, run_id, decision, by, rationale)
    assert approval.decisions(path).empty


def test_refuses_unknown_runs_and_runs_of_other_algorithms(plan):
    path, run_id = plan
    with pytest.raises(BeatCastInputError, match="plan_run_id: no run"):
        approval.record_decision(path, "0" * 32, "approved", "Sgt. A", "ok")
    forecast_id = runlog.read_runs(path).iloc[0]["run_id"]
    with pytest.raises(BeatCastInputError, match="beatcast:forecastrisk run, not a beatcast:patrolplan"):
        approval.record_decision(path, forecast_id, "approved", "Sgt. A", "ok")
    newer = runlog.append_run(path, "beatcast:patrolplan", {"UNITS": 3})
    with pytest.raises(BeatCastInputError, match=f"replaced by run {newer}"):
        approval.record_decision(path, run_id, "approved", "Sgt. A", "ok")
    assert approval.latest_plan_run(path) == newer


def test_the_run_log_refuses_edits(plan):
    path, run_id = plan
    approval.record_decision(path, run_id, "rejected", "Lt. B", "too close to the school")
    with closing(sqlite3.connect(path)) as con:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("UPDATE beatcast_run_log SET note = 'approved after all' WHERE fid > 0")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("DELETE FROM beatcast_run_log WHERE algorithm = 'beatcast:approval'")
    assert approval.latest_decision(path, run_id).decision == "rejected"


def test_editing_a_plan_table_after_approval_is_detected(plan):
    path, run_id = plan
    approval.record_decision(path, run_id, "approved", "Sgt. A", "ok")
    before = approval.plan_hashes(path)
    with closing(sqlite3.connect(path)) as con:  # the triggers protect the run log only
        con.execute("UPDATE patrol_zones SET expected = 2.5 WHERE rank = 3")
        con.commit()
    after = approval.plan_hashes(path)
    assert after["patrol_zones"] != before["patrol_zones"]
    assert after["patrol_routes"] == before["patrol_routes"]
    decision = approval.latest_decision(path, run_id)
    assert decision.approved and decision.plan_changed
    assert approval.decisions(path)["plan_changed"].tolist() == [True]


def test_hash_depends_on_content_not_on_file(tmp_path):
    first, second = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    _plan_gpkg(first)
    _plan_gpkg(second)
    assert approval.plan_hashes(first) == approval.plan_hashes(second)
    third = tmp_path / "c.gpkg"
    _plan_gpkg(third, zone_expected=(1.5, 1.2, 0.90000001))
    assert approval.plan_hashes(third)["plan"] != approval.plan_hashes(first)["plan"]


def test_missing_plan_tables_are_refused(tmp_path):
    path = tmp_path / "empty.gpkg"
    run_id = runlog.append_run(path, "beatcast:patrolplan", {})
    with pytest.raises(BeatCastInputError, match="lacks the plan tables"):
        approval.record_decision(path, run_id, "approved", "Sgt. A", "ok")
    assert approval.latest_plan_run(tmp_path / "empty.gpkg") == run_id
    with pytest.raises(BeatCastInputError, match="no such GeoPackage"):
        approval.latest_plan_run(tmp_path / "absent.gpkg")

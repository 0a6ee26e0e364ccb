"""beatcast:biasaudit through Processing on the demo city: a forecast's hotspot zones and census groups."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

from beatcast.core import gpkg
from beatcast.core.policy import DEFAULT_POLICY_PATH

GROUPS = ["pop_group_a", "pop_group_b", "pop_group_c"]


def test_audit_of_hotspot_area_against_census_groups(demo_city_dir, demo_cube, demo_forecast, tmp_path):
    import processing

    result = processing.run(
        "beatcast:biasaudit",
        {
            "CELLS": demo_forecast,
            "EXPOSURE_FIELD": "hotspot_zone",
            "EXPOSURE_KIND": 0,
            "AREAS": str(demo_city_dir / "census_areas.geojson"),
            "GROUP_FIELDS": GROUPS,
            "INCIDENTS": f"{demo_cube}|layername=incidents",
            "FEATURES": f"{demo_cube}|layername=cell_covariates",
            "FEATURE_FIELDS": ["dist_pois_bar", "census_areas_pop_group_a", "census_areas_pop_group_b"],
            "OUTPUT": str(tmp_path / "audit.gpkg"),
            "REPORT": str(tmp_path / "audit.html"),
        },
    )
    groups = gpkg.read_table(tmp_path / "audit.gpkg", "bias_audit_groups").set_index("group")
    areas = gpkg.read_table(tmp_path / "audit.gpkg", "bias_audit_areas")
    proxies = gpkg.read_table(tmp_path / "audit.gpkg", "bias_audit_proxies")
    assert list(groups.index) == GROUPS and len(areas) == 50
    assert groups["share_exposure"].sum() == pytest.approx(1.0)
    assert np.allclose(groups["exposure_ratio"], groups["share_exposure"] / groups["share_population"])
    assert result["WORST_EXPOSURE_RATIO"] == pytest.approx(groups["exposure_ratio"].max())
    per_capita = groups["per_capita"]
    assert result["DISPARATE_IMPACT"] == pytest.approx(per_capita.min() / per_capita.max())
    # The flagged area is 10 % of the city; the areas' exposures add up to it (cells wholly inside areas).
    cells = gpkg.read_table(demo_forecast.split("|")[0], "forecast_cells")
    grid = gpkg.read_table(demo_cube, "grid", columns=["area_m2"])
    flagged = grid["area_m2"][cells["hotspot_zone"].to_numpy() > 0].sum()
    assert areas["exposure"].sum() == pytest.approx(flagged, rel=1e-3)
    assert areas["share_incidents"].sum() == pytest.approx(1.0)
    # The census count of a group is a proxy for that group's share of a cell's residents.
    pair = proxies[(proxies["feature"] == "census_areas_pop_group_a") & (proxies["group"] == "pop_group_a")]
    assert bool(pair["flag"].iloc[0])
    # ...compared area by area (50 census areas): the distance to a bar is no proxy for any group.
    assert (proxies["n"] == 50).all()
    assert not proxies.loc[proxies["feature"] == "dist_pois_bar", "flag"].astype(bool).any()
    assert result["N_FLAGS"] >= 1
    report = (tmp_path / "audit.html").read_text()
    assert "data:image/png;base64," in report and "pop_group_b" in report


def test_audit_of_a_value_field_and_bad_input(demo_city_dir, demo_forecast, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    result = processing.run(
        "beatcast:biasaudit",
        {
            "CELLS": demo_forecast,
            "EXPOSURE_FIELD": "expected",
            "EXPOSURE_KIND": 1,
            "AREAS": str(demo_city_dir / "census_areas.geojson"),
            "GROUP_FIELDS": GROUPS,
            "OUTPUT": str(tmp_path / "audit.gpkg"),
        },
    )
    areas = gpkg.read_table(tmp_path / "audit.gpkg", "bias_audit_areas")
    cells = gpkg.read_table(demo_forecast.split("|")[0], "forecast_cells")
    assert areas["exposure"].sum() == pytest.approx(cells["expected"].sum(), rel=1e-3)
    assert 0 < result["GINI"] < 1
    with pytest.raises(QgsProcessingException, match="EXPOSURE_FIELD"):
        processing.run(
            "beatcast:biasaudit",
            {
                "CELLS": demo_forecast,
                "EXPOSURE_FIELD": "no_such_field",
                "AREAS": str(demo_city_dir / "census_areas.geojson"),
                "GROUP_FIELDS": GROUPS,
                "OUTPUT": str(tmp_path / "bad.gpkg"),
            },
        )


def test_fairness_frontier_trades_captured_risk_for_equity(demo_city_dir, demo_forecast, tmp_path):
    import processing

    result = processing.run(
        "beatcast:fairnessfrontier",
        {
            "FORECAST": demo_forecast,
            "FIELD": "expected",
            "CANDIDATES": 150,
            "MAX_ZONES": 20,
            "AREAS": str(demo_city_dir / "census_areas.geojson"),
            "GROUP_FIELDS": GROUPS,
            "CAPS": "1.5, 1.25, 1.1, 1.0",
            "OUTPUT": str(tmp_path / "frontier.gpkg"),
            "CHART": str(tmp_path / "frontier.png"),
        },
    )
    frame = gpkg.read_table(tmp_path / "frontier.gpkg", "fairness_frontier")
    assert np.isnan(frame["cap"].iloc[0]) and frame["loss"].iloc[0] == pytest.approx(0.0)
    assert result["WORST_RATIO_UNCONSTRAINED"] == pytest.approx(frame["worst_ratio"].iloc[0])
    feasible = frame[frame["captured"].notna()]
    capped = feasible[feasible["cap"].notna()]
    assert (capped["worst_ratio"] <= capped["cap"] + 1e-6).all()  # every cap holds
    assert (np.diff(feasible["captured"].to_numpy()) <= 1e-9).all()  # tighter caps never capture more
    assert (frame["zones"][frame["captured"].notna()] == 20).all()
    assert (frame["within_policy"] == frame["captured"].notna()).all()  # the default policy sets no cap
    assert (tmp_path / "frontier.png").read_bytes().startswith(b"\x89PNG")


def test_feedback_simulation_runs_away_without_the_correction(tmp_path):
    import processing

    result = processing.run(
        "beatcast:feedbacksimulation",
        {
            "TRUE_RATES": "0.5, 0.4",
            "DAYS": 2000,
            "SEED": 4,
            "OUTPUT": str(tmp_path / "loop.gpkg"),
            "CHART": str(tmp_path / "loop.png"),
        },
    )
    frame = gpkg.read_table(tmp_path / "loop.gpkg", "feedback_loop")
    assert len(frame) == 2 * 2000 and set(frame["area"]) == {1, 2}
    last = frame[frame["day"] == 2000].set_index("area")
    assert last["true_share"].to_numpy() == pytest.approx([0.5 / 0.9, 0.4 / 0.9])
    assert result["FINAL_ERROR_CORRECTED"] < 0.1
    error = np.abs(last["allocation_uncorrected"] - last["true_share"]).sum()
    assert result["FINAL_ERROR_UNCORRECTED"] == pytest.approx(error)
    with pytest.raises(Exception, match="TRUE_RATES"):
        processing.run(
            "beatcast:feedbacksimulation", {"TRUE_RATES": "0.5", "OUTPUT": str(tmp_path / "x.gpkg")}
        )


def test_audit_thresholds_come_from_the_policy_and_cannot_be_loosened(demo_city_dir, demo_forecast, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    document = json.loads(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    document["audit"]["exposure_ratio_max"] = 1.1
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(document), encoding="utf-8")
    params = {
        "CELLS": demo_forecast,
        "EXPOSURE_FIELD": "hotspot_zone",
        "AREAS": str(demo_city_dir / "census_areas.geojson"),
        "GROUP_FIELDS": GROUPS,
        "POLICY": str(policy),
        "OUTPUT": str(tmp_path / "audit.gpkg"),
    }
    result = processing.run("beatcast:biasaudit", params)
    groups = gpkg.read_table(tmp_path / "audit.gpkg", "bias_audit_groups")
    over = groups["exposure_ratio"] > 1.1
    assert over.any() and (groups["flag"].astype(bool) == over).all()  # the policy's 1.1, not 1.25
    assert result["N_FLAGS"] >= over.sum()
    with sqlite3.connect(tmp_path / "audit.gpkg") as con:
        logged = json.loads(con.execute("SELECT parameters_json FROM beatcast_run_log").fetchall()[-1][0])
    assert logged["POLICY_USED"]["audit"]["exposure_ratio_max"] == 1.1
    assert logged["POLICY_USED"]["file"] == str(policy)
    stricter = processing.run("beatcast:biasaudit", {**params, "EXPOSURE_RATIO_MAX": 1.05})
    assert stricter["N_FLAGS"] >= result["N_FLAGS"]
    (tmp_path / "audit.gpkg").unlink()
    with pytest.raises(QgsProcessingException, match=r"audit\.exposure_ratio_max = 1\.1"):
        processing.run("beatcast:biasaudit", {**params, "EXPOSURE_RATIO_MAX": 1.5})
    with pytest.raises(QgsProcessingException, match=r"audit\.disparate_impact_min = 0\.8"):
        processing.run("beatcast:biasaudit", {**params, "DISPARATE_IMPACT_MIN": 0.5})
    assert not (tmp_path / "audit.gpkg").exists()


def test_fairness_frontier_marks_the_policy_cap(demo_city_dir, demo_forecast, tmp_path):
    import processing

    document = json.loads(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    document["patrol"]["exposure_ratio_cap"] = 1.2
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(document), encoding="utf-8")
    processing.run(
        "beatcast:fairnessfrontier",
        {
            "FORECAST": demo_forecast,
            "CANDIDATES": 150,
            "MAX_ZONES": 20,
            "AREAS": str(demo_city_dir / "census_areas.geojson"),
            "GROUP_FIELDS": GROUPS,
            "CAPS": "1.5, 1.1",
            "POLICY": str(policy),
            "OUTPUT": str(tmp_path / "frontier.gpkg"),
        },
    )
    frame = gpkg.read_table(tmp_path / "frontier.gpkg", "fairness_frontier")
    assert frame["cap"].tolist()[1:] == [1.5, 1.2, 1.1]  # the policy's cap is added
    assert (frame["within_policy"] == (frame["worst_ratio"] <= 1.2 + 1e-9)).all()
    assert frame.loc[frame["cap"] == 1.2, "within_policy"].item() == 1

"""beatcast:patrolplan through Processing on the demo city: a kde forecast, stations, roads, districts."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3

import numpy as np
import pytest
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer

from beatcast.core import gpkg
from beatcast.core.policy import DEFAULT_POLICY_PATH


def _params(city, forecast, tmp_path, **extra):
    return {
        "FORECAST": forecast,
        "FIELD": "expected",
        "CANDIDATES": 30,
        "STATIONS": str(city / "stations.geojson"),
        "UNITS": 5,
        "SHIFT_START": "22:00",
        "SHIFT_MINUTES": 240,
        "DWELL_MINUTES": 15,
        "ROADS": str(city / "roads.geojson"),
        "SPEED_FIELD": "speed_kmh",
        "SPLIT_CROSSINGS": True,
        "DISTRICTS": str(city / "districts.geojson"),
        "DISTRICT_FIELD": "district_id",
        "MIN_PER_DISTRICT": 1,
        "ROUTE_TIME_LIMIT": 2,
        "OUTPUT": str(tmp_path / "plan.gpkg"),
        **extra,
    }


def _minutes(clock_text, start=22 * 60):
    hours, minutes = map(int, clock_text.split(":"))
    return (hours * 60 + minutes - start) % (24 * 60)


def test_plan_respects_the_shift_dwell_districts_and_bound(demo_city_dir, demo_forecast, tmp_path):
    import processing

    result = processing.run("beatcast:patrolplan", _params(demo_city_dir, demo_forecast, tmp_path))
    out = tmp_path / "plan.gpkg"
    zones = gpkg.read_table(out, "patrol_zones")
    schedule = gpkg.read_table(out, "patrol_schedule")
    routes = QgsVectorLayer(f"{out}|layername=patrol_routes", "routes", "ogr")
    assert routes.isValid() and routes.featureCount() == 5
    stations = json.loads((demo_city_dir / "stations.geojson").read_text())["features"]
    depots = {f["properties"]["station_id"]: f["geometry"]["coordinates"] for f in stations}
    for feature in routes.getFeatures():
        line = feature.geometry().asPolyline()
        depot = depots[feature["station"]]
        assert line[0].x() == pytest.approx(depot[0]) and line[-1].y() == pytest.approx(depot[1])
        assert _minutes(feature["back"]) <= 240 and len(line) == feature["stops"] + 2
    for _, visits in schedule.groupby("unit"):
        visits = visits.sort_values("stop")
        assert np.allclose(visits["depart_minute"] - visits["arrive_minute"], 15.0)
        assert (visits["arrive_minute"].to_numpy()[1:] >= visits["depart_minute"].to_numpy()[:-1]).all()
        assert visits["depart_minute"].max() <= 240
    visited = zones[zones["visits"] > 0]
    assert set(visited["district"]) == {"D1", "D2", "D3", "D4", "D5"}  # at least one zone per district
    assert result["N_ZONES"] == len(visited) == schedule["zone_rank"].nunique()
    assert result["CAPTURED_EXPECTED"] == pytest.approx(visited["expected"].sum())
    assert result["CAPTURED_EXPECTED"] <= result["UPPER_BOUND"] + 1e-9
    assert result["DWELL_TOTAL_MINUTES"] == pytest.approx(15.0 * len(schedule))
    forecast = gpkg.read_table(demo_forecast.split("|")[0], "forecast_cells")
    assert result["CAPTURED_SHARE"] == pytest.approx(result["CAPTURED_EXPECTED"] / forecast["expected"].sum())
    assert zones["rank"].tolist() == list(range(1, len(zones) + 1))
    assert zones["expected"].is_monotonic_decreasing


def test_excluded_areas_and_straight_line_travel(demo_city_dir, demo_forecast, tmp_path):
    import processing

    forecast = gpkg.read_table(demo_forecast.split("|")[0], "forecast_cells")
    grid = gpkg.read_table(demo_forecast.split("|")[0], "forecast_cells", columns=["cell_id"])
    assert len(grid) == len(forecast)
    layer = QgsVectorLayer(demo_forecast, "cells", "ogr")
    top = next(f for f in layer.getFeatures() if f["rank"] == 1)
    box = top.geometry().boundingBox().buffered(10)
    excluded = tmp_path / "excluded.geojson"
    x0, y0, x1, y1 = box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()
    polygon = {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}
    crs = {"type": "name", "properties": {"name": "EPSG:32616"}}
    feature = {"type": "Feature", "properties": {}, "geometry": polygon}
    excluded.write_text(json.dumps({"type": "FeatureCollection", "crs": crs, "features": [feature]}))
    params = _params(demo_city_dir, demo_forecast, tmp_path, EXCLUDED=str(excluded), MIN_PER_DISTRICT=0)
    params.pop("ROADS")
    params.pop("SPEED_FIELD")
    result = processing.run("beatcast:patrolplan", params)
    zones = QgsVectorLayer(f"{tmp_path / 'plan.gpkg'}|layername=patrol_zones", "zones", "ogr")
    centre = top.geometry().centroid()
    assert result["N_ZONES"] > 0
    assert not any(z.geometry().contains(centre) for z in zones.getFeatures())


def test_infeasible_district_minimum_is_named(demo_city_dir, demo_forecast, tmp_path):
    import processing

    with pytest.raises(QgsProcessingException, match="min_per_district"):
        processing.run(
            "beatcast:patrolplan", _params(demo_city_dir, demo_forecast, tmp_path, MIN_PER_DISTRICT=12)
        )
    assert not (tmp_path / "plan.gpkg").exists()


def test_plan_loads_styled(demo_city_dir, demo_forecast, tmp_path):
    import processing

    project = QgsProject.instance()
    processing.runAndLoadResults("beatcast:patrolplan", _params(demo_city_dir, demo_forecast, tmp_path))
    names = {lyr.source().split("layername=")[-1]: lyr for lyr in project.mapLayers().values()}
    assert names["patrol_zones"].labelsEnabled() and names["patrol_routes"].labelsEnabled()
    project.clear()


def test_fairness_cap_holds_and_costs_captured_risk(demo_city_dir, demo_forecast, tmp_path):
    import processing

    fairness = {
        "AREAS": str(demo_city_dir / "census_areas.geojson"),
        "GROUP_FIELDS": ["pop_group_a", "pop_group_b", "pop_group_c"],
        "MIN_PER_DISTRICT": 0,
        "MAX_ZONES": 12,  # fewer zones than the units can visit: the selection, not the routing, decides
    }
    free = processing.run("beatcast:patrolplan", _params(demo_city_dir, demo_forecast, tmp_path, **fairness))
    assert free["WORST_EXPOSURE_RATIO"] > 1.1  # the riskiest zones sit where one group lives
    cap = round(1.0 + (free["WORST_EXPOSURE_RATIO"] - 1.0) / 2, 3)
    capped = processing.run(
        "beatcast:patrolplan",
        _params(demo_city_dir, demo_forecast, tmp_path / "capped", EXPOSURE_CAP=cap, **fairness),
    )
    assert capped["N_ZONES"] == 12  # every chosen zone is visited once, so the plan's exposure is the MILP's
    assert capped["WORST_EXPOSURE_RATIO"] <= cap + 1e-9
    assert capped["CAPTURED_EXPECTED"] <= free["CAPTURED_EXPECTED"] + 1e-9


def _policy(tmp_path, **patrol):
    document = json.loads(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    document["patrol"].update(patrol)
    path = tmp_path / "agency_policy.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_policy_fills_empty_settings_refuses_looser_ones_and_is_logged(
    demo_city_dir, demo_forecast, tmp_path
):
    import processing

    policy = _policy(tmp_path, min_zones_per_district=2, dwell_minutes=20, shift_minutes=300)
    params = _params(demo_city_dir, demo_forecast, tmp_path, POLICY=str(policy), CANDIDATES=80)
    for name in ("MIN_PER_DISTRICT", "DWELL_MINUTES", "SHIFT_MINUTES"):
        del params[name]
    processing.run("beatcast:patrolplan", params)
    out = tmp_path / "plan.gpkg"
    zones = gpkg.read_table(out, "patrol_zones")
    schedule = gpkg.read_table(out, "patrol_schedule")
    visited = zones[zones["visits"] > 0]
    assert visited.groupby("district").size().min() >= 2  # the policy's minimum per district
    assert visited["district"].nunique() == 5
    assert np.allclose(schedule["depart_minute"] - schedule["arrive_minute"], 20.0)  # the policy's dwell
    assert schedule["depart_minute"].max() <= 300
    with sqlite3.connect(out) as con:
        logged = json.loads(con.execute("SELECT parameters_json FROM beatcast_run_log").fetchall()[-1][0])
    used = logged["POLICY_USED"]
    assert used["file"] == str(policy) and used["sha256"] == hashlib.sha256(policy.read_bytes()).hexdigest()
    assert used["patrol"]["min_zones_per_district"] == 2

    out.unlink()
    for looser, rule in (
        ({"MIN_PER_DISTRICT": 1}, "patrol.min_zones_per_district = 2"),
        ({"EXPOSURE_CAP": 0}, "patrol.exposure_ratio_cap = 1.3"),
        ({"EXPOSURE_CAP": 1.5}, "patrol.exposure_ratio_cap = 1.3"),
    ):
        capped = _policy(tmp_path, min_zones_per_district=2, exposure_ratio_cap=1.3)
        with pytest.raises(QgsProcessingException, match=re.escape(rule)):
            processing.run("beatcast:patrolplan", {**params, "POLICY": str(capped), **looser})
        assert not out.exists()
    with pytest.raises(QgsProcessingException, match="needs AREAS and GROUP_FIELDS"):
        processing.run("beatcast:patrolplan", {**params, "POLICY": str(capped)})

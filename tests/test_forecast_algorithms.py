"""beatcast:forecastrisk and beatcast:backtest through Processing, on the demo city (weekly cube)."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsProcessingException, QgsProject, QgsRasterLayer, QgsVectorLayer

from beatcast.core import gpkg
from beatcast.core.policy import load_policy

CELL = 250


def _params(store, tmp_path, **extra):
    return {
        "CUBE": str(store),
        "CUBE_NAME": "weekly",
        "GRID": f"{store}|layername=grid",
        "OUTPUT": str(tmp_path / "forecast.gpkg"),
        "EXPECTED_RASTER": str(tmp_path / "expected.tif"),
        "LOWER_RASTER": str(tmp_path / "lower.tif"),
        "UPPER_RASTER": str(tmp_path / "upper.tif"),
        **extra,
    }


def _model(name):
    from beatcast.core.forecasting import MODELS

    return MODELS.index(name)


def test_forecast_writes_cells_zones_rasters_and_summary(demo_cube, tmp_path):
    import processing

    result = processing.run("beatcast:forecastrisk", _params(demo_cube, tmp_path, MODEL=_model("kde")))
    out = tmp_path / "forecast.gpkg"
    cells = gpkg.read_table(out, "forecast_cells")
    grid = gpkg.read_table(demo_cube, "grid", columns=["cell_id", "centroid_x", "centroid_y", "area_m2"])
    assert cells["cell_id"].tolist() == grid["cell_id"].tolist()
    assert (cells["lower_90"] <= cells["expected"] + 1e-9).all()
    assert (cells["upper_90"] >= np.floor(cells["expected"])).all()
    assert sorted(cells["rank"]) == list(range(1, len(cells) + 1))
    top = cells.loc[cells["rank"] == 1].iloc[0]
    assert top["expected"] == cells["expected"].max() and top["percentile"] == 100.0
    assert result["FORECAST_TOTAL"] == pytest.approx(cells["expected"].sum())
    assert result["MODEL_USED"] == "kde"
    # Hotspot zones: dissolved polygons whose areas and expected counts add up from their cells.
    zones = QgsVectorLayer(f"{out}|layername=forecast_hotspots", "zones", "ogr")
    assert zones.isValid() and zones.featureCount() == result["N_HOTSPOT_ZONES"] > 0
    by_zone = cells[cells["hotspot_zone"] > 0].groupby("hotspot_zone")["expected"].sum()
    areas = grid["area_m2"].groupby(cells["hotspot_zone"].to_numpy()).sum()
    for feature in zones.getFeatures():
        zone = feature["zone"]
        assert feature["expected"] == pytest.approx(by_zone[zone])
        assert feature.geometry().area() == pytest.approx(areas[zone], rel=1e-6)
    flagged_share = grid["area_m2"][cells["hotspot_zone"] > 0].sum() / grid["area_m2"].sum()
    assert 0.05 <= flagged_share < 0.06
    assert result["HOTSPOT_SHARE"] == pytest.approx(by_zone.sum() / cells["expected"].sum())
    # Rasters: the pixel under each cell centre holds that cell's value.
    dataset = gdal.Open(str(tmp_path / "expected.tif"))
    band = dataset.GetRasterBand(1).ReadAsArray()
    x0, dx, _, y0, _, dy = dataset.GetGeoTransform()
    assert dx == CELL and dy == -CELL
    cols = ((grid["centroid_x"] - x0) / dx).astype(int)
    rows = ((grid["centroid_y"] - y0) / dy).astype(int)
    full = (grid["area_m2"] > CELL * CELL * 0.999).to_numpy()  # a clipped cell's centroid may sit elsewhere
    assert np.allclose(band[rows[full], cols[full]], cells["expected"][full], rtol=1e-6)
    upper_dataset = gdal.Open(str(tmp_path / "upper.tif"))  # keep the dataset alive while reading its band
    upper = upper_dataset.GetRasterBand(1).ReadAsArray()
    assert np.allclose(upper[rows[full], cols[full]], cells["upper_90"][full])
    summary = dict(gpkg.read_table(out, "forecast_summary")[["key", "value"]].to_numpy())
    assert summary["model"] == "kde" and summary["horizon bins"] == "1"
    assert summary["forecast from (local)"] == "2024-12-30 00:00"
    assert summary["forecast to (local)"] == "2025-01-06 00:00"
    with sqlite3.connect(out) as con:
        logged = con.execute("SELECT algorithm, parameters_json FROM beatcast_run_log").fetchall()
    assert logged[-1][0] == "beatcast:forecastrisk"
    used = json.loads(logged[-1][1])["POLICY_USED"]
    assert used["sha256"] == load_policy().sha256 and used["audit"]["exposure_ratio_max"] == 1.25


def test_forecast_from_inside_the_cube_scores_itself(demo_cube, tmp_path):
    import processing

    result = processing.run(
        "beatcast:forecastrisk",
        _params(demo_cube, tmp_path, MODEL=_model("naive_long_run"), HORIZON=3, ORIGIN="2024-09-02"),
    )
    cells = gpkg.read_table(tmp_path / "forecast.gpkg", "forecast_cells")
    assert "observed" in cells and cells["observed"].sum() > 0
    summary = dict(
        gpkg.read_table(tmp_path / "forecast.gpkg", "forecast_summary")[["key", "value"]].to_numpy()
    )
    assert summary["horizon bins"] == "4" and float(summary["observed pai@5"]) > 1.0
    assert 0.8 < result["CALIBRATION_COVERAGE"] < 1.0


def test_prohibited_covariates_are_refused_and_nothing_is_written(demo_cube, tmp_path):
    import processing

    params = _params(
        demo_cube,
        tmp_path,
        MODEL=_model("kde"),
        COVARIATES=f"{demo_cube}|layername=cell_covariates",
        FEATURES=["dist_pois_bar", "census_areas_pop_group_a"],
    )
    with pytest.raises(QgsProcessingException, match="census_areas_pop_group_a.*prohibited"):
        processing.run("beatcast:forecastrisk", params)
    params["FEATURES"] = []  # every numeric field: the group shares are among them
    with pytest.raises(QgsProcessingException, match="census_areas_pop_group_b"):
        processing.run("beatcast:forecastrisk", params)
    params["FEATURES"] = ["dist_pois_bar", "census_areas_pop_total"]
    params["PROHIBITED_FIELDS"] = "census_areas_pop_total"
    with pytest.raises(QgsProcessingException, match='"census_areas_pop_total"'):
        processing.run("beatcast:forecastrisk", params)
    assert not (tmp_path / "forecast.gpkg").exists() and not (tmp_path / "expected.tif").exists()


def test_forecast_refuses_a_bad_horizon_and_origin(demo_cube, tmp_path):
    import processing

    with pytest.raises(QgsProcessingException, match="HORIZON"):
        processing.run("beatcast:forecastrisk", _params(demo_cube, tmp_path, MODEL=_model("kde"), HORIZON=1))
    with pytest.raises(QgsProcessingException, match="ORIGIN"):
        processing.run("beatcast:forecastrisk", _params(demo_cube, tmp_path, ORIGIN="2030-01-01"))


def test_forecast_outputs_load_styled(demo_cube, tmp_path):
    import processing

    project = QgsProject.instance()
    processing.runAndLoadResults("beatcast:forecastrisk", _params(demo_cube, tmp_path, MODEL=_model("kde")))
    layers = {lyr.source(): lyr for lyr in project.mapLayers().values()}
    cells = [lyr for s, lyr in layers.items() if s.endswith("layername=forecast_cells")]
    zones = [lyr for s, lyr in layers.items() if s.endswith("layername=forecast_hotspots")]
    rasters = [lyr for lyr in layers.values() if isinstance(lyr, QgsRasterLayer)]
    assert len(cells) == 1 and cells[0].renderer().type() == "graduatedSymbol"
    assert len(zones) == 1 and zones[0].labelsEnabled()
    assert len(rasters) == 3 and all(r.renderer().type() == "singlebandpseudocolor" for r in rasters)
    project.clear()


def test_backtest_tables_chart_and_best_model(demo_cube, tmp_path):
    import processing

    names = ["naive_recent", "naive_long_run", "kde", "prospective"]
    result = processing.run(
        "beatcast:backtest",
        {
            "CUBE": str(demo_cube),
            "CUBE_NAME": "weekly",
            "GRID": f"{demo_cube}|layername=grid",
            "MODELS": [_model(n) for n in names],
            "PERIODS": 6,
            "CALIBRATION_ORIGINS": 4,
            "OUTPUT": str(tmp_path / "bt.gpkg"),
            "CHART": str(tmp_path / "pai.png"),
        },
    )
    periods = gpkg.read_table(tmp_path / "bt.gpkg", "backtest_periods")
    summary = gpkg.read_table(tmp_path / "bt.gpkg", "backtest_summary")
    assert len(periods) == 6 * len(names) and sorted(summary["model"]) == sorted(names)
    for key in ("hit@5", "pai@1", "pei*@20", "rri@10", "log_score", "interval_coverage"):
        assert periods[key].notna().all(), key
    best = summary.sort_values("pai@5", ascending=False).iloc[0]
    assert result["BEST_MODEL"] == best["model"] and result["BEST_PAI_5"] == pytest.approx(best["pai@5"])
    assert result["BEST_PAI_5"] > 1.0 and 0.0 < result["BEST_PEI_5"] <= 1.0
    chart = (tmp_path / "pai.png").read_bytes()
    assert chart.startswith(b"\x89PNG") and len(chart) > 10_000


POI_FEATURES = ["dist_pois_bar", "count_pois_bar_300m", "dist_pois_transit_stop", "count_pois_school_300m"]


@pytest.mark.parametrize("model", ["boosted", "sepp", "ensemble"])
def test_learned_models_forecast_and_explain(demo_cube, tmp_path, model):
    import processing

    params = _params(
        demo_cube,
        tmp_path,
        MODEL=_model(model),
        COVARIATES=f"{demo_cube}|layername=cell_covariates",
        FEATURES=POI_FEATURES,
        CALIBRATION_ORIGINS=4,
        ORIGIN="2024-10-07",
        SEED=3,
    )
    result = processing.run("beatcast:forecastrisk", params)
    out = tmp_path / "forecast.gpkg"
    cells = gpkg.read_table(out, "forecast_cells")
    summary = dict(gpkg.read_table(out, "forecast_summary")[["key", "value"]].to_numpy())
    assert result["MODEL_USED"] == model and cells["expected"].sum() > 0
    assert float(summary["observed pai@5"]) > 2.0  # the forecast finds where next week's incidents are
    assert 0.85 <= float(summary["observed pit_coverage"]) <= 0.95
    top = cells.sort_values("rank").iloc[0]
    if model == "boosted":
        assert any(f in top["explanation"] for f in POI_FEATURES + ["lag_mean", "nbr_mean"])
        assert summary["covariates"] == ", ".join(POI_FEATURES)
    elif model == "sepp":
        assert "self-excitation" in top["explanation"]
    else:
        assert top["explanation"].startswith("weights: ") and "weights" in summary
        weights = dict(part.rsplit(" ", 1) for part in summary["weights"].split(", "))
        assert sum(float(w) for w in weights.values()) == pytest.approx(1.0, abs=1e-3)
    again = tmp_path / "again"
    again.mkdir()
    processing.run(
        "beatcast:forecastrisk",
        _params(demo_cube, again, **{k: v for k, v in params.items() if k not in _params(demo_cube, again)}),
    )
    repeat = gpkg.read_table(again / "forecast.gpkg", "forecast_cells")
    assert np.array_equal(repeat["expected"].to_numpy(), cells["expected"].to_numpy())  # deterministic

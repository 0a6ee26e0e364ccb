"""The shipped Processing models (models/*.model3): they load into the BeatCast provider, they are what
models/build_models.py writes, and they run on the demo city through Processing and through qgis_process.

Settings are the smallest that exercise every step (250 m cells, KDE, 20 candidate zones, 1 s of routing,
no backtest), so the module takes about a minute and a half."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from algorithm_ids import EXPECTED_ALGORITHM_CLASS_IDS, EXPECTED_MODEL_IDS
from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingModelAlgorithm

from beatcast.core.forecasting import MODELS

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
MODEL_NAMES = [model_id.split(":", 1)[1] for model_id in EXPECTED_MODEL_IDS]
PIPELINE_TABLES = {
    "incidents", "rejected_rows", "grid", "cell_counts", "forecast_cells", "forecast_hotspots",
    "patrol_zones", "patrol_routes", "patrol_schedule", "bias_audit_areas", "bias_audit_groups",
    "beatcast_run_log",
}  # fmt: skip
GROUPS = ["pop_group_a", "pop_group_b", "pop_group_c"]


def import_inputs(city: Path) -> dict:
    exports = city / "exports"
    return {
        "EXPORT_FILES": [str(exports / f) for f in ("rms_reports.csv", "cad_calls.csv", "calls_911.csv")],
        "SOURCE_CRS": "EPSG:32616",
        "TIMEZONE": "America/Chicago",
        "BOUNDARY": str(city / "boundary.geojson"),
        "CATEGORY_MAP": str(exports / "category_map.csv"),
        "CELL_SIZE": 250,
        "DISTRICTS": str(city / "districts.geojson"),
        "DISTRICT_FIELD": "district_id",
    }


def plan_inputs(city: Path) -> dict:
    return {
        "MODEL": MODELS.index("kde"),
        "HOTSPOT_AREA": 5,
        "STATIONS": str(city / "stations.geojson"),
        "ROADS": str(city / "roads.geojson"),
        "SPEED_FIELD": "speed_kmh",
        "CANDIDATES": 20,
        "UNITS": 4,
        "SHIFT_START": "22:00",
        "ROUTE_TIME_LIMIT": 1,
        "MIN_PER_DISTRICT": 1,
        "DISTRICTS": str(city / "districts.geojson"),
        "DISTRICT_FIELD": "district_id",
        "CENSUS_AREAS": str(city / "census_areas.geojson"),
        "GROUP_FIELDS": GROUPS,
    }


def pipeline_parameters(city: Path, gpkg: Path) -> dict:
    return {
        **import_inputs(city),
        **plan_inputs(city),
        "START_DATE": "2023-01-02",
        "END_DATE": "2024-12-30",
        "RUN_BACKTEST": False,
        "GEOPACKAGE": str(gpkg),
    }


def forecast_and_plan_parameters(city: Path, gpkg: Path) -> dict:
    return {
        **plan_inputs(city),
        "GEOPACKAGE": str(gpkg),
        "CUBE_NAME": "weekly",
        "GRID": f"{gpkg}|layername=grid",
        "INCIDENTS": f"{gpkg}|layername=incidents",
    }


def import_and_grid_parameters(city: Path, gpkg: Path) -> dict:
    return {**import_inputs(city), "GEOPACKAGE": str(gpkg)}


PARAMETERS = {
    "beatcast_pipeline": pipeline_parameters,
    "beatcast_forecast_and_plan": forecast_and_plan_parameters,
    "beatcast_import_and_grid": import_and_grid_parameters,
}


def tables(gpkg: Path) -> set[str]:
    with sqlite3.connect(gpkg) as con:
        return {row[0] for row in con.execute("SELECT table_name FROM gpkg_contents")}


def count(gpkg: Path, table: str) -> int:
    with sqlite3.connect(gpkg) as con:
        return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def run_log(gpkg: Path) -> list[str]:
    with sqlite3.connect(gpkg) as con:
        return [row[0] for row in con.execute("SELECT algorithm FROM beatcast_run_log ORDER BY rowid")]


@pytest.fixture(scope="module")
def pipeline_store(beatcast_provider, demo_city_dir, tmp_path_factory):
    """The pipeline model run once through processing.run on the demo city: (GeoPackage, results, seconds)."""
    import processing

    gpkg = tmp_path_factory.mktemp("model_pipeline") / "city.gpkg"
    started = time.perf_counter()
    results = processing.run("beatcast:beatcast_pipeline", pipeline_parameters(demo_city_dir, gpkg))
    return gpkg, results, time.perf_counter() - started


def test_shipped_model_files_are_the_expected_ids():
    assert sorted(f"beatcast:{p.stem}" for p in MODELS_DIR.glob("*.model3")) == EXPECTED_MODEL_IDS


def test_provider_lists_algorithms_and_models(beatcast_provider):
    ids = {a.id() for a in beatcast_provider.algorithms()}
    assert ids == set(EXPECTED_ALGORITHM_CLASS_IDS) | set(EXPECTED_MODEL_IDS)
    models = [a for a in beatcast_provider.algorithms() if isinstance(a, QgsProcessingModelAlgorithm)]
    assert sorted(m.id() for m in models) == EXPECTED_MODEL_IDS


def test_models_are_what_the_generator_writes(beatcast_provider, tmp_path):
    """A parameter added or renamed in an algorithm shows up here: run models/build_models.py."""
    from beatcast.models import build_models

    for path in build_models.build_all(tmp_path):
        shipped = (MODELS_DIR / path.name).read_text(encoding="utf-8")
        assert build_models.canonical(shipped) == build_models.canonical(path.read_text(encoding="utf-8")), (
            f"{path.name} is stale: run /usr/bin/python3 models/build_models.py"
        )


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_model_loads_and_accepts_the_demo_parameters(pipeline_store, demo_city_dir, name):
    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(str(MODELS_DIR / f"{name}.model3"))
    assert model.name() == name
    assert model.group() == "BeatCast"
    assert "<p>" in model.shortHelpString()
    assert model.validate()[0], model.validate()[1]
    registered = QgsApplication.processingRegistry().algorithmById(f"beatcast:{name}")
    assert registered is not None and registered.provider().id() == "beatcast"
    can_execute, why = registered.canExecute()
    assert can_execute, why
    for definition in registered.parameterDefinitions():
        assert definition.name() == definition.name().upper(), definition.name()
    gpkg, _, _ = pipeline_store  # an existing grid and incidents layer for the layer inputs
    ok, message = registered.checkParameterValues(
        PARAMETERS[name](demo_city_dir, gpkg), QgsProcessingContext()
    )
    assert ok, message


def test_pipeline_through_processing(pipeline_store):
    gpkg, results, seconds = pipeline_store
    child = results["CHILD_RESULTS"]
    assert child["import"]["ACCEPTED"] > 20_000
    assert count(gpkg, "incidents") == child["import"]["ACCEPTED"]
    assert PIPELINE_TABLES <= tables(gpkg)
    assert not {t for t in tables(gpkg) if t.startswith("backtest")}  # RUN_BACKTEST off: branch skipped
    assert "backtest" not in child
    n_cells = child["grid"]["N_CELLS"]
    assert count(gpkg, "grid") == n_cells == count(gpkg, "forecast_cells") > 1000
    assert child["weekly"]["N_BINS"] == 104
    assert child["forecast"]["MODEL_USED"] == "kde"
    assert 0 < child["patrol"]["N_ZONES"] <= 20
    assert count(gpkg, "patrol_zones") > 0 and count(gpkg, "patrol_schedule") > 0
    assert count(gpkg, "bias_audit_groups") == len(GROUPS)
    assert run_log(gpkg) == [
        "beatcast:importincidents", "beatcast:buildgrid", "beatcast:aggregateincidents",
        "beatcast:forecastrisk", "beatcast:patrolplan", "beatcast:biasaudit",
    ]  # fmt: skip
    # Side files are named after the GeoPackage.
    for suffix in (".weekly.cube.npz", "_forecast_expected.tif", "_forecast_upper90.tif", "_bias_audit.html"):
        assert (gpkg.parent / f"city{suffix}").is_file(), suffix
    print(f"pipeline model through processing.run: {seconds:.1f} s")


def test_forecast_and_plan_through_processing(pipeline_store, demo_city_dir, tmp_path):
    import processing

    source, _, _ = pipeline_store
    gpkg = tmp_path / source.name  # the cube record names its counts file: keep both names
    shutil.copyfile(source, gpkg)
    shutil.copyfile(source.parent / "city.weekly.cube.npz", tmp_path / "city.weekly.cube.npz")
    before = run_log(gpkg)
    results = processing.run(
        "beatcast:beatcast_forecast_and_plan", forecast_and_plan_parameters(demo_city_dir, gpkg)
    )
    child = results["CHILD_RESULTS"]
    assert run_log(gpkg)[len(before) :] == [
        "beatcast:forecastrisk",
        "beatcast:patrolplan",
        "beatcast:biasaudit",
    ]
    assert child["forecast"]["OUTPUT"] == f"{gpkg}|layername=forecast_cells"
    assert count(gpkg, "forecast_cells") == count(gpkg, "grid")
    assert count(gpkg, "patrol_zones") > 0
    assert count(gpkg, "bias_audit_groups") == len(GROUPS)
    assert (tmp_path / "city_bias_audit.html").is_file() and (
        tmp_path / "city_forecast_expected.tif"
    ).is_file()


def test_import_and_grid_through_processing(beatcast_provider, demo_city_dir, tmp_path):
    import processing

    gpkg = tmp_path / "prepared.gpkg"
    results = processing.run(
        "beatcast:beatcast_import_and_grid", import_and_grid_parameters(demo_city_dir, gpkg)
    )
    child = results["CHILD_RESULTS"]
    assert count(gpkg, "incidents") == child["import"]["ACCEPTED"] > 20_000
    assert count(gpkg, "grid") == count(gpkg, "cell_counts") == child["grid"]["N_CELLS"]
    assert child["daily"]["N_BINS"] > 700  # two years of days
    assert (tmp_path / "prepared.daily.cube.npz").is_file()
    assert run_log(gpkg) == ["beatcast:importincidents", "beatcast:buildgrid", "beatcast:aggregateincidents"]


@pytest.mark.qgis_process
def test_pipeline_through_qgis_process(qgis_process_run, pipeline_store, demo_city_dir, tmp_path):
    """The pipeline as an analyst's script runs it; it matches the processing.run result table by table."""
    gpkg = tmp_path / "cli.gpkg"
    started = time.perf_counter()
    answer = qgis_process_run("beatcast:beatcast_pipeline", pipeline_parameters(demo_city_dir, gpkg))
    seconds = time.perf_counter() - started
    assert answer["algorithm_details"]["id"] == "beatcast:beatcast_pipeline"
    # QGIS 3.22 models only return outputs of children marked as model outputs: the tables are the result.
    assert PIPELINE_TABLES <= tables(gpkg)
    reference, _, _ = pipeline_store
    for table in ("incidents", "grid", "forecast_cells", "patrol_zones", "bias_audit_groups"):
        assert count(gpkg, table) == count(reference, table) > 0, table
    assert count(gpkg, "incidents") > 20_000
    assert run_log(gpkg)[-1] == "beatcast:biasaudit"
    assert (tmp_path / "cli_bias_audit.html").is_file()
    print(f"pipeline model through qgis_process: {seconds:.1f} s")

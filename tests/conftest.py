"""Shared test set-up for BeatCast (pytest with pytest-qgis; `make test` runs it headless).

The checkout is imported as the package ``beatcast`` whatever its folder is called: a temporary folder
holding a symlink ``beatcast -> repository root`` goes at the front of sys.path when this conftest is
imported, before any test module, so ``from beatcast.core import ...`` works everywhere.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("BEATCAST_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
DEMO_SEED = 20240101


def _link_checkout_as_beatcast() -> Path:
    link_parent = Path(tempfile.mkdtemp(prefix="beatcast-import-"))
    link = link_parent / "beatcast"
    link.symlink_to(REPO_ROOT, target_is_directory=True)

    def _remove() -> None:
        with contextlib.suppress(OSError):
            link.unlink()  # the link only, never the checkout it points at
            link_parent.rmdir()

    atexit.register(_remove)
    sys.path.insert(0, str(link_parent))
    return link


BEATCAST_LINK = _link_checkout_as_beatcast()

from qgis_process_utils import qgis_process_executable, run_algorithm, run_qgis_process  # noqa: E402


def pytest_report_header(config):
    lines = []
    try:
        from osgeo import gdal
        from qgis.core import Qgis
        from qgis.PyQt.QtCore import QT_VERSION_STR

        lines.append(f"QGIS {Qgis.QGIS_VERSION}, GDAL {gdal.__version__}, Qt {QT_VERSION_STR}")
    except ImportError as error:  # the header must never stop the run
        lines.append(f"QGIS not importable: {error}")
    import numpy
    import pandas

    lines.append(f"numpy {numpy.__version__} ({numpy.__file__}), pandas {pandas.__version__}")
    lines.append(f"beatcast package: {BEATCAST_LINK} -> {REPO_ROOT}")
    lines.append(f"shared data: {SHARED_DATA if SHARED_DATA.is_dir() else 'absent (real-data tests skip)'}")
    return lines


@pytest.fixture(scope="session", autouse=True)
def _release_qgis_objects_before_qgis_exits(qgis_app):
    """Frees Python-owned QGIS objects (contexts, layers) while QGIS is still up.

    A failed processing.run leaves them in reference cycles (the traceback's frames), and pytest keeps the
    last failure in sys.last_*. Collected after pytest-qgis's exitQgis, their C++ destructors segfault the
    interpreter at the end of an otherwise finished run (seen once here, inside the terminal summary)."""
    yield
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, name):
            delattr(sys, name)
    gc.collect()


@pytest.fixture(scope="session")
def beatcast_plugin(qgis_processing, qgis_iface):
    """The plugin object, loaded like QGIS does (classFactory with an iface) with its provider registered."""
    from beatcast import classFactory
    from beatcast.processing_provider.provider import algorithm_classes

    # Import the algorithms first: an ImportError raised inside the provider's loadAlgorithms (a C++
    # virtual) aborts the whole Python process on QGIS 3.22; here it fails the tests that need the plugin.
    algorithm_classes()
    plugin = classFactory(qgis_iface)
    plugin.initProcessing()
    yield plugin
    plugin.unload()


@pytest.fixture(scope="session")
def beatcast_provider(beatcast_plugin):
    """The registered BeatCast Processing provider (id ``beatcast``)."""
    from qgis.core import QgsApplication

    provider = QgsApplication.processingRegistry().providerById("beatcast")
    assert provider is not None, "the beatcast provider is not registered"
    return provider


@pytest.fixture
def shared_data() -> Path:
    """../shared/data (real police data); the test is skipped where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data not present: real-data test skipped")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_city_dir(tmp_path_factory) -> Path:
    """The seeded demo city (boundary.geojson, exports/*.csv, truth/*.csv), written once per session."""
    from beatcast.core.demo_city import write_demo_city

    folder = tmp_path_factory.mktemp("demo_city")
    write_demo_city(folder, seed=DEMO_SEED)
    return folder


@pytest.fixture(scope="session")
def qgis_process_env(tmp_path_factory) -> Path:
    """A throwaway qgis_process environment with BeatCast enabled, shared by the session's runs."""
    if qgis_process_executable() is None:
        pytest.skip("qgis_process is not installed (make setup)")
    env_dir = tmp_path_factory.mktemp("qgis_process_env")
    run_qgis_process(["plugins"], env_dir, timeout=120)  # prepares the folder and enables the plugin once
    return env_dir


@pytest.fixture(scope="session")
def qgis_process_run(qgis_process_env):
    """run(algorithm_id, {PARAM: value or [values]}) -> qgis_process's parsed --json answer."""

    def run(algorithm_id: str, parameters: dict, timeout: float = 600) -> dict:
        return run_algorithm(algorithm_id, parameters, qgis_process_env, timeout=timeout)

    return run


def demo_import_parameters(city: Path, output: Path) -> dict:
    """beatcast:importincidents parameters for the demo city's three exports (as `make demo` runs it)."""
    exports = city / "exports"
    return {
        "INPUT_FILES": [str(exports / f) for f in ("rms_reports.csv", "cad_calls.csv", "calls_911.csv")],
        "SOURCE_CRS": "EPSG:32616",
        "TIMEZONE": "America/Chicago",
        "BOUNDARY": str(city / "boundary.geojson"),
        "CATEGORY_MAP": str(exports / "category_map.csv"),
        "MERGE_WITHIN_SOURCE": True,
        "OUTPUT": str(output),
    }


@pytest.fixture(scope="session")
def demo_import_params():
    """demo_import_parameters(city, output), as a fixture for test modules."""
    return demo_import_parameters


@pytest.fixture(scope="session")
def demo_cube(beatcast_provider, demo_city_dir, tmp_path_factory):
    """The demo city imported, on a 250 m grid (with districts), counted into a weekly cube, with POI and
    census covariates: one GeoPackage, built once per session for the forecasting and patrol tests."""
    import processing

    store = tmp_path_factory.mktemp("forecast") / "demo.gpkg"
    processing.run("beatcast:importincidents", demo_import_parameters(demo_city_dir, store))
    processing.run(
        "beatcast:buildgrid",
        {
            "BOUNDARY": str(demo_city_dir / "boundary.geojson"),
            "CELL_SIZE": 250,
            "LABELS": str(demo_city_dir / "districts.geojson"),
            "LABEL_FIELDS": ["district_id"],
            "OUTPUT": str(store),
        },
    )
    processing.run(
        "beatcast:aggregateincidents",
        {
            "INCIDENTS": f"{store}|layername=incidents",
            "GRID": f"{store}|layername=grid",
            "UNIT": 3,
            "START_DATE": "2023-01-02",
            "END_DATE": "2024-12-30",
            "CUBE_NAME": "weekly",
            "OUTPUT": str(store),
        },
    )
    processing.run(
        "beatcast:cellcovariates",
        {
            "GRID": f"{store}|layername=grid",
            "POINT_LAYERS": [str(demo_city_dir / "pois.geojson")],
            "POINT_GROUP_FIELD": "kind",
            "RADIUS": 300,
            "POLYGONS": str(demo_city_dir / "census_areas.geojson"),
            "EXTENSIVE_FIELDS": ["pop_total", "pop_group_a", "pop_group_b"],
            "OUTPUT": str(store),
        },
    )
    return store


@pytest.fixture(scope="session")
def demo_forecast(demo_cube, tmp_path_factory):
    """A KDE forecast of the week after the demo cube, hotspot zones on 10 % of the area: the forecast cells
    layer (for the patrol and audit tests)."""
    import processing

    from beatcast.core.forecasting import MODELS

    out = tmp_path_factory.mktemp("demo_forecast")
    processing.run(
        "beatcast:forecastrisk",
        {
            "CUBE": str(demo_cube),
            "CUBE_NAME": "weekly",
            "GRID": f"{demo_cube}|layername=grid",
            "MODEL": MODELS.index("kde"),
            "HOTSPOT_AREA": 10,
            "OUTPUT": str(out / "forecast.gpkg"),
            "EXPECTED_RASTER": str(out / "e.tif"),
            "LOWER_RASTER": str(out / "l.tif"),
            "UPPER_RASTER": str(out / "u.tif"),
        },
    )
    return f"{out / 'forecast.gpkg'}|layername=forecast_cells"


@pytest.fixture(scope="session")
def demo_plan(demo_city_dir, demo_forecast, tmp_path_factory):
    """A copy of the session forecast with a patrol plan written into it (5 units over the roads, a zone per
    district at least): the GeoPackage the map pack, approval and dock tests copy before changing it."""
    import shutil

    import processing

    plan = tmp_path_factory.mktemp("demo_plan") / "plan.gpkg"
    shutil.copyfile(demo_forecast.split("|")[0], plan)
    processing.run("beatcast:patrolplan", {
        "FORECAST": f"{plan}|layername=forecast_cells", "FIELD": "expected", "CANDIDATES": 30,
        "STATIONS": str(demo_city_dir / "stations.geojson"), "UNITS": 5, "SHIFT_START": "22:00",
        "SHIFT_MINUTES": 240, "DWELL_MINUTES": 15, "ROADS": str(demo_city_dir / "roads.geojson"),
        "SPEED_FIELD": "speed_kmh", "SPLIT_CROSSINGS": True,
        "DISTRICTS": str(demo_city_dir / "districts.geojson"), "DISTRICT_FIELD": "district_id",
        "MIN_PER_DISTRICT": 1, "ROUTE_TIME_LIMIT": 2, "OUTPUT": str(plan),
    })  # fmt: skip
    return plan


EXPORTS = {"rms_reports": "rms", "cad_calls": "cad", "calls_911": "911"}  # file stem -> truth's source


def write_export_rows(source: Path, target: Path, keep) -> None:
    """The export's header and the data rows whose numbers (1-based) are in ``keep``, bytes unchanged: a
    daily file cut from the demo city's exports."""
    lines = source.read_bytes().splitlines(keepends=True)
    target.write_bytes(b"".join([lines[0], *(lines[i] for i in sorted(keep) if i < len(lines))]))

"""The watch dock: polls a folder, appends new exports, re-scores drift, alerts on the main message bar."""

from __future__ import annotations

import shutil
import sqlite3
import time

import pandas as pd
import pytest
from conftest import EXPORTS, write_export_rows
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtWidgets import QPushButton

SPLIT = pd.Timestamp("2024-06-01")


@pytest.fixture(scope="module")
def watched(demo_city_dir, demo_import_params, beatcast_provider, tmp_path_factory):
    """A store with history before SPLIT, a daily cube to SPLIT, a 28-day naive forecast from SPLIT, and
    day1/ holding the three exports' rows of SPLIT (test_append_algorithm.py's split, day 1 only)."""
    import processing

    from beatcast.core.forecasting import HORIZONS, MODELS

    root = tmp_path_factory.mktemp("watch")
    history, day1 = root / "history", root / "day1"
    history.mkdir()
    day1.mkdir()
    truth = pd.read_csv(demo_city_dir / "truth" / "export_truth.csv", dtype=str, keep_default_na=False)
    when = pd.read_csv(demo_city_dir / "truth" / "incidents_truth.csv", dtype=str, keep_default_na=False)
    truth["day"] = truth["incident_key"].map(
        dict(zip(when["incident_key"], pd.to_datetime(when["occurred_local"]).dt.normalize()))
    )
    for name, short in EXPORTS.items():
        rows = truth[truth["source"] == short]
        number = rows["row_number"].astype(int)
        source = demo_city_dir / "exports" / f"{name}.csv"
        write_export_rows(source, history / f"{name}.csv", set(number[rows["day"] < SPLIT]))
        write_export_rows(source, day1 / f"{name}_{SPLIT:%Y-%m-%d}.csv", set(number[rows["day"] == SPLIT]))
    store = root / "store.gpkg"
    params = demo_import_params(demo_city_dir, store)
    params["INPUT_FILES"] = [str(history / f"{n}.csv") for n in EXPORTS]
    processing.run("beatcast:importincidents", params)
    processing.run("beatcast:buildgrid", {"BOUNDARY": str(demo_city_dir / "boundary.geojson"),
                                          "CELL_SIZE": 250, "OUTPUT": str(store)})  # fmt: skip
    processing.run(
        "beatcast:aggregateincidents",
        {"INCIDENTS": f"{store}|layername=incidents", "GRID": f"{store}|layername=grid", "UNIT": 2,
         "START_DATE": "2024-01-01", "END_DATE": "2024-06-01", "CUBE_NAME": "daily", "OUTPUT": str(store)},
    )  # fmt: skip
    forecast = root / "forecast.gpkg"
    processing.run(
        "beatcast:forecastrisk",
        {"CUBE": str(store), "CUBE_NAME": "daily", "GRID": f"{store}|layername=grid",
         "MODEL": MODELS.index("naive_long_run"), "HORIZON": HORIZONS.index("28days"),
         "OUTPUT": str(forecast), **{k: str(root / f"{k.lower()}.tif")
                                     for k in ("EXPECTED_RASTER", "LOWER_RASTER", "UPPER_RASTER")}},
    )  # fmt: skip
    return {"root": root, "store": store, "day1": day1, "forecast": f"{forecast}|layername=forecast_cells"}


@pytest.fixture
def setup(watched, tmp_path):
    """A fresh copy of the store (appending changes it) with its cube files, and the layers in the project."""
    for path in watched["root"].glob("store.*"):
        shutil.copyfile(path, tmp_path / path.name)
    store = tmp_path / "store.gpkg"
    grid = QgsVectorLayer(f"{store}|layername=grid", "grid", "ogr")
    forecast = QgsVectorLayer(watched["forecast"], "forecast_cells", "ogr")
    assert grid.isValid() and forecast.isValid()
    QgsProject.instance().addMapLayers([grid, forecast])
    yield {"store": store, "grid": grid, "forecast": forecast, "alerts": tmp_path / "alerts"}
    QgsProject.instance().removeAllMapLayers()


@pytest.fixture
def panel(qgis_iface, beatcast_provider, setup, watched):
    from beatcast.ui.docks import create_docks

    docks = create_docks(qgis_iface)
    assert docks["watch"].windowTitle() == "BeatCast watch"
    watch = docks["watch"].panel
    watch.storeWidget.setFilePath(str(setup["store"]))
    watch.folderWidget.setFilePath(str(watched["day1"]))
    watch.gridCombo.setLayer(setup["grid"])
    watch.forecastCombo.setLayer(setup["forecast"])
    watch.outputWidget.setFilePath(str(setup["alerts"]))
    yield watch
    watch.stop()
    watch.wait(60_000)
    for dock in docks.values():
        dock.deleteLater()


@pytest.fixture
def main_bar(qgis_iface, monkeypatch):
    """A real QgsMessageBar as the main window's (pytest-qgis's stand-in only records pushMessage)."""
    bar = QgsMessageBar()
    monkeypatch.setattr(qgis_iface, "messageBar", lambda: bar)
    return bar


def _count(path):
    with sqlite3.connect(path) as con:
        return con.execute("SELECT count(*) FROM incidents").fetchone()[0]


def _spin_until(condition, timeout_s):
    end = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < end:
        QgsApplication.processEvents()
        time.sleep(0.02)
    return condition()


def test_a_poll_appends_rescores_and_alerts_once(panel, setup, main_bar, qgis_iface):
    assert panel.cubeNameEdit.text() == "daily" and not panel.stopButton.isEnabled()
    before = _count(setup["store"])
    chain = panel.poll()
    assert chain is not None and panel.busy()
    assert panel.poll() is None  # a check while one runs is skipped
    assert panel.wait(120_000), "the poll did not finish"
    assert "APPENDED" in panel.appended, panel.log_lines()
    added = panel.appended["APPENDED"]
    assert added > 20 and _count(setup["store"]) == before + added  # 45 incidents on the demo's 1 June
    log = panel.log_lines()
    assert f"3 new file(s), {added} incidents added" in log[0], log
    assert "cells alert" in log[0] and "Check skipped" in log[1], log
    assert "Last check" in panel.statusLabel.text()
    alerts = list(setup["alerts"].glob("watch_alerts_*.gpkg"))
    assert len(alerts) == 1
    assert panel.alerts == 1 and len(panel.previous[0]) > 0  # 17 cells, highest severity 3
    items = main_bar.items()
    assert len(items) == 1 and items[0].level() == Qgis.Warning
    assert "cells alert, max severity" in items[0].text()
    button = [b for b in items[0].findChildren(QPushButton) if b.text() == "Show alerts"]
    assert len(button) == 1
    button[0].click()
    shown = [lyr for lyr in QgsProject.instance().mapLayers().values() if "drift_alerts" in lyr.source()]
    assert len(shown) == 1 and shown[0].featureCount() == len(panel.previous[0])
    assert isinstance(shown[0].renderer(), QgsCategorizedSymbolRenderer)  # styles/drift_alerts.qml
    assert shown[0].renderer().classAttribute() == "severity"
    assert qgis_iface.mapCanvas().extent().intersects(shown[0].extent())
    # The same folder again: every file is known, nothing is added, nothing re-scored, no new alert.
    panel.checkNowButton.click()
    assert panel.wait(120_000)
    assert _count(setup["store"]) == before + added
    assert "0 new file(s), no incidents added; not re-scored" in panel.log_lines()[0]
    assert len(main_bar.items()) == 1 and panel.alerts == 1
    assert len(list(setup["alerts"].glob("watch_alerts_*.gpkg"))) == 1


def test_a_watched_table_adds_only_its_new_rows(panel, setup, watched, main_bar, tmp_path):
    """A table (here a GeoPackage table fed from the RMS export) is read whole at each check; the second
    check recognises every incident as already in the store and does not re-score."""
    from osgeo import gdal

    live = tmp_path / "rms_reports_live.gpkg"  # its name matches the category map like a file's
    source = watched["day1"] / f"rms_reports_{SPLIT:%Y-%m-%d}.csv"
    assert gdal.VectorTranslate(str(live), str(source), format="GPKG", layerName="rms_reports_live")
    table = QgsVectorLayer(f"{live}|layername=rms_reports_live", "RMS live", "ogr")
    assert table.isValid() and table.featureCount() > 20
    QgsProject.instance().addMapLayer(table)
    panel.folderWidget.setFilePath("")
    panel.tableCombo.setLayer(table)
    assert panel.poll_inputs()["table"] == table.source()
    before = _count(setup["store"])
    panel.poll()
    assert panel.wait(120_000)
    added = int(panel.appended.get("APPENDED", 0))
    assert added > 20 and _count(setup["store"]) == before + added, panel.log_lines()
    assert panel.log_lines()[0].split("  ", 1)[1].startswith(f"table read, {added} incidents added")
    panel.poll()
    assert panel.wait(120_000)
    assert _count(setup["store"]) == before + added
    assert int(panel.appended["ALREADY_IN_STORE"]) == added
    assert "table read, no incidents added; not re-scored" in panel.log_lines()[0]
    panel.tableCombo.setLayer(None)
    with pytest.raises(ValueError, match="folder or the table"):
        panel.poll_inputs()


def test_stop_cancels_a_running_poll(panel, setup, main_bar):
    before = _count(setup["store"])
    assert panel.start()
    assert panel.busy() and panel.timer.isActive() and panel.stopButton.isEnabled()
    panel.stopButton.click()
    assert not panel.timer.isActive() and panel.startButton.isEnabled()
    assert panel.wait(120_000)
    assert "check canceled during the append" in panel.log_lines()[0], panel.log_lines()
    assert _count(setup["store"]) == before  # the store is written all or nothing
    assert not setup["alerts"].exists() and main_bar.items() == [] and panel.alerts == 0


def test_the_timer_polls_at_the_interval(panel, setup, qgis_iface):
    warnings = len(qgis_iface.messageBar().get_messages(Qgis.Warning))  # the stand-in bar this time
    before = _count(setup["store"])
    assert panel.start(interval_ms=300)
    assert _spin_until(lambda: panel.polls >= 3, 60), panel.log_lines()
    panel.stop()
    assert panel.wait(60_000)
    assert panel.ticks >= 2  # the first poll at start, the others from the timer
    assert _count(setup["store"]) > before
    lines = panel.log_lines()
    assert sum("cells alert" in line for line in lines) == 1, lines  # only the first check re-scored
    assert sum("not re-scored" in line for line in lines) >= 1, lines
    alerts = qgis_iface.messageBar().get_messages(Qgis.Warning)[warnings:]
    assert len(alerts) == 1 and "cells alert" in alerts[0]


def test_the_dock_state_round_trips(panel, setup, watched):
    panel.intervalSpin.setValue(7)
    panel.cubeNameEdit.setText("daily")
    state = panel.state()
    assert state["store"] == str(setup["store"]) and state["grid"] == setup["grid"].id()
    panel.intervalSpin.setValue(30)
    panel.folderWidget.setFilePath("")
    panel.restore(state)
    assert panel.intervalSpin.value() == 7 and panel.folderWidget.filePath() == str(watched["day1"])
    assert panel.forecastCombo.currentLayer() == setup["forecast"]


def test_the_plugin_adds_the_watch_dock_and_unload_stops_it(qgis_iface, monkeypatch, setup, watched):
    from test_docks import _ApplicationWithOwnRegistry

    import beatcast
    from beatcast import plugin as plugin_module

    monkeypatch.setattr(plugin_module, "QgsApplication", _ApplicationWithOwnRegistry())
    plugin = beatcast.classFactory(qgis_iface)
    plugin.initGui()
    dock = plugin.docks["watch"]
    assert [a.text() for a in plugin.actions][-1] == "BeatCast watch"
    panel = dock.panel
    panel.storeWidget.setFilePath(str(setup["store"]))
    panel.folderWidget.setFilePath(str(watched["day1"]))
    panel.gridCombo.setLayer(setup["grid"])
    panel.forecastCombo.setLayer(setup["forecast"])
    panel.outputWidget.setFilePath(str(setup["alerts"]))
    assert panel.start(interval_ms=60_000) and panel.busy()
    chain = panel.chain
    plugin.unload()
    assert not panel.timer.isActive() and chain.canceled
    assert plugin.docks == {} and "watch" in dock.objectName().lower()
    assert chain.wait(60_000)

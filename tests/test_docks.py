"""The desktop docks: model runs (a Processing task chain), parameter review and approval, map pack export."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from qgis.core import (
    Qgis,
    QgsGraduatedSymbolRenderer,
    QgsProcessingRegistry,
    QgsProject,
    QgsVectorLayer,
)

import beatcast
from beatcast import plugin as plugin_module
from beatcast.core import approval, forecasting

N_DISTRICTS = 5
APPROVER = "Sgt. Dana Reyes"


class _ApplicationWithOwnRegistry:
    """plugin.py's QgsApplication with a registry of its own: unload never removes the session's provider."""

    def __init__(self):
        self.registry = QgsProcessingRegistry()

    def processingRegistry(self):  # noqa: N802 (QGIS API name)
        return self.registry


@pytest.fixture
def docks(qgis_iface, beatcast_provider):
    from beatcast.ui.docks import create_docks

    created = create_docks(qgis_iface)
    yield created
    for dock in created.values():
        dock.deleteLater()
    QgsProject.instance().removeAllMapLayers()


def _copy(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copyfile(source, target)
    return target


def _messages(panel) -> list[str]:
    return [item.text() for item in panel.message_bar.items()]


def test_docks_open_with_the_iface_and_unload_removes_them(qgis_iface, monkeypatch, qgis_processing):
    application = _ApplicationWithOwnRegistry()
    monkeypatch.setattr(plugin_module, "QgsApplication", application)
    plugin = beatcast.classFactory(qgis_iface)
    plugin.initGui()
    assert set(plugin.docks) == {"model_runs", "review", "export", "watch"}
    assert len(plugin.actions) == 4 and all(a.isCheckable() for a in plugin.actions)
    runs = plugin.docks["model_runs"].panel
    assert runs.modelCombo.count() == len(forecasting.MODELS) and runs.historyTable.columnCount() == 4
    review = plugin.docks["review"].panel
    assert not review.approveButton.isEnabled() and not review.rejectButton.isEnabled()
    export = plugin.docks["export"].panel
    assert [export.paperCombo.itemText(i) for i in range(export.paperCombo.count())] == ["A4", "A3", "Letter"]
    plugin.actions[1].trigger()
    assert plugin.docks["review"].isVisible() or plugin.docks["review"].isVisibleTo(qgis_iface.mainWindow())
    docks = list(plugin.docks.values())
    plugin.unload()
    assert plugin.docks == {} and plugin.actions == []
    assert application.registry.providerById("beatcast") is None
    assert all(qgis_iface.mainWindow().dockWidgetArea(d) == 0 for d in docks)  # Qt.NoDockWidgetArea


def test_dock_state_is_saved_with_the_project(qgis_iface, monkeypatch, qgis_processing, tmp_path):
    monkeypatch.setattr(plugin_module, "QgsApplication", _ApplicationWithOwnRegistry())
    plugin = beatcast.classFactory(qgis_iface)
    plugin.initGui()
    try:
        runs = plugin.docks["model_runs"].panel
        runs.folderWidget.setFilePath(str(tmp_path))
        runs.gpkgNameEdit.setText("chosen.gpkg")
        runs.modelCombo.setCurrentIndex(forecasting.MODELS.index("kde"))
        plugin.docks["review"].panel.nameEdit.setText(APPROVER)
        plugin.write_project()
        assert QgsProject.instance().readEntry("beatcast", "model_runs/gpkg_name", "")[0] == "chosen.gpkg"
        runs.gpkgNameEdit.setText("other.gpkg")
        runs.modelCombo.setCurrentIndex(0)
        plugin.docks["review"].panel.nameEdit.clear()
        plugin.read_project()
        assert runs.gpkgNameEdit.text() == "chosen.gpkg" and runs.modelCombo.currentData() == "kde"
        assert runs.folderWidget.filePath() == str(tmp_path)
        assert plugin.docks["review"].panel.nameEdit.text() == APPROVER
    finally:
        plugin.unload()
        QgsProject.instance().removeEntry("beatcast", "/")


def test_run_button_runs_the_chain_and_loads_styled_layers(docks, demo_cube, tmp_path):
    data = tmp_path / "data"
    store = _copy(Path(demo_cube), data)
    for npz in Path(demo_cube).parent.glob(f"{Path(demo_cube).name}*.cube.npz"):
        _copy(npz, data)
    project = QgsProject.instance()
    incidents = QgsVectorLayer(f"{store}|layername=incidents", "incidents", "ogr")
    grid = QgsVectorLayer(f"{store}|layername=grid", "grid", "ogr")
    assert incidents.isValid() and grid.isValid()
    project.addMapLayers([incidents, grid])
    panel = docks["model_runs"].panel
    panel.incidentsCombo.setLayer(incidents)
    panel.gridCombo.setLayer(grid)
    assert panel.categoryCombo.count() > 1  # "All categories" and the demo's categories
    panel.categoryCombo.setCurrentIndex(0)
    panel.modelCombo.setCurrentIndex(panel.modelCombo.findData("kde"))
    panel.horizonCombo.setCurrentIndex(2)  # next week: weekly cube
    panel.folderWidget.setFilePath(str(tmp_path / "runs"))
    panel.runButton.click()
    chain = panel.chain
    assert chain is not None and panel.cancelButton.isEnabled()
    assert chain.wait(600_000), "the chain did not finish"
    assert panel.stepLabel.text() and panel.progressBar.value() == 100, _messages(panel)
    assert set(chain.results) == {"beatcast:aggregateincidents", "beatcast:forecastrisk"}, _messages(panel)
    assert chain.results["beatcast:forecastrisk"]["MODEL_USED"] == "kde"
    cells = [lyr for lyr in project.mapLayers().values() if "forecast_cells" in lyr.source()]
    assert len(cells) == 1, [lyr.source() for lyr in project.mapLayers().values()]
    assert isinstance(cells[0].renderer(), QgsGraduatedSymbolRenderer)
    assert cells[0].renderer().classAttribute() == "expected"
    assert any("forecast_hotspots" in lyr.source() for lyr in project.mapLayers().values())
    assert any(Qgis.Success == item.level() for item in panel.message_bar.items()), _messages(panel)
    # History: the run log of the output GeoPackage, newest first; a run re-opens its layers.
    algorithms = [panel.historyTable.item(r, 1).text() for r in range(panel.historyTable.rowCount())]
    assert algorithms == ["forecastrisk", "aggregateincidents"]
    assert "model=kde" in panel.historyTable.item(0, 2).text()
    before = len(project.mapLayers())
    reopened = panel.open_run(0)
    assert {Path(lyr.source().split("layername=")[1]).name for lyr in reopened} == {
        "forecast_cells", "forecast_hotspots"
    }  # fmt: skip
    assert len(project.mapLayers()) == before + 2
    assert isinstance(reopened[0].renderer(), QgsGraduatedSymbolRenderer)


def test_cancel_stops_the_chain(docks, demo_cube, tmp_path):
    store = _copy(Path(demo_cube), tmp_path / "data")
    incidents = QgsVectorLayer(f"{store}|layername=incidents", "incidents", "ogr")
    grid = QgsVectorLayer(f"{store}|layername=grid", "grid", "ogr")
    QgsProject.instance().addMapLayers([incidents, grid])
    panel = docks["model_runs"].panel
    panel.incidentsCombo.setLayer(incidents)
    panel.gridCombo.setLayer(grid)
    panel.folderWidget.setFilePath(str(tmp_path / "runs"))
    chain = panel.run()
    panel.cancelButton.click()
    assert chain.wait(300_000)
    assert "beatcast:forecastrisk" not in chain.results
    assert panel.runButton.isEnabled() and not panel.cancelButton.isEnabled()
    assert any(item.level() == Qgis.Critical for item in panel.message_bar.items())


def test_review_approval_appends_an_immutable_record(docks, demo_plan, tmp_path):
    plan = _copy(demo_plan, tmp_path)
    panel = docks["review"].panel
    panel.gpkgWidget.setFilePath(str(plan))
    run_id = approval.latest_plan_run(plan)
    assert panel.plan_run_id() == run_id
    report = panel.reportBrowser.toPlainText()
    for heading in ("Patrol plan summary", "Parameters", "Data coverage", "Backtest", "Top features", "Bias"):
        assert heading in report, report[:2000]
    assert "captured" in report and "upper_bound" in report
    assert not panel.approveButton.isEnabled()
    panel.nameEdit.setText(APPROVER)
    assert not panel.approveButton.isEnabled()  # a rationale is required too
    panel.rationaleEdit.setPlainText("Matches the <b>briefing</b>")
    assert panel.approveButton.isEnabled() and panel.rejectButton.isEnabled()
    panel.approveButton.click()
    history = approval.decisions(plan)
    assert list(history["decision"]) == ["approved"] and list(history["by"]) == [APPROVER]
    assert history["rationale"].iloc[0] == "Matches the <b>briefing</b>"
    assert panel.decisionsTable.rowCount() == 1 and panel.decisionsTable.item(0, 1).text() == "approved"
    assert "approved" in panel.statusLabel.text()
    assert not panel.approveButton.isEnabled()  # the rationale was cleared: a new decision needs its own
    with sqlite3.connect(plan) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE beatcast_run_log SET user = 'someone else' WHERE algorithm = 'beatcast:approval'")
    # A newer decision supersedes; both stay.
    panel.rationaleEdit.setPlainText("Zone 2 covers a school at night")
    panel.rejectButton.click()
    assert list(approval.decisions(plan)["decision"]) == ["approved", "rejected"]
    assert panel.decisionsTable.item(0, 1).text() == "rejected"
    # Errors are shown in the dock, not raised.
    panel.planRunCombo.setItemData(0, "not-a-run")
    panel.rationaleEdit.setPlainText("again")
    assert panel.decide("approved") is None
    assert any("no run 'not-a-run'" in text for text in _messages(panel)), _messages(panel)


def _pdf_pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


def test_export_refuses_a_plan_without_approval_then_exports(docks, demo_plan, demo_city_dir, tmp_path):
    plan = _copy(demo_plan, tmp_path)
    districts = QgsVectorLayer(str(demo_city_dir / "districts.geojson"), "districts", "ogr")
    QgsProject.instance().addMapLayer(districts)
    panel = docks["export"].panel
    panel.gpkgWidget.setFilePath(str(plan))
    panel.districtsCombo.setLayer(districts)
    panel.districtFieldCombo.setField("district_id")
    panel.folderWidget.setFilePath(str(tmp_path / "pack"))
    assert "draft" in panel.decisionLabel.text().lower()
    assert panel.export() is None
    assert any("not approved" in text for text in _messages(panel)), _messages(panel)
    assert not (tmp_path / "pack" / "roll_call.pdf").exists()
    run_id = approval.latest_plan_run(plan)
    approval.record_decision(plan, run_id, "rejected", "Lt. Morgan", "too thin in D2")
    panel.show_decision()
    assert panel.export() is None and not (tmp_path / "pack" / "roll_call.pdf").exists()
    approval.record_decision(plan, run_id, "approved", APPROVER, "Matches the briefing")
    panel.show_decision()
    assert APPROVER in panel.decisionLabel.text()
    panel.pngCheck.setChecked(True)
    panel.exportButton.click()
    pdf = tmp_path / "pack" / "roll_call.pdf"
    assert pdf.is_file(), _messages(panel)
    assert _pdf_pages(pdf) == 1 + N_DISTRICTS
    assert len(list((tmp_path / "pack" / "roll_call_png").glob("*.png"))) == 1 + N_DISTRICTS
    assert panel.progressBar.value() == 100
    success = [item.text() for item in panel.message_bar.items() if item.level() == Qgis.Success]
    assert success and f'href="file://{pdf}"' in success[-1] and f"{1 + N_DISTRICTS} pages" in success[-1]

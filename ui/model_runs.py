"""The Model runs dock: aggregate incidents -> forecast risk -> (patrol plan), as background Processing
tasks with progress and cancel; outputs load into the project styled; the output GeoPackage's run log
lists past runs, each re-openable."""

from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsMapLayerProxyModel, QgsProcessingOutputLayerDefinition, QgsProject
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP
from qgis.PyQt.QtWidgets import QAbstractItemView, QHeaderView, QTableWidgetItem

from ..core import forecasting
from ..processing_provider.aggregate_incidents import UNITS
from ..processing_provider.i18n import tr
from . import run_history
from .chain import ProcessingChain
from .dock_base import BeatCastPanel, default_folder, load_form

FORM = load_form("model_runs.ui")
# Horizon choices: (label, cube time unit, forecastrisk HORIZON).
HORIZON_CHOICES = (
    (QT_TRANSLATE_NOOP("@default", "Next shift"), "shift", "bin"),
    (QT_TRANSLATE_NOOP("@default", "Next day"), "day", "day"),
    (QT_TRANSLATE_NOOP("@default", "Next week"), "week", "week"),
    (QT_TRANSLATE_NOOP("@default", "Next 28 days"), "day", "28days"),
)


class ModelRunsPanel(BeatCastPanel, FORM):
    STATE_KEYS = ("incidents", "grid", "stations", "model", "horizon", "folder", "gpkg_name", "category")

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        self.setupUi(self)
        self.setPanelTitle(tr("Model runs"))
        self.chain: ProcessingChain | None = None
        self.incidentsCombo.setFilters(QgsMapLayerProxyModel.PointLayer)
        self.gridCombo.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        self.stationsCombo.setFilters(QgsMapLayerProxyModel.PointLayer)
        for model in forecasting.MODELS:
            self.modelCombo.addItem(model, model)
        for label, unit, horizon in HORIZON_CHOICES:
            self.horizonCombo.addItem(tr(label), (unit, horizon))
        self.horizonCombo.setCurrentIndex(2)
        self.folderWidget.setStorageMode(QgsFileWidget.GetDirectory)
        self.folderWidget.setFilePath(default_folder())
        table = self.historyTable
        table.setColumnCount(4)
        table.setHorizontalHeaderLabels([tr("Time (UTC)"), tr("Algorithm"), tr("Key parameters"), tr("User")])
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.runs = run_history.runs_newest_first("")
        # Signals are connected here, never in the .ui (tests/test_code_layout.py).
        self.incidentsCombo.layerChanged.connect(self.fill_categories)
        self.horizonCombo.currentIndexChanged.connect(self._horizon_changed)
        self.runButton.clicked.connect(self.run)
        self.cancelButton.clicked.connect(self.cancel)
        self.refreshButton.clicked.connect(self.refresh_history)
        self.openButton.clicked.connect(self.open_selected)
        self.historyTable.cellDoubleClicked.connect(lambda row, _column: self.open_run(row))
        self.folderWidget.fileChanged.connect(self.refresh_history)
        self.gpkgNameEdit.editingFinished.connect(self.refresh_history)
        self.fill_categories()
        self._horizon_changed()
        self.refresh_history()

    # --- inputs -----------------------------------------------------------------------------------
    def output_gpkg(self) -> str:
        name = self.gpkgNameEdit.text().strip() or "beatcast_runs.gpkg"
        if not name.lower().endswith(".gpkg"):
            name += ".gpkg"
        return str(Path(self.folderWidget.filePath() or default_folder()) / name)

    def fill_categories(self, *_args) -> None:
        current = self.categoryCombo.currentData()
        self.categoryCombo.clear()
        self.categoryCombo.addItem(tr("All categories"), "")
        layer = self.incidentsCombo.currentLayer()
        index = layer.fields().indexOf("category") if layer is not None else -1
        if index >= 0:
            for value in sorted(str(v) for v in layer.uniqueValues(index) if v not in (None, "")):
                self.categoryCombo.addItem(value, value)
        found = self.categoryCombo.findData(current) if current else 0
        self.categoryCombo.setCurrentIndex(max(found, 0))

    def _horizon_changed(self, *_args) -> None:
        unit, _horizon = self.horizonCombo.currentData()
        self.shiftStartsEdit.setEnabled(unit == "shift")

    def chain_steps(self) -> list:
        """The algorithms to run and their parameters, read from the widgets."""
        incidents, grid = self.incidentsCombo.currentLayer(), self.gridCombo.currentLayer()
        if incidents is None or grid is None:
            raise ValueError(tr("Choose an incidents layer and a grid made by Build grid"))
        unit, horizon = self.horizonCombo.currentData()
        category = self.categoryCombo.currentData() or ""
        output = self.output_gpkg()
        cube_name = f"dock_{unit}"
        project = QgsProject.instance()
        steps = [
            ("beatcast:aggregateincidents", {
                "INCIDENTS": incidents.source(), "GRID": grid.source(), "UNIT": UNITS.index(unit),
                "SHIFT_STARTS": self.shiftStartsEdit.text().strip() or "07:00,15:00,23:00",
                "BY_CATEGORY": bool(category), "CUBE_NAME": cube_name, "OUTPUT": output,
            }),
            ("beatcast:forecastrisk", {
                "CUBE": output, "CUBE_NAME": cube_name, "CATEGORY": category, "GRID": grid.source(),
                "MODEL": forecasting.MODELS.index(self.modelCombo.currentData()),
                "HORIZON": forecasting.HORIZONS.index(horizon),
                "HOTSPOT_AREA": self.hotspotAreaSpin.value(), "OUTPUT_NAME": "forecast",
                "OUTPUT": QgsProcessingOutputLayerDefinition(output, project),
                **{name: str(Path(output).with_name(f"{Path(output).stem}_{label}.tif"))
                   for name, label in (("EXPECTED_RASTER", "expected"), ("LOWER_RASTER", "lower90"),
                                       ("UPPER_RASTER", "upper90"))},
            }),
        ]  # fmt: skip
        if self.planGroup.isChecked():
            stations = self.stationsCombo.currentLayer()
            if stations is None:
                raise ValueError(tr("Choose a stations layer for the patrol plan"))
            steps.append(("beatcast:patrolplan", {
                "FORECAST": f"{output}|layername=forecast_cells", "FIELD": "expected",
                "STATIONS": stations.source(), "UNITS": self.unitsSpin.value(),
                "SHIFT_START": self.shiftStartEdit.text().strip() or "22:00",
                "SHIFT_MINUTES": self.shiftMinutesSpin.value(),
                "OUTPUT": QgsProcessingOutputLayerDefinition(output, project),
            }))  # fmt: skip
        return steps

    # --- running ----------------------------------------------------------------------------------
    def run(self) -> ProcessingChain | None:
        if self.chain is not None and self.chain.running:
            return self.chain
        try:
            steps = self.chain_steps()
        except ValueError as error:
            self.message(tr("BeatCast"), str(error), Qgis.Warning)
            return None
        Path(self.output_gpkg()).parent.mkdir(parents=True, exist_ok=True)
        self.chain = ProcessingChain(steps, self)
        self.chain.progress.connect(self._progress)
        self.chain.step.connect(lambda text: self.stepLabel.setText(tr("Running: {}").format(text)))
        self.chain.finished.connect(self._finished)
        self.progressBar.setValue(0)
        self.runButton.setEnabled(False)
        self.cancelButton.setEnabled(True)
        self.chain.start()
        return self.chain

    def cancel(self) -> None:
        if self.chain is not None:
            self.chain.cancel()

    def _progress(self, value: float) -> None:
        self.progressBar.setValue(int(round(value)))

    def _finished(self, ok: bool, results: dict, message: str) -> None:
        self.runButton.setEnabled(True)
        self.cancelButton.setEnabled(False)
        self.stepLabel.setText(message)
        if ok:
            forecast = results.get("beatcast:forecastrisk", {})
            text = tr("Forecast {} done: {:.1f} expected incidents, {} hotspot zones").format(
                forecast.get("MODEL_USED", ""), forecast.get("FORECAST_TOTAL", 0.0),
                forecast.get("N_HOTSPOT_ZONES", 0),
            )  # fmt: skip
            self.message(tr("BeatCast"), text, Qgis.Success, 10)
        else:
            self.message(tr("BeatCast"), message, Qgis.Critical)
        self.refresh_history()

    # --- history ----------------------------------------------------------------------------------
    def refresh_history(self, *_args) -> None:
        self.runs = run_history.runs_newest_first(self.output_gpkg())
        table = self.historyTable
        table.setRowCount(len(self.runs))
        for row, run in self.runs.iterrows():
            algorithm = str(run["algorithm"])
            values = [
                str(run["run_time_utc"])[:19].replace("T", " "),
                algorithm.split(":", 1)[-1],
                run_history.key_parameters(algorithm, run_history.parameters_of(run)),
                str(run["user"] or ""),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                table.setItem(row, column, item)

    def open_selected(self) -> None:
        rows = sorted({index.row() for index in self.historyTable.selectedIndexes()})
        if not rows:
            self.message(tr("BeatCast"), tr("Select a run in the table first"), Qgis.Info, 5)
            return
        self.open_run(rows[0])

    def open_run(self, row: int) -> list:
        if not 0 <= row < len(self.runs):
            return []
        run = self.runs.iloc[row]
        layers = run_history.open_run(self.output_gpkg(), run)
        if not layers:
            self.message(tr("BeatCast"), tr("This run left no layer to open"), Qgis.Info, 5)
        return layers

    # --- project state ----------------------------------------------------------------------------
    def state(self) -> dict[str, str]:
        def layer_id(combo):
            layer = combo.currentLayer()
            return layer.id() if layer is not None else ""

        return {
            "incidents": layer_id(self.incidentsCombo), "grid": layer_id(self.gridCombo),
            "stations": layer_id(self.stationsCombo), "model": self.modelCombo.currentData() or "",
            "horizon": str(self.horizonCombo.currentIndex()), "folder": self.folderWidget.filePath(),
            "gpkg_name": self.gpkgNameEdit.text(), "category": self.categoryCombo.currentData() or "",
        }  # fmt: skip

    def restore(self, state: dict[str, str]) -> None:
        project = QgsProject.instance()
        for key, combo in (("incidents", self.incidentsCombo), ("grid", self.gridCombo),
                           ("stations", self.stationsCombo)):  # fmt: skip
            layer = project.mapLayer(state.get(key, ""))
            if layer is not None:
                combo.setLayer(layer)
        if state.get("model") in forecasting.MODELS:
            self.modelCombo.setCurrentIndex(self.modelCombo.findData(state["model"]))
        if state.get("horizon", "").isdigit() and int(state["horizon"]) < self.horizonCombo.count():
            self.horizonCombo.setCurrentIndex(int(state["horizon"]))
        if state.get("folder"):
            self.folderWidget.setFilePath(state["folder"])
        if state.get("gpkg_name"):
            self.gpkgNameEdit.setText(state["gpkg_name"])
        self.fill_categories()
        found = self.categoryCombo.findData(state.get("category", ""))
        if found >= 0:
            self.categoryCombo.setCurrentIndex(found)
        self.refresh_history()

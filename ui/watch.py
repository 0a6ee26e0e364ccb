"""The Watch dock: polls a folder of new exports at an interval, appends them to the incident store
(beatcast:appendincidents), re-scores drift against a forecast (beatcast:monitordrift) and raises a warning
on QGIS's message bar, with a button that shows the alert layer, when risk changes.

Each poll is background Processing tasks (ui/chain.py), so the interface never blocks: the append, then,
only when it added incidents, the re-score. A tick that finds the previous poll still running is skipped.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsCoordinateTransform,
    QgsMapLayerProxyModel,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsFileWidget, QgsMessageBar
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QPushButton

from ..processing_provider.append_incidents import EXPORT_SUFFIXES
from ..processing_provider.i18n import tr
from ..processing_provider.styling import STYLE_DIR
from .chain import ProcessingChain
from .dock_base import BeatCastPanel, default_folder, load_form

FORM = load_form("watch.ui")
APPEND, RESCORE = "beatcast:appendincidents", "beatcast:monitordrift"
MAX_LOG_LINES = 500


def show_alerts(iface, uri: str) -> QgsVectorLayer | None:
    """Add the alert layer ``uri`` to the project, styled by severity, and zoom the map to it."""
    name = tr("Drift alerts {}").format(Path(uri.split("|")[0]).stem.removeprefix("watch_alerts_"))
    layer = QgsVectorLayer(uri, name, "ogr")
    if not layer.isValid():
        return None
    layer.loadNamedStyle(str(STYLE_DIR / "drift_alerts.qml"))
    project = QgsProject.instance()
    project.addMapLayer(layer)
    canvas = iface.mapCanvas() if iface is not None else None
    if canvas is not None and not layer.extent().isEmpty():
        transform = QgsCoordinateTransform(layer.crs(), canvas.mapSettings().destinationCrs(), project)
        extent = transform.transformBoundingBox(layer.extent())
        extent.scale(1.2)
        canvas.setExtent(extent)
        canvas.refresh()
    return layer


class WatchPanel(BeatCastPanel, FORM):
    STATE_KEYS = ("store", "folder", "table", "cube_name", "grid", "forecast", "interval", "output")

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        self.setupUi(self)
        self.setPanelTitle(tr("Watch"))
        self.chain: ProcessingChain | None = None
        self.polls = 0  # polls started (ticks skipped while one runs are not counted)
        self.ticks = 0  # timer ticks
        self.new_files = 0
        self.appended: dict = {}
        # The last re-score: alerting cell ids, highest severity, refresh; an alert is raised on change.
        self.previous: tuple[frozenset, int, int] = (frozenset(), 0, 0)
        self.alerts = 0  # message-bar alerts raised
        self.last_alerts_uri = ""
        self.timer = QTimer(self)
        self.storeWidget.setStorageMode(QgsFileWidget.GetFile)
        self.storeWidget.setFilter(tr("GeoPackage (*.gpkg)"))
        self.folderWidget.setStorageMode(QgsFileWidget.GetDirectory)
        self.outputWidget.setStorageMode(QgsFileWidget.GetDirectory)
        self.outputWidget.setFilePath(default_folder())
        self.gridCombo.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        self.forecastCombo.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        self.tableCombo.setFilters(QgsMapLayerProxyModel.VectorLayer)
        self.tableCombo.setAllowEmptyLayer(True)
        self.tableCombo.setLayer(None)
        # Signals are connected here, never in the .ui (tests/test_code_layout.py).
        self.timer.timeout.connect(self._tick)
        self.startButton.clicked.connect(lambda: self.start())
        self.stopButton.clicked.connect(self.stop)
        self.checkNowButton.clicked.connect(lambda: self.poll())

    # --- inputs -----------------------------------------------------------------------------------
    def poll_inputs(self) -> dict[str, str]:
        """What a poll needs, read from the widgets; ValueError names what is missing."""
        store, folder = self.storeWidget.filePath(), self.folderWidget.filePath()
        table = self.tableCombo.currentLayer()
        if not store or not Path(store).is_file():
            raise ValueError(tr("Choose the incident store (a GeoPackage from Import incidents)"))
        if table is None and (not folder or not Path(folder).is_dir()):
            raise ValueError(tr("Choose the folder or the table to watch"))
        grid, forecast = self.gridCombo.currentLayer(), self.forecastCombo.currentLayer()
        if grid is None or forecast is None:
            raise ValueError(tr("Choose the grid and the forecast cells (from Forecast risk)"))
        return {
            "store": store, "folder": folder if table is None else "",
            "table": table.source() if table is not None else "",
            "cube_name": self.cubeNameEdit.text().strip() or "daily",
            "grid": grid.source(), "forecast": forecast.source(),
            "output": self.outputWidget.filePath() or default_folder(),
        }  # fmt: skip

    def alerts_path(self, folder: str, when: datetime) -> str:
        """A new GeoPackage per re-score, named by its time, so earlier alerts stay readable."""
        base = Path(folder) / f"watch_alerts_{when:%Y%m%d_%H%M%S}.gpkg"
        path, n = base, 1
        while path.exists():
            n += 1
            path = base.with_name(f"{base.stem}_{n}.gpkg")
        return str(path)

    # --- watching ---------------------------------------------------------------------------------
    def start(self, interval_ms: int | None = None) -> bool:
        """Poll now, then at the interval (``interval_ms`` overrides the minutes: tests)."""
        try:
            self.poll_inputs()
        except ValueError as error:
            self.message(tr("BeatCast"), str(error), Qgis.Warning, 10)
            return False
        self.timer.start(interval_ms if interval_ms is not None else self.intervalSpin.value() * 60_000)
        self.startButton.setEnabled(False)
        self.stopButton.setEnabled(True)
        table = self.tableCombo.currentLayer()
        watched = table.name() if table is not None else self.folderWidget.filePath()
        self.statusLabel.setText(tr("Watching {} every {} min").format(watched, self.intervalSpin.value()))
        self.poll()
        return True

    def stop(self) -> None:
        """Stop the timer and cancel a poll that is running."""
        if self.timer.isActive():
            self._log(tr("Stopped watching"))
            self.statusLabel.setText(tr("Not watching"))
        self.timer.stop()
        self.startButton.setEnabled(True)
        self.stopButton.setEnabled(False)
        if self.busy():
            self.chain.cancel()

    def busy(self) -> bool:
        return self.chain is not None and self.chain.running

    def _tick(self) -> None:
        self.ticks += 1
        self.poll()

    def poll(self) -> ProcessingChain | None:
        """One check: append the folder's new files (or the table's rows), then re-score when incidents were
        added. A table is read whole each time: the incidents it holds that the store has are recognised and
        not added again (Append incidents), so only its new rows count."""
        if self.busy():
            self._log(tr("Check skipped: the previous check is still running"))
            return None
        try:
            inputs = self.poll_inputs()
        except ValueError as error:
            self.message(tr("BeatCast"), str(error), Qgis.Warning, 10)
            return None
        parameters = {"STORE": inputs["store"], "CUBE_NAMES": inputs["cube_name"]}
        if inputs["table"]:
            files = [inputs["table"]]
            parameters["INPUT_LAYERS"] = files
        else:
            files = [p for p in Path(inputs["folder"]).iterdir() if p.suffix.lower() in EXPORT_SUFFIXES]
            if not files:
                self._done(tr("no export files in the folder"))
                return None
            parameters["INPUT_FOLDER"] = inputs["folder"]
        self.polls += 1
        self.inputs, self.new_files, self.appended = inputs, len(files), {}
        return self._run([(APPEND, parameters)], self._appended)

    def _run(self, steps, finished) -> ProcessingChain:
        self.chain = ProcessingChain(steps, self)
        self.chain.finished.connect(finished)
        self.statusLabel.setText(tr("Checking..."))
        self.chain.start()
        return self.chain

    def _appended(self, ok: bool, results: dict, message: str) -> None:
        if not ok:
            self._failed(tr("check canceled during the append"), tr("append failed: {}").format(message))
            return
        self.appended = results.get(APPEND, {})
        added = int(self.appended.get("APPENDED", 0))
        files = self.new_files - int(self.appended.get("FILES_SKIPPED", 0))
        if added == 0:
            self._done(tr("{}, no incidents added; not re-scored").format(self._read(files)))
            return
        Path(self.inputs["output"]).mkdir(parents=True, exist_ok=True)
        # FORECAST_FROM/FORECAST_TO stay empty: monitordrift reads them from the forecast's summary.
        parameters = {
            "CUBE": self.inputs["store"], "CUBE_NAME": self.inputs["cube_name"], "GRID": self.inputs["grid"],
            "FORECAST": self.inputs["forecast"], "FIELD": "expected",
            "OUTPUT": self.alerts_path(self.inputs["output"], datetime.now()),
        }  # fmt: skip
        self._run([(RESCORE, parameters)], self._rescored)

    def _rescored(self, ok: bool, results: dict, message: str) -> None:
        added = int(self.appended.get("APPENDED", 0))
        files = self.new_files - int(self.appended.get("FILES_SKIPPED", 0))
        appended = tr("{}, {} incidents added").format(self._read(files), added)
        if not ok:
            self._failed(tr("{}; check canceled during the re-score").format(appended),
                         tr("{}; re-score failed: {}").format(appended, message))  # fmt: skip
            return
        drift = results.get(RESCORE, {})
        n_alerts, severity = int(drift.get("N_ALERTS", 0)), int(drift.get("MAX_SEVERITY", 0))
        refresh, uri = int(drift.get("REFRESH", 0)), str(drift.get("OUTPUT", ""))
        cells = self._alert_cells(uri) if n_alerts else frozenset()
        old_cells, old_severity, old_refresh = self.previous
        changed = bool(cells - old_cells) or severity > old_severity or refresh > old_refresh
        self.previous = (cells, severity, refresh)
        self.last_alerts_uri = uri
        text = tr("{}; {} cells alert, max severity {}").format(appended, n_alerts, severity)
        if refresh:
            text += tr("; refresh the forecast")
        if (n_alerts > 0 or refresh) and changed:
            self.alert(uri, n_alerts, severity, refresh, str(drift.get("REASONS", "")))
        elif n_alerts > 0 or refresh:
            text += tr(" (unchanged: no alert)")
        self._done(text)

    def _read(self, files: int) -> str:
        """What the check read: the table, or how many new files."""
        return tr("table read") if self.inputs.get("table") else tr("{} new file(s)").format(files)

    @staticmethod
    def _alert_cells(uri: str) -> frozenset:
        layer = QgsVectorLayer(uri, "alerts", "ogr")
        index = layer.fields().indexOf("cell_id") if layer.isValid() else -1
        return frozenset(str(v) for v in layer.uniqueValues(index)) if index >= 0 else frozenset()

    def alert(self, uri: str, n_alerts: int, severity: int, refresh: int, reasons: str) -> None:
        """A warning on QGIS's main message bar, with a button that shows the alert layer."""
        title = tr("BeatCast watch")
        text = tr("{} cells alert, max severity {}").format(n_alerts, severity)
        if refresh:
            text += tr("; refresh the forecast ({})").format(reasons.replace("\n", "; "))
        self.alerts += 1
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is None:
            return
        if not hasattr(bar, "pushWidget"):  # pytest-qgis's stand-in bar only has pushMessage
            bar.pushMessage(title, text, Qgis.Warning, 0)
            return
        item = QgsMessageBar.createMessage(title, text, bar)
        button = QPushButton(tr("Show alerts"), item)
        iface = self.iface  # not self: the message may outlive the dock
        button.clicked.connect(lambda _checked=False: show_alerts(iface, uri))
        item.layout().addWidget(button)
        bar.pushWidget(item, Qgis.Warning, 0)

    def _failed(self, canceled: str, failed: str) -> None:
        if self.chain is not None and self.chain.canceled:
            self._done(canceled)
        else:
            self._done(failed, Qgis.Critical)

    def _done(self, text: str, level=Qgis.Info) -> None:
        last = tr("Last check {}: {}").format(f"{datetime.now():%Y-%m-%d %H:%M:%S}", text)
        if self.timer.isActive():
            last = tr("Watching every {} min. {}").format(self.intervalSpin.value(), last)
        self.statusLabel.setText(last)
        self._log(text)
        if level == Qgis.Critical:
            self.message(tr("BeatCast watch"), text, level)

    def _log(self, text: str) -> None:
        self.logList.insertItem(0, f"{datetime.now():%H:%M:%S}  {text}")  # newest first
        while self.logList.count() > MAX_LOG_LINES:
            self.logList.takeItem(self.logList.count() - 1)

    def log_lines(self) -> list[str]:
        return [self.logList.item(i).text() for i in range(self.logList.count())]

    def wait(self, timeout_ms: int = 300_000) -> bool:
        """Spin the event loop until the running poll (both steps) finishes: tests and scripts."""
        import time

        end = time.monotonic() + timeout_ms / 1000
        while self.busy() and time.monotonic() < end:
            ProcessingChain.wait(self.chain, int(max(end - time.monotonic(), 0) * 1000))
        return not self.busy()

    # --- project state ----------------------------------------------------------------------------
    def state(self) -> dict[str, str]:
        def layer_id(combo):
            layer = combo.currentLayer()
            return layer.id() if layer is not None else ""

        return {
            "store": self.storeWidget.filePath(), "folder": self.folderWidget.filePath(),
            "table": layer_id(self.tableCombo),
            "cube_name": self.cubeNameEdit.text(), "grid": layer_id(self.gridCombo),
            "forecast": layer_id(self.forecastCombo), "interval": str(self.intervalSpin.value()),
            "output": self.outputWidget.filePath(),
        }  # fmt: skip

    def restore(self, state: dict[str, str]) -> None:
        project = QgsProject.instance()
        for key, combo in (
            ("grid", self.gridCombo),
            ("forecast", self.forecastCombo),
            ("table", self.tableCombo),
        ):
            layer = project.mapLayer(state.get(key, ""))
            if layer is not None:
                combo.setLayer(layer)
        for key, widget in (("store", self.storeWidget), ("folder", self.folderWidget),
                            ("output", self.outputWidget)):  # fmt: skip
            if state.get(key):
                widget.setFilePath(state[key])
        if state.get("cube_name"):
            self.cubeNameEdit.setText(state["cube_name"])
        if state.get("interval", "").isdigit():
            self.intervalSpin.setValue(int(state["interval"]))

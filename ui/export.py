"""The Export dock: the roll-call map pack (beatcast:exportmappack) of a patrol plan, refused before
approval unless exported as a draft. The algorithm needs the main thread (layout export), so it runs
with processing.run, its feedback driving the progress bar."""

from __future__ import annotations

import html
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsFieldProxyModel,
    QgsMapLayerProxyModel,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
)
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QUrl

from ..core import approval
from ..processing_provider.export_map_pack import PAPERS, ExportMapPack
from ..processing_provider.i18n import tr
from .dock_base import BeatCastPanel, PlanRunPicker, default_folder, load_form
from .review import fill_plan_runs

FORM = load_form("export.ui")
ALGORITHM_ID = "beatcast:exportmappack"


class ExportPanel(PlanRunPicker, BeatCastPanel, FORM):
    STATE_KEYS = ("gpkg", "districts", "district_field", "paper", "folder", "pdf_name", "png")

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        self.setupUi(self)
        self.setPanelTitle(tr("Map pack export"))
        self.gpkgWidget.setStorageMode(QgsFileWidget.GetFile)
        self.gpkgWidget.setFilter(tr("GeoPackage (*.gpkg)"))
        self.folderWidget.setStorageMode(QgsFileWidget.GetDirectory)
        self.folderWidget.setFilePath(default_folder())
        self.districtsCombo.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        self.districtFieldCombo.setFilters(QgsFieldProxyModel.AllTypes)
        self.districtFieldCombo.setLayer(self.districtsCombo.currentLayer())
        for paper in PAPERS:
            self.paperCombo.addItem(paper, paper)
        self.gpkgWidget.fileChanged.connect(self.refresh)
        self.planRunCombo.currentIndexChanged.connect(self.show_decision)
        self.districtsCombo.layerChanged.connect(self.districtFieldCombo.setLayer)
        self.exportButton.clicked.connect(self.export)

    def refresh(self, *_args) -> None:
        fill_plan_runs(self.planRunCombo, self.gpkg())
        self.show_decision()

    def decision(self):
        path, run_id = self.gpkg(), self.plan_run_id()
        if not run_id or not Path(path).is_file():
            return None
        return approval.latest_decision(path, run_id)

    def printable(self) -> bool:
        """Whether the plan may be printed without the DRAFT mark."""
        decision = self.decision()
        return decision is not None and decision.approved and not decision.plan_changed

    def show_decision(self, *_args) -> None:
        decision = self.decision()
        if decision is None:
            text = tr("No decision: only a draft can be exported") if self.plan_run_id() else ""
        elif self.printable():
            text = tr("Approved by {} at {} UTC").format(
                decision.by, decision.time_utc[:19].replace("T", " ")
            )
        elif decision.approved:
            text = tr("Approved by {}, but the plan changed since: draft only").format(decision.by)
        else:
            text = tr("{} by {}: draft only").format(decision.decision.capitalize(), decision.by)
        self.decisionLabel.setText(text)

    def pdf_path(self) -> str:
        name = self.pdfNameEdit.text().strip() or "roll_call.pdf"
        if not name.lower().endswith(".pdf"):
            name += ".pdf"
        return str(Path(self.folderWidget.filePath() or default_folder()) / name)

    def parameters(self) -> dict:
        districts = self.districtsCombo.currentLayer()
        pdf = self.pdf_path()
        return {
            "PLAN": self.gpkg(), "PLAN_RUN_ID": self.plan_run_id(),
            "DISTRICTS": districts.source() if districts is not None else "",
            "DISTRICT_FIELD": self.districtFieldCombo.currentField(),
            "PAPER": self.paperCombo.currentIndex(), "SHIFT_LABEL": self.shiftLabelEdit.text().strip(),
            "DRAFT": self.draftCheck.isChecked(), "INCIDENT_POINTS": False, "OUTPUT_PDF": pdf,
            "PNG_FOLDER": str(Path(pdf).with_suffix("")) + "_png" if self.pngCheck.isChecked() else None,
        }  # fmt: skip

    def _refusal(self) -> str:
        if not self.plan_run_id():
            return tr("Choose a GeoPackage holding a patrol plan run")
        if self.districtsCombo.currentLayer() is None or not self.districtFieldCombo.currentField():
            return tr("Choose the districts layer and its name field")
        if not self.draftCheck.isChecked() and not self.printable():
            return tr("The plan is not approved (or changed since its approval): approve it in the review "
                      "dock, or tick 'Export as draft'")  # fmt: skip
        return ""

    def export(self) -> dict | None:
        """Export the map pack; returns the algorithm's results, or None (the reason in the message bar)."""
        import processing

        refusal = self._refusal()
        if refusal:
            self.message(tr("BeatCast"), refusal, Qgis.Warning)
            return None
        # Until provider.py lists it, run an unregistered instance (created, so its parameters exist).
        algorithm = (
            QgsApplication.processingRegistry().algorithmById(ALGORITHM_ID) or ExportMapPack().create()
        )
        feedback = QgsProcessingFeedback()
        feedback.progressChanged.connect(lambda value: self.progressBar.setValue(int(value)))
        self.exportButton.setEnabled(False)
        self.progressBar.setValue(0)
        try:
            results = processing.run(algorithm, self.parameters(), feedback=feedback)
        except QgsProcessingException as error:
            self.message(tr("BeatCast"), str(error), Qgis.Critical)
            return None
        finally:
            self.exportButton.setEnabled(True)
        self.progressBar.setValue(100)
        pdf = results["OUTPUT_PDF"]
        link = f'<a href="{QUrl.fromLocalFile(pdf).toString()}">{html.escape(pdf)}</a>'
        # The approval printed is in the decision label and the run log; the bar keeps to one line.
        text = tr("{} pages written to {}").format(int(results["PAGES"]), link)
        self.message(tr("Map pack"), text, Qgis.Success, rich=True)
        return results

    def state(self) -> dict[str, str]:
        districts = self.districtsCombo.currentLayer()
        return {
            "gpkg": self.gpkg(), "districts": districts.id() if districts is not None else "",
            "district_field": self.districtFieldCombo.currentField(), "paper": self.paperCombo.currentText(),
            "folder": self.folderWidget.filePath(), "pdf_name": self.pdfNameEdit.text(),
            "png": "1" if self.pngCheck.isChecked() else "0",
        }  # fmt: skip

    def restore(self, state: dict[str, str]) -> None:
        layer = QgsProject.instance().mapLayer(state.get("districts", ""))
        if layer is not None:
            self.districtsCombo.setLayer(layer)
            self.districtFieldCombo.setLayer(layer)
        if state.get("district_field"):
            self.districtFieldCombo.setField(state["district_field"])
        if state.get("paper") in PAPERS:
            self.paperCombo.setCurrentIndex(PAPERS.index(state["paper"]))
        for key, widget in (("folder", self.folderWidget), ("gpkg", self.gpkgWidget)):
            if state.get(key):
                widget.setFilePath(state[key])
        if state.get("pdf_name"):
            self.pdfNameEdit.setText(state["pdf_name"])
        self.pngCheck.setChecked(state.get("png") == "1")

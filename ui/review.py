"""The Parameter review dock: everything behind a patrol plan run, read-only, and the analyst's decision
(approve or reject, with a name and a rationale), appended to the GeoPackage's append-only run log."""

from __future__ import annotations

import html
from pathlib import Path

from qgis.core import Qgis
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtWidgets import QHeaderView, QTableWidgetItem

from ..core import approval
from ..core.errors import BeatCastInputError
from ..processing_provider.i18n import tr
from . import run_history
from .dock_base import BeatCastPanel, PlanRunPicker, load_form
from .review_report import review_html

FORM = load_form("review.ui")
HISTORY_COLUMNS = ("time_utc", "decision", "by", "rationale", "plan_run_id", "plan_changed")


def plan_runs(gpkg_path: str):
    """The patrolplan runs of a GeoPackage, newest first."""
    runs = run_history.runs_newest_first(gpkg_path)
    return runs[runs["algorithm"] == approval.PLAN_ALGORITHM].reset_index(drop=True)


def fill_plan_runs(combo, gpkg_path: str) -> None:
    """Plan runs in a combo box (data: run id); the newest, whose tables the GeoPackage holds, first."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for k, run in plan_runs(gpkg_path).iterrows():
        label = "{}  {}".format(str(run["run_time_utc"])[:16].replace("T", " "), str(run["run_id"])[:8])
        combo.addItem(label + ("" if k else tr("  (current tables)")), str(run["run_id"]))
    found = combo.findData(current) if current else -1
    combo.setCurrentIndex(found if found >= 0 else 0 if combo.count() else -1)
    combo.blockSignals(False)


class ReviewPanel(PlanRunPicker, BeatCastPanel, FORM):
    STATE_KEYS = ("gpkg", "plan_run", "name")

    def __init__(self, iface, parent=None):
        super().__init__(iface, parent)
        self.setupUi(self)
        self.setPanelTitle(tr("Parameter review"))
        self.gpkgWidget.setStorageMode(QgsFileWidget.GetFile)
        self.gpkgWidget.setFilter(tr("GeoPackage (*.gpkg)"))
        self.rationaleEdit.setMaximumHeight(90)
        table = self.decisionsTable
        table.setColumnCount(len(HISTORY_COLUMNS))
        table.setHorizontalHeaderLabels(
            [tr("Time (UTC)"), tr("Decision"), tr("By"), tr("Rationale"), tr("Plan run"), tr("Plan changed")]
        )
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(HISTORY_COLUMNS.index("rationale"), QHeaderView.Stretch)
        table.verticalHeader().setVisible(False)
        table.setMaximumHeight(130)
        self.mainLayout.setStretch(1, 1)  # the review text takes the height left
        self.gpkgWidget.fileChanged.connect(self.refresh)
        self.planRunCombo.currentIndexChanged.connect(self.show_report)
        self.nameEdit.textChanged.connect(self.update_buttons)
        self.rationaleEdit.textChanged.connect(self.update_buttons)
        self.approveButton.clicked.connect(lambda: self.decide("approved"))
        self.rejectButton.clicked.connect(lambda: self.decide("rejected"))

    def refresh(self, *_args) -> None:
        fill_plan_runs(self.planRunCombo, self.gpkg())
        self.show_report()

    def show_report(self, *_args) -> None:
        path, run_id = self.gpkg(), self.plan_run_id()
        runs = plan_runs(path)
        chosen = runs[runs["run_id"] == run_id]
        if not len(chosen):
            message = tr("Choose a GeoPackage holding a patrol plan (beatcast:patrolplan) run.")
            self.reportBrowser.setHtml(f"<p>{html.escape(message)}</p>")
        else:
            try:
                self.reportBrowser.setHtml(review_html(path, chosen.iloc[0]))
            except Exception as error:  # a damaged or foreign GeoPackage must not break the dock
                self.reportBrowser.setHtml(
                    f"<p>{html.escape(tr('Cannot read the review: {}').format(error))}</p>"
                )
        self.show_decisions()
        self.update_buttons()

    def show_decisions(self) -> None:
        path = self.gpkg()
        history = approval.decisions(path) if path and Path(path).is_file() else None
        table = self.decisionsTable
        rows = history.iloc[::-1] if history is not None else []
        table.setRowCount(len(rows))
        for row, (_, record) in enumerate(rows.iterrows() if len(rows) else []):
            for column, name in enumerate(HISTORY_COLUMNS):
                value = record[name]
                text = (tr("yes") if value else tr("no")) if name == "plan_changed" else str(value)
                shown = {"time_utc": text[:19].replace("T", " "), "plan_run_id": text[:8]}.get(name, text)
                item = QTableWidgetItem(shown)
                item.setToolTip(text)
                table.setItem(row, column, item)
        latest = approval.latest_decision(path, self.plan_run_id()) if self.plan_run_id() else None
        if latest is None:
            self.statusLabel.setText(tr("No decision yet"))
        else:
            changed = tr(" (plan changed since)") if latest.plan_changed else ""
            self.statusLabel.setText(tr("In force: {} by {}{}").format(latest.decision, latest.by, changed))

    def update_buttons(self, *_args) -> None:
        ready = bool(
            self.nameEdit.text().strip() and self.rationaleEdit.toPlainText().strip() and self.plan_run_id()
        )
        self.approveButton.setEnabled(ready)
        self.rejectButton.setEnabled(ready)

    def decide(self, decision: str) -> str | None:
        """Append the decision; returns its run id, or None (the reason shown in the message bar)."""
        try:
            run_id = approval.record_decision(
                self.gpkg(),
                self.plan_run_id(),
                decision,
                self.nameEdit.text(),
                self.rationaleEdit.toPlainText(),
            )
        except BeatCastInputError as error:
            self.message(tr("BeatCast"), str(error), Qgis.Critical)
            return None
        self.message(
            tr("BeatCast"),
            tr("Plan {} by {}: recorded in the run log").format(decision, self.nameEdit.text()),
            Qgis.Success, 10,
        )  # fmt: skip
        self.rationaleEdit.clear()
        self.show_decisions()
        return run_id

    def state(self) -> dict[str, str]:
        return {"gpkg": self.gpkg(), "plan_run": self.plan_run_id(), "name": self.nameEdit.text()}

    def restore(self, state: dict[str, str]) -> None:
        if state.get("name"):
            self.nameEdit.setText(state["name"])
        if state.get("gpkg"):
            self.gpkgWidget.setFilePath(state["gpkg"])
            self.refresh()
            found = self.planRunCombo.findData(state.get("plan_run", ""))
            if found >= 0:
                self.planRunCombo.setCurrentIndex(found)

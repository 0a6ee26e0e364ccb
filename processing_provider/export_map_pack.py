"""beatcast:exportmappack: the roll-call map pack of an approved patrol plan, as one PDF."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import approval, runlog
from ..core.errors import BeatCastInputError
from ..core.files import publish
from ..core.progress import Cancelled
from . import compat
from .base import BeatCastAlgorithm
from .i18n import tr
from .outputs import log_run

PAPERS = ["A4", "A3", "Letter"]


class ExportMapPack(BeatCastAlgorithm):
    NAME = "exportmappack"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Export roll-call map pack")
    GROUP_ID = "patrol"
    PLAN, PLAN_RUN_ID, DISTRICTS, DISTRICT_FIELD = "PLAN", "PLAN_RUN_ID", "DISTRICTS", "DISTRICT_FIELD"
    PAPER, SHIFT_LABEL, DRAFT, INCIDENT_POINTS = "PAPER", "SHIFT_LABEL", "DRAFT", "INCIDENT_POINTS"
    OUTPUT_PDF, PNG_FOLDER, PAGES, APPROVAL = "OUTPUT_PDF", "PNG_FOLDER", "PAGES", "APPROVAL"

    def flags(self):
        # Layout export needs the main thread and a project (both flags exist in QGIS 3.22).
        return super().flags() | compat.FLAG_NO_THREADING | compat.FLAG_REQUIRES_PROJECT

    def shortHelpString(self):
        return tr(
            "<p>Prints the roll-call map pack of a patrol plan: page 1 the whole city, then one page per "
            "district. Each page shows the forecast (expected incidents per cell), the hotspot zones, the "
            "ranked patrol zones and the unit routes, with a legend, scale bar, north arrow, the shift, a "
            "table of the top zones (rank, district, expected, visits, dwell), the visit order, the approval "
            "(who, when in UTC, why) and the standing disclaimer: a forecast is not grounds for a stop, "
            "search or arrest; it describes places and times, never people. Only aggregated layers are "
            "drawn: incident points only with INCIDENT_POINTS.</p>"
            "<p><b>PLAN</b>: the GeoPackage written by beatcast:forecastrisk and beatcast:patrolplan. "
            "<b>PLAN_RUN_ID</b>: the patrol plan run to print (empty: the newest one).</p>"
            "<p><b>Approval</b>: a plan is printed only when its latest decision in the GeoPackage's run log "
            "is <i>approved</i> and the plan tables (patrol_zones, patrol_routes, patrol_schedule) are "
            "unchanged since (a sha256 taken at approval). Record the decision in the Parameter review dock "
            "(or in Python: beatcast.core.approval.record_decision(gpkg, plan_run_id, 'approved' or "
            "'rejected', name, rationale)). A rejected plan, a plan without a decision, or one edited after "
            "its approval can only be exported with DRAFT: every page then says DRAFT – NOT APPROVED.</p>"
            "<p>The PDF is written to a temporary file and moved into place, so a failed or cancelled run "
            "leaves no half-written file; PNG_FOLDER adds one PNG per page. The export is appended to the "
            "PLAN run log with the PDF's sha256. Outputs: the PDF, the number of PAGES and the APPROVAL "
            "printed.</p>"
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFile(
                self.PLAN, tr("Plan GeoPackage (forecast and patrol plan)"), extension="gpkg"
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.PLAN_RUN_ID, tr("Patrol plan run id (empty: the newest)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.DISTRICTS, tr("Districts"), [compat.TYPE_VECTOR_POLYGON])
        )
        self.addParameter(
            QgsProcessingParameterField(self.DISTRICT_FIELD, tr("District name field"), None, self.DISTRICTS)
        )
        self.addParameter(
            QgsProcessingParameterEnum(self.PAPER, tr("Paper (landscape)"), options=PAPERS, defaultValue=0)
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.SHIFT_LABEL, tr("Shift label (empty: from the plan)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.DRAFT, tr("Draft: export without approval"), False)
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.INCIDENT_POINTS, tr("Show incident points"), False)
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_PDF, tr("Map pack (PDF)"), tr("PDF files (*.pdf)")
            )
        )
        self.addParameter(
            QgsProcessingParameterFolderDestination(
                self.PNG_FOLDER, tr("Folder for one PNG per page"), optional=True, createByDefault=False
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.PAGES, tr("Pages")))
        self.addOutput(QgsProcessingOutputString(self.APPROVAL, tr("Approval printed")))

    def _decision(self, plan, run_id, draft):
        """The decision to print, or BeatCastInputError when the plan may not be printed."""
        decision = approval.latest_decision(plan, run_id)
        if draft:
            return decision
        hint = tr("record a decision in the Parameter review dock, or export with DRAFT")
        if decision is None:
            raise BeatCastInputError(
                tr("PLAN: patrol plan run {} in {} has no approval: {}").format(run_id, plan, hint)
            )
        if not decision.approved:
            raise BeatCastInputError(
                tr("PLAN: patrol plan run {} was {} by {} ({}): a rejected plan can only be exported as a "
                   "DRAFT").format(run_id, decision.decision, decision.by, decision.rationale)
            )  # fmt: skip
        if decision.plan_changed:
            raise BeatCastInputError(
                tr("PLAN: the tables of patrol plan run {} changed since {} approved them at {} UTC: "
                   "approve the plan again (or export with DRAFT)").format(
                    run_id, decision.by, decision.time_utc)
            )  # fmt: skip
        return decision

    def compute(self, parameters, context, feedback):
        from ..ui.map_pack import build_map_pack, export_pdf

        plan = self.parameterAsFile(parameters, self.PLAN, context)
        if not plan or not Path(plan).is_file():
            raise BeatCastInputError(tr("PLAN: no such GeoPackage: {}").format(plan))
        run_id = (self.parameterAsString(parameters, self.PLAN_RUN_ID, context) or "").strip()
        run_id = run_id or approval.latest_plan_run(plan)
        if not run_id:
            raise BeatCastInputError(
                tr("PLAN: {} holds no beatcast:patrolplan run; run Patrol plan into it first").format(plan)
            )
        approval.check_plan_run(plan, run_id)
        draft = self.parameterAsBool(parameters, self.DRAFT, context)
        decision = self._decision(plan, run_id, draft)
        districts = self.parameterAsVectorLayer(parameters, self.DISTRICTS, context)
        if districts is None:
            raise BeatCastInputError(tr("DISTRICTS: the layer could not be read"))
        field = self.parameterAsString(parameters, self.DISTRICT_FIELD, context)
        pdf = self.parameterAsFileOutput(parameters, self.OUTPUT_PDF, context)
        png_folder = self.parameterAsString(parameters, self.PNG_FOLDER, context)
        if png_folder == "TEMPORARY_OUTPUT" or parameters.get(self.PNG_FOLDER) in (None, ""):
            png_folder = ""
        feedback.setProgressText(tr("Building the layout"))
        layout = build_map_pack(
            context.project(), plan, run_id, decision, districts, field,
            paper=PAPERS[self.parameterAsEnum(parameters, self.PAPER, context)],
            shift_label=self.parameterAsString(parameters, self.SHIFT_LABEL, context) or "",
            include_incident_points=self.parameterAsBool(parameters, self.INCIDENT_POINTS, context),
            feedback=feedback, draft=draft,
        )  # fmt: skip
        try:
            if feedback.isCanceled():
                raise Cancelled()
            feedback.setProgressText(tr("Exporting {} pages").format(layout.pageCollection().pageCount()))
            pages = self._export(layout, export_pdf, pdf, png_folder, feedback)
        finally:
            # Release the pack's layout and its own project (their layers hold GeoPackage connections)
            # now, on this thread: left to the interpreter's exit they crashed qgis_process on 3.22.
            pack = layout.pack_project
            layout.clear()
            del layout
            pack.removeAllMapLayers()
            pack.clear()
        digest = runlog.file_sha256(pdf)
        printed = (
            tr("DRAFT – NOT APPROVED")
            if draft
            else tr("approved by {} at {} UTC (decision {})").format(
                decision.by, decision.time_utc, decision.run_id
            )
        )
        log_run(
            plan, "beatcast:exportmappack", parameters, skip=(self.OUTPUT_PDF, self.PNG_FOLDER),
            counts={"pages": pages, "pdf_sha256": digest, "draft": draft, "plan_run_id": run_id,
                    "decision_run_id": decision.run_id if decision is not None else ""},
            outputs={"pdf": pdf, "png_folder": png_folder}, hashes=approval.plan_hashes(plan),
        )  # fmt: skip
        feedback.pushInfo(tr("{} pages written to {} ({})").format(pages, pdf, printed))
        return {self.OUTPUT_PDF: pdf, self.PAGES: pages, self.APPROVAL: printed}

    @staticmethod
    def _export(layout, export_pdf, pdf, png_folder, feedback) -> int:
        """Export into temporary files beside the destinations, moved into place only when all succeeded."""
        folder = Path(pdf).resolve().parent
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp_pdf = tempfile.mkstemp(suffix=".pdf", prefix=".mappack-", dir=str(folder))
        os.close(handle)
        tmp_png = tempfile.mkdtemp(prefix=".mappack-", dir=str(folder)) if png_folder else None
        try:
            pages = export_pdf(layout, tmp_pdf, tmp_png, feedback=feedback)
            if feedback.isCanceled():
                raise Cancelled()
            if tmp_png:
                Path(png_folder).mkdir(parents=True, exist_ok=True)
                for image in sorted(Path(tmp_png).glob("*.png")):
                    name = image.name.replace(Path(tmp_pdf).stem, Path(pdf).stem, 1)
                    os.replace(image, Path(png_folder) / name)
            publish(tmp_pdf, pdf)
            return pages
        finally:
            if os.path.exists(tmp_pdf):
                os.remove(tmp_pdf)
            if tmp_png:
                shutil.rmtree(tmp_png, ignore_errors=True)

"""beatcast:importincidents: CAD/RMS/911 exports in, clean incidents out, every row accounted for."""

from __future__ import annotations

import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import fieldmap, gpkg, readers, runlog
from ..core.dedup import DedupOptions
from ..core.errors import BeatCastInputError
from ..core.incidents import (
    ACCOUNTING_FIELDS,
    INCIDENT_FIELDS,
    REJECTED_FIELDS,
    Cancelled,
    ImportOptions,
    import_incidents,
)
from ..core.sources import REJECT_REASONS
from . import compat, styling
from .base import BeatCastAlgorithm
from .feedback import EngineProgress
from .i18n import tr
from .layers import QgisCrsOps, crs_id, layer_source_name, layer_to_source, polygons_of, read_file_sources
from .outputs import log_run, spatial_reference, staged_geopackage

INCIDENTS_TABLE, REJECTED_TABLE, ACCOUNTING_TABLE = "incidents", "rejected_rows", "import_accounting"


class ImportIncidentsAlgorithm(BeatCastAlgorithm):
    NAME = "importincidents"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Import incidents")
    GROUP_ID = "datapreparation"
    INPUT_FILES = "INPUT_FILES"
    INPUT_LAYERS = "INPUT_LAYERS"
    FIELD_MAP = "FIELD_MAP"
    TIMEZONE = "TIMEZONE"
    SOURCE_CRS = "SOURCE_CRS"
    TARGET_CRS = "TARGET_CRS"
    BOUNDARY = "BOUNDARY"
    CATEGORY_MAP = "CATEGORY_MAP"
    DEFAULT_CATEGORY = "DEFAULT_CATEGORY"
    TIME_TOLERANCE = "TIME_TOLERANCE"
    DISTANCE_TOLERANCE = "DISTANCE_TOLERANCE"
    MERGE_WITHIN_SOURCE = "MERGE_WITHIN_SOURCE"
    START_DATE = "START_DATE"
    END_DATE = "END_DATE"
    KEEP_FIELDS = "KEEP_FIELDS"
    INCLUDE_PERSONAL = "INCLUDE_PERSONAL"
    SPATIAL_INDEX = "SPATIAL_INDEX"
    OUTPUT = "OUTPUT"
    REJECTED = "REJECTED"
    ACCOUNTING = "ACCOUNTING"
    RUN_LOG = "RUN_LOG"
    ROWS_READ = "ROWS_READ"
    ACCEPTED = "ACCEPTED"
    MERGED = "MERGED"
    NETTED = "NETTED"
    REJECTED_COUNT = "REJECTED_COUNT"
    OUTPUT_CRS = "OUTPUT_CRS"

    def shortHelpString(self):  # noqa: N802 (QGIS API name)
        reasons = "".join(f"<li><b>{k}</b>: {tr(v)}</li>" for k, v in REJECT_REASONS.items())
        fields = "".join(f"<li><b>{k}</b>: {tr(d)}</li>" for k, (_, d) in INCIDENT_FIELDS.items())
        return tr(
            "<p>Imports incident exports from CAD, RMS and 911 systems (CSV/TSV in any encoding, or any "
            "OGR layer: GeoPackage, shapefile, zipped shapefile, GeoJSON) into one clean, deduplicated "
            "incident layer in a GeoPackage, in a metric CRS.</p>"
            "<p><b>Every row is accounted for</b>: rows read = accepted + merged + netted + rejected, per "
            "source and in total (the <i>import_accounting</i> table). Rejected rows go to the "
            "<i>rejected_rows</i> table with the reason and their raw values (personal fields withheld).</p>"
            "<p><b>Fields</b> (date, time, x/y or lon/lat, category, ID, count, reference to another "
            "system's ID, origin) are detected from common names. Override them per source in Field "
            "mapping, e.g. <code>rms_reports: date=DateOccurred, time=TimeOccurred, crs=EPSG:32616; "
            "calls_911: tz=UTC</code> (a section without a source name applies to all).</p>"
            "<p><b>Time</b>: ISO 8601, M/D/Y H:M, date only, month only and more; each incident records "
            "how precisely its time is known and the window in which it may have happened.</p>"
            "<p><b>Reversals and duplicates</b>: a row with count -1 nets out the earlier row with the "
            "same ID and category. Rows of one system with the same ID and category are merged; rows "
            "whose reference field names another system's ID are merged with it; rows of different "
            "systems with the same category within the time and distance tolerances are merged. The "
            "merged incident keeps every record's <code>source#row:id</code>.</p>"
            "<p>Rejection reasons:</p><ul>{}</ul><p>Incident fields:</p><ul>{}</ul>"
            "<p>Each run appends a record to the append-only <i>beatcast_run_log</i> table.</p>"
        ).format(reasons, fields)

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API name)
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.INPUT_FILES, tr("Incident export files"), compat.TYPE_FILE, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.INPUT_LAYERS, tr("Incident layers"), compat.TYPE_VECTOR_ANY, optional=True
            )
        )
        field_map = QgsProcessingParameterString(
            self.FIELD_MAP, tr("Field mapping"), optional=True, multiLine=True
        )
        field_map.setHelp(tr("Per-source overrides: 'source: role=Column, tz=..., crs=EPSG:...; other: ...'"))
        self.addParameter(field_map)
        self.addParameter(QgsProcessingParameterString(self.TIMEZONE, tr("Time zone of local times"), "UTC"))
        self.addParameter(
            QgsProcessingParameterCrs(self.SOURCE_CRS, tr("CRS of projected x/y fields"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BOUNDARY, tr("Jurisdiction boundary"), [compat.TYPE_VECTOR_POLYGON], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.CATEGORY_MAP,
                tr("Category mapping table (CSV: source, value, category)"),
                extension="csv",
                optional=True,
            )
        )
        advanced = [
            QgsProcessingParameterCrs(
                self.TARGET_CRS, tr("Output CRS (default: local UTM zone)"), optional=True
            ),
            QgsProcessingParameterString(
                self.DEFAULT_CATEGORY, tr("Category when a source has none"), "incident"
            ),
            QgsProcessingParameterNumber(
                self.TIME_TOLERANCE,
                tr("Duplicate time tolerance (minutes)"),
                compat.NUMBER_DOUBLE,
                10.0,
                minValue=0,
            ),
            QgsProcessingParameterNumber(
                self.DISTANCE_TOLERANCE,
                tr("Duplicate distance tolerance (metres)"),
                compat.NUMBER_DOUBLE,
                50.0,
                minValue=0,
            ),
            QgsProcessingParameterBoolean(
                self.MERGE_WITHIN_SOURCE, tr("Also merge near-identical records of one system"), False
            ),
            QgsProcessingParameterDateTime(
                self.START_DATE,
                tr("Keep incidents from (local date)"),
                QgsProcessingParameterDateTime.Date,
                optional=True,
            ),
            QgsProcessingParameterDateTime(
                self.END_DATE,
                tr("Keep incidents before (local date)"),
                QgsProcessingParameterDateTime.Date,
                optional=True,
            ),
            QgsProcessingParameterString(
                self.KEEP_FIELDS, tr("Extra fields to keep (comma-separated)"), optional=True
            ),
            QgsProcessingParameterBoolean(
                self.INCLUDE_PERSONAL, tr("Allow personal fields (names, addresses) in outputs"), False
            ),
            QgsProcessingParameterBoolean(self.SPATIAL_INDEX, tr("Build the spatial index"), True),
        ]
        advanced[-1].setHelp(
            tr(
                "About 20 s per million incidents. QGIS draws and selects faster with it; "
                "it can be built later (Layer Properties > Source)."
            )
        )
        advanced[4].setHelp(
            tr(
                "Off by default: distinct IDs of one system are distinct incidents. "
                "Turn on for 911 call logs."
            )
        )
        for parameter in advanced:
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(parameter)
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Incidents"), QgsProcessing.TypeVectorPoint
            )
        )
        self.addOutput(QgsProcessingOutputVectorLayer(self.REJECTED, tr("Rejected rows")))
        self.addOutput(QgsProcessingOutputVectorLayer(self.ACCOUNTING, tr("Import accounting")))
        self.addOutput(QgsProcessingOutputVectorLayer(self.RUN_LOG, tr("Run log")))
        for name, label in (
            (self.ROWS_READ, tr("Rows read")),
            (self.ACCEPTED, tr("Accepted incidents")),
            (self.MERGED, tr("Rows merged into another incident")),
            (self.NETTED, tr("Rows netted by reversals")),
            (self.REJECTED_COUNT, tr("Rows rejected")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.addOutput(QgsProcessingOutputString(self.OUTPUT_CRS, tr("Output CRS")))

    def compute(self, parameters, context, feedback):
        progress = EngineProgress(feedback, 0, 80)
        files = [f for f in self.parameterAsFileList(parameters, self.INPUT_FILES, context) if f]
        layers = self.parameterAsLayerList(parameters, self.INPUT_LAYERS, context)
        if not files and not layers:
            raise BeatCastInputError(
                tr("Give at least one incident file (INPUT_FILES) or layer (INPUT_LAYERS)")
            )
        sources, inputs = [], {}
        for path in files:
            for table in read_file_sources(path, feedback):
                sources.append(table)
                inputs[table.name] = table.path
        for layer in layers:
            table = layer_to_source(layer, layer_source_name(layer), feedback)
            sources.append(table)
            inputs[table.name] = layer.source()
        if feedback.isCanceled():
            raise Cancelled()
        options = self._options(parameters, context)
        if options.category_map is not None:
            inputs["category_map"] = self.parameterAsFile(parameters, self.CATEGORY_MAP, context)
        result = import_incidents(sources, options, QgisCrsOps(context.transformContext()), progress)
        for warning in result.warnings:
            feedback.pushWarning(warning)

        destination = self.output_geopackage(parameters, context)
        totals = result.totals()
        self._write(destination, result, parameters, inputs, totals, feedback, context)
        uris = {
            t: f"{destination}|layername={t}" for t in (INCIDENTS_TABLE, REJECTED_TABLE, ACCOUNTING_TABLE)
        }
        if styling.load_sublayer(context, destination, uris[INCIDENTS_TABLE], "incidents", self.OUTPUT):
            if totals["rejected"]:
                styling.add_layer(context, uris[REJECTED_TABLE], tr("Rejected rows"), None, self.REJECTED)
        self._report(result, feedback)
        return {
            self.OUTPUT: uris[INCIDENTS_TABLE],
            self.REJECTED: uris[REJECTED_TABLE],
            self.ACCOUNTING: uris[ACCOUNTING_TABLE],
            self.RUN_LOG: f"{destination}|layername={runlog.RUN_LOG_TABLE}",
            self.ROWS_READ: totals["rows_read"],
            self.ACCEPTED: totals["accepted"],
            self.MERGED: totals["merged"],
            self.NETTED: totals["netted"],
            self.REJECTED_COUNT: totals["rejected"],
            self.OUTPUT_CRS: result.crs,
        }

    def _options(self, parameters, context) -> ImportOptions:
        text = self.parameterAsString(parameters, self.FIELD_MAP, context)
        field_map = fieldmap.parse_field_map(text) if text.strip() else {}
        tz = self.parameterAsString(parameters, self.TIMEZONE, context).strip() or "UTC"
        source_crs = self.parameterAsCrs(parameters, self.SOURCE_CRS, context)
        target_crs = self.parameterAsCrs(parameters, self.TARGET_CRS, context)
        boundary = None
        if parameters.get(self.BOUNDARY):
            source = self.parameterAsSource(parameters, self.BOUNDARY, context)
            if source is None:
                raise QgsProcessingException(self.invalidSourceError(parameters, self.BOUNDARY))
            boundary = polygons_of(source)
        category_path = self.parameterAsFile(parameters, self.CATEGORY_MAP, context)
        keep = [
            f.strip()
            for f in self.parameterAsString(parameters, self.KEEP_FIELDS, context).split(",")
            if f.strip()
        ]
        return ImportOptions(
            field_map=field_map,
            timezone=tz,
            source_crs=crs_id(source_crs) if source_crs.isValid() else None,
            target_crs=crs_id(target_crs) if target_crs.isValid() else None,
            category_map=readers.read_category_map(category_path) if category_path else None,
            default_category=self.parameterAsString(parameters, self.DEFAULT_CATEGORY, context) or "incident",
            boundary=boundary,
            start=self._date(parameters, self.START_DATE, context, tz),
            end=self._date(parameters, self.END_DATE, context, tz),
            keep_fields=keep,
            include_personal=self.parameterAsBool(parameters, self.INCLUDE_PERSONAL, context),
            dedup=DedupOptions(
                time_tolerance_minutes=self.parameterAsDouble(parameters, self.TIME_TOLERANCE, context),
                distance_tolerance_m=self.parameterAsDouble(parameters, self.DISTANCE_TOLERANCE, context),
                within_source=self.parameterAsBool(parameters, self.MERGE_WITHIN_SOURCE, context),
            ),
        )

    def _date(self, parameters, name, context, tz):
        if parameters.get(name) in (None, ""):
            return None
        value = self.parameterAsDateTime(parameters, name, context)
        if not value.isValid():
            return None
        local = pd.Timestamp(value.date().toString("yyyy-MM-dd"))
        return local.tz_localize(tz).tz_convert("UTC").tz_localize(None)

    def _write(self, destination, result, parameters, inputs, totals, feedback, context):
        with staged_geopackage(destination) as tmp:
            inc = result.incidents
            columns = {k: t for k, (t, _) in INCIDENT_FIELDS.items()}
            columns.update({k: "TEXT" for k in inc.columns if k not in columns})
            feedback.setProgressText(tr("Writing {} incidents").format(len(inc)))
            gpkg.write_points(
                tmp,
                INCIDENTS_TABLE,
                inc,
                columns,
                inc["x"],
                inc["y"],
                spatial_reference(result.crs, context),
                "BeatCast incidents",
                spatial_index=self.parameterAsBool(parameters, self.SPATIAL_INDEX, context),
            )
            feedback.setProgress(90)
            gpkg.write_table(
                tmp, REJECTED_TABLE, result.rejected, REJECTED_FIELDS, "rows not imported, with the reason"
            )
            gpkg.write_table(
                tmp, ACCOUNTING_TABLE, result.accounting, ACCOUNTING_FIELDS, "where every row went"
            )
            log_run(
                tmp,
                "beatcast:importincidents",
                parameters,
                inputs=inputs,
                counts=totals,
                outputs={"gpkg": destination, "crs": result.crs},
            )
            if feedback.isCanceled():
                raise Cancelled()
        feedback.setProgress(100)

    def _report(self, result, feedback):
        acc = result.accounting
        for source, table in acc.groupby("source", sort=False):
            parts = [f"{r.outcome}{'/' + r.reason if r.reason else ''}={r.rows}" for r in table.itertuples()]
            feedback.pushInfo(f"{source}: " + ", ".join(parts))

"""beatcast:timecovariates: weather, mobility and events joined to a cube's time bins (and cells)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDistance,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import cube_store, gpkg, readers, timecovariates
from ..core.cube import Cube
from ..core.errors import BeatCastInputError
from ..core.grid_io import read_grid
from ..core.progress import Cancelled
from . import compat
from .aggregate_incidents import load_grid
from .base import BeatCastAlgorithm
from .i18n import tr
from .layers import QgisCrsOps, crs_id, source_name_for
from .outputs import log_run, staged_geopackage

SIGNALS_TABLE = "time_covariates"


def numeric_columns(frame: pd.DataFrame, exclude: set[str]) -> list[str]:
    """Columns whose non-empty values are numbers (95 % or more): the signals of a table."""
    out = []
    for column in frame.columns:
        if column in exclude or column.startswith("__"):
            continue
        text = frame[column].astype(str).str.strip()
        filled = text[text != ""]
        if len(filled) and pd.to_numeric(filled, errors="coerce").notna().mean() >= 0.95:
            out.append(column)
    return out


def parse_how(text: str) -> dict[str, str]:
    how = {}
    for part in text.split(","):
        if part.strip():
            name, _, value = part.partition("=")
            how[name.strip()] = value.strip()
    return how


def event_geometries(layer, target: str, crs_ops: QgisCrsOps) -> list:
    """Each feature's footprint in the grid CRS: (x, y) for points, lists of rings for polygons."""
    out = []
    source = crs_id(layer.crs())
    for feature in layer.getFeatures():
        geometry = feature.geometry()
        if geometry is None or geometry.isEmpty():
            out.append(None)
            continue
        if QgsWkbTypes.geometryType(geometry.wkbType()) == QgsWkbTypes.PointGeometry:
            point = geometry.asMultiPoint()[0] if geometry.isMultipart() else geometry.asPoint()
            x, y = crs_ops.transform(np.array([point.x()]), np.array([point.y()]), source, target)
            out.append((float(x[0]), float(y[0])))
            continue
        parts = geometry.asMultiPolygon() if geometry.isMultipart() else [geometry.asPolygon()]
        polygons = []
        for part in parts:
            rings = []
            for ring in part:
                x, y = crs_ops.transform(
                    np.array([p.x() for p in ring]), np.array([p.y() for p in ring]), source, target
                )
                rings.append(np.column_stack([x, y]))
            polygons.append(rings)
        out.append(polygons)
    return out


class TimeCovariatesAlgorithm(BeatCastAlgorithm):
    NAME = "timecovariates"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Time covariates")
    GROUP_ID = "datapreparation"
    CUBE = "CUBE"
    CUBE_NAME = "CUBE_NAME"
    SERIES = "SERIES"
    TIME_FIELD = "TIME_FIELD"
    HOW = "HOW"
    EVENTS = "EVENTS"
    GRID = "GRID"
    EVENT_WEIGHT = "EVENT_WEIGHT"
    EVENT_BUFFER = "EVENT_BUFFER"
    US_HOLIDAYS = "US_HOLIDAYS"
    HOLIDAYS = "HOLIDAYS"
    OUTPUT = "OUTPUT"
    MISSING = "MISSING"
    EVENTS_CUBE = "EVENTS_CUBE"

    def shortHelpString(self):
        return tr(
            "<p>Joins signals that change over time to the time bins of a space-time cube, so the models can "
            "use them: tables of city-wide series (weather, transit ridership, traffic counts: a date or "
            "date-time column and numeric columns), calendar features (day of week, month, weekend, "
            "holidays) and events with a time span (games, concerts, protests).</p>"
            "<p>A daily value at hourly bins is repeated (mean, max, min) or split by overlap (sum: set "
            "<i>How to combine</i>, e.g. <code>precip_mm=sum</code>). <b>Missing values are not filled</b>: "
            "the bin stays empty and the log and the MISSING output say, per field, how many bins lack a "
            "value.</p>"
            "<p>Located events (points or polygons) also give a cube of events active per cell and bin "
            "(stored beside the output as <i>&lt;output&gt;.&lt;cube name&gt;_events.cube.npz</i>); "
            "the table counts events active in each bin city-wide.</p>"
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFile(self.CUBE, tr("GeoPackage holding the cube"), extension="gpkg")
        )
        self.addParameter(QgsProcessingParameterString(self.CUBE_NAME, tr("Cube name"), "cube"))
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.SERIES, tr("Signal tables (CSV)"), compat.TYPE_FILE, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(self.TIME_FIELD, tr("Time column of the tables"), "date")
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.HOW, tr("How to combine (column=sum|mean|max|min)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.EVENTS, tr("Events (start and end fields)"), [compat.TYPE_VECTOR_ANY], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.GRID, tr("Grid (for located events)"), [compat.TYPE_VECTOR_POLYGON], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.EVENT_WEIGHT, tr("Event weight field (e.g. attendance)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterDistance(
                self.EVENT_BUFFER, tr("Point events reach (metres)"), 0.0, minValue=0
            )
        )
        self.addParameter(QgsProcessingParameterBoolean(self.US_HOLIDAYS, tr("US federal holidays"), False))
        self.addParameter(
            QgsProcessingParameterString(
                self.HOLIDAYS, tr("Other holidays (YYYY-MM-DD, comma-separated)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Time covariates"), QgsProcessing.TypeVector
            )
        )
        self.addOutput(QgsProcessingOutputString(self.MISSING, tr("Missing values per field (JSON)")))
        self.addOutput(QgsProcessingOutputString(self.EVENTS_CUBE, tr("Events cube file")))

    def compute(self, parameters, context, feedback):
        store = self.parameterAsFile(parameters, self.CUBE, context)
        name = self.parameterAsString(parameters, self.CUBE_NAME, context) or "cube"
        cube = cube_store.read_cube(store, name)
        bins, tz = cube.bins, cube.bins.timezone
        table = pd.DataFrame({"bin_label": list(bins.labels), "bin_start_utc": pd.to_datetime(bins.utc[:-1])})
        holidays = [
            h.strip()
            for h in self.parameterAsString(parameters, self.HOLIDAYS, context).split(",")
            if h.strip()
        ]
        if self.parameterAsBool(parameters, self.US_HOLIDAYS, context):
            holidays += timecovariates.us_federal_holidays(bins)
        calendar = timecovariates.calendar_features(bins, holidays or None)
        for column in calendar.columns:
            if column not in table:
                table[column] = calendar[column].to_numpy()
        missing: dict[str, dict] = {}
        time_field = self.parameterAsString(parameters, self.TIME_FIELD, context) or "date"
        how = parse_how(self.parameterAsString(parameters, self.HOW, context))
        for path in [f for f in self.parameterAsFileList(parameters, self.SERIES, context) if f]:
            source = source_name_for(path)
            frame = readers.read_delimited(path, source)
            columns = numeric_columns(frame, {time_field})
            joined, report = timecovariates.join_series(
                frame, time_field, columns, bins, tz, how={c: how[c] for c in columns if c in how}
            )
            for column in columns:
                table[column] = joined[column].to_numpy()
                missing[column] = report[column]
                if report[column].get("missing_bins"):
                    feedback.pushWarning(
                        tr("{}: {} bins have no value of {} (left empty, first {})").format(
                            source,
                            report[column]["missing_bins"],
                            column,
                            report[column].get("first_missing"),
                        )
                    )
            if feedback.isCanceled():
                raise Cancelled()
        events_cube, events_npz = self._events(parameters, context, bins, tz, cube, table)
        destination = self.output_geopackage(parameters, context)
        kinds = {
            c: "DATETIME" if c == "bin_start_utc" else "TEXT" if c == "bin_label" else "REAL" for c in table
        }
        with staged_geopackage(destination) as tmp:
            gpkg.write_table(tmp, SIGNALS_TABLE, table, kinds, "signals per time bin of cube " + name)
            if events_cube is not None:
                events_npz = str(cube_store.write_cube(events_cube, tmp, f"{name}_events", home=destination))
            log_run(
                tmp,
                "beatcast:timecovariates",
                parameters,
                counts={"bins": bins.n_bins, "fields": len(table.columns)},
            )
        return {
            self.OUTPUT: f"{destination}|layername={SIGNALS_TABLE}",
            self.MISSING: json.dumps(missing, default=str),
            self.EVENTS_CUBE: events_npz,
        }

    def _events(self, parameters, context, bins, tz, cube, table):
        layer = self.parameterAsVectorLayer(parameters, self.EVENTS, context)
        if layer is None:
            return None, ""
        names = [f.name() for f in layer.fields()]
        weight = self.parameterAsString(parameters, self.EVENT_WEIGHT, context).strip() or None
        rows = []
        for i, feature in enumerate(layer.getFeatures()):
            row = {"event_id": str(feature["event_id"]) if "event_id" in names else str(i + 1)}
            for key in ("start", "end"):
                value = feature[key] if key in names else None
                row[key] = (
                    value.toString("yyyy-MM-ddTHH:mm:ss") if hasattr(value, "toString") else str(value or "")
                )
            if weight:
                row[weight] = float(feature[weight] or 0)
            rows.append(row)
        events = pd.DataFrame(rows)
        membership = None
        grid_layer = self.parameterAsVectorLayer(parameters, self.GRID, context)
        if grid_layer is not None and layer.isSpatial():
            _, grid_path, grid_table = load_grid(grid_layer)
            grid = read_grid(grid_path, grid_table)
            geometries = event_geometries(layer, grid.spec.crs, QgisCrsOps(context.transformContext()))
            buffer = self.parameterAsDouble(parameters, self.EVENT_BUFFER, context)
            membership = timecovariates.event_cells(grid, geometries, buffer_m=buffer)
            if list(grid.cell_id) != list(cube.cell_ids):
                raise BeatCastInputError(tr("GRID: not the grid the cube was counted on"))
        per_bin, per_cell = timecovariates.join_events(
            events, bins, tz, cell_membership=membership, n_cells=cube.n_cells, weight_column=weight
        )
        table["events_active"] = per_bin
        if per_cell is None:
            return None, ""
        located = Cube(per_cell.astype(np.float32), cube.cell_ids, ["events"], bins, crs=cube.crs,
                       grid_table=cube.grid_table, metadata={"source": layer.source()})  # fmt: skip
        return located, ""

"""beatcast:aggregateincidents: the space-time cube (counts per cell per time bin) of an incident layer."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import cube as cubes
from ..core import cube_store, gpkg
from ..core import grid as grids
from ..core.errors import BeatCastInputError
from ..core.incidents import ORIGIN_CHOICES, origin_mask
from ..core.progress import Cancelled
from ..core.timebins import BinSpec, infer_span, make_bins
from . import compat, styling
from .base import BeatCastAlgorithm
from .feedback import EngineProgress
from .i18n import tr
from .layers import QgisCrsOps, gpkg_table_of, read_incidents
from .outputs import log_run, staged_geopackage

UNITS = ["hour", "shift", "day", "week", "month"]
# Labels of ORIGIN (core.incidents.ORIGIN_CHOICES order), marked for translation.
ORIGIN_LABELS = [
    QT_TRANSLATE_NOOP("@default", "All incidents"),
    QT_TRANSLATE_NOOP("@default", "Reported only (calls and reports)"),
    QT_TRANSLATE_NOOP("@default", "Reported or unknown (leave out officer-initiated)"),
    QT_TRANSLATE_NOOP("@default", "Discovered only (officer-initiated)"),
]
CELLS_TABLE = "cell_counts"


def load_grid(layer) -> tuple[grids.Grid, str, str]:
    """The cells of a grid made by Build grid (ids and lattice indices, no polygons), its file and table."""
    where = gpkg_table_of(layer.source()) if layer is not None else None
    specs = grids.read_grid_specs(where[0]) if where else {}
    if where is None or where[1] not in specs:
        name = layer.name() if layer is not None else "GRID"
        raise BeatCastInputError(
            tr("GRID: {} was not made by Build grid (no BeatCast grid description found)").format(name)
        )
    path, table = where
    frame = gpkg.read_table(path, table, columns=["fid", "cell_id", "col", "row"]).sort_values("fid")
    order = np.lexsort((frame["col"].to_numpy(), frame["row"].to_numpy()))
    if not np.array_equal(order, np.arange(len(frame))):
        raise BeatCastInputError(
            tr("GRID: the cells of {} were reordered or edited; build the grid again").format(table)
        )
    n = len(frame)
    empty = np.zeros(n)
    grid = grids.Grid(
        specs[table], frame["cell_id"].to_numpy(dtype=object), frame["col"].to_numpy(np.int64),
        frame["row"].to_numpy(np.int64), [], empty, empty, empty, empty,
    )  # fmt: skip
    return grid, path, table


class AggregateIncidentsAlgorithm(BeatCastAlgorithm):
    NAME = "aggregateincidents"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Aggregate incidents (space-time cube)")
    GROUP_ID = "datapreparation"
    INCIDENTS = "INCIDENTS"
    GRID = "GRID"
    UNIT = "UNIT"
    SHIFT_STARTS = "SHIFT_STARTS"
    BY_CATEGORY = "BY_CATEGORY"
    ORIGIN = "ORIGIN"
    EXCLUDED_ORIGIN = "EXCLUDED_BY_ORIGIN"
    AORISTIC = "AORISTIC"
    TIMEZONE = "TIMEZONE"
    START_DATE = "START_DATE"
    END_DATE = "END_DATE"
    CUBE_NAME = "CUBE_NAME"
    OUTPUT = "OUTPUT"
    CUBE = "CUBE"
    N_CELLS = "N_CELLS"
    N_BINS = "N_BINS"
    TOTAL = "TOTAL"
    OUTSIDE_CELLS = "OUTSIDE_CELLS"
    OUTSIDE_PERIOD = "OUTSIDE_PERIOD"

    def shortHelpString(self):
        return tr(
            "<p>Counts incidents per grid cell per time bin (hour, shift, day, week or month, in local time, "
            "correct across clock changes), optionally per category: the space-time cube that forecasts, "
            "hotspot statistics, monitoring and the audit reuse without reading incidents again.</p>"
            "<p><b>Aoristic weighting</b> (on by default): an incident known only to the day or the month "
            "is spread over the bins its possible occurrence window covers, in proportion to the overlap, "
            "instead of being piled on midnight or the first of the month. Totals are conserved.</p>"
            "<p>The grid must come from <b>Build grid</b>. Incidents outside every cell, or outside the "
            "period, are counted and reported, not lost. The cube is stored as a compressed file "
            "<i>&lt;output&gt;.&lt;name&gt;.cube.npz</i> beside the output GeoPackage and listed in its "
            "<i>beatcast_cubes</i> table (format: docs/cube.md). The output layer is the grid with each "
            "cell's total (and per-category totals).</p>"
            "<p><b>ORIGIN</b> counts only reported incidents (calls, reports), reported or unknown ones, or "
            "only discovered (officer-initiated) ones, from the import's origin field. Officer-initiated "
            "incidents are found where patrols went, so a model trained on them learns the patrol plan "
            "back (the runaway feedback loop: see Feedback loop simulation). Incidents left out are "
            "counted in EXCLUDED_BY_ORIGIN and the run log.</p>"
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.INCIDENTS, tr("Incidents"), [compat.TYPE_VECTOR_POINT])
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.GRID, tr("Grid"), [compat.TYPE_VECTOR_POLYGON])
        )
        self.addParameter(QgsProcessingParameterEnum(self.UNIT, tr("Time bins"), UNITS, defaultValue=2))
        shifts = QgsProcessingParameterString(
            self.SHIFT_STARTS, tr("Shift start times (local)"), "07:00,15:00,23:00"
        )
        shifts.setHelp(
            tr("For shift bins: comma-separated local start times; shifts run from one to the next.")
        )
        self.addParameter(shifts)
        self.addParameter(
            QgsProcessingParameterBoolean(self.BY_CATEGORY, tr("One cube layer per category"), False)
        )
        origin = QgsProcessingParameterEnum(
            self.ORIGIN, tr("Incidents to count, by how they came to notice"), [tr(c) for c in ORIGIN_LABELS],
            defaultValue=0,
        )  # fmt: skip
        origin.setHelp(
            tr("The import's origin field: reported (calls, reports) or discovered (officer-initiated). "
               "Leaving discovered incidents out keeps a model from learning where patrols went.")
        )  # fmt: skip
        self.addParameter(origin)
        advanced = [
            QgsProcessingParameterBoolean(self.AORISTIC, tr("Spread imprecise times (aoristic)"), True),
            QgsProcessingParameterString(
                self.TIMEZONE, tr("Time zone of the bins (default: the incidents')"), optional=True
            ),
            QgsProcessingParameterDateTime(
                self.START_DATE, tr("First day (local)"), QgsProcessingParameterDateTime.Date, optional=True
            ),
            QgsProcessingParameterDateTime(
                self.END_DATE,
                tr("Day after the last (local)"),
                QgsProcessingParameterDateTime.Date,
                optional=True,
            ),
            QgsProcessingParameterString(self.CUBE_NAME, tr("Cube name"), "cube"),
        ]
        for parameter in advanced:
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(parameter)
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Cells with counts"), QgsProcessing.TypeVectorPolygon
            )
        )
        self.addOutput(QgsProcessingOutputString(self.CUBE, tr("Cube file")))
        for name, label in (
            (self.N_CELLS, tr("Cells")),
            (self.N_BINS, tr("Time bins")),
            (self.TOTAL, tr("Incidents counted")),
            (self.OUTSIDE_CELLS, tr("Incidents outside every cell")),
            (self.OUTSIDE_PERIOD, tr("Incidents outside the period or without a time")),
            (self.EXCLUDED_ORIGIN, tr("Incidents left out by ORIGIN")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def compute(self, parameters, context, feedback):
        grid, grid_path, grid_table = load_grid(self.parameterAsVectorLayer(parameters, self.GRID, context))
        layer = self.parameterAsVectorLayer(parameters, self.INCIDENTS, context)
        if layer is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INCIDENTS))
        feedback.setProgressText(tr("Reading incidents"))
        incidents = read_incidents(layer, grid.spec.crs, QgisCrsOps(context.transformContext()), feedback)
        if feedback.isCanceled():
            raise Cancelled()
        feedback.setProgress(20)
        choice = ORIGIN_CHOICES[self.parameterAsEnum(parameters, self.ORIGIN, context)]
        if choice != "all" and "origin" not in incidents:
            raise BeatCastInputError(
                tr("ORIGIN: {} has no origin field (reported/discovered); count all incidents").format(
                    layer.name()
                )
            )
        keep = origin_mask(incidents.get("origin", pd.Series([""] * len(incidents))), choice)
        excluded = int((~keep).sum())
        if excluded:
            feedback.pushInfo(
                tr("{} of {} incidents left out by ORIGIN ({}); counted apart").format(
                    excluded, len(incidents), choice
                )
            )
            incidents = incidents[keep].reset_index(drop=True)
        cell = grids.cell_index(grid, incidents["x"].to_numpy(), incidents["y"].to_numpy())
        if len(incidents) and (cell < 0).all():
            raise BeatCastInputError(
                tr("no incident of {} falls in a cell of {}: do they cover the same area?").format(
                    layer.name(), grid_table
                )
            )
        bins = self._bins(parameters, context, incidents)
        by_category = self.parameterAsBool(parameters, self.BY_CATEGORY, context)
        cube = cubes.aggregate(
            cell,
            incidents["occurred_utc"].to_numpy(),
            incidents["window_end_utc"].to_numpy(),
            incidents.get("time_precision"),
            incidents["category"].fillna("").to_numpy(dtype=object) if by_category else None,
            len(grid),
            grid.cell_id,
            bins,
            aoristic=self.parameterAsBool(parameters, self.AORISTIC, context),
            progress=EngineProgress(feedback, 20, 80),
            crs=grid.spec.crs,
            grid_table=grid_table,
            source=layer.source(),
        )
        outside_cells = int(round(sum(cube.outside.get("cells", {}).values())))
        outside_time = int(
            round(sum(sum(cube.outside.get(k, {}).values()) for k in ("before", "after", "no_time")))
        )
        if outside_cells:
            feedback.pushWarning(
                tr("{} incidents fall outside every cell (counted apart)").format(outside_cells)
            )
        destination = self.output_geopackage(parameters, context)
        name = self.parameterAsString(parameters, self.CUBE_NAME, context) or "cube"
        frame = pd.DataFrame({"cell_id": grid.cell_id, "total": cubes.totals_per_cell(cube)})
        columns = {"cell_id": "TEXT", "total": "REAL"}
        if by_category:
            for category in cube.categories:
                field = f"n_{category}"[:60]
                frame[field] = cubes.totals_per_cell(cube, category)
                columns[field] = "REAL"
        with staged_geopackage(destination) as tmp:
            gpkg.write_like(
                tmp, CELLS_TABLE, (grid_path, grid_table), frame, columns, "cells with incident counts"
            )
            if feedback.isCanceled():
                raise Cancelled()
            npz = cube_store.write_cube(cube, tmp, name, home=destination)
            log_run(
                tmp, "beatcast:aggregateincidents", parameters,
                inputs={"incidents": layer.source().split("|")[0], "grid": grid_path},
                counts={
                    "total": cube.total(), "outside_cells": outside_cells, "outside_period": outside_time,
                    "excluded_by_origin": excluded, "origin": choice,
                },
                outputs={"cube": str(npz), "cells": destination},
            )  # fmt: skip
        uri = f"{destination}|layername={CELLS_TABLE}"
        styling.load_sublayer(context, destination, uri, "graduated:total", self.OUTPUT)
        feedback.pushInfo(
            tr("{} cells x {} {} bins, {:.0f} incidents counted").format(
                len(grid), bins.n_bins, bins.unit, cube.total()
            )
        )
        return {
            self.OUTPUT: uri,
            self.CUBE: str(npz),
            self.N_CELLS: len(grid),
            self.N_BINS: bins.n_bins,
            self.TOTAL: round(float(cube.total()), 3),
            self.OUTSIDE_CELLS: outside_cells,
            self.OUTSIDE_PERIOD: outside_time,
            self.EXCLUDED_ORIGIN: excluded,
        }

    def _bins(self, parameters, context, incidents):
        unit = UNITS[self.parameterAsEnum(parameters, self.UNIT, context)]
        tz = self.parameterAsString(parameters, self.TIMEZONE, context).strip()
        if not tz:
            zones = Counter(z for z in incidents.get("timezone", pd.Series(dtype=object)).fillna("") if z)
            tz = zones.most_common(1)[0][0] if zones else "UTC"
        shifts = tuple(
            s.strip()
            for s in self.parameterAsString(parameters, self.SHIFT_STARTS, context).split(",")
            if s.strip()
        )
        shifts = shifts if unit == "shift" else ()
        start, end = infer_span(incidents["occurred_utc"], incidents["window_end_utc"], unit, tz, shifts)
        for name, default in ((self.START_DATE, "start"), (self.END_DATE, "end")):
            if parameters.get(name) not in (None, ""):
                value = self.parameterAsDateTime(parameters, name, context)
                if value.isValid():
                    day = pd.Timestamp(value.date().toString("yyyy-MM-dd"))
                    start, end = (day, end) if default == "start" else (start, day)
        return make_bins(BinSpec(unit, tz, start, end, shift_starts=shifts))

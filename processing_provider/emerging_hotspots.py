"""beatcast:emerginghotspots: ArcGIS-style emerging hot spot patterns of a space-time cube."""

from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import cube_store, emerging, gpkg
from ..core.errors import BeatCastInputError
from . import compat, styling
from .base import BeatCastAlgorithm
from .feedback import EngineProgress
from .hotspot_inputs import add_neighbour_parameters, read_cells, spatial_weights
from .i18n import tr
from .outputs import log_run, staged_geopackage

TABLE = "emerging_hotspots"


class EmergingHotspotsAlgorithm(BeatCastAlgorithm):
    NAME = "emerginghotspots"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Emerging hot spots")
    GROUP_ID = "hotspots"
    CUBE = "CUBE"
    CUBE_NAME = "CUBE_NAME"
    CATEGORY = "CATEGORY"
    GRID = "GRID"
    ALPHA = "ALPHA"
    FDR = "FDR"
    N_EMERGING = "N_EMERGING"

    def shortHelpString(self):
        patterns = ", ".join(emerging.PATTERNS[1:])
        return tr(
            "<p>Emerging hot spot analysis of a space-time cube, with the pattern definitions of ArcGIS "
            "Pro's Emerging Hot Spot Analysis: Gi* of every cell in every time bin (the neighbourhood over "
            "space and the previous bin, compared with the whole cube), the Mann-Kendall trend of each "
            "cell's Gi* z-scores, and a pattern per cell: {} (and the same cold spots), or No Pattern "
            "Detected.</p>"
            "<p>Use bins of even length (whole weeks or months): a short first or last bin distorts the "
            "results. The grid must be the one the cube was counted on.</p>"
            "<p>Fields: pattern, pattern_code (1..8 hot, -1..-8 cold), trend_z, trend_p, n_hot_bins, "
            "n_cold_bins, pct_hot, last_bin_hot, hot_run_at_end, count_trend_z, total.</p>"
        ).format(patterns)

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFile(self.CUBE, tr("GeoPackage holding the cube"), extension="gpkg")
        )
        self.addParameter(QgsProcessingParameterString(self.CUBE_NAME, tr("Cube name"), "cube"))
        self.addParameter(
            QgsProcessingParameterString(self.CATEGORY, tr("Category (empty: all)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.GRID, tr("Grid"), [compat.TYPE_VECTOR_POLYGON])
        )
        add_neighbour_parameters(self)
        self.addParameter(
            QgsProcessingParameterNumber(
                self.ALPHA, tr("Significance level"), compat.NUMBER_DOUBLE, 0.10, minValue=0.001, maxValue=0.5
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.FDR, tr("False discovery rate correction"), True)
        )
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Emerging hot spots"), QgsProcessing.TypeVectorPolygon
            )
        )
        self.addOutput(
            QgsProcessingOutputNumber(self.N_EMERGING, tr("New, consecutive or intensifying hot spots"))
        )

    def compute(self, parameters, context, feedback):
        store = self.parameterAsFile(parameters, self.CUBE, context)
        cube = cube_store.read_cube(
            store, self.parameterAsString(parameters, self.CUBE_NAME, context) or "cube"
        )
        category = self.parameterAsString(parameters, self.CATEGORY, context).strip() or None
        if category and category not in cube.categories:
            raise BeatCastInputError(
                tr("CATEGORY: {} is not in the cube (categories: {})").format(
                    category, ", ".join(cube.categories)
                )
            )
        (path, table), ids, x, y, _ = read_cells(self.parameterAsVectorLayer(parameters, self.GRID, context))
        if list(ids) != [str(c) for c in cube.cell_ids]:
            raise BeatCastInputError(tr("GRID: not the grid the cube was counted on (cell ids differ)"))
        weights, described = spatial_weights(self, parameters, context, ids, x, y)
        feedback.pushInfo(tr("{} cells x {} bins, neighbours: {}").format(len(ids), cube.n_bins, described))
        counts = cube.matrix(category)
        result = emerging.emerging_hotspots(
            counts,
            weights,
            alpha=self.parameterAsDouble(parameters, self.ALPHA, context),
            fdr=self.parameterAsBool(parameters, self.FDR, context),
            progress=EngineProgress(feedback, 5, 90),
        )
        totals = np.asarray(counts.sum(axis=1)).ravel()
        frame = pd.DataFrame(
            {
                "cell_id": ids,
                "pattern": result.pattern,
                "pattern_code": result.code.astype(int),
                "trend_z": result.trend.z,
                "trend_p": result.trend.p,
                "n_hot_bins": result.n_hot,
                "n_cold_bins": result.n_cold,
                "pct_hot": result.pct_hot,
                "last_bin_hot": result.last_hot.astype(int),
                "hot_run_at_end": result.run_hot,
                "count_trend_z": result.count_trend.z,
                "total": totals,
            }
        )
        columns = {c: "REAL" for c in frame.columns}
        columns.update(cell_id="TEXT", pattern="TEXT", pattern_code="INTEGER", last_bin_hot="INTEGER")
        columns.update(n_hot_bins="INTEGER", n_cold_bins="INTEGER", hot_run_at_end="INTEGER")
        emerging_codes = (emerging.NEW, emerging.CONSECUTIVE, emerging.INTENSIFYING)
        n_emerging = int(np.isin(result.code, emerging_codes).sum())
        destination = self.output_geopackage(parameters, context)
        summary = frame["pattern"].value_counts().to_dict()
        with staged_geopackage(destination) as tmp:
            gpkg.write_like(tmp, TABLE, (path, table), frame, columns, "emerging hot spot patterns")
            log_run(tmp, "beatcast:emerginghotspots", parameters, counts={"patterns": summary})
        for name, n in summary.items():
            feedback.pushInfo(f"{name}: {n}")
        uri = f"{destination}|layername={TABLE}"
        styling.load_sublayer(context, destination, uri, "emerging", self.OUTPUT)
        return {self.OUTPUT: uri, self.N_EMERGING: n_emerging}

"""beatcast:hotspotgistar: Getis-Ord Gi* hot and cold spots of a cell field, with FDR control."""

from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import gpkg, hotspots
from ..core.errors import BeatCastInputError
from . import compat, styling
from .base import BeatCastAlgorithm
from .feedback import EngineProgress
from .hotspot_inputs import add_neighbour_parameters, read_cells, spatial_weights
from .i18n import tr
from .outputs import log_run, staged_geopackage

TABLE = "hotspots_gistar"
# gi_label values (translated when written; styles/gistar.qml keys on gi_bin, not on these texts).
LABELS = {
    -3: QT_TRANSLATE_NOOP("@default", "Cold spot, 99 % confidence"),
    -2: QT_TRANSLATE_NOOP("@default", "Cold spot, 95 % confidence"),
    -1: QT_TRANSLATE_NOOP("@default", "Cold spot, 90 % confidence"),
    0: QT_TRANSLATE_NOOP("@default", "Not significant"),
    1: QT_TRANSLATE_NOOP("@default", "Hot spot, 90 % confidence"),
    2: QT_TRANSLATE_NOOP("@default", "Hot spot, 95 % confidence"),
    3: QT_TRANSLATE_NOOP("@default", "Hot spot, 99 % confidence"),
}


class HotspotGiStarAlgorithm(BeatCastAlgorithm):
    NAME = "hotspotgistar"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Hot spots (Getis-Ord Gi*)")
    GROUP_ID = "hotspots"
    INPUT = "INPUT"
    FIELD = "FIELD"
    PERMUTATIONS = "PERMUTATIONS"
    SEED = "SEED"
    FDR = "FDR"
    N_HOT = "N_HOT"
    N_COLD = "N_COLD"

    def shortHelpString(self):
        return tr(
            "<p>Getis-Ord Gi* hot and cold spots of a numeric field of cells (incident counts, forecasts, "
            "any cell value), as in ArcGIS's Hot Spot Analysis, with the neighbours of your choice: grid "
            "contiguity, a distance band or k nearest neighbours. Each cell counts as its own neighbour.</p>"
            "<p>The z-score is the analytic Gi*, valid for negative values. With permutations (999 by "
            "default, seeded) significance comes from conditional permutations (each cell's value is "
            "kept, the others shuffled) instead of the normal approximation. The <b>false discovery "
            "rate</b> correction (Benjamini-Hochberg) is on by default: on data without any pattern, "
            "uncorrected tests flag about 10 % of cells at 90 % confidence by chance.</p>"
            "<p>Fields: gi_z, gi_p (normal), gi_p_sim (pseudo p-value, one-tailed as in PySAL), "
            "gi_p_used (what the bins use), gi_bin (-3..3: cold/hot at 99, 95, 90 %), gi_label, "
            "n_neighbours. Distances must be in metres: use a projected CRS.</p>"
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.INPUT, tr("Cells"), [compat.TYPE_VECTOR_POLYGON, compat.TYPE_VECTOR_POINT]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.FIELD, tr("Value"), "total", self.INPUT, QgsProcessingParameterField.Numeric
            )
        )
        add_neighbour_parameters(self)
        self.addParameter(
            QgsProcessingParameterNumber(
                self.PERMUTATIONS,
                tr("Permutations (0: normal p-values)"),
                compat.NUMBER_INTEGER,
                999,
                minValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(self.SEED, tr("Random seed"), compat.NUMBER_INTEGER, 0)
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.FDR, tr("False discovery rate correction"), True)
        )
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Hot spots"), QgsProcessing.TypeVectorPolygon
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.N_HOT, tr("Significant hot spot cells")))
        self.addOutput(QgsProcessingOutputNumber(self.N_COLD, tr("Significant cold spot cells")))

    def compute(self, parameters, context, feedback):
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer.crs().isGeographic():
            raise BeatCastInputError(
                tr("INPUT: {} is in degrees; use a projected CRS").format(layer.crs().authid())
            )
        field = self.parameterAsString(parameters, self.FIELD, context)
        (path, table), ids, x, y, values = read_cells(layer, field)
        weights, described = spatial_weights(self, parameters, context, ids, x, y)
        feedback.pushInfo(tr("{} cells, neighbours: {}").format(len(ids), described))
        permutations = self.parameterAsInt(parameters, self.PERMUTATIONS, context)
        if permutations and self.parameterAsBool(parameters, self.FDR, context):
            floor = 2 / (permutations + 1)
            if floor * len(ids) > 0.1 * 50:  # BH needs p <= k * alpha / n: a coarse p cannot get there
                feedback.pushWarning(
                    tr(
                        "With {} permutations no p-value is below {:.4f}; with the FDR correction over {} "
                        "cells few cells can be significant. Use more permutations or normal p-values (0)."
                    ).format(permutations, floor, len(ids))
                )
        result = hotspots.getis_ord_gistar(
            np.nan_to_num(values, nan=0.0),
            weights,
            permutations=permutations,
            seed=self.parameterAsInt(parameters, self.SEED, context),
            fdr=self.parameterAsBool(parameters, self.FDR, context),
            progress=EngineProgress(feedback, 5, 90),
        )
        if np.isnan(values).any():
            feedback.pushWarning(
                tr("{} cells without a value were counted as 0").format(int(np.isnan(values).sum()))
            )
        labels = {b: tr(text) for b, text in LABELS.items()}
        frame = pd.DataFrame(
            {
                "cell_id": ids,
                field: values,
                "gi_z": result.z,
                "gi_p": result.p,
                "gi_p_sim": result.p_sim if result.p_sim is not None else np.full(len(ids), np.nan),
                "gi_p_used": result.p_used,
                "gi_bin": result.bin.astype(int),
                "gi_label": [labels[int(b)] for b in result.bin],
                "n_neighbours": result.n_neighbours,
            }
        )
        columns = {c: "REAL" for c in frame.columns}
        columns.update(cell_id="TEXT", gi_label="TEXT", gi_bin="INTEGER", n_neighbours="INTEGER")
        destination = self.output_geopackage(parameters, context)
        n_hot, n_cold = int((result.bin > 0).sum()), int((result.bin < 0).sum())
        with staged_geopackage(destination) as tmp:
            gpkg.write_like(tmp, TABLE, (path, table), frame, columns, "Gi* hot and cold spots")
            log_run(
                tmp, "beatcast:hotspotgistar", parameters,
                counts={"cells": len(ids), "hot": n_hot, "cold": n_cold, "cutoffs": result.cutoffs},
            )  # fmt: skip
        uri = f"{destination}|layername={TABLE}"
        styling.load_sublayer(context, destination, uri, "gistar", self.OUTPUT)
        return {self.OUTPUT: uri, self.N_HOT: n_hot, self.N_COLD: n_cold}

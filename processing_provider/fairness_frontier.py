"""beatcast:fairnessfrontier: captured risk against the worst group exposure ratio, cap by cap."""

from __future__ import annotations

import math
import re

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import gpkg
from ..core.errors import BeatCastInputError
from ..core.fairness import fairness_frontier
from ..core.patrol_zones import candidate_zones
from . import compat
from .audit_inputs import add_group_parameters, overlap_matrix, read_group_areas
from .base import BeatCastAlgorithm
from .charts import new_chart, save_chart
from .i18n import tr
from .outputs import column_types, log_run, staged_geopackage
from .patrol_inputs import add_forecast_parameters, forecast_cells
from .policy_inputs import add_policy_parameter, read_policy

TABLE = "fairness_frontier"


def cap_label(cap) -> str:
    return tr("no cap") if cap is None or (isinstance(cap, float) and math.isnan(cap)) else f"{cap:g}"


def frontier_chart(frame, path: str) -> None:
    figure, axes = new_chart(6.5, 4.0)
    ok = frame["captured"].notna()
    axes.plot(frame.loc[ok, "worst_ratio"], frame.loc[ok, "captured"], marker="o", color="#2166ac")
    for _, row in frame[ok].iterrows():
        label = cap_label(row["cap"])
        point = (row["worst_ratio"], row["captured"])
        axes.annotate(label, point, textcoords="offset points", xytext=(4, 4), fontsize=8)
    axes.axvline(1.0, color="grey", linewidth=0.8)
    axes.set_xlabel(tr("Worst group exposure ratio"))
    axes.set_ylabel(tr("Expected incidents in the chosen zones"))
    axes.set_title(tr("The price of equity"))
    axes.grid(True, alpha=0.3)
    save_chart(figure, path)


class FairnessFrontierAlgorithm(BeatCastAlgorithm):
    NAME = "fairnessfrontier"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Fairness frontier")
    GROUP_ID = "audit"
    FORECAST, FIELD, CANDIDATES, MAX_ZONES = "FORECAST", "FIELD", "CANDIDATES", "MAX_ZONES"
    AREAS, GROUP_FIELDS, CAPS, CHART = "AREAS", "GROUP_FIELDS", "CAPS", "CHART"
    WORST_FREE, LOSS_TIGHTEST = "WORST_RATIO_UNCONSTRAINED", "LOSS_AT_TIGHTEST_FEASIBLE_CAP"

    def shortHelpString(self):
        return tr(
            "<p>Shows command staff the price of each level of equity. The MAX_ZONES patrol zones that "
            "capture the most forecast risk are chosen (the zone-selection program of Patrol plan, without "
            "routing: each zone counts as one visit) first without a cap, then with every group's exposure "
            "ratio capped at each value of CAPS. The table and chart give, cap by cap, the captured risk, "
            "its loss against no cap, and every group's exposure ratio (share of patrol exposure over share "
            "of population). A cap no selection can meet is marked infeasible.</p>"
            "<p>POLICY (the agency's policy file; empty: BeatCast's defaults): when it sets "
            "patrol.exposure_ratio_cap, that cap is added to CAPS and the column within_policy says which "
            "rows meet it. The run log keeps the policy file, its SHA-256 and its rules.</p>"
        )

    def initAlgorithm(self, config=None):
        add_forecast_parameters(self)
        self.addParameter(
            QgsProcessingParameterNumber(
                self.CANDIDATES, tr("Candidate cells"), compat.NUMBER_INTEGER, 200, minValue=1
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MAX_ZONES, tr("Zones to choose"), compat.NUMBER_INTEGER, 20, minValue=1
            )
        )
        add_group_parameters(self)
        self.addParameter(
            QgsProcessingParameterString(self.CAPS, tr("Caps to try"), "2, 1.5, 1.25, 1.1, 1.0")
        )
        add_policy_parameter(self)
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Fairness frontier"), QgsProcessing.TypeVector
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.CHART, tr("Chart"), tr("PNG image (*.png)"), optional=True
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.WORST_FREE, tr("Worst exposure ratio without a cap")))
        self.addOutput(
            QgsProcessingOutputNumber(
                self.LOSS_TIGHTEST, tr("Captured-risk loss at the tightest feasible cap")
            )
        )

    def compute(self, parameters, context, feedback):
        layer = self.parameterAsVectorLayer(parameters, self.FORECAST, context)
        if layer.crs().isGeographic():
            raise BeatCastInputError(tr("FORECAST: the layer is in degrees; use a forecast on a metric grid"))
        field = self.parameterAsString(parameters, self.FIELD, context) or "expected"
        expected, cx, cy, _, geometries = forecast_cells(layer, field)
        try:
            text = self.parameterAsString(parameters, self.CAPS, context)
            caps = [float(c) for c in re.split(r"[,;\s]+", text) if c]
        except ValueError:
            raise BeatCastInputError(
                tr("CAPS: give numbers separated by commas, e.g. 1.5, 1.25, 1.1")
            ) from None
        policy = read_policy(self, parameters, context)
        policy_cap = policy.patrol["exposure_ratio_cap"]
        if policy_cap is not None and not any(abs(c - policy_cap) < 1e-12 for c in caps):
            caps.append(float(policy_cap))
            caps.sort(reverse=True)
        areas, population = read_group_areas(self, parameters, context, layer.crs())
        zones = candidate_zones(expected, cx, cy, self.parameterAsInt(parameters, self.CANDIDATES, context))
        overlap = overlap_matrix(geometries, areas, feedback)
        feedback.setProgress(30)
        frame = fairness_frontier(
            zones["value"].to_numpy(), zones["cells"].tolist(), overlap, population,
            self.parameterAsInt(parameters, self.MAX_ZONES, context), caps,
        )  # fmt: skip
        destination = self.output_geopackage(parameters, context)
        chart = self.parameterAsFileOutput(parameters, self.CHART, context)
        within = frame["captured"].notna() & (
            frame["worst_ratio"] <= policy_cap + 1e-9 if policy_cap is not None else True
        )
        frame = frame.assign(within_policy=within.astype(int))
        table = frame.assign(cap=frame["cap"].astype(float))
        with staged_geopackage(destination) as tmp:
            gpkg.write_table(tmp, TABLE, table, column_types(table), "captured risk by exposure cap")
            log_run(tmp, "beatcast:fairnessfrontier", parameters, skip=("OUTPUT", self.CHART),
                    counts={"rows": len(frame)}, policy=policy)  # fmt: skip
            if chart:
                frontier_chart(frame, chart)
        for row in frame.itertuples():
            feedback.pushInfo(
                tr("cap {}: captured {:.2f} (loss {:.1%}), worst ratio {:.3f}, {}").format(
                    cap_label(row.cap),
                    row.captured, row.loss, row.worst_ratio, row.status,
                )
            )  # fmt: skip
        feasible = frame[frame["captured"].notna()]
        return {
            self.OUTPUT: f"{destination}|layername={TABLE}",
            self.CHART: chart or None,
            self.WORST_FREE: float(frame["worst_ratio"].iloc[0]),
            self.LOSS_TIGHTEST: float(feasible["loss"].iloc[-1]) if len(feasible) else float(np.nan),
        }

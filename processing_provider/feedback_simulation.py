"""beatcast:feedbacksimulation: the runaway feedback loop of predictive policing (Ensign et al. 2018)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import gpkg
from ..core.errors import BeatCastInputError
from ..core.feedback_loop import simulate_feedback
from . import compat
from .base import BeatCastAlgorithm
from .charts import new_chart, save_chart
from .i18n import tr
from .outputs import column_types, log_run, staged_geopackage

POLICIES = ("urn", "greedy")
TABLE = "feedback_loop"


def parse_rates(text: str) -> np.ndarray:
    parts = [p for p in re.split(r"[,;\s]+", text or "") if p]
    try:
        rates = np.array([float(p) for p in parts])
    except ValueError:
        raise BeatCastInputError(tr("TRUE_RATES: {} is not a list of numbers").format(text)) from None
    if rates.size < 2 or not np.isfinite(rates).all() or (rates <= 0).any():
        raise BeatCastInputError(
            tr("TRUE_RATES: give at least two positive incident rates per day, e.g. 0.5, 0.4")
        )
    return rates


def trajectory_chart(runs: dict, true_share: np.ndarray, path: str) -> None:
    figure, axes = new_chart(7.5, 4.0)
    days = None
    for (label, result), style in zip(runs.items(), ("-", "--"), strict=False):
        days = np.arange(1, result.allocation.shape[0] + 1)
        for k in range(result.allocation.shape[1]):
            line_label = tr("area {}, {}").format(k + 1, label)
            axes.plot(days, result.allocation[:, k], style, color=f"C{k}", label=line_label)
    for k, share in enumerate(true_share):
        axes.axhline(share, color=f"C{k}", linewidth=0.6, linestyle=":")
    axes.set_xscale("log")
    axes.set_xlabel(tr("Day"))
    axes.set_ylabel(tr("Share of patrols so far (dotted: share of true crime)"))
    axes.legend(fontsize=7)
    save_chart(figure, path)


class FeedbackSimulationAlgorithm(BeatCastAlgorithm):
    NAME = "feedbacksimulation"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Feedback loop simulation")
    GROUP_ID = "audit"
    RATES, DAYS, PATROLS, POLICY = "TRUE_RATES", "DAYS", "PATROLS_PER_DAY", "PATROL_POLICY"
    USE_REPORTED, REPORTING, DISCOVERY, EXPLORATION, SEED = (
        "USE_REPORTED", "REPORTING_RATE", "DISCOVERY_RATE", "EXPLORATION", "SEED",
    )  # fmt: skip
    CHART = "CHART"
    ERROR_PLAIN, ERROR_CORRECTED = "FINAL_ERROR_UNCORRECTED", "FINAL_ERROR_CORRECTED"

    def shortHelpString(self):
        return tr(
            '<p>Simulates the runaway feedback loop of predictive policing (Ensign et al. 2018, "Runaway '
            'feedback loops in predictive policing"): areas with known true incident rates; each day '
            "patrols go where the model expects crime (URN: in proportion to the incidents recorded so "
            "far; GREEDY: to the highest); patrols discover incidents only where they go, and the model "
            "is retrained on what was recorded. Optionally reported incidents (which arrive wherever "
            "police are) feed the model too.</p>"
            "<p>Runs twice, without and with Ensign's correction (a discovered incident counts 1 / the "
            "probability that its area was patrolled that day), and reports how far the final patrol "
            "allocation is from the true distribution of crime (L1 distance: 0 is right, 2 is as wrong "
            "as can be). Outputs the daily trajectories, a chart and both errors.</p>"
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterString(self.RATES, tr("True incident rates per area per day"), "0.5, 0.4")
        )
        self.addParameter(
            QgsProcessingParameterNumber(self.DAYS, tr("Days"), compat.NUMBER_INTEGER, 1000, minValue=1)
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.PATROLS, tr("Patrols per day"), compat.NUMBER_INTEGER, 1, minValue=1
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(self.POLICY, tr("Where patrols go"), list(POLICIES), defaultValue=0)
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.USE_REPORTED, tr("Model also learns from reported incidents"), False
            )
        )
        for name, label, default in (
            (self.REPORTING, tr("Share of incidents reported by the public"), 0.0),
            (self.DISCOVERY, tr("Share of incidents a patrol discovers"), 1.0),
            (self.EXPLORATION, tr("Exploration (share of patrols sent at random)"), 0.0),
        ):
            self.addParameter(
                QgsProcessingParameterNumber(
                    name, label, compat.NUMBER_DOUBLE, default, minValue=0.0, maxValue=1.0
                )
            )
        self.addParameter(
            QgsProcessingParameterNumber(self.SEED, tr("Random seed"), compat.NUMBER_INTEGER, 0)
        )
        self.addParameter(
            QgsProcessingParameterVectorDestination(self.OUTPUT, tr("Trajectories"), QgsProcessing.TypeVector)
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.CHART, tr("Chart"), tr("PNG image (*.png)"), optional=True
            )
        )
        self.addOutput(
            QgsProcessingOutputNumber(self.ERROR_PLAIN, tr("Final allocation error without correction"))
        )
        self.addOutput(
            QgsProcessingOutputNumber(self.ERROR_CORRECTED, tr("Final allocation error with correction"))
        )

    def compute(self, parameters, context, feedback):
        rates = parse_rates(self.parameterAsString(parameters, self.RATES, context))
        options = {
            "days": self.parameterAsInt(parameters, self.DAYS, context),
            "patrols_per_day": self.parameterAsInt(parameters, self.PATROLS, context),
            "policy": POLICIES[self.parameterAsEnum(parameters, self.POLICY, context)],
            "use_reported": self.parameterAsBool(parameters, self.USE_REPORTED, context),
            "reporting_rate": self.parameterAsDouble(parameters, self.REPORTING, context),
            "discovery_rate": self.parameterAsDouble(parameters, self.DISCOVERY, context),
            "exploration": self.parameterAsDouble(parameters, self.EXPLORATION, context),
            "seed": self.parameterAsInt(parameters, self.SEED, context),
        }
        runs = {}
        for label, correction in ((tr("uncorrected"), False), (tr("corrected"), True)):
            if feedback.isCanceled():
                return {}
            runs[label] = simulate_feedback(rates, correction=correction, **options)
            feedback.setProgress(45 * len(runs))
        plain, corrected = runs.values()
        days = np.arange(1, options["days"] + 1)
        rows = []
        for k in range(rates.size):
            rows.append(pd.DataFrame({
                "day": days, "area": k + 1, "true_share": plain.true_share[k],
                "allocation_uncorrected": plain.allocation[:, k],
                "allocation_corrected": corrected.allocation[:, k],
                "estimate_uncorrected": plain.estimated[:, k],
                "estimate_corrected": corrected.estimated[:, k],
            }))  # fmt: skip
        frame = pd.concat(rows, ignore_index=True)
        destination = self.output_geopackage(parameters, context)
        chart = self.parameterAsFileOutput(parameters, self.CHART, context)
        with staged_geopackage(destination) as tmp:
            gpkg.write_table(tmp, TABLE, frame, column_types(frame), "feedback loop trajectories")
            log_run(tmp, "beatcast:feedbacksimulation", parameters, skip=("OUTPUT", self.CHART), counts={
                "l1_uncorrected": plain.l1_error, "l1_corrected": corrected.l1_error,
            })  # fmt: skip
            if chart:
                trajectory_chart(runs, plain.true_share, chart)
        for label, result in runs.items():
            shares = ", ".join(f"{v:.3f}" for v in result.final_allocation)
            feedback.pushInfo(
                tr("{}: final patrol shares {} (error {:.3f})").format(label, shares, result.l1_error)
            )
        feedback.pushInfo(tr("true shares {}").format(", ".join(f"{v:.3f}" for v in plain.true_share)))
        return {
            self.OUTPUT: f"{destination}|layername={TABLE}",
            self.CHART: chart or None,
            self.ERROR_PLAIN: plain.l1_error if math.isfinite(plain.l1_error) else None,
            self.ERROR_CORRECTED: corrected.l1_error,
        }

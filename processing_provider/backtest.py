"""beatcast:backtest: rolling-origin evaluation of forecasting models with the field's metrics."""

from __future__ import annotations

import math

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import backtest, forecasting, gpkg
from ..core.errors import BeatCastInputError
from ..core.metrics import DEFAULT_COVERAGES
from . import compat, forecast_inputs, styling
from .base import BeatCastAlgorithm
from .charts import pai_by_coverage_chart
from .feedback import EngineProgress
from .forecast_risk import HORIZON_LABELS
from .i18n import tr
from .outputs import column_types, log_run, staged_geopackage

DEFAULT_MODELS = [
    forecasting.MODELS.index(m) for m in ("naive_recent", "naive_long_run", "kde", "prospective")
]


class BacktestAlgorithm(BeatCastAlgorithm):
    NAME = "backtest"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Backtest forecasting models")
    GROUP_ID = "forecasting"
    MODELS = "MODELS"
    HORIZON = "HORIZON"
    PERIODS = "PERIODS"
    OUTPUT_NAME = "OUTPUT_NAME"
    CHART = "CHART"
    SUMMARY = "SUMMARY"
    BEST_MODEL, BEST_PAI, BEST_HIT, BEST_PEI = "BEST_MODEL", "BEST_PAI_5", "BEST_HIT_RATE_5", "BEST_PEI_5"
    BEST_COVERAGE, BEST_PIT = "BEST_INTERVAL_COVERAGE", "BEST_PIT_COVERAGE"

    def shortHelpString(self):
        return tr(
            "<p>Rolling-origin backtest: for each of the last PERIODS windows of the cube, every chosen "
            "model is fitted on what came before and its forecast compared with what happened. Metrics at "
            "1, 5, 10 and 20 % of the area flagged: hit rate, PAI (Chainey et al. 2008), PEI* (Hunt 2016), "
            "RRI "
            "(Levine 2008, against the previous window); once per period: the Poisson log score and the "
            "coverage of the calibrated 90 % interval.</p>"
            "<p>Outputs: a table per model and period, a summary table (means over periods, pooled PAI, "
            "seconds per fit), a PNG chart of mean PAI by area flagged, and the best model by mean PAI at "
            "5 % with its figures as numbers a model can chain.</p>"
            "<p>Each model is fitted once per origin and the fits are shared by the interval calibration "
            "and the ensemble.</p>"
        )

    def initAlgorithm(self, config=None):
        forecast_inputs.add_cube_parameters(self)
        self.addParameter(
            QgsProcessingParameterEnum(
                self.MODELS,
                tr("Models"),
                list(forecasting.MODELS),
                allowMultiple=True,
                defaultValue=DEFAULT_MODELS,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.HORIZON, tr("Horizon"), [tr(h) for h in HORIZON_LABELS], defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.PERIODS, tr("Periods to evaluate"), compat.NUMBER_INTEGER, 12, minValue=1
            )
        )
        forecast_inputs.add_model_input_parameters(self)
        self.addParameter(QgsProcessingParameterString(self.OUTPUT_NAME, tr("Table name prefix"), "backtest"))
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Backtest tables"), QgsProcessing.TypeVector
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.CHART, tr("PAI chart"), tr("PNG image (*.png)"), optional=True
            )
        )
        self.addOutput(QgsProcessingOutputString(self.SUMMARY, tr("Summary table")))
        self.addOutput(QgsProcessingOutputString(self.BEST_MODEL, tr("Best model (mean PAI at 5 %)")))
        self.addOutput(QgsProcessingOutputNumber(self.BEST_PAI, tr("Best model: mean PAI at 5 %")))
        self.addOutput(QgsProcessingOutputNumber(self.BEST_HIT, tr("Best model: mean hit rate at 5 %")))
        self.addOutput(QgsProcessingOutputNumber(self.BEST_PEI, tr("Best model: mean PEI* at 5 %")))
        self.addOutput(
            QgsProcessingOutputNumber(self.BEST_COVERAGE, tr("Best model: 90 % interval coverage"))
        )
        self.addOutput(QgsProcessingOutputNumber(self.BEST_PIT, tr("Best model: PIT coverage (90 %)")))

    def compute(self, parameters, context, feedback):
        cube, counts, category, grid, _ = forecast_inputs.read_cube_and_grid(self, parameters, context)
        names = [forecasting.MODELS[i] for i in self.parameterAsEnums(parameters, self.MODELS, context)]
        if not names:
            names = [forecasting.MODELS[i] for i in DEFAULT_MODELS]
        horizon_name = forecasting.HORIZONS[self.parameterAsEnum(parameters, self.HORIZON, context)]
        horizon = forecasting.horizon_bins(horizon_name, cube.bins.unit, cube.bins.shift_starts)
        periods = self.parameterAsInt(parameters, self.PERIODS, context)
        policy, covariates, ctx, counts = forecast_inputs.model_inputs(
            self, parameters, context, cube, grid, counts, horizon
        )
        feedback.pushInfo(
            tr("{} over the last {} periods of {} bin(s): {}").format(
                ", ".join(names), periods, horizon, "all categories" if category is None else category
            )
        )
        per_period, summary = backtest.backtest(
            counts, names, lambda m: forecasting.make_model(m, ctx), horizon, periods, grid.area,
            forecasting.ENSEMBLE_MEMBERS,
            calibration_origins=self.parameterAsInt(parameters, forecast_inputs.CALIBRATION, context),
            labels=cube.bins.labels, progress=EngineProgress(feedback, 0, 95),
        )  # fmt: skip
        if summary.empty:
            raise BeatCastInputError(tr("PERIODS: no model could forecast any period"))
        prefix = forecasting.table_prefix(self.parameterAsString(parameters, self.OUTPUT_NAME, context))
        best = summary.sort_values(["pai@5", "model"], ascending=[False, True]).iloc[0]
        destination = self.output_geopackage(parameters, context)
        chart = self.parameterAsFileOutput(parameters, self.CHART, context)
        with staged_geopackage(destination) as tmp:
            gpkg.write_table(
                tmp, f"{prefix}_periods", per_period, column_types(per_period), "backtest per period"
            )
            gpkg.write_table(tmp, f"{prefix}_summary", summary, column_types(summary), "backtest summary")
            if chart:
                title = tr("Backtest: {} periods of {} {} bin(s)").format(periods, horizon, cube.bins.unit)
                pai_by_coverage_chart(summary, DEFAULT_COVERAGES, chart, title)
            log_run(
                tmp, "beatcast:backtest", parameters, skip=("OUTPUT", self.CHART),
                counts={"models": names, "periods": periods, "best": str(best["model"])}, policy=policy,
            )  # fmt: skip
        for _, row in summary.iterrows():
            feedback.pushInfo(
                "{:<16} PAI@1/5/10/20 % {:.2f} {:.2f} {:.2f} {:.2f}  PEI*@5 {:.2f}  coverage {:.3f}".format(
                    row["model"], row["pai@1"], row["pai@5"], row["pai@10"], row["pai@20"], row["pei*@5"],
                    row.get("interval_coverage", math.nan),
                )
            )  # fmt: skip
        uri = f"{destination}|layername={prefix}_summary"
        styling.load_sublayer(context, destination, uri, None, self.OUTPUT)
        return {
            self.OUTPUT: f"{destination}|layername={prefix}_periods",
            self.SUMMARY: uri,
            self.CHART: chart or None,
            self.BEST_MODEL: str(best["model"]),
            self.BEST_PAI: float(best["pai@5"]),
            self.BEST_HIT: float(best["hit@5"]),
            self.BEST_PEI: float(best["pei*@5"]),
            self.BEST_COVERAGE: float(best.get("interval_coverage", math.nan)),
            self.BEST_PIT: float(best.get("pit_coverage", math.nan)),
        }

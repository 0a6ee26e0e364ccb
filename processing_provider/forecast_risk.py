"""beatcast:forecastrisk: expected incidents per cell over the next window, with calibrated intervals,
ranks, explanations, hotspot zones and GeoTIFF surfaces."""

from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import forecasting, gpkg, polyclip
from ..core.errors import BeatCastInputError
from ..core.metrics import evaluate
from . import compat, forecast_inputs, styling
from .base import BeatCastAlgorithm
from .dissolve import dissolve
from .feedback import EngineProgress
from .i18n import tr
from .outputs import log_run, spatial_reference, staged_geopackage
from .rasters import write_cell_geotiff

HORIZON_LABELS = (
    QT_TRANSLATE_NOOP("@default", "Next bin of the cube (next shift on a shift cube)"),
    QT_TRANSLATE_NOOP("@default", "Next day"),
    QT_TRANSLATE_NOOP("@default", "Next week"),
    QT_TRANSLATE_NOOP("@default", "Next 28 days"),
)


def cells_frame(grid, result, observed=None) -> tuple[pd.DataFrame, dict]:
    frame = pd.DataFrame(
        {
            "cell_id": grid.cell_id,
            "expected": result.expected,
            "lower_90": result.lower,
            "upper_90": result.upper,
            "rank": result.rank,
            "percentile": result.percentile,
            "hotspot_zone": np.zeros(len(grid), dtype=np.int64),
            "explanation": result.explanation,
        }
    )
    columns = {c: "REAL" for c in frame.columns}
    columns.update(cell_id="TEXT", explanation="TEXT", rank="INTEGER", hotspot_zone="INTEGER")
    if observed is not None:
        frame["observed"] = observed
        columns["observed"] = "REAL"
    return frame, columns


class ForecastRiskAlgorithm(BeatCastAlgorithm):
    NAME = "forecastrisk"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Forecast risk")
    GROUP_ID = "forecasting"
    MODEL = "MODEL"
    HORIZON = "HORIZON"
    ORIGIN = "ORIGIN"
    HOTSPOT_AREA = "HOTSPOT_AREA"
    OUTPUT_NAME = "OUTPUT_NAME"
    EXPECTED_RASTER, LOWER_RASTER, UPPER_RASTER = "EXPECTED_RASTER", "LOWER_RASTER", "UPPER_RASTER"
    HOTSPOTS = "HOTSPOTS"
    TOTAL, HOTSPOT_SHARE, N_ZONES = "FORECAST_TOTAL", "HOTSPOT_SHARE", "N_HOTSPOT_ZONES"
    INTERVAL_COVERAGE, MODEL_USED = "CALIBRATION_COVERAGE", "MODEL_USED"

    def shortHelpString(self):
        return tr(
            "<p>Forecasts the expected number of incidents in every cell over the next window (the horizon), "
            "from a space-time cube. Models: <b>ensemble</b> (the others weighted by how well they forecast "
            "the recent past), <b>boosted</b> (gradient boosting with Poisson loss on lagged counts, "
            "neighbouring counts, cell covariates and the calendar), <b>sepp</b> (self-exciting point "
            "process, Mohler et al. 2015), <b>prospective</b> (Bowers et al. 2004), <b>kde</b> (kernel "
            "density of the last year), and the naive baselines.</p>"
            "<p>Every forecast has a 90 % interval calibrated on the model's own recent forecasts: negative "
            "binomial, its dispersion fitted and its tails tuned so that the randomised PIT of past cells' "
            "counts fell inside the central 90 % (Czado et al. 2009). Bounds are whole counts, so they cover "
            "at least 90 % of cells (every empty cell whose lower bound is 0).</p>"
            "<p>Outputs: the cells with expected, lower_90, upper_90, rank (1 = highest), percentile, "
            "hotspot_zone and an explanation (the boosted model's top features with their effect on the "
            "forecast, the SEPP's self-excited share, the ensemble's weights); hotspot zones (the top "
            "cells covering HOTSPOT_AREA % of the area, touching cells dissolved, ranked by expected "
            "incidents); GeoTIFFs of expected count and interval bounds; a summary table.</p>"
            "<p>Covariate fields prohibited by the policy (race, ethnicity... and any listed in "
            "PROHIBITED_FIELDS) are refused as model inputs: choose the FEATURES the models may use.</p>"
            "<p>ORIGIN (a local date) forecasts from inside the cube, to compare with what happened: the "
            "cells then also get the observed counts.</p>"
        )

    def initAlgorithm(self, config=None):
        forecast_inputs.add_cube_parameters(self)
        self.addParameter(
            QgsProcessingParameterEnum(self.MODEL, tr("Model"), list(forecasting.MODELS), defaultValue=0)
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.HORIZON, tr("Horizon"), [tr(label) for label in HORIZON_LABELS], defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.ORIGIN, tr("Forecast from (local date; empty: the end of the cube)"), optional=True
            )
        )
        forecast_inputs.add_model_input_parameters(self)
        self.addParameter(
            QgsProcessingParameterNumber(
                self.HOTSPOT_AREA, tr("Hotspot zones: share of the area (%)"), compat.NUMBER_DOUBLE, 5.0,
                minValue=0.1, maxValue=50.0,
            )
        )  # fmt: skip
        self.addParameter(QgsProcessingParameterString(self.OUTPUT_NAME, tr("Table name prefix"), "forecast"))
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Forecast"), QgsProcessing.TypeVectorPolygon
            )
        )
        for name, label in (
            (self.EXPECTED_RASTER, tr("Expected count raster")),
            (self.LOWER_RASTER, tr("Lower bound (90 %) raster")),
            (self.UPPER_RASTER, tr("Upper bound (90 %) raster")),
        ):
            self.addParameter(QgsProcessingParameterRasterDestination(name, label))
        self.addOutput(QgsProcessingOutputNumber(self.TOTAL, tr("Expected incidents in the window")))
        self.addOutput(
            QgsProcessingOutputNumber(self.HOTSPOT_SHARE, tr("Share of the forecast in hotspot zones"))
        )
        self.addOutput(QgsProcessingOutputNumber(self.N_ZONES, tr("Hotspot zones")))
        self.addOutput(
            QgsProcessingOutputNumber(
                self.INTERVAL_COVERAGE, tr("PIT coverage of the 90 % interval on past forecasts")
            )
        )
        self.addOutput(QgsProcessingOutputString(self.MODEL_USED, tr("Model")))
        self.addOutput(QgsProcessingOutputString(self.HOTSPOTS, tr("Hotspot zones layer")))

    def _origin(self, parameters, context, cube) -> int:
        text = self.parameterAsString(parameters, self.ORIGIN, context).strip()
        if not text:
            return cube.n_bins
        try:
            when = pd.Timestamp(text)
        except (ValueError, TypeError):
            raise BeatCastInputError(tr("ORIGIN: {} is not a date").format(text)) from None
        origin = int(np.searchsorted(cube.bins.local, np.datetime64(when.tz_localize(None)), side="left"))
        if not 1 <= origin <= cube.n_bins:
            raise BeatCastInputError(
                tr("ORIGIN: {} is outside the cube ({} to {})").format(text, cube.bins.start, cube.bins.end)
            )
        return origin

    def compute(self, parameters, context, feedback):
        cube, counts, category, grid, (grid_path, grid_table) = forecast_inputs.read_cube_and_grid(
            self, parameters, context
        )
        model = forecasting.MODELS[self.parameterAsEnum(parameters, self.MODEL, context)]
        horizon_name = forecasting.HORIZONS[self.parameterAsEnum(parameters, self.HORIZON, context)]
        horizon = forecasting.horizon_bins(horizon_name, cube.bins.unit, cube.bins.shift_starts)
        origin = self._origin(parameters, context, cube)
        policy, covariates, ctx, counts = forecast_inputs.model_inputs(
            self, parameters, context, cube, grid, counts, horizon
        )
        feedback.pushInfo(
            tr("{}: {} cells x {} bins ({}), forecasting {} bin(s) from bin {}").format(
                model, len(grid), cube.n_bins, cube.bins.unit, horizon, origin
            )
        )
        result = forecasting.run_forecast(
            counts, origin, horizon, model, ctx,
            self.parameterAsInt(parameters, forecast_inputs.CALIBRATION, context),
            progress=EngineProgress(feedback, 0, 80),
        )  # fmt: skip
        coverage = self.parameterAsDouble(parameters, self.HOTSPOT_AREA, context) / 100.0
        zone_of, zones = forecasting.hotspot_zones(result.expected, grid.area, ctx.neighbours, coverage)
        inside = origin + horizon <= cube.n_bins
        observed = counts[:, origin : origin + horizon].sum(axis=1) if inside else None
        frame, columns = cells_frame(grid, result, observed)
        frame["hotspot_zone"] = zone_of
        layer = self.parameterAsVectorLayer(parameters, forecast_inputs.GRID, context)
        feedback.setProgress(82)
        polygons = dissolve(layer, zone_of, len(zones), feedback)
        if feedback.isCanceled():
            return {}
        prefix = forecasting.table_prefix(self.parameterAsString(parameters, self.OUTPUT_NAME, context))
        summary = self._summary(cube, category, result, origin, horizon, policy, covariates, zones)
        if observed is not None:
            scores = evaluate(result.expected, observed, grid.area, lower=result.lower, upper=result.upper)
            scores["pit_coverage"] = result.calibration.pit_coverage(result.expected, observed)
            summary.update({f"observed {k}": v for k, v in scores.items()})
        features = list(covariates.columns) if covariates is not None else []
        total = float(result.expected.sum())
        destination = self.output_geopackage(parameters, context)
        crs = cube.crs or grid.spec.crs
        rasters = {}
        with staged_geopackage(destination) as tmp:
            gpkg.write_like(
                tmp, f"{prefix}_cells", (grid_path, grid_table), frame, columns, "forecast per cell"
            )
            zone_columns = {"zone": "INTEGER", "cells": "INTEGER", "area_m2": "REAL", "expected": "REAL",
                            "share": "REAL", "peak": "REAL"}  # fmt: skip
            polyclip.write_polygons(
                tmp, f"{prefix}_hotspots", zones, zone_columns, polygons, spatial_reference(crs, context),
                "hotspot zones, ranked",
            )  # fmt: skip
            table = pd.DataFrame({"key": list(summary), "value": [str(v) for v in summary.values()]})
            gpkg.write_table(
                tmp, f"{prefix}_summary", table, {"key": "TEXT", "value": "TEXT"}, "forecast summary"
            )
            for name, values, label in (
                (self.EXPECTED_RASTER, result.expected, "expected"),
                (self.LOWER_RASTER, result.lower, "lower_90"),
                (self.UPPER_RASTER, result.upper, "upper_90"),
            ):
                path = self.parameterAsOutputLayer(parameters, name, context)
                rasters[name] = write_cell_geotiff(path, grid, values, crs, label)
            log_run(
                tmp, "beatcast:forecastrisk", parameters,
                skip=("OUTPUT", self.EXPECTED_RASTER, self.LOWER_RASTER, self.UPPER_RASTER),
                counts={"cells": len(grid), "zones": len(zones), "expected_total": total,
                        "features": features},
                policy=policy,
            )  # fmt: skip
        for key in ("model", "weights", "calibration"):
            if key in summary:
                feedback.pushInfo(f"{key}: {summary[key]}")
        cells_uri = f"{destination}|layername={prefix}_cells"
        zones_uri = f"{destination}|layername={prefix}_hotspots"
        if styling.load_sublayer(context, destination, cells_uri, "graduated:expected", self.OUTPUT):
            styling.add_layer(context, zones_uri, tr("Hotspot zones"), "hotspot_zones", self.HOTSPOTS)
        for name in rasters:
            styling.style_raster(context, rasters[name], "raster:Reds")
        return {
            self.OUTPUT: cells_uri,
            self.HOTSPOTS: zones_uri,
            **rasters,
            self.TOTAL: total,
            self.HOTSPOT_SHARE: float(zones["expected"].sum() / total) if total > 0 else 0.0,
            self.N_ZONES: len(zones),
            self.INTERVAL_COVERAGE: result.calibration.coverage,
            self.MODEL_USED: model,
        }

    @staticmethod
    def _summary(cube, category, result, origin, horizon, policy, covariates, zones) -> dict:
        edges = forecast_inputs.extended_bins(cube, horizon).local
        start, end = (pd.Timestamp(edges[i]).strftime("%Y-%m-%d %H:%M") for i in (origin, origin + horizon))
        cal = result.calibration
        summary = {
            "model": result.model,
            "category": category or "all",
            "time unit": cube.bins.unit,
            "forecast from (local)": start,
            "forecast to (local)": end,
            "horizon bins": horizon,
            "expected total": float(result.expected.sum()),
            "hotspot zones": len(zones),
            "calibration": f"negative binomial dispersion {cal.dispersion:.4g}, tail {cal.tail:.4g}, "
            f"PIT coverage {cal.coverage:.3f} on {cal.origins} past forecasts" if cal.calibrated
            else "not calibrated (too little history): 90 % Poisson interval",
            "covariates": ", ".join(covariates.columns) if covariates is not None else "",
            "policy": policy.source,
            "policy sha256": policy.sha256,
        }  # fmt: skip
        if result.weights:
            summary["weights"] = ", ".join(f"{k} {v:.3f}" for k, v in result.weights.items())
        return summary

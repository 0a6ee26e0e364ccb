"""beatcast:monitordrift: does what arrived since a forecast's origin still match what it expected?

Adapter around ``core.drift.assess``: the forecast's expected total over [from, to) is spread evenly over
the cube's bins in that span, the recent window is the cube's observed bins since the origin, and the
engine's per-cell alerts, feature shift, skill decay and refresh decision are written to one GeoPackage.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP
from scipy import sparse

from ..core import drift, gpkg, polyclip
from ..core.errors import BeatCastInputError
from ..core.hotspots import weights_distance
from ..core.timecovariates import calendar_features
from . import compat, forecast_inputs, styling
from .base import BeatCastAlgorithm
from .feedback import EngineProgress
from .i18n import tr
from .layers import gpkg_table_of
from .outputs import column_types, log_run, spatial_reference, staged_geopackage

ALERTS, AREAS, SUMMARY, FEATURES = "drift_alerts", "drift_areas", "drift_summary", "drift_features"
COVARIATES_TABLE, BACKTEST_TABLE = "time_covariates", "backtest_periods"
KNOWN_HOT_SHARE = 0.05  # the forecast's top 5 % cells are known hot spots, not new clusters
COVARIATE_REFERENCE_DAYS = 365
PAST_WINDOWS = 6  # windows before the recent one that calibrate the CUSUM's h with the simulation
# Parameter name -> core.drift threshold key.
THRESHOLDS = {
    "EXCEEDANCE_P": (
        "exceedance_p",
        QT_TRANSLATE_NOOP("@default", "Exceedance: p below which a cell alerts"),
    ),
    "CUSUM_FALSE_ALARM_RATE": (
        "cusum_false_alarm_rate",
        QT_TRANSLATE_NOOP("@default", "CUSUM: share of cells allowed to alarm when the forecast is right"),
    ),
    "GI_ALPHA": ("gi_alpha", QT_TRANSLATE_NOOP("@default", "New clusters: significance level (FDR)")),
    "PSI_MAX": ("psi_max", QT_TRANSLATE_NOOP("@default", "Feature shift: PSI above which to refresh")),
    "SKILL_TOLERANCE": (
        "skill_tolerance",
        QT_TRANSLATE_NOOP("@default", "Skill: refresh when PAI falls below this share of the baseline"),
    ),
    "REFRESH_SHARE": (
        "refresh_share",
        QT_TRANSLATE_NOOP("@default", "Refresh when more than this share of cells alert"),
    ),
}


def _when(text: str, name: str) -> pd.Timestamp:
    try:
        when = pd.Timestamp(text)
    except (ValueError, TypeError):
        raise BeatCastInputError(tr("{}: {} is not a date").format(name, text)) from None
    return when.tz_localize(None) if when.tzinfo is not None else when


def _key_values(path: str, table: str) -> dict:
    if table not in gpkg.table_names(path):
        return {}
    frame = gpkg.read_table(path, table)
    return dict(zip(frame["key"].astype(str), frame["value"].astype(str))) if "key" in frame else {}


class MonitorDriftAlgorithm(BeatCastAlgorithm):
    NAME = "monitordrift"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Monitor drift")
    GROUP_ID = "forecasting"
    FORECAST, FIELD = "FORECAST", "FIELD"
    FORECAST_FROM, FORECAST_TO, UNTIL = "FORECAST_FROM", "FORECAST_TO", "UNTIL"
    NEIGHBOUR_DISTANCE, AREA_FIELD, SEED = "NEIGHBOUR_DISTANCE", "AREA_FIELD", "SEED"
    DISPERSION = "DISPERSION"
    N_ALERTS, MAX_SEVERITY, REFRESH, REASONS = "N_ALERTS", "MAX_SEVERITY", "REFRESH", "REASONS"
    AREAS_OUTPUT = "AREAS"

    def shortHelpString(self):
        return tr(
            "<p>Compares what arrived since a forecast's origin with what the forecast expected, cell by "
            "cell, and says whether the forecast should be refreshed.</p>"
            "<p>The forecast's expected count over [FORECAST_FROM, FORECAST_TO) (read from the forecast's "
            "summary table when left empty) is spread evenly over the cube's bins in that span. The recent "
            "window is the cube's bins from FORECAST_FROM up to UNTIL or the last bin with data, and never "
            "past FORECAST_TO.</p>"
            "<p>Three tests per cell: the window total's Poisson exceedance p; an upper CUSUM of the "
            "standardised residuals per bin, its decision interval h calibrated by simulation so that about "
            "CUSUM_FALSE_ALARM_RATE of the cells alarm when the forecast is right; and a new cluster: the "
            "cells within NEIGHBOUR_DISTANCE saw significantly more than expected (Poisson tail of their "
            "summed counts, Benjamini-Hochberg at GI_ALPHA; the question Gi* asks, without its normal "
            "approximation, which fails on sparse counts; the forecast's top 5 % cells are known, not "
            "new). Severity = the number of tests fired (3 when p is 100 times below EXCEEDANCE_P).</p>"
            "<p>Feature shift (PSI): the models' lag features, i.e. per-cell counts in the recent window "
            "against per-cell counts in as many bins just before FORECAST_FROM (scaled to the same length "
            "when fewer exist); and, on a daily cube whose GeoPackage holds a time_covariates table, each "
            "numeric signal (not the calendar) in the recent bins against the 365 days before. Skill: when "
            "the forecast or cube GeoPackage holds a backtest_periods table, the window's PAI (5 % of the "
            "area) against that backtest's mean PAI (the forecast's model, else the best model).</p>"
            "<p>Refresh when more than REFRESH_SHARE of the cells alert, a feature's PSI exceeds PSI_MAX, "
            "or the PAI fell below SKILL_TOLERANCE of the baseline. Outputs: drift_alerts (cells with "
            "severity >= 1 and their evidence), drift_areas (per value of the grid's label field), "
            "drift_features (PSI) and drift_summary.</p>"
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFile(
                forecast_inputs.CUBE, tr("GeoPackage holding the cube"), extension="gpkg"
            )
        )
        self.addParameter(QgsProcessingParameterString(forecast_inputs.CUBE_NAME, tr("Cube name"), "daily"))
        self.addParameter(
            QgsProcessingParameterString(forecast_inputs.CATEGORY, tr("Category (empty: all)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                forecast_inputs.GRID, tr("Grid the cube was counted on"), [compat.TYPE_VECTOR_POLYGON]
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.FORECAST, tr("Forecast cells (from Forecast risk)"), [compat.TYPE_VECTOR_ANY]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.FIELD, tr("Expected count field (empty: expected)"), defaultValue="expected",
                parentLayerParameterName=self.FORECAST, type=QgsProcessingParameterField.Numeric,
                optional=True,
            )
        )  # fmt: skip
        for name, label in (
            (self.FORECAST_FROM, tr("Forecast from (local; empty: from the forecast's summary)")),
            (self.FORECAST_TO, tr("Forecast to (local; empty: from the forecast's summary)")),
            (self.UNTIL, tr("Observed until (local, exclusive; empty: the last bin with data)")),
        ):
            self.addParameter(QgsProcessingParameterString(name, label, optional=True))
        for name, (key, label) in THRESHOLDS.items():
            parameter = QgsProcessingParameterNumber(
                name, tr(label), compat.NUMBER_DOUBLE, drift.DEFAULT_THRESHOLDS[key], True, minValue=0.0
            )
            self.addParameter(parameter)
        self.addParameter(
            QgsProcessingParameterNumber(
                self.DISPERSION,
                tr("CUSUM: negative binomial dispersion (empty: the forecast's calibrated one, else 0)"),
                compat.NUMBER_DOUBLE, None, True, minValue=0.0,
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterNumber(
                self.NEIGHBOUR_DISTANCE, tr("New clusters: neighbourhood (m; 0: 2.5 x the cell size)"),
                compat.NUMBER_DOUBLE, 0.0, True, minValue=0.0,
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterField(
                self.AREA_FIELD, tr("Areas: grid label field (empty: the grid's first label field)"),
                parentLayerParameterName=forecast_inputs.GRID, optional=True,
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterNumber(self.SEED, tr("Random seed"), compat.NUMBER_INTEGER, 0)
        )
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Drift alerts"), QgsProcessing.TypeVectorPolygon
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.N_ALERTS, tr("Cells alerting (severity >= 1)")))
        self.addOutput(QgsProcessingOutputNumber(self.MAX_SEVERITY, tr("Highest severity")))
        self.addOutput(QgsProcessingOutputNumber(self.REFRESH, tr("Refresh the forecast (1 = yes)")))
        self.addOutput(QgsProcessingOutputString(self.REASONS, tr("Reasons to refresh")))
        self.addOutput(QgsProcessingOutputString(self.AREAS_OUTPUT, tr("Alerts per area table")))

    # -- inputs --------------------------------------------------------------------------------------

    def _forecast(self, parameters, context, grid) -> tuple[np.ndarray, dict, str | None]:
        """Expected counts in grid order, the forecast's summary (key/value) and its GeoPackage."""
        layer = self.parameterAsVectorLayer(parameters, self.FORECAST, context)
        field = self.parameterAsString(parameters, self.FIELD, context) or "expected"
        names = [f.name() for f in layer.fields()]
        for needed in ("cell_id", field):
            if needed not in names:
                raise BeatCastInputError(tr("FORECAST: {} has no field {}").format(layer.name(), needed))
        values = {}
        for feature in layer.getFeatures():
            value = feature[field]
            values[str(feature["cell_id"])] = (
                np.nan if value is None or str(value) == "NULL" else float(value)
            )
        ids = [str(c) for c in grid.cell_id]
        missing = [c for c in ids if c not in values]
        extra = len(set(values) - set(ids))
        if missing or extra:
            raise BeatCastInputError(
                tr(
                    "FORECAST: its cell ids do not match the grid ({} grid cells missing, {} unknown cells; "
                    "first missing: {}): forecast on the same grid as the cube"
                ).format(len(missing), extra, missing[0] if missing else "-")
            )
        expected = np.array([values[c] for c in ids])
        if not np.isfinite(expected).all() or (expected < 0).any():
            raise BeatCastInputError(tr("FORECAST: {} must be numbers >= 0 in every cell").format(field))
        where = gpkg_table_of(layer.source())
        summary, store = {}, None
        if where is not None:
            store = where[0]
            if where[1].endswith("_cells"):
                summary = _key_values(store, where[1][: -len("_cells")] + "_summary")
        return expected, summary, store

    def _span(self, parameters, context, summary) -> tuple[pd.Timestamp, pd.Timestamp]:
        out = []
        for name, key in (
            (self.FORECAST_FROM, "forecast from (local)"),
            (self.FORECAST_TO, "forecast to (local)"),
        ):
            text = self.parameterAsString(parameters, name, context).strip() or summary.get(key, "")
            if not text:
                raise BeatCastInputError(
                    tr("{}: empty, and the forecast has no summary table with '{}': give it").format(
                        name, key
                    )
                )
            out.append(_when(text, name))
        if out[1] <= out[0]:
            raise BeatCastInputError(
                tr("FORECAST_TO: {} is not after FORECAST_FROM {}").format(out[1], out[0])
            )
        return out[0], out[1]

    def _window(self, parameters, context, cube, counts, start, end) -> tuple[int, int, np.ndarray]:
        """First and end (exclusive) bin of the recent window and the expected share of every bin in it."""
        local = pd.DatetimeIndex(cube.bins.local)
        lo = int(local.searchsorted(start, side="left"))
        per_bin = np.asarray(counts.sum(axis=0)).ravel()
        with_data = np.flatnonzero(per_bin > 0)
        hi = int(with_data[-1]) + 1 if with_data.size else 0
        hi = min(hi, int(local.searchsorted(end, side="right")) - 1)  # whole bins inside the forecast span
        until_text = self.parameterAsString(parameters, self.UNTIL, context).strip()
        if until_text:
            until = _when(until_text, self.UNTIL)
            hi = min(hi, int(local.searchsorted(until, side="right")) - 1)
            if hi <= lo:
                raise BeatCastInputError(
                    tr("UNTIL: {} leaves no observed bin after FORECAST_FROM {} (the window would be empty)")
                    .format(until, start)
                )  # fmt: skip
        if lo >= cube.n_bins or hi <= lo:
            last = local[hi] if 0 < hi <= cube.n_bins else cube.bins.start
            raise BeatCastInputError(
                tr("FORECAST_FROM: no observed bin of the cube from {} (the cube has data until {})").format(
                    start, last
                )
            )
        hours = np.diff(local[lo : hi + 1].asi8) / 3.6e12
        span = (end - start) / pd.Timedelta(hours=1)
        return lo, hi, hours / span

    @staticmethod
    def _past_windows(counts, lo: int, hi: int) -> list[np.ndarray]:
        """The PAST_WINDOWS windows of the recent window's length just before it (bins x cells), for the
        CUSUM's decision interval (core.drift.calibrate_cusum_h_past)."""
        length, out = hi - lo, []
        for w in range(1, PAST_WINDOWS + 1):
            start = lo - w * length
            if start < 0:
                break
            block = counts[:, start : start + length]
            out.append(np.asarray(block.toarray() if sparse.issparse(block) else block, dtype=np.float64).T)
        return out

    def _lag_features(self, counts, lo, hi) -> tuple[pd.Series, pd.Series, str]:
        """Per-cell counts in the window vs the same number of bins just before it (scaled when fewer)."""
        n = hi - lo
        before = max(0, lo - n)
        current = np.asarray(counts[:, lo:hi].sum(axis=1)).ravel()
        if lo == before:
            return None, None, tr("lag features: no bins before FORECAST_FROM, skipped")
        reference = np.asarray(counts[:, before:lo].sum(axis=1)).ravel() * n / (lo - before)
        note = tr("lag features: per-cell counts in {} bins vs the {} bins before").format(n, lo - before)
        return pd.Series(reference), pd.Series(current), note

    def _covariate_features(self, store, cube, lo, hi) -> tuple[dict, dict, str]:
        if COVARIATES_TABLE not in gpkg.table_names(store):
            return (
                {},
                {},
                tr("time covariates: no {} table in the cube GeoPackage, skipped").format(COVARIATES_TABLE),
            )
        if cube.bins.unit != "day":
            return (
                {},
                {},
                tr("time covariates: compared on daily cubes only ({} cube), skipped").format(cube.bins.unit),
            )
        table = gpkg.read_table(store, COVARIATES_TABLE)
        calendar = set(calendar_features(cube.bins).columns) | {"fid", "bin_label", "bin_start_utc"}
        numeric = [c for c in table.columns if c not in calendar and pd.api.types.is_numeric_dtype(table[c])]
        rows = table.set_index(table["bin_label"].astype(str)) if "bin_label" in table else None
        if rows is None or not numeric:
            return {}, {}, tr("time covariates: no numeric signal to compare, skipped")
        labels = [str(label) for label in cube.bins.labels]
        first = max(0, lo - COVARIATE_REFERENCE_DAYS)
        reference, current = {}, {}
        for column in numeric:
            ref = rows[column].reindex(labels[first:lo]).to_numpy(dtype=float)
            cur = rows[column].reindex(labels[lo:hi]).to_numpy(dtype=float)
            if np.isfinite(ref).any() and np.isfinite(cur).any():
                reference[column], current[column] = pd.Series(ref), pd.Series(cur)
        note = tr("time covariates: {} in {} recent bins vs the {} bins before").format(
            ", ".join(reference) or "none with values", hi - lo, lo - first
        )
        return reference, current, note

    def _baseline_pai(self, stores, model) -> tuple[float | None, str]:
        for store in stores:
            if store is None or BACKTEST_TABLE not in gpkg.table_names(store):
                continue
            periods = gpkg.read_table(store, BACKTEST_TABLE)
            if not {"model", "pai@5"} <= set(periods.columns):
                continue
            means = periods.groupby("model")["pai@5"].mean().dropna()
            if means.empty:
                continue
            chosen = model if model in means.index else str(means.idxmax())
            return float(means[chosen]), tr("skill: baseline PAI {:.3g} = mean pai@5 of {} in {}").format(
                means[chosen], chosen, store
            )
        return None, tr("skill: no {} table in the forecast or cube GeoPackage, skipped").format(
            BACKTEST_TABLE
        )

    def _dispersion(self, parameters, context, summary) -> tuple[float, str]:
        if parameters.get(self.DISPERSION) not in (None, ""):
            value = self.parameterAsDouble(parameters, self.DISPERSION, context)
            return value, tr("CUSUM dispersion {:.4g} (DISPERSION)").format(value)
        found = re.search(r"dispersion ([0-9.eE+-]+)", summary.get("calibration", ""))
        if found is None:
            return 0.0, tr("CUSUM dispersion 0 (Poisson): the forecast has no calibrated dispersion")
        value = float(found.group(1))
        return value, tr("CUSUM dispersion {:.4g}, the forecast's calibrated negative binomial").format(value)

    def _areas(self, parameters, context, grid) -> tuple[str | None, np.ndarray | None]:
        chosen = self.parameterAsString(parameters, self.AREA_FIELD, context)
        if chosen and chosen not in grid.attributes:
            raise BeatCastInputError(tr("AREA_FIELD: the grid has no label field {}").format(chosen))
        name = chosen or next(iter(grid.attributes), None)
        return name, (None if name is None else np.asarray(grid.attributes[name]))

    # -- the run -------------------------------------------------------------------------------------

    def compute(self, parameters, context, feedback):
        cube, counts, category, grid, (grid_path, grid_table) = forecast_inputs.read_cube_and_grid(
            self, parameters, context
        )
        counts = counts.tocsc() if sparse.issparse(counts) else np.asarray(counts)
        expected, summary, forecast_store = self._forecast(parameters, context, grid)
        start, end = self._span(parameters, context, summary)
        lo, hi, share = self._window(parameters, context, cube, counts, start, end)
        local = pd.DatetimeIndex(cube.bins.local)
        window = f"{local[lo]:%Y-%m-%d %H:%M} to {local[hi]:%Y-%m-%d %H:%M}"
        feedback.pushInfo(
            tr("Recent window: {} bins ({}), {:.1%} of the forecast span").format(
                hi - lo, window, share.sum()
            )
        )
        observed = counts[:, lo:hi]
        observed = np.asarray(
            observed.toarray() if sparse.issparse(observed) else observed, dtype=np.float64
        ).T
        expected_recent = share[:, None] * expected[None, :]
        notes = []
        lag_ref, lag_cur, note = self._lag_features(counts, lo, hi)
        notes.append(note)
        store = self.parameterAsFile(parameters, forecast_inputs.CUBE, context)
        cov_ref, cov_cur, note = self._covariate_features(store, cube, lo, hi)
        notes.append(note)
        reference = {**({"lag_counts": lag_ref} if lag_ref is not None else {}), **cov_ref}
        current = {**({"lag_counts": lag_cur} if lag_cur is not None else {}), **cov_cur}
        baseline, note = self._baseline_pai((forecast_store, store), summary.get("model"))
        notes.append(note)
        for note in notes:
            feedback.pushInfo(note)
        history = {}
        if baseline is not None:  # the window as the last PAI_WINDOW periods: the rolling PAI is its PAI
            repeat = drift.PAI_WINDOW
            history = dict(
                forecasts_history=np.tile(expected_recent.sum(axis=0), (repeat, 1)),
                observed_history=np.tile(observed.sum(axis=0), (repeat, 1)),
                baseline_pai=baseline,
                area=np.asarray(grid.area, dtype=float),
            )
        distance = (
            self.parameterAsDouble(parameters, self.NEIGHBOUR_DISTANCE, context) or 2.5 * grid.spec.size
        )
        weights = weights_distance(np.asarray(grid.centroid_x), np.asarray(grid.centroid_y), float(distance))
        known = (expected >= np.quantile(expected, 1.0 - KNOWN_HOT_SHARE)) & (expected > 0)
        thresholds = {
            key: self.parameterAsDouble(parameters, name, context) for name, (key, _) in THRESHOLDS.items()
        }
        thresholds["dispersion"], note = self._dispersion(parameters, context, summary)
        feedback.pushInfo(note)
        notes.append(note)
        past = self._past_windows(counts, lo, hi)
        note = tr("CUSUM h: calibrated by simulation and on the {} windows before the recent one")
        notes.append(note.format(len(past)))
        feedback.pushInfo(notes[-1])
        result = drift.assess(
            expected_recent, observed, weights, thresholds, past_observed=past,
            feature_reference=pd.DataFrame(reference) if reference else None,
            feature_current=pd.DataFrame(current) if current else None,
            seed=self.parameterAsInt(parameters, self.SEED, context),
            progress=EngineProgress(feedback, 5, 85), baseline_hot=known, **history,
        )  # fmt: skip
        cells = result.cells.copy()
        cells.insert(0, "cell_id", [str(c) for c in grid.cell_id])
        cells["new_cluster"] = cells["new_cluster"].astype(np.int64)
        alerting = np.flatnonzero(cells["severity"].to_numpy() >= 1)
        area_name, labels = self._areas(parameters, context, grid)
        areas = None
        if labels is not None:
            names = sorted({str(v) for v in labels if str(v) not in ("", "None", "nan")})
            index = {v: i for i, v in enumerate(names)}
            rows = [i for i, v in enumerate(labels) if str(v) in index]
            overlap = sparse.csr_matrix(
                (np.ones(len(rows)), (rows, [index[str(labels[i])] for i in rows])),
                shape=(len(grid), len(names)),
            )
            areas = drift.area_alerts(result.cells, overlap, names)
        run_summary = self._summary(result, window, start, end, hi - lo, category, area_name, notes)
        destination = self.output_geopackage(parameters, context)
        crs = cube.crs or grid.spec.crs
        feedback.setProgress(88)
        with staged_geopackage(destination) as tmp:
            subset = cells.iloc[alerting].reset_index(drop=True)
            columns = column_types(subset)
            polyclip.write_polygons(
                tmp, ALERTS, subset, columns, [grid.polygons[i] for i in alerting],
                spatial_reference(crs, context), "drift alerts: cells with severity >= 1",
            )  # fmt: skip
            if areas is not None:
                gpkg.write_table(tmp, AREAS, areas, column_types(areas), f"drift alerts per {area_name}")
            if result.features is not None:
                gpkg.write_table(tmp, FEATURES, result.features, column_types(result.features), "feature PSI")
            table = pd.DataFrame({"key": list(run_summary), "value": [str(v) for v in run_summary.values()]})
            gpkg.write_table(tmp, SUMMARY, table, {"key": "TEXT", "value": "TEXT"}, "drift summary")
            log_run(
                tmp, "beatcast:monitordrift", parameters,
                inputs={"cube": store, "grid": grid_path, "forecast": forecast_store or ""},
                counts={"cells": len(grid), "alerts": int(alerting.size), "bins": hi - lo,
                        "refresh": bool(result.refresh)},
            )  # fmt: skip
        for reason in result.reasons:
            feedback.pushWarning(reason)
        max_severity = int(cells["severity"].max()) if len(cells) else 0
        feedback.pushInfo(
            tr("{} of {} cells alert (highest severity {}), CUSUM h {:.3g}: {}").format(
                alerting.size, len(grid), max_severity, result.h,
                tr("refresh the forecast") if result.refresh else tr("the forecast still holds"),
            )
        )  # fmt: skip
        uri = f"{destination}|layername={ALERTS}"
        styling.load_sublayer(context, destination, uri, "drift_alerts", self.OUTPUT)
        return {
            self.OUTPUT: uri,
            self.AREAS_OUTPUT: f"{destination}|layername={AREAS}" if areas is not None else "",
            self.N_ALERTS: int(alerting.size),
            self.MAX_SEVERITY: max_severity,
            self.REFRESH: 1 if result.refresh else 0,
            self.REASONS: "\n".join(result.reasons),
        }

    @staticmethod
    def _summary(result, window, start, end, n_bins, category, area_name, notes) -> dict:
        summary = {
            "refresh": int(result.refresh),
            "reasons": " | ".join(result.reasons),
            "window (local)": window,
            "window bins": n_bins,
            "forecast from (local)": f"{start:%Y-%m-%d %H:%M}",
            "forecast to (local)": f"{end:%Y-%m-%d %H:%M}",
            "category": category or "all",
            "cusum h": result.h,
            "thresholds": ", ".join(f"{k} {v}" for k, v in result.thresholds.items()),
            "areas": area_name or "",
            "alerting cells": int((result.cells["severity"] >= 1).sum()),
            "cusum alarms": int((result.cells["cusum_first_alarm"] >= 0).sum()),
            "notes": " | ".join(notes),
        }
        if result.skill is not None:
            summary["skill"] = (
                f"PAI {result.skill['rolling_pai'][-1]:.4g}, baseline {result.skill['baseline']:.4g}"
            )
        if result.features is not None:
            summary["psi"] = ", ".join(f"{r.feature} {r.psi:.4f}" for r in result.features.itertuples())
        return summary

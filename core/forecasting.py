"""Forecasting as the algorithms use it: models by name with defaults scaled to the cube's time unit,
horizons in the analyst's words, calibrated forecasts with ranks and explanations, and hotspot zones.

Defaults are set in days (and metres) and converted to bins of the cube's unit, so the same model means
the same thing on a daily, weekly or shift cube:

================  ===============================================================================
naive_recent      mean of the last 28 days
naive_seasonal    the same period one year (364 days, so weekdays align) earlier, averaged over years
naive_long_run    mean of every bin before the forecast origin
kde               Gaussian kernel density of the last 365 days, bandwidth 4/3 of the cell size
prospective       Bowers et al. prospective hotspot: bandwidth 2 cell sizes, time decay 28 days,
                  window 180 days
sepp              grid self-exciting point process (Mohler et al. 2015), fitted on the last 365 days
boosted           gradient boosting with Poisson loss on lagged counts (mean of the last 1, 4, 13, 52
                  and 208 weeks), neighbour counts, cell covariates and the calendar
ensemble          the models above except the seasonal one, weighted by stacking on the recent
                  backtest (``core.ensemble``)
================  ===============================================================================

Every forecast's interval is calibrated on the model's own recent forecasts (``core.intervals``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from . import baselines, optional, spatial_models
from .backtest import RollingForecasts
from .ensemble import Ensemble
from .errors import BeatCastInputError
from .intervals import Calibration
from .metrics import top_cells

MODELS = (
    "ensemble",
    "boosted",
    "sepp",
    "prospective",
    "kde",
    "naive_recent",
    "naive_seasonal",
    "naive_long_run",
)
ENSEMBLE_MEMBERS = ("naive_recent", "naive_long_run", "kde", "prospective", "sepp", "boosted")
HORIZONS = ("bin", "day", "week", "28days")
BOOSTED_LAG_DAYS = (7, 28, 91, 364, 1456)  # windows of the lagged-count features; clipped at the cube's start
HORIZON_DAYS = {"day": 1, "week": 7, "28days": 28}
BINS_PER_DAY = {"hour": 24.0, "day": 1.0, "week": 1 / 7, "month": 12 / 365.25}
__all__ = ["ENSEMBLE_MEMBERS", "HORIZONS", "MODELS", "ForecastResult", "ModelContext"]
__all__ += [
    "bins_per_day",
    "horizon_bins",
    "hotspot_zones",
    "make_model",
    "rank_and_percentile",
    "run_forecast",
]


def table_prefix(text: str) -> str:
    """A safe table-name prefix: lower case letters, digits and "_", starting with a letter."""
    prefix = str(text).strip().lower() or "forecast"
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", prefix):
        raise BeatCastInputError(
            f"OUTPUT_NAME: {text!r} is not a usable table name prefix (letters, digits and _, starting "
            "with a letter, at most 41 characters)"
        )
    return prefix


def bins_per_day(unit: str, shift_starts=()) -> float:
    if unit == "shift":
        return float(len(shift_starts))
    if unit not in BINS_PER_DAY:
        raise BeatCastInputError(f"unknown time unit {unit!r}")
    return BINS_PER_DAY[unit]


def horizon_bins(horizon: str, unit: str, shift_starts=()) -> int:
    """Bins of the cube's ``unit`` in the horizon: "bin" (the next bin: the next shift on a shift cube),
    "day", "week" or "28days". Fails when the horizon is not a whole number of bins (a day of a weekly
    cube)."""
    if horizon not in HORIZONS:
        raise BeatCastInputError(f"HORIZON must be one of {', '.join(HORIZONS)}, got {horizon!r}")
    if horizon == "bin":
        return 1
    if unit == "month":
        raise BeatCastInputError("HORIZON: a monthly cube forecasts whole months: use the next bin")
    n = HORIZON_DAYS[horizon] * bins_per_day(unit, shift_starts)
    if n < 1 or abs(n - round(n)) > 1e-9:
        raise BeatCastInputError(
            f"HORIZON: a {horizon} horizon is not a whole number of {unit} bins; choose a longer horizon "
            "or a cube with shorter bins"
        )
    return int(round(n))


@dataclass
class ModelContext:
    """What the models may use besides the counts, all in cube cell order."""

    x: np.ndarray  # cell centroids, metres
    y: np.ndarray
    area: np.ndarray  # m²
    neighbours: sparse.csr_matrix  # cells x cells adjacency (no self loops)
    cell_size: float  # metres
    per_day: float = 1.0  # bins per day (bins_per_day)
    covariates: pd.DataFrame | None = None  # one row per cell, numeric columns: model features
    calendar: pd.DataFrame | None = None  # one row per bin (at least through the forecast horizon)
    seed: int = 0

    def days(self, days: float) -> int:
        """A span of days in bins (at least 1)."""
        return max(1, int(round(days * self.per_day)))


def make_model(name: str, ctx: ModelContext, area=None):
    """A fresh model by registry name (see the module docstring for the defaults)."""
    if name == "naive_recent":
        return baselines.NaiveRecent(ctx.days(28))
    if name == "naive_seasonal":
        return baselines.NaiveSeasonal(ctx.days(364))
    if name == "naive_long_run":
        return baselines.NaiveLongRun()
    if name == "kde":
        return spatial_models.KernelDensity(ctx.x, ctx.y, 4 / 3 * ctx.cell_size, ctx.days(365))
    if name == "prospective":
        return spatial_models.ProspectiveHotspot(
            ctx.x, ctx.y, 2 * ctx.cell_size, max(ctx.days(28), 1), ctx.days(180)
        )
    if name == "sepp":
        from .sepp import Sepp

        return Sepp(ctx.x, ctx.y, window=ctx.days(365))
    if name == "boosted":
        from .boosted import BoostedPoisson

        optional.sklearn("ensemble", "The boosted forecasting model (and the ensemble, which uses it)")
        lags = tuple(sorted({ctx.days(d) for d in BOOSTED_LAG_DAYS}))
        return BoostedPoisson(
            neighbours=ctx.neighbours,
            covariates=ctx.covariates,
            calendar=ctx.calendar,
            lags=lags,
            seed=ctx.seed,
            n_threads=1,  # OpenMP threads spin on a busy machine; one is slower alone, far faster shared
        )
    if name == "ensemble":
        return Ensemble([make_model(m, ctx) for m in ENSEMBLE_MEMBERS], area=ctx.area)
    raise BeatCastInputError(f"MODEL must be one of {', '.join(MODELS)}, got {name!r}")


def rank_and_percentile(expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rank 1 = highest expected count (ties: lower cell index first); percentile = 100 x share of cells
    whose expected count is at most this cell's (the top cell is 100)."""
    expected = np.asarray(expected, dtype=float)
    order = np.lexsort((np.arange(expected.size), -expected))
    rank = np.empty(expected.size, dtype=np.int64)
    rank[order] = np.arange(1, expected.size + 1)
    sorted_values = np.sort(expected)
    percentile = 100.0 * np.searchsorted(sorted_values, expected, side="right") / max(expected.size, 1)
    return rank, percentile


def hotspot_zones(expected, area, neighbours, coverage: float) -> tuple[np.ndarray, pd.DataFrame]:
    """Cells flagged at ``coverage`` of the area (``metrics.top_cells``), grouped into zones of touching
    cells (``neighbours``), ranked by their total expected count (1 = most; ties: lowest cell index).

    Returns the zone rank of every cell (0 = not flagged) and one row per zone: zone, cells, area_m2,
    expected, share (of the whole forecast), peak (highest cell expected count)."""
    expected = np.asarray(expected, dtype=float)
    area = np.asarray(area, dtype=float)
    flagged = np.flatnonzero(top_cells(expected, area, coverage))
    zone_of = np.zeros(expected.size, dtype=np.int64)
    columns = ["zone", "cells", "area_m2", "expected", "share", "peak"]
    if flagged.size == 0:
        return zone_of, pd.DataFrame(columns=columns)
    sub = sparse.csr_matrix(neighbours)[flagged][:, flagged]
    n, labels = connected_components(sub, directed=False)
    frame = pd.DataFrame(
        {"label": labels, "cell": flagged, "expected": expected[flagged], "area": area[flagged]}
    )
    zones = frame.groupby("label").agg(
        cells=("cell", "size"),
        first=("cell", "min"),
        area_m2=("area", "sum"),
        expected=("expected", "sum"),
        peak=("expected", "max"),
    )
    zones = zones.sort_values(["expected", "first"], ascending=[False, True])
    zones["zone"] = np.arange(1, n + 1)
    zone_of[flagged] = zones["zone"].reindex(labels).to_numpy()
    total = expected.sum()
    zones["share"] = zones["expected"] / total if total > 0 else 0.0
    return zone_of, zones.reset_index(drop=True)[columns]


@dataclass
class ForecastResult:
    expected: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    model: str
    horizon: int
    origin: int
    calibration: Calibration
    rank: np.ndarray
    percentile: np.ndarray
    explanation: list = field(default_factory=list)  # per cell text ("" when the model gives none)
    weights: dict = field(default_factory=dict)  # ensemble members' weights


def _fmt(value: float) -> str:
    return f"{value:+.3g}"


def _explain_boosted(model, horizon: int, n: int, top: int = 3) -> list:
    table = model.explain(horizon, top=top)
    out = []
    for i in range(n):
        parts = [
            f"{table.at[i, f'feature_{k}']} {_fmt(table.at[i, f'effect_{k}'])}"
            for k in range(1, top + 1)
            if f"feature_{k}" in table and isinstance(table.at[i, f"feature_{k}"], str)
        ]
        out.append("; ".join(parts))
    return out


def _explain_sepp(model, n: int) -> list:
    share = np.asarray(model.triggering_share(), dtype=float)
    return [f"{100 * s:.0f} % from recent nearby incidents (self-excitation)" for s in share[:n]]


def _explain(name: str, engine, weights: dict, horizon: int, n: int) -> list:
    """Per-cell text: the boosted model's top features (occlusion effects), the SEPP's self-excited share,
    and for the ensemble its weights followed by the boosted member's features when it has weight."""
    if name == "boosted":
        return _explain_boosted(engine.models["boosted"], horizon, n)
    if name == "sepp":
        return _explain_sepp(engine.models["sepp"], n)
    if name != "ensemble":
        return [""] * n
    order = sorted(weights.items(), key=lambda kv: -kv[1])
    mix = "weights: " + ", ".join(f"{m} {100 * w:.0f} %" for m, w in order if w > 0)
    if weights.get("boosted", 0) > 0:
        return [
            f"{mix}; boosted: {d}" if d else mix
            for d in _explain_boosted(engine.models["boosted"], horizon, n)
        ]
    return [mix] * n


def run_forecast(
    counts,
    until: int,
    horizon: int,
    name: str,
    ctx: ModelContext,
    calibration_origins: int = 8,
    explain: bool = True,
    progress=None,
) -> ForecastResult:
    """Fit model ``name`` on bins < ``until``, forecast bins until .. until + horizon - 1 with a 90 %
    interval calibrated on the model's forecasts at the previous ``calibration_origins`` origins (see
    ``core.backtest``), rank the cells and (where the model allows) explain each cell's forecast."""
    if name not in MODELS:
        raise BeatCastInputError(f"MODEL must be one of {', '.join(MODELS)}, got {name!r}")
    engine = RollingForecasts(
        counts,
        horizon,
        lambda m: make_model(m, ctx),
        ENSEMBLE_MEMBERS,
        calibration_origins,
        progress=progress,
    )
    expected, calibration, weights = engine.combined(name, until)
    if expected is None:
        raise BeatCastInputError(f"{name}: too little history before the forecast origin to fit the model")
    lower, upper = calibration.interval(expected)
    rank, percentile = rank_and_percentile(expected)
    n = expected.size
    explanation = _explain(name, engine, weights, horizon, n) if explain else [""] * n
    return ForecastResult(
        expected, lower, upper, name, horizon, until, calibration, rank, percentile, explanation, weights
    )

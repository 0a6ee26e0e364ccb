"""Rolling-origin forecasts, calibrated and combined, and the backtest of a set of models.

Forecast origins step by the horizon h (the latest ends at the last bin): o_1 < o_2 < ... A forecast at
origin o uses only bins < o. Its interval is calibrated (``intervals.calibrate``) on the same model's
forecasts at the C previous origins o - h, ..., o - C h against what happened; the ensemble's weights are
fitted by stacking (``ensemble.stack_weights``) on its members' forecasts at those origins. This is
exactly what ``intervals.Calibrated`` and ``ensemble.Ensemble`` do, but every model is fitted once per
origin and the fits are shared: a backtest over P periods costs P + C fits per model instead of
P x (C + 1), and an ensemble reuses its members' fits.

``backtest`` scores the last P origins with ``metrics.evaluate`` (hit rate, PAI, PEI* at each coverage,
RRI against the previous period's counts, Poisson log score, interval coverage) and the randomised-PIT
coverage of the calibrated interval (``intervals.pit_coverage``) and summarises them per
model (means over periods; ``pai_pooled@c``: pooled hit rate over pooled flagged-area share).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from .baselines import _row_sums
from .ensemble import stack_weights
from .errors import BeatCastInputError
from .intervals import TARGET, Calibration, calibrate
from .metrics import DEFAULT_COVERAGES, coverage_label, evaluate
from .progress import Cancelled, Progress

__all__ = ["RollingForecasts", "backtest", "lattice"]


def lattice(last_origin: int, horizon: int, count: int, first: int = 1) -> list[int]:
    """``count`` origins stepping by ``horizon`` and ending at ``last_origin`` (oldest first), none before
    ``first``."""
    return [o for o in range(last_origin - horizon * (count - 1), last_origin + 1, horizon) if o >= first]


class RollingForecasts:
    """Raw forecasts of named models at origins, fitted once each and cached.

    ``make(name)`` builds a fresh model; ``members`` names the ensemble's members (the name "ensemble"
    combines them)."""

    def __init__(
        self,
        counts,
        horizon: int,
        make,
        members=(),
        calibration_origins: int = 8,
        target: float = TARGET,
        progress: Progress | None = None,
    ) -> None:
        if horizon < 1:
            raise BeatCastInputError(f"horizon must be at least 1 bin, got {horizon}")
        self.counts, self.horizon, self.make = counts, int(horizon), make
        self.members = tuple(members)
        self.calibration_origins, self.target = int(calibration_origins), float(target)
        self.progress = progress or Progress()
        self.raw: dict[str, dict[int, np.ndarray]] = {}
        self.models: dict[str, object] = {}  # the last fitted instance of each model
        self.seconds: dict[str, float] = {}
        self.fits: dict[str, int] = {}
        self._failed: dict[str, set] = {}

    def observed(self, origin: int) -> np.ndarray:
        return _row_sums(self.counts, origin, origin + self.horizon)

    def forecast(self, name: str, origin: int) -> np.ndarray | None:
        """Expected counts of model ``name`` at ``origin`` (None when it has too little history there)."""
        cache = self.raw.setdefault(name, {})
        failed = self._failed.setdefault(name, set())
        if origin in cache or origin in failed:
            return cache.get(origin)
        if self.progress.is_canceled():
            raise Cancelled()
        model = self.models.get(name) or self.make(name)
        self.models[name] = model
        start = time.perf_counter()
        try:
            model.fit(self.counts, origin)
            cache[origin] = np.asarray(model.predict(self.horizon).expected, dtype=float)
        except BeatCastInputError:
            failed.add(origin)
            return None
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
            self.fits[name] = self.fits.get(name, 0) + 1
        return cache[origin]

    def past(self, origin: int) -> list[int]:
        return [o for o in lattice(origin - self.horizon, self.horizon, self.calibration_origins) if o >= 1]

    def combined(self, name: str, origin: int) -> tuple[np.ndarray | None, Calibration, dict]:
        """Expected counts at ``origin`` with their calibration (from the previous origins) and, for the
        ensemble, the members' weights."""
        past = self.past(origin)
        if name != "ensemble":
            pairs = [(self.forecast(name, o), self.observed(o)) for o in past]
            pairs = [(e, y) for e, y in pairs if e is not None]
            expected = self.forecast(name, origin)
            return expected, self._calibration(pairs, len(pairs)), {}
        members = self.members
        now = {m: self.forecast(m, origin) for m in members}
        members = tuple(m for m in members if now[m] is not None)
        if not members:
            return None, Calibration(target=self.target), {}
        by_origin = {o: [self.forecast(m, o) for m in members] for o in past}
        common = [o for o, fs in by_origin.items() if all(f is not None for f in fs)]
        if common:
            stacked = np.vstack([np.column_stack(by_origin[o]) for o in common])
            observed = np.concatenate([self.observed(o) for o in common])
            w = stack_weights(stacked, observed)
            calibration = self._calibration([(stacked @ w, observed)], len(common))
        else:
            w = np.full(len(members), 1.0 / len(members))
            calibration = Calibration(target=self.target)
        expected = sum(wi * now[m] for wi, m in zip(w, members, strict=True))
        return np.asarray(expected, dtype=float), calibration, dict(zip(members, w.tolist(), strict=True))

    def _calibration(self, pairs, origins: int) -> Calibration:
        if not pairs:
            return Calibration(target=self.target)
        result = calibrate(
            np.concatenate([e for e, _ in pairs]), np.concatenate([y for _, y in pairs]), self.target
        )
        result.origins = origins
        return result


def backtest(
    counts,
    names,
    make,
    horizon: int,
    periods: int,
    area,
    members=(),
    coverages=DEFAULT_COVERAGES,
    calibration_origins: int = 8,
    labels=None,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score models ``names`` at the last ``periods`` origins of the cube (the latest forecast ends at its
    last bin). Returns (one row per model and period, one summary row per model). ``labels``: the cube's
    bin labels, for a readable period column."""
    progress = progress or Progress()
    n_bins = counts.shape[1]
    if periods < 1:
        raise BeatCastInputError(f"PERIODS must be at least 1, got {periods}")
    origins = lattice(n_bins - horizon, horizon, periods)
    if len(origins) < periods or not origins:
        raise BeatCastInputError(
            f"PERIODS: the cube has {n_bins} bins, room for {len(origins)} periods of {horizon} bins "
            f"after the first bin, not {periods}"
        )
    engine = RollingForecasts(counts, horizon, make, members, calibration_origins, progress=progress)
    area = np.asarray(area, dtype=float)
    rows = []
    steps = len(origins) * len(names)
    for p, origin in enumerate(origins):
        observed = engine.observed(origin)
        previous = _row_sums(counts, max(0, origin - horizon), origin)
        for k, name in enumerate(names):
            expected, calibration, weights = engine.combined(name, origin)
            progress.set_progress(100.0 * (p * len(names) + k + 1) / steps)
            if expected is None:
                progress.warn(f"{name}: too little history for the period starting at bin {origin}")
                continue
            lower, upper = calibration.interval(expected)
            metrics = evaluate(expected, observed, area, coverages, lower, upper, previous)
            metrics["pit_coverage"] = calibration.pit_coverage(expected, observed)
            label = str(labels[origin]) if labels is not None else str(origin)
            rows.append(
                {
                    "model": name,
                    "period": p + 1,
                    "origin": origin,
                    "start": label,
                    "calibrated": calibration.calibrated,
                    **metrics,
                }
            )
    periods_frame = pd.DataFrame(rows)
    return periods_frame, summarise(periods_frame, engine, coverages)


def summarise(frame: pd.DataFrame, engine: RollingForecasts | None, coverages) -> pd.DataFrame:
    """Mean of every metric per model, pooled PAI, and the seconds per fit."""
    if frame.empty:
        return pd.DataFrame()
    metric_columns = [
        c for c in frame.columns if c not in ("model", "period", "origin", "start", "calibrated")
    ]
    summary = frame.groupby("model", sort=False)[metric_columns].mean()
    for coverage in coverages:
        label = coverage_label(coverage)
        hits = (frame[f"hit@{label}"] * frame["observed"]).groupby(frame["model"], sort=False).sum()
        observed = frame.groupby("model", sort=False)["observed"].sum()
        share = frame.groupby("model", sort=False)[f"area@{label}"].mean()
        summary[f"pai_pooled@{label}"] = (hits / observed) / share
    summary["periods"] = frame.groupby("model", sort=False).size()
    if engine is not None:
        seconds = {}
        for name in summary.index:
            used = engine.members if name == "ensemble" else (name,)
            seconds[name] = sum(engine.seconds.get(m, 0.0) / max(engine.fits.get(m, 1), 1) for m in used)
        summary["seconds_per_fit"] = pd.Series(seconds)
    return summary.reset_index()

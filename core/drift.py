"""Drift monitoring: does what arrived since the forecast origin still match what was forecast?

Inputs are the forecast's expected counts and the observed counts for the bins since the origin, as
(bins x cells) float64 matrices (cells along axis 1). Five kinds of evidence, then one decision:

- ``poisson_exceedance``: upper-tail p per cell, p = P(X >= y | X ~ Poisson(mu)) = ``poisson.sf(ceil(y) - 1,
  mu)`` (fractional aoristic counts count as the next whole number); mu = 0 gives p = 0 when y > 0, and
  y = 0 gives p = 1. ``assess`` applies it to the window totals.
- ``cusum``: upper one-sided tabular CUSUM per cell (Page 1954, Biometrika 41; Montgomery, "Introduction
  to Statistical Quality Control", ch. 9) on the standardised residuals
  r_t = (y_t - mu_t) / sqrt(m_t + d m_t^2) with m_t = max(mu_t, 1e-3) (``EXPECTED_FLOOR``: the floor only
  enters the variance, so mu = y = 0 gives r = 0 and mu = 0 < y a large r rather than a division by 0) and
  d the negative-binomial ``dispersion`` of ``core.intervals`` (variance mu + d mu^2; 0 = Poisson):
  S_0 = 0, S_t = max(0, S_{t-1} + r_t - k). A cell alarms when S_t > h at some t; ``first_alarm`` is the
  first such bin (-1 when none). ``h`` None calibrates it with the defaults below (seed 0).
- ``calibrate_cusum_h``: h by Monte Carlo instead of a textbook constant (the residuals of small Poisson
  counts are far from normal). In-control counts are drawn from the forecast itself (Poisson, or the
  gamma-Poisson mixture with variance mu + d mu^2 when d > 0) for the same bins and cells, ``simulations``
  times; M = the per-cell maximum of S over the window, pooled over cells and simulations (N values). h is
  the smallest value with at most floor(rate N) of the M strictly above it, i.e. the sorted M at 0-based
  position N - floor(rate N) - 1 (the (1 - rate) quantile of M). So the expected share of cells alarming
  in a window where the forecast is right is <= ``false_alarm_rate`` by construction. The rate is a share
  over all cells: cells with tiny expected counts rarely alarm, so cells with larger counts take more of it.
- ``calibrate_cusum_h_past``: the same quantile from the forecast's own recent past: the per-cell maxima of
  S for past windows of observed counts (as long as the recent one, just before it) against the same
  expected counts. Real counts are burstier than any Poisson or gamma-Poisson draw (near-repeat
  burglaries, a cell forecast near zero that gets two incidents); ``assess`` given ``past_observed`` uses
  the larger of the two h, so neither the simulation nor the recent past would alarm in more than
  ``cusum_false_alarm_rate`` of the cells.
- ``population_stability_index`` (Siddiqi 2006, "Credit Risk Scorecards"; Yurdakul & Naranjo 2020,
  "Statistical properties of the population stability index", J. Risk Model Validation 14(4)):
  PSI = sum_i (c_i - r_i) ln(c_i / r_i), r_i and c_i the reference and current shares in bins whose
  inner edges are the reference quantiles j / bins (j = 1..bins-1, duplicates dropped; outer edges -inf
  and +inf; bin i is (e_{i-1}, e_i]). Shares are floored at 1e-4 (``PSI_FLOOR``, not renormalised) so an
  empty bin gives a large finite term; NaNs are dropped from both samples first. Not symmetric: the bins
  come from the reference. Reading: < 0.1 stable, 0.1-0.25 moderate, > 0.25 major shift.
- ``rolling_pai`` / ``skill_decay``: PAI per period (``core.metrics.pai``: (n / N) / (a / A) in the top
  ``coverage`` of the area) and its trailing mean over ``window`` periods, over the finite PAIs in the
  window (NaN for the first window - 1 periods, or when every PAI in the window is NaN). Skill has
  decayed when the last rolling value / the baseline PAI < ``tolerance``.
- ``new_clusters``: a local Poisson scan of the recent window. Each cell's neighbourhood N (the cells the
  weights link it to, itself included, e.g. a distance band) holds O_N = sum of the observed and E_N = sum of
  the expected counts over the window; p = P(Poisson(E_N) >= O_N); Benjamini-Hochberg over the cells at
  ``alpha``; a cell is a new cluster when its p passes, O_N > E_N and it is not in ``baseline_hot``. This is
  Gi*'s question (is this neighbourhood hotter than expected?) answered with the counts' own distribution:
  Gi*'s normal approximation fails on sparse counts (on 50,000 cells and one day, one incident made its
  whole neighbourhood "significant", 1,232 cells), the Poisson tail does not.

``assess`` (thresholds in ``DEFAULT_THRESHOLDS``) fires three tests per cell: exceedance p <
``exceedance_p``; CUSUM alarm with h = ``cusum_h`` or, when that is None, calibrated at
``cusum_false_alarm_rate`` with ``simulations_for(cells)`` simulations; new cluster at ``gi_alpha``.
Severity = the number of tests fired (0..3), raised to 3 when the exceedance p < ``exceedance_p`` / 100.
The forecast should be refreshed when the share of cells with severity >= 1 exceeds ``refresh_share``, any
feature's PSI exceeds ``psi_max``, or skill has decayed (rolling PAI / baseline < ``skill_tolerance``).
``refresh_share`` defaults to 0.05, not 0.01: a stable window alarms ~``cusum_false_alarm_rate`` + ~
``exceedance_p`` of the cells by construction, so a 1 % share would refresh a good forecast about every
other time. The exceedance test is Poisson even when ``dispersion`` > 0 (only the CUSUM uses it). Skill
uses ``PAI_COVERAGE`` (5 %) and ``PAI_WINDOW`` (4 periods), equal cell areas unless ``area`` is given, and
the first finite rolling PAI of the history as baseline unless ``baseline_pai`` is given.
``area_alerts`` sums the cells' expected and observed counts to areas through a cells x areas share
matrix (as in ``core.audit``) and counts the alerting cells (severity >= 1) touching each area.

Everything is deterministic given ``seed`` (``numpy.random.default_rng``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse, stats

from .audit import area_exposure, threshold_number
from .errors import BeatCastInputError
from .hotspots import check_weights, fdr_cutoff
from .metrics import pai
from .progress import Cancelled, Progress

EXPECTED_FLOOR = 1e-3
PSI_FLOOR = 1e-4
CUSUM_SIMULATIONS = 200
CALIBRATION_DRAWS = 200_000  # pooled per-cell maxima ``assess`` aims for when calibrating h


def simulations_for(cells: int) -> int:
    """Simulations ``assess`` runs to calibrate h: enough for CALIBRATION_DRAWS pooled per-cell maxima
    (a 1 % quantile from 200,000 values), between 10 and CUSUM_SIMULATIONS: a city of 50,000 cells needs 10,
    the demo city's 1,600 cells 125."""
    return int(np.clip(np.ceil(CALIBRATION_DRAWS / max(cells, 1)), 10, CUSUM_SIMULATIONS))


SIMULATION_BLOCK = 2_000_000  # simulated cells drawn at once (simulations x cells) in the calibration
PAI_COVERAGE = 0.05
PAI_WINDOW = 4
SEVERE_FACTOR = 100.0  # exceedance p below exceedance_p / SEVERE_FACTOR is severity 3 on its own
DEFAULT_THRESHOLDS: dict[str, float | None] = {
    "exceedance_p": 0.001,  # per cell, on the window totals
    "cusum_k": 0.5,  # reference value, in standard deviations of the residual
    "cusum_h": None,  # decision interval; None: calibrated at cusum_false_alarm_rate
    "cusum_false_alarm_rate": 0.01,  # share of cells alarming over an in-control window
    "dispersion": 0.0,  # negative-binomial dispersion of the forecast (0 = Poisson), CUSUM only
    "gi_alpha": 0.05,
    "psi_max": 0.25,
    "skill_tolerance": 0.8,
    "refresh_share": 0.05,
}
_PROBABILITIES = {"exceedance_p", "cusum_false_alarm_rate", "gi_alpha"}
__all__ = [
    "CUSUM_SIMULATIONS",
    "DEFAULT_THRESHOLDS",
    "CusumResult",
    "DriftResult",
    "area_alerts",
    "assess",
    "calibrate_cusum_h",
    "calibrate_cusum_h_past",
    "cusum",
    "new_clusters",
    "poisson_exceedance",
    "population_stability_index",
    "psi_table",
    "resolve_thresholds",
    "rolling_pai",
    "skill_decay",
]


def _counts(values, name: str, ndim: int | None = None) -> np.ndarray:
    try:
        out = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise BeatCastInputError(f"{name} must be numbers") from None
    if ndim == 1:
        out = out.ravel()
    elif ndim == 2 and (out.ndim != 2 or not out.size):
        raise BeatCastInputError(f"{name} must be a bins x cells matrix, got shape {out.shape}")
    if not np.isfinite(out).all() or (out < 0).any():
        raise BeatCastInputError(f"{name} must be finite numbers >= 0")
    return out


def _pair(expected, observed, ndim: int, names=("expected", "observed")) -> tuple[np.ndarray, np.ndarray]:
    exp = _counts(expected, names[0], ndim)
    obs = _counts(observed, names[1], ndim)
    if exp.shape != obs.shape:
        raise BeatCastInputError(f"{names[0]} has shape {exp.shape} but {names[1]} has {obs.shape}")
    return exp, obs


def _check(progress: Progress, percent: float) -> None:
    if progress.is_canceled():
        raise Cancelled()
    progress.set_progress(percent)


def resolve_thresholds(thresholds=None) -> dict[str, float | None]:
    """``DEFAULT_THRESHOLDS`` updated with ``thresholds`` (unknown keys and bad numbers are refused)."""
    out = dict(DEFAULT_THRESHOLDS)
    for key, value in (thresholds or {}).items():
        if key not in out:
            raise BeatCastInputError(f"thresholds: unknown key {key!r}; expected one of {sorted(out)}")
        if key == "cusum_h" and value is None:
            out[key] = None
            continue
        value = threshold_number(key, value)
        if key in _PROBABILITIES and not 0 < value < 1:
            raise BeatCastInputError(f"thresholds[{key}] must be a probability between 0 and 1, got {value}")
        if key == "refresh_share" and value > 1:
            raise BeatCastInputError(f"thresholds[{key}] is a share of cells, at most 1, got {value}")
        if key == "skill_tolerance" and value == 0:
            raise BeatCastInputError(f"thresholds[{key}] must be > 0")
        out[key] = value
    return out


def poisson_exceedance(expected, observed) -> np.ndarray:
    """Upper-tail p = P(X >= observed | X ~ Poisson(expected)) per cell (1-D, equal lengths)."""
    exp, obs = _pair(expected, observed, 1)
    p = stats.poisson.sf(np.ceil(obs) - 1.0, np.where(exp > 0, exp, 1.0))
    p = np.where(exp > 0, p, 0.0)
    return np.where(obs > 0, p, 1.0)


@dataclass(frozen=True, eq=False)
class CusumResult:
    statistic: np.ndarray  # S_t, bins x cells
    alarm: np.ndarray  # bool per cell: S_t > h at some t
    first_alarm: np.ndarray  # first bin with S_t > h, -1 when none
    last: np.ndarray  # S at the final bin
    h: float


def _residuals(exp: np.ndarray, obs: np.ndarray, dispersion: float) -> np.ndarray:
    floor = np.maximum(exp, EXPECTED_FLOOR)
    return (obs - exp) / np.sqrt(floor + dispersion * floor**2)


def _check_kd(k: float, dispersion: float) -> None:
    if not (math.isfinite(k) and k >= 0):
        raise BeatCastInputError(f"k (the CUSUM reference value) must be a number >= 0, got {k}")
    if not (math.isfinite(dispersion) and dispersion >= 0):
        raise BeatCastInputError(f"dispersion must be a number >= 0, got {dispersion}")


def cusum(expected, observed, k: float = 0.5, h: float | None = None, dispersion: float = 0.0) -> CusumResult:
    """Upper tabular CUSUM per cell of (bins x cells) counts; ``h`` None: ``calibrate_cusum_h`` defaults."""
    exp, obs = _pair(expected, observed, 2)
    _check_kd(k, dispersion)
    if h is None:
        h = calibrate_cusum_h(exp, k, dispersion=dispersion)
    elif not (math.isfinite(h) and h >= 0):
        raise BeatCastInputError(f"h (the CUSUM decision interval) must be a number >= 0, got {h}")
    r = _residuals(exp, obs, dispersion)
    stat = np.zeros_like(r)
    s = np.zeros(r.shape[1])
    for t in range(r.shape[0]):
        s = np.maximum(0.0, s + r[t] - k)
        stat[t] = s
    above = stat > h
    alarm = above.any(axis=0)
    first = np.where(alarm, above.argmax(axis=0), -1)
    return CusumResult(stat, alarm, first, stat[-1].copy(), float(h))


def calibrate_cusum_h(
    expected,
    k: float = 0.5,
    false_alarm_rate: float = 0.01,
    simulations: int = CUSUM_SIMULATIONS,
    seed=0,
    dispersion: float = 0.0,
    progress: Progress | None = None,
) -> float:
    """h for ``cusum`` with at most ``false_alarm_rate`` of cells alarming in control (module docstring)."""
    exp = _counts(expected, "expected", 2)
    _check_kd(k, dispersion)
    if not 0 < false_alarm_rate < 1:
        raise BeatCastInputError(f"false_alarm_rate must be between 0 and 1, got {false_alarm_rate}")
    if not (isinstance(simulations, (int, np.integer)) and simulations >= 1):
        raise BeatCastInputError(f"simulations must be a whole number >= 1, got {simulations!r}")
    feedback = progress or Progress()
    rng = np.random.default_rng(seed)
    bins, cells = exp.shape
    block = max(1, SIMULATION_BLOCK // max(cells, 1))
    maxima = []
    for lo in range(0, simulations, block):
        if feedback.is_canceled():
            raise Cancelled()
        size = (min(block, simulations - lo), cells)
        s = np.zeros(size)
        peak = np.zeros(size)
        for t in range(bins):
            lam = np.broadcast_to(exp[t], size)
            if dispersion > 0:
                lam = rng.gamma(1.0 / dispersion, dispersion * lam)
            r = _residuals(exp[t], rng.poisson(lam).astype(np.float64), dispersion)
            s = np.maximum(0.0, s + r - k)
            np.maximum(peak, s, out=peak)
        maxima.append(peak.ravel())
        feedback.set_progress(100.0 * (lo + size[0]) / simulations)
    pooled = np.concatenate(maxima)
    n = pooled.size
    position = n - math.floor(false_alarm_rate * n) - 1
    return float(np.partition(pooled, position)[position])


def calibrate_cusum_h_past(
    expected, past_observed, k: float = 0.5, false_alarm_rate: float = 0.01, dispersion: float = 0.0
) -> float:
    """h from the forecast's own recent past: the (1 - rate) quantile of the per-cell maximum CUSUM of each
    past window of counts (a list of arrays shaped like ``expected``) against ``expected`` (module
    docstring); NaN without a past window."""
    exp = _counts(expected, "expected", 2)
    _check_kd(k, dispersion)
    maxima = []
    for i, window in enumerate(past_observed):
        obs = _counts(window, f"past_observed[{i}]", 2)
        if obs.shape != exp.shape:
            raise BeatCastInputError(f"past_observed[{i}] has shape {obs.shape}, expected {exp.shape}")
        maxima.append(cusum(exp, obs, k, 1e300, dispersion).statistic.max(axis=0, initial=0.0))
    if not maxima:
        return math.nan
    pooled = np.concatenate(maxima)
    position = pooled.size - math.floor(false_alarm_rate * pooled.size) - 1
    return float(np.partition(pooled, position)[position])


def population_stability_index(reference, current, bins: int = 10) -> float:
    """PSI of ``current`` against ``reference`` over the reference's quantile bins (module docstring)."""
    if not (isinstance(bins, (int, np.integer)) and bins >= 2):
        raise BeatCastInputError(f"bins must be a whole number >= 2, got {bins!r}")
    samples = []
    for name, values in (("reference", reference), ("current", current)):
        try:
            x = np.asarray(values, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            raise BeatCastInputError(f"{name} must be numbers") from None
        x = x[~np.isnan(x)]
        if not x.size:
            raise BeatCastInputError(f"{name} has no values (after dropping NaN)")
        samples.append(x)
    ref, cur = samples
    inner = np.unique(np.quantile(ref, np.arange(1, bins) / bins))
    shares = [
        np.maximum(
            np.bincount(np.searchsorted(inner, x, side="left"), minlength=inner.size + 1) / x.size, PSI_FLOOR
        )
        for x in (ref, cur)
    ]
    r, c = shares
    return float(np.sum((c - r) * np.log(c / r)))


def psi_table(
    reference: pd.DataFrame, current: pd.DataFrame, bins: int = 10, threshold: float = 0.25
) -> pd.DataFrame:
    """PSI per feature (the columns of ``reference``, all needed in ``current``): feature, psi, flag."""
    for name, frame in (("feature_reference", reference), ("feature_current", current)):
        if not isinstance(frame, pd.DataFrame):
            raise BeatCastInputError(f"{name} must be a DataFrame with one column per feature")
    missing = [str(c) for c in reference.columns if c not in current.columns]
    if missing:
        raise BeatCastInputError(f"feature_current lacks the features {missing} of feature_reference")
    rows = []
    for column in reference.columns:
        try:
            psi = population_stability_index(reference[column], current[column], bins)
        except BeatCastInputError as error:
            raise BeatCastInputError(f"feature {column!r}: {error}") from None
        flag = f"PSI > {threshold:g} (major shift)" if psi > threshold else ""
        rows.append((str(column), psi, flag))
    return pd.DataFrame(rows, columns=["feature", "psi", "flag"])


def rolling_pai(
    forecasts, observed, area, coverage: float = PAI_COVERAGE, window: int = PAI_WINDOW
) -> np.ndarray:
    """Trailing mean over ``window`` periods of the PAI of each period (periods x cells inputs)."""
    fc, obs = _pair(forecasts, observed, 2, ("forecasts", "observed"))
    if not (isinstance(window, (int, np.integer)) and window >= 1):
        raise BeatCastInputError(f"window must be a whole number >= 1, got {window!r}")
    per_period = np.array([pai(fc[t], obs[t], area, coverage) for t in range(fc.shape[0])])
    out = np.full(per_period.shape, np.nan)
    for t in range(window - 1, per_period.size):
        recent = per_period[t - window + 1 : t + 1]
        recent = recent[np.isfinite(recent)]
        if recent.size:
            out[t] = recent.mean()
    return out


def skill_decay(pai_series, baseline_pai: float, tolerance: float = 0.8) -> tuple[bool, float]:
    """(last rolling PAI / baseline < tolerance, that ratio); (False, NaN) when the last value is NaN."""
    if not (math.isfinite(baseline_pai) and baseline_pai > 0):
        raise BeatCastInputError(f"baseline_pai must be a number > 0, got {baseline_pai}")
    series = np.asarray(pai_series, dtype=np.float64).ravel()
    if not series.size or not np.isfinite(series[-1]):
        return False, float("nan")
    ratio = float(series[-1] / baseline_pai)
    return ratio < tolerance, ratio


def _totals(observed, expected) -> tuple[np.ndarray, np.ndarray]:
    """Per-cell window totals of (bins x cells) or per-cell (cells,) observed and expected counts."""
    exp, obs = _pair(
        expected, observed, 2 if np.ndim(expected) == 2 else 1, ("recent_expected", "recent_observed")
    )
    return (obs.sum(axis=0), exp.sum(axis=0)) if exp.ndim == 2 else (obs, exp)


def _hot(observed_total, expected_total, weights, alpha: float) -> tuple[np.ndarray, pd.DataFrame]:
    """New-cluster candidates of the local Poisson scan, and per cell its neighbourhood's observed and
    expected counts and p (module docstring)."""
    if not 0 < alpha < 1:
        raise BeatCastInputError(f"alpha must be between 0 and 1, got {alpha}")
    w = check_weights(weights, observed_total.size).copy()
    w.data = (w.data != 0).astype(float)  # the neighbourhood, cell included: counts add up
    around = pd.DataFrame({"around": w @ observed_total, "around_expected": w @ expected_total})
    around["cluster_p"] = poisson_exceedance(around["around_expected"], around["around"])
    cutoff = fdr_cutoff(around["cluster_p"].to_numpy(), alpha)
    hot = (around["cluster_p"] <= cutoff) & (around["around"] > around["around_expected"])
    return hot.to_numpy(), around


def _known(baseline_hot, n: int) -> np.ndarray:
    if baseline_hot is None:
        return np.zeros(n, dtype=bool)
    known = np.asarray(baseline_hot).ravel()
    if known.size != n:
        raise BeatCastInputError(f"baseline_hot has {known.size} values for {n} cells")
    return known.astype(bool)


def new_clusters(
    recent_observed, recent_expected, weights, baseline_hot=None, alpha: float = 0.05
) -> np.ndarray:
    """Cells whose neighbourhood saw significantly more than expected (local Poisson scan, FDR at
    ``alpha``; module docstring) and not in ``baseline_hot``: a boolean array, one per cell."""
    hot, _ = _hot(*_totals(recent_observed, recent_expected), weights, alpha)
    return hot & ~_known(baseline_hot, hot.size)


@dataclass(frozen=True, eq=False)
class DriftResult:
    cells: pd.DataFrame  # one row per cell, input order
    features: pd.DataFrame | None  # psi_table, or None without features
    skill: dict | None  # rolling_pai, baseline, ratio, decayed; None without a history
    refresh: bool
    reasons: list[str]
    thresholds: dict
    h: float


def _evidence(row) -> str:
    parts = []
    if row.exceeded:
        parts.append(f"observed {row.observed:g} vs expected {row.expected:.3g} (p={row.exceedance_p:.2g})")
    if row.cusum_first_alarm >= 0:
        parts.append(f"CUSUM {row.cusum_max:.3g} > h {row.h:.3g} from bin {row.cusum_first_alarm}")
    if row.new_cluster:
        parts.append(
            f"new cluster: {row.around:g} nearby, {row.around_expected:.3g} expected (p={row.cluster_p:.2g})"
        )
    return "; ".join(parts)


def _skill(forecasts_history, observed_history, area, baseline_pai, tolerance: float) -> dict | None:
    if forecasts_history is None and observed_history is None:
        return None
    if forecasts_history is None or observed_history is None:
        raise BeatCastInputError("skill needs both forecasts_history and observed_history")
    cells = np.shape(forecasts_history)[-1]
    area = np.ones(cells) if area is None else area
    series = rolling_pai(forecasts_history, observed_history, area)
    finite = series[np.isfinite(series)]
    if baseline_pai is None:
        if not finite.size:
            return {"rolling_pai": series, "baseline": float("nan"), "ratio": float("nan"), "decayed": False}
        baseline_pai = float(finite[0])
    decayed, ratio = skill_decay(series, float(baseline_pai), tolerance)
    return {"rolling_pai": series, "baseline": float(baseline_pai), "ratio": ratio, "decayed": decayed}


def assess(
    expected_recent,
    observed_recent,
    weights,
    thresholds=None,
    area=None,
    feature_reference=None,
    feature_current=None,
    forecasts_history=None,
    observed_history=None,
    baseline_pai=None,
    seed=0,
    progress: Progress | None = None,
    baseline_hot=None,
    past_observed=None,
) -> DriftResult:
    """Per-cell alerts, feature shift, skill decay and the refresh decision (module docstring).

    ``area`` (one per cell, default equal) weights the PAI; ``baseline_pai`` None takes the first finite
    rolling PAI of the history; ``baseline_hot`` are the hot spots already known (not new clusters)."""
    feedback = progress or Progress()
    th = resolve_thresholds(thresholds)
    exp, obs = _pair(expected_recent, observed_recent, 2, ("expected_recent", "observed_recent"))
    cells = exp.shape[1]
    if (feature_reference is None) != (feature_current is None):
        raise BeatCastInputError("feature shift needs both feature_reference and feature_current")
    _check(feedback, 0)
    exp_total, obs_total = exp.sum(axis=0), obs.sum(axis=0)
    p = poisson_exceedance(exp_total, obs_total)
    _check(feedback, 5)
    h = th["cusum_h"]
    if h is None:
        h = calibrate_cusum_h(
            exp, th["cusum_k"], th["cusum_false_alarm_rate"], simulations_for(exp.shape[1]), seed=seed,
            dispersion=th["dispersion"],
        )  # fmt: skip
        if past_observed is not None:
            past = calibrate_cusum_h_past(
                exp, past_observed, th["cusum_k"], th["cusum_false_alarm_rate"], th["dispersion"]
            )
            h = max(h, past) if math.isfinite(past) else h
    cs = cusum(exp, obs, th["cusum_k"], h, th["dispersion"])
    _check(feedback, 50)
    hot, around = _hot(obs_total, exp_total, weights, th["gi_alpha"])
    fresh = hot & ~_known(baseline_hot, cells)
    _check(feedback, 70)
    exceeded = p < th["exceedance_p"]
    fired = exceeded.astype(int) + cs.alarm + fresh
    severity = np.where((fired == 3) | (p < th["exceedance_p"] / SEVERE_FACTOR), 3, fired)
    table = pd.DataFrame(
        {
            "expected": exp_total,
            "observed": obs_total,
            "exceedance_p": p,
            "cusum_last": cs.last,
            "cusum_first_alarm": cs.first_alarm.astype(np.int64),
            "new_cluster": fresh,
            "severity": severity.astype(np.int64),
        }
    )
    details = pd.concat([table, around], axis=1).assign(
        exceeded=exceeded, cusum_max=cs.statistic.max(axis=0, initial=0.0), h=cs.h
    )
    table["evidence"] = [_evidence(row) for row in details.itertuples(index=False)]
    features = None
    if feature_reference is not None:
        features = psi_table(feature_reference, feature_current, threshold=th["psi_max"])
    _check(feedback, 80)
    skill = _skill(forecasts_history, observed_history, area, baseline_pai, th["skill_tolerance"])
    _check(feedback, 95)
    reasons = []
    alerting = int((severity >= 1).sum())
    if cells and alerting / cells > th["refresh_share"]:
        reasons.append(
            f"{alerting} of {cells} cells alert ({alerting / cells:.1%} > refresh_share "
            f"{th['refresh_share']:.1%}): exceedance p < {th['exceedance_p']:g} in {int(exceeded.sum())}, "
            f"CUSUM > h {cs.h:.3g} in {int(cs.alarm.sum())}, new cluster in {int(fresh.sum())}"
        )
    if features is not None:
        for row in features.itertuples(index=False):
            if row.psi > th["psi_max"]:
                reasons.append(f"feature {row.feature}: PSI {row.psi:.3f} > psi_max {th['psi_max']:g}")
    if skill is not None and skill["decayed"]:
        reasons.append(
            f"skill decayed: rolling PAI {skill['rolling_pai'][-1]:.3g} is {skill['ratio']:.0%} of the "
            f"baseline {skill['baseline']:.3g} (< skill_tolerance {th['skill_tolerance']:g})"
        )
    feedback.set_progress(100)
    return DriftResult(table, features, skill, bool(reasons), reasons, th, cs.h)


def area_alerts(cells: pd.DataFrame, overlap, area_labels) -> pd.DataFrame:
    """Cell alerts (``DriftResult.cells``) per area: expected, observed (shared by ``overlap``, cells x
    areas as in ``core.audit``), ratio observed / expected (NaN when 0 expected), n_alert_cells and
    max_severity over the cells overlapping the area (overlap > 0)."""
    needed = {"expected", "observed", "severity"}
    if not isinstance(cells, pd.DataFrame) or not needed <= set(cells.columns):
        raise BeatCastInputError(f"cells must be the DriftResult.cells table (columns {sorted(needed)})")
    expected = area_exposure(cells["expected"].to_numpy(), overlap)
    observed = area_exposure(cells["observed"].to_numpy(), overlap)
    labels = list(area_labels)
    if len(labels) != expected.size:
        raise BeatCastInputError(f"area_labels has {len(labels)} labels for {expected.size} areas")
    touches = sparse.csc_matrix(sparse.csr_matrix(overlap, dtype=np.float64) > 0, dtype=np.float64)
    severity = cells["severity"].to_numpy(dtype=np.float64)
    n_alert = np.asarray(touches.T @ (severity >= 1).astype(np.float64)).ravel()
    worst = np.zeros(expected.size, dtype=np.int64)
    for a in range(expected.size):
        rows = touches.indices[touches.indptr[a] : touches.indptr[a + 1]]
        if rows.size:
            worst[a] = int(severity[rows].max())
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / np.where(expected > 0, expected, 1.0), np.nan)
    return pd.DataFrame(
        {
            "area": labels,
            "expected": expected,
            "observed": observed,
            "ratio": ratio,
            "n_alert_cells": n_alert.astype(np.int64),
            "max_severity": worst,
        }
    )

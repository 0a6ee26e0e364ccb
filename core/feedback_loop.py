"""Runaway feedback loops in predictive policing: a simulation after Ensign, Friedler, Neville, Scheidegger
& Venkatasubramanian (2018), "Runaway feedback loops in predictive policing", Proceedings of the 1st
Conference on Fairness, Accountability and Transparency (FAT*), PMLR 81: 160-171.

K areas have true incident rates lambda_k (incidents per day, >= 0, not all 0). Each day t = 1..days:

1. The model's estimate is the incident record so far: R_k = prior + (what was recorded in area k); the
   estimated rate shares are q_k = R_k / sum_j R_j.
2. ``patrols_per_day`` = P patrols go out:
   - ``policy="urn"`` (Ensign's Pólya urn): each patrol independently goes to area k with probability
     pi_k = (1 - eps) q_k + eps / K (draws with replacement; eps = ``exploration``, 0 by default), so area
     k is patrolled with probability p_k = 1 - (1 - pi_k)^P (= q_k for one patrol and eps = 0).
   - ``policy="greedy"`` (PredPol-like "patrol the top boxes"): patrol j goes to the (j mod K)-th area by
     R_k (the top P areas, one patrol each; ties broken at random), except that with probability eps it
     goes to an area drawn uniformly instead. Patrol j's distribution is pi_jk = (1 - eps) [k = rank j] +
     eps / K and p_k = 1 - prod_j (1 - pi_jk); with eps = 0, p_k = 1 for a patrolled area.
3. Incidents: *reported* incidents (called in by the public) occur in every area whether patrolled or not,
   Poisson with mean ``reporting_rate`` * lambda_k; *discovered* incidents are seen only in patrolled areas,
   Poisson with mean ``discovery_rate`` * lambda_k (per area patrolled that day: two patrols in one area see
   the same incidents). Ensign et al. draw one Bernoulli(lambda_k) incident; Poisson counts allow rates
   above 1 per day and behave alike for small rates.
4. The model is retrained: R_k += w * discovered_k (+ reported_k when ``use_reported``), with w = 1 or,
   with ``correction=True``, Ensign's correction w = 1 / p_k (inverse-propensity weighting: a discovery
   in an area patrolled with probability p_k stands for 1 / p_k expected ones, so the weighted record
   grows at rate discovery_rate * lambda_k in every area, whatever the patrols did). Reported incidents
   are never reweighted: they do not depend on the patrols.

Without correction, recording only discoveries, the urn is a generalised Pólya urn whose colour k is
reinforced at rate lambda_k times its own share: the area with the largest rate takes over (embedded in
continuous time each record grows like exp(lambda_k t), so for two areas the record of the smaller grows like
that of the larger to the power lambda_2 / lambda_1), so the patrols do not converge to the rate shares
lambda_k / sum lambda, and the greedy policy locks onto whichever area leads early. Reported incidents feed
every area regardless of patrols and pull the estimate towards the truth; the correction makes the record
unbiased (E[R_k(t)] = prior + t * discovery_rate * lambda_k). Unbiased is not enough on its own: the variance
of a weighted discovery grows as 1 / p_k, so an area whose estimate falls near 0 is rarely visited and catches
up only by rare large jumps (with several areas some runs stay stuck for thousands of days). ``exploration``
keeps every p_k >= 1 - (1 - eps / K)^P, which bounds the weights by about K / (eps P); with it the corrected
urn converges, and a corrected greedy policy learns the true rates (its patrols still go to the top areas, so
its allocation does not follow the rate shares). Without exploration a greedy policy never sees an area it
does not rank at the top, so the correction cannot repair it. With eps > 0 the urn's patrol shares tend to
(1 - eps) * true share + eps / K, not exactly the true shares.

Outputs (``FeedbackResult``): ``allocation`` (days x K), the cumulative share of patrols sent to each area
through each day; ``estimated`` (days x K), q after each day's retraining; ``true_share`` =
lambda / sum lambda; ``l1_error`` = sum_k |allocation[-1, k] - true_share_k| (0 .. 2), ``max_error`` =
max_k of the same, ``estimate_l1_error`` the L1 error of the final estimate. Randomness comes only from
``numpy.random.default_rng(seed)``: the same arguments give the same trajectory.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from .errors import BeatCastInputError

POLICIES = ("urn", "greedy")
__all__ = ["POLICIES", "FeedbackResult", "simulate_feedback"]


@dataclass(frozen=True, eq=False)
class FeedbackResult:
    """Result of ``simulate_feedback`` (module docstring). ``patrols``: days x K patrols sent per area and
    day; ``discovered`` / ``reported``: incidents per area over the run (unweighted; ``reported`` counts
    reported incidents whether or not the model used them)."""

    true_share: np.ndarray
    allocation: np.ndarray
    estimated: np.ndarray
    patrols: np.ndarray
    discovered: np.ndarray
    reported: np.ndarray
    l1_error: float
    max_error: float
    estimate_l1_error: float

    @property
    def final_allocation(self) -> np.ndarray:
        return self.allocation[-1]


def _whole(value, name: str, minimum: int) -> int:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or float(value) != int(value) or value < minimum:
        raise BeatCastInputError(f"{name} must be a whole number, at least {minimum}, got {value!r}")
    return int(value)


def _number(value, name: str, low: float, high: float = math.inf, open_low: bool = False) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise BeatCastInputError(f"{name} must be a number, got {value!r}") from None
    if not (math.isfinite(value) and (value > low if open_low else value >= low) and value <= high):
        span = f"{'above' if open_low else 'at least'} {low:g}" + (
            f" and at most {high:g}" if high < math.inf else ""
        )
        raise BeatCastInputError(f"{name} must be a number {span}, got {value}")
    return value


def _rates(true_rates) -> np.ndarray:
    try:
        rates = np.asarray(true_rates, dtype=float).ravel()
    except (TypeError, ValueError):
        raise BeatCastInputError("true_rates must be numbers (incidents per day, one per area)") from None
    if rates.size < 1 or not np.isfinite(rates).all() or (rates < 0).any() or rates.sum() <= 0:
        raise BeatCastInputError(
            f"true_rates must be finite numbers >= 0, one per area, not all 0; got {rates.tolist()[:10]}"
        )
    return rates


def simulate_feedback(
    true_rates,
    days=1000,
    patrols_per_day=1,
    policy="urn",
    correction=False,
    use_reported=False,
    reporting_rate=0.0,
    discovery_rate=1.0,
    prior=1.0,
    exploration=0.0,
    seed=0,
) -> FeedbackResult:
    """Run the patrol / record / retrain loop for ``days`` days (module docstring)."""
    rates = _rates(true_rates)
    days = _whole(days, "days", 1)
    patrols = _whole(patrols_per_day, "patrols_per_day", 1)
    if policy not in POLICIES:
        raise BeatCastInputError(f"policy must be one of {', '.join(POLICIES)}, got {policy!r}")
    reporting = _number(reporting_rate, "reporting_rate", 0.0, 1.0)
    discovery = _number(discovery_rate, "discovery_rate", 0.0, 1.0)
    prior = _number(prior, "prior", 0.0, open_low=True)
    exploration = _number(exploration, "exploration", 0.0, 1.0)
    seed = _whole(seed, "seed", 0)
    k = rates.size

    rng = np.random.default_rng(seed)
    choice = rng.random((days, patrols))  # urn draws; the area an exploring greedy patrol goes to
    tie = rng.random((days, k)) if policy == "greedy" else None  # greedy tie-breaks
    explore = rng.random((days, patrols)) < exploration if exploration > 0 else None
    seen_if_patrolled = rng.poisson(discovery * rates, size=(days, k)).astype(float)
    reported = rng.poisson(reporting * rates, size=(days, k)).astype(float)

    records = np.empty((days + 1, k))  # records[t]: the record the patrols of day t are chosen from
    records[0] = prior
    sent = np.zeros((days, k), dtype=np.int64)
    found = np.zeros((days, k))
    added = reported if use_reported else np.zeros((days, k))
    slots = np.arange(patrols) % k
    uniform = exploration / k
    for t in range(days):
        record = records[t]
        if policy == "urn":
            q = (1.0 - exploration) * record / record.sum() + uniform
            cdf = np.cumsum(q)
            cdf[-1] = 1.0  # uniforms are < 1, so every draw lands in 0 .. k-1
            sent[t] = np.bincount(np.searchsorted(cdf, choice[t], side="right"), minlength=k)
            missed = (1.0 - q) ** patrols
        else:
            picks = np.lexsort((tie[t], -record))[slots]
            ranked = np.bincount(picks, minlength=k)  # patrols assigned to each area by rank
            if explore is not None:
                picks = np.where(explore[t], (choice[t] * k).astype(np.int64), picks)
            sent[t] = np.bincount(picks, minlength=k)
            missed = (1.0 - uniform) ** (patrols - ranked) * (exploration - uniform) ** ranked
        patrolled = sent[t] > 0
        found[t] = seen_if_patrolled[t] * patrolled
        weight = 1.0 / np.where(patrolled, 1.0 - missed, 1.0) if correction else 1.0
        records[t + 1] = record + found[t] * weight + added[t]
    estimated = records[1:] / records[1:].sum(axis=1, keepdims=True)
    discovered = found.sum(axis=0)

    allocation = np.cumsum(sent, axis=0) / (patrols * np.arange(1, days + 1))[:, None]
    true_share = rates / rates.sum()
    error = np.abs(allocation[-1] - true_share)
    return FeedbackResult(
        true_share=true_share,
        allocation=allocation,
        estimated=estimated,
        patrols=sent,
        discovered=discovered,
        reported=reported.sum(axis=0),
        l1_error=float(error.sum()),
        max_error=float(error.max()),
        estimate_l1_error=float(np.abs(estimated[-1] - true_share).sum()),
    )

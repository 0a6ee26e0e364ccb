"""core.drift: Poisson exceedance, CUSUM and its calibrated h, PSI, rolling PAI, new clusters, assess."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from beatcast.core.drift import (
    DEFAULT_THRESHOLDS,
    area_alerts,
    assess,
    calibrate_cusum_h,
    calibrate_cusum_h_past,
    cusum,
    new_clusters,
    poisson_exceedance,
    population_stability_index,
    psi_table,
    resolve_thresholds,
    rolling_pai,
    skill_decay,
)
from beatcast.core.errors import BeatCastInputError
from beatcast.core.hotspots import weights_distance
from beatcast.core.progress import Cancelled, Progress

SIDE = 20
CELLS = SIDE * SIDE
BINS = 24
SHIFT_BIN = 10
SHIFTED = np.arange(5)  # five adjacent cells of the first grid row


def _grid_weights():
    col, row = np.meshgrid(np.arange(SIDE), np.arange(SIDE))
    return weights_distance(col.ravel() * 100.0, row.ravel() * 100.0, 150.0)  # queen neighbours + self


def _block(first_row: int, first_col: int, size: int) -> np.ndarray:
    return np.array(
        [r * SIDE + c for r in range(first_row, first_row + size) for c in range(first_col, first_col + size)]
    )


@pytest.fixture(scope="module")
def forecast():
    """A heterogeneous forecast: 0.2..2 incidents per cell and bin, the shifted cells at 1."""
    rate = np.random.default_rng(1).uniform(0.2, 2.0, CELLS)
    rate[SHIFTED] = 1.0
    return np.tile(rate, (BINS, 1))


@pytest.fixture(scope="module")
def weights():
    return _grid_weights()


@pytest.fixture(scope="module")
def calibrated_h(forecast):
    return calibrate_cusum_h(forecast, k=0.5, false_alarm_rate=0.01, simulations=200, seed=0)


# --- Poisson exceedance ----------------------------------------------------------------------------------


def test_exceedance_hand_values_and_edges():
    p = poisson_exceedance([2.0, 2.0, 0.0, 0.0, 3.5, 1.0], [5, 0, 0, 1, 2.5, 1])
    # P(X >= 5 | 2) = 1 - e^-2 (1 + 2 + 2 + 4/3 + 2/3) = 1 - 7 e^-2
    assert p[0] == pytest.approx(1 - 7 * math.exp(-2), rel=1e-12)
    assert p[0] == pytest.approx(0.052653, abs=1e-6)
    assert p[1] == 1.0  # nothing observed
    assert p[2] == 1.0  # expected 0, observed 0
    assert p[3] == 0.0  # expected 0 but something arrived
    # A fractional (aoristic) 2.5 counts as "at least 3": 1 - e^-3.5 (1 + 3.5 + 3.5^2 / 2)
    assert p[4] == pytest.approx(1 - math.exp(-3.5) * (1 + 3.5 + 3.5**2 / 2), rel=1e-12)
    assert p[5] == pytest.approx(1 - math.exp(-1.0), rel=1e-12)


@pytest.mark.parametrize(
    ("expected", "observed", "message"),
    [
        ([1.0, 2.0], [1.0], "shape"),
        ([-1.0, 2.0], [1.0, 1.0], "expected must be finite numbers >= 0"),
        ([1.0, 2.0], [np.nan, 1.0], "observed must be finite"),
    ],
)
def test_exceedance_refuses_bad_input(expected, observed, message):
    with pytest.raises(BeatCastInputError, match=message):
        poisson_exceedance(expected, observed)


# --- CUSUM -----------------------------------------------------------------------------------------------


def test_cusum_by_hand():
    # cell 0: r = (3-1)/1, (0-1)/1, (8-4)/2, (3-1)/1 = 2, -1, 2, 2
    #         S = 1.5, max(0, 1.5 - 1 - .5) = 0, 1.5, 3.0 -> above h = 2 first at bin 3
    # cell 1: expected = observed = 0 throughout: r = 0, S = 0
    # cell 2: expected 0, observed 1 at bin 0: r = 1 / sqrt(1e-3) (the documented floor), then 0
    # cell 3: dispersion 0.25 at expected 4, observed 8: r = 4 / sqrt(4 + 0.25 * 16) = sqrt(2)
    expected = np.array([[1, 0, 0, 4], [1, 0, 0, 4], [4, 0, 0, 4], [1, 0, 0, 4]], dtype=float)
    observed = np.array([[3, 0, 1, 8], [0, 0, 0, 8], [8, 0, 0, 8], [3, 0, 0, 8]], dtype=float)
    res = cusum(expected[:, :3], observed[:, :3], k=0.5, h=2.0)
    np.testing.assert_allclose(res.statistic[:, 0], [1.5, 0.0, 1.5, 3.0])
    np.testing.assert_array_equal(res.statistic[:, 1], 0.0)
    jump = 1 / math.sqrt(1e-3) - 0.5
    np.testing.assert_allclose(res.statistic[:, 2], [jump, jump - 0.5, jump - 1.0, jump - 1.5])
    np.testing.assert_array_equal(res.alarm, [True, False, True])
    np.testing.assert_array_equal(res.first_alarm, [3, -1, 0])
    np.testing.assert_allclose(res.last, [3.0, 0.0, jump - 1.5])
    assert res.h == 2.0
    over = cusum(expected[:, 3:], observed[:, 3:], k=0.5, h=100.0, dispersion=0.25)
    np.testing.assert_allclose(over.statistic[:, 0], (math.sqrt(2) - 0.5) * np.arange(1, 5))
    assert not over.alarm[0] and over.first_alarm[0] == -1


def test_cusum_refuses_bad_input():
    with pytest.raises(BeatCastInputError, match="bins x cells"):
        cusum([1.0, 2.0], [1.0, 2.0], h=1.0)
    with pytest.raises(BeatCastInputError, match="shape"):
        cusum(np.ones((3, 2)), np.ones((3, 3)), h=1.0)
    with pytest.raises(BeatCastInputError, match="k"):
        cusum(np.ones((3, 2)), np.ones((3, 2)), k=-1, h=1.0)


def test_calibrated_h_keeps_the_nominal_false_alarm_share(forecast, calibrated_h):
    shares = [
        cusum(forecast, np.random.default_rng(1000 + rep).poisson(forecast), h=calibrated_h).alarm.mean()
        for rep in range(20)
    ]
    share = float(np.mean(shares))  # 8000 fresh in-control cell-windows; 1.04 % when written
    assert 0.005 <= share <= 0.02, share
    assert calibrate_cusum_h(forecast, seed=0) == calibrated_h  # deterministic given the seed


def test_calibrated_h_detects_a_planted_shift_within_a_few_bins(forecast, calibrated_h):
    observed = np.random.default_rng(7).poisson(forecast).astype(float)
    observed[SHIFT_BIN:, SHIFTED] = np.random.default_rng(8).poisson(3 * forecast[SHIFT_BIN:, SHIFTED])
    res = cusum(forecast, observed, h=calibrated_h)
    assert res.alarm[SHIFTED].all()
    assert (res.first_alarm[SHIFTED] >= SHIFT_BIN).all()  # 5, 12, 5, 4, 4 bins after the shift when written
    # The delay's distribution: 1000 replicate cells at 1 per bin, x3 from bin 10 (same h).
    ones = np.ones((BINS, 1000))
    replicate = np.random.default_rng(9).poisson(ones).astype(float)
    replicate[SHIFT_BIN:] = np.random.default_rng(10).poisson(3 * ones[SHIFT_BIN:])
    delay = cusum(ones, replicate, h=calibrated_h).first_alarm - SHIFT_BIN
    detected = delay[delay >= 0]
    assert detected.size >= 980  # 990 when written (9 never alarmed, 1 before the shift)
    assert np.median(detected) <= 5 and np.percentile(detected, 90) <= 8  # median 4, mean 4.2, p90 8


def test_calibration_with_dispersion_matches_negative_binomial_data(forecast):
    d = 0.5
    h = calibrate_cusum_h(forecast, dispersion=d, seed=3)
    n = 1 / d
    shares = []
    for rep in range(10):
        rng = np.random.default_rng(2000 + rep)
        counts = rng.negative_binomial(n, n / (n + forecast))
        shares.append(cusum(forecast, counts, h=h, dispersion=d).alarm.mean())
    assert 0.004 <= float(np.mean(shares)) <= 0.02
    with pytest.raises(BeatCastInputError, match="false_alarm_rate"):
        calibrate_cusum_h(forecast, false_alarm_rate=1.5)


# --- PSI -------------------------------------------------------------------------------------------------


def test_psi_identical_similar_and_shifted():
    rng = np.random.default_rng(0)
    ref = rng.normal(size=5000)
    assert population_stability_index(ref, ref) == pytest.approx(0.0, abs=1e-12)
    assert population_stability_index(ref, rng.normal(size=5000)) < 0.02
    shifted = rng.normal(loc=1.0, size=5000)
    forward, backward = population_stability_index(ref, shifted), population_stability_index(shifted, ref)
    assert forward > 0.25 and backward > 0.25
    assert forward != pytest.approx(backward, rel=1e-6)  # the bins come from the reference: not symmetric


def test_psi_by_hand_with_the_floor():
    # Reference 0..99 in 4 quantile bins of 25 each; current all in the outer two bins (half each).
    ref = np.arange(100.0)
    cur = np.r_[np.arange(10.0), np.arange(90.0, 100.0)]
    floor = 1e-4
    expected = 2 * (0.5 - 0.25) * math.log(0.5 / 0.25) + 2 * (floor - 0.25) * math.log(floor / 0.25)
    assert population_stability_index(ref, cur, bins=4) == pytest.approx(expected, rel=1e-12)


def test_psi_drops_nan_and_refuses_empty():
    rng = np.random.default_rng(2)
    ref, cur = rng.normal(size=1000), rng.normal(0.3, size=1000)
    base = population_stability_index(ref, cur)
    with_nan = population_stability_index(np.r_[ref, [np.nan] * 50], np.r_[cur, [np.nan] * 500])
    assert with_nan == base
    with pytest.raises(BeatCastInputError, match="current has no values"):
        population_stability_index(ref, [np.nan, np.nan])
    with pytest.raises(BeatCastInputError, match="bins"):
        population_stability_index(ref, cur, bins=1)


def test_psi_table_flags_and_refuses_missing_features():
    rng = np.random.default_rng(3)
    ref = pd.DataFrame({"income": rng.normal(size=2000), "age": rng.normal(size=2000)})
    cur = pd.DataFrame({"income": rng.normal(1.0, size=2000), "age": rng.normal(size=2000)})
    table = psi_table(ref, cur, threshold=0.25)
    assert list(table.columns) == ["feature", "psi", "flag"]
    assert list(table["feature"]) == ["income", "age"]
    assert table["flag"].tolist() == ["PSI > 0.25 (major shift)", ""]
    with pytest.raises(BeatCastInputError, match=r"lacks the features \['age'\]"):
        psi_table(ref, cur[["income"]])


# --- rolling PAI and skill decay ---------------------------------------------------------------------------


def test_rolling_pai_and_skill_decay():
    # 4 equal cells, coverage 25 %: the top forecast cell (cell 0) is flagged, so PAI = share in cell 0 * 4.
    forecasts = np.tile([4.0, 3.0, 2.0, 1.0], (5, 1))
    observed = np.array([[2, 0, 0, 0], [1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 3, 1], [0, 0, 0, 0]], dtype=float)
    series = rolling_pai(forecasts, observed, np.ones(4), coverage=0.25, window=2)
    # per period 4, 4, 2, 0, NaN (nothing observed) -> trailing means over the finite values
    np.testing.assert_allclose(series, [np.nan, 4.0, 3.0, 1.0, 0.0])
    assert skill_decay(series, 4.0, 0.8) == (True, 0.0)
    decayed, ratio = skill_decay([np.nan, 3.5], 4.0, 0.8)
    assert not decayed and ratio == pytest.approx(0.875)
    decayed, ratio = skill_decay([4.0, np.nan], 4.0)
    assert not decayed and math.isnan(ratio)
    with pytest.raises(BeatCastInputError, match="baseline_pai"):
        skill_decay(series, 0.0)
    with pytest.raises(BeatCastInputError, match="window"):
        rolling_pai(forecasts, observed, np.ones(4), window=0)


# --- new clusters ----------------------------------------------------------------------------------------


def test_new_clusters_finds_a_planted_block(weights):
    expected = np.ones((6, CELLS))
    observed = np.random.default_rng(4).poisson(expected).astype(float)
    block = _block(8, 8, 3)
    observed[:, block] += 3.0
    found = new_clusters(observed, expected, weights)
    centre = 9 * SIDE + 9
    assert found[centre] and found[block].sum() >= 7
    near = _block(7, 7, 5)
    # False discoveries away from the block stay within the FDR (5 % of the flagged cells, with slack).
    assert np.delete(found, near).sum() <= 0.1 * found.sum()
    known = np.zeros(CELLS, dtype=bool)
    known[centre] = True
    without = new_clusters(observed, expected, weights, baseline_hot=known)
    assert not without[centre]
    np.testing.assert_array_equal(np.delete(without, centre), np.delete(found, centre))
    with pytest.raises(BeatCastInputError, match="baseline_hot"):
        new_clusters(observed, expected, weights, baseline_hot=[True])


# --- assess ----------------------------------------------------------------------------------------------


def _features(shift: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(9)
    ref = pd.DataFrame({"income": rng.normal(size=CELLS), "lights": rng.uniform(size=CELLS)})
    cur = pd.DataFrame({"income": rng.normal(shift, size=CELLS), "lights": rng.uniform(size=CELLS)})
    return ref, cur


def test_assess_in_control_does_not_refresh(forecast, weights, calibrated_h):
    observed = np.random.default_rng(5).poisson(forecast)
    ref, cur = _features(0.0)
    res = assess(forecast, observed, weights, feature_reference=ref, feature_current=cur, seed=0)
    assert not res.refresh and res.reasons == []
    assert res.h == calibrated_h  # calibrated with the same seed
    assert list(res.cells.columns) == [
        "expected",
        "observed",
        "exceedance_p",
        "cusum_last",
        "cusum_first_alarm",
        "new_cluster",
        "severity",
        "evidence",
    ]
    assert len(res.cells) == CELLS
    assert (res.cells["severity"] >= 1).mean() < DEFAULT_THRESHOLDS["refresh_share"]
    assert (res.cells.loc[res.cells["severity"] == 0, "evidence"] == "").all()
    assert (res.features["psi"] < 0.25).all() and res.skill is None


def test_assess_refreshes_on_planted_drift_and_explains(forecast, weights):
    observed = np.random.default_rng(6).poisson(forecast).astype(float)
    block = _block(10, 10, 5)  # 25 cells, 6 % of the grid, at 3x the forecast
    observed[:, block] = np.random.default_rng(7).poisson(3 * forecast[:, block])
    ref, cur = _features(1.0)
    periods = 8
    history_fc = np.tile(forecast[0], (periods, 1))
    history_obs = np.zeros((periods, CELLS))
    top = np.argsort(-forecast[0], kind="stable")[:20]
    history_obs[:4, top] = 1.0  # early periods: everything in the flagged cells
    history_obs[4:, :] = 0.05  # late periods: spread evenly (PAI ~ 1)
    res = assess(
        forecast,
        observed,
        weights,
        feature_reference=ref,
        feature_current=cur,
        forecasts_history=history_fc,
        observed_history=history_obs,
        seed=0,
    )
    assert res.refresh
    kinds = " | ".join(res.reasons)
    assert "cells alert" in kinds and "CUSUM > h" in kinds and "new cluster in" in kinds
    assert "feature income: PSI" in kinds and "lights" not in kinds
    assert "skill decayed: rolling PAI" in kinds
    assert res.skill["decayed"] and res.skill["ratio"] < 0.8
    centre = res.cells.loc[12 * SIDE + 12]
    assert centre["severity"] == 3 and centre["new_cluster"]
    assert "observed" in centre["evidence"] and "CUSUM" in centre["evidence"]
    assert "new cluster" in centre["evidence"]
    assert (res.cells.loc[block, "severity"] >= 1).mean() >= 0.9


def test_assess_is_deterministic(forecast, weights):
    observed = np.random.default_rng(11).poisson(forecast)
    one = assess(forecast, observed, weights, seed=4)
    two = assess(forecast, observed, weights, seed=4)
    pd.testing.assert_frame_equal(one.cells, two.cells)
    assert one.h == two.h and one.reasons == two.reasons


def test_assess_with_a_given_h_skips_calibration_and_reports_progress(forecast, weights):
    seen = []

    class Recorder(Progress):
        def set_progress(self, percent: float) -> None:
            seen.append(percent)

    observed = np.random.default_rng(12).poisson(forecast)
    res = assess(forecast, observed, weights, thresholds={"cusum_h": 5.0}, progress=Recorder())
    assert res.h == 5.0 and res.thresholds["cusum_h"] == 5.0
    assert seen == sorted(seen) and seen[-1] == 100

    class Cancel(Progress):
        def is_canceled(self) -> bool:
            return True

    with pytest.raises(Cancelled):
        assess(forecast, observed, weights, progress=Cancel())


def test_assess_refuses_bad_input(forecast, weights):
    observed = np.random.default_rng(13).poisson(forecast)
    with pytest.raises(BeatCastInputError, match="expected_recent has shape .* but observed_recent"):
        assess(forecast, observed[:, :10], weights)
    negative = forecast.copy()
    negative[0, 0] = -1.0
    with pytest.raises(BeatCastInputError, match="expected_recent must be finite numbers >= 0"):
        assess(negative, observed, weights)
    with pytest.raises(BeatCastInputError, match="unknown key 'cusum_kk'"):
        assess(forecast, observed, weights, thresholds={"cusum_kk": 1})
    with pytest.raises(BeatCastInputError, match=r"thresholds\[gi_alpha\] must be a probability"):
        resolve_thresholds({"gi_alpha": 5})
    with pytest.raises(BeatCastInputError, match=r"thresholds\[psi_max\] must be a number"):
        resolve_thresholds({"psi_max": "high"})
    with pytest.raises(BeatCastInputError, match="weights"):
        assess(forecast, observed, sparse.identity(3, format="csr"))
    with pytest.raises(BeatCastInputError, match="feature_reference and feature_current"):
        assess(forecast, observed, weights, feature_reference=pd.DataFrame({"a": [1.0]}))


# --- area alerts -----------------------------------------------------------------------------------------


def test_area_alerts_by_hand():
    cells = pd.DataFrame(
        {"expected": [2.0, 1.0, 4.0, 0.0], "observed": [6.0, 1.0, 2.0, 3.0], "severity": [3, 0, 1, 2]}
    )
    # cell 0 in A, cell 1 in B, cell 2 half A half B, cell 3 in C (expected 0 there)
    overlap = sparse.csr_matrix([[1, 0, 0], [0, 1, 0], [0.5, 0.5, 0], [0, 0, 1.0]])
    table = area_alerts(cells, overlap, ["A", "B", "C"])
    np.testing.assert_allclose(table["expected"], [4.0, 3.0, 0.0])
    np.testing.assert_allclose(table["observed"], [7.0, 2.0, 3.0])
    np.testing.assert_allclose(table["ratio"], [1.75, 2 / 3, np.nan])
    assert table["n_alert_cells"].tolist() == [2, 1, 1]
    assert table["max_severity"].tolist() == [3, 1, 2]
    assert table["area"].tolist() == ["A", "B", "C"]
    dense = area_alerts(cells, overlap.toarray(), ["A", "B", "C"])
    pd.testing.assert_frame_equal(table, dense)
    with pytest.raises(BeatCastInputError, match="area_labels"):
        area_alerts(cells, overlap, ["A"])


def test_past_windows_raise_h_for_bursty_counts(forecast):
    """Counts burstier than the forecast's Poisson (a negative binomial here) alarm too often with the
    simulated h; the h calibrated on past windows of such counts brings the rate back to the nominal one."""
    rng = np.random.default_rng(21)

    def bursty():
        return rng.poisson(rng.gamma(1 / 0.8, 0.8 * forecast)).astype(float)

    simulated = calibrate_cusum_h(forecast, seed=0)
    past = calibrate_cusum_h_past(forecast, [bursty() for _ in range(6)])
    assert past > simulated
    fresh = [bursty() for _ in range(10)]
    rate = np.mean([cusum(forecast, obs, h=simulated).alarm.mean() for obs in fresh])
    rate_past = np.mean([cusum(forecast, obs, h=max(simulated, past)).alarm.mean() for obs in fresh])
    assert rate > 0.02 and rate_past <= 0.02  # nominal 1 %: six past windows give a rough quantile
    assert math.isnan(calibrate_cusum_h_past(forecast, []))
    with pytest.raises(BeatCastInputError, match=r"past_observed\[0\] has shape"):
        calibrate_cusum_h_past(forecast, [forecast[:3]])

"""core.audit: exposure per area and group, disparate impact, Gini, flags, proxy check, exposure caps."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from beatcast.core.audit import (
    DEFAULT_THRESHOLDS,
    area_exposure,
    area_group_shares,
    area_means,
    audit,
    cell_group_shares,
    disparate_impact,
    exposure_cap_constraints,
    gini,
    group_exposure,
    information_correlation,
    proxy_check,
)
from beatcast.core.errors import BeatCastInputError
from beatcast.core.patrol import select_zones

# Three areas, two groups, four cells (worked by hand below).
#   population   group a  group b  total   share
#   A               80       20     100    0.25
#   B               20       80     100    0.25
#   C              100      100     200    0.50      P_a = P_b = 200, s_a = s_b = 0.5
# Cell 0 lies in A; cell 1 in B; cell 2 half in B, half in C; cell 3 half in C (half outside every area).
# Exposure per cell 10, 40, 20, 20 -> per area A = 10, B = 40 + 10 = 50, C = 10 + 10 = 20 (total 80).
# Group a: 10 * 0.8 + 50 * 0.2 + 20 * 0.5 = 28; group b: 2 + 40 + 10 = 52.
# share_exposure a = 0.35, b = 0.65; exposure ratio a = 0.7, b = 1.3 (> 1.25: flagged).
# per capita a = 28 / 200 = 0.14, b = 0.26; disparate impact = 0.14 / 0.26 = 7 / 13 = 0.538 (< 0.8).
# Area per capita A 0.1 (w 100), B 0.5 (w 100), C 0.1 (w 200): W = 400, mu = 80 / 400 = 0.2,
# sum_ij w_i w_j |x_i - x_j| = 2 * (100*100*0.4 + 100*200*0.4) = 24000,
# Gini = 24000 / (2 * 400^2 * 0.2) = 0.375.
# Exposure shares per area .125, .625, .25 vs population .25, .25, .5: ratios 0.5, 2.5, 0.5.
# Incidents 20, 40, 40 -> shares .2, .4, .4: exposure / incident ratios 0.625, 1.5625, 0.625.
POP = pd.DataFrame({"a": [80, 20, 100], "b": [20, 80, 100]}, index=pd.Index(["A", "B", "C"], name="area"))
OVERLAP = np.array([[1.0, 0, 0], [0, 1.0, 0], [0, 0.5, 0.5], [0, 0, 0.5]])
EXPOSURE = np.array([10.0, 40, 20, 20])
INCIDENTS = np.array([20.0, 40, 40])


def test_area_and_group_exposure_by_hand():
    x = area_exposure(EXPOSURE, sparse.csr_matrix(OVERLAP))
    np.testing.assert_allclose(x, [10, 50, 20])
    groups = group_exposure(x, POP)
    assert list(groups.index) == ["a", "b"]
    np.testing.assert_allclose(groups["population"], [200, 200])
    np.testing.assert_allclose(groups["share_population"], [0.5, 0.5])
    np.testing.assert_allclose(groups["exposure"], [28, 52])
    np.testing.assert_allclose(groups["share_exposure"], [0.35, 0.65])
    np.testing.assert_allclose(groups["exposure_ratio"], [0.7, 1.3])
    np.testing.assert_allclose(groups["per_capita"], [0.14, 0.26])
    assert groups.attrs["unpopulated_areas"] == [] and groups.attrs["unattributed_exposure"] == 0


def test_disparate_impact_and_pairwise_matrix():
    di, matrix = disparate_impact(pd.Series({"a": 0.14, "b": 0.26}))
    assert di == pytest.approx(7 / 13)
    assert matrix.loc["a", "b"] == pytest.approx(7 / 13) and matrix.loc["b", "a"] == pytest.approx(13 / 7)
    assert disparate_impact(pd.Series({"a": 0.0, "b": 0.0}))[0] == 1.0
    assert disparate_impact(pd.Series({"a": 0.2, "b": np.nan, "c": 0.1}))[0] == pytest.approx(0.5)


def test_gini_hand_cases_and_brute_force():
    assert gini([0, 1]) == pytest.approx(0.5)
    assert gini([3, 3, 3]) == 0.0 and gini([0, 0]) == 0.0
    # (1, 3) weighted (3, 1): mu = 6 / 4 = 1.5; 2 * 3 * 1 * 2 / (2 * 4^2 * 1.5) = 0.25
    assert gini([1, 3], [3, 1]) == pytest.approx(0.25)
    assert gini([0.1, 0.5, 0.1], [100, 100, 200]) == pytest.approx(0.375)
    assert gini([5, 1, 2], [1, 0, 1]) == pytest.approx(gini([5, 2]))  # weight 0 is ignored
    rng = np.random.default_rng(3)
    x, w = rng.gamma(1.0, 1.0, 40), rng.integers(0, 5, 40).astype(float)
    brute = (w[:, None] * w[None, :] * np.abs(x[:, None] - x[None, :])).sum() / (
        2 * w.sum() ** 2 * (w @ x / w.sum())
    )
    assert gini(x, w) == pytest.approx(brute)


def test_audit_tables_and_flags_by_hand():
    result = audit(EXPOSURE, OVERLAP, POP, incidents_by_area=INCIDENTS, enforcement_by_area=[1, 2, 1])
    areas = result.areas
    assert list(areas.index) == ["A", "B", "C"] and areas.index.name == "area"
    np.testing.assert_allclose(areas["share_exposure"], [0.125, 0.625, 0.25])
    np.testing.assert_allclose(areas["share_population"], [0.25, 0.25, 0.5])
    np.testing.assert_allclose(areas["share_incidents"], [0.2, 0.4, 0.4])
    np.testing.assert_allclose(areas["share_enforcement"], [0.25, 0.5, 0.25])
    np.testing.assert_allclose(areas["exposure_per_capita"], [0.1, 0.5, 0.1])
    np.testing.assert_allclose(areas["ratio_exposure_to_population"], [0.5, 2.5, 0.5])
    np.testing.assert_allclose(areas["ratio_exposure_to_incidents"], [0.625, 1.5625, 0.625])
    assert areas.loc["A", "flag"] == "" and "2.50 x population share" in areas.loc["B", "flag"]
    assert "1.56 x incident share" in areas.loc["B", "flag"]
    np.testing.assert_allclose(result.groups["exposure_ratio"], [0.7, 1.3])
    assert (
        result.groups.loc["b", "flag"] == "exposure ratio 1.30 above 1.25"
        and result.groups.loc["a", "flag"] == ""
    )
    assert result.disparate_impact == pytest.approx(7 / 13)
    assert result.gini == pytest.approx(0.375)
    assert result.worst_exposure_ratio == pytest.approx(1.3)
    assert result.thresholds == DEFAULT_THRESHOLDS
    assert "group b: exposure ratio 1.30 above 1.25" in result.flags
    assert any(f.startswith("disparate impact 0.54 below 0.8") for f in result.flags)
    assert any("population share of exposure: B" in f for f in result.flags)
    assert any("incident share of exposure: B" in f for f in result.flags)


def test_audit_without_incidents_has_no_incident_columns():
    areas = audit(EXPOSURE, OVERLAP, POP).areas
    assert "share_incidents" not in areas and "ratio_exposure_to_incidents" not in areas
    assert "share_enforcement" not in areas


@pytest.mark.parametrize(
    ("thresholds", "group_flag", "di_flag"),
    [
        ({}, True, True),
        ({"exposure_ratio_max": 1.31}, False, True),
        ({"exposure_ratio_max": 1.29}, True, True),
        ({"disparate_impact_min": 0.53}, True, False),
        ({"disparate_impact_min": 0.54}, True, True),
    ],
)
def test_flags_follow_the_thresholds(thresholds, group_flag, di_flag):
    result = audit(EXPOSURE, OVERLAP, POP, thresholds=thresholds)
    assert any(f.startswith("group b") for f in result.flags) == group_flag
    assert (result.groups.loc["b", "flag"] != "") == group_flag
    assert any(f.startswith("disparate impact") for f in result.flags) == di_flag


def test_exposure_in_areas_without_residents_is_reported_not_attributed():
    pop = pd.concat([POP, pd.DataFrame({"a": [0], "b": [0]}, index=pd.Index(["park"], name="area"))])
    overlap = np.hstack([OVERLAP, np.zeros((4, 1))])
    overlap[3] = [0, 0, 0.5, 0.5]  # the other half of cell 3 falls in the park: 10 exposure to nobody
    result = audit(EXPOSURE, overlap, pop)
    assert result.unpopulated_areas == ["park"]
    assert result.areas.loc["park", "flag"] == "exposure but no residents"
    np.testing.assert_allclose(result.groups["exposure"], [28, 52])  # unchanged
    assert any("1 areas with exposure have no residents (11.1% of the exposure" in f for f in result.flags)


def test_group_shares_per_cell():
    shares = cell_group_shares(OVERLAP, POP)
    np.testing.assert_allclose(shares.to_numpy(), [[0.8, 0.2], [0.2, 0.8], [0.35, 0.65], [0.5, 0.5]])
    empty = cell_group_shares(np.zeros((1, 3)), POP)
    assert empty.isna().all().all()


PERMS = 499


def test_proxy_check_flags_a_noisy_copy_not_an_independent_feature():
    rng = np.random.default_rng(7)
    n = 120
    share_a = rng.random(n)
    group_share = pd.DataFrame({"pop_group_a": share_a, "pop_group_b": 1 - share_a})
    with_gaps = share_a + rng.normal(0, 0.05, n)
    with_gaps[:30] = np.nan
    features = pd.DataFrame(
        {
            "renters": share_a + rng.normal(0, 0.1, n),
            "u_shaped": (share_a - 0.5) ** 2 + rng.normal(0, 0.005, n),  # dependent, yet uncorrelated
            "random": rng.normal(size=n),
            "gappy": with_gaps,
        }
    )
    table = proxy_check(features, group_share, permutations=PERMS)
    assert list(table.columns) == [
        "feature", "group", "n", "pearson", "spearman", "p_spearman", "mutual_info", "information_r",
        "p_mutual_info", "flag",
    ]  # fmt: skip
    assert len(table) == 8 and table["information_r"].is_monotonic_decreasing
    flagged = set(table.loc[table["flag"] != "", "feature"])
    assert flagged == {"renters", "gappy", "u_shaped"}
    rows = table.set_index(["feature", "group"])
    assert rows.loc[("renters", "pop_group_a"), "spearman"] > 0.9
    assert rows.loc[("renters", "pop_group_b"), "spearman"] < -0.9
    assert abs(rows.loc[("random", "pop_group_a"), "spearman"]) < 0.2
    assert rows.loc[("random", "pop_group_a"), "information_r"] < 0.5
    assert rows.loc[("random", "pop_group_a"), "p_mutual_info"] > 0.05
    u_shaped = rows.loc[("u_shaped", "pop_group_a")]
    assert abs(u_shaped["spearman"]) < 0.3 and "Spearman" not in u_shaped["flag"]
    assert "informational correlation" in u_shaped["flag"] and u_shaped["p_mutual_info"] == 1 / (PERMS + 1)
    assert (
        rows.loc[("gappy", "pop_group_a"), "n"] == n - 30 and rows.loc[("renters", "pop_group_a"), "n"] == n
    )
    assert "Spearman" in rows.loc[("renters", "pop_group_a"), "flag"]
    pd.testing.assert_frame_equal(
        table, proxy_check(features, group_share, permutations=PERMS)
    )  # seeded: deterministic
    # The thresholds alone do not flag: an independent feature is not significant even at threshold 0.
    strict = proxy_check(features[["random"]], group_share, 0.0, 0.0, permutations=PERMS)
    assert (strict["flag"] == "").all() and (strict[["p_spearman", "p_mutual_info"]] > 0.05).all().all()
    assert (proxy_check(features[["renters"]], group_share, 0.99, 0.99, PERMS)["flag"] == "").all()


def test_proxy_check_p_values_under_independence_and_fdr_keeps_flags_away():
    """Independent features: 5 % of p-values below 0.05 (MI clipped at 0 piles up at p = 1), and after
    Benjamini-Hochberg no flag even with the strength thresholds at 0."""
    rng = np.random.default_rng(11)
    n = 60
    shares = pd.DataFrame({"g": rng.random(n)})
    features = pd.DataFrame({f"f{i}": rng.lognormal(size=n) for i in range(200)})
    table = proxy_check(features, shares, 0.0, 0.0, permutations=999)
    assert 0.02 <= (table["p_spearman"] < 0.05).mean() <= 0.09
    assert 0.02 <= (table["p_mutual_info"] < 0.05).mean() <= 0.09
    assert (table["flag"] == "").all()
    # one real proxy among them is still found
    features["proxy"] = np.sqrt(shares["g"]) + rng.normal(0, 0.05, n)
    table = proxy_check(features, shares, permutations=999)
    assert set(table.loc[table["flag"] != "", "feature"]) == {"proxy"}


def test_area_means_and_shares():
    overlap = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0], [0.0, 1.0]])
    cells = pd.DataFrame({"f": [1.0, 3.0, 5.0, np.nan]})
    means = area_means(cells, overlap)
    assert means["f"].tolist() == pytest.approx([(1 + 1.5) / 1.5, (1.5 + 5) / 1.5])
    shares = area_group_shares(pd.DataFrame({"a": [1.0, 0.0], "b": [3.0, 0.0]}))
    assert shares.iloc[0].tolist() == [0.25, 0.75] and shares.iloc[1].isna().all()
    assert information_correlation(0.0) == 0.0
    rho = 0.6  # bivariate normal: I = -log(1 - rho^2) / 2, so r_I = |rho|
    assert information_correlation(-0.5 * np.log(1 - rho**2)) == pytest.approx(rho)


def _cap_instance():
    # Areas A (all group a), B (all group b), C (half and half), 100 residents each; park without residents.
    pop = pd.DataFrame({"a": [100, 0, 50, 0], "b": [0, 100, 50, 0]}, index=["A", "B", "C", "park"])
    cell_area = [0, 0, 1, 1, 2, 2, 3]
    overlap = np.zeros((7, 4))
    overlap[np.arange(7), cell_area] = 1.0
    value = np.array([5.0, 4, 10, 9, 3, 2, 1])
    return pop, overlap, value


def _groups(chosen, overlap, pop, zone_cells=None, per_zone=None):
    """group_exposure of a selection, each chosen zone's exposure spread equally over its cells."""
    cells = np.zeros(overlap.shape[0])
    zone_cells = zone_cells or [[i] for i in range(overlap.shape[0])]
    per_zone = np.ones(len(zone_cells)) if per_zone is None else per_zone
    for i in np.flatnonzero(chosen):
        cells[zone_cells[i]] += per_zone[i] / len(zone_cells[i])
    return group_exposure(area_exposure(cells, overlap), pop)


def test_exposure_cap_rows_keep_the_selection_under_the_cap():
    pop, overlap, value = _cap_instance()
    zones = [[i] for i in range(7)]
    free = select_zones(value, [""] * 7, max_zones=2)
    assert np.flatnonzero(free.chosen).tolist() == [2, 3]
    assert _groups(free.chosen, overlap, pop)["exposure_ratio"].max() == pytest.approx(2.0)  # both in B
    rows = exposure_cap_constraints(zones, overlap, pop, cap=1.25)
    assert [r[3] for r in rows] == ["exposure cap 1.25 for group a", "exposure cap 1.25 for group b"]
    capped = select_zones(value, [""] * 7, max_zones=2, extra_constraints=rows)
    assert np.flatnonzero(capped.chosen).tolist() == [0, 2]  # A + B: ratios 1, 1 (B + C would give 1.5)
    assert _groups(capped.chosen, overlap, pop)["exposure_ratio"].max() <= 1.25 + 1e-6
    # 3 zones: A + B + C (ratios 1, 1) beats A + A + B and A + B + B (ratio 4/3)
    capped3 = select_zones(value, [""] * 7, max_zones=3, extra_constraints=rows)
    assert np.flatnonzero(capped3.chosen).tolist() == [0, 2, 4]
    assert all(a[0, 6] == 0 for a, *_ in rows)  # the park reaches nobody: free under the cap
    park_first = select_zones(np.r_[value[:6], 50.0], [""] * 7, max_zones=3, extra_constraints=rows)
    assert np.flatnonzero(park_first.chosen).tolist() == [0, 2, 6]


def test_exposure_cap_rows_match_the_audit_on_any_selection():
    rng = np.random.default_rng(11)
    pop = pd.DataFrame(rng.integers(0, 60, (5, 3)), columns=["x", "y", "z"])
    pop["z"] = 0  # a group without residents gets no row
    overlap = rng.random((12, 5)) * (rng.random((12, 5)) < 0.5)
    overlap /= np.maximum(overlap.sum(axis=1, keepdims=True), 1.0)
    zone_cells = [[0, 1], [2], [3, 4, 5], [6, 7], [8], [9, 10, 11]]
    per_zone = np.array([1.0, 2, 1, 0.5, 1, 3])
    cap = 1.1
    rows = exposure_cap_constraints(zone_cells, sparse.csr_matrix(overlap), pop, cap, per_zone)
    assert [r[3] for r in rows] == ["exposure cap 1.1 for group x", "exposure cap 1.1 for group y"]
    for z in itertools.product([0, 1], repeat=len(zone_cells)):
        z = np.array(z, dtype=float)
        groups = _groups(z > 0, overlap, pop, zone_cells, per_zone)
        total = groups["exposure"].sum()
        for (a, lower, upper, _name), g in zip(rows, ["x", "y"]):
            assert lower is None and upper == 0.0
            expected = groups.loc[g, "exposure"] - cap * groups.loc[g, "share_population"] * total
            assert float((a @ z)[0]) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: area_exposure([1, 2], OVERLAP), "cell_exposure has 2 values for 4 cells"),
        (lambda: area_exposure([1, -2, 0, 0], OVERLAP), "cell_exposure must be finite"),
        (lambda: audit(EXPOSURE, OVERLAP[:, :2], POP), "population_by_group has 3 areas.*overlap has 2"),
        (
            lambda: audit(EXPOSURE, OVERLAP, POP.assign(b=[20, -1, 100])),
            r"counts >= 0; check columns \['b'\]",
        ),
        (lambda: audit(EXPOSURE, OVERLAP * 2.5, POP), "overlap rows must sum to at most 1.*row 0"),
        (lambda: audit(EXPOSURE, -OVERLAP, POP), "overlap must be finite shares >= 0"),
        (lambda: audit(EXPOSURE, OVERLAP, POP.to_numpy()), "population_by_group must be a DataFrame"),
        (lambda: audit(EXPOSURE, OVERLAP, POP, incidents_by_area=[1, 2]), "incidents_by_area has 2 values"),
        (lambda: audit(EXPOSURE, OVERLAP, POP, thresholds={"gini_max": 0.3}), "unknown key 'gini_max'"),
        (lambda: audit(EXPOSURE, OVERLAP, POP, thresholds={"exposure_ratio_max": "x"}), "exposure_ratio_max"),
        (lambda: gini([1, 2], [1]), "weights has 1 values for 2 values"),
        (lambda: exposure_cap_constraints([[0]], OVERLAP, POP, 0.9), "cap must be a number >= 1"),
        (lambda: exposure_cap_constraints([[0], [9]], OVERLAP, POP, 1.2), r"zone_cells\[1\] must be cell"),
        (lambda: exposure_cap_constraints([[0], []], OVERLAP, POP, 1.2), r"zone_cells: zones \[1\]"),
        (lambda: exposure_cap_constraints([[0]], OVERLAP, POP, 1.2, [1, 2]), "value_per_zone has 2 values"),
        (
            lambda: proxy_check(pd.DataFrame({"f": [1.0, 2]}), pd.DataFrame({"g": [1.0]})),
            "features has 2 rows.*group_share has 1",
        ),
    ],
)
def test_bad_inputs_name_the_input(call, match):
    with pytest.raises(BeatCastInputError, match=match):
        call()

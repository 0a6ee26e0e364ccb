"""core.cube_append: adding incidents to a cube equals counting everything at once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from beatcast.core.cube import aggregate
from beatcast.core.cube_append import CubeIncidents, add_incidents, extended_bins
from beatcast.core.errors import BeatCastInputError
from beatcast.core.timebins import BinSpec, make_bins

TZ = "America/Chicago"


def _incidents(rng, n, first, last, n_cells=30):
    lo, hi = pd.Timestamp(first).value, pd.Timestamp(last).value
    starts = rng.integers(lo, hi, n).astype("datetime64[ns]")
    long = rng.random(n) < 0.3  # day-precision windows spread over 24 h
    ends = starts + np.where(long, np.timedelta64(24, "h"), np.timedelta64(0, "h"))
    cells = rng.integers(-1, n_cells, n)  # -1: outside every cell
    categories = rng.choice(["burglary", "theft", "robbery"], n)
    return CubeIncidents(cells, starts, ends, categories, np.where(long, "day", "minute"))


def _cube(incidents, bins, by_category, storage="auto"):
    return aggregate(
        incidents.cells, incidents.starts, incidents.ends, incidents.precision,
        incidents.categories if by_category else None, 30, np.arange(30), bins, storage=storage,
    )  # fmt: skip


def _join(a, b):
    return CubeIncidents(*(np.concatenate([x, y]) for x, y in zip(
        (a.cells, a.starts, a.ends, a.categories, a.precision),
        (b.cells, b.starts, b.ends, b.categories, b.precision),
    )))  # fmt: skip


@pytest.mark.parametrize("storage", ["dense", "csr"])
@pytest.mark.parametrize("by_category", [False, True])
def test_adding_equals_counting_everything_at_once(storage, by_category):
    rng = np.random.default_rng(3)
    # History to 2024-03-10 06:00 UTC; the cube ends on local 2024-03-10 (DST starts that day in Chicago).
    old = _incidents(rng, 3000, "2024-01-01 06:00", "2024-03-10 06:00")
    bins = make_bins(BinSpec("day", TZ, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-10")))
    cube = _cube(old, bins, by_category, storage)
    late = _incidents(rng, 200, "2024-02-01 06:00", "2024-03-10 05:00")  # arrive late, inside the cube
    fresh = _incidents(rng, 500, "2024-03-10 06:00", "2024-03-20 05:00")  # past the cube's end
    new = _join(late, fresh)
    carried_mask = old.ends > np.datetime64(bins.utc[-1])
    carried = CubeIncidents(old.cells[carried_mask], old.starts[carried_mask], old.ends[carried_mask],
                            old.categories[carried_mask], old.precision[carried_mask])  # fmt: skip
    grown, summary = add_incidents(cube, new, "2024-03-20", carried)
    reference = _cube(_join(old, new), extended_bins(bins, "2024-03-20"), by_category, storage)
    assert grown.n_bins == reference.n_bins == bins.n_bins + 10 and summary["bins_added"] == 10
    assert grown.categories == reference.categories and grown.is_sparse == reference.is_sparse
    np.testing.assert_allclose(grown.dense(), reference.dense(), atol=1e-5)
    for key in ("cells", "before", "after", "no_time"):
        for category, amount in reference.outside[key].items():
            assert grown.outside[key].get(category, 0.0) == pytest.approx(amount, abs=1e-6), (key, category)
    assert grown.total() + grown.outside_total() == pytest.approx(len(old) + len(new), abs=1e-3)
    assert summary["moved_from_after"] > 0  # day-long windows of the last day reached past the old end


def test_no_extension_and_a_new_category():
    rng = np.random.default_rng(5)
    old = _incidents(rng, 500, "2024-01-01 06:00", "2024-02-01 06:00")
    bins = make_bins(BinSpec("week", TZ, pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-05")))
    cube = _cube(old, bins, True)
    new = _incidents(rng, 50, "2024-01-10 06:00", "2024-01-20 06:00")
    new.categories[:] = "arson"
    grown, summary = add_incidents(cube, new)
    assert grown.n_bins == cube.n_bins and summary["bins_added"] == 0
    assert grown.categories == ["arson", "burglary", "robbery", "theft"]
    assert grown.matrix("arson").sum() == pytest.approx(summary["added"])
    np.testing.assert_allclose(np.asarray(grown.matrix("theft")), np.asarray(cube.matrix("theft")))


def test_bins_that_cannot_be_continued_are_refused():
    bins = make_bins(
        BinSpec("week", TZ, pd.Timestamp("2024-01-03"), pd.Timestamp("2024-02-07"), week_start=2)
    )
    assert extended_bins(bins, "2024-01-10") is bins  # already covered
    longer = extended_bins(bins, "2024-03-01")
    assert longer.n_bins > bins.n_bins and (longer.utc[: len(bins.utc)] == bins.utc).all()
    broken = type(bins)(bins.unit, bins.timezone, bins.local + np.timedelta64(1, "h"),
                        bins.utc + np.timedelta64(1, "h"), bins.labels, bins.shift_starts, 2)  # fmt: skip
    with pytest.raises(BeatCastInputError, match="cannot be continued"):
        extended_bins(broken, "2024-03-01")

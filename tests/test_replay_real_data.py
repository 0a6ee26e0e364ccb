"""The St. Louis day-by-day replay (benchmarks/replay_stlouis.py) on a few days of January 2019.

A short history (the exports coded in November and December 2018) keeps it to a few seconds; the figures
of the full replay are in the benchmark's output. Skipped cleanly where ../shared/data is absent.
"""

import sys
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.real_data

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def replay():
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    pytest.importorskip("pyproj", reason="the replay reprojects ESRI:102696 with pyproj")
    import replay_stlouis

    return replay_stlouis


def test_four_days_of_january_2019_append_and_rescore(replay, shared_data, tmp_path):
    from beatcast.core import append, cube_store

    state = replay.setup(history_from="2018-11", cube_from="2018-11-01", folder=tmp_path)
    rows, info = replay.read_2019()
    assert info["rows"] == len(rows) > 40000
    by_day = dict(tuple(rows.groupby("__day__", sort=True)))
    stored = len(append.read_store(state.store, replay.TABLE))
    for day in pd.date_range("2019-01-01", "2019-01-04"):
        total = cube_store.read_cube(state.store, replay.CUBE).total()
        figures = replay.replay_day(state, by_day[day], day)
        print(replay.line(figures))  # the time per day is reported, not asserted
        assert figures["balanced"], day
        assert figures["rows"] == len(by_day[day])
        assert figures["bins_added"] == 1
        cube = cube_store.read_cube(state.store, replay.CUBE)
        grown = cube.total() - total
        assert grown == pytest.approx(figures["crimes_in_cells"] + figures["moved_from_after"], abs=1e-3)
        assert figures["cube_added"] == pytest.approx(figures["crimes_in_cells"], abs=1e-3)
        stored += figures["added"]
        assert len(append.read_store(state.store, replay.TABLE)) == stored
        assert figures["alerts"] >= figures["severe"] >= 0
    # The same day a second time: every incident is already in the store, nothing is counted again.
    day = pd.Timestamp("2019-01-04")
    total = cube_store.read_cube(state.store, replay.CUBE).total()
    again = replay.append_batch(state, by_day[day], f"slmpd_{day:%Y-%m-%d}", day + pd.Timedelta(days=1))
    assert again["balanced"]
    assert again["added"] == 0 and again["bins_added"] == 0
    assert again["already"] + again["duplicates"] > 0
    assert (
        again["already"] + again["duplicates"]
        == figures["added"] + figures["already"] + figures["duplicates"]
    )
    assert cube_store.read_cube(state.store, replay.CUBE).total() == pytest.approx(total)
    assert len(append.read_store(state.store, replay.TABLE)) == stored

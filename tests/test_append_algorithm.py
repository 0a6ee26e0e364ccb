"""beatcast:appendincidents through Processing: the demo city's exports arriving in daily files."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest
from conftest import EXPORTS, write_export_rows

from beatcast.core import cube_store, gpkg

SPLIT = pd.Timestamp("2024-06-01")


@pytest.fixture(scope="module")
def arrivals(demo_city_dir, tmp_path_factory):
    """history/ (rows of incidents before SPLIT, and rows of no incident), day1/ and day2/ (rows of
    incidents on SPLIT and the day after), each with the three exports."""
    root = tmp_path_factory.mktemp("arrivals")
    truth = pd.read_csv(demo_city_dir / "truth" / "export_truth.csv", dtype=str, keep_default_na=False)
    when = pd.read_csv(demo_city_dir / "truth" / "incidents_truth.csv", dtype=str, keep_default_na=False)
    day = dict(zip(when["incident_key"], pd.to_datetime(when["occurred_local"]).dt.normalize()))
    truth["day"] = truth["incident_key"].map(day)
    folders = {name: root / name for name in ("history", "day1", "day2")}
    for folder in folders.values():
        folder.mkdir()
    for name, short in EXPORTS.items():
        rows = truth[truth["source"] == short]
        number = rows["row_number"].astype(int)
        late = rows["day"] >= SPLIT
        write_export_rows(demo_city_dir / "exports" / f"{name}.csv", folders["history"] / f"{name}.csv",
                    set(number[~late]))  # fmt: skip
        for k, folder in enumerate(("day1", "day2")):
            on = rows["day"] == SPLIT + pd.Timedelta(days=k)
            write_export_rows(demo_city_dir / "exports" / f"{name}.csv",
                        folders[folder] / f"{name}_{(SPLIT + pd.Timedelta(days=k)):%Y-%m-%d}.csv",
                        set(number[on]))  # fmt: skip
    return folders


@pytest.fixture(scope="module")
def store(arrivals, demo_city_dir, demo_import_params, beatcast_provider, tmp_path_factory):
    import processing

    out = tmp_path_factory.mktemp("store") / "store.gpkg"
    params = demo_import_params(demo_city_dir, out)
    params["INPUT_FILES"] = [str(arrivals["history"] / f"{n}.csv") for n in EXPORTS]
    processing.run("beatcast:importincidents", params)
    boundary = str(demo_city_dir / "boundary.geojson")
    processing.run("beatcast:buildgrid", {"BOUNDARY": boundary, "CELL_SIZE": 250, "OUTPUT": str(out)})
    processing.run(
        "beatcast:aggregateincidents",
        {"INCIDENTS": f"{out}|layername=incidents", "GRID": f"{out}|layername=grid", "UNIT": 2,
         "START_DATE": "2024-01-01", "END_DATE": "2024-06-01", "CUBE_NAME": "daily", "OUTPUT": str(out)},
    )  # fmt: skip
    return out


def _accounting_balances(path):
    table = gpkg.read_table(path, "import_accounting")
    for source, rows in table.groupby("source"):
        read = rows.loc[rows["outcome"] == "read", "rows"].sum()
        assert read == rows.loc[rows["outcome"] != "read", "rows"].sum(), source


def _count(path, sql="SELECT count(*) FROM incidents"):
    with sqlite3.connect(path) as con:
        return con.execute(sql).fetchone()[0]


def test_daily_files_are_appended_once_and_counted_into_the_cube(store, arrivals, demo_city_dir, tmp_path):
    import processing

    before = _count(store)
    cube_before = cube_store.read_cube(store, "daily")
    first = processing.run(
        "beatcast:appendincidents", {"STORE": str(store), "INPUT_FOLDER": str(arrivals["day1"])}
    )
    assert first["APPENDED"] > 20 and first["FILES_SKIPPED"] == 0 and first["CUBES_UPDATED"] == 1
    assert _count(store) == before + first["APPENDED"]
    _accounting_balances(store)
    # The same folder again: every file is known, nothing changes.
    again = processing.run(
        "beatcast:appendincidents", {"STORE": str(store), "INPUT_FOLDER": str(arrivals["day1"])}
    )
    assert again["FILES_SKIPPED"] == 3 and again["APPENDED"] == 0 and "Nothing new" in again["MESSAGE"]
    assert _count(store) == before + first["APPENDED"]
    # The import's own files are known too.
    history = [str(arrivals["history"] / f"{n}.csv") for n in EXPORTS]
    assert (
        processing.run("beatcast:appendincidents", {"STORE": str(store), "INPUT_FILES": history})["APPENDED"]
        == 0
    )
    # An export that repeats day 1 and brings day 2: the repeated records are recognised, day 2 is added.
    overlap = tmp_path / "overlap"
    overlap.mkdir()
    for name in EXPORTS:
        one = (arrivals["day1"] / f"{name}_2024-06-01.csv").read_bytes().splitlines(keepends=True)
        two = (arrivals["day2"] / f"{name}_2024-06-02.csv").read_bytes().splitlines(keepends=True)
        (overlap / f"{name}_2024-06-01_02.csv").write_bytes(b"".join(one + two[1:]))
    second = processing.run("beatcast:appendincidents", {"STORE": str(store), "INPUT_FOLDER": str(overlap)})
    assert second["ALREADY_IN_STORE"] >= first["APPENDED"]  # every day-1 incident, whatever the file name
    assert second["APPENDED"] > 20
    _accounting_balances(store)
    with sqlite3.connect(store) as con:
        merged = con.execute(
            "SELECT sum(rows) FROM import_accounting WHERE source = 'ALL' AND reason = 'already_in_store'"
        ).fetchone()[0]
    assert merged == second["ALREADY_IN_STORE"]

    # The appended cube equals counting the final store again over the extended bins.
    cube = cube_store.read_cube(store, "daily")
    assert cube.n_bins == cube_before.n_bins + 2  # extended to the end of 2024-06-02
    recount = tmp_path / "recount.gpkg"
    processing.run(
        "beatcast:aggregateincidents",
        {"INCIDENTS": f"{store}|layername=incidents", "GRID": f"{store}|layername=grid", "UNIT": 2,
         "START_DATE": "2024-01-01", "END_DATE": "2024-06-03", "CUBE_NAME": "daily", "OUTPUT": str(recount)},
    )  # fmt: skip
    reference = cube_store.read_cube(recount, "daily")
    assert reference.n_bins == cube.n_bins
    np.testing.assert_allclose(cube.dense(), reference.dense(), atol=1e-4)
    assert cube.total() == pytest.approx(reference.total(), abs=1e-3)


def test_bad_stores_and_inputs_are_refused(store, arrivals, demo_city_dir, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="STORE"):
        processing.run("beatcast:appendincidents", {"STORE": str(demo_city_dir / "boundary.geojson"),
                                                    "INPUT_FOLDER": str(arrivals["day1"])})  # fmt: skip
    with pytest.raises(QgsProcessingException, match="INPUT_FILES, INPUT_FOLDER or INPUT_LAYERS"):
        processing.run("beatcast:appendincidents", {"STORE": str(store)})
    with pytest.raises(QgsProcessingException, match="CUBE_NAMES.*no cube weekly"):
        processing.run(
            "beatcast:appendincidents",
            {"STORE": str(store), "INPUT_FOLDER": str(arrivals["day2"]), "CUBE_NAMES": "weekly"},
        )

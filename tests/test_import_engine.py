"""The import engine on small hand-made exports: every rule, and the accounting invariant."""

import sqlite3

import numpy as np
import pandas as pd
import pytest

from beatcast.core import gpkg, runlog
from beatcast.core.dedup import DedupOptions
from beatcast.core.errors import BeatCastInputError
from beatcast.core.geometry import metric_crs_for, points_in_polygons
from beatcast.core.incidents import ImportOptions, import_incidents
from beatcast.core.projection import utm_to_lonlat
from beatcast.core.sources import ROW, SourceTable

UTM = "EPSG:32616"
X0, Y0 = 280300.0, 4508700.0


def table(name, rows, columns):
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame[ROW] = np.arange(1, len(frame) + 1)
    return SourceTable(name, frame, path=None)


def rms(rows):
    return table(
        "rms",
        rows,
        ["ReportNo", "OffenseCode", "DateOccurred", "TimeOccurred", "X", "Y", "Count", "CADEvent"],
    )


def options(**kw):
    kw.setdefault("source_crs", UTM)
    kw.setdefault("timezone", "America/Chicago")
    kw.setdefault("target_crs", UTM)
    return ImportOptions(**kw)


def fate(result, source, row):
    """accepted/merged/netted/rejected:<reason> of one input row, from the outputs alone."""
    rej = result.rejected[(result.rejected["source"] == source) & (result.rejected["row_number"] == row)]
    if len(rej):
        return "rejected:" + rej["reason"].iloc[0]
    label = f"{source}#{row}:"
    for ids in result.incidents["source_ids"]:
        parts = ids.split(";")
        for i, part in enumerate(parts):
            if part.startswith(label):
                return "accepted" if i == 0 else "merged"
    return "netted"


def check_invariant(result):
    acc = result.accounting
    for source, t in acc.groupby("source"):
        read = t.loc[t.outcome == "read", "rows"].sum()
        assert read == t.loc[t.outcome != "read", "rows"].sum(), source
    totals = result.totals()
    assert (
        totals["rows_read"] == totals["accepted"] + totals["merged"] + totals["netted"] + totals["rejected"]
    )
    assert totals["accepted"] == len(result.incidents)
    assert totals["rejected"] == len(result.rejected)


def test_every_rule_on_a_small_rms_export():
    src = rms(
        [
            ["R1", "0501", "03/05/2024", "2130", X0, Y0, "1", ""],  # 1 ok
            ["R1", "0501", "03/05/2024", "2130", X0, Y0, "1", ""],  # 2 exact duplicate -> merged
            ["R2", "0601", "03/06/2024", "0900", X0 + 500, Y0, "1", ""],  # 3 reversed later -> netted
            ["R2", "0601", "03/06/2024", "0900", X0 + 500, Y0, "-1", ""],  # 4 reversal -> netted
            ["R9", "0601", "03/06/2024", "0900", X0, Y0, "-1", ""],  # 5 unmatched reversal
            ["R3", "0501", "03/07/2024", "1000", "0", "0", "1", ""],  # 6 zero coordinates
            ["R4", "0501", "03/07/2024", "1000", "", "", "1", ""],  # 7 missing coordinates
            ["R5", "0501", "31/31/2024", "1000", X0, Y0, "1", ""],  # 8 unparseable date
            ["R6", "0501", "03/08/2024", "", X0 + 10, Y0, "1", ""],  # 9 date only -> accepted, day precision
            ["R1", "0601", "03/05/2024", "2130", X0, Y0, "1", ""],  # 10 second offence of R1 -> accepted
            ["R7", "0501", "", "", X0, Y0, "1", ""],  # 11 missing date
            ["R8", "0501", "03/09/2024", "1200", X0, Y0, "x", ""],  # 12 invalid count
        ]
    )
    result = import_incidents([src], options())
    check_invariant(result)
    expected = {
        1: "accepted",
        2: "merged",
        3: "netted",
        4: "netted",
        5: "rejected:unmatched_reversal",
        6: "rejected:zero_coordinates",
        7: "rejected:missing_coordinates",
        8: "rejected:unparseable_date",
        9: "accepted",
        10: "accepted",
        11: "rejected:missing_date",
        12: "rejected:invalid_count",
    }
    assert {row: fate(result, "rms", row) for row in expected} == expected
    day = result.incidents[result.incidents["source_id"] == "R6"].iloc[0]
    assert day["time_precision"] == "day"
    # the whole local day, 6:00 UTC to 6:00 UTC (CST is UTC-6)
    assert str(day["occurred_utc"]) == "2024-03-08 06:00:00"
    assert str(day["window_end_utc"]) == "2024-03-09 06:00:00"
    r1 = result.incidents[
        (result.incidents["source_id"] == "R1") & (result.incidents["category_raw"] == "0501")
    ]
    assert r1["n_records"].iloc[0] == 2 and r1["source_ids"].iloc[0] == "rms#1:R1;rms#2:R1"
    assert str(r1["occurred_utc"].iloc[0]) == "2024-03-06 03:30:00"  # 21:30 CST = 03:30 UTC next day


def test_cross_system_link_proximity_and_conflicting_ids():
    lon, lat = utm_to_lonlat(X0, Y0, 16)
    lon2, lat2 = utm_to_lonlat(X0 + 3010, Y0 + 5, 16)
    rms_src = rms(
        [
            ["R1", "BURG", "03/05/2024", "2130", X0, Y0, "1", "E100"],
            ["R2", "ROBB", "03/05/2024", "2200", X0 + 3000, Y0, "1", ""],
        ]
    )
    cad = table(
        "cad",
        [
            ["E100", "BURGLARY", "2024-03-05 21:38:00", lat, lon],  # linked by CADEvent
            ["E101", "ROBBERY", "2024-03-05 22:04:00", lat2, lon2],  # near R2 -> proximity
            ["E102", "THEFT", "2024-03-05 22:04:00", lat, lon],  # unrelated
        ],
        ["EventNo", "CallType", "Received", "Latitude", "Longitude"],
    )
    calls = table(
        "calls_911",
        [
            ["100", "robbery", "2024-03-06T09:00:00Z", lat + 0.01, lon]
        ],  # id 100 conflicts with E100 only by number
        ["call_id", "nature", "call_time_utc", "lat", "lng"],
    )
    catmap = pd.DataFrame(
        {
            "source": ["rms", "rms", "cad", "cad", "cad", "calls_911"],
            "value": ["BURG", "ROBB", "BURGLARY", "ROBBERY", "THEFT", "robbery"],
            "category": ["burglary", "robbery", "burglary", "robbery", "theft", "robbery"],
        }
    )
    result = import_incidents([rms_src, cad, calls], options(category_map=catmap))
    check_invariant(result)
    assert fate(result, "cad", 1) == "merged" and fate(result, "rms", 1) == "accepted"
    assert fate(result, "cad", 2) == "merged" and fate(result, "rms", 2) == "accepted"
    assert fate(result, "cad", 3) == "accepted"
    assert fate(result, "calls_911", 1) == "accepted"
    assert len(result.incidents) == 4


def test_distinct_ids_of_one_system_stay_apart_unless_asked():
    lat, lon = 40.6999, -89.6004
    calls = table(
        "calls_911",
        [
            ["1", "theft", "2024-03-06T09:00:00Z", lat, lon],
            ["2", "theft", "2024-03-06T09:03:00Z", lat + 0.0001, lon],  # a second call, 11 m away
        ],
        ["call_id", "nature", "call_time_utc", "lat", "lng"],
    )
    apart = import_incidents([calls], options())
    assert len(apart.incidents) == 2
    merged = import_incidents([calls], options(dedup=DedupOptions(within_source=True)))
    assert len(merged.incidents) == 1 and merged.incidents["n_records"].iloc[0] == 2
    check_invariant(merged)


def test_boundary_category_map_and_personal_fields_withheld():
    src = table(
        "rms",
        [
            ["R1", "BURG", "03/05/2024 21:30", X0, Y0, "Jane Doe"],
            ["R2", "BURG", "03/05/2024 21:30", X0 + 50000, Y0, "John Roe"],  # outside
            ["R3", "PARKING", "03/05/2024 21:30", X0, Y0, "Ann Poe"],  # unmapped
        ],
        ["ReportNo", "OffenseCode", "DateOccur", "X", "Y", "VictimName"],
    )
    square = np.array(
        [[X0 - 1000, Y0 - 1000], [X0 + 1000, Y0 - 1000], [X0 + 1000, Y0 + 1000], [X0 - 1000, Y0 + 1000]]
    )
    catmap = pd.DataFrame({"value": ["burg"], "category": ["burglary"]})
    result = import_incidents([src], options(boundary=(UTM, [[square]]), category_map=catmap))
    check_invariant(result)
    assert fate(result, "rms", 2) == "rejected:outside_jurisdiction"
    assert fate(result, "rms", 3) == "rejected:unmapped_category"
    assert "VictimName" not in result.incidents.columns
    assert not result.rejected["raw_values"].str.contains("Roe|Poe").any()
    with pytest.raises(BeatCastInputError, match="VictimName.*personal"):
        import_incidents([src], options(keep_fields=["VictimName"]))
    kept = import_incidents([src], options(keep_fields=["VictimName"], include_personal=True))
    assert sorted(kept.incidents["VictimName"]) == ["Ann Poe", "Jane Doe", "John Roe"]


def test_bad_input_names_the_source_and_field():
    src = table("rms", [["R1", "03/05/2024", "2600", "4500"]], ["ReportNo", "DateOccurred", "X", "Y"])
    with pytest.raises(BeatCastInputError, match="rms: coordinates in fields X/Y are projected"):
        import_incidents([src], options(source_crs=None))
    nodate = table("cad", [["E1", "1", "2"]], ["EventNo", "X", "Y"])
    with pytest.raises(BeatCastInputError, match="cad: no date column"):
        import_incidents([nodate], options())


def test_auto_metric_crs_and_determinism():
    lat, lon = 40.6999, -89.6004
    calls = table(
        "calls",
        [[str(i), "theft", f"2024-03-06T09:{i:02d}:00Z", lat + i * 1e-3, lon] for i in range(20)],
        ["call_id", "nature", "call_time_utc", "lat", "lng"],
    )
    a = import_incidents([calls], ImportOptions())
    b = import_incidents([calls], ImportOptions())
    assert a.crs == "EPSG:32616"
    pd.testing.assert_frame_equal(a.incidents, b.incidents)
    assert metric_crs_for(np.array([151.2]), np.array([-33.9])) == "EPSG:32756"


def test_points_in_polygon_with_hole_matches_brute_force():
    rng = np.random.default_rng(1)
    outer = np.array([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], float)
    hole = np.array([[3, 3], [7, 3], [7, 7], [3, 7], [3, 3]], float)
    x, y = rng.uniform(-2, 12, 5000), rng.uniform(-2, 12, 5000)
    inside = points_in_polygons(x, y, [[outer, hole]])
    truth = (x > 0) & (x < 10) & (y > 0) & (y < 10) & ~((x > 3) & (x < 7) & (y > 3) & (y < 7))
    assert (inside == truth).all()


def test_geopackage_round_trip_and_append_only_run_log(tmp_path):
    path = tmp_path / "t.gpkg"
    frame = pd.DataFrame(
        {"name": ["a", None], "when": pd.to_datetime(["2024-01-01 10:00", None]), "v": [1.5, np.nan]}
    )
    srs = gpkg.SpatialReference.from_authid(UTM, gpkg.utm_wkt(16))
    gpkg.write_points(
        path, "pts", frame, {"name": "TEXT", "when": "DATETIME", "v": "REAL"}, [1.0, 2.0], [3.0, 4.0], srs
    )
    back = gpkg.read_table(path, "pts")
    assert back["name"].tolist() == ["a", None]
    assert back["when"].tolist() == ["2024-01-01T10:00:00.000Z", None]
    assert back["x"].tolist() == [1.0, 2.0] and back["y"].tolist() == [3.0, 4.0]
    run = runlog.append_run(path, "beatcast:test", {"A": 1}, inputs={"f": path}, counts={"n": 2})
    runlog.append_run(path, "beatcast:test", {"A": 2})
    runs = runlog.read_runs(path)
    assert runs["run_id"].iloc[0] == run and len(runs) == 2
    assert runs["input_hashes_json"].iloc[0].startswith('{"f": "sha256:')
    with sqlite3.connect(path) as con:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(f"UPDATE {runlog.RUN_LOG_TABLE} SET note='x'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(f"DELETE FROM {runlog.RUN_LOG_TABLE}")
    osgeo = pytest.importorskip("osgeo.ogr")
    ds = osgeo.Open(str(path))
    layer = ds.GetLayerByName("pts")
    assert layer.GetFeatureCount() == 2
    assert layer.GetSpatialRef().GetAuthorityCode(None) == "32616"


def test_spatial_index_is_valid_and_maintained(tmp_path):
    path = tmp_path / "idx.gpkg"
    rng = np.random.default_rng(3)
    n = 5000
    frame = pd.DataFrame({"v": np.arange(n)})
    x, y = rng.uniform(0, 1000, n), rng.uniform(0, 1000, n)
    srs = gpkg.SpatialReference.from_authid(UTM, gpkg.utm_wkt(16))
    gpkg.write_points(path, "pts", frame, {"v": "INTEGER"}, x, y, srs)
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT rtreecheck('rtree_pts_geom')").fetchone()[0] == "ok"
        box = con.execute(
            "SELECT id FROM rtree_pts_geom WHERE minx >= 100 AND maxx <= 200 AND miny >= 300 AND maxy <= 400"
        ).fetchall()
        expected = np.nonzero((x >= 100) & (x <= 200) & (y >= 300) & (y <= 400))[0] + 1
        assert sorted(r[0] for r in box) == expected.tolist()
        ext = con.execute("SELECT extension_name FROM gpkg_extensions WHERE table_name='pts'").fetchone()
        assert ext == ("gpkg_rtree_index",)
    # The triggers keep it right through edits (plain sqlite3 gets the ST_ functions from gpkg.connect).
    con = gpkg.connect(path)
    con.execute("DELETE FROM pts WHERE fid = 1")
    blob = gpkg.point_blobs(np.array([5000.0]), np.array([6000.0]), srs.srs_id)[0]
    con.execute("INSERT INTO pts (geom, v) VALUES (?, -1)", (blob,))
    con.commit()
    assert con.execute("SELECT count(*) FROM rtree_pts_geom").fetchone()[0] == n
    assert con.execute("SELECT minx, miny FROM rtree_pts_geom WHERE minx > 4000").fetchone() == (
        5000.0,
        6000.0,
    )
    con.close()
    dataset = pytest.importorskip("osgeo.ogr").Open(str(path))  # keep the dataset: layers die with it
    layer = dataset.GetLayerByName("pts")
    layer.SetSpatialFilterRect(100, 300, 200, 400)
    assert layer.GetFeatureCount() == len(expected)

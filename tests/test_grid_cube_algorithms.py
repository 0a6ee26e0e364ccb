"""beatcast:buildgrid and beatcast:aggregateincidents through Processing, on the demo city."""

import json
import sqlite3

import numpy as np
import pandas as pd
import pytest
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer

from beatcast.core import cube_store, gpkg
from beatcast.core.demo_city import EMERGING_CENTRE_XY, EMERGING_START
from beatcast.core.errors import BeatCastInputError
from beatcast.core.incidents import ORIGIN_CHOICES, origin_mask


def ring_area(ring):
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


@pytest.fixture(scope="module")
def demo_incidents(beatcast_provider, demo_city_dir, demo_import_params, tmp_path_factory):
    import processing

    out = tmp_path_factory.mktemp("cube") / "demo.gpkg"
    processing.run("beatcast:importincidents", demo_import_params(demo_city_dir, out))
    return out


@pytest.fixture(scope="module")
def square_grid(beatcast_provider, demo_city_dir, tmp_path_factory):
    import processing

    out = tmp_path_factory.mktemp("grid") / "grid.gpkg"
    result = processing.run(
        "beatcast:buildgrid",
        {
            "BOUNDARY": str(demo_city_dir / "boundary.geojson"),
            "SHAPE": 0,
            "CELL_SIZE": 250,
            "LABELS": str(demo_city_dir / "districts.geojson"),
            "LABEL_FIELDS": ["district_id"],
            "OUTPUT": str(out),
        },
    )
    return out, result


def test_grid_covers_the_boundary_with_stable_ids(square_grid, demo_city_dir, beatcast_provider, tmp_path):
    import processing

    out, result = square_grid
    boundary = json.loads((demo_city_dir / "boundary.geojson").read_text())
    area = ring_area(np.array(boundary["features"][0]["geometry"]["coordinates"][0]))
    cells = gpkg.read_table(out, "grid", columns=["cell_id", "area_m2", "area_fraction", "district_id"])
    assert result["N_CELLS"] == len(cells) > 1000
    assert cells["area_m2"].sum() == pytest.approx(area, rel=1e-6)
    assert (cells["area_fraction"] > 0).all() and (cells["area_fraction"] <= 1 + 1e-9).all()
    assert set(cells["district_id"]) == {"D1", "D2", "D3", "D4", "D5"}
    layer = QgsVectorLayer(result["OUTPUT"], "grid", "ogr")
    assert layer.isValid() and layer.crs().authid() == "EPSG:32616" and layer.featureCount() == len(cells)
    again = tmp_path / "again.gpkg"
    processing.run(
        "beatcast:buildgrid",
        {"BOUNDARY": str(demo_city_dir / "boundary.geojson"), "CELL_SIZE": 250, "OUTPUT": str(again)},
    )
    assert (
        gpkg.read_table(again, "grid", columns=["cell_id"])["cell_id"].tolist() == cells["cell_id"].tolist()
    )


def test_hex_grid(beatcast_provider, demo_city_dir, tmp_path):
    import processing

    out = tmp_path / "hex.gpkg"
    result = processing.run(
        "beatcast:buildgrid",
        {
            "BOUNDARY": str(demo_city_dir / "boundary.geojson"),
            "SHAPE": 1,
            "CELL_SIZE": 300,
            "OUTPUT": str(out),
        },
    )
    cells = gpkg.read_table(out, "grid", columns=["cell_id", "area_fraction", "area_m2"])
    full = cells[cells["area_fraction"] > 1 - 1e-9]
    assert np.allclose(full["area_m2"].to_numpy(), np.sqrt(3) / 2 * 300**2, rtol=1e-6)
    assert result["N_CELLS"] == len(cells) and cells["cell_id"].str.startswith("H300_").all()


def test_grid_refuses_geographic_crs_and_huge_grids(beatcast_provider, demo_city_dir, tmp_path):
    import processing

    with pytest.raises(QgsProcessingException, match="geographic"):
        processing.run(
            "beatcast:buildgrid",
            {
                "BOUNDARY": str(demo_city_dir / "boundary.geojson"),
                "CRS": "EPSG:4326",
                "OUTPUT": str(tmp_path / "g.gpkg"),
            },
        )
    with pytest.raises(QgsProcessingException, match="cells"):
        processing.run(
            "beatcast:buildgrid",
            {
                "BOUNDARY": str(demo_city_dir / "boundary.geojson"),
                "CELL_SIZE": 5,
                "MAX_CELLS": 100000,
                "OUTPUT": str(tmp_path / "g.gpkg"),
            },
        )
    assert not (tmp_path / "g.gpkg").exists()


def test_daily_cube_accounts_for_every_incident(square_grid, demo_incidents, beatcast_provider, tmp_path):
    import processing

    grid_out, grid_result = square_grid
    out = tmp_path / "cube.gpkg"
    result = processing.run(
        "beatcast:aggregateincidents",
        {
            "INCIDENTS": f"{demo_incidents}|layername=incidents",
            "GRID": grid_result["OUTPUT"],
            "UNIT": 2,
            "BY_CATEGORY": True,
            "OUTPUT": str(out),
        },
    )
    with sqlite3.connect(demo_incidents) as con:
        n_incidents = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
    assert result["TOTAL"] + result["OUTSIDE_CELLS"] + result["OUTSIDE_PERIOD"] == pytest.approx(n_incidents)
    assert result["OUTSIDE_CELLS"] <= 0.002 * n_incidents  # only geocodes within 25 m outside the limit
    cube = cube_store.read_cube(out, "cube")
    assert cube.n_bins == result["N_BINS"] == 731  # 2023-01-01 .. 2024-12-31
    assert cube.total() == pytest.approx(result["TOTAL"])
    assert set(cube.categories) == {"assault", "burglary", "robbery", "theft", "vehicle_crime"}
    cells = gpkg.read_table(out, "cell_counts")
    assert len(cells) == result["N_CELLS"] and cells["total"].sum() == pytest.approx(
        result["TOTAL"], rel=1e-6
    )
    # The planted emerging hotspot: its cell is quiet before 2024-03-01 and busy after.
    grid = gpkg.read_table(grid_out, "grid", columns=["cell_id", "centroid_x", "centroid_y"])
    near = (
        np.hypot(grid["centroid_x"] - EMERGING_CENTRE_XY[0], grid["centroid_y"] - EMERGING_CENTRE_XY[1]) < 300
    )
    counts = cube.matrix()[np.nonzero(near.to_numpy())[0]]
    counts = np.asarray(counts.todense() if hasattr(counts, "todense") else counts).sum(axis=0)
    days = pd.to_datetime(cube.bins.local[:-1])
    before = counts[days < EMERGING_START].sum() / (days < EMERGING_START).sum()
    after = counts[days >= EMERGING_START].sum() / (days >= EMERGING_START).sum()
    assert after > 5 * before


def test_cube_of_reported_incidents_leaves_out_officer_initiated_ones(
    square_grid, demo_incidents, beatcast_provider, tmp_path
):
    import processing

    _, grid_result = square_grid
    with sqlite3.connect(demo_incidents) as con:
        by_origin = dict(con.execute("SELECT origin, count(*) FROM incidents GROUP BY origin").fetchall())
    totals = {}
    for index, choice in enumerate(ORIGIN_CHOICES):
        result = processing.run(
            "beatcast:aggregateincidents",
            {
                "INCIDENTS": f"{demo_incidents}|layername=incidents",
                "GRID": grid_result["OUTPUT"],
                "UNIT": 3,
                "ORIGIN": index,
                "OUTPUT": str(tmp_path / f"{choice}.gpkg"),
            },
        )
        counted = result["TOTAL"] + result["OUTSIDE_CELLS"] + result["OUTSIDE_PERIOD"]
        assert counted + result["EXCLUDED_BY_ORIGIN"] == pytest.approx(sum(by_origin.values()))
        totals[choice] = counted
    assert totals["reported"] == pytest.approx(by_origin["reported"])
    assert totals["discovered"] == pytest.approx(by_origin["discovered"])
    assert totals["reported_or_unknown"] == pytest.approx(by_origin["reported"] + by_origin[""])
    assert totals["all"] == pytest.approx(sum(by_origin.values()))
    with sqlite3.connect(tmp_path / "reported.gpkg") as con:
        logged = json.loads(con.execute("SELECT counts_json FROM beatcast_run_log").fetchall()[-1][0])
    assert (
        logged["origin"] == "reported"
        and logged["excluded_by_origin"] == sum(by_origin.values()) - by_origin["reported"]
    )


def test_origin_mask():
    origins = ["reported", "Discovered", "", None, "reported "]
    assert origin_mask(origins, "reported").tolist() == [True, False, False, False, True]
    assert origin_mask(origins, "reported_or_unknown").tolist() == [True, False, True, True, True]
    assert origin_mask(origins, "discovered").tolist() == [False, True, False, False, False]
    assert origin_mask(origins, "all").all()
    with pytest.raises(BeatCastInputError, match="expected one of all, reported"):
        origin_mask(origins, "patrol")


def test_cube_styled_when_loaded(square_grid, demo_incidents, beatcast_provider, tmp_path):
    import processing

    project = QgsProject.instance()
    project.clear()
    processing.runAndLoadResults(
        "beatcast:aggregateincidents",
        {
            "INCIDENTS": f"{demo_incidents}|layername=incidents",
            "GRID": square_grid[1]["OUTPUT"],
            "UNIT": 4,
            "OUTPUT": str(tmp_path / "monthly.gpkg"),
        },
    )
    layers = [lyr for lyr in project.mapLayers().values() if lyr.source().endswith("layername=cell_counts")]
    assert len(layers) == 1 and layers[0].renderer().type() == "graduatedSymbol"
    project.clear()


def test_aggregate_needs_a_beatcast_grid(demo_incidents, demo_city_dir, beatcast_provider, tmp_path):
    import processing

    with pytest.raises(QgsProcessingException, match="not made by Build grid"):
        processing.run(
            "beatcast:aggregateincidents",
            {
                "INCIDENTS": f"{demo_incidents}|layername=incidents",
                "GRID": str(demo_city_dir / "districts.geojson"),
                "OUTPUT": str(tmp_path / "c.gpkg"),
            },
        )


def test_time_covariates_join_weather_ridership_and_events(
    square_grid, demo_incidents, demo_city_dir, beatcast_provider, tmp_path
):
    import processing

    store = tmp_path / "store.gpkg"
    processing.run(
        "beatcast:aggregateincidents",
        {
            "INCIDENTS": f"{demo_incidents}|layername=incidents",
            "GRID": square_grid[1]["OUTPUT"],
            "UNIT": 2,
            "CUBE_NAME": "daily",
            "OUTPUT": str(store),
        },
    )
    signals = demo_city_dir / "signals"
    out = tmp_path / "signals.gpkg"
    result = processing.run(
        "beatcast:timecovariates",
        {
            "CUBE": str(store),
            "CUBE_NAME": "daily",
            "SERIES": [str(signals / "weather_daily.csv"), str(signals / "transit_ridership_daily.csv")],
            "HOW": "precip_mm=sum, boardings=sum",
            "EVENTS": str(signals / "events.geojson"),
            "GRID": square_grid[1]["OUTPUT"],
            "EVENT_WEIGHT": "attendance",
            "US_HOLIDAYS": True,
            "OUTPUT": str(out),
        },
    )
    table = gpkg.read_table(out, "time_covariates")
    assert len(table) == 731
    assert {"temp_max_c", "precip_mm", "boardings", "day_of_week", "is_holiday", "events_active"} <= set(
        table
    )
    missing = json.loads(result["MISSING"])
    # The demo plants 5 days without precipitation, 2 without a high temperature, 2 without ridership:
    # reported and left empty, never filled.
    assert missing["precip_mm"]["missing_bins"] == 5 and table["precip_mm"].isna().sum() == 5
    assert missing["temp_max_c"]["missing_bins"] == 2 and table["temp_max_c"].isna().sum() == 2
    assert table["boardings"].isna().sum() == 2
    assert table["is_holiday"].sum() >= 20  # about 11 federal holidays a year
    events = json.loads((signals / "events.geojson").read_text())["features"]
    days = {f["properties"]["start"][:10] for f in events}
    busy = set(table.loc[table["events_active"] > 0, "bin_label"])
    assert days <= busy
    located = cube_store.read_cube(out, "daily_events")
    assert located.n_cells == square_grid[1]["N_CELLS"] and located.total() > 0


def test_cell_covariates_on_the_demo_city(square_grid, demo_city_dir, beatcast_provider, tmp_path):
    import processing
    from osgeo import gdal, osr

    # A raster whose value is the x coordinate: a cell's mean is about its centroid's x.
    raster = tmp_path / "east.tif"
    xmin, ymax, pixel, n = 273000.0, 4515000.0, 50.0, 320
    dataset = gdal.GetDriverByName("GTiff").Create(str(raster), n, n, 1, gdal.GDT_Float32)
    dataset.SetGeoTransform((xmin, pixel, 0, ymax, 0, -pixel))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32616)
    dataset.SetProjection(srs.ExportToWkt())
    dataset.GetRasterBand(1).WriteArray(np.tile(xmin + pixel * (np.arange(n) + 0.5), (n, 1)))
    dataset = None
    out = tmp_path / "cov.gpkg"
    result = processing.run(
        "beatcast:cellcovariates",
        {
            "GRID": square_grid[1]["OUTPUT"],
            "POINT_LAYERS": [str(demo_city_dir / "pois.geojson")],
            "POINT_GROUP_FIELD": "kind",
            "RADIUS": 300,
            "LINE_LAYERS": [str(demo_city_dir / "roads.geojson")],
            "LINE_GROUP_FIELD": "road_class",
            "RASTERS": [str(raster)],
            "POLYGONS": str(demo_city_dir / "census_areas.geojson"),
            "EXTENSIVE_FIELDS": ["pop_total", "pop_group_a"],
            "OUTPUT": str(out),
        },
    )
    cells = gpkg.read_table(out, "cell_covariates")
    census = json.loads((demo_city_dir / "census_areas.geojson").read_text())["features"]
    population = sum(f["properties"]["pop_total"] for f in census)
    assert cells["census_areas_pop_total"].sum() == pytest.approx(population, rel=1e-6)
    assert {
        "dist_pois_bar",
        "count_pois_bar_300m",
        "n_pois_school",
        "len_roads_arterial",
        "east_mean",
    } <= set(cells)
    grid = gpkg.read_table(square_grid[0], "grid", columns=["cell_id", "centroid_x", "area_fraction"])
    inner = (grid["area_fraction"] == 1).to_numpy()
    assert np.allclose(cells["east_mean"].to_numpy()[inner], grid["centroid_x"].to_numpy()[inner], atol=15)
    roads = json.loads((demo_city_dir / "roads.geojson").read_text())["features"]
    total = sum(np.hypot(*np.diff(np.array(f["geometry"]["coordinates"]), axis=0).T).sum() for f in roads)
    length = cells[[c for c in cells if c.startswith("len_roads_") and c != "len_roads"]].sum().sum()
    assert length == pytest.approx(total, rel=0.01)  # the demo's roads lie inside the boundary
    docs = gpkg.read_table(out, "beatcast_field_docs")
    assert set(docs["field"]) == set(cells.columns) - {"fid", "cell_id"} == set(docs["field"])
    assert result["N_FIELDS"] == len(docs)


def test_gistar_and_emerging_hotspots_on_the_demo_city(
    square_grid, demo_incidents, beatcast_provider, tmp_path
):
    """The planted emerging hotspot is found by both tools; the outputs are styled ArcGIS-like."""
    import processing

    store = tmp_path / "weekly.gpkg"
    processing.run(
        "beatcast:aggregateincidents",
        {
            "INCIDENTS": f"{demo_incidents}|layername=incidents",
            "GRID": square_grid[1]["OUTPUT"],
            "UNIT": 3,
            "START_DATE": "2023-01-02",
            "END_DATE": "2024-12-30",
            "CUBE_NAME": "weekly",
            "OUTPUT": str(store),
        },
    )
    gi = processing.run(
        "beatcast:hotspotgistar",
        {
            "INPUT": f"{store}|layername=cell_counts",
            "FIELD": "total",
            "PERMUTATIONS": 199,
            "OUTPUT": str(tmp_path / "gi.gpkg"),
        },
    )
    cells = gpkg.read_table(tmp_path / "gi.gpkg", "hotspots_gistar")
    assert gi["N_HOT"] == (cells["gi_bin"] > 0).sum() > 0
    grid = gpkg.read_table(square_grid[0], "grid", columns=["cell_id", "centroid_x", "centroid_y"])
    near = (
        np.hypot(grid["centroid_x"] - EMERGING_CENTRE_XY[0], grid["centroid_y"] - EMERGING_CENTRE_XY[1]) < 200
    )
    assert (cells.loc[near.to_numpy(), "gi_bin"] > 0).all()  # hot; 199 permutations cannot reach 99 %
    out = tmp_path / "ehsa.gpkg"
    result = processing.run(
        "beatcast:emerginghotspots",
        {"CUBE": str(store), "CUBE_NAME": "weekly", "GRID": square_grid[1]["OUTPUT"], "OUTPUT": str(out)},
    )
    patterns = gpkg.read_table(out, "emerging_hotspots")
    planted = patterns.loc[near.to_numpy(), "pattern"]
    assert set(planted) <= {"New Hot Spot", "Consecutive Hot Spot", "Intensifying Hot Spot"}, set(planted)
    assert result["N_EMERGING"] >= len(planted)
    project = QgsProject.instance()
    project.clear()
    processing.runAndLoadResults(
        "beatcast:emerginghotspots",
        {
            "CUBE": str(store),
            "CUBE_NAME": "weekly",
            "GRID": square_grid[1]["OUTPUT"],
            "OUTPUT": str(tmp_path / "e2.gpkg"),
        },
    )
    loaded = [
        lyr for lyr in project.mapLayers().values() if lyr.source().endswith("layername=emerging_hotspots")
    ]
    assert len(loaded) == 1 and loaded[0].renderer().type() == "categorizedSymbol"
    project.clear()


def test_contiguity_from_cell_ids_in_any_order(beatcast_provider):
    from beatcast.processing_provider.hotspot_inputs import contiguity_weights

    ids = np.array([f"S100_{c}_{r}" for r in range(3) for c in range(3)], dtype=object)
    rng = np.random.default_rng(5)
    shuffled = rng.permutation(len(ids))
    w = contiguity_weights(ids, "queen").toarray()
    ws = contiguity_weights(ids[shuffled], "queen").toarray()
    assert np.array_equal(ws, w[np.ix_(shuffled, shuffled)])
    centre = list(ids).index("S100_1_1")
    assert w[centre].sum() == 9 and w[0].sum() == 4  # queen neighbours plus the cell itself
    with pytest.raises(BeatCastInputError, match="one BeatCast grid"):
        contiguity_weights(np.array(["a", "b", "c"], dtype=object), "queen")


def test_gistar_refuses_degrees_and_non_geopackage_layers(beatcast_provider, demo_city_dir, tmp_path):
    import processing
    from osgeo import ogr, osr

    path = tmp_path / "degrees.gpkg"
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = dataset.CreateLayer("cells", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("total", ogr.OFTReal))
    for i in range(4):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("total", float(i))
        feature.SetGeometry(
            ogr.CreateGeometryFromWkt(f"POLYGON (({i} 0, {i + 1} 0, {i + 1} 1, {i} 1, {i} 0))")
        )
        layer.CreateFeature(feature)
    dataset = None
    with pytest.raises(QgsProcessingException, match="degrees"):
        processing.run(
            "beatcast:hotspotgistar",
            {"INPUT": f"{path}|layername=cells", "FIELD": "total", "OUTPUT": str(tmp_path / "o.gpkg")},
        )
    with pytest.raises(QgsProcessingException, match="GeoPackage"):
        processing.run(
            "beatcast:hotspotgistar",
            {
                "INPUT": str(demo_city_dir / "census_areas.geojson"),
                "FIELD": "pop_total",
                "NEIGHBOURS": 3,
                "OUTPUT": str(tmp_path / "o.gpkg"),
            },
        )
    assert not (tmp_path / "o.gpkg").exists()

"""Grids and cubes on real exports from ../shared/data (skipped cleanly where it is absent)."""

import json

import numpy as np
import pytest
from qgis.core import QgsVectorLayer

from beatcast.core import cube_store, gpkg
from beatcast.core.grid import cell_index, read_grid_specs
from beatcast.processing_provider.aggregate_incidents import load_grid

pytestmark = pytest.mark.real_data


def test_st_louis_150m_grid_with_neighbourhoods_and_weekly_cube(beatcast_provider, shared_data, tmp_path):
    import processing

    folder = shared_data / "stlouis_slmpd"
    incidents = tmp_path / "stl.gpkg"
    imported = processing.run(
        "beatcast:importincidents",
        {
            "INPUT_FILES": [str(folder / "stl_slmpd_2018_2019_part1_fixture.csv")],
            "TIMEZONE": "America/Chicago",
            "KEEP_FIELDS": "neighborhood",
            "OUTPUT": str(incidents),
        },
    )
    assert imported["ROWS_READ"] == 45491  # PROVENANCE.md
    grid_out = tmp_path / "grid.gpkg"
    grid = processing.run(
        "beatcast:buildgrid",
        {
            "BOUNDARY": str(folder / "context" / "stl_boundary.geojson"),
            "INCIDENTS": imported["OUTPUT"],
            "CELL_SIZE": 150,
            "LABELS": str(folder / "context" / "stl_neighborhoods.geojson"),
            "LABEL_FIELDS": ["neighborhood_id"],
            "OUTPUT": str(grid_out),
        },
    )
    cells = gpkg.read_table(grid_out, "grid", columns=["cell_id", "area_m2", "neighborhood_id"])
    print(f"\nSt. Louis: {len(cells)} cells of 150 m, {cells['area_m2'].sum() / 1e6:.1f} km²")
    assert 7000 < grid["N_CELLS"] == len(cells) < 9000  # the city is about 171 km²
    assert 160e6 < cells["area_m2"].sum() < 180e6
    cube_out = tmp_path / "cube.gpkg"
    cube = processing.run(
        "beatcast:aggregateincidents",
        {"INCIDENTS": imported["OUTPUT"], "GRID": grid["OUTPUT"], "UNIT": 3, "OUTPUT": str(cube_out)},
    )
    accepted = imported["ACCEPTED"]
    assert cube["TOTAL"] + cube["OUTSIDE_CELLS"] + cube["OUTSIDE_PERIOD"] == pytest.approx(accepted)
    assert cube["OUTSIDE_CELLS"] < 0.01 * accepted  # PROVENANCE: 276 of 227k points are off the city limit
    assert 104 <= cube["N_BINS"] <= 106  # two years of weeks
    # Hot spots of the St. Louis cube: Gi* of the two-year totals and the emerging patterns of the weeks.
    gi = processing.run(
        "beatcast:hotspotgistar",
        {
            "INPUT": f"{cube_out}|layername=cell_counts",
            "FIELD": "total",
            "PERMUTATIONS": 0,
            "OUTPUT": str(tmp_path / "gi.gpkg"),
        },
    )
    processing.run(
        "beatcast:emerginghotspots",
        {"CUBE": str(cube_out), "GRID": grid["OUTPUT"], "OUTPUT": str(tmp_path / "ehsa.gpkg")},
    )
    patterns = gpkg.read_table(tmp_path / "ehsa.gpkg", "emerging_hotspots")["pattern"].value_counts()
    print(f"Gi*: {gi['N_HOT']} hot, {gi['N_COLD']} cold cells; emerging patterns:\n{patterns.to_string()}")
    assert gi["N_HOT"] > 50
    hot = patterns[[p for p in patterns.index if p.endswith("Hot Spot")]].sum()
    assert hot > 20 and patterns.get("Intensifying Hot Spot", 0) + patterns.get("Persistent Hot Spot", 0) > 0
    stored = cube_store.read_cube(cube_out, "cube")
    assert stored.n_cells == len(cells) and stored.total() == pytest.approx(cube["TOTAL"])
    # The cell's neighbourhood (spatial) agrees with the record's neighbourhood code for most incidents
    # (PROVENANCE: 94.7 % for points; cells straddle neighbourhood edges).
    points = gpkg.read_table(incidents, "incidents", columns=["geom", "neighborhood"])
    spec = read_grid_specs(grid_out)["grid"]

    lattice, _, _ = load_grid(QgsVectorLayer(grid["OUTPUT"], "grid", "ogr"))
    assert lattice.spec == spec
    index = cell_index(lattice, points["x"].to_numpy(), points["y"].to_numpy())
    inside = index >= 0
    labels = cells["neighborhood_id"].astype(str).to_numpy()[index[inside]]
    agree = np.mean(labels == points["neighborhood"].astype(str).to_numpy()[inside])
    print(f"cell neighbourhood = record neighbourhood for {agree:.1%} of incidents")
    assert agree > 0.85
    # Neighbourhood census counts shared out to the cells (the 2020 Census total of the city: 301,578).
    covariates = processing.run(
        "beatcast:cellcovariates",
        {
            "GRID": grid["OUTPUT"],
            "POLYGONS": str(folder / "context" / "stl_neighborhoods.geojson"),
            "EXTENSIVE_FIELDS": ["total_population", "pop_black_alone", "pop_white_alone"],
            "OUTPUT": str(tmp_path / "cov.gpkg"),
        },
    )
    cov = gpkg.read_table(tmp_path / "cov.gpkg", "cell_covariates")
    total = cov["stl_neighborhoods_total_population"].sum()
    print(f"population over cells: {total:,.0f} (census 301,578)")
    assert covariates["N_FIELDS"] >= 3 and total == pytest.approx(301578, rel=0.005)
    black = cov["stl_neighborhoods_pop_black_alone"] / cov["stl_neighborhoods_total_population"]
    assert 0.3 < np.nanmedian(black) < 0.7 and np.nanmax(black) > 0.9  # a segregated city: uneven shares


def test_lancashire_monthly_cube_from_month_only_data(beatcast_provider, shared_data, tmp_path):
    import processing

    folder = shared_data / "uk_lancashire_asb_2022"
    incidents = tmp_path / "lancs.gpkg"
    imported = processing.run(
        "beatcast:importincidents",
        {
            "INPUT_FILES": [str(folder / "lancashire_asb.tab")],
            "TIMEZONE": "Europe/London",
            "TARGET_CRS": "EPSG:27700",
            "SPATIAL_INDEX": False,
            "OUTPUT": str(incidents),
        },
    )
    grid = processing.run(
        "beatcast:buildgrid",
        {
            "BOUNDARY": str(folder / "context" / "lancashire_wards.gpkg"),
            "CELL_SIZE": 1000,
            "SHAPE": 1,
            "OUTPUT": str(tmp_path / "grid.gpkg"),
        },
    )
    cube_out = tmp_path / "cube.gpkg"
    cube = processing.run(
        "beatcast:aggregateincidents",
        {"INCIDENTS": imported["OUTPUT"], "GRID": grid["OUTPUT"], "UNIT": 4, "OUTPUT": str(cube_out)},
    )
    assert cube["N_BINS"] == 12
    assert cube["TOTAL"] + cube["OUTSIDE_CELLS"] == pytest.approx(56434)
    assert cube["OUTSIDE_CELLS"] < 50  # PROVENANCE: every point lies inside the ward polygons
    stored = cube_store.read_cube(cube_out, "cube")
    per_month = dict(zip(stored.bins.labels, np.asarray(stored.matrix().sum(axis=0)).ravel()))
    print("\nLancashire per month:", json.dumps({k: round(float(v)) for k, v in per_month.items()}))
    # Month-only incidents fall wholly in their month (PROVENANCE rows per month: Jan 4,415, Dec 3,488).
    assert per_month["2022-01"] == pytest.approx(4415, abs=cube["OUTSIDE_CELLS"])
    assert per_month["2022-12"] == pytest.approx(3488, abs=cube["OUTSIDE_CELLS"])

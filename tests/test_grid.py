"""The analysis grid (core/grid.py): exact cover of the boundary, stable ids, point assignment, labels,
contiguity, limits, and the GeoPackage polygons GDAL reads back."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from beatcast.core import gpkg, polyclip
from beatcast.core.errors import BeatCastInputError
from beatcast.core.geometry import points_in_polygons
from beatcast.core.grid import (
    GridSpec,
    assign_points,
    build_grid,
    cell_index,
    cell_vertices,
    check_metric,
    grid_frame,
    neighbours,
    read_grid_specs,
    write_grid_gpkg,
)
from beatcast.core.incidents import Cancelled, Progress

CRS = "EPSG:32616"


def _polygons(path) -> tuple[list, list[dict]]:
    """Polygons (lists of closed rings) and properties of a demo GeoJSON layer."""
    data = json.loads(path.read_text())
    polys = [[np.asarray(r, dtype=float) for r in f["geometry"]["coordinates"]] for f in data["features"]]
    return polys, [f["properties"] for f in data["features"]]


def _area(polygons) -> float:
    return sum(polyclip.signed_area(r) for _, _, r in polyclip.oriented_rings(polygons))


def _square(x0, y0, x1, y1, ccw=True) -> np.ndarray:
    ring = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]], dtype=float)
    return ring if ccw else ring[::-1].copy()


@pytest.fixture(scope="module")
def demo(demo_city_dir):
    boundary, _ = _polygons(demo_city_dir / "boundary.geojson")
    districts, props = _polygons(demo_city_dir / "districts.geojson")
    return {"boundary": boundary, "districts": districts, "district_ids": [p["district_id"] for p in props]}


@pytest.mark.parametrize("shape", ["square", "hex"])
def test_tiling_covers_demo_boundary_exactly(demo, shape):
    grid = build_grid(GridSpec(shape, 150.0, crs=CRS), demo["boundary"])
    assert abs(grid.area.sum() / _area(demo["boundary"]) - 1) < 1e-6
    assert ((grid.area_fraction > 0) & (grid.area_fraction <= 1)).all()
    assert 0 < (grid.area_fraction < 1).sum() < len(grid) / 5  # partial cells only along the boundary
    assert np.array_equal(np.lexsort((grid.col, grid.row)), np.arange(len(grid)))  # sorted: row, col
    assert len(set(grid.cell_id)) == len(grid)
    # Clipped areas and centroids agree with the clipped polygons themselves.
    for i in np.nonzero(grid.area_fraction < 1)[0][:50]:
        assert _area(grid.polygons[i]) == pytest.approx(grid.area[i], rel=1e-9)
    inside = points_in_polygons(grid.centroid_x, grid.centroid_y, demo["boundary"])
    assert inside.mean() > 0.99


def test_hex_geometry_matches_documented_definition():
    size = 200.0
    spec = GridSpec("hex", size)
    verts = cell_vertices(spec, np.array([0, 3]), np.array([0, 1]))
    for v in verts:
        assert polyclip.signed_area(v) == pytest.approx(math.sqrt(3) / 2 * size**2, rel=1e-12)
        assert v[:, 0].max() - v[:, 0].min() == pytest.approx(size)  # flat-to-flat along x
        assert v[:, 1].max() - v[:, 1].min() == pytest.approx(2 * size / math.sqrt(3))
        top = v[np.argmax(v[:, 1])]
        assert top[0] == pytest.approx(v[:, 0].mean())  # pointy top: one vertex at the top, centred
    grid = build_grid(spec, [[_square(-1000, -1000, 1000, 1000)]])
    adjacency = neighbours(grid).tocoo()
    dist = np.hypot(
        grid.centroid_x[adjacency.row] - grid.centroid_x[adjacency.col],
        grid.centroid_y[adjacency.row] - grid.centroid_y[adjacency.col],
    )
    whole = (grid.area_fraction[adjacency.row] == 1) & (grid.area_fraction[adjacency.col] == 1)
    assert np.allclose(dist[whole], size)  # neighbouring centres are one flat-to-flat width apart
    assert grid.area.sum() == pytest.approx(2000.0**2, rel=1e-9)


@pytest.mark.parametrize("shape", ["square", "hex"])
def test_boundary_with_hole_and_islands(shape):
    exterior = _square(0, 0, 3050, 2000)
    hole = _square(1010, 520, 1130, 610, ccw=True)  # wrong orientation on purpose: holes get fixed
    crossing_hole = _square(1900, 900, 2300, 1400)
    island = _square(3100, 100, 3180, 180)  # another part, sharing a cell with the main part
    boundary = [[exterior, hole, crossing_hole], [island]]
    expected = 3050 * 2000 - 120 * 90 - 400 * 500 + 80 * 80
    for size in (250.0, 97.0):
        grid = build_grid(GridSpec(shape, size), boundary)
        assert grid.area.sum() == pytest.approx(expected, rel=1e-9)
        whole = cell_vertices(grid.spec, grid.col, grid.row)
        in_hole = ((whole[..., 0] > 1900) & (whole[..., 0] < 2300)).all(axis=1)
        in_hole &= ((whole[..., 1] > 900) & (whole[..., 1] < 1400)).all(axis=1)
        assert in_hole.sum() == 0  # cells inside a hole are not in the grid
    grid = build_grid(GridSpec("square", 250.0), boundary)
    i = cell_index(grid, [1050.0], [550.0])[0]
    assert grid.area_fraction[i] == pytest.approx(1 - 120 * 90 / 250**2)  # the small hole is inside one cell
    assert len(grid.polygons[i]) == 1 and len(grid.polygons[i][0]) == 2  # exterior + hole
    j = cell_index(grid, [3120.0], [120.0])[0]  # the island's cell also holds a sliver of the main part
    assert len(grid.polygons[j]) == 2
    assert grid.area[j] == pytest.approx(50 * 250 + 80 * 80, rel=1e-12)
    assert cell_index(grid, [2100.0], [1150.0])[0] == -1


@pytest.mark.parametrize("shape", ["square", "hex"])
def test_random_polygons_with_vertices_on_lattice_lines(shape):
    """Vertices on cell edges, corners and scan lines (multiples of 25 m) must not break the cover."""
    rng = np.random.default_rng(11)
    for _ in range(25):
        pts = rng.integers(-24, 24, (int(rng.integers(3, 30)), 2)) * 25.0
        angle = np.arctan2(pts[:, 1] - 0.37, pts[:, 0] - 0.71)  # sorted around an off-lattice point: simple
        _, unique = np.unique(angle, return_index=True)
        ring = pts[np.sort(unique)][np.argsort(angle[np.sort(unique)])]
        if len(ring) < 3 or abs(polyclip.signed_area(ring)) < 1.0:
            continue
        for size in (50.0, 150.0):
            grid = build_grid(GridSpec(shape, size), [[polyclip.close(ring)]])
            assert grid.area.sum() == pytest.approx(abs(polyclip.signed_area(ring)), rel=1e-9)
            assert (grid.area <= grid.spec.cell_area * (1 + 1e-12)).all()


def test_ids_deterministic_and_stable_when_the_boundary_changes_elsewhere(demo):
    spec = GridSpec("square", 250.0, crs=CRS)
    first = build_grid(spec, demo["boundary"])
    again = build_grid(spec, demo["boundary"])
    assert list(first.cell_id) == list(again.cell_id)
    assert np.array_equal(first.area, again.area)
    assert first.cell_id[0].startswith("S250_") and first.cell_id[0] == f"S250_{first.col[0]}_{first.row[0]}"
    # Push the eastern third of the boundary out by 400 m: western cells keep ids, areas and geometry.
    ring = demo["boundary"][0][0].copy()
    cx = ring[:, 0].mean()
    east = ring[:, 0] > cx + 2000
    ring[east, 0] += 400
    moved = build_grid(spec, [[ring]])
    west_first = first.centroid_x < cx
    west_moved = moved.centroid_x < cx
    assert list(first.cell_id[west_first]) == list(moved.cell_id[west_moved])
    assert np.allclose(first.area[west_first], moved.area[west_moved], rtol=0, atol=1e-6)
    assert set(moved.cell_id) - set(first.cell_id)  # and the east gained cells
    hexes = build_grid(GridSpec("hex", 180.0), demo["boundary"])
    assert hexes.cell_id[0] == f"H180_{hexes.col[0]}_{hexes.row[0]}"


def _near_edge_points(grid, rng, n):
    """Points 1 mm either side of cell edges (inside and outside clipped cells) and of boundary vertices."""
    pick = rng.integers(0, len(grid), n)
    verts = cell_vertices(grid.spec, grid.col[pick], grid.row[pick])
    k = verts.shape[1]
    e = rng.integers(0, k, n)
    a, b = verts[np.arange(n), e], verts[np.arange(n), (e + 1) % k]
    t = rng.uniform(0.05, 0.95, n)[:, None]
    normal = np.column_stack([b[:, 1] - a[:, 1], a[:, 0] - b[:, 0]])
    normal /= np.hypot(normal[:, 0], normal[:, 1])[:, None]
    pts = a + t * (b - a) + normal * rng.choice([-1e-3, 1e-3], n)[:, None]
    return pts[:, 0], pts[:, 1]


@pytest.mark.parametrize("shape", ["square", "hex"])
def test_assign_points_and_cell_index_agree_with_brute_force(demo, shape):
    boundary = demo["boundary"]
    grid = build_grid(GridSpec(shape, 400.0, origin_x=13.0, origin_y=-7.0), boundary)
    rng = np.random.default_rng(5)
    ring = boundary[0][0]
    lo, hi = ring.min(axis=0) - 500, ring.max(axis=0) + 500
    x = np.concatenate([rng.uniform(lo[0], hi[0], 10_000), _near_edge_points(grid, rng, 3000)[0]])
    y = np.concatenate([rng.uniform(lo[1], hi[1], 10_000), _near_edge_points(grid, rng, 3000)[1]])
    pick = rng.integers(0, len(ring), 1000)
    x = np.concatenate([x, ring[pick, 0] + rng.normal(0, 0.05, 1000)])
    y = np.concatenate([y, ring[pick, 1] + rng.normal(0, 0.05, 1000)])
    col, row = assign_points(grid.spec, x, y)
    index = cell_index(grid, x, y)
    # Brute force 1: the whole lattice cell of (col, row) holds the point.
    whole = cell_vertices(grid.spec, col, row)
    for i in range(0, len(x), 997):
        assert points_in_polygons(x[i : i + 1], y[i : i + 1], [[polyclip.close(whole[i])]])[0]
    # Brute force 2: the clipped cell polygons; each point inside the boundary is in exactly one of them.
    owner = np.full(len(x), -1)
    hits = np.zeros(len(x), dtype=int)
    for j, multi in enumerate(grid.polygons):
        inside = points_in_polygons(x, y, multi)
        owner[inside] = j
        hits += inside
    in_city = points_in_polygons(x, y, boundary)
    sure = in_city == (hits == 1)  # points within float noise of the boundary may go either way
    assert sure.mean() > 0.999
    assert np.array_equal(index[in_city & sure], owner[in_city & sure])
    assert (hits <= 1).all()
    outside = ~in_city & (index >= 0)  # outside the city, only in edge cells' whole cells
    assert (grid.area_fraction[index[outside]] < 1).all()
    assert np.array_equal(grid.col[index[index >= 0]], col[index >= 0])
    assert (cell_index(grid, [np.nan, 0.0], [1.0, 0.0]) == -1).all()


def test_labels_from_demo_districts(demo):
    labels = {"district_id": (demo["districts"], demo["district_ids"])}
    grid = build_grid(GridSpec("hex", 300.0, crs=CRS), demo["boundary"], labels=labels)
    district = grid.attributes["district_id"]
    assert set(district) == set(demo["district_ids"])  # every cell labelled, every district present
    for poly, d in zip(demo["districts"], demo["district_ids"]):
        inside = points_in_polygons(grid.centroid_x, grid.centroid_y, [poly])
        assert (district[inside] == d).all()
    frame = grid_frame(grid)
    assert list(frame.columns) == [
        "cell_id", "col", "row", "area_m2", "area_fraction", "centroid_x", "centroid_y", "district_id",
    ]  # fmt: skip
    far = build_grid(GridSpec("square", 300.0), [[_square(0, 0, 900, 900)]], labels=labels)
    assert (far.attributes["district_id"] == "").all()


def test_neighbour_counts():
    square = build_grid(GridSpec("square", 100.0), [[_square(0, 0, 1000, 1000)]])
    queen, rook = neighbours(square, "queen"), neighbours(square, "rook")
    i = cell_index(square, [550.0], [450.0])[0]
    assert queen[i].nnz == 8 and rook[i].nnz == 4
    assert queen[0].nnz == 3 and rook[0].nnz == 2  # a corner cell
    assert (queen != queen.T).nnz == 0
    hexes = build_grid(GridSpec("hex", 100.0), [[_square(0, 0, 1000, 1000)]])
    adjacency = neighbours(hexes)
    for x, y in ((500.0, 500.0), (530.0, 590.0)):  # cells in an even and an odd row
        assert adjacency[cell_index(hexes, [x], [y])[0]].nnz == 6
    assert (adjacency != adjacency.T).nnz == 0
    with pytest.raises(BeatCastInputError, match="queen"):
        neighbours(square, "bishop")


def test_max_cells_and_bad_input(demo):
    with pytest.raises(BeatCastInputError, match=r"cells, more than MAX_CELLS=2,000,000: use larger cells"):
        build_grid(GridSpec("square", 5.0), demo["boundary"])
    n = len(build_grid(GridSpec("hex", 100.0), demo["boundary"]))
    with pytest.raises(
        BeatCastInputError, match=rf"^a 100 m hex grid over this boundary would have {n:,} cells"
    ):
        build_grid(GridSpec("hex", 100.0), demo["boundary"], max_cells=n - 1)
    for size in (0.0, -5.0, float("nan")):
        with pytest.raises(BeatCastInputError, match="cell size"):
            GridSpec("square", size)
    with pytest.raises(BeatCastInputError, match="shape"):
        GridSpec("triangle", 100.0)
    with pytest.raises(BeatCastInputError, match="empty"):
        build_grid(GridSpec("square", 100.0), [])
    with pytest.raises(BeatCastInputError, match="empty"):
        build_grid(GridSpec("square", 100.0), [[np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 0.0]])]])
    with pytest.raises(BeatCastInputError, match="boundary or an extent"):
        build_grid(GridSpec("square", 100.0), None)
    with pytest.raises(BeatCastInputError, match="geographic"):
        check_metric("EPSG:4326")
    with pytest.raises(BeatCastInputError, match="geographic"):
        check_metric("EPSG:4269", is_geographic=True)
    check_metric(CRS, is_geographic=False)
    with pytest.raises(BeatCastInputError, match="not valid"):
        GridSpec.from_json('{"size": 10}')


def test_spec_json_extent_and_min_fraction():
    spec = GridSpec("hex", 125.5, origin_x=3.0, origin_y=4.0, crs=CRS)
    assert GridSpec.from_json(spec.to_json()) == spec
    aligned = build_grid(GridSpec("square", 250.0), None, extent=(0.0, 0.0, 1000.0, 1000.0))
    assert len(aligned) == 16 and (aligned.area_fraction == 1).all()  # cells only touching the edge: out
    loose = build_grid(GridSpec("square", 250.0), None, extent=(10.0, 10.0, 990.0, 1000.0))
    assert len(loose) == 16 and (loose.area == 250.0**2).all()  # an extent keeps its cells whole
    ring = _square(0, 0, 1010, 1010)
    assert len(build_grid(GridSpec("square", 250.0), [[ring]])) == 25
    assert len(build_grid(GridSpec("square", 250.0), [[ring]], min_fraction=0.05)) == 16


def test_progress_and_cancel():
    class Recorder(Progress):
        def __init__(self, cancel_after=None):
            self.seen, self.cancel_after = [], cancel_after

        def set_progress(self, percent):
            self.seen.append(percent)

        def is_canceled(self):
            return self.cancel_after is not None and len(self.seen) >= self.cancel_after

    progress = Recorder()
    build_grid(GridSpec("square", 100.0), [[_square(0, 0, 1000, 1000)]], progress=progress)
    assert progress.seen[-1] == 100 and progress.seen == sorted(progress.seen)
    with pytest.raises(Cancelled):
        build_grid(GridSpec("square", 100.0), [[_square(0, 0, 1000, 1000)]], progress=Recorder(1))


def test_geopackage_polygons_read_by_gdal(demo, tmp_path):
    ogr = pytest.importorskip("osgeo.ogr")
    labels = {"district_id": (demo["districts"], demo["district_ids"])}
    grid = build_grid(GridSpec("square", 400.0, crs=CRS), demo["boundary"], labels=labels)
    hexes = build_grid(GridSpec("hex", 500.0, crs=CRS), demo["boundary"])
    srs = gpkg.SpatialReference.from_authid(CRS, gpkg.utm_wkt(16))
    path = tmp_path / "grid.gpkg"
    write_grid_gpkg(path, "cells", grid, srs)
    write_grid_gpkg(path, "hexes", hexes, srs)
    boundary = [[_square(0, 0, 3050, 2000), _square(1010, 520, 1130, 610), _square(1900, 900, 2300, 1400)]]
    holed = build_grid(GridSpec("square", 250.0, crs=CRS), boundary + [[_square(3100, 100, 3180, 180)]])
    assert max(len(multi) for multi in holed.polygons) == 2  # multipolygons and holes go to GDAL too
    write_grid_gpkg(path, "holed", holed, srs)
    assert read_grid_specs(path) == {"cells": grid.spec, "hexes": hexes.spec, "holed": holed.spec}
    frame = gpkg.read_table(path, "cells", ["cell_id", "area_m2", "district_id"])
    assert list(frame["cell_id"]) == list(grid.cell_id)
    source = ogr.Open(str(path))
    for name, g in (("cells", grid), ("hexes", hexes), ("holed", holed)):
        layer = source.GetLayerByName(name)
        assert layer.GetGeomType() == ogr.wkbMultiPolygon
        assert layer.GetSpatialRef().GetAuthorityCode(None) == "32616"
        assert layer.GetFeatureCount() == len(g)
        for i, feature in enumerate(layer):
            geom = feature.GetGeometryRef()
            assert feature.GetField("cell_id") == g.cell_id[i]
            assert geom.GetArea() == pytest.approx(feature.GetField("area_m2"), rel=1e-6)
            assert geom.GetArea() == pytest.approx(g.area[i], rel=1e-6)
        x, y = float(g.centroid_x[0]), float(g.centroid_y[0])
        layer.SetSpatialFilterRect(x, y, x + 1, y + 1)
        assert 0 < layer.GetFeatureCount() < len(g)  # through the R-tree index
        layer.SetSpatialFilter(None)
    layer = source.GetLayerByName("cells")
    assert {f.GetField("district_id") for f in layer} == set(demo["district_ids"])
    source = None

"""Per-cell covariates (core/covariates.py): hand-computed values on small grids, exactness in cells
clipped by the boundary, conservation on the demo city, and a truth check on the demo's bars."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from beatcast.core import demo_city
from beatcast.core.covariates import (
    FIELD_DOCS,
    area_weighted,
    covariate_table,
    line_length,
    line_length_by,
    point_count_in_cell,
    point_count_within,
    point_distance,
    polygon_coverage,
    raster_stats,
)
from beatcast.core.errors import BeatCastInputError
from beatcast.core.grid import SQRT3, GridSpec, build_grid

# Projected coordinates of realistic magnitude: every small case is shifted there.
X0, Y0 = 500_000.0, 4_500_000.0


def _rect(x0, y0, x1, y1) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]) + (X0, Y0)


def _square_grid(n_cols: int, n_rows: int, size: float = 10.0):
    """Whole square cells over (0, 0)-(n_cols*size, n_rows*size), shifted by (X0, Y0)."""
    return build_grid(GridSpec("square", size), None, extent=(X0, Y0, X0 + n_cols * size, Y0 + n_rows * size))


def _triangle_grid(size: float = 10.0, leg: float = 20.0):
    """Square cells clipped to the triangle (0, 0), (leg, 0), (0, leg): cells (0,0), (1,0), (0,1)."""
    triangle = np.array([[0.0, 0.0], [leg, 0.0], [0.0, leg], [0.0, 0.0]]) + (X0, Y0)
    return build_grid(GridSpec("square", size), [[triangle]])


@pytest.fixture(scope="module")
def city():
    return demo_city.generate_city()


# ------------------------------------------------------------------------------------------- points


def test_distance_and_count_within_by_hand():
    grid = _square_grid(3, 3)  # centres (5, 5), (15, 5), (25, 5), (5, 15), ... in row order
    x = np.array([5.0, 28.0, 15.0, np.nan]) + X0
    y = np.array([5.0, 9.0, 30.0, 1.0]) + Y0  # the NaN point is ignored
    expected = [0.0, 10.0, 5.0, 10.0, math.sqrt(200), math.sqrt(45), math.sqrt(125), 5.0, math.sqrt(125)]
    np.testing.assert_allclose(point_distance(grid, x, y), expected, atol=1e-9)
    # Distance <= radius counts (10 m exactly from (15, 5) to (5, 5) and from (5, 15) to (5, 5)).
    assert point_count_within(grid, x, y, 10.0).tolist() == [1, 1, 1, 1, 0, 1, 0, 1, 0]
    assert point_count_within(grid, x, y, 0).tolist() == [1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert point_count_within(grid, x, y, 100.0).tolist() == [3] * 9
    assert np.isinf(point_distance(grid, [], [])).all()
    assert point_count_within(grid, [], [], 5.0).tolist() == [0] * 9


def test_count_in_cell_by_hand():
    grid = _square_grid(3, 3)
    x = np.array([5.0, 28.0, 15.0, 10.0, -1.0]) + X0
    y = np.array([5.0, 9.0, 30.0, 10.0, 5.0]) + Y0  # (15, 30) and (-1, 5) are in no cell
    assert point_count_in_cell(grid, x, y).tolist() == [1, 0, 1, 0, 1, 0, 0, 0, 0]


def test_count_in_clipped_cells():
    grid = _triangle_grid()
    assert [(c, r) for c, r in zip(grid.col - grid.col.min(), grid.row - grid.row.min())] == [
        (0, 0), (1, 0), (0, 1),
    ]  # fmt: skip
    # (18, 8) and (9, 19) lie in lattice cells of the grid but outside the triangle; (15, 15) in no cell.
    x = np.array([5.0, 12.0, 18.0, 3.0, 9.0, 15.0]) + X0
    y = np.array([5.0, 3.0, 8.0, 14.0, 19.0, 15.0]) + Y0
    assert point_count_in_cell(grid, x, y).tolist() == [1, 1, 1]
    assert point_count_in_cell(grid, x, y, clipped=False).tolist() == [1, 2, 2]


def test_point_input_errors():
    grid = _square_grid(2, 2)
    for radius in (-1.0, math.nan, math.inf, "300", None):
        with pytest.raises(BeatCastInputError, match="radius"):
            point_count_within(grid, [X0], [Y0], radius)
    with pytest.raises(BeatCastInputError, match="2 x values but 1 y"):
        point_distance(grid, [X0, X0], [Y0])


# -------------------------------------------------------------------------------------------- lines


def test_diagonal_segment_by_hand():
    grid = _square_grid(2, 2)  # cells (0,0), (1,0), (0,1), (1,1)
    # y = 4 + x/2 crosses x = 10 at y = 9 and y = 10 at x = 12; the last segment is outside the grid.
    line = np.array([[0.0, 4.0], [20.0, 14.0], [30.0, 19.0]]) + (X0, Y0)
    s5 = math.sqrt(5)
    np.testing.assert_allclose(line_length(grid, [line]), [5 * s5, s5, 0.0, 4 * s5], rtol=1e-12)
    # A line along a cell edge counts once, in the cell above it (as cell_index assigns the edge).
    edge = np.array([[2.0, 10.0], [8.0, 10.0]]) + (X0, Y0)
    np.testing.assert_allclose(line_length(grid, [edge]), [0, 0, 6, 0], atol=1e-9)
    assert line_length(grid, []).tolist() == [0.0] * 4
    # Degenerate and non-finite segments are skipped.
    junk = [np.array([[X0 + 1, Y0 + 1]]), np.array([[X0 + 1, Y0 + 1], [X0 + 1, Y0 + 1], [np.nan, Y0]])]
    assert line_length(grid, junk).tolist() == [0.0] * 4


def test_lines_in_clipped_cells():
    grid = _triangle_grid()
    line = np.array([[-5.0, 5.0], [25.0, 5.0]]) + (X0, Y0)  # inside the triangle for x in [0, 15]
    np.testing.assert_allclose(line_length(grid, [line]), [10.0, 5.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(line_length(grid, [line], clipped=False), [10.0, 10.0, 0.0], rtol=1e-12)


def test_line_length_by_class():
    grid = _square_grid(2, 2)
    lines = [
        np.array([[1.0, 1.0], [19.0, 1.0]]) + (X0, Y0),
        np.array([[1.0, 15.0], [9.0, 15.0]]) + (X0, Y0),
        np.array([[15.0, 11.0], [15.0, 19.0]]) + (X0, Y0),
    ]
    by = line_length_by(grid, lines, ["local", "arterial", "local"])
    assert list(by) == ["arterial", "local"]
    np.testing.assert_allclose(by["local"], [9.0, 9.0, 0.0, 8.0])
    np.testing.assert_allclose(by["arterial"], [0.0, 0.0, 8.0, 0.0])
    with pytest.raises(BeatCastInputError, match="3 lines but 2 values"):
        line_length_by(grid, lines, ["a", "b"])
    with pytest.raises(BeatCastInputError, match="line 0"):
        line_length(grid, [np.zeros((3, 3))])


def test_hex_lines_conserved_by_hand():
    boundary = _rect(0, 0, 100, 80)
    grid = build_grid(GridSpec("hex", 10.0), [[boundary]])
    horizontal = np.array([[-50.0, 40.0], [150.0, 40.0]]) + (X0, Y0)  # 100 m inside
    diagonal = np.array([[-10.0, -10.0], [110.0, 110.0]]) + (X0, Y0)  # (0, 0) to (80, 80) inside
    lengths = line_length(grid, [horizontal, diagonal])
    assert lengths.sum() == pytest.approx(100.0 + 80.0 * math.sqrt(2), rel=1e-10)
    assert (lengths >= 0).all()


def test_demo_road_length_conserved(city):
    grid = build_grid(GridSpec("hex", 200.0), [city.boundary.geometries[0]])
    lengths = line_length(grid, city.roads.geometries)
    # Reference: every segment cut into pieces of ~2 m, kept when their midpoint is inside the city.
    a = np.concatenate([road[:-1] for road in city.roads.geometries])
    b = np.concatenate([road[1:] for road in city.roads.geometries])
    length = np.hypot(*(b - a).T)
    n = np.maximum((length / 2.0).astype(int), 1)
    seg = np.repeat(np.arange(len(a)), n)
    t = (np.arange(len(seg)) - np.repeat(np.cumsum(n) - n, n) + 0.5) / n[seg]
    mid = a[seg] + t[:, None] * (b[seg] - a[seg])
    inside_total = float((length[seg] / n[seg])[city.contains(mid[:, 0], mid[:, 1])].sum())
    assert inside_total > 0.99 * length.sum()
    assert lengths.sum() == pytest.approx(inside_total, rel=1e-3)
    by = line_length_by(grid, city.roads.geometries, city.roads.column("road_class"))
    assert sorted(by) == ["arterial", "collector", "local"]
    np.testing.assert_allclose(sum(by.values()), lengths, atol=1e-6)


# ------------------------------------------------------------------------------------------- raster


RASTER = np.arange(16, dtype=float).reshape(4, 4)  # rows from the top: y 3-4, 2-3, 1-2, 0-1
TRANSFORM = (X0, 1.0, 0.0, Y0 + 4.0, 0.0, -1.0)


def test_raster_stats_by_hand():
    grid = _square_grid(2, 2, size=2.0)  # cells (0,0), (1,0), (0,1), (1,1) of 2 m over 1 m pixels
    stats = raster_stats(grid, RASTER, TRANSFORM, stats=("mean", "max", "min", "sum", "count", "std"))
    np.testing.assert_allclose(stats["mean"], [10.5, 12.5, 2.5, 4.5])
    np.testing.assert_allclose(stats["max"], [13, 15, 5, 7])
    np.testing.assert_allclose(stats["min"], [8, 10, 0, 2])
    np.testing.assert_allclose(stats["sum"], [42, 50, 10, 18])
    assert stats["count"].tolist() == [4, 4, 4, 4]
    np.testing.assert_allclose(stats["std"], [math.sqrt(4.25)] * 4)
    assert list(raster_stats(grid, RASTER, TRANSFORM)) == ["mean", "max"]
    # Bottom-up rows (positive pixel height) give the same answer.
    flipped = raster_stats(grid, RASTER[::-1], (X0, 1.0, 0.0, Y0, 0.0, 1.0))
    np.testing.assert_allclose(flipped["mean"], [10.5, 12.5, 2.5, 4.5])


def test_raster_nodata_and_gaps():
    grid = _square_grid(3, 2, size=2.0)  # the raster covers x 0-4: the third column of cells has none
    data = RASTER.copy()
    data[0, 0] = np.nan  # in cell (0,1)
    stats = raster_stats(grid, data, TRANSFORM, nodata=15, stats=("mean", "max", "count"))
    np.testing.assert_allclose(stats["mean"], [10.5, 35 / 3, np.nan, 10 / 3, 4.5, np.nan])
    np.testing.assert_allclose(stats["max"], [13, 14, np.nan, 5, 7, np.nan])
    assert stats["count"].tolist() == [4, 3, 0, 3, 4, 0]
    masked = np.ma.masked_array(RASTER, mask=RASTER > 12)
    np.testing.assert_allclose(raster_stats(grid, masked, TRANSFORM)["max"], [12, 11, np.nan, 5, 7, np.nan])
    everything = np.full((4, 4), -9999.0)
    assert np.isnan(raster_stats(grid, everything, TRANSFORM, nodata=-9999)["mean"]).all()


def test_raster_in_clipped_cells():
    # Cells (0,0), (1,0), (2,0), (0,1), (1,1), (0,2); (2,0), (1,1) and (0,2) are slivers. In (1,0) the
    # pixel centre (3.5, 1.5) and in (0,1) the centre (1.5, 3.5) lie outside the triangle x + y <= 4.2.
    grid = _triangle_grid(size=2.0, leg=4.2)
    assert len(grid) == 6
    clipped = raster_stats(grid, RASTER, TRANSFORM)
    np.testing.assert_allclose(clipped["mean"], [10.5, 13.0, np.nan, 3.0, np.nan, np.nan])
    np.testing.assert_allclose(clipped["max"], [13, 15, np.nan, 5, np.nan, np.nan])
    whole = raster_stats(grid, RASTER, TRANSFORM, clipped=False)
    np.testing.assert_allclose(whole["mean"], [10.5, 12.5, np.nan, 2.5, 4.5, np.nan])


def test_raster_input_errors():
    grid = _square_grid(2, 2, size=2.0)
    with pytest.raises(BeatCastInputError, match="rotated"):
        raster_stats(grid, RASTER, (X0, 1.0, 0.1, Y0, 0.0, -1.0))
    with pytest.raises(BeatCastInputError, match="must not be 0"):
        raster_stats(grid, RASTER, (X0, 0.0, 0.0, Y0, 0.0, -1.0))
    with pytest.raises(BeatCastInputError, match="6 finite numbers"):
        raster_stats(grid, RASTER, (X0, 1.0, 0.0, Y0))
    with pytest.raises(BeatCastInputError, match="median"):
        raster_stats(grid, RASTER, TRANSFORM, stats=("median",))
    with pytest.raises(BeatCastInputError, match="2-D"):
        raster_stats(grid, RASTER.ravel(), TRANSFORM)


# ----------------------------------------------------------------------------------------- polygons


def test_area_weighted_two_rectangles_by_hand():
    grid = _square_grid(2, 2)  # cells (0,0), (1,0), (0,1), (1,1)
    left = [_rect(0, 0, 15, 20)]  # 300 m², inside the grid
    right = [[_rect(15, 5, 25, 20)]]  # 150 m² as a multipolygon, half of it east of the grid
    values = {"pop": [300.0, 60.0], "rate": [0.2, 0.6]}
    out = area_weighted(grid, [left, right], values, {"pop": "extensive", "rate": "intensive"})
    np.testing.assert_allclose(out["pop"], [100, 60, 100, 70], rtol=1e-12)
    np.testing.assert_allclose(out["rate"], [0.2, 1 / 3, 0.2, 0.4], rtol=1e-12)
    np.testing.assert_allclose(polygon_coverage(grid, [left, right]), [1, 0.75, 1, 1], rtol=1e-12)
    # A NaN value leaves its polygon out; a cell no polygon covers has no intensive value.
    out = area_weighted(grid, [left, right], {"rate": [np.nan, 0.6]}, {"rate": "intensive"})
    np.testing.assert_allclose(out["rate"], [np.nan, 0.6, np.nan, 0.6])
    corner = [_rect(0, 0, 10, 10)]
    out = area_weighted(grid, [corner], {"n": [7], "r": [0.5]}, {"n": "extensive", "r": "intensive"})
    np.testing.assert_allclose(out["n"], [7, 0, 0, 0])
    np.testing.assert_allclose(out["r"], [0.5, np.nan, np.nan, np.nan])
    # A hole: 25 m² of each cell is missing.
    holed = [_rect(0, 0, 20, 20), _rect(5, 5, 15, 15)]
    np.testing.assert_allclose(area_weighted(grid, [holed], {"n": [300]}, {"n": "extensive"})["n"], [75] * 4)


def test_area_weighted_hex_by_hand():
    size, radius = 10.0, 10.0 / SQRT3
    spec = GridSpec("hex", size, X0, Y0)  # hexagon (0, 0) is centred on (X0, Y0)
    grid = build_grid(spec, None, extent=(X0 - 30, Y0 - 30, X0 + 30, Y0 + 30))
    # The east half of hexagon (0, 0) plus the corners of its north-east and south-east neighbours: the
    # rectangle's west side runs through the centre, its east side along the hexagon's vertical side.
    rect = np.array([[0, -radius], [size / 2, -radius], [size / 2, radius], [0, radius], [0, -radius]])
    value = size / 2 * 2 * radius  # the rectangle's area: cell values are then areas in m²
    out = area_weighted(grid, [[rect + (X0, Y0)]], {"a": [value]}, {"a": "extensive"})["a"]
    cells = dict(zip(zip(grid.col.tolist(), grid.row.tolist()), out.tolist()))
    # Vertices at 4.5e6 m carry ~1e-9 m of rounding: areas agree to ~1e-9 relative.
    assert cells[(0, 0)] == pytest.approx(SQRT3 / 4 * size**2, rel=1e-8)
    assert cells[(0, 1)] == pytest.approx(size**2 / (8 * SQRT3), rel=1e-8)
    assert cells[(0, -1)] == pytest.approx(size**2 / (8 * SQRT3), rel=1e-8)
    assert sum(v for k, v in cells.items() if k not in {(0, 0), (0, 1), (0, -1)}) == pytest.approx(
        0, abs=1e-9
    )


def test_area_weighted_in_clipped_cells():
    grid = _triangle_grid()  # clipped cells (1,0) and (0,1) are right trapezoids of 50 m²
    box = [_rect(12, 0, 20, 6)]  # 48 m²; inside the triangle (x + y <= 20): 48 - 18 = 30 m²
    out = area_weighted(grid, [box], {"a": [48.0], "r": [0.5]}, {"a": "extensive", "r": "intensive"})
    np.testing.assert_allclose(out["a"], [0, 30, 0], atol=1e-9)
    np.testing.assert_allclose(out["r"], [np.nan, 0.5, np.nan])
    np.testing.assert_allclose(polygon_coverage(grid, [box]), [0, 0.6, 0], atol=1e-12)
    big = [_rect(-5, -5, 25, 25)]  # covers the whole triangle
    np.testing.assert_allclose(polygon_coverage(grid, [big]), [1, 1, 1], rtol=1e-12)


@pytest.mark.parametrize(("shape", "size"), [("square", 250.0), ("hex", 200.0)])
def test_demo_census_population_conserved(city, shape, size):
    grid = build_grid(GridSpec(shape, size), [city.boundary.geometries[0]])
    areas = city.census_areas
    names = ["pop_total", "pop_group_a", "pop_group_b", "pop_group_c", "households"]
    values = {name: areas.column(name) for name in names}
    out = area_weighted(grid, areas.geometries, values, dict.fromkeys(names, "extensive"))
    for name in names:
        assert out[name].sum() == pytest.approx(sum(values[name]), rel=1e-6)
        assert (out[name] >= 0).all()
    # The census areas partition the city: every clipped cell is covered exactly once.
    np.testing.assert_allclose(polygon_coverage(grid, areas.geometries), 1.0, atol=1e-6)
    # Group A lives mostly in the east, group B in the west.
    east = grid.centroid_x > city.centre_xy[0] + 2000
    west = grid.centroid_x < city.centre_xy[0] - 2000
    assert out["pop_group_a"][east].sum() > 2 * out["pop_group_b"][east].sum()
    assert out["pop_group_b"][west].sum() > 2 * out["pop_group_a"][west].sum()


def test_polygon_input_errors():
    grid = _square_grid(2, 2)
    square = [_rect(0, 0, 10, 10)]
    with pytest.raises(BeatCastInputError, match="kind 'count' is unknown"):
        area_weighted(grid, [square], {"n": [1]}, {"n": "count"})
    with pytest.raises(BeatCastInputError, match="kind None is unknown"):
        area_weighted(grid, [square], {"n": [1]}, {})
    with pytest.raises(BeatCastInputError, match="2 values for 1 polygons"):
        area_weighted(grid, [square], {"n": [1, 2]}, {"n": "extensive"})
    with pytest.raises(BeatCastInputError, match="expected numbers"):
        area_weighted(grid, [square], {"n": ["many"]}, {"n": "extensive"})
    flat = [np.array([[X0, Y0], [X0 + 5, Y0], [X0 + 10, Y0], [X0, Y0]])]
    with pytest.raises(BeatCastInputError, match="polygon 1 has no area"):
        area_weighted(grid, [square, flat], {"n": [1, 2]}, {"n": "extensive"})


# -------------------------------------------------------------------------------- table and truth


def test_covariate_table_names_are_documented():
    grid = _square_grid(2, 2)
    table = covariate_table(
        grid,
        points={"Bars": ([X0 + 5], [Y0 + 5])},
        radii=(300, 12.5),
        lines={"roads": ([_rect(1, 1, 19, 19)], ["local"])},
        rasters={"lights": (RASTER, TRANSFORM, -1)},
        polygons={"census": ([[_rect(0, 0, 20, 20)]], {"Pop Total": [400]}, {"Pop Total": "extensive"})},
    )
    assert list(table.columns) == [
        "cell_id", "dist_bars", "n_bars", "count_bars_300m", "count_bars_12_5m", "len_roads",
        "len_roads_local", "lights_mean", "lights_max", "census_pop_total", "census_coverage",
    ]  # fmt: skip
    assert table["n_bars"].tolist() == [1, 0, 0, 0]
    assert table["count_bars_12_5m"].tolist() == [1, 1, 1, 0]
    np.testing.assert_allclose(table["census_pop_total"], [100] * 4)
    np.testing.assert_allclose(table["len_roads"], [18] * 4)
    patterns = [re.compile("^" + re.sub(r"<[a-z]+>", "[a-z0-9_]+", key) + "$") for key in FIELD_DOCS]
    assert all(any(p.match(column) for p in patterns) for column in table.columns)
    with pytest.raises(BeatCastInputError, match="both be named 'dist_bars'"):
        covariate_table(grid, points={"bars": ([X0], [Y0]), "Bars": ([X0], [Y0])})


def test_demo_bars_cluster_downtown_and_on_the_strip(city):
    """Truth check: the demo city's bars are a downtown cluster (36 bars, sd 380 m, within 1.2 km of a
    point 180 m from CENTRE_XY) and an 18-bar nightlife strip 1.3-2.2 km east of the centre. At 300 m the
    dense strip leads; at 500 m downtown does; far from both, no bar is within reach."""
    grid = build_grid(GridSpec("square", 150.0), [city.boundary.geometries[0]])
    kind = np.array(city.pois.column("kind"))
    bars = np.array(city.pois.geometries)[kind == "bar"]
    cx, cy = demo_city.CENTRE_XY
    (sx0, sy0), (sx1, sy1) = demo_city.NIGHTLIFE_STRIP
    to_centre = np.hypot(grid.centroid_x - cx, grid.centroid_y - cy)
    t = np.clip((grid.centroid_x - sx0) / (sx1 - sx0), 0.0, 1.0)
    to_strip = np.hypot(grid.centroid_x - (sx0 + t * (sx1 - sx0)), grid.centroid_y - sy0)
    near_300 = point_count_within(grid, bars[:, 0], bars[:, 1], 300.0)
    top = np.argsort(-near_300, kind="stable")[:20]
    assert ((to_centre[top] < 800) | (to_strip[top] < 300)).all()
    assert near_300[(to_centre > 2000) & (to_strip > 600)].max() == 0
    assert near_300[to_centre < 600].max() >= 5
    near_500 = point_count_within(grid, bars[:, 0], bars[:, 1], 500.0)
    assert to_centre[np.argmax(near_500)] < 600
    distance = point_distance(grid, bars[:, 0], bars[:, 1])
    assert distance[np.argmax(near_500)] < 150
    assert distance[to_centre > 4000].min() > 500

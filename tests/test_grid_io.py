"""Grids read back from their GeoPackage, and their spatial index kept right through edits."""

import numpy as np

from beatcast.core import gpkg, grid, grid_io
from beatcast.core.demo_city import generate_city


def test_grid_round_trip_and_rtree_maintenance(tmp_path):
    city = generate_city()
    built = grid.build_grid(grid.GridSpec("hex", 300, crs="EPSG:32616"), [city.boundary.geometries[0]])
    path = tmp_path / "grid.gpkg"
    grid.write_grid_gpkg(
        path, "grid", built, gpkg.SpatialReference.from_authid("EPSG:32616", gpkg.utm_wkt(16))
    )
    back = grid_io.read_grid(path, "grid")
    assert back.spec == built.spec and (back.cell_id == built.cell_id).all()
    assert np.allclose(back.area, built.area) and np.allclose(back.centroid_x, built.centroid_x)
    for mine, theirs in zip(back.polygons, built.polygons):
        assert len(mine) == len(theirs)
        for p, q in zip(mine, theirs):
            assert all(np.allclose(a, b) for a, b in zip(p, q))
    # An edit through plain sqlite3 (gpkg.connect registers the ST_ functions) updates the R-tree with the
    # polygon's envelope, not a point.
    con = gpkg.connect(path)
    blob = con.execute("SELECT geom FROM grid WHERE fid = 1").fetchone()[0]
    con.execute("INSERT INTO grid (geom, cell_id) VALUES (?, 'copy')", (blob,))
    con.commit()
    fid = con.execute("SELECT fid FROM grid WHERE cell_id = 'copy'").fetchone()[0]
    box = con.execute("SELECT minx, maxx, miny, maxy FROM rtree_grid_geom WHERE id = ?", (fid,)).fetchone()
    ring = built.polygons[0][0][0]
    assert np.allclose(
        box, (ring[:, 0].min(), ring[:, 0].max(), ring[:, 1].min(), ring[:, 1].max()), atol=1e-3
    )
    assert con.execute("SELECT rtreecheck('rtree_grid_geom')").fetchone()[0] == "ok"
    con.close()

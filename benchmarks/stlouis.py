"""St. Louis (SLMPD) data for the benchmarks: the cleaned incident points and the city boundary, in UTM 15N.

Import after ``benchlib.link_checkout()``. ``DATA`` is ../shared/data/stlouis_slmpd (absent on machines
without the shared data: check ``DATA.is_dir()`` first).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from benchlib import ROOT

from beatcast.core.projection import geojson_polygons_to_utm, lonlat_to_utm

DATA = ROOT.parent / "shared" / "data" / "stlouis_slmpd"
UTM_ZONE = 15
CRS = "EPSG:32615"


def load_points(category: str = "all"):
    """x, y (UTM 15N metres) and UTC occurrence times (datetime64, naive) of the cleaned points, UCR 26
    excluded; ``category`` "burglary" keeps UCR 05 only."""
    frame = pd.read_csv(
        DATA / "stl_slmpd_2015_2019_clean_points.csv.gz", dtype={"ucr_code": str}, low_memory=False
    )
    frame = frame[frame["ucr_code"] != "26"]
    if category == "burglary":
        frame = frame[frame["ucr_code"] == "05"]
    x, y = lonlat_to_utm(frame["longitude"].to_numpy(), frame["latitude"].to_numpy(), UTM_ZONE)
    when = pd.to_datetime(frame["date_occur"]).dt.tz_localize(
        "America/Chicago", ambiguous=True, nonexistent="shift_forward"
    )
    return x, y, when.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()


def utm_polygons(geometry: dict) -> list:
    """A GeoJSON (Multi)Polygon in lon/lat as a list of polygons (lists of (n, 2) UTM rings)."""
    return geojson_polygons_to_utm(geometry, UTM_ZONE)


def boundary_utm() -> list:
    """The city boundary (the grid is clipped to it)."""
    data = json.loads((DATA / "context" / "stl_boundary_wgs84.geojson").read_text())
    return utm_polygons(data["features"][0]["geometry"])


def neighbourhoods() -> list[dict]:
    """Neighbourhood features (2020 census fields) that have a geometry."""
    data = json.loads((DATA / "context" / "stl_neighborhoods.geojson").read_text())
    return [f for f in data["features"] if f["geometry"]]  # one placeholder record has no geometry


def kde_forecast_2019(category: str = "all", day: str = "2019-12-01"):
    """The 150 m grid and a one-day KDE forecast (200 m, last 365 days) for ``day`` from a daily cube of
    2019: returns (cells, counts of 2019 (cells x days), index of ``day``, expected per cell)."""
    from beatcast.core import cube
    from beatcast.core.grid import GridSpec, build_grid, cell_index
    from beatcast.core.spatial_models import KernelDensity
    from beatcast.core.timebins import BinSpec, make_bins

    x, y, when = load_points(category)
    cells = build_grid(GridSpec("square", 150.0, crs=CRS), boundary_utm())
    bins = make_bins(
        BinSpec("day", "America/Chicago", pd.Timestamp("2019-01-01"), pd.Timestamp("2020-01-01"))
    )
    daily = cube.aggregate(
        cell_index(cells, x, y),
        when,
        when + np.timedelta64(1, "m"),
        None,
        None,
        len(cells),
        cells.cell_id,
        bins,
    )
    counts = np.asarray(daily.dense()[0], dtype=float)
    until = int(np.searchsorted(bins.local, np.datetime64(day)))
    model = KernelDensity(cells.centroid_x, cells.centroid_y, 200.0, 365)
    model.fit(counts, until)
    return cells, counts, until, model.predict(1).expected

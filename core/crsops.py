"""Coordinate-system operations the engine needs, behind one small interface.

The engine never reprojects by itself: it asks a ``CrsOps``. The QGIS adapter passes one built on
QGIS/PROJ (any CRS); ``UtmCrsOps`` here needs nothing but numpy and knows WGS 84 and its UTM zones,
which is enough for the demo city and for batch use on lon/lat exports.
"""

from __future__ import annotations

import re
from typing import Protocol

import numpy as np

from . import gpkg
from .errors import BeatCastInputError
from .projection import lonlat_to_utm, utm_to_lonlat

WGS84 = "EPSG:4326"
_GEOGRAPHIC = {"EPSG:4326", "OGC:CRS84", "EPSG:4269", "EPSG:4258", "EPSG:4283", "EPSG:4617"}


class CrsOps(Protocol):
    def transform(self, x: np.ndarray, y: np.ndarray, src: str, dst: str) -> tuple[np.ndarray, np.ndarray]:
        """Reproject; points that cannot be transformed come back as NaN."""
        ...

    def is_geographic(self, crs: str) -> bool: ...

    def wkt(self, crs: str) -> str:
        """WKT1 definition, for the GeoPackage's spatial reference table."""
        ...

    def is_valid(self, crs: str) -> bool: ...


def _utm(crs: str) -> tuple[int, bool] | None:
    m = re.fullmatch(r"EPSG:32([67])(\d\d)", crs.upper())
    if not m or not 1 <= int(m.group(2)) <= 60:
        return None
    return int(m.group(2)), m.group(1) == "7"


class UtmCrsOps:
    """WGS 84 geographic and UTM only, in pure numpy."""

    def is_valid(self, crs: str) -> bool:
        return crs.upper() in {WGS84, "OGC:CRS84"} or _utm(crs) is not None

    def is_geographic(self, crs: str) -> bool:
        return crs.upper() in _GEOGRAPHIC

    def wkt(self, crs: str) -> str:
        utm = _utm(crs)
        if utm is None:
            raise BeatCastInputError(f"CRS {crs}: only WGS 84 and its UTM zones are known without QGIS")
        return gpkg.utm_wkt(*utm)

    def transform(self, x, y, src: str, dst: str):
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        src_u, dst_u = src.upper().replace("OGC:CRS84", WGS84), dst.upper().replace("OGC:CRS84", WGS84)
        if src_u == dst_u:
            return x.copy(), y.copy()
        for crs in (src_u, dst_u):
            if not self.is_valid(crs):
                raise BeatCastInputError(
                    f"CRS {crs}: only WGS 84 and its UTM zones can be reprojected without QGIS"
                )
        if src_u != WGS84:
            x, y = utm_to_lonlat(x, y, *_utm(src_u))
        if dst_u != WGS84:
            x, y = lonlat_to_utm(x, y, *_utm(dst_u))
        return x, y


def is_geographic_default(crs: str) -> bool:
    return crs.upper() in _GEOGRAPHIC

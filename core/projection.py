"""Transverse Mercator / UTM on WGS84 in plain numpy.

Krüger's series in the third flattening n to order n^6 (Karney 2011, "Transverse Mercator with an
accuracy of a few nanometers"): within the width of a UTM zone the error is far below 1 mm, so the
results agree with PROJ's ``+proj=utm`` (which uses the same series) to the micrometre.

Functions accept scalars or arrays; scalars give Python floats back.
"""

from __future__ import annotations

import math

import numpy as np

WGS84_A = 6378137.0
WGS84_F = 1.0 / 298.257223563
UTM_K0 = 0.9996
UTM_FALSE_EASTING = 500000.0
UTM_FALSE_NORTHING_SOUTH = 10000000.0

_N = WGS84_F / (2.0 - WGS84_F)
_E2 = WGS84_F * (2.0 - WGS84_F)
_E = math.sqrt(_E2)


def _series() -> tuple[float, tuple[float, ...], tuple[float, ...]]:
    n = _N
    n2, n3, n4, n5, n6 = n**2, n**3, n**4, n**5, n**6
    rectifying_radius = WGS84_A / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0)
    alpha = (
        n / 2 - 2 * n2 / 3 + 5 * n3 / 16 + 41 * n4 / 180 - 127 * n5 / 288 + 7891 * n6 / 37800,
        13 * n2 / 48 - 3 * n3 / 5 + 557 * n4 / 1440 + 281 * n5 / 630 - 1983433 * n6 / 1935360,
        61 * n3 / 240 - 103 * n4 / 140 + 15061 * n5 / 26880 + 167603 * n6 / 181440,
        49561 * n4 / 161280 - 179 * n5 / 168 + 6601661 * n6 / 7257600,
        34729 * n5 / 80640 - 3418889 * n6 / 1995840,
        212378941 * n6 / 319334400,
    )
    beta = (
        n / 2 - 2 * n2 / 3 + 37 * n3 / 96 - n4 / 360 - 81 * n5 / 512 + 96199 * n6 / 604800,
        n2 / 48 + n3 / 15 - 437 * n4 / 1440 + 46 * n5 / 105 - 1118711 * n6 / 3870720,
        17 * n3 / 480 - 37 * n4 / 840 - 209 * n5 / 4480 + 5569 * n6 / 90720,
        4397 * n4 / 161280 - 11 * n5 / 504 - 830251 * n6 / 7257600,
        4583 * n5 / 161280 - 108847 * n6 / 3991680,
        20648693 * n6 / 638668800,
    )
    return rectifying_radius, alpha, beta


_A_RECT, _ALPHA, _BETA = _series()


def utm_zone_for(lon: float, lat: float) -> tuple[int, bool]:
    """UTM zone number and hemisphere for a WGS84 position, with the Norway/Svalbard exceptions."""
    lon = ((float(lon) + 180.0) % 360.0) - 180.0
    lat = float(lat)
    zone = min(int(math.floor((lon + 180.0) / 6.0)) + 1, 60)
    if 56.0 <= lat < 64.0 and 3.0 <= lon < 12.0:
        zone = 32
    if 72.0 <= lat < 84.0 and 0.0 <= lon < 42.0:
        zone = 31 if lon < 9.0 else 33 if lon < 21.0 else 35 if lon < 33.0 else 37
    return zone, lat < 0.0


def utm_epsg(zone: int, south: bool = False) -> int:
    """EPSG code of a WGS84 UTM zone: 326zz (north) or 327zz (south)."""
    if not 1 <= int(zone) <= 60:
        raise ValueError(f"UTM zone must be 1..60, got {zone}")
    return (32700 if south else 32600) + int(zone)


def _central_meridian(zone: int) -> float:
    if not 1 <= int(zone) <= 60:
        raise ValueError(f"UTM zone must be 1..60, got {zone}")
    return -183.0 + 6.0 * int(zone)


def _tau_prime(tau: np.ndarray) -> np.ndarray:
    """tan of the conformal latitude from tau = tan(geographic latitude)."""
    sigma = np.sinh(_E * np.arctanh(_E * tau / np.hypot(1.0, tau)))
    return tau * np.hypot(1.0, sigma) - sigma * np.hypot(1.0, tau)


def _tau_from_tau_prime(tau_p: np.ndarray) -> np.ndarray:
    """Invert _tau_prime by Newton's method (Karney 2011, eqs. 19-21); 2-3 steps reach double precision."""
    tau = tau_p.copy()
    for _ in range(6):
        tp_i = _tau_prime(tau)
        step = (
            (tau_p - tp_i)
            / np.hypot(1.0, tp_i)
            * (1.0 + (1.0 - _E2) * tau**2)
            / ((1.0 - _E2) * np.hypot(1.0, tau))
        )
        tau = tau + step
        if np.all(np.abs(step) <= 1e-14 * np.maximum(1.0, np.abs(tau))):
            break
    return tau


def _out(value: np.ndarray, scalar: bool):
    return float(value) if scalar else value


def lonlat_to_utm(lon, lat, zone: int, south: bool = False):
    """WGS84 longitude/latitude (degrees) to UTM easting/northing (metres) in the given zone."""
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    scalar = lon_a.ndim == 0 and lat_a.ndim == 0
    lam = np.radians(((lon_a - _central_meridian(zone) + 180.0) % 360.0) - 180.0)
    phi = np.radians(lat_a)
    tau_p = _tau_prime(np.tan(phi))
    xi_p = np.arctan2(tau_p, np.cos(lam))
    eta_p = np.arcsinh(np.sin(lam) / np.hypot(tau_p, np.cos(lam)))
    xi = xi_p.copy()
    eta = eta_p.copy()
    for j, a_j in enumerate(_ALPHA, start=1):
        xi = xi + a_j * np.sin(2 * j * xi_p) * np.cosh(2 * j * eta_p)
        eta = eta + a_j * np.cos(2 * j * xi_p) * np.sinh(2 * j * eta_p)
    x = UTM_FALSE_EASTING + UTM_K0 * _A_RECT * eta
    y = UTM_K0 * _A_RECT * xi + (UTM_FALSE_NORTHING_SOUTH if south else 0.0)
    return _out(x, scalar), _out(y, scalar)


def utm_to_lonlat(x, y, zone: int, south: bool = False):
    """UTM easting/northing (metres) in the given zone to WGS84 longitude/latitude (degrees)."""
    x_a = np.asarray(x, dtype=float)
    y_a = np.asarray(y, dtype=float)
    scalar = x_a.ndim == 0 and y_a.ndim == 0
    xi = (y_a - (UTM_FALSE_NORTHING_SOUTH if south else 0.0)) / (UTM_K0 * _A_RECT)
    eta = (x_a - UTM_FALSE_EASTING) / (UTM_K0 * _A_RECT)
    xi_p = xi.copy()
    eta_p = eta.copy()
    for j, b_j in enumerate(_BETA, start=1):
        xi_p = xi_p - b_j * np.sin(2 * j * xi) * np.cosh(2 * j * eta)
        eta_p = eta_p - b_j * np.cos(2 * j * xi) * np.sinh(2 * j * eta)
    tau_p = np.sin(xi_p) / np.hypot(np.sinh(eta_p), np.cos(xi_p))
    tau = _tau_from_tau_prime(np.atleast_1d(tau_p)).reshape(np.shape(tau_p))
    lat = np.degrees(np.arctan(tau))
    lon = _central_meridian(zone) + np.degrees(np.arctan2(np.sinh(eta_p), np.cos(xi_p)))
    lon = (lon + 180.0) % 360.0 - 180.0  # zones 1 and 60 reach across the antimeridian
    return _out(lon, scalar), _out(lat, scalar)


def geojson_polygons_to_utm(geometry: dict, zone: int, south: bool = False) -> list:
    """A GeoJSON (Multi)Polygon geometry in lon/lat as a list of polygons, each a list of (n, 2) UTM rings
    (the form ``core.grid.build_grid`` takes as a boundary)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            ring = np.asarray(ring, dtype=float)
            rx, ry = lonlat_to_utm(ring[:, 0], ring[:, 1], zone, south)
            rings.append(np.column_stack([rx, ry]))
        out.append(rings)
    return out

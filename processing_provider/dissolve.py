"""Dissolving grid cells into zone polygons (hotspot zones, patrol zones)."""

from __future__ import annotations

import numpy as np
from qgis.core import QgsFeatureRequest, QgsGeometry

from .layers import geometry_polygons


def dissolve(layer, zone_of: np.ndarray, n_zones: int, feedback) -> list:
    """Union of the grid cells of each zone (grid fid order = cube cell order) as lists of ring arrays."""
    members: dict[int, list] = {z: [] for z in range(1, n_zones + 1)}
    for i, feature in enumerate(layer.getFeatures(QgsFeatureRequest().addOrderBy("fid"))):
        if zone_of[i] > 0:
            members[int(zone_of[i])].append(feature.geometry())
        if feedback.isCanceled():
            break
    out = []
    for zone in range(1, n_zones + 1):
        out.append(geometry_polygons(QgsGeometry.unaryUnion(members[zone])))
    return out

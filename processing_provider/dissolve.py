"""Dissolving grid cells into zone polygons (hotspot zones, patrol zones)."""

from __future__ import annotations

import numpy as np
from qgis.core import QgsFeatureRequest, QgsGeometry


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
        union = QgsGeometry.unaryUnion(members[zone])
        parts = union.asMultiPolygon() if union.isMultipart() else [union.asPolygon()]
        out.append([[np.array([[p.x(), p.y()] for p in ring]) for ring in polygon] for polygon in parts])
    return out

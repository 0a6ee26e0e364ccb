"""Cells and spatial weights for the hotspot algorithms: read in fid order, weights by lattice contiguity,
distance band or k nearest neighbours."""

from __future__ import annotations

import re

import numpy as np
from qgis.core import (
    QgsFeatureRequest,
    QgsProcessingParameterDistance,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import grid as grids
from ..core import hotspots
from ..core.errors import BeatCastInputError
from . import compat
from .i18n import tr
from .layers import gpkg_table_of

NEIGHBOURS = [
    QT_TRANSLATE_NOOP("@default", "contiguity (queen)"),
    QT_TRANSLATE_NOOP("@default", "contiguity (rook)"),
    QT_TRANSLATE_NOOP("@default", "fixed distance"),
    QT_TRANSLATE_NOOP("@default", "k nearest neighbours"),
]
_CELL_ID = re.compile(r"^([SH])([0-9.]+)_(-?\d+)_(-?\d+)$")


def add_neighbour_parameters(algorithm) -> None:
    algorithm.addParameter(
        QgsProcessingParameterEnum(
            "NEIGHBOURS", tr("Neighbours"), [tr(n) for n in NEIGHBOURS], defaultValue=0
        )
    )
    distance = QgsProcessingParameterDistance(
        "DISTANCE", tr("Distance band (fixed distance)"), 500.0, minValue=0
    )
    algorithm.addParameter(distance)
    algorithm.addParameter(
        QgsProcessingParameterNumber("K", tr("Neighbours (k nearest)"), compat.NUMBER_INTEGER, 8, minValue=1)
    )


def read_cells(layer, field: str | None = None):
    """cell ids, centroid x/y and (optionally) a numeric field, in fid order (the order write_like uses)."""
    where = gpkg_table_of(layer.source())
    if where is None:
        raise BeatCastInputError(
            tr("{}: save the layer as a GeoPackage first (outputs reuse its geometries)").format(layer.name())
        )
    names = [f.name() for f in layer.fields()]
    if field and field not in names:
        raise BeatCastInputError(tr("FIELD: {} has no field {}").format(layer.name(), field))
    request = QgsFeatureRequest().addOrderBy("fid")
    ids, xs, ys, values = [], [], [], []
    for feature in layer.getFeatures(request):
        centroid = feature.geometry().centroid().asPoint()
        xs.append(centroid.x())
        ys.append(centroid.y())
        ids.append(str(feature["cell_id"]) if "cell_id" in names else str(feature.id()))
        if field:
            value = feature[field]
            values.append(np.nan if value is None or str(value) == "NULL" else float(value))
    return where, np.array(ids, dtype=object), np.array(xs), np.array(ys), np.array(values, dtype=float)


def lattice_of(cell_ids: np.ndarray) -> tuple[grids.Grid, np.ndarray]:
    """A lattice-only Grid (no geometry, cells sorted by row then col) from BeatCast cell ids, for
    contiguity, and the order that sorts the given cells into it."""
    parsed = [_CELL_ID.match(c) for c in cell_ids]
    if not all(parsed) or len({(m.group(1), m.group(2)) for m in parsed}) != 1:
        raise BeatCastInputError(
            tr(
                "Contiguity needs the cells of one BeatCast grid (cell_id like S250_12_34): "
                "use a distance band"
            )
        )
    shape = "square" if parsed[0].group(1) == "S" else "hex"
    col = np.array([int(m.group(3)) for m in parsed], dtype=np.int64)
    row = np.array([int(m.group(4)) for m in parsed], dtype=np.int64)
    order = np.lexsort((col, row))
    empty = np.zeros(len(col))
    spec = grids.GridSpec(shape, float(parsed[0].group(2)))
    return grids.Grid(spec, cell_ids[order], col[order], row[order], [], empty, empty, empty, empty), order


def contiguity_weights(cell_ids: np.ndarray, kind: str):
    """Gi* contiguity weights (self included) between cells given in any order, in that order."""
    lattice, order = lattice_of(cell_ids)
    w = hotspots.weights_contiguity(lattice, kind)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return w[inverse][:, inverse].tocsr()


def spatial_weights(algorithm, parameters, context, cell_ids, x, y):
    """Gi* weights (self included) for the chosen neighbour definition; also a text saying which."""
    method = algorithm.parameterAsEnum(parameters, "NEIGHBOURS", context)
    if method in (0, 1):
        kind = "queen" if method == 0 else "rook"
        return contiguity_weights(cell_ids, kind), tr(NEIGHBOURS[method])
    if method == 2:
        distance = algorithm.parameterAsDouble(parameters, "DISTANCE", context)
        return hotspots.weights_distance(x, y, distance), tr("fixed distance {:g} m").format(distance)
    k = algorithm.parameterAsInt(parameters, "K", context)
    return hotspots.weights_knn(x, y, k), tr("{} nearest neighbours").format(k)

"""Areas with population by group, and how grid cells overlap them (the bias audit and the fairness cap)."""

from __future__ import annotations

import pandas as pd
from qgis.core import (
    QgsCoordinateTransform,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsSpatialIndex,
)
from scipy import sparse

from ..core.errors import BeatCastInputError
from . import compat
from .i18n import tr


def read_areas(source, groups: list[str], crs, context) -> tuple[list, pd.DataFrame]:
    """Area geometries in ``crs`` and their population per group (one column per field of ``groups``)."""
    missing = [g for g in groups if source.fields().indexOf(g) < 0]
    if missing:
        raise BeatCastInputError(
            tr("GROUP_FIELDS: the areas layer has no field {}").format(", ".join(missing))
        )
    transform = QgsCoordinateTransform(source.sourceCrs(), crs, context.transformContext())
    geometries, population, labels = [], [], []
    for feature in source.getFeatures():
        geometry = feature.geometry()
        if geometry.isEmpty():
            continue
        geometry.transform(transform)
        geometries.append(geometry)
        population.append(
            [0.0 if feature[g] is None or str(feature[g]) == "NULL" else float(feature[g]) for g in groups]
        )
        labels.append(feature.id())
    return geometries, pd.DataFrame(population, columns=groups, index=pd.Index(labels, name="area"))


def overlap_matrix(cells, areas_geometries, feedback) -> sparse.csr_matrix:
    """cells x areas: share of each cell's area inside each area polygon (QGIS geometry intersections)."""
    index = QgsSpatialIndex()
    for k, geometry in enumerate(areas_geometries):
        index.addFeature(k, geometry.boundingBox())
    rows, cols, values = [], [], []
    for i, geometry in enumerate(cells):
        area = geometry.area()
        if area <= 0:
            continue
        for k in index.intersects(geometry.boundingBox()):
            inside = geometry.intersection(areas_geometries[k]).area()
            if inside > 0:
                rows.append(i), cols.append(k), values.append(min(inside / area, 1.0))
        if feedback.isCanceled():
            break
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(cells), len(areas_geometries)))


def add_group_parameters(algorithm, optional: bool = False, prefix: str = "") -> None:
    """AREAS (polygons with population by group) and GROUP_FIELDS (one population field per group)."""
    algorithm.addParameter(
        QgsProcessingParameterFeatureSource(
            "AREAS", prefix + tr("Areas with population by group"), [compat.TYPE_VECTOR_POLYGON],
            optional=optional,
        )
    )  # fmt: skip
    algorithm.addParameter(
        QgsProcessingParameterField(
            "GROUP_FIELDS", prefix + tr("Population fields, one per group"), None, "AREAS",
            QgsProcessingParameterField.Numeric, allowMultiple=True, optional=optional,
        )
    )  # fmt: skip


def read_group_areas(algorithm, parameters, context, crs):
    """(area geometries in ``crs``, population per group) from AREAS and GROUP_FIELDS; None without AREAS."""
    source = algorithm.parameterAsSource(parameters, "AREAS", context)
    if source is None:
        return None
    groups = algorithm.parameterAsFields(parameters, "GROUP_FIELDS", context)
    if not groups:
        raise BeatCastInputError(tr("GROUP_FIELDS: choose the population field of each group of AREAS"))
    return read_areas(source, groups, crs, context)

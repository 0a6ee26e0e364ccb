"""Reading the patrol plan's layers into the forecast's CRS, and clock times of the shift."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from qgis.core import (
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessingParameterField,
    QgsProcessingParameterVectorLayer,
)

from ..core.errors import BeatCastInputError
from . import compat
from .i18n import tr
from .layers import geometry_polygons

_HHMM = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def shift_start(text: str) -> pd.Timedelta:
    """Local time of day the shift starts ("22:00")."""
    match = _HHMM.match(text or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise BeatCastInputError(tr("SHIFT_START: {} is not a time of day HH:MM").format(text))
    return pd.Timedelta(hours=int(match[1]), minutes=int(match[2]))


def clock(start: pd.Timedelta, minutes: float) -> str:
    """HH:MM of ``minutes`` after the shift start (past midnight wraps; the day is not shown)."""
    total = int(round(start.total_seconds() / 60 + minutes)) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def _transform(source, crs, context) -> QgsCoordinateTransform:
    return QgsCoordinateTransform(source.sourceCrs(), crs, context.transformContext())


def _geometry(feature, transform) -> QgsGeometry:
    geometry = QgsGeometry(feature.geometry())
    if geometry.isEmpty():
        return geometry
    geometry.transform(transform)
    return geometry


def points_of(source, crs, context) -> tuple[np.ndarray, list[str]]:
    """(n, 2) points of a point layer in ``crs`` and a label per point (first text field, else the id)."""
    transform = _transform(source, crs, context)
    label_field = next(
        (f.name() for f in source.fields() if f.name().lower() in ("station_id", "name")), None
    )
    xy, labels = [], []
    for feature in source.getFeatures():
        geometry = _geometry(feature, transform)
        if geometry.isEmpty():
            continue
        point = geometry.asPoint() if not geometry.isMultipart() else geometry.asMultiPoint()[0]
        xy.append((point.x(), point.y()))
        labels.append(str(feature[label_field]) if label_field else str(feature.id()))
    return np.array(xy, dtype=float).reshape(-1, 2), labels


def district_polygons(source, field: str, crs, context) -> tuple[list[str], list[list]]:
    """Name (``field``, or the feature id) and polygons (lists of rings) of every feature, in ``crs``."""
    if field and source.fields().indexOf(field) < 0:
        raise BeatCastInputError(tr("DISTRICT_FIELD: the layer has no field {}").format(field))
    transform = _transform(source, crs, context)
    names, polygons = [], []
    for feature in source.getFeatures():
        geometry = _geometry(feature, transform)
        if geometry.isEmpty():
            continue
        names.append(str(feature[field]) if field else str(feature.id()))
        polygons.append(geometry_polygons(geometry))
    return names, polygons


def line_features(source, speed_field: str, crs, context) -> tuple[list[np.ndarray], np.ndarray]:
    """Vertices of every line part in ``crs`` and its speed (NaN where the field is empty)."""
    if speed_field and source.fields().indexOf(speed_field) < 0:
        raise BeatCastInputError(tr("SPEED_FIELD: the road layer has no field {}").format(speed_field))
    transform = _transform(source, crs, context)
    lines, speeds = [], []
    for feature in source.getFeatures():
        geometry = _geometry(feature, transform)
        if geometry.isEmpty():
            continue
        parts = geometry.asMultiPolyline() if geometry.isMultipart() else [geometry.asPolyline()]
        value = feature[speed_field] if speed_field else None
        speed = float(value) if value is not None and str(value) != "NULL" else np.nan
        for part in parts:
            if len(part) >= 2:
                lines.append(np.array([(p.x(), p.y()) for p in part]))
                speeds.append(speed)
    if not lines:
        raise BeatCastInputError(tr("ROADS: the layer has no line"))
    return lines, np.array(speeds, dtype=float)


def forecast_cells(layer, field: str):
    """Expected count, centroid x/y, cell id and geometry of every forecast cell, in fid order."""
    if layer.fields().indexOf(field) < 0:
        raise BeatCastInputError(tr("FIELD: {} has no field {}").format(layer.name(), field))
    values, xs, ys, ids, geometries = [], [], [], [], []
    names = [f.name() for f in layer.fields()]
    for feature in layer.getFeatures(QgsFeatureRequest().addOrderBy("fid")):
        value = feature[field]
        if value is None or str(value) == "NULL" or not np.isfinite(float(value)) or float(value) < 0:
            raise BeatCastInputError(
                tr("FIELD: feature {} has no valid expected count ({})").format(feature.id(), value)
            )
        geometries.append(feature.geometry())
        point = feature.geometry().centroid().asPoint()
        values.append(float(value)), xs.append(point.x()), ys.append(point.y())
        ids.append(str(feature["cell_id"]) if "cell_id" in names else str(feature.id()))
    return np.array(values), np.array(xs), np.array(ys), np.array(ids, dtype=object), geometries


def add_forecast_parameters(algorithm) -> None:
    """FORECAST (a forecast's cells) and FIELD (their expected incidents), as the patrol tools read them."""
    algorithm.addParameter(
        QgsProcessingParameterVectorLayer("FORECAST", tr("Forecast cells"), [compat.TYPE_VECTOR_POLYGON])
    )
    algorithm.addParameter(
        QgsProcessingParameterField(
            "FIELD", tr("Expected incidents field"), "expected", "FORECAST",
            QgsProcessingParameterField.Numeric, optional=True,
        )
    )  # fmt: skip

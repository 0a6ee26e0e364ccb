"""Adapters between QGIS and the engine: layers and files to plain frames, CRS operations on PROJ."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsGeometry,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime

from ..core import readers
from ..core.errors import BeatCastInputError
from ..core.sources import GEOM_ERROR, GEOM_X, GEOM_Y, ROW, SourceTable
from .i18n import tr

DELIMITED_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".gz"}


def source_name_for(path: str) -> str:
    """A short, readable source name: the file name without its extensions."""
    base = Path(path.split("|")[0]).name
    for suffix in (".gz", ".zip", ".csv", ".tsv", ".txt", ".tab", ".gpkg", ".geojson", ".json", ".shp"):
        if base.lower().endswith(suffix):
            base = base[: -len(suffix)]
    return base or "source"


def layer_source_name(layer) -> str:
    """A layer's source name: its table (a GeoPackage layer, a PostGIS table), else its file's name; the
    display name only when neither is known. The data's name, not what the project calls it, is what the
    category map and the accounting know it by."""
    from qgis.core import QgsProviderRegistry

    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    for key in ("layerName", "table"):
        if parts.get(key):
            return str(parts[key])
    path = parts.get("path") or ""
    return source_name_for(path) if path else layer.name()


def read_file_sources(path: str, feedback=None) -> list[SourceTable]:
    """A delimited text file (read by the engine, any encoding) or any OGR dataset (zipped too)."""
    plain = path.split("|")[0]
    p = Path(plain)
    if not p.is_file():
        raise BeatCastInputError(tr("{}: file not found").format(plain))
    suffixes = {s.lower() for s in p.suffixes[-2:]}
    if p.suffix.lower() in DELIMITED_SUFFIXES and not (suffixes & {".shp", ".gpkg", ".geojson"}):
        frame = readers.read_delimited(plain, source_name_for(plain))
        return [SourceTable(source_name_for(plain), frame, path=plain, attrs=dict(frame.attrs))]
    if p.suffix.lower() == ".zip":
        with zipfile.ZipFile(plain) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith((".shp", ".gpkg", ".geojson"))]
        if not members:
            raise BeatCastInputError(
                tr("{}: the zip holds no shapefile, GeoPackage or GeoJSON").format(plain)
            )
        out = []
        for member in members:
            layer = QgsVectorLayer(f"/vsizip/{plain}/{member}", Path(member).stem, "ogr")
            table = layer_to_source(layer, source_name_for(member), feedback)
            table.path = plain
            out.append(table)
        return out
    layer = QgsVectorLayer(path, source_name_for(plain), "ogr")
    table = layer_to_source(layer, source_name_for(plain), feedback)
    table.path = plain
    return [table]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, QDateTime):
        return value.toString("yyyy-MM-ddTHH:mm:ss") if value.isValid() else ""
    if isinstance(value, QDate):
        return value.toString("yyyy-MM-dd") if value.isValid() else ""
    if isinstance(value, QTime):
        return value.toString("HH:mm:ss") if value.isValid() else ""
    try:
        if value.isNull():  # QVariant NULL
            return ""
    except AttributeError:
        pass
    return str(value)


def layer_to_source(layer: QgsVectorLayer, name: str, feedback=None) -> SourceTable:
    """Attributes as text; point geometries as ``__x__``/``__y__`` in the layer's CRS."""
    if layer is None or not layer.isValid():
        source = layer.source() if layer is not None else name
        raise BeatCastInputError(tr("{}: cannot be opened as a vector layer").format(source))
    fields = [f.name() for f in layer.fields()]
    has_geometry = layer.isSpatial()
    rows, xs, ys, errs = [], [], [], []
    total = max(layer.featureCount(), 1)
    request = QgsFeatureRequest()
    if not has_geometry:
        request.setFlags(QgsFeatureRequest.NoGeometry)
    for i, feature in enumerate(layer.getFeatures(request)):
        if feedback is not None and i % 10000 == 0:
            if feedback.isCanceled():
                break
            feedback.setProgressText(tr("{}: {}/{} features read").format(name, i, total))
        rows.append([_text(v) for v in feature.attributes()])
        if has_geometry:
            x, y, err = _point_of(feature.geometry())
            xs.append(x)
            ys.append(y)
            errs.append(err)
    frame = (
        pd.DataFrame(rows, columns=fields, dtype=object)
        if rows
        else pd.DataFrame(columns=fields, dtype=object)
    )
    if frame.empty:
        raise BeatCastInputError(tr("{}: the layer has no features").format(layer.source()))
    frame[ROW] = np.arange(1, len(frame) + 1)
    crs = None
    if has_geometry:
        frame[GEOM_X], frame[GEOM_Y], frame[GEOM_ERROR] = xs, ys, errs
        crs = layer.crs().authid() if layer.crs().isValid() and layer.crs().authid() else None
        if crs is None and layer.crs().isValid():
            crs = layer.crs().toWkt()
    return SourceTable(name, frame, path=layer.source(), crs=crs)


def _point_of(geometry: QgsGeometry) -> tuple[str, str, str]:
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return "", "", ""
    if QgsWkbTypes.geometryType(geometry.wkbType()) != QgsWkbTypes.PointGeometry:
        return "", "", f"not a point geometry ({QgsWkbTypes.displayString(geometry.wkbType())})"
    if geometry.isMultipart():
        parts = geometry.asMultiPoint()
        if len(parts) != 1:
            return "", "", f"a multipoint with {len(parts)} points"
        point = parts[0]
    else:
        point = geometry.asPoint()
    return repr(point.x()), repr(point.y()), ""


def polygons_of(source, feedback=None) -> tuple[str, list]:
    """Polygon rings of every feature of a feature source, as numpy arrays, with the source's CRS."""
    polygons = []
    for feature in source.getFeatures():
        geometry = feature.geometry()
        if geometry is None or geometry.isEmpty():
            continue
        if geometry.isMultipart():
            parts = geometry.asMultiPolygon()
        else:
            parts = [geometry.asPolygon()]
        for part in parts:
            polygons.append([np.array([(p.x(), p.y()) for p in ring]) for ring in part])
    if not polygons:
        raise BeatCastInputError(tr("BOUNDARY: the boundary layer has no polygon"))
    return crs_id(source.sourceCrs()), polygons


def geometry_polygons(geometry: QgsGeometry) -> list:
    """The polygons of a (multi)polygon geometry, each a list of (n, 2) ring arrays, exterior first."""
    parts = geometry.asMultiPolygon() if geometry.isMultipart() else [geometry.asPolygon()]
    return [[np.array([(p.x(), p.y()) for p in ring]) for ring in polygon] for polygon in parts]


def crs_id(crs: QgsCoordinateReferenceSystem) -> str:
    return crs.authid() or crs.toWkt()


class QgisCrsOps:
    """CRS operations on QGIS/PROJ: any CRS QGIS knows, by authority id or WKT."""

    def __init__(self, context: QgsCoordinateTransformContext | None = None):
        self.context = context or QgsCoordinateTransformContext()

    @staticmethod
    def _crs(crs: str) -> QgsCoordinateReferenceSystem:
        return QgsCoordinateReferenceSystem(crs)

    def is_valid(self, crs: str) -> bool:
        return self._crs(crs).isValid()

    def is_geographic(self, crs: str) -> bool:
        return self._crs(crs).isGeographic()

    def wkt(self, crs: str) -> str:
        return self._crs(crs).toWkt(QgsCoordinateReferenceSystem.WKT1_GDAL)

    def transform(self, x, y, src: str, dst: str):
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        s, d = self._crs(src), self._crs(dst)
        if s == d:
            return x.copy(), y.copy()
        ct = QgsCoordinateTransform(s, d, self.context)
        out_x = np.full(len(x), np.nan)
        out_y = np.full(len(y), np.nan)
        ok = np.isfinite(x) & np.isfinite(y)
        idx = np.nonzero(ok)[0]
        for chunk in np.array_split(idx, max(1, len(idx) // 200000)):
            if not len(chunk):
                continue
            try:
                out_x[chunk], out_y[chunk] = _transform_bulk(x[chunk], y[chunk], ct)
            except Exception:  # one bad point fails the bulk call: transform point by point
                for i in chunk:
                    try:
                        p = ct.transform(float(x[i]), float(y[i]))
                        out_x[i], out_y[i] = p.x(), p.y()
                    except Exception:
                        pass
        return out_x, out_y


def _transform_bulk(x: np.ndarray, y: np.ndarray, ct: QgsCoordinateTransform):
    """All points in one C++ call: pack a MultiPoint as WKB, transform the geometry, unpack."""
    n = len(x)
    rec = np.zeros(n, dtype=[("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])
    rec["order"], rec["type"], rec["x"], rec["y"] = 1, 1, x, y
    wkb = struct.pack("<BII", 1, 4, n) + rec.tobytes()
    geometry = QgsGeometry()
    geometry.fromWkb(wkb)
    if geometry.transform(ct) != 0:
        raise RuntimeError("transform failed")
    out = np.frombuffer(bytes(geometry.asWkb()), dtype=rec.dtype, offset=9, count=n)
    if len(out) != n:
        raise RuntimeError("unexpected geometry size")
    return out["x"].copy(), out["y"].copy()


INCIDENT_COLUMNS = ("occurred_utc", "window_end_utc", "time_precision", "category", "timezone", "origin")


def gpkg_table_of(source: str) -> tuple[str, str] | None:
    """(path, table) when a layer source is a table of a GeoPackage file, else None."""
    path, _, rest = source.partition("|")
    if not path.lower().endswith(".gpkg") or not Path(path).is_file():
        return None
    for part in rest.split("|"):
        if part.startswith("layername="):
            return path, part.split("=", 1)[1]
    from ..core import gpkg as _gpkg

    tables = [t for t in _gpkg.table_names(path) if t == "incidents"]
    return (path, tables[0]) if tables else None


def read_incidents(
    layer: QgsVectorLayer, target_crs: str, crs_ops: QgisCrsOps, feedback=None
) -> pd.DataFrame:
    """The incident fields the cube needs, with x/y in ``target_crs``. BeatCast GeoPackages are read
    directly with sqlite (a million incidents in seconds); other layers feature by feature."""
    from ..core import gpkg as _gpkg

    where = gpkg_table_of(layer.source()) if layer is not None else None
    layer_crs = crs_id(layer.crs())
    if where is not None:
        present = set(_gpkg.table_columns(*where))
        if "occurred_utc" not in present:
            raise BeatCastInputError(
                tr("{}: no field occurred_utc: use the incidents layer made by Import incidents").format(
                    layer.name()
                )
            )
        frame = _gpkg.read_table(
            where[0], where[1], columns=["geom", *(c for c in INCIDENT_COLUMNS if c in present)]
        )
    else:
        names = [f.name() for f in layer.fields()]
        missing = [c for c in ("occurred_utc",) if c not in names]
        if missing:
            raise BeatCastInputError(
                tr("{}: no field occurred_utc: use the incidents layer made by Import incidents").format(
                    layer.name()
                )
            )
        rows, xs, ys = [], [], []
        for i, feature in enumerate(layer.getFeatures()):
            if feedback is not None and i % 20000 == 0 and feedback.isCanceled():
                break
            rows.append([_text(feature[c]) if c in names else "" for c in INCIDENT_COLUMNS])
            x, y, _ = _point_of(feature.geometry())
            xs.append(float(x) if x else np.nan)
            ys.append(float(y) if y else np.nan)
        frame = pd.DataFrame(rows, columns=list(INCIDENT_COLUMNS))
        frame["x"], frame["y"] = xs, ys
    for column in ("occurred_utc", "window_end_utc"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], utc=True, errors="coerce").dt.tz_localize(None)
    if "window_end_utc" not in frame or frame["window_end_utc"].isna().all():
        frame["window_end_utc"] = frame["occurred_utc"] + pd.Timedelta(minutes=1)
    if layer_crs != target_crs:
        frame["x"], frame["y"] = crs_ops.transform(
            frame["x"].to_numpy(), frame["y"].to_numpy(), layer_crs, target_crs
        )
    return frame

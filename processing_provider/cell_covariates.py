"""beatcast:cellcovariates: per-cell covariates from point, line, raster and polygon layers."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDistance,
    QgsProcessingParameterField,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import covariates, gpkg
from ..core.covariates import field_name
from ..core.errors import BeatCastInputError
from ..core.grid_io import read_grid
from ..core.progress import Cancelled
from . import compat, styling
from .aggregate_incidents import load_grid
from .base import BeatCastAlgorithm
from .build_grid import reproject_polygons
from .i18n import tr
from .layers import QgisCrsOps, crs_id
from .outputs import log_run, staged_geopackage

COVARIATES_TABLE = "cell_covariates"
FIELD_DOCS_TABLE = "beatcast_field_docs"


def features_xy(layer, target: str, crs_ops: QgisCrsOps, group_field: str = "") -> dict[str, tuple]:
    """Point coordinates of a layer in ``target``, split by the values of ``group_field`` when it has it."""
    xs, ys, groups = [], [], []
    use_group = bool(group_field) and layer.fields().indexOf(group_field) >= 0
    for feature in layer.getFeatures():
        geometry = feature.geometry()
        if geometry is None or geometry.isEmpty():
            continue
        points = geometry.asMultiPoint() if geometry.isMultipart() else [geometry.asPoint()]
        for point in points:
            xs.append(point.x())
            ys.append(point.y())
            groups.append(str(feature[group_field]) if use_group else "")
    x, y = crs_ops.transform(np.array(xs, float), np.array(ys, float), crs_id(layer.crs()), target)
    groups = np.array(groups, dtype=object)
    return {g: (x[groups == g], y[groups == g]) for g in sorted(set(groups.tolist()))}


def features_lines(layer, target: str, crs_ops: QgisCrsOps, group_field: str = "") -> dict[str, list]:
    lines: dict[str, list] = {}
    use_group = bool(group_field) and layer.fields().indexOf(group_field) >= 0
    source = crs_id(layer.crs())
    for feature in layer.getFeatures():
        geometry = feature.geometry()
        if geometry is None or geometry.isEmpty():
            continue
        parts = geometry.asMultiPolyline() if geometry.isMultipart() else [geometry.asPolyline()]
        key = str(feature[group_field]) if use_group else ""
        for part in parts:
            if len(part) < 2:
                continue
            x, y = crs_ops.transform(
                np.array([p.x() for p in part]), np.array([p.y() for p in part]), source, target
            )
            lines.setdefault(key, []).append(np.column_stack([x, y]))
    return lines


def raster_in_grid_crs(layer, target: str, resolution: float):
    """The raster's first band warped to the grid's CRS (GDAL, in memory): array, geotransform, nodata."""
    from osgeo import gdal

    source = layer.source()
    warped = gdal.Warp(
        "", source, format="MEM", dstSRS=target, xRes=resolution, yRes=resolution, resampleAlg="bilinear"
    )
    if warped is None:
        raise BeatCastInputError(tr("{}: the raster cannot be read or reprojected").format(layer.name()))
    band = warped.GetRasterBand(1)
    return band.ReadAsArray().astype(float), warped.GetGeoTransform(), band.GetNoDataValue()


class CellCovariatesAlgorithm(BeatCastAlgorithm):
    NAME = "cellcovariates"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Cell covariates")
    GROUP_ID = "datapreparation"
    GRID = "GRID"
    POINT_LAYERS = "POINT_LAYERS"
    POINT_GROUP_FIELD = "POINT_GROUP_FIELD"
    RADIUS = "RADIUS"
    LINE_LAYERS = "LINE_LAYERS"
    LINE_GROUP_FIELD = "LINE_GROUP_FIELD"
    RASTERS = "RASTERS"
    POLYGONS = "POLYGONS"
    EXTENSIVE_FIELDS = "EXTENSIVE_FIELDS"
    INTENSIVE_FIELDS = "INTENSIVE_FIELDS"
    OUTPUT = "OUTPUT"
    N_FIELDS = "N_FIELDS"

    def shortHelpString(self):
        # Field patterns hold <layer>, <r>...: escaped, or the help panel would take them for tags.
        items = covariates.FIELD_DOCS.items()
        docs = "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(tr(v))}</li>" for k, v in items)
        return tr(
            "<p>Adds covariates to every cell of a BeatCast grid, for the forecasting models and the bias "
            "audit: distance to the nearest feature and features within a radius of each point layer "
            "(bars, transit stops, schools; split by a field such as <i>kind</i> when the layer has it), "
            "length of lines per cell (roads, split by class), mean and maximum of rasters, and "
            "area-weighted attributes of a polygon layer (census counts are shared out by overlapping area; "
            "rates and shares are averaged by area).</p><p>Fields:</p><ul>{}</ul>"
            "<p>Each field's meaning is also written to the table <i>beatcast_field_docs</i>.</p>"
        ).format(docs)

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.GRID, tr("Grid"), [compat.TYPE_VECTOR_POLYGON])
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.POINT_LAYERS, tr("Point layers"), compat.TYPE_VECTOR_POINT, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.POINT_GROUP_FIELD,
                tr("Split point layers by field (when present)"),
                "kind",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterDistance(self.RADIUS, tr("Radius for counts"), 250.0, minValue=0)
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.LINE_LAYERS, tr("Line layers (roads)"), QgsProcessing.TypeVectorLine, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.LINE_GROUP_FIELD,
                tr("Split line layers by field (when present)"),
                "road_class",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.RASTERS, tr("Rasters"), QgsProcessing.TypeRaster, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.POLYGONS,
                tr("Polygon layer (e.g. census areas)"),
                [compat.TYPE_VECTOR_POLYGON],
                optional=True,
            )
        )
        for name, label in (
            (self.EXTENSIVE_FIELDS, tr("Counts to share out by area (population...)")),
            (self.INTENSIVE_FIELDS, tr("Rates or shares to average by area")),
        ):
            self.addParameter(
                QgsProcessingParameterField(
                    name, label, parentLayerParameterName=self.POLYGONS, allowMultiple=True, optional=True,
                    type=QgsProcessingParameterField.Numeric,
                )
            )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT, tr("Cells with covariates"), QgsProcessing.TypeVectorPolygon
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.N_FIELDS, tr("Covariate fields")))

    def compute(self, parameters, context, feedback):
        _, grid_path, grid_table = load_grid(self.parameterAsVectorLayer(parameters, self.GRID, context))
        grid = read_grid(grid_path, grid_table)
        target = grid.spec.crs
        crs_ops = QgisCrsOps(context.transformContext())
        values: dict[str, np.ndarray] = {}
        docs: dict[str, str] = {}
        steps = self._steps(parameters, context)
        for i, (label, pattern, name, compute) in enumerate(steps):
            if feedback.isCanceled():
                raise Cancelled()
            feedback.setProgressText(label)
            table = covariates.covariate_table(grid, **compute(grid, target, crs_ops))
            for column in table.columns:
                if column == "cell_id":
                    continue
                if column in values:
                    raise BeatCastInputError(
                        tr("two covariates would both be named {}: rename a layer").format(column)
                    )
                values[column] = table[column].to_numpy(dtype=float)
                docs[column] = _describe(column, pattern, name)
            feedback.setProgress(90 * (i + 1) / max(len(steps), 1))
        if not values:
            raise BeatCastInputError(tr("Give at least one point, line, raster or polygon layer"))
        frame = pd.DataFrame({"cell_id": grid.cell_id, **values})
        columns = {"cell_id": "TEXT", **{k: "REAL" for k in values}}
        destination = self.output_geopackage(parameters, context)
        doc_rows = pd.DataFrame(
            {"table_name": COVARIATES_TABLE, "field": list(docs), "description": list(docs.values())}
        )
        with staged_geopackage(destination) as tmp:
            gpkg.write_like(tmp, COVARIATES_TABLE, (grid_path, grid_table), frame, columns, "cell covariates")
            doc_columns = {"table_name": "TEXT", "field": "TEXT", "description": "TEXT"}
            gpkg.write_table(tmp, FIELD_DOCS_TABLE, doc_rows, doc_columns, "what each BeatCast field means")
            log_run(tmp, "beatcast:cellcovariates", parameters, counts={"fields": len(values)})
        for name, doc in docs.items():
            feedback.pushInfo(f"{name}: {doc}")
        uri = f"{destination}|layername={COVARIATES_TABLE}"
        styling.load_sublayer(context, destination, uri, f"graduated:{next(iter(values))}", self.OUTPUT)
        return {self.OUTPUT: uri, self.N_FIELDS: len(values)}

    def _steps(self, parameters, context):
        """(label, FIELD_DOCS group, input name, function(grid, crs, crs_ops) -> covariate_table keywords)."""
        steps = []
        radius = self.parameterAsDouble(parameters, self.RADIUS, context)
        group = self.parameterAsString(parameters, self.POINT_GROUP_FIELD, context).strip()
        for layer in self.parameterAsLayerList(parameters, self.POINT_LAYERS, context):

            def points(grid, target, crs_ops, layer=layer):
                split = features_xy(layer, target, crs_ops, group)
                named = {field_name(layer.name(), key): xy for key, xy in split.items()}
                return {"points": named, "radii": (radius,) if radius > 0 else ()}

            steps.append((tr("Points: {}").format(layer.name()), "points", layer.name(), points))
        line_group = self.parameterAsString(parameters, self.LINE_GROUP_FIELD, context).strip()
        for layer in self.parameterAsLayerList(parameters, self.LINE_LAYERS, context):

            def lines(grid, target, crs_ops, layer=layer):
                split = features_lines(layer, target, crs_ops, line_group)
                features = [line for parts in split.values() for line in parts]
                classes = [key for key, parts in split.items() for _ in parts]
                given = (features, classes) if line_group and any(classes) else features
                return {"lines": {field_name(layer.name()): given}}

            steps.append((tr("Lines: {}").format(layer.name()), "lines", layer.name(), lines))
        for layer in self.parameterAsLayerList(parameters, self.RASTERS, context):

            def raster(grid, target, crs_ops, layer=layer):
                array, transform, nodata = raster_in_grid_crs(layer, target, grid.spec.size / 5)
                return {"rasters": {field_name(layer.name()): (array, transform, nodata)}}

            steps.append((tr("Raster: {}").format(layer.name()), "raster", layer.name(), raster))
        polygons = self.parameterAsVectorLayer(parameters, self.POLYGONS, context)
        extensive = self.parameterAsFields(parameters, self.EXTENSIVE_FIELDS, context)
        intensive = self.parameterAsFields(parameters, self.INTENSIVE_FIELDS, context)
        if polygons is not None and (extensive or intensive):

            def areas(grid, target, crs_ops):
                features, table = polygon_features(polygons, [*extensive, *intensive], target, crs_ops)
                kinds = {**{f: "extensive" for f in extensive}, **{f: "intensive" for f in intensive}}
                return {"polygons": {field_name(polygons.name()): (features, table, kinds)}}

            steps.append((tr("Polygons: {}").format(polygons.name()), "polygons", polygons.name(), areas))
        return steps


def polygon_features(layer, fields, target, crs_ops):
    """One multipolygon per feature (all its parts, in the grid CRS) and the feature's field values."""
    source = crs_id(layer.crs())
    features, table = [], {f: [] for f in fields}
    for feature in layer.getFeatures():
        geometry = feature.geometry()
        if geometry is None or geometry.isEmpty():
            continue
        parts = geometry.asMultiPolygon() if geometry.isMultipart() else [geometry.asPolygon()]
        rings = [[np.array([(p.x(), p.y()) for p in ring]) for ring in part] for part in parts]
        features.append(reproject_polygons(rings, source, target, crs_ops))
        for f in fields:
            value = feature[f]
            table[f].append(np.nan if value is None or str(value) == "NULL" else float(value))
    return features, {f: np.array(v, dtype=float) for f, v in table.items()}


def _describe(column: str, group: str, layer: str) -> str:
    """The FIELD_DOCS text of a generated column, with the input's name filled in."""
    docs = covariates.FIELD_DOCS
    if group == "points":
        pattern = (
            "dist_<layer>"
            if column.startswith("dist_")
            else "n_<layer>"
            if column.startswith("n_")
            else ("count_<layer>_<r>m")
        )
    elif group == "lines":
        pattern = "len_<layer>" if column == field_name("len", layer) else "len_<layer>_<class>"
    elif group == "raster":
        pattern = "<raster>_<stat>"
    else:
        pattern = "<layer>_coverage" if column.endswith("_coverage") else "<layer>_<attribute>"
    text = docs[pattern].replace("<layer>", layer).replace("<raster>", layer)
    return f"{column} ({pattern}): {text}"

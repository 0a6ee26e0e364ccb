"""beatcast:buildgrid: square or hexagonal cells over the jurisdiction, clipped to it, with stable ids."""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterDistance,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core import grid as grids
from ..core.errors import BeatCastInputError
from ..core.progress import Cancelled
from . import compat, styling
from .base import BeatCastAlgorithm
from .feedback import EngineProgress
from .i18n import tr
from .layers import QgisCrsOps, crs_id, polygons_of
from .outputs import log_run, spatial_reference, staged_geopackage

SHAPES = ["square", "hex"]
GRID_TABLE = "grid"


def reproject_polygons(polygons, source_crs: str, target_crs: str, crs_ops: QgisCrsOps) -> list:
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            x, y = crs_ops.transform(ring[:, 0], ring[:, 1], source_crs, target_crs)
            rings.append(np.column_stack([x, y]))
        out.append(rings)
    return out


class BuildGridAlgorithm(BeatCastAlgorithm):
    NAME = "buildgrid"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("@default", "Build grid")
    GROUP_ID = "datapreparation"
    BOUNDARY = "BOUNDARY"
    EXTENT = "EXTENT"
    INCIDENTS = "INCIDENTS"
    CRS = "CRS"
    SHAPE = "SHAPE"
    CELL_SIZE = "CELL_SIZE"
    LABELS = "LABELS"
    LABEL_FIELDS = "LABEL_FIELDS"
    MIN_FRACTION = "MIN_FRACTION"
    MAX_CELLS = "MAX_CELLS"
    OUTPUT = "OUTPUT"
    N_CELLS = "N_CELLS"

    def shortHelpString(self):
        return tr(
            "<p>Covers the jurisdiction with square or hexagonal cells of a given size in metres, clipped to "
            "the boundary: partial cells keep their area and area fraction. Every BeatCast cube, forecast, "
            "hotspot map, patrol plan and audit works on these cells.</p>"
            "<p><b>Cell ids are stable</b>: the lattice is anchored at the CRS origin, so a cell's id "
            "(shape, size, column, row) is the same in every run and whatever the extent.</p>"
            "<p>The CRS is, in order: the CRS parameter, the incidents layer's CRS, the boundary's CRS; it "
            "must be projected (metres). Label polygons (for example districts) give each cell the value of "
            "the polygon holding its centroid.</p>"
            "<p>Output fields: cell_id, col, row, area_m2, area_fraction, centroid_x, centroid_y and the "
            "label "
            "fields. The grid's lattice is recorded in the GeoPackage (table beatcast_grids) for "
            "<b>Aggregate incidents</b>.</p>"
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BOUNDARY, tr("Jurisdiction boundary"), [compat.TYPE_VECTOR_POLYGON], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterExtent(self.EXTENT, tr("Extent (without a boundary)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.INCIDENTS, tr("Incidents (their CRS is used)"), [compat.TYPE_VECTOR_POINT], optional=True
            )
        )
        self.addParameter(QgsProcessingParameterEnum(self.SHAPE, tr("Cell shape"), SHAPES, defaultValue=0))
        size = QgsProcessingParameterDistance(self.CELL_SIZE, tr("Cell size"), 150.0, minValue=1.0)
        size.setHelp(tr("Square: side. Hexagon: distance between opposite sides."))
        self.addParameter(size)
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.LABELS,
                tr("Label polygons (e.g. districts)"),
                [compat.TYPE_VECTOR_POLYGON],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.LABEL_FIELDS, tr("Label fields"), parentLayerParameterName=self.LABELS,
                allowMultiple=True, optional=True,
            )
        )  # fmt: skip
        advanced = [
            QgsProcessingParameterCrs(self.CRS, tr("Grid CRS (projected)"), optional=True),
            QgsProcessingParameterNumber(
                self.MIN_FRACTION, tr("Drop cells with less of their area inside than"), compat.NUMBER_DOUBLE,
                0.0, minValue=0.0, maxValue=1.0,
            ),
            QgsProcessingParameterNumber(
                self.MAX_CELLS, tr("Maximum number of cells"), compat.NUMBER_INTEGER, grids.MAX_CELLS,
                minValue=1,
            ),
        ]  # fmt: skip
        for parameter in advanced:
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(parameter)
        self.addParameter(
            QgsProcessingParameterVectorDestination(self.OUTPUT, tr("Grid"), QgsProcessing.TypeVectorPolygon)
        )
        self.addOutput(QgsProcessingOutputNumber(self.N_CELLS, tr("Cells")))

    def _crs(self, parameters, context, boundary_source) -> str:
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        if not crs.isValid():
            incidents = self.parameterAsVectorLayer(parameters, self.INCIDENTS, context)
            if incidents is not None:
                crs = incidents.crs()
        if not crs.isValid() and boundary_source is not None:
            crs = boundary_source.sourceCrs()
        if not crs.isValid():
            crs = context.project().crs() if context.project() else QgsCoordinateReferenceSystem()
        if not crs.isValid():
            raise BeatCastInputError(tr("CRS: give a projected CRS, an incidents layer or a boundary"))
        if crs.isGeographic():
            raise BeatCastInputError(
                tr(
                    "CRS: {} is geographic (degrees); cells are sized in metres: choose a projected CRS"
                ).format(crs.authid())
            )
        return crs_id(crs)

    def compute(self, parameters, context, feedback):
        crs_ops = QgisCrsOps(context.transformContext())
        boundary_source = self.parameterAsSource(parameters, self.BOUNDARY, context)
        target = self._crs(parameters, context, boundary_source)
        boundary, extent = None, None
        if boundary_source is not None:
            source_crs, polygons = polygons_of(boundary_source)
            boundary = reproject_polygons(polygons, source_crs, target, crs_ops)
        elif parameters.get(self.EXTENT):
            rect = self.parameterAsExtent(
                parameters, self.EXTENT, context, QgsCoordinateReferenceSystem(target)
            )
            extent = (rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum())
        else:
            raise BeatCastInputError(tr("Give a BOUNDARY or an EXTENT to cover with cells"))
        spec = grids.GridSpec(
            SHAPES[self.parameterAsEnum(parameters, self.SHAPE, context)],
            self.parameterAsDouble(parameters, self.CELL_SIZE, context),
            crs=target,
        )
        labels = self._labels(parameters, context, target, crs_ops)
        grid = grids.build_grid(
            spec, boundary, extent,
            max_cells=self.parameterAsInt(parameters, self.MAX_CELLS, context),
            labels=labels,
            min_fraction=self.parameterAsDouble(parameters, self.MIN_FRACTION, context),
            progress=EngineProgress(feedback, 0, 85),
        )  # fmt: skip
        destination = self.output_geopackage(parameters, context)
        with staged_geopackage(destination) as tmp:
            grids.write_grid_gpkg(tmp, GRID_TABLE, grid, spatial_reference(target, context))
            if feedback.isCanceled():
                raise Cancelled()
            log_run(
                tmp, "beatcast:buildgrid", parameters,
                counts={"cells": len(grid), "area_m2": float(grid.area.sum())},
                outputs={"grid": destination, "spec": spec.to_json()},
            )  # fmt: skip
        uri = f"{destination}|layername={GRID_TABLE}"
        styling.load_sublayer(context, destination, uri, "grid", self.OUTPUT)
        feedback.pushInfo(tr("{} {} cells of {} m in {}").format(len(grid), spec.shape, spec.size, target))
        return {self.OUTPUT: uri, self.N_CELLS: len(grid)}

    def _labels(self, parameters, context, target, crs_ops):
        source = self.parameterAsSource(parameters, self.LABELS, context)
        fields = self.parameterAsFields(parameters, self.LABEL_FIELDS, context)
        if source is None or not fields:
            return None
        polygons, values = [], {f: [] for f in fields}
        source_crs = crs_id(source.sourceCrs())
        for feature in source.getFeatures():
            geometry = feature.geometry()
            if geometry is None or geometry.isEmpty():
                continue
            parts = geometry.asMultiPolygon() if geometry.isMultipart() else [geometry.asPolygon()]
            rings = [[np.array([(p.x(), p.y()) for p in ring]) for ring in part] for part in parts]
            for part in reproject_polygons(rings, source_crs, target, crs_ops):
                polygons.append(part)
                for f in fields:
                    value = feature[f]
                    values[f].append("" if value is None or str(value) == "NULL" else str(value))
        return {f: (polygons, values[f]) for f in fields}

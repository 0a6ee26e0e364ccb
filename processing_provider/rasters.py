"""Writing per-cell values as styled GeoTIFFs (GDAL, which every QGIS has)."""

from __future__ import annotations

import os
from pathlib import Path

from osgeo import gdal
from qgis.core import QgsCoordinateReferenceSystem

from ..core.errors import BeatCastInputError
from ..core.rasterize import NODATA, cell_raster
from .i18n import tr


def write_cell_geotiff(path: str, grid, values, crs: str, description: str = "") -> str:
    """A single-band float32 GeoTIFF of ``values`` per cell (``core.rasterize``), written to a temporary
    file beside ``path`` and moved into place, so a failed run leaves no half-written raster."""
    if not path.lower().endswith((".tif", ".tiff")):
        raise BeatCastInputError(tr("raster outputs are GeoTIFF files (.tif): {}").format(path))
    array, transform = cell_raster(grid, values)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tmp = f"{path}.part.tif"
    driver = gdal.GetDriverByName("GTiff")
    dataset = driver.Create(tmp, array.shape[1], array.shape[0], 1, gdal.GDT_Float32, ["COMPRESS=DEFLATE"])
    if dataset is None:
        raise BeatCastInputError(tr("cannot create the raster {}").format(path))
    try:
        dataset.SetGeoTransform(transform)
        dataset.SetProjection(QgsCoordinateReferenceSystem(crs).toWkt())
        band = dataset.GetRasterBand(1)
        band.SetNoDataValue(NODATA)
        band.WriteArray(array)
        if description:
            band.SetDescription(description)
        band.ComputeStatistics(False)
        dataset.FlushCache()
    finally:
        dataset = None  # closes the file
    os.replace(tmp, path)
    aux = Path(f"{tmp}.aux.xml")
    if aux.exists():
        os.replace(aux, f"{path}.aux.xml")
    return path

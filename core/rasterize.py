"""Per-cell values as a north-up raster (GeoTIFF-ready array and geotransform), for risk surfaces.

Square grids give one pixel per lattice cell, aligned with the grid. Hexagonal grids are sampled at
``HEX_PIXELS_PER_CELL`` pixels across a cell: each pixel takes the value of the hexagon holding its
centre (``grid.cell_index``). Pixels whose lattice cell is not in the grid are ``nodata``; a cell clipped
by the boundary fills its whole lattice cell (the raster shows cells, the cell layer shows the clipping).
"""

from __future__ import annotations

import numpy as np

from .errors import BeatCastInputError
from .grid import Grid, cell_index, cell_vertices

NODATA = -9999.0
HEX_PIXELS_PER_CELL = 6
MAX_PIXELS = 100_000_000
__all__ = ["NODATA", "cell_raster"]


def cell_raster(grid: Grid, values, nodata: float = NODATA) -> tuple[np.ndarray, tuple[float, ...]]:
    """(rows x cols float32 array, GDAL geotransform (x0, dx, 0, y0, 0, -dy)) of ``values`` per cell."""
    values = np.asarray(values, dtype=float)
    if values.shape != (len(grid),):
        raise BeatCastInputError(f"one value per cell expected ({len(grid)}), got shape {values.shape}")
    if not len(grid):
        raise BeatCastInputError("the grid has no cells")
    vertices = cell_vertices(grid.spec, grid.col, grid.row)
    x0, y0 = vertices[..., 0].min(), vertices[..., 1].min()
    x1, y1 = vertices[..., 0].max(), vertices[..., 1].max()
    pixel = grid.spec.size if grid.spec.shape == "square" else grid.spec.size / HEX_PIXELS_PER_CELL
    ncols, nrows = int(round((x1 - x0) / pixel)), int(round((y1 - y0) / pixel))
    if grid.spec.shape != "square":
        ncols, nrows = int(np.ceil((x1 - x0) / pixel)), int(np.ceil((y1 - y0) / pixel))
    if ncols * nrows > MAX_PIXELS:
        raise BeatCastInputError(f"the raster would have {ncols * nrows:,} pixels, more than {MAX_PIXELS:,}")
    cx = x0 + (np.arange(ncols) + 0.5) * pixel
    cy = y1 - (np.arange(nrows) + 0.5) * pixel  # row 0 at the top (north up)
    px, py = np.meshgrid(cx, cy)
    index = cell_index(grid, px.ravel(), py.ravel()).reshape(nrows, ncols)
    out = np.where(index >= 0, values[np.maximum(index, 0)], nodata).astype(np.float32)
    out[np.isnan(out)] = nodata
    return out, (float(x0), float(pixel), 0.0, float(y1), 0.0, -float(pixel))

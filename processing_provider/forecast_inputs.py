"""Parameters and inputs shared by the forecasting algorithms (forecastrisk, backtest): the cube and its
grid, optional cell covariates with the features the models may use (checked against the policy), the
calendar of the cube's bins and the horizon."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessingParameterBoolean,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)
from scipy import sparse

from ..core import cube_store, forecasting, grid_io
from ..core import grid as grids
from ..core.errors import BeatCastInputError
from ..core.timebins import BinSpec, make_bins
from ..core.timecovariates import calendar_features, us_federal_holidays
from . import compat
from .i18n import tr
from .layers import gpkg_table_of
from .policy_inputs import add_policy_parameter, read_policy

CUBE, CUBE_NAME, CATEGORY, GRID = "CUBE", "CUBE_NAME", "CATEGORY", "GRID"
COVARIATES, FEATURES, PROHIBITED = "COVARIATES", "FEATURES", "PROHIBITED_FIELDS"
US_HOLIDAYS, SEED, CALIBRATION = "US_HOLIDAYS", "SEED", "CALIBRATION_ORIGINS"
NOT_FEATURES = {"fid", "cell_id", "col", "row", "centroid_x", "centroid_y", "area_fraction"}


def add_cube_parameters(algorithm) -> None:
    algorithm.addParameter(
        QgsProcessingParameterFile(CUBE, tr("GeoPackage holding the cube"), extension="gpkg")
    )
    algorithm.addParameter(QgsProcessingParameterString(CUBE_NAME, tr("Cube name"), "cube"))
    algorithm.addParameter(QgsProcessingParameterString(CATEGORY, tr("Category (empty: all)"), optional=True))
    algorithm.addParameter(
        QgsProcessingParameterVectorLayer(
            GRID, tr("Grid the cube was counted on"), [compat.TYPE_VECTOR_POLYGON]
        )
    )


def add_model_input_parameters(algorithm) -> None:
    algorithm.addParameter(
        QgsProcessingParameterVectorLayer(
            COVARIATES, tr("Cell covariates (from Cell covariates)"), [compat.TYPE_VECTOR_ANY], optional=True
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterField(
            FEATURES,
            tr("Covariates the models may use (empty: every numeric field)"),
            parentLayerParameterName=COVARIATES,
            type=QgsProcessingParameterField.Numeric,
            allowMultiple=True,
            optional=True,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterString(
            PROHIBITED, tr("Fields prohibited as model inputs (comma separated)"), optional=True
        )
    )
    add_policy_parameter(algorithm)
    algorithm.addParameter(
        QgsProcessingParameterBoolean(US_HOLIDAYS, tr("Calendar: US federal holidays"), True)
    )
    algorithm.addParameter(
        QgsProcessingParameterNumber(
            CALIBRATION, tr("Past forecasts used to calibrate intervals and weigh the ensemble"),
            compat.NUMBER_INTEGER, 8, minValue=1, maxValue=52,
        )
    )  # fmt: skip
    algorithm.addParameter(QgsProcessingParameterNumber(SEED, tr("Random seed"), compat.NUMBER_INTEGER, 0))


def read_cube_and_grid(algorithm, parameters, context):
    """The cube (and the count matrix of the chosen category) and the full grid, checked to match."""
    store = algorithm.parameterAsFile(parameters, CUBE, context)
    name = algorithm.parameterAsString(parameters, CUBE_NAME, context).strip() or "cube"
    cube = cube_store.read_cube(store, name)
    category = algorithm.parameterAsString(parameters, CATEGORY, context).strip() or None
    if category and category not in cube.categories:
        raise BeatCastInputError(
            tr("CATEGORY: {} is not in the cube (categories: {})").format(
                category, ", ".join(cube.categories)
            )
        )
    layer = algorithm.parameterAsVectorLayer(parameters, GRID, context)
    where = gpkg_table_of(layer.source()) if layer is not None else None
    if where is None or where[1] not in grids.read_grid_specs(where[0]):
        raise BeatCastInputError(tr("GRID: not a grid made by Build grid (save it in its GeoPackage)"))
    grid = grid_io.read_grid(*where)
    if [str(c) for c in grid.cell_id] != [str(c) for c in cube.cell_ids]:
        raise BeatCastInputError(tr("GRID: not the grid the cube was counted on (cell ids differ)"))
    counts = cube.matrix(category)
    return cube, counts, category, grid, where


def policy_of(algorithm, parameters, context):
    extra = algorithm.parameterAsString(parameters, PROHIBITED, context)
    return read_policy(
        algorithm, parameters, context, [f for f in extra.replace(";", ",").split(",") if f.strip()]
    )


def read_covariates(algorithm, parameters, context, grid, policy) -> pd.DataFrame | None:
    """Covariate columns (cube cell order) of the chosen features, refused when the policy prohibits one."""
    layer = algorithm.parameterAsVectorLayer(parameters, COVARIATES, context)
    if layer is None:
        return None
    names = [f.name() for f in layer.fields()]
    if "cell_id" not in names:
        raise BeatCastInputError(tr("COVARIATES: {} has no cell_id field").format(layer.name()))
    chosen = algorithm.parameterAsFields(parameters, FEATURES, context)
    numeric = [f.name() for f in layer.fields() if f.isNumeric() and f.name() not in NOT_FEATURES]
    features = chosen or numeric
    unknown = [f for f in features if f not in names]
    if unknown:
        raise BeatCastInputError(tr("FEATURES: {} has no field {}").format(layer.name(), ", ".join(unknown)))
    policy.check_inputs(features, "model input (COVARIATES/FEATURES)")
    rows = {}
    for feature in layer.getFeatures():
        values = []
        for f in features:
            value = feature[f]
            values.append(np.nan if value is None or str(value) == "NULL" else float(value))
        rows[str(feature["cell_id"])] = values
    missing = [c for c in grid.cell_id if str(c) not in rows]
    if missing:
        raise BeatCastInputError(
            tr("COVARIATES: {} cells of the grid have no covariates (first: {})").format(
                len(missing), missing[0]
            )
        )
    return pd.DataFrame([rows[str(c)] for c in grid.cell_id], columns=features)


def extended_bins(cube, horizon: int):
    """The cube's bins continued past its end far enough to hold the horizon after it."""
    bins = cube.bins
    per_day = forecasting.bins_per_day(bins.unit, bins.shift_starts)
    extra_days = math.ceil((horizon + 1) / per_day) + 31
    spec = bins.spec()
    end = spec.end + pd.Timedelta(days=extra_days)
    return make_bins(BinSpec(spec.unit, spec.timezone, spec.start, end, spec.shift_starts, spec.week_start))


def calendar(cube, horizon: int, us_holidays: bool) -> pd.DataFrame:
    """Numeric calendar features for every bin of the cube and the horizon after it."""
    extended = extended_bins(cube, horizon)
    holidays = us_federal_holidays(extended) if us_holidays else None
    frame = calendar_features(extended, holidays)
    return frame.drop(columns=["bin_label", "bin_start_utc"]).astype(float)


def model_context(
    cube, grid, covariates, horizon: int, us_holidays: bool, seed: int
) -> forecasting.ModelContext:
    neighbours = grids.neighbours(grid, "queen")
    return forecasting.ModelContext(
        x=np.asarray(grid.centroid_x, dtype=float),
        y=np.asarray(grid.centroid_y, dtype=float),
        area=np.asarray(grid.area, dtype=float),
        neighbours=neighbours,
        cell_size=float(grid.spec.size),
        per_day=forecasting.bins_per_day(cube.bins.unit, cube.bins.shift_starts),
        covariates=covariates,
        calendar=calendar(cube, horizon, us_holidays),
        seed=int(seed),
    )


def model_inputs(algorithm, parameters, context, cube, grid, counts, horizon: int):
    """The policy, the covariates it allows, the models' context and the counts as a dense float matrix."""
    policy = policy_of(algorithm, parameters, context)
    covariates = read_covariates(algorithm, parameters, context, grid, policy)
    ctx = model_context(
        cube, grid, covariates, horizon,
        algorithm.parameterAsBool(parameters, US_HOLIDAYS, context),
        algorithm.parameterAsInt(parameters, SEED, context),
    )  # fmt: skip
    dense = np.asarray(counts.toarray() if sparse.issparse(counts) else counts, dtype=float)
    return policy, covariates, ctx, dense

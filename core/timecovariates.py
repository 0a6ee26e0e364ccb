"""Signals beyond incidents (weather, ridership, events, the calendar) joined to the cube's time bins.

Models that use "real-time signals" need them on the same bins as the incident counts: one value per bin
for a city-wide series (:func:`join_series`), and for located events one count per cell and bin
(:func:`event_cells` then :func:`join_events`). :func:`calendar_features` describes the bins themselves.

**Rows are time windows.** Every row of a table covers a window ``[start, end)``, read by the import's
time parser (:func:`beatcast.core.timeparse.parse_timestamps`) in the table's time zone: a date
"YYYY-MM-DD" is that whole local day (23 or 25 hours on clock-change days), "YYYY-MM" the month, a
date-time to the minute or second a *reading* at that instant (a one-minute or one-second window). A
datetime64 column whose values all fall on local midnight is read as dates, otherwise as readings.
A weekly table should therefore give datetimes or be joined as daily values; a date is never a week.

**Aggregation** (``how[column]``, default ``mean``), with the weight of a row in a bin being the fraction
of its window inside the bin (as the cube's aoristic weights; a reading has weight 1 in its bin):

- ``sum``: sum of weight x value, so a daily value is split in proportion to the overlap (a daily 2.3 mm
  of rain adds 2.3 / 23 mm to each hour of the spring-forward day);
- ``mean``: weighted mean, so a daily value is repeated in each of its hours, a weekly bin gets the plain
  mean of its 7 days, and a night shift 23:00-07:00 weighs its two days 1 h : 7 h;
- ``max``, ``min``: over the rows overlapping the bin (a daily value is repeated in its hours).

**Missing values are reported per field, never filled.** A bin's value is NaN when a row overlapping it
has no value for that column (empty, "NA", or text that is not a number), or when the table does not
cover it: for period rows (hour, day, month windows) the bin must be wholly covered by rows (a day absent
from a daily table leaves its hours, its day and its week missing), for readings at least one reading
must fall in it. A weekly sum over six days would be a silent under-count, so it is NaN too.
The report per column gives ``missing_bins`` (NaN bins), ``first_missing`` (label of the first, or None),
``missing_rows`` (rows overlapping the bins whose value is missing, unparseable ones included),
``unparseable`` (of those, non-empty text that is not a number), ``uncovered_bins`` (bins no row covers)
and ``rows_without_time`` (rows whose time could not be read: they are left out).

Refused with :class:`BeatCastInputError`, naming the column and row: a missing time or value column; more
than ``max_unparseable`` (5 %) of the times or of a column's non-empty values unreadable; a period of the
table that does not overlap the bins; an event whose end is before its start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from pandas.tseries.holiday import USFederalHolidayCalendar
from scipy import sparse
from scipy.spatial import cKDTree

from . import polyclip
from .errors import BeatCastInputError
from .geometry import distance_to_rings, points_in_polygons
from .grid import Grid, cell_centres, cell_index, cell_offsets, cell_vertices
from .timebins import BinEdges
from .timeparse import parse_timestamps, validate_tz

AGGREGATIONS = ("mean", "sum", "max", "min")
MAX_UNPARSEABLE = 0.05
_MISSING_TEXT = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "--"})
_PERIOD_PRECISIONS = ("hour", "day", "month")
_DAY = np.timedelta64(1, "D")


# --- reading tables ----------------------------------------------------------------------------------


def _as_text(values: pd.Series, timezone: str) -> pd.Series:
    """A time column as the text the time parser reads; datetimes all at local midnight become dates."""
    if pd.api.types.is_datetime64_any_dtype(values):
        aware = values.dt.tz is not None
        local = values.dt.tz_convert(timezone).dt.tz_localize(None) if aware else values
        valid = local.notna()
        if (local[valid] == local[valid].dt.normalize()).all():
            return local.dt.strftime("%Y-%m-%d").where(valid, "")
        return values.dt.strftime("%Y-%m-%dT%H:%M:%S%z" if aware else "%Y-%m-%dT%H:%M:%S").where(valid, "")
    return values.astype(object).where(values.notna(), "").map(str).str.strip()


def _row_name(i: int, ids: Sequence | None = None) -> str:
    return f"data row {i + 1}" if ids is None else f"event {ids[i]!r} (data row {i + 1})"


def _windows(values: pd.Series, timezone: str, column: str, max_bad: float):
    """(start ns, end ns, period?, ok) of each row; raises when too many times are unreadable."""
    text = _as_text(values.reset_index(drop=True), timezone)
    parsed = parse_timestamps(text, tz=timezone)
    ok = parsed.ok
    n_bad = int((~ok).sum())
    if n_bad and (n_bad == len(ok) or n_bad > max_bad * len(ok)):
        i = int(np.flatnonzero(~ok)[0])
        raise BeatCastInputError(
            f"time column {column!r}: {n_bad} of {len(ok)} rows have no readable date or time (first:"
            f" {_row_name(i)}, {text[i]!r}: {parsed.error[i]})"
        )
    period = np.isin(parsed.precision, _PERIOD_PRECISIONS)
    return parsed.start_utc.view("i8"), parsed.end_utc.view("i8"), period, ok


def _numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Series | None]:
    """(float values, missing, unparseable, text): missing = empty, NA or not a number."""
    values = values.reset_index(drop=True)
    if pd.api.types.is_numeric_dtype(values):
        v = values.to_numpy(dtype=float, na_value=np.nan)
        missing = ~np.isfinite(v)
        return np.where(missing, np.nan, v), missing, np.zeros(len(v), dtype=bool), None
    text = values.astype(object).where(values.notna(), "").map(str).str.strip()
    empty = text.str.lower().isin(_MISSING_TEXT).to_numpy()
    v = pd.to_numeric(text.where(~empty, None), errors="coerce").to_numpy(dtype=float)
    unparseable = ~empty & ~np.isfinite(v)
    return np.where(unparseable, np.nan, v), empty | unparseable, unparseable, text


def _overlaps(start: np.ndarray, end: np.ndarray, edges: np.ndarray):
    """(row, bin, overlap in ns) of every non-empty intersection of a row window with a bin; a window with
    no length is an instant (it is given 1 ns, so it lands in the bin holding it)."""
    end = np.maximum(end, start + 1)
    n_bins = len(edges) - 1
    b0 = np.clip(np.searchsorted(edges, start, side="right") - 1, 0, n_bins)
    b1 = np.clip(np.searchsorted(edges, end, side="left"), 0, n_bins)
    nb = np.maximum(b1 - b0, 0)
    owner = np.repeat(np.arange(len(start)), nb)
    b = b0[owner] + (np.arange(len(owner)) - np.repeat(np.cumsum(nb) - nb, nb))
    overlap = np.minimum(end[owner], edges[b + 1]) - np.maximum(start[owner], edges[b])
    keep = overlap > 0
    return owner[keep], b[keep], overlap[keep]


def _local(ns: int, timezone: str) -> str:
    return f"{pd.Timestamp(ns, tz='UTC').tz_convert(timezone):%Y-%m-%d %H:%M}"


# --- series -------------------------------------------------------------------------------------------


def join_series(
    table: pd.DataFrame,
    time_column: str,
    value_columns: list[str],
    bins: BinEdges,
    timezone: str,
    how: dict[str, str] | None = None,
    max_unparseable: float = MAX_UNPARSEABLE,
) -> tuple[pd.DataFrame, dict[str, dict]]:
    """One row per bin (``bin_label``, ``bin_start_utc`` (UTC), one float column per value column) and a
    report per value column; see the module docstring for windows, aggregation and missing values.
    ``timezone`` is the table's (naive times and dates are read in it), normally the bins' zone."""
    validate_tz(timezone, "timezone")
    if time_column not in table.columns:
        raise BeatCastInputError(
            f"time column {time_column!r} is not in the table (columns: {', '.join(map(str, table.columns))})"
        )
    value_columns = list(value_columns)
    if not value_columns:
        raise BeatCastInputError("no value column given to join")
    for column in value_columns:
        if column not in table.columns or column == time_column:
            raise BeatCastInputError(
                f"value column {column!r} is not in the table (columns: {', '.join(map(str, table.columns))})"
            )
    how = dict(how or {})
    for column, method in how.items():
        if column not in value_columns:
            raise BeatCastInputError(f"aggregation given for {column!r}, which is not a value column")
        if method not in AGGREGATIONS:
            raise BeatCastInputError(
                f"aggregation {method!r} for column {column!r}: use one of {', '.join(AGGREGATIONS)}"
            )
    if not len(table):
        raise BeatCastInputError("the table has no rows")

    numbers = {column: _numbers(table[column]) for column in value_columns}
    for column, (_, missing, unparseable, text) in numbers.items():
        _check_numeric(column, unparseable, missing, text, max_unparseable)
    start, end, period, ok = _windows(table[time_column], timezone, time_column, max_unparseable)
    edges = bins.utc_ns
    rows = np.flatnonzero(ok)
    owner, b, overlap = _overlaps(start[rows], end[rows], edges)
    if not len(owner):
        raise BeatCastInputError(
            f"the table's times ({_local(start[rows].min(), bins.timezone)} to"
            f" {_local(end[rows].max(), bins.timezone)}) do not overlap the bins' period ({bins.start} to"
            f" {bins.end}, {bins.timezone})"
        )
    owner = rows[owner]
    weight = overlap / np.maximum(end[owner] - start[owner], 1)
    n_bins = bins.n_bins
    covered = _covered(owner, b, overlap, start, end, period, np.diff(edges), n_bins)
    in_bins = np.zeros(len(table), dtype=bool)
    in_bins[owner] = True

    out = {"bin_label": bins.labels, "bin_start_utc": pd.DatetimeIndex(bins.utc[:-1]).tz_localize("UTC")}
    report = {}
    for column in value_columns:
        values, missing, unparseable, _ = numbers[column]
        result = _aggregate(how.get(column, "mean"), values[owner], missing[owner], b, weight, n_bins)
        result[~covered] = np.nan
        out[column] = result
        nan = np.flatnonzero(np.isnan(result))
        report[column] = {
            "missing_bins": int(len(nan)),
            "missing_rows": int((missing & in_bins).sum()),
            "unparseable": int((unparseable & in_bins).sum()),
            "first_missing": str(bins.labels[nan[0]]) if len(nan) else None,
            "uncovered_bins": int((~covered).sum()),
            "rows_without_time": int((~ok).sum()),
        }
    return pd.DataFrame(out), report


def _covered(owner, b, overlap, start, end, period, bin_ns, n_bins) -> np.ndarray:
    """Bins wholly covered by period rows (identical windows counted once) or holding a reading."""
    is_period = period[owner]
    window = np.stack([start[owner], end[owner], b], axis=1)[is_period]
    _, first = np.unique(window, axis=0, return_index=True)
    periods = np.flatnonzero(is_period)[first]
    coverage = np.bincount(b[periods], weights=overlap[periods], minlength=n_bins)
    readings = np.bincount(b[~is_period], minlength=n_bins) > 0
    return (coverage >= bin_ns) | readings


def _check_numeric(column, unparseable, missing, text, max_unparseable) -> None:
    bad = int(unparseable.sum())
    given = int((~missing | unparseable).sum())
    if bad and (bad == given or bad > max_unparseable * given):
        i = int(np.flatnonzero(unparseable)[0])
        raise BeatCastInputError(
            f"value column {column!r} is not numeric: {bad} of {given} values are not numbers (first:"
            f" {_row_name(i)}, {text[i]!r})"
        )


def _aggregate(method, values, missing, b, weight, n_bins) -> np.ndarray:
    good = ~missing
    bg, wg, vg = b[good], weight[good], values[good]
    has_value = np.bincount(bg, minlength=n_bins) > 0
    if method == "sum":
        result = np.bincount(bg, weights=wg * vg, minlength=n_bins)
    elif method == "mean":
        total = np.bincount(bg, weights=wg, minlength=n_bins)
        with np.errstate(invalid="ignore", divide="ignore"):
            result = np.bincount(bg, weights=wg * vg, minlength=n_bins) / total
    else:
        result = np.full(n_bins, -np.inf if method == "max" else np.inf)
        (np.maximum if method == "max" else np.minimum).at(result, bg, vg)
    incomplete = np.bincount(b[missing], minlength=n_bins) > 0  # never aggregate around a gap
    return np.where(has_value & ~incomplete, result, np.nan)


# --- events -------------------------------------------------------------------------------------------


def join_events(
    events: pd.DataFrame,
    bins: BinEdges,
    timezone: str,
    cell_membership=None,
    n_cells: int | None = None,
    weight_column: str | None = None,
    start_column: str = "start",
    end_column: str = "end",
    id_column: str = "event_id",
) -> tuple[np.ndarray, sparse.csr_matrix | None]:
    """Events active in each bin, and per cell when located.

    An event runs from ``start`` to ``end`` (local wall times in ``timezone``, or aware datetimes); an end
    given as a date alone runs to the end of that day, an empty end makes the event its start's window
    (a date: that day). It is active in every bin its run overlaps (half-open: 19:00-22:00 is active in
    the 19, 20 and 21 o'clock hours). Returns ``per_bin``: int64 (n_bins,) number of active events, and,
    when ``cell_membership`` (n_events x n_cells, from :func:`event_cells`) is given, ``per_cell``: CSR
    (n_cells, n_bins) float64 = membership.T @ active, i.e. the number of active events touching each cell
    (or their summed ``weight_column``, e.g. attendance, given whole to every cell the event touches;
    normalise the membership rows to split it instead); else None.
    """
    validate_tz(timezone, "timezone")
    for column in (start_column,) + ((weight_column,) if weight_column else ()):
        if column not in events.columns:
            raise BeatCastInputError(f"events: column {column!r} is missing")
    n = len(events)
    ids = events[id_column].astype(str).tolist() if id_column in events.columns else None
    start, end = _event_runs(events, timezone, start_column, end_column, ids)
    weight = np.ones(n)
    if weight_column:
        weight, missing, _, text = _numbers(events[weight_column])
        if missing.any():
            i = int(np.flatnonzero(missing)[0])
            value = "" if text is None else text[i]
            raise BeatCastInputError(f"{_row_name(i, ids)}: {weight_column} {value!r} is not a number")
    owner, b, _ = _overlaps(start, end, bins.utc_ns)
    per_bin = np.bincount(b, minlength=bins.n_bins).astype(np.int64)
    if cell_membership is None:
        return per_bin, None
    membership = sparse.csr_matrix(cell_membership, dtype=np.float64)
    n_cells = membership.shape[1] if n_cells is None else int(n_cells)
    if membership.shape != (n, n_cells):
        raise BeatCastInputError(
            f"cell membership has shape {membership.shape}, expected ({n} events, {n_cells} cells)"
        )
    active = sparse.csr_matrix((weight[owner], (owner, b)), shape=(n, bins.n_bins))
    per_cell = sparse.csr_matrix(membership.T @ active)
    per_cell.eliminate_zeros()
    per_cell.sort_indices()
    return per_bin, per_cell


def _event_runs(events, timezone, start_column, end_column, ids) -> tuple[np.ndarray, np.ndarray]:
    start_text = _as_text(events[start_column].reset_index(drop=True), timezone)
    s_parsed = parse_timestamps(start_text, tz=timezone)
    if not s_parsed.ok.all():
        i = int(np.flatnonzero(~s_parsed.ok)[0])
        raise BeatCastInputError(
            f"{_row_name(i, ids)}: {start_column} {start_text[i]!r} is not a date or time"
            f" ({s_parsed.error[i]})"
        )
    s_start, s_end = s_parsed.start_utc.view("i8"), s_parsed.end_utc.view("i8")
    if end_column not in events.columns:
        return s_start, s_end
    text = _as_text(events[end_column].reset_index(drop=True), timezone)
    given = (text != "").to_numpy()
    e_parsed = parse_timestamps(text, tz=timezone)
    bad = given & ~e_parsed.ok
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise BeatCastInputError(f"{_row_name(i, ids)}: {end_column} {text[i]!r} is not a date or time")
    whole = np.isin(e_parsed.precision, ("day", "month"))  # an end date runs to the end of that day
    end = np.where(whole, e_parsed.end_utc.view("i8"), e_parsed.start_utc.view("i8"))
    end = np.where(given, end, s_end)
    before = given & (end < s_start)
    if before.any():
        i = int(np.flatnonzero(before)[0])
        raise BeatCastInputError(
            f"{_row_name(i, ids)}: {end_column} {text[i]!r} is before its {start_column} {start_text[i]!r}"
        )
    return s_start, end


def event_cells(grid: Grid, geometries: Iterable, buffer_m: float = 0.0) -> sparse.csr_matrix:
    """Membership (n_events x n_cells, CSR float64 of 0/1) of the cells each event's footprint touches.

    Geometries are in the grid's CRS: a point ``(x, y)``; a polygon as a list of rings ((n, 2), exterior
    first); a multipolygon as a list of polygons; or a GeoJSON geometry dict (Point, MultiPoint, Polygon,
    MultiPolygon); None touches nothing.

    - A point touches the cell holding it (:func:`core.grid.cell_index`; none when outside the grid) and,
      with ``buffer_m`` > 0, every cell whose (clipped) centroid is within ``buffer_m`` metres.
    - A polygon touches every cell whose whole lattice cell overlaps it with a positive area: cells whose
      centre is inside (:func:`core.geometry.points_in_polygons`), and the others near its bounding box by
      clipping (``polyclip.overlap_area``), so a polygon smaller than a cell still touches the cell(s) it
      lies in; with ``buffer_m`` > 0 also the cells whose centroid is within ``buffer_m`` of its edges.
    """
    if not (np.isfinite(buffer_m) and buffer_m >= 0):
        raise BeatCastInputError(f"event buffer {buffer_m!r}: expected 0 or a positive number of metres")
    rows: list[np.ndarray] = []
    tree = None
    n_events = 0
    for i, geometry in enumerate(geometries):
        n_events += 1
        points, polygons = _parts(geometry, i)
        cells: list[np.ndarray] = []
        if len(points):
            held = cell_index(grid, points[:, 0], points[:, 1])
            cells.append(held[held >= 0])
        if len(points) and buffer_m > 0 and len(grid):
            if tree is None:
                tree = cKDTree(np.column_stack([grid.centroid_x, grid.centroid_y]))
            cells += [np.asarray(c, dtype=np.int64) for c in tree.query_ball_point(points, buffer_m)]
        cells += [_polygon_cells(grid, polygon, buffer_m) for polygon in polygons]
        rows.append(np.unique(np.concatenate(cells)).astype(np.int64) if cells else np.zeros(0, np.int64))
    row = np.repeat(np.arange(n_events), [len(r) for r in rows])
    col = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    return sparse.csr_matrix((np.ones(len(col)), (row, col)), shape=(n_events, len(grid)))


def _depth(value) -> int:
    depth = 0
    while hasattr(value, "__len__") and not isinstance(value, str | dict) and len(value):
        value, depth = value[0], depth + 1
    return depth


def _parts(geometry, i: int) -> tuple[np.ndarray, list]:
    """(points (k, 2), polygons as lists of float rings) of one event geometry."""
    no_points = np.zeros((0, 2))
    if geometry is None:
        return no_points, []
    try:
        if isinstance(geometry, dict):
            kind, coords = geometry.get("type"), geometry.get("coordinates")
            depth = {"Point": 1, "MultiPoint": 2, "Polygon": 3, "MultiPolygon": 4}.get(str(kind), -1)
            if kind == "MultiPoint":
                return np.asarray(coords, dtype=float).reshape(-1, 2), []
        else:
            coords, depth = geometry, _depth(geometry)
        if depth == 1:
            return np.asarray(coords, dtype=float).reshape(1, 2), []
        polygons = {2: [[coords]], 3: [coords], 4: coords}.get(depth)
        if polygons is None:
            raise ValueError
        return no_points, [[np.asarray(r, dtype=float)[:, :2] for r in polygon] for polygon in polygons]
    except (ValueError, TypeError, IndexError) as error:
        raise BeatCastInputError(
            f"event geometry {i + 1}: expected a point (x, y), a polygon (list of rings), a multipolygon or a"
            " GeoJSON geometry"
        ) from error


def _polygon_cells(grid: Grid, polygon: list, buffer_m: float) -> np.ndarray:
    rings = polyclip.oriented_rings([polygon])
    if not rings or not len(grid):
        return np.zeros(0, np.int64)
    pts = np.concatenate([r for _, _, r in rings])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    spec = grid.spec
    reach = float(np.hypot(*cell_offsets(spec).T).max()) + buffer_m
    gx, gy = cell_centres(spec, grid.col, grid.row)
    near = (gx >= lo[0] - reach) & (gx <= hi[0] + reach) & (gy >= lo[1] - reach) & (gy <= hi[1] + reach)
    candidates = np.flatnonzero(near)
    inside = points_in_polygons(gx[candidates], gy[candidates], [polygon])
    rest = candidates[~inside]
    tolerance = 1e-9 * spec.cell_area
    overlaps = [
        polyclip.overlap_area(rings, v) > tolerance
        for v in cell_vertices(spec, grid.col[rest], grid.row[rest])
    ]
    hit = [candidates[inside], rest[np.asarray(overlaps, dtype=bool)]]
    if buffer_m > 0:
        d = distance_to_rings(grid.centroid_x[candidates], grid.centroid_y[candidates], [polygon])
        hit.append(candidates[d <= buffer_m])
    return np.concatenate(hit)


# --- calendar -----------------------------------------------------------------------------------------


def calendar_features(bins: BinEdges, holidays: Iterable | None = None) -> pd.DataFrame:
    """Per bin, from its local start: ``day_of_week`` (0 = Monday), ``month``, ``day_of_year``,
    ``is_weekend`` (Saturday or Sunday), ``hour`` (units ``hour`` and ``shift`` only) and ``is_holiday``
    (the bin overlaps one of the local ``holidays`` dates, e.g. :func:`us_federal_holidays`; a week holding
    4 July is a holiday week, a night shift starting on 31 December touches 1 January)."""
    local = pd.DatetimeIndex(bins.local)
    starts = local[:-1]
    frame = pd.DataFrame(
        {
            "bin_label": bins.labels,
            "bin_start_utc": pd.DatetimeIndex(bins.utc[:-1]).tz_localize("UTC"),
            "day_of_week": np.asarray(starts.dayofweek, dtype=np.int64),
            "month": np.asarray(starts.month, dtype=np.int64),
            "day_of_year": np.asarray(starts.dayofyear, dtype=np.int64),
            "is_weekend": np.asarray(starts.dayofweek >= 5),
        }
    )
    if bins.unit in ("hour", "shift"):
        frame["hour"] = np.asarray(starts.hour, dtype=np.int64)
    days = _holiday_days(holidays)
    first_day = np.searchsorted(days, (starts.values - _DAY).astype("datetime64[ns]"), side="right")
    frame["is_holiday"] = np.searchsorted(days, local[1:].values, side="left") > first_day
    return frame


def _holiday_days(holidays: Iterable | None) -> np.ndarray:
    values = list(holidays or [])
    parsed = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce")
    if parsed.isna().any():
        bad = values[int(np.flatnonzero(parsed.isna().to_numpy())[0])]
        raise BeatCastInputError(f"holiday {bad!r} is not a date")
    if len(values) and parsed.dt.tz is not None:
        parsed = parsed.dt.tz_localize(None)
    return np.unique(parsed.dt.normalize().to_numpy(dtype="datetime64[ns]"))


def us_federal_holidays(bins: BinEdges) -> list[str]:
    """US federal holidays (observed dates, "YYYY-MM-DD") within the bins' local period."""
    days = USFederalHolidayCalendar().holidays(bins.start.normalize(), bins.end - pd.Timedelta(1, "ns"))
    return [f"{d:%Y-%m-%d}" for d in days]

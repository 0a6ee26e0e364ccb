"""Time bins of the space-time cube: local calendar bins (hour, shift, day, week, month), DST-correct.

Bins follow the local wall clock of one IANA time zone: a local day is 23 or 25 hours long on the days the
clocks change, a month is its calendar month. Every bin has a local start (wall-clock time) and a UTC start;
incidents are placed by their UTC times against the UTC edges, so no local time is ever ambiguous.

- ``hour``: every local hour that exists. On the spring-forward day the missing hour has no bin (the day has
  23 hourly bins); on the fall-back day the repeated hour has two bins (25), labelled with their UTC offsets
  (``2024-11-03 01:00-05:00`` and ``2024-11-03 01:00-06:00``).
- ``shift``: the day is cut at ``shift_starts`` (local times) cyclically, so with ``("07:00", "15:00",
  "23:00")`` the night shift runs 23:00-07:00 the next day and is labelled with the date it starts on.
- ``day``, ``week`` (starting on ``week_start``, 0 = Monday), ``month``: start at local midnight.

A boundary that falls in a repeated local hour is taken at its first occurrence; one that falls in a skipped
hour moves forward to the end of the gap (the same rules as the import's time parsing).
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import BeatCastInputError

UNITS = ("hour", "shift", "day", "week", "month")
MAX_BINS = 100_000  # hourly bins over ~11 years; more is almost always a wrong unit or span
_HOUR = pd.Timedelta(hours=1)
_DAY = pd.Timedelta(days=1)
_SHIFT_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class BinSpec:
    """What bins to make. ``start``/``end`` are local wall-clock times; they are widened to whole bins."""

    unit: str
    timezone: str
    start: pd.Timestamp
    end: pd.Timestamp
    shift_starts: tuple[str, ...] = ()  # unit "shift" only: sorted local "HH:MM" start times
    week_start: int = 0  # unit "week" only: 0 = Monday ... 6 = Sunday


@dataclass(frozen=True, eq=False)
class BinEdges:
    """The edges of n bins: ``local`` and ``utc`` hold n + 1 edges (datetime64[ns], naive), ``labels`` n."""

    unit: str
    timezone: str
    local: np.ndarray
    utc: np.ndarray
    labels: np.ndarray
    shift_starts: tuple[str, ...] = ()
    week_start: int = 0

    @property
    def n_bins(self) -> int:
        return len(self.labels)

    @property
    def utc_ns(self) -> np.ndarray:
        """UTC edges as int64 nanoseconds since 1970 (what incidents are placed against)."""
        return self.utc.astype("datetime64[ns]").view("i8")

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.local[0])

    @property
    def end(self) -> pd.Timestamp:
        return pd.Timestamp(self.local[-1])

    @property
    def hours(self) -> np.ndarray:
        """Real duration of every bin in hours (23 for the local day the clocks spring forward)."""
        return np.diff(self.utc_ns) / 3.6e12

    def spec(self) -> BinSpec:
        return BinSpec(self.unit, self.timezone, self.start, self.end, self.shift_starts, self.week_start)

    def bin_index(self, times_utc) -> np.ndarray:
        """Bin of each UTC instant (anything ``pd.to_datetime`` reads), -1 outside the span or missing."""
        ns = utc_ns(times_utc)
        edges = self.utc_ns
        out = np.searchsorted(edges, ns, side="right") - 1
        out[(ns < edges[0]) | (ns >= edges[-1]) | (ns == NAT)] = -1
        return out


NAT = np.iinfo(np.int64).min


def utc_ns(values) -> np.ndarray:
    """UTC instants as int64 nanoseconds (NaT -> ``NAT``). Naive values are read as UTC."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype("datetime64[ns]").view("i8")
    index = pd.DatetimeIndex(pd.to_datetime(values, utc=True))
    return index.tz_localize(None).asi8


def check_timezone(timezone: str) -> None:
    try:
        zoneinfo.ZoneInfo(str(timezone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise BeatCastInputError(
            f"unknown time zone {timezone!r}: give an IANA name such as 'America/Chicago' or 'UTC'"
        ) from error


def shift_offsets(shift_starts) -> list[pd.Timedelta]:
    """Offsets from local midnight of the shift start times; checks they are valid and sorted."""
    if isinstance(shift_starts, str):
        shift_starts = [s for s in re.split(r"[,;\s]+", shift_starts) if s]
    if not shift_starts:
        raise BeatCastInputError(
            'time unit "shift" needs the local start times of the shifts, e.g. 07:00, 15:00, 23:00'
        )
    offsets = []
    for text in shift_starts:
        match = _SHIFT_TIME.match(str(text).strip())
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise BeatCastInputError(f"shift start {text!r} is not a time of day HH:MM (00:00 to 23:59)")
        offsets.append(pd.Timedelta(hours=int(match[1]), minutes=int(match[2])))
    if any(b <= a for a, b in zip(offsets, offsets[1:])):
        raise BeatCastInputError(
            f"shift starts must be in increasing order within the day, without repeats: {list(shift_starts)}"
        )
    return offsets


def _check_unit(unit: str, week_start: int = 0) -> None:
    if unit not in UNITS:
        raise BeatCastInputError(f"unknown time unit {unit!r}: use one of {', '.join(UNITS)}")
    if not 0 <= int(week_start) <= 6:
        raise BeatCastInputError(f"week_start must be 0 (Monday) to 6 (Sunday), not {week_start}")


def floor_local(ts: pd.Timestamp, unit: str, shifts=(), week_start: int = 0) -> pd.Timestamp:
    """Start of the bin holding a local wall-clock time."""
    if unit == "hour":
        return ts.floor("H")
    day = ts.normalize()
    if unit == "day":
        return day
    if unit == "week":
        return day - pd.Timedelta(days=(day.weekday() - week_start) % 7)
    if unit == "month":
        return day.replace(day=1)
    return max(c for c in (day + o + d for d in (-_DAY, pd.Timedelta(0)) for o in shifts) if c <= ts)


def ceil_local(ts: pd.Timestamp, unit: str, shifts=(), week_start: int = 0) -> pd.Timestamp:
    """First bin edge at or after a local wall-clock time."""
    floor = floor_local(ts, unit, shifts, week_start)
    if floor == ts:
        return ts
    if unit == "hour":
        return floor + _HOUR
    if unit == "day":
        return floor + _DAY
    if unit == "week":
        return floor + 7 * _DAY
    if unit == "month":
        return floor + pd.offsets.MonthBegin(1)
    return min(
        c for c in (ts.normalize() + o + d for d in (pd.Timedelta(0), _DAY) for o in shifts) if c >= ts
    )


def _local_timestamp(value, timezone: str, name: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as error:
        raise BeatCastInputError(f"bin {name} {value!r} is not a date or time") from error
    if ts is pd.NaT:
        raise BeatCastInputError(f"bin {name} is missing")
    if ts.tzinfo is not None:  # an aware time: its local wall time in the bins' zone
        ts = ts.tz_convert(timezone).tz_localize(None)
    return ts


def _estimate_bins(start: pd.Timestamp, end: pd.Timestamp, unit: str, n_shifts: int) -> int:
    hours = (end - start) / _HOUR
    if unit == "month":
        return (end.year - start.year) * 12 + end.month - start.month + 1
    per_bin = {"hour": 1.0, "day": 24.0, "week": 168.0, "shift": 24.0 / max(n_shifts, 1)}[unit]
    return int(hours / per_bin) + 2


def _to_utc(local: np.ndarray, timezone: str, first: bool) -> np.ndarray:
    index = pd.DatetimeIndex(local)
    aware = index.tz_localize(
        timezone, ambiguous=np.full(len(index), first), nonexistent="shift_forward"
    ).tz_convert("UTC")
    return aware.tz_localize(None).asi8


def _labels(unit: str, local: np.ndarray, utc: np.ndarray, week_start: int) -> np.ndarray:
    starts = local[:-1]
    if unit == "day":
        return np.datetime_as_string(starts, unit="D").astype(object)
    if unit == "month":
        return np.datetime_as_string(starts, unit="M").astype(object)
    if unit == "week":
        days = pd.DatetimeIndex(starts)
        if week_start == 0:
            iso = days.isocalendar()
            return np.array([f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"])], dtype=object)
        return np.array([f"{d}/P1W" for d in np.datetime_as_string(starts, unit="D")], dtype=object)
    labels = np.char.replace(np.datetime_as_string(starts, unit="m"), "T", " ").astype(object)
    # A repeated local hour (autumn) gives two bins with one wall time: add the UTC offsets to both.
    repeated = np.zeros(len(labels), dtype=bool)
    same = labels[1:] == labels[:-1]
    repeated[1:] |= same
    repeated[:-1] |= same
    for i in np.flatnonzero(repeated):
        minutes = int((local[i] - utc[i]) // np.timedelta64(1, "m"))
        sign = "+" if minutes >= 0 else "-"
        labels[i] = f"{labels[i]}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return labels


def make_bins(spec: BinSpec) -> BinEdges:
    """Edges and labels of every bin from ``spec.start`` to ``spec.end`` (both widened to whole bins)."""
    _check_unit(spec.unit, spec.week_start)
    check_timezone(spec.timezone)
    shifts = shift_offsets(spec.shift_starts) if spec.unit == "shift" else []
    start = floor_local(
        _local_timestamp(spec.start, spec.timezone, "start"), spec.unit, shifts, spec.week_start
    )
    end = ceil_local(_local_timestamp(spec.end, spec.timezone, "end"), spec.unit, shifts, spec.week_start)
    if end <= start:
        raise BeatCastInputError(f"the bins' end {spec.end} is not after their start {spec.start}")
    estimate = _estimate_bins(start, end, spec.unit, len(shifts))
    if estimate > MAX_BINS:
        raise BeatCastInputError(
            f"{start:%Y-%m-%d} to {end:%Y-%m-%d} in {spec.unit} bins makes about {estimate:,} bins, more than"
            f" the maximum of {MAX_BINS:,}: use a longer time unit or a shorter period"
        )
    if spec.unit == "shift":
        days = pd.date_range(start.normalize() - _DAY, end.normalize(), freq="D").values
        offsets = np.array([o.to_timedelta64() for o in shifts])
        candidates = (days[:, None] + offsets[None, :]).ravel()
        candidates = candidates[(candidates >= start.to_datetime64()) & (candidates <= end.to_datetime64())]
    else:
        freq = {"hour": "H", "day": "D", "week": "7D", "month": "MS"}[spec.unit]
        candidates = pd.date_range(start, end, freq=freq).values
    utc = _to_utc(candidates, spec.timezone, first=True)
    if spec.unit == "hour":  # both occurrences of a repeated hour are bins
        utc = np.concatenate([utc, _to_utc(candidates, spec.timezone, first=False)])
    utc = np.unique(utc)  # sorted; boundaries that a clock change merged count once
    utc_edges = utc.view("datetime64[ns]")
    local = pd.DatetimeIndex(utc_edges).tz_localize("UTC").tz_convert(spec.timezone).tz_localize(None).values
    labels = _labels(spec.unit, local, utc_edges, spec.week_start)
    return BinEdges(
        spec.unit, spec.timezone, local, utc_edges, labels, tuple(spec.shift_starts), int(spec.week_start)
    )


def infer_span(
    window_start_utc, window_end_utc, unit: str, timezone: str, shift_starts=(), week_start: int = 0
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Local (start, end) of the smallest run of whole bins holding every incident's occurrence window."""
    _check_unit(unit, week_start)
    check_timezone(timezone)
    shifts = shift_offsets(shift_starts) if unit == "shift" else []
    starts = utc_ns(window_start_utc)
    ends = utc_ns(window_end_utc) if window_end_utc is not None else starts.copy()
    valid = starts != NAT
    if not valid.any():
        raise BeatCastInputError("no incident has an occurrence time: cannot choose the bins' period")
    starts, ends = starts[valid], ends[valid]
    ends = np.where((ends == NAT) | (ends <= starts), starts + 1, ends)  # an instant still needs its bin
    first = pd.Timestamp(starts.min(), tz="UTC").tz_convert(timezone).tz_localize(None)
    last = pd.Timestamp(ends.max(), tz="UTC").tz_convert(timezone).tz_localize(None)
    return floor_local(first, unit, shifts, week_start), ceil_local(last, unit, shifts, week_start)

"""Parse messy incident date/time text into UTC time windows, vectorised.

An incident's time is a *window* ``[start_utc, end_utc)``: one minute for "5/10/2017 13:30", one
second when seconds are given, one hour for "9 PM", the whole local day for a date alone and the whole
local month for "2022-01". Day and month windows are computed in local time and then converted, so a
spring-forward day is 23 hours long and a fall-back day 25.

How it stays fast (no per-row Python): values are factorised (a column of a million timestamps holds
far fewer distinct strings); distinct strings that differ only in their digits share a *layout*, and one
string per layout is split into tokens (digit runs, words, separators) by numpy operations. Layouts are
grouped by *shape* (``"5/10/2017 13:30"`` has shape ``1/2/4 2:2``: digit-run lengths, words and
separators). Each of the few distinct shapes is matched once against the known formats (regular
expressions over shapes), which says which token is the year, the month, and so on; the digits are then
gathered for all strings at once, range-checked (no Feb 30, no 25:00) and assembled with integer
arithmetic.

Local time rules (the same as Python's ``zoneinfo`` with ``fold=0``):

* an ambiguous wall time (the repeated hour when clocks go back) is the *first* occurrence, in
  daylight time: 2024-11-03 01:30 in America/Chicago is 06:30 UTC;
* a nonexistent wall time (in the gap when clocks go forward) is read with the offset in force before
  the gap, which moves it forward by the gap length: 2024-03-10 02:30 in America/Chicago becomes
  03:30 CDT (08:30 UTC).

A value with an explicit offset (``Z``, ``+01:00``, ``-0500``) is placed by that offset and ``tz`` is
ignored for it; its ``local`` time is still given in ``tz`` so all rows share one wall clock.
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import BeatCastInputError
from .timetokens import Tokens, group_rows

PRECISIONS = ("", "second", "minute", "hour", "day", "month")
_SECOND, _MINUTE, _HOUR, _DAY, _MONTH = 1, 2, 3, 4, 5
_NS = {_SECOND: 10**9, _MINUTE: 60 * 10**9, _HOUR: 3600 * 10**9}
_NS_PER_DAY = 86400 * 10**9
_NAT = np.iinfo(np.int64).min
_CHUNK = 200_000
_MAXLEN = 48

# Error codes: the reason shown after "unparseable date 'x'".
_REASONS = {
    1: "",
    2: "month out of range",
    3: "day out of range for the month",
    4: "hour out of range",
    5: "minute out of range",
    6: "second out of range",
    7: "year out of range",
    8: "hour does not fit AM/PM",
    9: "UTC offset out of range",
    10: "month out of range; day-first dates? set dayfirst=true",
}
_FORMAT, _MONTH_RANGE, _DAY_RANGE, _HOUR_RANGE, _MINUTE_RANGE = 1, 2, 3, 4, 5
_SECOND_RANGE, _YEAR_RANGE, _AMPM, _OFFSET, _DAYFIRST_HINT = 6, 7, 8, 9, 10


@dataclass(frozen=True)
class ParsedTimes:
    """Equal-length arrays, one element per input row.

    ``start_utc``/``end_utc``: datetime64[ns] window (end exclusive), NaT where parsing failed;
    ``local``: datetime64[ns] naive wall time of the start in ``tz``; ``precision``: object array of
    "second", "minute", "hour", "day", "month" or "" (failed); ``error``: "" or a short reason.
    """

    start_utc: np.ndarray
    end_utc: np.ndarray
    local: np.ndarray
    precision: np.ndarray
    error: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of the rows that parsed."""
        return self.error == ""

    def __len__(self) -> int:
        return len(self.start_utc)


def validate_tz(tz: str, parameter: str = "tz") -> str:
    """The canonical IANA name of ``tz`` (matched case-insensitively); else raise naming ``parameter``.

    Fixed offsets such as "+01:00" are refused: they ignore daylight saving time.
    """
    name = _zone_names().get(tz.strip().lower()) if isinstance(tz, str) else None
    try:
        if name is None:
            raise ValueError
        pd.Timestamp("2000-01-01").tz_localize(name)
    except Exception as exc:  # pytz, dateutil and zoneinfo raise different types
        raise BeatCastInputError(
            f"parameter {parameter}: unknown time zone {tz!r}; use an IANA name such as "
            "'America/Chicago', 'Europe/London' or 'UTC'"
        ) from exc
    return name


@functools.lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """IANA zone names known to pytz (pandas' default) or zoneinfo, keyed by their lower-case form."""
    names: set[str] = {"UTC"}
    with contextlib.suppress(ImportError):
        import pytz

        names |= set(pytz.all_timezones)
    with contextlib.suppress(Exception):
        import zoneinfo

        names |= zoneinfo.available_timezones()
    return {name.lower(): name for name in sorted(names)}


def parse_timestamps(
    date: pd.Series, time: pd.Series | None = None, tz: str = "UTC", dayfirst: bool = False
) -> ParsedTimes:
    """Parse a date (or date-time) column, optionally with a separate time-of-day column.

    Formats are recognised per row: ISO 8601 (with ``T``, fractions, ``Z`` or ``+hh:mm`` offsets),
    ``M/D/YYYY [H:MM[:SS] [AM/PM]]`` (``D/M/YYYY`` with ``dayfirst``; ``-`` and ``.`` also separate),
    ``YYYY/MM/DD``, ``DD-Mon-YYYY``, ``Mon DD, YYYY``, ``YYYYMMDD[THHMM[SS]]``, month-only ``YYYY-MM``,
    ``MM/YYYY`` and ``March 2024``. Two-digit years are 20xx; ``24:00`` is midnight at the end of the day.
    A time column holds ``HH:MM[:SS]``, ``H:MM AM``, ``9 PM``, or ``HHMM``/``HMM`` integers ("2130",
    "930"); a date-time in it (Excel's "12/30/1899 21:30") gives its time of day. When a row has a
    non-empty time, it replaces any time in the date column; an empty time leaves the date as it is.
    """
    tz = validate_tz(tz)
    n = len(date)
    d_index, d_text = _factorise(date)
    dates = _parse_unique(d_text, _DATE_PATTERNS, dayfirst)
    d_failure = np.where(dates["empty"], _F_EMPTY, np.where(dates["err"] != 0, _F_DATE, 0)).astype(np.int8)

    if time is None:
        # Each row copies one distinct string: place the distinct values in time, then copy them out.
        start, end, wall = _place(dates, d_failure == 0, tz, distinct=True)
        start_utc, end_utc, local = start[d_index], end[d_index], wall[d_index]
        precision, failure = dates["prec"][d_index], d_failure[d_index]
        t_index, t_text, times = np.zeros(n, dtype=np.int64), np.array([""], dtype=object), None
    else:
        if len(time) != n:
            raise BeatCastInputError(f"time column has {len(time)} rows, date column has {n}")
        rows = {
            key: dates[key][d_index]
            for key in ("local", "midnight", "end_local", "prec", "offset", "has_offset")
        }
        failure = d_failure[d_index]
        t_index, t_text = _factorise(time)
        times = _parse_unique(t_text, _TIME_PATTERNS, dayfirst, time_of_day=True)
        with_time = (failure == 0) & ~times["empty"][t_index]
        bad_time = with_time & (times["err"][t_index] != 0)
        month_only = with_time & ~bad_time & (rows["prec"] == _MONTH)
        failure[bad_time] = _F_TIME
        failure[month_only] = _F_TIME_MONTH
        use = with_time & ~bad_time & ~month_only
        rows["local"][use] = rows["midnight"][use] + times["local"][t_index[use]]
        rows["prec"][use] = times["prec"][t_index[use]]
        rows["end_local"][use] = _NAT
        start_utc, end_utc, local = _place(rows, failure == 0, tz, distinct=False)
        precision = rows["prec"]

    ok = failure == 0
    return ParsedTimes(
        start_utc=start_utc.view("M8[ns]"),
        end_utc=end_utc.view("M8[ns]"),
        local=local.view("M8[ns]"),
        precision=np.array(PRECISIONS, dtype=object)[np.where(ok, precision, 0)],
        error=_messages(failure, d_index, d_text, dates["err"], t_index, t_text, times),
    )


# Row failure kinds.
_F_EMPTY, _F_DATE, _F_TIME, _F_TIME_MONTH = 1, 2, 3, 4


def _place(parts: dict[str, np.ndarray], ok: np.ndarray, tz: str, distinct: bool) -> tuple[np.ndarray, ...]:
    """Start, end (UTC) and local wall time, as int64 nanoseconds (NaT where not ``ok``)."""
    n = len(ok)
    local, precision = parts["local"].copy(), parts["prec"]
    start = np.full(n, _NAT, dtype=np.int64)
    end = np.full(n, _NAT, dtype=np.int64)
    fixed = ok & parts["has_offset"]
    start[fixed] = local[fixed] - parts["offset"][fixed]
    wall = ok & ~parts["has_offset"]
    start[wall], shifted = _to_utc(local[wall], tz, distinct)
    moved = fixed.copy()
    moved[np.flatnonzero(wall)[shifted]] = True
    if moved.any():  # offset-placed and gap-shifted times: give their wall time in tz
        local[moved] = _to_wall(start[moved], tz)
    for code, step in _NS.items():
        rows = ok & (precision == code)
        end[rows] = start[rows] + step
    whole = ok & (precision >= _DAY)
    end[whole] = _to_utc(parts["end_local"][whole], tz, distinct=False)[0]
    local[~ok] = _NAT
    return start, end, local


def _factorise(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes into an array of the distinct values as text; missing values point at a final ""."""
    series = pd.Series(values, copy=False)
    try:
        has_nul = "\x00" in "".join(series.to_numpy())
    except TypeError:  # not all str
        has_nul = bool(series.astype(str).str.contains("\x00", regex=False).any())
    if has_nul:  # pandas hashes strings up to the first NUL: "a\x00" would count as "a"
        series = series.where(series.isna(), series.astype(str).str.replace("\x00", "\ufffd", regex=False))
    codes, uniques = pd.factorize(series, sort=False)
    text = np.asarray(uniques, dtype=object)
    try:
        "".join(text)  # cheap check that every value is already a str
    except TypeError:
        text = np.array([v if isinstance(v, str) else str(v) for v in text], dtype=object)
    text = np.append(text, "")
    codes = np.asarray(codes, dtype=np.int64)
    codes[codes < 0] = len(text) - 1
    return codes, text


def _messages(
    failure: np.ndarray,
    d_index: np.ndarray,
    d_text: np.ndarray,
    d_err: np.ndarray,
    t_index: np.ndarray,
    t_text: np.ndarray,
    times: dict[str, np.ndarray] | None,
) -> np.ndarray:
    """Error strings, built once per distinct (failure, date, time) combination."""
    error = np.full(len(failure), "", dtype=object)
    rows = np.flatnonzero(failure)
    if not len(rows):
        return error
    keys = np.stack([failure[rows].astype(np.int64), d_index[rows], t_index[rows]], axis=1)
    combos, inverse = np.unique(keys, axis=0, return_inverse=True)
    text = []
    for kind, di, ti in combos:
        if kind == _F_EMPTY:
            text.append("empty date")
        elif kind == _F_DATE:
            text.append(_describe("date", d_text[di], int(d_err[di])))
        elif kind == _F_TIME:
            text.append(_describe("time", t_text[ti], int(times["err"][ti]) if times else _FORMAT))
        else:
            text.append(f"time {_quote(t_text[ti])} given with month-only date {_quote(d_text[di])}")
    error[rows] = np.array(text, dtype=object)[inverse.ravel()]
    return error


def _describe(what: str, value: str, code: int) -> str:
    reason = _REASONS.get(code, "")
    return f"unparseable {what} {_quote(value)}" + (f" ({reason})" if reason else "")


def _quote(value: str) -> str:
    value = value.strip()
    return repr(value if len(value) <= 40 else value[:37] + "...")


# ---------------------------------------------------------------------------------------------------
# Time zones


def _to_utc(local_ns: np.ndarray, tz: str, distinct: bool) -> tuple[np.ndarray, np.ndarray]:
    """UTC for naive wall times; also a mask of the nonexistent (gap) times that were moved."""
    if not len(local_ns) or tz.upper() == "UTC":
        return local_ns.copy(), np.zeros(len(local_ns), dtype=bool)
    if distinct:
        codes, uniques = np.arange(len(local_ns)), local_ns
    else:
        codes, uniques = pd.factorize(local_ns)
    wall = pd.DatetimeIndex(np.asarray(uniques, dtype=np.int64).view("M8[ns]"))
    first = np.ones(len(wall), dtype=bool)  # ambiguous: take the daylight-time (first) occurrence
    utc = wall.tz_localize(tz, ambiguous=first, nonexistent="NaT").asi8.copy()
    gap = utc == _NAT
    if gap.any():
        # Read gap times with the offset of the day before (the offset in force before the transition).
        day_before = (wall[gap] - pd.Timedelta(days=1)).tz_localize(
            tz, ambiguous=np.ones(int(gap.sum()), dtype=bool), nonexistent="shift_forward"
        )
        offset = day_before.tz_localize(None).asi8 - day_before.asi8
        utc[gap] = wall[gap].asi8 - offset
    return utc[codes], gap[codes]


def _to_wall(utc_ns: np.ndarray, tz: str) -> np.ndarray:
    if tz.upper() == "UTC":
        return utc_ns
    index = pd.DatetimeIndex(utc_ns.view("M8[ns]")).tz_localize("UTC").tz_convert(tz)
    return index.tz_localize(None).asi8


# ---------------------------------------------------------------------------------------------------
# Formats, as regular expressions over shape strings; a group's position is its token's index.

_CLOCK_RE = r"(?P<H>[12])(?::(?P<MI>2)(?::(?P<S>2)(?:[.,](?P<F>[1-9]))?)?)?"
_OFFSET_RE = r"(?: ?(?:(?P<Z>Z)|(?P<SIGN>[+-])(?:(?P<OHM>4)|(?P<OH>2)(?::(?P<OM>2))?)))?"
_TAIL_RE = rf"(?:(?:T|,? ){_CLOCK_RE}(?: ?(?P<AP>P))?{_OFFSET_RE})?"
_DATE_PATTERNS = [
    ("ymd", rf"(?P<Y>4)(?P<s>[-/.])(?P<MO>[12])(?P=s)(?P<D>[12]){_TAIL_RE}"),
    ("numeric", rf"(?P<A>[12])(?P<s>[-/.])(?P<B>[12])(?P=s)(?P<Y>[24]){_TAIL_RE}"),
    ("day_name", rf"(?:W,? ?)?(?P<D>[12])o?[- .]?(?P<MN>M)\.?[- ,]? ?(?P<Y>[24]){_TAIL_RE}"),
    ("name_day", rf"(?:W,? ?)?(?P<MN>M)\.?[- ]?(?P<D>[12])o?(?:,? |-)?(?P<Y>4){_TAIL_RE}"),
    ("year_name_day", rf"(?P<Y>4)-(?P<MN>M)-(?P<D>[12]){_TAIL_RE}"),
    ("compact", rf"(?P<YMD>8)(?:(?:T|T? )(?:(?P<HMS>6)|(?P<HM>4))(?:[.,](?P<F>[1-9]))?{_OFFSET_RE})?"),
    ("month", r"(?P<Y>4)[-/.](?P<MO>[12])"),
    ("month", r"(?P<MO>[12])[-/.](?P<Y>4)"),
    ("month", r"(?P<MN>M)\.?[- ,]? ?(?P<Y>4)"),
    ("month", r"(?P<Y>4)[- ](?P<MN>M)"),
]
_TIME_PATTERNS = [
    ("clock", r"(?P<H>[12]):(?P<MI>2)(?::(?P<S>2)(?:[.,](?P<F>[1-9]))?)?(?: ?(?P<AP>P))?"),
    ("clock", r"(?P<H>[12]) ?(?P<AP>P)"),
    ("integer", r"(?:(?P<HM>[1-4])|(?P<HMS>[56]))(?:[.,](?P<ZERO>[1-9]))?"),
] + [(f"date_{kind}", pattern) for kind, pattern in _DATE_PATTERNS if kind != "month"]
# Values are not stripped beforehand: a leading or trailing space is a token of its own.
_DATE_PATTERNS = [(kind, re.compile(f"(?: )?{pattern}(?: )?$")) for kind, pattern in _DATE_PATTERNS]
_TIME_PATTERNS = [(kind, re.compile(f"(?: )?{pattern}(?: )?$")) for kind, pattern in _TIME_PATTERNS]


def _parse_unique(
    values: np.ndarray, patterns: list, dayfirst: bool, time_of_day: bool = False
) -> dict[str, np.ndarray]:
    """Parse distinct strings, longest first and in chunks (to bound memory); results in input order."""
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    empty = np.zeros(len(values), dtype=bool)
    too_long = np.flatnonzero(lengths > _MAXLEN)
    empty[too_long] = [not values[i].strip() for i in too_long]
    lengths[too_long] = 0  # parsed as "", then marked unparseable below
    order = np.argsort(-lengths, kind="stable")
    parts = [
        _parse_chunk(
            np.where(lengths[rows] > 0, values[rows], ""), lengths[rows], patterns, dayfirst, time_of_day
        )
        for rows in (order[i : i + _CHUNK] for i in range(0, len(values), _CHUNK))
    ]
    result = {key: np.empty(len(values), dtype=parts[0][key].dtype) for key in parts[0]}
    for key in result:
        result[key][order] = np.concatenate([p[key] for p in parts])
    result["err"][too_long] = _FORMAT
    result["empty"][too_long] = empty[too_long]
    return result


def _parse_chunk(
    values: np.ndarray, lengths: np.ndarray, patterns: list, dayfirst: bool, time_of_day: bool
) -> dict[str, np.ndarray]:
    n = len(values)
    tokens = Tokens(values, lengths)
    c = {
        name: np.zeros(n, dtype=np.int64)
        for name in ("Y", "MO", "D", "H", "MI", "S", "NS", "AP", "OFF", "PREC", "ERR", "HINT", "HASOFF")
    }
    c["AP"][:] = -1
    c["ERR"][:] = _FORMAT
    shape_of_layout, first_layout = group_rows(tokens.shapes)
    shape_of_row = shape_of_layout[tokens.layout_of]
    order = np.argsort(shape_of_row, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(shape_of_row, minlength=len(first_layout)))])
    empty = np.zeros(n, dtype=bool)
    for g, layout in enumerate(first_layout):
        shape = tokens.shapes[layout].tobytes().rstrip(b"\0").decode("ascii")
        rows = order[bounds[g] : bounds[g + 1]]
        if shape.strip() == "":
            empty[rows] = (lengths[rows] == 0) if not shape else True
            continue
        found = _match(shape, patterns)
        if found:
            _fill(found[0], found[1], rows, tokens, c, dayfirst)
    c["ERR"][tokens.broken] = _FORMAT
    empty[tokens.broken] = False
    if time_of_day:  # a time column: only the clock matters, and it must be there
        c["ERR"][(c["ERR"] == 0) & (c["PREC"] >= _DAY)] = _FORMAT
        c["Y"][:], c["MO"][:], c["D"][:] = 1970, 1, 1
    return _assemble(c, empty)


def _match(shape: str, patterns: list) -> tuple[str, re.Match] | None:
    for kind, pattern in patterns:
        found = pattern.match(shape)
        if found:
            return kind, found
    return None


def _fill(
    kind: str, m: re.Match, rows: np.ndarray, tokens: Tokens, c: dict[str, np.ndarray], dayfirst: bool
) -> None:
    """Copy the tokens of one shape group into the component arrays."""

    def get(name: str) -> np.ndarray:
        return tokens.value(rows, m.start(name), digits=m.group(name)[0].isdigit())

    def present(name: str) -> bool:
        return name in m.re.groupindex and m.group(name) is not None

    kind = kind.removeprefix("date_")
    c["ERR"][rows] = 0
    if present("Y"):
        c["Y"][rows] = get("Y") + (2000 if m.group("Y") == "2" else 0)
    if kind == "numeric":
        first, second = get("A"), get("B")
        month, day = (second, first) if dayfirst else (first, second)
        c["MO"][rows], c["D"][rows] = month, day
        if not dayfirst:
            c["HINT"][rows] = (first > 12) & (first <= 31) & (second >= 1) & (second <= 12)
    for name, target in (("MO", "MO"), ("MN", "MO"), ("D", "D")):
        if present(name):
            c[target][rows] = get(name)
    if kind == "month":
        c["D"][rows] = 1
        c["PREC"][rows] = _MONTH
        return
    c["PREC"][rows] = _DAY
    if present("YMD"):
        ymd = get("YMD")
        c["Y"][rows], c["MO"][rows], c["D"][rows] = ymd // 10000, ymd // 100 % 100, ymd % 100
    if present("HMS"):
        hms = get("HMS")
        c["H"][rows], c["MI"][rows], c["S"][rows] = hms // 10000, hms // 100 % 100, hms % 100
        c["PREC"][rows] = _SECOND
    if present("HM"):
        hm = get("HM")
        c["H"][rows], c["MI"][rows] = hm // 100, hm % 100
        c["PREC"][rows] = _MINUTE
    if present("ZERO"):  # "2130.0" from a float column
        c["ERR"][rows] = np.where(get("ZERO") == 0, 0, _FORMAT)
    if present("H"):
        c["H"][rows] = get("H")
        c["PREC"][rows] = _SECOND if present("S") else _MINUTE if present("MI") else _HOUR
        if present("MI"):
            c["MI"][rows] = get("MI")
        if present("S"):
            c["S"][rows] = get("S")
    if present("F"):
        c["NS"][rows] = get("F") * 10 ** (9 - int(m.group("F")))
    if present("AP"):
        c["AP"][rows] = get("AP")
    if present("Z"):
        c["HASOFF"][rows] = 1
    elif present("SIGN"):
        if present("OHM"):
            hours, minutes = get("OHM") // 100, get("OHM") % 100
        else:
            hours, minutes = get("OH"), (get("OM") if present("OM") else 0)
        sign = -1 if m.group("SIGN") == "-" else 1
        c["OFF"][rows] = sign * (hours * 60 + minutes) * 60 * 10**9
        c["HASOFF"][rows] = 1
        c["ERR"][rows] = np.where((hours > 18) | (minutes > 59), _OFFSET, c["ERR"][rows])


def _assemble(c: dict[str, np.ndarray], empty: np.ndarray) -> dict[str, np.ndarray]:
    """Check ranges and build nanosecond wall times from the components."""
    err = c["ERR"]
    hour, ap = c["H"], c["AP"]
    pm = ap == 12
    bad_ap = (ap >= 0) & ((hour > 12) & ~pm | (hour == 0) & pm)
    hour = np.where(
        (ap >= 0) & (hour == 12), np.where(pm, 12, 0), np.where(pm & (hour < 12), hour + 12, hour)
    )
    checks = [
        ((c["Y"] < 1700) | (c["Y"] > 2200), _YEAR_RANGE),
        ((c["MO"] < 1) | (c["MO"] > 12), np.where(c["HINT"] == 1, _DAYFIRST_HINT, _MONTH_RANGE)),
        (bad_ap, _AMPM),
        ((hour > 24) | ((hour == 24) & ((c["MI"] > 0) | (c["S"] > 0) | (c["NS"] > 0))), _HOUR_RANGE),
        (c["MI"] > 59, _MINUTE_RANGE),
        (c["S"] > 59, _SECOND_RANGE),
    ]
    for failed, code in checks:
        err = np.where((err == 0) & failed, code, err)
    ok = err == 0
    year = np.where(ok, c["Y"], 1970)
    month = np.where(ok, c["MO"], 1)
    months = (year - 1970) * 12 + month - 1
    first = months.astype("M8[M]").astype("M8[D]").astype(np.int64)
    following = (months + 1).astype("M8[M]").astype("M8[D]").astype(np.int64)
    day = c["D"]
    err = np.where(ok & ((day < 1) | (day > following - first)), _DAY_RANGE, err)
    ok = err == 0
    midnight = (first + np.where(ok, day, 1) - 1) * _NS_PER_DAY
    clock = ((hour * 60 + c["MI"]) * 60 + c["S"]) * 10**9 + c["NS"]
    local = midnight + np.where(ok, clock, 0)
    precision = np.where(ok, c["PREC"], 0)
    end_local = np.where(
        precision == _DAY,
        midnight + _NS_PER_DAY,
        np.where(precision == _MONTH, following * _NS_PER_DAY, _NAT),
    )
    err = np.where(empty, _FORMAT, err)
    return {
        "local": np.where(ok, local, _NAT) if not ok.all() else local,
        "midnight": midnight,
        "end_local": end_local,
        "prec": precision.astype(np.int8),
        "err": err.astype(np.int8),
        "empty": empty,
        "offset": np.where(ok & c["HASOFF"].astype(bool), c["OFF"], 0),
        "has_offset": ok & c["HASOFF"].astype(bool),
    }

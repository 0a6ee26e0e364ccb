"""Signals beyond incidents for the demo city: daily weather, daily transit ridership and located events.

Written by :func:`write_signals` (called by ``write_demo_city``) into ``signals/``:

``signals/weather_daily.csv`` (UTF-8, comma): ``date`` ("YYYY-MM-DD", local day), ``temp_max_c``,
``temp_min_c`` (1 decimal), ``precip_mm`` (1 decimal, 0.0 on dry days), one row for every day of the demo
period. Seasonal temperatures for central Illinois (daily highs about -1 °C in January and 30 °C in July)
with persistent day-to-day anomalies; precipitation from a wet/dry Markov chain (about 30 % wet days)
with gamma-distributed amounts (about 900 mm a year). Planted gaps, so a join can report them: the
value is empty on ``MISSING_PRECIP_DAYS`` days for ``precip_mm`` and ``MISSING_TEMP_MAX_DAYS`` other days
for ``temp_max_c`` (the rows are there, the cells empty).

``signals/transit_ridership_daily.csv`` (UTF-8, comma): ``date``, ``boardings`` (city-wide, integer),
with a weekly cycle (weekdays about 18,000, Saturdays half that, Sundays less), lower on US federal
holidays and in summer, slightly lower on rainy days. ``MISSING_TRANSIT_DAYS`` days are absent (a feed
outage: no row at all, unlike the weather's empty cells).

``signals/events.geojson`` (EPSG:32616, legacy ``crs`` member like the other layers): ``N_EVENTS`` events,
points (a stadium, an arena, a theatre, city hall) and polygons (a riverfront festival ground, a street
fair, a march route), with ``event_id`` ("EV01", in order of start), ``name``, ``kind`` (game, concert,
protest, festival), ``start`` and ``end`` (ISO local wall times, "2024-06-14T19:00:00"; none falls in a
clock-change hour) and ``attendance``. Every vertex lies inside the city boundary.

The signals are drawn from their own random stream (child 3 of the seed), so they never change the city,
the incidents or the exports, and **they do not drive the incidents**: weather, ridership and events are
independent of crime in the demo city. A model that finds a weather or event effect here finds noise,
which is what a test of a covariate-aware model should expect.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.tseries.holiday import USFederalHolidayCalendar

from .demo_city import CENTRE_XY, DEFAULT_SEED, DemoCity, FeatureSet, feature_collection
from .demo_incidents import PERIOD_END, PERIOD_START

MISSING_PRECIP_DAYS = 5
MISSING_TEMP_MAX_DAYS = 2
MISSING_TRANSIT_DAYS = 2
N_EVENTS = 12
WEATHER_COLUMNS = ("date", "temp_max_c", "temp_min_c", "precip_mm")
TRANSIT_COLUMNS = ("date", "boardings")
EVENT_KINDS = ("game", "concert", "protest", "festival")

_CX, _CY = CENTRE_XY
# Venues relative to the city centre (metres); all well inside the boundary (>= 4 km from the centre).
_STADIUM = (_CX + 1500.0, _CY + 1200.0)
_ARENA = (_CX + 250.0, _CY - 150.0)
_THEATRE = (_CX - 600.0, _CY + 350.0)
_CITY_HALL = (_CX - 100.0, _CY + 120.0)
_FESTIVAL_GROUND = ((-900.0, -1400.0), (-250.0, -1400.0), (-250.0, -1050.0), (-900.0, -1050.0))
_STREET_FAIR = ((-300.0, 560.0), (600.0, 560.0), (600.0, 620.0), (-300.0, 620.0))
_MARCH_ROUTE = ((-150.0, 60.0), (1400.0, -480.0), (1430.0, -400.0), (-120.0, 160.0))

# (kind, venue, name, (local start hour, minute), duration in hours or days for festivals, attendance range)
_EVENT_PLAN = (
    ("game", _STADIUM, "Prairie Hawks vs River Cats", (19, 5), 3.0, (6000, 14000)),
    ("game", _STADIUM, "Prairie Hawks vs Lake Herons", (13, 5), 3.0, (6000, 14000)),
    ("game", _STADIUM, "Prairie Hawks vs Iron Foxes", (18, 35), 3.0, (6000, 14000)),
    ("game", _STADIUM, "State Cup Final", (19, 0), 3.0, (10000, 18000)),
    ("concert", _ARENA, "Arena Rock Night", (20, 0), 3.0, (4000, 11000)),
    ("concert", _ARENA, "Country Jamboree", (19, 30), 3.0, (4000, 11000)),
    ("concert", _THEATRE, "Symphony Gala", (19, 0), 2.5, (800, 2200)),
    ("protest", _CITY_HALL, "Rally for Transit Funding", (12, 0), 3.0, (200, 2500)),
    ("protest", _MARCH_ROUTE, "March for Safe Streets", (10, 0), 4.0, (500, 4000)),
    ("festival", _FESTIVAL_GROUND, "Riverfront Blues Festival", (16, 0), 3, (20000, 45000)),
    ("festival", _FESTIVAL_GROUND, "Harvest Festival", (10, 0), 2, (15000, 35000)),
    ("festival", _STREET_FAIR, "Main Street Fair", (11, 0), 2, (8000, 20000)),
)
_SEASON = {"game": (4, 9), "concert": (1, 12), "protest": (1, 12), "festival": (6, 10)}  # months allowed


@dataclass(frozen=True, eq=False)
class EventFeatures(FeatureSet):
    """Features with their own geometry types (``types``: "Point" or "Polygon"); ``geometry_type`` is
    "Mixed"."""

    types: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Signals:
    weather_daily: pd.DataFrame  # date (Timestamp), temp_max_c, temp_min_c, precip_mm (NaN = planted gap)
    transit_ridership_daily: pd.DataFrame  # date, boardings (missing days absent)
    events: EventFeatures  # points and polygons; attributes as written


def _days() -> pd.DatetimeIndex:
    return pd.date_range(PERIOD_START, PERIOD_END - pd.Timedelta(days=1), freq="D")


def make_weather(rng: np.random.Generator) -> pd.DataFrame:
    """Daily weather over the demo period (the true values, before the planted gaps)."""
    days = _days()
    doy = np.asarray(days.dayofyear, dtype=float)
    season = np.cos(2 * np.pi * (doy - 200.0) / 365.25)  # +1 in mid-July, -1 in mid-January
    anomaly = np.empty(len(days))
    a = 0.0
    for i, e in enumerate(rng.normal(0.0, 2.6, len(days))):  # AR(1): warm and cold spells last days
        a = 0.7 * a + e
        anomaly[i] = a
    temp_max = 14.7 + 15.3 * season + anomaly + rng.normal(0.0, 1.2, len(days))
    temp_min = 5.0 + 14.0 * season + 0.8 * anomaly + rng.normal(0.0, 1.5, len(days))
    temp_min = np.minimum(temp_min, temp_max - 2.0)
    wet_season = 1.0 + 0.25 * np.cos(2 * np.pi * (doy - 150.0) / 365.25)  # wettest in late spring
    u = rng.random(len(days))
    wet = np.zeros(len(days), dtype=bool)
    for i in range(len(days)):
        p = (0.45 if i and wet[i - 1] else 0.23) * wet_season[i]
        wet[i] = u[i] < p
    amount = rng.gamma(0.75, 12.5, len(days))
    precip = np.where(wet, np.maximum(np.round(amount, 1), 0.1), 0.0)
    return pd.DataFrame(
        {
            "date": days,
            "temp_max_c": np.round(temp_max, 1),
            "temp_min_c": np.round(temp_min, 1),
            "precip_mm": precip,
        }
    )


def make_transit(rng: np.random.Generator, weather: pd.DataFrame) -> pd.DataFrame:
    """City-wide daily boardings (all days; the missing days are dropped by :func:`make_signals`)."""
    days = pd.DatetimeIndex(weather["date"])
    level = np.array([1.0, 1.02, 1.02, 1.01, 0.97, 0.5, 0.36])[days.dayofweek]
    holidays = USFederalHolidayCalendar().holidays(days[0], days[-1])
    level = np.where(days.isin(holidays), 0.4, level)
    summer = 1.0 - 0.08 * np.exp(-(((days.dayofyear.to_numpy() - 200.0) / 30.0) ** 2))
    rain = np.where(weather["precip_mm"].to_numpy() > 5.0, 0.95, 1.0)
    boardings = 18000.0 * level * summer * rain * rng.lognormal(0.0, 0.05, len(days))
    return pd.DataFrame({"date": days, "boardings": np.round(boardings).astype(np.int64)})


def _event_dates(rng: np.random.Generator) -> list[pd.Timestamp]:
    days = _days()
    taken: set[pd.Timestamp] = set()
    out = []
    for kind, *_ in _EVENT_PLAN:
        lo, hi = _SEASON[kind]
        allowed = days[(days.month >= lo) & (days.month <= hi) & (days < PERIOD_END - pd.Timedelta(days=4))]
        if kind == "game":
            allowed = allowed[allowed.dayofweek >= 4]  # Friday to Sunday
        if kind == "festival":
            allowed = allowed[allowed.dayofweek == 4]  # festivals start on a Friday
        while True:
            day = pd.Timestamp(allowed[int(rng.integers(len(allowed)))])
            if all(abs((day - t).days) > 4 for t in taken):
                break
        taken.add(day)
        out.append(day)
    return out


def _venue_geometry(venue) -> tuple[str, object]:
    if isinstance(venue[0], tuple):  # a polygon given as offsets from the centre (counter-clockwise)
        ring = np.array([(_CX + dx, _CY + dy) for dx, dy in venue + (venue[0],)])
        return "Polygon", [np.round(ring, 2)]
    return "Point", np.round(np.asarray(venue, dtype=float), 2)


def make_events(rng: np.random.Generator, city: DemoCity | None = None) -> EventFeatures:
    """The located events, ordered by start (ids EV01..); checked inside the boundary if ``city`` is given."""
    rows = []
    for (kind, venue, name, (hour, minute), length, (lo, hi)), day in zip(
        _EVENT_PLAN, _event_dates(rng), strict=True
    ):
        start = day + pd.Timedelta(hours=hour, minutes=minute)
        if kind == "festival":  # several days, each until 23:00
            end = day + pd.Timedelta(days=int(length) - 1, hours=23)
        else:
            end = start + pd.Timedelta(hours=float(length))
        attendance = int(round(rng.integers(lo, hi + 1), -2))
        rows.append((start, end, kind, name, attendance, _venue_geometry(venue)))
    rows.sort(key=lambda r: (r[0], r[3]))
    geoms, attrs, types = [], [], []
    for i, (start, end, kind, name, attendance, (gtype, geom)) in enumerate(rows):
        types.append(gtype)
        geoms.append(geom)
        attrs.append(
            {
                "event_id": f"EV{i + 1:02d}",
                "name": name,
                "kind": kind,
                "start": start.strftime("%Y-%m-%dT%H:%M:%S"),
                "end": end.strftime("%Y-%m-%dT%H:%M:%S"),
                "attendance": attendance,
            }
        )
    if city is not None:
        pts = np.vstack([np.reshape(g[0] if t == "Polygon" else g, (-1, 2)) for g, t in zip(geoms, types)])
        if not city.contains(pts[:, 0], pts[:, 1]).all():
            raise RuntimeError("a demo event lies outside the city boundary")  # a bug in the venues above
    return EventFeatures("Mixed", geoms, attrs, tuple(types))


def events_collection(events: EventFeatures, epsg: int) -> dict:
    """The events as a GeoJSON FeatureCollection (points and polygons mixed, in event order)."""
    features = []
    for geom, attrs, gtype in zip(events.geometries, events.attributes, events.types, strict=True):
        one = feature_collection("events", FeatureSet(gtype, [geom], [attrs]), epsg)
        features.extend(one["features"])
    collection = feature_collection("events", FeatureSet("Point", [], []), epsg)
    collection["features"] = features
    return collection


def make_signals(city: DemoCity, seed: int = DEFAULT_SEED) -> Signals:
    """Weather, ridership and events for ``city``, deterministic for the seed (own random stream)."""
    weather_seq, transit_seq, events_seq, gaps_seq = np.random.SeedSequence(seed).spawn(4)[3].spawn(4)
    weather = make_weather(np.random.default_rng(weather_seq))
    transit = make_transit(np.random.default_rng(transit_seq), weather)
    events = make_events(np.random.default_rng(events_seq), city)
    gaps = np.random.default_rng(gaps_seq)
    # Planted gaps: distinct days, away from the period's first and last week.
    n = len(weather)
    days = gaps.choice(np.arange(7, n - 7), MISSING_PRECIP_DAYS + MISSING_TEMP_MAX_DAYS, replace=False)
    weather = weather.copy()
    weather.loc[np.sort(days[:MISSING_PRECIP_DAYS]), "precip_mm"] = np.nan
    weather.loc[np.sort(days[MISSING_PRECIP_DAYS:]), "temp_max_c"] = np.nan
    outage = gaps.choice(np.arange(7, n - 7), MISSING_TRANSIT_DAYS, replace=False)
    transit = transit.drop(index=outage).reset_index(drop=True)
    return Signals(weather, transit, events)


def _text(value) -> str:
    if isinstance(value, float | np.floating):
        return "" if np.isnan(value) else f"{value:.1f}"
    return str(value)


def _write_csv(path: Path, frame: pd.DataFrame) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(frame.columns)
        for row in frame.itertuples(index=False, name=None):
            writer.writerow([row[0].strftime("%Y-%m-%d"), *(_text(v) for v in row[1:])])
    return path


def write_signals(signals: Signals, folder, epsg: int) -> dict[str, Path]:
    """Write ``signals/weather_daily.csv``, ``signals/transit_ridership_daily.csv`` and
    ``signals/events.geojson``; returns their paths under the keys ``weather_daily``,
    ``transit_ridership_daily`` and ``events``."""
    out = Path(folder) / "signals"
    paths = {
        "weather_daily": _write_csv(out / "weather_daily.csv", signals.weather_daily),
        "transit_ridership_daily": _write_csv(
            out / "transit_ridership_daily.csv", signals.transit_ridership_daily
        ),
    }
    events_path = out / "events.geojson"
    text = json.dumps(events_collection(signals.events, epsg), ensure_ascii=False)
    events_path.write_text(text + "\n", encoding="utf-8")
    paths["events"] = events_path
    return paths

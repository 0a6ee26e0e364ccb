"""The truth incidents of the synthetic demo city: a sum of known point processes.

Every incident records the ``process`` that generated it, so later models can be checked against
the structure planted here:

- ``background``: proportional to census population, with weekly, daily and seasonal cycles per category;
- ``poi``: assault and robbery around bars at night (mostly Friday and Saturday nights), theft around
  transit stops at commuting hours;
- ``drift``: vehicle crime around a centre that moves steadily along ``DRIFT_PATH`` over the two years;
- ``emerging``: robbery, assault and theft around ``EMERGING_CENTRE_XY`` from ``EMERGING_START`` on, none
  before;
- ``near_repeat``: self-exciting burglary (Hawkes offspring, branching ratio ``NEAR_REPEAT_BRANCHING``)
  within ``NEAR_REPEAT_RADIUS_M`` metres and ``NEAR_REPEAT_DAYS`` days of a parent burglary.

A few incidents are "companion offences": a second offence of another category at exactly the same
place and minute as its primary incident (one report, several offences). They carry the primary's process.

Times are naive local times (America/Chicago) to the minute. Local times that do not exist (the spring
daylight-saving gap) never occur; the repeated autumn hour is read as daylight time (the first pass).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .demo_geometry import sample_in_polygon

if TYPE_CHECKING:
    from .demo_city import DemoCity

TIMEZONE = "America/Chicago"
PERIOD_START = pd.Timestamp("2023-01-01")
PERIOD_END = pd.Timestamp("2025-01-01")  # exclusive
CATEGORIES = ("burglary", "robbery", "assault", "theft", "vehicle_crime")
PROCESSES = ("background", "poi", "drift", "emerging", "near_repeat")

EMERGING_START = pd.Timestamp("2024-03-01")
EMERGING_CENTRE_XY = (282850.0, 4511250.0)
EMERGING_SIGMA_M = 120.0
# Waypoints (time, x, y) in EPSG:32616; the centre moves linearly between them.
DRIFT_PATH = (
    (pd.Timestamp("2023-01-01"), 277800.0, 4507200.0),
    (pd.Timestamp("2024-01-01"), 278800.0, 4506300.0),
    (pd.Timestamp("2025-01-01"), 279800.0, 4505700.0),
)
DRIFT_SIGMA_M = 160.0
NEAR_REPEAT_RADIUS_M = 200.0
NEAR_REPEAT_DAYS = 7
NEAR_REPEAT_BRANCHING = 0.3
NEAR_REPEAT_SIGMA_M = 70.0
NEAR_REPEAT_MEAN_LAG_DAYS = 1.5

# Expected counts over the two years (each drawn as a Poisson count).
BACKGROUND_COUNTS = {"burglary": 3400, "robbery": 1100, "assault": 3300, "theft": 6200, "vehicle_crime": 3800}
BAR_COUNTS = {"assault": 2000, "robbery": 700}
TRANSIT_COUNTS = {"theft": 2400}
DRIFT_COUNTS = {"vehicle_crime": 1300}
EMERGING_COUNTS = {"robbery": 350, "assault": 300, "theft": 350}
COMPANION_RATE = 0.012
COMPANION_OF = {"robbery": "assault", "burglary": "vehicle_crime", "assault": "theft"}
DISCOVERED_RATE = {"burglary": 0.07, "robbery": 0.12, "assault": 0.25, "theft": 0.18, "vehicle_crime": 0.3}
DISCOVERED_RATE_BARS = 0.32  # nightlife areas are patrolled

_DOW = {  # Monday .. Sunday
    "burglary": (1.1, 1.1, 1.1, 1.1, 1.05, 0.8, 0.75),
    "robbery": (0.9, 0.9, 0.95, 1.0, 1.2, 1.3, 1.0),
    "assault": (0.85, 0.8, 0.85, 0.9, 1.15, 1.4, 1.25),
    "theft": (1.05, 1.05, 1.05, 1.05, 1.1, 0.95, 0.75),
    "vehicle_crime": (1.0, 1.0, 1.0, 1.0, 1.1, 1.15, 1.05),
}
_HOUR_PEAK = {  # (base, peak hour, concentration)
    "burglary": (0.3, 13.0, 2.0),
    "robbery": (0.2, 22.0, 2.5),
    "assault": (0.25, 23.0, 2.5),
    "theft": (0.2, 15.0, 1.5),
    "vehicle_crime": (0.2, 2.0, 2.0),
}
_N_HOURS = int((PERIOD_END - PERIOD_START) / pd.Timedelta(hours=1))


def _bump(peak: float, concentration: float) -> np.ndarray:
    h = np.arange(24) + 0.5
    return np.exp(concentration * (np.cos(2 * np.pi * (h - peak) / 24.0) - 1.0))


def _category_matrix(category: str) -> np.ndarray:
    base, peak, conc = _HOUR_PEAK[category]
    return np.outer(np.asarray(_DOW[category]), base + _bump(peak, conc))


def _bar_matrix() -> np.ndarray:
    """Nights from 21:00 to 03:00, much busier on Friday and Saturday nights (after midnight counts for
    the previous evening)."""
    hour = 0.03 + _bump(0.5, 5.0)
    night = np.array([1.0, 1.0, 1.1, 1.5, 4.0, 4.5, 1.2])  # night starting on Mon .. Sun
    matrix = np.empty((7, 24))
    for dow in range(7):
        for h in range(24):
            matrix[dow, h] = hour[h] * night[(dow - (h < 6)) % 7]
    return matrix


def _transit_matrix() -> np.ndarray:
    hour = 0.1 + _bump(8.0, 6.0) + 1.2 * _bump(17.5, 5.0) + 0.3 * _bump(13.0, 2.0)
    return np.outer(np.array([1.2, 1.2, 1.2, 1.2, 1.15, 0.6, 0.45]), hour)


class _Clock:
    """Hourly sampling grid over the study period in naive local time."""

    def __init__(self) -> None:
        hours = PERIOD_START + pd.to_timedelta(np.arange(_N_HOURS), unit="h")
        self.hours = hours
        self.dow = np.asarray(hours.dayofweek)
        self.hour = np.asarray(hours.hour)
        local = hours.tz_localize(TIMEZONE, ambiguous=np.ones(_N_HOURS, dtype=bool), nonexistent="NaT")
        self.exists = ~np.asarray(local.isna())
        doy = np.asarray(hours.dayofyear)
        self.season = 1.0 + 0.15 * np.cos(2 * np.pi * (doy - 196) / 365.25)

    def sample(self, rng: np.random.Generator, n: int, matrix: np.ndarray, start=PERIOD_START) -> np.ndarray:
        weight = matrix[self.dow, self.hour] * self.season * self.exists * np.asarray(self.hours >= start)
        idx = rng.choice(_N_HOURS, size=n, p=weight / weight.sum())
        minutes = idx.astype(np.int64) * 60 + rng.integers(0, 60, size=n)
        return (np.datetime64(PERIOD_START, "m") + minutes.astype("timedelta64[m]")).astype("datetime64[ns]")


def drift_centre(times) -> tuple[np.ndarray, np.ndarray]:
    """Centre of the drifting hotspot at the given (naive local) times."""
    t = pd.to_datetime(np.atleast_1d(times)).values.astype("datetime64[ns]").astype(np.int64)
    knots = np.array([p[0].value for p in DRIFT_PATH], dtype=np.int64)
    x = np.interp(t, knots, [p[1] for p in DRIFT_PATH])
    y = np.interp(t, knots, [p[2] for p in DRIFT_PATH])
    return x, y


def _scatter_inside(rng, city: DemoCity, centres: np.ndarray, sigma: float, max_r: float | None = None):
    """Gaussian scatter (optionally truncated at ``max_r``) around each centre, redrawn until inside the
    city."""
    out = np.empty_like(centres)
    todo = np.arange(len(centres))
    for _ in range(200):
        if len(todo) == 0:
            break
        if max_r is None:
            offset = rng.normal(0.0, sigma, size=(len(todo), 2))
        else:  # truncated Rayleigh radius, uniform angle
            u = rng.random(len(todo))
            r = sigma * np.sqrt(-2.0 * np.log1p(-u * (1.0 - np.exp(-(max_r**2) / (2 * sigma**2)))))
            a = rng.uniform(0.0, 2 * np.pi, len(todo))
            offset = np.column_stack([r * np.cos(a), r * np.sin(a)])
        pts = np.round(centres[todo] + offset, 2)
        ok = city.contains(pts[:, 0], pts[:, 1])
        out[todo[ok]] = pts[ok]
        todo = todo[~ok]
    if len(todo):
        raise RuntimeError("could not place points inside the city boundary")
    return out


def _frame(times, xy, category, process) -> pd.DataFrame:
    n = len(times)
    return pd.DataFrame(
        {
            "category": np.full(n, category, dtype=object),
            "occurred_local": times,
            "x": xy[:, 0] if n else np.empty(0),
            "y": xy[:, 1] if n else np.empty(0),
            "process": np.full(n, process, dtype=object),
        }
    )


def _background(rng, city: DemoCity, clock: _Clock) -> list[pd.DataFrame]:
    areas = city.census_areas
    weight = np.array([a["pop_total"] for a in areas.attributes], dtype=float)
    frames = []
    for category in CATEGORIES:
        n = int(rng.poisson(BACKGROUND_COUNTS[category]))
        per_area = rng.multinomial(n, weight / weight.sum())
        pts = [sample_in_polygon(rng, areas.geometries[i], int(k)) for i, k in enumerate(per_area) if k]
        xy = np.round(np.vstack(pts)[rng.permutation(n)], 2)
        # Rounding to the centimetre may push a point on an area edge just outside the city.
        bad = ~city.contains(xy[:, 0], xy[:, 1])
        xy[bad] = _scatter_inside(rng, city, xy[bad], 1.0)
        frames.append(_frame(clock.sample(rng, n, _category_matrix(category)), xy, category, "background"))
    return frames


def _poi(rng, city: DemoCity, clock: _Clock) -> list[pd.DataFrame]:
    kinds = np.array([a["kind"] for a in city.pois.attributes])
    pts = np.array(city.pois.geometries)
    bars = pts[kinds == "bar"]
    stops = pts[kinds == "transit_stop"]
    cx, cy = city.centre_xy
    stop_w = np.exp(-np.hypot(stops[:, 0] - cx, stops[:, 1] - cy) / 2500.0)
    frames = []
    for category, count in BAR_COUNTS.items():
        n = int(rng.poisson(count))
        centres = bars[rng.integers(0, len(bars), n)]
        xy = _scatter_inside(rng, city, centres, 50.0)
        frames.append(_frame(clock.sample(rng, n, _bar_matrix()), xy, category, "poi"))
    for category, count in TRANSIT_COUNTS.items():
        n = int(rng.poisson(count))
        centres = stops[rng.choice(len(stops), size=n, p=stop_w / stop_w.sum())]
        xy = _scatter_inside(rng, city, centres, 35.0)
        frames.append(_frame(clock.sample(rng, n, _transit_matrix()), xy, category, "poi"))
    return frames


def _drift_and_emerging(rng, city: DemoCity, clock: _Clock) -> list[pd.DataFrame]:
    frames = []
    for category, count in DRIFT_COUNTS.items():
        n = int(rng.poisson(count))
        times = clock.sample(rng, n, _category_matrix(category))
        centres = np.column_stack(drift_centre(times))
        frames.append(_frame(times, _scatter_inside(rng, city, centres, DRIFT_SIGMA_M), category, "drift"))
    for category, count in EMERGING_COUNTS.items():
        n = int(rng.poisson(count))
        times = clock.sample(rng, n, _category_matrix(category), start=EMERGING_START)
        centres = np.tile(np.asarray(EMERGING_CENTRE_XY), (n, 1))
        xy = _scatter_inside(rng, city, centres, EMERGING_SIGMA_M)
        frames.append(_frame(times, xy, category, "emerging"))
    return frames


def _near_repeats(rng, city: DemoCity, parents: pd.DataFrame) -> pd.DataFrame:
    """Hawkes offspring of burglaries, generation after generation, until none are left."""
    base, peak, conc = _HOUR_PEAK["burglary"]
    hour_p = base + _bump(peak, conc)
    hour_p = hour_p / hour_p.sum()
    lag_p = np.exp(-np.arange(NEAR_REPEAT_DAYS) / NEAR_REPEAT_MEAN_LAG_DAYS)
    lag_p = lag_p / lag_p.sum()
    out = []
    gen_t = parents["occurred_local"].to_numpy()
    gen_xy = parents[["x", "y"]].to_numpy()
    while len(gen_t):
        n_child = rng.poisson(NEAR_REPEAT_BRANCHING, len(gen_t))
        idx = np.repeat(np.arange(len(gen_t)), n_child)
        if len(idx) == 0:
            break
        p_time = gen_t[idx]
        p_day = p_time.astype("datetime64[D]")
        p_hour = (p_time - p_day).astype("timedelta64[h]").astype(int)
        lag = rng.choice(NEAR_REPEAT_DAYS, size=len(idx), p=lag_p)
        hour = rng.choice(24, size=len(idx), p=hour_p)
        lag = np.where((lag == 0) & (hour <= p_hour), 1, lag)
        minutes = lag * 1440 + hour * 60 + rng.integers(0, 60, len(idx))
        times = (p_day.astype("datetime64[m]") + minutes.astype("timedelta64[m]")).astype("datetime64[ns]")
        xy = _scatter_inside(rng, city, gen_xy[idx], NEAR_REPEAT_SIGMA_M, NEAR_REPEAT_RADIUS_M)
        keep = times < np.datetime64(PERIOD_END)
        gen_t, gen_xy = times[keep], xy[keep]
        out.append(_frame(gen_t, gen_xy, "burglary", "near_repeat"))
    return pd.concat(out, ignore_index=True) if out else _frame(np.empty(0, "datetime64[ns]"), None, "", "")


def _shift_nonexistent(times: pd.Series) -> pd.Series:
    """Move local times inside the spring daylight-saving gap one hour later (as the clocks did)."""
    ambiguous = np.ones(len(times), dtype=bool)
    local = pd.DatetimeIndex(times).tz_localize(TIMEZONE, ambiguous=ambiguous, nonexistent="NaT")
    gap = np.asarray(local.isna())
    return times.where(~gap, times + pd.Timedelta(hours=1))


def generate_incidents(city: DemoCity, rng: np.random.Generator) -> pd.DataFrame:
    """All truth incidents, sorted by time, with keys INC000001, INC000002, ..."""
    clock = _Clock()
    frames = _background(rng, city, clock) + _poi(rng, city, clock) + _drift_and_emerging(rng, city, clock)
    primary = pd.concat(frames, ignore_index=True)
    offspring = _near_repeats(rng, city, primary[primary["category"] == "burglary"])
    df = pd.concat([primary, offspring], ignore_index=True)
    df["occurred_local"] = _shift_nonexistent(df["occurred_local"])

    discovered_p = df["category"].map(DISCOVERED_RATE).to_numpy(dtype=float)
    at_bars = (df["process"] == "poi").to_numpy() & df["category"].isin(list(BAR_COUNTS)).to_numpy()
    discovered_p[at_bars] = DISCOVERED_RATE_BARS
    df["origin"] = np.where(rng.random(len(df)) < discovered_p, "discovered", "reported")

    # Companion offences: same place and minute as their primary incident, another category.
    has_comp = df["category"].isin(list(COMPANION_OF)).to_numpy() & (rng.random(len(df)) < COMPANION_RATE)
    comp = df[has_comp].copy()
    comp["category"] = comp["category"].map(COMPANION_OF)
    df = pd.concat([df, comp], ignore_index=True)

    df["district_id"] = city.district_of(df["x"].to_numpy(), df["y"].to_numpy())
    order = np.lexsort(
        (df["category"].to_numpy(), df["y"].to_numpy(), df["x"].to_numpy(), df["occurred_local"].to_numpy())
    )
    df = df.iloc[order].reset_index(drop=True)
    df.insert(0, "incident_key", [f"INC{i + 1:06d}" for i in range(len(df))])
    columns = ["incident_key", "category", "occurred_local", "x", "y", "district_id", "origin", "process"]
    return df[columns]

"""Row builders for the demo exports (see :mod:`beatcast.core.demo_exports` for the formats and the
meaning of each planted problem).

Each builder returns the rows in file order as text columns, plus ``_key`` (truth incident or "") and
``_planted``. Times are handled in UTC internally; the repeated autumn hour reads as daylight time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .demo_geometry import sample_in_polygon
from .demo_incidents import PERIOD_END, PERIOD_START, TIMEZONE
from .demo_vocab import (
    CAD_CALL_TYPES,
    CAD_DISPOSITIONS_NO_REPORT,
    CAD_DISPOSITIONS_NOISE,
    CAD_DISPOSITIONS_REPORT,
    CAD_NOISE_TYPES,
    FIRST_NAMES,
    LAST_NAMES,
    NATURES_911,
    NATURES_911_NOISE,
)
from .projection import utm_to_lonlat

if TYPE_CHECKING:
    from .demo_city import DemoCity

UTM_ZONE = 16
DUPLICATE_CALL_SHARE = 0.15
CAD_NOISE_RATE = 0.3  # non-crime CAD events per crime event
CALLS_911_NOISE_RATE = 0.25
OUTSIDE_DISTANCE_M = 30000.0
# Exact numbers of planted rows (independent of the seed).
PLANTED_RMS = {
    "reclassified": 40,  # reversed_original + reversal pairs, with the right code kept as ok
    "exact_duplicate": 120,
    "zero_coordinates": 35,
    "missing_coordinates": 45,
    "outside_jurisdiction": 25,
    "unparseable_date": 30,
    "month_only": 20,
    "date_only": 400,
}
UNFOUNDED_REPORTS = 20  # reversed_original + reversal pairs about no incident
UNMATCHED_REVERSALS = 8
PLANTED_CAD = {
    "invalid_coordinates": 12,
    "zero_coordinates": 15,
    "missing_coordinates": 20,
    "outside_jurisdiction": 15,
    "unparseable_date": 10,
}
PLANTED_911 = {"invalid_coordinates": 6}
BAD_RMS_DATES = ("31/31/2023", "unknown", "", "00/00/0000", "13/45/2024")
BAD_CAD_TIMES = ("", "unknown", "0000-00-00 00:00:00", "2023-02-30 25:61:00")


def _to_utc(local) -> np.ndarray:
    idx = pd.DatetimeIndex(local)
    aware = idx.tz_localize(TIMEZONE, ambiguous=np.ones(len(idx), bool), nonexistent="shift_forward")
    return aware.tz_convert("UTC").tz_localize(None).values


def _to_local(utc) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(utc).tz_localize("UTC").tz_convert(TIMEZONE).tz_localize(None)


def _secs(seconds) -> np.ndarray:
    return np.round(np.asarray(seconds)).astype(np.int64).astype("timedelta64[s]")


def _uniform_utc(rng, n: int) -> np.ndarray:
    start, end = _to_utc([PERIOD_START, PERIOD_END])
    span = int((end - start) / np.timedelta64(1, "s"))
    return start + rng.integers(0, span, n).astype("timedelta64[s]")


def _choose(rng, options, weights=None, size=None):
    options = list(options)
    p = None if weights is None else np.asarray(weights, float) / np.sum(weights)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p)]


def _by_category(rng, categories: np.ndarray, table: dict) -> np.ndarray:
    """One value per row from ``table[category]``: a tuple of values (uniform) or of (value, weight)."""
    out = np.empty(len(categories), dtype=object)
    for category, options in table.items():
        mask = categories == category
        weighted = isinstance(options[0], tuple)
        values = [o[0] for o in options] if weighted else list(options)
        weights = [o[1] for o in options] if weighted else None
        out[mask] = _choose(rng, values, weights, size=int(mask.sum()))
    return out


def _names(rng, n: int, last_first: bool = True) -> list[str]:
    first = _choose(rng, FIRST_NAMES, size=n)
    last = _choose(rng, LAST_NAMES, size=n)
    return [f"{b}, {a}" if last_first else f"{a} {b}" for a, b in zip(first, last, strict=True)]


def _lonlat_text(x, y, decimals: int) -> tuple[list[str], list[str]]:
    lon, lat = utm_to_lonlat(np.asarray(x, float), np.asarray(y, float), UTM_ZONE)
    return [f"{v:.{decimals}f}" for v in lat], [f"{v:.{decimals}f}" for v in lon]


def _away(rng, x, y) -> tuple[np.ndarray, np.ndarray]:
    """The same points moved ~30 km in a random direction (outside the jurisdiction)."""
    a = rng.uniform(0, 2 * np.pi, len(x))
    d = OUTSIDE_DISTANCE_M + rng.uniform(-2000, 2000, len(x))
    return np.asarray(x) + d * np.cos(a), np.asarray(y) + d * np.sin(a)


def _serial(years, width: int) -> list[str]:
    """Per-year sequence numbers (rows must already be in time order): "23" + zero-padded counter."""
    counters: dict[int, int] = {}
    out = []
    for year in years:
        counters[year] = counters.get(year, 0) + 1
        out.append(f"{year % 100:02d}{counters[year]:0{width}d}")
    return out


def _pick(rng, candidates: np.ndarray, counts: dict[str, int]) -> dict[int, str]:
    """Disjoint random subsets of ``candidates`` of the given sizes, as {candidate: label}."""
    order = rng.permutation(candidates)
    out, at = {}, 0
    for label, n in counts.items():
        out.update({int(c): label for c in order[at : at + n]})
        at += n
    return out


def build_911(rng, city: DemoCity, first: pd.DataFrame, has_911: np.ndarray):
    """911 calls (first call per incident, repeat calls, non-crime calls) and the first call time (UTC) of
    every report group."""
    occ_utc = _to_utc(first["occurred_local"])
    call_utc = occ_utc + _secs(np.clip(rng.lognormal(np.log(240.0), 0.6, len(first)), 30, 2700))
    gi = np.flatnonzero(has_911)
    extra = np.where(rng.random(len(gi)) < DUPLICATE_CALL_SHARE, 1 + (rng.random(len(gi)) < 0.3), 0)
    gd = np.repeat(gi, extra)
    rank = np.concatenate([np.arange(1, k + 1) for k in extra]) if len(gd) else np.zeros(0, int)
    r = 20.0 * np.sqrt(rng.random(len(gd)))
    a = rng.uniform(0, 2 * np.pi, len(gd))
    n_noise = int(rng.poisson(CALLS_911_NOISE_RATE * len(gi)))
    noise_xy = sample_in_polygon(rng, city.boundary.geometries[0], n_noise)
    gx, gy = first["x"].to_numpy(), first["y"].to_numpy()
    cat = first["category"].to_numpy()
    parts = [
        pd.DataFrame(
            {
                "_utc": call_utc[gi],
                "_x": gx[gi] + rng.normal(0, 6.0, len(gi)),
                "_y": gy[gi] + rng.normal(0, 6.0, len(gi)),
                "nature": _by_category(rng, cat[gi], NATURES_911),
                "_key": first["incident_key"].to_numpy()[gi],
                "_planted": "ok",
            }
        ),
        pd.DataFrame(
            {
                "_utc": call_utc[gd] + _secs(rank * rng.uniform(60, 300, len(gd))),
                "_x": gx[gd] + r * np.cos(a),
                "_y": gy[gd] + r * np.sin(a),
                "nature": _by_category(rng, cat[gd], NATURES_911),
                "_key": first["incident_key"].to_numpy()[gd],
                "_planted": "duplicate_call",
            }
        ),
        pd.DataFrame(
            {
                "_utc": _uniform_utc(rng, n_noise),
                "_x": noise_xy[:, 0],
                "_y": noise_xy[:, 1],
                "nature": _choose(rng, NATURES_911_NOISE, size=n_noise),
                "_key": "",
                "_planted": "noise_call",
            }
        ),
    ]
    calls = pd.concat(parts, ignore_index=True).sort_values("_utc", kind="mergesort", ignore_index=True)
    utc = pd.DatetimeIndex(calls["_utc"])
    calls["call_id"] = [int(s) for s in _serial(utc.year, 8)]
    calls["call_time_utc"] = utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    calls["lat"], calls["lng"] = _lonlat_text(calls["_x"], calls["_y"], 5)
    area_code = _choose(rng, ("309", "217", "815"), size=len(calls))
    line = rng.integers(0, 100, len(calls))
    calls["caller_phone"] = [f"({a}) 555-01{n:02d}" for a, n in zip(area_code, line, strict=True)]
    # Bad coordinates only on calls without repeats, so every duplicate_call has a usable first call.
    repeated = calls["_key"].isin(set(calls.loc[calls["_planted"] == "duplicate_call", "_key"]))
    planted = _pick(rng, np.flatnonzero((calls["_planted"] == "ok") & ~repeated), PLANTED_911)
    for row, label in sorted(planted.items()):
        calls.loc[row, "lat"] = f"{float(calls.loc[row, 'lat']) * 10:.5f}"
        calls.loc[row, "_planted"] = label
    return calls, call_utc


def build_cad(rng, city: DemoCity, first, has_cad, has_rms, has_911, call_utc):
    """CAD events (crime events and non-crime noise) and the EventNo of every report group ("" if none)."""
    gi = np.flatnonzero(has_cad)
    occ_utc = _to_utc(first["occurred_local"])[gi]
    discovered = (first["origin"] == "discovered").to_numpy()[gi]
    by_911 = has_911[gi]
    source = np.where(by_911, "911", np.where(discovered, "OFFICER", "PHONE"))
    phone_delay = np.clip(rng.lognormal(np.log(480.0), 0.6, len(gi)), 60, 3600)
    received = np.where(
        by_911,
        call_utc[gi] + _secs(rng.uniform(30, 120, len(gi))),
        occ_utc + _secs(np.where(discovered, rng.uniform(0, 180, len(gi)), phone_delay)),
    )
    cat = first["category"].to_numpy()[gi]
    call_type = _by_category(rng, cat, CAD_CALL_TYPES)
    disposition = np.where(
        has_rms[gi], CAD_DISPOSITIONS_REPORT[0], _choose(rng, CAD_DISPOSITIONS_NO_REPORT, size=len(gi))
    )
    n_noise = int(rng.poisson(CAD_NOISE_RATE * len(gi)))
    noise_w = np.array([w for _, w, _ in CAD_NOISE_TYPES])
    noise_i = rng.choice(len(CAD_NOISE_TYPES), size=n_noise, p=noise_w / noise_w.sum())
    civilian = _choose(rng, ("911", "PHONE"), size=n_noise)
    noise_source = [CAD_NOISE_TYPES[i][2] or c for i, c in zip(noise_i, civilian, strict=True)]
    noise_xy = sample_in_polygon(rng, city.boundary.geometries[0], n_noise)
    events = pd.concat(
        [
            pd.DataFrame(
                {
                    "_utc": received,
                    "_x": first["x"].to_numpy()[gi] + rng.normal(0, 4.0, len(gi)),
                    "_y": first["y"].to_numpy()[gi] + rng.normal(0, 4.0, len(gi)),
                    "CallType": call_type,
                    "Disposition": disposition,
                    "Source": source,
                    "_key": first["incident_key"].to_numpy()[gi],
                    "_planted": "ok",
                    "_group": gi,
                }
            ),
            pd.DataFrame(
                {
                    "_utc": _uniform_utc(rng, n_noise),
                    "_x": noise_xy[:, 0],
                    "_y": noise_xy[:, 1],
                    "CallType": [CAD_NOISE_TYPES[i][0] for i in noise_i],
                    "Disposition": _choose(rng, CAD_DISPOSITIONS_NOISE, size=n_noise),
                    "Source": noise_source,
                    "_key": "",
                    "_planted": "noise_call",
                    "_group": -1,
                }
            ),
        ],
        ignore_index=True,
    ).sort_values("_utc", kind="mergesort", ignore_index=True)
    local = _to_local(events["_utc"])
    events["EventNo"] = ["E" + s for s in _serial(local.year, 8)]
    events["Received"] = local.strftime("%Y-%m-%d %H:%M:%S")
    events["Latitude"], events["Longitude"] = _lonlat_text(events["_x"], events["_y"], 6)
    names = _names(rng, len(events), last_first=False)
    events["CallerName"] = np.where(events["Source"] == "OFFICER", "", names)

    planted = _pick(rng, np.flatnonzero(events["_group"] >= 0), PLANTED_CAD)
    for row, label in sorted(planted.items()):
        events.loc[row, "_planted"] = label
        if label == "invalid_coordinates":
            events.loc[row, "Latitude"] = f"{float(events.loc[row, 'Latitude']) * 100:.6f}"
        elif label == "zero_coordinates":
            events.loc[row, ["Latitude", "Longitude"]] = ["0.000000", "0.000000"]
        elif label == "missing_coordinates":
            events.loc[row, ["Latitude", "Longitude"]] = ["", ""]
        elif label == "outside_jurisdiction":
            x, y = _away(rng, [events.loc[row, "_x"]], [events.loc[row, "_y"]])
            lat, lon = _lonlat_text(x, y, 6)
            events.loc[row, ["Latitude", "Longitude"]] = [lat[0], lon[0]]
        elif label == "unparseable_date":
            events.loc[row, "Received"] = str(rng.choice(BAD_CAD_TIMES))
    event_of_group = np.full(len(first), "", dtype=object)
    crime = events["_group"].to_numpy() >= 0
    event_of_group[events["_group"].to_numpy()[crime]] = events["EventNo"].to_numpy()[crime]
    return events, event_of_group

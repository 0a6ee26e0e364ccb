"""RMS (records management system) rows of the demo exports.

One row per offence; rows are in data-entry order (each report is entered a few hours after the
offence; reversals days later). See :mod:`beatcast.core.demo_exports` for the format and the meaning of
each planted problem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .demo_export_rows import (
    BAD_RMS_DATES,
    PLANTED_RMS,
    UNFOUNDED_REPORTS,
    UNMATCHED_REVERSALS,
    _away,
    _names,
    _pick,
    _secs,
)
from .demo_geometry import sample_in_polygon
from .demo_incidents import CATEGORIES, PERIOD_END, PERIOD_START
from .demo_vocab import RMS_OFFENCES, STREETS

if TYPE_CHECKING:
    from .demo_city import DemoCity

DATE_ONLY_CATEGORIES = ("burglary", "theft", "vehicle_crime")  # offences often found after the fact
UNPADDED_DATE_SHARE = 0.35


def _offences(rng, categories: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(OffenseCode, OffenseDesc) per offence, drawn by the code weights of its category."""
    codes = np.empty(len(categories), dtype=object)
    descs = np.empty(len(categories), dtype=object)
    for category, options in RMS_OFFENCES.items():
        mask = categories == category
        w = np.array([o[2] for o in options])
        pick = rng.choice(len(options), size=int(mask.sum()), p=w / w.sum())
        codes[mask] = np.array([o[0] for o in options], dtype=object)[pick]
        descs[mask] = np.array([o[1] for o in options], dtype=object)[pick]
    return codes, descs


def _wrong_offence(rng, code: str) -> tuple[str, str]:
    options = [(c, d) for offences in RMS_OFFENCES.values() for c, d, _ in offences if c != code]
    return options[int(rng.integers(len(options)))]


def _addresses(rng, n: int) -> list[str]:
    street = rng.integers(len(STREETS), size=n)
    number = rng.integers(100, 4000, size=n)
    apt = np.where(rng.random(n) < 0.2, rng.integers(1, 40, size=n), 0)
    return [
        f"{no} {STREETS[s]}" + (f", Apt {a}" if a else "")
        for s, no, a in zip(street, number, apt, strict=True)
    ]


def _date_text(ts: pd.Timestamp, unpadded: bool) -> str:
    if unpadded:
        return f"{ts.month}/{ts.day}/{ts.year}"
    return f"{ts.month:02d}/{ts.day:02d}/{ts.year}"


def _format(rng, row: dict) -> dict:
    """Text fields of one row, with its planted problem applied."""
    ts, planted = row["occ"], row["_planted"]
    date = _date_text(ts, row["unpadded"])
    time = f"{ts.hour:02d}{ts.minute:02d}"
    x, y = f"{row['x']:.2f}", f"{row['y']:.2f}"
    if planted == "unparseable_date":
        date = BAD_RMS_DATES[int(rng.integers(len(BAD_RMS_DATES)))]
    elif planted == "date_only":
        time = ""
    elif planted == "month_only":
        date, time = f"{ts.month:02d}/{ts.year}", ""
    elif planted == "zero_coordinates":
        x, y = "0", "0"
    elif planted == "missing_coordinates":
        x, y = "", ""
    elif planted == "outside_jurisdiction":
        ax, ay = _away(rng, [row["x"]], [row["y"]])
        x, y = f"{ax[0]:.2f}", f"{ay[0]:.2f}"
    return {"DateOccurred": date, "TimeOccurred": time, "X": x, "Y": y}


def _extra_reports(rng, city: DemoCity, n: int, start: pd.Timestamp, minutes: int) -> dict:
    """Offences that are no truth incident (unfounded or older reports): random place, time and code."""
    xy = sample_in_polygon(rng, city.boundary.geometries[0], n)
    cats = np.asarray(CATEGORIES, dtype=object)[rng.integers(len(CATEGORIES), size=n)]
    codes, descs = _offences(rng, cats)
    return {
        "occ": [start + pd.Timedelta(minutes=int(m)) for m in rng.integers(minutes, size=n)],
        "xy": xy,
        "district": city.district_of(xy[:, 0], xy[:, 1]),
        "code": codes,
        "desc": descs,
        "victim": _names(rng, n),
        "address": _addresses(rng, n),
        "unpadded": rng.random(n) < UNPADDED_DATE_SHARE,
    }


def _ns(value) -> int:
    return int(np.datetime64(value, "ns").astype(np.int64))


def build_rms(rng, city: DemoCity, incidents: pd.DataFrame, group: np.ndarray, has_rms, event_of_group):
    """RMS rows in entry order, with ``_key`` and ``_planted``."""
    n_groups = len(has_rms)
    size = np.bincount(group, minlength=n_groups)
    occ = incidents["occurred_local"].to_numpy()
    g_occ = np.empty(n_groups, dtype="datetime64[ns]")
    g_occ[group] = occ
    delay = np.clip(rng.lognormal(np.log(5 * 3600.0), 0.8, n_groups), 600, 10 * 86400)
    entry = (g_occ + _secs(delay)).astype(np.int64)
    cats = incidents["category"].to_numpy()
    codes, descs = _offences(rng, cats)
    unpadded = rng.random(len(incidents)) < UNPADDED_DATE_SHARE
    victims = _names(rng, n_groups)
    addresses = _addresses(rng, n_groups)

    rms_groups = np.flatnonzero(has_rms)
    single = rms_groups[size[rms_groups] == 1]
    first_member = np.full(n_groups, -1)
    first_member[group[::-1]] = np.arange(len(group))[::-1]
    plant = _pick(rng, single, {k: v for k, v in PLANTED_RMS.items() if k != "date_only"})
    rest = np.array([g for g in single if g not in plant and cats[first_member[g]] in DATE_ONLY_CATEGORIES])
    plant.update(_pick(rng, rest, {"date_only": PLANTED_RMS["date_only"]}))

    members = np.split(np.argsort(group, kind="stable"), np.cumsum(size)[:-1])
    reports: list[tuple[int, str]] = []  # (first entry time in ns, preset ReportNo or "")
    rows: list[dict] = []

    def add(**row) -> None:
        row["_order"] = len(rows)
        rows.append(row)

    keys, xs, ys = incidents["incident_key"].to_numpy(), incidents["x"].to_numpy(), incidents["y"].to_numpy()
    districts = incidents["district_id"].to_numpy()
    for g in rms_groups:
        report = len(reports)
        reports.append((int(entry[g]), ""))
        for i in members[g]:
            base = dict(
                report=report, OffenseCode=codes[i], OffenseDesc=descs[i], occ=pd.Timestamp(occ[i]), x=xs[i],
                y=ys[i], Count="1", CADEvent=event_of_group[g], District=districts[i], VictimName=victims[g],
                VictimAddress=addresses[g], _entry=int(entry[g]), _key=keys[i], _planted="ok",
                unpadded=bool(unpadded[i]),
            )  # fmt: skip
            label = plant.get(int(g), "ok")
            if label == "reclassified":
                wrong_code, wrong_desc = _wrong_offence(rng, codes[i])
                later = int(entry[g]) + int(rng.uniform(1, 20) * 86400) * 10**9
                wrong = {**base, "OffenseCode": wrong_code, "OffenseDesc": wrong_desc}
                add(**{**wrong, "_planted": "reversed_original"})
                add(**{**wrong, "Count": "-1", "_planted": "reversal", "_entry": later})
                add(**{**base, "_entry": later})
            elif label == "exact_duplicate":
                add(**base)
                add(**{**base, "_planted": "exact_duplicate"})
            else:
                add(**{**base, "_planted": label})

    minutes = int((PERIOD_END - PERIOD_START) / pd.Timedelta(minutes=1))
    unfounded = _extra_reports(rng, city, UNFOUNDED_REPORTS, PERIOD_START, minutes)
    for k in range(UNFOUNDED_REPORTS):
        first_entry = _ns(unfounded["occ"][k] + pd.Timedelta(minutes=int(rng.integers(60, 2880))))
        report = len(reports)
        reports.append((first_entry, ""))
        base = dict(
            report=report, OffenseCode=unfounded["code"][k], OffenseDesc=unfounded["desc"][k],
            occ=unfounded["occ"][k], x=unfounded["xy"][k, 0], y=unfounded["xy"][k, 1], Count="1", CADEvent="",
            District=unfounded["district"][k], VictimName=unfounded["victim"][k],
            VictimAddress=unfounded["address"][k], _entry=first_entry, _key="", _planted="reversed_original",
            unpadded=bool(unfounded["unpadded"][k]),
        )  # fmt: skip
        later = first_entry + int(rng.uniform(1, 30) * 86400) * 10**9
        add(**base)
        add(**{**base, "Count": "-1", "_planted": "reversal", "_entry": later})
    # Reversals of December 2022 reports, which are not in this export.
    old = _extra_reports(rng, city, UNMATCHED_REVERSALS, pd.Timestamp("2022-12-01"), 31 * 1440)
    for k in range(UNMATCHED_REVERSALS):
        first_entry = _ns(PERIOD_START + pd.Timedelta(minutes=int(rng.integers(60, 28800))))
        report = len(reports)
        reports.append((first_entry, f"R22-{int(rng.integers(11000, 13500)):06d}"))
        add(
            report=report, OffenseCode=old["code"][k], OffenseDesc=old["desc"][k], occ=old["occ"][k],
            x=old["xy"][k, 0], y=old["xy"][k, 1], Count="-1", CADEvent="", District=old["district"][k],
            VictimName=old["victim"][k], VictimAddress=old["address"][k], _entry=first_entry, _key="",
            _planted="unmatched_reversal", unpadded=bool(old["unpadded"][k]),
        )  # fmt: skip

    # ReportNo: per entry year, in order of first entry.
    numbers = [""] * len(reports)
    counters: dict[int, int] = {}
    for r in sorted(range(len(reports)), key=lambda r: (reports[r][0], r)):
        first_entry, preset = reports[r]
        if preset:
            numbers[r] = preset
            continue
        year = pd.Timestamp(first_entry).year
        counters[year] = counters.get(year, 0) + 1
        numbers[r] = f"R{year % 100:02d}-{counters[year]:06d}"

    rows.sort(key=lambda row: (row["_entry"], row["_order"]))
    out: list[dict] = []
    for row in rows:
        # An exact duplicate directly follows its original (same entry time, next _order).
        text = out[-1] if row["_planted"] == "exact_duplicate" else _format(rng, row)
        out.append(
            {
                "ReportNo": numbers[row["report"]],
                "OffenseCode": row["OffenseCode"],
                "OffenseDesc": row["OffenseDesc"],
                **{k: text[k] for k in ("DateOccurred", "TimeOccurred", "X", "Y")},
                "Count": row["Count"],
                "CADEvent": row["CADEvent"],
                "District": row["District"],
                "VictimName": row["VictimName"],
                "VictimAddress": row["VictimAddress"],
                "_key": row["_key"],
                "_planted": row["_planted"],
            }
        )
    return pd.DataFrame(out)

"""Throughput of core.timeparse.parse_timestamps on one million rows (prints figures; not a test).

Run: .venv/bin/python benchmarks/bench_timeparse.py
Target: 1M mixed-format rows in under 5 s on a 2-core machine.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path

import numpy as np
import pandas as pd
from benchlib import link_checkout

ROOT = Path(__file__).resolve().parent.parent
N = 1_000_000


def _parse_timestamps():
    """Import from the checkout, linked as the package ``beatcast`` (benchlib.link_checkout)."""
    link_checkout()
    return importlib.import_module("beatcast.core.timeparse").parse_timestamps


def _minutes(rng: np.random.Generator, n: int) -> pd.DatetimeIndex:
    start = np.datetime64("2015-01-01T00:00")
    return pd.DatetimeIndex(start + rng.integers(0, 5 * 525_600, n).astype("timedelta64[m]"))


def _datasets(rng: np.random.Generator) -> dict[str, tuple[pd.Series, pd.Series | None]]:
    stamps = _minutes(rng, N)
    seconds = stamps + pd.to_timedelta(rng.integers(0, 60, N), unit="s")
    us_padded = pd.Series(stamps.strftime("%m/%d/%Y %H:%M"))
    us_unpadded = us_padded.str.replace(r"^0|(?<=/)0", "", regex=True)
    mixed = pd.Series(
        np.select(
            [rng.random(N) < p for p in (0.3, 0.5, 0.7, 0.85)],
            [
                us_padded.to_numpy(),
                us_unpadded.to_numpy(),
                seconds.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(),
                stamps.strftime("%d-%b-%Y %I:%M %p").to_numpy(),
            ],
            default=seconds.strftime("%Y-%m-%d %H:%M:%S+00:00").to_numpy(),
        )
    )
    mixed[rng.random(N) < 0.001] = "not a date"
    return {
        "US minute, padded (St. Louis style)": (us_padded, None),
        "mixed formats, ~1M distinct": (mixed, None),
        "ISO seconds, all distinct-ish": (pd.Series(seconds.strftime("%Y-%m-%d %H:%M:%S")), None),
        "date + HHMM time columns": (
            pd.Series(stamps.strftime("%Y-%m-%d")),
            pd.Series(stamps.strftime("%H%M").str.lstrip("0")),
        ),
        "date only (Portland style)": (pd.Series(stamps.strftime("%m/%d/%Y")), None),
        "month only (police.uk style)": (pd.Series(stamps.strftime("%Y-%m")), None),
    }


def main() -> None:
    parse_timestamps = _parse_timestamps()
    rng = np.random.default_rng(42)
    print(f"parse_timestamps, {N:,} rows, tz=America/Chicago")
    for name, (date, clock) in _datasets(rng).items():
        began = time.perf_counter()
        parsed = parse_timestamps(date, clock, tz="America/Chicago")
        seconds = time.perf_counter() - began
        failed = int((~parsed.ok).sum())
        print(f"  {name:38s} {seconds:6.2f} s  {N / seconds:>12,.0f} rows/s  failed {failed:,}")


if __name__ == "__main__":
    main()

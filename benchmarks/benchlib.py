"""What the benchmarks share: importing the checkout as ``beatcast``, peak memory, step timing."""

from __future__ import annotations

import atexit
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def link_checkout() -> None:
    """Make ``import beatcast`` import this checkout, whatever its folder is called (a temporary link)."""
    try:
        import beatcast  # noqa: F401

        return
    except ImportError:
        pass
    folder = Path(tempfile.mkdtemp(prefix="beatcast-bench-"))
    (folder / "beatcast").symlink_to(ROOT, target_is_directory=True)
    atexit.register(lambda: ((folder / "beatcast").unlink(), folder.rmdir()))  # the link, not the checkout
    sys.path.insert(0, str(folder))


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(label: str, started: float, width: int = 58) -> float:
    """Print a step's seconds and the peak memory; return the time to start the next step from."""
    now = time.perf_counter()
    print(f"  {label:<{width}} {now - started:7.2f} s   peak {peak_mb():7.0f} MB")
    return now

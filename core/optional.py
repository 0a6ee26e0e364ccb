"""Optional dependencies: what needs them, and the message that says what to install.

scikit-learn (Debian's python3-sklearn) serves the boosted forecasting model (and the ensemble that uses it)
and the mutual information of the bias audit's proxy check; OR-Tools serves patrol routing
(``core.patrol_routes.ortools_modules``, which loads it with the care QGIS needs). Everything else works
without them; the modules that need them import them through here, when first used.
"""

from __future__ import annotations

import importlib
import importlib.util

from .errors import BeatCastInputError

SKLEARN_INSTALL = (
    "{what} needs scikit-learn. Install Debian's package (apt install python3-sklearn) or your "
    "distribution's; never pip-install it into QGIS's Python, which would replace numpy and break QGIS."
)
ORTOOLS_HINT = "pip install --no-deps ortools absl-py immutabledict protobuf"


def sklearn(module: str, what: str):
    """``sklearn.<module>``, or BeatCastInputError saying that ``what`` needs scikit-learn."""
    try:
        return importlib.import_module(f"sklearn.{module}")
    except ImportError:
        raise BeatCastInputError(SKLEARN_INSTALL.format(what=what)) from None


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:  # a finder that refuses the name
        return False


def missing() -> dict[str, str]:
    """Optional packages that are not installed -> what is unavailable without them, and the fix."""
    out = {}
    if not _installed("sklearn"):
        out["scikit-learn"] = (
            "the boosted and ensemble forecasting models and the proxy check of Bias audit are unavailable; "
            "install python3-sklearn"
        )
    if not _installed("ortools"):
        out["OR-Tools"] = f"Patrol plan cannot route patrols; install it with `{ORTOOLS_HINT}`"
    return out

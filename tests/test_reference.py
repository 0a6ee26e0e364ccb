"""docs/reference.md is generated from the algorithms (scripts/algorithm_reference.py): never stale."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = REPO_ROOT / "scripts" / "algorithm_reference.py"


def test_reference_is_up_to_date():
    # A subprocess: a fresh QgsApplication with no translator installed by other tests, so the reference
    # is compared in English as it is generated.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(
            "docs/reference.md is stale (an algorithm, parameter or help text changed): run "
            "`python3 scripts/algorithm_reference.py` and commit docs/reference.md.\n"
            f"{result.stdout}\n{result.stderr[-2000:]}",
            pytrace=False,
        )


def test_help_html_to_markdown():
    spec = importlib.util.spec_from_file_location("algorithm_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    html = (
        "<p>Counts <b>incidents</b> per <i>cell</i>.<br>p &lt; 0.05</p>"
        "<ul><li><b>dist_<layer></b>: metres</li><li>x | y</li></ul><p>Run <code>a &lt;b&gt;</code></p>"
    )
    assert module.html_to_markdown(html) == (
        "Counts **incidents** per *cell*.\np \\< 0.05\n\n"
        "- **dist\\_\\<layer\\>**: metres\n- x \\| y\n\nRun `a <b>`"
    )

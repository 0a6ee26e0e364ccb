"""The real QGIS desktop loads BeatCast without a Python error (scripts/desktop_check.sh, ~20-30 s)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from algorithm_ids import EXPECTED_ALGORITHM_IDS

REPO_ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def test_desktop_loads_plugin_without_python_errors(tmp_path):
    missing = [tool for tool in ("qgis", "Xvfb") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"desktop check needs {' and '.join(missing)} (apt: qgis xvfb; make setup)")
    shot = tmp_path / "desktop.png"
    env = dict(os.environ)
    # pytest-qgis sets both for its own headless QgsApplication; the desktop runs on its own Xvfb and profile.
    for name in ("QT_QPA_PLATFORM", "QGIS_CUSTOM_CONFIG_PATH"):
        env.pop(name, None)
    completed = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "desktop_check.sh"), str(shot)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        stdin=subprocess.DEVNULL,
    )
    log_path = Path(f"{shot}.log")
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    report = f"{completed.stdout}\n{completed.stderr}\n--- QGIS message log (tail) ---\n{log[-6000:]}"
    assert completed.returncode == 0, report
    assert "plugin active: yes" in completed.stdout, report
    assert "error lines: 0" in completed.stdout, report
    assert shot.is_file() and shot.stat().st_size > 10_000, report
    algorithms = next(
        (line.split()[1:] for line in log.splitlines() if line.startswith("BEATCAST_ALGORITHMS")), []
    )
    assert algorithms == EXPECTED_ALGORITHM_IDS, report

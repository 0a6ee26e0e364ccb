"""Runs BeatCast algorithms through the real qgis_process executable, as an analyst's script would.

It goes through scripts/qgis_process.sh, the wrapper `make demo` uses: the plugin is enabled in a
throwaway profile (QGIS_CUSTOM_CONFIG_PATH plus a temporary HOME), so the user's QGIS profile is untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
WRAPPER = REPO_ROOT / "scripts" / "qgis_process.sh"


class QgisProcessError(RuntimeError):
    """qgis_process exited non-zero; the message holds its command line and output."""


def qgis_process_executable() -> str | None:
    """The qgis_process binary the wrapper will use, or None where QGIS is not installed."""
    if os.environ.get("QGIS_PROCESS"):
        return os.environ["QGIS_PROCESS"]
    if os.access("/usr/bin/qgis_process.bin", os.X_OK):  # Debian's /usr/bin/qgis_process wrapper is broken
        return "/usr/bin/qgis_process.bin"
    return shutil.which("qgis_process")


def parameter_arguments(parameters: dict) -> list[str]:
    """{"INPUT_FILES": [a, b], "SEED": 1} -> ["--INPUT_FILES=a", "--INPUT_FILES=b", "--SEED=1"]."""
    arguments = []
    for name, value in parameters.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, bool):
                item = "true" if item else "false"
            arguments.append(f"--{name}={item}")
    return arguments


def parse_json_answer(stdout: str) -> dict:
    """The JSON object qgis_process --json printed, skipping anything printed before it."""
    start = stdout.find("{")
    if start < 0:
        raise ValueError(f"no JSON in qgis_process output: {stdout[:500]!r}")
    return json.loads(stdout[start:])


def run_qgis_process(
    arguments: list[str],
    env_dir: Path,
    timeout: float = 600,
    check: bool = True,
    plugin_dir: Path | None = None,
) -> subprocess.CompletedProcess:
    """Runs `qgis_process ARGUMENTS` with the plugin enabled in the throwaway profile kept in env_dir.

    plugin_dir: the folder loaded as the plugin "beatcast" (default: this checkout)."""
    env = dict(os.environ, BEATCAST_QP_DIR=str(env_dir), QT_QPA_PLATFORM="offscreen")
    env.pop("BEATCAST_PLUGIN_DIR", None)
    if plugin_dir is not None:
        env["BEATCAST_PLUGIN_DIR"] = str(plugin_dir)
    # pytest-qgis points QGIS_CUSTOM_CONFIG_PATH at its own profile: the wrapper sets its own.
    env.pop("QGIS_CUSTOM_CONFIG_PATH", None)
    command = ["bash", str(WRAPPER), *arguments]
    completed = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )
    if check and completed.returncode != 0:
        raise QgisProcessError(
            f"qgis_process exited {completed.returncode}: {' '.join(command)}\n"
            f"--- stdout ---\n{completed.stdout[-4000:]}\n--- stderr ---\n{completed.stderr[-4000:]}"
        )
    return completed


def run_algorithm(algorithm_id: str, parameters: dict, env_dir: Path, timeout: float = 600) -> dict:
    """Runs one algorithm with --json and returns qgis_process's parsed answer (its "results", "log"...)."""
    completed = run_qgis_process(
        ["--json", "run", algorithm_id, *parameter_arguments(parameters)], env_dir, timeout=timeout
    )
    return parse_json_answer(completed.stdout)

"""`make package` builds a zip that QGIS's "Install from ZIP" accepts, holding the plugin and nothing else."""

import configparser
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from algorithm_ids import EXPECTED_ALGORITHM_IDS
from qgis_process_utils import qgis_process_executable, run_qgis_process

REPO_ROOT = Path(__file__).resolve().parent.parent
REQUIRED_METADATA = [
    "name",
    "qgisMinimumVersion",
    "description",
    "about",
    "version",
    "author",
    "email",
    "repository",
]
MAX_BYTES = 25 * 1024 * 1024


def _metadata(text):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keep qgisMinimumVersion's case
    parser.read_string(text)
    return parser["general"]


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        ["make", "--no-print-directory", "package", f"DIST_DIR={dist}"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    version = _metadata((REPO_ROOT / "metadata.txt").read_text(encoding="utf-8"))["version"]
    path = dist / f"beatcast-{version}.zip"
    assert path.is_file(), f"make package did not write {path.name}: {sorted(p.name for p in dist.iterdir())}"
    return path


def test_one_top_folder_named_beatcast(package):
    names = zipfile.ZipFile(package).namelist()
    assert {name.split("/")[0] for name in names} == {"beatcast"}


def test_holds_what_qgis_loads(package):
    names = set(zipfile.ZipFile(package).namelist())
    for required in [
        "LICENSE",
        "metadata.txt",
        "__init__.py",
        "plugin.py",
        "icon.svg",
        "processing_provider/provider.py",
    ]:
        assert f"beatcast/{required}" in names


def test_metadata_has_the_required_fields(package):
    metadata = _metadata(zipfile.ZipFile(package).read("beatcast/metadata.txt").decode("utf-8"))
    missing = [field for field in REQUIRED_METADATA if not metadata.get(field, "").strip()]
    assert not missing, f"metadata.txt lacks {missing}"
    assert package.name == f"beatcast-{metadata['version']}.zip"


def test_holds_no_development_files(package):
    names = zipfile.ZipFile(package).namelist()
    unwanted = [
        name
        for name in names
        if any(
            part in {"__pycache__", ".git", "tests", "benchmarks", "docs", ".venv", "scripts"}
            for part in name.split("/")
        )
        or name.endswith((".pyc", ".pyo", ".ts"))
        or name.split("/", 1)[1]
        in {"Makefile", "pyproject.toml", "pb_tool.cfg", "requirements-dev.txt", ".gitignore"}
    ]
    assert not unwanted, unwanted


def test_is_small(package):
    assert package.stat().st_size < MAX_BYTES


@pytest.mark.qgis_process
def test_unzipped_plugin_loads_in_qgis_process(package, tmp_path):
    # What "Install from ZIP" does: unzip into the profile's plugins folder. Whatever the zip forgot to
    # ship (a module, a style) shows up here as a missing algorithm.
    if qgis_process_executable() is None:
        pytest.skip("qgis_process is not installed (make setup)")
    zipfile.ZipFile(package).extractall(tmp_path / "plugins")
    listing = run_qgis_process(
        ["list"], tmp_path / "qgis_process_env", timeout=120, plugin_dir=tmp_path / "plugins" / "beatcast"
    ).stdout
    for algorithm_id in EXPECTED_ALGORITHM_IDS:
        assert algorithm_id in listing, listing[-3000:]


@pytest.mark.desktop
def test_zip_installed_in_a_fresh_profile_loads_in_the_desktop(package, tmp_path):
    """Install from ZIP into a fresh profile, start the real QGIS under Xvfb: the plugin is active, every
    algorithm is there, and the message log holds no Python error."""
    missing = [tool for tool in ("qgis", "Xvfb") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"desktop check needs {' and '.join(missing)} (apt: qgis xvfb; make setup)")
    shot = tmp_path / "installed.png"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QGIS_CUSTOM_CONFIG_PATH")}
    env["BEATCAST_PLUGIN_ZIP"] = str(package)
    completed = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "desktop_check.sh"), str(shot)],
        env=env, capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    log = (
        Path(f"{shot}.log").read_text(encoding="utf-8", errors="replace")
        if Path(f"{shot}.log").exists()
        else ""
    )
    report = f"{completed.stdout}\n{completed.stderr}\n{log[-4000:]}"
    assert completed.returncode == 0 and "plugin active: yes" in completed.stdout, report
    assert "error lines: 0" in completed.stdout, report
    listed = next(
        (line.split()[1:] for line in log.splitlines() if line.startswith("BEATCAST_ALGORITHMS")), []
    )
    assert listed == EXPECTED_ALGORITHM_IDS, report

"""Keeps the layout honest: core/ stays free of QGIS and Qt, .ui files carry no wiring, files stay small."""

import ast
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCES = {".venv", ".git", "demo_output", "dist", "__pycache__", "build"}
QT_AND_QGIS_MODULES = {"qgis", "PyQt5", "PyQt6", "PyQt", "sip", "processing"}
MAX_LINES = 600


def _files(pattern, *folders):
    roots = [REPO_ROOT / f for f in folders] if folders else [REPO_ROOT]
    return sorted(
        path
        for root in roots
        if root.is_dir()
        for path in root.rglob(pattern)
        if not NOT_SOURCES.intersection(path.relative_to(REPO_ROOT).parts)
    )


def _imported_modules(path):
    """Top-level names of every absolute import in a Python file (relative imports stay in the plugin)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def _rel(path):
    return path.relative_to(REPO_ROOT).as_posix()


def test_core_never_imports_qgis_or_qt():
    offenders = [
        f"{_rel(path)}:{line} imports {module}"
        for path in _files("*.py", "core")
        for line, module in _imported_modules(path)
        if module in QT_AND_QGIS_MODULES
    ]
    assert not offenders, "core/ must stay pure numpy/pandas/scipy/sklearn:\n" + "\n".join(offenders)


def test_no_star_imports_from_qgis_or_qt():
    offenders = []
    for path in _files("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.split(".")[0] in QT_AND_QGIS_MODULES
                and any(alias.name == "*" for alias in node.names)
            ):
                offenders.append(f"{_rel(path)}:{node.lineno} from {node.module} import *")
    assert not offenders, "\n".join(offenders)


def test_ui_files_have_no_connections():
    # Signals are connected in Python, where they can be read and tested, not in Designer.
    offenders = [_rel(p) for p in _files("*.ui") if "<connections>" in p.read_text(encoding="utf-8")]
    assert not offenders, f".ui files with <connections>: {offenders}"


def test_plugin_files_stay_small():
    long_files = []
    for path in _files("*.py", "core", "processing_provider", "ui"):
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_LINES:
            long_files.append(f"{_rel(path)}: {count} lines")
    assert not long_files, f"split these (over {MAX_LINES} lines):\n" + "\n".join(long_files)


def test_import_guide_lists_every_field_and_reason():
    """docs/import.md stays true to the code: every output field, rejection reason, role and option."""
    from beatcast.core.fieldmap import OPTIONS, ROLES
    from beatcast.core.incidents import INCIDENT_FIELDS
    from beatcast.core.sources import REJECT_REASONS

    guide = (REPO_ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    for name in [*INCIDENT_FIELDS, *REJECT_REASONS, *ROLES, *OPTIONS]:
        assert f"`{name}`" in guide or (name in ("x", "y", "lon", "lat") and f"`{name}`," in guide), name

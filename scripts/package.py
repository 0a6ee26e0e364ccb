"""Builds the installable plugin (`make package`) or copies it into a QGIS profile (`make deploy`).

    python3 scripts/package.py zip [--dist DIR]          -> DIR/beatcast-<version>.zip, one folder beatcast/
    python3 scripts/package.py deploy --plugins-dir DIR  -> DIR/beatcast (replaced)

Both ship the same files: what QGIS loads, and nothing used only to develop (tests, benchmarks, docs,
.venv, build files, translation sources, caches). Standard library only, so it runs without the venv.
"""

import argparse
import configparser
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_NAME = "beatcast"
TOP_FILES = ["LICENSE", "metadata.txt", "__init__.py", "plugin.py", "icon.svg"]
TREES = ["core", "processing_provider", "ui", "styles", "models"]
SKIPPED_NAMES = {"__pycache__", ".DS_Store", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
SKIPPED_SUFFIXES = {".pyc", ".pyo", ".orig", ".rej", ".swp"}
# A fixed time stamp keeps the zip identical from one build to the next.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def plugin_version() -> str:
    metadata = configparser.ConfigParser(interpolation=None)
    metadata.read(ROOT / "metadata.txt", encoding="utf-8")
    return metadata["general"]["version"].strip()


def _shipped(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return not (
        any(part in SKIPPED_NAMES or part.startswith(".") for part in parts)
        or path.suffix in SKIPPED_SUFFIXES
        or path.name.endswith("~")
    )


def plugin_files() -> list[Path]:
    """Every file the installed plugin needs, relative to the repository root, sorted."""
    missing = [name for name in TOP_FILES if not (ROOT / name).is_file()]
    if missing:
        raise SystemExit(f"package: missing {', '.join(missing)}")
    files = [ROOT / name for name in TOP_FILES]
    for tree in TREES:
        if (ROOT / tree).is_dir():
            files += [p for p in (ROOT / tree).rglob("*") if p.is_file() and _shipped(p)]
    # Compiled translations only: the .ts sources stay in the repository.
    files += sorted((ROOT / "i18n").glob("*.qm"))
    return sorted(p.relative_to(ROOT) for p in files)


def build_zip(dist: Path) -> Path:
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{PLUGIN_NAME}-{plugin_version()}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel in plugin_files():
            info = zipfile.ZipInfo(f"{PLUGIN_NAME}/{rel.as_posix()}", date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (ROOT / rel).read_bytes())
    return target


def deploy(plugins_dir: Path) -> Path:
    target = plugins_dir / PLUGIN_NAME
    if target.is_symlink():
        target.unlink()  # a developer's link to a checkout: replace the link, never touch the checkout
    elif target.exists():
        shutil.rmtree(target)
    for rel in plugin_files():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target / rel)
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    zip_command = commands.add_parser("zip", help="build dist/beatcast-<version>.zip")
    zip_command.add_argument("--dist", type=Path, default=ROOT / "dist")
    deploy_command = commands.add_parser("deploy", help="copy the plugin into a QGIS plugins folder")
    deploy_command.add_argument("--plugins-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "zip":
        target = build_zip(args.dist)
        print(f"package: {target} ({target.stat().st_size / 1024:.0f} KiB, {len(plugin_files())} files)")
    else:
        target = deploy(args.plugins_dir)
        print(f"deploy: {target} (restart QGIS, or reload the plugin, to use it)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

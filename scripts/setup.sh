#!/usr/bin/env bash
# Installs what BeatCast's tests, demo and packaging need on Debian 12 (`make setup`).
# Idempotent, and fast when everything is present: one dpkg query and one stamp comparison.
#   1. Debian packages (QGIS, its Python, numpy/scipy/pandas/sklearn, Xvfb, Qt translation tools, poppler)
#   2. .venv made with --system-site-packages, so QGIS's Python and Debian's numpy/pandas are used as they are
#   3. the pinned dev tools (requirements-dev.txt) and OR-Tools (requirements-ortools.txt, --no-deps)
#   4. a check that the venv still uses Debian's numpy/pandas/scipy, and that QGIS and OR-Tools import
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  qgis python3-qgis qgis-providers python3-pyqt5
  python3-numpy python3-scipy python3-sklearn python3-pandas python3-rasterio python3-fiona
  python3-venv xvfb poppler-utils pyqt5-dev-tools qttools5-dev-tools
)
VENV=.venv
STAMP=$VENV/.beatcast-setup
SYSTEM_PYTHON=/usr/bin/python3

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

missing_apt_packages() {
  local pkg status
  for pkg in "${APT_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [[ $status == installed ]] || printf '%s\n' "$pkg"
  done
}

install_apt_packages() {
  local missing
  mapfile -t missing < <(missing_apt_packages)
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || die "not root and no sudo: install ${missing[*]} with apt-get"
    sudo=(sudo)
  fi
  say "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The stamp records what was installed; a change to a requirements file or to this script re-runs pip.
stamp_content() {
  cat requirements-dev.txt requirements-ortools.txt requirements-pysal.txt scripts/setup.sh | sha256sum | cut -d' ' -f1
}

make_venv() {
  if [[ -d $VENV ]]; then
    grep -q '^include-system-site-packages = true' "$VENV/pyvenv.cfg" 2>/dev/null ||
      die "$VENV exists without --system-site-packages (QGIS would not import): remove it and run make setup again"
    return 0
  fi
  say "creating $VENV (with Debian's site packages)"
  "$SYSTEM_PYTHON" -m venv --system-site-packages "$VENV"
}

# Pins Debian's numpy/pandas/scipy versions as pip constraints so no install can replace them.
system_constraints() {
  "$SYSTEM_PYTHON" - <<'PY'
import numpy, pandas, scipy
for m in (numpy, pandas, scipy):
    print(f"{m.__name__}=={m.__version__}")
PY
}

pip_install() {
  local constraints=$VENV/.system-constraints.txt
  system_constraints >"$constraints"
  say "installing dev tools (requirements-dev.txt)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -c "$constraints" -r requirements-dev.txt
  # --no-deps: ortools declares numpy>=2 and pandas>=2, which it does not need and we must not get.
  say "installing OR-Tools (requirements-ortools.txt, --no-deps)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r requirements-ortools.txt
  say "installing esda/libpysal for the Gi* comparison test (requirements-pysal.txt, --no-deps)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r requirements-pysal.txt
}

verify_venv() {
  "$VENV/bin/python" - <<'PY'
import sys

import numpy
import pandas
import scipy

bad = [
    f"{m.__name__} {m.__version__} from {m.__file__}"
    for m in (numpy, pandas, scipy)
    if not m.__file__.startswith("/usr/lib/python3/dist-packages/")
]
if bad:
    sys.exit(
        "setup: ERROR: the venv no longer uses Debian's packages: " + "; ".join(bad)
        + "\n  QGIS's Python is built against Debian's numpy: pip uninstall them from .venv"
    )
import qgis.core  # noqa: F401
from ortools.constraint_solver import pywrapcp  # noqa: F401
from ortools.sat.python import cp_model  # noqa: F401

print(f"setup: venv ok (numpy {numpy.__version__}, pandas {pandas.__version__}, scipy {scipy.__version__},"
      f" QGIS {qgis.core.Qgis.QGIS_VERSION}, OR-Tools importable)")
PY
}

install_apt_packages
make_venv
if [[ -f $STAMP && $(cat "$STAMP") == "$(stamp_content)" ]]; then
  exit 0
fi
pip_install
verify_venv
stamp_content >"$STAMP"

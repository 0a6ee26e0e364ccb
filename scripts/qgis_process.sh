#!/usr/bin/env bash
# qgis_process with BeatCast enabled in a throwaway QGIS profile: the user's own profile is never touched.
#
#   scripts/qgis_process.sh [qgis_process arguments...]
#   scripts/qgis_process.sh --json run beatcast:democity --SEED=20240101 --OUTPUT_FOLDER=/tmp/city
#   scripts/qgis_process.sh help beatcast:importincidents
#
# Sourced (as scripts/demo.sh does), it defines:
#   beatcast_qp_setup DIR      prepare DIR (plugin link, profile, home) and enable the plugin there, once
#   beatcast_qp_in DIR ARGS    run qgis_process in the environment prepared in DIR
#
# BEATCAST_PLUGIN_DIR  the plugin folder to load as "beatcast" (default: this checkout; the package test
#                  points it at the unzipped release)
# BEATCAST_QP_DIR  reuse this folder as the environment (the tests keep one per session); without it a
#                  temporary folder is made and removed on exit.
# QGIS_PROCESS     the executable; default /usr/bin/qgis_process.bin where present, since Debian's
#                  /usr/bin/qgis_process wrapper is broken, else qgis_process on PATH.
#
# PYTHONPATH gets "$dir/pylib", which links OR-Tools and its pure-Python dependencies from .venv.
#
# qgis_process 3.22 has no --profiles-path option. QGIS_CUSTOM_CONFIG_PATH points it at a fresh profiles
# folder (QgsApplication::init reads it), and HOME/XDG_* point at the same temporary folder because Qt
# still writes "~/.config/Unknown Organization/qgis_process.bin.conf" otherwise.

BEATCAST_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

beatcast_qp_bin() {
  if [[ -n ${QGIS_PROCESS:-} ]]; then
    printf '%s\n' "$QGIS_PROCESS"
  elif [[ -x /usr/bin/qgis_process.bin ]]; then
    printf '%s\n' /usr/bin/qgis_process.bin
  else
    command -v qgis_process || { echo "qgis_process not found: install QGIS (make setup)" >&2; return 1; }
  fi
}

beatcast_qp_in() {
  local dir=$1 bin
  shift
  bin=$(beatcast_qp_bin) || return 1
  env QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" \
    QGIS_PLUGINPATH="$dir/plugins" QGIS_CUSTOM_CONFIG_PATH="$dir/profiles" \
    HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" XDG_DATA_HOME="$dir/home/.local/share" \
    XDG_CACHE_HOME="$dir/home/.cache" XDG_RUNTIME_DIR="$dir/runtime" \
    PYTHONPATH="$dir/pylib${PYTHONPATH:+:$PYTHONPATH}" \
    "$bin" "$@"
}

beatcast_qp_setup() {
  local dir=$1
  mkdir -p "$dir/plugins" "$dir/profiles" "$dir/home" "$dir/runtime"
  chmod 700 "$dir/runtime"
  # The plugin is loaded under its installed name whatever the checkout folder is called.
  ln -sfn "${BEATCAST_PLUGIN_DIR:-$BEATCAST_ROOT}" "$dir/plugins/beatcast"
  # OR-Tools (patrol routing) from .venv, where make setup installs it with --no-deps: only its own
  # packages go on qgis_process's path, so QGIS keeps Debian's numpy and pandas.
  mkdir -p "$dir/pylib"
  local site pkg
  for site in "$BEATCAST_ROOT"/.venv/lib/python3*/site-packages; do
    for pkg in ortools ortools.libs absl immutabledict google; do
      [[ -e $site/$pkg ]] && ln -sfn "$site/$pkg" "$dir/pylib/$pkg"
    done
  done
  [[ -f $dir/.beatcast-enabled ]] && return 0
  if ! beatcast_qp_in "$dir" plugins enable beatcast >"$dir/enable.log" 2>&1; then
    echo "qgis_process could not enable the beatcast plugin:" >&2
    cat "$dir/enable.log" >&2
    return 1
  fi
  touch "$dir/.beatcast-enabled"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  if [[ -n ${BEATCAST_QP_DIR:-} ]]; then
    qp_dir=$BEATCAST_QP_DIR
  else
    qp_dir=$(mktemp -d -t beatcast-qp.XXXXXX)
    # rm -r removes the plugin symlink itself, never the checkout it points at
    trap 'rm -rf "$qp_dir"' EXIT
  fi
  beatcast_qp_setup "$qp_dir"
  beatcast_qp_in "$qp_dir" "$@"
fi

#!/usr/bin/env bash
# Starts the real QGIS desktop on a virtual screen (Xvfb) with this checkout loaded as the plugin
# "beatcast" in a fresh profile, saves a screenshot and the QGIS message log, and reports whether the
# plugin is active with no Python error (`make desktop-check`).
#
#   scripts/desktop_check.sh [OUT.png] [SCRIPT.py] [SECONDS]
#
# OUT.png    the screenshot (default demo_output/desktop_check.png); the log is written to OUT.png.log
# SCRIPT.py  optional Python run inside QGIS after start-up, with `iface` defined (open docks, load layers)
# SECONDS    how long to wait before the screenshot (default 12)
# Prints "screenshot: ... plugin active: yes|no  error lines: N"; exit 0 when the plugin is active and the
# log holds no Python error and no critical BeatCast message. Needs qgis and xvfb (make setup).
# The user's QGIS profile and home are untouched: the profile, HOME and XDG folders are temporary.
# BEATCAST_PLUGIN_ZIP=path/to/beatcast-x.y.z.zip installs that release instead of linking the checkout, as
# Plugins > Install from ZIP does: unzipped into the fresh profile's python/plugins folder.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$ROOT/demo_output/desktop_check.png}")
script=${2:-}
wait_s=${3:-12}
[[ -n $script ]] && script=$(realpath "$script")
for tool in qgis Xvfb; do
  command -v "$tool" >/dev/null || { echo "desktop check needs $tool (make setup)"; exit 2; }
done
mkdir -p "$(dirname "$out")"
rm -f "$out"

work=$(mktemp -d -t beatcast-desktop.XXXXXX)
xpid=
cleanup() {
  [[ -n $xpid ]] && kill "$xpid" 2>/dev/null && wait "$xpid" 2>/dev/null
  rm -rf "$work" # removes the plugin symlink, never the checkout
}
trap cleanup EXIT
mkdir -p "$work/plugins" "$work/profiles/default/QGIS" "$work/profiles/default/python" "$work/home" "$work/rt"
chmod 700 "$work/rt"
if [[ -n ${BEATCAST_PLUGIN_ZIP:-} ]]; then
  mkdir -p "$work/profiles/default/python/plugins"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$BEATCAST_PLUGIN_ZIP" "$work/profiles/default/python/plugins" || exit 1
else
  ln -s "$ROOT" "$work/plugins/beatcast"
fi
cat >"$work/profiles/default/QGIS/QGIS3.ini" <<INI
[PythonPlugins]
beatcast=true
processing=true
[qgis]
showTips=false
checkVersion=false
INI

# PYQGIS_STARTUP runs before plugins load, so it catches their load errors too.
cat >"$work/pyqgis_startup.py" <<PY
from qgis.core import QgsApplication
_log = open("$out.log", "w")
def _write(msg, tag, level):
    _log.write(f"[{tag}] {int(level)} {msg}\n"); _log.flush()
QgsApplication.messageLog().messageReceived.connect(_write)
import traceback, qgis.utils
def _show(etype, value, tb, msg=None, messagebar=False, level=None):
    # log instead of the modal error dialog, which would block an unattended run
    _log.write(f"[Python error] {msg}\n" + "".join(traceback.format_exception(etype, value, tb))); _log.flush()
qgis.utils.showException = _show
PY
cat >"$work/driver.py" <<PY
import qgis.utils
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication
from qgis.core import QgsApplication
def _shot():
    QApplication.primaryScreen().grabWindow(0).save("$out")
    provider = QgsApplication.processingRegistry().providerById("beatcast")
    algorithms = sorted(a.id() for a in provider.algorithms()) if provider else []
    with open("$out.log", "a") as f:
        f.write("ACTIVE_PLUGINS " + " ".join(sorted(qgis.utils.active_plugins)) + "\n")
        f.write("BEATCAST_ALGORITHMS " + " ".join(algorithms) + "\n")
    QgsApplication.exit(0)
qgis.utils.iface.mainWindow().showMaximized()
def _user():
    if "$script":
        ns = {"iface": qgis.utils.iface}
        try:
            exec(compile(open("$script").read(), "$script", "exec"), ns)
        except Exception:
            import traceback
            with open("$out.log", "a") as f:
                f.write("[SCRIPT ERROR] " + traceback.format_exc() + "\n")
    QTimer.singleShot(int($wait_s * 1000 / 2), _shot)
QTimer.singleShot(int($wait_s * 1000 / 2), _user)
PY
: >"$out.log"

# -displayfd makes Xvfb pick a free display and tell us which: no clash with another X server.
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xpid=$!
for _ in $(seq 100); do
  [[ -s $work/display ]] && break
  sleep 0.1
done
[[ -s $work/display ]] || { echo "Xvfb did not start:"; cat "$work/xvfb.log"; exit 1; }
display=:$(head -n1 "$work/display")

# QT_QPA_PLATFORM: a caller's "offscreen" (make test exports it) would hide the window from the screenshot.
env -u QGIS_CUSTOM_CONFIG_PATH QT_QPA_PLATFORM=xcb DISPLAY="$display" \
  PYQGIS_STARTUP="$work/pyqgis_startup.py" QGIS_PLUGINPATH="$work/plugins" \
  HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
  XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/rt" \
  timeout $((wait_s + 60)) qgis --nologo --noversioncheck --profiles-path "$work" \
  --code "$work/driver.py" >"$work/stdout.log" 2>&1

if [[ ! -f $out ]]; then
  echo "no screenshot; QGIS output:"
  tail -n 20 "$work/stdout.log"
  exit 1
fi
active=$(grep '^ACTIVE_PLUGINS' "$out.log" | grep -cw beatcast)
# Python errors, errors of the optional script, and critical messages that name the plugin
errors=$(grep -cE '^\[(Python error|SCRIPT ERROR)\]|^\[[^]]*\] 2 .*[Bb]eat[Cc]ast' "$out.log")
echo "screenshot: $out  log: $out.log  plugin active: $([[ $active -gt 0 ]] && echo yes || echo no)  error lines: $errors"
[[ $active -gt 0 && $errors == 0 ]]

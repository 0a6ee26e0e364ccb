#!/usr/bin/env bash
# The BeatCast demo (`make demo`): runs the pipeline end to end with qgis_process, on the seeded demo city,
# with the plugin enabled in a throwaway QGIS profile. Outputs go to demo_output/ (git-ignored):
#   demo_output/city/                  the demo city (boundary, beats, exports/*.csv, truth/*.csv)
#   demo_output/beatcast_demo.gpkg     incidents (and what the import rejected), the 150 m grid, cells with
#                                      counts, covariates, hot spots, the backtest tables, the forecast
#                                      (cells, hotspot zones) and the patrol plan (zones, routes, schedule);
#                                      the daily and weekly cubes beside it (beatcast_demo.<name>.cube.npz)
#   demo_output/forecast_*.tif         expected incidents next week and the 90 % interval bounds
#   demo_output/backtest_pai.png       mean PAI of each model by area flagged over the last 8 weeks
#   demo_output/bias_audit.html        who the patrol plan's visits reach, by census group, and proxy checks
#   demo_output/beatcast_demo.qgz      a QGIS project with every output styled, in groups (relative paths)
#   demo_output/roll_call_pack.pdf     the roll-call map pack: overview + one page per district, marked DRAFT
#                                      (no one has approved the demo's plan); PNG pages in roll_call_pages/
#   demo_output/summary.html           what ran, how long each step took, the key figures, links to outputs
#   demo_output/logs/STEP.json|.log    each step's qgis_process --json answer and its messages
# Prints each step's results, then a table of the steps with their timings; exits non-zero when a step fails.
#
# With DATA=path/to/export.csv (make demo DATA=...; several files: DATA="a.csv b.csv") the same chain runs
# on the user's own export(s) with detected fields, into DEMO_OUTPUT (default demo_output/data): import (time
# zone TZ, default UTC; SOURCE_CRS for projected x/y without a .prj), a grid of CELL_SIZE (default 250) m over
# the incidents' extent, weekly cube, Gi* and emerging hot spots, backtest, forecast, project and summary.
# Patrol plan, bias audit and map pack need stations, districts and census areas: they run on the demo city.
#
# To add a step: write a step_NAME function that calls `run_alg NAME ALGORITHM_ID --PARAM=VALUE...`
# (a step that runs several algorithms ends each call with `|| return 1`), and add NAME to STEPS.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/qgis_process.sh
source "$ROOT/scripts/qgis_process.sh"

DATA=${DATA:-}
if [[ -n $DATA ]]; then
  OUT=${BEATCAST_DEMO_OUTPUT:-$ROOT/demo_output/data}
else
  OUT=${BEATCAST_DEMO_OUTPUT:-$ROOT/demo_output}
fi
CITY=$OUT/city
GPKG=$OUT/beatcast_demo.gpkg
SEED=20240101
STEPS=(democity importincidents buildgrid aggregateincidents cellcovariates timecovariates weeklycube hotspotgistar
  emerginghotspots backtest forecastrisk patrolplan biasaudit project exportmappack)
# Model indices of beatcast:forecastrisk/backtest (core/forecasting.py MODELS): 0 ensemble, 1 boosted, 2 sepp,
# 3 prospective, 4 kde, 5 naive_recent, 6 naive_seasonal, 7 naive_long_run.
FEATURES=(--FEATURES=dist_pois_bar --FEATURES=count_pois_bar_300m --FEATURES=dist_pois_transit_stop
  --FEATURES=count_pois_transit_stop_300m --FEATURES=dist_pois_school --FEATURES=len_roads_arterial)

DATA_STEPS=(dataimport datagrid dataweeklycube hotspotgistar emerginghotspots databacktest dataforecast project)

step_dataimport() {
  local inputs=() file
  for file in $DATA; do
    [[ -f $file ]] || { echo "DATA: $file is not a file" >&2; return 1; }
    inputs+=(--INPUT_FILES="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")")
  done
  local crs=()
  [[ -n ${SOURCE_CRS:-} ]] && crs=(--SOURCE_CRS="$SOURCE_CRS")
  run_alg dataimport beatcast:importincidents "${inputs[@]}" "${crs[@]}" --TIMEZONE="${TZ:-UTC}" \
    --OUTPUT="$GPKG"
}

step_datagrid() {
  run_alg datagrid beatcast:buildgrid --EXTENT="$GPKG|layername=incidents" \
    --INCIDENTS="$GPKG|layername=incidents" --CELL_SIZE="${CELL_SIZE:-250}" --OUTPUT="$GPKG"
}

step_dataweeklycube() {
  run_alg dataweeklycube beatcast:aggregateincidents \
    --INCIDENTS="$GPKG|layername=incidents" --GRID="$GPKG|layername=grid" --UNIT=3 --CUBE_NAME=weekly \
    --OUTPUT="$GPKG"
}

step_databacktest() {
  run_alg databacktest beatcast:backtest \
    --CUBE="$GPKG" --CUBE_NAME=weekly --GRID="$GPKG|layername=grid" --MODELS=2,4,5,7 --PERIODS=8 \
    --CHART="$OUT/backtest_pai.png" --OUTPUT="$GPKG"
}

step_dataforecast() {
  run_alg dataforecast beatcast:forecastrisk \
    --CUBE="$GPKG" --CUBE_NAME=weekly --GRID="$GPKG|layername=grid" --MODEL=2 --HORIZON=0 \
    --HOTSPOT_AREA=5 --SEED=1 --EXPECTED_RASTER="$OUT/forecast_expected.tif" \
    --LOWER_RASTER="$OUT/forecast_lower90.tif" --UPPER_RASTER="$OUT/forecast_upper90.tif" --OUTPUT="$GPKG"
}

step_democity() {
  run_alg democity beatcast:democity --SEED="$SEED" --OUTPUT_FOLDER="$CITY"
}

step_importincidents() {
  run_alg importincidents beatcast:importincidents \
    --INPUT_FILES="$CITY/exports/rms_reports.csv" \
    --INPUT_FILES="$CITY/exports/cad_calls.csv" \
    --INPUT_FILES="$CITY/exports/calls_911.csv" \
    --SOURCE_CRS=EPSG:32616 --TIMEZONE=America/Chicago \
    --BOUNDARY="$CITY/boundary.geojson" \
    --CATEGORY_MAP="$CITY/exports/category_map.csv" \
    --MERGE_WITHIN_SOURCE=true \
    --OUTPUT="$GPKG"
}

step_buildgrid() {
  run_alg buildgrid beatcast:buildgrid \
    --BOUNDARY="$CITY/boundary.geojson" --SHAPE=0 --CELL_SIZE=150 \
    --LABELS="$CITY/districts.geojson" --LABEL_FIELDS=district_id \
    --INCIDENTS="$GPKG|layername=incidents" \
    --OUTPUT="$GPKG"
}

step_cellcovariates() {
  run_alg cellcovariates beatcast:cellcovariates \
    --GRID="$GPKG|layername=grid" \
    --POINT_LAYERS="$CITY/pois.geojson" --POINT_GROUP_FIELD=kind --RADIUS=300 \
    --LINE_LAYERS="$CITY/roads.geojson" --LINE_GROUP_FIELD=road_class \
    --POLYGONS="$CITY/census_areas.geojson" \
    --EXTENSIVE_FIELDS=pop_total --EXTENSIVE_FIELDS=pop_group_a --EXTENSIVE_FIELDS=pop_group_b \
    --EXTENSIVE_FIELDS=pop_group_c --EXTENSIVE_FIELDS=households \
    --OUTPUT="$GPKG"
}

step_timecovariates() {
  run_alg timecovariates beatcast:timecovariates \
    --CUBE="$GPKG" --CUBE_NAME=daily \
    --SERIES="$CITY/signals/weather_daily.csv" --SERIES="$CITY/signals/transit_ridership_daily.csv" \
    --HOW="precip_mm=sum,boardings=sum" --US_HOLIDAYS=true \
    --EVENTS="$CITY/signals/events.geojson" --GRID="$GPKG|layername=grid" --EVENT_WEIGHT=attendance \
    --OUTPUT="$GPKG"
}

step_weeklycube() {
  run_alg weeklycube beatcast:aggregateincidents \
    --INCIDENTS="$GPKG|layername=incidents" --GRID="$GPKG|layername=grid" \
    --UNIT=3 --START_DATE=2023-01-02 --END_DATE=2024-12-30 --CUBE_NAME=weekly \
    --OUTPUT="$GPKG"
}

step_hotspotgistar() {
  run_alg hotspotgistar beatcast:hotspotgistar \
    --INPUT="$GPKG|layername=cell_counts" --FIELD=total --NEIGHBOURS=0 --PERMUTATIONS=999 --SEED=1 \
    --OUTPUT="$GPKG"
}

step_emerginghotspots() {
  run_alg emerginghotspots beatcast:emerginghotspots \
    --CUBE="$GPKG" --CUBE_NAME=weekly --GRID="$GPKG|layername=grid" \
    --OUTPUT="$GPKG"
}

step_backtest() {
  run_alg backtest beatcast:backtest \
    --CUBE="$GPKG" --CUBE_NAME=weekly --GRID="$GPKG|layername=grid" \
    --MODELS=0,1,2,3,4,5,7 --PERIODS=8 \
    --COVARIATES="$GPKG|layername=cell_covariates" "${FEATURES[@]}" \
    --CHART="$OUT/backtest_pai.png" --OUTPUT="$GPKG"
}

step_forecastrisk() {
  run_alg forecastrisk beatcast:forecastrisk \
    --CUBE="$GPKG" --CUBE_NAME=weekly --GRID="$GPKG|layername=grid" --MODEL=0 --HORIZON=0 \
    --COVARIATES="$GPKG|layername=cell_covariates" "${FEATURES[@]}" --HOTSPOT_AREA=5 --SEED=1 \
    --EXPECTED_RASTER="$OUT/forecast_expected.tif" --LOWER_RASTER="$OUT/forecast_lower90.tif" \
    --UPPER_RASTER="$OUT/forecast_upper90.tif" --OUTPUT="$GPKG"
}

step_patrolplan() {
  run_alg patrolplan beatcast:patrolplan \
    --FORECAST="$GPKG|layername=forecast_cells" --FIELD=expected --CANDIDATES=60 \
    --STATIONS="$CITY/stations.geojson" --UNITS=8 --SHIFT_START=22:00 --SHIFT_MINUTES=480 \
    --DWELL_MINUTES=15 --VISITS_PER_ZONE=2 --MIN_REVISIT_MINUTES=120 \
    --ROADS="$CITY/roads.geojson" --SPEED_FIELD=speed_kmh --SPLIT_CROSSINGS=true \
    --DISTRICTS="$CITY/districts.geojson" --DISTRICT_FIELD=district_id --MIN_PER_DISTRICT=2 \
    --ROUTE_TIME_LIMIT=10 --SEED=1 --OUTPUT="$GPKG"
}

step_biasaudit() {
  local features=("${FEATURES[@]/--FEATURES=/--FEATURE_FIELDS=}")
  run_alg biasaudit beatcast:biasaudit \
    --CELLS="$GPKG|layername=patrol_zones" --EXPOSURE_FIELD=visits --EXPOSURE_KIND=1 \
    --AREAS="$CITY/census_areas.geojson" \
    --GROUP_FIELDS=pop_group_a --GROUP_FIELDS=pop_group_b --GROUP_FIELDS=pop_group_c \
    --INCIDENTS="$GPKG|layername=incidents" \
    --FEATURES="$GPKG|layername=cell_covariates" "${features[@]}" \
    --REPORT="$OUT/bias_audit.html" --OUTPUT="$GPKG"
}

step_project() {
  echo "== project: scripts/demo_project.py $OUT"
  /usr/bin/python3 "$ROOT/scripts/demo_project.py" "$OUT" 2>"$OUT/logs/project.log" ||
    { tail -n 20 "$OUT/logs/project.log" >&2; return 1; }
}

# The pack needs a project (layout export): one without layers (scripts/demo_project.py says why).
# DRAFT: the demo's plan has no approval.
step_exportmappack() {
  run_alg exportmappack beatcast:exportmappack --PROJECT_PATH="$OUT/logs/map_pack_project.qgz" \
    --PLAN="$GPKG" --DISTRICTS="$CITY/districts.geojson" --DISTRICT_FIELD=district_id --PAPER=0 \
    --SHIFT_LABEL="Demo night shift 22:00-06:00" --DRAFT=true \
    --OUTPUT_PDF="$OUT/roll_call_pack.pdf" --PNG_FOLDER="$OUT/roll_call_pages"
}

step_aggregateincidents() {
  run_alg aggregateincidents beatcast:aggregateincidents \
    --INCIDENTS="$GPKG|layername=incidents" --GRID="$GPKG|layername=grid" \
    --UNIT=2 --BY_CATEGORY=true --CUBE_NAME=daily \
    --OUTPUT="$GPKG"
}

# run_alg NAME ALGORITHM_ID PARAMS...: runs one algorithm with --json, keeps its answer and messages in
# logs/, prints its results.
run_alg() {
  local name=$1 alg=$2
  shift 2
  local json=$OUT/logs/$name.json log=$OUT/logs/$name.log
  echo "== $name: qgis_process run $alg $*"
  if ! beatcast_qp_in "$QP_DIR" --json run "$alg" "$@" >"$json" 2>"$log"; then
    echo "!! $alg failed; its messages ($log):" >&2
    tail -n 30 "$log" >&2
    return 1
  fi
  print_results "$json"
}

# Prints the results of a qgis_process --json answer: every number, text and path it returned.
print_results() {
  /usr/bin/env python3 - "$1" <<'PY'
import json
import sys

text = open(sys.argv[1], encoding="utf-8").read()
answer = json.loads(text[text.index("{"):])  # anything a plugin printed before the JSON is skipped
for key, value in sorted(answer.get("results", {}).items()):
    if isinstance(value, (list, dict)):
        value = json.dumps(value)
    print(f"   {key:<28} {value}")
PY
}

main() {
  mkdir -p "$OUT/logs"
  rm -rf "$CITY" "$GPKG" "$OUT"/logs/* "$OUT"/roll_call_pages "$OUT"/*.cube.npz
  QP_DIR=$(mktemp -d -t beatcast-demo.XXXXXX)
  trap 'rm -rf "$QP_DIR"' EXIT
  beatcast_qp_setup "$QP_DIR"

  local names=() seconds=() states=() failed=0 step t0 ds steps=("${STEPS[@]}")
  [[ -n $DATA ]] && steps=("${DATA_STEPS[@]}")
  for step in "${steps[@]}"; do
    t0=$(date +%s%N)
    if "step_$step"; then states+=(ok); else states+=(FAILED); failed=1; fi
    names+=("$step")
    ds=$((($(date +%s%N) - t0) / 100000000)) # tenths of a second
    seconds+=("$((ds / 10)).$((ds % 10))")
    if ((failed)); then break; fi
  done

  echo
  printf '%-20s %9s  %s\n' step seconds status
  local i
  for i in "${!names[@]}"; do
    printf '%-20s %9s  %s\n' "${names[$i]}" "${seconds[$i]}" "${states[$i]}"
  done
  for i in "${!names[@]}"; do
    printf '%s\t%s\t%s\n' "${names[$i]}" "${seconds[$i]}" "${states[$i]}"
  done >"$OUT/logs/timings.tsv"
  /usr/bin/env python3 "$ROOT/scripts/demo_summary.py" "$OUT" || failed=1
  echo "outputs: $OUT (open beatcast_demo.qgz in QGIS; summary.html in a browser)"
  return "$failed"
}

main "$@"

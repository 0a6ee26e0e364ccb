"""The seeded demo city: determinism, structure, planted crime patterns, messy exports and projection.

Plain pytest (no QGIS). The whole file runs in well under 30 s.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.spatial import cKDTree

from beatcast.core import demo_city, demo_export_rms, demo_export_rows, demo_exports, demo_signals, projection
from beatcast.core.demo_geometry import points_in_polygon, polygon_area

SEED = demo_city.DEFAULT_SEED


@pytest.fixture(scope="module")
def city():
    return demo_city.generate_city(SEED)


@pytest.fixture(scope="module")
def incidents(city):
    return city.incidents


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo_city_a")
    return folder, demo_city.write_demo_city(folder, seed=SEED)


@pytest.fixture(scope="module")
def files(written):
    """The three exports read back as text, and the truth."""
    folder, _ = written
    opts = {"dtype": str, "keep_default_na": False}
    rms = pd.read_csv(folder / "exports" / "rms_reports.csv", encoding="latin-1", **opts)
    cad = pd.read_csv(folder / "exports" / "cad_calls.csv", encoding="utf-8-sig", **opts)
    calls = pd.read_csv(folder / "exports" / "calls_911.csv", sep=";", encoding="utf-8", **opts)
    truth = pd.read_csv(folder / "truth" / "export_truth.csv", **opts)
    truth["row_number"] = truth["row_number"].astype(int)
    cmap = pd.read_csv(folder / "exports" / "category_map.csv", **opts)
    return {"rms": rms, "cad": cad, "911": calls, "truth": truth, "map": cmap}


def rows_of(files, source: str, planted: str) -> pd.DataFrame:
    """Rows of one export planted with one problem, joined with their truth."""
    truth = files["truth"]
    t = truth[(truth["source"] == source) & (truth["planted"] == planted)]
    rows = files[source].iloc[t["row_number"].to_numpy() - 1].copy()
    rows["incident_key"] = t["incident_key"].to_numpy()
    return rows


def to_xy(lat, lon):
    return projection.lonlat_to_utm(np.asarray(lon, float), np.asarray(lat, float), 16)


# --- determinism -------------------------------------------------------------------------------------


def test_same_seed_same_city_other_seed_differs(city):
    again = demo_city.generate_city(SEED)
    pd.testing.assert_frame_equal(city.incidents, again.incidents)
    for layer in demo_city.GEOJSON_LAYERS:
        a, b = getattr(city, layer), getattr(again, layer)
        assert a.attributes == b.attributes
        assert json.dumps(demo_city.feature_collection(layer, a)) == json.dumps(
            demo_city.feature_collection(layer, b)
        )
    other = demo_city.generate_city(SEED + 1)
    assert len(other.incidents) != len(city.incidents) or not other.incidents.equals(city.incidents)
    assert not np.array_equal(other.boundary_ring, city.boundary_ring)


def test_written_files_are_byte_identical(written, tmp_path):
    _, paths = written
    again = demo_city.write_demo_city(tmp_path, seed=SEED)
    assert set(paths) == set(again) == {
        *demo_city.GEOJSON_LAYERS,
        "rms_reports", "cad_calls", "calls_911", "category_map",
        "export_truth", "incidents_truth", "export_summary",
        "weather_daily", "transit_ridership_daily", "events",
    }  # fmt: skip
    for name, path in paths.items():
        assert path.read_bytes() == again[name].read_bytes(), name


# --- layers ------------------------------------------------------------------------------------------


def test_geojson_layers(written, city):
    folder, paths = written
    expected_fields = {
        "districts": {"district_id", "name"},
        "census_areas": {"area_id", "pop_total", "pop_group_a", "pop_group_b", "pop_group_c", "households"},
        "roads": {"road_id", "road_class", "speed_kmh"},
        "pois": {"poi_id", "kind", "name"},
        "stations": {"station_id", "district_id", "name"},
    }
    for layer in demo_city.GEOJSON_LAYERS:
        data = json.loads(paths[layer].read_text(encoding="utf-8"))
        assert data["crs"] == {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32616"}}
        assert len(data["features"]) == len(getattr(city, layer))
        for feature in data["features"]:
            assert expected_fields.get(layer, set()) <= set(feature["properties"])
        coords = np.array(
            [c for f in data["features"] for c in np.reshape(f["geometry"]["coordinates"], (-1, 2)).tolist()]
        )
        assert np.allclose(coords, np.round(coords, 2), atol=1e-9, rtol=0)
    assert len(city.districts) == 5 and len(city.stations) == 5
    assert 40 <= len(city.census_areas) <= 60
    kinds = city.pois.column("kind")
    assert {"bar", "transit_stop", "school"} == set(kinds) and kinds.count("bar") >= 30
    assert {"arterial", "collector", "local"} == set(city.roads.column("road_class"))
    lo, hi = city.boundary_ring.min(axis=0), city.boundary_ring.max(axis=0)
    assert 10_000 < hi[0] - lo[0] < 14_000 and 8_500 < hi[1] - lo[1] < 12_000
    lon, lat = projection.utm_to_lonlat(*city.centre_xy, 16)
    assert abs(lon + 89.60) < 0.01 and abs(lat - 40.70) < 0.01


def test_districts_and_areas_partition_the_boundary(city):
    area = polygon_area(city.boundary.geometries[0])
    for layer in (city.districts, city.census_areas):
        total = sum(polygon_area(g) for g in layer.geometries)
        assert abs(total - area) / area < 0.005
    # No overlaps, no gaps: random points inside the city fall in exactly one district and one area.
    pts = np.random.default_rng(1).uniform(city.boundary_ring.min(0), city.boundary_ring.max(0), (3000, 2))
    pts = pts[city.contains(pts[:, 0], pts[:, 1])]
    for layer in (city.districts, city.census_areas):
        hits = sum(points_in_polygon(pts[:, 0], pts[:, 1], g).astype(int) for g in layer.geometries)
        assert np.all(hits == 1)


def test_population_groups_are_uneven(city):
    attrs = city.census_areas.attributes
    total = np.array([a["pop_total"] for a in attrs], dtype=float)
    groups = np.array([[a[f"pop_group_{g}"] for g in "abc"] for a in attrs], dtype=float)
    assert np.array_equal(groups.sum(axis=1), total)
    share = groups / total[:, None]
    assert share[:, 0].max() - share[:, 0].min() > 0.5 and share[:, 1].max() - share[:, 1].min() > 0.5
    east = np.array([g[0][:-1, 0].mean() for g in city.census_areas.geometries]) > city.centre_xy[0]
    assert share[east, 0].mean() > 2 * share[~east, 0].mean()  # group A lives in the east
    assert share[~east, 1].mean() > 2 * share[east, 1].mean()  # group B in the west
    assert np.all(np.array([a["households"] for a in attrs]) < total)


# --- truth incidents ---------------------------------------------------------------------------------


def test_incident_table(incidents, city):
    assert list(incidents.columns) == [
        "incident_key", "category", "occurred_local", "x", "y", "district_id", "origin", "process",
    ]  # fmt: skip
    assert 25_000 <= len(incidents) <= 35_000
    assert incidents["incident_key"].is_unique
    assert set(incidents["category"]) == set(demo_city.CATEGORIES)
    assert set(incidents["process"]) == set(demo_city.PROCESSES)
    assert 0.15 < (incidents["origin"] == "discovered").mean() < 0.25
    t = incidents["occurred_local"]
    assert t.dt.tz is None and t.min() >= demo_city.PERIOD_START and t.max() < demo_city.PERIOD_END
    assert t.is_monotonic_increasing
    local = pd.DatetimeIndex(t).tz_localize(city.timezone, ambiguous=np.ones(len(t), bool), nonexistent="NaT")
    assert not local.isna().any()  # no time inside the spring daylight-saving gap
    assert city.contains(incidents["x"], incidents["y"]).all()
    assert (city.district_of(incidents["x"], incidents["y"]) == incidents["district_id"]).all()


def test_emerging_hotspot_starts_at_its_date(incidents):
    ex, ey = demo_city.EMERGING_CENTRE_XY
    near = np.hypot(incidents["x"] - ex, incidents["y"] - ey) < 150
    after = incidents["occurred_local"] >= demo_city.EMERGING_START
    days_before = (demo_city.EMERGING_START - demo_city.PERIOD_START).days
    days_after = (demo_city.PERIOD_END - demo_city.EMERGING_START).days
    rate_before = (near & ~after).sum() / days_before
    rate_after = (near & after).sum() / days_after
    assert (near & ~after).sum() <= 15 and (near & after).sum() >= 300
    assert rate_after > 30 * rate_before
    emerging = incidents.loc[incidents["process"] == "emerging", "occurred_local"]
    assert (emerging >= demo_city.EMERGING_START).all()


def test_drift_hotspot_follows_its_path(incidents):
    drift = incidents[incidents["process"] == "drift"]
    quarter = drift["occurred_local"].dt.to_period("Q")
    means = drift.groupby(quarter)[["x", "y"]].mean()
    mid = [p.start_time + (p.end_time - p.start_time) / 2 for p in means.index]
    cx, cy = demo_city.drift_centre(mid)
    assert np.hypot(means["x"] - cx, means["y"] - cy).max() < 150
    assert np.hypot(*(means.iloc[-1] - means.iloc[0])) > 1500


def test_weekly_and_daily_cycles(incidents):
    assault = incidents[incidents["category"] == "assault"]
    hour = assault["occurred_local"].dt.hour
    night = (hour >= 21) | (hour < 3)
    # After midnight belongs to the previous evening's night.
    night_of = (assault["occurred_local"] - pd.to_timedelta((hour < 3).astype(int), unit="D")).dt.dayofweek
    per_night = assault[night].groupby(night_of[night]).size()
    assert per_night[[4, 5]].mean() > 2 * per_night[[0, 1, 2]].mean()  # Fri/Sat vs Mon-Wed nights
    burglary_hours = incidents.loc[incidents["category"] == "burglary", "occurred_local"].dt.hour
    assert burglary_hours.between(9, 17).mean() > 0.5  # burglary by day
    assert night.mean() > 0.45  # assault at night


def test_poi_hotspots_sit_on_their_pois(incidents, city):
    pts = np.array(city.pois.geometries)
    kinds = np.array(city.pois.column("kind"))
    poi = incidents[incidents["process"] == "poi"]
    for categories, kind in ((["assault", "robbery"], "bar"), (["theft"], "transit_stop")):
        sub = poi[poi["category"].isin(categories)]
        dist, _ = cKDTree(pts[kinds == kind]).query(sub[["x", "y"]].to_numpy())
        assert np.median(dist) < 80 and len(sub) > 1000


def test_near_repeat_burglaries_exceed_shuffled_times(incidents):
    burglary = incidents[incidents["category"] == "burglary"]
    days = burglary["occurred_local"].to_numpy().astype("int64") / 86_400e9
    pairs = cKDTree(burglary[["x", "y"]].to_numpy()).query_pairs(200.0, output_type="ndarray")

    def close_in_time(t):
        return int((np.abs(t[pairs[:, 0]] - t[pairs[:, 1]]) <= 7).sum())

    rng = np.random.default_rng(0)
    shuffled = np.mean([close_in_time(rng.permutation(days)) for _ in range(5)])
    assert close_in_time(days) > 3 * shuffled
    offspring = burglary[burglary["process"] == "near_repeat"]
    assert 0.2 < len(offspring) / len(burglary) < 0.4


# --- messy exports -----------------------------------------------------------------------------------


def test_planted_counts_match_the_truth(files, written):
    folder, _ = written
    truth = files["truth"]
    assert set(truth["planted"]) <= set(demo_exports.PLANTED_VALUES)
    for source in ("rms", "cad", "911"):
        assert (truth["source"] == source).sum() == len(files[source])
        rows = truth.loc[truth["source"] == source, "row_number"]
        assert rows.tolist() == list(range(1, len(files[source]) + 1))
    counts = truth.groupby(["source", "planted"]).size()
    summary = json.loads((folder / "truth" / "export_summary.json").read_text())
    for source in ("rms", "cad", "911"):
        assert summary["planted"][source] == counts[source].to_dict()
    rms = demo_export_rows.PLANTED_RMS
    for label in ("exact_duplicate", "zero_coordinates", "missing_coordinates", "outside_jurisdiction",
                  "unparseable_date", "date_only", "month_only"):  # fmt: skip
        assert counts["rms", label] == rms[label]
    pairs = rms["reclassified"] + demo_export_rows.UNFOUNDED_REPORTS
    assert counts["rms", "reversal"] == counts["rms", "reversed_original"] == pairs
    assert counts["rms", "unmatched_reversal"] == demo_export_rows.UNMATCHED_REVERSALS
    for label, n in demo_export_rows.PLANTED_CAD.items():
        assert counts["cad", label] == n
    assert counts["911", "invalid_coordinates"] == demo_export_rows.PLANTED_911["invalid_coordinates"]
    assert counts["cad", "noise_call"] > 1000 and counts["911", "noise_call"] > 500
    assert counts["911", "duplicate_call"] > 500


def test_coverage_shares(written, incidents):
    folder, _ = written
    s = json.loads((folder / "truth" / "export_summary.json").read_text())
    n = len(incidents)
    assert 0.82 < s["incidents_with_rms"] / n < 0.88
    assert 0.72 < s["incidents_with_cad"] / n < 0.78
    assert 0.37 < s["incidents_with_911"] / s["reported_incidents"] < 0.43
    assert s["cad_events_without_rms"] > 1000 and s["rms_reports_without_cad"] > 1000
    assert s["multi_offence_reports"] >= 20


def test_file_encodings(written):
    folder, _ = written
    rms = (folder / "exports" / "rms_reports.csv").read_bytes()
    assert "Rue de l'Été".encode("latin-1") in rms and b"\r\n" in rms
    with pytest.raises(UnicodeDecodeError):
        rms.decode("utf-8")
    assert (folder / "exports" / "cad_calls.csv").read_bytes().startswith(b"\xef\xbb\xbfEventNo,")
    assert (folder / "exports" / "calls_911.csv").read_bytes().startswith(b"call_id;call_time_utc;")


def test_ok_rows_describe_their_incident(files, incidents):
    truth = incidents.set_index("incident_key")
    rms = rows_of(files, "rms", "ok")
    t = truth.loc[rms["incident_key"]]
    when = pd.to_datetime(rms["DateOccurred"] + " " + rms["TimeOccurred"], format="%m/%d/%Y %H%M")
    assert (when.to_numpy() == t["occurred_local"].to_numpy()).all()
    assert np.allclose(rms["X"].astype(float), t["x"]) and np.allclose(rms["Y"].astype(float), t["y"])
    assert set(rms["Count"]) == {"1"} and set(rms["District"]) <= {f"D{i}" for i in range(1, 6)}

    cad = rows_of(files, "cad", "ok")
    t = truth.loc[cad["incident_key"]]
    lag = pd.to_datetime(cad["Received"]).to_numpy() - t["occurred_local"].to_numpy()
    lag = lag / np.timedelta64(1, "m")
    assert np.mean((lag >= -61) & (lag <= 61)) > 0.995  # a few minutes (the autumn hour repeats)
    x, y = to_xy(cad["Latitude"], cad["Longitude"])
    assert np.percentile(np.hypot(x - t["x"], y - t["y"]), 99) < 20
    assert ((cad["Source"] == "OFFICER") == (t["origin"] == "discovered").to_numpy()).all()

    calls = rows_of(files, "911", "ok")
    t = truth.loc[calls["incident_key"]]
    utc = pd.to_datetime(calls["call_time_utc"]).dt.tz_convert(demo_city.TIMEZONE).dt.tz_localize(None)
    lag = (utc.to_numpy() - t["occurred_local"].to_numpy()) / np.timedelta64(1, "m")
    assert np.mean((lag > 0) & (lag <= 46)) > 0.995
    x, y = to_xy(calls["lat"], calls["lng"])
    assert np.percentile(np.hypot(x - t["x"], y - t["y"]), 99) < 30
    # RMS reports point at their CAD event; companion offences share their primary's event.
    cad_keys = files["truth"].loc[files["truth"]["source"] == "cad", "incident_key"].to_numpy()
    event_key = pd.Series(cad_keys, index=files["cad"]["EventNo"].to_numpy())
    linked = rms[rms["CADEvent"] != ""]
    assert set(linked["CADEvent"]) <= set(event_key.index)
    same = linked["CADEvent"].map(event_key) == linked["incident_key"]
    assert 0.98 < same.mean() < 1.0
    # Conflicting ids: 911 call ids reuse the numbers inside CAD event numbers.
    assert len(set(files["cad"]["EventNo"].str[1:].astype(int)) & set(calls["call_id"].astype(int))) > 1000


def test_rms_planted_rows(files, city):
    rms, truth = files["rms"], files["truth"]
    t = truth[truth["source"] == "rms"]
    dup = t.index[t["planted"] == "exact_duplicate"] - t.index[0]
    assert (rms.iloc[dup].to_numpy() == rms.iloc[dup - 1].to_numpy()).all()
    assert (t["planted"].iloc[dup - 1] == "ok").all()
    # Netting by (ReportNo, OffenseCode) after dropping exact duplicates cancels exactly the reversals.
    counted = rms.assign(n=rms["Count"].astype(int), planted=t["planted"].to_numpy())
    counted = counted[counted["planted"] != "exact_duplicate"]
    net = counted.groupby(["ReportNo", "OffenseCode"])["n"].transform("sum")
    reversed_ = counted["planted"].isin(["reversal", "reversed_original"])
    assert (net[reversed_] == 0).all() and (net[counted["planted"] == "unmatched_reversal"] == -1).all()
    assert (net[counted["planted"] == "ok"] == 1).all()
    zero = rows_of(files, "rms", "zero_coordinates")
    assert (zero["X"].astype(float) == 0).all() and (zero["Y"].astype(float) == 0).all()
    missing = rows_of(files, "rms", "missing_coordinates")
    assert (missing["X"] == "").all() and (missing["Y"] == "").all()
    out = rows_of(files, "rms", "outside_jurisdiction")
    assert not city.contains(out["X"].astype(float), out["Y"].astype(float)).any()
    bad = rows_of(files, "rms", "unparseable_date")
    assert pd.to_datetime(bad["DateOccurred"], format="%m/%d/%Y", errors="coerce").isna().all()
    date_only = rows_of(files, "rms", "date_only")
    assert (date_only["TimeOccurred"] == "").all()
    assert pd.to_datetime(date_only["DateOccurred"], format="%m/%d/%Y").notna().all()
    month = rows_of(files, "rms", "month_only")
    assert month["DateOccurred"].str.fullmatch(r"\d\d/20\d\d").all() and (month["TimeOccurred"] == "").all()
    assert rms["DateOccurred"].str.match(r"\d/").any()  # some dates are unpadded
    assert (t["incident_key"] == "").sum() == 2 * demo_export_rms.UNFOUNDED_REPORTS + 8


def test_cad_and_911_planted_rows(files, city, incidents):
    cmap = files["map"]
    for source, column, map_source in (("cad", "CallType", "cad_calls"), ("911", "nature", "calls_911")):
        mapped = set(cmap.loc[cmap["source"] == map_source, "value"])
        noise = rows_of(files, source, "noise_call")
        assert not set(noise[column]) & mapped and (noise["incident_key"] == "").all()
        real = rows_of(files, source, "ok")
        assert set(real[column]) <= mapped
    assert (rows_of(files, "cad", "invalid_coordinates")["Latitude"].astype(float) > 90).all()
    assert (rows_of(files, "911", "invalid_coordinates")["lat"].astype(float) > 90).all()
    zero = rows_of(files, "cad", "zero_coordinates")
    assert (zero[["Latitude", "Longitude"]].astype(float) == 0).all().all()
    assert (rows_of(files, "cad", "missing_coordinates")[["Latitude", "Longitude"]] == "").all().all()
    out = rows_of(files, "cad", "outside_jurisdiction")
    x, y = to_xy(out["Latitude"], out["Longitude"])
    assert not city.contains(x, y).any()
    bad = rows_of(files, "cad", "unparseable_date")
    assert pd.to_datetime(bad["Received"], format="%Y-%m-%d %H:%M:%S", errors="coerce").isna().all()

    truth_911 = files["truth"][files["truth"]["source"] == "911"]
    calls = files["911"].assign(
        planted=truth_911["planted"].to_numpy(), incident_key=truth_911["incident_key"].to_numpy()
    )
    calls["t"] = pd.to_datetime(calls["call_time_utc"]).dt.tz_localize(None)
    first = calls[calls["planted"] == "ok"].set_index(
        "incident_key"
    )  # repeats always have a usable first call
    dup = calls[calls["planted"] == "duplicate_call"]
    gap = (dup["t"].to_numpy() - first.loc[dup["incident_key"], "t"].to_numpy()) / np.timedelta64(1, "m")
    assert ((gap > 0) & (gap <= 11)).all()
    truth = incidents.set_index("incident_key").loc[dup["incident_key"]]
    x, y = to_xy(dup["lat"], dup["lng"])
    assert (np.hypot(x - truth["x"], y - truth["y"]) < 21).all()


# --- signals beyond incidents ------------------------------------------------------------------------


def test_weather_and_ridership_files(written):
    _, paths = written
    assert paths["weather_daily"].parent.name == "signals"
    weather = pd.read_csv(paths["weather_daily"], dtype=str, keep_default_na=False)
    assert list(weather.columns) == list(demo_signals.WEATHER_COLUMNS)
    days = pd.date_range(demo_city.PERIOD_START, demo_city.PERIOD_END - pd.Timedelta(days=1)).strftime(
        "%Y-%m-%d"
    )
    assert weather["date"].tolist() == list(days)
    empty = (weather[["temp_max_c", "temp_min_c", "precip_mm"]] == "").sum().to_dict()
    assert empty == {"temp_max_c": demo_signals.MISSING_TEMP_MAX_DAYS, "temp_min_c": 0, "precip_mm": 5}
    assert not ((weather["temp_max_c"] == "") & (weather["precip_mm"] == "")).any()
    w = pd.read_csv(paths["weather_daily"], parse_dates=["date"])
    monthly = w.groupby(w["date"].dt.month)[["temp_max_c", "temp_min_c"]].mean()
    assert -5 < monthly.loc[1, "temp_max_c"] < 5 and 25 < monthly.loc[7, "temp_max_c"] < 33
    assert (w["temp_min_c"] < w["temp_max_c"]).sum() == w["temp_max_c"].notna().sum()
    precip = w["precip_mm"].dropna()
    assert (precip >= 0).all() and 0.55 < (precip == 0).mean() < 0.8  # zero-inflated
    assert 700 < precip.sum() / 2 < 1200  # mm a year
    transit = pd.read_csv(paths["transit_ridership_daily"], parse_dates=["date"])
    assert list(transit.columns) == list(demo_signals.TRANSIT_COLUMNS)
    assert (
        len(transit) == len(days) - demo_signals.MISSING_TRANSIT_DAYS
        and transit["date"].is_monotonic_increasing
    )
    by_day = transit.groupby(transit["date"].dt.dayofweek)["boardings"].mean()
    assert by_day[[1, 2, 3]].min() > 1.8 * by_day[5] and by_day[5] > by_day[6]


def test_events_file(written, city):
    _, paths = written
    data = json.loads(paths["events"].read_text(encoding="utf-8"))
    assert data["crs"] == {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32616"}}
    features = data["features"]
    assert len(features) == demo_signals.N_EVENTS
    props = pd.DataFrame([f["properties"] for f in features])
    assert list(props.columns) == ["event_id", "name", "kind", "start", "end", "attendance"]
    assert props["event_id"].tolist() == [f"EV{i:02d}" for i in range(1, len(features) + 1)]
    assert set(props["kind"]) == set(demo_signals.EVENT_KINDS)
    start, end = pd.to_datetime(props["start"]), pd.to_datetime(props["end"])
    assert props["start"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d").all()
    assert (end > start).all() and start.is_monotonic_increasing
    assert start.min() >= demo_city.PERIOD_START and end.max() < demo_city.PERIOD_END
    local = pd.DatetimeIndex(pd.concat([start, end])).tz_localize(
        demo_city.TIMEZONE, ambiguous="NaT", nonexistent="NaT"
    )
    assert not local.isna().any()  # no start or end in a clock-change hour
    assert (props["attendance"] > 0).all()
    types = [f["geometry"]["type"] for f in features]
    assert set(types) == {"Point", "Polygon"} and types.count("Polygon") >= 2
    for feature in features:
        xy = np.reshape(feature["geometry"]["coordinates"], (-1, 2))
        assert city.contains(xy[:, 0], xy[:, 1]).all()


def test_signals_do_not_touch_the_truth(city):
    # The signals draw from their own stream: generating them leaves the incidents as they were.
    before = city.incidents.copy()
    signals = demo_signals.make_signals(city, SEED)
    pd.testing.assert_frame_equal(city.incidents, before)
    pd.testing.assert_frame_equal(demo_city.generate_city(SEED).incidents, before)
    other = demo_signals.make_signals(city, SEED + 1)
    assert not other.weather_daily.equals(signals.weather_daily)


# --- projection --------------------------------------------------------------------------------------


def test_utm_zone_and_epsg():
    assert projection.utm_zone_for(-89.6, 40.7) == (16, False)
    assert projection.utm_zone_for(151.2, -33.9) == (56, True)
    assert projection.utm_zone_for(5.0, 60.0) == (32, False)  # Norway exception
    assert projection.utm_zone_for(15.0, 78.0) == (33, False)  # Svalbard exception
    assert projection.utm_zone_for(180.0, 10.0)[0] in (1, 60)
    assert projection.utm_epsg(16, False) == 32616 and projection.utm_epsg(56, True) == 32756
    with pytest.raises(ValueError):
        projection.utm_epsg(61)


def test_projection_round_trip():
    rng = np.random.default_rng(3)
    lon = -87.0 + rng.uniform(-3.5, 3.5, 5000)
    lat = rng.uniform(-80, 84, 5000)
    south = lat < 0
    for s in (False, True):
        x, y = projection.lonlat_to_utm(lon[south == s], lat[south == s], 16, s)
        lon2, lat2 = projection.utm_to_lonlat(x, y, 16, s)
        x2, y2 = projection.lonlat_to_utm(lon2, lat2, 16, s)
        assert np.abs(x2 - x).max() < 1e-6 and np.abs(y2 - y).max() < 1e-6
        assert np.abs(lon2 - lon[south == s]).max() < 1e-9 and np.abs(lat2 - lat[south == s]).max() < 1e-9
    x, y = projection.lonlat_to_utm(-89.6, 40.7, 16)
    assert isinstance(x, float) and abs(x - 280336.156) < 0.01 and abs(y - 4508706.361) < 0.01


def test_projection_agrees_with_pyproj():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyproj = pytest.importorskip("pyproj")
    rng = np.random.default_rng(4)
    for zone, south in ((16, False), (33, True), (1, False), (60, True)):
        cm = -183 + 6 * zone
        lon = cm + rng.uniform(-3.5, 3.5, 2000)
        lat = rng.uniform(0.5, 83.5, 2000) * (-1 if south else 1)
        transformer = pyproj.Transformer.from_crs(4326, projection.utm_epsg(zone, south), always_xy=True)
        ex, ey = transformer.transform(lon, lat)
        x, y = projection.lonlat_to_utm(lon, lat, zone, south)
        assert np.abs(x - ex).max() < 1e-3 and np.abs(y - ey).max() < 1e-3
        back_lon, back_lat = transformer.transform(ex, ey, direction="INVERSE")
        lon2, lat2 = projection.utm_to_lonlat(ex, ey, zone, south)
        assert np.abs(lon2 - back_lon).max() < 1e-8 and np.abs(lat2 - back_lat).max() < 1e-8

"""beatcast:importincidents through Processing: outputs, GeoPackage contents, styling, failures."""

import sqlite3

import pytest
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)

from beatcast.core import gpkg, runlog


@pytest.fixture(scope="module")
def demo_run(beatcast_provider, demo_city_dir, demo_import_params, tmp_path_factory):
    import processing

    out = tmp_path_factory.mktemp("import") / "incidents.gpkg"
    result = processing.run("beatcast:importincidents", demo_import_params(demo_city_dir, out))
    return out, result


def test_outputs_and_counts(demo_run):
    out, result = demo_run
    assert result["OUTPUT"] == f"{out}|layername=incidents"
    layer = QgsVectorLayer(result["OUTPUT"], "incidents", "ogr")
    assert layer.isValid() and layer.crs().authid() == "EPSG:32616"
    assert layer.featureCount() == result["ACCEPTED"] > 20000
    assert (
        result["ROWS_READ"]
        == result["ACCEPTED"] + result["MERGED"] + result["NETTED"] + result["REJECTED_COUNT"]
    )
    rejected = QgsVectorLayer(result["REJECTED"], "rejected", "ogr")
    assert rejected.isValid() and rejected.featureCount() == result["REJECTED_COUNT"] > 0
    names = [f.name() for f in layer.fields()]
    for personal in ("VictimName", "VictimAddress", "CallerName", "caller_phone"):
        assert personal not in names
    assert {"incident_id", "occurred_utc", "time_precision", "source_ids"} <= set(names)
    assert sorted(gpkg.table_names(out)) == [
        "beatcast_run_log",
        "import_accounting",
        "incidents",
        "rejected_rows",
    ]
    assert layer.dataProvider().hasSpatialIndex() in (1, 2)  # QgsFeatureSource.SpatialIndexPresent = 2


def test_run_log_records_the_run(demo_run):
    out, result = demo_run
    runs = runlog.read_runs(out)
    assert len(runs) == 1
    run = runs.iloc[0]
    assert run["algorithm"] == "beatcast:importincidents"
    assert '"rms_reports": "sha256:' in run["input_hashes_json"]
    assert f'"accepted": {result["ACCEPTED"]}' in run["counts_json"]


def test_rerun_appends_to_the_log_and_is_deterministic(demo_run, demo_city_dir, demo_import_params, tmp_path):
    import processing

    out, first = demo_run
    again = tmp_path / "again.gpkg"
    second = processing.run("beatcast:importincidents", demo_import_params(demo_city_dir, again))
    a = gpkg.read_table(out, "incidents").drop(columns="fid")
    b = gpkg.read_table(again, "incidents").drop(columns="fid")
    assert a.equals(b)
    processing.run("beatcast:importincidents", demo_import_params(demo_city_dir, again))
    assert len(runlog.read_runs(again)) == 2
    assert second["ACCEPTED"] == first["ACCEPTED"]


def test_styled_when_loaded(beatcast_provider, demo_city_dir, demo_import_params, tmp_path):
    import processing

    project = QgsProject.instance()
    project.clear()
    out = tmp_path / "loaded.gpkg"
    processing.runAndLoadResults("beatcast:importincidents", demo_import_params(demo_city_dir, out))
    layers = {layer.name(): layer for layer in project.mapLayers().values()}
    incidents = [lyr for lyr in layers.values() if lyr.source().endswith("layername=incidents")]
    assert len(incidents) == 1
    symbol = incidents[0].renderer().symbol()
    assert symbol.color().name() == "#b2182b"  # styles/incidents.qml
    assert any(lyr.source().endswith("layername=rejected_rows") for lyr in layers.values())
    project.clear()


def test_bad_inputs_fail_with_a_message_naming_file_or_field(beatcast_provider, tmp_path):
    import processing

    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(QgsProcessingException, match="empty.csv"):
        processing.run(
            "beatcast:importincidents", {"INPUT_FILES": [str(empty)], "OUTPUT": str(tmp_path / "o.gpkg")}
        )
    nodate = tmp_path / "nodate.csv"
    nodate.write_text("id,x,y\n1,2,3\n")
    with pytest.raises(QgsProcessingException, match="nodate: no date column"):
        processing.run(
            "beatcast:importincidents", {"INPUT_FILES": [str(nodate)], "OUTPUT": str(tmp_path / "o.gpkg")}
        )
    projected = tmp_path / "projected.csv"
    projected.write_text("id,date,x,y\n1,2024-01-01,280000,4500000\n")
    with pytest.raises(QgsProcessingException, match="projected: coordinates in fields x/y are projected"):
        processing.run(
            "beatcast:importincidents", {"INPUT_FILES": [str(projected)], "OUTPUT": str(tmp_path / "o.gpkg")}
        )
    with pytest.raises(QgsProcessingException, match="Foo"):
        processing.run(
            "beatcast:importincidents",
            {"INPUT_FILES": [str(projected)], "FIELD_MAP": "date=Foo", "OUTPUT": str(tmp_path / "o.gpkg")},
        )
    binary = tmp_path / "garbage.csv"
    binary.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(QgsProcessingException, match="garbage"):
        processing.run(
            "beatcast:importincidents", {"INPUT_FILES": [str(binary)], "OUTPUT": str(tmp_path / "o.gpkg")}
        )
    with pytest.raises(QgsProcessingException, match="missing.csv"):
        processing.run(
            "beatcast:importincidents",
            {"INPUT_FILES": [str(tmp_path / "missing.csv")], "OUTPUT": str(tmp_path / "o.gpkg")},
        )
    assert not (tmp_path / "o.gpkg").exists()


def test_cancelled_run_leaves_no_output(beatcast_provider, demo_city_dir, demo_import_params, tmp_path):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().createAlgorithmById("beatcast:importincidents")
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(lambda p: feedback.cancel() if p > 30 else None)
    context = QgsProcessingContext()
    out = tmp_path / "cancelled.gpkg"
    results, ok = alg.run(demo_import_params(demo_city_dir, out), context, feedback)
    assert feedback.isCanceled()
    assert not out.exists()
    assert not list(tmp_path.glob("*.gpkg"))


def test_ogr_layers_and_geometry_inputs(beatcast_provider, tmp_path):
    """A GeoPackage point layer in lon/lat, read through OGR, with a date-typed field."""
    import processing
    from osgeo import ogr, osr

    path = tmp_path / "points.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("calls", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("call_id", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("occurred", ogr.OFTDateTime))
    for i in range(5):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("call_id", f"C{i}")
        f.SetField("occurred", f"2024/03/0{i + 1} 10:00:00")
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT (-89.6{i} 40.7)" if i else "POINT EMPTY"))
        layer.CreateFeature(f)
    ds = None
    out = tmp_path / "out.gpkg"
    result = processing.run("beatcast:importincidents", {"INPUT_FILES": [str(path)], "OUTPUT": str(out)})
    assert result["ACCEPTED"] == 4 and result["REJECTED_COUNT"] == 1
    assert result["OUTPUT_CRS"] == "EPSG:32616"
    with sqlite3.connect(out) as con:
        reason = con.execute("SELECT reason FROM rejected_rows").fetchone()[0]
    assert reason == "missing_coordinates"


def test_project_layers_and_study_period(beatcast_provider, tmp_path):
    """INPUT_LAYERS takes any vector layer (here a memory layer); START/END reject by local date."""
    import processing
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY

    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=event:string&field=when:string", "cad", "memory")
    features = []
    for i, when in enumerate(
        ["2024-02-28 23:30", "2024-03-01 00:30", "2024-03-31 23:59", "2024-04-01 00:01"]
    ):
        f = QgsFeature(layer.fields())
        f.setAttributes([f"E{i}", when])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(-89.6 + i * 0.001, 40.7)))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)  # as an analyst's project layer
    out = tmp_path / "layers.gpkg"
    result = processing.run(
        "beatcast:importincidents",
        {
            "INPUT_LAYERS": [layer],
            "FIELD_MAP": "datetime=when, id=event",
            "TIMEZONE": "America/Chicago",
            "START_DATE": "2024-03-01",
            "END_DATE": "2024-04-01",
            "OUTPUT": str(out),
        },
    )
    assert result["ROWS_READ"] == 4 and result["ACCEPTED"] == 2
    rejected = gpkg.read_table(out, "rejected_rows")
    assert sorted(rejected["row_number"]) == [1, 4]
    assert set(rejected["reason"]) == {"outside_study_period"}
    QgsProject.instance().removeMapLayer(layer.id())

"""beatcast:exportmappack on the demo city: approval gate, draft marking, pages, text, no personal data."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from qgis.core import QgsProcessingException, QgsProject, QgsVectorLayer

from beatcast.core import approval, runlog
from beatcast.ui import map_pack

APPROVER = "Sgt. Dana Reyes"
EXPORT = "beatcast:exportmappack"
N_DISTRICTS = 5  # the demo city's D1..D5


def _copy(plan, tmp_path):
    target = tmp_path / "plan.gpkg"
    shutil.copyfile(plan, target)
    return target


def _params(plan, city, tmp_path, **extra):
    return {
        "PLAN": str(plan),
        "DISTRICTS": str(city / "districts.geojson"),
        "DISTRICT_FIELD": "district_id",
        "OUTPUT_PDF": str(tmp_path / "pack" / "roll_call.pdf"),
        **extra,
    }


def _pdf_pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


def _pdf_text(pdf: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: make setup")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    return unicodedata.normalize("NFKC", text)  # the PDF's fonts set "fi" as a ligature


def _personal_names(city: Path, n: int = 40) -> list[str]:
    rms = pd.read_csv(city / "exports" / "rms_reports.csv", encoding="latin-1", dtype=str)
    cad = pd.read_csv(city / "exports" / "cad_calls.csv", encoding="utf-8-sig", dtype=str)
    names = pd.concat([rms["VictimName"], cad["CallerName"], rms["VictimAddress"]]).dropna()
    names = names[names.str.len() >= 6].drop_duplicates()
    assert len(names) >= n
    return names.sample(n, random_state=1).tolist()


def test_export_is_refused_without_approval(demo_plan, demo_city_dir, tmp_path):
    import processing

    plan = _copy(demo_plan, tmp_path)
    run_id = approval.latest_plan_run(plan)
    with pytest.raises(QgsProcessingException, match=f"patrol plan run {run_id} .* has no approval"):
        processing.run(EXPORT, _params(plan, demo_city_dir, tmp_path))
    assert not (tmp_path / "pack" / "roll_call.pdf").exists()
    assert not list((tmp_path / "pack").glob("*")) if (tmp_path / "pack").exists() else True
    approval.record_decision(plan, run_id, "rejected", "Lt. Morgan", "Zone 2 covers a school at night")
    with pytest.raises(QgsProcessingException, match="rejected by Lt. Morgan"):
        processing.run(EXPORT, _params(plan, demo_city_dir, tmp_path))
    with pytest.raises(QgsProcessingException, match="no run 'nope'"):
        processing.run(EXPORT, _params(plan, demo_city_dir, tmp_path, PLAN_RUN_ID="nope", DRAFT=True))


def test_a_plan_edited_after_approval_is_refused(demo_plan, demo_city_dir, tmp_path):
    from contextlib import closing

    import processing

    from beatcast.core import gpkg

    plan = _copy(demo_plan, tmp_path)
    approval.record_decision(plan, approval.latest_plan_run(plan), "approved", APPROVER, "ok")
    with closing(gpkg.connect(plan)) as con:  # with the spatial-index functions its triggers call
        con.execute("UPDATE patrol_zones SET visits = visits + 1 WHERE rank = 1")
        con.commit()
    with pytest.raises(QgsProcessingException, match="changed since Sgt. Dana Reyes approved them"):
        processing.run(EXPORT, _params(plan, demo_city_dir, tmp_path))


def test_draft_export_marks_every_page(demo_plan, demo_city_dir, tmp_path):
    import processing

    plan = _copy(demo_plan, tmp_path)
    result = processing.run(EXPORT, _params(plan, demo_city_dir, tmp_path, DRAFT=True))
    assert result["PAGES"] == 1 + N_DISTRICTS and result["APPROVAL"] == map_pack.DRAFT_TEXT
    assert _pdf_pages(Path(result["OUTPUT_PDF"])) == 1 + N_DISTRICTS
    # The layout itself: every page carries the DRAFT mark and the disclaimer.
    districts = QgsVectorLayer(str(demo_city_dir / "districts.geojson"), "districts", "ogr")
    layout = map_pack.build_map_pack(QgsProject.instance(), plan, approval.latest_plan_run(plan), None,
                                     districts, "district_id")  # fmt: skip
    assert layout.pageCollection().pageCount() == 1 + N_DISTRICTS
    for page in range(1 + N_DISTRICTS):
        texts = map_pack.layout_texts(layout, page)
        assert texts.count(map_pack.DRAFT_TEXT) == 2, texts  # the map banner and the approval block
        assert map_pack.DISCLAIMER in texts
    assert "District D3" in map_pack.layout_texts(layout, 3)
    assert not QgsProject.instance().mapLayers() or all(
        layer.name() != "Patrol zones (rank)" for layer in QgsProject.instance().mapLayers().values()
    )  # the pack's layers stay in the pack's own project
    text = _pdf_text(Path(result["OUTPUT_PDF"]))
    assert text.count(map_pack.DRAFT_TEXT) >= 2 * (1 + N_DISTRICTS)
    export = runlog.read_runs(plan).iloc[-1]
    assert export["algorithm"] == "beatcast:exportmappack" and '"draft": true' in export["counts_json"]


def test_approved_export_pages_pngs_text_and_no_personal_data(demo_plan, demo_city_dir, tmp_path):
    import processing

    plan = _copy(demo_plan, tmp_path)
    run_id = approval.latest_plan_run(plan)
    approval.record_decision(plan, run_id, "rejected", "Lt. Morgan", "first draft too thin in D2")
    decision_id = approval.record_decision(plan, run_id, "approved", APPROVER, "Matches the briefing")
    params = _params(plan, demo_city_dir, tmp_path, PNG_FOLDER=str(tmp_path / "png"), PAPER=1)
    result = processing.run(EXPORT, params)
    pdf = Path(result["OUTPUT_PDF"])
    pages = _pdf_pages(pdf)
    assert pages == result["PAGES"] == 1 + N_DISTRICTS
    assert APPROVER in result["APPROVAL"] and decision_id in result["APPROVAL"]
    assert [p.name for p in sorted((tmp_path / "png").glob("*.png"))] == [
        f"roll_call_page{k:02d}.png" for k in range(1, pages + 1)
    ]
    assert [p.name for p in (tmp_path / "pack").iterdir()] == ["roll_call.pdf"]  # no temporary file left
    # Rendered pages are not blank in the map area (left 57 % of the page, below the header band).
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed: make setup")
    from qgis.PyQt.QtGui import QImage

    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == pages
    shares = []
    for path in rendered:
        image = QImage(str(path)).convertToFormat(QImage.Format_RGB888)
        width, height = image.width(), image.height()
        data = np.frombuffer(image.constBits().asstring(image.sizeInBytes()), np.uint8)
        pixels = data.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3)
        area = pixels[int(height * 0.2) : int(height * 0.9), int(width * 0.05) : int(width * 0.55)]
        shares.append(float((area.min(axis=2) < 235).mean()))
    print("non-white share of the map area per page:", [f"{s:.0%}" for s in shares])
    assert min(shares) > 0.3, shares
    text = _pdf_text(pdf)
    flat = " ".join(text.split())
    assert map_pack.DISCLAIMER in flat
    assert flat.count(f"APPROVED by {APPROVER}") == pages and "Matches the briefing" in flat
    assert map_pack.DRAFT_TEXT not in flat
    for name in _personal_names(demo_city_dir):
        assert name not in text, name
    export = runlog.read_runs(plan).iloc[-1]
    assert export["algorithm"] == "beatcast:exportmappack"
    assert runlog.file_sha256(pdf) in export["counts_json"]

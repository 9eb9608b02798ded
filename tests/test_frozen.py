"""The PyInstaller bundle: it builds, its smoke test and its exports pass, it writes nothing into itself, and its
size stays near a bare PySide6 window. Required in CI; locally it runs with YANXIU_FROZEN_TESTS=1 (about 30 s)."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import IN_CI, REQUIRE_LIBREOFFICE, ROOT

RUN = IN_CI or os.environ.get("YANXIU_FROZEN_TESTS") == "1"
pytestmark = pytest.mark.skipif(not RUN, reason="builds the bundle: set YANXIU_FROZEN_TESTS=1 (CI always runs it)")


@pytest.fixture(scope="module")
def report():
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_app.py")], cwd=ROOT, check=True, timeout=900)
    return json.loads((ROOT / "build" / "build-report.json").read_text(encoding="utf-8"))


def test_frozen_smoke_and_exports(report):
    assert report["smoke"]["returncode"] == 0 and "20 wizard pages" in report["smoke"]["stdout"]
    # The smoke opens each case's preview; with LibreOffice (CI has it) its pages are drawn by the frozen PDFium.
    if REQUIRE_LIBREOFFICE:
        assert "preview" in report
    if report.get("preview"):
        assert report["smoke"]["stdout"].count("preview ok:") == 2
        assert report["preview"]["returncode"] == 0 and len(report["preview"]["pngs"]) >= 7
    for export in report["exports"]:
        assert export["returncode"] == 0
        assert sum(f.endswith(".docx") for f in export["files"]) == 3


def test_the_bundled_built_in_pack_matches_its_seal(report):
    assert report["pack_list"]["returncode"] == 0
    assert "notice-2025" in report["pack_list"]["stdout"] and "注意：" not in report["pack_list"]["stdout"]


def test_bundle_holds_the_data_at_the_same_relative_names(report):
    internal = ROOT / "build" / "dist" / "yanxiu" / "_internal"
    for rel in ("forms/school.toml", "forms/studio.toml", "templates_docx/school-info.docx", "resources/curriculum.toml",
                "resources/yanxiu.png", "examples/school-math-graphics.json", "app/render/pdf/uno_worker.py"):
        assert (internal / rel).is_file(), rel
    assert list(internal.rglob("*pdfium*.*")), "PDFium (pypdfium2_raw) is missing"
    translations = list(internal.rglob("translations/*.qm"))
    assert translations and all("zh_CN" in t.name for t in translations)  # pruned to Chinese


def test_the_bundle_writes_nothing_into_itself(report, tmp_path):
    bundle = ROOT / "build" / "dist" / "yanxiu"
    before = sorted(str(p) for p in bundle.rglob("*"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    subprocess.run([str(bundle / "yanxiu"), "--smoke"], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([str(bundle / "yanxiu"), "export", str(ROOT / "examples" / "studio-chinese-reading.json"),
                    "--out", str(tmp_path / "out")], env=env, check=True, capture_output=True, timeout=300)
    assert sorted(str(p) for p in bundle.rglob("*")) == before


def test_size_budget_is_what_the_readme_promises(report):
    # The README's budget: the bundle is at most 1.3× a bare PySide6 window built with the same spec, on the same
    # machine (a ratio, so the platform's libraries fall on both sides).
    assert report["floor_size_bytes"] > 50 * 1024 * 1024
    assert 1.0 <= report["size_ratio"] <= 1.3, report["size_ratio"]

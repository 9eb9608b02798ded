"""The submission folder and the supporting materials, with real files."""

import json

import pytest
from pypdf import PdfReader

from app.core.casefile import save_case
from app.core.materials import MaterialError, add_material, package_names, total_size
from app.core.rules import check_case
from app.render.package import LIST_NAME, MATERIALS_DIR, PackageRefused, build_package
from app.render.pdf.libreoffice import LibreOfficeConverter
from tests.conftest import SCHOOL_EXAMPLE, run_cli


def _files(folder, n, size=1000, suffix=".jpg"):
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"照片{i}{suffix}"
        with open(p, "wb") as fh:
            fh.truncate(size)  # sparse where the file system allows
        out.append(p)
    return out


def test_five_materials_fit_a_sixth_is_refused(tmp_path, school_case):
    files = _files(tmp_path / "m", 6)
    school_case.materials.clear()  # the example brings its own two
    for i, f in enumerate(files[:5]):
        add_material(school_case, f, f"课例研讨照片{i}", base_dir=tmp_path)
    assert school_case.materials[0].path == "m/照片0.jpg"  # relative: the case and its folder travel together
    assert total_size(school_case, tmp_path) == 5000
    with pytest.raises(MaterialError, match="最多5件"):
        add_material(school_case, files[5])
    assert [f for f in check_case(school_case, base_dir=tmp_path) if f.document == "materials"] == []


def test_over_100_mb_is_an_error(tmp_path, school_case):
    school_case.materials.clear()
    for f in _files(tmp_path, 2, size=51 * 1024 * 1024):
        add_material(school_case, f, "视频截图")
    [f] = [f for f in check_case(school_case) if f.document == "materials"]
    assert f.is_error and "102.0MB，超过100M的限制" in f.message


def test_package_names_are_numbered_and_safe(school_case):
    from app.core.model import Material

    school_case.materials = [Material("a/b.JPG", "课例:研讨/现场?", 1), Material("c.docx", "", 1)]
    assert package_names(school_case) == ["01-课例研讨现场.jpg", "02-c.docx"]


def test_package_refuses_with_errors_unless_forced(tmp_path, school_case):
    school_case.set("summary", "研" * 301)
    with pytest.raises(PackageRefused) as err:
        build_package(school_case, tmp_path / "out", None)
    assert any("超过300字" in f.message for f in err.value.findings)
    assert not (tmp_path / "out").exists()
    result = build_package(school_case, tmp_path / "out", None, force=True)
    assert (tmp_path / "out" / LIST_NAME).is_file() and len(result.files) == 4


def test_package_without_a_converter(tmp_path, school_case):
    result = build_package(school_case, tmp_path, None, base_dir=SCHOOL_EXAMPLE.parent)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len([n for n in names if n.endswith(".docx")]) == 3 and not [n for n in names if n.endswith(".pdf")]
    listing = (tmp_path / LIST_NAME).read_text(encoding="utf-8-sig")
    assert "本次没有生成PDF" in listing and "没有找到可以生成PDF的软件" in listing
    assert result.pdf is None


def test_full_package_with_pdfs_and_materials(tmp_path, school_case, soffice, lo_profile):
    photos = _files(tmp_path / "case", 2, size=2048)
    case_file = tmp_path / "case" / "案例.json"
    school_case.materials.clear()
    for p in photos:
        add_material(school_case, p, "课例研讨现场", base_dir=case_file.parent)
    save_case(school_case, case_file)
    out = tmp_path / "报送"
    conv = LibreOfficeConverter(soffice, profile_dir=lo_profile)
    result = build_package(school_case, out, conv, base_dir=case_file.parent)
    theme = school_case.get("theme")
    assert (out / f"案例信息表-{theme}.pdf").is_file() and (out / f"案例信息表-{theme}.docx").is_file()
    assert not (out / f"实施方案-{theme}.pdf").exists()  # the plan and report are uploaded as Word
    packet = PdfReader(str(out / f"打印包-{theme}.pdf"))
    assert "校本研修案例信息表" in packet.pages[0].extract_text().replace(" ", "")
    assert sorted(p.name for p in (out / MATERIALS_DIR).iterdir()) == ["01-课例研讨现场.jpg", "02-课例研讨现场.jpg"]
    listing = (out / LIST_NAME).read_text(encoding="utf-8-sig")
    assert "案例信息表：PDF、Word格式" in listing and "支撑材料合计：2件" in listing and "可以报送" in listing
    assert f"案例信息表-{theme}.pdf" in listing and "页" in listing.split(f"案例信息表-{theme}.pdf")[1].splitlines()[0]
    assert result.pdf is not None and result.pdf.packet is not None


def test_package_command_exit_codes(tmp_path, school_case, monkeypatch):
    case_file = tmp_path / "c.json"
    school_case.set("needs", "")
    save_case(school_case, case_file)
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "none")
    refused = run_cli("package", str(case_file), "--out", str(tmp_path / "a"))
    assert refused.returncode == 1 and "请填写“需求分析”" in refused.stdout.decode()
    forced = run_cli("package", str(case_file), "--out", str(tmp_path / "b"), "--force")
    assert forced.returncode == 4  # written, but without PDFs
    assert (tmp_path / "b" / LIST_NAME).is_file()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "x"}), encoding="utf-8")
    assert run_cli("package", str(bad), "--out", str(tmp_path / "c")).returncode == 2


def test_large_photo_is_downscaled(tmp_path, school_case, monkeypatch):
    from PySide6.QtGui import QColor, QImage

    from app.render import package
    from app.render.diagram import ensure_gui_app

    ensure_gui_app()
    img = QImage(4000, 3000, QImage.Format.Format_RGB32)
    img.fill(QColor("#3366aa"))
    big = tmp_path / "大合照.png"
    assert img.save(str(big))
    school_case.materials.clear()
    add_material(school_case, big, "研修合影")
    monkeypatch.setattr(package, "PHOTO_DOWNSCALE_BYTES", 1)
    result = build_package(school_case, tmp_path / "out", None, downscale_photos=True)
    [copy] = list((tmp_path / "out" / MATERIALS_DIR).iterdir())
    assert copy.name == "01-研修合影.jpg"
    small = QImage(str(copy))
    assert max(small.width(), small.height()) == 2400
    assert any("已由" in n and "压缩为" in n for n in result.notes)


def test_package_command_with_an_info_only_packet(tmp_path, soffice, monkeypatch):
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "libreoffice")
    result = run_cli("package", str(SCHOOL_EXAMPLE), "--out", str(tmp_path), "--packet-info-only")
    assert result.returncode == 0, result.stderr.decode()
    [packet] = tmp_path.glob("打印包-*.pdf")
    [info] = tmp_path.glob("案例信息表-*.pdf")
    assert len(PdfReader(str(packet)).pages) == len(PdfReader(str(info)).pages)

"""Every exit code the README documents, for every command, run as a script runs them (`python -m app ...`).

count: 0, 2 · check: 0, 1, 2 · export: 0, 1, 2, 3, 4 · package: 0, 1, 2, 3, 4 · the app: --smoke 0, --screenshots 0.
Each test names in its docstring the mutant it was seen to kill (docs/testing.md)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core.casefile import save_case
from app.render.outset import MANIFEST
from app.render.package import LIST_NAME
from tests.conftest import SCHOOL_EXAMPLE, STUDIO_EXAMPLE, run_cli

THEME = json.loads(SCHOOL_EXAMPLE.read_text(encoding="utf-8"))["fields"]["theme"]


def _out(result) -> str:
    return result.stdout.decode("utf-8")


def _err(result) -> str:
    return result.stderr.decode("utf-8")


def _failing_soffice(tmp_path: Path, user_folders) -> Path:
    """A stand-in LibreOffice that fails every conversion, named in the (test's own) settings file."""
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    settings = user_folders["config"] / "yanxiu" / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"pdf_backend": "libreoffice", "soffice_path": str(script)}), encoding="utf-8")
    return script


@pytest.fixture
def no_backend_override(monkeypatch):
    monkeypatch.delenv("YANXIU_PDF_BACKEND", raising=False)


# ---------------------------------------------------------------- count

def test_count_exits_0_and_2(tmp_path):
    """Kills main_count returning 1 (or 0) for a missing file, and a count command that exits non-zero on success."""
    ok = run_cli("count", stdin="第3.5节 A/B测试".encode("utf-8"))
    assert ok.returncode == 0 and _out(ok).strip() == "6"
    missing = run_cli("count", str(tmp_path / "无.txt"))
    assert missing.returncode == 2 and "无法读取文件" in _err(missing) and _out(missing) == ""


# ---------------------------------------------------------------- check

def test_check_exits_0_1_and_2(tmp_path, school_case):
    """Kills main_check mapping errors to 0 or an unreadable file to 1 (`worst = 2` → `worst = 1`)."""
    bad = tmp_path / "bad.json"
    school_case.set("needs", "")
    save_case(school_case, bad)
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"\x00not json")
    assert run_cli("check", str(SCHOOL_EXAMPLE), str(STUDIO_EXAMPLE)).returncode == 0
    assert run_cli("check", str(bad)).returncode == 1
    both = run_cli("check", str(broken), str(bad))
    assert both.returncode == 2 and "请填写“需求分析”" in _out(both)


# ---------------------------------------------------------------- export

def test_export_exits_0_and_prints_the_three_paths(tmp_path):
    """Kills main_export printing nothing or returning non-zero after writing the Word files."""
    out = tmp_path / "out"
    result = run_cli("export", str(SCHOOL_EXAMPLE), "--out", str(out))
    assert result.returncode == 0, _err(result)
    printed = [Path(line) for line in _out(result).splitlines()]
    # Beside the three documents only the hidden manifest of the export set (issue 10), which is not printed.
    assert sorted(p.name for p in printed) == sorted(p.name for p in out.iterdir() if p.name != MANIFEST)
    assert (out / MANIFEST).is_file()
    assert {p.name.split("-")[0] for p in printed} == {"案例信息表", "实施方案", "总结报告"}


def test_export_exits_1_when_the_folder_cannot_be_written_and_leaves_it_alone(tmp_path):
    """Kills `return 1` → another code for a RenderError in main_export (the README: 1 when a target cannot be
    written), and checks the message is Chinese and names the folder."""
    not_a_folder = tmp_path / "out"
    not_a_folder.write_bytes(b"a file where the folder should be")
    result = run_cli("export", str(SCHOOL_EXAMPLE), "--out", str(not_a_folder / "sub"))
    assert result.returncode == 1
    assert "无法创建输出文件夹" in _err(result) and "请换一个文件夹" in _err(result)
    assert not_a_folder.read_bytes() == b"a file where the folder should be" and _out(result) == ""


@pytest.mark.parametrize("content", [None, b"{", json.dumps({"format": "something-else"}).encode()])
def test_export_exits_2_when_the_case_cannot_be_read(tmp_path, content):
    """Kills the export's `return 2` mapped to 1 (the issue's mutant): a missing, damaged or foreign case file."""
    case = tmp_path / "案例.json"
    if content is not None:
        case.write_bytes(content)
    result = run_cli("export", str(case), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, _err(result)
    assert _err(result).strip() and not (tmp_path / "out").exists()


@pytest.mark.skipif(os.name == "nt", reason="POSIX stand-in script for LibreOffice")
def test_export_pdf_exits_3_when_conversion_fails_and_keeps_the_word_files(tmp_path, user_folders,
                                                                            no_backend_override):
    """Kills export_pdfs_cli's `return 3` mapped to 1 (the issue's mutant): LibreOffice fails and, the set being
    all-or-nothing (issue 10, README: "3 when PDF conversion failed (nothing written)"), the earlier export in the
    folder stays exactly as it was and nothing is printed."""
    out = tmp_path / "out"
    first = run_cli("export", str(SCHOOL_EXAMPLE), "--out", str(out))
    assert first.returncode == 0, _err(first)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(Path(n).suffix for n in before if n != MANIFEST) == [".docx"] * 3
    _failing_soffice(tmp_path, user_folders)
    result = run_cli("export", str(SCHOOL_EXAMPLE), "--out", str(out), "--pdf")
    assert result.returncode == 3, _err(result)
    assert "LibreOffice转换失败" in _err(result)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _out(result) == ""


def test_export_pdf_exits_4_without_a_converter_and_writes_the_word_files(tmp_path, monkeypatch):
    """Kills export_pdfs_cli's `return 4` mapped to 0 or 3: no PDF software at all is its own code."""
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "none")
    out = tmp_path / "out"
    result = run_cli("export", str(SCHOOL_EXAMPLE), "--out", str(out), "--pdf")
    assert result.returncode == 4
    assert "没有找到可以生成PDF的软件" in _err(result) and "Word文件已经生成" in _err(result)
    assert len(list(out.glob("*.docx"))) == 3 and not list(out.glob("*.pdf"))


def test_export_pdf_exits_0_and_names_every_font_substitution(tmp_path, soffice, user_folders, monkeypatch):
    """Kills export_pdfs_cli dropping the font notes: every typeface the machine lacks is named on standard error
    in Chinese (LibreOffice substitutes silently)."""
    from app.render.docx_render import export_docx
    from app.render.pdf.fontcheck import check_fonts
    from app.render.pdf.libreoffice import LibreOfficeConverter

    from app.core.casefile import load_case

    monkeypatch.setenv("YANXIU_PDF_BACKEND", "libreoffice")
    # The notes name the face LibreOffice really draws, from the table written into its profile (lofonts, scfaces).
    expected = check_fonts(export_docx(load_case(SCHOOL_EXAMPLE), tmp_path / "probe"),
                           replacements=LibreOfficeConverter(soffice).font_table())
    out = tmp_path / "out"
    result = run_cli("export", str(SCHOOL_EXAMPLE), "--out", str(out), "--pdf")
    assert result.returncode == 0, _err(result)
    pdfs = [Path(p) for p in _out(result).splitlines() if p.endswith(".pdf")]
    assert len(pdfs) == 3 and all(len(PdfReader(str(p)).pages) >= 1 for p in pdfs)
    if not expected:
        pytest.skip("every typeface the documents ask for is installed here: nothing to name")
    for note in expected:
        assert note.message in _err(result)


# ---------------------------------------------------------------- package

def test_package_exits_1_refused_2_unreadable_4_without_pdf(tmp_path, school_case, monkeypatch):
    """Kills main_package exit-code mutants (1 ↔ 4, 2 → 1) and the 报送清单 without its BOM: Windows Notepad shows
    UTF-8 without a BOM as mojibake (the old test read it with utf-8-sig, which accepts both)."""
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "none")
    case_file = tmp_path / "c.json"
    school_case.set("needs", "")
    save_case(school_case, case_file)
    refused = run_cli("package", str(case_file), "--out", str(tmp_path / "a"))
    assert refused.returncode == 1 and "--force" in _err(refused) and not (tmp_path / "a").exists()
    forced = run_cli("package", str(SCHOOL_EXAMPLE), "--out", str(tmp_path / "b"))
    assert forced.returncode == 4
    raw = (tmp_path / "b" / LIST_NAME).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert "注意：本次没有生成PDF。" in raw.decode("utf-8")
    missing = run_cli("package", str(tmp_path / "无.json"), "--out", str(tmp_path / "c"))
    assert missing.returncode == 2 and not (tmp_path / "c").exists()


@pytest.mark.skipif(os.name == "nt", reason="POSIX stand-in script for LibreOffice")
def test_package_exits_3_when_conversion_fails(tmp_path, user_folders, no_backend_override):
    """Kills main_package's `return 3` (it had no test): a failed conversion is reported in Chinese."""
    _failing_soffice(tmp_path, user_folders)
    result = run_cli("package", str(SCHOOL_EXAMPLE), "--out", str(tmp_path / "pkg"))
    assert result.returncode == 3, _err(result)
    assert "生成报送文件夹失败" in _err(result) and "LibreOffice" in _err(result)


def test_package_exits_0_with_pdfs_and_names_font_substitutions(tmp_path, soffice, monkeypatch):
    """Kills main_package returning 4 with a converter, and a 报送清单 that leaves out the font notes."""
    from app.core.casefile import load_case
    from app.render.docx_render import export_docx
    from app.render.pdf.fontcheck import check_fonts
    from app.render.pdf.libreoffice import LibreOfficeConverter

    monkeypatch.setenv("YANXIU_PDF_BACKEND", "libreoffice")
    # The notes name the face LibreOffice really draws, from the table written into its profile (lofonts, scfaces).
    expected = check_fonts(export_docx(load_case(SCHOOL_EXAMPLE), tmp_path / "probe"),
                           replacements=LibreOfficeConverter(soffice).font_table())
    result = run_cli("package", str(SCHOOL_EXAMPLE), "--out", str(tmp_path / "pkg"))
    assert result.returncode == 0, _err(result)
    listing = (tmp_path / "pkg" / LIST_NAME).read_bytes().decode("utf-8")
    assert f"打印包-{THEME}.pdf" in listing
    for note in expected:
        assert note.message in _err(result) and note.message in listing


# ---------------------------------------------------------------- the app itself

def test_smoke_opens_every_page_and_exits_0(tmp_path):
    """Kills a --smoke that exits 0 without visiting the pages (it ran only in the frozen tests)."""
    result = run_cli("--smoke")
    assert result.returncode == 0, _err(result)
    assert "smoke ok: main window and 20 wizard pages" in _out(result)


def test_screenshots_saves_a_png_of_every_page(tmp_path):
    """Kills --screenshots saving nothing or exiting non-zero (it had no test at all)."""
    out = tmp_path / "shots"
    result = run_cli("--screenshots", str(out))
    assert result.returncode == 0, _err(result)
    names = sorted(p.name for p in out.glob("*.png"))
    # The start, the 20 wizard pages of the two examples, and the desk's page states and 编辑 menu (issue 11).
    pages = [n for n in names if n.startswith(("school-", "studio-"))]
    assert names[0] == "00-start.png" and len(pages) == 20
    assert set(names) == {"00-start.png", "desk-page-states.png", "desk-edit-menu.png", "preview-1366x768.png",
                          "import-dialog.png", *pages}
    assert all((out / n).read_bytes().startswith(b"\x89PNG") and (out / n).stat().st_size > 5000 for n in names)
    # Each shot beside a case waits for its preview: never "正在更新……" (the tour once shot it on every page).
    said = {Path(line.split("　")[0]).name: line for line in _out(result).splitlines() if ".png" in line}
    beside = [n for n in names if n.startswith(("school-", "studio-", "preview-", "desk-page"))]
    assert all("预览：" in said[n] and "正在更新" not in said[n] for n in beside), said
    from tests.conftest import REQUIRE_LIBREOFFICE

    if REQUIRE_LIBREOFFICE:
        assert all(said[n].endswith("预览：已是最新") for n in beside), said


def test_the_screenshot_tool_replaces_only_its_own_files(tmp_path, monkeypatch):
    """tools/screenshots.py once deleted every PNG in docs/screenshots/ first (hand-taken ones that README links
    included); it replaces what the tour wrote, drops page shots the tour no longer makes, and a failed run
    changes nothing."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("screenshots_tool", Path(__file__).parent.parent / "tools" / "screenshots.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = tmp_path / "shots"
    out.mkdir()
    for name, data in (("mine.png", b"hand"), ("school-01.png", b"old"), ("school-11.png", b"gone page")):
        (out / name).write_bytes(data)
    monkeypatch.setattr(tool, "OUT", out)

    def tour(code):
        def call(cmd, **_kw):
            (Path(cmd[cmd.index("--screenshots") + 1]) / "school-01.png").write_bytes(b"new")
            return code
        return call

    monkeypatch.setattr(tool.subprocess, "call", tour(1))
    assert tool.main() == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"mine.png": b"hand", "school-01.png": b"old",
                                                                "school-11.png": b"gone page"}
    monkeypatch.setattr(tool.subprocess, "call", tour(0))
    assert tool.main() == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"mine.png": b"hand", "school-01.png": b"new"}

"""PDFs for real: conversion of both examples, metadata, embedded fonts, print packet, warm converter, timeouts."""

import os
import subprocess
import time

import pytest
from pypdf import PdfReader, PdfWriter

from app.core.settings import Settings
from app.render.docx_render import export_docx
from app.render.pdf.base import ConversionError
from app.render.pdf.export import export_pdfs
from app.render.pdf.fontcheck import check_fonts, requested_east_asian, with_fonts_replaced
from app.render.pdf.libreoffice import LibreOfficeConverter
from app.render.pdf.postprocess import fonts_not_embedded
from app.render.pdf.select import NO_CONVERTER_MESSAGE, choose_converter
from tests.conftest import SCHOOL_EXAMPLE, run_cli


@pytest.fixture(scope="module")
def warm_converter(soffice, tmp_path_factory):
    conv = LibreOfficeConverter(soffice, profile_dir=tmp_path_factory.mktemp("warm-profile"), keep_warm=True)
    yield conv
    conv.close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory, warm_converter):
    from app.core.casefile import load_case
    from tests.conftest import STUDIO_EXAMPLE

    out = {}
    for key, path in (("school", SCHOOL_EXAMPLE), ("studio", STUDIO_EXAMPLE)):
        case = load_case(path)
        folder = tmp_path_factory.mktemp(key)
        docx = export_docx(case, folder)
        out[key] = (case, export_pdfs(case, docx, folder / "pdf", warm_converter))
    return out


def _text(pdf):
    return "".join(p.extract_text() for p in PdfReader(str(pdf)).pages).replace(" ", "").replace("\n", "")


@pytest.mark.parametrize("key", ["school", "studio"])
def test_pdfs_pages_text_metadata_and_fonts(exported, key):
    case, result = exported[key]
    info, plan, report = result.pdfs
    pages = [len(PdfReader(str(p)).pages) for p in result.pdfs]
    assert pages[0] <= 2 and pages[1] >= 2 and 2 <= pages[2] <= 5
    assert case.get("theme") in _text(info)
    assert "研修模式与流程" in _text(plan)
    assert "一、研修概况" in _text(report)
    meta = PdfReader(str(info)).metadata
    assert meta.title == f"{case.form.document('info').title}：{case.get('theme')}"
    assert meta.author == case.get("authors")[0]["name"]
    assert meta.creator == "研修案例填报助手"
    for pdf in result.pdfs:
        assert fonts_not_embedded(pdf) == set()
    assert result.warnings == []


def test_print_packet_starts_with_the_info_sheet(exported):
    case, result = exported["school"]
    packet = PdfReader(str(result.packet))
    counts = [len(PdfReader(str(p)).pages) for p in result.pdfs]
    assert len(packet.pages) == sum(counts)
    first = packet.pages[0].extract_text().replace(" ", "")
    assert "校本研修案例信息表" in first
    assert "校本研修实施方案" in packet.pages[counts[0]].extract_text().replace(" ", "")
    assert result.packet.name == f"打印包-{case.get('theme')}.pdf"
    assert result.pages[result.packet.name] == sum(counts)
    assert [result.pages[p.name] for p in result.pdfs] == counts


def test_print_packet_with_the_info_sheet_only(exported, warm_converter, tmp_path):
    case, result = exported["school"]
    docx = export_docx(case, tmp_path)
    only = export_pdfs(case, docx, tmp_path / "pdf", warm_converter, packet_all=False)
    assert len(PdfReader(str(only.packet)).pages) == len(PdfReader(str(only.pdfs[0])).pages)


def test_the_converter_stays_warm_for_the_next_export(exported, warm_converter, tmp_path):
    assert warm_converter.wait_warm(120), "the first export should leave a warm LibreOffice behind"
    case, _ = exported["school"]
    docx = export_docx(case, tmp_path)
    pdfs = warm_converter.convert(docx, tmp_path / "pdf")
    assert warm_converter.warm
    assert [len(PdfReader(str(p)).pages) >= 1 for p in pdfs] == [True, True, True]


def test_a_warm_session_hands_over_each_pdf_while_the_next_converts(exported, warm_converter, tmp_path):
    """The export reads each PDF back as soon as it is there; a failure in that reading stops the conversion
    without leaving the warm session out of step for the next export."""
    assert warm_converter.wait_warm(120)
    case, _ = exported["school"]
    docx = export_docx(case, tmp_path / "docx")
    seen = []

    def ready(i, pdf):
        seen.append((i, pdf.name, len(PdfReader(str(pdf)).pages), len(seen_answers)))

    seen_answers = []
    pdfs = warm_converter.convert(docx, tmp_path / "pdf", lambda done, total, _m: seen_answers.append(done),
                                  ready=ready)
    assert [(i, name) for i, name, _pages, _answers in seen] == [(i, p.name) for i, p in enumerate(pdfs)]
    assert all(pages >= 1 for _i, _n, pages, _a in seen)
    # each PDF was handed over right after its own answer, before the next document's answer was read
    assert [answers for _i, _n, _p, answers in seen] == [2, 3, 4]

    def broken(i, pdf):
        if i == 0:
            raise ValueError("cannot read it back")

    with pytest.raises(ValueError):
        warm_converter.convert(docx, tmp_path / "pdf2", ready=broken)
    assert warm_converter.warm
    again = warm_converter.convert(docx[1:], tmp_path / "pdf3")  # the answers of the stopped batch were all read
    assert [p.name for p in again] == [p.name for p in pdfs[1:]]
    assert "校本研修实施方案" in _text(again[0])


def test_a_failure_handed_over_from_a_cold_batch_still_leaves_a_warm_converter(soffice, tmp_path, school_case):
    """A preview cancelled while its first, cold conversion is read back: the next one is still warm."""
    conv = LibreOfficeConverter(soffice, profile_dir=tmp_path / "profile", keep_warm=True)
    try:
        docx = export_docx(school_case, tmp_path / "docx")

        def cancelled(i, pdf):
            raise RuntimeError("a newer edit")

        with pytest.raises(RuntimeError):
            conv.convert(docx[:1], tmp_path / "pdf", ready=cancelled)
        assert conv.wait_warm(120)
    finally:
        conv.close()


def test_font_check_names_what_will_be_substituted(tmp_path, school_case):
    docx = export_docx(school_case, tmp_path)
    assert requested_east_asian(docx) == {"宋体", "黑体", "仿宋_GB2312"}
    notes = check_fonts(docx, installed={"宋体", "黑体", "仿宋", "Times New Roman"})
    [note] = notes
    assert note.requested == "仿宋_GB2312" and note.substitute == "仿宋" and note.use_alternative
    assert "国家标准（GB/T 9704）只要求仿宋体" in note.message
    assert check_fonts(docx, installed={"宋体", "黑体", "仿宋_GB2312"}) == []
    missing = check_fonts(docx, installed=set())
    assert {n.requested for n in missing} == {"宋体", "黑体", "仿宋_GB2312"}
    assert all("本机没有" in n.message and "Word文件不受影响" in n.message for n in missing)
    copy = with_fonts_replaced(docx[2], {"仿宋_GB2312": "仿宋"}, tmp_path / "copy.docx")
    assert requested_east_asian([copy]) == {"仿宋", "黑体", "宋体"}
    assert "仿宋_GB2312" in requested_east_asian([docx[2]])  # the teacher's Word file keeps the official font


def _stand_in_soffice(tmp_path, marker):
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\nsleep 300 # {marker}\n", encoding="utf-8")
    script.chmod(0o755)
    wrapper = tmp_path / "soffice-wrapper"
    # Like the real soffice: a wrapper that starts a child (soffice.bin) and waits for it.
    wrapper.write_text(f"#!/bin/sh\n{script} \"$@\" &\nwait\n", encoding="utf-8")
    wrapper.chmod(0o755)
    return wrapper


def _processes_with(marker):
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if marker in line]


@pytest.mark.skipif(os.name == "nt", reason="POSIX stand-in script")
def test_a_hung_converter_times_out_and_leaves_no_process(tmp_path, school_case):
    marker = f"yanxiu-hang-{os.getpid()}-{time.time_ns()}"
    conv = LibreOfficeConverter(_stand_in_soffice(tmp_path, marker), profile_dir=tmp_path / "p", timeout=2)
    docx = export_docx(school_case, tmp_path / "docx")
    t0 = time.monotonic()
    with pytest.raises(ConversionError, match="秒内没有完成转换"):
        conv.convert(docx, tmp_path / "pdf")
    assert time.monotonic() - t0 < 30
    time.sleep(0.3)
    assert _processes_with(marker) == []
    assert [p.name for p in docx if p.exists()] == [p.name for p in docx]  # the Word files stay


def test_no_converter_gives_the_message(tmp_path, monkeypatch):
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "none")
    assert choose_converter(Settings()) is None
    result = run_cli("export", str(SCHOOL_EXAMPLE), "--out", str(tmp_path), "--pdf",
                     )
    assert result.returncode == 4
    assert NO_CONVERTER_MESSAGE in result.stderr.decode()
    assert len(list(tmp_path.glob("*.docx"))) == 3 and not list(tmp_path.glob("*.pdf"))


def test_a_missing_libreoffice_path_in_settings_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("YANXIU_PDF_BACKEND", raising=False)
    s = Settings(soffice_path=str(tmp_path / "nowhere" / "soffice"))
    from app.render.pdf import libreoffice

    monkeypatch.setattr(libreoffice, "_POSIX_DIRS", ())
    assert choose_converter(s) is None


def test_export_pdf_command(tmp_path, soffice):
    result = run_cli("export", str(SCHOOL_EXAMPLE), "--out", str(tmp_path), "--pdf")
    assert result.returncode == 0, result.stderr.decode()
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 3 and all(len(PdfReader(str(p)).pages) for p in pdfs)


def test_blank_pdf_helper_is_valid(tmp_path):
    w = PdfWriter()
    w.add_blank_page(100, 100)
    with open(tmp_path / "b.pdf", "wb") as fh:
        w.write(fh)
    from app.render.pdf.base import check_pdf

    assert check_pdf(tmp_path / "b.pdf") == 1
    (tmp_path / "e.pdf").write_bytes(b"")
    with pytest.raises(ConversionError, match="没有生成"):
        check_pdf(tmp_path / "e.pdf")
    (tmp_path / "x.pdf").write_bytes(b"not a pdf at all")
    with pytest.raises(ConversionError, match="无法打开"):
        check_pdf(tmp_path / "x.pdf")

"""Every rendered document converts with a real LibreOffice; the PDFs hold the text and keep the page budget."""

import pytest
from pypdf import PdfReader

from app.core.rules import report_word_count
from app.render.docx_render import export_docx
from app.render.pdf.libreoffice import LibreOfficeConverter


@pytest.fixture(scope="module")
def converted(tmp_path_factory, soffice, lo_profile):
    from app.core.casefile import load_case
    from tests.conftest import SCHOOL_EXAMPLE, STUDIO_EXAMPLE

    out = tmp_path_factory.mktemp("docs")
    cases = {"school": load_case(SCHOOL_EXAMPLE), "studio": load_case(STUDIO_EXAMPLE)}
    docx = {key: export_docx(case, out / key) for key, case in cases.items()}
    conv = LibreOfficeConverter(soffice, profile_dir=lo_profile)
    all_docx = docx["school"] + docx["studio"]
    pdfs = conv.convert(all_docx, out / "pdf")
    by_name = {p.stem: p for p in pdfs}
    return cases, {key: [by_name[d.stem] for d in files] for key, files in docx.items()}


def _text(pdf):
    return "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)


def test_all_six_documents_convert(converted):
    _, pdfs = converted
    assert sum(len(v) for v in pdfs.values()) == 6
    for files in pdfs.values():
        for pdf in files:
            assert len(PdfReader(str(pdf)).pages) >= 1


@pytest.mark.parametrize("key", ["school", "studio"])
def test_pdf_text_holds_theme_labels_and_checkboxes(converted, key):
    cases, pdfs = converted
    case = cases[key]
    info, plan, report = (_text(p).replace(" ", "").replace("\n", "") for p in pdfs[key])
    assert case.get("theme") in info
    for label in ("研修主题", "案例关键词", "案例概述", "作者声明", "单位意见"):
        assert label in info
    assert "国家智慧教育公共服务平台" in info
    assert "需求分析" in plan and "平台支撑" in plan
    assert "一、研修概况" in report and "五、持续改进计划" in report
    if key == "school":
        assert "☑数学" in info and "☐语文" in info


def test_school_info_sheet_fits_two_pages_and_report_budget(converted):
    cases, pdfs = converted
    assert len(PdfReader(str(pdfs["school"][0])).pages) <= 2
    assert len(PdfReader(str(pdfs["studio"][0])).pages) <= 2
    for case in cases.values():
        assert report_word_count(case) <= 2000

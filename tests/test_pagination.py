"""Pages that read well in a real LibreOffice PDF: an 8-stage flowchart of ~100 字 a stage arrives whole in
page-sized pictures, and no page ends with a sub-heading."""

import pytest
from pypdf import PdfReader

from app.render.docx_render import export_docx
from app.render.pdf.libreoffice import LibreOfficeConverter

COLUMN_HEADERS = ("类别", "是否应用", "是，否则为空", "资源名称")
SUB_HEADINGS = ("1.数字资源清单", "2.主要工具功能", "2.国家中小学智慧教育平台线上工作室工具功能")
STAGE_TEXT = ("围绕“图形的运动”单元，组织教师开展课标研读、学情前测、课堂观察与课后研讨，依托国家中小学智慧教育平台的课程资源"
              "和教研群开展线上线下结合的研修活动，形成可推广的教学设计、课例视频与反思报告，并用问卷数据检验改进效果。")


def _long(case):
    case.set("process_stages", [{"name": f"第{i}阶段：基于课堂观察数据的专题研讨与改进", "time": f"第{2 * i - 1}-{2 * i}周",
                                 "mode": "线上线下混合式研修", "content": STAGE_TEXT[: 95 + i], "tools": "教研群、问卷调查"}
                                for i in range(1, 9)])
    return case


@pytest.fixture(scope="module")
def plans(soffice, tmp_path_factory):
    from app.core.casefile import load_case
    from tests.conftest import SCHOOL_EXAMPLE, STUDIO_EXAMPLE

    tmp = tmp_path_factory.mktemp("pages")
    cases = {"school": load_case(SCHOOL_EXAMPLE), "studio": load_case(STUDIO_EXAMPLE),
             "long": _long(load_case(SCHOOL_EXAMPLE))}
    docx = {}
    for k, c in cases.items():
        path = next(p for p in export_docx(c, tmp / k) if p.name.startswith("实施方案"))
        docx[k] = path.rename(tmp / f"{k}-plan.docx")  # one batch: the school and long plans share a name
    conv = LibreOfficeConverter(soffice, profile_dir=tmp / "profile")
    pdfs = conv.convert(list(docx.values()), tmp / "pdf")
    return cases, dict(zip(docx, pdfs))


def _page_lines(page):
    return [line.strip() for line in page.extract_text().splitlines() if line.strip() and "版本码" not in line]


def test_no_page_ends_with_a_sub_heading(plans):
    _, pdfs = plans
    for key, pdf in pdfs.items():
        pages = PdfReader(str(pdf)).pages
        for n, page in enumerate(pages[:-1], start=1):
            lines = _page_lines(page) or ["（只有图片）"]  # a page that holds a part of the flowchart alone
            last = lines[-1].replace(" ", "")
            assert not last.startswith(SUB_HEADINGS + COLUMN_HEADERS), (key, n, lines[-1])  # nor with its table's head


def test_the_long_flowchart_reaches_the_pdf_in_every_part(plans):
    from app.render.diagram import document_parts

    cases, pdfs = plans
    parts = document_parts(cases["long"].get("process_stages"))
    assert len(parts) >= 2
    images = set()
    for page in PdfReader(str(pdfs["long"])).pages:  # LibreOffice may share one resource dictionary among pages
        xobjects = page["/Resources"].get("/XObject", {})
        images |= {x.idnum for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"}
    assert len(images) == len(parts)  # no picture dropped

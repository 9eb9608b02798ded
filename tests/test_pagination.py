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


# ---------------------------------------------------------------- a 类别 taller than a page (app/render/continued.py)

MORE_TOOLS = [f"管理功能{i:02d}" for i in range(1, 46)]  # a platform list longer than today's: 52 管理工具 rows


@pytest.fixture(scope="module")
def long_case(soffice, tmp_path_factory):
    """The school example on a platform whose 管理工具 has 52 rows, and a LibreOffice converter for it."""
    import dataclasses
    import shutil

    from app import paths
    from app.core.casefile import load_case
    from app.core.resources import ResourceFiles
    from tests.conftest import SCHOOL_EXAMPLE

    tmp = tmp_path_factory.mktemp("long-category")
    resources = tmp / "resources"
    shutil.copytree(paths.resources_dir(), resources)
    platform = resources / "platform.toml"
    text = platform.read_text(encoding="utf-8")
    assert '"学生评价", "成绩管理"] }' in text
    platform.write_text(text.replace('"学生评价", "成绩管理"] }',
                                     '"学生评价", "成绩管理", ' + ", ".join(f'"{t}"' for t in MORE_TOOLS) + "] }"),
                        encoding="utf-8")
    # The pack's own platform list serves its cases (issue 17): the school form with this resources folder.
    case = load_case(SCHOOL_EXAMPLE)
    case.form = dataclasses.replace(case.form, resources=ResourceFiles.of(resources))
    assert len(case.form.platform.tools["school"].rows) == 17 + len(MORE_TOOLS)
    conv = LibreOfficeConverter(soffice, profile_dir=tmp / "profile")
    yield case, conv
    conv.close()


@pytest.fixture(scope="module")
def long_category_export(long_case, tmp_path_factory):
    """The school example exported (Word and PDF, real LibreOffice) with a platform whose 管理工具 has 52 rows."""
    from app.render.exportset import export_set

    case, conv = long_case
    return export_set(case, tmp_path_factory.mktemp("long-category-out"), converter=conv, pdf=True, packet=True)


@pytest.fixture(scope="module")
def long_category(long_category_export):
    result = long_category_export
    plan = next(p for p in result.files if p.name.startswith("实施方案") and p.suffix == ".docx")
    pdf = next(p for p in result.pdf.pdfs if p.name.startswith("实施方案"))
    return plan, pdf


def _flat_pages(pdf):
    return ["".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages]


def test_a_category_taller_than_a_page_goes_on_under_its_heads_as_continued(long_category):
    """管理工具 crosses a page: the next page begins with the column heads and "管理工具（续）", every row is printed
    once, and the rows before the break are on the page before, under 管理工具."""
    _, pdf = long_category
    pages = _flat_pages(pdf)
    heads = "类别具体是否应用（填写是，否则为空）"
    continued = [n for n, text in enumerate(pages) if "管理工具（续）" in text]
    assert continued, "no page says 管理工具（续）"
    for n in continued:
        text = pages[n]
        assert text.startswith(heads + "管理工具（续）"), text[:60]  # heads, then the label, then its rows
        first_row = text[len(heads + "管理工具（续）"):][:6]
        assert first_row.startswith("管理功能")
        assert "管理功能" in pages[n - 1] or "管理工具" in pages[n - 1]  # the category began before this page
    whole = "".join(pages)
    for tool in ["通知、打卡", "请假工具", "课程表", "成绩管理"] + MORE_TOOLS:
        assert whole.count(tool) == 1, tool
    assert whole.count("管理工具（续）") == len(continued)
    # every page the 管理工具 rows reach, past the first, is one of the labelled ones
    reached = [n for n, text in enumerate(pages) if any(t in text for t in MORE_TOOLS)]
    assert reached[1:] == continued


def test_the_print_packet_holds_the_plan_as_settled(long_category_export):
    """The plan was rendered and converted a second time with the category split: the print packet, whose pages are
    gathered as each PDF is read back, holds that second rendering, page for page the PDFs delivered."""
    result = long_category_export.pdf
    packet = _flat_pages(result.packet)
    assert packet == [page for pdf in result.pdfs for page in _flat_pages(pdf)]
    assert any("管理工具（续）" in page for page in packet)


def test_the_word_file_is_the_one_converted(long_category):
    """The Word file delivered holds the same split as its PDF: the label and the heads repeated at the break."""
    from docx import Document

    plan, pdf = long_category
    body = "".join(t.text or "" for t in Document(str(plan)).element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
    assert body.count("管理工具（续）") == "".join(_flat_pages(pdf)).count("管理工具（续）") >= 1


def test_a_table_that_fits_is_never_labelled_continued(plans):
    _, pdfs = plans
    for key, pdf in pdfs.items():
        assert not any("（续）" in text and "类别" in text for text in _flat_pages(pdf)), key


def test_the_rows_a_page_begins_with_split_and_label_the_tool_table(school_case):
    """Without a converter: where a page begins inside a 类别 the category goes on as "<类别>（续）" under the heads
    again; where it begins with a category, only the heads; page_starts reads those rows back from page texts."""
    from app.render.context import checklist_entries, checklist_rows
    from app.render.continued import page_starts

    f = school_case.form.field("tools")
    entries = checklist_entries(school_case, f)
    first_admin = next(i for i, (cat, _item, _used) in enumerate(entries) if cat == "管理工具")
    groups = checklist_rows(school_case, f, (first_admin, first_admin + 3))
    labels = [(str(g["category"]), len(g["entries"]), g["head"]) for g in groups]
    assert labels == [("教研群", 5, False), ("备授课", 5, False), ("管理工具", 3, True), ("管理工具（续）", 4, True),
                      ("其他", 1, False)]
    assert sum(n for _, n, _ in labels) == len(entries) == len(checklist_rows(school_case, f)[0]["entries"]) + 13
    heads = "类别具体是否应用（填写是，否则为空）"
    before = "".join(item for _c, item, _u in entries[:first_admin + 3])
    after = "".join(item for _c, item, _u in entries[first_admin + 3:])
    pages = ["研修主题……2.主要工具功能" + heads + before, heads + "管理工具（续）" + after]
    assert page_starts(pages, school_case, f) == (first_admin + 3,)
    assert page_starts(["".join(pages)], school_case, f) == ()
    assert page_starts(["没有工具表的一页"], school_case, f) == ()


def test_a_plan_with_a_continued_category_imports_back(school_case, tmp_path):
    """The importer reads "管理工具（续）" as 管理工具 and skips the heads repeated at the break."""
    from app.core.importer import import_documents
    from app.render.context import checklist_entries
    from app.render.docx_render import render_document

    f = school_case.form.field("tools")
    first_admin = next(i for i, (cat, _item, _used) in enumerate(checklist_entries(school_case, f)) if cat == "管理工具")
    school_case.set("tools", {**school_case.get("tools"), "管理工具": ["通知、打卡", "成绩管理"]})
    path = tmp_path / "plan.docx"
    path.write_bytes(render_document(school_case, "plan", None, {"tools": (first_admin + 2,)}).data)
    result = import_documents([path])
    assert result.case.get("tools") == school_case.get("tools")
    assert result.case.get("tools_other") == school_case.get("tools_other")
    assert not any("管理工具" in u.text for u in result.unplaced)


def test_the_preview_shows_the_continued_category_as_the_export_prints_it(long_case, qapp):
    """The preview converts as the export does: its plan pages carry the repeated heads and "管理工具（续）", every
    row once, and the page texts it keeps (for following a field) are those of the settled PDF."""
    from app.render.preview import convert_documents

    case, conv = long_case
    plan = convert_documents(case, ["plan"], conv, images_of="plan", width_px=300)
    pages = list(plan.docs["plan"].texts)
    assert any("管理工具（续）" in text for text in pages)
    joined = "".join(pages)
    assert all(joined.count(tool) == 1 for tool in MORE_TOOLS)
    assert len(plan.images["plan"]) == len(pages)

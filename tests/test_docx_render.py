"""The six documents, reopened with python-docx: labels, fonts, checkboxes, fixed texts, diagram, footer, layout."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from app import paths
from app.core.forms import load_form
from app.core.textclean import paragraphs
from app.render import layout
from app.render.context import version_code
from app.render.docx_render import TemplateMismatch, check_template, export_docx, render_case, safe_filename
from app.render.fonts import LATIN_FONT, SYMBOL_FONT, effective_font

INFO_LABELS = {
    "school": ["研修主题", "案例关键词", "作者信息（排序填写，最多3人）", "科目", "学段", "年级", "课程内容依据", "案例概述"],
    "studio": ["研修主题", "案例关键词", "工作室名称", "作者信息（排序填写，最多3人）", "研修学科领域", "案例概述"],
}
PLAN_LABELS = {
    "school": ["研修主题", "需求分析", "研修目标", "研修模式与流程", "平台支撑", "预期成果", "考核评价", "特色创新"],
    "studio": ["研修主题", "需求分析", "研修目标", "研修模式与流程", "平台支撑", "预期成果", "考核评价", "特色与创新"],
}
SIGNATURE_LABELS = {"school": ["作者声明", "第一作者所在单位意见"], "studio": ["作者声明", "工作室主持人所在单位意见"]}


@pytest.fixture(scope="module")
def rendered():
    from app.core.casefile import load_case
    from tests.conftest import SCHOOL_EXAMPLE, STUDIO_EXAMPLE

    out = {}
    for key, path in (("school", SCHOOL_EXAMPLE), ("studio", STUDIO_EXAMPLE)):
        case = load_case(path)
        out[key] = (case, {r.doc_key: Document(io.BytesIO(r.data)) for r in render_case(case)})
    return out


def main_table(doc):
    return doc.tables[0]


def _continues(row) -> bool:
    """The row's label cell continues the one above: vertically merged (the flowchart's rows) or blank below a
    hidden line (a sub-section's own row)."""
    tcPr = row._tr.tc_lst[0].tcPr
    vm = tcPr.find(qn("w:vMerge")) if tcPr is not None else None
    top = tcPr.find(qn("w:tcBorders") + "/" + qn("w:top")) if tcPr is not None else None
    blank = top is not None and top.get(qn("w:val")) == "nil" and not row.cells[0].text
    return (vm is not None and vm.get(qn("w:val")) != "restart") or blank


def label_column(doc):
    return [row.cells[0].text for row in main_table(doc).rows if not _continues(row)]


def row_labelled(doc, label):
    return next(row for row in main_table(doc).rows if row.cells[0].text == label and not _continues(row))


@pytest.mark.parametrize("key", ["school", "studio"])
def test_official_labels_in_order(rendered, key):
    case, docs = rendered[key]
    info = label_column(docs["info"])
    assert info[: len(INFO_LABELS[key])] == INFO_LABELS[key]
    signature = main_table(docs["info"]).rows[-1].cells[0].tables[0]
    assert [r.cells[0].text for r in signature.rows] == SIGNATURE_LABELS[key]
    assert label_column(docs["plan"]) == PLAN_LABELS[key]
    assert docs["info"].paragraphs[0].text == case.form.document("info").title


@pytest.mark.parametrize("key", ["school", "studio"])
def test_fixed_texts_verbatim(rendered, key):
    case, docs = rendered[key]
    info = docs["info"]
    text = "\n".join(p.text for p in info.paragraphs)
    signature = main_table(info).rows[-1].cells[0].tables[0]
    cell_texts = [p.text for row in signature.rows for p in row.cells[1].paragraphs]
    fixed = case.form.fixed
    for k in ("declaration", "signature", "sign_date", "unit_opinion", "unit_seal", "seal_date"):
        assert fixed[k] in cell_texts, k
    assert fixed["share_notice"] in text


def _runs(container):
    """Every run in a table or cell, nested tables included."""
    if hasattr(container, "rows"):
        for row in container.rows:
            for cell in row.cells:
                yield from _runs(cell)
        return
    for p in container.paragraphs:
        for r in p.runs:
            yield p, r
    for t in container.tables:
        yield from _runs(t)


@pytest.mark.parametrize("key", ["school", "studio"])
@pytest.mark.parametrize("doc_key", ["info", "plan"])
def test_every_filled_in_run_is_songti_five(rendered, key, doc_key):
    _, docs = rendered[key]
    doc = docs[doc_key]
    seen = 0
    for p, r in _runs(main_table(doc)):
        if not r.text.strip():
            continue
        f = effective_font(doc, p, r)
        if r.text in ("☑", "☐"):
            assert f.east_asia == SYMBOL_FONT and f.ascii == SYMBOL_FONT
            continue
        assert (f.east_asia, f.ascii, f.size_pt, f.theme_east_asia) == ("宋体", LATIN_FONT, 10.5, None), r.text
        seen += 1
    assert seen > 20


@pytest.mark.parametrize("key", ["school", "studio"])
def test_report_headings_and_fonts(rendered, key):
    case, docs = rendered[key]
    doc = docs["report"]
    by_style = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p)
    assert [p.text for p in by_style["Heading 1"]] == ["一、研修概况", "二、过程与举措", "三、成果与成效", "四、经验与创新", "五、持续改进计划"]
    assert [p.text for p in by_style["Heading 2"]] == ["1.研修主题", "2.研修目标", "3.参与教师", "4.持续时间", "5.相关统计"]
    expect = {"Heading 1": ("黑体", 16, False), "Heading 2": ("仿宋_GB2312", 16, True), "Normal": ("仿宋_GB2312", 16, False)}
    for style, (font, size, bold) in expect.items():
        for p in by_style[style]:
            for r in p.runs:
                f = effective_font(doc, p, r)
                assert (f.east_asia, f.size_pt, f.bold, f.theme_east_asia) == (font, size, bold, None), (style, r.text)
                assert f.ascii == LATIN_FONT
    body = by_style["Normal"][0]
    ind = doc.styles["Normal"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert body.paragraph_format.first_line_indent is None  # inherited from the style, two characters
    settings = doc.settings.element.find(qn("w:themeFontLang"))
    assert settings.get(qn("w:eastAsia")) == "zh-CN"


def test_every_report_paragraph_is_a_real_paragraph(rendered):
    case, docs = rendered["school"]
    body = [p.text for p in docs["report"].paragraphs if p.style.name == "Normal" and p.text]
    for key in ("report_process", "report_results"):
        for para in paragraphs(case.get(key)):
            assert para in body
    goals = case.get("goals")
    for i, (key, label) in enumerate([("teacher", "教师发展目标"), ("teaching", "教学改进目标"), ("student", "学生成长目标")],
                                     start=1):
        assert f"{i}.{label}：{goals[key]}" in body
    assert not list(docs["report"].element.body.iter(qn("w:br")))  # no soft line breaks standing in for paragraphs
    assert body.index(paragraphs(case.get("report_process"))[0]) < body.index(paragraphs(case.get("report_results"))[0])


def test_report_overview_sentences(rendered):
    case, docs = rendered["school"]
    texts = [p.text for p in docs["report"].paragraphs]
    assert "共计24人，其中新手教师6人、骨干教师9人，优秀教师5人、领军教师3人，名师1人。" in texts
    assert "16周，总学时48。" in texts
    _, studio = rendered["studio"]
    texts = [p.text for p in studio["report"].paragraphs]
    assert "共计46人，覆盖学校18所、省份1个。" in texts
    assert any(t.startswith("研修周期为2025年3月3日至2025年7月4日，开展工作室直播4场，观看直播2860人") for t in texts)


def test_checkbox_states(rendered):
    _, docs = rendered["school"]
    rows = {r.cells[0].text: r.cells[1].text for r in main_table(docs["info"]).rows[:8]}
    assert "☑数学" in rows["科目"] and "☐语文" in rows["科目"] and rows["科目"].count("☑") == 1
    assert rows["科目"].count("☐") == 14
    assert "☑第二学段（3-4年级）" in rows["学段"] and "☐第一学段（1-2年级）" in rows["学段"]
    assert rows["年级"].count("☑") == 4 and "☑3年级" in rows["年级"] and "☐7年级" in rows["年级"]


def test_tool_checklist_table(rendered):
    """The official table, one row per 类别 that cannot split (a category never continues beside an empty cell on
    the next page), the items in a table of their own inside it, the header repeated on every page."""
    case, docs = rendered["school"]
    plan = docs["plan"]
    tools = next(t for row in main_table(plan).rows for t in row.cells[1].tables if t.rows[0].cells[0].text == "类别")
    head, *groups = tools.rows
    assert [c.text for c in head.cells] == ["类别", "具体", "是否应用（填写是，否则为空）"]
    assert head._tr.trPr.find(qn("w:tblHeader")) is not None
    by_category = {}
    for row in groups:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        items = row.cells[1].tables[0]
        by_category[row.cells[0].text] = [[c.text for c in r.cells] for r in items.rows]
    assert list(by_category) == ["教研群", "备授课", "管理工具", "其他"]
    assert ["信息统计", "是"] in by_category["教研群"]
    assert ["授课模式", ""] in by_category["备授课"]
    assert by_category["其他"] == [[case.get("tools_other"), "是"]]
    assert sum(len(v) for v in by_category.values()) == 17 + 1


def test_resource_table_keeps_its_header_when_empty(school_case):
    school_case.set("resources", [])
    docs = {r.doc_key: Document(io.BytesIO(r.data)) for r in render_case(school_case, ["plan"])}
    res = row_labelled(docs["plan"], "平台支撑").cells[1].tables[0]
    assert [c.text for c in res.rows[0].cells] == ["资源名称", "所属频道"]
    assert len(res.rows) == 1


def _cant_split(row) -> bool:
    return row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None


@pytest.mark.parametrize("key", ["school", "studio"])
def test_each_sub_heading_and_its_table_share_a_row_that_cannot_split(rendered, key):
    """LibreOffice ignores keep-with-next from a paragraph to a nested table (tests/test_pagination.py shows the
    result), so "1.数字资源清单" and "2.主要工具功能" each lead an unsplittable row holding their table; the second
    row's label cell is blank with the line above it hidden, so 平台支撑 reads as one cell; no table row splits."""
    _, docs = rendered[key]
    rows = list(main_table(docs["plan"]).rows)
    i = next(n for n, r in enumerate(rows) if r.cells[0].text == "平台支撑")
    first, second = rows[i], rows[i + 1]
    assert second.cells[0].text == "" and _cant_split(first) and _cant_split(second)
    assert [p.text for p in first.cells[1].paragraphs if p.text.startswith("1.")] == ["1.数字资源清单"]
    assert second.cells[1].paragraphs[0].text.startswith("2.")
    hidden = second._tr.tc_lst[0].tcPr.find(qn("w:tcBorders")).find(qn("w:top"))
    assert hidden.get(qn("w:val")) == "nil"
    for row in (first, second):
        for table in row.cells[1].tables:
            assert all(_cant_split(r) for r in table.rows[1:])


def test_a_sub_section_taller_than_a_page_may_split_between_its_rows(school_case):
    """Word clips an unsplittable row taller than the page: 30 long resource names release theirs."""
    school_case.set("resources", [{"name": f"义务教育数学课程内容与教学实施（教师研修）专题资源包第{i}讲：图形的运动与空间观念",
                                   "channel": "教师研修"} for i in range(30)])
    plan = Document(io.BytesIO(render_case(school_case, ["plan"])[0].data))
    assert not _cant_split(row_labelled(plan, "平台支撑"))
    resources = row_labelled(plan, "平台支撑").cells[1].tables[0]
    assert len(resources.rows) == 31 and all(_cant_split(r) for r in resources.rows[1:])


def test_diagram_in_the_plan_sized_to_the_cell(rendered):
    _, docs = rendered["school"]
    plan = docs["plan"]
    shapes = plan.inline_shapes
    assert len(shapes) == 1
    assert abs(shapes[0].width - Mm(layout.DIAGRAM_WIDTH_MM)) < Mm(0.5)
    assert shapes[0].width < Mm(layout.CONTENT_COLUMN_MM)
    rows = main_table(plan).rows
    i = label_column(plan).index("研修模式与流程")
    text_row = row_labelled(plan, "研修模式与流程")
    picture_row = next(r for r in rows if _continues(r) and r.cells[1]._tc.xpath(".//pic:pic"))
    assert not text_row.cells[1]._tc.xpath(".//pic:pic") and picture_row.cells[1]._tc.xpath(".//pic:pic")
    assert picture_row._tr.trPr.find(qn("w:cantSplit")) is not None  # a picture never splits
    assert i == 3


def _eight_long_stages():
    text = ("围绕“图形的运动”单元，组织教师开展课标研读、学情前测、课堂观察与课后研讨，依托国家中小学智慧教育平台的课程资源"
            "和教研群开展线上线下结合的研修活动，形成可推广的教学设计、课例视频与反思报告，并用问卷数据检验改进效果。")
    return [{"name": f"第{i}阶段：基于课堂观察数据的专题研讨与改进", "time": f"第{2 * i - 1}-{2 * i}周（每周三下午）",
             "mode": "线上线下混合式研修", "content": text[: 95 + i], "tools": "教研群、问卷调查、AI课堂分析、资源库"}
            for i in range(1, 9)]


def test_eight_long_stages_reach_the_plan_whole_in_page_sized_pictures(school_case):
    """8 stages of ~100 字 with long names and modes: taller than a page in one picture, so the flowchart comes in
    parts, none taller than the page or wider than its cell, and every character is in the pictures' alt text."""
    from app.render.diagram import document_parts

    stages = _eight_long_stages()
    school_case.set("process_stages", stages)
    plan = Document(io.BytesIO(render_case(school_case, ["plan"])[0].data))
    shapes = plan.inline_shapes
    usable = Mm(layout.FORM_PAGE.height_mm - layout.FORM_PAGE.top_mm - layout.FORM_PAGE.bottom_mm)
    assert len(shapes) >= 2
    assert all(s.height < usable and s.width <= Mm(layout.DIAGRAM_WIDTH_MM) + Mm(0.1) for s in shapes)
    alt = [d.get("descr") for d in plan.element.body.iter(qn("wp:docPr"))]
    assert alt[0].startswith("研修流程图示：") and all(a.startswith("研修流程图示（续）：") for a in alt[1:])
    text = "".join(alt)
    for s in stages:
        for key in ("name", "time", "mode", "content", "tools"):
            assert s[key] in text
    parts = document_parts(stages)
    assert [i for p in parts for i in p.stages] == list(range(8))  # each stage once, in order, none dropped


def test_a_stage_taller_than_a_page_continues_in_the_next_picture():
    from app.render.diagram import flowchart_parts

    content = "".join(f"第{i}条研修内容写得很长很长。" for i in range(400))
    parts = flowchart_parts([{"name": "长阶段", "time": "", "mode": "线上", "content": content, "tools": ""}], 120, 100)
    assert len(parts) > 3 and all(p.height_mm <= 100.5 for p in parts)
    assert all(p.stages == (0,) for p in parts)
    assert content in "".join(p.alt_text for p in parts[:1])  # the alt text of a stage carries all of it


@pytest.mark.parametrize("key", ["school", "studio"])
def test_footer_version_code_and_page_setup(rendered, key):
    case, docs = rendered[key]
    code = version_code(case)
    for doc_key, doc in docs.items():
        footer = "\n".join(p.text for p in doc.sections[0].footer.paragraphs)
        assert f"版本码：{code}" in footer, doc_key
        sec = doc.sections[0]
        assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    rep = docs["report"].sections[0]
    assert [round(x.mm) for x in (rep.top_margin, rep.bottom_margin, rep.left_margin, rep.right_margin)] == [37, 35, 28, 26]
    assert docs["report"].sections[0].footer._element.xpath(".//w:fldSimple[@w:instr='PAGE']")


def test_version_code_follows_content(school_case):
    a = version_code(school_case)
    assert a == version_code(school_case.copy())
    school_case.set("summary", school_case.get("summary") + "。")
    assert version_code(school_case) != a


def test_signature_block_cannot_split(rendered):
    _, docs = rendered["school"]
    last = main_table(docs["info"]).rows[-1]
    assert last._tr.trPr.find(qn("w:cantSplit")) is not None
    seal_row = last.cells[0].tables[0].rows[1]
    height = seal_row._tr.trPr.find(qn("w:trHeight"))
    assert int(height.get(qn("w:val"))) >= Mm(42 + 10).twips and height.get(qn("w:hRule")) == "atLeast"


def test_properties_name_the_document(rendered):
    case, docs = rendered["school"]
    cp = docs["info"].core_properties
    assert cp.title == f"校本研修案例信息表：{case.get('theme')}"
    assert cp.author == "李晓华"


def test_document_properties_are_the_exports_not_the_templates(school_case):
    """Created and modified now, this app and its version as the application, and no statistics (pages, words)
    that would be wrong until Word or WPS recounts them."""
    import datetime as dt
    import zipfile

    from app import APP_TITLE, __version__

    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for r in render_case(school_case):
        doc = Document(io.BytesIO(r.data))
        cp = doc.core_properties
        for stamp in (cp.created, cp.modified):
            assert before - dt.timedelta(seconds=1) <= stamp.replace(tzinfo=dt.timezone.utc) <= \
                dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
        assert cp.revision == 1 and cp.last_modified_by == "" and cp.subject == "校本研修案例"
        app_xml = zipfile.ZipFile(io.BytesIO(r.data)).read("docProps/app.xml").decode("utf-8")
        assert f"<Application>{APP_TITLE} {__version__}</Application>" in app_xml
        for stale in ("Microsoft", "<Pages>", "<Words>", "<Characters>", "<Lines>", "<Paragraphs>", "Normal.dotm"):
            assert stale not in app_xml


def test_export_writes_three_files_with_recognizable_names(tmp_path, school_case):
    paths = export_docx(school_case, tmp_path)
    assert [p.name for p in paths] == [f"{s}-小学数学图形的位置与运动重难点教学探究.docx" for s in ("案例信息表", "实施方案", "总结报告")]
    assert all(Document(str(p)).paragraphs for p in paths)


@pytest.mark.parametrize("theme,expected", [
    ("A/B测试：“双减”<背景>下?", "案例信息表-AB测试：“双减”背景下"),
    ("   ", "案例信息表"),
    ("CON", "案例信息表-CON"),
    ("主题.", "案例信息表-主题"),
    ("长" * 100, "案例信息表-" + "长" * 40),
])
def test_safe_windows_file_names(theme, expected):
    assert safe_filename("案例信息表", theme) == expected


# ---------------------------------------------------------------- templates against definitions

def test_every_template_matches_its_definition():
    for key in ("school", "studio"):
        form = load_form(key)
        for d in form.documents:
            check_template(key, d.key, form)


def test_every_definition_field_reaches_a_document():
    aids = {"content_items"}  # drives the cascade, printed through 课程内容依据
    for key in ("school", "studio"):
        form = load_form(key)
        unprinted = {f.key for f in form.fields if not f.documents} - aids
        assert unprinted == set()


def _fake_template(tmp_path, text):
    doc = Document()
    doc.add_paragraph(text)
    doc.save(tmp_path / "school-info.docx")


def test_template_asking_for_an_unknown_key_is_refused(tmp_path):
    form = load_form("school")
    keys = " ".join("{{ " + k + " }}" for k in form.document("info").field_keys)
    _fake_template(tmp_path, keys + " {{ principal_name }}")
    with pytest.raises(TemplateMismatch, match="principal_name"):
        check_template("school", "info", form, tmp_path)


def test_template_missing_a_field_is_refused(tmp_path):
    form = load_form("school")
    keys = " ".join("{{ " + k + " }}" for k in form.document("info").field_keys if k != "summary")
    _fake_template(tmp_path, keys)
    with pytest.raises(TemplateMismatch, match="summary"):
        check_template("school", "info", form, tmp_path)


def test_a_document_open_in_word_stops_the_export_and_keeps_earlier_files(tmp_path, school_case, monkeypatch):
    from app.render import docx_render
    from app.render.docx_render import RenderError

    first = export_docx(school_case, tmp_path)
    before = {p.name: p.read_bytes() for p in first}
    school_case.set("summary", school_case.get("summary") + "补充一句。")
    locked = first[1]
    monkeypatch.setattr(docx_render, "is_locked", lambda p: p == locked)
    with pytest.raises(RenderError, match=f"“{locked.name}”正被Word或WPS打开，请关闭后重试。之前导出的文件保持不变"):
        export_docx(school_case, tmp_path)
    assert {p.name: p.read_bytes() for p in first} == before  # nothing half-written, nothing replaced


def test_markup_that_is_not_well_formed_stops_the_render_instead_of_losing_text(tmp_path):
    """docxtpl re-parses the body with a recovering parser that drops broken markup silently; the render's own
    environment checks each rendered part, so such a fault (a template bug) stops the export with a message."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment
    from markupsafe import Markup

    from app.render.docx_render import RenderError, _jinja_env

    path = tmp_path / "t.docx"
    doc = Document()
    doc.add_paragraph("前{{ v }}后")
    doc.save(path)
    broken = {"v": Markup("100<100 & x")}  # unescaped: what an escaping slip in a template would print
    lenient = DocxTemplate(str(path))
    lenient.render(broken, Environment(autoescape=True), autoescape=True)
    assert "".join(p.text for p in lenient.docx.paragraphs) != "前100<100 & x后"  # what the check is for: text lost
    with pytest.raises(RenderError, match="生成的文档结构有误.*已停止导出"):
        DocxTemplate(str(path)).render(broken, _jinja_env(), autoescape=True)
    fine = DocxTemplate(str(path))
    fine.render({"v": "a<b&c\a第二段"}, _jinja_env(), autoescape=True)
    assert [p.text for p in fine.docx.paragraphs] == ["前a<b&c", "第二段后"]


@pytest.mark.parametrize("name", sorted(p.name for p in paths.templates_dir().glob("*.docx")))
def test_a_template_refers_to_no_part_it_does_not_carry(name):
    """The templates leave out python-docx's default numbering, theme and web settings (LibreOffice builds them on
    every open). That is safe only while nothing refers to them: no list numbering, no theme fonts or colours, and
    every relationship and content-type override names a part in the package (Word calls a dangling one
    unreadable content)."""
    import posixpath
    import re
    import zipfile

    with zipfile.ZipFile(paths.templates_dir() / name) as z:
        parts = set(z.namelist())
        for dropped in ("word/numbering.xml", "word/theme/theme1.xml", "word/webSettings.xml"):
            assert dropped not in parts, dropped
        for xml in ("word/document.xml", "word/styles.xml"):
            body = z.read(xml).decode("utf-8")
            assert "<w:numPr" not in body and not re.search(r'w:\w*[Tt]heme\w*="', body), (name, xml)
        for rels in (n for n in parts if n.endswith(".rels")):
            base = posixpath.dirname(posixpath.dirname(rels))
            for target, mode in re.findall(r'Target="([^"]+)"(?: TargetMode="(\w+)")?', z.read(rels).decode("utf-8")):
                if mode != "External":
                    assert posixpath.normpath(posixpath.join(base, target)).lstrip("/") in parts, (name, rels, target)
        overrides = re.findall(r'PartName="/([^"]+)"', z.read("[Content_Types].xml").decode("utf-8"))
        assert overrides and set(overrides) <= parts, (name, set(overrides) - parts)

"""Schema version 3: the notice's sub-items as fields, each rule as strict as its source, v2 files migrated."""

import io
import json
import shutil

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings, strategies as st

from app.core.casefile import SCHEMA_VERSION, load_case, loads, save_case
from app.core.forms import load_all, load_form
from app.core.model import Case, Material
from app.core.rules import ERROR, WARNING, check_case
from app.core.textclean import clean_text, paragraphs
from app.render.docx_render import render_case
from tests.conftest import EXAMPLES, ROOT, SCHOOL_EXAMPLE, STUDIO_EXAMPLE

V2 = ROOT / "tests" / "data" / "v2"


def _findings(case, key=None):
    return [f for f in check_case(case, base_dir=EXAMPLES) if key is None or f.field == key]


def _doc_paragraphs(data: bytes) -> list[str]:
    """Every paragraph's text, nested table cells included."""
    body = Document(io.BytesIO(data)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


# ---------------------------------------------------------------- severity follows the source

def _violations(case_type):
    """(where, source, break_it(case) → field key): one way to break every limit and rule a definition sets."""
    form = load_form(case_type)
    out = []
    for f in form.fields:
        if f.limit and f.kind in ("line", "text"):
            out.append((f"{f.key}.limit", f.source("limit"), lambda c, f=f: c.set(f.key, "研" * (f.limit + 1))))
        if f.limit and f.kind == "group":
            def long_part(c, f=f):
                c.set(f.key, dict(c.get(f.key), **{f.text_parts[0].key: "研" * (f.limit + 1)}))
            out.append((f"{f.key}.limit", f.source("limit"), long_part))
        if f.max_items:
            def too_many(c, f=f):
                row = c.get(f.key)[0]
                c.set(f.key, [dict(row, name=f"第{i}项") if isinstance(row, dict) else f"第{i}项"
                              for i in range(f.max_items + 1)])
            out.append((f"{f.key}.max_items", f.source("max_items"), too_many))
        if f.min_items and f.min_items > 1:
            out.append((f"{f.key}.min_items", f.source("min_items"),
                        lambda c, f=f: c.set(f.key, c.get(f.key)[:f.min_items - 1])))
        if f.item_limit:
            out.append((f"{f.key}.item_limit", f.source("item_limit"),
                        lambda c, f=f: c.set(f.key, ["研" * (f.item_limit + 1)])))
        for col in f.columns:
            if col.limit and col.format != "mobile":
                def long_cell(c, f=f, col=col):
                    rows = c.get(f.key)
                    c.set(f.key, [dict(rows[0], **{col.key: "研" * (col.limit + 1)})] + rows[1:])
                out.append((f"{f.key}.{col.key}.limit", col.limit_source, long_cell))
        for p in f.parts:
            for name, delta in (("min", -1), ("max", 1)):
                bound = getattr(p, name)
                if bound is not None:
                    out.append((f"{f.key}.{p.key}.{name}", p.source(name),
                                lambda c, f=f, p=p, v=bound + delta: c.set(f.key, dict(c.get(f.key), **{p.key: v}))))
        if f.sum:
            weight = next(p for p in f.parts if p.kind == "number")
            out.append((f"{f.key}.sum", f.source("sum"),
                        lambda c, f=f, k=weight.key: c.set(f.key, dict(c.get(f.key), **{k: c.get(f.key)[k] + 5}))))
        if f.total:
            out.append((f"{f.key}.total", f.source("total"),
                        lambda c, f=f: c.set(f.key, dict(c.get(f.key), **{f.total: 0}))))
        if f.min_period_months:
            out.append((f"{f.key}.min_period_months", f.source("min_period_months"),
                        lambda c, f=f: c.set(f.key, dict(c.get(f.key), start="2025-03-01", end="2025-04-01"))))
        if f.measurable:
            out.append((f"{f.key}.measurable", f.source("measurable"),
                        lambda c, f=f: c.set(f.key, dict(c.get(f.key), **{f.text_parts[0].key: "提高教师的设计能力。"}))))
    m = form.materials
    out.append(("materials.min_files", m.source("min_files"), lambda c: c.materials.clear()))
    out.append(("materials.max_files", m.source("max_files"),
                lambda c: c.materials.extend([c.materials[0]] * m.max_files)))
    report = form.document("report")
    out.append(("documents.report.limit", report.limit_source,
                lambda c: c.set("report_process", "研" * (report.limit + 1))))
    return out


CASES = [(t, where) for t in ("school", "studio") for where, _, _ in _violations(t)]


@pytest.mark.parametrize("case_type,where", CASES, ids=[f"{t}:{w}" for t, w in CASES])
def test_each_rule_is_as_strict_as_its_source(case_type, where):
    """The notice's rules are errors that quote it; ours are 提醒 that say why; "原则上" rules are 提醒 too."""
    _, source, break_it = next(v for v in _violations(case_type) if v[0] == where)
    case = load_case(SCHOOL_EXAMPLE if case_type == "school" else STUDIO_EXAMPLE)
    assert _findings(case) == []
    break_it(case)
    mine = [f for f in _findings(case) if source.explain() in f.message]
    assert mine, (where, [f.message for f in _findings(case)])
    expected = ERROR if source.is_notice and "原则上" not in source.text else WARNING
    assert {f.severity for f in mine} == {expected}, where
    if not source.is_notice:
        assert "本软件的提醒，非通知要求" in mine[0].message and source.text in mine[0].message


def test_own_limits_no_longer_block(school_case):
    """课程内容依据 200, 姓名 20, 工作单位 40 … are ours: a case over them can still be packaged."""
    school_case.set("content_basis", "研" * 260)
    authors = school_case.get("authors")
    school_case.set("authors", [dict(authors[0], name="研" * 21, unit="研" * 41, title="研" * 21)] + authors[1:])
    resources = school_case.get("resources")
    school_case.set("resources", [dict(resources[0], name="研" * 61, channel="研" * 21)] + resources[1:])
    school_case.set("tools_other", "研" * 61)
    found = _findings(school_case)
    assert len(found) == 7 and all(f.severity == WARNING for f in found)
    assert any("“课程内容依据”共260字，超过建议的200字" in f.message for f in found)
    assert any("表格中超过40字会换行" in f.message for f in found)


def test_studio_own_limits_no_longer_block(studio_case):
    studio_case.set("studio_name", "研" * 41)
    studio_case.set("field_area", "研" * 31)
    found = _findings(studio_case)
    assert [f.severity for f in found] == [WARNING, WARNING]


def test_check_output_for_the_examples_still_reads_zero_errors():
    from tests.conftest import run_cli

    out = run_cli("check", str(SCHOOL_EXAMPLE), str(STUDIO_EXAMPLE)).stdout.decode()
    assert out.count("结果：0个错误，0个提醒。可以报送。") == 2


def test_examples_carry_real_supporting_files():
    for example in (SCHOOL_EXAMPLE, STUDIO_EXAMPLE):
        case = load_case(example)
        assert 1 <= len(case.materials) <= case.form.materials.max_files
        for m in case.materials:
            path = example.parent / m.path
            assert path.is_file() and path.stat().st_size == m.size and m.title
            head = path.read_bytes()[:8]
            assert head.startswith(b"\x89PNG") or head.startswith(b"PK\x03\x04")  # a real image or Word file


# ---------------------------------------------------------------- printed as the notice writes them

def _plan_cell(data: bytes, label: str) -> list[str]:
    doc = Document(io.BytesIO(data))
    row = next(r for r in doc.tables[0].rows if r.cells[0].text == label)
    return [p.text for p in row.cells[1].paragraphs if p.text]


def test_goals_and_dimensions_print_numbered_with_weights_inline(studio_case):
    goals = dict(studio_case.get("goals"), school="学年末每所成员学校形成1项校本研修制度。")
    studio_case.set("goals", goals)
    ev = studio_case.get("evaluation")
    docs = {r.doc_key: r.data for r in render_case(studio_case)}
    assert _plan_cell(docs["plan"], "研修目标") == [
        f"1.教师发展目标：{goals['teacher']}", f"2.教学改进目标：{goals['teaching']}",
        f"3.学生成长目标：{goals['student']}", "4.办学治校目标：学年末每所成员学校形成1项校本研修制度。"]
    assert _plan_cell(docs["plan"], "考核评价") == [
        f"1.过程评价：{ev['process'][:-1]}（权重30%）。", f"2.成果评价：{ev['result'][:-1]}（权重40%）。",
        f"3.效能评价：{ev['effect'][:-1]}（权重30%）。"]
    report = _doc_paragraphs(docs["report"])
    start = report.index("2.研修目标")
    assert report[start + 1:start + 5] == _plan_cell(docs["plan"], "研修目标")


def test_optional_fourth_goal_is_left_out_when_empty(studio_case):
    docs = {r.doc_key: r.data for r in render_case(studio_case)}
    cell = _plan_cell(docs["plan"], "研修目标")
    assert len(cell) == 3 and not any("办学治校目标" in p for p in cell)


def test_statistics_print_as_a_sentence_in_the_report(school_case, studio_case):
    report = _doc_paragraphs(render_case(school_case, docs=("report",))[0].data)
    start = report.index("5.相关统计")
    assert report[start + 1] == "专题讲座3场、课例研讨16次、交流展示2次、课题论文5篇、国家中小学智慧教育平台选用资源12个。"
    assert report[start + 2] == school_case.get("report_stats")["notes"]
    stats = dict(studio_case.get("report_stats"), contribution=None)
    studio_case.set("report_stats", stats)
    report = _doc_paragraphs(render_case(studio_case, docs=("report",))[0].data)
    start = report.index("5.相关统计")
    assert report[start + 1].startswith("研修周期为2025年3月3日至2025年7月4日，开展工作室直播4场")
    assert report[start + 2] == ("专题讲座3场、课例研讨12次、交流展示2次、课题论文6篇、帮扶教师学校5所、"
                                 "国家中小学智慧教育平台选用资源14个、资源观看量16000次、粉丝增长数1200人。")
    [f] = _findings(studio_case, "report_stats")  # an unfilled count is left out of the sentence, with a 提醒
    assert f.severity == WARNING and "“工作室贡献值”尚未填写" in f.message


def test_the_counter_counts_what_is_printed(school_case):
    from app.core.rules import field_word_count
    from app.core.wordcount import count_words

    f = school_case.form.field("evaluation")
    value = school_case.get("evaluation")
    printed = _plan_cell(render_case(school_case, docs=("plan",))[0].data, "考核评价")
    assert field_word_count(f, value) == sum(count_words(p) for p in printed)


def test_a_goal_left_empty_is_named(school_case):
    school_case.set("goals", dict(school_case.get("goals"), student=""))
    [f] = _findings(school_case, "goals")
    assert f.severity == ERROR and "“学生成长目标”尚未填写" in f.message


# ---------------------------------------------------------------- v2 → v3

@pytest.mark.parametrize("name", ["school-math-graphics", "studio-chinese-reading"])
def test_both_v2_examples_migrate_to_the_parts(tmp_path, name):
    v2_file = tmp_path / f"{name}.json"
    shutil.copy(V2 / f"{name}.json", v2_file)
    before = v2_file.read_bytes()
    migrated = load_case(v2_file)
    assert v2_file.read_bytes() == before  # migrated in memory only
    v3 = load_case(EXAMPLES / f"{name}.json")
    assert migrated.get("goals") == v3.get("goals")  # the numbered lines, split, without numbers and labels
    assert migrated.get("evaluation") == v3.get("evaluation")  # weights from the v2 group; （设置30%权重） dropped
    old = json.loads(before)["fields"]
    stats = migrated.get("report_stats")
    assert stats["notes"] == old["report_stats"]  # nothing typed is lost
    assert (stats["lectures"], stats["lessons"], stats["showcases"]) == (3, 16 if "school" in name else 12, 2)
    [(key, note)] = migrated.migration_notes
    assert key == "report_stats" and "请核对各项数字" in note
    [f] = [x for x in check_case(migrated) if x.field == "report_stats" and "按通知分项填写" in x.message]
    assert f.severity == WARNING
    out = tmp_path / "saved.json"
    migrated.materials = [Material(str(EXAMPLES / m.path), m.title, m.size) for m in v3.materials]
    save_case(migrated, out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["schema_version"] == SCHEMA_VERSION == 3
    assert "weights" not in saved["fields"] and "_migration_notes" not in saved and "unknown_fields" not in saved
    assert load_case(out).migration_notes == []


def _v2(fields: dict, case_type="school") -> bytes:
    return json.dumps({"format": "yanxiu-case", "schema_version": 2, "case_type": case_type, "fields": fields,
                       "materials": []}, ensure_ascii=False).encode()


@pytest.mark.parametrize("text,expected", [
    ("1.通过3个月的研修，90%的教师能设计任务。\n2.本学期内每位教师上1节课。\n3.学期末优秀率提高10%。",
     ["通过3个月的研修，90%的教师能设计任务。", "本学期内每位教师上1节课。", "学期末优秀率提高10%。"]),
    ("１．教师发展目标（专业能力维度）：甲\n２、教学改进目标:乙\n   第二行\n3. 学生成长目标 丙",
     ["甲", "乙\n第二行", "丙"]),
    ("1.教师发展目标：甲\n2.教学改进目标：乙", ["甲", "乙", ""]),
    ("1.教师发展目标是提升设计能力\n2.5%的学生……\n2.乙\n3.丙", ["教师发展目标是提升设计能力\n2.5%的学生……", "乙", "丙"]),
])
def test_hand_made_v2_numbered_goals_split(text, expected):
    case = loads(_v2({"goals": text}))
    assert [case.get("goals")[k] for k in ("teacher", "teaching", "student")] == expected
    assert case.migration_notes == []


@pytest.mark.parametrize("text", [
    "通过一学期研修，90%的教师能独立设计单元任务，学生参与度提高20%。",  # prose
    "研修目标如下：\n1.甲\n2.乙",  # text before the first number
    "1.甲\n3.乙",  # numbers out of order
    "1.甲\n2.乙\n3.丙\n4.丁",  # four goals where the school form has three
])
def test_hand_made_v2_goals_that_do_not_split_stay_whole_with_a_reminder(text):
    case = loads(_v2({"goals": text}))
    goals = case.get("goals")
    assert goals["teacher"] == clean_text(text) and goals["teaching"] == goals["student"] == ""
    reminders = [f for f in check_case(case) if f.field == "goals" and "无法按编号拆分" in f.message]
    assert [f.severity for f in reminders] == [WARNING] and "已全部保留在“教师发展目标”中" in reminders[0].message
    case.set("goals", goals)  # an edit that changes nothing keeps the reminder
    assert any("无法按编号拆分" in f.message for f in check_case(case))
    case.set("goals", dict(goals, teaching="本学期内每位教师上1节研究课。"))  # once she moves the goals, it goes
    assert not any("无法按编号拆分" in f.message for f in check_case(case))


def test_a_v2_goals_value_of_the_wrong_shape_is_named():
    from app.core.casefile import CaseFileError

    with pytest.raises(CaseFileError, match="“研修目标”的内容格式不正确，应为分项填写的内容"):
        loads(_v2({"goals": ["一", "二"]}))


def test_hand_made_v2_evaluation_keeps_weights_typed_in_the_text():
    case = loads(_v2({"evaluation": "1.过程评价：考勤（设置20%权重）\n2.成果评价：课例（权重50%）\n3.效能评价：效果（30%）"}))
    assert case.get("evaluation") == {"process": "考勤", "process_weight": 20, "result": "课例", "result_weight": 50,
                                      "effect": "效果", "effect_weight": 30}


def test_a_percentage_inside_a_dimension_is_not_taken_for_its_weight():
    case = loads(_v2({"evaluation": "1.过程评价：出勤率（90%）与任务完成度（设置30%权重）。\n2.成果评价：参与度提高（20%）\n"
                                    "3.效能评价：效果"}))
    ev = case.get("evaluation")
    assert ev["process"] == "出勤率（90%）与任务完成度。" and ev["process_weight"] == 30
    assert ev["result"] == "参与度提高" and ev["result_weight"] == 20  # a closing （20%） is the dimension's weight
    assert ev["effect"] == "效果" and ev["effect_weight"] is None


def test_hand_made_v2_evaluation_that_does_not_split_keeps_text_and_weights():
    case = loads(_v2({"evaluation": "三维评价，过程、成果、效能并重。", "weights": {"process": 30, "result": 40, "effect": 30}}))
    ev = case.get("evaluation")
    assert ev["process"] == "三维评价，过程、成果、效能并重。" and ev["result"] == ev["effect"] == ""
    assert (ev["process_weight"], ev["result_weight"], ev["effect_weight"]) == (30, 40, 30)
    assert any(k == "evaluation" for k, _ in case.migration_notes)


def test_studio_v2_goals_with_four_lines_fill_the_optional_fourth():
    case = loads(_v2({"goals": "1.甲\n2.乙\n3.丙\n4.办学治校目标：丁"}, "studio"))
    assert case.get("goals") == {"teacher": "甲", "teaching": "乙", "student": "丙", "school": "丁"}


def test_version_one_goes_all_the_way_to_three():
    raw = json.dumps({"format": "yanxiu-case", "schema_version": 1, "type": "school",
                      "fields": {"keywords": "图形、运动", "goals": "1.甲\n2.乙\n3.丙"}}, ensure_ascii=False).encode()
    case = loads(raw)
    assert case.get("keywords") == ["图形", "运动"] and case.get("goals")["teaching"] == "乙"


# ---------------------------------------------------------------- template syntax prints literally

TEMPLATE_SYNTAX = ["{{", "}}", "{%", "%}", "{_{", "}_}", "{_%", "%_}", "{{ x }}", "{% if x %}", "{%p endfor %}",
                   "{{r x }}", "{#", "#}", "_", "<", "&", "研修"]
syntax = st.lists(st.sampled_from(TEMPLATE_SYNTAX), min_size=1, max_size=6).map("".join)


def _value_for(f, s: str):
    """A value of the field's kind that carries s wherever the kind holds text (custom options included)."""
    k = f.kind
    if k in ("line", "text", "choice"):
        return s
    if k in ("multi", "tags"):
        return [s]  # a 科目 / 学段 / 年级 typed outside the list is printed too
    if k == "table":
        return [{c.key: ("13800000000" if c.format == "mobile" else s) for c in f.columns}]
    if k == "group":
        return {p.key: (s if p.kind == "text" else "2025-03-01" if p.kind == "date" else 7) for p in f.parts}
    if k == "checklist":
        return {s: [s]}
    if k == "stages":
        return [{"name": s, "time": s, "mode": s, "content": s, "tools": s}] * 2
    if k == "number":
        return 7
    if k == "date":
        return "2025-03-01"
    raise AssertionError(k)


def test_every_field_kind_is_covered():
    kinds = {f.kind for form in load_all().values() for f in form.fields}
    assert kinds <= {"line", "text", "choice", "multi", "tags", "table", "number", "date", "group", "checklist",
                     "stages"}
    assert {"line", "text", "multi", "tags", "table", "group", "checklist", "stages"} <= kinds


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(syntax, st.sampled_from(["school", "studio"]))
def test_template_syntax_in_any_value_prints_literally(s, case_type):
    case = Case.new(case_type)
    for f in case.form.fields:
        case.set(f.key, _value_for(f, s))
    docs = {r.doc_key: _doc_paragraphs(r.data) for r in render_case(case)}
    line = clean_text(s, multiline=False)
    for f in case.form.fields:
        if f.kind in ("number", "date", "stages") or (f.kind == "group" and not f.text_parts):
            continue  # numbers and dates only; stages are drawn into the flowchart picture, not printed as text
        for doc in f.documents:
            text = docs[doc]
            if f.kind == "multi":
                assert any(f"☑{line}" in p for p in text), (f.key, s)
            elif f.kind == "checklist":
                continue  # only the official rows print; a category of one's own never reaches the document
            else:
                assert any(line in p for p in text), (f.key, doc, s)


def test_rich_text_runs_carry_no_underscore_of_their_own():
    """context.add_literal relies on RichText writing no "_" into the XML it adds around the text."""
    from docxtpl import RichText

    from app.render.templates import CHECKBOX_STYLE

    rt = RichText()
    rt.add("☑", style=CHECKBOX_STYLE)
    rt.add("研修\n第二行")
    assert "_" not in rt.xml


def test_paragraph_fields_print_literally_per_paragraph():
    case = Case.new("school")
    case.set("goals", {"teacher": "{_{ a }_}\n{_% b %_}", "teaching": "{{ c }}", "student": "{% d %}"})
    plan = _plan_cell(render_case(case, docs=("plan",))[0].data, "研修目标")
    assert plan == ["1.教师发展目标：{_{ a }_}", "{_% b %_}", "2.教学改进目标：{{ c }}", "3.学生成长目标：{% d %}"]
    assert paragraphs("{_{ a }_}\n{_% b %_}") == ["{_{ a }_}", "{_% b %_}"]


# ---------------------------------------------------------------- the wizard shows the parts

def test_goal_boxes_count_each_goal_and_all_together(qtbot):
    from PySide6.QtCore import Qt

    from app.ui.editors_group import GroupEditor
    from app.ui.session import CaseSession

    session = CaseSession(Case.new("studio"))
    editor = GroupEditor(session.case.form.field("goals"), session)
    qtbot.addWidget(editor)
    editor.load()
    editor.show()
    qtbot.waitExposed(editor)
    boxes = [editor.inputs[k] for k in ("teacher", "teaching", "student", "school")]
    assert [b.accessibleName() for b in boxes] == ["研修目标：教师发展目标", "研修目标：教学改进目标", "研修目标：学生成长目标",
                                                  "研修目标：办学治校目标"]
    assert "名校长工作室可选填" in boxes[3].placeholderText()
    boxes[0].setPlainText("通过3个月的研修，90%的教师能独立设计跨学科学习任务。")
    boxes[1].setPlainText("研" * 280)
    assert session.get("goals")["teacher"].startswith("通过3个月")
    assert editor.part_counts["teacher"].text() == "26 字" and editor.part_counts["teaching"].text() == "280 字"
    # the field's counter counts what is printed: "1.教师发展目标：" and "2.教学改进目标：" and "3.学生成长目标：____" too
    assert editor.counter.state == "over" and editor.counter.text().startswith("3")
    editor.activateWindow()
    boxes[0].setFocus()
    qtbot.waitUntil(boxes[0].hasFocus)
    qtbot.keyClick(boxes[0], Qt.Key.Key_Tab)
    assert boxes[1].hasFocus() and session.get("goals")["teacher"].endswith("任务。")  # Tab moves on, types nothing


def test_evaluation_weights_sit_beside_their_dimension(qtbot):
    from app.ui.editors_group import GroupEditor
    from app.ui.session import CaseSession

    case = load_case(SCHOOL_EXAMPLE)
    session = CaseSession(case)
    editor = GroupEditor(case.form.field("evaluation"), session)
    qtbot.addWidget(editor)
    editor.load()
    grid = editor.layout()
    for dim, weight in (("process", "process_weight"), ("result", "result_weight"), ("effect", "effect_weight")):
        box_row = grid.getItemPosition(grid.indexOf(editor.inputs[dim]))[0]
        assert grid.getItemPosition(grid.indexOf(editor.inputs[weight]))[0] == box_row
    assert editor.summary.text() == "合计 100%"
    editor.inputs["result_weight"].setValue(50)
    assert editor.summary.text() == "合计 110%（应为 100%）" and session.get("evaluation")["result_weight"] == 50


def test_the_wheel_scrolls_past_a_weight_instead_of_changing_it(qtbot):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from app.ui.editors_group import GroupEditor
    from app.ui.inputs import InputGuard
    from app.ui.session import CaseSession

    case = load_case(SCHOOL_EXAMPLE)
    editor = GroupEditor(case.form.field("evaluation"), CaseSession(case))
    qtbot.addWidget(editor)
    InputGuard(editor).guard(editor)  # what every wizard page does for its inputs
    editor.load()
    editor.show()
    qtbot.waitExposed(editor)
    spin = editor.inputs["process_weight"]

    def wheel():
        pos = QPointF(spin.rect().center())
        event = QWheelEvent(pos, QPointF(spin.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, 120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(spin, event)
        return event.isAccepted()

    assert not spin.hasFocus()
    assert wheel() is False and spin.value() == 30  # passed on to the page, the weight untouched
    editor.activateWindow()
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    wheel()
    assert spin.value() == 31 and case.get("evaluation")["process_weight"] == 31

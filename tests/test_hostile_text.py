"""Hostile text in every field yields documents that open and contain the text exactly, after the documented cleaning."""

import io

from docx import Document
from hypothesis import HealthCheck, given, settings, strategies as st

from app.core.model import Case
from app.core.textclean import clean_text, paragraphs
from app.render.docx_render import render_case

FRAGMENTS = ["<", ">", "&", "&amp;", '"', "'", "{{", "}}", "{{ 7*7 }}", "{% if x %}", "{%p endfor %}", "{_{", "}_}",
             "{_%", "_", "]]>", "</w:t></w:r><w:r><w:t>", "\x00", "\x07", "\x0b", "\x0c", "\x1f", "\ufffe", "\ud800",
             "😀", "👩‍🏫", "\t", "\n", "\r\n", "\u2028", "\u3000", "研修", "A/B", "%", "\\a", "\u200b"]
hostile = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=12).map("".join)


def _cells(doc):
    return {row.cells[0].text: row.cells[1] for row in doc.tables[0].rows}


def _fill(case: Case, s: str) -> None:
    case.set("theme", s)
    case.set("keywords", [s, "关键词"])
    case.set("summary", s + "\n第二段" + s)
    case.set("needs", s)
    case.set("authors", [{"name": s, "unit": s, "title": s, "phone": "13800000000"}])
    case.set("resources", [{"name": s, "channel": s}])
    case.set("process_stages", [{"name": s, "time": s, "mode": s, "content": s, "tools": s}] * 2)
    case.set("report_process", s + "\n" + s)
    if case.form.has_field("tools_other"):
        case.set("tools_other", s)
    if case.form.has_field("studio_name"):
        case.set("studio_name", s)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile, st.sampled_from(["school", "studio"]))
def test_hostile_text_renders_exactly(s, case_type):
    case = Case.new(case_type)
    _fill(case, s)
    docs = {r.doc_key: Document(io.BytesIO(r.data)) for r in render_case(case)}
    line = clean_text(s, multiline=False)
    info = _cells(docs["info"])
    assert info["研修主题"].text == line
    assert info["案例关键词"].text == "；".join(case.get("keywords"))
    assert [p.text for p in info["案例概述"].paragraphs] == (paragraphs(clean_text(s + "\n第二段" + s)) or [""])
    author = info["作者信息（排序填写，最多3人）"].tables[0].rows[1]
    assert [c.text for c in author.cells] == [line, line, line, "13800000000"]
    plan = _cells(docs["plan"])
    assert [p.text for p in plan["需求分析"].paragraphs] == (paragraphs(clean_text(s)) or [""])
    resources = plan["平台支撑"].tables[0].rows
    if line:
        assert [c.text for c in resources[1].cells] == [line, line]
    body = [p.text for p in docs["report"].paragraphs]
    for para in paragraphs(clean_text(s + "\n" + s)):
        assert para in body


def test_a_hundred_thousand_characters(school_case):
    huge = ("研修AI课堂诊断<&>{{x}}😀\n" * 5000)[:100_000]
    for key in ("summary", "report_process", "needs"):
        school_case.set(key, huge)
    school_case.set("theme", huge)
    stages = school_case.get("process_stages")
    stages[0]["content"] = huge
    school_case.set("process_stages", stages)
    rendered = render_case(school_case)
    docs = {r.doc_key: Document(io.BytesIO(r.data)) for r in rendered}
    summary = _cells(docs["info"])["案例概述"]
    assert [p.text for p in summary.paragraphs] == paragraphs(clean_text(huge))
    assert len(rendered[0].filename) < 60
    assert docs["plan"].inline_shapes[0].height.mm < 250  # the flowchart elides long stage text instead of growing


@settings(max_examples=300, deadline=None)
@given(st.one_of(hostile, st.text(alphabet=st.characters(max_codepoint=0x10FFFF)), st.text(max_size=3)))
def test_cleaning_turns_every_line_break_into_one_and_drops_what_xml_cannot_hold(s):
    """Whatever the text: the cleaning's quick look (is there anything to clean?) never lets a character through
    that the full cleaning would change."""
    import re

    cleaned = clean_text(s)
    assert cleaned == re.sub("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]", "",
                             re.sub("\r\n|[\r\u2028\u2029\x0b\x0c\x85]", "\n", s))
    assert not re.search("[\x00-\x08\x0b\x0c\r\x0e-\x1f\x7f\x85\u2028\u2029\ufffe\uffff\ud800-\udfff]", cleaned)

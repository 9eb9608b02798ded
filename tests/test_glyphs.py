"""The glyph check: each character the prescribed font of its document cannot draw is a 提醒 naming the field, the
character and what Word and the PDF will do, with the remedy. Never an error: the notice sets no such rule."""

from app.core.glyphs import find_glyph_problems
from app.core.rules import ERROR, WARNING, check_case

from tests.conftest import EXAMPLES


def _glyph_findings(case):
    return [f for f in check_case(case) if "字体" in f.message and ("字库" in f.message or "没有" in f.message)]


def test_the_examples_have_nothing_to_warn_about(school_case, studio_case):
    assert find_glyph_problems(school_case) == [] and find_glyph_problems(studio_case) == []


def test_a_name_character_outside_gb2312_in_the_report(school_case):
    """仿宋_GB2312 holds GB2312 only: 堃 喆 珺 are GBK characters, so Word switches font mid-name in the report."""
    school_case.set("report_process", school_case.get("report_process") + "王堃、李喆和张珺老师执教研究课。")
    found = [f for f in _glyph_findings(school_case) if f.field == "report_process"]
    assert len(found) == 1
    f = found[0]
    assert f.severity == WARNING and f.document == "report"
    assert "“过程与举措”" in f.message and "“堃”“喆”“珺”" in f.message and "仿宋_GB2312" in f.message
    assert "别的字体" in f.message and "“仿宋”" in f.message and "GB/T 9704" in f.message
    # The same characters in the info sheet are fine: 宋体 covers GBK.
    authors = school_case.get("authors")
    authors[0]["name"] = "王堃"
    school_case.set("authors", authors)
    assert not [f for f in _glyph_findings(school_case) if f.field == "authors"]


def test_an_emoji_anywhere(school_case):
    school_case.set("theme", school_case.get("theme") + "🎓📚")
    found = [f for f in _glyph_findings(school_case) if f.field == "theme"]
    assert {f.document for f in found} == {"info", "plan", "report"}  # 研修主题 is printed in all three
    for f in found:
        assert f.severity == WARNING and "“🎓”“📚”" in f.message and "表情" in f.message
        assert "消失" in f.message and "删除" in f.message


def test_an_astral_ideograph(school_case):
    school_case.set("summary", school_case.get("summary") + "𠀀𪚥")
    found = [f for f in _glyph_findings(school_case) if f.field == "summary"]
    assert len(found) == 1 and found[0].document == "info"
    assert "“𠀀”“𪚥”" in found[0].message and "方框" in found[0].message and "生僻字" in found[0].message


def test_marks_that_gb2312_has_are_not_flagged(school_case):
    """Python's gb2312 codec maps — and ‖ differently from Windows; the check reads GB2312 as the part of GBK it is."""
    school_case.set("report_process", school_case.get("report_process") + "——“研修”……·《课标》①")
    assert not [f for f in _glyph_findings(school_case) if f.field == "report_process"]


def test_many_characters_make_one_finding_per_field_and_never_an_error(school_case):
    school_case.set("summary", school_case.get("summary") + "".join(chr(0x20000 + i) for i in range(40)))
    found = [f for f in check_case(school_case, base_dir=EXAMPLES) if f.field == "summary"]
    assert len(found) == 1 and "等40个字符" in found[0].message
    assert not any(f.severity == ERROR for f in check_case(school_case, base_dir=EXAMPLES))

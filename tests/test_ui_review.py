"""The review 提醒 in the wizard: the 检查 page says which measure the limits use, applies a safe replacement with
one click (and refuses when the field changed since), and each counter's tooltip shows Word's three figures."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication

from app.core.wordcount import counts
from app.ui.page_check import FIX_MARK
from tests.conftest import SCHOOL_EXAMPLE
from tests.test_ui import context, make_window  # noqa: F401 - fixtures

WRONG = "信息技术教师提供现场技术支持"
RIGHT = "信息科技教师提供现场技术支持"


def open_check_page(w):
    wiz = w.wizard
    wiz.go_to(wiz.pageIds()[wiz.all_pages.index(wiz.check_page)])
    return wiz.check_page


def review_items(page):
    tree = page.tree
    return [tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
            for j in range(tree.topLevelItem(i).childCount())]


def test_one_click_replacement_reaches_the_editor(make_window):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    w.session.set("report_process", w.session.get("report_process").replace(RIGHT, WRONG))
    page = open_check_page(w)
    assert "字数按Word“字数统计”" in page.measure_note.text()
    [item] = [i for i in review_items(page) if "信息科技" in i.text(1)]
    assert item.text(1).startswith(FIX_MARK) and item.parent().text(0) == "总结报告"
    assert not page.fix.isEnabled()
    page.tree.setCurrentItem(item)
    assert page.fix.isEnabled()
    page.fix.click()
    assert RIGHT in w.session.get("report_process") and WRONG not in w.session.get("report_process")
    assert RIGHT in w.wizard.editor("report_process").box.toPlainText()
    assert w.session.dirty
    assert not any("信息科技" in i.text(1) for i in review_items(page))


def test_a_stale_replacement_is_refused(make_window):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    w.session.set("report_process", w.session.get("report_process").replace(RIGHT, WRONG))
    page = open_check_page(w)
    [item] = [i for i in review_items(page) if "信息科技" in i.text(1)]
    page.tree.setCurrentItem(item)
    edited = w.session.get("report_process") + "她又补了一句。"
    w.session.set("report_process", edited)
    assert page.apply_selected() is False
    assert w.session.get("report_process") == edited  # nothing she typed is lost
    assert "改动过" in page.summary.text()


def test_a_review_finding_jumps_to_its_field(make_window):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    w.session.set("report_process", w.session.get("report_process").replace(RIGHT, WRONG))
    page = open_check_page(w)
    [item] = [i for i in review_items(page) if "信息科技" in i.text(1)]
    page.tree.itemActivated.emit(item, 0)
    assert w.wizard.currentPage().page_def.key == "report_body"
    assert w.focusWidget() is w.wizard.editor("report_process").box


def test_counter_tooltip_shows_the_three_measures(make_window):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    editor = w.wizard.editor("summary")
    text = w.session.get("summary")
    c = counts(text)
    QApplication.sendEvent(editor.counter, QHelpEvent(QEvent.Type.ToolTip, QPoint(2, 2), QPoint(2, 2)))
    tip = editor.counter.toolTip()
    assert f"字数：{c.words}（限300字" in tip
    assert f"字符数（不计空格）：{c.chars_no_spaces}" in tip and f"字符数（计空格）：{c.chars_with_spaces}" in tip
    assert c.words != c.chars_no_spaces  # the example's digits make the measures differ


def test_one_click_replacement_in_a_part_of_the_goals(make_window):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    goals = w.session.get("goals")
    w.session.set("goals", {**goals, "teaching": "依据新课标，" + goals["teaching"]})
    page = open_check_page(w)
    [item] = [i for i in review_items(page) if "“研修目标”中的“教学改进目标”" in i.text(1)]
    assert item.text(1).startswith(FIX_MARK) and item.parent().text(0) == "实施方案"
    page.tree.setCurrentItem(item)
    page.fix.click()
    fixed = w.session.get("goals")
    assert fixed["teaching"] == "依据《义务教育数学课程标准（2022年版）》，" + goals["teaching"]
    assert {k: v for k, v in fixed.items() if k != "teaching"} == {k: v for k, v in goals.items() if k != "teaching"}
    assert w.wizard.editor("goals").inputs["teaching"].toPlainText() == fixed["teaching"]

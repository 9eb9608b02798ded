"""README promises of the wizard that only real widgets show: never truncating, red only above the limit, autosave
1.5 s after the last edit and every 60 s, the report's live total. Each docstring names the mutant it kills."""

from __future__ import annotations

import pytest

from app.ui.counter import COLORS, status_color
from app.ui.mainwindow import AppContext, MainWindow
from tests.conftest import SCHOOL_EXAMPLE


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(AppContext(tmp_path / "data", tmp_path / "settings.json", tmp_path / "export"))
    w.ask_unsaved = lambda: "discard"  # a modal question would block the run
    qtbot.addWidget(w)
    w.show()
    yield w
    w.lock.release()


@pytest.mark.parametrize("key", ["theme"])
def test_a_single_line_field_never_truncates_and_turns_red_only_above_the_limit(window, key):
    """Kills `setMaxLength(limit)` on single-line fields (Qt would cut the text at the limit) and a counter that
    turns red at the limit instead of above it."""
    window.new_case("school")
    editor = window.wizard.editor(key)
    limit = editor.field.limit
    editor.edit.setText("研" * limit)
    assert editor.counter.text() == f"{limit} / {limit} 字" and editor.counter.state == "near"
    assert status_color(editor.counter) != COLORS["over"]
    editor.edit.setText("研" * (limit + 1))
    assert editor.edit.text() == "研" * (limit + 1)
    assert window.session.get(key) == "研" * (limit + 1)
    assert editor.counter.text() == f"{limit + 1} / {limit} 字（超出1字）" and editor.counter.state == "over"
    assert status_color(editor.counter) == COLORS["over"]
    pasted = "研" * (limit + 50)
    editor.edit.setText(pasted)
    assert editor.edit.text() == pasted and window.session.get(key) == pasted


def test_every_line_field_holds_more_than_its_limit(window):
    """Kills a maxLength on any single-line field of either form (tags and the 其他 line included)."""
    for case_type in ("school", "studio"):
        window.new_case(case_type)
        wiz = window.wizard
        for page in wiz.form_pages:
            wiz.go_to(wiz.pageIds()[wiz.form_pages.index(page)])
            for editor in page.editors.values():
                if editor.field.kind == "line":
                    text = "字" * ((editor.field.limit or 30) + 20)
                    editor.edit.setText(text)
                    assert editor.edit.text() == text, editor.field.key
                if editor.field.kind == "tags":
                    text = "字" * ((editor.field.item_limit or 15) + 20)
                    editor.boxes[0].setText(text)
                    assert editor.boxes[0].text() == text, editor.field.key


def test_autosave_waits_for_a_pause_then_writes_within_two_seconds(window, qtbot):
    """Kills DEBOUNCE_MS 1500 → 4500 (the draft would appear after 4.5 s) and a debounce that saves on every
    keystroke (0 ms): nothing is written for the first second after an edit, the draft is there well before 4 s."""
    window.new_case("school")
    saver = window.autosaver
    window.wizard.editor("theme").edit.setText("小学数学图形的位置与运动教学探究")
    qtbot.wait(1000)
    assert saver.saves == 0 and not saver.draft.exists()
    qtbot.waitUntil(lambda: saver.saves == 1, timeout=2800)  # 1.5 s after the edit, with slack for a busy machine
    assert saver.draft.is_file()


def test_autosave_also_runs_every_60_seconds_while_typing_without_pause(window, qtbot):
    """Kills the periodic 60 s timer removed, never started, or set to another interval: while each keystroke
    restarts the 1.5 s debounce, only the periodic tick saves."""
    window.new_case("school")
    saver = window.autosaver
    assert saver._periodic.isActive() and saver._periodic.interval() == 60_000
    assert not saver._periodic.isSingleShot()
    saver._periodic.timeout.emit()  # a clean session: the tick writes nothing
    assert saver.saves == 0
    window.wizard.editor("theme").edit.setText("研修")
    assert saver._debounce.isActive()
    saver._periodic.timeout.emit()  # the tick while the teacher is still typing
    assert saver.saves == 1 and saver.draft.is_file()


def test_the_report_total_follows_typing_by_itself(window, qtbot):
    """Kills the report page's live total disconnected from the model (`session.changed` → `_total_timer`): the
    old test called `_update_total()` by hand."""
    window.open_example(SCHOOL_EXAMPLE)
    wiz = window.wizard
    page = next(p for p in wiz.form_pages if p.page_def.key == "report_body")
    wiz.go_to(wiz.pageIds()[wiz.form_pages.index(page)])
    before = page.report_total.text()
    assert "已超出" not in before
    page.editors["report_experience"].box.setPlainText("验" * 800)
    qtbot.waitUntil(lambda: "已超出" in page.report_total.text(), timeout=3000)
    assert status_color(page.report_total) == COLORS["over"]
    page.editors["report_experience"].box.setPlainText("验")
    qtbot.waitUntil(lambda: "已超出" not in page.report_total.text(), timeout=3000)

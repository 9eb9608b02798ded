"""The wizard as a teacher meets it on a school PC: a real X window (xcb under Xvfb), the screen size and scaling
the launcher chose, the keyboard and the mouse wheel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget, QWizard

from app.ui.inputs import visual_inputs
from app.ui.mainwindow import AppContext, MainWindow
from tests.conftest import SCHOOL_EXAMPLE, STUDIO_EXAMPLE


@pytest.fixture(scope="module", autouse=True)
def _real_platform():
    assert QGuiApplication.platformName() == "xcb", "these tests must run on a real X server"


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(AppContext(tmp_path / "data", tmp_path / "settings.json", tmp_path / "export"), check_drafts=False)
    w.ask_unsaved = lambda: "discard"
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()  # no window manager under Xvfb: the test gives the window the keyboard itself
    qtbot.waitActive(w)
    yield w
    w.lock.release()


def available():
    return QGuiApplication.primaryScreen().availableGeometry()


def global_rect(widget: QWidget):
    from PySide6.QtCore import QRect

    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def test_the_window_and_every_page_fit_the_screen(window, qtbot):
    avail = available()
    assert avail.contains(window.frameGeometry()), (avail, window.frameGeometry())
    from app.ui.mainwindow import COMFORTABLE

    if avail.width() < COMFORTABLE.width() + 40 or avail.height() < COMFORTABLE.height() + 40:
        assert window.isMaximized() and window.frameGeometry() == avail  # a small screen: all of it
    else:
        assert window.size() == COMFORTABLE
    for example in (SCHOOL_EXAMPLE, STUDIO_EXAMPLE):
        window.open_example(example)
        wiz = window.wizard
        for pid in wiz.pageIds():
            wiz.go_to(pid)
            qtbot.wait(10)
            page = wiz.currentPage()
            assert avail.contains(window.frameGeometry()), page.heading
            buttons = [wiz.button(b) for b in (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                                               QWizard.WizardButton.FinishButton)]
            shown = [b for b in buttons if b.isVisible()]
            assert shown, page.heading
            for b in shown:
                assert avail.contains(global_rect(b)), (page.heading, b.text(), global_rect(b), avail)
            inputs = [w for w in visual_inputs(page) if w.isVisible() and w.isEnabled()]
            assert inputs, page.heading
            scroll = getattr(page, "scroll", None)  # a page's scroll area (QWidget.scroll, the method, elsewhere)
            if isinstance(scroll, QScrollArea):  # nothing cut at the right edge behind a sideways scroll bar (studio 相关统计)
                bar = scroll.horizontalScrollBar()
                try:
                    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=2000)  # the form gets its width after a turn
                except Exception:
                    tab = window.current_tab
                    raise AssertionError((page.heading, window.size(), tab.splitter.sizes(), tab.preview_panel.isHidden(),
                                          scroll.viewport().width(), scroll.widget().minimumSizeHint().width(),
                                          tab.preview_panel.minimumSizeHint().width()))
                view = global_rect(scroll.viewport())
                for w in inputs:
                    r = global_rect(w)
                    assert view.left() <= r.left() and r.right() <= view.right(), (page.heading, w.accessibleName())
            first = inputs[0]
            first.setFocus(Qt.FocusReason.TabFocusReason)
            if hasattr(page, "ensure_visible"):
                page.ensure_visible(first)
            qtbot.waitUntil(lambda: first.hasFocus())
            assert avail.contains(global_rect(first)), (page.heading, first, global_rect(first))
        window.session._set_dirty(False)


def test_in_a_narrow_window_the_preview_steps_aside_for_the_form_and_comes_back(qtbot, tmp_path):
    """A window too narrow for the form beside a readable preview (900 px; 1366×768 at 150 % is 911) hides the
    preview rather than cut the form's inputs at its right edge; wider again, it comes back; shown by hand (视图 →
    预览), it stays. Kills a splitter left as it is (the studio's 研修概况 then scrolls sideways) and a preview that
    never returns."""
    ctx = AppContext(tmp_path / "data", tmp_path / "settings.json", tmp_path / "export")
    w = MainWindow(ctx, check_drafts=False)
    w.ask_unsaved = lambda: "discard"
    qtbot.addWidget(w)
    avail = available()
    w.setWindowState(Qt.WindowState.WindowNoState)  # before showing: no window manager here to confirm it later
    w.setGeometry(avail.x() + 10, avail.y() + 30, 900, min(640, avail.height() - 60))
    w.show()
    qtbot.waitExposed(w)
    w.open_example(STUDIO_EXAMPLE)
    wiz = w.wizard
    page = next(p for p in wiz.form_pages if "report_stats" in p.field_keys)
    wiz.go_to(wiz.pageIds()[wiz.form_pages.index(page)])
    tab = w.current_tab
    bar = page.scroll.horizontalScrollBar()
    qtbot.waitUntil(lambda: tab.preview_panel.isHidden() and not bar.isVisible(), timeout=3000)
    assert not w.preview_act.isChecked()
    w.setGeometry(avail.x(), avail.y() + 30, avail.width(), min(640, avail.height() - 60))
    qtbot.waitUntil(lambda: not tab.preview_panel.isHidden(), timeout=3000)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=3000)  # and the form still fits beside it
    assert w.preview_act.isChecked()
    w.setGeometry(avail.x() + 10, avail.y() + 30, 900, min(640, avail.height() - 60))
    qtbot.waitUntil(lambda: tab.preview_panel.isHidden(), timeout=3000)
    w.preview_act.trigger()  # F8: she wants it, narrow or not
    qtbot.wait(300)
    assert not tab.preview_panel.isHidden() and w.preview_act.isChecked()
    w.session._set_dirty(False)
    w.lock.release()


def test_the_geometry_is_remembered_for_this_screen(qtbot, tmp_path):
    ctx = AppContext(tmp_path / "data", tmp_path / "settings.json", tmp_path / "export")
    first = MainWindow(ctx, check_drafts=False)
    qtbot.addWidget(first)
    avail = available()
    # Set before showing: without a window manager nobody would confirm an un-maximise of a mapped window.
    first.setWindowState(Qt.WindowState.WindowNoState)
    first.setGeometry(avail.x() + 20, avail.y() + 30, min(900, avail.width() - 40), min(500, avail.height() - 60))
    first.show()
    qtbot.waitExposed(first)
    qtbot.wait(50)
    wanted = first.geometry()
    first.close()
    first.lock.release()
    second = MainWindow(ctx, check_drafts=False)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.geometry().size() == wanted.size() and not second.isMaximized()
    import json

    saved = json.loads(ctx.settings_path.read_text(encoding="utf-8"))["window_geometry"]
    assert list(saved) == [MainWindow.screen_setup()]  # remembered for this screen setup only
    second.close()
    second.lock.release()


@pytest.fixture
def pointer():
    from tests.desk.xinput import XPointer

    p = XPointer()
    yield p
    p.close()


def _wheel_over(pointer, qtbot, widget: QWidget, down: bool = True) -> None:
    ratio = widget.devicePixelRatioF()
    centre = widget.mapToGlobal(widget.rect().center())
    pointer.move(round(centre.x() * ratio), round(centre.y() * ratio))
    qtbot.wait(30)
    pointer.wheel(down)
    qtbot.wait(60)


def test_the_wheel_over_an_unfocused_choice_scrolls_the_page(window, qtbot, pointer):
    window.open_example(SCHOOL_EXAMPLE)
    page = window.wizard.form_pages[0]
    combo = window.wizard.editor("content_items").combos[0]
    before = window.session.get("content_items")
    text = combo.currentText()
    bar = page.scroll.verticalScrollBar()
    assert bar.maximum() > 0  # the page is longer than the screen
    page.ensure_visible(combo)
    start = bar.value()
    window.wizard.editor("theme").edit.setFocus()
    qtbot.waitUntil(lambda: not combo.hasFocus())
    _wheel_over(pointer, qtbot, combo)
    assert combo.currentText() == text and window.session.get("content_items") == before
    assert bar.value() > start  # the page scrolled instead
    assert not combo.hasFocus()  # and the wheel did not hand the combo the keyboard
    window.wizard.go_to(window.wizard.pageIds()[4])
    spin = window.wizard.editor("evaluation").inputs["process_weight"]
    window.wizard.currentPage().ensure_visible(spin)
    value = spin.value()
    _wheel_over(pointer, qtbot, spin, down=False)
    assert spin.value() == value and window.session.get("evaluation")["process_weight"] == value
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    _wheel_over(pointer, qtbot, spin, down=False)  # with focus the wheel works as Qt's users expect
    assert spin.value() == value + 1


def test_tab_walks_every_input_of_the_page_once_per_cycle_and_leaves_the_author_table(window, qtbot):
    window.new_case("school")
    wiz = window.wizard
    editor = wiz.editor("authors")
    editor.add_row()
    page = wiz.form_pages[0]
    expected = [w for w in visual_inputs(page) if w.isVisible() and w.isEnabled()]
    first = wiz.editor("theme").edit
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    seen = [first]
    for _ in range(100):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        w = QApplication.focusWidget()
        if w is not seen[-1]:
            seen.append(w)
    starts = [i for i, w in enumerate(seen) if w is first]
    assert len(starts) >= 2, "100 Tabs did not come round to the first field"
    for a, b in zip(starts, starts[1:]):
        cycle = seen[a:b]
        for w in expected:
            assert sum(x is w for x in cycle) == 1, (w.accessibleName() or w, [x.accessibleName() for x in cycle])
        table = editor.table
        i = cycle.index(table)
        assert cycle[i + 1] is editor.add_btn  # Tab past the last cell moves on
    # Shift+Tab from below the table comes back into it (at its last cell), then leaves it upwards.
    editor.add_btn.setFocus()
    qtbot.waitUntil(editor.add_btn.hasFocus)
    QTest.keyClick(editor.add_btn, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is editor.table
    assert (editor.table.currentRow(), editor.table.currentColumn()) == (0, 3)
    QTest.keyClick(editor.table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is editor.add_btn  # Ctrl+Tab leaves at once


def test_tab_cycles_every_page_of_both_wizards_in_view(window, qtbot):
    """On every form page: 100 Tabs from the first input visit each input once per cycle, and the page scrolls
    so that the input with the keyboard is on the screen."""
    avail = available()
    for example in (SCHOOL_EXAMPLE, STUDIO_EXAMPLE):
        window.open_example(example)
        wiz = window.wizard
        for page in wiz.form_pages:
            wiz.go_to(wiz.pageIds()[wiz.form_pages.index(page)])
            expected = [w for w in visual_inputs(page) if w.isVisible() and w.isEnabled()]
            first = expected[0]
            first.setFocus(Qt.FocusReason.TabFocusReason)
            qtbot.waitUntil(first.hasFocus)
            seen = [first]
            for _ in range(100):
                QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
                w = QApplication.focusWidget()
                if w is not seen[-1]:
                    seen.append(w)
                    if w in expected:
                        assert avail.contains(global_rect(w).center()), (page.heading, w.accessibleName())
            starts = [i for i, w in enumerate(seen) if w is first]
            if len(starts) >= 2:
                cycle = seen[starts[0]:starts[1]]
                for w in expected:
                    assert sum(x is w for x in cycle) == 1, (page.heading, w.accessibleName() or w)
            else:  # a page with more stops than 100 Tabs: what was reached came in drawing order, once each
                reached = [w for w in seen if w in expected]
                assert reached == expected[:len(reached)] and len(reached) > 20, page.heading
        window.session._set_dirty(False)


def test_ctrl_z_in_a_text_box_undoes_the_case_and_ctrl_y_redoes(window, qtbot):
    window.new_case("school")
    edit = window.wizard.editor("theme").edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.setText("小学数学图形的位置与运动重难点教学探究")
    window.wizard.editor("subject").boxes["数学"].setChecked(True)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    QTest.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.get("subject") == []
    QTest.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.get("theme") == "" and edit.text() == ""
    assert not window.isWindowModified()
    QTest.keyClick(edit, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert edit.text() == "小学数学图形的位置与运动重难点教学探究"
    assert window.isWindowModified()
    box = window.wizard.editor("summary").box  # a paragraph box hands Ctrl+Z to the case as well
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.insertPlainText("本案例。")
    QTest.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert box.toPlainText() == "" and window.session.get("theme") != ""
    # a keyword box made for a pasted list (after the page was built) too
    keywords = window.wizard.editor("keywords")
    keywords.boxes[0].setText("甲、乙、丙、丁、戊")
    extra = keywords.boxes[4]
    extra.setFocus()
    qtbot.waitUntil(extra.hasFocus)
    QTest.keyClick(extra, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.get("keywords") == []


def test_notes_and_hints_coming_and_going_move_nothing_below(window, qtbot):
    """The cascade's notes (课程内容 source, the grade note), the 研修主题 suggestion and the keyword excess note
    keep their room: after the layout settles, every field below sits where it was, however long the note."""
    from app.ui.notes import MORE

    window.new_case("school")
    wiz = window.wizard
    page = wiz.form_pages[0]
    wiz.go_to(wiz.pageIds()[0])
    qtbot.waitExposed(page)
    grades = wiz.editor("grades")
    boxes = list(grades.boxes.values())
    below = [wiz.editor(k) for k in ("authors", "subject", "stages", "grades", "content_basis", "summary")]

    def settled():
        qtbot.wait(60)  # word-wrapped labels get their height in a second layout pass
        page.body.layout().activate()
        qtbot.wait(20)
        return [e.mapTo(page.body, QPoint(0, 0)).y() for e in below]

    where = settled()
    steps = [
        ("科目", lambda: wiz.editor("subject").boxes["数学"].setChecked(True)),  # source hint goes, suggestion comes
        ("课程内容", lambda: wiz.editor("content_items").boxes[0].setText("图形与几何-图形的位置与运动")),
        ("1年级", lambda: boxes[0].setChecked(True)),  # a one-line note appears
        ("2-7年级", lambda: [b.setChecked(True) for b in boxes[1:7]]),  # a note far longer than its room
        ("研修主题", lambda: wiz.editor("theme").edit.setText("小学数学“图形的位置与运动”重难点教学探究")),
        ("关键词", lambda: wiz.editor("keywords").boxes[0].setText("甲、乙、丙、丁、戊")),  # the excess note
        ("年级清空", lambda: [b.setChecked(False) for b in boxes]),  # the note goes
        ("关键词清空", lambda: wiz.editor("keywords").boxes[4].setText("")),
    ]
    for name, step in steps:
        step()
        assert settled() == where, name
        if name == "2-7年级":
            note = grades.note
            assert note.text().endswith(MORE) and note.toolTip() == note.message()
            assert "勾选了“7年级”" in note.message() and note.isVisible()
    assert grades.note.text() == "" and grades.note.isVisible()
    window.session._set_dirty(False)

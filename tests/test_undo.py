"""Undo and redo for the whole case (issue 11 item 3): every edit, of every field kind, is one command on the
case's undo stack; the widgets show the model again after undo and redo; the unsaved mark is the clean state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate

from tests.conftest import SCHOOL_EXAMPLE
from tests.test_ui import context, make_window, show_page  # noqa: F401 - fixtures shared with the wizard tests


def undo_redo(w, key, shows):
    """Undo then redo the last edit; the model and the widget follow (shows() reads the widget)."""
    after_model, after_shown = w.session.get(key), shows()
    w.undo_act.trigger()
    before_model, before_shown = w.session.get(key), shows()
    assert before_model != after_model and before_shown != after_shown
    w.redo_act.trigger()
    assert w.session.get(key) == after_model and shows() == after_shown
    w.undo_act.trigger()
    return before_model


def test_every_kind_of_edit_is_undone_and_redone(make_window, tmp_path):
    w = make_window()
    w.new_case("school")
    wiz = w.wizard
    theme = wiz.editor("theme")
    theme.edit.setText("小学数学图形的位置与运动重难点教学探究")
    assert undo_redo(w, "theme", theme.edit.text) == ""
    summary = wiz.editor("summary")
    summary.box.setPlainText("本案例围绕图形的运动展开。")
    assert undo_redo(w, "summary", summary.box.toPlainText) == ""
    subject = wiz.editor("subject")
    subject.boxes["数学"].setChecked(True)
    assert undo_redo(w, "subject", lambda: subject.boxes["数学"].isChecked()) == []
    keywords = wiz.editor("keywords")
    keywords.boxes[0].setText("图形运动")
    assert undo_redo(w, "keywords", lambda: keywords.boxes[0].text()) == []
    authors = wiz.editor("authors")
    authors.add_row()
    assert undo_redo(w, "authors", authors.table.rowCount) == []
    authors.add_row()
    authors.table.item(0, 0).setText("王芳")
    assert undo_redo(w, "authors", lambda: authors.table.item(0, 0).text())[0]["name"] == ""
    authors.table.item(0, 0).setText("王芳")
    authors.add_row()
    authors.table.item(1, 0).setText("李明")
    authors.table.setCurrentCell(1, 0)
    authors.move(-1)
    assert [r["name"] for r in w.session.get("authors")] == ["李明", "王芳"]
    assert [r["name"] for r in undo_redo(w, "authors", lambda: authors.table.item(0, 0).text())] == ["王芳", "李明"]
    authors.move(-1)  # (undo_redo leaves the edit undone; do it again and delete a row)
    authors.table.setCurrentCell(0, 0)
    authors.remove_row()
    assert undo_redo(w, "authors", authors.table.rowCount) and authors.table.rowCount() == 2

    show_page(w, wiz.form_pages[2])
    stages = wiz.editor("process_stages")
    stages.add_row()
    stages.table.item(0, 0).setText("问题诊断")
    assert undo_redo(w, "process_stages", lambda: stages.table.item(0, 0).text())[0]["name"] == ""
    show_page(w, wiz.form_pages[3])
    tools = wiz.editor("tools")
    box = next(iter(tools.boxes.values()))
    box.setChecked(True)
    assert undo_redo(w, "tools", box.isChecked) == {}
    show_page(w, wiz.form_pages[4])
    weights = wiz.editor("evaluation")
    weights.inputs["process_weight"].setValue(30)
    assert undo_redo(w, "evaluation", weights.inputs["process_weight"].value)["process_weight"] is None
    show_page(w, wiz.form_pages[5])

    photo = tmp_path / "课例研讨.jpg"
    photo.write_bytes(b"\xff\xd8" + b"0" * 2000)
    page = show_page(w, wiz.materials_page)
    assert page.add_files([photo]) == []
    assert page.table.rowCount() == 1
    w.undo_act.trigger()
    assert w.session.case.materials == [] and page.table.rowCount() == 0
    w.redo_act.trigger()
    assert len(w.session.case.materials) == 1 and page.table.rowCount() == 1
    page.table.item(0, 0).setText("课例研讨现场照片")
    assert w.session.case.materials[0].title == "课例研讨现场照片"
    w.undo_act.trigger()
    assert w.session.case.materials[0].title == "课例研讨" and page.table.item(0, 0).text() == "课例研讨"
    page.table.setCurrentCell(0, 0)
    page.remove_selected()
    assert w.session.case.materials == []
    w.undo_act.trigger()
    assert len(w.session.case.materials) == 1


def test_dates_of_the_studio_period_undo(make_window):
    w = make_window()
    w.new_case("studio")
    key = next(f.key for f in w.session.case.form.fields if f.kind == "group" and any(p.kind == "date" for p in f.parts))
    editor = w.wizard.editor(key)
    part = next(p for p in editor.field.parts if p.kind == "date")
    editor.inputs[part.key].setDate(QDate(2025, 3, 1))
    assert w.session.get(key)[part.key] == "2025-03-01"
    w.undo_act.trigger()
    assert w.session.get(key)[part.key] == "" and editor.inputs[part.key].specialValueText() == editor.inputs[part.key].text()


@pytest.fixture
def clock(monkeypatch):
    """The undo steps' clock, moved by hand: typing 0.2 s apart merges, a pause of seconds does not."""
    import app.ui.undo as undo

    now = [100.0]
    monkeypatch.setattr(undo.time, "monotonic", lambda: now[0])
    return now


def test_typing_merges_into_sentence_sized_steps(make_window, clock):
    now = clock
    w = make_window()
    w.new_case("school")
    box = w.wizard.editor("summary").box
    stack = w.session.undo_stack

    def type_text(text, gap=0.2):
        for ch in text:
            now[0] += gap
            box.insertPlainText(ch)

    type_text("本校数学组共研修三个月。")
    type_text("教师设计了课例")
    assert stack.count() == 2  # the sentence, then the clause being typed
    now[0] += 5  # a pause: the next keystrokes are a new step
    type_text("。")
    assert stack.count() == 3
    w.undo_act.trigger()
    assert box.toPlainText() == "本校数学组共研修三个月。教师设计了课例"
    w.undo_act.trigger()
    assert box.toPlainText() == "本校数学组共研修三个月。"
    w.undo_act.trigger()
    assert box.toPlainText() == "" and not w.isWindowModified()


def test_a_click_and_what_the_cascade_fills_in_are_one_step(make_window):
    w = make_window()
    w.new_case("school")
    wiz = w.wizard
    wiz.editor("subject").boxes["数学"].setChecked(True)
    wiz.editor("content_items").boxes[0].setText("图形与几何-图形的位置与运动")
    assert w.session.get("grades") and w.session.get("content_basis")
    assert wiz.editor("grades").chosen() == w.session.get("grades")
    w.undo_act.trigger()  # the content item, the grades, stages and 课程内容依据 it brought
    assert w.session.get("content_items") == [] and w.session.get("grades") == []
    assert w.session.get("stages") == [] and w.session.get("content_basis") == ""
    assert wiz.editor("grades").chosen() == [] and wiz.editor("content_basis").box.toPlainText() == ""
    assert w.session.get("subject") == ["数学"]
    w.redo_act.trigger()
    assert wiz.editor("grades").chosen() == w.session.get("grades") != []


def test_the_unsaved_mark_follows_the_undo_stack(make_window, tmp_path):
    w = make_window()
    target = tmp_path / "案例.json"
    target.write_bytes(SCHOOL_EXAMPLE.read_bytes())
    assert w.open_path(target)
    assert not w.isWindowModified()
    theme = w.wizard.editor("theme").edit
    original = theme.text()
    theme.setText(original + "（修订）")
    assert w.isWindowModified() and w.tabs.tabText(0).endswith("*")
    w.undo_act.trigger()
    assert not w.isWindowModified() and theme.text() == original and not w.tabs.tabText(0).endswith("*")
    w.redo_act.trigger()
    assert w.isWindowModified()
    assert w.save()
    assert not w.isWindowModified()
    w.undo_act.trigger()  # back before the save: unsaved again
    assert w.isWindowModified() and theme.text() == original


def test_the_edit_menu_belongs_to_the_case_on_screen(make_window):
    w = make_window()
    menus = [a.text() for a in w.menuBar().actions()]
    assert "编辑(&E)" in menus
    assert not w.undo_act.isEnabled()
    w.new_case("school")
    w.wizard.editor("theme").edit.setText("初中语文整本书阅读")
    assert w.undo_act.isEnabled() and "研修主题" in w.undo_act.text() and w.undo_act.text().startswith("撤销")
    assert [s.toString() for s in w.redo_act.shortcuts()][0] == "Ctrl+Y"
    assert w.undo_act.shortcut().toString() == "Ctrl+Z"
    first = w.current_tab
    w.new_case("studio")
    assert not w.undo_act.isEnabled()  # the new case has nothing to undo
    w.tabs.setCurrentWidget(first)
    assert w.undo_act.isEnabled()
    w.undo_act.trigger()
    assert first.session.get("theme") == ""


def test_ctrl_z_in_an_open_table_cell_undoes_the_case_like_any_text_box(make_window, qtbot, monkeypatch):
    """In a cell's editor typing reaches the case as she types, and Ctrl+Z / Ctrl+Y are the 编辑 menu's undo and
    redo, as in the form's other boxes: cell by cell, back through the row she added, the editor showing it."""
    import app.ui.undo as undo
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    now = [100.0]
    monkeypatch.setattr(undo.time, "monotonic", lambda: now[0])
    w = make_window()
    w.new_case("school")
    show_page(w, w.wizard.form_pages[0])
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    authors = w.wizard.editor("authors")
    table = authors.table
    authors.add_row()

    def open_cell(row, column):
        table.setFocus()
        table.setCurrentCell(row, column)
        table.editItem(table.item(row, column))
        editor = table.indexWidget(table.model().index(row, column))
        assert isinstance(editor, QLineEdit)
        editor.setFocus()
        qtbot.waitUntil(editor.hasFocus)
        return editor

    def ime(editor, text):  # Chinese arrives as an input method's commit, never as key clicks
        now[0] += 0.2
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(editor, event)

    def key(editor, k):
        QTest.keyClick(editor, k, Qt.KeyboardModifier.ControlModifier)

    name = open_cell(0, 0)
    for ch in "王芳":
        ime(name, ch)
    assert w.session.get("authors")[0]["name"] == "王芳" and w.isWindowModified()  # before the editor closes
    name.setCursorPosition(1)
    ime(name, "小")
    assert name.text() == "王小芳" and name.cursorPosition() == 2  # typing in the middle stays in the middle
    now[0] += 5
    unit = open_cell(0, 1)
    for ch in "阳光小学":
        ime(unit, ch)
    key(unit, Qt.Key.Key_Z)  # the case's undo: the cell's typing, not a character of the box's own history
    assert w.session.get("authors")[0]["unit"] == "" and unit.text() == ""
    assert table.indexWidget(table.model().index(0, 1)) is unit and unit.hasFocus()  # she goes on typing
    key(unit, Qt.Key.Key_Z)  # the step before: the name typed in the other cell
    assert w.session.get("authors")[0]["name"] == "" and table.item(0, 0).text() == ""
    key(unit, Qt.Key.Key_Y)
    key(unit, Qt.Key.Key_Y)
    assert w.session.get("authors")[0] == {**w.session.get("authors")[0], "name": "王小芳", "unit": "阳光小学"}
    assert unit.text() == "阳光小学" and table.item(0, 0).text() == "王小芳"
    QTest.keyClick(unit, Qt.Key.Key_Return)
    now[0] += 5
    unit = open_cell(0, 1)
    unit.setCursorPosition(len(unit.text()))
    ime(unit, "（东校区）")
    assert w.session.get("authors")[0]["unit"] == "阳光小学（东校区）"
    QTest.keyClick(unit, Qt.Key.Key_Escape)  # Esc: the cell as it was when the editor opened
    assert w.session.get("authors")[0]["unit"] == "阳光小学" and table.item(0, 1).text() == "阳光小学"
    assert table.indexWidget(table.model().index(0, 1)) is None
    w.undo_act.trigger()  # Esc was an edit like any other
    assert w.session.get("authors")[0]["unit"] == "阳光小学（东校区）"
    w.undo_act.trigger()
    for _ in range(3):
        w.undo_act.trigger()  # on back through the row she added
    assert w.session.get("authors") == [] and table.rowCount() == 0 and not w.isWindowModified()


def test_a_choice_in_an_open_cell_dropdown_undoes_like_typing(make_window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QComboBox

    from app.core.model import STAGE_KEYS

    w = make_window()
    w.new_case("school")
    page = next(p for p in w.wizard.form_pages if "process_stages" in p.editors)
    show_page(w, page)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    stages = w.wizard.editor("process_stages")
    stages.add_row()
    column = STAGE_KEYS.index("mode")
    table = stages.table
    table.setFocus()
    table.setCurrentCell(0, column)
    table.editItem(table.item(0, column))
    combo = table.indexWidget(table.model().index(0, column))
    assert isinstance(combo, QComboBox) and combo.currentText() == ""
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    combo.setCurrentIndex(1)
    chosen = combo.itemText(1)
    assert w.session.get("process_stages")[0]["mode"] == chosen
    QTest.keyClick(combo, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.session.get("process_stages")[0]["mode"] == "" and combo.currentText() == ""
    QTest.keyClick(combo, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert combo.currentText() == chosen and table.item(0, column).text() == chosen


def test_ctrl_z_in_an_open_material_title_takes_back_the_typing_then_the_case(make_window, qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    w = make_window()
    w.new_case("school")
    photo = tmp_path / "课例研讨.jpg"
    photo.write_bytes(b"\xff\xd8" + b"0" * 2000)
    page = show_page(w, w.wizard.materials_page)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    assert page.add_files([photo]) == []
    table = page.table
    table.setFocus()
    table.setCurrentCell(0, 0)
    table.editItem(table.item(0, 0))
    editor = table.indexWidget(table.model().index(0, 0))
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    editor.end(False)
    event = QInputMethodEvent()
    event.setCommitString("现场照片")
    QApplication.sendEvent(editor, event)
    assert editor.text() == "课例研讨现场照片"
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the typing, as one step
    assert w.session.case.materials[0].title == "课例研讨" and editor.text() == "课例研讨"
    QTest.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert w.session.case.materials[0].title == "课例研讨现场照片" and editor.text() == "课例研讨现场照片"
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the file added
    assert w.session.case.materials == [] and table.rowCount() == 0


def test_the_file_menu_answers_every_key_the_platform_binds_to_its_commands(make_window):
    """关闭案例 closes the tab with Ctrl+W as well as Ctrl+F4, as the tabs of WPS and every browser do."""
    w = make_window()
    keys = {a.text(): {s.toString() for s in a.shortcuts()} for a in
            (w.open_act, w.save_act, w.save_as_act, w.close_act, w.print_act, w.preview_act)}
    assert keys["关闭案例"] >= {"Ctrl+W", "Ctrl+F4"}
    assert "Ctrl+O" in keys["打开…"] and "Ctrl+S" in keys["保存"] and "Ctrl+Shift+S" in keys["另存为…"]
    assert "Ctrl+P" in keys["打印…"] and keys["预览"] == {"F8"}


def test_ctrl_z_and_ctrl_y_in_a_text_box_undo_and_redo_the_case(make_window, qtbot):
    """A multi-line box hands Ctrl+Z / Ctrl+Y (and Ctrl+Shift+Z) to the case itself, without the page's event
    filter: kills a box that keeps the keys (its own history is off, so they would do nothing) and a redo key that
    undoes. Also a goal's box inside a group field, which is the same kind of box."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    w = make_window()
    w.new_case("school")
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    show_page(w, next(p for p in w.wizard.form_pages if "process" in p.field_keys))
    process, goals = w.wizard.editor("process"), w.wizard.editor("goals")
    goal = next(b for b in goals.inputs.values() if hasattr(b, "toPlainText"))
    for box, key in ((process.box, "process"), (goal, "goals")):
        before = w.session.get(key)
        event = QInputMethodEvent()
        event.setCommitString("以课例研究为主线。")
        QApplication.sendEvent(box, event)
        typed = w.session.get(key)
        assert typed != before
        QTest.keyClick(box, Qt.Key.Key_Z, ctrl)
        assert w.session.get(key) == before and "以课例研究" not in box.toPlainText()
        QTest.keyClick(box, Qt.Key.Key_Y, ctrl)
        assert w.session.get(key) == typed and "以课例研究为主线。" in box.toPlainText()
        QTest.keyClick(box, Qt.Key.Key_Z, ctrl)
        QTest.keyClick(box, Qt.Key.Key_Z, ctrl | shift)
        assert w.session.get(key) == typed
        QTest.keyClick(box, Qt.Key.Key_A)
        assert sorted(box.toPlainText()) == sorted("以课例研究为主线。a")  # other keys still type


def test_a_listener_hears_its_own_fields_until_its_owner_is_gone(make_window):
    """The session's listeners (`watch`) stand in for a Qt signal: kills one told of other fields' edits, one told
    after its owner was deleted (a closed page's widgets would be called), and one never told."""
    from PySide6.QtCore import QObject
    from shiboken6 import delete

    w = make_window()
    w.new_case("school")
    heard: list[tuple[str, str]] = []
    theme_owner, any_owner = QObject(), QObject()
    w.session.watch(("theme",), lambda key: heard.append(("theme", key)), theme_owner)
    w.session.watch(None, lambda key: heard.append(("any", key)), any_owner)
    w.session.set("summary", "本案例围绕图形的运动展开。")
    w.session.set("theme", "图形的运动")
    assert heard == [("any", "summary"), ("theme", "theme"), ("any", "theme")]
    delete(theme_owner)
    heard.clear()
    w.undo_act.trigger()
    assert heard == [("any", "theme")] and w.session.get("theme") == ""


def test_a_keystroke_is_stored_clean_whatever_the_box_says_of_its_edit(qapp):
    """Where a text box says how its text changed, the session cleans only what was typed: what it stores must be
    what cleaning the whole text stores, for any text before and after and any description of the edit, true
    (typing, pasting, deleting) or not."""
    from hypothesis import HealthCheck, given, settings, strategies as st

    from app.core.model import Case, normalize_value
    from app.core.textclean import clean_text
    from app.ui.session import CaseSession
    from tests.test_hostile_text import hostile

    form = Case.new("school").form

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(hostile, hostile, st.data())
    def check(before, typed, data):
        session = CaseSession(Case.new("school"))
        session.set("summary", before)
        stored = session.get("summary")
        assert stored == clean_text(before)
        position = data.draw(st.integers(0, len(stored)))
        removed = data.draw(st.integers(0, len(stored) - position))
        new = stored[:position] + typed + stored[position + removed:]
        edit = data.draw(st.one_of(st.just((position, removed, len(typed))),  # what Qt would say
                                   st.tuples(st.integers(-1, 12), st.integers(0, 12), st.integers(0, 12))))
        assert session.set("summary", new, edit=edit) == normalize_value(form.field("summary"), new)
        assert session.get("summary") == clean_text(new)

    check()


def test_typing_in_a_long_field_still_ends_its_step_at_a_sentence_mark(make_window, clock):
    """The mark that ends a step is found in what was typed, not by counting the field's marks: also after a paste,
    a deletion and typing in the middle of a 2 000-字 text."""
    now = clock
    w = make_window()
    w.new_case("school")
    box = w.wizard.editor("process").box
    stack = w.session.undo_stack
    long_text = "研修采用线上研学与线下实践相结合的混合式模式，以课例研究为主线；" * 60
    box.insertPlainText(long_text)  # one step (a paste ending in a sentence mark)
    assert stack.count() == 1 and w.session.get("process") == long_text
    cursor = box.textCursor()
    cursor.setPosition(10)
    box.setTextCursor(cursor)
    for ch in "新增内容。再写":
        now[0] += 0.2
        box.insertPlainText(ch)
    now[0] += 0.2
    box.textCursor().deletePreviousChar()
    assert stack.count() == 3  # the paste, "新增内容。", then "再" typed and "写" taken back
    assert w.session.get("process") == long_text[:10] + "新增内容。再" + long_text[10:]
    w.undo_act.trigger()
    assert w.session.get("process") == long_text[:10] + "新增内容。" + long_text[10:]
    w.undo_act.trigger()
    assert w.session.get("process") == long_text


def test_typing_after_a_save_or_an_undo_starts_a_step_of_its_own(make_window, clock, tmp_path):
    """The session keeps the typing step a keystroke may extend instead of asking the undo stack at every key: kills
    keeping it across a save (the typing after 保存 would merge into the saved step, and one undo would go back
    past the saved text) and across an undo (the next keystroke would change a step that is no longer on top)."""
    now = clock
    w = make_window()
    w.new_case("school")
    box = w.wizard.editor("summary").box

    def type_text(text):
        for ch in text:
            now[0] += 0.2
            box.insertPlainText(ch)

    type_text("本校数学组")
    w.session.save(tmp_path / "案例.json")
    assert not w.isWindowModified()
    type_text("共研修")
    w.undo_act.trigger()
    assert box.toPlainText() == "本校数学组" and not w.isWindowModified()
    type_text("三个月")
    w.undo_act.trigger()
    assert box.toPlainText() == "本校数学组" and not w.isWindowModified()
    w.redo_act.trigger()  # typing after the undo replaced what could be redone
    assert box.toPlainText() == "本校数学组三个月"
    now[0] += 5  # a pause: a new step
    type_text("，教师")
    now[0] += 5
    type_text("设计课例")
    w.undo_act.trigger()  # not back to the saved state this time
    assert box.toPlainText() == "本校数学组三个月，教师" and w.isWindowModified()
    type_text("研讨")
    w.undo_act.trigger()
    assert box.toPlainText() == "本校数学组三个月，教师"
    w.redo_act.trigger()
    assert box.toPlainText() == "本校数学组三个月，教师研讨"


def test_undo_and_redo_bring_what_they_change_into_view(make_window, qtbot):
    """Undo is case-wide: from the 编辑 menu or Ctrl+Z / Ctrl+Y in a text box, the wizard goes to the page of the
    field it changed and puts the cursor there, as any editor shows what its undo did; the edit itself, when it is
    made, moves nothing. Kills an undo that empties a cell on a page she is not looking at."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    w = make_window()
    w.new_case("school")
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    wiz = w.wizard
    info = next(p for p in wiz.form_pages if "theme" in p.field_keys)
    flow = next(p for p in wiz.form_pages if "process_stages" in p.field_keys)
    show_page(w, flow)
    stages = wiz.editor("process_stages")
    stages.add_row()
    stages.table.item(0, 0).setText("问题诊断")
    assert wiz.currentPage() is flow

    show_page(w, info)
    theme = wiz.editor("theme").edit
    theme.setFocus()
    qtbot.waitUntil(theme.hasFocus)
    w.undo_act.trigger()  # the 编辑 menu: the cell on the other page
    assert w.session.get("process_stages")[0]["name"] == "" and stages.table.item(0, 0).text() == ""
    assert wiz.currentPage() is flow and w.current_tab.area.nav.currentRow() == wiz.all_pages.index(flow)
    focus = QApplication.focusWidget()
    assert focus is not None and stages.isAncestorOf(focus)
    show_page(w, info)
    w.redo_act.trigger()
    assert stages.table.item(0, 0).text() == "问题诊断" and wiz.currentPage() is flow

    show_page(w, info)
    theme.setText("小学数学图形的运动")  # a new edit, on the page she is on: nothing moves
    assert wiz.currentPage() is info
    show_page(w, flow)
    box = wiz.editor("process").box
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    ctrl = Qt.KeyboardModifier.ControlModifier
    QTest.keyClick(box, Qt.Key.Key_Z, ctrl)  # a multi-line box hands the key to the case itself
    assert w.session.get("theme") == "" and wiz.currentPage() is info and theme.hasFocus()
    show_page(w, flow)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    QTest.keyClick(box, Qt.Key.Key_Y, ctrl)
    assert theme.text() == "小学数学图形的运动" and wiz.currentPage() is info and theme.hasFocus()


def test_after_undo_the_next_keystroke_lands_where_the_text_changed(make_window, clock):
    """Undo puts the cursor at the end of what it changed, as Qt's own undo does: kills a box that keeps the
    cursor's old offset, so the next keystroke lands inside the next paragraph or further along the line."""
    now = clock
    w = make_window()
    w.new_case("school")
    first, second = "第一阶段：问题诊断。", "第二阶段：课例研讨，形成改进方案。"
    goals = w.wizard.editor("goals")
    goal = next(b for b in goals.inputs.values() if hasattr(b, "toPlainText"))
    for box, key in ((w.wizard.editor("process").box, "process"), (goal, "goals")):
        show_page(w, next(p for p in w.wizard.form_pages if key in p.field_keys))
        box.setPlainText(first + "\n" + second)
        now[0] += 5
        cursor = box.textCursor()
        cursor.setPosition(len(first))  # the end of paragraph 1
        box.setTextCursor(cursor)
        box.insertPlainText("测试一句。")
        w.undo_act.trigger()
        assert box.toPlainText() == first + "\n" + second
        now[0] += 5
        box.insertPlainText("Y")
        assert box.toPlainText() == first + "Y\n" + second

    show_page(w, w.wizard.form_pages[0])
    theme = w.wizard.editor("theme").edit
    theme.setText("小学数学图形的运动")
    now[0] += 5
    theme.home(False)
    theme.cursorForward(False, 2)
    theme.insert("AB")
    assert theme.text() == "小学AB数学图形的运动"
    w.undo_act.trigger()
    assert theme.text() == "小学数学图形的运动" and theme.cursorPosition() == 2
    w.redo_act.trigger()
    assert theme.cursorPosition() == 4  # after what the redo put back
    w.undo_act.trigger()
    now[0] += 5
    theme.insert("C")
    assert theme.text() == "小学C数学图形的运动"
    theme.setSelection(3, 2)  # "数学" selected and typed over
    now[0] += 5
    theme.insert("语文")
    w.undo_act.trigger()
    now[0] += 5
    theme.insert("D")
    assert theme.text() == "小学C数学D图形的运动"  # right after the text the undo put back

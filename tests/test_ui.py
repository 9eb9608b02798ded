"""The wizards driven through real widgets (offscreen): Chinese text by setText, never keyClicks."""

import json
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QWidget

from app.core.casefile import load_case
from app.core.model import STAGE_KEYS
from app.ui.counter import COLORS, status_color
from app.ui.mainwindow import AppContext, MainWindow
from tests.conftest import SCHOOL_EXAMPLE, STUDIO_EXAMPLE


@pytest.fixture
def context(tmp_path):
    return AppContext(tmp_path / "data", tmp_path / "settings.json", tmp_path / "export")


@pytest.fixture
def make_window(qtbot, context, monkeypatch):
    # These tests are about the wizard: its preview converts nothing unless a test asks for a converter
    # (tests/test_preview.py covers the preview with LibreOffice).
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "none")
    windows = []

    def make(ctx=None, **kw):
        w = MainWindow(ctx or context, **kw)
        w.ask_unsaved = lambda: "discard"  # a modal question would block the test run
        w.ask_stop_export = lambda: True  # the same for an export still running at teardown
        w.show_error = lambda title, msg: windows_errors.append((title, msg))
        qtbot.addWidget(w)
        w.show()
        windows.append(w)
        return w

    windows_errors: list = []
    make.errors = windows_errors
    yield make
    for w in windows:
        w.lock.release()


def by_name(root: QWidget, name: str) -> QWidget:
    found = [w for w in root.findChildren(QWidget) if w.accessibleName() == name]
    assert found, f"no widget labelled {name!r}"
    return found[0]


def show_page(window, page):
    """Move to a page as the teacher does (pages build their widgets when first shown); returns it."""
    wiz = window.wizard
    wiz.go_to(wiz.pageIds()[wiz.all_pages.index(page)])
    assert wiz.currentPage() is page
    return page


def fill_from(window, case):
    """Type a whole case into the widgets, field by field, as a teacher would (setText, not keyClicks)."""
    wiz = window.wizard
    for page in wiz.form_pages:
        wiz.go_to(wiz.pageIds()[wiz.form_pages.index(page)])
        for key, editor in page.editors.items():
            value = case.get(key)
            kind = editor.field.kind
            if kind == "text":
                editor.box.setPlainText(value)
            elif kind == "line":
                editor.edit.setText(value)
            elif kind == "tags":
                for box, text in zip(editor.boxes, value + [""] * len(editor.boxes)):
                    box.setText(text)
            elif kind == "multi":
                for option, box in editor.boxes.items():
                    box.setChecked(option in value)
            elif kind == "checklist":
                for (cat, item), box in editor.boxes.items():
                    box.setChecked(item in value.get(cat, []))
            elif kind == "group":
                from PySide6.QtCore import QDate

                for part in editor.field.parts:
                    w = editor.inputs[part.key]
                    v = value[part.key]
                    if part.kind == "date":
                        w.setDate(QDate.fromString(v, "yyyy-MM-dd"))
                    elif part.kind == "text":
                        w.setPlainText(v)
                    else:
                        w.setValue(-1 if v is None else v)  # -1 is shown as 未填写
            elif kind in ("table", "stages"):
                keys = editor.keys
                while editor.table.rowCount() < len(value):
                    editor.add_row()
                for r, row in enumerate(value):
                    for c, k in enumerate(keys):
                        editor.table.item(r, c).setText(row.get(k, ""))


@pytest.mark.parametrize("example", [SCHOOL_EXAMPLE, STUDIO_EXAMPLE])
def test_fill_a_whole_case_and_save_what_was_typed(make_window, tmp_path, example):
    expected = load_case(example)
    w = make_window()
    w.new_case(expected.case_type)
    assert w.windowTitle().startswith("未命名案例")
    fill_from(w, expected)
    assert w.isWindowModified()
    target = tmp_path / "我的案例.json"
    assert w._save_to(target)
    assert not w.isWindowModified() and expected.get("theme")[:30] in w.windowTitle()
    saved = load_case(target)
    assert saved.values == expected.values
    assert json.loads(target.read_text(encoding="utf-8"))["case_type"] == expected.case_type


def test_counters_and_a_paste_of_2500_characters(make_window):
    w = make_window()
    w.new_case("school")
    summary = w.wizard.editor("summary")
    assert summary.box.accessibleName() == "案例概述"
    assert "不超过300字" in summary.box.placeholderText()
    summary.box.setPlainText("研" * 270)
    assert summary.counter.text() == "270 / 300 字" and summary.counter.state == "near"
    mime = QMimeData()
    mime.setText("修" * 2230 + "\r\n第二段\u2028第三段\x0b末尾")
    summary.box.insertFromMimeData(mime)  # a paste from Word
    text = w.session.get("summary")
    assert len(text) == 270 + 2230 + len("\n第二段\n第三段\n末尾")  # nothing truncated
    assert summary.counter.text().startswith("2508 / 300 字（超出2208字）")
    assert summary.counter.state == "over" and status_color(summary.counter) == COLORS["over"]
    summary.box.setPlainText("研" * 100)
    assert summary.counter.state == "ok"


def test_the_live_count_always_equals_a_full_recount(make_window):
    import random

    from PySide6.QtGui import QTextCursor

    from app.core.wordcount import count_words

    w = make_window()
    w.new_case("school")
    editor = w.wizard.editor("process")
    box = editor.box
    rng = random.Random(7)
    pieces = ["研修", "AI", " ", "\n", "2022年版", "“双减”", "e.g.", "\n\n", "课例", "A/B"]
    for _ in range(300):
        cursor = box.textCursor()
        cursor.setPosition(rng.randint(0, len(box.toPlainText())))
        if rng.random() < 0.3 and box.toPlainText():
            cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, rng.randint(1, 5))
            cursor.removeSelectedText()
        else:
            cursor.insertText(rng.choice(pieces))
        assert editor.words == count_words(box.toPlainText())
    assert editor.counter.count == count_words(w.session.get("process"))


def test_report_total_against_2000(make_window):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    wiz = w.wizard
    page = next(p for p in wiz.form_pages if p.page_def.key == "report_body")
    wiz.go_to(wiz.pageIds()[wiz.form_pages.index(page)])
    assert "全文 1504 / 2000 字" in page.report_total.text()
    page.editors["report_experience"].box.setPlainText("验" * 800)
    page._update_total()
    assert "已超出" in page.report_total.text()


def _info(window):
    return window.wizard.form_pages[0]


def test_cascade_for_mathematics(make_window):
    w = make_window()
    w.new_case("school")
    page = _info(w)
    page.editors["subject"].boxes["数学"].setChecked(True)
    content = page.editors["content_items"]
    assert content.combos[0].findText("图形与几何-图形的位置与运动") >= 0
    content.boxes[0].setText("图形与几何-图形的位置与运动")
    assert w.session.get("grades") == ["3年级", "4年级", "5年级", "6年级"]
    assert w.session.get("stages") == ["第二学段（3-4年级）", "第三学段（5-6年级）"]
    assert page.editors["grades"].boxes["3年级"].isChecked()
    assert w.session.get("content_basis") == "《义务教育数学课程标准（2022年版）》“图形与几何”领域“图形的位置与运动”"
    btn = by_name(page, "研修主题建议")
    assert btn.isVisible() and "小学数学图形的位置与运动" in btn.text()
    btn.click()
    assert w.session.get("theme") == "小学数学图形的位置与运动"
    # An out-of-range grade is allowed but warned, never blocked.
    grade7 = page.editors["grades"].boxes["7年级"]
    assert grade7.isEnabled()
    grade7.setChecked(True)
    assert "7年级" in w.session.get("grades")
    assert "适用于3-6年级" in page.editors["grades"].note.message()  # on screen, or in its tooltip when cut


def test_grades_outside_the_chosen_content_are_greyed_but_stay_open(make_window):
    """The cascade's suggestion is shown, never enforced: grades the content is not taught in are drawn in the muted
    colour with a tooltip that says why, still enabled; the others, and all of them once the content is cleared, are
    drawn as usual."""
    w = make_window()
    w.new_case("school")
    page = _info(w)
    page.editors["subject"].boxes["数学"].setChecked(True)
    page.editors["content_items"].boxes[0].setText("图形与几何-图形的位置与运动")
    grades = page.editors["grades"].boxes
    assert status_color(grades["7年级"]) == COLORS["muted"] and grades["7年级"].isEnabled()
    assert "不在此范围" in grades["7年级"].toolTip()
    assert status_color(grades["4年级"]) != COLORS["muted"]
    page.editors["content_items"].boxes[0].setText("")
    assert status_color(grades["7年级"]) != COLORS["muted"]


def test_a_long_content_item_reads_whole_in_its_list_and_its_box(make_window):
    """Found at the desk: three 课程内容 boxes share a row, so their lists cut long items in the middle
    (图形与几何…认识与测量), and a chosen item showed its end. The lists are as wide as their longest item, and a
    choice shows its beginning."""
    w = make_window()
    w.new_case("school")
    page = _info(w)
    page.editors["subject"].boxes["数学"].setChecked(True)
    editor = page.editors["content_items"]
    combo = editor.combos[0]
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items, "the cascade gave 数学's 课程内容"
    widest = max(combo.fontMetrics().horizontalAdvance(t) for t in items)
    assert combo.view().minimumWidth() > widest and combo.completer().popup().minimumWidth() > widest
    longest = max(items, key=len)
    combo.setCurrentIndex(items.index(longest))
    combo.lineEdit().end(False)  # where the line leaves its cursor after a choice
    combo.textActivated.emit(longest)  # what choosing it in the list sends
    assert combo.currentText() == longest and combo.lineEdit().cursorPosition() == 0


def test_a_content_item_loaded_from_the_case_shows_its_beginning(make_window):
    """Found at the desk: the example opened with its 课程内容 box reading 与几何-图形的位置与运动 (its end) until
    she clicked into it; a box she is not in shows the beginning of what the case holds."""
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    combo = _info(w).editors["content_items"].combos[0]
    assert combo.currentText().startswith("图形与几何") and not combo.lineEdit().hasFocus()
    assert combo.lineEdit().cursorPosition() == 0


def test_a_content_item_with_a_separator_of_its_own_is_not_split(make_window):
    """Found at the desk: 统计与概率-数据的收集、整理与表达 chosen from the list was split at its 、 into two items (the
    keyword boxes spread a pasted list). A suggested item stays whole, also inside a pasted list."""
    w = make_window()
    w.new_case("school")
    page = _info(w)
    page.editors["subject"].boxes["数学"].setChecked(True)
    editor = page.editors["content_items"]
    item = "统计与概率-数据的收集、整理与表达"
    assert item in [editor.combos[0].itemText(i) for i in range(editor.combos[0].count())]
    editor.boxes[0].setText(item)
    assert w.session.get("content_items") == [item]
    editor.boxes[0].setText(f"{item}、图形与几何-图形的位置与运动")
    assert w.session.get("content_items") == [item, "图形与几何-图形的位置与运动"]
    assert [b.text() for b in editor.boxes[:2]] == [item, "图形与几何-图形的位置与运动"]


def test_cascade_for_art_crosses_stage_boundaries(make_window):
    w = make_window()
    w.new_case("school")
    page = _info(w)
    page.editors["subject"].boxes["艺术"].setChecked(True)
    page.editors["content_items"].boxes[0].setText("美术-感受中外美术的魅力")
    assert w.session.get("grades") == ["3年级", "4年级", "5年级"]
    assert w.session.get("stages") == ["第二学段（3-4年级）", "第三学段（5-6年级）"]
    assert "部分核实" in page.cascade.source.text()


def test_cascade_for_chemistry_and_free_text(make_window):
    w = make_window()
    w.new_case("school")
    page = _info(w)
    page.editors["subject"].boxes["化学"].setChecked(True)
    page.editors["content_items"].boxes[0].setText("物质的化学变化")
    assert w.session.get("grades") == ["9年级"]
    assert w.session.get("stages") == ["第四学段（7-9年级）"]
    page.editors["grades"].boxes["8年级"].setChecked(True)
    assert "化学通常在9年级开设" in page.editors["grades"].note.text()
    # A teacher's own wording of the content is kept, and the basis she edited is not overwritten.
    page.editors["content_basis"].box.setPlainText("自拟依据")
    page.editors["content_items"].boxes[1].setText("化学实验安全教育")
    assert w.session.get("content_items") == ["物质的化学变化", "化学实验安全教育"]
    assert w.session.get("content_basis") == "自拟依据"


def test_author_and_keyword_limits(make_window):
    w = make_window()
    w.new_case("school")
    authors = w.wizard.editor("authors")
    for _ in range(5):
        authors.add_row()
    assert authors.table.rowCount() == 3 and not authors.add_btn.isEnabled()
    authors.table.item(0, 0).setText("张三")
    authors.table.item(1, 0).setText("李四")
    authors.table.setCurrentCell(1, 0)
    authors.move(-1)
    assert [a["name"] for a in w.session.get("authors")][:2] == ["李四", "张三"]
    authors.table.item(0, 3).setText("1380000")
    assert "1个手机号码格式不对" in authors.status.text()
    keywords = w.wizard.editor("keywords")
    assert len(keywords.boxes) == 4
    assert [b.accessibleName() for b in keywords.boxes] == ["案例关键词1", "案例关键词2", "案例关键词3", "案例关键词4"]


def test_weight_sum_and_participant_total(make_window):
    w = make_window()
    w.new_case("school")
    weights = w.wizard.editor("evaluation")
    for key, v in (("process_weight", 30), ("result_weight", 40), ("effect_weight", 20)):
        weights.inputs[key].setValue(v)
    assert weights.summary.text() == "合计 90%（应为 100%）"
    weights.inputs["effect_weight"].setValue(30)
    assert weights.summary.text() == "合计 100%"
    assert w.session.get("evaluation") == {"process": "", "process_weight": 30, "result": "", "result_weight": 40,
                                           "effect": "", "effect_weight": 30}
    people = w.wizard.editor("participants")
    people.inputs["total"].setValue(10)
    people.inputs["novice"].setValue(8)
    people.inputs["backbone"].setValue(5)
    assert "超过共计 10 人" in people.summary.text()
    assert w.session.get("participants")["excellent"] is None  # untouched stays "not filled", not 0


def test_check_page_findings_and_jump_to_field(make_window):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    w.session.set("needs", "")
    w.session.set("summary", "研" * 301)
    wiz = w.wizard
    wiz.go_to(wiz.pageIds()[wiz.all_pages.index(wiz.check_page)])
    tree = wiz.check_page.tree
    tops = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert tops == ["案例信息表", "实施方案"]
    assert "2个错误" in wiz.check_page.summary.text()
    needs_item = tree.topLevelItem(1).child(0)
    assert "请填写“需求分析”" in needs_item.text(1)
    tree.itemActivated.emit(needs_item, 0)
    assert wiz.currentPage().page_def.key == "plan_needs"
    assert w.focusWidget() is wiz.editor("needs").box  # the field the finding names has the keyboard focus


def test_pages_move_freely_and_nothing_blocks(make_window):
    w = make_window()
    w.new_case("studio")
    wiz = w.wizard
    last = wiz.pageIds()[-1]
    wiz.go_to(last)
    assert wiz.currentPage() is wiz.export_page
    from app.ui.wizard import WizardArea

    area = wiz.parentWidget()
    assert isinstance(area, WizardArea)
    area.nav.setCurrentRow(2)
    assert wiz.currentId() == wiz.pageIds()[2]


def test_every_input_is_named_by_its_official_label(make_window):
    w = make_window()
    w.new_case("school")
    for page in w.wizard.form_pages:
        for key, editor in page.editors.items():
            label = editor.field.display_label
            widget = editor.focus_widget()
            assert label in (widget.accessibleName(), editor.accessibleName()) or editor.field.kind in ("tags", "multi",
                                                                                                     "checklist", "group")
            assert editor.accessibleName() == label or widget.accessibleName() == label


def test_autosave_and_restore_after_a_crash(make_window, context, qtbot):
    first = make_window()
    first.new_case("school")
    first.wizard.editor("theme").edit.setText("初中语文整本书阅读教学策略研究")
    first.wizard.editor("summary").box.setPlainText("崩溃前写下的概述")
    qtbot.waitUntil(lambda: first.autosaver.saves > 0, timeout=5000)  # debounced: seconds, not minutes
    draft = first.autosaver.draft
    assert draft.is_file()
    # Simulate a crash: the process dies holding nothing; the draft stays, the lock is released by the OS.
    first.lock.release()
    first.autosaver.stop()
    offered = []

    def accept(drafts):
        offered.extend(drafts)
        return drafts[0]

    second = MainWindow(context, check_drafts=False)
    qtbot.addWidget(second)
    second.ask_unsaved = lambda: "discard"
    second.ask_restore = accept
    assert second.pending_drafts
    second.offer_restore()
    assert offered and offered[0].title == "初中语文整本书阅读教学策略研究"
    assert second.session.get("summary") == "崩溃前写下的概述"
    assert second.session.dirty and second.isWindowModified()
    assert not draft.exists()  # the old draft was folded into the restored session
    second.lock.release()


def test_no_restore_offer_while_another_instance_runs(make_window, context):
    first = make_window()
    first.new_case("school")
    first.session.set("theme", "正在编辑")
    first.autosaver.save_now()
    other = MainWindow(context, check_drafts=False)
    try:
        assert not other.lock.acquired and other.pending_drafts == []
    finally:
        other.deleteLater()


def test_explicit_save_removes_the_draft_and_keeps_a_backup(make_window, tmp_path):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    target = tmp_path / "案例.json"
    assert w._save_to(target)
    w.session.set("theme", "改过的研修主题探究")
    w.autosaver.save_now()
    assert w.autosaver.draft.exists()
    assert w.save()
    assert not w.autosaver.draft.exists()
    assert (tmp_path / "案例.json.bak").exists()
    assert str(target) in w.settings.recent_cases


def test_open_damaged_file_shows_a_message_and_keeps_the_case(make_window, tmp_path):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    bad = tmp_path / "坏.json"
    bad.write_text("{", encoding="utf-8")
    assert not w.open_path(bad)
    assert make_window.errors and "已损坏或不完整" in make_window.errors[-1][1]
    assert w.session.get("theme") == "小学数学图形的位置与运动重难点教学探究"


def test_export_docx_through_the_worker_thread(make_window, qtbot, tmp_path):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    page = show_page(w, w.wizard.export_page)
    page.folder.setText(str(tmp_path / "导出"))
    page.open_after.setChecked(False)
    with qtbot.waitSignal(page.done, timeout=60_000) as blocker:
        page.docx_btn.click()
        assert page.busy() and not page.docx_btn.isEnabled()  # the UI thread is free while the worker runs
    files = blocker.args[0]
    assert len(files) == 3 and all(Path(f).is_file() for f in files)
    qtbot.waitUntil(lambda: page.docx_btn.isEnabled(), timeout=5000)
    assert "已生成" in page.status.toPlainText()


def test_export_pdf_through_the_worker_thread(make_window, qtbot, tmp_path, soffice, monkeypatch):
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "libreoffice")
    w = make_window()
    w.open_example(STUDIO_EXAMPLE)
    page = show_page(w, w.wizard.export_page)
    page.folder.setText(str(tmp_path))
    page.open_after.setChecked(False)
    with qtbot.waitSignal(page.done, timeout=120_000) as blocker:
        page.pdf_btn.click()
    pdfs = [Path(f) for f in blocker.args[0] if str(f).endswith(".pdf")]
    assert len(pdfs) == 4  # three documents and the print packet
    w.converters.close()


def test_export_failure_is_reported_in_chinese(make_window, qtbot, tmp_path):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    page = show_page(w, w.wizard.export_page)
    blocker_file = tmp_path / "不是文件夹"
    blocker_file.write_text("x", encoding="utf-8")
    page.folder.setText(str(blocker_file / "子目录"))
    page.open_after.setChecked(False)
    with qtbot.waitSignal(page.failed, timeout=30_000) as blocker:
        page.docx_btn.click()
    assert "无法创建输出文件夹" in blocker.args[0]
    assert "案例内容没有受到影响" in page.status.toPlainText()


def test_closing_the_window_as_an_export_fails_does_not_ask_to_stop_it(make_window, qtbot, tmp_path):
    """She sees 导出失败 and closes the window at once: nothing is running any more, so she is not asked whether to
    stop an export, and the window closes (its worker thread joined, not destroyed while running)."""
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    asked = []
    w.ask_stop_export = lambda: asked.append(True) or False
    page = show_page(w, w.wizard.export_page)
    blocker_file = tmp_path / "不是文件夹"
    blocker_file.write_text("x", encoding="utf-8")
    page.folder.setText(str(blocker_file / "子目录"))
    page.open_after.setChecked(False)
    closed = []
    page.failed.connect(lambda _msg: closed.append(w.close()))  # in the same turn as the failure arrives
    with qtbot.waitSignal(page.failed, timeout=30_000):
        page.docx_btn.click()
    assert closed == [True] and asked == []
    assert not w.isVisible() and w.case_tabs == []


def test_materials_page_counts_against_the_budget(make_window, tmp_path):
    w = make_window()
    w.new_case("school")
    files = []
    for i in range(6):
        p = tmp_path / f"照片{i}.jpg"
        p.write_bytes(b"x" * 2048)
        files.append(p)
    page = show_page(w, w.wizard.materials_page)
    errors = page.add_files(files)
    assert len(w.session.case.materials) == 5 and errors and "最多5件" in errors[0]
    assert page.total.text() == "共 5 / 5 件，10KB / 100M"
    assert not page.add_btn.isEnabled()


def test_stage_editor_and_preview(make_window, qtbot):
    w = make_window()
    w.new_case("school")
    stages = w.wizard.editor("process_stages")
    stages.add_row()
    stages.add_row()
    stages.table.item(0, STAGE_KEYS.index("name")).setText("问题诊断")
    stages.table.item(1, STAGE_KEYS.index("name")).setText("课例实践")
    stages.table.setCurrentCell(1, 0)
    stages.move(-1)
    assert [s["name"] for s in w.session.get("process_stages")] == ["课例实践", "问题诊断"]
    qtbot.waitUntil(lambda: len(stages.preview.stages) == 2, timeout=3000)
    two = stages.preview.minimumHeight()
    stages.add_row()
    stages.table.item(2, 0).setText("总结提炼")
    qtbot.waitUntil(lambda: len(stages.preview.stages) == 3, timeout=3000)
    assert stages.preview.minimumHeight() > two  # the preview grows with the flowchart
    image = stages.preview.grab().toImage()
    assert not image.isNull() and image.height() >= stages.preview.minimumHeight()
    # When the edits pause, the document's image is drawn too, so the export finds it ready.
    from app.render import diagram

    diagram._document_parts.cache_clear()
    stages.table.item(2, 1).setText("第15-16周")
    qtbot.waitUntil(lambda: diagram._document_parts.cache_info().currsize == 1, timeout=5000)
    hits = diagram._document_parts.cache_info().hits
    diagram.document_parts(w.session.get("process_stages"))
    assert diagram._document_parts.cache_info().hits == hits + 1


def test_duplicate_and_new_cases(make_window):
    w = make_window()
    w.open_example(STUDIO_EXAMPLE)
    w.duplicate()
    assert w.session.path is None and w.session.dirty
    assert w.session.get("studio_name") == "周明远初中语文名师工作室"
    w.new_case("school")
    assert w.session.case.case_type == "school" and w.session.get("theme") == ""


def test_autosave_on_page_change(make_window):
    w = make_window()
    w.new_case("studio")
    w.wizard.editor("theme").edit.setText("初中语文整本书阅读")
    before = w.autosaver.saves
    w.wizard.next()  # no waiting for the debounce: changing pages saves at once
    assert w.autosaver.saves == before + 1 and w.autosaver.draft.is_file()


def test_export_opens_the_folder_at_the_end(make_window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    page = show_page(w, w.wizard.export_page)
    page.folder.setText(str(tmp_path))
    with qtbot.waitSignal(page.done, timeout=60_000):
        page.docx_btn.click()
    assert opened == [str(tmp_path)]


def test_qt_dialogs_speak_chinese():
    from PySide6.QtCore import QCoreApplication

    from app.ui.launch import _app

    _app(False)  # installs the translators on the running application
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_headings_and_table_headers_are_bold_again(make_window):
    """Issue 11 item 7: page headings stand out by size and weight, table headers are Qt's own (bold)."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView

    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    wiz = w.wizard
    for pid in wiz.pageIds():
        wiz.go_to(pid)
        page = wiz.currentPage()
        assert page.title() == "" and page.heading_label.text() == page.heading  # one heading, not two
        assert page.heading_label.font().pointSizeF() > wiz.font().pointSizeF()
        assert page.heading_label.font().weight() >= QFont.Weight.Bold
    headers = [h for v in w.findChildren(QAbstractItemView) for h in v.findChildren(QHeaderView)]
    assert headers and all(type(h) is QHeaderView for h in headers)


def test_cases_open_side_by_side_in_tabs(make_window):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    school = w.current_tab
    w.open_example(STUDIO_EXAMPLE)
    studio = w.current_tab
    assert w.case_tabs == [school, studio] and w.stack.currentWidget() is w.tabs
    assert w.session.case.case_type == "studio" and w.wizard is studio.wizard
    w.wizard.editor("theme").edit.setText("整本书阅读线上工作室研修")
    assert w.tabs.tabText(1).endswith(" *") and not w.tabs.tabText(0).endswith(" *")
    assert w.isWindowModified() and "整本书阅读线上工作室研修" in w.windowTitle()
    w.tabs.setCurrentWidget(school)
    assert w.session.case.case_type == "school" and w.autosaver is school.autosaver
    assert not w.isWindowModified() and school.session.display_name in w.windowTitle()
    assert studio.session.get("theme") == "整本书阅读线上工作室研修"  # the other case is untouched


def test_closing_a_tab_asks_about_unsaved_edits(make_window):
    w = make_window()
    w.new_case("school")
    w.new_case("studio")
    w.session.set("theme", "尚未保存的工作室主题")
    asked = []
    w.ask_unsaved = lambda: asked.append(w.session.get("theme")) or "cancel"
    assert not w.close_case() and len(w.case_tabs) == 2  # cancel keeps the case open
    w.ask_unsaved = lambda: asked.append(w.session.get("theme")) or "discard"
    assert w.close_case() and len(w.case_tabs) == 1
    assert asked == ["尚未保存的工作室主题"] * 2
    assert w.close_tab(w.current_tab)  # nothing unsaved: no question
    assert len(asked) == 2
    assert w.stack.currentWidget() is w.start and w.session is None and not w.save_act.isEnabled()


def test_quitting_asks_about_every_unsaved_case(make_window):
    from PySide6.QtGui import QCloseEvent

    w = make_window()
    w.new_case("school")
    w.session.set("theme", "第一个")
    w.new_case("studio")
    w.session.set("theme", "第二个")
    asked = []
    w.ask_unsaved = lambda: asked.append(w.session.get("theme")) or ("discard" if len(asked) == 1 else "cancel")
    event = QCloseEvent()
    w.closeEvent(event)
    assert not event.isAccepted() and asked == ["第一个", "第二个"] and len(w.case_tabs) == 2
    w.ask_unsaved = lambda: "discard"
    event = QCloseEvent()
    w.closeEvent(event)
    assert event.isAccepted() and w.case_tabs == []
    assert list((w.context.autosave_dir).glob("*.json")) == []  # a clean exit leaves no drafts


def test_a_file_opens_in_one_tab_only(make_window, tmp_path):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    target = tmp_path / "校本案例.json"
    assert w._save_to(target)
    w.new_case("studio")
    assert w.open_path(target)
    assert len(w.case_tabs) == 2 and w.session.path == target  # shown, not opened twice
    w.new_case("school")
    assert not w._save_to(target)  # saving over a file another tab is editing would lose that tab's work
    assert "另一个标签页" in make_window.errors[-1][1]


def test_every_case_is_restored_after_a_crash(make_window, context, qtbot):
    first = make_window()
    first.new_case("school")
    first.session.set("theme", "校本研修主题草稿")
    first.new_case("studio")
    first.session.set("theme", "工作室研修主题草稿")
    assert first.save_drafts()
    first.lock.release()  # the crash: drafts stay, the lock goes with the process
    for tab in first.case_tabs:
        tab.autosaver.stop()
    second = MainWindow(context, check_drafts=False)
    qtbot.addWidget(second)
    second.ask_unsaved = lambda: "discard"  # closing at teardown must not wait for an answer
    second.ask_restore = lambda drafts: len(drafts) == 2
    second.offer_restore()
    assert sorted(t.session.get("theme") for t in second.case_tabs) == ["工作室研修主题草稿", "校本研修主题草稿"]
    assert all(t.session.dirty for t in second.case_tabs)
    drafts = sorted(p.name for p in context.autosave_dir.glob("*.json"))
    assert drafts == sorted(t.autosaver.draft.name for t in second.case_tabs)  # old drafts folded into the new ones
    second.lock.release()


def test_pages_are_built_when_first_shown_and_share_the_photo_option(make_window):
    w = make_window()
    w.new_case("school")
    wiz = w.wizard
    later = [wiz.materials_page, wiz.check_page, wiz.export_page] + wiz.form_pages[1:]
    assert not any(p._built for p in later)  # opening a case builds only the page on screen
    materials = show_page(w, wiz.materials_page)
    assert materials.downscale.isChecked() and w.session.downscale_photos
    materials.downscale.setChecked(False)  # the package export reads the option from the session
    assert w.session.downscale_photos is False


def test_chinese_text_is_drawn_with_a_simplified_chinese_face():
    """A pan-CJK fallback picked under a non-Chinese locale would draw Japanese glyph forms (直, 骨, 角)."""
    from PySide6.QtGui import QTextLayout

    from app.render.fontnames import CJK_FAMILIES
    from app.ui.launch import _app

    app = _app(True)
    layout = QTextLayout("研修直骨角", app.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    used = {run.rawFont().familyName() for run in layout.glyphRuns()}
    assert used and used <= set(CJK_FAMILIES) | {app.font().family()}
    assert not any(name.endswith((" JP", " KR", " TC", " HK")) for name in used)


def test_a_tab_shows_the_theme_as_typed(make_window):
    w = make_window()
    w.new_case("school")
    w.wizard.editor("theme").edit.setText("读写&思辨：整本书阅读")
    assert w.tabs.tabText(0) == "读写&&思辨：整本书阅读 *"  # shown as “读写&思辨…”, not as a shortcut on 思
    assert w.windowTitle().startswith("读写&思辨：整本书阅读")


def test_going_back_and_forth_keeps_what_was_typed(make_window, tmp_path):
    w = make_window()
    w.new_case("school")
    wiz = w.wizard
    wiz.editor("theme").edit.setText("往返不丢内容的研修主题")
    export = show_page(w, wiz.export_page)
    export.folder.setText(str(tmp_path / "我的导出"))
    wiz.back()
    wiz.back()
    show_page(w, wiz.export_page)
    assert export.folder.text() == str(tmp_path / "我的导出")
    show_page(w, wiz.form_pages[0])
    assert wiz.editor("theme").edit.text() == "往返不丢内容的研修主题"


def test_each_wizard_page_brings_its_own_document_into_the_preview(make_window):
    """Found at the desk: back on the 案例信息表 page after the plan's pages, the preview kept showing the 实施方案,
    because the page's first field (研修主题) is printed in all three documents and the shown one was kept."""
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    wiz, preview = w.wizard, w.current_tab.preview
    for i, page in enumerate(wiz.form_pages):
        wiz.go_to(wiz.pageIds()[i])
        form = w.session.case.form
        firsts = [form.field(k).documents[0] for k in page.field_keys if form.field(k).documents]
        assert preview.shown_doc == max(firsts, key=firsts.count), page.heading
    wiz.go_to(wiz.pageIds()[0])
    assert preview.shown_doc == "info"


def test_a_grid_of_checkboxes_or_pairs_reflows_to_the_width_it_is_given(qtbot):
    """科目 six to a row and 相关统计 three label–input pairs to a row did not fit beside the preview at 1366×768 and
    made the page scroll sideways: the grid takes as many columns as fit, never fewer than one, and keeps its
    cells' order (Tab's order) in any number of columns."""
    from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

    from app.ui.flowgrid import FlowGrid
    from app.ui.inputs import visual_inputs

    page = QWidget()  # inside a page, as in the wizard: a window of its own would keep its layout's minimum
    qtbot.addWidget(page)
    lay = QVBoxLayout(page)
    lay.setContentsMargins(0, 0, 0, 0)
    grid = FlowGrid(page, 6)
    lay.addWidget(grid)
    boxes = [QCheckBox(name, grid) for name in ("道德与法治", "语文", "数学", "外语", "历史", "地理", "科学", "物理", "化学")]
    for box in boxes:
        grid.add(box)
    page.show()
    # Room for four: three rows either way, so three to a row (3+3+3, not 4+4+1).
    for width, columns in ((grid.width_for(6) + 10, 6), (grid.width_for(4) + 1, 3), (grid.width_for(2) - 1, 1),
                           (10, 1)):
        page.resize(width, 300)
        qtbot.waitUntil(lambda: grid.width() == max(width, grid.width_for(1)))
        assert grid.columns == columns, (width, grid.columns)
        assert visual_inputs(grid) == boxes
    assert grid.minimumSizeHint().width() == grid.width_for(1)

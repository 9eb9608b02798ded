"""文件 → 导入Word文档…: read off the UI thread, confirmed in a dialog, opened as a new unsaved case — or nothing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from app.ui.import_dialog import ImportDialog, confirm_and_open, start_import
from tests import docx_forms as B
from tests.test_import import THEME, school_info
from tests.test_ui import context, make_window  # noqa: F401 (fixtures)


@pytest.fixture
def filled(tmp_path):
    return school_info(tmp_path / "信息表.docx", subject_box=B.sdt_box, stage_box=B.wingdings2, grade_box=B.typed(),
                       stray=True)


def _read(qtbot, window, paths):
    got = []
    start_import(window, paths, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=20000)
    return got[0]


def test_menu_offers_the_import(make_window):
    w = make_window()
    file_menu = w.menuBar().actions()[0].menu()
    assert "导入Word文档…" in [a.text() for a in file_menu.actions()]


def test_dialog_lists_fields_and_unplaced_text_then_opens_an_unsaved_case(qtbot, make_window, filled, monkeypatch):
    w = make_window()
    result = _read(qtbot, w, [filled])
    dialog = ImportDialog(result, w)
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(i, 0).text(): (dialog.table.item(i, 1).text(), dialog.table.item(i, 2).text())
            for i in range(dialog.table.rowCount())}
    assert rows["研修主题"] == (THEME, str(len(THEME)))
    assert rows["科目"][0] == "语文"
    assert "补充说明：研修照片另附" in dialog.unplaced.toPlainText()
    dialog.copy_report()
    from PySide6.QtGui import QGuiApplication

    assert "补充说明：研修照片另附" in QGuiApplication.clipboard().text()

    monkeypatch.setattr(ImportDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert confirm_and_open(w, result) is False and w.case_tabs == []
    monkeypatch.setattr(ImportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert confirm_and_open(w, result) is True
    session = w.session
    assert session.case.get("theme") == THEME and session.path is None and session.dirty


def test_an_unreadable_file_gives_a_message_and_no_case(qtbot, make_window, tmp_path, monkeypatch):
    w = make_window()
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"not a zip")
    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: messages.append(a[2]))
    start_import(w, [bad], lambda r: pytest.fail("no result expected"))
    qtbot.waitUntil(lambda: bool(messages), timeout=20000)
    assert "不是Word文档" in messages[0] and "未创建案例" in messages[0]
    assert w.case_tabs == []

"""An uncaught exception is logged, the case is saved to its draft, and the teacher gets a message."""

import sys

from app.ui.crashguard import install_excepthook, setup_logging


def test_uncaught_exception_is_logged_and_the_draft_saved(tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from app.ui.mainwindow import AppContext, MainWindow

    window = MainWindow(AppContext(tmp_path / "d", tmp_path / "s.json", tmp_path / "e"), check_drafts=False)
    qtbot.addWidget(window)
    window.ask_unsaved = lambda: "discard"
    window.new_case("school")
    window.session.set("theme", "出错前写下的主题")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    log_path = setup_logging(tmp_path / "logs")
    old = sys.excepthook
    try:
        install_excepthook(lambda: window, log_path)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = old
    assert "RuntimeError: boom" in log_path.read_text(encoding="utf-8")
    assert window.autosaver.draft.is_file()
    assert shown and "当前内容已自动保存" in shown[0] and str(log_path) in shown[0]
    window.lock.release()

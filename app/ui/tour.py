"""Walk every page of both wizards: a smoke test for CI and the packaged build, and the docs' screenshots."""

from __future__ import annotations

import sys
from pathlib import Path

from app import paths

EXAMPLES = {"school": "school-math-graphics.json", "studio": "studio-chinese-reading.json"}


def _visit(window, app, case_type: str):
    window.open_example(paths.examples_dir() / EXAMPLES[case_type])
    wizard = window.wizard
    for pid in wizard.pageIds():
        wizard.go_to(pid)
        app.processEvents()
        yield pid, wizard.page(pid)


def smoke_tour(window, app) -> int:
    window.show()
    app.processEvents()
    pages = 0
    for case_type in EXAMPLES:
        for _pid, page in _visit(window, app, case_type):
            if not page.isVisible():
                print(f"页面“{page.heading}”没有显示", file=sys.stderr)
                return 1
            pages += 1
        if not _smoke_preview(window, app):
            return 1
        window.session._set_dirty(False)  # nothing was typed: leave without questions
    if window._converters is not None:
        window._converters.close()
    print(f"smoke ok: main window and {pages} wizard pages")
    return 0


def _settle(app, ms: int = 400) -> None:
    """Let timers (page states, previews) fire and the window repaint."""
    import time

    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _smoke_preview(window, app, timeout: float = 300.0) -> bool:
    """The case's preview: its pages through the PDF converter and PDFium, or the message saying what to install."""
    import time

    tab = window.current_tab
    panel, preview = tab.preview_panel, tab.preview
    if not panel.isVisible():
        print("预览没有显示", file=sys.stderr)
        return False
    preview.refresh_now()
    deadline = time.monotonic() + timeout
    while preview.busy or preview.stale or (preview.docs and not preview.current_images()):
        if time.monotonic() > deadline:
            print("预览在规定时间内没有完成", file=sys.stderr)
            return False
        app.processEvents()
        time.sleep(0.01)
    from app.render.preview import doc_keys

    labels = "、".join(preview.page_label(d) for d in doc_keys(preview.session.case.form))
    if preview.docs:
        print(f"preview ok: {labels}（{len(preview.current_images())}张页面图片）")
        return True
    from app.ui.preview import MISSING_CONVERTER

    print(f"preview: {preview.message or '没有页面'} {labels}", file=sys.stderr)
    return preview.message == MISSING_CONVERTER  # no converter is a message; a failed conversion is a failure


def screenshot_tour(window, app, out_dir: Path) -> int:
    """The window as a 1366×768 school screen shows it: every page of both examples, then a case being started
    (the page list's states) with the 编辑 menu open. Best run on a real X server (tools/screenshots.py)."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QGuiApplication

    out_dir.mkdir(parents=True, exist_ok=True)
    screen = QGuiApplication.primaryScreen()
    window.setGeometry(screen.availableGeometry() if screen.size().width() <= 1366 else QRect(0, 0, 1366, 768))
    window.show()
    _settle(app)
    window.grab().save(str(out_dir / "00-start.png"))
    for case_type in EXAMPLES:
        for n, (_pid, page) in enumerate(_visit(window, app, case_type), start=1):
            _settle(app, 150)
            name = out_dir / f"{case_type}-{n:02d}.png"
            window.grab().save(str(name))
            print(name)
        window.session._set_dirty(False)
    window.new_case("school")
    wizard = window.wizard
    wizard.editor("theme").edit.setText("小学数学图形的位置与运动重难点教学探究")
    wizard.editor("subject").boxes["数学"].setChecked(True)
    wizard.editor("keywords").boxes[0].setText("图形的运动、核心素养")
    wizard.go_to(wizard.pageIds()[1])  # off the first page, so its state shows in its colour
    wizard.editor("needs").box.setPlainText("通过问卷调查发现，教师对图形运动的教学把握不足。")
    _settle(app)
    name = out_dir / "desk-page-states.png"
    window.grab().save(str(name))
    print(name)
    menu = window.edit_menu
    bar = window.menuBar()
    menu.popup(bar.mapToGlobal(bar.actionGeometry(menu.menuAction()).bottomLeft()))
    _settle(app)
    name = out_dir / "desk-edit-menu.png"
    if QGuiApplication.platformName() == "xcb":  # the menu is a window of its own: take the screen
        shot = screen.grabWindow(0, 0, 0, window.width(), window.height())
    else:
        shot = window.grab()
        from PySide6.QtGui import QPainter

        painter = QPainter(shot)
        painter.drawPixmap(window.mapFromGlobal(menu.pos()) if menu.isVisible() else QPoint(0, 0), menu.grab())
        painter.end()
    shot.save(str(name))
    print(name)
    menu.hide()
    window.session._set_dirty(False)
    window.session.undo_stack.setClean()
    return 0

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


def _wait_for_preview(window, app, timeout: float = 300.0) -> bool:
    """Until the preview shows the case as it is: nothing converting, nothing stale, the shown document's pages
    drawn (or a message, such as no converter installed). False, with a message, when that takes too long."""
    import time

    preview = window.current_tab.preview
    deadline = time.monotonic() + timeout
    while preview.busy or preview.stale or (preview.docs and not preview.current_images()):
        if time.monotonic() > deadline:
            print("预览在规定时间内没有完成", file=sys.stderr)
            return False
        app.processEvents()
        time.sleep(0.01)
    return True


def _smoke_preview(window, app, timeout: float = 300.0) -> bool:
    """The case's preview: its pages through the PDF converter and PDFium, or the message saying what to install."""
    tab = window.current_tab
    panel, preview = tab.preview_panel, tab.preview
    if panel.isHidden():  # stepped aside on a small screen (offscreen's is 800×800): what is checked is the rendering
        tab.set_preview_wanted(True)
        app.processEvents()
    if not panel.isVisible():
        print("预览没有显示", file=sys.stderr)
        return False
    preview.refresh_now()
    if not _wait_for_preview(window, app, timeout):
        return False
    from app.render.preview import doc_keys

    labels = "、".join(preview.page_label(d) for d in doc_keys(preview.session.case.form))
    if preview.docs:
        print(f"preview ok: {labels}（{len(preview.current_images())}张页面图片）")
        return True
    from app.ui.preview import MISSING_CONVERTER

    print(f"preview: {preview.message or '没有页面'} {labels}", file=sys.stderr)
    return preview.message == MISSING_CONVERTER  # no converter is a message; a failed conversion is a failure


def screenshot_tour(window, app, out_dir: Path) -> int:
    """The window as a 1366×768 school screen shows it: every page of both examples, the preview beside the
    研修模式与流程 page, the 导入Word文档 dialog, then a case being started (the page list's states) with the 编辑
    menu open. Each shot waits for the preview to show the case's pages, never "正在更新……". Best run on a real
    X server (tools/screenshots.py)."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QGuiApplication

    out_dir.mkdir(parents=True, exist_ok=True)
    screen = QGuiApplication.primaryScreen()
    window.setGeometry(screen.availableGeometry() if screen.size().width() <= 1366 else QRect(0, 0, 1366, 768))
    window.show()
    _settle(app)

    def save(name: str, pixmap=None) -> None:
        path = out_dir / name
        (pixmap if pixmap is not None else window.grab()).save(str(path))
        tab = window.current_tab
        shown = (tab.preview_panel.state.text() or tab.preview.message) if tab is not None and pixmap is None else ""
        print(f"{path}　预览：{shown}" if shown else path)  # what the preview said in the shot

    def settled(name: str) -> bool:
        _settle(app, 150)
        if window.current_tab is not None and not _wait_for_preview(window, app):
            return False
        _settle(app, 150)  # the new pages laid out and painted
        save(name)
        return True

    save("00-start.png")
    for case_type in EXAMPLES:
        for n, (_pid, _page) in enumerate(_visit(window, app, case_type), start=1):
            if not settled(f"{case_type}-{n:02d}.png"):
                return 1
        if case_type == "school" and not (_preview_shot(window, app, settled) and _import_shot(window, app, save)):
            return 1
        window.session._set_dirty(False)
    window.new_case("school")
    wizard = window.wizard
    wizard.editor("theme").edit.setText("小学数学图形的位置与运动重难点教学探究")
    wizard.editor("subject").boxes["数学"].setChecked(True)
    wizard.editor("keywords").boxes[0].setText("图形的运动、核心素养")
    wizard.go_to(wizard.pageIds()[1])  # off the first page, so its state shows in its colour
    wizard.editor("needs").box.setPlainText("通过问卷调查发现，教师对图形运动的教学把握不足。")
    if not settled("desk-page-states.png"):
        return 1
    menu = window.edit_menu
    bar = window.menuBar()
    menu.popup(bar.mapToGlobal(bar.actionGeometry(menu.menuAction()).bottomLeft()))
    _settle(app)
    if QGuiApplication.platformName() == "xcb":  # the menu is a window of its own: take the screen
        shot = screen.grabWindow(0, 0, 0, window.width(), window.height())
    else:
        shot = window.grab()
        from PySide6.QtGui import QPainter

        painter = QPainter(shot)
        painter.drawPixmap(window.mapFromGlobal(menu.pos()) if menu.isVisible() else QPoint(0, 0), menu.grab())
        painter.end()
    save("desk-edit-menu.png", shot)
    menu.hide()
    window.session._set_dirty(False)
    window.session.undo_stack.setClean()
    return 0


def _preview_shot(window, app, settled) -> bool:
    """The open example's 研修模式与流程 page with the preview on the plan's flowchart."""
    wizard = window.wizard
    page = next(p for p in wizard.form_pages if "process_stages" in p.editors)
    wizard.go_to(wizard.pageIds()[wizard.form_pages.index(page)])
    tab = window.current_tab
    tab.preview_panel.show_page("plan", None)
    if not _wait_for_preview(window, app):
        return False
    where = tab.preview.locate("process_stages")
    if where is not None:
        tab.preview_panel.show_page(*where)
    return settled("preview-1366x768.png")


def _import_shot(window, app, save) -> bool:
    """文件 → 导入Word文档… as she meets it: the open example's 案例信息表 and 实施方案 as Word files, one with a
    paragraph she added that fits no field, read back and shown for checking."""
    import tempfile

    import docx

    from app.core.importer import import_documents
    from app.render.docx_render import render_case
    from app.ui.import_dialog import ImportDialog

    case = window.session.case
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for r in render_case(case, ("info", "plan")):
            path = Path(folder) / r.filename
            path.write_bytes(r.data)
            paths.append(path)
        edited = docx.Document(str(paths[0]))
        edited.add_paragraph("补充说明：研修照片另附，见支撑材料。")
        edited.save(str(paths[0]))
        result = import_documents(paths)
    dialog = ImportDialog(result, window)
    dialog.show()
    _settle(app)
    save("import-dialog.png", dialog.grab())
    dialog.close()
    dialog.deleteLater()
    return True


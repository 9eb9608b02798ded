"""Start the desktop app: Chinese Qt dialogs, high-DPI, the main window; --demo, --smoke and --screenshots."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _app(offscreen: bool):
    if offscreen and not os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # kept when it already is, with its options (a screen's size)
    from PySide6.QtCore import QLibraryInfo, QTranslator
    from PySide6.QtWidgets import QApplication

    from app import APP_NAME, APP_TITLE
    from app.render.fontnames import CJK_FAMILIES

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    font = app.font()  # the system's UI font first (Latin, and CJK on a Chinese system), then Chinese faces
    font.setFamilies(list(dict.fromkeys([*(font.families() or [font.family()]), *CJK_FAMILIES])))
    app.setFont(font)
    # Qt's own texts in Chinese. Not QLocale.setDefault: its 800 enum members cost 0.6 MB, and every number and
    # date the app shows has an explicit Chinese format; a school PC's system locale is Chinese anyway.
    from app.ui import qt_zh

    qt_zh.install(app)  # first: Qt asks the translators installed last first, so this one only fills gaps
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        tr = QTranslator(app)
        if tr.load(name, translations):
            app.installTranslator(tr)
    return app


def main_gui(args) -> int:
    from app import paths
    from app.ui.mainwindow import AppContext, MainWindow

    headless = bool(args.smoke or args.screenshots)
    if (not headless and sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
        # Qt would abort with an English plugin error; say what to do instead.
        print("没有找到图形界面（DISPLAY）。请在桌面环境中运行，或使用命令行：yanxiu check / export / package。",
              file=sys.stderr)
        return 2
    # Screenshots may be taken on a real X server (QT_QPA_PLATFORM=xcb under Xvfb, tools/screenshots.py).
    app = _app(bool(args.smoke) or (bool(args.screenshots) and not os.environ.get("QT_QPA_PLATFORM")))
    if headless:
        import tempfile

        # Render nothing into the teacher's folders: a throwaway context for smoke runs and screenshots.
        tmp = tempfile.TemporaryDirectory(prefix="yanxiu-smoke-")
        root = Path(tmp.name)
        context = AppContext(root / "data", root / "settings.json", root / "export")
        window = MainWindow(context, check_drafts=False)
        from app.ui.tour import screenshot_tour, smoke_tour

        try:
            if args.smoke:
                return smoke_tour(window, app)
            return screenshot_tour(window, app, Path(args.screenshots))
        finally:
            window.shut_down()  # a preview still converting or rasterising is joined before Python exits
            window.deleteLater()
            app.processEvents()
            tmp.cleanup()
    from PySide6.QtGui import QIcon

    from app.ui.crashguard import install_excepthook, setup_logging

    from app.ui.single import SingleInstance

    context = AppContext.default()
    single = SingleInstance(context.data_dir)
    request = {"open": str(Path(args.case).absolute()) if args.case else "", "demo": bool(args.demo)}
    if single.may_be_running() and single.forward(request):
        print("研修案例填报助手已在运行，已在它的窗口中打开。", file=sys.stderr)
        return 0
    log_path = setup_logging(paths.user_log_dir())
    app.setWindowIcon(QIcon(str(paths.resources_dir() / "yanxiu.png")))
    window = MainWindow(context)
    install_excepthook(lambda: window, log_path)
    single.received.connect(window.handle_request)
    if args.case:
        window.open_path(Path(args.case))
    elif args.demo:
        window.open_example(paths.examples_dir() / "school-math-graphics.json")
    window.show()

    def listen() -> None:  # after the window is shown: start-up does not wait for QtNetwork
        if not single.listen() and single.forward(request):
            window.close()  # another instance started at the same moment and has the file now

    if not headless:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, listen)
    return app.exec()

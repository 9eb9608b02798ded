"""The main window: each open case in its own tab; new / open / save / save as / recent / duplicate, crash recovery."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

# The Qt-free modules of every start come before PySide6: PySide6 reads the source of each module imported after
# it (its __feature__ scan), ~6 ms at each start for these (settings, json, platformdirs, the pack manifest reader
# with tomllib, the seal memory). The start page reads the packs through app.ui.packui.
import app.core.packs  # noqa: F401
import app.core.sealcache  # noqa: F401
from app import APP_TITLE, __version__, sources
from app.core.settings import Settings, load_settings, save_settings

from PySide6.QtCore import QByteArray, QRect, QSize  # noqa: E402 (after the Qt-free modules, see above)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (QLabel, QListWidget, QMainWindow, QPushButton, QStackedWidget, QTabWidget, QVBoxLayout,
                               QWidget)

from app.ui.autosave import Autosaver, Draft, InstanceLock, find_drafts, remove_draft, restore_draft
from app.ui.style import heading_font

if TYPE_CHECKING:  # the case machinery (forms, rules, wizard, PDF) loads with the first case, not at start-up
    from PySide6.QtWidgets import QMenu

    from app.render.pdf.select import ConverterHolder
    from app.ui.casetab import CaseTab
    from app.ui.session import CaseSession
    from app.ui.wizard import CaseWizard

FILE_FILTER = "案例文件 (*.json)"
COMFORTABLE = QSize(1180, 800)  # the size the wizard is designed for; a smaller screen gets the whole screen
NEW_ACTIONS = (("school", "新建校本研修案例"), ("studio", "新建名师名校长线上工作室研修案例"))
EXAMPLE_ACTIONS = (("school", "示例：校本研修案例"), ("studio", "示例：名师名校长线上工作室研修案例"))


@dataclass
class AppContext:
    """Where this run keeps its data; tests pass temporary folders instead of the user's."""

    data_dir: Path
    settings_path: Path
    export_dir: Path
    today: Callable[[], dt.date] = dt.date.today  # the clock that says whether a notice's window has passed

    @classmethod
    def default(cls) -> "AppContext":
        import platformdirs

        from app import paths
        from app.core.settings import settings_path

        docs = Path(platformdirs.user_documents_dir()) / "研修案例"
        return cls(paths.user_data_dir(), settings_path(), docs)

    @property
    def autosave_dir(self) -> Path:
        return self.data_dir / "autosave"


class StartPage(QWidget):
    def __init__(self, window: "MainWindow", packs: list | None) -> None:
        super().__init__(window)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        # Plain labels: a rich-text label would load Qt's HTML engine at start-up for one heading. Their alignment
        # and format are set by name through Qt's meta-object: the Qt namespace's Python enums (Qt.AlignmentFlag and
        # 92 more, ~30 ms to make) wait until a case opens, after the window is up.
        title = QLabel(APP_TITLE, self)
        title.setFont(heading_font(title, 1.6))
        title.setProperty("alignment", "AlignCenter")
        lay.addWidget(title)
        intro = QLabel("按教师研修案例征集通知填写校本研修案例或名师名校长线上工作室研修案例，导出Word、PDF和报送文件夹。", self)
        intro.setProperty("textFormat", "PlainText")
        intro.setProperty("alignment", "AlignCenter")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.notice = QLabel(self)  # which notice new cases follow, and whether its window has passed
        self.notice.setProperty("textFormat", "PlainText")
        self.notice.setProperty("alignment", "AlignCenter")
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("表单包")
        lay.addWidget(self.notice)
        from app.ui.packui import extra_new_actions

        # QPushButton(parent) and then setText, not QPushButton(text, parent): a two-argument call is matched
        # against the (icon, text, parent) overload first, which makes QIcon's Python enums (ThemeIcon has 151
        # members, ~2 ms) at every start for buttons that show no icon.
        for case_type, text in (*NEW_ACTIONS, *extra_new_actions(tuple(k for k, _ in NEW_ACTIONS), packs)):
            b = QPushButton(self)
            b.setText(text)
            b.setMinimumHeight(44)
            b.clicked.connect(lambda _=False, t=case_type: window.new_case(t))
            lay.addWidget(b)
        open_btn = QPushButton(self)
        open_btn.setText("打开案例文件…")
        open_btn.clicked.connect(window.open_dialog)
        lay.addWidget(open_btn)
        example_btn = QPushButton(self)
        example_btn.setText("查看示例案例…")
        example_btn.setToolTip("打开随软件提供的示例案例（副本：保存时另选位置，示例本身不会被改动）")
        example_btn.clicked.connect(lambda: window.example_menu().popup(example_btn.mapToGlobal(example_btn.rect().bottomLeft())))
        lay.addWidget(example_btn)
        lay.addWidget(QLabel("最近打开：", self))
        self.recent = QListWidget(self)
        self.recent.setAccessibleName("最近打开的案例")
        self.recent.itemActivated.connect(lambda item: window.open_path(Path(item.text())))
        lay.addWidget(self.recent)
        lay.addStretch(1)

    def show_notice(self, today, packs: list | None = None) -> None:
        from app.ui.packui import start_text

        self.notice.setText(start_text(today, packs))

    def show_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        self.recent.addItems(paths)


class MainWindow(QMainWindow):
    """Cases open side by side in tabs (a teacher may write a 校本研修案例 and a 工作室案例 at once); the start page
    shows while none is open. `session`, `wizard` and `autosaver` are the current tab's."""

    def __init__(self, context: AppContext, *, check_drafts: bool = True) -> None:
        super().__init__()
        self.context = context
        self.settings: Settings = load_settings(context.settings_path)
        self._converters: "ConverterHolder | None" = None
        self.lock = InstanceLock(context.data_dir)
        self.stack = QStackedWidget(self)
        from app.ui.packui import start_packs

        packs = start_packs()  # read once for the start page's buttons and its line
        self.start = StartPage(self, packs)
        self.stack.addWidget(self.start)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.tabCloseRequested.connect(lambda index: self.close_tab(self.tabs.widget(index)))
        self.tabs.currentChanged.connect(lambda _index: self._current_changed())
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self.undo_group = QUndoGroup(self)  # the 编辑 menu follows the case on screen
        self._example_menu = None
        self._build_menus()
        self.place_on_screen()
        self._update_title()
        self._refresh_recent()
        self.start.show_notice(context.today(), packs)
        self.notice: QLabel | None = None
        if self.lock.error:
            self.show_notice(f"数据文件夹“{context.data_dir}”无法写入（{self.lock.error}），自动保存和崩溃恢复暂不可用。"
                             "请用“保存”把案例存到别的文件夹。")
        self.pending_drafts: list[Draft] = find_drafts(context.autosave_dir) if self.lock.acquired else []
        if check_drafts and self.pending_drafts:
            self.offer_restore()
        sources.forget()  # what PySide6 read of the start's modules (app/sources.py)

    @property
    def converters(self) -> "ConverterHolder":
        if self._converters is None:
            from app.render.pdf.select import ConverterHolder

            self._converters = ConverterHolder(self.settings)
        return self._converters

    # ---------------------------------------------------------------- the open cases
    @property
    def case_tabs(self) -> "list[CaseTab]":
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    @property
    def current_tab(self) -> "CaseTab | None":
        return self.tabs.currentWidget() if self.tabs.count() else None

    @property
    def session(self) -> "CaseSession | None":
        tab = self.current_tab
        return tab.session if tab else None

    @property
    def wizard(self) -> "CaseWizard | None":
        tab = self.current_tab
        return tab.wizard if tab else None

    @property
    def autosaver(self) -> Autosaver | None:
        tab = self.current_tab
        return tab.autosaver if tab else None

    def save_drafts(self) -> bool:
        """Autosave every open case now (the exception hook's last act); True when something was written."""
        saved = False
        for tab in self.case_tabs:
            before = tab.autosaver.saves
            tab.autosaver.save_now()
            saved = saved or tab.autosaver.saves > before
        return saved

    def show_notice(self, text: str) -> None:
        """One line at the bottom of the window that stays until the problem is gone (autosave failing)."""
        if self.notice is None:
            self.notice = QLabel(self)
            self.notice.setAccessibleName("提示")
            self.notice.setStyleSheet("color: #a15c00;")
            self.statusBar().addPermanentWidget(self.notice, 1)
        self.notice.setText(text)
        self.notice.setToolTip(text)
        self.notice.setVisible(bool(text))

    # ---------------------------------------------------------------- menus
    def _build_menus(self) -> None:
        # QAction(self, text=...), not QAction(text, self): a two-argument call is matched against the
        # (icon, text, parent) overload first, which makes QIcon's Python enums at every start (see StartPage).
        file_menu = self.menuBar().addMenu("文件(&F)")
        for case_type, text in NEW_ACTIONS:
            act = QAction(self, text=text)
            act.triggered.connect(lambda _=False, t=case_type: self.new_case(t))
            file_menu.addAction(act)
        self.open_act = self._action("打开…", QKeySequence.StandardKey.Open, self.open_dialog)
        self.recent_menu = file_menu.addMenu("最近打开")
        file_menu.insertAction(self.recent_menu.menuAction(), self.open_act)
        file_menu.addAction(QAction(self, text="导入表单包…", triggered=self.import_pack))
        self.import_act = QAction(self, text="导入Word文档…", triggered=self.import_dialog)
        file_menu.addAction(self.import_act)
        file_menu.addSeparator()
        self.save_act = self._action("保存", QKeySequence.StandardKey.Save, lambda: self.save())
        self.save_as_act = self._action("另存为…", QKeySequence.StandardKey.SaveAs, lambda: self.save_as())
        self.duplicate_act = QAction(self, text="复制为新案例", triggered=self.duplicate)
        self.close_act = self._action("关闭案例", QKeySequence.StandardKey.Close, self.close_case)
        for a in (self.save_act, self.save_as_act, self.duplicate_act, self.close_act):
            file_menu.addAction(a)
        self._build_preview_actions(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self._action("退出", QKeySequence.StandardKey.Quit, self.close))
        edit_menu = self.edit_menu = self.menuBar().addMenu("编辑(&E)")
        self.undo_act = self.undo_group.createUndoAction(self, "撤销")
        self.undo_act.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_act = self.undo_group.createRedoAction(self, "重做")
        self.redo_act.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for a in (self.undo_act, self.redo_act):
            a.setProperty("shortcutContext", "WindowShortcut")
            edit_menu.addAction(a)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        # The examples as two entries of 帮助; the start page's button shows them as a menu made when first clicked.
        self.example_actions = [QAction(self, text=f"打开{text}", triggered=lambda _=False, t=case_type:
                                        self.open_bundled_example(t)) for case_type, text in EXAMPLE_ACTIONS]
        for a in self.example_actions:
            help_menu.addAction(a)
        help_menu.addAction(QAction(self, text="关于", triggered=self.about))
        self._update_actions()

    def _action(self, text: str, keys: QKeySequence.StandardKey, triggered: Callable) -> QAction:
        """An action with every key the platform binds to a standard command (关闭案例: Ctrl+W and Ctrl+F4).
        setShortcuts, not setShortcut or shortcut=: resolving setShortcut's overloads makes the Qt namespace's
        Python enums (~30 ms) before the window is up."""
        act = QAction(self, text=text)
        act.setShortcuts(keys)
        act.triggered.connect(triggered)
        return act

    def import_pack(self) -> None:
        from app.ui.packui import import_pack_dialog

        if import_pack_dialog(self, self.context.export_dir):
            self.start.show_notice(self.context.today())

    def _build_preview_actions(self, file_menu) -> None:
        """打印 (Ctrl+P) and 另存打印包 in 文件; 视图 → 预览 shows or hides the current tab's preview."""
        file_menu.addSeparator()
        self.print_act = self._action("打印…", QKeySequence.StandardKey.Print,
                                      lambda: self.current_tab and self.current_tab.print_packet())
        self.save_packet_act = QAction(self, text="另存打印包…",
                                       triggered=lambda: self.current_tab and self.current_tab.save_packet())
        file_menu.addAction(self.print_act)
        file_menu.addAction(self.save_packet_act)
        self.preview_act = QAction(self, text="预览", checkable=True, checked=True)
        self.preview_act.setShortcuts([QKeySequence("F8")])
        self.preview_act.toggled.connect(lambda on: self.current_tab and self.current_tab.set_preview_wanted(on))
        self.menuBar().addMenu("视图(&V)").addAction(self.preview_act)

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, "关于", f"{APP_TITLE} {__version__}\n离线填写，文件只保存在本机。")

    def _update_actions(self) -> None:
        has = self.current_tab is not None
        for a in (self.save_act, self.save_as_act, self.duplicate_act, self.close_act, self.print_act,
                  self.save_packet_act, self.preview_act):
            a.setEnabled(has)
        if has:
            self._show_preview_state()

    def _show_preview_state(self) -> None:
        """视图 → 预览 shows whether the current tab's preview is on screen, without choosing anything for her."""
        self.preview_act.blockSignals(True)
        self.preview_act.setChecked(not self.current_tab.preview_panel.isHidden())
        self.preview_act.blockSignals(False)

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        for p in self.settings.recent_cases:
            self.recent_menu.addAction(p).triggered.connect(lambda _=False, path=p: self.open_path(Path(path)))
        self.recent_menu.setEnabled(bool(self.settings.recent_cases))
        self.start.show_recent(self.settings.recent_cases)

    def _remember(self, path: Path) -> None:
        self.settings.add_recent(path)
        try:
            save_settings(self.settings, self.context.settings_path)
        except OSError:
            pass  # preferences are a convenience; never block work on them
        self._refresh_recent()

    # ---------------------------------------------------------------- titles
    def _update_title(self) -> None:
        name = self.session.display_name if self.session else ""
        if name:
            from app.ui.packui import title_note

            name += title_note(self.session.case.form, self.context.today())
        self.setWindowTitle(f"{name}[*] — {APP_TITLE}" if name else APP_TITLE)
        self.setWindowModified(bool(self.session and self.session.dirty))

    def _update_tab(self, tab: "CaseTab") -> None:
        index = self.tabs.indexOf(tab)
        if index >= 0:
            self.tabs.setTabText(index, tab.label.replace("&", "&&"))  # a tab reads & as a shortcut mark
            self.tabs.setTabToolTip(index, str(tab.session.path) if tab.session.path else "尚未保存的案例")
        if tab is self.current_tab:
            self._update_title()

    def _current_changed(self) -> None:
        self.stack.setCurrentWidget(self.tabs if self.tabs.count() else self.start)
        self.undo_group.setActiveStack(self.session.undo_stack if self.session else None)
        self._update_title()
        self._update_actions()

    # ---------------------------------------------------------------- opening
    def new_case(self, case_type: str) -> None:
        from app.core.defdata import DefinitionError
        from app.core.model import Case
        from app.core.packs import PackError
        from app.ui.session import CaseSession

        try:
            case = Case.new(case_type)
        except (DefinitionError, PackError) as exc:  # a pack's file damaged after it was installed or checked
            self.show_error("无法新建案例", f"{exc}。\n\n表单包的文件有误。如果没有修改过本软件的文件，请重新安装本软件；"
                                         "导入的表单包请重新导入（文件 → 导入表单包…）。已有的案例文件都没有改动。")
            return
        self.show_session(CaseSession(case))

    def open_dialog(self) -> None:
        from app.ui.dialogs import open_file

        path = open_file(self, "打开案例文件", str(self.context.export_dir), FILE_FILTER)
        if path:
            self.open_path(Path(path))

    def import_dialog(self) -> None:
        from app.ui.dialogs import open_files
        from app.ui.import_dialog import FILE_FILTER as WORD_FILTER, confirm_and_open, start_import

        paths = open_files(self, "导入Word文档（案例信息表、实施方案、总结报告）", str(self.context.export_dir), WORD_FILTER)
        if paths:
            start_import(self, [Path(p) for p in paths], lambda result: confirm_and_open(self, result))

    def tab_for(self, path: Path) -> "CaseTab | None":
        target = Path(path).resolve()
        for tab in self.case_tabs:
            if tab.session.path is not None and tab.session.path.resolve() == target:
                return tab
        return None

    def open_path(self, path: Path) -> bool:
        """Open a case file in a new tab, or show its tab when it is open already (two tabs editing one file
        would overwrite each other's work)."""
        from app.core.casefile import CaseFileError
        from app.ui.session import CaseSession

        existing = self.tab_for(path)
        if existing is not None:
            self.tabs.setCurrentWidget(existing)
            return True
        from app import paths

        if Path(path).resolve().parent == paths.examples_dir().resolve():
            self.open_example(path)  # a bundled example opened from its folder: a copy, so saving never changes it
            return True
        try:
            session = CaseSession.open(path)
        except CaseFileError as exc:
            self.show_error("无法打开案例", str(exc))
            return False
        from app.ui.packui import offer_newer_pack

        moved = offer_newer_pack(self, session.case)
        if moved is not None:
            session.case = moved
            session.materials_changed()  # marks it unsaved: the file changes only when she saves
        self.show_session(session)
        self._remember(path)
        return True

    def handle_request(self, request: dict) -> None:
        """A second `yanxiu [FILE]` asked this window to open a file (or just to show itself)."""
        from app import paths

        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        opened = request.get("open")
        if isinstance(opened, str) and opened:
            self.open_path(Path(opened))
        elif request.get("demo"):
            self.open_example(paths.examples_dir() / "school-math-graphics.json")

    def example_menu(self) -> "QMenu":
        """The examples as a menu (the start page's 查看示例案例…), made the first time it is asked for."""
        if self._example_menu is None:
            from PySide6.QtWidgets import QMenu

            self._example_menu = QMenu(self)
            self._example_menu.addActions(self.example_actions)
        return self._example_menu

    def open_bundled_example(self, case_type: str) -> None:
        from app import paths
        from app.ui.tour import EXAMPLES

        self.open_example(paths.examples_dir() / EXAMPLES[case_type])

    def open_example(self, path: Path) -> None:
        """The bundled example as an untitled copy: saving asks where, never writes into the app folder."""
        from app.ui.session import CaseSession

        session = CaseSession.open(path)
        session.path = None
        for m in session.case.materials:  # the copy has no folder of its own: point at the bundled files
            m.path = str(path.parent / m.path) if not Path(m.path).is_absolute() else m.path
        self.show_session(session)

    def duplicate(self) -> None:
        from app.ui.session import CaseSession

        if self.session is None:
            return
        copy = CaseSession(self.session.case.copy())  # materials are copied with the case
        copy._set_dirty(True)
        self.show_session(copy)

    def show_session(self, session: "CaseSession") -> "CaseTab":
        with sources.forgetting():  # the wizard's modules, and those its first page imports (app/sources.py)
            from app.ui.casetab import CaseTab

            tab = CaseTab(session, self.converters, self._export_dir(session), self.context.autosave_dir, self.tabs)
        self.undo_group.addStack(session.undo_stack)
        tab.wizard.save_requested.connect(lambda: self.save(tab))
        tab.autosaver.failed.connect(self.show_notice)
        tab.autosaver.recovered.connect(lambda: self.show_notice(""))
        session.dirty_changed.connect(lambda _d: self._update_tab(tab))
        session.watch(("theme",), lambda _key: self._update_tab(tab), tab)
        session.path_changed.connect(lambda _p: self._update_tab(tab))
        tab.preview_shown.connect(lambda _on: tab is self.current_tab and self._show_preview_state())
        self.tabs.addTab(tab, "")
        self.tabs.setCurrentWidget(tab)
        self._update_tab(tab)
        self._current_changed()
        return tab

    def _export_dir(self, session: "CaseSession") -> Path:
        if self.settings.last_export_dir:
            return Path(self.settings.last_export_dir)
        return session.base_dir / "导出" if session.base_dir else self.context.export_dir

    # ---------------------------------------------------------------- closing
    def close_tab(self, tab: "CaseTab | None") -> bool:
        """Close one case, asking about unsaved edits; False when it stays open."""
        if tab is None:
            return False
        if tab.busy():
            self.tabs.setCurrentWidget(tab)
            self.show_error("正在导出", "这个案例的导出尚未完成，请稍候再关闭。")
            return False
        if not self.maybe_keep_changes(tab):
            return False
        self._remove_tab(tab)
        return True

    def close_case(self) -> bool:
        return self.close_tab(self.current_tab)

    def _remove_tab(self, tab: "CaseTab", *, discard_draft: bool = True) -> None:
        self.undo_group.removeStack(tab.session.undo_stack)
        tab.close_session(discard_draft=discard_draft)
        self.tabs.removeTab(self.tabs.indexOf(tab))
        tab.deleteLater()
        self._current_changed()

    # ---------------------------------------------------------------- saving
    def save(self, tab: "CaseTab | None" = None) -> bool:
        tab = tab or self.current_tab
        if tab is None:
            return False
        if tab.session.path is None:
            return self.save_as(tab)
        return self._save_to(tab.session.path, tab)

    def save_as(self, tab: "CaseTab | None" = None) -> bool:
        tab = tab or self.current_tab
        if tab is None:
            return False
        from app.ui.dialogs import save_file

        try:  # the app's folder for cases in 文档, made at the first save so that the dialog opens there
            self.context.export_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # the dialog opens in the nearest folder that exists
        suggested = self.context.export_dir / f"{tab.session.display_name}.json"
        path = save_file(self, "保存案例文件", str(suggested), FILE_FILTER)
        if not path:
            return False
        if not path.lower().endswith(".json"):
            path += ".json"
        return self._save_to(Path(path), tab)

    def _save_to(self, path: Path, tab: "CaseTab | None" = None) -> bool:
        from app.core.casefile import CaseFileError

        tab = tab or self.current_tab
        other = self.tab_for(path)
        if other is not None and other is not tab:
            self.show_error("保存失败", f"“{other.session.display_name}”已在另一个标签页中打开这个文件。请换一个文件名，"
                                    "或先关闭那个标签页。")
            return False
        from app.ui.session import ChangedOnDisk

        overwrite = False
        while True:
            try:
                tab.session.save(path, overwrite=overwrite)
                break
            except ChangedOnDisk:
                answer = self.ask_changed_on_disk(tab, path)
                if answer == "overwrite":
                    overwrite = True
                    continue
                if answer == "save_as":
                    return self.save_as(tab)
                if answer == "reload":
                    return self.reload(tab)
                return False
            except CaseFileError as exc:
                self.show_error("保存失败", str(exc))
                return False
            except OSError as exc:
                from app.core.oserrors import explain

                self.show_error("保存失败", f"无法保存“{path}”：{explain(exc)}。原文件未被改动。")
                return False
        self._remember(path)
        self.statusBar().showMessage(f"已保存到 {path}", 5000)
        return True

    def reload(self, tab: "CaseTab") -> bool:
        """Replace the tab's case by what is on disk now (the teacher chose to drop her unsaved edits)."""
        from app.core.casefile import CaseFileError
        from app.ui.session import CaseSession

        path = tab.session.path
        try:
            session = CaseSession.open(path)
        except CaseFileError as exc:
            self.show_error("无法重新载入", str(exc))
            return False
        index = self.tabs.indexOf(tab)
        self._remove_tab(tab)
        new = self.show_session(session)
        self.tabs.tabBar().moveTab(self.tabs.indexOf(new), max(0, min(index, self.tabs.count() - 1)))
        self.tabs.setCurrentWidget(new)
        return False  # nothing was saved

    def ask_changed_on_disk(self, tab: "CaseTab", path: Path) -> str:
        """The file changed on disk since it was opened: "save_as", "overwrite", "reload" or "cancel"."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "文件已被修改",
                          f"“{path}”在打开之后被其他程序或另一个窗口修改过（或已被删除）。直接保存会覆盖那些修改。",
                          QMessageBox.StandardButton.NoButton, self)
        save_as = box.addButton("另存为…", QMessageBox.ButtonRole.AcceptRole)
        over = box.addButton("覆盖", QMessageBox.ButtonRole.DestructiveRole)
        reload = box.addButton("重新载入（放弃这里的修改）", QMessageBox.ButtonRole.ResetRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save_as)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save_as:
            return "save_as"
        if clicked is over:
            return "overwrite"
        return "reload" if clicked is reload else "cancel"

    # ---------------------------------------------------------------- questions (tests replace these)
    def ask_unsaved(self) -> str:
        """About the current tab: "save", "discard" or "cancel"."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, "尚未保存", f"“{self.session.display_name}”有尚未保存的修改，要保存吗？",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def ask_restore(self, drafts: list[Draft]) -> bool:
        from PySide6.QtWidgets import QMessageBox

        titles = "、".join(f"“{d.title}”" for d in sorted(drafts, key=lambda d: d.modified, reverse=True))
        answer = QMessageBox.question(self, "恢复未保存的内容",
                                      f"上次退出时{titles}有未保存的内容（自动保存的草稿）。要恢复吗？")
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, title: str, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, title, message)

    def maybe_keep_changes(self, tab: "CaseTab | None" = None) -> bool:
        """True when the tab's case may be closed: nothing unsaved, saved now, or the teacher discards it."""
        tab = tab or self.current_tab
        if tab is None or not tab.session.dirty:
            return True
        self.tabs.setCurrentWidget(tab)  # the question is about the case on screen
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save(tab)
        return answer == "discard"

    # ---------------------------------------------------------------- crash recovery
    def offer_restore(self) -> None:
        """Drafts left by a crash: restore every one into its own tab, or drop them all."""
        drafts, self.pending_drafts = self.pending_drafts, []
        if not self.ask_restore(drafts):
            for d in drafts:
                remove_draft(d)
            return
        from app.core.casefile import CaseFileError

        for draft in sorted(drafts, key=lambda d: d.modified):
            try:
                session = restore_draft(draft)
            except CaseFileError as exc:
                self.show_error("无法恢复", str(exc))
                continue  # the draft stays on disk for the next start
            tab = self.show_session(session)
            tab.autosaver.save_now()  # the restored content lives in the new tab's own draft from now on
            remove_draft(draft)

    # ---------------------------------------------------------------- the screen
    @staticmethod
    def screen_setup() -> str:
        """A name for the screens attached now (sizes and scaling): geometry is remembered per setup, so the
        school PC's projector or a laptop at home each get their own."""
        return ";".join(f"{s.size().width()}x{s.size().height()}@{s.devicePixelRatio():g}"
                        for s in QGuiApplication.screens())

    def place_on_screen(self) -> None:
        """The geometry remembered for this screen setup, else the comfortable size, or the whole available
        area (maximised) when the screen is smaller than that."""
        self._maximize_when_shown = False
        saved = self.settings.window_geometry.get(self.screen_setup()) if isinstance(
            self.settings.window_geometry, dict) else None
        screen = self.screen() or QGuiApplication.primaryScreen()
        avail = screen.availableGeometry() if screen else QRect(0, 0, COMFORTABLE.width(), COMFORTABLE.height())
        if isinstance(saved, dict) and isinstance(saved.get("geometry"), str):
            import base64

            try:
                restored = self.restoreGeometry(QByteArray(base64.b64decode(saved["geometry"])))
            except ValueError:
                restored = False
            if restored and avail.contains(self.frameGeometry().topLeft()):
                if saved.get("maximized"):
                    self._maximize_when_shown = True
                return
        if avail.width() < COMFORTABLE.width() + 40 or avail.height() < COMFORTABLE.height() + 40:
            self.setGeometry(avail)
            self._maximize_when_shown = True
        else:
            self.resize(COMFORTABLE)
            self.move(avail.center() - self.rect().center())

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt override)
        # Maximised as it is first shown, by showMaximized: setWindowState(Qt.WindowState...) in place_on_screen would
        # make the Qt namespace's 93 Python enums (~30 ms) before the window is up (see StartPage).
        if visible and self._maximize_when_shown:
            self._maximize_when_shown = False
            self.showMaximized()  # sets the state, then comes back here to show
            return
        super().setVisible(visible)

    def setWindowState(self, state) -> None:  # noqa: N802 (Qt override)
        self._maximize_when_shown = False  # a state asked for before the first show replaces place_on_screen's
        super().setWindowState(state)

    def remember_geometry(self) -> None:
        import base64

        setup = {"geometry": base64.b64encode(bytes(self.saveGeometry())).decode("ascii"),
                 "maximized": self.isMaximized()}
        if not isinstance(self.settings.window_geometry, dict):
            self.settings.window_geometry = {}
        self.settings.window_geometry[self.screen_setup()] = setup
        try:
            save_settings(self.settings, self.context.settings_path)
        except OSError:
            pass  # a convenience, never a reason to keep the window open

    def ask_stop_export(self) -> bool:
        """An export is still running when the window closes: stop it (nothing of it is written) or keep waiting."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self, "正在导出", "导出尚未完成。要停止导出并关闭吗？（停止后本次导出不写入任何文件，"
                                                     "之前导出的文件保持不变。）")
        return answer == QMessageBox.StandardButton.Yes

    def stop_exports(self, timeout_ms: int = 2500) -> bool:
        """End the converter's processes and wait (a few seconds at most) for the export threads; True when done."""
        from PySide6.QtCore import QDeadlineTimer, QElapsedTimer
        from PySide6.QtWidgets import QApplication

        if self._converters is not None:
            self._converters.abort()
        clock = QElapsedTimer()
        clock.start()
        while any(tab.busy() for tab in self.case_tabs) and clock.elapsed() < timeout_ms:
            QApplication.processEvents()
            for tab in self.case_tabs:
                thread = tab.wizard.export_page._thread
                if thread is not None:
                    thread.wait(QDeadlineTimer(50))
        QApplication.processEvents()
        return not any(tab.busy() for tab in self.case_tabs)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.remember_geometry()
        busy = [tab for tab in self.case_tabs if tab.busy()]
        if busy:
            self.tabs.setCurrentWidget(busy[0])
            if not self.ask_stop_export() or not self.stop_exports():
                if any(tab.busy() for tab in self.case_tabs):
                    self.show_error("正在导出", "导出尚未完成，请稍候再关闭。")
                event.ignore()
                return
        for tab in self.case_tabs:
            if not self.maybe_keep_changes(tab):
                event.ignore()
                return
        self.shut_down()
        event.accept()

    def shut_down(self) -> None:
        """End the converters, close every tab (its preview and print threads joined) and release the lock: after
        this no worker thread is left inside LibreOffice or pdfium when the interpreter exits."""
        if self._converters is not None:
            # First: a hung conversion of a preview or a print job ends here within seconds, so closing the tabs
            # below never waits for it.
            self._converters.close()
        for tab in self.case_tabs:
            self._remove_tab(tab)
        self.lock.release()

"""The main window: each open case in its own tab; new / open / save / save as / recent / duplicate, crash recovery."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QLabel, QListWidget, QMainWindow, QPushButton, QStackedWidget, QTabWidget, QVBoxLayout,
                               QWidget)

from typing import TYPE_CHECKING, Callable

from app import APP_TITLE, __version__
from app.core.settings import Settings, load_settings, save_settings
from app.ui.autosave import Autosaver, Draft, InstanceLock, find_drafts, remove_draft, restore_draft
from app.ui.lean import heading_font

if TYPE_CHECKING:  # the case machinery (forms, rules, wizard, PDF) loads with the first case, not at start-up
    from app.render.pdf.select import ConverterHolder
    from app.ui.casetab import CaseTab
    from app.ui.session import CaseSession
    from app.ui.wizard import CaseWizard

FILE_FILTER = "案例文件 (*.json)"
NEW_ACTIONS = (("school", "新建校本研修案例"), ("studio", "新建名师名校长线上工作室研修案例"))


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
    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        # Plain labels: a rich-text label would load Qt's HTML engine at start-up for one heading.
        title = QLabel(APP_TITLE, self)
        title.setFont(heading_font(title, 1.6))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(title)
        intro = QLabel("按教师研修案例征集通知填写校本研修案例或名师名校长线上工作室研修案例，导出Word、PDF和报送文件夹。", self)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.notice = QLabel(self)  # which notice new cases follow, and whether its window has passed
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("表单包")
        lay.addWidget(self.notice)
        from app.ui.packui import extra_new_actions

        for case_type, text in (*NEW_ACTIONS, *extra_new_actions(tuple(k for k, _ in NEW_ACTIONS))):
            b = QPushButton(text, self)
            b.setMinimumHeight(44)
            b.clicked.connect(lambda _=False, t=case_type: window.new_case(t))
            lay.addWidget(b)
        open_btn = QPushButton("打开案例文件…", self)
        open_btn.clicked.connect(window.open_dialog)
        lay.addWidget(open_btn)
        lay.addWidget(QLabel("最近打开：", self))
        self.recent = QListWidget(self)
        self.recent.setAccessibleName("最近打开的案例")
        self.recent.itemActivated.connect(lambda item: window.open_path(Path(item.text())))
        lay.addWidget(self.recent)
        lay.addStretch(1)

    def show_notice(self, today) -> None:
        from app.ui.packui import start_text

        self.notice.setText(start_text(today))

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
        self.start = StartPage(self)
        self.stack.addWidget(self.start)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.tabCloseRequested.connect(lambda index: self.close_tab(self.tabs.widget(index)))
        self.tabs.currentChanged.connect(lambda _index: self._current_changed())
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self._build_menus()
        self.resize(1180, 800)
        self._update_title()
        self._refresh_recent()
        self.start.show_notice(context.today())
        self.pending_drafts: list[Draft] = find_drafts(context.autosave_dir) if self.lock.acquired else []
        if check_drafts and self.pending_drafts:
            self.offer_restore()

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

    # ---------------------------------------------------------------- menus
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        for case_type, text in NEW_ACTIONS:
            act = QAction(text, self)
            act.triggered.connect(lambda _=False, t=case_type: self.new_case(t))
            file_menu.addAction(act)
        self.open_act = QAction("打开…", self, shortcut=QKeySequence.StandardKey.Open, triggered=self.open_dialog)
        self.recent_menu = file_menu.addMenu("最近打开")
        file_menu.insertAction(self.recent_menu.menuAction(), self.open_act)
        file_menu.addAction(QAction("导入表单包…", self, triggered=self.import_pack))
        file_menu.addSeparator()
        self.save_act = QAction("保存", self, shortcut=QKeySequence.StandardKey.Save, triggered=lambda: self.save())
        self.save_as_act = QAction("另存为…", self, shortcut=QKeySequence.StandardKey.SaveAs,
                                   triggered=lambda: self.save_as())
        self.duplicate_act = QAction("复制为新案例", self, triggered=self.duplicate)
        self.close_act = QAction("关闭案例", self, shortcut=QKeySequence.StandardKey.Close, triggered=self.close_case)
        for a in (self.save_act, self.save_as_act, self.duplicate_act, self.close_act):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(QAction("退出", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close))
        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_menu.addAction(QAction("关于", self, triggered=self.about))
        self._update_actions()

    def import_pack(self) -> None:
        from app.ui.packui import import_pack_dialog

        if import_pack_dialog(self, self.context.export_dir):
            self.start.show_notice(self.context.today())

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, "关于", f"{APP_TITLE} {__version__}\n离线填写，文件只保存在本机。")

    def _update_actions(self) -> None:
        has = self.current_tab is not None
        for a in (self.save_act, self.save_as_act, self.duplicate_act, self.close_act):
            a.setEnabled(has)

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        for p in self.settings.recent_cases:
            self.recent_menu.addAction(p, lambda path=p: self.open_path(Path(path)))
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
        self._update_title()
        self._update_actions()

    # ---------------------------------------------------------------- opening
    def new_case(self, case_type: str) -> None:
        from app.core.model import Case
        from app.ui.session import CaseSession

        self.show_session(CaseSession(Case.new(case_type)))

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "打开案例文件", str(self.context.export_dir), FILE_FILTER)
        if path:
            self.open_path(Path(path))

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
        from app.ui.casetab import CaseTab

        tab = CaseTab(session, self.converters, self._export_dir(session), self.context.autosave_dir, self.tabs)
        tab.wizard.save_requested.connect(lambda: self.save(tab))
        session.dirty_changed.connect(lambda _d: self._update_tab(tab))
        session.changed.connect(lambda key: self._update_tab(tab) if key == "theme" else None)
        session.path_changed.connect(lambda _p: self._update_tab(tab))
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
        from PySide6.QtWidgets import QFileDialog

        suggested = self.context.export_dir / f"{tab.session.display_name}.json"
        path, _ = QFileDialog.getSaveFileName(self, "保存案例文件", str(suggested), FILE_FILTER)
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
        try:
            tab.session.save(path)
        except (CaseFileError, OSError) as exc:
            self.show_error("保存失败", str(exc))
            return False
        self._remember(path)
        self.statusBar().showMessage(f"已保存到 {path}", 5000)
        return True

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

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        busy = [tab for tab in self.case_tabs if tab.busy()]
        if busy:
            self.tabs.setCurrentWidget(busy[0])
            self.show_error("正在导出", "导出尚未完成，请稍候再关闭。")
            event.ignore()
            return
        for tab in self.case_tabs:
            if not self.maybe_keep_changes(tab):
                event.ignore()
                return
        for tab in self.case_tabs:
            self._remove_tab(tab)
        if self._converters is not None:
            self._converters.close()
        self.lock.release()
        event.accept()

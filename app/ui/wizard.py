"""One QWizard per case type, generated from the form definition; the teacher moves freely, nothing blocks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QListWidget, QVBoxLayout, QWidget, QWizard

from app.render.pdf.select import ConverterHolder
from app.ui.page_check import CheckPage
from app.ui.page_export import ExportPage
from app.ui.page_materials import MaterialsPage
from app.ui.counter import COLORS, show_status
from app.ui.pages import REQUIRED_NOTE, FormPage
from app.ui.pausetimer import PauseTimer
from app.ui.session import CaseSession

STATE_DELAY_MS = 300  # page states follow typing once she pauses


class CaseWizard(QWizard):
    save_requested = Signal()

    def __init__(self, session: CaseSession, converters: ConverterHolder, export_dir: Path, parent=None) -> None:
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Widget)  # embedded in the main window, not a dialog
        self.session = session
        form = session.case.form
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "保存案例")
        self.form_pages: list[FormPage] = []
        for page in form.pages:
            p = FormPage(form, page, session)
            self.addPage(p)
            self.form_pages.append(p)
        self.materials_page = MaterialsPage(form, session)
        self.check_page = CheckPage(form, session)
        self.export_page = ExportPage(form, session, converters, export_dir)
        for p in (self.materials_page, self.check_page, self.export_page):
            self.addPage(p)
        self.check_page.jump_requested.connect(self.go_to_field)
        self.export_page.check_requested.connect(self.show_check)
        session.watch_steps(self.show_change, self)

    def show_check(self) -> None:
        self.go_to(self.pageIds()[self.all_pages.index(self.check_page)])

    @property
    def all_pages(self) -> list:
        return [self.page(i) for i in self.pageIds()]

    def go_to(self, page_id: int) -> None:
        """QWizard has no jump: step there (nothing on a page blocks moving on)."""
        while self.currentId() < page_id and self.currentId() != -1:
            self.next()
        while self.currentId() > page_id:
            self.back()

    def _page_of(self, key: str) -> "tuple[int, FormPage] | None":
        for pid in self.pageIds():
            page = self.page(pid)
            if isinstance(page, FormPage) and key in page.field_keys:
                return pid, page
        return None

    def go_to_field(self, key: str) -> None:
        """Show a field and put the cursor in it ("": the materials page)."""
        self._show_field(key, keep_focus=False)

    def show_change(self, key: str) -> None:
        """Undo and redo are case-wide: like any editor's, they bring what they changed into view, on its page,
        or she would not see what her Ctrl+Z did. The cursor stays where it is when it is in that field already
        (an open table cell she is typing in, another box of the same group), else it goes into the field."""
        self._show_field(key, keep_focus=True)

    def _show_field(self, key: str, *, keep_focus: bool) -> None:
        if not key:
            self.go_to(self.pageIds()[self.all_pages.index(self.materials_page)])
            return
        found = self._page_of(key)
        if found is None:
            return
        pid, page = found
        self.go_to(pid)
        editor = page.editors[key]
        page.ensure_visible(editor)
        focus = QApplication.focusWidget()
        if not keep_focus or focus is None or (focus is not editor and not editor.isAncestorOf(focus)):
            editor.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    def editor(self, key: str):
        for page in self.form_pages:
            if key in page.field_keys:
                return page.editors[key]
        raise KeyError(key)

    def accept(self) -> None:  # the Finish button saves; the embedded wizard never closes itself
        self.save_requested.emit()

    def done(self, result: int) -> None:  # noqa: ARG002 - Esc must not hide the embedded wizard
        pass


class WizardArea(QWidget):
    """The wizard with a list of its pages on the left, for moving freely between them; each page's state
    (未填写 / N个问题 / 已完成) comes from the check's rules and follows every edit."""

    def __init__(self, wizard: CaseWizard, parent=None) -> None:
        super().__init__(parent)
        self.wizard = wizard
        side = QVBoxLayout()
        self.nav = QListWidget(self)
        self.nav.setAccessibleName("页面列表")
        self.nav.setMaximumWidth(230)
        # A page's name and its state (实施方案：研修模式与流程 已完成（3个提醒）) wrap inside the list instead of
        # running off it behind a horizontal scroll bar (found at the desk, 1366×768).
        self.nav.setWordWrap(True)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for page in wizard.all_pages:
            self.nav.addItem(page.heading)
        side.addWidget(self.nav, 1)
        self.required_note = QLabel(REQUIRED_NOTE, self)
        self.required_note.setWordWrap(True)
        self.required_note.setMaximumWidth(230)
        show_status(self.required_note, "ok")
        side.addWidget(self.required_note)
        lay = QHBoxLayout(self)
        lay.addLayout(side)
        lay.addWidget(wizard, 1)
        self.nav.currentRowChanged.connect(self._nav_clicked)
        wizard.currentIdChanged.connect(self._page_changed)
        self.states: dict = {}
        self._state_timer = PauseTimer(self, STATE_DELAY_MS, self.update_states)
        wizard.session.watch(None, self._state_timer.start, self)
        self.update_states()

    def update_states(self) -> None:
        """Run the check and show each page's state in the page list."""
        from app.core.pagestate import MATERIALS, page_states
        from app.core.rules import check_case

        session = self.wizard.session
        findings = check_case(session.case, base_dir=session.base_dir)
        if self.wizard.currentPage() is self.wizard.check_page:  # on screen: the list follows undo and redo too
            self.wizard.check_page.refresh()
        self.states = page_states(session.case, findings)
        for row, page in enumerate(self.wizard.all_pages):
            key = page.page_def.key if isinstance(page, FormPage) else MATERIALS if page is self.wizard.materials_page else None
            item = self.nav.item(row)
            if key is None:
                if page is self.wizard.check_page:
                    errors = sum(f.is_error for f in findings)
                    item.setText(f"{page.heading}　{errors}个错误" if errors else page.heading)
                continue
            state = self.states[key]
            item.setText(f"{page.heading}　{state.text}")
            item.setForeground(QBrush(QColor(COLORS[state.state])))
            item.setToolTip(f"{state.errors}个错误，{state.warnings}个提醒（按征集通知检查）")

    def _nav_clicked(self, row: int) -> None:
        ids = self.wizard.pageIds()
        if 0 <= row < len(ids) and ids[row] != self.wizard.currentId():
            self.wizard.go_to(ids[row])

    def _page_changed(self, page_id: int) -> None:
        ids = self.wizard.pageIds()
        if page_id in ids:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(ids.index(page_id))
            self.nav.blockSignals(False)

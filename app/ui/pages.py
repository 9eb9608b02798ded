"""Wizard pages generated from the form definition: the official labels in the attachments' order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget, QWizardPage

from app.core.forms import Field, FormDef, Page
from app.ui.cascade import CascadeController
from app.ui.editors_choice import ChecklistEditor, MultiEditor
from app.ui.editors_group import GroupEditor
from app.ui.editors_table import StagesEditor, TableEditor
from app.ui.counter import show_status
from app.ui.editors_text import FieldEditor, LineEditor, TagsEditor, TextEditor
from app.ui.inputs import InputGuard, set_tab_order
from app.ui.pausetimer import PauseTimer
from app.ui.session import CaseSession
from app.ui.style import heading_font

REQUIRED_MARK = "*"
REQUIRED_NOTE = "带 * 的是征集通知要求填写的项目。"


def make_editor(field: Field, session: CaseSession, parent: QWidget) -> FieldEditor:
    kind = field.kind
    if kind == "text":
        return TextEditor(field, session, parent)
    if kind in ("line", "choice", "date", "number"):
        return LineEditor(field, session, parent)
    if kind == "tags":
        options = session.case.form.options(field.options_from) if field.options_from else ()
        return TagsEditor(field, session, parent, options=options)
    if kind == "multi":
        return MultiEditor(field, session, parent)
    if kind == "checklist":
        return ChecklistEditor(field, session, parent)
    if kind == "group":
        return GroupEditor(field, session, parent)
    if kind == "table":
        return TableEditor(field, session, parent)
    if kind == "stages":
        return StagesEditor(field, session, parent)
    raise AssertionError(kind)


class HeadedPage(QWizardPage):
    """A wizard page that shows its own heading and explanation above `content` (QWizard's own title area would
    take a band of the 768 px screen on every page). Everything inside is made when the page is first shown (`build`): a case has ten pages, a teacher sees one
    at a time, and two open cases would otherwise carry some 400 widgets nobody has looked at."""

    def __init__(self, title: str, subtitle: str = "", parent=None) -> None:
        super().__init__(parent)
        self.heading, self.subtitle = title, subtitle
        self._built = False

    def build(self) -> None:
        if self._built:
            return
        self._built = True
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.heading_label = QLabel(self.heading, self)
        self.heading_label.setFont(heading_font(self.heading_label))
        outer.addWidget(self.heading_label)
        if self.subtitle:
            note = QLabel(self.subtitle, self)
            note.setWordWrap(True)
            note.setContentsMargins(2, 0, 0, 6)
            note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            outer.addWidget(note)
        self.content = QVBoxLayout()
        outer.addLayout(self.content, 1)
        self.build_content()
        scroll = self.__dict__.get("scroll")  # a ScrollPage's area (QWidget.scroll is a method of every widget)
        self.input_guard = InputGuard(self, (lambda w: scroll.ensureWidgetVisible(w, 40, 60))
                                      if isinstance(scroll, QScrollArea) else None)
        self.input_guard.guard(self)
        set_tab_order(self)

    def build_content(self) -> None:
        """The page's own widgets, in `self.content`."""

    def initializePage(self) -> None:  # noqa: N802 (Qt override): every page builds itself when first shown
        self.build()

    def cleanupPage(self) -> None:  # noqa: N802 - going back must not reset what was typed (QWizard's default)
        pass


class ScrollPage(HeadedPage):
    """A wizard page whose content scrolls, so long forms fit a 1366×768 school screen."""

    def build_content(self) -> None:
        self.body = QWidget()
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the inputs; the wheel still scrolls
        scroll.setWidget(self.body)
        self.scroll = scroll
        self.content.addWidget(scroll)
        self.build_body()

    def build_body(self) -> None:
        """The page's own widgets, in `self.body`."""

    def ensure_visible(self, widget: QWidget) -> None:
        self.build()
        self.scroll.ensureWidgetVisible(widget, 40, 60)


class FormPage(ScrollPage):
    """One definition page: each field with its official label; editors write to the session on every change.
    Its widgets are built when the page is first shown (or an editor is first asked for): a teacher sees one
    page at a time, and opening a case stays quick and small."""

    def __init__(self, form: FormDef, page: Page, session: CaseSession, parent=None) -> None:
        super().__init__(page.title, page.subtitle, parent)
        self.form, self.page_def, self.session = form, page, session
        self.field_keys = tuple(f.key for f in form.fields_on_page(page.key))
        self._editors: dict[str, FieldEditor] = {}
        self.cascade = None
        self.report_total: QLabel | None = None

    @property
    def editors(self) -> dict[str, FieldEditor]:
        self.build()
        return self._editors

    def build_body(self) -> None:
        form, page, session = self.form, self.page_def, self.session
        layout = QFormLayout(self.body)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        fields = form.fields_on_page(page.key)
        for f in fields:
            editor = make_editor(f, session, self.body)
            label = QLabel(f.display_label + (f" {REQUIRED_MARK}" if f.required else ""), self.body)
            if f.required:
                label.setAccessibleDescription("必填")
            label.setWordWrap(len(label.text()) > 8)  # short official labels stay on one line
            label.setMinimumWidth(96)
            label.setMaximumWidth(170)
            label.setToolTip(f.hint)
            label.setBuddy(editor.focus_widget())
            layout.addRow(label, editor)
            self._editors[f.key] = editor
        if "subject" in self._editors:
            self.cascade = CascadeController(form, session, self._editors, layout, self.body)
        session.watch(self.field_keys, self._reload, self)
        if all("report" in f.documents for f in fields):  # a 总结报告 page shows the whole report's total
            self.report_total = QLabel(self.body)
            self.report_total.setAccessibleName("总结报告全文字数")
            layout.addRow(self.report_total)
            self._total_timer = PauseTimer(self, 150, self._update_total)
            session.watch(None, self._total_timer.start, self)

    def initializePage(self) -> None:  # noqa: N802 (Qt override): load every time the page is shown
        self.load()

    def _reload(self, key: str) -> None:
        """Show the model again after an edit made elsewhere (undo, redo, the cascade)."""
        editor = self._editors.get(key)
        if editor is not None and not editor.writing:
            editor.load()

    def load(self) -> None:
        self.build()
        for editor in self._editors.values():
            editor.load()
        if self.cascade:
            self.cascade.refresh()
        if self.report_total is not None:
            self._update_total()

    def _update_total(self) -> None:
        from app.core.rules import report_word_count

        doc = self.form.document("report")
        n = report_word_count(self.session.case)
        over = doc.limit is not None and n > doc.limit
        self.report_total.setText(f"《{doc.title}》全文 {n} / {doc.limit} 字（含标题和研修概况）" + ("，已超出" if over else ""))
        show_status(self.report_total, "over" if over else "ok")

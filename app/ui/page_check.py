"""The 检查 page: the notice's rules, grouped by document; activating a finding jumps to its field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem

from app.core.checkcmd import document_title
from app.core.forms import FormDef
from app.core.review import ReviewFinding
from app.core.review.measures import EXPLANATION
from app.core.rules import DOCUMENT_ORDER, SEVERITY_LABEL, check_case
from app.ui.counter import COLORS
from app.ui.pages import HeadedPage
from app.ui.session import CaseSession

FIELD_ROLE = Qt.ItemDataRole.UserRole
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1  # the finding's index in self.findings
FIX_MARK = "【可一键修改】"  # before the message: a long one is elided at its end


class CheckPage(HeadedPage):
    jump_requested = Signal(str)  # a field key, or "" for the materials page
    finding_selected = Signal(str)  # a field key: the preview shows the page where it lands

    def __init__(self, form: FormDef, session: CaseSession, parent=None) -> None:
        super().__init__("检查", "按征集通知逐项检查，并像评审一样看规范表述、前后一致和重复段落。双击一条提示可跳到对应的填写项；提醒不影响报送，错误需要修改。", parent)
        self.form, self.session = form, session
        self.findings = []

    def build_content(self) -> None:
        lay = self.content
        self.summary = QLabel(self)
        self.summary.setAccessibleName("检查结果")
        lay.addWidget(self.summary)
        self.measure_note = QLabel(EXPLANATION, self)
        self.measure_note.setWordWrap(True)
        self.measure_note.setAccessibleName("字数口径说明")
        lay.addWidget(self.measure_note)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["类型", "说明"])
        self.tree.setAccessibleName("检查结果列表")
        self.tree.setColumnWidth(0, 110)
        self.tree.setWordWrap(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(
            lambda item, _prev: self.finding_selected.emit(item.data(0, FIELD_ROLE) or "") if item else None)
        lay.addWidget(self.tree)
        self.tree.currentItemChanged.connect(lambda *_: self._update_fix_button())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.fix = QPushButton("按建议修改", self)
        self.fix.setToolTip("把所选提醒中的写法替换为建议的规范表述（只改这一处所在的填写项）。")
        self.fix.clicked.connect(self.apply_selected)
        buttons.addWidget(self.fix)
        again = QPushButton("重新检查", self)
        again.clicked.connect(self.refresh)
        buttons.addWidget(again)
        lay.addLayout(buttons)

    def initializePage(self) -> None:  # noqa: N802
        self.refresh()

    def refresh(self) -> None:
        self.build()
        self.findings = check_case(self.session.case, base_dir=self.session.base_dir)
        self.tree.clear()
        for doc in DOCUMENT_ORDER:
            indexed = [(i, f) for i, f in enumerate(self.findings) if f.document == doc]
            group = [f for _, f in indexed]
            if not group:
                continue
            errors = sum(f.is_error for f in group)
            top = QTreeWidgetItem([document_title(self.session.case, doc), f"{errors}个错误，{len(group) - errors}个提醒"])
            top.setData(0, FIELD_ROLE, group[0].field)
            self.tree.addTopLevelItem(top)
            for index, f in indexed:
                fixable = isinstance(f, ReviewFinding) and f.can_apply
                item = QTreeWidgetItem([SEVERITY_LABEL[f.severity], (FIX_MARK if fixable else "") + f.message])
                item.setData(0, FIELD_ROLE, f.field)
                item.setData(0, FINDING_ROLE, index)
                item.setToolTip(1, f.message + ("\n选中后点“按建议修改”可直接替换。" if fixable else ""))
                item.setForeground(0, QBrush(QColor(COLORS["over" if f.is_error else "near"])))
                top.addChild(item)
            top.setExpanded(True)
        self._update_fix_button()
        errors = sum(f.is_error for f in self.findings)
        if not self.findings:
            self.summary.setText("没有发现问题，可以导出并报送。")
        else:
            self.summary.setText(f"共{errors}个错误、{len(self.findings) - errors}个提醒。" + ("请先修改错误。" if errors else "可以报送。"))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.parent() is None and item.childCount():
            return
        self.jump_requested.emit(item.data(0, FIELD_ROLE) or "")

    def selected_finding(self):
        item = self.tree.currentItem()
        index = item.data(0, FINDING_ROLE) if item is not None else None
        return self.findings[index] if index is not None else None

    def _update_fix_button(self) -> None:
        f = self.selected_finding()
        self.fix.setEnabled(isinstance(f, ReviewFinding) and f.can_apply)

    def apply_selected(self) -> bool:
        """Apply the selected 提醒's replacement through the session, only if the field is as the check saw it;
        then show the new value in its editor and check again. Returns whether the text was changed."""
        f = self.selected_finding()
        if not (isinstance(f, ReviewFinding) and f.can_apply):
            return False
        case = self.session.case
        applied = f.applies_to(case)
        if applied:
            label = case.form.field(f.field).label
            self.session.set(f.field, f.after, f"按建议修改“{label}”", own_step=True)
            editor = getattr(self.wizard(), "editor", None)
            if editor is not None:
                editor(f.field).load()
        self.refresh()
        if not applied:
            self.summary.setText("该填写项在检查之后又改动过，没有替换；已重新检查，请再选一次。")
        return applied

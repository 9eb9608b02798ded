"""The 检查 page: the notice's rules, grouped by document; activating a finding jumps to its field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QPushButton, QTreeWidget, QTreeWidgetItem

from app.core.checkcmd import document_title
from app.core.forms import FormDef
from app.core.rules import DOCUMENT_ORDER, SEVERITY_LABEL, check_case
from app.ui.counter import COLORS
from app.ui.lean import plain_headers
from app.ui.pages import HeadedPage
from app.ui.session import CaseSession

FIELD_ROLE = Qt.ItemDataRole.UserRole


class CheckPage(HeadedPage):
    jump_requested = Signal(str)  # a field key, or "" for the materials page
    finding_selected = Signal(str)  # a field key: the preview shows the page where it lands

    def __init__(self, form: FormDef, session: CaseSession, parent=None) -> None:
        super().__init__("检查", "按征集通知逐项检查。双击一条提示可跳到对应的填写项；提醒不影响报送，错误需要修改。", parent)
        self.form, self.session = form, session
        self.findings = []

    def build_content(self) -> None:
        lay = self.content
        self.summary = QLabel(self)
        self.summary.setAccessibleName("检查结果")
        lay.addWidget(self.summary)
        self.tree = QTreeWidget(self)
        plain_headers(self.tree)
        self.tree.setHeaderLabels(["类型", "说明"])
        self.tree.setAccessibleName("检查结果列表")
        self.tree.setColumnWidth(0, 110)
        self.tree.setWordWrap(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(
            lambda item, _prev: self.finding_selected.emit(item.data(0, FIELD_ROLE) or "") if item else None)
        lay.addWidget(self.tree)
        again = QPushButton("重新检查", self)
        again.clicked.connect(self.refresh)
        lay.addWidget(again, alignment=Qt.AlignmentFlag.AlignRight)

    def initializePage(self) -> None:  # noqa: N802
        self.refresh()

    def refresh(self) -> None:
        self.build()
        self.findings = check_case(self.session.case, base_dir=self.session.base_dir)
        self.tree.clear()
        for doc in DOCUMENT_ORDER:
            group = [f for f in self.findings if f.document == doc]
            if not group:
                continue
            errors = sum(f.is_error for f in group)
            top = QTreeWidgetItem([document_title(self.session.case, doc), f"{errors}个错误，{len(group) - errors}个提醒"])
            top.setData(0, FIELD_ROLE, group[0].field)
            self.tree.addTopLevelItem(top)
            for f in group:
                item = QTreeWidgetItem([SEVERITY_LABEL[f.severity], f.message])
                item.setData(0, FIELD_ROLE, f.field)
                item.setToolTip(1, f.message)
                item.setForeground(0, QBrush(QColor(COLORS["over" if f.is_error else "near"])))
                top.addChild(item)
            top.setExpanded(True)
        errors = sum(f.is_error for f in self.findings)
        if not self.findings:
            self.summary.setText("没有发现问题，可以导出并报送。")
        else:
            self.summary.setText(f"共{errors}个错误、{len(self.findings) - errors}个提醒。" + ("请先修改错误。" if errors else "可以报送。"))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.parent() is None and item.childCount():
            return
        self.jump_requested.emit(item.data(0, FIELD_ROLE) or "")

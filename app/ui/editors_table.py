"""Editors for rows: authors and resources (ordered, 1–3 authors, phone checked), and the process stages with a
live preview of the flowchart the plan will contain."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QCompleter, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QStyledItemDelegate, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from app.core.forms import STAGE_MODES, Field, options_for
from app.core.model import STAGE_KEYS, STAGE_LABELS
from app.core.rules import MOBILE
from app.ui.counter import COLORS
from app.ui.editors_text import FieldEditor
from app.ui.session import CaseSession

BAD_CELL = QColor("#FDECEA")


class ChoiceDelegate(QStyledItemDelegate):
    """An editable dropdown for a column (所属频道, 研修方式): suggestions, free text allowed."""

    def __init__(self, options: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.options = options

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt override)
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.addItems(list(self.options))
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setEditText(index.data() or "")

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentText())


class CompleterDelegate(QStyledItemDelegate):
    """A line editor with suggestions (资源名称 seeds)."""

    def __init__(self, options: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.options = options

    def createEditor(self, parent, option, index):  # noqa: N802
        edit = QLineEdit(parent)
        completer = QCompleter(list(self.options), edit)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        edit.setCompleter(completer)
        return edit


class RowsEditor(FieldEditor):
    """A table of rows with add / remove / move up / move down; subclasses say what a row is."""

    keys: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()

    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(field, session, parent)
        self.table = QTableWidget(self)
        self.table.setColumnCount(len(self.keys))
        self.table.setHorizontalHeaderLabels(list(self.headers))
        self.table.setAccessibleName(field.display_label)
        self.table.setToolTip(field.hint)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setMinimumHeight(110)
        if field.max_items and field.max_items <= 8:  # room for every allowed row, no more
            self.table.setMaximumHeight(30 + 27 * field.max_items)
        self.table.itemChanged.connect(self._item_changed)
        buttons = QHBoxLayout()
        self.add_btn = QPushButton("添加一行", self)
        self.del_btn = QPushButton("删除", self)
        self.up_btn = QPushButton("上移", self)
        self.down_btn = QPushButton("下移", self)
        for b, fn in ((self.add_btn, self.add_row), (self.del_btn, self.remove_row), (self.up_btn, lambda: self.move(-1)),
                      (self.down_btn, lambda: self.move(1))):
            b.clicked.connect(fn)
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.status = QLabel(self)
        buttons.addWidget(self.status)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(buttons)

    # ---- model <-> table
    def rows(self) -> list[dict]:
        out = []
        for r in range(self.table.rowCount()):
            out.append({k: (self.table.item(r, c).text() if self.table.item(r, c) else "")
                        for c, k in enumerate(self.keys)})
        return out

    def load(self) -> None:
        self._loading = True
        try:
            rows = self.session.get(self.field.key)
            self.table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                for c, k in enumerate(self.keys):
                    self.table.setItem(r, c, QTableWidgetItem(row.get(k, "")))
            self._decorate()
        finally:
            self._loading = False

    def _item_changed(self, _item) -> None:
        if not self._loading:
            self._decorate()
            self.write(self.rows())

    def _decorate(self) -> None:
        n = self.table.rowCount()
        self.add_btn.setEnabled(self.field.max_items is None or n < self.field.max_items)
        if self.field.max_items:
            self.status.setText(f"{n} / 最多 {self.field.max_items} 行")

    # ---- row operations
    def add_row(self) -> None:
        if self.field.max_items is not None and self.table.rowCount() >= self.field.max_items:
            return
        self._loading = True
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c in range(len(self.keys)):
            self.table.setItem(r, c, QTableWidgetItem(""))
        self._loading = False
        self.table.setCurrentCell(r, 0)
        self._decorate()
        self.write(self.rows())

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        self.table.removeRow(r)
        self._decorate()
        self.write(self.rows())

    def move(self, step: int) -> None:
        r = self.table.currentRow()
        target = r + step
        if r < 0 or not 0 <= target < self.table.rowCount():
            return
        rows = self.rows()
        rows[r], rows[target] = rows[target], rows[r]
        self.write(rows)
        self.load()
        self.table.setCurrentCell(target, 0)

    def focus_widget(self) -> QWidget:
        return self.table


class TableEditor(RowsEditor):
    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        self.keys = tuple(c.key for c in field.columns)
        self.headers = tuple(c.label for c in field.columns)
        super().__init__(field, session, parent)
        for i, col in enumerate(field.columns):
            if col.options_from == "platform.channels":
                self.table.setItemDelegateForColumn(i, ChoiceDelegate(options_for(col.options_from), self.table))
            elif col.options_from:
                self.table.setItemDelegateForColumn(i, CompleterDelegate(options_for(col.options_from), self.table))

    def _decorate(self) -> None:
        super()._decorate()
        bad = 0
        for c, col in enumerate(self.field.columns):
            if col.format != "mobile":
                continue
            for r in range(self.table.rowCount()):
                item = self.table.item(r, c)
                if item is None:
                    continue
                wrong = bool(item.text()) and not MOBILE.match(item.text().strip())
                bad += wrong
                item.setBackground(BAD_CELL if wrong else QColor(Qt.GlobalColor.transparent))
                item.setToolTip("请填写以1开头的11位手机号码" if wrong else "")
        if bad:
            self.status.setText(self.status.text() + f"　{bad}个手机号码格式不对")


class FlowchartPreview(QWidget):
    """The plan's flowchart, drawn by the same painter as the document's image."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.stages: list[dict] = []
        self.setMinimumSize(QSize(320, 160))
        self.setAccessibleName("流程图预览")

    def set_stages(self, stages: list[dict]) -> None:
        self.stages = stages
        self.updateGeometry()
        self.update()

    WIDTH_MM = 118.0  # the document's image width
    MAX_UNIT = 4.5  # pixels per millimetre: about the printed size on a school monitor

    def _geometry(self) -> tuple[float, float]:
        unit = min(self.MAX_UNIT, max(2.0, self.width() / self.WIDTH_MM))
        return self.WIDTH_MM * unit, unit

    def sizeHint(self) -> QSize:  # noqa: N802
        from app.render.diagram import diagram_height

        width, unit = self._geometry()
        return QSize(int(width), int(diagram_height(self.stages, width, unit)) + 4 if self.stages else 160)

    def resizeEvent(self, event) -> None:  # noqa: N802 - the drawing's height follows the available width
        super().resizeEvent(event)
        self.setMinimumHeight(self.sizeHint().height())

    def paintEvent(self, _event) -> None:  # noqa: N802
        from PySide6.QtGui import QPainter  # with the drawing code: only the 研修模式与流程 page paints

        from app.render.diagram import paint_flowchart

        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#FFFFFF"))
        if not self.stages:
            p.setPen(QColor(COLORS["muted"]))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "添加研修阶段后，这里显示实施方案中的流程图")
        else:
            width, unit = self._geometry()
            p.translate((self.width() - width) / 2, 0)
            paint_flowchart(p, self.stages, width, unit)
        p.end()


class StagesEditor(RowsEditor):
    keys = STAGE_KEYS
    headers = tuple(STAGE_LABELS[k] for k in STAGE_KEYS)

    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(field, session, parent)
        self.table.setItemDelegateForColumn(STAGE_KEYS.index("mode"), ChoiceDelegate(STAGE_MODES, self.table))
        self.table.horizontalHeader().setSectionResizeMode(STAGE_KEYS.index("content"), QHeaderView.ResizeMode.Stretch)
        self.preview = FlowchartPreview(self)
        self.layout().addWidget(self.preview)
        self._redraw = QTimer(self, singleShot=True, interval=200, timeout=self._refresh_preview)
        # Once the teacher pauses, draw the document's image too, so an export does not wait for it.
        self._warm = QTimer(self, singleShot=True, interval=1500, timeout=self._warm_document_image)

    def load(self) -> None:
        super().load()
        self._refresh_preview()

    def write(self, value) -> None:
        super().write(value)
        self._redraw.start()

    def _refresh_preview(self) -> None:
        stages = self.session.get(self.field.key)
        self.preview.set_stages(stages)
        self.preview.setMinimumHeight(self.preview.sizeHint().height())
        if stages:
            self._warm.start()

    def _warm_document_image(self) -> None:
        from app.render.diagram import document_parts

        stages = self.session.get(self.field.key)
        if stages:
            document_parts(stages)

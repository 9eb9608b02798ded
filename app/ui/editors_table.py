"""Editors for rows: authors and resources (ordered, 1–3 authors, phone checked), and the process stages with a
live preview of the flowchart the plan will contain."""

from __future__ import annotations

from PySide6.QtCore import QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QComboBox, QCompleter, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QStyledItemDelegate, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from app.core.forms import STAGE_MODES, Field
from app.core.model import STAGE_KEYS, STAGE_LABELS
from app.core.rules import MOBILE
from app.ui.counter import BAD_BACKGROUND, COLORS
from app.ui.editors_text import FieldEditor, show_line_text
from app.ui.inputs import guard_of
from app.ui.session import CaseSession

BAD_CELL = QColor(BAD_BACKGROUND)
INVALID_ROLE = Qt.ItemDataRole.UserRole + 1  # a cell the check reports: framed red, selected or not


class FormTable(QTableWidget):
    """A table inside a form: Tab walks its cells and, past the last one (or with Ctrl+Tab at once), moves on to
    the next input, Shift+Tab likewise backwards; arrow keys move inside. Qt's default cycles the cells forever,
    so nothing below a table could be reached by keyboard."""

    typing = False  # while an open cell editor hands a keystroke to the model (CellDelegate)

    def _at_edge(self, forward: bool) -> bool:
        rows, cols = self.rowCount(), self.columnCount()
        r, c = self.currentRow(), self.currentColumn()
        if rows == 0 or cols == 0 or r < 0 or c < 0:
            return True
        return (r, c) == ((rows - 1, cols - 1) if forward else (0, 0))

    def _leave(self, forward: bool) -> bool:
        parent = self.parentWidget()
        return parent.focusNextPrevChild(forward) if parent is not None else False

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt override)
        if self._at_edge(forward):
            return self._leave(forward)
        return super().focusNextPrevChild(forward)

    def focusInEvent(self, event) -> None:  # noqa: N802 - entering by Tab starts at the first cell, by Shift+Tab at the last
        reason = event.reason()
        if self.rowCount() and reason == Qt.FocusReason.TabFocusReason:
            self.setCurrentCell(0, 0)
        elif self.rowCount() and reason == Qt.FocusReason.BacktabFocusReason:
            self.setCurrentCell(self.rowCount() - 1, self.columnCount() - 1)
        super().focusInEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._leave(event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 - Tab out of the last cell's editor moves on too
        Hint = QAbstractItemDelegate.EndEditHint
        if hint == Hint.RevertModelCache:  # Esc: the cell as it was when she began (typing already reached the case)
            opened, item = editor.property("opened_text"), self.currentItem()
            super().closeEditor(editor, hint)
            if opened is not None and item is not None and item.text() != opened:
                item.setText(opened)  # an edit like any other: Ctrl+Z brings the typing back
            return
        forward = hint == Hint.EditNextItem
        if hint in (Hint.EditNextItem, Hint.EditPreviousItem) and self._at_edge(forward):
            super().closeEditor(editor, Hint.NoHint)
            self._leave(forward)
            return
        super().closeEditor(editor, hint)


def _editor_text(editor: QWidget) -> str:
    return editor.currentText() if isinstance(editor, QComboBox) else editor.text()


class CellDelegate(QStyledItemDelegate):
    """Draws a red frame round a cell the check reports, so a selected row does not hide it. Its editors are
    text boxes like the form's others: what is typed reaches the case keystroke by keystroke (undo steps merge
    as in other boxes), and Ctrl+Z / Ctrl+Y in them are the case's undo and redo (the page's InputGuard), not
    the editor's own history, which knew nothing of rows added or of other cells."""

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt override)
        editor = self.make_editor(parent, option, index)
        if isinstance(editor, QComboBox):
            signal = editor.editTextChanged
        elif isinstance(editor, QLineEdit):
            signal = editor.textChanged
        else:
            return editor
        cell = QPersistentModelIndex(index)
        editor.setProperty("opened_text", index.data() or "")
        signal.connect(lambda _text: self._typed(editor, cell))
        guard = guard_of(parent)
        if guard is not None:
            for w in [editor] + editor.findChildren(QLineEdit):
                w.installEventFilter(guard)
        return editor

    def make_editor(self, parent, option, index) -> QWidget:
        return super().createEditor(parent, option, index)

    def _typed(self, editor: QWidget, cell: QPersistentModelIndex) -> None:
        if not cell.isValid() or _editor_text(editor) == (cell.data() or ""):
            return  # the model's own text shown again (opening, undo): nothing typed
        view = self.parent()
        view.typing = True
        try:
            self.commitData.emit(editor)
        finally:
            view.typing = False

    def setEditorData(self, editor, index):  # noqa: N802 (Qt override)
        text = index.data() or ""
        if isinstance(editor, (QLineEdit, QComboBox)) and _editor_text(editor) == text:
            return  # the echo of a keystroke: setting it again would move the cursor to the end
        if isinstance(editor, QComboBox):
            editor.setEditText(text)
        elif isinstance(editor, QLineEdit):
            show_line_text(editor, text)  # after undo the cursor is where the text changed, not at its end
        else:
            super().setEditorData(editor, index)

    def paint(self, painter, option, index) -> None:
        super().paint(painter, option, index)
        if index.data(INVALID_ROLE):
            painter.save()
            painter.setPen(QPen(QColor(COLORS["over"]), 2))
            painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
            painter.restore()


class ChoiceDelegate(CellDelegate):
    """An editable dropdown for a column (所属频道, 研修方式): suggestions, free text allowed."""

    def __init__(self, options: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.options = options

    def make_editor(self, parent, option, index) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.addItems(list(self.options))
        completer = combo.completer()  # suggestions that contain what is typed, not only start with it
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        return combo

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentText())


class CompleterDelegate(CellDelegate):
    """A line editor with suggestions (资源名称 seeds) that match anywhere in the name."""

    def __init__(self, options: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.options = options

    def make_editor(self, parent, option, index) -> QWidget:
        edit = QLineEdit(parent)
        completer = QCompleter(list(self.options), edit)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        edit.setCompleter(completer)
        return edit


class RowsEditor(FieldEditor):
    """A table of rows with add / remove / move up / move down; subclasses say what a row is."""

    keys: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()

    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(field, session, parent)
        self.table = FormTable(self)
        self.table.setItemDelegate(CellDelegate(self.table))
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
        r, c = self.table.currentRow(), self.table.currentColumn()
        try:
            rows = self.session.get(self.field.key)
            self.table.setRowCount(len(rows))
            for r_, row in enumerate(rows):
                for c_, k in enumerate(self.keys):
                    item = self.table.item(r_, c_)
                    if item is None:
                        self.table.setItem(r_, c_, QTableWidgetItem(row.get(k, "")))
                    elif item.text() != row.get(k, ""):
                        item.setText(row.get(k, ""))
            if 0 <= r < len(rows):
                self.table.setCurrentCell(r, max(c, 0))
            self._decorate()
        finally:
            self._loading = False

    def _item_changed(self, item) -> None:
        if self._loading:
            return
        rows = self.rows()
        self.complete_row(rows, item.row(), item.column())
        self._decorate()
        label = self.headers[item.column()] if item.column() < len(self.headers) else ""
        typed_in = (item.row(), item.column()) if self.table.typing else None
        self.write(rows, f"修改“{self.field.label}”第{item.row() + 1}行“{label}”", typed_in)
        if rows != self.rows():
            self.load()

    def complete_row(self, rows: list[dict], row: int, column: int) -> None:
        """What one cell implies for the others of its row (a suggested 资源名称 brings its 所属频道)."""

    def _decorate(self) -> None:
        """Buttons, the row count and marks on the cells; never emits itemChanged (it would call itself again)."""
        n = self.table.rowCount()
        self.add_btn.setEnabled(self.field.max_items is None or n < self.field.max_items)
        notes = [f"{n} / 最多 {self.field.max_items} 行"] if self.field.max_items else []
        blocked = self.table.blockSignals(True)
        try:
            notes += self.mark_cells()
        finally:
            self.table.blockSignals(blocked)
        self.status.setText("　".join(notes))

    def mark_cells(self) -> list[str]:
        """Mark cells the check would report; returns notes for the status line."""
        return []

    # ---- row operations
    def add_row(self) -> None:
        if self.field.max_items is not None and self.table.rowCount() >= self.field.max_items:
            return
        r = self.table.rowCount()
        self.write(self.rows() + [{k: "" for k in self.keys}], f"添加“{self.field.label}”一行")
        self.load()
        self.table.setCurrentCell(r, 0)

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        rows = self.rows()
        del rows[r]
        self.write(rows, f"删除“{self.field.label}”第{r + 1}行")
        self.load()
        if self.table.rowCount():
            self.table.setCurrentCell(min(r, self.table.rowCount() - 1), 0)

    def move(self, step: int) -> None:
        r = self.table.currentRow()
        target = r + step
        if r < 0 or not 0 <= target < self.table.rowCount():
            return
        rows = self.rows()
        rows[r], rows[target] = rows[target], rows[r]
        self.write(rows, f"{'上移' if step < 0 else '下移'}“{self.field.label}”第{r + 1}行")
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
                self.table.setItemDelegateForColumn(i, ChoiceDelegate(session.case.form.options(col.options_from), self.table))
            elif col.options_from:
                self.table.setItemDelegateForColumn(i, CompleterDelegate(session.case.form.options(col.options_from), self.table))

    def complete_row(self, rows: list[dict], row: int, column: int) -> None:
        col = self.field.columns[column]
        if col.options_from != "platform.resources":
            return
        channel_key = next((c.key for c in self.field.columns if c.options_from == "platform.channels"), None)
        seed = next((r for r in self.session.case.form.platform.resources if r.name == rows[row].get(col.key, "").strip()), None)
        if channel_key and seed is not None and not rows[row].get(channel_key):
            rows[row][channel_key] = seed.channel

    def mark_cells(self) -> list[str]:
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
                item.setData(INVALID_ROLE, wrong)
                item.setToolTip("请填写以1开头的11位手机号码" if wrong else "")
        return [f"{bad}个手机号码格式不对"] if bad else []


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

    def write(self, value, text: str = "", typed_in=None) -> None:
        super().write(value, text, typed_in)
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

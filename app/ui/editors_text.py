"""Editors for text: one line, paragraphs, and short tags; each shows the official hint and a live 字数 counter."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from app.core.forms import Field
from app.core.textclean import clean_text
from app.core.wordcount import count_after_edit, count_words
from app.ui.counter import CountLabel
from app.ui.session import CaseSession


class FieldEditor(QWidget):
    """Base: an editor for one field, loaded from and writing to the session."""

    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(parent)
        self.field = field
        self.session = session
        self._loading = False

    def load(self) -> None:  # fill the widgets from the model
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self

    def write(self, value) -> None:
        if not self._loading:
            self.session.set(self.field.key, value)


class PlainTextBox(QPlainTextEdit):
    """Pasting from Word keeps the text, drops the formatting and normalizes line breaks (Shift+Enter included)."""

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt override)
        if source.hasText():
            self.insertPlainText(clean_text(source.text()))


class TextEditor(FieldEditor):
    """Paragraphs with a live counter. Each edit recounts only the tokens it touched (count_after_edit), so a
    keystroke in an 800-字 field costs about the same as in an empty one."""

    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(field, session, parent)
        self._text = ""
        self._count = 0
        self.box = PlainTextBox(self)
        self.box.setPlaceholderText(field.hint)
        self.box.setToolTip(field.hint)
        self.box.setAccessibleName(field.display_label)
        self.box.setTabChangesFocus(True)
        self.box.setMinimumHeight(90 if not field.limit or field.limit <= 300 else 160)
        self.counter = CountLabel(field.limit, self, source=lambda: self._text)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.box)
        lay.addWidget(self.counter, alignment=Qt.AlignmentFlag.AlignRight)
        self.box.document().contentsChange.connect(self._recount)
        self.box.textChanged.connect(self._changed)

    def _recount(self, position: int, removed: int, added: int) -> None:
        new = self.box.toPlainText()
        self._count = count_after_edit(self._text, self._count, new, position, removed, added)
        self._text = new

    @property
    def words(self) -> int:
        return self._count

    def load(self) -> None:
        self._loading = True
        try:
            text = self.session.get(self.field.key)
            if self.box.toPlainText() != text:
                self.box.setPlainText(text)
            self.counter.show_count(self.words)
        finally:
            self._loading = False

    def _changed(self) -> None:
        self.counter.show_count(self._count)
        self.write(self._text)

    def focus_widget(self) -> QWidget:
        return self.box


class LineEditor(FieldEditor):
    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(field, session, parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(field.hint)
        self.edit.setToolTip(field.hint)
        self.edit.setAccessibleName(field.display_label)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.edit, 1)
        self.counter = None
        if field.limit:
            self.counter = CountLabel(field.limit, self, source=self.edit.text)
            lay.addWidget(self.counter)
        self.edit.textChanged.connect(self._changed)

    def load(self) -> None:
        self._loading = True
        try:
            text = self.session.get(self.field.key)
            if self.edit.text() != text:
                self.edit.setText(text)
            if self.counter:
                self.counter.show_count(count_words(text))
        finally:
            self._loading = False

    def _changed(self, text: str) -> None:
        if self.counter:
            self.counter.show_count(count_words(text))
        self.write(text)

    def focus_widget(self) -> QWidget:
        return self.edit


class TagsEditor(FieldEditor):
    """Up to max_items short texts, one box each (案例关键词: 4)."""

    def __init__(self, field: Field, session: CaseSession, parent=None, *, options: tuple[str, ...] = ()) -> None:
        super().__init__(field, session, parent)
        n = field.max_items or 4
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[QLineEdit] = []
        self.combos: list[QComboBox] = []
        for i in range(n):
            if options or field.options_from:
                combo = QComboBox(self)
                combo.setEditable(True)
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                combo.addItems(list(options))
                combo.setCurrentIndex(-1)
                combo.setMinimumContentsLength(12)
                edit = combo.lineEdit()
                self.combos.append(combo)
                lay.addWidget(combo, 1)
            else:
                edit = QLineEdit(self)
                lay.addWidget(edit, 1)
            edit.setPlaceholderText(f"{field.label}{i + 1}" if i else field.hint)
            edit.setAccessibleName(f"{field.label}{i + 1}")
            edit.setToolTip(field.hint)
            edit.textChanged.connect(self._changed)
            self.boxes.append(edit)
        self.setAccessibleName(field.display_label)

    def set_options(self, options: tuple[str, ...]) -> None:
        """New suggestions (the cascade's content items); what is typed stays."""
        self._loading = True
        try:
            for combo in self.combos:
                text = combo.currentText()
                combo.clear()
                combo.addItems(list(options))
                combo.setEditText(text)
        finally:
            self._loading = False

    def load(self) -> None:
        self._loading = True
        try:
            values = self.session.get(self.field.key)
            for i, box in enumerate(self.boxes):
                text = values[i] if i < len(values) else ""
                if box.text() != text:
                    box.setText(text)
        finally:
            self._loading = False

    def _changed(self, _text: str) -> None:
        self.write([b.text() for b in self.boxes])

    def focus_widget(self) -> QWidget:
        return self.boxes[0]



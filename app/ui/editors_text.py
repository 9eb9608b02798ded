"""Editors for text: one line, paragraphs, and short tags; each shows the official hint and a live 字数 counter."""

from __future__ import annotations

import re

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from app.core.forms import Field
from app.core.textclean import clean_text, edited_span
from app.core.wordcount import count_words, recount_edit
from app.ui.counter import BAD_BACKGROUND, CountLabel
from app.ui.inputs import CaseTextEdit, guard_of
from app.ui.notes import NoteLabel
from app.ui.session import CaseSession


def changed_end(old: str, new: str) -> int:
    """Where the cursor goes when a box's text is replaced by the model's (undo, redo, the cascade): the end of what
    changed, in the new text, as Qt's own undo puts it. Keeping the old offset instead sent the next keystroke into
    the wrong sentence, as far off as the undo had added or removed characters."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return max(prefix, len(new) - suffix)


def show_plain_text(box: QPlainTextEdit, text: str, follow: bool = True) -> None:
    """Replace a multi-line box's text by the model's, the cursor at the end of the change (changed_end).
    `follow` False: the box's first fill (a case opened, a page built) is no edit; the cursor stays at the start,
    or a tall box would scroll its page to a text's end the moment she tabs into it."""
    position = changed_end(box.toPlainText(), text) if follow else 0
    box.setPlainText(text)
    cursor = box.textCursor()
    cursor.setPosition(position)
    box.setTextCursor(cursor)


def show_line_text(edit: QLineEdit, text: str, follow: bool = True) -> None:
    """Replace a one-line box's text by the model's, the cursor at the end of the change (changed_end); `follow`
    as for show_plain_text."""
    position = changed_end(edit.text(), text) if follow else 0
    edit.setText(text)
    edit.setCursorPosition(position)


class FieldEditor(QWidget):
    """Base: an editor for one field, loaded from and writing to the session."""

    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(parent)
        self.field = field
        self.session = session
        self._loading = False
        self.writing = False  # while our own edit goes to the session: no need to reload what we show
        self.shown = False  # a text editor's first load (or her first edit) sets it: later loads replace a seen text

    def load(self) -> None:  # fill the widgets from the model
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self

    def write(self, value, text: str = "", typed_in=None, edit=None) -> None:
        """Send an edit to the session (one undoable command); the page reloads every other editor it affects.
        `typed_in`: a keystroke into a part of the field; `edit`: where a text box's text changed (CaseSession.set)."""
        if self._loading:
            return
        self.shown = True  # what she typed is on screen: a later load replaces a text she has seen
        self.writing = True
        try:
            self.session.set(self.field.key, value, text, typed_in=typed_in, edit=edit)
        finally:
            self.writing = False


class PlainTextBox(CaseTextEdit):
    """Pasting from Word keeps the text, drops the formatting and normalizes line breaks (Shift+Enter included)."""

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt override)
        if source.hasText():
            self.insertPlainText(clean_text(source.text()))


def _fit_lists(combo: QComboBox, options) -> None:
    """A box's list and its suggestions as wide as the longest item: three boxes share a row, and a long 课程内容 cut
    in the middle (图形与几何…认识与测量) cannot be told from its neighbours."""
    if options:
        widest = max(combo.fontMetrics().horizontalAdvance(o) for o in options) + 32
        combo.view().setMinimumWidth(widest)
        combo.completer().popup().setMinimumWidth(widest)


class TextEditor(FieldEditor):
    """Paragraphs with a live counter. Each edit recounts only the tokens it touched (recount_edit), so a
    keystroke in an 800-字 field costs about the same as in an empty one."""

    def __init__(self, field: Field, session: CaseSession, parent=None) -> None:
        super().__init__(field, session, parent)
        self._text = ""
        self._count = 0
        self.box = PlainTextBox(self, session.undo_stack)
        self.box.setPlaceholderText(field.hint)
        self.box.setToolTip(field.hint)
        self.box.setAccessibleName(field.display_label)
        self.box.setTabChangesFocus(True)
        self.box.setUndoRedoEnabled(False)  # Ctrl+Z is the case's undo (编辑 menu), not the box's own
        self.box.setMinimumHeight(90 if not field.limit or field.limit <= 300 else 160)
        self.counter = CountLabel(field.limit, self, source=lambda: self._text)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.box)
        lay.addWidget(self.counter, alignment=Qt.AlignmentFlag.AlignRight)
        # One slot does all of a keystroke's work (count, counter, model): each slot is a call from C++ into Python.
        self.box.document().contentsChange.connect(self._edited)

    def _edited(self, position: int, removed: int, added: int) -> None:
        old, new = self._text, self.box.toPlainText()
        # Checked once here, for the count and for the session (which takes it when `old` is what it stores).
        inserted = edited_span(old, new, position, removed, added)
        if inserted is None:
            self._count = count_words(new)  # the box's description does not fit (a first edit, a format change)
        else:
            self._count = recount_edit(old, self._count, new, position, removed, added)
        self._text = new
        if self._count != self.counter.count:  # most keystrokes inside a word leave the 字数 as it is
            self.counter.show_count(self._count)
        self.write(new, edit=(position, removed, added, old, inserted))

    @property
    def words(self) -> int:
        return self._count

    def load(self) -> None:
        self._loading = True
        try:
            text = self.session.get(self.field.key)
            if self.box.toPlainText() != text:
                show_plain_text(self.box, text, self.shown)
            self.counter.show_count(self.words)
        finally:
            self._loading = False
            self.shown = True

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
                show_line_text(self.edit, text, self.shown)
            if self.counter:
                self.counter.show_count(count_words(text))
        finally:
            self._loading = False
            self.shown = True

    def _changed(self, text: str) -> None:
        if self.counter:
            self.counter.show_count(count_words(text))
        self.write(text)

    def focus_widget(self) -> QWidget:
        return self.edit


SEPARATORS = re.compile(r"[、，,；;]+")
_KEPT = "\ue000"  # a private-use character: stands for a suggested item while a list is split around it
_KEPT_REF = re.compile(f"{_KEPT}(\\d+){_KEPT}")


class TagsEditor(FieldEditor):
    """Up to max_items short texts, one box each (案例关键词: 4). A list pasted or typed into one box (separated by
    、，,；;) is spread over the boxes; items beyond the limit get boxes of their own, marked, and the check
    reports them: nothing typed is dropped."""

    def __init__(self, field: Field, session: CaseSession, parent=None, *, options: tuple[str, ...] = ()) -> None:
        super().__init__(field, session, parent)
        self.limit = field.max_items or 4
        self.options = options
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self._row)
        self.note = NoteLabel(1, "over", self)  # room kept while empty: pasting a long list moves nothing below
        lay.addWidget(self.note)
        self.boxes: list[QLineEdit] = []
        self.combos: list[QComboBox] = []
        for _ in range(self.limit):
            self._add_box()
        self.setAccessibleName(field.display_label)

    def _add_box(self) -> QLineEdit:
        i = len(self.boxes)
        field = self.field
        name = f"{field.label}{i + 1}"
        if i < self.limit and (self.options or field.options_from):
            combo = QComboBox(self)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems(list(self.options))
            combo.setCurrentIndex(-1)
            combo.setMinimumContentsLength(12)
            combo.setAccessibleName(name)
            completer = combo.completer()  # suggestions that contain what is typed, not only start with it
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            _fit_lists(combo, self.options)
            edit = combo.lineEdit()
            # A choice shows its beginning (the line keeps its cursor at the end otherwise: 与几何-图形的位置与运动).
            combo.textActivated.connect(lambda _text, e=edit: e.setCursorPosition(0))
            self.combos.append(combo)
            self._row.addWidget(combo, 1)
        else:
            edit = QLineEdit(self)
            self._row.addWidget(edit, 1)
        edit.setPlaceholderText(name if i else field.hint)
        edit.setAccessibleName(name)
        edit.setToolTip(field.hint)
        if i >= self.limit:
            edit.setStyleSheet(f"background: {BAD_BACKGROUND};")
            edit.setToolTip(f"“{field.label}”最多{self.limit}个，这一项超出了，请删减或合并。")
        edit.textChanged.connect(lambda text, e=edit: self._changed(e, text))
        self.boxes.append(edit)
        return edit

    def _fit_boxes(self, n: int) -> None:
        """At least `limit` boxes, and one for each item beyond it."""
        while len(self.boxes) < max(n, self.limit):
            previous = self.boxes[-1]
            box = self._add_box()
            box.show()
            QWidget.setTabOrder(previous, box)  # after the box before it, not at the end of the window
            guard = guard_of(self)
            if guard is not None:
                box.installEventFilter(guard)
        while len(self.boxes) > max(n, self.limit) and not self.boxes[-1].text():
            self.boxes.pop().deleteLater()
        extra = len(self.boxes) - self.limit
        self.note.set_message(f"“{self.field.label}”最多{self.limit}个，多了{extra}个（标红的框），请删减。" if extra > 0 else "")

    def set_options(self, options: tuple[str, ...]) -> None:
        """New suggestions (the cascade's content items); what is typed stays."""
        self.options = tuple(options)
        self._loading = True
        try:
            for combo in self.combos:
                text = combo.currentText()
                combo.clear()
                combo.addItems(list(options))
                _fit_lists(combo, options)
                combo.setEditText(text)
                if not combo.lineEdit().hasFocus():
                    combo.lineEdit().setCursorPosition(0)  # its beginning, as after a choice
        finally:
            self._loading = False

    def load(self) -> None:
        self._loading = True
        try:
            values = self.session.get(self.field.key)
            self._fit_boxes(len(values))
            for i, box in enumerate(self.boxes):
                text = values[i] if i < len(values) else ""
                if box.text() != text:
                    # A long 课程内容 in a box she is not in shows its beginning, not its end (与几何-图形的位置与运动).
                    show_line_text(box, text, box.hasFocus() or i >= len(self.combos))
        finally:
            self._loading = False

    def _changed(self, box: QLineEdit, text: str) -> None:
        if self._loading:
            return
        if SEPARATORS.search(text) and self._items(text) != [text]:
            self._spread(box, text)
            return
        self.write([b.text() for b in self.boxes])

    def _items(self, text: str) -> list[str]:
        """The items of a list typed or pasted into one box, split at 、，,；; — but never inside a suggested item,
        which may hold a separator of its own (the 课程内容 统计与概率-数据的收集、整理与表达)."""
        kept: list[str] = []
        for option in sorted((o for o in self.options if SEPARATORS.search(o)), key=len, reverse=True):
            if option in text:
                text = text.replace(option, f"{_KEPT}{len(kept)}{_KEPT}")
                kept.append(option)
        parts = [p.strip() for p in SEPARATORS.split(text) if p.strip()]
        return [_KEPT_REF.sub(lambda m: kept[int(m.group(1))], p) for p in parts] if kept else parts

    def _spread(self, box: QLineEdit, text: str) -> None:
        """One box holding a list: its items fill this box and the empty ones after it, in order."""
        i = self.boxes.index(box)
        parts = self._items(text)
        others = [b.text() for b in self.boxes[i + 1:] if b.text()]
        items = [b.text() for b in self.boxes[:i]] + parts + others
        self._loading = True
        try:
            self._fit_boxes(len(items))
            for j, b in enumerate(self.boxes):
                b.setText(items[j] if j < len(items) else "")
        finally:
            self._loading = False
        self.write(items, f"填入“{self.field.label}”")
        target = self.boxes[min(i + len(parts), len(self.boxes) - 1)]
        if box.hasFocus() and target is not box:
            target.setFocus()

    def focus_widget(self) -> QWidget:
        return self.boxes[0]

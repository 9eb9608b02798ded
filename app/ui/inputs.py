"""Input that does what it shows: the mouse wheel scrolls the page instead of changing a choice nobody is
looking at, Ctrl+Z / Ctrl+Y in a text box undo the whole case (the 编辑 menu), and Tab walks a page's inputs in
the order they are drawn."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QComboBox, QFormLayout, QLayout,
                               QLineEdit, QPlainTextEdit, QScrollBar, QWidget)

WHEEL_TAKERS = (QComboBox, QAbstractSpinBox, QAbstractSlider)
TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox)


def _is_case_undo(event) -> bool:
    if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return False  # most keystrokes: decided without asking the key map
    if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
        return True
    return (event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier)


# Every key that Undo or Redo is bound to on some platform (Windows' Undo includes Alt+Backspace): anything else is
# typing, told apart by one integer before any modifier flags are made in Python.
_UNDO_KEYS = frozenset({Qt.Key.Key_Z.value, Qt.Key.Key_Y.value, Qt.Key.Key_Backspace.value})
_KEYBOARD_REASONS = (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason, Qt.FocusReason.ShortcutFocusReason)


class InputGuard(QObject):
    """An event filter for a page's inputs (one per page). `reveal(widget)` scrolls an input that the keyboard
    reached into view: Qt's scroll area does that only when Tab moves inside it, not when Tab comes round
    from the page list or the buttons."""

    def __init__(self, parent: QObject | None = None, reveal=None) -> None:
        super().__init__(parent)
        self.reveal = reveal

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        t = event.type()
        if t == QEvent.Type.FocusIn:
            self.focused(obj, event.reason())
            return False
        if t == QEvent.Type.Wheel:
            if isinstance(obj, WHEEL_TAKERS) and not obj.hasFocus():
                event.ignore()  # not accepted: Qt hands the wheel to the parents, and the page scrolls
                return True
            return False
        if t == QEvent.Type.ShortcutOverride and _is_case_undo(event):
            # Text boxes claim Ctrl+Z for their own history; left unclaimed, it reaches the 编辑 menu's action.
            _commit_cell_editor(obj)
            event.ignore()
            return True
        return False

    def focused(self, widget: QObject, reason: Qt.FocusReason) -> None:
        if self.reveal is not None and reason in _KEYBOARD_REASONS:
            self.reveal(widget)

    def guard(self, root: QWidget) -> None:
        """Filter every input under root: wheel-taking ones take focus by click or Tab only, not by wheel."""
        for w in root.findChildren(QWidget):
            if isinstance(w, (QScrollBar, CaseTextEdit)):
                continue  # a scroll bar is where the wheel should go; a CaseTextEdit guards itself
            if isinstance(w, WHEEL_TAKERS):
                w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                w.installEventFilter(self)
            elif isinstance(w, TEXT_INPUTS) or (self.reveal is not None and _focusable(w)):
                w.installEventFilter(self)


class CaseTextEdit(QPlainTextEdit):
    """A multi-line text box that does itself what InputGuard's filter does for other inputs: Ctrl+Z / Ctrl+Y
    undo the case (`undo_stack`), keyboard focus reveals it. The filter would be three calls into Python per
    keystroke (ShortcutOverride, KeyPress, KeyRelease), where most typing happens; these overrides are one."""

    def __init__(self, parent: QWidget | None = None, undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        # The box claims Ctrl+Z before the 编辑 menu can (ShortcutOverride), so it hands the key to the case here.
        # A key pressed alone (its combination is the key itself: Backspace as she deletes) is typing, told without
        # making the modifier flags in Python.
        key = event.key()
        if (key in _UNDO_KEYS and self.undo_stack is not None and event.keyCombination().toCombined() != key
                and _is_case_undo(event)):
            if event.matches(QKeySequence.StandardKey.Undo):
                self.undo_stack.undo()
            else:
                self.undo_stack.redo()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        guard = guard_of(self)
        if guard is not None:
            guard.focused(self, event.reason())


def _commit_cell_editor(widget: QObject) -> None:
    """A table cell's open editor hands what is typed in it to the case first, so that undo takes that typing
    back before anything older (editors that already write as she types have nothing left to hand over)."""
    viewport = widget.parentWidget() if isinstance(widget, QWidget) else None
    view = viewport.parentWidget() if viewport is not None else None
    if isinstance(view, QAbstractItemView) and viewport is view.viewport():
        delegate = view.itemDelegateForIndex(view.currentIndex())
        if delegate is not None:
            delegate.commitData.emit(widget)


def guard_of(widget: QWidget | None) -> "InputGuard | None":
    """The InputGuard of the page a widget is on, for inputs made after the page was built (a keyword box for a
    pasted list, a table cell's editor)."""
    while widget is not None and getattr(widget, "input_guard", None) is None:
        widget = widget.parentWidget()
    return getattr(widget, "input_guard", None)


def _focusable(w: QWidget) -> bool:
    return bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus) and w.focusProxy() is None


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    """The widgets of a layout in the order they are drawn (a form's rows top to bottom, label then field)."""
    out: list[QWidget] = []
    if isinstance(layout, QFormLayout):
        items = []
        for row in range(layout.rowCount()):
            for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole,
                         QFormLayout.ItemRole.SpanningRole):
                item = layout.itemAt(row, role)
                if item is not None:
                    items.append(item)
    else:
        items = [layout.itemAt(i) for i in range(layout.count())]
    for item in items:
        if item.widget() is not None:
            out.append(item.widget())
        elif item.layout() is not None:
            out.extend(_layout_widgets(item.layout()))
    return out


def visual_inputs(root: QWidget) -> list[QWidget]:
    """Every widget under root that Tab can reach, in drawing order: layouts are walked as they are laid out
    (grids row by row), so a row inserted later still takes its place."""
    out: list[QWidget] = []

    def walk(w: QWidget) -> None:
        if w is not root and _focusable(w):
            out.append(w)
        lay = w.layout()
        children = _layout_widgets(lay) if lay is not None else []
        rest = [c for c in w.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                if c not in children and not c.isWindow()]
        for c in children + rest:
            walk(c)

    walk(root)
    seen: set[int] = set()
    unique = []
    for w in out:
        if id(w) not in seen:
            seen.add(id(w))
            unique.append(w)
    return unique


def set_tab_order(root: QWidget) -> list[QWidget]:
    """Chain Tab through root's inputs in drawing order; returns the chain."""
    chain = visual_inputs(root)
    for a, b in zip(chain, chain[1:]):
        QWidget.setTabOrder(a, b)
    return chain

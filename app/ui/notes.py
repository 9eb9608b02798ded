"""A note under a field that keeps its place, so the form below never moves while she clicks or types."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.ui.counter import show_status

MORE = "……（鼠标停在此处可看全文）"
# Lines of a probe: a CJK glyph comes from a fallback face that is taller than the label's own font, and digits
# and Latin letters from the own face; a line is as tall as the tallest face in it.
_PROBE_LINE = "字Ag9“”"


class NoteLabel(QLabel):
    """Word-wrapped text in a fixed height of `lines` lines, shown or empty alike. The height is measured by
    laying out probe lines (not lines × fontMetrics().height(), which ignores the CJK fallback face and falls
    short by a pixel or more a line). A note longer than the room is cut at a character with a pointer to the
    tooltip, which holds all of it; message() is the whole note."""

    def __init__(self, lines: int, state: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines = lines
        self._message = ""
        self._probe = QLabel()  # never shown: measures text without touching what is on screen
        self._probe.setWordWrap(True)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        show_status(self, state)
        self._reserve()

    def message(self) -> str:
        return self._message

    def set_message(self, text: str) -> None:
        if text != self._message:
            self._message = text
            self._fit()

    def _height(self, text: str, width: int) -> int:
        margins = self.contentsMargins()
        self._probe.setText(text)
        return self._probe.heightForWidth(max(width - margins.left() - margins.right(), 1)) + margins.top() + margins.bottom()

    def _reserve(self) -> None:
        self._probe.setFont(self.font())
        self.setFixedHeight(self._height("\n".join([_PROBE_LINE] * self._lines), 10_000))

    def _fit(self) -> None:
        """The whole message if it fits the reserved lines at the current width, else the longest start of it
        that fits followed by MORE."""
        text, width, room = self._message, self.width(), self.maximumHeight()
        self.setToolTip(text)
        if not text or self._height(text, width) <= room:
            self.setText(text)
            return
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._height(text[:mid] + MORE, width) <= room:
                lo = mid
            else:
                hi = mid - 1
        self.setText(text[:lo] + MORE)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override): a new width wraps, and may cut, anew
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 - a new font needs new room
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and hasattr(self, "_probe"):
            self._reserve()
            self._fit()

"""The live "N / limit 字" label: amber near the limit, red above it, never truncating what was typed; and the
status colours every live figure and note in the wizard shares."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from app.core.wordcount import counts

NEAR = 0.9
COLORS = {"ok": "#666666", "near": "#B25B00", "over": "#C62828", "good": "#2E7D32", "muted": "#9E9E9E"}
BAD_BACKGROUND = "#FDECEA"  # an input or cell whose content the check reports


def show_status(widget: QWidget, state: str | None) -> None:
    """Colour a label's or check box's text by status ("ok", "near", "over", "good", "muted"; None: the usual
    colour). By palette, not style sheet: a counter changes colour on the keystroke that crosses its limit, and
    a new style sheet costs that keystroke ~0.2 ms, a palette ~0.03 ms."""
    palette = QPalette()  # nothing set: every role comes from the parent, as before any status
    if state is not None:
        palette.setColor(QPalette.ColorRole.WindowText, QColor(COLORS[state]))
    widget.setPalette(palette)


def status_color(widget: QWidget) -> str:
    """The colour a widget's text is drawn in, as #rrggbb (upper case, as in COLORS)."""
    return widget.palette().color(QPalette.ColorRole.WindowText).name().upper()


def counter_state(n: int, limit: int | None) -> str:
    if limit is None:
        return "ok"
    if n > limit:
        return "over"
    return "near" if n >= NEAR * limit else "ok"


RULE = "按Word“字数统计”口径：每个汉字或全角标点计1字，每个英文单词或数字串计1字。"


def counts_tooltip(text: str, limit: int | None) -> str:
    """The three figures Word's 字数统计 shows, so a teacher comparing with Word or WPS sees the same numbers."""
    c = counts(text)
    first = f"字数：{c.words}" + (f"（限{limit}字，限制按字数计）" if limit else "")
    return f"{first}\n字符数（不计空格）：{c.chars_no_spaces}\n字符数（计空格）：{c.chars_with_spaces}\n{RULE}"


class CountLabel(QLabel):
    def __init__(self, limit: int | None, parent=None, *, source: Callable[[], str] | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.count = -1
        self.state = ""
        self.source = source  # the text counted, read when the tooltip is asked for (not on every keystroke)
        self.setToolTip(RULE)
        self.show_count(0)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and self.source is not None:
            self.setToolTip(counts_tooltip(self.source(), self.limit))
        return super().event(e)

    def show_count(self, n: int) -> None:
        if n == self.count:
            return  # most keystrokes inside a word do not change the count: skip the restyle
        self.count = n
        state = counter_state(n, self.limit)
        text = f"{n} / {self.limit} 字" if self.limit else f"{n} 字"
        if state == "over":
            text += f"（超出{n - self.limit}字）"
        self.setText(text)
        if state != self.state:
            self.state = state
            show_status(self, state)  # colour and the （超出N字） text; bold would load a second font

"""Page and section headings: one place that says how much larger than body text they are."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

HEADING_SCALE = 1.3


def heading_font(widget: QWidget, scale: float = HEADING_SCALE) -> QFont:
    """The widget's font, scaled up for a heading."""
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    return font

"""Type for headings: bigger and bold, where the eye looks for structure (page titles, tool categories)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

HEADING_SCALE = 1.3


def heading_font(widget: QWidget, scale: float = HEADING_SCALE) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    return font

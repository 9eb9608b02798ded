"""Keeps the app's memory near a bare window's: one CJK font face (regular weight), no copies of our source.

Qt 6 reaches for a bold face on its own: QHeaderView measures its sections in bold, and QWizard draws page
titles bold (app/ui/pages.HeadedPage draws its own heading instead). A bold CJK face is a second 20 MB font file
of which the UI would keep ~4 MB resident for a few headings. docs/performance.md has the measurements.
"""

from __future__ import annotations

import linecache

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView, QWidget

HEADING_SCALE = 1.3


class PlainHeader(QHeaderView):
    """A header measured and drawn in the view's own font. QHeaderView measures every section in bold (so
    a highlighted section never grows) and draws the current column bold: either loads the bold face."""

    def __init__(self, orientation: Qt.Orientation, parent: QAbstractItemView) -> None:
        super().__init__(orientation, parent)
        self.setHighlightSections(False)

    def sectionSizeFromContents(self, logical_index: int) -> QSize:  # noqa: N802 (Qt override)
        model = self.model()
        if model is None:
            return QSize()
        text = model.headerData(logical_index, self.orientation(), Qt.ItemDataRole.DisplayRole)
        size = self.fontMetrics().size(0, "" if text is None else str(text))
        # The text plus a margin; not QStyle's CT_HeaderSection, whose Python enums alone cost 0.3 MB.
        margin = max(2, size.height() // 6)
        return QSize(size.width() + 2 * margin, size.height() + 2 * margin)


def plain_headers(view: QTableView | QTreeView) -> None:
    """Give a table or tree PlainHeaders, keeping what its default headers were configured to do."""
    if isinstance(view, QTableView):
        horizontal = PlainHeader(Qt.Orientation.Horizontal, view)
        horizontal.setSectionsClickable(True)  # selecting a column or row from the header, as before
        view.setHorizontalHeader(horizontal)
        vertical = PlainHeader(Qt.Orientation.Vertical, view)
        vertical.setSectionsClickable(True)
        view.setVerticalHeader(vertical)
    else:
        header = PlainHeader(Qt.Orientation.Horizontal, view)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        view.setHeader(header)


def heading_font(widget: QWidget, scale: float = HEADING_SCALE) -> QFont:
    """A heading that stands out by size, not weight."""
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setWeight(QFont.Weight.Normal)
    return font


def drop_source_cache() -> None:
    """PySide6 reads the source of every module imported after it (inspect.getsource, to decide whether the
    module uses PySide6's __feature__ switches; PYSIDE-2029) and linecache keeps that text for the life of the
    process: megabytes of our own source. Tracebacks read it again when they need it."""
    linecache.clearcache()

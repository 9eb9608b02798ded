"""Keeps the app's memory near a bare window's: one CJK font face (regular weight), no copies of module sources.

Qt 6 reaches for a bold face on its own: QHeaderView measures its sections in bold, and QWizard draws page
titles bold (app/ui/pages.HeadedPage draws its own heading instead). A bold CJK face is a second 20 MB font file
of which the UI would keep ~4 MB resident for a few headings. docs/performance.md has the measurements.
"""

from __future__ import annotations

import linecache
import sys

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


class _SkipSourceScan:
    """A sys.meta_path entry that finds nothing: it answers PySide6's question for every module about to be
    imported, so PySide6 never reads its source."""

    def __init__(self, table: dict) -> None:
        self.table = table

    def find_spec(self, name, path=None, target=None):  # noqa: ARG002 - finds nothing; only registers the name
        # The values PySide6 itself would store: 0 "uses PySide6, no __feature__", -1 "ignore". Neither switches
        # anything while no module imports from __feature__, and ours never do.
        self.table.setdefault(name, 0 if name == "app" or name.startswith("app.") else -1)
        return None


def skip_source_scan() -> bool:
    """Stop PySide6 from reading the source of every module imported after it. PySide6 (PYSIDE-2029) calls
    inspect.getsource on each new module to see whether it mentions PySide6, for its opt-in __feature__
    switches; linecache then keeps every module's text for the life of the process (about 2 MB, and start-up
    time). It skips modules already in its table, so list every module: those loaded now, and each
    new one as it is imported.
    False (and nothing changed) if this PySide6 has no such table."""
    try:
        from PySide6.support import feature
        table = feature.pyside_feature_dict
    except (ImportError, AttributeError):
        return False
    if not isinstance(table, dict):
        return False
    finder = next((f for f in sys.meta_path if isinstance(f, _SkipSourceScan)), None)
    if finder is None:
        finder = _SkipSourceScan(table)
        sys.meta_path.insert(0, finder)
    for name in list(sys.modules):  # loaded before PySide6: PySide6 asks again at each later `import` of them
        finder.find_spec(name)
    linecache.clearcache()  # what PySide6 read of the modules loaded before it; tracebacks read it again on demand
    return True

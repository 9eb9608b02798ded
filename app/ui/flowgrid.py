"""A grid of cells (a checkbox, or a label and its input) in as many columns as the page's width allows."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QGridLayout, QWidget


class FlowGrid(QWidget):
    """Cells laid out row by row in up to `max_columns` columns, fewer when the width is short. Beside the preview the
    form is 440–550 px wide (a 1280×720 or 1366×768 screen, the 1180×800 window on a 1920×1080 one): a fixed grid (科目
    six to a row, 相关统计 three label–input pairs) cut its last column at the right edge and gave the page a sideways
    scroll bar. The cells keep their order (row by row), so Tab's order is the same in any number of columns."""

    def __init__(self, parent: QWidget, max_columns: int) -> None:
        super().__init__(parent)
        self.max_columns = max(1, max_columns)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.cells: list[tuple[QWidget, ...]] = []
        self.columns = 0

    def add(self, *widgets: QWidget) -> None:
        """One cell: its widgets side by side (every cell of a grid has as many)."""
        self.cells.append(widgets)
        self._arrange(min(self.max_columns, len(self.cells)), force=True)

    def _spacing(self) -> int:
        return max(0, self._grid.horizontalSpacing())

    def width_for(self, columns: int) -> int:
        """The width the cells take in `columns` columns as the grid lays them out: each of a column's slots as wide as
        its widest widget, at their preferred widths."""
        if not self.cells:
            return 0
        per = len(self.cells[0])
        widths = [0] * (columns * per)
        for i, cell in enumerate(self.cells):
            base = (i % columns) * per
            for k, w in enumerate(cell):
                widths[base + k] = max(widths[base + k], w.sizeHint().width())
        return sum(widths) + self._spacing() * (len(widths) - 1)

    def columns_for(self, width: int) -> int:
        """The most columns that fit; when that is fewer than the form's own number, the fewest that still need no
        more rows (9 grades in two rows of 5 and 4, not 8 and a lone 9年级)."""
        most = max(1, min(self.max_columns, len(self.cells)))
        fit = next((c for c in range(most, 1, -1) if self.width_for(c) <= width), 1)
        if fit == most:
            return fit
        rows = -(-len(self.cells) // fit)
        return -(-len(self.cells) // rows)

    def _arrange(self, columns: int, force: bool = False) -> None:
        if columns == self.columns and not force:
            return
        self.columns = columns
        for cell in self.cells:  # taken out and put back in the same order
            for w in cell:
                self._grid.removeWidget(w)
        for i, cell in enumerate(self.cells):
            row, col = divmod(i, columns)
            for k, w in enumerate(cell):
                self._grid.addWidget(w, row, col * len(cell) + k)
        self.updateGeometry()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._arrange(self.columns_for(event.size().width()))
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """As narrow as one column: the page may give it less than all its columns, and it reflows."""
        return QSize(self.width_for(1), super().minimumSizeHint().height())

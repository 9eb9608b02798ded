"""Page and type conventions of the six documents: the notice's fonts, and GB/T 9704 where the notice is silent."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageLayout:
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float
    width_mm: float = 210.0  # A4 portrait
    height_mm: float = 297.0

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.left_mm - self.right_mm


# The info sheet and plan are forms: modest margins leave the content column room.
FORM_PAGE = PageLayout(top_mm=25, bottom_mm=22, left_mm=25, right_mm=25)
# GB/T 9704-2012 公文 layout for the report: 37 / 35 / 28 / 26 mm.
REPORT_PAGE = PageLayout(top_mm=37, bottom_mm=35, left_mm=28, right_mm=26)

LABEL_COLUMN_MM = 32.0
CONTENT_COLUMN_MM = FORM_PAGE.text_width_mm - LABEL_COLUMN_MM
CELL_PADDING_MM = 2.0  # Word's default left+right cell margins (0.19 cm each)
DIAGRAM_WIDTH_MM = CONTENT_COLUMN_MM - 2 * CELL_PADDING_MM - 1
# Each part of the flowchart sits in a table row that cannot split: no taller than the form page's 250 mm of text
# height, less the spacing around it and room for the row to start below a page's first lines.
DIAGRAM_MAX_HEIGHT_MM = 220.0

FORM_TITLE = ("黑体", 18.0)  # 小二 黑体
REPORT_TITLE = ("宋体", 22.0)  # 二号; GB/T 9704 asks for 小标宋, which school PCs rarely have
SEAL_ROW_MIN_MM = 58.0  # 单位意见 block: a 42 mm round seal plus the printed lines

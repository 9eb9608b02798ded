"""Regenerate docs/pages/: PNG images of every page of both examples' documents, for reviewers without Word.

    python tools/render_pages.py

The same renderer as the app's 预览 and `yanxiu preview` (docxtpl → LibreOffice → PDFium); needs LibreOffice.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.casefile import load_case  # noqa: E402
from app.render.diagram import ensure_gui_app  # noqa: E402
from app.render.pdf.libreoffice import LibreOfficeConverter, find_soffice  # noqa: E402
from app.render.preview import write_page_images  # noqa: E402

EXAMPLES = {"school": ROOT / "examples" / "school-math-graphics.json",
            "studio": ROOT / "examples" / "studio-chinese-reading.json"}
OUT = ROOT / "docs" / "pages"
DPI = 70


def main() -> int:
    soffice = find_soffice()
    if soffice is None:
        print("需要 LibreOffice（soffice）。", file=sys.stderr)
        return 2
    ensure_gui_app()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        conv = LibreOfficeConverter(soffice, profile_dir=Path(tmp) / "profile")
        for key, path in EXAMPLES.items():
            write_page_images(load_case(path), OUT, conv, dpi=DPI, name=lambda doc, _title, n, k=key: f"{k}-{doc}-{n}.png")
        conv.close()
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())

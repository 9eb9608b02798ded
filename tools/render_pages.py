"""Regenerate docs/pages/: PNG images of every page of both examples' documents, for reviewers without Word.

    python tools/render_pages.py

Needs LibreOffice (soffice) and poppler (pdftoppm).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.casefile import load_case  # noqa: E402
from app.render.docx_render import export_docx  # noqa: E402
from app.render.pdf.libreoffice import LibreOfficeConverter, find_soffice  # noqa: E402

EXAMPLES = {"school": ROOT / "examples" / "school-math-graphics.json",
            "studio": ROOT / "examples" / "studio-chinese-reading.json"}
OUT = ROOT / "docs" / "pages"
DPI = 70


def main() -> int:
    soffice = find_soffice()
    if soffice is None or shutil.which("pdftoppm") is None:
        print("需要 LibreOffice（soffice）和 poppler（pdftoppm）。", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        conv = LibreOfficeConverter(soffice, profile_dir=tmp / "profile")
        for key, path in EXAMPLES.items():
            docx = export_docx(load_case(path), tmp / key)
            pdfs = conv.convert(docx, tmp / key / "pdf")
            for doc_key, pdf in zip(("info", "plan", "report"), pdfs):
                subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(OUT / f"{key}-{doc_key}")], check=True)
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())

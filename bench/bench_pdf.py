"""PDF export of the three documents against bare `soffice --convert-to pdf` calls, in the same run."""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, Figure, print_table


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(repeat: int = 3) -> list[Figure]:
    from app.core.casefile import load_case
    from app.render.docx_render import export_docx
    from app.render.pdf.libreoffice import LibreOfficeConverter, find_soffice

    soffice = find_soffice()
    if soffice is None:
        print("LibreOffice not found: PDF benchmarks skipped")
        return []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docx = export_docx(load_case(ROOT / "examples" / "school-math-graphics.json"), tmp / "docx")
        bare_profile, our_profile = tmp / "bare-profile", tmp / "our-profile"

        def bare(files):
            subprocess.run([str(soffice), f"-env:UserInstallation={bare_profile.as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(tmp / "bare"), *map(str, files)],
                           capture_output=True, check=True)

        bare(docx)  # both profiles exist before anything is timed
        LibreOfficeConverter(soffice, profile_dir=our_profile).convert(docx, tmp / "ours")
        one_call, three_calls, first, second = [], [], [], []
        for _ in range(repeat):
            one_call.append(_timed(lambda: bare(docx)))
            three_calls.append(_timed(lambda: [bare([d]) for d in docx]))
            conv = LibreOfficeConverter(soffice, profile_dir=our_profile, keep_warm=True)
            first.append(_timed(lambda: conv.convert(docx, tmp / "ours")))
            conv.wait_warm(120)
            second.append(_timed(lambda: conv.convert(docx, tmp / "ours")))
            conv.close()
    b1, b3 = min(one_call), min(three_calls)
    return [
        Figure("PDF export of 3 documents vs one bare soffice call (s)", min(first), b1, "s", 1.1),
        Figure("PDF export of 3 documents vs three bare soffice calls (s)", min(first), b3, "s", 0.45),
        Figure("second export, warm converter, vs one bare call (s)", min(second), b1, "s", 0.3),
    ]


if __name__ == "__main__":
    print_table(run())

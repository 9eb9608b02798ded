"""PDF export of the three documents against bare `soffice --convert-to pdf` calls, in the same run.

Ours is the export's whole PDF step (app/render/pdf/export.py): the font check, the copies LibreOffice converts,
the conversion, and reading every PDF back for its metadata, embedded fonts, page count and the print packet."""

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


def run(repeat: int = 5) -> list[Figure]:
    from app.core.casefile import load_case
    from app.render.docx_render import export_docx
    from app.render.pdf.export import export_pdfs
    from app.render.pdf.libreoffice import LibreOfficeConverter, find_soffice

    soffice = find_soffice()
    if soffice is None:
        print("LibreOffice not found: PDF benchmarks skipped")
        return []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        case = load_case(ROOT / "examples" / "school-math-graphics.json")
        docx = export_docx(case, tmp / "docx")
        bare_profile, our_profile = tmp / "bare-profile", tmp / "our-profile"

        def bare(files):
            subprocess.run([str(soffice), f"-env:UserInstallation={bare_profile.as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(tmp / "bare"), *map(str, files)],
                           capture_output=True, check=True)

        bare(docx)  # both profiles exist before anything is timed
        export_pdfs(case, docx, tmp / "ours", LibreOfficeConverter(soffice, profile_dir=our_profile))
        one_call, three_calls, first, second = [], [], [], []
        for _ in range(repeat):
            one_call.append(_timed(lambda: bare(docx)))
            three_calls.append(_timed(lambda: [bare([d]) for d in docx]))
            conv = LibreOfficeConverter(soffice, profile_dir=our_profile, keep_warm=True)
            first.append(_timed(lambda: export_pdfs(case, docx, tmp / "ours", conv)))
            conv.wait_warm(120)
            second.append(_timed(lambda: export_pdfs(case, docx, tmp / "ours", conv)))
            conv.close()
    # Each round times the bare calls and ours within seconds of each other; each figure is the round with the median
    # ratio. The best of each side over the rounds (as before) let one lucky bare call set the floor for every round:
    # a cold LibreOffice start moves by 0.3–0.5 s from one call to the next on this kind of machine.
    return [
        _median_round("PDF export of 3 documents vs one bare soffice call (s)", first, one_call, 1.1),
        _median_round("PDF export of 3 documents vs three bare soffice calls (s)", first, three_calls, 0.45),
        _median_round("second export, warm converter, vs one bare call (s)", second, one_call, 0.3),
    ]


def _median_round(name: str, ours: list[float], floor: list[float], target: float) -> Figure:
    rounds = sorted(zip(ours, floor), key=lambda r: r[0] / r[1])
    o, f = rounds[len(rounds) // 2]
    return Figure(name, o, f, "s", target, note=f"the median of {len(rounds)} rounds")


if __name__ == "__main__":
    print_table(run())

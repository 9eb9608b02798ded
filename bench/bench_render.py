"""Rendering the three Word documents of a case against the floor of loading and saving the same three templates
with python-docx, in the same run."""

from __future__ import annotations

import io

from bench.common import ROOT, Figure, best_of, print_table


def run() -> list[Figure]:
    from docx import Document

    from app.core.casefile import load_case
    from app.render import docx_render
    from app.render.templates import template_path

    case = load_case(ROOT / "examples" / "school-math-graphics.json")
    docx_render.render_case(case)  # import, template checks and Qt start-up are not what is measured

    def floor():
        for d in ("info", "plan", "report"):
            buf = io.BytesIO()
            Document(str(template_path("school", d))).save(buf)

    floor_s = best_of(floor, repeat=9)
    warm = best_of(lambda: docx_render.render_case(case), repeat=9)

    from app.render import diagram

    def cold():
        diagram._document_parts.cache_clear()
        docx_render.render_case(case)

    cold_s = best_of(cold, repeat=9)
    return [
        Figure("render 3 documents (flowchart drawn by the wizard) (ms)", warm * 1e3, floor_s * 1e3, "ms", None,
               note="informational: docxtpl's public API, a template parsed per render; floor: python-docx load + "
                    "save of the same 3 templates"),
        Figure("render 3 documents, drawing the flowchart too (ms)", cold_s * 1e3, floor_s * 1e3, "ms", None,
               note="informational: the wizard draws the flowchart when stage edits pause"),
    ]


if __name__ == "__main__":
    print_table(run())

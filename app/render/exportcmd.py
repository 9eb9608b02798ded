"""`yanxiu export` and `yanxiu package`: the documents of a case written into a folder, for scripts and CI."""

from __future__ import annotations

import sys
from pathlib import Path

from app.core.casefile import CaseFileError, load_case
from app.render.docx_render import RenderError, export_docx


def main_export(case_path: Path, out_dir: Path, *, pdf: bool = False) -> int:
    try:
        case = load_case(case_path)
    except CaseFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        paths = export_docx(case, out_dir)
    except RenderError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for p in paths:
        print(p)
    if pdf:
        from app.render.pdf.export import export_pdfs_cli

        return export_pdfs_cli(case, paths)
    return 0


def main_package(case_path: Path, out_dir: Path, *, force: bool = False, packet_all: bool = True) -> int:
    from app.render.package import main_package as run

    return run(case_path, out_dir, force=force, packet_all=packet_all)

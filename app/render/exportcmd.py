"""`yanxiu export` and `yanxiu package`: the documents of a case written into a folder, for scripts and CI."""

from __future__ import annotations

import sys
from pathlib import Path

from app.core.casefile import CaseFileError, load_case


def main_export(case_path: Path, out_dir: Path, *, pdf: bool = False, force: bool = False) -> int:
    """Exit 0 written, 1 not written (a target open, read-only or edited since the last export), 2 case unreadable,
    3 PDF conversion failed (nothing written), 4 no PDF converter (the Word files are written)."""
    from app.render.docx_render import RenderError
    from app.render.exportset import export_set, set_id_for
    from app.render.outset import EditedSinceExport
    from app.render.pdf.base import ConversionError

    try:
        case = load_case(case_path)
    except CaseFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    converter = None
    settings = None
    notes_first: list[str] = []
    if pdf:
        from app.core.settings import load_settings
        from app.render.pdf.select import NO_CONVERTER_MESSAGE, choose_converter, configured_path_note

        settings = load_settings()
        note = configured_path_note(settings)
        if note:
            notes_first.append(note)
        converter = choose_converter(settings, keep_warm=False)
        if converter is None:
            notes_first.append(NO_CONVERTER_MESSAGE)
    try:
        result = export_set(case, out_dir, set_id=set_id_for(case_path), converter=converter,
                            pdf=pdf and converter is not None, packet=False,
                            policy="keep_copy" if force else "refuse",
                            fangsong_for_gb2312=settings.fangsong_for_gb2312 if settings else True)
    except EditedSinceExport as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except RenderError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except ConversionError as exc:
        for n in notes_first:
            print(n, file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 3
    finally:
        if converter is not None:
            converter.close()
    print_written(result.files, notes_first + result.notes)
    return 4 if pdf and converter is None else 0


def print_written(files: list[Path], notes: list[str]) -> None:
    """What a command wrote, a path a line on stdout for scripts; its notes on stderr for the person."""
    for p in files:
        print(p)
    for n in notes:
        print(n, file=sys.stderr)


def main_package(case_path: Path, out_dir: Path, *, force: bool = False, packet_all: bool = True) -> int:
    from app.render.package import main_package as run

    return run(case_path, out_dir, force=force, packet_all=packet_all)

"""`yanxiu import`: Word documents into a new case file, with the report of what was read and what was not."""

from __future__ import annotations

import sys
from pathlib import Path

from app.core.casefile import CaseFileError, save_case
from app.core.importer import ImportFailed, UnreadableFile, format_report, import_documents


def main_import(files: list[Path], out: Path, *, force: bool = False, case_type: str | None = None) -> int:
    """0: the case was written (the report lists what could not be placed); 2: a file is not a readable Word
    document; 1: the files cannot become one case or the case cannot be written. Nothing is written unless 0."""
    out = Path(out)
    if out.exists() and not force:
        print(f"“{out}”已存在，未作任何改动。请换一个文件名，或加 --force 覆盖（原文件会保留为 .bak 备份）。", file=sys.stderr)
        return 1
    try:
        result = import_documents(files, case_type=case_type)
    except UnreadableFile as exc:
        print(f"{exc}未创建案例文件。", file=sys.stderr)
        return 2
    except ImportFailed as exc:
        print(f"{exc}未创建案例文件。", file=sys.stderr)
        return 1
    print(format_report(result))
    try:
        save_case(result.case, out)
    except CaseFileError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"\n已创建案例文件：{out}")
    return 0

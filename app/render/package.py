"""`yanxiu package`: the submission folder — Word and PDF files, the print packet, 支撑材料/ and 报送清单."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from app.core.casefile import CaseFileError, load_case
from app.core.checkcmd import format_findings
from app.core.materials import format_size, is_photo, package_names, resolve, safe_is_file
from app.core.oserrors import explain
from app.core.model import Case
from app.core.rules import Finding, check_case, has_errors
from app.render.docx_render import RenderError, safe_filename
from app.render.outset import UNCHANGED_NOTE, EditedSinceExport, StagedSet
from app.render.pdf.base import ConversionError, Converter, Progress
from app.render.pdf.export import PdfExport, export_pdfs
from app.render.pdf.select import NO_CONVERTER_MESSAGE

MATERIALS_DIR = "支撑材料"
LIST_NAME = "报送清单.txt"
PHOTO_DOWNSCALE_BYTES = 8 * 1024 * 1024


class PackageRefused(Exception):
    """The check found errors and the package was not forced."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__("检查发现错误，未生成报送文件夹。请修改后重试，或使用 --force 强制生成。")


@dataclass
class PackageResult:
    folder: Path
    files: list[Path]
    pdf: PdfExport | None
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)


def build_package(case: Case, out_dir: Path, converter: Converter | None, *, base_dir: Path | None = None,
                  force: bool = False, downscale_photos: bool = False, fangsong_for_gb2312: bool = True,
                  packet_all: bool = True, progress: Progress | None = None, set_id: str | None = None,
                  policy: str = "refuse", today: dt.date | None = None) -> PackageResult:
    """The whole submission folder as one all-or-nothing set: staged beside the target, moved into place when
    complete; the teacher's own files in the folder (her originals in 支撑材料/ included) are never touched."""
    from app.render.context import version_code
    from app.render.docx_render import check_locks, render_case
    from app.render.exportset import UNSAVED_SET, nothing_written_on_failure, pdf_names

    findings = check_case(case, base_dir=base_dir)
    if has_errors(findings) and not force:
        raise PackageRefused(findings)
    out_dir = Path(out_dir)
    if set_id is None:
        set_id = UNSAVED_SET
    rendered = render_case(case)
    names = [r.filename for r in rendered]
    check_locks(out_dir, names)
    notes: list[str] = []
    pdf: PdfExport | None = None
    theme = case.name_text
    with nothing_written_on_failure(out_dir):
        with StagedSet(out_dir, set_id, version_code(case), kind="package", policy=policy) as stage:
            planned = names + [LIST_NAME]
            if converter is not None:
                planned += [pdf_names(names, theme, True)[i] for i in (0, -1)]  # the info sheet and the packet
            for material, name in zip(case.materials[: case.form.materials.max_files], package_names(case)):
                if not _same_file(resolve(material, base_dir), out_dir / MATERIALS_DIR / name):
                    planned.append(f"{MATERIALS_DIR}/{name}")
            stage.expect(planned)
            docx = [stage.write_bytes(r.filename, r.data) for r in rendered]
            rels = list(names)
            if converter is None:
                notes.append(NO_CONVERTER_MESSAGE)
            else:
                pdf = export_pdfs(case, docx, stage.dir, converter, fangsong_for_gb2312=fangsong_for_gb2312,
                                  packet=True, packet_all=packet_all, progress=progress, keep=("info",))
                for p in pdf.pdfs + ([pdf.packet] if pdf.packet else []):
                    stage.path(p.name)
                    rels.append(p.name)
                notes += [n.message for n in pdf.font_notes] + pdf.warnings
            rels += _copy_materials(case, stage, base_dir, downscale_photos, notes)
            stage.path(LIST_NAME)
            _write_listing(case, stage, rels, findings, notes, pdf, today or dt.date.today())
            rels.append(LIST_NAME)
            stage.commit()
            notes += stage.notes
    if pdf is not None:
        pdf.pdfs = [out_dir / p.name for p in pdf.pdfs]
        pdf.packet = out_dir / pdf.packet.name if pdf.packet else None
    return PackageResult(out_dir, [out_dir / r for r in rels], pdf, findings, notes)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return b.exists() and os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _copy_materials(case: Case, stage: StagedSet, base_dir: Path | None, downscale: bool,
                    notes: list[str]) -> list[str]:
    copied = []
    for material, name in zip(case.materials[: case.form.materials.max_files], package_names(case)):
        src = resolve(material, base_dir)
        if not safe_is_file(src):
            notes.append(f"支撑材料“{material.title}”找不到文件“{material.path}”，未复制。")
            continue
        rel = f"{MATERIALS_DIR}/{name}"
        if _same_file(src, stage.final(rel)):
            stage.copy_in(rel, src)  # her original is the package's copy already: left exactly as it is
        elif downscale and is_photo(src) and src.stat().st_size > PHOTO_DOWNSCALE_BYTES:
            from app.render.images import downscale_photo

            rel = f"{MATERIALS_DIR}/{Path(name).with_suffix('.jpg').name}"
            size = downscale_photo(src, stage.path(rel, version_code=None))
            notes.append(f"照片“{material.title}”已由{format_size(src.stat().st_size)}压缩为{format_size(size)}。")
        else:
            stage.copy_in(rel, src)  # a no-op when the target is the original itself
        copied.append(rel)
    return copied


def _write_listing(case: Case, stage: StagedSet, rels: list[str], findings: list[Finding], notes: list[str],
                   pdf: PdfExport | None, today: dt.date) -> None:
    from app.core.packs import pack_of

    form = case.form
    sub = form.submission
    notice = pack_of(form).notice
    if sub.due is not None:  # a form sent by its own date (附件3), not in the notice's window
        when = [f"报送时间：{sub.due.year}年{sub.due.month}月{sub.due.day}日前"]
    else:
        when = [f"报送时间：{notice.window_text()}",
                *([notice.passed_note(today)] if notice.window_passed(today) else [])]
    uploads = []
    for d in form.documents:
        formats = sub.info_formats if d.key == "info" else sub.other_formats
        sealed = "（打印、签字、加盖公章后扫描或拍照留存）" if d.key == "info" and form.fixed else ""
        uploads.append(f"{d.file_stem}：{formats}格式{sealed}")
    if form.materials.label:
        uploads.append(f"{form.materials.label}：{form.materials.hint}")
    name_label = form.field(form.name_field).label
    lines = [
        f"{form.title}报送清单",
        f"{name_label}：{case.name_text}",
        f"版本码：{stage.version_code}（每份文档页脚中的版本码，用于核对签字盖章的纸质稿与上传的文件）",
        "",
        f"依据：{pack_of(form).label}",
        *when,
        f"报送方式：{sub.where}",
        *([f"报送地址：{notice.address}"] if sub.due is None else []),
        "",
        "需要上传的文件：",
        *(f"  {i}. {u}" for i, u in enumerate(uploads, start=1)),
        "",
        "本文件夹中的文件：",
    ]
    total_materials = 0
    pages = pdf.pages if pdf is not None else {}
    for rel in rels:
        f = stage.staged(rel)
        if f.exists():
            size = f.stat().st_size
            if rel.startswith(MATERIALS_DIR + "/"):
                total_materials += size
            count = f"，{pages[f.name]}页" if f.name in pages else ""
            code = stage.entries[rel].version_code
            mark = f"，版本码{code}" if code else ""
            lines.append(f"  {rel}  {format_size(size)}{count}{mark}")
    if form.materials.label:
        lines.append(f"  {form.materials.label}合计：{len(case.materials)}件，{format_size(total_materials)}"
                     f"（限{form.materials.max_files}件、{form.materials.max_total_mb}M）")
    if pdf is None:
        lines += ["", "注意：本次没有生成PDF。"]
    lines += ["", "检查结果：", format_findings(case, findings)]
    if notes:
        lines += ["", "提示："] + [f"  {n}" for n in notes]
    # A BOM lets Windows Notepad open the UTF-8 text correctly.
    stage.write_bytes(LIST_NAME, ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


def main_package(case_path: Path, out_dir: Path, *, force: bool = False, packet_all: bool = True) -> int:
    """Exit 0 complete, 1 refused (check errors, or files edited since the last package), 2 case unreadable, 3 export failed, 4 written without PDF."""
    from app.core.settings import load_settings
    from app.render.exportcmd import print_written
    from app.render.exportset import set_id_for
    from app.render.pdf.select import choose_converter

    try:
        case = load_case(case_path)
    except CaseFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    settings = load_settings()
    from app.render.pdf.select import configured_path_note

    note = configured_path_note(settings)
    if note:
        print(note, file=sys.stderr)
    converter = choose_converter(settings, keep_warm=False)
    try:
        result = build_package(case, out_dir, converter, base_dir=case_path.parent, force=force,
                               fangsong_for_gb2312=settings.fangsong_for_gb2312, packet_all=packet_all,
                               set_id=set_id_for(case_path), policy="keep_copy" if force else "refuse")
    except PackageRefused as exc:
        print(format_findings(case, exc.findings))
        print(str(exc), file=sys.stderr)
        return 1
    except EditedSinceExport as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (RenderError, ConversionError) as exc:
        print(f"生成报送文件夹失败：{exc}", file=sys.stderr)
        return 3
    except OSError as exc:
        print(f"生成报送文件夹失败：{explain(exc)}。本次没有写入任何文件，{UNCHANGED_NOTE}", file=sys.stderr)
        return 3
    finally:
        if converter is not None:
            converter.close()
    print_written(result.files, result.notes)
    return 4 if converter is None else 0


__all__ = ["build_package", "PackageRefused", "PackageResult", "main_package", "safe_filename"]

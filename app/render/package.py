"""`yanxiu package`: the submission folder — Word and PDF files, the print packet, 支撑材料/ and 报送清单."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from app.core.casefile import CaseFileError, load_case
from app.core.checkcmd import format_findings
from app.core.materials import format_size, is_photo, package_names, resolve
from app.core.model import Case
from app.core.rules import Finding, check_case, has_errors
from app.render.docx_render import RenderError, export_docx, safe_filename
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
                  packet_all: bool = True, progress: Progress | None = None,
                  today: dt.date | None = None) -> PackageResult:
    findings = check_case(case, base_dir=base_dir)
    if has_errors(findings) and not force:
        raise PackageRefused(findings)
    out_dir = Path(out_dir)
    docx = export_docx(case, out_dir)
    files = list(docx)
    notes: list[str] = []
    pdf: PdfExport | None = None
    if converter is None:
        notes.append(NO_CONVERTER_MESSAGE)
    else:
        pdf = export_pdfs(case, docx, out_dir, converter, fangsong_for_gb2312=fangsong_for_gb2312, packet=True,
                          packet_all=packet_all, progress=progress, keep=("info",))
        files += pdf.pdfs + ([pdf.packet] if pdf.packet else [])
        notes += [n.message for n in pdf.font_notes] + pdf.warnings
    files += _copy_materials(case, out_dir / MATERIALS_DIR, base_dir, downscale_photos, notes)
    listing = out_dir / LIST_NAME
    _write_listing(case, listing, files, findings, notes, pdf, today or dt.date.today())
    files.append(listing)
    return PackageResult(out_dir, files, pdf, findings, notes)


def _copy_materials(case: Case, folder: Path, base_dir: Path | None, downscale: bool, notes: list[str]) -> list[Path]:
    if folder.exists():
        shutil.rmtree(folder)  # only ever our own folder inside the package: stale copies must not be uploaded
    if not case.materials:
        return []
    folder.mkdir(parents=True)
    copied = []
    for material, name in zip(case.materials[: case.form.materials.max_files], package_names(case)):
        src = resolve(material, base_dir)
        if not src.is_file():
            notes.append(f"支撑材料“{material.title}”找不到文件“{material.path}”，未复制。")
            continue
        target = folder / name
        if downscale and is_photo(src) and src.stat().st_size > PHOTO_DOWNSCALE_BYTES:
            from app.render.images import downscale_photo

            target = target.with_suffix(".jpg")
            size = downscale_photo(src, target)
            notes.append(f"照片“{material.title}”已由{format_size(src.stat().st_size)}压缩为{format_size(size)}。")
        else:
            shutil.copyfile(src, target)
        copied.append(target)
    return copied


def _write_listing(case: Case, path: Path, files: list[Path], findings: list[Finding], notes: list[str],
                   pdf: PdfExport | None, today: dt.date) -> None:
    from app.core.packs import pack_of

    form = case.form
    sub = form.submission
    notice = pack_of(form).notice
    info, plan, report = (form.document(k) for k in ("info", "plan", "report"))
    lines = [
        f"{form.title}报送清单",
        f"研修主题：{case.get('theme')}",
        "",
        f"依据：{pack_of(form).label}",
        f"报送时间：{notice.window_text()}",
        *([notice.passed_note(today)] if notice.window_passed(today) else []),
        f"报送方式：{sub.where}",
        f"报送地址：{notice.address}",
        "",
        "需要上传的文件：",
        f"  1. {info.file_stem}：{sub.info_formats}格式（打印、签字、加盖公章后扫描或拍照留存）",
        f"  2. {plan.file_stem}：{sub.other_formats}格式",
        f"  3. {report.file_stem}：{sub.other_formats}格式",
        f"  4. {form.materials.label}：{form.materials.hint}",
        "",
        "本文件夹中的文件：",
    ]
    total_materials = 0
    pages = pdf.pages if pdf is not None else {}
    for f in files:
        if f.exists():
            size = f.stat().st_size
            if f.parent.name == MATERIALS_DIR:
                total_materials += size
            count = f"，{pages[f.name]}页" if f.name in pages else ""
            lines.append(f"  {f.relative_to(path.parent)}  {format_size(size)}{count}")
    lines.append(f"  {form.materials.label}合计：{len(case.materials)}件，{format_size(total_materials)}"
                 f"（限{form.materials.max_files}件、{form.materials.max_total_mb}M）")
    if pdf is None:
        lines += ["", "注意：本次没有生成PDF。"]
    lines += ["", "检查结果：", format_findings(case, findings)]
    if notes:
        lines += ["", "提示："] + [f"  {n}" for n in notes]
    # A BOM lets Windows Notepad open the UTF-8 text correctly.
    path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")


def main_package(case_path: Path, out_dir: Path, *, force: bool = False, packet_all: bool = True) -> int:
    """Exit 0 complete, 1 refused (check errors), 2 case unreadable, 3 export failed, 4 written without PDF."""
    from app.core.settings import load_settings
    from app.render.pdf.select import choose_converter

    try:
        case = load_case(case_path)
    except CaseFileError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    settings = load_settings()
    converter = choose_converter(settings, keep_warm=False)
    try:
        result = build_package(case, out_dir, converter, base_dir=case_path.parent, force=force,
                               fangsong_for_gb2312=settings.fangsong_for_gb2312, packet_all=packet_all)
    except PackageRefused as exc:
        print(format_findings(case, exc.findings))
        print(str(exc), file=sys.stderr)
        return 1
    except (RenderError, ConversionError, OSError) as exc:
        print(f"生成报送文件夹失败：{exc}", file=sys.stderr)
        return 3
    finally:
        if converter is not None:
            converter.close()
    for f in result.files:
        print(f)
    for n in result.notes:
        print(n, file=sys.stderr)
    return 4 if converter is None else 0


__all__ = ["build_package", "PackageRefused", "PackageResult", "main_package", "safe_filename"]

"""Before converting: the East Asian fonts the documents ask for against the fonts installed, said in Chinese,
because LibreOffice substitutes silently (TECH-NOTES §1.6)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.render.fonts import ALTERNATIVES, SYMBOL_FONT


@dataclass(frozen=True)
class FontNote:
    requested: str
    substitute: str  # what the PDF will show instead
    use_alternative: bool  # True: we will write the alternative into the copy we convert (仿宋 for 仿宋_GB2312)
    message: str


_EAST_ASIA = re.compile(rb'<w:rFonts\b[^>]*\bw:eastAsia="([^"]+)"')


def requested_east_asian(docx_files: list[Path]) -> set[str]:
    names: set[str] = set()
    for path in docx_files:
        with zipfile.ZipFile(path) as z:
            for part in ("word/styles.xml", "word/document.xml"):
                if part in z.namelist():
                    names.update(m.decode("utf-8") for m in _EAST_ASIA.findall(z.read(part)))
    # ☑ and ☐ come from any font that has them (DejaVu, OpenSymbol, Segoe UI Symbol): not a typeface the notice asks for.
    names.discard(SYMBOL_FONT)
    return names


def installed_families() -> set[str]:
    from PySide6.QtGui import QFontDatabase

    from app.render.diagram import ensure_gui_app

    ensure_gui_app()
    return set(QFontDatabase.families())


def _fallback_family(name: str) -> str:
    """What the converter will draw instead: fontconfig's choice on Linux (LibreOffice asks fontconfig), else Qt's."""
    import shutil
    import subprocess

    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{family[0]}", f"{name}:lang=zh-cn"], capture_output=True,
                                 text=True, timeout=10).stdout.strip()
            if out:
                return out
        except (OSError, subprocess.SubprocessError):
            pass
    from PySide6.QtGui import QFont, QFontInfo

    return QFontInfo(QFont(name)).family()


def check_fonts(docx_files: list[Path], *, fangsong_for_gb2312: bool = True,
                installed: set[str] | None = None, replacements: dict[str, str] | None = None) -> list[FontNote]:
    """replacements: the converter's own font table (LibreOffice's private profile), which decides what is drawn."""
    installed = installed_families() if installed is None else installed
    replacements = replacements or {}
    notes = []
    for name in sorted(requested_east_asian(docx_files)):
        if name in installed:
            continue
        alt = next((a for a in ALTERNATIVES.get(name, ()) if a in installed), None)
        if name in replacements and not (alt and name == "仿宋_GB2312" and fangsong_for_gb2312):
            from app.render.pdf.scfaces import describe

            face = replacements[name]
            kind = "黑体类的无衬线字体" if "Sans" in face or "Hei" in face else "宋体、仿宋类的衬线字体"
            notes.append(FontNote(name, face, False,
                                  f"本机没有“{name}”字体，PDF中以“{describe(face)}”（简体中文{kind}）代替，字形与要求相近但不相同。"
                                  "在装有Word或WPS和该字体的电脑上导出的PDF与要求一致；Word文件不受影响。"))
        elif alt and name == "仿宋_GB2312" and fangsong_for_gb2312:
            notes.append(FontNote(name, alt, True, f"本机没有“{name}”字体，PDF中改用“{alt}”。国家标准（GB/T 9704）只要求仿宋体，可以放心使用；Word文件仍写为“{name}”。"))
        elif alt:
            notes.append(FontNote(name, alt, False, f"本机没有“{name}”字体，PDF中将显示为同类的“{alt}”。"))
        else:
            sub = _fallback_family(name)
            notes.append(FontNote(name, sub, False,
                                  f"本机没有“{name}”字体，PDF中将以“{sub}”代替，字形会与要求不同。建议在装有Word或WPS的电脑上导出PDF，"
                                  f"或安装“{name}”字体后重新导出；Word文件不受影响。"))
    return notes


def with_fonts_replaced(docx: Path, mapping: dict[str, str], out: Path) -> Path:
    """A copy of docx whose eastAsia font names are replaced (the original is never changed)."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename in ("word/styles.xml", "word/document.xml"):
                for old, new in mapping.items():
                    data = data.replace(f'w:eastAsia="{old}"'.encode(), f'w:eastAsia="{new}"'.encode())
            dst.writestr(item, data)
    return out

"""Choose the PDF converter a school PC has: Word, then WPS, then LibreOffice (TECH-NOTES §4.5)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from app.core.settings import Settings

if TYPE_CHECKING:
    from app.render.pdf.base import Converter

# The backends (subprocess, threads, COM) load when a converter is first chosen, not when the app opens a case.

NO_CONVERTER_MESSAGE = (
    "没有找到可以生成PDF的软件（Microsoft Word、WPS Office或LibreOffice）。Word文件已经生成，可以直接上传。"
    "如需PDF：用WPS或Word打开“案例信息表”，选择“另存为”→“PDF”；或安装LibreOffice（免费）后重新导出。"
)


def configured_path_note(settings: Settings) -> str | None:
    """A LibreOffice path in the settings that cannot be used, named, with what is used instead."""
    if not settings.soffice_path:
        return None
    from app.render.pdf.libreoffice import configured_path_problem, find_soffice

    problem = configured_path_problem(settings.soffice_path)
    if problem is None:
        return None
    found = find_soffice()
    instead = f"已改用本机安装的LibreOffice（{found}）" if found else "本机也没有找到其他LibreOffice"
    return f"设置中的LibreOffice路径“{settings.soffice_path}”{problem}，{instead}。请在设置中改正或清空这个路径。"


def available_backends(settings: Settings) -> list[str]:
    from app.render.pdf.libreoffice import find_soffice
    from app.render.pdf.officecom import WORD_PROGIDS, WPS_PROGIDS, com_available, progid_registered

    found = []
    if com_available():
        if any(progid_registered(p) for p in WORD_PROGIDS):
            found.append("word")
        if any(progid_registered(p) for p in WPS_PROGIDS):
            found.append("wps")
    if find_soffice(settings.soffice_path or None) is not None:
        found.append("libreoffice")
    return found


def choose_converter(settings: Settings, *, keep_warm: bool = True) -> "Converter | None":
    """The preferred backend if present, else the first available; None when there is none at all.
    YANXIU_PDF_BACKEND overrides the setting (used by tests and by teachers' IT support)."""
    wanted = os.environ.get("YANXIU_PDF_BACKEND") or settings.pdf_backend
    if wanted == "none":
        return None
    found = available_backends(settings)
    order = [wanted] if wanted in found else found
    from app.render.pdf.libreoffice import LibreOfficeConverter, find_soffice
    from app.render.pdf.officecom import word_converter, wps_converter

    for name in order:
        if name == "word":
            return word_converter()
        if name == "wps":
            return wps_converter()
        if name == "libreoffice":
            return LibreOfficeConverter(find_soffice(settings.soffice_path or None), keep_warm=keep_warm)
    return None


class ConverterHolder:
    """The converter chosen once per app session and kept (a warm LibreOffice makes later exports fast)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._converter: "Converter | None" = None
        self._chosen = False

    def get(self) -> "Converter | None":
        if not self._chosen:
            self._converter = choose_converter(self.settings, keep_warm=True)
            self._chosen = True
        return self._converter

    def abort(self) -> None:
        """End the converter's processes now (the window is closing while an export runs)."""
        abort = getattr(self._converter, "abort", None)
        if abort is not None:
            abort()

    def path_note(self) -> str | None:
        return configured_path_note(self.settings)

    def close(self) -> None:
        if self._converter is not None:
            self._converter.close()
        self._converter, self._chosen = None, False

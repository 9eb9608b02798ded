"""Microsoft Word and WPS Office as PDF converters through COM (Windows only; TECH-NOTES §4.3, §4.4).

Each export gets its own office instance (DispatchEx), so the teacher's open documents are never touched or
closed; documents open read-only and out of the recent-files list; the instance is quit in `finally`.
Not exercised in CI (Linux): the call sequence is unit-tested against a stand-in dispatcher.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

from app.render.pdf.base import ConversionError, Progress, check_pdf

WD_EXPORT_FORMAT_PDF = 17
WD_FORMAT_XML_DOCUMENT = 16  # .docx, for importing .doc/.wps
RPC_E_CALL_REJECTED = -2147418111
RPC_E_SERVERCALL_RETRYLATER = -2147417846

WORD_PROGIDS = ("Word.Application",)
WPS_PROGIDS = ("KWPS.Application", "WPS.Application")


def _default_dispatch(progid: str) -> Any:
    import pythoncom  # pywin32
    import win32com.client

    pythoncom.CoInitialize()  # conversions run on a worker thread
    return win32com.client.DispatchEx(progid)


def progid_registered(progid: str) -> bool:
    """WPS registers its ProgIDs per user (HKCU), Word per machine: look in both."""
    if sys.platform != "win32":
        return False
    import winreg

    for root in (winreg.HKEY_CLASSES_ROOT, winreg.HKEY_CURRENT_USER):
        sub = progid if root == winreg.HKEY_CLASSES_ROOT else rf"Software\Classes\{progid}"
        try:
            with winreg.OpenKey(root, sub + r"\CLSID"):
                return True
        except OSError:
            continue
    return False


class OfficeComConverter:
    def __init__(self, name: str, progids: tuple[str, ...], *, dispatch: Callable[[str], Any] | None = None,
                 retries: int = 8, retry_delay: float = 0.5) -> None:
        self.name = name
        self.progids = progids
        self._dispatch = dispatch or _default_dispatch
        self.retries = retries
        self.retry_delay = retry_delay

    def _call(self, fn: Callable[[], Any]) -> Any:
        """Office answers "call rejected" while it is busy starting or showing a dialog: wait and retry."""
        for attempt in range(self.retries + 1):
            try:
                return fn()
            except Exception as exc:  # pywintypes.com_error carries hresult
                code = getattr(exc, "hresult", None) or (exc.args[0] if exc.args else None)
                if code not in (RPC_E_CALL_REJECTED, RPC_E_SERVERCALL_RETRYLATER) or attempt == self.retries:
                    raise
                time.sleep(self.retry_delay)
        raise AssertionError("unreachable")

    def _start(self) -> Any:
        last: Exception | None = None
        for progid in self.progids:
            try:
                return self._dispatch(progid)
            except Exception as exc:  # "Invalid class string" when not installed
                last = exc
        raise ConversionError(f"无法启动{self.name}：{last}")

    def convert(self, docx_files: list[Path], out_dir: Path, progress: Progress | None = None) -> list[Path]:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        app = self._start()
        results = []
        try:
            self._call(lambda: setattr(app, "Visible", False))
            self._call(lambda: setattr(app, "DisplayAlerts", 0))
            for i, src in enumerate(docx_files, start=1):
                src = Path(src).resolve()
                target = out_dir / (src.stem + ".pdf")
                tmp = out_dir / f".{src.stem}.{os.getpid()}.pdf"
                doc = self._call(lambda: app.Documents.Open(str(src), False, True, False))  # ReadOnly, no recent
                try:
                    self._call(lambda: doc.ExportAsFixedFormat(str(tmp), WD_EXPORT_FORMAT_PDF))
                finally:
                    self._call(lambda: doc.Close(0))
                check_pdf(tmp)
                os.replace(tmp, target)
                results.append(target)
                if progress:
                    progress(i, len(docx_files), f"已生成 {target.name}")
        except ConversionError:
            raise
        except Exception as exc:
            raise ConversionError(f"{self.name}转换失败：{exc}。可以关闭{self.name}的对话框后重试。") from exc
        finally:
            try:
                self._call(app.Quit)  # our own instance only: DispatchEx never attaches to the teacher's
            except Exception:  # noqa: BLE001 - quitting a dead instance must not hide the real error
                pass
        return results

    def save_as_docx(self, src: Path, target: Path) -> Path:
        """Open a .doc/.wps read-only and save it as .docx (wdFormatXMLDocument), for the import; the source is
        never written."""
        app = self._start()
        try:
            self._call(lambda: setattr(app, "Visible", False))
            self._call(lambda: setattr(app, "DisplayAlerts", 0))
            doc = self._call(lambda: app.Documents.Open(str(Path(src).resolve()), False, True, False))
            try:
                self._call(lambda: doc.SaveAs2(str(Path(target).resolve()), WD_FORMAT_XML_DOCUMENT))
            finally:
                self._call(lambda: doc.Close(0))
        except ConversionError:
            raise
        except Exception as exc:
            raise ConversionError(f"{self.name}无法把“{Path(src).name}”另存为.docx：{exc}。") from exc
        finally:
            try:
                self._call(app.Quit)
            except Exception:  # noqa: BLE001 - quitting a dead instance must not hide the real error
                pass
        return Path(target)

    def close(self) -> None:
        """Nothing is kept between exports: an office instance is started and quit per export."""


def word_converter(**kw) -> OfficeComConverter:
    return OfficeComConverter("Microsoft Word", WORD_PROGIDS, **kw)


def wps_converter(**kw) -> OfficeComConverter:
    return OfficeComConverter("WPS Office", WPS_PROGIDS, **kw)


def com_available() -> bool:
    if sys.platform != "win32":
        return False
    try:
        import win32com.client  # noqa: F401
    except ImportError:
        return False
    return True

"""Old Word (.doc) and WPS (.wps) files become a temporary .docx through Word or WPS (COM, Windows) or LibreOffice.

Office programs write lock files next to whatever they open, so they convert a copy in a private folder: her file
and its folder stay exactly as they were.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

CONVERTIBLE = (".doc", ".wps", ".dot", ".wpt", ".rtf", ".odt")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TIMEOUT_S = 120


class ConvertError(Exception):
    """The file cannot be turned into a .docx; str() is a Chinese message."""


def is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def docx_copy(path: Path, work_dir: Path | None = None, com: list | None = None) -> tuple[Path, bool]:
    """(a .docx to read, whether it was converted). A .docx is read where it is, without writing anything; a
    .doc/.wps goes through Word or WPS (COM, Windows) when present, else LibreOffice. `com` replaces the office
    converters found on this PC (tests pass a stand-in)."""
    path = Path(path)
    if not path.is_file():
        raise ConvertError(f"找不到文件“{path}”。请确认文件是否已被移动或删除。")
    if is_docx(path):
        return path, False
    try:
        head = path.read_bytes()[:8]
    except OSError as exc:
        raise ConvertError(f"无法读取文件“{path.name}”：{exc.strerror or exc}。") from exc
    if path.suffix.lower() not in CONVERTIBLE and head != OLE_MAGIC:
        raise ConvertError(f"“{path.name}”不是Word文档（.docx、.doc或.wps），无法导入。")
    for converter in (office_converters() if com is None else com):
        try:
            return _office(converter, path, work_dir), True
        except ConvertError:
            continue  # Word failed on it: WPS or LibreOffice may still read it
    return _libreoffice(path, work_dir), True


TMP_PREFIX = "yanxiu-import-"


@contextmanager
def as_docx(path: Path, work_dir: Path | None = None, com: list | None = None):
    """(a .docx to read, whether it was converted), for the length of the with-block: the converted copy of her
    file (personal data) is removed from the temporary folder afterwards."""
    docx, converted = docx_copy(path, work_dir, com)
    try:
        yield docx, converted
    finally:
        if converted:
            root = next((p for p in docx.parents if p.name.startswith(TMP_PREFIX)), None)
            if root is not None:
                shutil.rmtree(root, ignore_errors=True)


def office_converters() -> list:
    """Word, then WPS, through COM on Windows when installed (app/render/pdf/officecom.py); none elsewhere."""
    import sys

    if sys.platform != "win32":
        return []
    from app.render.pdf.officecom import (WORD_PROGIDS, WPS_PROGIDS, com_available, progid_registered,
                                          word_converter, wps_converter)

    if not com_available():
        return []
    out = []
    if any(progid_registered(p) for p in WORD_PROGIDS):
        out.append(word_converter())
    if any(progid_registered(p) for p in WPS_PROGIDS):
        out.append(wps_converter())
    return out


def _office(converter, path: Path, work_dir: Path | None) -> Path:
    from app.render.pdf.base import ConversionError

    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=work_dir))
    src = tmp / ("source" + (path.suffix.lower() or ".doc"))
    shutil.copyfile(path, src)
    target = tmp / "source.docx"
    try:
        converter.save_as_docx(src, target)
    except ConversionError as exc:
        raise ConvertError(str(exc)) from exc
    if not is_docx(target):
        raise ConvertError(f"“{path.name}”无法转换为.docx。")
    return target


def _libreoffice(path: Path, work_dir: Path | None) -> Path:
    from app.render.pdf.libreoffice import _popen_kwargs, find_soffice, kill_tree

    soffice = find_soffice()
    if soffice is None:
        raise ConvertError(f"“{path.name}”是旧版Word或WPS格式，需要先转换为.docx。本机没有找到LibreOffice；"
                           f"请在Word或WPS中打开它，“另存为”Word文档（*.docx）后再导入。")
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=work_dir))
    src = tmp / ("source" + (path.suffix.lower() or ".doc"))
    shutil.copyfile(path, src)
    out = tmp / "out"
    profile = (tmp / "profile").as_uri()
    cmd = [str(soffice), f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **_popen_kwargs())
    try:
        proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        kill_tree(proc)
        raise ConvertError(f"转换“{path.name}”超时。请在Word或WPS中把它另存为.docx后再导入。") from None
    result = out / "source.docx"
    if proc.returncode != 0 or not is_docx(result):
        raise ConvertError(f"“{path.name}”无法转换为.docx，可能已损坏或不是Word文档。请在Word或WPS中打开并另存为.docx后再导入。")
    return result

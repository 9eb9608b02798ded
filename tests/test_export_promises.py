"""Export promises that need a fault or a font set faked around real parts: atomic writes under a failing disk,
and the 仿宋 substitution for a missing 仿宋_GB2312 actually reaching the converted copy. Each docstring names the
mutant it kills."""

from __future__ import annotations

import errno
import os
import stat

import pytest
from pypdf import PdfReader

from app.render.docx_render import RenderError, export_docx
from app.render.pdf.export import export_pdfs
from app.render.pdf.fontcheck import requested_east_asian
from app.render.pdf.libreoffice import LibreOfficeConverter


def test_a_disk_failure_while_writing_leaves_the_earlier_export_as_it_was(tmp_path, school_case, monkeypatch):
    """Kills write_rendered using a plain `target.write_bytes(...)` instead of atomic_write_bytes: when the disk
    fails mid-write the earlier file must stay whole, no temporary file is left, and the message says so."""
    out = tmp_path / "out"
    first = export_docx(school_case, out)
    before = {p: p.read_bytes() for p in first}
    school_case.set("summary", school_case.get("summary") + "再补充一句。")
    real_fsync = os.fsync

    def full_disk(fd):
        if stat.S_ISREG(os.fstat(fd).st_mode):  # the document's data, not the folder's entry
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(RenderError) as exc:
        export_docx(school_case, out)
    monkeypatch.undo()
    assert "之前导出的文件保持不变" in str(exc.value)
    assert {p: p.read_bytes() for p in first} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in first)


class _Recording:
    """The real LibreOffice converter, noting which East Asian fonts the copies it is given ask for."""

    def __init__(self, inner: LibreOfficeConverter) -> None:
        self.inner, self.name, self.requested = inner, inner.name, set()

    def convert(self, docx_files, out_dir, progress=None):
        self.requested = requested_east_asian(docx_files)
        return self.inner.convert(docx_files, out_dir, progress)

    def close(self):
        self.inner.close()


@pytest.fixture
def recording(soffice, lo_profile):
    conv = _Recording(LibreOfficeConverter(soffice, profile_dir=lo_profile))
    yield conv
    conv.close()


WINDOWS_FONTS = {"宋体", "黑体", "仿宋", "Times New Roman"}  # a school PC without the GB2312 faces


def test_a_missing_fangsong_gb2312_is_printed_with_fangsong(tmp_path, school_case, recording, monkeypatch):
    """Kills export_pdfs ignoring the substitution mapping (copying the documents unchanged): on a PC with 仿宋
    but no 仿宋_GB2312 the converted copy asks for 仿宋, the teacher's Word file keeps 仿宋_GB2312, and the note that
    says so is returned for the user."""
    monkeypatch.setattr("app.render.pdf.fontcheck.installed_families", lambda: set(WINDOWS_FONTS))
    docx = export_docx(school_case, tmp_path)
    result = export_pdfs(school_case, docx, tmp_path / "pdf", recording)
    assert "仿宋" in recording.requested and "仿宋_GB2312" not in recording.requested
    assert "仿宋_GB2312" in requested_east_asian(docx)  # the Word files are untouched
    [note] = result.font_notes
    assert note.requested == "仿宋_GB2312" and note.substitute == "仿宋" and note.use_alternative
    assert "GB/T 9704" in note.message
    assert all(len(PdfReader(str(p)).pages) >= 1 for p in result.pdfs)


def test_the_substitution_can_be_turned_off(tmp_path, school_case, recording, monkeypatch):
    """Kills export_pdfs applying the 仿宋 substitution although the setting (fangsong_for_gb2312) is off."""
    monkeypatch.setattr("app.render.pdf.fontcheck.installed_families", lambda: set(WINDOWS_FONTS))
    docx = export_docx(school_case, tmp_path)
    result = export_pdfs(school_case, docx, tmp_path / "pdf", recording, fangsong_for_gb2312=False, packet=False)
    assert "仿宋_GB2312" in recording.requested
    [note] = result.font_notes
    assert not note.use_alternative and "仿宋" in note.message

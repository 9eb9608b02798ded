"""The Word and WPS COM converters, driven against a stand-in dispatcher (COM itself needs Windows).

Not covered here and not exercised in CI: real Word/WPS automation; see docs/pdf.md.
"""

import pytest
from pypdf import PdfWriter

from app.render.pdf.base import ConversionError
from app.render.pdf.officecom import RPC_E_CALL_REJECTED, OfficeComConverter, wps_converter


class ComError(Exception):
    def __init__(self, hresult):
        super().__init__(hresult, "call rejected")
        self.hresult = hresult


class FakeDoc:
    def __init__(self, app, path):
        self.app, self.path = app, path

    def ExportAsFixedFormat(self, out, fmt):
        self.app.log.append(("export", fmt))
        if self.app.busy:
            self.app.busy -= 1
            raise ComError(RPC_E_CALL_REJECTED)
        if self.app.fail_export:
            raise RuntimeError("打印机驱动错误")
        w = PdfWriter()
        w.add_blank_page(595, 842)
        with open(out, "wb") as fh:
            w.write(fh)

    def Close(self, save):
        self.app.log.append(("close", save))


class FakeDocuments:
    def __init__(self, app):
        self.app = app

    def Open(self, path, confirm, read_only, add_to_recent):
        self.app.log.append(("open", read_only, add_to_recent))
        return FakeDoc(self.app, path)


class FakeApp:
    def __init__(self, busy=0, fail_export=False):
        self.log, self.busy, self.fail_export = [], busy, fail_export
        self.Documents = FakeDocuments(self)
        self.Visible = True
        self.DisplayAlerts = -1

    def Quit(self):
        self.log.append(("quit",))


def _docx(tmp_path, n=2):
    files = []
    for i in range(n):
        p = tmp_path / f"文档{i}.docx"
        p.write_bytes(b"PK")
        files.append(p)
    return files


def test_converts_read_only_in_its_own_instance_and_quits(tmp_path):
    app = FakeApp()
    conv = OfficeComConverter("Microsoft Word", ("Word.Application",), dispatch=lambda progid: app, retry_delay=0)
    pdfs = conv.convert(_docx(tmp_path), tmp_path / "out")
    assert [p.name for p in pdfs] == ["文档0.pdf", "文档1.pdf"]
    assert app.Visible is False and app.DisplayAlerts == 0
    assert app.log == [("open", True, False), ("export", 17), ("close", 0)] * 2 + [("quit",)]


def test_retries_while_office_is_busy(tmp_path):
    app = FakeApp(busy=2)
    conv = OfficeComConverter("WPS Office", ("KWPS.Application",), dispatch=lambda p: app, retry_delay=0)
    assert len(conv.convert(_docx(tmp_path, 1), tmp_path / "out")) == 1
    assert app.log.count(("export", 17)) == 3


def test_a_failing_export_still_closes_and_quits(tmp_path):
    app = FakeApp(fail_export=True)
    conv = OfficeComConverter("Microsoft Word", ("Word.Application",), dispatch=lambda p: app, retry_delay=0)
    with pytest.raises(ConversionError, match="Microsoft Word转换失败"):
        conv.convert(_docx(tmp_path, 1), tmp_path / "out")
    assert app.log[-2:] == [("close", 0), ("quit",)]
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_wps_falls_back_to_the_older_progid(tmp_path):
    app = FakeApp()
    tried = []

    def dispatch(progid):
        tried.append(progid)
        if progid == "KWPS.Application":
            raise OSError("Invalid class string")
        return app

    conv = wps_converter(dispatch=dispatch, retry_delay=0)
    conv.convert(_docx(tmp_path, 1), tmp_path / "out")
    assert tried == ["KWPS.Application", "WPS.Application"]


def test_not_installed_is_a_clear_error(tmp_path):
    def dispatch(progid):
        raise OSError("Invalid class string")

    conv = OfficeComConverter("Microsoft Word", ("Word.Application",), dispatch=dispatch)
    with pytest.raises(ConversionError, match="无法启动Microsoft Word"):
        conv.convert(_docx(tmp_path, 1), tmp_path / "out")


def test_save_as_docx_for_the_import_opens_read_only_and_quits(tmp_path):
    """The import's .doc → .docx through Word/WPS: read-only, out of the recent list, saved as format 16, quit."""
    import shutil

    from app.core.importer.convert import docx_copy
    from tests import docx_forms as B

    made = B.build(tmp_path / "made.docx", B.para("校本研修案例信息表"))
    app = FakeApp()

    def save_as2(self, target, fmt):
        app.log.append(("saveas", fmt))
        shutil.copyfile(made, target)

    FakeDoc.SaveAs2 = save_as2
    try:
        src = tmp_path / "旧表格.doc"
        src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word")
        before = src.read_bytes()
        path, converted = docx_copy(src, tmp_path, com=[OfficeComConverter("Microsoft Word", ("Word.Application",),
                                                                             dispatch=lambda progid: app)])
    finally:
        del FakeDoc.SaveAs2
    assert converted and path.read_bytes() == made.read_bytes()
    assert app.log == [("open", True, False), ("saveas", 16), ("close", 0), ("quit",)]
    assert src.read_bytes() == before and sorted(p.name for p in src.parent.iterdir() if p.is_file()) == ["made.docx", "旧表格.doc"]

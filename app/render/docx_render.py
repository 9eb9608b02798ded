"""Render a case's three Word documents through docxtpl: checked templates, sandboxed Jinja, atomic files."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from app.core.atomic import is_locked
from app.core.model import Case
from app.render import layout
from app.render.context import build_context
from app.render.templates import EXTRA_KEYS, template_path, templates_for

DOC_ORDER = ("info", "plan", "report")
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


class RenderError(Exception):
    """A document could not be produced; str() is a Chinese message that says what to do."""


class TemplateMismatch(RenderError):
    """A template asks for something the form definitions cannot provide, or misses a field."""


@dataclass(frozen=True)
class Rendered:
    doc_key: str
    title: str
    filename: str
    data: bytes


class _CheckedTemplate(Template):
    """A Jinja template whose rendered Word XML must be well-formed. docxtpl re-parses the body with a recovering
    parser that would silently drop broken markup (TECH-NOTES §2.1); this checks each rendered part first, through
    Jinja's documented template_class, so a fault stops the export instead of losing text."""

    def render(self, *args, **kwargs) -> str:
        out = super().render(*args, **kwargs)
        if out.lstrip().startswith("<"):  # a document part; docxtpl also renders core properties (plain text)
            # docxtpl turns \a \t \f into paragraphs, tabs and page breaks after rendering: not XML characters yet.
            try:
                etree.fromstring(_LISTING_CHARS.sub("", out).encode("utf-8"))
            except etree.XMLSyntaxError as exc:
                raise RenderError(f"生成的文档结构有误（{exc}），已停止导出，之前导出的文件保持不变。") from exc
        return out


COMPILED_PARTS = 32  # the parts of every template of two forms (body, headers, footers, properties), with room


class _Env(SandboxedEnvironment):
    """Sandboxed (templates are code), autoescaping, strict about undefined keys, checking what it renders."""

    template_class = _CheckedTemplate

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: OrderedDict[str, Template] = OrderedDict()
        self._compiled_lock = threading.Lock()
        self.compiled_hits = 0

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's signature
        """Jinja compiles a string afresh at every call (it caches only what a loader loads), and a preview refresh
        renders the same template parts again: a third of a render was compiling them. Compiled templates are
        immutable and safe to render from any thread, so they are kept, by their source (a template file edited
        on disk gives new source, hence a new entry)."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._compiled_lock:
            template = self._compiled.get(source)
            if template is not None:
                self._compiled.move_to_end(source)
                self.compiled_hits += 1
                return template
        template = super().from_string(source)
        with self._compiled_lock:
            self._compiled[source] = template
            while len(self._compiled) > COMPILED_PARTS:
                self._compiled.popitem(last=False)
        return template


@lru_cache(maxsize=1)
def _jinja_env() -> _Env:
    return _Env()


_LISTING_CHARS = re.compile("[\a\t\f]")


@lru_cache(maxsize=16)
def _checked_template_vars(path: str, mtime: float, expected: frozenset[str], is_report: bool) -> frozenset[str]:
    name = Path(path).name
    try:
        tpl = DocxTemplate(path)
        asked = frozenset(tpl.get_undeclared_template_variables(_jinja_env()))
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise TemplateMismatch(f"模板“{name}”不是可以读取的 Word 文档（.docx），可能已损坏或被另存为其他格式。"
                               "请重新生成模板。") from exc
    except TemplateError as exc:  # a {{ }} or {% %} tag broken while the template was edited in Word or WPS
        raise TemplateMismatch(f"模板“{name}”中的 {{{{ }}}} 或 {{% %}} 标记写法有误，Word 可能把标记拆开了。"
                               "请不要手工编辑模板，重新生成模板。") from exc
    if "{%tc" in tpl.get_xml().replace(" ", ""):
        raise TemplateMismatch(f"模板“{name}”使用了本软件不支持的列循环（{{%tc%}}）。")
    unknown = asked - expected - EXTRA_KEYS
    if unknown:
        raise TemplateMismatch(f"模板“{Path(path).name}”引用了表单定义中没有的内容：{'、'.join(sorted(unknown))}。请重新生成模板。")
    missing = (frozenset({"blocks"}) if is_report else expected) - asked
    if missing:
        raise TemplateMismatch(f"模板“{Path(path).name}”缺少表单定义中的字段：{'、'.join(sorted(missing))}。请重新生成模板。")
    return asked


def check_template(case_type: str, doc_key: str, form, directory: Path | None = None) -> Path:
    """Load-time check, as docassemble does: every key the template asks for exists, every field is printed."""
    path = template_path(case_type, doc_key, directory)
    if not path.is_file():
        raise RenderError(f"缺少文档模板“{path.name}”，安装可能不完整，请重新安装本软件。")
    doc = form.document(doc_key)
    folded = {f.other for f in form.fields if f.other}
    expected = frozenset(k for k in doc.field_keys if k not in folded) if doc.layout == "table" else frozenset()
    _checked_template_vars(str(path), path.stat().st_mtime, expected, doc.layout == "report")
    return path


def safe_filename(stem: str, theme: str) -> str:
    """案例信息表-<研修主题>.docx, safe on Windows: no reserved characters or names, no trailing dots, short."""
    theme = _WINDOWS_FORBIDDEN.sub("", theme)
    theme = re.sub(r"\s+", " ", theme).strip(" .")[:40].strip(" .")
    name = f"{stem}-{theme}" if theme else stem
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    return name


def render_document(case: Case, doc_key: str, code: str | None = None,
                    page_starts: dict[str, tuple[int, ...]] | None = None) -> Rendered:
    """One document in memory, verified, ready to be written; page_starts: where a converted PDF began pages inside
    a tool table (app/render/continued.py)."""
    form = case.form
    doc = form.document(doc_key)
    path = check_template(case.case_type, doc_key, form, templates_for(form))
    tpl = DocxTemplate(str(path))

    parts = []  # the flowchart's pictures, in document order, for their alt text

    def image(stages):
        from app.render.diagram import document_parts

        drawn = document_parts(stages)
        parts.extend(drawn)
        return [InlineImage(tpl, io.BytesIO(part.png), width=Mm(part.width_mm), height=Mm(part.height_mm))
                for part in drawn]

    context = build_context(case, doc_key, image, code, page_starts)
    try:
        tpl.render(context, _jinja_env(), autoescape=True)
    except RenderError:
        raise
    except Exception as exc:  # docxtpl reports template faults as assorted exceptions
        raise RenderError(f"生成《{doc.title}》时出错：{exc}。案例文件和之前导出的文件均未改动。") from exc
    if parts:
        _describe_pictures(tpl.docx, [part.alt_text for part in parts])
    if doc.layout == "table":
        _release_rows_taller_than_a_page(tpl.docx)
    _set_properties(tpl.docx, case, doc.title)
    from app.render.unprinted import add_unprinted

    add_unprinted(tpl.docx, case, doc_key)
    buf = io.BytesIO()
    tpl.save(buf)
    data = with_app_properties(buf.getvalue())
    theme = case.name_text
    return Rendered(doc_key, doc.title, safe_filename(doc.file_stem, theme) + ".docx", data)


def render_case(case: Case, docs=None) -> list[Rendered]:
    from app.render.context import version_code

    code = version_code(case)  # the same in every footer; hashing the case once is enough
    docs = docs or tuple(d.key for d in case.form.documents)  # a pack's form may have one document
    return [render_document(case, d, code) for d in docs]


def check_locks(out_dir: Path, names: list[str]) -> None:
    """A target open in Word or WPS stops the export before anything is written."""
    out_dir = Path(out_dir)
    locked = [n for n in names if is_locked(out_dir / n)]
    if locked:
        raise RenderError(f"文件“{'、'.join(locked)}”正被Word或WPS打开，请关闭后重试。之前导出的文件保持不变。")


def export_docx(case: Case, out_dir: Path, docs=None, *, set_id: str | None = None,
                policy: str = "refuse") -> list[Path]:
    """The form's Word files as one all-or-nothing set (app/render/exportset.py)."""
    from app.render.exportset import UNSAVED_SET, export_set

    if docs is not None and tuple(docs) != tuple(d.key for d in case.form.documents):
        raise ValueError("an export writes all of the form's documents")
    return export_set(case, out_dir, set_id=set_id or UNSAVED_SET, policy=policy).files


APP_PROPERTIES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>{application}</Application>\
<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>\
<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"""


def with_app_properties(data: bytes) -> bytes:
    """The package with docProps/app.xml naming this app and its version, and without the statistics (pages,
    words, characters) that Word and WPS recount themselves: any figure written here before they do would be
    wrong. python-docx has no API for these extended properties; the package is a zip, rewritten with zipfile."""
    import zipfile

    from markupsafe import escape  # not xml.sax.saxutils: it imports urllib.request, http.client and ssl (~1 MB)

    from app import APP_TITLE, __version__

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/app.xml":
                body = APP_PROPERTIES.format(application=str(escape(f"{APP_TITLE} {__version__}"))).encode("utf-8")
            dst.writestr(item, body)
    return out.getvalue()


ROW_LINE_MM = 5.6  # a 五号 line in a table cell, with the cell's spacing
MAX_WHOLE_ROW_MM = 200.0  # a row kept whole must fit the form page's 250 mm with room to start below other rows


def _release_rows_taller_than_a_page(document) -> None:
    """A sub-section kept in one unsplittable row (its heading with its table) would be cut off at the foot of
    the page if it is taller than a page — Word clips such a row. Estimated from the text and the column widths,
    such a row may split between its table's rows instead. Rows of nested tables too: a 类别 of the tool table
    taller than a page would otherwise be moved whole to a page of its own, leaving the column heads repeated before
    it alone (app/render/continued.py)."""
    for tbl in document.element.body.iter(qn("w:tbl")):
        for tr in tbl.findall(qn("w:tr")):
            trPr = tr.find(qn("w:trPr"))
            cant = trPr.find(qn("w:cantSplit")) if trPr is not None else None
            if cant is not None and tr.findall(qn("w:tc") + "/" + qn("w:tbl")) and \
                    _row_lines(tr) * ROW_LINE_MM > MAX_WHOLE_ROW_MM:
                trPr.remove(cant)


def _row_lines(tr) -> int:
    return max((_cell_lines(tc) for tc in tr.findall(qn("w:tc"))), default=1)


def _cell_lines(tc) -> int:
    import math

    tcW = tc.find(qn("w:tcPr") + "/" + qn("w:tcW"))
    width = int(tcW.get(qn("w:w"))) if tcW is not None and (tcW.get(qn("w:w")) or "").isdigit() else 2000
    per_line = max(1, (width - 216) // 210)  # 10.5 pt characters (210 twips), less the cell margins
    lines = 0
    for child in tc:
        if child.tag == qn("w:p"):
            lines += max(1, math.ceil(len("".join(t.text or "" for t in child.iter(qn("w:t")))) / per_line))
        elif child.tag == qn("w:tbl"):
            lines += sum(_row_lines(row) for row in child.findall(qn("w:tr")))
    return lines


def _describe_pictures(document, texts: list[str]) -> None:
    """Alt text (Word's 可选文字, a screen reader's text) for the flowchart pictures, in document order: the stages
    as text, so every character reaches the document even where a picture cannot be read."""
    pictures = list(document.element.body.iter(qn("wp:docPr")))
    for pic, text in zip(pictures, texts):
        pic.set("descr", text)
        pic.set("title", text.split("：", 1)[0])


def _keep_rows_together(rows) -> None:
    """A category's rows stay on one page (Word and LibreOffice keep a row whose paragraphs are marked keep-with-next
    on the page of the next row), so a 类别 never continues beside an empty merged cell."""
    for tr in rows[:-1]:
        for p in tr.iter(qn("w:p")):
            ppr = p.get_or_add_pPr()
            if ppr.find(qn("w:keepNext")) is None:
                ppr.insert(0 if ppr.find(qn("w:pStyle")) is None else 1, ppr.makeelement(qn("w:keepNext"), {}))


def _set_properties(document, case: Case, title: str) -> None:
    """Core properties from the case and the export, none of the template's: created and modified now, the
    first revision, nothing printed."""
    import datetime as dt

    from app import APP_TITLE

    def cap(text: str) -> str:  # OOXML core properties hold at most 255 characters
        return text[:255]

    cp = document.core_properties
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)  # python-docx writes naive as UTC
    cp.created = cp.modified = now
    cp.revision = 1
    cp.language = "zh-CN"
    cp.category = cap(case.form.title)
    theme = case.name_text
    cp.title = cap(f"{title}：{theme}" if theme else title)
    cp.subject = cap(case.form.title)
    authors = case.get("authors") if case.form.has_field("authors") else []
    cp.author = cap(authors[0]["name"] if authors and authors[0].get("name") else "")
    cp.last_modified_by = ""
    cp.comments = f"由{APP_TITLE}生成"
    cp.keywords = cap("；".join(case.get("keywords")) if case.form.has_field("keywords") else "")

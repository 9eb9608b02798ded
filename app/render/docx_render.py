"""Render a case's three Word documents through docxtpl: checked templates, sandboxed Jinja, atomic files."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from app.core.atomic import FileLockedError, atomic_write_bytes, is_locked
from app.core.model import Case
from app.render import layout
from app.render.context import build_context
from app.render.templates import EXTRA_KEYS, template_path

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


class _Env(SandboxedEnvironment):
    """Sandboxed (templates are code), autoescaping, strict about undefined keys, checking what it renders."""

    template_class = _CheckedTemplate

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)


@lru_cache(maxsize=1)
def _jinja_env() -> _Env:
    return _Env()


_LISTING_CHARS = re.compile("[\a\t\f]")


@lru_cache(maxsize=16)
def _checked_template_vars(path: str, mtime: float, expected: frozenset[str], is_report: bool) -> frozenset[str]:
    tpl = DocxTemplate(path)
    asked = frozenset(tpl.get_undeclared_template_variables(_jinja_env()))
    tpl.init_docx()
    if "{%tc" in tpl.get_xml().replace(" ", ""):
        raise TemplateMismatch(f"模板“{Path(path).name}”使用了本软件不支持的列循环（{{%tc%}}）。")
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


def render_document(case: Case, doc_key: str, code: str | None = None) -> Rendered:
    """One document in memory, verified, ready to be written."""
    form = case.form
    doc = form.document(doc_key)
    path = check_template(case.case_type, doc_key, form)
    tpl = DocxTemplate(str(path))

    def image(stages):
        from app.render.diagram import document_png

        return InlineImage(tpl, io.BytesIO(document_png(stages)), width=Mm(layout.DIAGRAM_WIDTH_MM))

    context = build_context(case, doc_key, image, code)
    try:
        tpl.render(context, _jinja_env(), autoescape=True)
    except RenderError:
        raise
    except Exception as exc:  # docxtpl reports template faults as assorted exceptions
        raise RenderError(f"生成《{doc.title}》时出错：{exc}。案例文件和之前导出的文件均未改动。") from exc
    if any(case.form.field(k).kind == "checklist" for k in doc.field_keys):
        _merge_checklist_categories(tpl.docx)
    _set_properties(tpl.docx, case, doc.title)
    buf = io.BytesIO()
    tpl.save(buf)
    data = buf.getvalue()
    theme = case.get("theme")
    return Rendered(doc_key, doc.title, safe_filename(doc.file_stem, theme) + ".docx", data)


def render_case(case: Case, docs=DOC_ORDER) -> list[Rendered]:
    from app.render.context import version_code

    code = version_code(case)  # the same in every footer; hashing the case once is enough
    return [render_document(case, d, code) for d in docs]


def write_rendered(rendered: list[Rendered], out_dir: Path) -> list[Path]:
    """Write all files or none: every target is checked for locks first, then each is written atomically."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"无法创建输出文件夹“{out_dir}”：{exc.strerror or exc}。请换一个文件夹。") from exc
    targets = [out_dir / r.filename for r in rendered]
    locked = [t for t in targets if is_locked(t)]
    if locked:
        names = "、".join(t.name for t in locked)
        raise RenderError(f"文件“{names}”正被Word或WPS打开，请关闭后重试。之前导出的文件保持不变。")
    written = []
    for r, target in zip(rendered, targets):
        try:
            atomic_write_bytes(target, r.data)
        except FileLockedError as exc:
            raise RenderError(f"文件“{target.name}”正被其他程序占用，请关闭Word或WPS后重试。之前导出的文件保持不变。") from exc
        except OSError as exc:
            raise RenderError(f"无法写入“{target}”：{exc.strerror or exc}。之前导出的文件保持不变。") from exc
        written.append(target)
    return written


def export_docx(case: Case, out_dir: Path, docs=DOC_ORDER) -> list[Path]:
    return write_rendered(render_case(case, docs), out_dir)


def _merge_checklist_categories(document) -> None:
    """The official tool table shows each 类别 once, spanning its rows."""
    for table in document.element.body.iter(qn("w:tbl")):
        rows = table.findall(qn("w:tr"))
        if not rows or _cell_text(rows[0], 0) != "类别":
            continue
        start = 1
        while start < len(rows):
            cat = _cell_text(rows[start], 0)
            end = start
            while end + 1 < len(rows) and _cell_text(rows[end + 1], 0) == cat:
                end += 1
            if end > start:
                for i in range(start, end + 1):
                    tc = rows[i].findall(qn("w:tc"))[0]
                    tcPr = tc.get_or_add_tcPr()
                    vm = tcPr.makeelement(qn("w:vMerge"), {})
                    if i == start:
                        vm.set(qn("w:val"), "restart")
                    else:
                        for t in tc.iter(qn("w:t")):
                            t.text = ""
                    tcPr.append(vm)
            start = end + 1


def _cell_text(tr, index: int) -> str:
    cells = tr.findall(qn("w:tc"))
    if index >= len(cells):
        return ""
    return "".join(t.text or "" for t in cells[index].iter(qn("w:t")))


def _set_properties(document, case: Case, title: str) -> None:
    from app import APP_TITLE

    def cap(text: str) -> str:  # OOXML core properties hold at most 255 characters
        return text[:255]

    cp = document.core_properties
    theme = case.get("theme")
    cp.title = cap(f"{title}：{theme}" if theme else title)
    cp.subject = cap(case.form.title)
    authors = case.get("authors") if case.form.has_field("authors") else []
    cp.author = cap(authors[0]["name"] if authors and authors[0].get("name") else "")
    cp.last_modified_by = ""
    cp.comments = f"由{APP_TITLE}生成"
    cp.keywords = cap("；".join(case.get("keywords")) if case.form.has_field("keywords") else "")

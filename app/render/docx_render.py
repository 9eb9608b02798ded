"""Render a case's three Word documents through docxtpl: checked templates, sandboxed Jinja, atomic files."""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from app.core.atomic import FileLockedError, atomic_write_bytes, is_locked
from app.core.model import Case
from app.render import layout
from app.render.context import build_context
from app.render.docxzip import save_package
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


def _memo(cache: dict, key, make, limit: int = 64):
    """cache[key], computing it once; the caches below hold results that depend on a template alone."""
    value = cache.get(key)
    if value is None:
        if len(cache) >= limit:
            cache.clear()
        value = cache[key] = make()
    return value


class _Env(SandboxedEnvironment):
    """Sandboxed, autoescaping, strict; docxtpl compiles a template's whole XML on every render, so the
    compiled form is kept per source text (templates are immutable, the cache is only an optimisation)."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: dict[str, object] = {}

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return _memo(self._compiled, source, lambda: super(_Env, self).from_string(source))


@lru_cache(maxsize=1)
def _jinja_env() -> _Env:
    return _Env()


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_MARK_PARAGRAPH = re.compile(r"<w:p([ >])")
_UNMARK_PARAGRAPH = re.compile(r"\n<w:p([ >])")
_LISTING_CHARS = re.compile("[\a\t\n\f]")


class _Template(DocxTemplate):
    r"""docxtpl, made safer and cheaper:
    - the rendered body is parsed strictly: docxtpl's recovering parser would silently drop broken markup
      (TECH-NOTES §2.1); its only other job, fixing {%tc%} column loops, is one our templates never need;
    -  	 
  are resolved only in the paragraphs that contain them;
    - everything that depends on the template alone — parsing it, its part XML, docxtpl's patching and paragraph
      marks — is done once per template file; each render starts from a deep copy of the parsed template;
    - the core properties are not rendered as templates: they are written from the case afterwards."""

    _parsed: dict[tuple[str, float], object] = {}  # (template, mtime) → the parsed, never-rendered Document
    _xml: dict[tuple, str] = {}  # (template, mtime, part) → that part's XML as text
    _patched: dict[str, str] = {}  # template XML → docxtpl's patched XML
    _prepared: dict[str, str] = {}  # patched XML → with the paragraph marks docxtpl adds before compiling

    def init_docx(self, reload: bool = True) -> None:
        """Parse each template once; every render works on a deep copy (2.6× cheaper than parsing again)."""
        if not self.docx or (self.is_rendered and reload):
            path = Path(self.template_file)
            self._template_key = (str(path), path.stat().st_mtime)
            original = _memo(self._parsed, self._template_key, lambda: Document(str(path)))
            self.docx = copy.deepcopy(original)
            self.is_rendered = False

    def get_xml(self):
        return _memo(self._xml, (*self._template_key, "body"), super().get_xml)

    def get_part_xml(self, part):
        return _memo(self._xml, (*self._template_key, str(part.partname)),
                     lambda: super(_Template, self).get_part_xml(part))

    def patch_xml(self, src_xml):
        return _memo(self._patched, src_xml, lambda: super(_Template, self).patch_xml(src_xml))

    def fix_tables(self, xml):
        try:
            return etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml)
        except etree.XMLSyntaxError as exc:
            raise RenderError(f"生成的文档结构有误（{exc}），已停止导出，之前导出的文件保持不变。") from exc

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        """docxtpl's render_xml_part, with the template-only preparation (a newline before each paragraph, so
        Jinja errors carry line numbers) done once per template part instead of on every render."""
        prepared = _memo(self._prepared, src_xml, lambda: _MARK_PARAGRAPH.sub(r"\n<w:p\1", src_xml))
        self.current_rendering_part = part
        dst_xml = jinja_env.from_string(prepared).render(context)
        dst_xml = _UNMARK_PARAGRAPH.sub(r"<w:p\1", dst_xml)
        dst_xml = dst_xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self.resolve_listing(dst_xml)

    def render_properties(self, context, jinja_env=None):
        """Core properties are set from the case after rendering (_set_properties); the templates' own hold no tags."""

    def resolve_listing(self, xml):
        resolve = super().resolve_listing
        return _PARAGRAPH.sub(lambda m: resolve(m.group(0)) if _LISTING_CHARS.search(m.group(0)) else m.group(0), xml)


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
    path = check_template(case.case_type, doc_key, form, templates_for(form))
    tpl = _Template(str(path))

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
    save_package(tpl.docx, buf)
    data = buf.getvalue()
    theme = case.name_text
    return Rendered(doc_key, doc.title, safe_filename(doc.file_stem, theme) + ".docx", data)


def render_case(case: Case, docs=None) -> list[Rendered]:
    from app.render.context import version_code

    code = version_code(case)  # the same in every footer; hashing the case once is enough
    docs = docs or tuple(d.key for d in case.form.documents)  # a pack's form may have one document
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


def export_docx(case: Case, out_dir: Path, docs=None) -> list[Path]:
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
    theme = case.name_text
    cp.title = cap(f"{title}：{theme}" if theme else title)
    cp.subject = cap(case.form.title)
    authors = case.get("authors") if case.form.has_field("authors") else []
    cp.author = cap(authors[0]["name"] if authors and authors[0].get("name") else "")
    cp.last_modified_by = ""
    cp.comments = f"由{APP_TITLE}生成"
    cp.keywords = cap("；".join(case.get("keywords")) if case.form.has_field("keywords") else "")

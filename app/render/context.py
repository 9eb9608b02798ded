"""Turn a case into the values each template prints: escaped text, real paragraphs, checkboxes, rows, the diagram."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable

from docxtpl import RichText
from markupsafe import Markup, escape

from app.core.forms import Field, FormDef
from app.core.model import Case
from app.core.printed import group_lines, report_blocks
from app.core.textclean import paragraphs
from app.render.templates import CHECKBOX_STYLE

CHECKED, UNCHECKED = "☑", "☐"
# Options per printed line, as the official form lays them out.
OPTIONS_PER_LINE = {"curriculum.subjects": 6, "curriculum.stages": 2, "curriculum.grades": 6}
PARAGRAPH = Markup("\a")  # docxtpl turns it into a new paragraph with the template paragraph's formatting


def esc(text: str) -> Markup:
    """Escape for XML, and hide "_" from docxtpl, which would turn a typed "{_{" into "{{" after rendering."""
    return Markup(str(escape(text)).replace("_", "&#95;"))


def paragraphs_markup(text: str) -> Markup:
    return PARAGRAPH.join(esc(p) for p in paragraphs(text))


def version_code(case: Case) -> str:
    """Eight characters derived from the case content alone: the signed paper copy and the uploaded files match."""
    payload = json.dumps({"case_type": case.case_type, "fields": case.values}, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest().upper()
    return f"{digest[:4]}-{digest[4:8]}"


def checkboxes(form: FormDef, f: Field, chosen: list[str]) -> RichText:
    options = list(form.options(f.options_from))
    options += [c for c in chosen if c not in options]  # anything typed outside the list is printed too
    per_line = OPTIONS_PER_LINE.get(f.options_from, 4)
    rt = RichText()
    for i, option in enumerate(options):
        if i and i % per_line == 0:
            rt.add("\n")
        elif i:
            rt.add("　")
        rt.add(CHECKED if option in chosen else UNCHECKED, style=CHECKBOX_STYLE)
        add_literal(rt, option)
    return rt


def add_literal(rt: RichText, text: str) -> None:
    """RichText.add escapes XML but not "_", so a typed "{_{" (a 科目 outside the list) would come out as "{{"
    after docxtpl's post-processing. The run XML RichText writes has no "_" of its own (w:r, w:t,
    xml:space), so every "_" in what it added is the teacher's; a test fails if an upgrade changes that."""
    start = len(rt.xml)
    rt.add(text)
    rt.xml = rt.xml[:start] + rt.xml[start:].replace("_", "&#95;")


def checklist_entries(case: Case, f: Field) -> list[tuple[str, str, bool]]:
    """The tool table's rows in document order as (类别, 具体, applied), the 其他 row last."""
    checklist = case.form.checklist(f)
    chosen = case.get(f.key)
    rows = [(cat, item, item in chosen.get(cat, [])) for cat, item in checklist.rows]
    if f.other:
        text = case.get(f.other)
        rows.append((case.form.field(f.other).label, text, bool(text)))
    return rows


def checklist_rows(case: Case, f: Field, starts: tuple[int, ...] = ()) -> list[dict[str, Any]]:
    """The tool table by 类别: each category one row of the document (it does not split across pages) holding its
    items; the 其他 row last. `starts` are the rows (indices into checklist_entries) that begin a page in the
    converted document (app/render/continued.py): the column heads are repeated there (Word and LibreOffice repeat
    no header row of a table inside a cell), and a category broken there goes on as "<类别>（续）"."""
    from app.core.platform import CONTINUED

    mark = case.form.checklist(f).applied
    cut = set(starts)
    groups: list[dict[str, Any]] = []
    last = None
    for i, (cat, item, applied) in enumerate(checklist_entries(case, f)):
        if cat != last or i in cut:
            label = cat if cat != last else cat + CONTINUED
            groups.append({"category": esc(label), "entries": [], "head": bool(groups) and i in cut})
            last = cat
        groups[-1]["entries"].append({"item": esc(item), "applied": esc(mark if applied else "")})
    return groups


def field_value(case: Case, f: Field, image: Callable[[list[dict]], Any], starts: tuple[int, ...] = ()) -> Any:
    value = case.get(f.key)
    k = f.kind
    if k == "text":
        return paragraphs_markup(value)
    if k in ("line", "choice", "date"):
        return esc(value)
    if k == "tags":
        return esc("；".join(value))
    if k == "number":
        return esc("" if value is None else f"{value:g}")
    if k == "multi":
        return checkboxes(case.form, f, value)
    if k == "table":
        return [{c.key: esc(row.get(c.key, "")) for c in f.columns} for row in value if any(row.values())]
    if k == "group":
        return PARAGRAPH.join(esc(line) for line in group_lines(f, value))
    if k == "checklist":
        return checklist_rows(case, f, starts)
    if k == "stages":
        return image(value) if value else []  # the flowchart's page-sized pictures, one table row each
    raise AssertionError(k)


def build_context(case: Case, doc_key: str, image: Callable[[list[dict]], Any], code: str | None = None,
                  page_starts: dict[str, tuple[int, ...]] | None = None) -> dict[str, Any]:
    """Everything one document's template asks for, keyed as the template asks; page_starts: per tool table, the rows
    that begin a page (checklist_rows)."""
    doc = case.form.document(doc_key)
    ctx: dict[str, Any] = {"version_code": code or version_code(case)}
    if doc.layout == "report":
        ctx["blocks"] = [{"level": b.level, "text": esc(b.text)} for b in report_blocks(case)]
        return ctx
    folded = {f.other for f in case.form.fields if f.other}
    for key in doc.field_keys:
        if key not in folded:
            ctx[key] = field_value(case, case.form.field(key), image, (page_starts or {}).get(key, ()))
    return ctx

"""A tool table continued on the next page reads "管理工具（续）" under its column heads: found from the converted
PDF's page texts (PDFium), then rendered and converted again with the category split where the page broke.

Why from the PDF: only a real layout knows where a page breaks, Word and LibreOffice relabel no merged or split
cell, and neither repeats the header row of a table nested in a cell (the tool table sits in the plan's 平台支撑
cell). A category that fits a page never needs this (each 类别 is a row that cannot split); one taller than a page
(a platform list longer than today's) is split at the row the page begins with. The built-in list fits one page,
so an ordinary export converts once and only reads the page texts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from app.core.model import Case
from app.render.context import checklist_entries

log = logging.getLogger(__name__)

ROUNDS = 4  # a header row added at one break moves the later ones; a table spans few pages
_SPACE = re.compile(r"\s+")


def _flat(text: str) -> str:
    return _SPACE.sub("", text or "")


def table_fields(case: Case, doc_key: str) -> list:
    doc = case.form.document(doc_key)
    return [case.form.field(k) for k in doc.field_keys if case.form.field(k).kind == "checklist"]


def page_starts(page_texts: list[str], case: Case, f) -> tuple[int, ...]:
    """The rows of f's tool table (indices into checklist_entries) that begin a page: each row's 具体 is looked for
    in reading order after the table's sub-heading and column heads. () when the table is not found whole."""
    flat = [_flat(t) for t in page_texts]
    joined = "".join(flat)
    ends, total = [], 0
    for t in flat:
        total += len(t)
        ends.append(total)

    def page_of(pos: int) -> int:
        return next(i for i, end in enumerate(ends) if pos < end)

    heads = _flat("".join(case.form.checklist(f).columns))
    pos = joined.find(_flat(f.display_label))
    pos = joined.find(heads, max(pos, 0)) if pos >= 0 else -1
    if pos < 0:
        return ()
    pos += len(heads)
    pages: list[int | None] = []
    for _cat, item, _applied in checklist_entries(case, f):
        needle = _flat(item)
        if not needle:
            pages.append(None)  # an empty 其他 row: nothing to find, nothing to label
            continue
        found = joined.find(needle, pos)
        if found < 0:
            return ()
        pages.append(page_of(found))
        pos = found + len(needle)
    starts, last = [], None
    for i, page in enumerate(pages):
        if page is None:
            continue
        if last is not None and page > last:
            starts.append(i)
        last = page
    return tuple(starts)


def settle(case: Case, doc_key: str, pdf: Path, redo: Callable[[dict[str, tuple[int, ...]]], Path], *,
           texts: Sequence[str] | None = None) -> Path:
    """The document's final PDF: pdf itself when no tool table crosses a page; else redo(page_starts) — render
    and convert again with the tables split there — until the breaks stay where the labels are. `texts`: pdf's
    page texts (whitespace removed) when the caller has read them already."""
    from app.render.pdfium import page_texts

    fields = table_fields(case, doc_key)
    if not fields:
        return pdf
    current: dict[str, tuple[int, ...]] = {}
    for _ in range(ROUNDS):
        if texts is None:
            texts = page_texts(Path(pdf))
        found = {f.key: s for f in fields if (s := page_starts(texts, case, f))}
        if found == current:
            return pdf
        current = found
        pdf, texts = redo(current), None
    log.warning("the tool table's page breaks kept moving after %d renderings; the last one is kept", ROUNDS)
    return pdf


def settle_documents(case: Case, keys: list[str], docx_files: list[Path], pdfs: list[Path], converter,
                     work_dir: Path, *, fonts: dict[str, str] | None = None, code: str | None = None,
                     texts: dict[str, Sequence[str]] | None = None) -> list[Path]:
    """settle() for each converted document: a document rendered again is written over its Word file (the Word file
    and its PDF stay one rendering) and converted alone, through the same font substitutions (`fonts`). `texts`:
    page texts by document, where the caller has read them already."""
    import shutil

    from app.render.docx_render import render_document
    from app.render.pdf.fontcheck import with_fonts_replaced

    out = list(pdfs)
    for i, (key, docx) in enumerate(zip(keys, docx_files)):
        if not table_fields(case, key):
            continue
        count = [0]

        def redo(starts, key=key, docx=Path(docx), count=count):
            count[0] += 1
            docx.write_bytes(render_document(case, key, code, starts).data)
            folder = Path(work_dir) / f"continued-{key}-{count[0]}"
            folder.mkdir(parents=True)
            copy = folder / docx.name
            if fonts:
                with_fonts_replaced(docx, fonts, copy)
            else:
                shutil.copyfile(docx, copy)
            return converter.convert([copy], folder / "pdf")[0]

        out[i] = settle(case, key, Path(pdfs[i]), redo, texts=(texts or {}).get(key))
    return out

"""Carry the fields no page can show — the flowchart's stages (printed as a picture), 课程内容 (printed nowhere) —
in a custom document property, so importing the app's own documents gives back the whole case."""

from __future__ import annotations

import json

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from markupsafe import escape  # not xml.sax.saxutils: it imports urllib.request, http.client and ssl (5 MB)

from app.core.importer.reader import UNPRINTED_PROPERTY
from app.core.model import Case

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id Word gives user-defined properties


def unprinted_fields(case: Case, doc_key: str) -> dict:
    """The fields of this document that print as a picture, and (on the info sheet) those printed nowhere."""
    out = {}
    for f in case.form.fields:
        if (f.kind == "stages" and doc_key in f.documents) or (not f.documents and doc_key == "info"):
            out[f.key] = case.get(f.key)
    return out


def add_unprinted(document, case: Case, doc_key: str) -> None:
    values = unprinted_fields(case, doc_key)
    if not values:
        return
    payload = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
           f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           f'<property fmtid="{FMTID}" pid="2" name="{UNPRINTED_PROPERTY}"><vt:lpwstr>{escape(payload)}</vt:lpwstr>'
           f'</property></Properties>')
    package = document.part.package
    if any(p.partname == "/docProps/custom.xml" for p in package.iter_parts()):
        # Our templates (tools/build_templates.py) carry no custom properties; should one ever gain some, the
        # round-trip tests fail (the stages would not come back) rather than two parts of one name being written.
        return
    part = Part(PackURI("/docProps/custom.xml"), CONTENT_TYPE, xml.encode("utf-8"), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)

"""Find the docxtpl templates and check each against the form definitions before it is used (as docassemble does)."""

from __future__ import annotations

from pathlib import Path

from app import paths

CHECKBOX_STYLE = "YxBox"  # character style of the ☑ / ☐ glyphs
# Context keys a template may use besides the fields of its document.
EXTRA_KEYS = frozenset({"version_code", "blocks"})


def template_path(case_type: str, doc_key: str, directory: Path | None = None) -> Path:
    return (directory or paths.templates_dir()) / f"{case_type}-{doc_key}.docx"


def templates_for(form) -> Path:
    """The templates of the pack a form definition was loaded from (templates_docx/ beside its forms/)."""
    if not form.source:
        return paths.templates_dir()
    return Path(form.source).parent.parent / "templates_docx"

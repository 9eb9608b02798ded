"""Where the teacher stands on each wizard page: the check's own findings (the same rules, not a second set)
counted per page, and whether she has filled anything there yet."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.model import Case, empty_value
from app.core.rules import Finding

MATERIALS = "materials"  # the 支撑材料 page, which no form page key names


@dataclass(frozen=True)
class PageState:
    errors: int = 0
    warnings: int = 0
    started: bool = False

    @property
    def text(self) -> str:
        """What the page list shows beside the page's title: a page not begun is not a page full of errors."""
        if not self.started:
            return "未填写"
        if self.errors:
            return f"{self.errors}个问题"
        return "已完成" + (f"（{self.warnings}个提醒）" if self.warnings else "")

    @property
    def state(self) -> str:  # a counter.COLORS key
        return "muted" if not self.started else "over" if self.errors else "good"


def page_states(case: Case, findings: list[Finding]) -> dict[str, PageState]:
    """One state per form page key, and MATERIALS."""
    form = case.form
    counts = {p.key: [0, 0] for p in form.pages}
    counts[MATERIALS] = [0, 0]
    for f in findings:
        page = form.field(f.field).page if f.field and form.has_field(f.field) else MATERIALS
        counts[page][0 if f.is_error else 1] += 1
    started = {p.key: any(case.get(f.key) != empty_value(f) for f in form.fields_on_page(p.key)) for p in form.pages}
    started[MATERIALS] = bool(case.materials)
    return {k: PageState(e, w, started[k]) for k, (e, w) in counts.items()}

"""What the curriculum cascade fills in when 科目 or 课程内容 change, as a pure function: the change and its
consequences are one edit (one undo step), and an undo restores all of them."""

from __future__ import annotations

from typing import Any

from app.core.curriculum import grade_label
from app.core.model import Case


def derived_changes(case: Case, key: str, value: Any) -> dict[str, Any]:
    """Other fields to set when `key` becomes `value` (case still holds the old values). Suggestions only fill
    what the teacher has not filled: grades and stages when none is ticked, 课程内容依据 while it is empty or
    still the text composed for the previous choice."""
    form = case.form
    if key not in ("subject", "content_items") or not all(
            form.has_field(k) for k in ("subject", "content_items", "grades", "stages", "content_basis")):
        return {}
    cur = form.curriculum

    def state(k: str) -> Any:
        return value if k == key else case.get(k)

    def single(subjects: list[str]) -> str:
        return subjects[0] if len(subjects) == 1 else ""

    subject, chosen = single(state("subject")), state("content_items")
    old_subject, old_chosen = single(case.get("subject")), case.get("content_items")
    out: dict[str, Any] = {}
    s = cur.subject(subject) if subject else None
    if s is not None and chosen and all(s.item(c) for c in chosen):
        sugg = cur.suggest(subject, chosen)
        if not case.get("grades"):
            out["grades"] = [grade_label(g) for g in sugg.grades]
        if not case.get("stages"):
            out["stages"] = list(cur.stages_for_grades(sugg.grades))
    if subject and chosen:
        basis = case.get("content_basis")
        previous = cur.compose_basis(old_subject, old_chosen) if old_subject and old_chosen else ""
        if not basis or basis == previous:
            out["content_basis"] = cur.compose_basis(subject, chosen)
    return out

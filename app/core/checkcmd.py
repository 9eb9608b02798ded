"""`yanxiu check`: the pre-submission check as text, grouped by document, with exit codes for scripts."""

from __future__ import annotations

import sys
from pathlib import Path

from app.core.casefile import CaseFileError, load_case
from app.core.model import Case
from app.core.rules import DOCUMENT_ORDER, SEVERITY_LABEL, Finding, check_case, has_errors


def document_title(case: Case, doc: str) -> str:
    if doc == "materials":
        return case.form.materials.label
    return case.form.document(doc).file_stem


def format_findings(case: Case, findings: list[Finding]) -> str:
    lines = []
    for doc in DOCUMENT_ORDER:
        group = [f for f in findings if f.document == doc]
        if not group:
            continue
        lines.append(f"【{document_title(case, doc)}】")
        lines.extend(f"  {SEVERITY_LABEL[f.severity]}  {f.message}" for f in group)
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    verdict = "请修改错误后再报送。" if errors else "可以报送。"
    lines.append(f"结果：{errors}个错误，{warnings}个提醒。{verdict}")
    return "\n".join(lines)


def main_check(paths: list[Path]) -> int:
    worst = 0
    for path in paths:
        try:
            case = load_case(path)
        except CaseFileError as exc:
            print(f"{path}：{exc}", file=sys.stderr)
            worst = 2
            continue
        findings = check_case(case, base_dir=path.parent)
        print(f"{path} — {case.form.title}")
        print(format_findings(case, findings))
        if has_errors(findings) and worst == 0:
            worst = 1
    return worst

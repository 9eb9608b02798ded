"""The counts people compare: near a limit, say when Word's 字符数 would read over what its 字数 reads under."""

from __future__ import annotations

from app.core.model import Case
from app.core.review import document_of, finding
from app.core.rules import report_word_count
from app.core.wordcount import counts

NEAR = 0.9  # the counters turn amber here too
LIMIT_MEASURE = "字数"
EXPLANATION = ("字数按Word“字数统计”中的“字数”计算（每个汉字或全角标点计1，每个英文单词或连续数字计1），"
               "通知的字数限制都按这个口径；“字符数”另计，仅供对照。")


def _note(label: str, n, limit: int) -> str:
    return (f"{label}按Word“字数”计{n.words}字（限{limit}字），但Word的“字符数（不计空格）”为{n.chars_no_spaces}"
            f"、“字符数（计空格）”为{n.chars_with_spaces}。通知的限制按“字数”计，未超出；若有人按字符数核对会以为超了，"
            "可再精简几个字留出余地。")


def check_measures(case: Case) -> list:
    out = []
    for f in case.form.fields:
        if f.kind not in ("line", "text") or not f.limit:
            continue
        n = counts(case.get(f.key))
        if NEAR * f.limit <= n.words <= f.limit < n.chars_no_spaces:
            out.append(finding(document_of(case, f.key), f.key, _note(f"“{f.display_label}”", n, f.limit),
                               rule="measures"))
    doc = case.form.document("report")
    if doc.limit:
        from app.core.printed import report_blocks

        words = report_word_count(case)
        if NEAR * doc.limit <= words <= doc.limit:
            n = counts("\n".join(b.text for b in report_blocks(case)))
            if n.chars_no_spaces > doc.limit:
                key = doc.sections[-1].items[0].heading
                out.append(finding("report", key, _note(f"《{doc.title}》全文", n, doc.limit), rule="measures"))
    return out

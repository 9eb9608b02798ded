"""The counts people compare: near a limit, say when Word's 字符数 would read over what its 字数 reads under."""

from __future__ import annotations

from app.core.model import Case
from app.core.review import document_of, field_text, finding
from app.core.rules import field_word_count
from app.core.wordcount import count_words, counts

NEAR = 0.9  # the counters turn amber here too
# A text of more than FAR × limit characters is over its limit unless it is mostly long Latin words (an
# average of FAR characters per 字): skip counting it, the over-limit error already speaks for it.
FAR = 4
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
        if f.kind not in ("line", "text", "group") or not f.limit:
            continue
        text = field_text(case, f.key)  # a group as printed, numbering and weights included, as its limit counts
        if not NEAR * f.limit <= len(text) <= FAR * f.limit or not NEAR * f.limit <= field_word_count(
                f, case.get(f.key)) <= f.limit:
            continue  # the 字符数 are counted only near a limit: most fields are not
        n = counts(text)
        if f.limit < n.chars_no_spaces:
            out.append(finding(document_of(case, f.key), f.key, _note(f"“{f.display_label}”", n, f.limit),
                               rule="measures"))
    doc = next((d for d in case.form.documents if d.key == "report"), None)  # a pack's form may have no 总结报告
    if doc is not None and doc.limit:
        from app.core.printed import report_blocks

        written = sum(len(case.get(k)) for k in doc.field_keys if case.form.field(k).kind == "text")
        if written > FAR * doc.limit:
            return out  # far over the whole report's limit: the error speaks for it
        text = "\n".join(b.text for b in report_blocks(case))
        if NEAR * doc.limit <= len(text) <= FAR * doc.limit and NEAR * doc.limit <= count_words(text) <= doc.limit:
            n = counts(text)
            if n.chars_no_spaces > doc.limit:
                key = doc.sections[-1].items[0].heading
                out.append(finding("report", key, _note(f"《{doc.title}》全文", n, doc.limit), rule="measures"))
    return out

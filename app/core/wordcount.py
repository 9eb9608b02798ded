"""Count 字数 the way Microsoft Word's Chinese 字数统计 does, so our limits agree with reviewers' (TECH-NOTES §3)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from app.core.textclean import edited_span

# Each character in these blocks is one 字: CJK radicals, CJK symbols and punctuation, kana, bopomofo,
# CJK extensions and unified ideographs, compatibility ideographs, vertical and full-width forms, and
# the supplementary ideograph planes. General punctuation such as “” and … is added below.
_CJK_RANGES = (
    "\u2e80-\u2fff"
    "\u3001-\u303f"
    "\u3040-\u30ff"
    "\u3100-\u312f"
    "\u3190-\u31ff"
    "\u3200-\u33ff"
    "\u3400-\u4dbf"
    "\u4e00-\u9fff"
    "\uac00-\ud7af"
    "\uf900-\ufaff"
    "\ufe10-\ufe1f"
    "\ufe30-\ufe4f"
    "\uff00-\uffef"
    "\U00020000-\U0003ffff"
)
# Word treats the typographic quotes, dashes, ellipsis and middle dot in Chinese prose as full-width
# punctuation (each one 字), which is how “国家平台资源校本化” reaches 11.
_CJK_PUNCT = "\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u00b7\u2025\u203b\u25a1\u25cb\u25c7\u25c6\u2606\u2605"

_TOKEN = re.compile(f"[{_CJK_RANGES}{_CJK_PUNCT}]|[^\\s{_CJK_RANGES}{_CJK_PUNCT}]+")
_NON_SPACE = re.compile(r"\S")


@dataclass(frozen=True)
class Counts:
    words: int  # 字数
    chars_no_spaces: int  # 字符数（不计空格）
    chars_with_spaces: int  # 字符数（计空格）


def count_words(text: str) -> int:
    """字数: each CJK character or full-width mark is 1, each run of other non-space characters is 1.
    Counted by subn, which matches the tokens in C: this runs on every keystroke."""
    return _TOKEN.subn("", text)[1]


def count_after_edit(old: str, old_count: int, new: str, position: int, removed: int, added: int) -> int:
    """字数 of `new`, where old[position:position+removed] was replaced by new[position:position+added]. Only the
    tokens touching the edit can change, so only they are recounted: a keystroke costs a word, not the text."""
    if edited_span(old, new, position, removed, added) is None:
        return count_words(new)  # the edit is not what it claims to be: count everything
    return recount_edit(old, old_count, new, position, removed, added)


def recount_edit(old: str, old_count: int, new: str, position: int, removed: int, added: int) -> int:
    """count_after_edit for an edit already checked with edited_span."""
    # One unchanged character on each side is enough: the text outside is the same before and after, and whether a
    # run outside joins the recounted part (a run counts 1 however long) then depends on that character alone.
    a = max(0, position - 1)
    return (old_count - count_words(old[a:min(len(old), position + removed + 1)])
            + count_words(new[a:min(len(new), position + added + 1)]))


def count_chars(text: str, *, spaces: bool) -> int:
    """字符数 as Word shows it; line breaks are never characters."""
    if spaces:
        return sum(1 for ch in text if ch not in "\r\n")
    return sum(1 for _ in _NON_SPACE.finditer(text))


def counts(text: str) -> Counts:
    return Counts(count_words(text), count_chars(text, spaces=False), count_chars(text, spaces=True))


def main_count(path: str | None) -> int:
    """`yanxiu count [FILE]`: print the 字数 of a UTF-8 text (standard input by default)."""
    if path in (None, "-"):
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            from app.core.oserrors import explain

            print(f"无法读取文件 {path}：{explain(exc)}。", file=sys.stderr)
            return 2
    text = data.decode("utf-8-sig", errors="replace")
    c = counts(text)
    print(c.words)
    print(f"字符数（不计空格）：{c.chars_no_spaces}", file=sys.stderr)
    print(f"字符数（计空格）：{c.chars_with_spaces}", file=sys.stderr)
    return 0

"""规范表述: official titles, subject, platform, channel and tool names, template leftovers, half-width marks."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from app.core.model import Case
from app.core.platform import Platform
from app.core.review import Spot, document_of, field_text, finding, spots
from app.core.review.data import ReviewData

HAN = "\u4e00-\u9fff"
_TITLE = re.compile(r"《([^《》\n]{1,60})》")
# A 《…》 that cites a curriculum document (not a book about one): [义务教育][科目][新]课程标准|课标|课程方案[（年版）]
_CITATION = re.compile(r"(义务教育)?\s*([^\s《》]{0,8}?)\s*(新版?)?(课程标准|课标|课程方案)\s*([（(]\s*\d{4}\s*年版?\s*[)）])?")
_SENTENCE = re.compile(r"[^。；！？\n]+")
CONTEXT = 8


@dataclass
class Hit:
    start: int
    end: int
    rule: str
    reason: str
    new: str | None  # replacement of text[start:end]; None: no safe fix
    suggestion: str = ""
    template: bool = False


def snippet(text: str, start: int, end: int, context: int = CONTEXT) -> str:
    a = max(0, start - context)
    b = min(len(text), end + context)
    a = text.rfind("\n", a, start) + 1 if "\n" in text[a:start] else a
    nl = text.find("\n", end, b)
    b = nl if nl != -1 else b
    return ("…" if a > 0 else "") + text[a:b] + ("…" if b < len(text) else "")


def case_standard(case: Case, data: ReviewData) -> str:
    """The official standard title for the case's subject, or "" when the case does not say which."""
    titles = data.titles
    form = case.form
    names: list[str] = []
    if form.has_field("subject"):
        subjects = case.get("subject")
        if len(subjects) != 1:
            return ""
        s = titles.standard_for(subjects[0])
        if s:
            return f"《{titles.standard_title(s)}》"
        names = [] if subjects[0] != "外语" else ["英语", "日语", "俄语"]
        if not names:
            return ""
    texts = [field_text(case, k) for k in ("field_area", "theme") if form.has_field(k)]
    candidates = names or sorted((*titles.standards, *titles.aliases), key=len, reverse=True)
    for text in texts:
        found = {titles.aliases.get(n, n) for n in candidates if n in text}
        found = {f for f in found if f in titles.standards}
        if len(found) == 1:
            return f"《{titles.standard_title(found.pop())}》"
    return ""


def _title_hits(text: str, data: ReviewData, standard: str) -> tuple[list[Hit], list[tuple[int, int]]]:
    """Findings inside 《…》, and every title's span (terms do not look inside someone's title)."""
    titles = data.titles
    hits, spans = [], []
    for m in _TITLE.finditer(text):
        spans.append(m.span())
        content = m.group(1)
        if content in titles.official or titles.other_editions.search(content):
            continue
        c = _CITATION.fullmatch(content)
        if not c:
            continue  # a book or an article about the standards, not a citation of one
        prefix, subject = c.group(1), c.group(2)
        if c.group(4) == "课程方案" and not subject:
            new = f"《{titles.plan}》"
        else:
            named = next((s for s in sorted(titles.standards, key=len, reverse=True) if s == subject), "")
            named = named or titles.aliases.get(subject, "")
            if named:
                new = f"《{titles.standard_title(named)}》"
            elif not subject:
                new = standard
            else:
                new = ""
        reason = f"正式名称{('是' + new) if new else '应为《义务教育X课程标准（2022年版）》'}（{titles.source}）"
        if not prefix and not new:
            reason += "，这里没有写明科目"
        hits.append(Hit(m.start(), m.end(), "official-title", reason, new or None, new))
    return hits, spans


def _term_hits(text: str, data: ReviewData, standard: str, protected: list[tuple[int, int]]) -> list[Hit]:
    hits = []
    for term in data.terms:
        if not term.may_match(text):
            continue
        for m in (m for p in term.patterns for m in p.finditer(text)):
            if m.start() == m.end():
                continue
            if any(a <= m.start() < b for a, b in protected):
                continue
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            t = next((k for k in ("t", "t2") if k in groups), None)
            start, end = m.span(t) if t else m.span()
            if term.prefix and not t:
                p = term.prefix.search(text, max(0, start - 12), start)
                start = p.start() if p else start
            suggestion = term.suggest
            if "{standard}" in suggestion:
                suggestion = suggestion.replace("{standard}", standard)
                safe = term.safe and bool(standard)
                if not standard:
                    suggestion = "课程标准全称，如《义务教育数学课程标准（2022年版）》"
            else:
                suggestion = suggestion.format(**groups) if suggestion else ""
                safe = term.safe
            hits.append(Hit(start, end, term.id, term.reason, suggestion if safe else None, suggestion,
                            term.template))
    return hits


_DOT = re.compile(r"\.")
_BEFORE_PERIOD = re.compile(rf"[{HAN}）)”》]")
_AFTER_PERIOD = re.compile(rf"[{HAN}]|[ \t]*(?:\n|\Z)")
_PARENS = re.compile(r"\(([^()\n]{0,40})\)")
_QUOTES = re.compile(r'"([^"\n]{1,40})"')
_HAN_CHAR = re.compile(f"[{HAN}]")


def _punct_hits(text: str, data: ReviewData) -> list[Hit]:
    marks, reason = data.punctuation, data.punctuation_reason
    hits = []
    if data.punctuation_pattern is not None:
        for m in data.punctuation_pattern.finditer(text):  # marks are few: look at each one's neighbours
            i = m.start()
            if (i and _HAN_CHAR.match(text, i - 1)) or _HAN_CHAR.match(text, i + 1):
                hits.append(Hit(i, i + 1, "punctuation", reason, marks[m.group()]))
    if "." in text:
        for m in _DOT.finditer(text):
            i = m.start()
            if i and _BEFORE_PERIOD.match(text, i - 1) and _AFTER_PERIOD.match(text, i + 1):
                hits.append(Hit(i, i + 1, "punctuation", reason, "。"))
    if "(" in text:
        for m in _PARENS.finditer(text):
            inner = m.group(1)
            if _HAN_CHAR.search(inner) or (m.start() and _HAN_CHAR.match(text, m.start() - 1)):
                hits.append(Hit(m.start(), m.end(), "punctuation", reason, f"（{inner}）"))
    if '"' in text:
        for m in _QUOTES.finditer(text):
            if _HAN_CHAR.search(m.group(1)):
                hits.append(Hit(m.start(), m.end(), "punctuation", reason, f"“{m.group(1)}”"))
    return hits


def _without_overlaps(hits: list[Hit], size: int) -> list[Hit]:
    """Earlier kinds (titles, then terms, then punctuation) win; linear, since a pasted text may hold thousands."""
    kept: list[Hit] = []
    taken = bytearray(size)
    for h in hits:
        if taken.find(1, h.start, h.end) != -1:
            continue
        kept.append(h)
        taken[h.start:h.end] = b"\x01" * (h.end - h.start)
    return kept


def _apply(text: str, hits: list[Hit]) -> str:
    out, pos = [], 0
    for h in sorted(hits, key=lambda h: h.start):
        out.append(text[pos:h.start])
        out.append(h.new if h.new is not None else text[h.start:h.end])
        pos = h.end
    out.append(text[pos:])
    return "".join(out)


def _report(case: Case, spot: Spot, hits: list[Hit]) -> list:
    """One finding per rule and quoted text in a spot (one for all its half-width marks)."""
    groups: dict[tuple, list[Hit]] = {}
    for h in hits:
        key = (h.rule,) if h.rule == "punctuation" else (h.rule, spot.text[h.start:h.end])
        groups.setdefault(key, []).append(h)
    out = []
    before = case.get(spot.key)
    for (rule, *_), group in groups.items():
        first = group[0]
        quote = snippet(spot.text, first.start, first.end)
        many = f"（共{len(group)}处）" if len(group) > 1 else ""
        fixable = all(h.new is not None for h in group)
        if rule == "punctuation":
            wrong = "、".join(dict.fromkeys(spot.text[h.start:h.end][:1] for h in group))
            message = f"{spot.label}中“{quote}”等处用了半角标点（{wrong}）{many}：{first.reason}。"
            suggestion = "全角标点"
        elif first.template:
            message = f"{spot.label}中“{quote}”{many}：{first.reason}。"
            suggestion = ""
        else:
            message = f"{spot.label}中“{quote}”{many}：{first.reason}。"
            suggestion = first.suggestion
            if suggestion and fixable:
                message += f"建议改为“{suggestion}”。"
            elif suggestion.startswith("课程标准全称"):
                message += f"建议写为{suggestion}。"
            elif suggestion:
                message += f"可考虑改为“{suggestion}”，请按原意确认。"
        after = spot.replaced(case, _apply(spot.text, group)) if fixable else None
        out.append(finding(spot.document, spot.key, message, rule=rule, quote=quote, suggestion=suggestion,
                           before=before if after is not None else None, after=after))
    return out


# Joins the spots into one text so that each pattern runs once per case, not once per spot: no pattern crosses
# it (titles stop at a line break, \s* stops at NUL) and a line break on each side keeps ^ and $ per spot.
JOIN = "\n\x00\n"


def check_terms(case: Case) -> list:
    data = case.form.review
    standard = case_standard(case, data)
    all_spots = spots(case)
    offsets, pos = [], 0
    for spot in all_spots:
        offsets.append(pos)
        pos += len(spot.scan) + len(JOIN)
    text = JOIN.join(s.scan for s in all_spots)
    title_hits, protected = _title_hits(text, data, standard)
    hits = title_hits + _term_hits(text, data, standard, protected) + _punct_hits(text, data)
    per_spot: dict[int, list[Hit]] = {}
    for h in _without_overlaps(hits, len(text)):
        i = bisect_right(offsets, h.start) - 1
        o = offsets[i]
        per_spot.setdefault(i, []).append(replace(h, start=h.start - o, end=h.end - o))
    out = []
    for i in sorted(per_spot):
        out.extend(_report(case, all_spots[i], sorted(per_spot[i], key=lambda h: h.start)))
    return out


# ---------------------------------------------------------------- names from platform.toml

PUBLIC = "国家智慧教育公共服务平台"
BASIC = "国家中小学智慧教育平台"
_SPLIT = re.compile(r"[、，,；;/／\s]+")
_CHANNEL_SUFFIX = re.compile(r"(频道|板块|版块|栏目)$")


def _platform_words(plat: Platform) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(channel names, tool names) as the pack's platform.toml writes them."""
    tools: list[str] = []
    for checklist in plat.tools.values():
        for cat in checklist.categories:
            tools.append(cat.name)
            tools.extend(cat.items)
    tools.extend(("教研群", "备授课", "管理工具", "名师工作室", "线上工作室"))
    return plat.channels, tuple(dict.fromkeys(t for t in tools if len(t) >= 2))


def check_platform_names(case: Case) -> list:
    channels, tools = _platform_words(case.form.platform)
    out = []
    # 公共服务平台 is the portal (the share notice names it); the case's resources, channels, tools and studio
    # are 国家中小学智慧教育平台's.
    belongs = tuple(c for c in channels if len(c) >= 3) + tuple(t for t in tools if len(t) >= 3) + ("工作室", "频道", "直播")
    for spot in spots(case):
        if PUBLIC not in spot.scan:
            continue
        for m in _SENTENCE.finditer(spot.scan):
            sentence = m.group()
            if PUBLIC in sentence and any(w in sentence for w in belongs):
                pos = m.start() + sentence.index(PUBLIC)
                new_text = spot.text[:m.start()] + sentence.replace(PUBLIC, BASIC) + spot.text[m.end():]
                quote = snippet(spot.text, pos, pos + len(PUBLIC))
                out.append(finding(spot.document, spot.key,
                                   f"{spot.label}中“{quote}”：这里说的频道、工具或工作室属于“{BASIC}”"
                                   f"（“{PUBLIC}”是总门户，{BASIC}是它的子平台）。建议改为“{BASIC}”。",
                                   rule="platform-portal", quote=quote, suggestion=BASIC,
                                   before=case.get(spot.key), after=spot.replaced(case, new_text)))
                break
    out.extend(_check_channels(case, channels))
    out.extend(_check_stage_tools(case, channels, tools))
    return out


def _check_channels(case: Case, channels: tuple[str, ...]) -> list:
    if not case.form.has_field("resources"):
        return []
    f = case.form.field("resources")
    col = f.column("channel").label
    rows = case.get("resources")
    out = []
    for i, row in enumerate(rows):
        value = row.get("channel", "")
        if not value or value in channels:
            continue
        stripped = _CHANNEL_SUFFIX.sub("", value)
        where = f"“{f.display_label}”第{i + 1}行的“{col}”"
        if stripped in channels:
            after = [dict(r) for r in rows]
            after[i]["channel"] = stripped
            out.append(finding(document_of(case, f.key), f.key,
                               f"{where}“{value}”：表中填写频道名称本身即可。建议改为“{stripped}”。",
                               rule="channel-name", quote=value, suggestion=stripped, before=rows, after=after))
            continue
        best = _closest(stripped, channels, 70)
        if best:
            out.append(finding(document_of(case, f.key), f.key,
                               f"{where}“{value}”不是平台的频道名称，可能是“{best[0]}”，请核对。",
                               rule="channel-name", quote=value, suggestion=best[0]))
    return out


@lru_cache(maxsize=8)
def _char_index(names: tuple[str, ...]) -> dict[str, list[tuple[int, int]]]:
    """Each character of the names → (which name, how often it holds the character)."""
    index: dict[str, list[tuple[int, int]]] = {}
    for i, name in enumerate(names):
        for char, times in Counter(name).items():
            index.setdefault(char, []).append((i, times))
    return index


def _closest(text: str, names: tuple[str, ...], cutoff: int):
    """The name most like `text` (rapidfuzz's ratio ≥ cutoff), or None.

    rapidfuzz's ratio is 200 × (longest common subsequence) / (both lengths), and that subsequence is never longer
    than the characters the two share. When no name shares enough characters to reach the cutoff, no name can
    match, and rapidfuzz (2 MB of native code) is not loaded for a tool such as “AI课堂分析” that is simply not
    on the platform."""
    shared = [0] * len(names)
    index = _char_index(names)
    for char, times in Counter(text).items():
        for i, held in index.get(char, ()):
            shared[i] += min(times, held)
    if not any(200 * n >= cutoff * (len(text) + len(name)) for n, name in zip(shared, names)):
        return None
    from rapidfuzz import fuzz, process

    return process.extractOne(text, names, scorer=fuzz.ratio, score_cutoff=cutoff)


def _check_stage_tools(case: Case, channels: tuple[str, ...], tools: tuple[str, ...]) -> list:
    if not case.form.has_field("process_stages"):
        return []
    f = case.form.field("process_stages")
    known = tools + channels
    out = []
    for i, stage in enumerate(case.get(f.key)):
        for token in _SPLIT.split(stage.get("tools", "")):
            if len(token) < 2 or any(k in token for k in known) or any(token in k for k in tools):
                continue
            best = _closest(token, tools, 75)
            if best:
                out.append(finding(document_of(case, f.key), f.key,
                                   f"“{f.label}”第{i + 1}个阶段的“使用的平台工具”中“{token}”与平台工具名称“{best[0]}”"
                                   "相近，若指的是这个工具，请按征集通知写作“" + best[0] + "”。",
                                   rule="tool-name", quote=token, suggestion=best[0]))
    return out

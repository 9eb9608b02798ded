"""Every limit of the notice tried at its exact boundary: the limit itself passes, one more is an error (or 提醒).

Each test names in its docstring the mutant (a deliberate bug) it was seen to kill; see docs/testing.md."""

from __future__ import annotations

import io

import pytest

from app.core.forms import load_all
from app.core.model import Material
from app.core.rules import ERROR, WARNING, check_case
from app.core.wordcount import count_words

FORMS = load_all()


def _errors(case, key):
    return [f for f in check_case(case) if f.field == key and f.severity == ERROR]


def _limited(kinds):
    return [pytest.param(form_key, f.key, id=f"{form_key}-{f.key}")
            for form_key, form in FORMS.items() for f in form.fields if f.kind in kinds and f.limit]


@pytest.fixture
def case_of(school_case, studio_case):
    return {"school": school_case, "studio": studio_case}.__getitem__


@pytest.mark.parametrize("form_key,key", _limited(("line", "text")))
def test_every_word_limit_at_limit_and_limit_plus_one(case_of, form_key, key):
    """Kills `n > f.limit` → `n >= f.limit` and → `n > f.limit + 1` in rules._check_field (the tests used to try
    limit and limit+7 only), for every line and text field the definitions give a 字数 limit — 研修主题 included."""
    case = case_of(form_key)
    f = case.form.field(key)
    label = f.display_label
    notice = f.source("limit").blocks  # the notice's limits are errors, ours 提醒 (issue 13)
    severity = ERROR if notice else WARNING

    def over_limit():
        return [e for e in check_case(case) if e.field == key and e.message.startswith(f"“{label}”共")]

    case.set(key, "研" * f.limit)
    assert over_limit() == []
    case.set(key, "研" * (f.limit + 1))
    over = over_limit()
    assert len(over) == 1 and over[0].severity == severity
    expected = f"共{f.limit + 1}字，超过{f.limit}字的限制，请删减1字" if notice else f"共{f.limit + 1}字，超过建议的{f.limit}字"
    assert expected in over[0].message


def test_theme_limit_counts_words_not_characters(school_case):
    """Kills a theme check that counts characters (len) instead of Word's 字数: 30 字 may hold many letters."""
    limit = school_case.form.field("theme").limit
    theme = "研" * (limit - 1) + "STEAM"  # limit 字 but limit+4 characters
    assert count_words(theme) == limit
    school_case.set("theme", theme)
    assert _errors(school_case, "theme") == []


@pytest.mark.parametrize("form_key", sorted(FORMS))
def test_table_cell_limits_at_the_boundary(case_of, form_key):
    """Kills `count_words(cell) > c.limit` → `>=` in rules._check_table (作者 name, unit, title; 资源名称)."""
    case = case_of(form_key)
    for f in case.form.fields:
        if f.kind != "table":
            continue
        original = [dict(r) for r in case.get(f.key)]
        for c in f.columns:
            if not c.limit or c.format == "mobile":
                continue
            rows = [dict(r) for r in original]
            rows[0][c.key] = "研" * c.limit
            case.set(f.key, rows)
            assert not [e for e in _errors(case, f.key) if f"“{c.label}”超过" in e.message], (f.key, c.key)
            rows[0][c.key] = "研" * (c.limit + 1)
            case.set(f.key, rows)
            [e] = [e for e in _errors(case, f.key) if f"“{c.label}”超过" in e.message]
            assert f"超过{c.limit}字" in e.message
        case.set(f.key, original)


@pytest.mark.parametrize("phone,ok", [
    ("13805712345", True),       # 11 digits, 1 then 3-9
    ("19912345678", True),
    ("138057123456", False),     # 12 digits: the `$` anchor
    ("1380571234567", False),
    ("1380571234", False),       # 10 digits
    ("12805712345", False),      # second digit 2
    ("23805712345", False),
    ("13８05712345", False),     # a full-width digit (`\d` matches it)
    ("１３８０５７１２３４５", False),
    ("1380571234٥", False),      # an Arabic-Indic digit
])
def test_mobile_number_rule(school_case, phone, ok):
    """Kills MOBILE without its end anchor (12+ digits accepted) and the Unicode `\\d` that let `13８05712345`
    pass; the message names the field and says what to write."""
    authors = [dict(a) for a in school_case.get("authors")]
    authors[0]["phone"] = phone
    school_case.set("authors", authors)
    errs = [e for e in _errors(school_case, "authors") if "手机号码" in e.message]
    if ok:
        assert errs == []
    else:
        [e] = errs
        assert "第1行" in e.message and "11位" in e.message


@pytest.mark.parametrize("form_key", sorted(FORMS))
def test_item_counts_at_max_and_max_plus_one(case_of, form_key):
    """Kills `n > f.max_items` → `n >= f.max_items` / `n > f.max_items + 1` in rules._check_field (关键词 4,
    作者 3, 流程阶段 8, 资源 30) and the min_items test (`0 < n < f.min_items`) for the process stages."""
    case = case_of(form_key)
    for f in case.form.fields:
        if f.kind not in ("tags", "table", "stages") or f.max_items is None:
            continue
        value = list(case.get(f.key))
        item = value[0]
        filler = [dict(item) if not isinstance(item, str) else f"词{i}" for i in range(f.max_items + 1)]
        case.set(f.key, filler[:-1])
        assert not [e for e in _errors(case, f.key) if "最多" in e.message], f.key
        case.set(f.key, filler)
        [e] = [e for e in _errors(case, f.key) if "最多" in e.message]
        assert f"填写了{f.max_items + 1}项，最多{f.max_items}项，请删去1项" in e.message
        if f.min_items and f.min_items > 1:
            case.set(f.key, filler[: f.min_items])
            assert not [e for e in _errors(case, f.key) if "至少" in e.message]
            case.set(f.key, filler[: f.min_items - 1])
            [e] = [e for e in _errors(case, f.key) if "至少" in e.message]
            assert f"至少需要{f.min_items}项" in e.message
        case.set(f.key, value)


def test_keyword_length_at_the_boundary(school_case):
    """Kills `count_words(item) > f.item_limit` → `>=` (a 15-字 keyword is fine, 16 is a 提醒, never an error)."""
    f = school_case.form.field("keywords")
    school_case.set("keywords", ["研" * f.item_limit, "空间观念"])
    assert not [x for x in check_case(school_case) if x.field == "keywords"]
    school_case.set("keywords", ["研" * (f.item_limit + 1), "空间观念"])
    [x] = [x for x in check_case(school_case) if x.field == "keywords"]
    assert x.severity == WARNING and f"超过{f.item_limit}字" in x.message


def _printed_report_words(case) -> int:
    """The 字数 of the 总结报告 as printed: every paragraph of the rendered Word file, counted as Word counts."""
    from docx import Document

    from app.render.docx_render import render_case

    [report] = render_case(case, ("report",))
    return sum(count_words(p.text) for p in Document(io.BytesIO(report.data)).paragraphs)


@pytest.mark.parametrize("form_key", sorted(FORMS))
def test_report_total_at_2000_and_2001_as_printed(case_of, form_key):
    """Kills `n > doc.limit` → `>=` in rules._check_report_total, and a total that leaves out headings, the title
    or the 研修概况 sentence: the expected count comes from the rendered report, not from the function under test."""
    case = case_of(form_key)
    limit = case.form.document("report").limit
    base = _printed_report_words(case)
    assert 1000 < base < limit
    key = case.form.document("report").sections[-1].items[-1].fields[-1]
    case.set(key, case.get(key) + "统" * (limit - base))
    assert _printed_report_words(case) == limit
    assert not [f for f in check_case(case) if f.document == "report" and "全文共" in f.message]
    case.set(key, case.get(key) + "统")
    [f] = [f for f in check_case(case) if f.document == "report" and "全文共" in f.message]
    assert f.severity == ERROR and f"全文共{limit + 1}字" in f.message and f"请删减1字" in f.message


def test_materials_total_size_at_100_mb_and_one_byte_more(tmp_path, school_case):
    """Kills `total > m.max_total_bytes` → `>=` in rules._check_materials (sparse files: nothing is written)."""
    m = school_case.form.materials
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    with open(a, "wb") as fh:
        fh.truncate(m.max_total_bytes // 2)
    with open(b, "wb") as fh:
        fh.truncate(m.max_total_bytes - m.max_total_bytes // 2)
    school_case.materials = [Material(str(a), "课例视频一"), Material(str(b), "课例视频二")]
    assert [f for f in check_case(school_case) if f.document == "materials"] == []
    with open(b, "ab") as fh:
        fh.truncate(m.max_total_bytes - m.max_total_bytes // 2 + 1)
    [f] = [f for f in check_case(school_case) if f.document == "materials"]
    assert f.severity == ERROR and f"超过{m.max_total_mb}M的限制" in f.message


def test_materials_count_at_max_and_max_plus_one(tmp_path, school_case):
    """Kills `len(case.materials) > m.max_files` → `>=` in rules._check_materials."""
    m = school_case.form.materials
    files = []
    for i in range(m.max_files + 1):
        p = tmp_path / f"{i}.jpg"
        p.write_bytes(b"x")
        files.append(Material(str(p), f"照片{i}"))
    school_case.materials = files[: m.max_files]
    assert [f for f in check_case(school_case) if f.document == "materials"] == []
    school_case.materials = files
    [f] = [f for f in check_case(school_case) if f.document == "materials"]
    assert f"共{m.max_files + 1}件，通知要求不超过{m.max_files}件，请删去1件" in f.message


def test_counter_turns_amber_at_90_percent_and_red_only_above_the_limit():
    """Kills counter_state turning red at the limit (`n >= limit`) or only at limit+2 (`n > limit + 1`), and amber
    moved off 90 %: the notice allows exactly `limit` 字."""
    from app.ui.counter import counter_state

    assert counter_state(299, 300) == "near"
    assert counter_state(300, 300) == "near"
    assert counter_state(301, 300) == "over"
    assert counter_state(270, 300) == "near"
    assert counter_state(269, 300) == "ok"
    assert counter_state(10_000, None) == "ok"

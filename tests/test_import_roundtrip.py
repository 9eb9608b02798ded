"""Round trip: any case of either type, exported to its three Word documents and imported back, has the same
fields — and the same version code as its footers."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from app.core.forms import STAGE_MODES, load_form
from app.core.model import Case, STAGE_KEYS

# What a printed document can hold: paragraphs are trimmed and never empty (Word has no empty paragraphs to give
# back), a paragraph does not start with 注： (the form's notes, left out on import) or a number (the numbered
# items), and keywords hold none of the separators 、；，.
START = "研修教师学生课程阅读数学语文目标评价平台资源工具反思素养提升校本工作室名著直播"
BODY = START + "abcXYZ019 ，。；：“”（）%<>&{}_{{ }}😀"
WORD = st.text(alphabet=START, min_size=1, max_size=8)
PARA = st.builds(lambda a, b: (a + b).strip(), st.sampled_from(START), st.text(alphabet=BODY, max_size=40))
LINE = st.one_of(st.just(""), PARA)
TEXT = st.lists(PARA, max_size=3).map("\n".join)
COUNT = st.one_of(st.none(), st.integers(min_value=0, max_value=99999))


def _field_strategy(form, f):
    k = f.kind
    if k == "line":
        return LINE
    if k == "text":
        return TEXT
    if k == "tags":
        return st.lists(WORD, max_size=4, unique=True)
    if k == "multi":
        options = list(form.options(f.options_from))
        return st.sets(st.sampled_from(options), max_size=4).map(lambda s: [o for o in options if o in s])
    if k == "table":
        cell = st.one_of(st.just(""), WORD)
        row = st.fixed_dictionaries({c.key: cell for c in f.columns}).filter(lambda r: any(r.values()))
        return st.lists(row, max_size=3)
    if k == "checklist":
        checklist = form.checklist(f)
        return st.fixed_dictionaries({c.name: st.sets(st.sampled_from(c.items)).map(
            lambda s, c=c: [i for i in c.items if i in s]) for c in checklist.categories}).map(
            lambda d: {k: v for k, v in d.items() if v})
    if k == "stages":
        stage = st.fixed_dictionaries({key: (st.sampled_from(("", *STAGE_MODES)) if key == "mode" else
                                             TEXT if key == "content" else LINE) for key in STAGE_KEYS})
        return st.lists(stage, max_size=3)
    if k == "group":
        parts = {}
        for p in f.parts:
            if p.kind == "text":
                parts[p.key] = TEXT
            elif p.kind == "date":
                parts[p.key] = st.one_of(st.just(""), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)).map(
                    dt.date.isoformat))
            else:
                parts[p.key] = COUNT if not p.max else st.one_of(st.none(), st.integers(0, int(p.max)))
        return st.fixed_dictionaries(parts)
    raise AssertionError(k)


def cases(case_type: str):
    form = load_form(case_type)

    def make(values):
        case = Case.new(case_type)
        for key, value in values.items():
            case.set(key, value)
        return case

    return st.fixed_dictionaries({f.key: _field_strategy(form, f) for f in form.fields}).map(make)


def _roundtrip(case, tmp_path_factory):
    from app.core.importer import import_documents
    from app.render.context import version_code
    from app.render.docx_render import render_case

    folder = tmp_path_factory.mktemp("rt")
    paths = []
    for r in render_case(case):
        path = folder / f"{r.doc_key}.docx"
        path.write_bytes(r.data)
        paths.append(path)
    result = import_documents(paths)
    assert result.case_type == case.case_type
    for f in case.form.fields:
        assert result.case.get(f.key) == case.get(f.key), f.key
    assert result.unplaced == []
    code = version_code(case)
    assert [d.version_code for d in result.documents] == [code] * 3
    assert result.version_check()[-1].startswith(f"导入后的案例版本码同为 {code}")


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])


@SETTINGS
@given(case=cases("school"))
def test_school_case_survives_export_and_import(case, tmp_path_factory):
    _roundtrip(case, tmp_path_factory)


@SETTINGS
@given(case=cases("studio"))
def test_studio_case_survives_export_and_import(case, tmp_path_factory):
    _roundtrip(case, tmp_path_factory)


def test_the_examples_survive_export_and_import(example_case, tmp_path_factory):
    _roundtrip(example_case, tmp_path_factory)

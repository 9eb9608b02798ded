"""Tests written against mutants of app/core that survived `python -m bench.mutation` (docs/testing.md): each checks
behaviour a teacher or a script relies on, in-process, so that mutmut can see which test reaches which function."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from app.core.checkcmd import document_title, format_findings, main_check
from app.core.defdata import DefinitionError, Reader, parse_grades
from app.core.materials import (MaterialError, add_material, format_size, is_photo, package_names, resolve,
                                total_size)
from app.core.model import Material
from app.core.rules import ERROR, WARNING, Finding
from app.core.wordcount import main_count
from tests.conftest import SCHOOL_EXAMPLE, STUDIO_EXAMPLE


# ---------------------------------------------------------------- yanxiu count, in-process

def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.mark.parametrize("arg", [None, "-"])
def test_count_reads_standard_input_and_reports_both_character_counts(monkeypatch, capsys, arg):
    """Kills main_count mutants that read the wrong stream, drop the BOM handling, swap the two 字符数 lines or
    print them to standard output (a script reads only the 字数 from stdout)."""
    _stdin(monkeypatch, "\ufeff第3.5节 A/B测试\n".encode("utf-8"))
    assert main_count(arg) == 0
    out, err = capsys.readouterr()
    assert out == "6\n"
    assert err.splitlines() == ["字符数（不计空格）：10", "字符数（计空格）：11"]


def test_count_reads_a_file_and_replaces_bad_bytes(tmp_path, capsys):
    """Kills a main_count that fails on invalid UTF-8 instead of replacing it (errors="replace")."""
    f = tmp_path / "a.txt"
    f.write_bytes("研修".encode("utf-8") + b"\xff" + " AI".encode())
    assert main_count(str(f)) == 0
    out, _ = capsys.readouterr()
    assert out == "4\n"  # 研 修 � AI — the replacement character is a non-space run of its own


def test_count_of_a_missing_file_exits_two_with_a_chinese_message(tmp_path, capsys):
    """Kills main_count returning 0 or 1 for an unreadable file, or printing the message to stdout."""
    missing = tmp_path / "没有.txt"
    assert main_count(str(missing)) == 2
    out, err = capsys.readouterr()
    assert out == "" and f"无法读取文件 {missing}" in err


# ---------------------------------------------------------------- yanxiu check, in-process

def test_check_exit_codes_in_process(tmp_path, capsys, school_case):
    """Kills main_check mutants: 0 for clean cases, 1 with errors, 2 when a file cannot be read — 2 wins over 1
    whichever order the files come in, and every readable file is still checked."""
    from app.core.casefile import save_case

    bad = tmp_path / "bad.json"
    school_case.set("needs", "")
    save_case(school_case, bad)
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main_check([SCHOOL_EXAMPLE, STUDIO_EXAMPLE]) == 0
    out, _ = capsys.readouterr()
    assert out.count("结果：0个错误") == 2 and f"{SCHOOL_EXAMPLE} — 校本研修案例" in out
    assert main_check([bad]) == 1
    assert main_check([bad, broken]) == 2
    assert main_check([broken, bad]) == 2
    out, err = capsys.readouterr()
    assert out.count("请填写“需求分析”") == 3 and err.count(f"{broken}：") == 2
    assert main_check([SCHOOL_EXAMPLE, bad]) == 1


def test_findings_are_grouped_by_document_with_a_verdict(school_case):
    """Kills format_findings mutants: the 【document】 headings in form order, 错误/提醒 labels, the counts and the
    verdict line."""
    findings = [Finding(ERROR, "plan", "needs", "甲"), Finding(WARNING, "info", "theme", "乙"),
                Finding(WARNING, "plan", "goals", "丙"), Finding(ERROR, "materials", "", "丁")]
    text = format_findings(school_case, findings)
    assert text.splitlines() == [
        "【案例信息表】", "  提醒  乙",
        "【实施方案】", "  错误  甲", "  提醒  丙",
        f"【{school_case.form.materials.label}】", "  错误  丁",
        "结果：2个错误，2个提醒。请修改错误后再报送。",
    ]
    assert format_findings(school_case, [Finding(WARNING, "info", "theme", "乙")]).endswith(
        "结果：0个错误，1个提醒。可以报送。")
    assert format_findings(school_case, []) == "结果：0个错误，0个提醒。可以报送。"


def test_document_titles(school_case):
    """Kills document_title returning the wrong name for the materials group or a document."""
    assert document_title(school_case, "materials") == school_case.form.materials.label
    assert document_title(school_case, "report") == school_case.form.document("report").file_stem
    assert document_title(school_case, "info") == "案例信息表"


# ---------------------------------------------------------------- supporting materials

def test_add_material_stores_a_relative_path_inside_the_case_folder(tmp_path, school_case):
    """Kills add_material mutants: relative storage inside base_dir, absolute outside, the title from the file
    name when none is given (cleaned of control characters), the size, and the limit of files."""
    inside = tmp_path / "照片" / "课例.jpg"
    inside.parent.mkdir()
    inside.write_bytes(b"x" * 1234)
    m = add_material(school_case, inside, base_dir=tmp_path)
    assert m == school_case.materials[-1]
    assert m.path == str(Path("照片") / "课例.jpg") and m.title == "课例" and m.size == 1234
    outside_dir = tmp_path.parent / (tmp_path.name + "-elsewhere")
    outside_dir.mkdir()
    outside = outside_dir / "b.png"
    outside.write_bytes(b"y")
    m2 = add_material(school_case, outside, "研讨\x07现场", base_dir=tmp_path)
    assert m2.path == str(outside.resolve()) and m2.title == "研讨现场"
    m3 = add_material(school_case, outside)
    assert m3.path == str(outside.resolve())


def test_add_material_refuses_a_missing_file_and_a_sixth_file(tmp_path, school_case):
    """Kills add_material accepting a missing file or one file more than the notice allows (>= max_files)."""
    with pytest.raises(MaterialError, match="找不到文件"):
        add_material(school_case, tmp_path / "none.jpg")
    limit = school_case.form.materials.max_files
    f = tmp_path / "a.jpg"
    f.write_bytes(b"x")
    school_case.materials = []  # the example case brings its own supporting files; count from none
    for _ in range(limit):
        add_material(school_case, f)
    with pytest.raises(MaterialError) as exc:
        add_material(school_case, f)
    assert f"最多{limit}件，已经有{limit}件" in str(exc.value)
    assert len(school_case.materials) == limit


def test_resolve_and_total_size(tmp_path, school_case):
    """Kills resolve/total_size mutants: relative paths resolve against the case folder, absolute ones stay, and
    a missing file counts with the size recorded when it was added."""
    (tmp_path / "a.jpg").write_bytes(b"x" * 10)
    absolute = tmp_path / "b.jpg"
    absolute.write_bytes(b"x" * 5)
    school_case.materials = [Material("a.jpg", "A"), Material(str(absolute), "B"), Material("gone.jpg", "C", 7)]
    assert resolve(school_case.materials[0], tmp_path) == tmp_path / "a.jpg"
    assert resolve(school_case.materials[0], None) == Path("a.jpg")
    assert resolve(school_case.materials[1], tmp_path / "x") == absolute
    assert total_size(school_case, tmp_path) == 10 + 5 + 7


def test_package_names_are_numbered_safe_and_short(school_case):
    """Kills package_names mutants: two-digit numbers from 01, unsafe characters removed, trailing dots and
    spaces stripped, 40 characters at most, the suffix lower-cased, the file name when the title is empty."""
    school_case.materials = [Material("x/课例.JPG", "研讨:现场?照片. "), Material("y/活动记录.pdf", "***"),
                             Material("z.png", "长" * 50)]
    assert package_names(school_case) == ["01-研讨现场照片.jpg", "02-活动记录.pdf", f"03-{'长' * 40}.png"]


@pytest.mark.parametrize("name,photo", [("a.jpg", True), ("a.JPEG", True), ("a.png", True), ("a.webp", True),
                                        ("a.bmp", True), ("a.pdf", False), ("a.mp4", False), ("jpg", False)])
def test_is_photo(name, photo):
    """Kills is_photo mutants (case of the suffix, the suffix set)."""
    assert is_photo(Path(name)) is photo


@pytest.mark.parametrize("n,text", [(0, "0KB"), (1, "1KB"), (511, "1KB"), (512, "0KB"), (1536, "2KB"),
                                    (1024 * 1024 - 1, "1024KB"), (1024 * 1024, "1.0MB"),
                                    (int(2.25 * 1024 * 1024), "2.2MB"), (100 * 1024 * 1024, "100.0MB")])
def test_format_size_boundaries(n, text):
    """Kills format_size mutants at its boundaries (1 MB, 512 bytes, zero)."""
    assert format_size(n) == text


# ---------------------------------------------------------------- the case model and the definitions

def test_a_copied_case_is_independent(school_case, tmp_path):
    """Kills Case.copy sharing values, materials or unknown keys with the original (duplicate a case, edit one)."""
    school_case.materials = [Material("a.jpg", "A", 3)]
    school_case.extra = {"future": {"x": 1}}
    dup = school_case.copy()
    assert dup == school_case and dup.extra == school_case.extra and dup.form is school_case.form
    dup.values["keywords"].append("新词")
    assert dup.materials[0] is not school_case.materials[0]
    dup.materials.append(Material("b.jpg", "B", 1))
    dup.extra["future"]["x"] = 2
    assert "新词" not in school_case.get("keywords")
    assert [m.path for m in school_case.materials] == ["a.jpg"]
    assert school_case.extra == {"future": {"x": 1}}


def test_field_part_and_column_lookups(school_case):
    """Kills Field.part / Field.column returning the wrong item."""
    authors = school_case.form.field("authors")
    assert authors.column("phone").format == "mobile" and authors.column("name").key == "name"
    participants = school_case.form.field("participants")
    for p in participants.parts:
        assert participants.part(p.key) is p
    with pytest.raises(StopIteration):
        authors.column("nope")


def test_tool_checklist_category_lookup():
    """Kills ToolChecklist.category returning the wrong category or raising for an unknown name."""
    from app.core.platform import load_platform

    for checklist in load_platform().tools.values():
        for cat in checklist.categories:
            assert checklist.category(cat.name) is cat
        assert checklist.category("不存在的类别") is None
        assert checklist.rows[0] == (checklist.categories[0].name, checklist.categories[0].items[0])


def test_settings_live_in_the_config_folder(user_folders):
    """Kills settings_path pointing anywhere but <config>/yanxiu/settings.json."""
    from app.core.settings import settings_path

    assert settings_path() == user_folders["config"] / "yanxiu" / "settings.json"


@pytest.mark.parametrize("types,value,expected", [
    (str, 3, "应为文字（用英文双引号括起来），而现在是整数"),
    (int, "3", "应为整数，而现在是文字"),
    ((int, float), "3", "应为整数或数字，而现在是文字"),
    (list, {}, "应为列表 [ … ]，而现在是表"),
    (dict, [], "应为表 { … }，而现在是列表"),
    (bool, 1, "应为布尔值（true 或 false），而现在是整数"),
    (int, True, "应为整数，而不是 true/false"),
])
def test_definition_type_errors_name_the_expected_type(types, value, expected):
    """Kills _type_names / Reader._get mutants: a malformed definition says which type it wanted, in words."""
    r = Reader(Path("school.toml"), "fields[2]", {"k": value})
    with pytest.raises(DefinitionError) as exc:
        r._get("k", types, None, True)
    assert str(exc.value) == f"文件“school.toml”中的“fields[2].k”：{expected}"


def test_definition_reader_reports_missing_empty_and_unknown_keys():
    """Kills Reader mutants: required keys, empty texts, dotted key names and the unknown-key check."""
    r = Reader(Path("f.toml"), "", {"a": " ", "lmit": 300})
    with pytest.raises(DefinitionError, match=r"^文件“f.toml”中的“a”：不能为空，请填写$"):
        r.str("a", required=True)
    with pytest.raises(DefinitionError, match=r"^文件“f.toml”中的“b”：缺少这一项，请补上$"):
        r.int("b", required=True)
    assert r.int("c", 7) == 7 and r.str("d") == "" and r.list("e") == [] and r.table_("g") == {}
    with pytest.raises(DefinitionError, match=r"^文件“f.toml”中的“lmit”：不是可用的键（可能拼错了），请改正或删去$"):
        r.finish()
    child = r.child("pages[0]", {"x": 1})
    with pytest.raises(DefinitionError, match=r"^文件“f.toml”中的“pages\[0\].y”：缺少这一项，请补上$"):
        child.str("y", required=True)
    with pytest.raises(DefinitionError, match="应为表"):
        Reader(Path("f.toml"), "x", [1])


@pytest.mark.parametrize("spec,grades", [("1-2,7-9", (1, 2, 7, 8, 9)), ("3", (3,)), ("1-9", tuple(range(1, 10))),
                                         ("7-9，1", (1, 7, 8, 9)), (" 4 - 6 ,", (4, 5, 6))])
def test_grade_ranges(spec, grades):
    """Kills parse_grades mutants (ranges, full-width comma, bounds)."""
    assert parse_grades(spec, path=Path("c.toml"), key="k") == grades


@pytest.mark.parametrize("spec", ["0-3", "8-10", "5-3", "a-b", "", ","])
def test_bad_grade_ranges_fail_loudly(spec):
    """Kills parse_grades accepting grade 0 or 10, a reversed range, or no grade at all."""
    with pytest.raises(DefinitionError):
        parse_grades(spec, path=Path("c.toml"), key="k")


# ---------------------------------------------------------------- the 研修主题 prefix

@pytest.fixture(scope="module")
def cur():
    from app.core.curriculum import load_curriculum

    return load_curriculum()


@pytest.mark.parametrize("subject,grades,items,system,expected", [
    ("数学", range(1, 7), ["图形与几何-图形的位置与运动"], "六三", "小学数学图形的位置与运动"),  # all of primary
    ("数学", range(7, 10), ["图形与几何-图形的位置与运动"], "六三", "初中数学图形的位置与运动"),  # all of junior
    ("数学", [3], [], "未知学制", "小学数学"),  # an unknown system falls back to 六三
    ("数学", [], ["图形与几何-图形的位置与运动"], "六三", "数学图形的位置与运动"),  # no grade: no level
    ("外语", [7], ["语言技能（理解性技能：听、读、看；表达性技能：说、写）"], "六三", "初中英语语言技能"),
    ("外语", [7], ["日语"], "六三", None),  # a content item with its own standard: the standard's name
    ("信息科技", [3], ["跨学科主题：数字设备体验"], "六三", "小学信息科技数字设备体验"),
    ("数学", [3], ["自编内容-图形游戏（拓展）"], "六三", "小学数学图形游戏"),  # free text: its last part
    ("数学", [3], ["图形与几何-图形的位置与运动", "数与代数-数与运算"], "六三", "小学数学"),  # two items: no leaf
    ("数学", [3], ["  "], "六三", "小学数学"),
])
def test_theme_prefix(cur, subject, grades, items, system, expected):
    """Kills theme_prefix mutants: `<=` → `<` on the school levels, the 外语 → 英语 word, the leaf of a free-text
    item, the full-width parenthesis and 跨学科主题： cut from the leaf, the standard's own name for 日语/俄语."""
    got = cur.theme_prefix(subject, list(grades), items, system)
    if expected is None:
        item = cur.subject(subject).item(items[0])
        assert got == f"初中{item.name}" and item.standard
    else:
        assert got == expected


# ---------------------------------------------------------------- messages and files found by the mutation run

def test_grades_text_joins_runs(school_case):
    """Kills `start = None` → `start = ""` in rules._grades_text (every run after the first lost its start)."""
    from app.core.rules import _grades_text

    assert _grades_text([5, 1, 2, 7, 8, 9]) == "1-2年级、5年级、7-9年级"
    assert _grades_text([3]) == "3年级"


def test_a_minimum_the_notice_sets_is_named_as_the_notice(studio_case):
    """Kills rules._min_message mutants: a minimum whose source is the notice (200 viewers) says 通知要求不少于;
    a lower bound of ours (issue 13: every limit has a source) says 应至少为, whatever its value."""
    from app.core.forms import SOURCE_NOTICE, SOURCE_OURS, Part, Source
    from app.core.rules import _min_message

    notice = (("min", Source(SOURCE_NOTICE, "累计观看人数不少于200人")),)
    ours = (("min", Source(SOURCE_OURS, "人数不能为负")),)
    for p, v, needle, not_needle in (
            (Part("viewers", "观看人数", unit="人", min=200, sources=notice), 199, "通知要求不少于200人", "应至少为"),
            (Part("n", "场次", unit="场", min=1, sources=ours), 0, "应至少为1场", "通知要求"),
            (Part("n", "场次", unit="场", min=2, sources=notice), 1, "通知要求不少于2场", "应至少为"),
            (Part("n", "场次", unit="场", min=2, sources=ours), 1, "应至少为2场", "通知要求"),
            (Part("n", "人数", unit="人", min=0, sources=ours), -1, "应至少为0人", "通知要求")):
        message = _min_message(None, p, v)
        assert needle in message and not_needle not in message


def test_settings_file_is_readable_utf8_json(user_folders):
    """Kills save_settings mutants: ensure_ascii (a Chinese path must stay readable for IT support), the indent."""
    from app.core.settings import Settings, load_settings, save_settings, settings_path

    s = Settings(soffice_path="D:/软件/LibreOffice/program/soffice.exe", recent_cases=["C:/研修/案例.json"])
    save_settings(s)
    text = settings_path().read_bytes().decode("utf-8")
    assert "D:/软件/LibreOffice" in text and "\\u" not in text
    assert '\n  "soffice_path": "D:/软件/LibreOffice/program/soffice.exe",' in text
    assert load_settings() == s


def test_case_file_errors_say_why(tmp_path, school_case, monkeypatch):
    """Kills casefile._os_reason mutants: permission, full-disk and disk errors are named in Chinese with what to
    do (issue 10's app/core/oserrors.py), never the raw English strerror."""
    import errno

    from app.core.casefile import _os_reason

    assert _os_reason(PermissionError(errno.EACCES, "Permission denied")).startswith("没有写入或读取的权限")
    assert _os_reason(OSError(errno.ENOSPC, "No space left on device")).startswith("磁盘空间不足")
    assert _os_reason(OSError(errno.EIO, "Input/output error")).startswith("读写磁盘时出错")
    errors = (PermissionError(errno.EACCES, "Permission denied"), OSError(errno.ENOSPC, "No space left on device"),
              OSError(errno.EIO, "Input/output error"), OSError("plain"))
    reasons = [_os_reason(e) for e in errors]
    assert len(set(reasons)) == 4
    for exc, reason in zip(errors, reasons):
        assert reason and str(exc.strerror or exc.args[0]) not in reason and "None" not in reason, reason


def test_material_titles_are_one_line_and_keep_their_letters(tmp_path, school_case):
    """Kills add_material cleaning the title as multi-line text, and package_names stripping letters other than
    spaces and dots from the ends of a title."""
    f = tmp_path / "X光片.jpg"
    f.write_bytes(b"x")
    m = add_material(school_case, f, "课例\n研讨")
    assert m.title == "课例 研讨"
    school_case.materials = [Material(str(f), "X光片 XX"), Material(str(f), "  课例. ")]
    assert package_names(school_case) == ["01-X光片 XX.jpg", "02-课例.jpg"]


def test_type_names_fall_back_to_the_python_name():
    """Kills _type_names losing the fallback for a type it has no word for."""
    from app.core.defdata import _type_names

    assert _type_names(set) == "set" and _type_names((str, set)) == "文字（用英文双引号括起来）或set"


def test_is_locked_on_this_platform(tmp_path):
    """Kills is_locked mutants: a missing file is not locked, a writable one is not, a folder is not."""
    from app.core.atomic import is_locked

    assert is_locked(tmp_path / "none.docx") is False
    f = tmp_path / "a.docx"
    f.write_bytes(b"x")
    assert is_locked(f) is False and f.read_bytes() == b"x"
    assert is_locked(tmp_path) is False


def test_character_counts_of_counts():
    """Kills counts() passing the wrong `spaces` flag."""
    from app.core.wordcount import counts

    c = counts("第3.5节 A/B测试\n")
    assert (c.words, c.chars_no_spaces, c.chars_with_spaces) == (6, 10, 11)


def test_a_migrated_file_drops_the_old_keys(tmp_path):
    """Kills casefile._v1_to_v2 keeping the v1 `stages` or `type` keys: they would ride along as unknown keys and
    be written back beside process_stages and case_type."""
    from app.core.casefile import load_case, save_case

    v1 = {"format": "yanxiu-case", "schema_version": 1, "type": "school",
          "fields": {"theme": "小学数学图形的位置与运动重难点教学探究"},
          "stages": [{"name": "问题诊断", "time": "第1-2周", "mode": "混合", "content": "听课", "tools": "问卷"}],
          "materials": []}
    target = tmp_path / "old.json"
    target.write_text(json.dumps(v1, ensure_ascii=False), encoding="utf-8")
    case = load_case(target)
    assert "stages" not in case.extra and "type" not in case.extra
    save_case(case, target)
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert "stages" not in saved and "type" not in saved and saved["case_type"] == "school"


def test_stage_lookup_by_label(cur):
    """Kills Curriculum.stage_by_label raising instead of returning None for a label it does not know."""
    for st in cur.stages:
        assert cur.stage_by_label(st.label) is st
    assert cur.stage_by_label("大学") is None


def test_the_required_field_message_quotes_a_short_hint_only():
    """Kills rules._short_hint mutants: only the hint's first line, and only when it is at most 40 characters."""
    from app.core.forms import Field
    from app.core.rules import _short_hint

    def hint(text):
        return _short_hint(Field("k", "标签", "text", "p", hint=text))

    assert hint("不超过300字\n第二行说明") == "不超过300字"
    assert hint("字" * 40) == "字" * 40
    assert hint("字" * 41 + "\n短") == ""
    assert hint("") == ""


@pytest.mark.skipif(os.name == "nt", reason="Windows has no directory fsync")
def test_an_atomic_write_flushes_the_file_and_its_folder(tmp_path, monkeypatch):
    """Kills atomic._fsync_dir skipped on POSIX: after a power cut the renamed file must still be in its folder,
    which takes an fsync of the folder as well as of the data."""
    import stat

    from app.core.atomic import atomic_write_bytes

    kinds = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (kinds.append(stat.S_ISDIR(os.fstat(fd).st_mode)), real(fd))[1])
    atomic_write_bytes(tmp_path / "a.json", b"{}")
    assert kinds == [False, True]


# ---------------------------------------------------------------- rules the sampled run found untested

def _findings(case, key):
    from app.core.rules import check_case

    return [f for f in check_case(case) if f.field == key]


def test_a_stage_without_time_is_named_in_the_reminder(school_case):
    """Kills rules._check_field reading the stage name under the wrong key in the 时间安排 reminder."""
    stages = [dict(s) for s in school_case.get("process_stages")]
    stages[1]["time"] = ""
    school_case.set("process_stages", stages)
    [f] = _findings(school_case, "process_stages")
    assert f.severity == WARNING and f"第2个阶段“{stages[1]['name']}”未填写时间安排" in f.message


def test_a_table_of_empty_rows_is_a_missing_required_field(school_case):
    """Kills rules._is_empty not treating a table whose rows are all blank as empty."""
    blank = {c.key: "" for c in school_case.form.field("authors").columns}
    school_case.set("authors", [blank])
    [f] = [f for f in _findings(school_case, "authors") if f.severity == ERROR]
    assert "请填写" in f.message


def test_a_too_long_mobile_number_gets_one_message_not_two(school_case):
    """Kills rules._check_table applying the 11-字 limit to the mobile column as well: a wrong number is one
    error that says what a mobile number is, not also "超过11字"."""
    authors = [dict(a) for a in school_case.get("authors")]
    for phone in ("138057123456", "电话请联系学校办公室转教研组"):  # 1 字 and 14 字, neither a mobile number
        authors[0]["phone"] = phone
        school_case.set("authors", authors)
        [f] = [f for f in _findings(school_case, "authors") if f.severity == ERROR]
        assert "不是11位手机号码" in f.message


def test_a_missing_required_group_part_is_an_error(school_case):
    """Kills rules._check_group building the 尚未填写 finding without its severity (it would crash the check)."""
    school_case.set("duration", dict(school_case.get("duration"), hours=None))
    [f] = _findings(school_case, "duration")
    assert f.severity == ERROR and "尚未填写" in f.message


@pytest.mark.parametrize("effect,ok", [(30, True), (29, False), (31, False), (30.5, False)])
def test_weights_must_sum_to_exactly_100(school_case, effect, ok):
    """Kills a tolerance of about 1 in the 三维评价 sum (99 % or 101 % would pass)."""
    # Issue 13: the weights are parts of 考核评价 (`evaluation`), the example's are 30/40/30.
    school_case.set("evaluation", dict(school_case.get("evaluation"), effect_weight=effect))
    errors = [f for f in _findings(school_case, "evaluation") if f.severity == ERROR]
    assert (errors == []) is ok
    if not ok:
        assert any("之和为" in f.message and "应为100%" in f.message for f in errors), errors


def test_curriculum_warnings_name_every_item_and_the_subjects_note(school_case):
    """Kills rules.check_curriculum mutants: the items joined with 、 in the out-of-range warning, and the
    subject's own note (e.g. 化学 in grade 9 only) left out of the untaught-grade warning."""
    from app.core.curriculum import load_curriculum

    school_case.set("content_items", ["数与代数-数与运算", "图形与几何-图形的位置与运动"])
    school_case.set("grades", ["3年级", "7年级"])
    school_case.set("stages", ["第二学段（3-4年级）", "第四学段（7-9年级）"])
    [f] = [f for f in _findings(school_case, "grades") if "所选课程内容" in f.message]
    assert "“数与代数-数与运算、图形与几何-图形的位置与运动”" in f.message and "1-6年级" in f.message
    chem = load_curriculum().subject("化学")
    school_case.set("subject", ["化学"])
    school_case.set("content_items", [])
    school_case.set("grades", ["7年级"])
    school_case.set("stages", ["第四学段（7-9年级）"])
    [f] = [f for f in _findings(school_case, "grades") if "通常在" in f.message]
    assert f"（{chem.grades_note}）" in f.message


def test_a_theme_naming_the_content_item_needs_no_subject_reminder(school_case):
    """Kills rules._check_theme ignoring the content items: a 研修主题 that names the content but not the subject
    word is fine."""
    school_case.set("theme", "图形的位置与运动重难点教学探究")
    assert not [f for f in _findings(school_case, "theme") if "没有出现科目或课程内容" in f.message]
    school_case.set("theme", "课堂教学能力提升实践研究")
    assert [f for f in _findings(school_case, "theme") if "没有出现科目或课程内容" in f.message]


# ---------------------------------------------------------------- values as a teacher types them

def test_a_percentage_typed_with_its_sign_is_a_number(studio_case):
    """Kills model._number stripping "%" from the wrong end: 出勤率 typed as "93%" is 93."""
    stats = studio_case.set("studio_stats", dict(studio_case.get("studio_stats"), attendance=" 93% ", viewers="2860"))
    assert stats["attendance"] == 93 and stats["viewers"] == 2860


def test_keywords_are_one_line_each_and_a_wrong_shape_is_named(school_case):
    """Kills model._str_list cleaning keywords as multi-line text, and a changed shape in its error message."""
    from app.core.model import ValueTypeError

    assert school_case.set("keywords", ["空间\n观念", "空间\n观念", " "]) == ["空间 观念"]
    with pytest.raises(ValueTypeError) as exc:
        school_case.set("keywords", [1, 2])
    assert str(exc.value) == f"“{school_case.form.field('keywords').label}”的内容格式不正确，应为文字列表。"


def test_materials_are_found_relative_to_the_case_folder(tmp_path, school_case):
    """Kills rules._check_materials not resolving a relative path against the case's folder."""
    (tmp_path / "照片").mkdir()
    (tmp_path / "照片" / "a.jpg").write_bytes(b"x" * 10)
    school_case.materials = [Material(str(Path("照片") / "a.jpg"), "课例照片", 10)]
    from app.core.rules import check_case

    assert [f for f in check_case(school_case, base_dir=tmp_path) if f.document == "materials"] == []
    [f] = [f for f in check_case(school_case, base_dir=tmp_path / "elsewhere") if f.document == "materials"]
    assert "找不到文件" in f.message


def test_the_materials_total_is_said_in_mb(tmp_path, school_case):
    """Kills a wrong MB conversion in the 总量 message."""
    from app.core.rules import check_case

    big = tmp_path / "v.mp4"
    with open(big, "wb") as fh:
        fh.truncate(150 * 1024 * 1024)
    school_case.materials = [Material(str(big), "课例视频")]
    [f] = [f for f in check_case(school_case) if f.document == "materials"]
    assert "总量150.0MB" in f.message


def test_a_saved_case_names_the_app_version(school_case):
    """Kills casefile.case_to_json writing the version under another key (docs/case-file.md documents it)."""
    from app import __version__
    from app.core.casefile import dumps

    assert json.loads(dumps(school_case))["app_version"] == __version__


def test_report_subheadings_point_at_their_field(school_case):
    """Kills printed.report_blocks losing the field of a 二级标题 (the check jumps there from the report total)."""
    from app.core.printed import report_blocks

    level2 = [b for b in report_blocks(school_case) if b.level == 2]
    assert level2 and all(b.field and school_case.form.field(b.field).label in b.text for b in level2)


def test_values_of_every_kind_are_normalized_or_refused_by_name(studio_case):
    """Kills model.normalize_value mutants: a number field, the part label in a bad date's message, and the
    loud failure on a kind the loader should have refused."""
    from app.core.forms import Field
    from app.core.model import ValueTypeError, normalize_value

    number = Field("n", "参与人数", "number", "p")
    assert normalize_value(number, " 12 ") == 12 and normalize_value(number, "") is None
    with pytest.raises(ValueTypeError, match="“参与人数”应填写数字"):
        normalize_value(number, "十二")
    stats = studio_case.form.field("studio_stats")
    start = stats.part("start")
    with pytest.raises(ValueTypeError) as exc:
        normalize_value(stats, dict(studio_case.get("studio_stats"), start="2025-13-01"))
    assert f"“{start.label}”应为日期" in str(exc.value)
    with pytest.raises(AssertionError, match="unhandled kind bogus"):
        normalize_value(Field("x", "X", "bogus", "p"), "")


def test_damaged_files_say_that_nothing_was_changed(tmp_path):
    """Kills casefile.loads mutants that drop the 文件未被修改/.bak hint or the too-deeply-nested message."""
    from app.core.casefile import CaseFileError, loads

    for raw in (b"{", b"", "研".encode("utf-8")[:2], b"\xff\xfe"):
        with pytest.raises(CaseFileError) as exc:
            loads(raw, name="案例.json")
        assert "“案例.json”" in str(exc.value) and "文件未被修改" in str(exc.value)
    with pytest.raises(CaseFileError) as exc:
        loads(b"[" * 100_000 + b"]" * 100_000, name="深.json")
    assert "“深.json”" in str(exc.value) and "嵌套过深" in str(exc.value)


def test_unknown_fields_and_keys_ride_along_and_known_ones_do_not(tmp_path):
    """Kills casefile.loads mutants: unknown fields kept for the next save under unknown_fields, and the known
    top-level keys (case_type, app_version …) never counted as unknown."""
    from app.core.casefile import load_case, save_case

    assert load_case(SCHOOL_EXAMPLE).extra == {}
    doc = json.loads(SCHOOL_EXAMPLE.read_text(encoding="utf-8"))
    doc["fields"]["future_field"] = {"x": 1}
    target = tmp_path / "c.json"
    target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    case = load_case(target)
    assert case.extra == {"unknown_fields": {"future_field": {"x": 1}}}
    save_case(case, target)
    assert json.loads(target.read_text(encoding="utf-8"))["unknown_fields"] == {"future_field": {"x": 1}}


def _pack_forms_dir(tmp_path):
    """A forms folder inside a pack (a definition is read within its pack: pack.toml holds the notice's facts)."""
    import shutil

    from tests.conftest import ROOT

    shutil.copy(ROOT / "pack.toml", tmp_path / "pack.toml")
    forms = tmp_path / "forms"
    forms.mkdir()
    return forms


def test_a_document_row_naming_an_unknown_field_is_refused_by_its_key(tmp_path):
    """Kills forms._document reporting an unknown field of a table row without its dotted key."""
    from app.core.forms import load_form
    from tests.conftest import ROOT

    text = (ROOT / "forms" / "school.toml").read_text(encoding="utf-8")
    old = '{ fields = ["process", "process_stages"] }'
    assert old in text
    forms = _pack_forms_dir(tmp_path)
    (forms / "school.toml").write_text(text.replace(old, '{ fields = ["process", "procces_stages"] }'),
                                       encoding="utf-8")
    load_form.cache_clear()
    try:
        with pytest.raises(DefinitionError) as exc:
            load_form("school", forms)
    finally:
        load_form.cache_clear()
    assert exc.value.key.startswith("documents.plan.rows[") and exc.value.key.endswith("].fields")
    assert "procces_stages" in exc.value.problem


def _load_edited_school(tmp_path, old, new):
    from app.core.forms import load_form
    from tests.conftest import ROOT

    text = (ROOT / "forms" / "school.toml").read_text(encoding="utf-8")
    assert old in text
    forms = _pack_forms_dir(tmp_path)
    (forms / "school.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    load_form.cache_clear()
    try:
        with pytest.raises(DefinitionError) as exc:
            load_form("school", forms)
    finally:
        load_form.cache_clear()
    return exc.value


@pytest.mark.parametrize("old,new,key,problem", [
    ('{ fields = ["process", "process_stages"] }', '{ label = "流程" }', "documents.plan.rows[3].fields",
     "缺少这一项，请补上"),
    ('{ items = ["report_process"] }', '{ items = [{ heading = "report_results", fields = ["report_process"] }] }',
     "documents.report.sections[1].items[0].heading", "应为本项 fields 中的一个"),
    ('layout = "report"', 'layout = "table"', "documents.report.layout",
     'layout = "table" 的文档要有 rows，layout = "report" 的文档要有 sections'),
])
def test_malformed_document_definitions_are_refused_by_key(tmp_path, old, new, key, problem):
    """Kills forms._document mutants: a table row without its fields, a report heading that is not one of its
    item's fields, and a table layout holding sections — each refused naming the dotted key and the problem."""
    err = _load_edited_school(tmp_path, old, new)
    assert (err.key, err.problem) == (key, problem)


# ---------------------------------------------------------------- modules the UI and the CLI use, tested in-process
# (mutmut maps a test to the functions it runs in its own process: these had no test of their own in the selection)

def test_disk_stamp_tells_a_rewritten_case_from_a_touched_or_unchanged_one(tmp_path):
    """Kills DiskStamp.of dropping the size (DiskStamp.of__mutmut_13) and changed_since calling an unchanged file
    changed (changed_since__mutmut_9): saving must not ask about a change that did not happen, and must about one."""
    from app.core.diskstamp import DiskStamp, changed_since

    p = tmp_path / "案例.json"
    p.write_bytes(b'{"a": 1}')
    stamp = DiskStamp.of(p)
    assert (stamp.size, stamp.content) == (8, b'{"a": 1}')
    assert not changed_since(p, stamp)
    later = stamp.mtime_ns + 5 * 10**9
    os.utime(p, ns=(later, later))  # a copy tool touched it: same bytes
    assert not changed_since(p, stamp)
    p.write_bytes(b'{"a": 2}')  # same size, another case
    os.utime(p, ns=(later, later))
    assert changed_since(p, stamp)
    p.unlink()
    assert changed_since(p, stamp) and not changed_since(p, None) and DiskStamp.of(p) is None


def test_page_states_count_a_finding_on_the_page_of_its_field():
    """Kills page_states asking has_field(None) (page_states__mutmut_13), which puts every finding on 支撑材料."""
    from app.core.model import Case
    from app.core.pagestate import MATERIALS, page_states

    case = Case.new("school")
    theme_page = case.form.field("theme").page
    case.set("theme", "基于课程标准的作业设计")
    states = page_states(case, [Finding(ERROR, "info", "theme", "x"), Finding(WARNING, "info", "theme", "y"),
                                Finding(WARNING, "materials", "", "z")])
    assert (states[theme_page].errors, states[theme_page].warnings, states[theme_page].started) == (1, 1, True)
    assert states[theme_page].text == "1个问题"
    assert (states[MATERIALS].errors, states[MATERIALS].warnings, states[MATERIALS].started) == (0, 1, False)
    assert states[MATERIALS].text == "未填写"


def test_the_curriculum_cascade_fills_grades_stages_and_basis_from_the_new_choice():
    """Kills derived_changes misnaming 学段 in its field check (derived_changes__mutmut_17), reading the old value of
    the field being changed (…_24) and asking for a field "STAGES" (…_74): choosing 课程内容 fills 学段, 年级 and
    课程内容依据; changing 科目 recomposes a 依据 she has not edited, and other fields change nothing."""
    from app.core.derive import derived_changes
    from app.core.model import Case

    case = Case.new("school")
    case.set("subject", ["数学"])
    out = derived_changes(case, "content_items", ["数与代数-数与运算"])
    assert out == {"grades": ["1年级", "2年级", "3年级", "4年级", "5年级", "6年级"],
                   "stages": ["第一学段（1-2年级）", "第二学段（3-4年级）", "第三学段（5-6年级）"],
                   "content_basis": "《义务教育数学课程标准（2022年版）》“数与代数”领域“数与运算”"}
    for k, v in out.items():
        case.set(k, v)
    case.set("content_items", ["数与代数-数与运算"])
    assert derived_changes(case, "subject", ["语文"])["content_basis"].startswith("《义务教育语文课程标准")
    case.set("content_basis", "我们自己写的依据")
    assert derived_changes(case, "subject", ["语文"]) == {}  # hers stays; grades and stages are ticked already
    assert derived_changes(case, "theme", "x") == {}


def test_an_out_of_range_number_is_quoted_whole_up_to_20_characters():
    """Kills caseguard._float adding “…” to a number of exactly 20 characters (_float__mutmut_15), and _kind naming
    a text as something else (_kind__mutmut_1): the message quotes what she wrote."""
    from app.core.caseguard import GuardError, parse_json

    twenty = "1" + "0" * 17 + ".0"
    with pytest.raises(GuardError, match=f"^数字“{twenty}”超出了可以处理的范围。$"):
        parse_json(f'{{"a": {twenty}}}')
    with pytest.raises(GuardError, match="超出了可以处理的范围") as exc:
        parse_json(f'{{"a": {twenty}1}}')
    assert f"“{twenty}…”" in str(exc.value)
    from app.core.caseguard import _kind
    assert [_kind(v) for v in ("x", True, 3, [], {}, None)] == ["文字", "是/否", "数字", "列表", "对象", "空值"]


def test_a_version_2_case_gets_its_statistics_split_and_a_note_for_what_could_not_be_split():
    """Kills migrate_v3._stats reading no number (_stats__mutmut_18) or dropping its note (…_50), and _unsplit_note
    losing the part names (_unsplit_note__mutmut_2): an old case keeps every word and says what to check."""
    from app.core.migrate_v3 import v2_to_v3

    doc = json.loads((Path(__file__).parent / "data" / "v2" / "school-math-graphics.json").read_text(encoding="utf-8"))
    text = doc["fields"]["report_stats"]
    assert "专题讲座3场" in text and "课例研讨16次" in text and "撰写论文5篇" in text
    doc["fields"]["goals"] = "提升教师的作业设计能力。"
    out = v2_to_v3(doc)
    stats = out["fields"]["report_stats"]
    assert (stats["lectures"], stats["lessons"], stats["showcases"], stats["papers"], stats["resources"]) == (3, 16, 2, 5, 12)
    assert stats["notes"] == text
    notes = dict(out["_migration_notes"])
    assert notes["report_stats"].startswith("“相关统计”现按通知分项填写（专题讲座、课例研讨、交流展示、课题论文、")
    assert "已从原文中读出专题讲座、课例研讨" in notes["report_stats"]
    assert notes["goals"] == ("“研修目标”现按通知分项填写（1.教师发展目标、2.教学改进目标、3.学生成长目标）。原来的内容"
                              "无法按编号拆分，已全部保留在“教师发展目标”中，请把各项分别移到对应的栏目。")
    from app.core.forms import load_form
    first = load_form("school").field("goals").text_parts[0].key
    assert out["fields"]["goals"][first] == "提升教师的作业设计能力。"  # kept whole in the first part


def test_writable_problem_on_posix_names_the_refusal_not_word(tmp_path, monkeypatch):
    """Kills oserrors.writable_problem opening with no mode (writable_problem__mutmut_28) and blaming Word or WPS
    for a refusal on Linux/macOS (…_44), where no program holds a file open like that."""
    from app.core import oserrors

    p = tmp_path / "信息表.docx"
    p.write_bytes(b"x")
    assert oserrors.writable_problem(p) is None
    assert oserrors.writable_problem(tmp_path / "nothing.docx") is None
    assert oserrors.writable_problem(tmp_path) == "同名的文件夹已经存在，请改名或移走它"
    if os.name == "nt":
        return
    real_open = open

    def refuse(path, mode="r", *a, **k):
        if Path(path) == p and mode == "r+b":
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(path, mode, *a, **k)

    monkeypatch.setattr("builtins.open", refuse)
    problem = oserrors.writable_problem(p)
    assert problem and "Word" not in problem and problem == oserrors.explain(PermissionError(13, "x", str(p)))


def test_a_pack_file_hash_and_the_pack_of_a_form():
    """Kills digest.sha256_file (once packs.sha256) opening nothing or as text (sha256__mutmut_2, _5) and pack_of looking a pack up by its
    version alone (pack_of__mutmut_4): the manifest's hashes and a case's pack are what installing checks."""
    import hashlib

    from app.core.digest import sha256_file as sha256
    from app.core.forms import load_form
    from app.core.packs import builtin_pack, pack_of

    data = bytes(range(256)) * 600  # more than one read block, with bytes text mode would refuse
    p = Path(os.environ.get("TMPDIR", "/tmp")) / f"yanxiu-sha-{os.getpid()}.bin"
    p.write_bytes(data)
    try:
        assert sha256(p) == hashlib.sha256(data).hexdigest()
    finally:
        p.unlink()
    assert pack_of(load_form("school")) == builtin_pack()


def test_yanxiu_import_in_process_writes_the_case_and_refuses_an_existing_file(tmp_path, capsys, school_case):
    """Kills importer.cmd.main_import losing the import result (main_import__mutmut_11) and its message about an
    existing case file (…_8): exit 1 names the file and changes nothing; exit 0 writes the case and says where."""
    from app.core.importer.cmd import main_import
    from app.render.docx_render import export_docx

    docs = export_docx(school_case, tmp_path / "docs")
    out = tmp_path / "导入的案例.json"
    out.write_text("hers", encoding="utf-8")
    assert main_import(docs, out) == 1
    assert f"“{out}”已存在，未作任何改动。" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "hers"
    out.unlink()
    assert main_import(docs, out) == 0
    assert f"已创建案例文件：{out}" in capsys.readouterr().out
    from app.core.casefile import load_case
    assert load_case(out).get("theme") == school_case.get("theme")


def test_pack_tool_in_process_new_build_check_zip_and_list(tmp_path, monkeypatch, capsys):
    """Kills packtool.new_pack not moving the title's year or the window on (new_pack__mutmut_57, _58, _68) and not
    copying the files (…_35); build_templates insisting on the files it is about to write (build_templates__mutmut_8);
    check_pack losing the example or its findings (check_pack__mutmut_35, _50); check_source dropping a zip's notice
    or version (check_source__mutmut_15, _21); `pack list` printing None or a joined "XX" (main_pack__mutmut_6, _8)
    and listing hidden folders as broken packs (…_21)."""
    import argparse
    import datetime as dt
    import zipfile

    from app import paths
    from app.core.forms import load_form
    from app.core.packs import builtin_pack, pack_files
    from app.core.packtool import build_templates, check_source, main_pack, new_pack

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "userdata"))
    load_form.cache_clear()
    src = builtin_pack()
    d = tmp_path / "pack-2026"
    pack = new_pack(2025, d)
    assert pack.notice.title == "2026年教师研修专项案例征集通知"
    assert (pack.notice.submission_start, pack.notice.submission_end) == (dt.date(2026, 9, 15), dt.date(2026, 9, 30))
    school_rel = "forms/school.toml"
    assert (d / school_rel).read_bytes() == (src.root / school_rel).read_bytes()
    template = d / "templates_docx" / "school-info.docx"
    template.unlink()  # build-templates writes what is missing
    build_templates(d)
    assert template.is_file()
    checked = check_source(d)
    assert (checked.id, checked.version, checked.notice) == (pack.id, 1, pack.notice)
    archive = tmp_path / "pack-2026.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for rel in pack_files(d) + ["pack.toml"]:
            z.write(d / rel, rel)
    zipped = check_source(archive)
    assert (zipped.id, zipped.version, zipped.notice, zipped.root) == (pack.id, 1, pack.notice, archive)

    packs_dir = paths.user_packs_dir()
    (packs_dir / ".partial-install").mkdir(parents=True)
    (packs_dir / "not-a-pack").mkdir()
    assert main_pack(argparse.Namespace(pack_command="list"), today=dt.date(2025, 10, 1)) == 0
    out = capsys.readouterr().out
    assert (f"{src.id} 第{src.version}版  {src.title}（2025年，内置）\n"
            f"  报送时间：{src.notice.window_text()}（已结束）\n  报送地址：{src.notice.address}\n") in out
    assert "None" not in out and "XX" not in out
    assert f"（文件夹“{packs_dir / 'not-a-pack'}”不是可用的表单包，已跳过）" in out and ".partial-install" not in out
    load_form.cache_clear()


def test_moving_a_case_keeps_her_unknown_fields_and_the_migration_notes(tmp_path):
    """Kills packmove.move_case normalising against no field (move_case__mutmut_14), forgetting the notes of an
    older file (…_40) or the unknown fields already kept (…_9): nothing she wrote is lost by a move."""
    from app.core.casefile import load_case
    from app.core.forms import load_form
    from app.core.packmove import move_case

    old = load_case(SCHOOL_EXAMPLE)
    old.extra["unknown_fields"] = {"county_unit": "某区教研室"}
    old.migration_notes.append(("goals", "请核对研修目标。"))
    moved = move_case(old, load_form("school"))
    assert all(moved.get(f.key) == old.get(f.key) for f in old.form.fields)
    assert moved.extra["unknown_fields"] == {"county_unit": "某区教研室"}
    assert moved.migration_notes == [("goals", "请核对研修目标。")]


def test_old_word_files_go_through_word_first_then_libreoffice(tmp_path, monkeypatch, school_case):
    """Kills convert._office refusing the .docx Word wrote (_office__mutmut_30), office_converters not offering
    Word on Windows (office_converters__mutmut_8) and _libreoffice not copying her file (_libreoffice__mutmut_21):
    a .doc is converted from a private copy, through Word when it is there, else LibreOffice."""
    import shutil
    import sys as _sys

    from app.core.importer import convert
    from app.render.docx_render import export_docx
    from app.render.pdf import officecom

    docx = export_docx(school_case, tmp_path / "docs")[0]
    doc = tmp_path / "旧信息表.doc"
    doc.write_bytes(convert.OLE_MAGIC + b"old word")

    class Word:
        def save_as_docx(self, src, target):
            assert src.parent != doc.parent and src.read_bytes() == doc.read_bytes()  # a copy, not hers
            shutil.copyfile(docx, target)

    (tmp_path / "work").mkdir()
    out, converted = convert.docx_copy(doc, tmp_path / "work", com=[Word()])
    assert converted and convert.is_docx(out) and out.parent.parent == tmp_path / "work"

    word = object()
    monkeypatch.setattr(_sys, "platform", "win32")
    monkeypatch.setattr(officecom, "com_available", lambda: True)
    monkeypatch.setattr(officecom, "progid_registered", lambda p: p in officecom.WORD_PROGIDS)
    monkeypatch.setattr(officecom, "word_converter", lambda: word)
    assert convert.office_converters() == [word]
    monkeypatch.undo()

    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    # a stand-in LibreOffice: writes the .docx of the copy it was given into --outdir
    fake.write_text("#!/bin/sh\nwhile [ \"$1\" != --outdir ]; do shift; done\nmkdir -p \"$2\"\n"
                    f"[ -f \"$3\" ] && cp '{docx}' \"$2/source.docx\"\n", encoding="utf-8")
    fake.chmod(0o755)
    if os.name == "nt":
        return
    import app.render.pdf.libreoffice as lo
    monkeypatch.setattr(lo, "find_soffice", lambda: fake)
    out, converted = convert.docx_copy(doc, tmp_path / "work", com=[])
    assert converted and convert.is_docx(out)


# ---------------------------------------------------------------- malformed bundled data names the file and the key

def _edited_copy(tmp_path, name, old, new):
    from app import paths

    text = (paths.resources_dir() / name).read_text(encoding="utf-8")
    assert old in text, old
    p = tmp_path / name
    p.write_text(text.replace(old, new, 1) if new is not None else text[:text.index(old)], encoding="utf-8")
    return p


@pytest.mark.parametrize("old,new,key,problem", [
    ('"六三" = { primary = "1-6", junior = "7-9" }\n', "", "systems", "应定义“六三”学制（[systems.六三]）"),
    ('grades = "3-4"', 'grades = "2-4"', "stages", "各学段合起来应恰好覆盖 1-9 年级，每个年级只属于一个学段"),
    ('grades = "3-4"', 'grades = "三四"', "stages[1].grades", "年级范围“三四”的写法不对，应写成“3-6”或“7”这样"),
    ("[[subjects]]", None, "subjects", "缺少这一项，请补上"),  # None: the file ends before its first subject
])
def test_malformed_curriculum_names_file_key_and_problem(tmp_path, old, new, key, problem):
    """Kills curriculum._load mutants that lose the path, the key or the message of its complaints
    (_load__mutmut_63, _89, _91, _136) or stop requiring the subjects (_load__mutmut_150)."""
    from app.core.curriculum import load_curriculum

    with pytest.raises(DefinitionError) as err:
        load_curriculum(_edited_copy(tmp_path, "curriculum.toml", old, new))
    assert (err.value.key, err.value.problem) == (key, problem)
    assert str(err.value) == f"文件“curriculum.toml”中的“{key}”：{problem}"


@pytest.mark.parametrize("old,new,key,problem", [
    ('"教改实践经验", "教改经验"', '"教改经验", "教改经验"', "channels", "应为各不相同、非空的文字"),
    ('columns = ["类别", "具体", "是否应用（填写是，否则为空）"]', 'columns = ["类别", "具体"]', "tools.school.columns",
     "应恰好写三个列名（类别、具体、是否应用）"),
    ('items = ["信息统计", "问卷调查"', 'items = ["信息统计", "信息统计"', "tools.school.categories[0].items",
     "应为不重复、非空的列表"),
    ('{ name = "教研群", items', '{ items', "tools.school.categories[0].name", "缺少这一项，请补上"),
])
def test_malformed_platform_catalogue_names_key_and_problem(tmp_path, old, new, key, problem):
    """Kills platform._load mutants that drop a complaint's message (_load__mutmut_45, _104, _140) or stop
    requiring a tool category's name (_load__mutmut_156)."""
    from app.core.platform import load_platform

    with pytest.raises(DefinitionError) as err:
        load_platform(_edited_copy(tmp_path, "platform.toml", old, new))
    assert (err.value.key, err.value.problem) == (key, problem)


@pytest.mark.parametrize("old,new,key,problem", [
    ('forms = ["school", "studio", "contacts"]', 'forms = ["school", "school"]', "forms", "应列出各表单的键，每个只出现一次"),
    ("submission_end = 2025-09-30", "submission_end = 2025-09-01", "notice.submission_end",
     "应为日期，如 2025-09-30，且不早于 submission_start"),
    (None, None, "files", "缺少这一项，请补上"),
])
def test_a_malformed_pack_manifest_names_key_and_problem(tmp_path, old, new, key, problem):
    """Kills packs.read_manifest mutants that drop or change its complaints (read_manifest__mutmut_117, _162) or
    look for the checksums under another name (…_213): an imported pack without `files` is refused."""
    import shutil

    from app import paths
    from app.core.packs import read_manifest

    root = tmp_path / "pack"
    shutil.copytree(paths.bundle_root() / "forms", root / "forms")
    text = (paths.bundle_root() / "pack.toml").read_text(encoding="utf-8")
    if old is not None:
        assert old in text
        text = text.replace(old, new, 1)
    else:  # an imported pack without its seal (the built-in manifest carries one since issue 17)
        text = text[:text.index("[files]")]
    (root / "pack.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        read_manifest(root, builtin=old is not None)
    assert (err.value.key, err.value.problem) == (key, problem)


def test_os_errors_are_explained_in_chinese_by_their_code():
    """Kills oserrors.explain mutants that change the sharing message (explain__mutmut_15), never recognise a full
    quota (…_22) or a missing file (…_46)."""
    import errno

    from app.core.oserrors import explain

    held = PermissionError(13, "Permission denied")
    held.winerror = 32  # ERROR_SHARING_VIOLATION: Word or WPS holds it
    assert explain(held) == "文件正被其他程序（如Word或WPS）打开，请先关闭它"
    if hasattr(errno, "EDQUOT"):
        assert explain(OSError(errno.EDQUOT, "Disk quota exceeded")) == "磁盘配额已用完，请清理文件或换一个位置"
    assert explain(FileNotFoundError(errno.ENOENT, "No such file")) == "找不到该文件或文件夹"


def test_a_review_snippet_marks_only_what_it_leaves_out():
    """Kills review.terms.snippet always cutting at the next line break (snippet__mutmut_40): with none after the
    match, the last character was lost and an “…” claimed more text followed."""
    from app.core.review.terms import snippet

    assert snippet("依据新课标设计作业", 2, 5) == "依据新课标设计作业"
    assert snippet("依据新课标设计作业\n第二段", 2, 5) == "依据新课标设计作业…"


# ---------------------------------------------------------------- survivors of the 400-mutant sample (2 Dec 2026)

def test_a_material_whose_size_is_not_a_whole_number_is_refused():
    """Kills casefile._materials joining the title and size checks with `and` (_materials__mutmut_5): a hand-edited
    size of "12" beside a proper title must be refused with the file's name, not loaded as a text size."""
    import json

    from app.core.casefile import CaseFileError, case_to_json, loads
    from app.core.model import Case

    doc = case_to_json(Case.new("school"))
    doc["materials"] = [{"path": "照片.jpg", "title": "研修照片", "size": "12"}]
    with pytest.raises(CaseFileError, match="支撑材料条目格式不正确"):
        loads(json.dumps(doc, ensure_ascii=False).encode("utf-8"), name="案例.json")


def test_tool_names_and_stage_names_are_one_line_and_stage_content_keeps_its_lines():
    """Kills normalize_value keeping a line break in a ticked tool (normalize_value__mutmut_164) or in a stage's
    name while flattening its content (…_211): names print in one table cell, the content in paragraphs."""
    from app.core.forms import load_form
    from app.core.model import normalize_value

    form = load_form("school")
    tools = normalize_value(form.field("tools"), {"管理工具": ["问卷\n调查"]})
    assert all("\n" not in item for item in tools["管理工具"])
    stage = normalize_value(form.field("process_stages"), [{"name": "问题\n诊断", "content": "第一步\n第二步"}])[0]
    assert "\n" not in stage["name"] and stage["content"] == "第一步\n第二步"


def test_a_stage_cell_left_null_is_empty_and_a_stage_that_is_not_a_table_row_is_refused():
    """Kills normalize_value refusing a null stage cell (normalize_value__mutmut_203) and letting a list of
    non-rows through to a crash (…_185): null reads as empty; ["x"] is a Chinese shape error naming the field."""
    from app.core.forms import load_form
    from app.core.model import ValueTypeError, normalize_value

    f = load_form("school").field("process_stages")
    assert normalize_value(f, [{"name": None, "content": "内容"}])[0]["name"] == ""
    with pytest.raises(ValueTypeError, match=f"“{f.label}”的内容格式不正确"):
        normalize_value(f, ["问题诊断"])


def test_an_unset_field_reads_as_its_empty_value_and_editing_it_clears_its_migration_note():
    """Kills Case.set matching migration notes by their message instead of their field (Case.set__mutmut_12). (Case.get
    without its empty-value default, Case.get__mutmut_6, survives: a new or loaded case holds every field.)"""
    from app.core.model import Case

    case = Case.new("school")
    assert case.get("theme") == "" and case.get("process_stages") == []
    case.migration_notes = [("theme", "请核对研修主题"), ("needs", "请核对需求分析")]
    case.set("theme", "小学数学图形的运动")
    assert case.migration_notes == [("needs", "请核对需求分析")]


def test_a_weight_goes_before_the_closing_full_stop():
    """Kills numbered_lines appending the weight after the 。 (numbered_lines__mutmut_29): "…评价（权重30%）。"."""
    from app.core.forms import load_form
    from app.core.printed import numbered_lines

    f = load_form("school").field("evaluation")
    lines = numbered_lines(f, {"process": "依据线上学习时长评价。", "process_weight": 30})
    assert lines[0].endswith("依据线上学习时长评价（权重30%）。")


def test_a_missing_material_is_named_by_its_title_or_else_its_file_name(tmp_path):
    """Kills _check_materials dropping the title from the not-found message (_check_materials__mutmut_50)."""
    from app.core.model import Case, Material
    from app.core.rules import check_case

    case = Case.new("school")
    case.materials = [Material("研修照片.jpg", "研修现场照片", 0), Material("签到表.pdf", "", 0)]
    messages = [f.message for f in check_case(case, base_dir=tmp_path, review=False) if f.document == "materials"]
    assert any("“研修现场照片”找不到文件" in m for m in messages)
    assert any("“签到表.pdf”找不到文件" in m for m in messages)

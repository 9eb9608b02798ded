"""Case files round-trip, refuse damaged or foreign files with a clear message, migrate, and save atomically."""

import json
import os

import pytest

from app.core import atomic
from app.core.casefile import SCHEMA_VERSION, CaseFileError, dumps, load_case, save_case
from app.core.model import Case, Material
from tests.conftest import SCHOOL_EXAMPLE


def test_round_trip_keeps_every_field(tmp_path, example_case):
    example_case.materials.append(Material("照片/研讨.jpg", "课例研讨照片", 1234))
    target = tmp_path / "案例.json"
    save_case(example_case, target)
    again = load_case(target)
    assert again == example_case
    assert again.get("theme") == example_case.get("theme")
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["format"] == "yanxiu-case" and doc["schema_version"] == SCHEMA_VERSION
    assert "研修" in target.read_text(encoding="utf-8")  # UTF-8, not \\u escapes: readable on a USB stick


def test_hostile_text_is_cleaned_on_entry_and_survives(tmp_path):
    case = Case.new("school")
    hostile = "A<b>&\"'{{ x }}{% if %}\x00\x07\x0b\x0c😀\r\n第二段\u2028第三段" + "字" * 100_000
    stored = case.set("summary", hostile)
    assert "\x00" not in stored and "\x07" not in stored and "\x0b" not in stored
    assert stored.startswith("A<b>&\"'{{ x }}{% if %}\n\n😀\n第二段\n第三段")
    assert case.set("theme", "主题\n换行\t制表") == "主题 换行 制表"
    save_case(case, tmp_path / "c.json")
    assert load_case(tmp_path / "c.json").get("summary") == stored


@pytest.mark.parametrize("content,needle", [
    (b"", "空文件"),
    (b'{"format": "yanxiu-case", "schema_version": 2, "case_type": "sch', "已损坏或不完整"),
    (b"\xff\xfe\x00garbage", "不是UTF-8"),
    (b"[1, 2, 3]", "不是研修案例填报助手的案例文件"),
    (b'{"name": "package.json"}', "不是研修案例填报助手的案例文件"),
    (b'{"format": "yanxiu-case", "schema_version": 99, "case_type": "school", "fields": {}}', "更新版本"),
    (b'{"format": "yanxiu-case", "schema_version": 2, "case_type": "college", "fields": {}, "materials": []}', "无法识别"),
    (b'{"format": "yanxiu-case", "schema_version": 2, "case_type": "school", "fields": {"theme": 42}, "materials": []}',
     "“研修主题”的内容格式不正确"),
    (b'{"format": "yanxiu-case", "schema_version": 2, "case_type": "school", "fields": {"keywords": "a"}, "materials": []}',
     "“案例关键词”的内容格式不正确"),
    ('{"format": "yanxiu-case", "schema_version": 2, "case_type": "school", "fields": {"weights": {"process": "很多"}},'
     ' "materials": []}'.encode(), "“过程评价权重”应填写数字"),
    (b'{"format": "yanxiu-case", "schema_version": 2, "case_type": "school", "fields": {}, "materials": [{"path": 3}]}',
     "支撑材料"),
])
def test_bad_files_give_a_chinese_message_and_stay_untouched(tmp_path, content, needle):
    target = tmp_path / "坏文件.json"
    target.write_bytes(content)
    with pytest.raises(CaseFileError) as err:
        load_case(target)
    assert needle in str(err.value)
    assert target.read_bytes() == content


def test_truncated_real_file_is_refused(tmp_path):
    data = SCHOOL_EXAMPLE.read_bytes()
    target = tmp_path / "截断.json"
    target.write_bytes(data[: len(data) // 2])
    with pytest.raises(CaseFileError, match="已损坏或不完整"):
        load_case(target)


def test_missing_file_message(tmp_path):
    with pytest.raises(CaseFileError, match="找不到案例文件"):
        load_case(tmp_path / "nope.json")


def test_version_one_migrates(tmp_path):
    v1 = {
        "format": "yanxiu-case", "schema_version": 1, "type": "school",
        "fields": {"theme": "小学数学图形的位置与运动重难点教学探究", "keywords": "空间观念、平移，旋转"},
        "stages": [{"name": "问题诊断", "time": "第1-2周", "mode": "混合", "content": "听课", "tools": "问卷调查"}],
        "materials": [],
    }
    target = tmp_path / "old.json"
    target.write_text(json.dumps(v1, ensure_ascii=False), encoding="utf-8")
    case = load_case(target)
    assert case.case_type == "school"
    assert case.get("keywords") == ["空间观念", "平移", "旋转"]
    assert case.get("process_stages")[0]["name"] == "问题诊断"
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == 1  # untouched until saved
    save_case(case, target)
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == SCHEMA_VERSION


def test_unknown_keys_survive_a_save(tmp_path):
    doc = json.loads(SCHOOL_EXAMPLE.read_text(encoding="utf-8"))
    doc["reviewer_notes"] = {"by": "教研员"}
    target = tmp_path / "x.json"
    target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    save_case(load_case(target), target)
    assert json.loads(target.read_text(encoding="utf-8"))["reviewer_notes"] == {"by": "教研员"}


def test_save_keeps_the_previous_version_as_bak(tmp_path, school_case):
    target = tmp_path / "案例.json"
    save_case(school_case, target)
    first = target.read_bytes()
    school_case.set("theme", "小学数学图形的运动教学策略研究")
    save_case(school_case, target)
    assert (tmp_path / "案例.json.bak").read_bytes() == first
    assert load_case(target).get("theme") == "小学数学图形的运动教学策略研究"


@pytest.mark.parametrize("victim", ["fsync", "replace"])
def test_an_exception_in_the_middle_of_a_save_leaves_the_old_file(tmp_path, monkeypatch, school_case, victim):
    target = tmp_path / "案例.json"
    save_case(school_case, target)
    before = target.read_bytes()
    school_case.set("theme", "改过的主题")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, victim, boom)
    with pytest.raises(CaseFileError, match="原文件未被改动"):
        save_case(school_case, target)
    monkeypatch.undo()
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_saved_file_is_readable_by_others(tmp_path, school_case):
    if os.name == "nt":
        pytest.skip("POSIX permissions")
    target = tmp_path / "c.json"
    save_case(school_case, target)
    assert target.stat().st_mode & 0o044  # not the 0600 of a bare temp file


def test_dumps_is_deterministic_apart_from_the_timestamp(school_case):
    a, b = json.loads(dumps(school_case)), json.loads(dumps(school_case))
    a.pop("saved_at"), b.pop("saved_at")
    assert a == b


def test_stale_temp_removal_takes_only_the_names_the_atomic_writer_makes(tmp_path):
    """A cut-off save leaves `.案例.json.XXXXXXXX.tmp` (or the backup's): those go; her own files, a folder of that
    name, or another case's temp stay. In the autosave folder (the app's alone) every such temp goes."""
    tmp_path = tmp_path / "案例文件夹"  # the test's own folder also holds its home
    tmp_path.mkdir()
    case = tmp_path / "案例.json"
    ours = [tmp_path / ".案例.json.ab12cd34.tmp", tmp_path / ".案例.json.bak.zz99yy_8.tmp"]
    kept = [tmp_path / ".案例.json.mine.tmp", tmp_path / ".其他.json.ab12cd34.tmp", tmp_path / "案例.json.ab12cd34.tmp"]
    for p in ours + kept:
        p.write_text("x", encoding="utf-8")
    (tmp_path / ".案例.json.dir12345.tmp").mkdir()
    assert atomic.remove_stale_temps(case) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([p.name for p in kept] + [".案例.json.dir12345.tmp"])
    assert atomic.remove_stale_temps(tmp_path / "gone" / "案例.json") == 0  # a folder that is not there

    autosave = tmp_path / "autosave"
    autosave.mkdir()
    for name in (".a.json.ab12cd34.tmp", ".b.json.bak.zz99yy88.tmp", "draft.json", ".a.json.tmp"):
        (autosave / name).write_text("x", encoding="utf-8")
    assert atomic.remove_temps_in(autosave) == 2
    assert sorted(p.name for p in autosave.iterdir()) == [".a.json.tmp", "draft.json"]
    assert atomic.remove_temps_in(tmp_path / "gone") == 0

"""Form packs: next year's notice made with `pack new`, checked, installed, used, and refused when broken."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import zipfile

import pytest
from docx import Document

from app.core.casefile import load_case, save_case
from app.core.forms import load_form
from app.core.model import Case
from app.core.packs import PackError, all_packs, builtin_pack, newest_pack
from app.core.packtool import build_templates, check_source, install_pack, new_pack, seal_pack
from app.core.rules import check_case
from app.render.docx_render import export_docx
from tests.conftest import SCHOOL_EXAMPLE, run_cli

NEW_FIELD_LABEL = "区县推荐单位"


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    """A fresh user data folder: packs installed by one test never leak into another."""
    data = tmp_path / "userdata"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    load_form.cache_clear()
    yield data / "yanxiu" / "packs"
    load_form.cache_clear()


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _next_year_pack(tmp_path):
    """`pack new --from 2025`, then what a 教研员 does for next year: one limit changed, one field added."""
    d = tmp_path / "pack-2026"
    new_pack(2025, d)
    school = d / "forms" / "school.toml"
    _edit(school, 'limit = 300\nlimit_source = { source = "notice", words = "不超过 300字" }',
          'limit = 250\nlimit_source = { source = "notice", words = "不超过 250字" }')
    _edit(school, '"content_basis", "summary"]', '"content_basis", "county_unit", "summary"]')
    school.write_text(school.read_text(encoding="utf-8") + f'''
[[fields]]
key = "county_unit"
label = "{NEW_FIELD_LABEL}"
kind = "line"
page = "info"
limit = 40
limit_source = {{ source = "notice", words = "不超过 40字" }}
required = false
hint = "2026年通知新增：填写推荐本案例的区县教研部门。"
''', encoding="utf-8")
    build_templates(d)  # regenerates the templates from the edited definition and reseals the pack
    return d


def _zip(folder, target):
    with zipfile.ZipFile(target, "w") as z:
        for p in folder.rglob("*"):
            if p.is_file():
                z.write(p, p.relative_to(folder).as_posix())
    return target


def test_next_year_pack_is_checked_installed_used_exported_and_reopened(tmp_path, user_data):
    d = _next_year_pack(tmp_path)
    pack = check_source(d)
    assert (pack.id, pack.year) == ("notice-2026", 2026)
    installed = install_pack(_zip(d, tmp_path / "notice-2026.zip"))
    assert installed.root.parent == user_data
    assert [p.id for p in all_packs()] == ["notice-2025", "notice-2026"]

    case = Case.new("school")  # new cases take the newest pack
    assert case.form.pack_id == "notice-2026"
    example = load_case(SCHOOL_EXAMPLE)
    for f in example.form.fields:
        case.set(f.key, example.get(f.key))
    case.materials = example.materials
    case.set("county_unit", "海淀区教师进修学校")
    case.set("summary", "研" * 280)  # within 2025's 300, beyond 2026's 250
    errors = [f for f in check_case(case, base_dir=SCHOOL_EXAMPLE.parent) if f.is_error]
    assert any(f.field == "summary" and "250" in f.message for f in errors), errors

    out = tmp_path / "out"
    files = export_docx(case, out)
    info = next(p for p in files if p.name.startswith("案例信息表"))
    cells = [c.text for t in Document(str(info)).tables for row in t.rows for c in row.cells]
    assert NEW_FIELD_LABEL in cells and "海淀区教师进修学校" in cells

    saved = tmp_path / "case.json"
    save_case(case, saved)
    # A restart: a new process finds the installed pack from the case file alone and enforces its limit.
    result = run_cli("check", str(saved))
    out_text = result.stdout.decode("utf-8")
    assert result.returncode == 1, result.stderr.decode("utf-8")
    assert "不超过 250字" in out_text


def test_an_old_case_keeps_its_pack(tmp_path, user_data):
    old = Case.new("school")
    assert old.form.pack_id == "notice-2025"
    old.set("summary", "研" * 250)
    path = tmp_path / "old.json"
    save_case(old, path)
    install_pack(_next_year_pack(tmp_path))
    reopened = load_case(path)
    assert (reopened.form.pack_id, reopened.form.field("summary").limit) == ("notice-2025", 300)
    assert not reopened.form.has_field("county_unit")
    assert newest_pack("school").id == "notice-2026"


def test_a_word_document_is_imported_into_the_newest_pack_with_its_new_field(tmp_path, user_data):
    """The importer fills the form a new case gets: next year's field is read back, not left over."""
    from app.core.importer import import_documents

    install_pack(_next_year_pack(tmp_path))
    case = Case.new("school")
    example = load_case(SCHOOL_EXAMPLE)
    for f in example.form.fields:
        case.set(f.key, example.get(f.key))
    case.set("county_unit", "海淀区教师进修学校")
    info = next(p for p in export_docx(case, tmp_path / "out") if p.name.startswith("案例信息表"))

    result = import_documents([info])
    assert result.case.form.pack_id == "notice-2026"
    assert result.case.get("county_unit") == "海淀区教师进修学校"
    assert result.case.get("theme") == example.get("theme")
    assert not any("海淀区教师进修学校" in u.text for u in result.unplaced), result.unplaced


def test_a_case_of_a_pack_not_installed_is_refused_naming_the_pack(tmp_path, user_data):
    d = _next_year_pack(tmp_path)
    install_pack(d)
    case = Case.new("school")
    path = tmp_path / "c.json"
    save_case(case, path)
    shutil.rmtree(user_data)
    load_form.cache_clear()
    with pytest.raises(Exception) as err:
        load_case(path)
    assert "notice-2026" in str(err.value) and "导入表单包" in str(err.value)


def _assert_nothing_installed(user_data):
    assert not user_data.exists() or list(user_data.iterdir()) == []
    assert [p.id for p in all_packs()] == ["notice-2025"]


def test_a_pack_with_a_broken_template_is_refused_and_nothing_installed(tmp_path, user_data):
    d = _next_year_pack(tmp_path)
    # The definition drops a field but the template still prints it: the template no longer matches.
    _edit(d / "forms" / "school.toml", '"county_unit", "summary"]', '"summary"]')
    seal_pack(d)
    with pytest.raises(PackError) as err:
        install_pack(_zip(d, tmp_path / "broken.zip"))
    assert "school-info.docx" in str(err.value) and "county_unit" in str(err.value)
    _assert_nothing_installed(user_data)


def test_a_pack_with_a_missing_file_is_refused_and_nothing_installed(tmp_path, user_data):
    d = _next_year_pack(tmp_path)
    os.remove(d / "templates_docx" / "studio-plan.docx")
    with pytest.raises(PackError) as err:
        install_pack(_zip(d, tmp_path / "missing.zip"))
    assert "templates_docx/studio-plan.docx" in str(err.value)
    _assert_nothing_installed(user_data)


def test_a_changed_file_and_a_bad_manifest_are_named(tmp_path, user_data):
    d = _next_year_pack(tmp_path)
    (d / "forms" / "studio.toml").write_text((d / "forms" / "studio.toml").read_text(encoding="utf-8") + "\n",
                                             encoding="utf-8")
    with pytest.raises(PackError, match="forms/studio.toml.*校验值"):
        check_source(d)
    seal_pack(d)
    _edit(d / "pack.toml", "submission_end = 2026-09-30", "submission_end = 2026-02-30x")
    with pytest.raises(PackError, match="pack.toml"):
        install_pack(d)
    _assert_nothing_installed(user_data)


OLD_ITEM, NEW_ITEM = "数与代数-函数", "数与代数-函数与变化规律（2026年版）"
NEW_CHANNEL = "人工智能教育"


def _pack_with_own_resources(tmp_path):
    """Next year's notice renames a 课程内容 entry (and widens its grades) and adds a platform channel."""
    d = tmp_path / "pack-2026"
    new_pack(2025, d)
    _edit(d / "resources" / "curriculum.toml", f'{{ name = "{OLD_ITEM}", grades = "7-9", mark = "notice" }}',
          f'{{ name = "{NEW_ITEM}", grades = "6-9", mark = "notice" }}')
    _edit(d / "resources" / "platform.toml", '"地方频道",', f'"地方频道", "{NEW_CHANNEL}",')
    seal_pack(d)
    return d


def test_a_pack_s_own_curriculum_and_catalogue_serve_its_cases_and_only_its_cases(tmp_path, user_data):
    from app.core.derive import derived_changes

    builtin_case = Case.new("school")  # made before the import: the built-in pack's
    install_pack(_pack_with_own_resources(tmp_path))
    case = Case.new("school")
    assert case.form.pack_id == "notice-2026"
    items = [i.name for i in case.form.curriculum.content_items("数学")]
    assert NEW_ITEM in items and OLD_ITEM not in items
    assert NEW_CHANNEL in case.form.options("platform.channels")
    assert case.form.curriculum.subject("数学").item(NEW_ITEM).grades == (6, 7, 8, 9)
    # The cascade: choosing the new entry pre-ticks its grades and composes the basis from its name.
    case.set("subject", ["数学"])
    filled = derived_changes(case, "content_items", [NEW_ITEM])
    assert filled["grades"] == ["6年级", "7年级", "8年级", "9年级"]
    assert "函数与变化规律（2026年版）" in filled["content_basis"]
    # The check: 3年级 is outside the new entry's grades.
    case.set("content_items", [NEW_ITEM])
    case.set("grades", ["3年级"])
    warned = [f.message for f in check_case(case) if f.field == "grades"]
    assert any("适用于6-9年级" in m for m in warned), warned

    # The built-in pack keeps the built-in curriculum: the new entry is unknown there, the old one offered.
    assert builtin_case.form.pack_id == "notice-2025"
    builtin_items = [i.name for i in builtin_case.form.curriculum.content_items("数学")]
    assert OLD_ITEM in builtin_items and NEW_ITEM not in builtin_items
    assert NEW_CHANNEL not in builtin_case.form.options("platform.channels")
    builtin_case.set("subject", ["数学"])
    assert "grades" not in derived_changes(builtin_case, "content_items", [NEW_ITEM])
    builtin_case.set("content_items", [NEW_ITEM])
    builtin_case.set("grades", ["3年级"])
    assert not any("适用于" in f.message for f in check_case(builtin_case) if f.field == "grades")


def test_the_wizard_s_cascade_offers_the_pack_s_entry(qtbot, tmp_path, user_data):
    install_pack(_pack_with_own_resources(tmp_path))
    w = _window(qtbot, tmp_path, dt.date(2026, 3, 1))
    w.new_case("school")
    page = w.wizard.form_pages[0]
    page.editors["subject"].boxes["数学"].setChecked(True)
    content = page.editors["content_items"]
    assert content.combos[0].findText(NEW_ITEM) >= 0 and content.combos[0].findText(OLD_ITEM) < 0
    content.boxes[0].setText(NEW_ITEM)
    assert w.session.get("grades") == ["6年级", "7年级", "8年级", "9年级"]


def test_a_pack_without_resources_falls_back_to_the_built_in_ones(tmp_path, user_data):
    d = tmp_path / "pack-2026"
    new_pack(2025, d)
    shutil.rmtree(d / "resources")
    seal_pack(d)
    install_pack(d)
    form = newest_pack("school").form("school")
    assert form.pack_id == "notice-2026"
    assert form.resources == builtin_pack().form("school").resources
    assert OLD_ITEM in [i.name for i in form.curriculum.content_items("数学")]


def test_a_pack_with_a_malformed_curriculum_is_refused_naming_file_and_key(tmp_path, user_data):
    d = _pack_with_own_resources(tmp_path)
    _edit(d / "resources" / "curriculum.toml", f'grades = "6-9", mark = "notice"', 'grades = "6-10", mark = "notice"')
    seal_pack(d)
    with pytest.raises(PackError) as err:
        install_pack(d)
    assert "curriculum.toml" in str(err.value) and "grades" in str(err.value)
    _assert_nothing_installed(user_data)


# What a 教研员 gets wrong while editing a pack: each refusal is Chinese, names the file and the key, and says
# what to do next; no English sentence of the loader leaks through.
MALFORMED = [
    ("pack.toml", "version = 1", 'version = "2"', "pack.toml", "version", "应为整数"),
    ("forms/school.toml", "limit = 300\n", 'limit = "三百"\n', "forms/school.toml", "fields.summary.limit", "应为整数"),
    ("forms/studio.toml", 'title = "', 'title = ', "forms/studio.toml", "TOML", "第"),
    ("forms/school.toml", 'kind = "tags"', 'kind = "slider"', "forms/school.toml", "fields.keywords.kind",
     "字段类型“slider”无效"),
    ("resources/curriculum.toml", 'standard = "义务教育语文课程标准（2022年版）"',
     'standard = "义务教育语文课程标准（2022年版）"\nstandrad = "x"', "resources/curriculum.toml", "subjects[1].standrad",
     "不是可用的键"),
    ("resources/platform.toml", '"地方频道",', '"地方频道", "德育",', "resources/platform.toml", "channels", "各不相同"),
    ("resources/review.toml", "pattern = '新(?:课标", "pattern = '(新(?:课标", "resources/review.toml", "term[0].pattern",
     "正则表达式"),
]


def _english_sentence(message: str) -> str | None:
    """A run of three English words outside the quoted keys and values and the commands she is told to run."""
    import re

    bare = re.sub(r"“[^”]*”|\"[^\"]*\"|yanxiu pack \w+( \.)?", " ", message)
    m = re.search(r"[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}", bare)
    return m.group(0) if m else None


@pytest.fixture(scope="module")
def sealed_2026(tmp_path_factory):
    d = tmp_path_factory.mktemp("base") / "pack-2026"
    new_pack(2025, d)
    return d


@pytest.mark.parametrize("rel,old,new,file,key,said", MALFORMED, ids=[m[0] + ":" + m[4] for m in MALFORMED])
def test_a_malformed_pack_is_refused_in_chinese_naming_file_and_key(tmp_path, user_data, sealed_2026, rel, old, new,
                                                                  file, key, said):
    d = tmp_path / "pack"
    shutil.copytree(sealed_2026, d)
    _edit(d / rel, old, new)
    if rel != "pack.toml":
        seal_pack(d)  # the author resealed: the complaint is about the content, not the checksum
    with pytest.raises(PackError) as err:
        install_pack(d)
    message = str(err.value)
    assert file in message and key in message and said in message, message
    assert "yanxiu pack check" in message  # what to do next
    assert _english_sentence(message) is None, message
    _assert_nothing_installed(user_data)


@pytest.mark.parametrize("damage", ["not a docx", "broken tag"])
def test_an_unreadable_template_is_refused_in_chinese_not_a_crash(tmp_path, user_data, sealed_2026, damage):
    d = tmp_path / "pack"
    shutil.copytree(sealed_2026, d)
    template = d / "templates_docx" / "school-info.docx"
    if damage == "not a docx":
        template.write_bytes(b"saved as text by mistake")
    else:  # a {{ tag Word split or an author half-deleted
        with zipfile.ZipFile(sealed_2026 / "templates_docx" / "school-info.docx") as zin, \
                zipfile.ZipFile(template, "w") as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename == "word/document.xml":
                    data = data.replace(b"{{", b"{{ theme | ", 1)
                zout.writestr(info, data)
    seal_pack(d)
    with pytest.raises(PackError) as err:
        install_pack(d)
    message = str(err.value)
    assert "templates_docx/school-info.docx" in message and "yanxiu pack build-templates" in message, message
    assert _english_sentence(message) is None, message
    _assert_nothing_installed(user_data)


def test_an_installed_pack_damaged_later_refuses_its_cases_in_chinese(tmp_path, user_data):
    """A file of an installed pack edited by hand after the import: her case is not opened with a half-read
    definition, the message names the pack, the file and the key, and the case file is untouched."""
    from app.core.casefile import CaseFileError

    install_pack(_next_year_pack(tmp_path))
    case = Case.new("school")
    saved = tmp_path / "c.json"
    save_case(case, saved)
    before = saved.read_bytes()
    installed = newest_pack("school").root
    _edit(installed / "forms" / "school.toml", "limit = 250\n", 'limit = "二百五"\n')
    load_form.cache_clear()
    with pytest.raises(CaseFileError) as err:
        load_case(saved)
    message = str(err.value)
    assert "notice-2026" in message and "forms/school.toml" in message and "fields.summary.limit" in message
    assert "重新导入" in message and _english_sentence(message) is None, message
    assert saved.read_bytes() == before


def test_the_built_in_pack_holds_the_notice_facts():
    pack = builtin_pack()
    assert (pack.year, pack.notice.submission_start, pack.notice.submission_end) == (
        2025, dt.date(2025, 9, 15), dt.date(2025, 9, 30))
    assert check_source(pack.root).id == "notice-2025"
    assert load_form("school").submission.end == dt.date(2025, 9, 30)


def test_the_built_in_pack_is_sealed():
    """Every built-in file is listed in pack.toml [files] with its checksum: a change to forms/, templates_docx/,
    resources/ or examples/ without a reseal fails here."""
    from app.core.packs import integrity_problems, pack_files

    pack = builtin_pack()
    assert sorted(dict(pack.files)) == pack_files(pack.root)
    assert integrity_problems(pack) == [], "after editing a built-in file run: python -m app pack seal ."


def _copy_of_the_built_in_pack(tmp_path):
    """The bundle's pack files as they are, manifest included, read as the built-in pack would be."""
    from app.core.packs import MANIFEST, pack_files, read_manifest

    root = builtin_pack().root
    copy = tmp_path / "bundle"
    for rel in [MANIFEST, *pack_files(root)]:
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, copy / rel)
    return read_manifest(copy, builtin=True)


def test_a_hand_edited_built_in_file_is_noticed_without_blocking_her(tmp_path):
    from app.core.packs import integrity_problems
    from app.ui.packui import start_text

    pack = _copy_of_the_built_in_pack(tmp_path)
    assert integrity_problems(pack) == []
    _edit(pack.root / "forms" / "school.toml", "不超过 300字", "不超过 3000字")
    (pack.root / "templates_docx" / "studio-plan.docx").unlink()
    problems = integrity_problems(pack)
    assert len(problems) == 2
    changed = next(p for p in problems if "forms/school.toml" in p)
    assert "内置表单包" in changed and "校验值不符" in changed and "重新安装本软件" in changed
    assert "yanxiu pack seal" in changed
    assert any("缺少文件“templates_docx/studio-plan.docx”" in p for p in problems)
    assert "内置表单包“notice-2025”中的文件“forms/school.toml”" in changed
    # The start page says so, in Chinese, naming the file; nothing refuses to open.
    text = start_text(dt.date(2025, 9, 20), packs=[pack])
    assert "新建案例将按2025年教师研修专项案例征集通知" in text
    assert "注意：" in text and ("forms/school.toml" in text or "studio-plan.docx" in text) and "另有1处" in text
    # pack check refuses it (exit 1 from the command line), naming the file.
    with pytest.raises(PackError, match="forms/school.toml|studio-plan.docx"):
        check_source(pack.root)


def _hashes_counted(monkeypatch):
    """Each file the seal check reads, in order."""
    import app.core.packs as packs_module

    read, real = [], packs_module.sha256_file
    monkeypatch.setattr(packs_module, "sha256_file", lambda path: read.append(path) or real(path))
    return read


def test_the_start_page_does_not_re_read_an_unchanged_pack_but_still_sees_a_hand_edit(tmp_path, monkeypatch):
    """Issue 11: the seal check at each start remembers (user cache folder) the files it found intact, by size
    and time stamps; an edit that keeps the file's size is still reported, at once and at every later start."""
    from app.core import sealcache
    from app.ui.packui import start_text

    monkeypatch.setattr(sealcache, "RACY_NS", 0)  # the copy was made this second; see the racy test below
    pack = _copy_of_the_built_in_pack(tmp_path)
    read = _hashes_counted(monkeypatch)
    today = dt.date(2025, 9, 20)
    assert "注意" not in start_text(today, packs=[pack])
    assert len(read) == len(pack.files)  # the first start reads every file
    assert (tmp_path / "user" / "cache" / "yanxiu" / sealcache.FILE_NAME).is_file()  # the test's own cache folder
    read.clear()
    assert "注意" not in start_text(today, packs=[pack])
    assert read == []  # unchanged: nothing read, and OpenSSL not needed
    _edit(pack.root / "forms" / "school.toml", "不超过 300字", "不超过 900字")  # same size
    for _ in range(2):  # at this start and the next
        read.clear()
        text = start_text(today, packs=[pack])
        assert "注意：" in text and "forms/school.toml" in text and "校验值不符" in text, text
        assert read == [pack.root / "forms" / "school.toml"]
    # Put back as it was (same bytes): intact again, and remembered again.
    _edit(pack.root / "forms" / "school.toml", "不超过 900字", "不超过 300字")
    assert "注意" not in start_text(today, packs=[pack])
    read.clear()
    assert "注意" not in start_text(today, packs=[pack]) and read == []


@pytest.mark.skipif(os.name != "posix", reason="the change time (st_ctime) is the creation time on Windows")
def test_an_edit_with_its_modification_time_set_back_is_still_seen(tmp_path, monkeypatch):
    """A tool that restores the modification time (an archiver, `touch -r`) cannot restore the change time."""
    from app.core import sealcache
    from app.ui.packui import start_text

    monkeypatch.setattr(sealcache, "RACY_NS", 0)
    pack = _copy_of_the_built_in_pack(tmp_path)
    today = dt.date(2025, 9, 20)
    assert "注意" not in start_text(today, packs=[pack])
    target = pack.root / "resources" / "platform.toml"
    before = target.stat()
    time.sleep(0.02)  # a change time the file system can tell from the first
    _edit(target, '"地方频道"', '"地方频導"')
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert "resources/platform.toml" in start_text(today, packs=[pack])


def test_a_file_changed_this_moment_is_not_remembered(tmp_path, monkeypatch):
    """A coarse file-system clock could give a second edit in the same tick the same time stamp: a file written
    in the last seconds is hashed at every start until it is older."""
    from app.ui.packui import start_text

    pack = _copy_of_the_built_in_pack(tmp_path)  # just copied: every file's change time is now
    read = _hashes_counted(monkeypatch)
    today = dt.date(2025, 9, 20)
    for _ in range(2):
        read.clear()
        assert "注意" not in start_text(today, packs=[pack])
        assert len(read) == len(pack.files)


def test_a_damaged_seal_memory_only_means_reading_the_files(tmp_path, monkeypatch):
    from app.core import sealcache
    from app.core.packs import read_manifest
    from app.ui.packui import start_text

    monkeypatch.setattr(sealcache, "RACY_NS", 0)
    pack = _copy_of_the_built_in_pack(tmp_path)
    memory = tmp_path / "user" / "cache" / "yanxiu" / sealcache.FILE_NAME
    memory.parent.mkdir(parents=True, exist_ok=True)
    memory.write_bytes(b"\xff{not json")
    read = _hashes_counted(monkeypatch)
    _edit(pack.root / "forms" / "studio.toml", "字", "宇")
    assert "forms/studio.toml" in start_text(dt.date(2025, 9, 20), packs=[pack])
    assert len(read) == len(pack.files)
    assert '"format": 1' in memory.read_text(encoding="utf-8")  # rewritten with what was found intact
    # A pack folder that is gone is dropped from the memory at the next write.
    gone = _copy_of_the_built_in_pack(tmp_path / "gone")
    shutil.copytree(pack.root, tmp_path / "moved")
    start_text(dt.date(2025, 9, 20), packs=[gone])
    assert str(gone.root.resolve()) in memory.read_text(encoding="utf-8")
    shutil.rmtree(gone.root)
    start_text(dt.date(2025, 9, 20), packs=[read_manifest(tmp_path / "moved", builtin=True)])
    assert str(gone.root.resolve()) not in memory.read_text(encoding="utf-8")
    assert str((tmp_path / "moved").resolve()) in memory.read_text(encoding="utf-8")


def test_seal_rewrites_only_the_files_table(tmp_path):
    pack = _copy_of_the_built_in_pack(tmp_path)
    manifest = pack.root / "pack.toml"
    before = manifest.read_text(encoding="utf-8")
    _edit(pack.root / "resources" / "platform.toml", '"地方频道",', '"地方频道", "人工智能教育",')
    resealed = seal_pack(pack.root)
    after = manifest.read_text(encoding="utf-8")
    head = before.split("[files]")[0]
    assert after.startswith(head) and "# The built-in form pack" in after  # the comments survive
    assert after.count("[files]") == 1
    assert dict(resealed.files)["resources/platform.toml"] != dict(pack.files)["resources/platform.toml"]
    from app.core.packs import integrity_problems, read_manifest

    assert integrity_problems(read_manifest(pack.root, builtin=True)) == []


def test_pack_list_on_a_fresh_install(tmp_path):
    env_home = tmp_path / "fresh"
    result = run_cli("pack", "list", env={"XDG_DATA_HOME": str(env_home)})
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode("utf-8")
    assert "notice-2025" in out and "2025年" in out
    for form in ("附件1  校本研修案例", "附件2  名师名校长线上工作室研修案例",
                 "附件3  各省（自治区、直辖市）活动组织单位联系人信息表"):
        assert form in out


@pytest.mark.parametrize("today,passed", [(dt.date(2025, 9, 20), False), (dt.date(2026, 3, 1), True)])
def test_the_submission_list_names_the_notice_year_and_a_passed_window(tmp_path, today, passed):
    from app.render.package import LIST_NAME, build_package

    case = load_case(SCHOOL_EXAMPLE)
    build_package(case, tmp_path, None, base_dir=SCHOOL_EXAMPLE.parent, today=today)
    listing = (tmp_path / LIST_NAME).read_text(encoding="utf-8-sig")
    assert "依据：2025年教师研修专项案例征集通知" in listing
    assert "报送时间：2025年9月15日至9月30日" in listing
    assert "https://huodong.ncet.edu.cn/#/teacher_index" in listing
    assert ("报送时间（2025年9月15日至9月30日）已经结束" in listing) is passed
    assert ("导入表单包" in listing) is passed


def test_moving_a_case_to_a_newer_pack_lists_the_changes_and_loses_nothing(tmp_path, user_data):
    from app.core.packmove import changed_fields, move_case

    install_pack(_next_year_pack(tmp_path))
    old = load_case(SCHOOL_EXAMPLE)
    new_form = newest_pack("school").form("school")
    changes = changed_fields(old.form, new_form)
    assert f"新增：{NEW_FIELD_LABEL}" in changes
    assert "字数要求：案例概述 300字 → 250字" in changes
    moved = move_case(old, new_form)
    assert moved.form.pack_id == "notice-2026" and moved.get("summary") == old.get("summary")
    assert moved.get("county_unit") == ""


# ---------------------------------------------------------------- the window

def _window(qtbot, tmp_path, today):
    from app.ui.mainwindow import AppContext, MainWindow

    ctx = AppContext(tmp_path / "d", tmp_path / "s.json", tmp_path / "e", today=lambda: today)
    w = MainWindow(ctx, check_drafts=False)
    w.ask_unsaved = lambda: "discard"  # a modal question would block the test run
    qtbot.addWidget(w)
    return w


def test_start_page_and_window_title_name_the_notice_and_a_passed_window(qtbot, tmp_path, user_data):
    w = _window(qtbot, tmp_path, dt.date(2026, 1, 10))
    assert "2025年教师研修专项案例征集通知（2025年）" in w.start.notice.text()
    assert "已经结束" in w.start.notice.text() and "导入表单包" in w.start.notice.text()
    w.new_case("school")
    assert "（2025年通知，报送时间已过）" in w.windowTitle()

    early = _window(qtbot, tmp_path, dt.date(2025, 9, 20))
    assert "已经结束" not in early.start.notice.text()
    early.new_case("school")
    assert "（2025年通知）" in early.windowTitle()


def test_the_window_names_a_hand_edited_file_of_an_installed_pack_at_the_next_start(qtbot, tmp_path, user_data,
                                                                                    monkeypatch):
    """The start page's seal check, remembered between starts, still names a file edited since the last start."""
    from app.core import sealcache

    monkeypatch.setattr(sealcache, "RACY_NS", 0)  # the pack was installed this second
    install_pack(_next_year_pack(tmp_path))
    installed = newest_pack("school").root
    first = _window(qtbot, tmp_path, dt.date(2026, 3, 1))
    assert "2026年教师研修专项案例征集通知" in first.start.notice.text() and "注意" not in first.start.notice.text()
    remembered = (tmp_path / "user" / "cache" / "yanxiu" / sealcache.FILE_NAME).read_text(encoding="utf-8")
    assert str(installed.resolve()) in remembered
    _edit(installed / "resources" / "platform.toml", '"地方频道"', '"地方频導"')  # the same number of bytes
    text = _window(qtbot, tmp_path, dt.date(2026, 3, 1)).start.notice.text()
    assert "注意：表单包“notice-2026”" in text and "resources/platform.toml" in text and "校验值不符" in text, text


def test_import_pack_from_the_file_menu(qtbot, tmp_path, user_data, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    archive = _zip(_next_year_pack(tmp_path), tmp_path / "notice-2026.zip")
    w = _window(qtbot, tmp_path, dt.date(2026, 1, 10))
    action = next(a for a in w.menuBar().actions()[0].menu().actions() if a.text() == "导入表单包…")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    action.trigger()
    assert shown and "notice-2026" in shown[0]
    assert "2026年教师研修专项案例征集通知（2026年）" in w.start.notice.text()
    assert "已经结束" not in w.start.notice.text()
    w.new_case("school")
    assert w.session.case.form.has_field("county_unit") and "（2026年通知）" in w.windowTitle()


def test_new_case_of_a_damaged_pack_says_which_file_instead_of_crashing(qtbot, tmp_path, user_data):
    install_pack(_next_year_pack(tmp_path))
    installed = newest_pack("school").root
    _edit(installed / "forms" / "school.toml", "limit = 250\n", 'limit = "二百五"\n')
    load_form.cache_clear()
    w = _window(qtbot, tmp_path, dt.date(2026, 3, 1))
    shown = []
    w.show_error = lambda title, message: shown.append((title, message))
    w.new_case("school")
    assert shown and shown[0][0] == "无法新建案例"
    assert "forms/school.toml" in shown[0][1] and "fields.summary.limit" in shown[0][1] and "重新导入" in shown[0][1]
    assert _english_sentence(shown[0][1]) is None
    assert w.case_tabs == []


# ---------------------------------------------------------------- Attachment 3, a form added by the pack alone

CONTACT_FIELDS = ("单位名称", "部门", "联系人", "职务", "联系电话", "手机", "微信号", "QQ", "电子邮箱")


def test_attachment_3_is_a_third_form_of_the_built_in_pack():
    from tests.conftest import EXAMPLES

    assert builtin_pack().forms == ("school", "studio", "contacts")
    form = load_form("contacts")
    assert (form.attachment, form.title) == ("附件3", "各省（自治区、直辖市）活动组织单位联系人信息表")
    assert tuple(f.label for f in form.fields) == CONTACT_FIELDS
    assert all(f.limit is None for f in form.fields)  # the notice sets no 字数 for it
    assert form.submission.due == dt.date(2025, 4, 20) and "jsyxmoe@163.com" in form.submission.where
    case = load_case(EXAMPLES / "contacts-example.json")
    assert not [f for f in check_case(case) if f.is_error]
    blank = Case.new("contacts")
    assert {f.field for f in check_case(blank) if f.is_error} == {"unit", "department", "contact", "position",
                                                                  "phone", "mobile", "email"}


def test_attachment_3_exports_to_word_and_pdf_with_every_field(tmp_path, soffice):
    from pypdf import PdfReader

    from app.render.pdf.export import export_pdfs
    from app.render.pdf.libreoffice import LibreOfficeConverter
    from tests.conftest import EXAMPLES

    case = load_case(EXAMPLES / "contacts-example.json")
    case.set("qq", "<&>{{ qq }}")  # hostile text prints literally
    files = export_docx(case, tmp_path)
    assert [p.name for p in files] == ["联系人信息表-浙江省教育技术中心.docx"]
    doc = Document(str(files[0]))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for label in CONTACT_FIELDS:
        assert label in cells
    for f in case.form.fields:
        assert case.get(f.key) in cells
    reminder = "注：请各省级组织单位于 2025年 4月 20日前通过电子邮件将此表发送到 jsyxmoe@163.com。"
    assert reminder in [p.text for p in doc.paragraphs]

    converter = LibreOfficeConverter(soffice, profile_dir=tmp_path / "profile", keep_warm=False)
    try:
        result = export_pdfs(case, files, tmp_path / "pdf", converter, packet=False)
    finally:
        converter.close()
    text = "".join(p.extract_text() for p in PdfReader(str(result.pdfs[0])).pages)
    squeezed = text.replace(" ", "").replace("\n", "")
    for label in CONTACT_FIELDS:
        assert label in squeezed
    assert "zhangming@example.edu.cn" in squeezed and "jsyxmoe@163.com" in squeezed and "4月20日前" in squeezed


def test_the_start_page_offers_attachment_3(qtbot, tmp_path, user_data):
    from PySide6.QtWidgets import QPushButton

    w = _window(qtbot, tmp_path, dt.date(2025, 3, 1))
    button = next(b for b in w.start.findChildren(QPushButton) if "联系人信息表" in b.text())
    button.click()
    assert w.session.case.case_type == "contacts"
    w.session.set("unit", "浙江省教育技术中心")
    assert w.windowTitle().startswith("浙江省教育技术中心（2025年通知）")


TOML_MISTAKES = ['a = {b=1, b=2}', 'a = {b=1}\na.c=2', '[a]\nb=1\n[a]\n', 'a="\\uD800"', '[[a]\nb=1', 'a=1\na.b=2',
                 'a = """x', 'a = 1 2', "a = 'x", 'a = [1,', 'a = \x01', 'x="\\x"', 'a = 1\n[a]\n', 'a b = 1',
                 '[a', 'a = {b=1', 'a = 2025-13-40', 'a = "\\uZZZZ"', '= 1', 'a = "x\ny"']


@pytest.mark.parametrize("text", TOML_MISTAKES)
def test_every_toml_syntax_mistake_is_explained_in_chinese_with_its_line(tmp_path, text):
    """A 教研员 hand-editing a pack reads what is wrong and where, not tomllib's English."""
    from app.core.defdata import DefinitionError, load_toml

    bad = tmp_path / "school.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_toml(bad, "yanxiu-form/3")
    message = str(caught.value)
    assert "school.toml" in message and ("行" in message or "文件末尾" in message), message
    assert _english_sentence(message) is None, message
    assert "TOML（" not in message, message


def test_a_button_for_a_form_a_pack_adds_names_its_title_however_the_file_is_laid_out(tmp_path):
    """The start page reads an added form's title from the lines before its first table; a line starting with [
    inside a multi-line string must not cut it short, a form without a title is named by its key, and a file that
    is missing or not UTF-8 gives no button rather than an error at start-up."""
    import dataclasses

    from app.ui.packui import extra_new_actions

    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "extra.toml").write_text('note = """\n[不是表头]\n"""\ntitle = "附件4：某表"\n[submission]\ntitle = "不是它"\n',
                                      encoding="utf-8")
    (forms / "untitled.toml").write_text('[pages]\ntitle = "不是它"\n', encoding="utf-8")
    (forms / "broken.toml").write_bytes(b'title = "\xff\xfe"\n')
    pack = dataclasses.replace(builtin_pack(), forms=("school", "extra", "untitled", "broken", "missing"),
                               root=tmp_path, builtin=False)
    assert extra_new_actions(("school",), [pack]) == [("extra", "新建附件4：某表"), ("untitled", "新建untitled")]

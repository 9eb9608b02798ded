"""Form packs: next year's notice made with `pack new`, checked, installed, used, and refused when broken."""

from __future__ import annotations

import datetime as dt
import os
import shutil
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


def test_the_built_in_pack_holds_the_notice_facts():
    pack = builtin_pack()
    assert (pack.year, pack.notice.submission_start, pack.notice.submission_end) == (
        2025, dt.date(2025, 9, 15), dt.date(2025, 9, 30))
    assert check_source(pack.root).id == "notice-2025"
    assert load_form("school").submission.end == dt.date(2025, 9, 30)


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

"""Nothing a teacher made is ever lost: all-or-nothing exports in folders the app owns only by its manifest, the
loader refusing what it cannot hold, one writer per case, an unwritable data folder, converters that hang."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document

from app.core.casefile import CaseFileError, load_case, save_case
from app.render.outset import MANIFEST, STAGING_PREFIX
from app.render.package import LIST_NAME, MATERIALS_DIR
from tests.conftest import ROOT, SCHOOL_EXAMPLE

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def make_window(qtbot, tmp_path):
    """Main windows on temporary folders; questions that would block are answered by the test."""
    from app.ui.mainwindow import AppContext, MainWindow

    windows = []

    def make(ctx=None, **kw):
        w = MainWindow(ctx or AppContext(tmp_path / "data", tmp_path / "settings.json", tmp_path / "export"), **kw)
        w.ask_unsaved = lambda: "discard"
        w.show_error = lambda title, msg: make.errors.append((title, msg))
        qtbot.addWidget(w)
        w.show()
        windows.append(w)
        return w

    make.errors = []
    yield make
    for w in windows:
        w.lock.release()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder (hidden ones included), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def no_leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.startswith(STAGING_PREFIX) or p.name.endswith(".tmp")]


def env_with(**extra) -> dict:
    return dict(os.environ, PYTHONIOENCODING="utf-8", **extra)


def cli(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, cwd=ROOT, timeout=timeout,
                          env=env or env_with())


# ---------------------------------------------------------------- 1. output folders the app owns, files it does not

def test_package_into_the_case_folder_keeps_every_original_byte_identical(tmp_path, school_case):
    from app.core.materials import add_material

    folder = tmp_path / "我的案例"
    (folder / MATERIALS_DIR).mkdir(parents=True)
    (folder / "照片").mkdir()
    own = folder / MATERIALS_DIR / "01-课例研讨现场.jpg"  # her original already carries the package's name
    own.write_bytes(b"\xff\xd8original photo" * 100)
    other = folder / "照片" / "合影.jpg"
    other.write_bytes(b"\xff\xd8group photo" * 100)
    note = folder / MATERIALS_DIR / "说明（我自己写的）.txt"
    note.write_text("不要删", encoding="utf-8")
    school_case.materials.clear()  # the example's own files live beside the example, not in her folder
    add_material(school_case, own, "课例研讨现场", base_dir=folder)
    add_material(school_case, other, "研修合影", base_dir=folder)
    case_file = folder / "案例.json"
    save_case(school_case, case_file)
    originals = {p: p.read_bytes() for p in (own, other, note, case_file)}
    env = env_with(YANXIU_PDF_BACKEND="none")
    for _ in range(2):  # packaging twice into the same folder
        done = cli("package", str(case_file), "--out", str(folder), env=env)
        assert done.returncode == 4, done.stderr.decode()
        assert "找不到文件" not in done.stderr.decode()
        assert {p: p.read_bytes() for p in originals} == originals
    assert (folder / MATERIALS_DIR / "02-研修合影.jpg").read_bytes() == other.read_bytes()
    listing = (folder / LIST_NAME).read_text(encoding="utf-8-sig")
    assert "01-课例研讨现场.jpg" in listing and "支撑材料合计：2件" in listing
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    [entry] = manifest["sets"].values()
    assert f"{MATERIALS_DIR}/01-课例研讨现场.jpg" not in entry["files"]  # never claimed as the app's own
    assert entry["in_place"] == [f"{MATERIALS_DIR}/01-课例研讨现场.jpg"]
    # A package folder inside the case folder works too, and still leaves the originals alone.
    inner = cli("package", str(case_file), "--out", str(folder / "报送"), env=env)
    assert inner.returncode == 4, inner.stderr.decode()
    assert sorted(p.name for p in (folder / "报送" / MATERIALS_DIR).iterdir()) == ["01-课例研讨现场.jpg",
                                                                                "02-研修合影.jpg"]
    assert {p: p.read_bytes() for p in originals} == originals
    assert no_leftovers(folder) == []


def test_a_file_the_app_did_not_write_is_never_deleted_or_replaced(tmp_path, school_case):
    from app.render.docx_render import export_docx

    mine = tmp_path / "我的笔记.docx"
    mine.write_bytes(b"her own notes")
    first = export_docx(school_case, tmp_path)
    school_case.set("theme", school_case.get("theme") + "（修订）")  # new names: the old set is stale
    second = export_docx(school_case, tmp_path)
    assert mine.read_bytes() == b"her own notes"
    assert not any(p.exists() for p in first) and all(p.is_file() for p in second)
    # A same-named file she put there herself is not replaced silently.
    foreign = tmp_path / "别人的"
    foreign.mkdir()
    target = foreign / second[0].name
    target.write_bytes(b"not ours")
    from app.render.outset import EditedSinceExport

    with pytest.raises(EditedSinceExport, match=second[0].name):
        export_docx(school_case, foreign)
    assert target.read_bytes() == b"not ours" and sorted(p.name for p in foreign.iterdir()) == [target.name]


# ---------------------------------------------------------------- 2. all-or-nothing sets

def test_a_target_that_is_a_folder_fails_the_whole_set_and_says_nothing_changed(tmp_path, school_case):
    from app.render.docx_render import RenderError, export_docx

    first = export_docx(school_case, tmp_path)
    school_case.set("summary", school_case.get("summary") + "补充。")
    first[2].unlink()
    first[2].mkdir()  # the third target is now a folder: the first two must not be replaced either
    before = snapshot(tmp_path)
    with pytest.raises(RenderError) as err:
        export_docx(school_case, tmp_path)
    assert "文件夹" in str(err.value) and "本次没有写入任何文件" in str(err.value)
    assert snapshot(tmp_path) == before
    assert no_leftovers(tmp_path) == []


def test_a_read_only_target_is_reported_as_read_only_not_as_open_in_word(tmp_path, school_case):
    from app.render.docx_render import RenderError, export_docx

    first = export_docx(school_case, tmp_path)
    first[1].chmod(0o444)
    before = snapshot(tmp_path)
    school_case.set("summary", school_case.get("summary") + "补充。")
    with pytest.raises(RenderError) as err:
        export_docx(school_case, tmp_path)
    assert "只读" in str(err.value) and "Word或WPS打开" not in str(err.value)
    assert "本次没有写入任何文件" in str(err.value)
    assert snapshot(tmp_path) == before


@pytest.fixture
def small_disk(tmp_path):
    """A tiny tmpfs the test can fill (CI runs as root)."""
    if not sys.platform.startswith("linux") or not IS_ROOT:
        pytest.skip("a full file system is simulated with a tmpfs mount, which needs root on Linux")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(disk: Path, leave: int) -> None:
    """Fill the file system until only about `leave` bytes are free."""
    st = os.statvfs(disk)
    free = st.f_bavail * st.f_frsize
    with open(disk / "filler.bin", "ab") as fh:
        fh.write(b"\0" * max(0, free - leave))
    os.sync()


def edited_case_file(tmp_path, school_case) -> Path:
    case_file = tmp_path / "案例.json"
    save_case(school_case, case_file)
    return case_file


@pytest.mark.parametrize("pdf", [False, True], ids=["docx", "pdf"])
def test_re_export_onto_a_full_disk_leaves_the_earlier_set_complete(tmp_path, school_case, small_disk, pdf,
                                                                    soffice, monkeypatch):
    case_file = edited_case_file(tmp_path, school_case)
    out = small_disk / "导出"
    env = env_with(YANXIU_PDF_BACKEND="libreoffice")
    args = ["export", str(case_file), "--out", str(out)] + (["--pdf"] if pdf else [])
    first = cli(*args, env=env)
    assert first.returncode == 0, first.stderr.decode()
    before = snapshot(out)
    school_case.set("summary", school_case.get("summary") + "再补充一句。")
    save_case(school_case, case_file)
    docx_bytes = sum(len(v) for k, v in before.items() if k.endswith(".docx"))
    fill(small_disk, docx_bytes + 96 * 1024 if pdf else 8 * 1024)  # --pdf: the Word files fit, the PDFs do not
    again = cli(*args, env=env)
    err = again.stderr.decode()
    assert again.returncode == 1 and "磁盘空间不足" in err, err
    assert "Traceback" not in err and "No space" not in err
    assert "本次没有写入任何文件" in err and "之前导出的文件保持不变" in err
    assert snapshot(out) == before  # every earlier file byte-identical, nothing partial beside them
    assert no_leftovers(small_disk) == []
    for name in before:
        if name.endswith(".docx"):
            Document(str(out / name))  # still opens
        if name.endswith(".pdf"):
            from pypdf import PdfReader

            assert len(PdfReader(str(out / name)).pages) >= 1


CUT_OFF_COMMIT = r"""
import os, sys
from pathlib import Path
from app.core.casefile import load_case
from app.render import outset
from app.render.docx_render import export_docx
case = load_case(Path(sys.argv[1]))
case.set("summary", case.get("summary") + "新版本。")
real, count = os.replace, [0]
def dying_replace(src, dst):
    count[0] += 1
    if count[0] == int(sys.argv[3]):
        os._exit(9)  # the power goes off in the middle of the commit
    real(src, dst)
outset.os.replace = dying_replace
export_docx(case, Path(sys.argv[2]))
"""


@pytest.mark.parametrize("cut_at", [2, 4, 6])
def test_a_commit_cut_off_by_a_crash_is_rolled_back_at_the_next_export(tmp_path, school_case, cut_at):
    from app.render.docx_render import export_docx
    from app.render.outset import recover_staging

    case_file = edited_case_file(tmp_path, school_case)
    out = tmp_path / "导出"
    export_docx(school_case, out)
    before = snapshot(out)
    done = subprocess.run([sys.executable, "-c", CUT_OFF_COMMIT, str(case_file), str(out), str(cut_at)], cwd=ROOT,
                          env=env_with(), capture_output=True)
    assert done.returncode == 9, done.stderr.decode()
    assert snapshot(out) != before  # the crash left the folder half-way
    recover_staging(out)  # what the next export into the folder does first
    assert snapshot(out) == before and no_leftovers(out) == []


# ---------------------------------------------------------------- 3. edited since exported

def test_an_edited_docx_is_never_overwritten_silently(tmp_path, school_case):
    case_file = edited_case_file(tmp_path, school_case)
    out = tmp_path / "导出"
    assert cli("export", str(case_file), "--out", str(out)).returncode == 0
    plan = next(out.glob("实施方案-*.docx"))
    doc = Document(str(plan))
    doc.add_paragraph("她在WPS里补写的一段。")
    doc.save(str(plan))
    edited = plan.read_bytes()
    refused = cli("export", str(case_file), "--out", str(out))
    assert refused.returncode == 1 and plan.name in refused.stderr.decode() and "--force" in refused.stderr.decode()
    assert plan.read_bytes() == edited
    forced = cli("export", str(case_file), "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr.decode()
    kept = plan.with_name(f"{plan.stem}（修改前）.docx")
    assert kept.read_bytes() == edited and plan.read_bytes() != edited
    assert "修改前" in forced.stderr.decode()


def test_a_word_only_export_removes_the_pdfs_of_the_earlier_version(tmp_path, school_case, soffice):
    case_file = edited_case_file(tmp_path, school_case)
    out = tmp_path / "导出"
    env = env_with(YANXIU_PDF_BACKEND="libreoffice")
    assert cli("export", str(case_file), "--out", str(out), "--pdf", env=env).returncode == 0
    assert len(list(out.glob("*.pdf"))) == 3
    school_case.set("summary", school_case.get("summary") + "改了一句。")
    save_case(school_case, case_file)
    assert cli("export", str(case_file), "--out", str(out), env=env).returncode == 0
    assert list(out.glob("*.pdf")) == []  # no PDF of the earlier version beside the new Word files
    from app.render.context import version_code

    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    [entry] = manifest["sets"].values()
    code = version_code(load_case(case_file))
    assert entry["version_code"] == code and {f["version_code"] for f in entry["files"].values()} == {code}
    for name in entry["files"]:
        assert code in "".join(p.text for s in Document(str(out / name)).sections for p in s.footer.paragraphs)


def test_the_listing_names_the_version_code_of_every_document(tmp_path, school_case):
    from app.render.context import version_code
    from app.render.package import build_package

    build_package(school_case, tmp_path, None, base_dir=SCHOOL_EXAMPLE.parent)
    listing = (tmp_path / LIST_NAME).read_text(encoding="utf-8-sig")
    code = version_code(school_case)
    assert f"版本码：{code}" in listing
    documents = [line for line in listing.splitlines()  # "  案例信息表-….docx  52KB，版本码…"; not her materials
                 if ".docx  " in line and not line.strip().startswith(MATERIALS_DIR)]
    assert len(documents) == 3 and all(line.endswith(f"，版本码{code}") for line in documents)


def test_the_export_page_asks_before_replacing_an_edited_document(make_window, qtbot, tmp_path):
    w = make_window()
    w.open_example(SCHOOL_EXAMPLE)
    page = w.wizard.export_page
    w.wizard.setCurrentId(w.wizard.pageIds()[-1])
    page.build()
    page.folder.setText(str(tmp_path))
    page.open_after.setChecked(False)
    with qtbot.waitSignal(page.done, timeout=60_000):
        page.docx_btn.click()
    qtbot.waitUntil(lambda: not page.busy(), timeout=5000)
    assert "替换" not in page.status.toPlainText()  # a first export replaces nothing
    info = next(tmp_path.glob("案例信息表-*.docx"))
    info.write_bytes(info.read_bytes() + b"edited")
    edited = info.read_bytes()
    asked, shown = [], []  # what the page said while it asked: the teacher's words, not the command line's --force
    page.ask_edited = lambda names: asked.append(names) or shown.append(page.status.toPlainText()) or "cancel"
    with qtbot.waitSignal(page.failed, timeout=60_000):
        page.docx_btn.click()
    qtbot.waitUntil(lambda: not page.busy(), timeout=5000)
    assert asked == [[info.name]] and info.read_bytes() == edited
    assert info.name in shown[0] and "还没有写入任何文件" in shown[0] and "--force" not in shown[0]
    assert "没有写入任何文件" in page.status.toPlainText()
    page.ask_edited = lambda names: "keep_copy"
    with qtbot.waitSignal(page.done, timeout=60_000):
        page.docx_btn.click()
    qtbot.waitUntil(lambda: not page.busy(), timeout=5000)
    assert info.with_name(f"{info.stem}（修改前）.docx").read_bytes() == edited
    assert "其中3个替换了这个文件夹中上次导出的同名文件" in page.status.toPlainText()  # she is told, not left to guess


# ---------------------------------------------------------------- 4. the loader rejects what it cannot hold

def _example() -> dict:
    return json.loads(SCHOOL_EXAMPLE.read_text(encoding="utf-8"))


def _write_bad(path: Path, kind: str) -> None:
    doc = _example()
    if kind == "400 digits":
        text = json.dumps(doc, ensure_ascii=False).replace('"format": "yanxiu-case"', '"format": "yanxiu-case", "n": ' + "9" * 400)
    elif kind == "5000 digits":
        text = json.dumps(doc, ensure_ascii=False).replace('"format": "yanxiu-case"', '"format": "yanxiu-case", "n": ' + "7" * 5000)
    elif kind == "1e999":
        doc["fields"]["evaluation"]["process_weight"] = 1
        text = json.dumps(doc, ensure_ascii=False).replace('"process_weight": 1', '"process_weight": 1e999')
    elif kind == "v1 fields string":
        text = json.dumps({"format": "yanxiu-case", "schema_version": 1, "type": "school", "fields": "主题"})
    elif kind == "v1 fields list":
        text = json.dumps({"format": "yanxiu-case", "schema_version": 1, "type": "school", "fields": ["主题"]})
    elif kind == "long path":
        doc["materials"] = [{"path": "照" * 3000 + ".jpg", "title": "照片", "size": 1}]
        text = json.dumps(doc, ensure_ascii=False)
    elif kind == "long name":
        doc["materials"] = [{"path": "a/" + "b" * 300 + ".jpg", "title": "照片", "size": 1}]
        text = json.dumps(doc, ensure_ascii=False)
    elif kind == "duplicate key":
        text = json.dumps(doc, ensure_ascii=False).replace('"case_type": "school"', '"case_type": "school", "case_type": "studio"')
    else:
        raise AssertionError(kind)
    path.write_text(text, encoding="utf-8")


LOADER_CASES = ["400 digits", "5000 digits", "1e999", "v1 fields string", "v1 fields list", "long path", "long name",
                "duplicate key"]


@pytest.mark.parametrize("kind", LOADER_CASES)
def test_the_loader_refuses_what_it_cannot_hold(tmp_path, kind):
    path = tmp_path / "手改过的.json"
    _write_bad(path, kind)
    before = path.read_bytes()
    with pytest.raises(CaseFileError) as err:
        load_case(path)
    message = str(err.value)
    assert "Traceback" not in message and any("\u4e00" <= c <= "\u9fff" for c in message)
    if kind == "duplicate key":
        assert "“case_type”出现了两次" in message
    assert path.read_bytes() == before


def test_check_exits_2_for_every_loader_case_in_a_real_process(tmp_path):
    paths = []
    for i, kind in enumerate(LOADER_CASES):
        p = tmp_path / f"bad{i}.json"
        _write_bad(p, kind)
        paths.append(p)
    fifo = tmp_path / "管道.json"
    os.mkfifo(fifo)
    folder = tmp_path / "文件夹.json"
    folder.mkdir()
    before = {p: p.read_bytes() for p in paths}
    for p in [*paths, fifo, folder]:
        done = cli("check", str(p), timeout=30)  # a FIFO must not hang the loader
        err = done.stderr.decode()
        assert done.returncode == 2, (p, err)
        assert "Traceback" not in err and ("无法" in err or "不是" in err), err
    assert {p: p.read_bytes() for p in paths} == before
    assert "不是普通文件" in cli("check", str(fifo), timeout=30).stderr.decode()


def test_an_over_long_material_path_in_a_loaded_case_never_crashes_check(tmp_path, school_case):
    from app.core.model import Material
    from app.core.rules import check_case

    school_case.materials.append(Material("x" * 300 + "/y.jpg", "照片", 1))  # too long for one name on Linux
    assert any("找不到文件" in f.message for f in check_case(school_case, base_dir=tmp_path))


def test_an_unexpected_error_has_its_own_exit_code_and_points_at_the_log(tmp_path, monkeypatch, capsys):
    from app import cli as cli_module
    from app.core import checkcmd

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(checkcmd, "main_check", lambda paths: 1 / 0)
    assert cli_module.main(["check", str(SCHOOL_EXAMPLE)]) == cli_module.EXIT_UNEXPECTED == 70
    err = capsys.readouterr().err
    assert "意外错误" in err and "yanxiu.log" in err and "Traceback" not in err
    logs = list((tmp_path / "state").rglob("yanxiu.log"))
    assert logs and "ZeroDivisionError" in logs[0].read_text(encoding="utf-8")


def test_os_errors_are_explained_in_chinese():
    import errno

    from app.core.oserrors import explain

    cases = {errno.EACCES: "权限", errno.ENOSPC: "磁盘空间不足", errno.ENAMETOOLONG: "太长", errno.EEXIST: "已经存在",
             errno.EROFS: "只读"}
    for code, word in cases.items():
        text = explain(OSError(code, os.strerror(code)))
        assert word in text and os.strerror(code) not in text
    assert "权限" in explain(PermissionError(errno.EACCES, "Permission denied"))


# ---------------------------------------------------------------- 5. one case, one writer

def test_a_save_over_a_file_changed_on_disk_is_detected(tmp_path, school_case):
    from app.ui.session import CaseSession, ChangedOnDisk

    path = tmp_path / "案例.json"
    save_case(school_case, path)
    a = CaseSession.open(path)
    b = CaseSession.open(path)
    b.set("theme", "另一个窗口写的主题")
    b.save()
    a.set("summary", a.get("summary") + "这个窗口的修改。")
    with pytest.raises(ChangedOnDisk):
        a.save()
    assert load_case(path).get("theme") == "另一个窗口写的主题"  # b's save is intact
    a.save(overwrite=True)
    assert load_case(path).get("summary").endswith("这个窗口的修改。")
    a.set("summary", a.get("summary") + "再改。")
    a.save()  # its own last save is what is on disk now: no question


def test_the_window_asks_when_the_file_changed_on_disk(make_window, tmp_path, school_case):
    path = tmp_path / "案例.json"
    save_case(school_case, path)
    w = make_window()
    assert w.open_path(path)
    w.session.set("summary", w.session.get("summary") + "窗口里的修改。")
    other = load_case(path)
    other.set("theme", "WPS旁边的另一个程序改了它")
    save_case(other, path)
    answers = []
    w.ask_changed_on_disk = lambda tab, p: answers.append(p) or "cancel"
    assert not w.save()
    assert answers == [path] and load_case(path).get("theme") == "WPS旁边的另一个程序改了它" and w.session.dirty
    w.ask_changed_on_disk = lambda tab, p: "reload"
    w.save()
    assert w.session.get("theme") == "WPS旁边的另一个程序改了它" and not w.session.dirty


def test_a_second_instance_hands_its_file_to_the_running_window(make_window, qtbot, tmp_path, school_case):
    from app import APP_NAME
    from app.ui.mainwindow import AppContext
    from app.ui.single import SingleInstance, server_name

    data_home = tmp_path / "xdg-data"
    context = AppContext(data_home / APP_NAME, tmp_path / "settings.json", tmp_path / "export")
    w = make_window(context)
    single = SingleInstance(context.data_dir)
    assert single.listen()
    single.received.connect(w.handle_request)
    case_file = tmp_path / "第二次打开的.json"
    save_case(school_case, case_file)
    proc = subprocess.Popen([sys.executable, "-m", "app", str(case_file)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env_with(XDG_DATA_HOME=str(data_home),
                                                                 XDG_CONFIG_HOME=str(tmp_path / "cfg"),
                                                                 XDG_STATE_HOME=str(tmp_path / "st"),
                                                                 QT_QPA_PLATFORM="offscreen"))
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, proc.stderr.read().decode()
    assert "已在运行" in proc.stderr.read().decode()
    qtbot.waitUntil(lambda: w.tab_for(case_file) is not None, timeout=5000)
    single.close()
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")  # separate data folders never collide


# ---------------------------------------------------------------- 6. a data folder that cannot be written

def test_the_app_starts_when_the_data_folder_cannot_be_created(tmp_path):
    from app import APP_NAME
    from app.ui.single import SingleInstance

    in_the_way = tmp_path / "data-is-a-file"
    in_the_way.write_text("x", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "app"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env_with(XDG_DATA_HOME=str(in_the_way), QT_QPA_PLATFORM="offscreen",
                                         XDG_CONFIG_HOME=str(tmp_path / "cfg"), XDG_STATE_HOME=str(tmp_path / "st"),
                                         XDG_CACHE_HOME=str(tmp_path / "cache")))
    try:
        # Up and running its event loop: its single-instance server answers (it listens once the window shows).
        probe = SingleInstance(in_the_way / APP_NAME)
        deadline = time.monotonic() + 60
        answered = False
        while not answered and proc.poll() is None and time.monotonic() < deadline:
            answered = probe.forward({"ping": True}, 500)
            time.sleep(0.2)
    finally:
        proc.kill()
        proc.wait(10)
    err = proc.stderr.read().decode()
    assert answered, err
    assert "Traceback" not in err


def test_an_unwritable_data_folder_is_said_in_one_line_and_work_goes_on(make_window, tmp_path):
    from app.ui.mainwindow import AppContext

    in_the_way = tmp_path / "file"
    in_the_way.write_text("x", encoding="utf-8")
    w = make_window(AppContext(in_the_way / "data", tmp_path / "settings.json", tmp_path / "export"))
    assert not w.lock.acquired and w.notice is not None and "无法写入" in w.notice.text()
    w.new_case("school")
    w.session.set("theme", "照常填写")
    w.autosaver.save_now()
    assert "自动保存无法写入" in w.notice.text() and w.session.get("theme") == "照常填写"


@pytest.fixture
def read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    if IS_ROOT and sys.platform.startswith("linux"):
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("cannot mount a read-only tmpfs here")
        yield folder
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
    elif not IS_ROOT and os.name != "nt":
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
    else:
        pytest.skip("no way to make a read-only folder here")


def test_autosave_into_a_read_only_data_folder_tells_her_and_recovers(make_window, tmp_path, read_only_folder):
    from app.ui.mainwindow import AppContext

    w = make_window(AppContext(read_only_folder, tmp_path / "settings.json", tmp_path / "export"))
    w.new_case("school")
    w.session.set("theme", "只读的数据文件夹")
    w.autosaver.save_now()
    assert w.notice is not None and "自动保存无法写入" in w.notice.text() and "只读" in w.notice.text()
    w.autosaver.folder = tmp_path / "writable"
    w.autosaver.draft = w.autosaver.folder / w.autosaver.draft.name
    w.session.set("theme", "换了可写的文件夹")
    w.autosaver.save_now()
    assert w.notice.isHidden() and w.autosaver.draft.is_file()


# ---------------------------------------------------------------- 7. converters that hang

HANGING_SOFFICE = """#!/bin/sh
echo $$ >> "$YANXIU_FAKE_PIDS"
sleep 300 &
echo $! >> "$YANXIU_FAKE_PIDS"
wait
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _left_after(pids: Path, seconds: float) -> list[int]:
    """The stand-in's processes still running after `seconds` (a SIGKILL lands when the kernel next runs them)."""
    deadline = time.monotonic() + seconds
    while True:
        left = [pid for pid in map(int, pids.read_text().split()) if _alive(pid)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


@pytest.fixture
def hanging_soffice(tmp_path, monkeypatch):
    if os.name == "nt":
        pytest.skip("the stand-in converter is a shell script")
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(HANGING_SOFFICE, encoding="utf-8")
    fake.chmod(0o755)
    pids = tmp_path / "pids.txt"
    pids.write_text("", encoding="utf-8")
    monkeypatch.setenv("YANXIU_FAKE_PIDS", str(pids))
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "libreoffice")
    return fake, pids


def test_closing_the_window_during_a_hanging_conversion_takes_under_5_s_and_leaves_nothing(
        make_window, qtbot, tmp_path, hanging_soffice):
    from app.core.settings import Settings, save_settings
    from app.ui.mainwindow import AppContext

    fake, pids = hanging_soffice
    settings = tmp_path / "settings.json"
    save_settings(Settings(soffice_path=str(fake)), settings)
    w = make_window(AppContext(tmp_path / "data", settings, tmp_path / "export"))
    w.open_example(SCHOOL_EXAMPLE)
    w.session.path = None
    page = w.wizard.export_page
    page.build()
    page.folder.setText(str(tmp_path / "导出"))
    page.open_after.setChecked(False)
    page.pdf_btn.click()
    qtbot.waitUntil(lambda: len(pids.read_text().split()) >= 2, timeout=30_000)
    w.ask_stop_export = lambda: True
    started = time.monotonic()
    w.close()
    took = time.monotonic() - started
    assert took < 5, f"closing took {took:.1f} s"
    assert not w.isVisible()
    left = _left_after(pids, 2.0)
    assert left == [], f"still running: {left}"
    assert not (tmp_path / "导出").exists() or no_leftovers(tmp_path / "导出") == []
    assert not list((tmp_path / "导出").glob("*.docx")) if (tmp_path / "导出").exists() else True


def test_a_hanging_warm_up_lets_close_return_within_seconds(tmp_path, hanging_soffice, school_case):
    from app.render.docx_render import export_docx
    from app.render.pdf.libreoffice import LibreOfficeConverter, find_uno_python

    fake, pids = hanging_soffice
    if find_uno_python(fake) is None:
        pytest.skip("no Python with uno for the warm converter")
    conv = LibreOfficeConverter(fake, profile_dir=tmp_path / "profile", keep_warm=True)
    sample = export_docx(school_case, tmp_path / "doc")[0]
    import threading

    prime = tmp_path / "prime"  # the warm-up removes its sample's folder when done
    prime.mkdir()
    conv._warming = threading.Thread(target=conv._warm_up, args=(Path(shutil.copy(sample, prime / "s.docx")),))
    conv._warming.start()
    deadline = time.monotonic() + 30
    while len(pids.read_text().split()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(pids.read_text().split()) >= 2
    started = time.monotonic()
    conv.close()
    took = time.monotonic() - started
    assert took < 5, f"closing took {took:.1f} s"
    left = _left_after(pids, 2.0)
    assert left == [], f"still running: {left}"


def test_a_bogus_configured_libreoffice_path_is_named_and_the_installed_one_used(tmp_path, school_case, soffice):
    from app.core.settings import Settings, save_settings

    bogus = tmp_path / "没有这个" / "soffice.exe"
    cfg = tmp_path / "cfg"
    save_settings(Settings(soffice_path=str(bogus)), cfg / "yanxiu" / "settings.json")
    case_file = edited_case_file(tmp_path, school_case)
    done = cli("export", str(case_file), "--out", str(tmp_path / "out"), "--pdf",
               env=env_with(XDG_CONFIG_HOME=str(cfg), YANXIU_PDF_BACKEND="libreoffice"))
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert str(bogus) in err and "已改用本机安装的LibreOffice" in err
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 3


# ---------------------------------------------------------------- 8. crash leftovers and drafts

def test_stale_temp_files_of_a_cut_off_save_are_removed_at_the_next_open_and_save(tmp_path, school_case):
    from app.ui.session import CaseSession

    path = tmp_path / "案例.json"
    save_case(school_case, path)
    leftovers = [tmp_path / ".案例.json.ab12cd34.tmp", tmp_path / ".案例.json.bak.zz99yy88.tmp"]
    for p in leftovers:
        p.write_bytes(b"half a save")
    hers = tmp_path / ".案例.json.mine.tmp"  # not a name the app makes: left alone
    hers.write_bytes(b"x")
    CaseSession.open(path)
    assert not any(p.exists() for p in leftovers) and hers.exists()
    leftovers[0].write_bytes(b"again")
    save_case(school_case, path)
    assert not leftovers[0].exists()


def test_an_export_under_way_keeps_its_staging_folder_from_cleanup(tmp_path):
    from app.render.outset import StagedSet, recover_staging

    with StagedSet(tmp_path, "a", "0000-0000") as busy:  # another tab's export, still converting
        busy.write_bytes("x.docx", b"half")
        recover_staging(tmp_path)  # what a second export into the same folder does first
        assert (busy.dir / "x.docx").read_bytes() == b"half"
        busy.commit()
    assert (tmp_path / "x.docx").read_bytes() == b"half" and no_leftovers(tmp_path) == []


def test_a_draft_and_its_metadata_are_one_file(make_window, tmp_path, school_case):
    from app.ui.autosave import find_drafts, restore_draft

    path = tmp_path / "案例.json"
    save_case(school_case, path)
    w = make_window()
    w.open_path(path)
    w.session.set("theme", "自动保存的主题")
    w.autosaver.save_now()
    files = list(w.context.autosave_dir.iterdir())
    assert [f.suffix for f in files] == [".json"]  # no separate .meta that could get lost
    [draft] = find_drafts(w.context.autosave_dir)
    assert draft.original == str(path) and draft.title == "自动保存的主题"
    restored = restore_draft(draft)
    assert restored.path == path and "yanxiu_draft" not in restored.case.extra


KILL_CHILD = r"""
import sys
from pathlib import Path
from app.core.casefile import load_case, save_case
from app.core.atomic import atomic_write_bytes
path, draft = Path(sys.argv[1]), Path(sys.argv[2])
case = load_case(path)
base = case.get("summary").split("（第二版）")[0]
texts = [base, base + "（第二版）" * 200]
print("ready", flush=True)
i = 0
while True:
    case.set("summary", texts[i % 2])
    save_case(case, path)
    atomic_write_bytes(draft, path.read_bytes())
    i += 1
"""


def test_kill_during_save_loses_nothing_and_leaves_nothing(tmp_path, school_case):
    import random

    from app.ui.autosave import find_drafts
    from app.ui.session import CaseSession

    rounds = int(os.environ.get("YANXIU_KILL_ROUNDS", "50"))
    folder = tmp_path / "案例"
    autosave = tmp_path / "autosave"
    folder.mkdir()
    autosave.mkdir()
    path = folder / "案例.json"
    save_case(school_case, path)
    draft = autosave / "d.json"
    versions = set()
    for text in (school_case.get("summary"), school_case.get("summary") + "（第二版）" * 200):
        versions.add(school_case.set("summary", text))  # as the model stores it
    rng = random.Random(int(os.environ.get("YANXIU_KILL_SEED", "10")))
    corrupt = lost = cut = 0
    for _ in range(rounds):
        proc = subprocess.Popen([sys.executable, "-c", KILL_CHILD, str(path), str(draft)], cwd=ROOT,
                                stdout=subprocess.PIPE, env=env_with())
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0, 0.06))
        proc.kill()
        proc.wait()
        cut += any(p.name.endswith(".tmp") for p in [*folder.iterdir(), *autosave.iterdir()])
        try:
            case = load_case(path)
        except CaseFileError:
            corrupt += 1
            continue
        if case.get("summary") not in versions:
            lost += 1
        if draft.exists():
            load_case(draft)  # a draft is always whole too
    assert (corrupt, lost) == (0, 0)
    assert cut > 0, "no kill landed inside a save: the test proved nothing"
    print(f"{rounds} kills, {cut} inside a save")
    CaseSession.open(path)  # the next start: opening the case and looking for drafts clears what was cut off
    find_drafts(autosave)
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
    assert [p.name for p in autosave.iterdir() if p.name.endswith(".tmp")] == []

"""Shared fixtures; Qt runs offscreen so the suite works on a machine without a display."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # The school PC's screen, not the offscreen platform's 800×800: at 800 px there is no room for the form and the
    # preview side by side, and the preview steps aside (tests/desk checks the other sizes in a real X window).
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).parent / 'data' / 'offscreen-1366x768.json'}"

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCHOOL_EXAMPLE = EXAMPLES / "school-math-graphics.json"
STUDIO_EXAMPLE = EXAMPLES / "studio-chinese-reading.json"
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def school_case():
    from app.core.casefile import load_case

    return load_case(SCHOOL_EXAMPLE)


@pytest.fixture
def studio_case():
    from app.core.casefile import load_case

    return load_case(STUDIO_EXAMPLE)


@pytest.fixture(params=["school", "studio"])
def example_case(request):
    from app.core.casefile import load_case

    return load_case(SCHOOL_EXAMPLE if request.param == "school" else STUDIO_EXAMPLE)


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path = ROOT, env: dict[str, str] | None = None):
    """Run `python -m app ...` in a subprocess, as a teacher's script or CI would."""
    import subprocess

    env = dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {}))
    return subprocess.run([sys.executable, "-m", "app", *args], input=stdin, capture_output=True, cwd=cwd,
                          env=env, timeout=300)


REQUIRE_LIBREOFFICE = os.environ.get("YANXIU_REQUIRE_LIBREOFFICE") == "1"


@pytest.fixture(scope="session")
def soffice():
    """LibreOffice for real conversions; CI sets YANXIU_REQUIRE_LIBREOFFICE=1 so a missing one fails, not skips."""
    from app.render.pdf.libreoffice import find_soffice

    found = find_soffice()
    if found is None:
        if REQUIRE_LIBREOFFICE:
            pytest.fail("LibreOffice is required here (YANXIU_REQUIRE_LIBREOFFICE=1) but soffice was not found")
        pytest.skip("LibreOffice is not installed")
    return found


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory):
    return tmp_path_factory.mktemp("lo-profile")


# ---------------------------------------------------------------- hermetic runs: no real home folder, no network

APP_DIR_NAME = "yanxiu"
# The folders platformdirs gives the app, and where each lives inside a test's own tmp_path.
USER_DIRS = {"XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data", "XDG_CACHE_HOME": "cache",
             "XDG_STATE_HOME": "state"}  # the log folder is <state>/yanxiu/log on Linux


def _real_user_folders() -> list[Path]:
    """The app's folders in the real home (as the environment the suite was started with names them)."""
    import platformdirs

    found = {Path(getattr(platformdirs, f"user_{kind}_dir")(APP_DIR_NAME, appauthor=False))
             for kind in ("config", "data", "cache", "log", "state")}
    home = Path.home()
    found |= {home / ".config" / APP_DIR_NAME, home / ".local" / "share" / APP_DIR_NAME,
              home / ".cache" / APP_DIR_NAME, home / ".local" / "state" / APP_DIR_NAME,
              Path(platformdirs.user_documents_dir()) / "研修案例"}
    return sorted(found)


REAL_USER_FOLDERS = _real_user_folders()  # computed at import, before any fixture redirects them


def _snapshot(folders: list[Path]) -> dict[str, tuple[int, int] | None]:
    out: dict[str, tuple[int, int] | None] = {}
    for folder in folders:
        out[str(folder)] = None if not folder.exists() else (0, 0)
        if folder.is_dir():
            for p in folder.rglob("*"):
                try:
                    st = p.lstat()
                except OSError:
                    continue
                out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


def isolate_user_folders(mp: pytest.MonkeyPatch, root: Path) -> dict[str, Path]:
    """Point every platformdirs folder (config, data, cache, log, state) and the home folder into root, for this
    process and the subprocesses it starts (run_cli inherits os.environ)."""
    import platformdirs

    folders = {name: root / name for name in USER_DIRS.values()}
    for var, name in USER_DIRS.items():
        mp.setenv(var, str(folders[name]))
    home = root / "home"
    home.mkdir(parents=True, exist_ok=True)
    mp.setenv("HOME", str(home))  # ~/Documents (the default export folder) and anything that expands ~
    mp.setenv("USERPROFILE", str(home))
    mp.setenv("APPDATA", str(folders["config"]))
    mp.setenv("LOCALAPPDATA", str(folders["data"]))
    if not sys.platform.startswith("linux"):  # platformdirs asks the OS there, not the environment
        for kind, name in (("config", "config"), ("data", "data"), ("cache", "cache"), ("state", "state")):
            mp.setattr(platformdirs, f"user_{kind}_dir",
                       lambda appname=None, *a, _base=folders[name], **k: str(_base / (appname or "")))
        mp.setattr(platformdirs, "user_log_dir",
                   lambda appname=None, *a, **k: str(folders["state"] / (appname or "") / "log"))
        mp.setattr(platformdirs, "user_documents_dir", lambda *a, **k: str(home / "Documents"))
    return folders


@pytest.fixture(scope="session", autouse=True)
def _no_writes_to_the_real_home(tmp_path_factory):
    """Fails the run if any test wrote into the app's folders of the real home; until the per-test fixture takes
    over, session and module fixtures use a session-wide scratch home."""
    before = _snapshot(REAL_USER_FOLDERS)
    with pytest.MonkeyPatch.context() as mp:
        isolate_user_folders(mp, tmp_path_factory.mktemp("session-home"))
        yield
    after = _snapshot(REAL_USER_FOLDERS)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        pytest.fail("the suite wrote into the real user folders: " + ", ".join(changed[:10]), pytrace=False)


@pytest.fixture(scope="session")
def sc_font_cache(tmp_path_factory) -> Path:
    """The standalone SC faces (app/render/pdf/scfaces.py), cut once per run."""
    from app.render.pdf import scfaces

    folder = tmp_path_factory.mktemp("sc-fonts")
    scfaces.prepare(folder)
    return folder


@pytest.fixture(autouse=True)
def user_folders(tmp_path, monkeypatch, request) -> dict[str, Path]:
    """Every test gets its own config, data, cache, log and state folders (and home) inside its tmp_path. A test
    that converts with LibreOffice finds the SC faces already cut in its cache folder (hard links to the session's
    copy), as the app does after its first export: cutting them takes seconds each time."""
    folders = isolate_user_folders(monkeypatch, tmp_path / "user")
    if "soffice" in request.fixturenames:
        cached = request.getfixturevalue("sc_font_cache")
        mine = folders["cache"] / APP_DIR_NAME / "fonts"
        mine.mkdir(parents=True, exist_ok=True)
        for f in cached.iterdir():
            try:
                os.link(f, mine / f.name)
            except OSError:
                shutil.copy2(f, mine / f.name)
    return folders


def pytest_collection_modifyitems(config, items):
    # A test that converts with LibreOffice says so: `-m "not libreoffice"` deselects them, and CI requires them.
    for item in items:
        if "soffice" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("libreoffice"):
            item.add_marker(pytest.mark.libreoffice)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped and not IN_CI:
        terminalreporter.write_line(
            f"{len(skipped)} skipped (see SKIPPED below for why). To run them: install LibreOffice and run "
            "`YANXIU_REQUIRE_LIBREOFFICE=1 YANXIU_FROZEN_TESTS=1 python -m pytest` (what `CI=true bash .ci/run` does).",
            yellow=True, bold=True)


# ---------------------------------------------------------------- mutation runs (python -m bench.mutation)

MUTATION_RUN = "MUTANT_UNDER_TEST" in os.environ  # set by mutmut in the runs it forks


if MUTATION_RUN:
    from hypothesis import settings as _hypothesis_settings

    # A mutant a property test can kill dies in the first few examples; thousands of mutants cannot wait for 100.
    _hypothesis_settings.register_profile("mutation", max_examples=25, deadline=None)
    _hypothesis_settings.load_profile("mutation")


_CACHES_CLEARED_IN: list[int] = []  # the process (a forked mutant run) whose loader caches were last emptied


@pytest.fixture(autouse=MUTATION_RUN)
def _fresh_loader_caches():
    """Under mutmut the definitions are loaded afresh: a cache filled before the fork would keep a mutated loader
    from running, and mutmut would count the mutant as surviving. While mutmut maps tests to functions ("stats")
    every test loads them again, so each test that uses a loader is recorded as reaching it; in a mutant's own run
    (one forked process, one mutant) once is enough, as in the app, which loads them once."""
    if os.environ.get("MUTANT_UNDER_TEST") != "stats" and _CACHES_CLEARED_IN == [os.getpid()]:
        yield
        return
    _CACHES_CLEARED_IN[:] = [os.getpid()]
    for name, module in list(sys.modules.items()):
        if name == "app" or name.startswith("app."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _qt_application(_no_writes_to_the_real_home, qapp):
    """A QApplication before anything else: rendering would otherwise create a bare QGuiApplication first,
    and widgets cannot live on one."""
    return qapp

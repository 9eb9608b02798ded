"""The suite is hermetic and offline: every test's user folders live in its tmp_path, the real home folders are
never written (tests/conftest.py fails the run otherwise), and no test can open a network socket."""

from __future__ import annotations

import socket
import sys

import pytest
from pytest_socket import SocketBlockedError

from tests.conftest import REAL_USER_FOLDERS, run_cli


def test_every_user_folder_is_inside_the_tests_tmp_path(tmp_path, user_folders):
    """The app's config, data, cache and log folders (platformdirs) point into this test's tmp_path."""
    from app import paths
    from app.core.settings import settings_path

    for folder in (paths.user_config_dir(), paths.user_data_dir(), paths.user_cache_dir(), paths.user_log_dir()):
        assert folder.is_relative_to(tmp_path), folder
        assert all(not folder.is_relative_to(real) for real in REAL_USER_FOLDERS)
    assert settings_path().is_relative_to(user_folders["config"])
    assert paths.user_log_dir().is_relative_to(tmp_path / "user")


def test_the_default_libreoffice_profile_is_in_the_tests_cache_folder(tmp_path):
    """The default converter's private profile (README: the cache folder) — it used to land in ~/.cache."""
    from app.render.pdf.libreoffice import LibreOfficeConverter

    conv = LibreOfficeConverter(tmp_path / "soffice")
    assert conv.profile_dir.is_relative_to(tmp_path / "user" / "cache")


def test_a_script_run_sees_the_same_folders(tmp_path):
    """run_cli's subprocesses inherit the redirection: the CLI reads the test's settings, not the teacher's."""
    result = run_cli("count", stdin=b"x")  # any command: the interpreter starts with the test's environment
    assert result.returncode == 0
    import subprocess

    code = "from app import paths; print(paths.user_config_dir()); print(paths.user_cache_dir())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert all(line.startswith(str(tmp_path)) for line in out.splitlines()), out


def test_settings_written_by_a_test_stay_in_its_folder(user_folders):
    from app.core.settings import Settings, load_settings, save_settings

    save_settings(Settings(pdf_backend="none"))
    assert (user_folders["config"] / "yanxiu" / "settings.json").is_file()
    assert load_settings().pdf_backend == "none"


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
@pytest.mark.parametrize("family", [socket.AF_INET, socket.AF_INET6], ids=["AF_INET", "AF_INET6"])
def test_network_sockets_are_refused(family):
    """The offline guard (pytest-socket, --disable-socket): any network call in the app fails the test."""
    with pytest.raises(SocketBlockedError):
        socket.socket(family, socket.SOCK_STREAM)
    with pytest.raises(SocketBlockedError):
        socket.create_connection(("127.0.0.1", 9))


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no AF_UNIX sockets on this platform")
def test_local_sockets_still_work():
    """--allow-unix-socket: LibreOffice's pipes, Qt's local sockets and asyncio's self-pipe keep working."""
    a, b = socket.socketpair(socket.AF_UNIX)
    with a, b:
        a.sendall("研修".encode())
        assert b.recv(16).decode() == "研修"


def test_qt_local_server_still_works(tmp_path, qtbot):
    """QLocalServer (a single-instance channel) is an AF_UNIX socket on Linux and a named pipe on Windows."""
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

    server = QLocalServer()
    name = str(tmp_path / "yanxiu-test.sock") if sys.platform != "win32" else "yanxiu-test"
    assert server.listen(name), server.errorString()
    client = QLocalSocket()
    client.connectToServer(name)
    assert client.waitForConnected(3000)
    qtbot.waitUntil(server.hasPendingConnections, timeout=3000)
    client.close()
    server.close()


_GUARD = '''
"""Loaded at interpreter start-up (sitecustomize): refuse and record every network socket and name lookup."""
import os
import socket

_LOG = os.environ["YANXIU_SOCKET_LOG"]
_Real = socket.socket


def _record(what):
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(what + "\\n")
    raise OSError("network access attempted: " + what)


class _Guarded(_Real):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family != getattr(socket, "AF_UNIX", object()):
            _record(f"socket family {family}")
        super().__init__(family, type, proto, fileno)


socket.socket = _Guarded
socket.getaddrinfo = lambda *a, **k: _record(f"getaddrinfo {a[:2]}")
'''


def test_the_app_makes_no_network_connection_in_its_own_process(tmp_path, monkeypatch, school_case):
    """README: "the app makes no network connection". The commands and the whole GUI tour run in subprocesses with
    a start-up hook that refuses and records any network socket or name lookup; the record must stay empty."""
    import os

    from app.core.casefile import save_case

    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(_GUARD, encoding="utf-8")
    log = tmp_path / "sockets.log"
    monkeypatch.setenv("YANXIU_SOCKET_LOG", str(log))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(guard), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("YANXIU_PDF_BACKEND", "none")
    probe = run_cli("count", stdin=b"x")
    assert probe.returncode == 0
    case = tmp_path / "c.json"
    save_case(school_case, case)
    runs = [run_cli("--smoke"), run_cli("check", str(case)), run_cli("export", str(case), "--out", str(tmp_path / "e")),
            run_cli("package", str(case), "--out", str(tmp_path / "p"))]
    assert [r.returncode for r in runs] == [0, 0, 0, 4], [r.stderr.decode()[-500:] for r in runs]
    assert not log.exists() or log.read_text(encoding="utf-8") == ""
    # the hook is really active in those processes
    import subprocess

    blocked = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
                             capture_output=True, text=True)
    assert blocked.returncode != 0 and "network access attempted" in blocked.stderr
    log.unlink()

"""app/sources.py: the module sources PySide6 reads are forgotten as imports go, and only by the thread importing."""

from __future__ import annotations

import importlib
import linecache
import sys
import threading

from app import sources


def _package(tmp_path, monkeypatch, names):
    for name in names:
        (tmp_path / f"{name}.py").write_text(f"VALUE = {name!r}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in names:
        monkeypatch.delitem(sys.modules, name, raising=False)
    return [str(tmp_path / f"{name}.py") for name in names]


def test_the_lines_read_of_one_module_are_dropped_before_the_next_is_loaded(tmp_path, monkeypatch):
    first, second = _package(tmp_path, monkeypatch, ["yx_src_first", "yx_src_second"])
    with sources.forgetting():
        importlib.import_module("yx_src_first")
        linecache.getlines(first)  # what PySide6's scan does after each import
        assert first in linecache.cache
        importlib.import_module("yx_src_second")
        assert first not in linecache.cache
        linecache.getlines(second)
    assert linecache.cache == {}
    assert sys.modules["yx_src_second"].VALUE == "yx_src_second"


def test_a_worker_importing_meanwhile_leaves_the_lines_alone(tmp_path, monkeypatch):
    """Dropped from another thread, the lines could vanish while the UI thread is reading them."""
    mine, = _package(tmp_path, monkeypatch, ["yx_src_mine"])
    _package(tmp_path, monkeypatch, ["yx_src_worker"])
    with sources.forgetting():
        linecache.getlines(mine)
        worker = threading.Thread(target=importlib.import_module, args=("yx_src_worker",))
        worker.start()
        worker.join()
        assert "yx_src_worker" in sys.modules and mine in linecache.cache
    assert not any(isinstance(f, sources._ForgetBeforeEachImport) for f in sys.meta_path)
